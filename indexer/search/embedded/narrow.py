"""What narrows a query without scoring: its option filters and its excluded words.

A filter (``--since``, ``--place``...) scores 0.0 wherever it matches
(:func:`.compile.filter_query`), which adds nothing to any score, and a ``-word`` only
removes documents. So MaxScore over arrays (:func:`.evaluate.best_documents` with
``whole``) reads the query that scores within the documents they leave, given as one
boolean array over the version's documents (:func:`documents`), rather than leaving
such shapes to be scored whole segment by segment: over 200 news ledes, a pasted lede
with a date filter took 67–70 ms at the median against 24 without.
"""

from __future__ import annotations

from functools import reduce
from operator import and_
from typing import Any, Protocol

from whoosh import query as wq
from whoosh.query.wrappers import ConstantScoreQuery

from ...store.reading import per_reader
from ...store.schema import ARTICLE_FIELDS


class _Segment(Protocol):
    """What :func:`documents` reads of :class:`.evaluate._Segment`."""

    size: int

    def docs(self, q: wq.Query, within: Any = None, articles: bool = False) -> set[int]: ...


class _Joined(Protocol):
    """What :func:`allowed` reads of :class:`.whole.Joined`."""

    segments: list[tuple[Any, int]]
    size: int

    def runs(self) -> tuple[Any, Any, Any]: ...


def narrowed(q: wq.Query) -> tuple[wq.Query, list[wq.Query], list[wq.Query]]:
    """``q`` without the option filters and the excluded words around it: the query
    that scores, the queries its documents must match, and those they must not."""
    keep: list[wq.Query] = []
    drop: list[wq.Query] = []
    while True:
        if isinstance(q, wq.And) and q.boost == 1.0 and len(q.subqueries) == 2:
            scoring = [sub for sub in q.subqueries if not is_filter(sub)]
            if len(scoring) != 1:
                break
            keep += [sub for sub in q.subqueries if sub is not scoring[0]]
            q = scoring[0]
        elif isinstance(q, wq.AndNot) and q.boost == 1.0:
            drop.append(q.b)
            q = q.a
        else:
            break
    return q, keep, drop


def is_filter(q: wq.Query) -> bool:
    """Whether ``q`` scores 0.0 wherever it matches: an option filter."""
    return isinstance(q, ConstantScoreQuery) and q.score == 0.0


def on_articles(q: wq.Query) -> bool:
    """Whether every term of ``q`` is on an article-level field (a filter's)."""
    found = False
    for leaf in q.leaves():  # a leaf's own is itself; a text query stops at its first
        if getattr(leaf, "fieldname", None) not in ARTICLE_FIELDS:
            return False
        found = True
    return found


MASKS_KEPT = 8
"""Filters and exclusions whose documents a version keeps as boolean arrays (one byte a
document each): a search reads the same ones three or four times (its common words
deferred, then not; its titles; its leads), and a journalist's next search often the
same dates or place."""


def allowed(searcher: Any, joined: _Joined, keep: list[wq.Query], drop: list[wq.Query]
            ) -> Any:
    """The documents that match every query of ``keep`` and none of ``drop`` (see
    :func:`narrowed`), as a boolean array over the version's documents, or None for all
    of them."""
    masks = [documents(searcher, joined, f) for f in keep]
    masks += [~documents(searcher, joined, f) for f in drop]
    return reduce(and_, masks) if masks else None  # new arrays: the kept ones unchanged


def documents(searcher: Any, joined: _Joined, q: wq.Query) -> Any:
    """The documents ``q`` matches, deleted ones included, as a boolean array over the
    version's documents, kept on its ``searcher``. An article-level filter (dates, a
    place) marks its articles' runs of documents (:meth:`.whole.Joined.runs`), rather
    than listing each passage: a date filter listed passage by passage as sets took
    45 ms a search over the news index."""
    import numpy as np  # as MaxScore over arrays does: never for a typed search

    kept: dict[str, Any] = per_reader(searcher, "_depeches_masks", dict)
    key = repr(q)  # a query's repr names every term it reads
    found = kept.get(key)
    if found is not None:
        return found
    segment: _Segment
    if on_articles(q):
        starts, _, owner = joined.runs()
        articles = np.concatenate([np.fromiter(segment.docs(q, None, articles=True),
                                               dtype=np.int64) + offset
                                   for segment, offset in joined.segments]
                                  or [np.zeros(0, dtype=np.int64)])
        held = np.zeros(len(starts), dtype=bool)
        held[np.searchsorted(starts, articles, side="right") - 1] = True
        found = held[owner]
    else:
        found = np.zeros(joined.size, dtype=bool)
        for segment, offset in joined.segments:
            found[np.fromiter(segment.docs(q), dtype=np.int64) + offset] = True
    if len(kept) >= MASKS_KEPT:
        kept.clear()
    kept[key] = found
    return found
