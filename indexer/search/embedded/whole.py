"""A pasted text's best documents in a version, from whole posting lists, in numpy.

:meth:`~indexer.search.embedded.evaluate._Segment.best` runs MaxScore over dictionaries:
each part's scores one Python dictionary, merged into the partial sums one document at
a time. A pasted lede has 20 to 50 parts of up to eight forms each, and its common
words match tens of thousands of passages: those merges, per-posting BM25 and the
k-th best sum counted with :func:`heapq.nlargest` were most of its candidates' time.
Here the same reading runs over arrays: a part's ``(ids, scores)`` sorted by id, and
the partial sums one dense array of the version's documents.

The same documents come out, with the same scores, bit for bit: each score is made by
the same float operations in the same order (numpy's element-wise ones round as
Python's do), a sum starts from 0.0 (``0.0 + x == x``), and a document a part lacks
adds 0.0 (``x + 0.0 == x``). Used only where :mod:`indexer.store.arrays` is, so that a
typed search never imports numpy.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Protocol

import numpy as np
from whoosh import query as wq

from ...store import arrays
from ...store.reading import field_lengths, lookup, per_reader
from ..weights import in_order

Scores = dict[int, float]


class Segment(Protocol):
    """What this module reads of :class:`indexer.search.embedded.evaluate._Segment`."""

    reader: Any
    deleted: Collection[int]
    size: int

    def scores(self, q: wq.Query, within: Scores | None = None) -> Scores: ...

    def term_bm25(self, field: Any, fieldname: str, tbytes: bytes
                  ) -> tuple[float, float, dict[int, float]] | None: ...

    def shape(self, fieldname: str) -> tuple[float, float, float]: ...

    def every_posting(self, postings: Any) -> tuple[Any, Any]: ...

    def phrase_shape(self, q: Any) -> tuple[Any, list[wq.Query], int, bool] | None: ...

    def estimate(self, q: wq.Query) -> int: ...

    def positions(self, field: Any, word: wq.Query, docs: list[int]
                  ) -> dict[int, set[int]]: ...

    def starts(self) -> Any: ...


Part = tuple[Any, Any]
"""A part's documents (int64, sorted) and their scores (float64)."""

_EMPTY: Part = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))
_UNHELD = (_EMPTY[0], np.zeros(0, dtype=np.float32), _EMPTY[1])
"""What :meth:`Joined.term` gives for a term no segment holds, the same empty arrays
each time: 15,091 of the 39,951 terms the 2,000 news ledes read over the segments."""

NORMS_KEPT = 16
"""Length-part arrays a version keeps (:meth:`Joined.norms`), one per field and statistics."""


def best(joined: Joined, groups: int, subs: list[tuple[int, wq.Query]],
         bounds: list[float], adds: list[bool], order: list[int], left: list[float],
         k: int, slack: float, allowed: Any = None) -> tuple[Scores, bool]:
    """``_Segment.best`` once the query is split into ``subs`` (each ``(group,
    query)``), their ``bounds``, which ``adds`` documents, the reading ``order`` and
    ``left[n]``, what the parts from ``order[n]`` on can add, over a version's segments
    read as one (:class:`Joined`); of the documents ``allowed`` (a boolean array over
    the version's documents) only, when given."""
    size = joined.size
    found = np.zeros(size, dtype=np.float64)  # partial sums, in reading order
    hit = np.zeros(size, dtype=bool)  # the documents some part that finds has found
    live = None
    if joined.deleted:
        live = np.ones(size, dtype=bool)
        live[np.fromiter(joined.deleted, dtype=np.int64)] = False
    hits = 0
    parts: list[Part] = [_EMPTY] * len(subs)
    alive: Any = None  # once pruning starts: the documents that may make it, sorted
    kth, since = 0.0, 0.0
    for n, i in enumerate(order):
        rest = left[n]
        if alive is None and rest < kth + since and hits >= k:
            kth, since = _kth(found, np.flatnonzero(hit), live, k), 0.0
        if alive is None and rest < kth * (1 - slack):
            held = np.flatnonzero(hit)
            alive = held[found[held] + rest >= kth * (1 - slack)]
        if alive is not None:
            part = _part(joined, subs[i][1], alive) if len(alive) else _EMPTY
        else:
            part = _part(joined, subs[i][1], allowed if adds[i] else hit)
        parts[i] = part
        ids, scores = part
        found[ids] += scores  # a part holds each document once
        if alive is None and adds[i]:
            hit[ids] = True
            hits = int(np.count_nonzero(hit))
        since += bounds[i]
        if alive is not None and len(alive) > k:
            kth = max(kth, _kth(found, alive, live, k))
            floor = kth * (1 - slack) - left[n + 1]
            alive = alive[found[alive] >= floor]
    docs = alive if alive is not None else np.flatnonzero(hit)
    return _added(groups, subs, parts, docs), alive is None


def _added(groups: int, subs: list[tuple[int, wq.Query]], parts: list[Part], docs: Any
           ) -> Scores:
    """``docs``' (sorted) scores from the parts' (``subs``'), added in the query's order,
    as ``_Segment.scores`` adds them: within each group, then the groups."""
    totals = [np.zeros(len(docs), dtype=np.float64) for _ in range(groups)]
    for (g, _), part in zip(subs, parts, strict=True):
        totals[g] += _at(part, docs)
    total = totals[0]
    for more in totals[1:]:
        total += more
    return dict(zip(docs.tolist(), total.tolist(), strict=True))


def scores_of(joined: Joined, groups: int, subs: list[tuple[int, wq.Query]],
              adds: list[bool], docs: list[int]) -> Scores:
    """The scores :func:`best` gives those of ``docs`` (sorted) that the query matches,
    made as it makes them: each part read within ``docs``, the documents some part that
    finds has found, their scores added in the query's order."""
    within = np.asarray(docs, dtype=np.int64)
    parts = [_part(joined, sub, within) for _, sub in subs]
    found = [part[0] for part, finds in zip(parts, adds, strict=True) if finds and len(part[0])]
    return _added(groups, subs, parts, _union(found)) if found else {}


def _kth(found: Any, docs: Any, live: Any, k: int) -> float:
    """The ``k``-th best partial sum of ``docs`` that are not deleted, or 0.0."""
    if live is not None:
        docs = docs[live[docs]]
    if len(docs) < k:
        return 0.0
    values = found[docs]
    return float(np.partition(values, len(values) - k)[len(values) - k])


def _at(part: Part, docs: Any) -> Any:
    """``part``'s scores of ``docs`` (sorted), 0.0 where it lacks one."""
    ids, scores = part
    out = np.zeros(len(docs), dtype=np.float64)
    if len(ids):
        at, held = arrays.find(ids, docs)
        out[held] = scores[at[held]]
    return out


def _part(joined: Joined, q: wq.Query, within: Any) -> Part:
    """``q``'s documents and scores, of ``within`` only when given: a boolean array
    over the version's documents, or sorted document numbers."""
    if isinstance(q, wq.Term) and not (q.fieldname == "kind" and q.text == "p"):
        return _term(joined, q, within)
    if isinstance(q, wq.Or) and not q.minmatch and q.scale is None:
        found = [p for p in (_part(joined, sub, within) for sub in q.subqueries) if len(p[0])]
        if not found:
            return _EMPTY
        ids = found[0][0] if len(found) == 1 else _union([p[0] for p in found])
        total = np.zeros(len(ids), dtype=np.float64)
        for part in found:
            total[ids.searchsorted(part[0])] += part[1]
        if q.boost != 1.0 and len(q.subqueries) > 1:  # as _Segment._boosted
            total = total * q.boost
        return ids, total
    if isinstance(q, (wq.Phrase, wq.Sequence)):
        shape = joined.phrase_shape(q)
        if shape is not None:
            return _phrase(joined, q, shape, within)
    # Anything else as _Segment.scores gives it.
    if within is not None:
        docs = np.flatnonzero(within) if within.dtype == bool else within
        within = dict.fromkeys(docs.tolist(), 0.0)
    scores = joined.scores(q, within)
    if not scores:
        return _EMPTY
    ids = np.fromiter(scores, dtype=np.int64, count=len(scores))
    values = np.fromiter(scores.values(), dtype=np.float64, count=len(scores))
    ranked = ids.argsort()
    return ids[ranked], values[ranked]


def _union(lists: list[Any]) -> Any:
    """The documents of sorted id arrays, each once, sorted. ``np.unique`` gives the
    same but counts by hashing first: on a pasted text's forms of one word (tens to
    thousands of ids) it took three to four times as long as sorting and dropping
    repeats, and it ran a dozen times per segment and query."""
    ids = np.concatenate(lists)
    ids.sort()
    return ids[run_starts(ids)]


def run_starts(ids: Any) -> Any:
    """Where each run of equal values starts in ``ids`` (sorted)."""
    first = np.empty(len(ids), dtype=bool)
    first[:1] = True
    np.not_equal(ids[1:], ids[:-1], out=first[1:])
    return np.flatnonzero(first)


def _phrase(joined: Joined, q: wq.Query, shape: tuple[Any, list[wq.Query], int, bool],
            within: Any) -> Part:
    """A phrase or sequence as ``_Segment._phrase`` scores it: its words read in order
    of rarity, each within the documents of those read before it, as arrays (the
    first within ``within``); then their positions in the documents holding them all.
    Read through the dictionaries, a phrase first made a dictionary of every document
    some part had found (thousands, for a pasted text's few quotes and compounds)."""
    field, words, slop, boosted = shape
    order = sorted(range(len(words)), key=lambda i: joined.estimate(words[i]))
    parts: list[Part] = [_EMPTY] * len(words)
    docs = within
    for i in order:
        parts[i] = _part(joined, words[i], docs)
        docs = parts[i][0]
        if not len(docs):
            return _EMPTY
    keep = joined.ordered(field, words, slop, docs)
    if not keep.any():
        return _EMPTY
    docs = docs[keep]
    total = np.zeros(len(docs), dtype=np.float64)  # summed in the words' order, from 0
    for part in parts:
        total += _at(part, docs)
    return docs, total * q.boost if boosted else total


def _term(joined: Joined, q: wq.Term, within: Any) -> Part:
    """One term's BM25F scores, as ``_Segment.term`` computes them."""
    ids, _, scores = joined.term(q.fieldname, q.text)
    if within is not None and len(ids):
        keep = _within(ids, within)
        ids, scores = ids[keep], scores[keep]
    if not len(ids):
        return _EMPTY
    return ids, scores * q.boost if q.boost != 1.0 else scores


def _within(ids: Any, within: Any) -> Any:
    """Which of ``ids`` (sorted) are in ``within``: a boolean array over the documents,
    or sorted document numbers."""
    if within.dtype == bool:
        return within[ids]
    at, held = arrays.find(ids, within)
    return at[held]


def _listed(segment: Segment, fieldname: str, text: str) -> tuple[Any, bytes, Any, Any] | None:
    """A term's field, bytes, documents (int64) and weights (float32, as the blocks hold
    them) in one segment, deleted documents included, or None when the segment does
    not hold it. Decoded, not taken from the process's arrays (:mod:`indexer.store.arrays`)
    nor put there: :class:`ReadTerms` keeps the term, scored."""
    found = lookup(segment.reader, fieldname, text)
    if found is None:
        return None
    field, tbytes, postings = found
    ids, weights = segment.every_posting(postings)
    return (field, tbytes, np.asarray(ids, dtype=np.int64),
            np.asarray(weights, dtype=np.float32))


def _scored(segment: Segment, field: Any, fieldname: str, tbytes: bytes, ids: Any, tf: Any,
            norms: Any) -> Any:
    """The BM25F scores of a term's documents ``ids`` whose weights are ``tf`` (float32),
    unboosted, in float64 as Python's floats; ``norms``: BM25's length part of each
    document the ids number (:meth:`Joined.norms`). Any of the version's segments says
    how: a term's IDF and a field's average length are the version's."""
    tf = tf.astype(np.float64)
    bm25 = segment.term_bm25(field, fieldname, tbytes)
    if bm25 is None:  # Whoosh's WeightScorer: the weight itself
        return tf
    idf, k1_1, _ = bm25
    return idf * ((tf * k1_1) / (tf + norms[ids]))


JOINED_POSTINGS = 7_400_000
"""Scored postings a version keeps for :meth:`Joined.term` (20 bytes each, with their
weights in float32: 148 MB), over every term. When full, the terms read least recently
go, down to nine tenths of it (:data:`JOINED_KEPT`).

It was 5 million (100 MB), beside the process's arrays of 8 million raw postings (64
MB) that each term read here was decoded into as well: a second copy of the same
lists, which spared a term read again only its decoding, not its lookups in every
segment nor its scoring. The 48 MB the arrays no longer hold
(:data:`indexer.store.arrays.CACHE_POSTINGS`) came here, for the same 164 MB at most:
over the 2,000 news ledes, two index copies in one process, 20–49-word p50 19.97 →
17.95 ms (mean 22.47 → 20.72); and with both caches a third of their size, as a
bigger archive would fill them, 33.80 → 30.57 ms."""

JOINED_KEPT = 0.9
"""The share of its budget that stays when a :class:`KeptArrays` is full: of
:data:`JOINED_POSTINGS` for the read terms. Down to half
of it, as it went at first, the 2,000 news ledes read 53,000 terms over the
segments again after their terms had gone, beside the 40,000 read for the first time:
the cache held between half and all of its room, and each time it filled it let go of
terms that the next ledes read. Emptied a tenth at a time, it holds nine tenths to
all of it, and a 20–49-word lede's p50 went down by about 1.7 ms (both ways in one
process). Each time it fills, it walks the least recent terms only."""


class KeptArrays:
    """Arrays a version keeps under string keys, up to a budget of entries (the length
    of a key's first array, one at least), the least recently asked going first when
    full, down to :data:`JOINED_KEPT` of the budget.

    Each column of arrays has its own dict, and no tuple is kept: keyed by tuples, or
    holding them, each new key made the collector track the dict again, and each full
    collection walked it (18,000 terms after 400 ledes; see field_cache)."""

    def __init__(self, columns: int) -> None:
        self.columns: tuple[dict[str, Any], ...] = tuple({} for _ in range(columns))
        self.size = 0  # entries held over every key

    def budget(self) -> int:
        """How many entries the arrays may hold (read at each put: a module's constant)."""
        raise NotImplementedError

    def take(self, key: str) -> tuple[Any, ...] | None:
        """The arrays kept under ``key``, now the last to go, or None."""
        first = self.columns[0]
        found = first.pop(key, None)
        if found is None:
            return None
        first[key] = found  # asked now: last to go
        return (found, *(column[key] for column in self.columns[1:]))

    def keep(self, key: str, found: tuple[Any, ...]) -> None:
        """Keep ``found`` (one array per column) under ``key``, in place of what it held."""
        held = self.columns[0].get(key)
        if held is not None:
            self.size -= _cost(held)
            for column in self.columns:
                del column[key]
        cost, budget = _cost(found[0]), self.budget()
        if self.size + cost > budget:
            keep = int(budget * JOINED_KEPT) - cost
            gone = []
            for old, first in self.columns[0].items():  # the least recently asked first
                if self.size <= keep:
                    break
                gone.append(old)
                self.size -= _cost(first)
            for old in gone:
                for column in self.columns:
                    del column[old]
        self.size += cost
        for column, array in zip(self.columns, found, strict=True):
            column[key] = array


class ReadTerms(KeptArrays):
    """The terms a version's pasted-text searches have read over all its segments
    (:meth:`Joined.term`), kept on the version's searcher: each term's documents,
    weights and unboosted scores, keyed by "field\0term", the least recently read first.

    It used to start afresh when full, like the arrays' cache: every 57 news ledes,
    after which the next ones read their common words over the four segments again
    (over 800 ledes, some 28,000 of the 50,069 terms read so). The common words are
    read by nearly every search, so a least-recently-read order keeps them.
    """

    def __init__(self) -> None:
        super().__init__(3)
        self.terms, self.weights, self.scores = self.columns  # ids in reading order first

    def budget(self) -> int:
        return JOINED_POSTINGS

    def get(self, fieldname: str, text: str) -> tuple[Any, Any, Any] | None:
        # take() for three columns, inlined: a 20–49-word lede asks 460 times.
        key = f"{fieldname}\0{text}"
        terms = self.terms
        ids = terms.pop(key, None)
        if ids is None:
            return None
        terms[key] = ids  # asked now: last to go
        return ids, self.weights[key], self.scores[key]

    def put(self, fieldname: str, text: str, found: tuple[Any, Any, Any]) -> None:
        self.keep(f"{fieldname}\0{text}", found)


PHRASE_DOCS = 2_000_000
"""Documents whose verdicts a version keeps for :meth:`Joined.ordered` (9 bytes each:
18 MB), over every phrase; when full, the phrases checked least recently go."""


class PhraseVerdicts(KeptArrays):
    """Whether a phrase's words stand in order in each document a search of the version
    has checked, kept on the version's searcher per phrase (:func:`_phrase_key`): the
    documents checked (int64, sorted) and their verdicts (bool). A version's documents
    never change, so a verdict holds as long as the version does.

    A pasted text's phrases are mostly two-word compounds and names (``week-end``,
    ``gilets jaunes``, ``porte-parole``) whose words meet in thousands of passages, and
    each of those documents' positions was read and compared again by every search
    that held the phrase: over the 20-49-word news ledes, 1.3 of a lede's 3.0 ms of
    phrases went to phrases an earlier lede had checked."""

    def __init__(self) -> None:
        super().__init__(2)

    def budget(self) -> int:
        return PHRASE_DOCS


def _phrase_key(words: list[wq.Query], slop: int) -> str:
    """A phrase's key in :class:`PhraseVerdicts`: its words (each a term or an Or of
    terms, of one field), and its slop."""
    forms = [[word] if isinstance(word, wq.Term) else word.subqueries for word in words]
    return "\0".join([forms[0][0].fieldname, str(slop),
                       *("\1".join(sorted(str(t.text) for t in terms)) for terms in forms)])


def _cost(ids: Any) -> int:
    # A term no segment holds costs one posting, not none: counted as none, every
    # distinct unknown word of every search stayed kept in a cache that never filled.
    return max(1, len(ids))


def read_terms(parent: Any) -> ReadTerms:
    """The :class:`ReadTerms` of the version whose searcher is ``parent``."""
    return per_reader(parent, "_depeches_joined", ReadTerms)


class Joined:
    """A version's segments read as one by :func:`best`, with the version's document
    numbers: MaxScore runs once per query rather than once per segment.

    Read segment by segment, a pasted text's search did the same work once per
    segment: its hundred-odd parts each looked up, filtered and scored in each, its
    k-th best score found in each. Over the news task's 20–49-word ledes, four segments
    took 1.6 times as long as the same articles in one. A term's scores do not depend
    on the segment that holds them (its IDF and the fields' average lengths are the
    version's), so each term is scored once over the whole version, its segments'
    arrays end to end, and kept for the next search of the same version."""

    def __init__(self, parent: Any, segments: list[tuple[Any, int]]) -> None:
        self.segments = segments  # (evaluate._Segment, its first document number)
        self.starts = [offset for _, offset in segments]
        self.size = sum(segment.size for segment, _ in segments)
        # The version's deleted documents, gathered once per version (not per search).
        self.deleted: Collection[int] = per_reader(parent, "_depeches_deleted", lambda: frozenset(
            d + offset for segment, offset in segments for d in segment.deleted))
        self.kept = read_terms(parent)
        self.verdicts = per_reader(parent, "_depeches_phrases", PhraseVerdicts)
        self.parent = parent

    def runs(self) -> tuple[Any, Any, Any]:
        """The version's articles' runs of documents, laid out once per version: where
        each starts (its own document, then its passages'), where it ends, and each
        document's article (int64 arrays, the version's numbers)."""
        def laid_out() -> tuple[Any, Any, Any]:
            starts = np.concatenate([np.asarray(segment.starts(), dtype=np.int64) + offset
                                     for segment, offset in self.segments]
                                    or [np.zeros(0, dtype=np.int64)])
            ends = np.append(starts[1:], self.size)
            return starts, ends, np.repeat(np.arange(len(starts)), ends - starts)

        found: tuple[Any, Any, Any] = per_reader(self.parent, "_depeches_runs", laid_out)
        return found

    def lengths(self, fieldname: str) -> Any:
        """Each of the version's documents' length in one field (float64), its segments'
        end to end; 0 where a segment does not hold the field."""
        parts = []
        for segment, _ in self.segments:
            table = field_lengths(segment.reader._perdoc, fieldname)
            held = (np.frombuffer(table, dtype=np.uint32)[:segment.size].astype(np.float64)
                    if table is not None else np.zeros(0, dtype=np.float64))
            parts.append(np.pad(held, (0, segment.size - len(held))))
        return np.concatenate(parts or [np.zeros(0, dtype=np.float64)])

    def norms(self, fieldname: str) -> Any:
        """BM25's length part of each of the version's documents for one field, computed
        as :func:`~indexer.search.embedded.evaluate._norms` computes it for their lengths
        (:meth:`lengths`), laid out once per version."""
        k1, b, average = self.segments[0][0].shape(fieldname)  # the version's, in each
        kept: dict[tuple[Any, ...], Any] = per_reader(self.parent, "_depeches_joined_norms",
                                                      dict)
        key = (fieldname, k1, b, average)
        norms = kept.get(key)
        if norms is None:
            if len(kept) >= NORMS_KEPT:
                kept.clear()
            norms = kept[key] = k1 * ((1 - b) + b * self.lengths(fieldname) / average)
        return norms

    def term(self, fieldname: str, text: str) -> tuple[Any, Any, Any]:
        """A term's documents (int64), weights (float32) and unboosted scores (float64)
        over the version, as :func:`_term` gives them segment by segment."""
        kept = self.kept.get(fieldname, text)
        if kept is not None:
            return kept
        # Each segment's list read, then all scored at once: a term read for the first
        # time is mostly fixed costs, and scored segment by segment it paid them in each
        # of the 1.7 segments a 20-49-word lede's new term is in, at the mean.
        ids_in, tf_in = [], []
        scorer: tuple[Any, Any, bytes] | None = None
        for segment, offset in self.segments:
            listed = _listed(segment, fieldname, text)
            if listed is not None and len(listed[2]):
                field, tbytes, ids, tf = listed
                ids_in.append(ids + offset if offset else ids)
                tf_in.append(tf)
                scorer = scorer or (segment, field, tbytes)
        found: tuple[Any, Any, Any]
        if scorer is None:
            found = _UNHELD
        else:
            ids = ids_in[0] if len(ids_in) == 1 else np.concatenate(ids_in)
            tf = tf_in[0] if len(tf_in) == 1 else np.concatenate(tf_in)
            segment, field, tbytes = scorer
            found = (ids, tf, _scored(segment, field, fieldname, tbytes, ids, tf,
                                      self.norms(fieldname)))
        self.kept.put(fieldname, text, found)
        return found

    def term_bound(self, fieldname: str, text: str) -> float:
        """The most a term scores in any document of the version: its largest score, the
        scores being made for the search anyway (tighter than a segment's bound, which
        pairs the term's largest weight with its shortest document)."""
        if fieldname == "kind" and text == "p":  # scored by _Segment alone, as _part says
            return max(segment._term_bound(fieldname, text) for segment, _ in self.segments)
        scores = self.term(fieldname, text)[2]
        return float(scores.max()) if len(scores) else 0.0

    def _split(self, docs: Any) -> list[tuple[Any, int, Any]]:
        """``docs`` (sorted, the version's numbers) by segment: each segment, its first
        number and its share of ``docs`` numbered within it, where it has some."""
        docs = np.asarray(docs, dtype=np.int64)
        edges = np.searchsorted(docs, [*self.starts[1:], self.size])
        out = []
        begin = 0
        for (segment, offset), end in zip(self.segments, edges.tolist(), strict=True):
            if end > begin:
                out.append((segment, offset, docs[begin:end] - offset))
            begin = end
        return out

    def scores(self, q: wq.Query, within: Scores | None = None) -> Scores:
        """:meth:`evaluate._Segment.scores` of each segment, in the version's numbers."""
        out: Scores = {}
        if within is None:
            for segment, offset in self.segments:
                out.update((d + offset, s) for d, s in segment.scores(q).items())
            return out
        for segment, offset, local in self._split(sorted(within)):
            part = segment.scores(q, dict.fromkeys(local.tolist(), 0.0))
            out.update((d + offset, s) for d, s in part.items())
        return out

    def phrase_shape(self, q: Any) -> tuple[Any, list[wq.Query], int, bool] | None:
        return self.segments[0][0].phrase_shape(q)

    def estimate(self, q: wq.Query) -> int:
        return sum(segment.estimate(q) for segment, _ in self.segments)

    def ordered(self, field: Any, words: list[wq.Query], slop: int, docs: Any) -> Any:
        """Which of ``docs`` (sorted int64) hold ``words`` in order, each at most ``slop``
        positions after the one before (:func:`~indexer.search.weights.in_order`), as a
        boolean array. Only the documents this version's searches have not checked for
        the same phrase are read; their verdicts are kept (:class:`PhraseVerdicts`)."""
        key = _phrase_key(words, slop)
        kept = self.verdicts.take(key)
        verdicts = np.zeros(len(docs), dtype=bool)
        if kept is None:
            new = np.ones(len(docs), dtype=bool)
        else:
            checked, held = kept
            at, known = arrays.find(checked, docs)
            verdicts[known] = held[at[known]]
            new = ~known
        unknown = docs[new]
        if not len(unknown):
            return verdicts
        listed = unknown.tolist()
        positions = [self.positions(field, w, listed) for w in words]
        found = np.fromiter((in_order([spots.get(d, ()) for spots in positions], slop)
                             for d in listed), dtype=bool, count=len(listed))
        verdicts[new] = found
        if kept is None:
            checked, held = unknown, found
        else:  # both sorted, and apart: the new slot in where they fall
            at = np.searchsorted(checked, unknown)
            checked, held = np.insert(checked, at, unknown), np.insert(held, at, found)
        self.verdicts.keep(key, (checked, held))
        return verdicts

    def positions(self, field: Any, word: wq.Query, docs: list[int]) -> dict[int, set[int]]:
        out: dict[int, set[int]] = {}
        for segment, offset, local in self._split(docs):
            found = segment.positions(field, word, local.tolist())
            out.update((d + offset, spots) for d, spots in found.items())
        return out
