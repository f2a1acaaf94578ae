"""Ranking: BM25F over passages, then the top candidates re-scored.

Re-scoring counts the title's score for each passage of an article, coordination
(a passage that misses a query word loses more the rarer the word) and proximity
(:mod:`.weights`), and, with word vectors, topic, sentence alignment and words of
close meaning. The README's "How it works" gives the measured effect of each.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..model import ARTICLE_B, ARTICLE_K1, TermMatch
from .options import SearchOptions
from .weights import HEAD_WEIGHT, PROXIMITY, clause_weights, coordination, idf, proximity

if TYPE_CHECKING:
    from .seam import Compiled, Version


TOPIC = 3.0
TOPIC_FLOOR = 0.5
"""With word vectors, a candidate's score is multiplied by 1 + TOPIC × (cos − TOPIC_FLOOR)
when the cosine of its mean content-word vector to the query's is above TOPIC_FLOOR:
a passage about the question's subject climbs. The README's "How it works" gives its
measured effect, and the values tried."""
ALIGN = 8.0
"""With word vectors, a candidate's score is also multiplied by 1 + ALIGN × a², where a
is how much of the query its best sentence says, words of close meaning included
(:meth:`indexer.search.vectors.WordVectors.alignment`): a question usually rephrases
the sentence that answers it. The vectors' own judgement of a word counts, not exact
matches as whole (that did worse); the README's "How it works" gives the figures."""


ARTICLE = 4.0
"""How much the candidate articles' own scores (:func:`article_scores`) count against
their passages': each candidate passage gains ARTICLE × its article's score over the best
candidate article's, times the best candidate passage's score. A pasted lede or dispatch
speaks of a whole article, whose words spread over several passages; a passage's own
score then orders an article's passages and breaks near ties. The README's "How it
works" gives the measured effect and the values tried."""
ARTICLE_FROM, ARTICLE_FULL = 8, 16
"""The query clauses (distinct words and phrases) from which articles' own scores count,
and from which they count whole, :data:`ARTICLE` growing linearly between: a pasted lede
is about a whole article, a typed question asks for the passage that answers it. On
PIAF's questions (nearly all under 10 clauses) articles' scores cost MRR@10 0.009 when
counted whole at every length; on news ledes under 10 clauses they change nothing."""
ARTICLE_TITLE = 5.0
"""How much a word of the title counts in an article's own score, against one of its body:
title and body are one document there, the title's frequencies and length counted
ARTICLE_TITLE times (BM25F), not a second BM25 of its own. The README's "How it works"
gives the measured effect and the values tried."""
LEADS = 10
"""Where articles' own scores count, the candidates also hold the best passage of each of
the LEADS articles that score best as wholes over the whole version (their *leads*:
:meth:`indexer.search.seam.Version.candidates`): a short lede's article often has no
passage among the best, its words spread over several. The README's "How it works"
gives the measured effect and the values tried."""


LED = 2
"""Where articles' own scores count whole (:data:`ARTICLE_FULL` clauses and more), the
candidates are the best passages of the LED × limit articles that score best as wholes
over the whole version, not the best passages over it with :data:`LEADS` added: what
ranks a long pasted text is its articles' own scores, and searching every passage for
the best ones was a third of its time. Each of those articles brings as many of its best
passages as the search would have taken candidates over them (3 at the defaults), since
re-scoring may prefer another passage than the best by BM25. The README's "How it works"
gives the measured effect and the values tried."""


def article_share(comp: Compiled) -> float:
    """How much articles' own scores count for this query, 0 to 1 (see :data:`ARTICLE_FROM`)."""
    n = len(comp.clauses)
    if not ARTICLE:
        return 0.0
    return 1.0 if n >= ARTICLE_FULL else max(0.0, (n - ARTICLE_FROM)
                                             / (ARTICLE_FULL - ARTICLE_FROM))


def has_leads(comp: Compiled) -> bool:
    """Whether a search's candidates hold its :data:`LEADS`: where articles' own scores
    count. The embedded index then reads a pasted text's lists whole from its first
    search on, as the leads do."""
    return bool(LEADS and article_share(comp))


def led_by_articles(comp: Compiled) -> bool:
    """Whether a search's candidates are its best articles' passages (:data:`LED`)."""
    return bool(LED) and article_share(comp) >= 1.0


def led_counts(k: int, articles: int) -> tuple[int, int]:
    """How many best articles a search led by them reads (:data:`LED` × ``articles``), and
    how many passages each brings: its share of the ``k`` candidates, rounded up."""
    n = LED * max(1, articles)
    return n, -(-k // n)


def stem_clauses(comp: Compiled) -> list[frozenset[str]]:
    """Each clause's forms in the body's stems: what an article's own score counts."""
    return [frozenset(t for f, t in c if f == "stem") for c in comp.clauses]


ARTICLE_FIELDS = (("stem", 1.0), ("title_stem", ARTICLE_TITLE))
"""The fields an article's own score counts, with the weight of their frequencies and
lengths in its one document."""


def article_weights(clauses: list[frozenset[str]], frequency: Callable[[str, str], int],
                    passages: int) -> list[float]:
    """Each of :func:`stem_clauses` weighed in an article's own score: the IDF over
    passages of its commonest form in their bodies (0 for an empty clause),
    ``frequency(field, term)`` counting the passages that hold a term."""
    return [idf(max(frequency("stem", t) for t in clause), passages) if clause else 0.0
            for clause in clauses]


def article_average(total: Callable[[str], float], articles: int) -> float:
    """The average length of an article as its own score weighs it, ``total(field)``
    being a field's length summed over the ``articles`` (at least 1)."""
    return sum(weight * total(field) for field, weight in ARTICLE_FIELDS) / articles or 1.0


def article_norm(length: Any, average: float) -> Any:
    """BM25's length part for whole articles ``length`` long (a number, or numpy's
    array of them), ``average`` long on average: lengths weighed as
    :data:`ARTICLE_FIELDS` says."""
    return ARTICLE_K1 * (1 - ARTICLE_B + ARTICLE_B * length / average)


def article_term(weight: float, tf: Any, norm: Any) -> Any:
    """A clause's part of an article's own score: its ``weight`` (:func:`article_weights`),
    its forms' frequency ``tf`` summed over :data:`ARTICLE_FIELDS` at their weights, and
    :func:`article_norm`, numbers or arrays."""
    return weight * tf * (ARTICLE_K1 + 1) / (tf + norm)


def best_of_each(rows: Iterable[tuple[float, int]], article: Callable[[int], str], per: int
                 ) -> list[tuple[float, int]]:
    """Of ``(score, doc)`` rows, the ``per`` best of each article, best first (the earlier
    document on a tie), ``article(doc)`` naming a document's article: the passages a
    lead joins the candidates with (:data:`LEADS`, one each), or each of a long pasted
    text's best articles (:data:`LED`)."""
    kept: dict[str, int] = {}
    out = []
    for score, doc in sorted(rows, key=lambda r: (-r[0], r[1])):
        aid = article(doc)
        taken = kept.get(aid, 0)
        if taken < per:
            kept[aid] = taken + 1
            out.append((score, doc))
    return out


def article_scores(version: Version, comp: Compiled, articles: Mapping[str, int]
                   ) -> dict[str, float]:
    """Each article's BM25 as one document: its passages' term frequencies added up, over
    their summed lengths, its title's counted :data:`ARTICLE_TITLE` times. A clause counts
    the frequencies of all its forms; its IDF is counted over passages, as everywhere.
    ``articles`` maps each article to one of its passages, from which its others are
    found (``near`` in ``Version.article_passages``)."""
    docs = version.article_passages(articles, near=articles)
    every = [d for held in docs.values() for d in held]
    scores = dict.fromkeys(articles, 0.0)
    clauses = stem_clauses(comp)
    words = frozenset().union(*clauses)
    if not every or not words:
        return scores
    passages = version.passage_count()
    articles_held = max(1, version.doc_count() - passages)
    # Each term's clauses: a form may stand in several (a word and a phrase holding it).
    owners: dict[str, list[int]] = {}
    for i, clause in enumerate(clauses):
        for t in clause:
            owners.setdefault(t, []).append(i)
    w = article_weights(clauses, version.doc_frequency, passages)
    tf = {aid: [0.0] * len(clauses) for aid in docs}
    length = dict.fromkeys(docs, 0.0)
    for field, weight in ARTICLE_FIELDS:
        found = version.occurrences(frozenset((field, t) for t in words), every,
                                    whole=comp.whole)
        lengths = version.lengths(field, every)
        for aid, held in docs.items():
            for d in held:
                for (_, t), freq in found[d].items():
                    for i in owners[t]:
                        tf[aid][i] += weight * freq
            length[aid] += weight * sum(lengths[d] for d in held)
    average = article_average(version.field_total, articles_held)
    for aid in docs:
        norm = article_norm(length[aid], average)
        scores[aid] = sum(article_term(w[i], n, norm) for i, n in enumerate(tf[aid]) if n)
    return scores


def with_articles(version: Version, comp: Compiled, rows: list[tuple[float, str, int]]
                  ) -> list[tuple[float, str, int]]:
    """The candidates' ``(score, article_id, docnum)`` with their articles' own scores
    added, as :data:`ARTICLE` says."""
    share = article_share(comp)
    if not rows or not share:
        return rows
    articles: dict[str, int] = {}  # each candidate article, and one of its passages
    for _, aid, docnum in rows:
        articles.setdefault(aid, docnum)
    own = version.article_scores(comp, articles)
    top = max(own.values())
    best = max(score for score, _, _ in rows)
    if top <= 0 or best <= 0:
        return rows
    scale = share * ARTICLE * best / top
    return [(score + scale * own[aid], aid, docnum) for score, aid, docnum in rows]


@dataclass
class Reads:
    """What one search has read of its candidates, kept for the rest of it: a search of
    40 articles re-scores the candidates of one of 10, 20 and 40
    (:func:`indexer.search.run._tiers`), most of them the same passages."""

    passages: dict[int, dict[str, Any]] = dataclasses.field(default_factory=dict)
    """Passages read while re-scoring, not read again to show them."""
    similar: dict[int, list[TermMatch]] = dataclasses.field(default_factory=dict)
    """Each passage's words of close meaning to the query's."""
    terms: dict[int, Any] = dataclasses.field(default_factory=dict)
    """Which query terms each passage holds (with their positions in a typed search)."""
    title_terms: dict[int, Any] = dataclasses.field(default_factory=dict)
    """Which query terms each title holds, by the document that carries it."""


def read_once(kept: dict[int, Any], docs: list[int],
              read: Callable[[list[int]], Mapping[int, Any]]) -> dict[int, Any]:
    """``read(docs)``, a document's value the same whichever others are read with it:
    only those of ``docs`` not in ``kept`` are read, and what they gave is kept (a
    document ``read`` left out as ``None``, so that it is not read again)."""
    fresh = [d for d in docs if d not in kept]
    if fresh:
        found = read(fresh)
        kept.update({d: found.get(d) for d in fresh})
    return {d: value for d in docs if (value := kept[d]) is not None}


def rescore(version: Version, comp: Compiled, opts: SearchOptions,
            rows: list[tuple[float, str, int]], k: int, reads: Reads
            ) -> list[tuple[float, str, int]]:
    """The candidates' ``(score, article_id, docnum)`` once their title's score is lent,
    and coordination, proximity and (with vectors) topic and close words counted.
    What is read on the way goes to ``reads``."""
    # Coordination and proximity are counted on the candidates only: asking
    # Whoosh for the matched terms of every hit would turn off its top-k skipping.
    titles = version.title_scores(comp, k)
    reach = [c | r for c, r in zip(comp.clauses, comp.related, strict=True)]
    wanted_terms = frozenset().union(*reach)
    candidates = [d for _, _, d in rows]
    # A pasted text counts no proximity (see PROXIMITY): which terms each candidate
    # holds is all it needs, counted without decoding a position.
    places = None if comp.pasted else read_once(
        reads.terms, candidates, lambda docs: version.positions(wanted_terms, docs))
    body = places if places is not None else read_once(
        reads.terms, candidates,
        lambda docs: version.occurrences(wanted_terms, docs, comp.whole))
    # Titles count for coordination alone: which terms they hold, never where; read
    # for the candidates' articles only, not for each of the k best titles.
    shown = {titles[aid][1] for _, aid, _ in rows if aid in titles}
    title_terms = frozenset(("title_" + f, t) for f, t in wanted_terms if f == "stem")
    in_title = read_once(reads.title_terms, sorted(shown),
                          lambda docs: version.occurrences(title_terms, docs, comp.whole))
    weights = [w * (HEAD_WEIGHT if i in comp.heads else 1.0)
               for i, w in enumerate(clause_weights(version, comp.clauses))]
    vectors = version.vectors() if opts.vectors else None
    # The query words' vectors, looked up once rather than for every candidate.
    known = vectors.vectors_of([w for w in comp.words if w]) if vectors else {}
    asked = vectors.profile(" ".join(w for w in comp.words if w)) if vectors else None
    scored = []
    for score, aid, docnum in rows:
        found = body[docnum]
        matched = set(found)
        title = titles.get(aid)
        if title:
            if docnum != title[1]:  # the first passage carries the title already
                score += title[0]
            matched |= {(f[6:], t) for f, t in in_title[title[1]]}
        partial = 0.0
        if asked is not None and vectors is not None:  # the index has word vectors
            if docnum not in reads.passages:
                reads.passages[docnum] = version.passage(docnum)
            text = reads.passages[docnum]["text"]
            seen = vectors.profile(text)
            topic = vectors.topic(asked, seen)
            score *= 1 + TOPIC * max(0.0, topic - TOPIC_FLOOR)
            aligned = vectors.alignment(comp.words, weights, text, seen, known)
            score *= 1 + ALIGN * aligned ** 2
            missing = [i for i, c in enumerate(reach) if comp.words[i] and not c & matched]
            if missing:
                near = vectors.closest([comp.words[i] for i in missing], seen, known)
                partial = sum(weights[i] * x for i, (x, _) in zip(missing, near, strict=True))
                reads.similar[docnum] = [TermMatch(comp.words[i] or "", w, "similar")
                                   for i, (x, w) in zip(missing, near, strict=True) if x]
        score *= coordination(reach, weights, matched, partial)
        if places is not None:
            score *= 1 + PROXIMITY * proximity(comp.clauses, weights, places[docnum])
        scored.append((score, aid, docnum))
    return scored
