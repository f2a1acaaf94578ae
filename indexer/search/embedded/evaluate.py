"""Term-at-a-time evaluation of a compiled query: the top k documents and their scores.

Whoosh walks a query as a tree of matchers, one document at a time: for every
document that any term matches, each node of the tree answers ``is_active``,
``id``, ``score`` and ``next`` in Python. Over all 36,152 OrangeSum articles
that was four fifths of a search (cProfile: ``collect_matches`` 34 of 50 s for
200 title-word queries), about 25 µs per matching document.

Here each term's postings are read a block at a time and scored in one loop,
and the boolean structure combines per-document score dictionaries: an ``Or``
adds them, an ``And`` or a :class:`~indexer.search.embedded.maybe.Maybe` reads its other
sides only where its first side matched (skipping whole blocks by their last
document number), a filter (a constant-score query) reads document numbers
only. The scores are Whoosh's BM25F scores, computed by the same formula in the
same order of operations, so the ranking is the same; documents of equal score
are ordered by document number, as Whoosh's top-k collector orders them. A prefix
scores its boost, as Whoosh means it to (its own matcher scored by BM25 or not at
all after the segment's size). Query kinds this module does not know are answered
by Whoosh's own matchers, on the documents that the rest of the query allows.

A filter on the article-level fields (:data:`~indexer.store.schema.ARTICLE_FIELDS`) is
read on the articles' documents, which alone hold them, and stands for each matching
article's run of documents: its own and its passages', up to the next article's.

:func:`best_documents` gives the same k best while leaving unscored the documents that
cannot reach them (:meth:`_Segment.best`); :func:`top_documents` scores every match.
"""

from __future__ import annotations

import heapq
import math
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterator, Sequence
from functools import lru_cache
from itertools import compress
from typing import TYPE_CHECKING, Any, NamedTuple

from whoosh import query as wq
from whoosh.query.wrappers import ConstantScoreQuery
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

from ...store.reading import field_lengths, lookup, per_reader, schema_field, term_info
from ..weights import BM25_B, BM25_K1, in_order, term_idf
from .maybe import Maybe
from .narrow import allowed, narrowed, on_articles

if TYPE_CHECKING:
    from .whole import Joined

Scores = dict[int, float]


def weighting() -> Any:
    """Whoosh's BM25F with the parameters the relevance benchmark chose, its IDF
    counted over passages and raised to IDF_POWER (:mod:`indexer.search.weights`)."""
    from whoosh import scoring

    class Weighting(scoring.BM25F):
        # Counted over passages only: article documents hold no text.
        def idf(self, searcher: Any, fieldname: str, text: str) -> float:
            parent = searcher.get_parent()
            return term_idf(parent.doc_frequency(fieldname, text),
                            parent.doc_frequency("kind", "p"))

    return Weighting(B=BM25_B, K1=BM25_K1)


TIED_MAX = 4
"""With a tiebreak, documents tied at the cut all become candidates up to this many
times ``k``: on the boilerplate that OrangeSum's car news share (``actualité
automobile, infos, scoop``), which tied documents were kept changed the first hit."""


def top_documents(searcher: Any, q: wq.Query, k: int,
                  tiebreak: Callable[[int], Any] | None = None
                  ) -> tuple[list[tuple[float, int]], list[int]]:
    """The ``k`` best ``(score, docnum)`` of ``q``, best first, and every matching
    document (unordered): a search's totals are counted from them, not searched again.

    Documents tied at the ``k``-th score go in by document number. Numbers follow the
    order in which the index was written and merged, so a search that must not depend
    on it passes ``tiebreak``: then every tied document goes in, up to ``TIED_MAX * k``
    documents in all, and past that the first by ``tiebreak(docnum)``.
    """
    rows = [(-score, docnum + offset) for offset, scores, deleted in _segment_scores(searcher, q)
            for docnum, score in scores.items() if docnum not in deleted]
    return keep_best(rows, k, tiebreak), [docnum for _, docnum in rows]


def best_documents(searcher: Any, q: wq.Query, k: int,
                   tiebreak: Callable[[int], Any] | None = None, whole: bool = False
                   ) -> tuple[list[tuple[float, int]], list[int] | None]:
    """:func:`top_documents`, with the documents that cannot reach the ``k`` best left
    unscored where the query's shape allows (see :meth:`_Segment.best`): the same ``k``
    best, ties at the cut included, and every matching document only when none was left
    out (else ``None``). ``whole``: long posting lists are read whole, from the
    process's arrays (:mod:`indexer.store.arrays`), as a pasted text's search reads them,
    and the version's segments are read as one (:class:`~indexer.search.embedded.whole.Joined`)."""
    if whole:
        joined = _joined_best(searcher, q, k)
        if joined is not None:
            scores, complete, deleted = joined
            kept = [(-score, docnum) for docnum, score in scores.items()
                    if docnum not in deleted]
            return keep_best(kept, k, tiebreak), [d for _, d in kept] if complete else None
    rows: list[tuple[float, int]] = []
    complete = True
    for sub, offset in searcher.leaf_searchers():
        segment = _Segment(searcher, sub, whole)
        scores, scored_all = segment.best(q, k)
        complete = complete and scored_all
        deleted = segment.deleted
        rows += [(-score, docnum + offset) for docnum, score in scores.items()
                 if docnum not in deleted]
    return keep_best(rows, k, tiebreak), [d for _, d in rows] if complete else None


def _joined_best(searcher: Any, q: wq.Query, k: int
                 ) -> tuple[Scores, bool, Collection[int]] | None:
    """:meth:`_Segment.best` over arrays with the version's segments read as one
    (:class:`indexer.search.embedded.whole.Joined`), and the version's deleted
    documents; None for a shape that :meth:`_Segment.best` does not split, once its
    filters and excluded words are set apart (:mod:`.narrow`)."""
    from .whole import best as best_over_arrays

    q, keep, drop = narrowed(q)
    if _Segment._groups(q) is None:
        return None
    joined = joined_version(searcher)
    planned = _plan(q, joined.term_bound)
    if planned is None:
        return None
    scores, complete = best_over_arrays(joined, *planned, k, SLACK,
                                        allowed(searcher, joined, keep, drop))
    return scores, complete, joined.deleted


def bound(q: wq.Query, term_bound: Callable[[str, Any], float]) -> float:
    """The most ``q`` adds to any document's score (``inf`` when not known), given the
    most each term scores, ``term_bound(fieldname, text)``."""
    if isinstance(q, wq.Term):
        return term_bound(q.fieldname, q.text) * q.boost
    if _plain_or(q) or isinstance(q, wq.And):
        total = sum(bound(sub, term_bound) for sub in q.subqueries)
        return total * q.boost if q.boost != 1.0 and len(q.subqueries) > 1 else total
    if isinstance(q, Maybe):
        return bound(q.a, term_bound) + bound(q.b, term_bound)
    if isinstance(q, ConstantScoreQuery):
        return q.score
    if isinstance(q, type(wq.NullQuery)):
        return 0.0
    if isinstance(q, wq.Prefix):
        return q.boost
    return math.inf  # phrases, and what Whoosh scores itself


class Plan(NamedTuple):
    """How MaxScore reads a query split into parts (:meth:`_Segment.best`)."""

    groups: int
    """How many groups of parts (:meth:`_Segment._groups`)."""
    subs: list[tuple[int, wq.Query]]
    """Each part, with its group."""
    bounds: list[float]
    """The most each part adds to a score."""
    adds: list[bool]
    """Whether each part finds documents (else it only scores those found)."""
    order: list[int]
    """The reading order: the parts that find documents first, then by bound, largest first."""
    left: list[float]
    """``left[n]``: what the parts from ``order[n]`` on can add."""


def joined_version(searcher: Any) -> Joined:
    """The version's segments read as one (:class:`indexer.search.embedded.whole.Joined`),
    as a pasted text's search reads them."""
    from .whole import Joined

    return Joined(searcher, [(_Segment(searcher, sub, True), offset)
                             for sub, offset in searcher.leaf_searchers()])


def joined_scores(joined: Joined, q: wq.Query, docs: list[int]) -> Scores:
    """Those of ``docs`` that ``q`` matches, with the scores the search over ``joined``
    gives them (:func:`best_documents` with ``whole``), made as it makes them."""
    from .whole import scores_of

    split = _split(q)
    if split is None:  # a shape MaxScore does not split: scored as the search scores it
        return joined.scores(q, dict.fromkeys(docs, 0.0))
    return scores_of(joined, *split, sorted(docs))


def _split(q: wq.Query) -> tuple[int, list[tuple[int, wq.Query]], list[bool]] | None:
    """``q``'s groups (:meth:`_Segment._groups`) as their count, each part with its group,
    and whether each part finds documents; None for a shape that is not split."""
    groups = _Segment._groups(q)
    if groups is None:
        return None
    subs = [(g, sub) for g, (members, _) in enumerate(groups) for sub in members]
    return len(groups), subs, [groups[g][1] for g, _ in subs]


def _plan(q: wq.Query, term_bound: Callable[[str, Any], float]) -> Plan | None:
    """``q``'s :class:`Plan` given the most each term scores (see :func:`bound`), or
    None for a shape :meth:`_Segment.best` does not split, or one no bound holds for."""
    split = _split(q)
    if split is None:
        return None
    groups, subs, adds = split
    bounds = [bound(sub, term_bound) for _, sub in subs]
    if not all(b >= 0 for b in bounds):  # a negative boost, or NaN: no bound holds
        return None
    order = sorted(range(len(bounds)), key=lambda i: (not adds[i], -bounds[i], i))
    left = [0.0] * (len(order) + 1)
    for n in range(len(order) - 1, -1, -1):
        left[n] = left[n + 1] + bounds[order[n]]
    return Plan(groups, subs, bounds, adds, order, left)


ARRAY_MIN_POSTINGS = 384
"""With ``whole``, :func:`_read` still reads lists shorter than this (three blocks) block
by block: for a few documents, decoding them whole saves little. MaxScore over arrays
(:mod:`indexer.search.embedded.whole`) reads every list whole, short ones too
(:meth:`_Segment.every_posting`), and keeps it scored rather than in the arrays."""

SLACK = 1e-6
"""Relative room left when a document's score bound is compared with the k-th best score:
bounds are summed in another order than scores, and float32 weights round."""


def keep_best(rows: list[tuple[float, int]], k: int,
              tiebreak: Callable[[int], Any] | None = None) -> list[tuple[float, int]]:
    """The ``k`` best of ``rows``, ``(-score, doc)``, as ``(score, doc)``, best first,
    ties at the cut kept as :func:`top_documents` says."""
    best = heapq.nsmallest(k + 1, rows)
    if tiebreak is not None and len(best) > k and best[k][0] == best[k - 1][0]:
        cut = best[k - 1][0]
        best = [r for r in best if r[0] < cut]
        tied = [r for r in rows if r[0] == cut]
        if len(best) + len(tied) > TIED_MAX * k:
            tied = sorted(tied, key=lambda r: tiebreak(r[1]))[:k - len(best)]
        best += sorted(tied)
    else:
        del best[k:]
    return [(-negated, doc) for negated, doc in best]


def document_scores(searcher: Any, q: wq.Query) -> dict[int, float]:
    """Every live document of ``q`` with its score, in no order."""
    return {docnum + offset: score for offset, scores, deleted in _segment_scores(searcher, q)
            for docnum, score in scores.items() if docnum not in deleted}


def matching_documents(searcher: Any, q: wq.Query, limit: int | None = None) -> list[int]:
    """The live documents of ``q`` in order, unscored: the first ``limit`` (all when
    ``None``), reading no segment past the one that reaches it."""
    out: list[int] = []
    for sub, offset in searcher.leaf_searchers():
        segment = _Segment(searcher, sub)
        deleted = segment.deleted
        out += [d + offset for d in sorted(segment.docs(q)) if d not in deleted]
        if limit is not None and len(out) >= limit:
            return out[:limit]
    return out


def _segment_scores(searcher: Any, q: wq.Query
                    ) -> Iterator[tuple[int, Scores, Collection[int]]]:
    """Each segment's first document number, every match of ``q`` scored, and its
    deleted documents (a generator per segment, not per document: this loop is a
    search's hottest)."""
    for sub, offset in searcher.leaf_searchers():
        segment = _Segment(searcher, sub)
        yield offset, segment.scores(q), segment.deleted


class _Segment:
    """One segment's postings, read for one query."""

    def __init__(self, parent: Any, searcher: Any, whole: bool = False) -> None:
        self.parent = parent
        self.whole = whole  # long posting lists read whole: see best_documents
        self.searcher = searcher
        self.reader = searcher.reader()
        # Gathered once per version, not per search: a pasted news lede's search sets up
        # each segment two to four times (its MaxScore, its leads, their passages).
        self.deleted: Collection[int] = per_reader(self.reader, "_depeches_deleted_set", lambda: (
            frozenset(self.reader._perdoc.deleted_docs()) if self.reader.has_deletions() else ()))
        self.size: int = self.reader.doc_count_all()
        weighting = parent.weighting
        self.bm25 = isinstance(weighting, BM25F)
        self.weighting = weighting
        # A field's average length holds for the whole version: summed over its segments
        # once, not for each term of each segment (hundreds of times a pasted text's search).
        self.shapes: dict[str, tuple[float, float, float]] = per_reader(
            parent, "_depeches_shapes", dict)

    def starts(self) -> array[int]:
        """Where each article's run of documents starts (:func:`article_starts`)."""
        return article_starts(self.reader)

    # -- the best k --------------------------------------------------------
    def best(self, q: wq.Query, k: int) -> tuple[Scores, bool]:
        """The scores of ``q``'s documents that may be among its ``k`` best (all of them,
        ties at the k-th score included, with the scores :meth:`scores` gives), and
        whether every matching document is there.

        A query of optional parts (an ``Or``, or a :class:`Maybe` of two) is read part by
        part, the part that can add most to a score first: once the parts left could not
        lift a document that none has matched above the k-th best score so far, they are
        read only for the documents that may still reach it (MaxScore, Turtle and Flood
        1995, term at a time). A long query's common words then skip most of their
        posting blocks. Other shapes are scored whole. A pasted text's search runs the
        same reading over numpy arrays, its segments read as one (:func:`_joined_best`).
        """
        planned = _plan(q, self._term_bound)
        if planned is None:
            return self.scores(q), True
        groups, subs, bounds, adds, order, left = planned
        parts: list[Scores] = [{}] * len(subs)
        found: Scores = {}  # partial sums, in reading order: lower bounds of the scores
        alive: Scores | None = None  # once pruning starts: the documents that may make it
        kth, since = 0.0, 0.0  # the k-th best partial sum when last counted, and what
        # the parts read since then could have added to it
        for n, i in enumerate(order):
            rest = left[n]
            if alive is None and rest < kth + since and len(found) >= k:
                kth, since = self._kth(found, k), 0.0
            if alive is None and rest < kth * (1 - SLACK):
                alive = {d: s for d, s in found.items() if s + rest >= kth * (1 - SLACK)}
            within = alive if alive is not None else (None if adds[i] else found)
            part = parts[i] = self.scores(subs[i][1], within) if within is None or within \
                else {}
            into = alive if alive is not None else found
            get = into.get
            for docnum, score in part.items():
                into[docnum] = get(docnum, 0.0) + score
            since += bounds[i]
            if alive is not None and len(alive) > k:
                kth = max(kth, self._kth(alive, k))
                floor = kth * (1 - SLACK) - left[n + 1]
                alive = {d: s for d, s in alive.items() if s >= floor}
        if alive is not None:  # the parts of the documents kept only
            parts = [_restricted(part, alive) for part in parts]
        # The scores again, added in the query's order, as scores() adds them.
        return _totals(groups, subs, parts), alive is None

    def _kth(self, found: Scores, k: int) -> float:
        deleted = self.deleted
        values = found.values() if not deleted else \
            [s for d, s in found.items() if d not in deleted]
        best = heapq.nlargest(k, values)
        return best[-1] if len(best) >= k else 0.0

    @staticmethod
    def _groups(q: wq.Query) -> list[tuple[list[wq.Query], bool]] | None:
        """``q`` as groups of parts whose scores add up, each group saying whether its
        parts find documents (else they only score those the first group found); None
        for a shape :meth:`best` does not split."""
        def members(x: wq.Query) -> list[wq.Query]:
            # An Or's boost applies to its sum (_boosted): such an Or stays whole.
            if _plain_or(x) and (x.boost == 1.0 or len(x.subqueries) < 2):
                return list(x.subqueries)
            return [x]

        if isinstance(q, Maybe):
            return [(members(q.a), True), (members(q.b), False)]
        if isinstance(q, wq.Or) and len(members(q)) > 1:
            return [(members(q), True)]
        return None

    def _term_bound(self, fieldname: str, text: Any) -> float:
        """A term's score for its largest weight in its shortest document: BM25 grows
        with a term's frequency and falls with the document's length."""
        held = term_info(self.reader, fieldname, text)
        if held is None:
            return 0.0
        tbytes, _, tf, shortest, _ = held
        bm25 = self.term_bm25(self.reader.schema[fieldname], fieldname, tbytes)
        if bm25 is None:
            return float(tf)
        idf, k1_1, norms = bm25
        return idf * ((tf * k1_1) / (tf + norms[shortest]))

    def term_bm25(self, field: Any, fieldname: str, tbytes: bytes
                  ) -> tuple[float, float, dict[int, float]] | None:
        """A term's IDF, BM25's ``k1 + 1`` and its length part by length (:func:`_norms`),
        or None when the field is scored by its weights alone."""
        if not (self.bm25 and field.scorable):
            return None
        shape = self.shape(fieldname)  # the searcher keeps IDFs, _norms its tables
        return self.parent.idf(fieldname, tbytes), shape[0] + 1, _norms(*shape)

    def shape(self, fieldname: str) -> tuple[float, float, float]:
        """BM25's ``k1``, ``b`` and average length of a field, which :func:`_norms` and
        :meth:`indexer.search.embedded.whole.Joined.norms` make its length part from."""
        found = self.shapes.get(fieldname)
        if found is None:
            w = self.weighting
            found = self.shapes[fieldname] = (w.K1, w._field_B.get(fieldname, w.B),
                                              self.parent.avg_field_length(fieldname) or 1)
        return found

    def every_posting(self, postings: Any) -> tuple[Any, Any]:
        """A posting list's ids and weights, every one, deleted documents included,
        decoded and not kept: MaxScore over arrays keeps each term it reads, scored
        (:class:`indexer.search.embedded.whole.ReadTerms`). Arrays from the codec's
        blocks, lists from a list inlined in the term dictionary."""
        if hasattr(postings, "_read_ids"):
            from ...store import arrays  # numpy: only MaxScore over arrays asks

            return arrays.decode(postings)
        return _read_list(postings, None, weights=True)

    # -- scored ------------------------------------------------------------
    def scores(self, q: wq.Query, within: Scores | None = None) -> Scores:
        """Every document of ``q`` (of ``within`` only, when given) with its score."""
        if isinstance(q, wq.Term):
            return self.term(q.fieldname, q.text, q.boost, within)
        if _plain_or(q):
            return self._boosted(q, self._or(q.subqueries, within))
        if isinstance(q, wq.And):
            return self._boosted(q, self._and(q.subqueries, within))
        if isinstance(q, Maybe):
            found = self.scores(q.a, within)
            if found:
                for docnum, score in self.scores(q.b, found).items():
                    found[docnum] += score
            return found
        if isinstance(q, wq.AndNot):
            found = self.scores(q.a, within)
            if found:
                for docnum in self.docs(q.b, found):
                    del found[docnum]
            return found
        if isinstance(q, ConstantScoreQuery):
            value = q.score
            return dict.fromkeys(self.docs(q.child, within), value)
        if isinstance(q, type(wq.NullQuery)):
            return {}
        if isinstance(q, wq.Prefix):
            # Every match scores the boost, as Whoosh means a prefix to (constantscore)
            # and as Lucene scores one. Whoosh's own matcher scored one word alone by
            # BM25 and several by BM25 or not at all, after the segment's size.
            return dict.fromkeys(self.docs(q, within), q.boost)
        if isinstance(q, (wq.Phrase, wq.Sequence)):
            phrase = self._phrase(q, within)
            if phrase is not None:
                return phrase
        return self._whoosh(q, within)

    def _phrase(self, q: wq.Query, within: Scores | None) -> Scores | None:
        """A phrase or sequence: each word's score where the words stand in order, each
        at most ``slop`` positions after the one before (Whoosh's ``SpanNear2``)."""
        shape = self.phrase_shape(q)
        if shape is None:
            return None
        field, words, slop, boosted = shape
        # The documents holding every word, read in order of rarity.
        order = sorted(range(len(words)), key=lambda i: self.estimate(words[i]))
        parts: list[Scores] = [{}] * len(words)
        found = within
        for i in order:
            parts[i] = self.scores(words[i], found)
            found = parts[i]
            if not found:
                return {}
        docs = sorted(parts[order[-1]])  # the documents holding every word
        positions = [self.positions(field, w, docs) for w in words]
        out: Scores = {}
        for docnum in docs:
            if in_order([spots.get(docnum, ()) for spots in positions], slop):
                score = sum(part[docnum] for part in parts)
                out[docnum] = score * q.boost if boosted else score
        return out

    def phrase_shape(self, q: wq.Phrase | wq.Sequence
                     ) -> tuple[Any, list[wq.Query], int, bool] | None:
        """A phrase's or sequence's field, words (terms, or ``Or`` of terms), slop and
        whether its boost applies; None when it is none that :meth:`_phrase` reads
        (Whoosh's matchers do)."""
        if isinstance(q, wq.Phrase):
            fieldname, slop = q.fieldname, q.slop
            words: list[wq.Query] = [wq.Term(fieldname, w) for w in q.words]
            boosted = q.boost != 1.0
        else:
            if not q.ordered or not q.subqueries:
                return None
            words = list(q.subqueries)
            terms = [t for w in words for t in ([w] if isinstance(w, wq.Term) else
                                                getattr(w, "subqueries", [None]))]
            if not all(isinstance(t, wq.Term) and t.boost == 1.0 for t in terms) \
                    or len({t.fieldname for t in terms}) != 1:
                return None
            fieldname, slop = terms[0].fieldname, q.slop
            boosted = q.boost != 1.0 and len(words) > 1
        field = schema_field(self.searcher.schema, fieldname)
        if field is None or not field.format.supports("positions") or len(words) < 2:
            return None
        return field, words, slop, boosted

    def positions(self, field: Any, word: wq.Query, docs: list[int]) -> dict[int, set[int]]:
        """The positions of a word (a term, or any of an Or's terms) in each of ``docs``."""
        terms = [word] if isinstance(word, wq.Term) else word.subqueries
        wanted = set(docs)
        out: dict[int, set[int]] = {}
        decode = field.format.decode_positions
        for term in terms:
            found = lookup(self.reader, term.fieldname, term.text)
            if found is None:
                continue
            for docnum, value in _read_values(found[2], docs, wanted):
                out.setdefault(docnum, set()).update(decode(value))
        return out

    @staticmethod
    def _boosted(q: wq.Query, found: Scores) -> Scores:
        # As Whoosh: a compound query's boost applies when it has several parts.
        if q.boost != 1.0 and len(q.subqueries) > 1:
            boost = q.boost
            return {docnum: score * boost for docnum, score in found.items()}
        return found

    def _or(self, subs: list[wq.Query], within: Scores | None) -> Scores:
        found: Scores = {}
        for sub in subs:
            part = self.scores(sub, within)
            if not found:
                found = part
                continue
            get = found.get
            for docnum, score in part.items():
                before = get(docnum)
                found[docnum] = score if before is None else before + score
        return found

    def _and(self, subs: list[wq.Query], within: Scores | None) -> Scores:
        if not subs:
            return {}
        # The rarest part first: the others are read only where it matched.
        ordered = sorted(subs, key=self._size)
        found = self.scores(ordered[0], within)
        for sub in ordered[1:]:
            if not found:
                break
            part = self.scores(sub, found)
            found = {docnum: score + part[docnum] for docnum, score in found.items()
                     if docnum in part}
        return found

    def term(self, fieldname: str, text: Any, boost: float, within: Scores | None) -> Scores:
        """BM25F scores of one term's documents, as Whoosh's scorer computes them."""
        found = lookup(self.reader, fieldname, text)
        if found is None:
            return {}
        field, tbytes, postings = found
        if fieldname == "kind" and text == "p":
            return self._passage_scores(field, tbytes, boost, within)
        ids, weights = _read(postings, within, weights=True, whole=self.whole)
        if not ids:
            return {}
        bm25 = self.term_bm25(field, fieldname, tbytes)
        if bm25 is not None:
            idf, k1_1, norms = bm25
            lengths = field_lengths(self.reader._perdoc, fieldname)
            # Whoosh's whoosh.scoring.bm25, operation for operation, the length part
            # looked up (see _norms).
            scores = [idf * ((tf * k1_1) / (tf + norms[lengths[d]]))
                      for d, tf in zip(ids, weights, strict=True)]
        else:  # Whoosh's WeightScorer: the weight itself
            scores = [float(w) for w in weights]
        if boost != 1.0:
            scores = [s * boost for s in scores]
        return dict(zip(ids, scores, strict=True))

    def _whoosh(self, q: wq.Query, within: Scores | None) -> Scores:
        """Whoosh's own matcher, for the query kinds this module does not evaluate."""
        m = q.matcher(self.searcher, self.parent.context())
        found: Scores = {}
        if within is None:
            while m.is_active():
                found[m.id()] = m.score()
                m.next()
            return found
        for docnum in sorted(within):
            if not m.is_active():
                break
            if m.id() < docnum:
                m.skip_to(docnum)
                if not m.is_active():
                    break
            if m.id() == docnum:
                found[docnum] = m.score()
        return found

    # -- unscored ----------------------------------------------------------
    def docs(self, q: wq.Query, within: Collection[int] | None = None,
             articles: bool = False) -> set[int]:
        """The documents of ``q`` (of ``within`` only, when given), without scores;
        ``articles`` when ``q`` and ``within`` are read on articles' documents alone."""
        if not articles and on_articles(q):
            return self._article_runs(q, within)
        if isinstance(q, wq.Term):
            entry = lookup(self.reader, q.fieldname, q.text)
            return set() if entry is None else set(_read(entry[2], within, whole=self.whole)[0])
        if isinstance(q, wq.Or) and not q.minmatch:
            out: set[int] = set()
            for sub in q.subqueries:
                out |= self.docs(sub, within, articles)
            return out
        if isinstance(q, wq.And):
            if not q.subqueries:
                return set()
            ordered = sorted(q.subqueries, key=self._size)
            found = self.docs(ordered[0], within, articles)
            for sub in ordered[1:]:
                if not found:
                    break
                found &= self.docs(sub, found, articles)
            return found
        if isinstance(q, ConstantScoreQuery):
            return self.docs(q.child, within, articles)
        if isinstance(q, Maybe):
            return self.docs(q.a, within, articles)
        if isinstance(q, wq.AndNot):
            found = self.docs(q.a, within, articles)
            return found - self.docs(q.b, found, articles) if found else found
        if isinstance(q, type(wq.NullQuery)):
            return set()
        if isinstance(q, wq.Prefix):
            words = self.reader.expand_prefix(q.fieldname, q.text)
            return self.docs(wq.Or([wq.Term(q.fieldname, w) for w in words]), within, articles)
        restrict = None if within is None else dict.fromkeys(within, 0.0)
        return set(self.scores(q, restrict))

    # -- article-level filters ---------------------------------------------
    def _article_runs(self, q: wq.Query, within: Collection[int] | None) -> set[int]:
        """The documents of the articles whose own documents ``q`` matches (of
        ``within`` only, when given): each article's, and its passages'."""
        starts = article_starts(self.reader)
        if within is None:
            out: set[int] = set()
            last = self.reader.doc_count_all()
            for a in self.docs(q, None, articles=True):
                out.update(_run(starts, a, last))
            return out
        owner = {d: starts[bisect_right(starts, d) - 1] for d in within}
        held = self.docs(q, set(owner.values()), articles=True)
        return {d for d, a in owner.items() if a in held}

    def _passage_scores(self, field: Any, tbytes: bytes, boost: float,
                        within: Scores | None) -> Scores:
        """:meth:`term`'s scores for ``kind:p``, every passage, which listings and filters
        alone ask for: the documents between article starts, without reading a posting
        list that holds nearly every document. A passage holds the term once, so its
        score depends on its field length alone, computed as :meth:`term` computes it."""
        ids = self._passages(within)
        bm25 = self.term_bm25(field, "kind", tbytes)
        if bm25 is None:
            return dict.fromkeys(ids, 1.0 * boost)
        idf, k1_1, norms = bm25
        by_length = {length: idf * ((1 * k1_1) / (1 + norm)) for length, norm in norms.items()}
        if boost != 1.0:
            by_length = {length: score * boost for length, score in by_length.items()}
        lengths = field_lengths(self.reader._perdoc, "kind")
        return {d: by_length[lengths[d]] for d in ids}

    def _passages(self, within: Collection[int] | None) -> list[int]:
        """The passages' documents (of ``within`` only, when given), in order."""
        starts = article_starts(self.reader)
        if within is None:
            ends = [*starts[1:], self.reader.doc_count_all()]
            return [d for a, end in zip(starts, ends, strict=True) for d in range(a + 1, end)]
        articles = _start_set(self.reader)
        return sorted(d for d in within if d not in articles)

    def _size(self, q: wq.Query) -> float:
        """How many documents ``q`` may match, to read the rarest part of an ``And``
        first: an article-level filter's terms count articles, each a run of documents."""
        size = self.estimate(q)
        if on_articles(q):  # checked first: a text query's first term answers it
            starts = article_starts(self.reader)
            size *= self.reader.doc_count_all() / max(1, len(starts))
        return size

    def estimate(self, q: wq.Query) -> int:
        """``q.estimate_size(reader)``, Whoosh's own number, with each term's document
        frequency from :func:`term_info`: Whoosh asked every term's through its reader,
        encoding the word twice and raising for each one missing, a sixth of a
        date-filtered search (a 90-day range is an ``Or`` of 90 days)."""
        how = type(q).estimate_size
        if how is _TERM_SIZE:
            held = term_info(self.reader, q.fieldname, q.text)
            return 0 if held is None else held[1]
        if how is _SUM_SIZE:  # Or, AndNot: the parts' sum, at most the segment's size
            return min(sum(self.estimate(sub) for sub in q.subqueries), self.reader.doc_count())
        if how is _MIN_SIZE:  # And
            return min(self.estimate(sub) for sub in q.subqueries)
        if how is _CHILD_SIZE:  # a wrapper: its child's
            return self.estimate(q.child)
        if how is _MAYBE_SIZE:
            a = self.estimate(q.a)
            return min(a + min(a, self.estimate(q.b)), self.reader.doc_count())
        return int(q.estimate_size(self.reader))


def article_starts(reader: Any) -> array[int]:
    """A segment's article documents, deleted ones included, read once per reader:
    where each article's run of documents starts (its own, then its passages').

    An array, not a list: the collector never walks it (a list of every article's
    start was a tenth of what each full collection walked)."""
    def read() -> array[int]:
        found = lookup(reader, "kind", "a")
        return array("I", [] if found is None else _read(found[2], None)[0])
    return per_reader(reader, "_depeches_starts", read)


def _start_set(reader: Any) -> frozenset[int]:
    """:func:`article_starts` as a set, made once per reader."""
    return per_reader(reader, "_depeches_start_set",
                       lambda: frozenset(article_starts(reader)))


def _run(starts: Sequence[int], article: int, last: int) -> range:
    """The documents of the article whose own document is ``article``: up to the next
    article's, or to ``last``."""
    after = bisect_right(starts, article)
    return range(article, starts[after] if after < len(starts) else last)


class ArticleRuns:
    """Each article's run of documents, over a searcher's segments, by index-wide
    document numbers."""

    def __init__(self, searcher: Any) -> None:
        self.starts = array("q", [a + offset for sub, offset in searcher.leaf_searchers()
                                  for a in article_starts(sub.reader())])
        self.last = searcher.doc_count_all()

    def run(self, article: int) -> range:
        """The documents of the article whose own document is ``article``."""
        return _run(self.starts, article, self.last)


# Whoosh's estimate_size methods that _Segment.estimate answers itself.
_TERM_SIZE = wq.Term.estimate_size
_SUM_SIZE = wq.CompoundQuery.estimate_size
_MIN_SIZE = wq.And.estimate_size
_CHILD_SIZE = wq.WrappingQuery.estimate_size
_MAYBE_SIZE = Maybe.estimate_size


def _restricted(part: Scores, kept: Scores) -> Scores:
    """``part``'s scores of the documents in ``kept``, walking the smaller of the two."""
    if len(part) <= len(kept):
        return {docnum: score for docnum, score in part.items() if docnum in kept}
    return {docnum: part[docnum] for docnum in kept if docnum in part}


def _totals(groups: int, subs: list[tuple[int, wq.Query]], parts: list[Scores]) -> Scores:
    """Each document's score from its parts' (``subs[i]`` is ``(group, query)``, and
    ``parts[i]`` its scores), added as :meth:`_Segment.scores` adds them: each group's
    parts in the query's order, then the groups in order."""
    sums: list[Scores] = [{} for _ in range(groups)]
    for (g, _), part in zip(subs, parts, strict=True):
        into = sums[g]
        get = into.get
        for docnum, score in part.items():
            before = get(docnum)
            into[docnum] = score if before is None else before + score
    total = sums[0]
    for more in sums[1:]:  # documents the first group found, the others only score
        for docnum, score in more.items():
            total[docnum] += score
    return total


def _plain_or(q: wq.Query) -> bool:
    """An Or whose score is its parts' sum (times its boost)."""
    return isinstance(q, wq.Or) and not q.minmatch and q.scale is None


@lru_cache(maxsize=64)
def _norms(k1: float, big_b: float, avgfl: float) -> dict[int, float]:
    """BM25's length part, ``k1 * ((1 - b) + b * length / avgfl)``, for each of the 256
    lengths that Whoosh's one-byte field lengths decode to, computed as Whoosh does: a
    lookup rather than four operations per posting. It depends on these numbers only."""
    return {length: k1 * ((1 - big_b) + big_b * length / avgfl)
            for length in map(byte_to_length, range(256))}


def _every_block(postings: Any) -> Iterator[None]:
    """Walk a posting list's blocks, stopping (yielding) at each."""
    while postings.is_active():
        yield
        postings._next_block()


def _blocks(postings: Any, docs: list[int]) -> Iterator[None]:
    """Walk a posting list's blocks, stopping (yielding) at each one that may hold one of
    ``docs`` (sorted); the others are skipped by their last id, their postings unread."""
    i = 0
    while postings.is_active() and i < len(docs):
        last = postings.block_max_id()
        if docs[i] <= last:
            yield
            i = bisect_right(docs, last, i)
        postings._next_block()


def _read(postings: Any, within: Collection[int] | None, weights: bool = False,
          whole: bool = False) -> tuple[list[int], list[float]]:
    """A posting list's document numbers (and weights), in order; only those in
    ``within`` when given, skipping the blocks that hold none of them unread.
    ``whole``: a long list is read from the process's arrays instead
    (:mod:`indexer.store.arrays`)."""
    if not hasattr(postings, "_read_ids"):  # a short list, inlined in the term dictionary
        return _read_list(postings, within, weights)
    if whole and postings.count >= ARRAY_MIN_POSTINGS:
        from ...store import arrays  # numpy: not for a typed search (see the module)

        return arrays.read(postings, within, weights)
    if within is None:
        return postings.every(weights)  # postings._Matcher: the codec's, in every index
    ids: list[int] = []
    out_weights: list[float] = []
    frequencies = postings.frequencies
    keep = within.__contains__
    if len(within) > postings.count:
        # More candidates than postings (an exact form within its stem's documents):
        # reading every block costs less than sorting the candidates to skip some.
        walk = _every_block(postings)
    else:
        walk = _blocks(postings, sorted(within))
    for _ in walk:
        postings._read_ids()
        block = postings._ids
        kept = list(map(keep, block))
        ids.extend(compress(block, kept))
        if weights:
            out_weights.extend(compress(frequencies(), kept))
    return ids, out_weights


def _read_list(postings: Any, within: Collection[int] | None, weights: bool
               ) -> tuple[list[int], list[float]]:
    ids: list[int] = []
    out_weights: list[float] = []
    while postings.is_active():
        docnum = postings.id()
        if within is None or docnum in within:
            ids.append(docnum)
            if weights:
                out_weights.append(postings.weight())
        postings.next()
    return ids, out_weights


class Split:
    """Sorted, index-wide document numbers split by segment once, for reading many
    terms' postings of them (:func:`term_values`, :func:`term_frequencies`): a pasted
    text's candidates were split again for each of its hundred-odd terms."""

    def __init__(self, searcher: Any, docs: list[int], whole: bool = False) -> None:
        self.whole = whole
        self.parts = list(_segments(searcher, docs))
        """Per segment that holds some of the documents: its reader, first document
        number, those documents numbered within it, and the same as a set."""
        self.arrays: list[Any] = []
        """With ``whole``, the same local numbers as int32 arrays, as the lists' arrays hold ids."""
        self.every: Any = None
        """With ``whole``, all the documents, as an int64 array of the version's numbers."""
        self.read: Any = None
        """With ``whole``, the terms a pasted text's search has read over the whole version
        (:class:`indexer.search.embedded.whole.ReadTerms`)."""
        if whole:
            import numpy as np  # as _read says: not for a typed search

            self.arrays = [np.array(local, dtype=np.int32) for _, _, local, _ in self.parts]
            self.every = np.array(docs, dtype=np.int64)
            from .whole import read_terms

            self.read = read_terms(searcher)

    def joined(self, fieldname: str, text: str) -> tuple[Any, Any, Any] | None:
        """With ``whole``, a term's documents, weights and scores over the whole version
        when the version's search read it so (:class:`indexer.search.embedded.whole.Joined`);
        else None."""
        return self.read.get(fieldname, text) if self.read is not None else None


def term_values(fieldname: str, text: str, docs: Split) -> list[tuple[int, bytes | None]]:
    """``(docnum, value)`` of a term's postings for each of ``docs`` that holds it;
    deleted documents are never among ``docs``. Only a typed search reads positions (see
    :data:`indexer.search.weights.PROXIMITY`): its few candidates' blocks alone."""
    out: list[tuple[int, bytes | None]] = []
    for reader, offset, local, wanted in docs.parts:
        found = lookup(reader, fieldname, text)
        if found is not None:
            out.extend((d + offset, v) for d, v in _read_values(found[2], local, wanted))
    return out


def term_frequencies(fieldname: str, text: str, docs: Split) -> list[tuple[int, int]]:
    """``(docnum, frequency)`` of a term's postings for each of ``docs``, as
    :func:`term_values`: its weights, read without its values (with ``docs.whole``: as
    :func:`_read` says, and a list the process's arrays hold is read there, whatever
    its length)."""
    out: list[tuple[int, int]] = []
    if docs.whole:
        from ...store import arrays  # numpy: as _read says

        joined = docs.joined(fieldname, text)
        if joined is not None:  # read over the whole version already
            ids, weights, _ = joined
            if not len(ids):
                return out
            at, found = arrays.find(ids, docs.every)
            return list(zip(docs.every[found].tolist(), map(int, weights[at[found]].tolist()),
                            strict=True))
    for n, (reader, offset, _, wanted) in enumerate(docs.parts):
        # A list the process's arrays hold is found from the term dictionary alone,
        # without opening it (indexer.store.arrays.held).
        held = arrays.held(reader, fieldname, text) if docs.whole else None
        if held is not None:
            ids, freqs = arrays.read_held(held[2], docs.arrays[n], weights=True)
        else:
            found = lookup(reader, fieldname, text)
            if found is None:
                continue
            ids, freqs = _read(found[2], wanted, weights=True, whole=docs.whole)
        out.extend(zip([d + offset for d in ids], map(int, freqs), strict=True))
    return out


def _segments(searcher: Any, docs: list[int]
              ) -> Iterator[tuple[Any, int, list[int], set[int]]]:
    """Per segment that holds some of ``docs`` (sorted, index-wide): its reader, its first
    document number, and those docs numbered within it, as a list and a set."""
    if not docs:
        return
    leaves = searcher.leaf_searchers()
    for n, (sub, offset) in enumerate(leaves):
        end = leaves[n + 1][1] if n + 1 < len(leaves) else None
        local = [d - offset for d in docs[bisect_left(docs, offset):
                                           None if end is None else bisect_left(docs, end)]]
        if local:
            yield sub.reader(), offset, local, set(local)


def _read_values(postings: Any, docs: list[int], wanted: Collection[int]
                 ) -> list[tuple[int, bytes | None]]:
    out: list[tuple[int, bytes | None]] = []
    if not hasattr(postings, "_read_ids"):
        while postings.is_active():
            if postings.id() in wanted:
                out.append((postings.id(), postings.value()))
            postings.next()
        return out
    keep = wanted.__contains__
    for _ in _blocks(postings, docs):
        postings._read_ids()
        block = postings._ids
        hits = list(compress(range(len(block)), map(keep, block)))
        if hits:  # only the values asked for are decoded
            out.extend(zip([block[j] for j in hits], postings.values_at(hits), strict=True))
    return out
