"""Every article of a version scored as one document, in numpy: a pasted text's leads.

A short lede's article often has no passage among the best: its words spread over
several passages, none of which holds most of them. Here each article gets the score
:func:`indexer.search.rank.article_scores` gives it (BM25 over its passages' summed term
frequencies and lengths, its title's counted :data:`~indexer.search.rank.ARTICLE_TITLE`
times), over the whole version at once: the postings the search reads anyway
(:class:`~.whole.Joined`) are added up per article, clause by clause, in work
proportional to the postings. The best of them join the
candidates (:data:`indexer.search.rank.LEADS`), each with its best passage, scored as the
search's own MaxScore scores it, and every candidate's article reads its own score here
(:meth:`EmbeddedVersion.article_scores
<indexer.search.embedded.version.EmbeddedVersion.article_scores>`). The first pasted text
of a process pays numpy's import for it, so that a search ranks the same in every process.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

import numpy as np

from ...store.reading import per_reader
from ..rank import (
    ARTICLE_FIELDS,
    article_average,
    article_norm,
    article_term,
    article_weights,
    best_of_each,
    read_once,
    stem_clauses,
)
from .evaluate import joined_scores, joined_version
from .whole import Joined, KeptArrays, run_starts

if TYPE_CHECKING:
    from ...store.snapshot import Snapshot as EmbeddedVersion  # what is read of one
    from .compile import Compiler


class Articles:
    """A version's articles as arrays: each document's article, each article's first
    document, whether it is live, its length as its own score weighs it (its fields'
    at their :data:`~indexer.search.rank.ARTICLE_FIELDS` weights), and BM25's length part
    from it, given the version's ``average`` weighed length."""

    def __init__(self, joined: Joined, average: float) -> None:
        # An article's own document opens its run: those the search reads anyway, for
        # its candidates' articles (evaluate.ArticleRuns), not the passages' (five times
        # as many, 109 ms to read at first).
        self.starts, self.ends, self.owner = joined.runs()
        self.live = np.ones(len(self.starts), dtype=bool)
        if joined.deleted:  # an update replaces a whole run, its own document first
            dead = np.fromiter(joined.deleted, dtype=np.int64)
            at = np.searchsorted(self.starts, dead)
            inside = at < len(self.starts)
            self.live[at[inside][self.starts[at[inside]] == dead[inside]]] = False
        # Weighed once a version, not once a search: every search reads them so.
        self.length = np.zeros(len(self.starts))
        for field, weight in ARTICLE_FIELDS:
            self.length += weight * np.bincount(self.owner, weights=joined.lengths(field),
                                                minlength=len(self.starts))
        self.norm = article_norm(self.length, average)
        """BM25's length part of each article (:func:`~indexer.search.rank.article_norm`)."""


def version_articles(version: EmbeddedVersion, joined: Joined) -> Articles:
    """The version's :class:`Articles`, laid out by its first pasted text (or by
    :meth:`~indexer.search.embedded.version.EmbeddedVersion.warm`) and kept with it."""
    def laid_out() -> Articles:
        held = max(1, version.doc_count() - version.passage_count())
        return Articles(joined, article_average(version.field_total, held))

    arts: Articles = per_reader(version.searcher, "_depeches_articles", laid_out)
    return arts


def own_scores(version: EmbeddedVersion, joined: Joined, comp: Compiler
               ) -> tuple[Articles, Any]:
    """The version's :class:`Articles`, and each one's own score (0 for a deleted one)."""
    arts = version_articles(version, joined)
    kept = per_reader(version.searcher, "_depeches_own_clauses", OwnClauses)
    total = np.zeros(len(arts.starts))
    tf = np.zeros(len(arts.starts))  # a clause's weighed frequencies, back to 0 after each
    for clause in stem_clauses(comp):
        key = "\0".join(sorted(clause))
        found = kept.take(key)
        if found is None:
            found = _clause_scores(version, joined, arts, clause, tf)
            kept.keep(key, found)
        at, part = found
        if len(at):
            total[at] += part
    total[~arts.live] = 0.0
    return arts, total


def _clause_scores(version: EmbeddedVersion, joined: Joined, arts: Articles,
                   clause: frozenset[str], tf: Any) -> tuple[Any, Any]:
    """The articles that hold one of :func:`stem_clauses`' forms, and what the clause adds
    to each one's own score: the version's to keep (:class:`OwnClauses`). ``tf``, zeros
    over the articles, is left so."""
    # How many documents hold a form, from its postings, read next anyway: asked of
    # every segment instead (the version's doc_frequency), a pasted text's new
    # words took 0.3 ms at the median.
    w = article_weights([clause], lambda f, t: len(joined.term(f, t)[0]),
                        version.passage_count())[0]
    which: list[Any] = []
    for field, weight in ARTICLE_FIELDS:
        held_by, n = _summed(arts.owner, [joined.term(field, t) for t in sorted(clause)])
        if len(held_by):
            # Those no field before held: a union in work proportional to the
            # postings (np.unique sorting a common word's articles made the whole
            # 3.5 times slower, 12.7 ms a 20-49-word lede against 3.7).
            which.append(held_by[tf[held_by] == 0] if which else held_by)
            tf[held_by] += weight * n
    if not which:
        return _NONE
    at = np.concatenate(which) if len(which) > 1 else which[0]
    part = article_term(w, tf[at], arts.norm[at])
    tf[at] = 0.0
    return at.astype(np.int32), part


OWN_KEPT = 6_000_000
"""Articles' clause parts a version keeps, over every clause (:class:`OwnClauses`: an
article's number and its part, 12 bytes, 72 MB in all). The 2,000 news ledes ask 9,042
distinct clauses, some 20 million parts: held whole, they would flatter the bench and
not an archive (see the README's "Articles' own scores kept by clause")."""


class OwnClauses(KeptArrays):
    """What each clause a pasted text's search has asked adds to articles' own scores
    (:func:`_clause_scores`), kept on the version's searcher, keyed by the clause's forms
    as one string: the articles that hold it and its part of each one's score. A clause
    adds the same to an article in every search of a version (its weight, frequencies
    and the article's length are the version's), and a lede's common words are every
    lede's: summing their tens of thousands of postings by article again, search after
    search, was a third of a 20–49-word news lede's time."""

    def __init__(self) -> None:
        super().__init__(2)
        self.articles, self.parts = self.columns

    def budget(self) -> int:
        return OWN_KEPT


def kept_own_scores(version: EmbeddedVersion, comp: Compiler) -> tuple[Articles, Any]:
    """:func:`own_scores` under ``comp``, counted once a search: its leads and its
    candidates' articles read the same."""
    if comp.own is None:
        comp.own = own_scores(version, joined_version(version.searcher), comp)
    return comp.own


def best_articles(version: EmbeddedVersion, comp: Compiler, n: int) -> list[range]:
    """The documents of the ``n`` live articles with the best own scores, best first
    (ties by article id, as on every backend), its own document first; those of score 0
    left out."""
    arts, total = kept_own_scores(version, comp)
    n = min(n, len(total))
    if n <= 0:
        return []
    kth = np.partition(total, len(total) - n)[len(total) - n]
    col = version.article_ids()
    tied = np.flatnonzero(total >= max(kth, np.nextafter(0.0, 1.0))).tolist()
    ranked = sorted(tied, key=lambda a: (-total[a], col[int(arts.starts[a])]))[:n]
    return [range(int(arts.starts[a]), int(arts.ends[a])) for a in ranked]


def _summed(owner: Any, found: list[tuple[Any, Any, Any]]) -> tuple[Any, Any]:
    """The articles that hold a clause's forms (``found``: each form's documents and
    frequencies), each once and in order, and how often they hold them: work in
    proportion to the postings, not to the articles (most clauses are rare words)."""
    found = [f for f in found if len(f[0])]
    if not found:
        return _NONE
    if len(found) == 1:
        held, tf = owner[found[0][0]], found[0][1]  # sorted: documents are in order
    else:
        held = np.concatenate([owner[f[0]] for f in found])
        order = held.argsort(kind="stable")
        held, tf = held[order], np.concatenate([f[1] for f in found])[order]
    at = run_starts(held)
    return held[at], np.add.reduceat(tf.astype(np.float64), at)


_NONE = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))


def leads(version: EmbeddedVersion, comp: Compiler, q: Any, n: int, have: Collection[str],
          per: int = 1) -> list[tuple[float, int]]:
    """The ``per`` best passages ``(score, doc)`` under ``q`` of each of the ``n`` best
    articles (:func:`best_articles`) not in ``have``, where ``q`` matches them: a pasted
    text's leads, or a long one's candidates (:data:`indexer.search.rank.LED`)."""
    col = version.article_ids()
    docs = [d for run in best_articles(version, comp, n) if len(run) > 1
            and col[run[1]] not in have for d in run[1:]]
    if not docs:
        return []
    scores = _scored(version, comp, q, docs)
    return best_of_each(((score, d) for d, score in scores.items()), col.__getitem__, per)


def _scored(version: EmbeddedVersion, comp: Compiler, q: Any, docs: list[int]
            ) -> dict[int, float]:
    """:func:`joined_scores` of ``docs`` under ``q``, each document's kept on ``comp``
    (:func:`~indexer.search.rank.read_once`) for the search's other tiers
    (:func:`indexer.search.run._tiers`): a search of 40 articles reads the best articles'
    passages of one of 10 and of 20 again."""
    # Keyed by the query's identity, and the query held with its scores, so that no
    # other query takes its id while they are kept.
    held = comp.scored.get(id(q))
    if held is None or held[0] is not q:
        held = comp.scored[id(q)] = (q, {})
    return read_once(held[1], docs,
                     lambda fresh: joined_scores(joined_version(version.searcher), q, fresh))
