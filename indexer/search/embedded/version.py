"""One committed version of the embedded index, with the query half of the seam.

:class:`EmbeddedVersion` is the :class:`~indexer.search.seam.Version` of the embedded
backend: the store's :class:`~indexer.store.snapshot.Snapshot` (term statistics,
stored articles and passages), plus what only Whoosh can do, compiling a query tree
to Whoosh queries and evaluating them for candidates, titles, positions and matches.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ...store.reading import field_lengths
from ...store.snapshot import Snapshot
from ..facets import table_counts
from ..options import SearchOptions
from ..parse import Group
from ..rank import LEADS, has_leads, led_by_articles, led_counts
from ..seam import Summary, read_summary
from .compile import Compiler, compile_search, filtered
from .evaluate import (
    ArticleRuns,
    Split,
    best_documents,
    document_scores,
    keep_best,
    matching_documents,
    term_frequencies,
    term_values,
)

if TYPE_CHECKING:
    from ..seam import Occurrences, Positions


_pasted_searches = 0
"""Pasted texts this process has compiled: see :meth:`EmbeddedVersion.compile`."""


class EmbeddedVersion(Snapshot):
    """A committed version of the embedded index, as query time reads it."""

    def vectors(self) -> Any:
        from ..vectors import WordVectors

        return self.derived("vectors", lambda: WordVectors.open(self.path))

    def facet_counts(self, article_ids: Collection[str] | None, field: str,
                     names: Mapping[str, str]) -> Counter[str]:
        """Counted from every article's record, read once per version."""
        return table_counts(self, article_ids, field, names)

    def summary(self) -> Summary:
        """Read from every article's record."""
        return read_summary(self)

    def lengths(self, field: str, docs: Iterable[int]) -> dict[int, int]:
        leaves = [(sub.reader(), offset) for sub, offset in self.searcher.leaf_searchers()]
        starts = [offset for _, offset in leaves]
        out = {}
        for doc in docs:
            reader, offset = leaves[bisect_right(starts, doc) - 1]
            table = field_lengths(reader._perdoc, field)
            local = doc - offset
            out[doc] = int(table[local]) if table is not None and local < len(table) else 0
        return out

    def article_passages(self, article_ids: Iterable[str], near: Mapping[str, int] | None = None
                         ) -> dict[str, list[int]]:
        """``near``'s passage gives its article's document (its record says how far back),
        whose run of documents (:class:`ArticleRuns`) is the article's: looking each id
        up walked its postings in every segment, 1.31 ms a news query against 0.31 ms
        (both asked on each call, over the 2,000). An update deletes an article's
        documents together, so a live passage's run is live, but deleted ones are left
        out all the same."""
        ids = list(article_ids)
        if not near:
            return super().article_passages(ids)
        out = super().article_passages([aid for aid in ids if aid not in near])
        runs = self.derived("runs", lambda: ArticleRuns(self.searcher))
        reader = self.searcher.reader()
        deleted = reader.is_deleted if reader.has_deletions() else None
        for aid in ids:
            if aid in near:
                run = runs.run(self._place(near[aid])[0])[1:]
                out[aid] = [d for d in run if not deleted(d)] if deleted else list(run)
        return {aid: out[aid] for aid in ids}

    def compile(self, tree: Group, opts: SearchOptions) -> Compiler:
        """The tree compiled to a Whoosh query (``.query``), the option filters apart
        (``.filter``: compiled once, for every pass), and what re-scoring and
        highlighting read of it.

        A pasted text's long posting lists are read whole (``.whole``:
        :mod:`indexer.store.arrays`) once numpy is the process's anyway: from its second
        pasted text on, or where articles' own scores count (:data:`~indexer.search.rank.LEADS`),
        whose leads read those lists whole. The block reader would decode the same lists a
        second time, blocks apart: a process's first lede took 139 ms at the median
        against 170 with it (16 fresh processes each, interleaved)."""
        global _pasted_searches
        comp = compile_search(self.searcher, self.langs(), tree, opts)
        if comp.pasted:
            comp.whole = _pasted_searches > 0 or has_leads(comp)
            _pasted_searches += 1
        return comp

    def _restricted(self, comp: Compiler, fast: bool = False) -> Any:
        """The query and the filters, made once a search; ``fast``: without its common
        words (:attr:`Compiler.fast`)."""
        if fast:
            if comp.fast_restricted is None:
                comp.fast_restricted = filtered(comp.fast, comp.filter)
            return comp.fast_restricted
        if comp.restricted is None:
            comp.restricted = filtered(comp.query, comp.filter)
        return comp.restricted

    def _titles_restricted(self, comp: Compiler) -> Any:
        """The query over titles and the filters, made once a search (None when no word
        of it reaches a title): each tier of a deep search that searches its titles
        again asks for it (:func:`_best_titles`)."""
        if comp.titles_restricted is None:
            tree = comp.tree
            tq = None if tree is None else Compiler(
                self.searcher, self.langs(), titles=True, spelled=comp.spelled).compile(tree)
            comp.titles_restricted = (None if tq is None else filtered(tq, comp.filter),)
        return comp.titles_restricted[0]

    def candidates(self, comp: Compiler, k: int, articles: int
                   ) -> tuple[list[tuple[float, int]], list[int] | None]:
        """The ``k`` best ``(score, doc)``, best first, and every match when the search
        saw them all. Common words deferred (``comp.fast``), the first pass must find
        ``articles`` articles, or the search runs again with every word. A long pasted
        text's are its best articles' passages (:data:`~indexer.search.rank.LED`), where
        they make ``articles`` articles (a filter may leave fewer)."""
        s, col = self.searcher, self.article_ids()
        if led_by_articles(comp):
            from .leads import leads

            n, per = led_counts(k, articles)
            res = leads(self, comp, self._restricted(comp), n, (), per)
            if len({col[d] for _, d in res}) >= articles:
                return res, None
        if comp.fast is not None:
            q = self._restricted(comp, fast=True)
            res, _ = best_documents(s, q, k, tie_order(col), whole=comp.whole)
            if len({col[d] for _, d in res}) >= articles:
                return self._with_leads(comp, q, res), None  # without the common words
        q = self._restricted(comp)
        res, known = best_documents(s, q, k, tie_order(col), whole=comp.whole)
        return self._with_leads(comp, q, res), known

    def _with_leads(self, comp: Compiler, q: Any, res: list[tuple[float, int]]
                    ) -> list[tuple[float, int]]:
        """``res`` and, where articles' own scores count, their leads (:data:`LEADS`)."""
        if not res or not has_leads(comp):
            return res
        from .leads import leads

        col = self.article_ids()
        return res + leads(self, comp, q, LEADS, {col[d] for _, d in res})

    def newest(self, comp: Compiler, limit: int
               ) -> tuple[list[tuple[float, str, int]], list[int]]:
        """``(score, article_id, doc)`` of the ``limit`` newest matching articles' documents
        (see :func:`_newest`), and every match."""
        scores = document_scores(self.searcher, self._restricted(comp))
        runs = self.derived("runs", lambda: ArticleRuns(self.searcher))
        return _newest(self.searcher, scores, _between(self.dates(), *comp.dates),
                       self.article_ids(), runs,
                       limit), list(scores)

    def warm(self) -> None:
        """Read what a process's first pasted text reads once: numpy (imported by
        :mod:`.leads`), the version's articles as arrays, and the article id and record
        columns. A news index's first 34-word lede then took 93 to 132 ms, against 235 to 361
        without (six fresh processes each, interleaved; the warming itself 113 to 175 ms)."""
        from .evaluate import joined_version
        from .leads import version_articles

        self.langs()
        if self.empty():  # no columns, no articles
            return
        self.article_ids()
        self.records()
        version_articles(self, joined_version(self.searcher))

    def dates(self) -> list[Any]:
        """The index's dates, newest first, sorted once per version: over OrangeSum's
        8,430 dates in four segments, merging and sorting them took 10 ms a search."""
        return self.derived("dates", lambda: sorted(self.searcher.reader().lexicon("date"),
                                                    reverse=True))

    def article_scores(self, comp: Compiler, articles: Mapping[str, int]
                       ) -> dict[str, float]:
        """Read from every article's own score, which a search that counts them has
        already computed for its leads (:func:`.leads.own_scores`): scoring the
        candidates' articles again, passage by passage, took 1.7 to 1.9 ms of a
        20–49-word news query at the median."""
        from .leads import kept_own_scores

        arts, total = kept_own_scores(self, comp)
        return {aid: float(total[arts.owner[doc]]) for aid, doc in articles.items()}

    def title_scores(self, comp: Compiler, k: int) -> dict[str, tuple[float, int]]:
        """Title score and title-carrying document per article, of the ``k`` best titles."""
        if comp.tree is None:
            return {}
        s, col = self.searcher, self.article_ids()

        def search(n: int) -> list[tuple[float, int]]:
            tq = self._titles_restricted(comp)
            if tq is None:
                return []
            return best_documents(s, tq, n, tie_order(col), whole=comp.whole)[0]

        return {col[docnum]: (score, docnum)
                for score, docnum in _best_titles(comp, k, search, tie_order(col))}

    def positions(self, terms: frozenset[tuple[str, str]], docs: list[int]
                  ) -> dict[int, Positions]:
        """Which of ``terms`` each document holds, with their positions where the field
        keeps them (else ``()``), reading only the posting blocks that hold the documents."""
        s = self.searcher

        def read(field: str, text: str, split: Split) -> Iterator[tuple[int, Any]]:
            fmt = s.schema[field].format
            decode = fmt.decode_positions if fmt.supports("positions") else None
            for docnum, value in term_values(field, text, split):
                yield docnum, tuple(decode(value)) if decode else ()

        return _per_document(s, terms, docs, False, read)

    def occurrences(self, terms: frozenset[tuple[str, str]], docs: list[int],
                    whole: bool = False) -> dict[int, Occurrences]:
        """Which of ``terms`` each document holds, and how often: the postings' weights,
        which are the term frequencies in every field of ours (no field boost), so that
        no position is decoded. ``whole``: long lists are read whole, from the process's
        arrays (:mod:`indexer.store.arrays`)."""
        return _per_document(self.searcher, terms, docs, whole, term_frequencies)

    def matches(self, comp: Compiler, limit: int | None = None) -> list[int]:
        """The first ``limit`` documents (all when ``None``) of the compiled query, in
        docnum order."""
        return matching_documents(self.searcher, self._restricted(comp), limit)


def _best_titles(comp: Compiler, k: int, search: Callable[[int], list[tuple[float, int]]],
                 tiebreak: Callable[[int], Any]) -> list[tuple[float, int]]:
    """``search(k)``, the ``k`` best titles, or their share of a deeper search's that this
    search (``comp``) ran before: a search of 40 articles ranks its first 10 as one of 10
    (:func:`indexer.search.run._tiers`), deepest first. The ``k`` best of the deeper's
    are the ``k`` best of all when it found fewer than it asked for, or where their cut
    scores above its own: every title that scores more is among its own. At the same
    score, ties at the deeper cut may have been left out, and the search runs again."""
    if comp.best_titles is not None and comp.best_titles[0] >= k:
        depth, deeper = comp.best_titles
        best = keep_best([(-score, doc) for score, doc in deeper], k, tiebreak)
        if len(deeper) < depth or best[-1][0] > deeper[-1][0]:  # it saw them all
            return best
    best = search(k)
    if comp.best_titles is None or comp.best_titles[0] < k:
        comp.best_titles = (k, best)
    return best


def _per_document(searcher: Any, terms: frozenset[tuple[str, str]], docs: list[int],
                  whole: bool, read: Callable[[str, str, Split], Iterable[tuple[int, Any]]]
                  ) -> dict[int, dict[tuple[str, str], Any]]:
    """For each of ``docs``, what ``read(field, text, docs split by segment)`` gives of
    each of ``terms`` that it holds."""
    found: dict[int, dict[tuple[str, str], Any]] = {d: {} for d in docs}
    split = Split(searcher, sorted(found), whole)
    for field, text in terms:
        for docnum, what in read(field, text, split):
            found[docnum][(field, text)] = what
    return found


def tie_order(col: Any) -> Callable[[int], tuple[str, int]]:
    """Candidates tied at the cut go in by article, then position (the passages of an
    article keep their order in any index): not by document number, which follows how
    the index was written and merged."""
    return lambda docnum: (col[docnum], docnum)


def _between(dates: list[Any], since: str | None, until: str | None) -> list[Any]:
    """The index's dates (newest first) from ``until`` back to ``since``. The options'
    date filter holds every match between them: walking the newer dates, only to find
    none of their articles among the matches, was most of a ``--since/--until`` listing."""
    if since is None and until is None:
        return dates
    oldest_first = dates[::-1]
    n = len(dates)
    first = 0 if until is None else n - bisect_right(oldest_first, until.encode())
    last = n if since is None else n - bisect_left(oldest_first, since.encode())
    return dates[first:last]


def _newest(s: Any, scores: dict[int, float], dates: list[Any], col: Any,
            runs: ArticleRuns, limit: int) -> list[tuple[float, str, int]]:
    """The matching documents (``scores``) of the ``limit`` newest articles, newest
    first, then by article id and position; undated articles last. The index's dates
    (``dates``, newest first) are walked from the newest, so only what is shown gets
    ordered, however many match, and the walk stops once every match has its date: a
    search that matches few articles must not read the postings of every date."""
    reader = s.reader()
    rows: list[tuple[float, str, int]] = []
    articles: set[str] = set()
    dated: set[int] = set()
    for date in dates:
        if len(articles) >= limit:
            return rows
        if len(dated) == len(scores):
            break  # every match placed: no date left can add one
        # Dates are on articles' own documents: a match is dated by its article's.
        docs = [d for a in reader.postings("date", date).all_ids()
                for d in runs.run(a) if d in scores]
        dated.update(docs)
        day = sorted(((scores[d], col[d], d) for d in docs), key=lambda r: (r[1], r[2]))
        rows += day
        articles.update(r[1] for r in day)
    rows += sorted(((scores[d], col[d], d) for d in scores.keys() - dated),
                   key=lambda r: (r[1], r[2]))
    return rows
