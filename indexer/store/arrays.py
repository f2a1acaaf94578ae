"""Whole posting lists decoded once into numpy arrays, and kept by the process.

A pasted text's search (a lede, a paragraph: :func:`indexer.search.parse.pasted`)
reads each of its common words' posting lists for the few hundred passages still in
the running (:meth:`indexer.search.embedded.evaluate._Segment.best`). Those passages
lie all over a segment, so nearly every block of the list was decoded and each of its
ids tested in Python: over the news task's 20–49-word ledes, 190,000 postings a query
for 8,500 kept, a third of its time. Decoded once into arrays, a list answers "which
of these documents does it hold, how often" with one binary search per document, in
C, and the next pasted text finds the same common words decoded.

Typed searches keep the block reader, which skips the blocks it does not need: they
read few postings, and importing numpy (60 to 130 ms, by machine and hour) would add a
third or more to a cold search from the terminal (0.2 s). So does a process's first
pasted text when it is too short for its articles to be scored whole (whose leads
import numpy and read these lists anyway:
:meth:`indexer.search.embedded.version.EmbeddedVersion.compile`).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import numpy as np

from .postings import file_key
from .reading import term_info
from .varints import WIDTHS, item_size

CACHE_POSTINGS = 2_000_000
"""Postings the process keeps decoded, over every list (8 bytes each: 16 MB). Like the
block cache, it starts afresh when full. It held 8 million when MaxScore over arrays
(:mod:`indexer.search.embedded.whole`) read its lists from here; that keeps what it
reads scored now, and what is read here is what the rest of a pasted text's search
reads whole: about 470,000 postings over the 2,000 news ledes."""

_cache: dict[int, tuple[Any, Any]] = {}
_size = 0


def whole(postings: Any) -> tuple[Any, Any]:
    """The ids (int32) and weights (float32, the numbers the blocks hold) of a posting
    list of :class:`indexer.store.postings._Matcher`, deleted documents included,
    decoded from its first block on (a matcher fresh from the term dictionary) or taken
    from the cache."""
    global _size
    key = file_key(postings._postfile, postings._startoffset)
    found = _cache.get(key)
    if found is not None:
        return found
    ids, weights = decode(postings)
    found = (ids.astype(np.int32), weights)
    if _size + len(ids) > CACHE_POSTINGS:
        _cache.clear()
        _size = 0
    _cache[key] = found
    _size += len(ids)
    return found


_GAPS = tuple(np.dtype(f"<u{item_size(code)}") for code in range(len(WIDTHS)))
"""The gaps' numpy types by width code (:data:`indexer.store.varints.WIDTHS`)."""
_WEIGHTS = (None, _GAPS[0], _GAPS[1], np.dtype("<f4"))
"""The weights' numpy types by kind (the flags' top bits, see :mod:`~indexer.store.postings`):
none stored (all the largest), term frequencies in one or two bytes, or floats."""


def decode(postings: Any) -> tuple[Any, Any]:
    """The ids (int64) and weights (float32) that :meth:`~indexer.store.postings._Matcher.every`
    gives, from the block the matcher stands at on, deleted documents included.

    Each block's gaps and weights go into two arrays as they are, and the ids are summed
    from the gaps once for the whole list, rather than built as Python lists block by
    block and converted: the 1,024 lists of five news ledes decoded in 70–78 ms against
    90–155 (their blocks inflated already; three fresh processes each). A whole search
    gains too little to show: a process's first 300 ledes took 14.2 s at the median
    against 13.8 (14 fresh processes each, interleaved), within this machine's swings.
    Most of a cold list's time is its reading: its term looked up, its blocks read and
    inflated."""
    blocks = list(postings.raw_blocks())
    if len(blocks) == 1:
        return _one_block(*blocks[0])
    sizes = np.fromiter((block[0] for block in blocks), dtype=np.int64, count=len(blocks))
    total = int(sizes.sum())
    steps = np.empty(total, dtype=np.int64)
    weights = np.empty(total, dtype=np.float32)
    start = 0
    for n, _, _, code, kind, data, wstart, largest in blocks:
        last = start + n - 1
        steps[start:last] = np.frombuffer(data, _GAPS[code], n - 1)
        steps[last] = 0  # the block's last id is in its header: set below
        if kind:
            weights[start:last + 1] = np.frombuffer(data, _WEIGHTS[kind], n, wstart)
        else:
            weights[start:last + 1] = largest
        start = last + 1
    sums = np.cumsum(steps)
    ends = np.cumsum(sizes) - 1
    before = np.zeros(len(blocks), dtype=np.int64)  # the sum up to each block's start
    before[1:] = sums[ends[:-1]]
    bases = np.fromiter((block[1] for block in blocks), dtype=np.int64, count=len(blocks))
    ids = sums + np.repeat(bases - before, sizes)
    ids[ends] = np.fromiter((block[2] for block in blocks), dtype=np.int64, count=len(blocks))
    return ids, weights


def _one_block(n: int, base: int, last: int, code: int, kind: int, data: bytes,
               wstart: int, largest: float) -> tuple[Any, Any]:
    """:func:`decode` of a list of one block (a :meth:`raw_blocks` tuple), with a few
    numpy calls rather than the two dozen that join blocks: most lists a pasted text
    reads for the first time are of one block (40 a 20–49-word news lede, against 7 of
    several), and their decoding was numpy's fixed costs, 26 µs a list."""
    ids = np.empty(n, dtype=np.int64)
    np.cumsum(np.frombuffer(data, _GAPS[code], n - 1), dtype=np.int64, out=ids[:n - 1])
    ids[:n - 1] += base
    ids[n - 1] = last
    if kind:
        weights = np.frombuffer(data, _WEIGHTS[kind], n, wstart).astype(np.float32)
    else:
        weights = np.full(n, largest, dtype=np.float32)
    return ids, weights


def held(reader: Any, fieldname: str, text: str) -> tuple[Any, bytes, Any] | None:
    """A term's field, its bytes and its list's arrays (as :func:`whole` gives them) in
    one segment, when the process holds that list decoded, else None: found from the
    term dictionary alone. Opening a list reads its first block's header, and a pasted
    text's search asked for 800 lists a query, most of them held here already."""
    found = term_info(reader, fieldname, text)
    if found is None or found[4] is None:  # not there, or inlined
        return None
    entry = _cache.get(file_key(reader._terms._postfile, found[4]))
    return None if entry is None else (reader.schema[fieldname], found[0], entry)


def read(postings: Any, within: Collection[int] | None, weights: bool
         ) -> tuple[list[int], list[float]]:
    """What :func:`indexer.search.embedded.evaluate._read` gives (the ids, of ``within``
    only when given, in order, and their weights when asked), from :func:`whole`."""
    entry = whole(postings)
    if within is None:
        return entry[0].tolist(), entry[1].tolist() if weights else []
    wanted = np.fromiter(within, dtype=np.int32, count=len(within))
    wanted.sort()
    return read_held(entry, wanted, weights)


def read_held(entry: tuple[Any, ...], docs: Any, weights: bool
              ) -> tuple[list[int], list[float]]:
    """The ids of a list's arrays (from :func:`whole`, or :func:`held`'s) that are among
    ``docs`` (a sorted int32 array), in order, and their weights when asked."""
    ids, values = entry[0], entry[1]
    at, found = find(ids, docs)
    at = at[found]
    return ids[at].tolist(), values[at].tolist() if weights else []


def find(ids: Any, docs: Any) -> tuple[Any, Any]:
    """Where each of ``docs`` would stand in ``ids`` (sorted, not empty), and whether
    ``ids`` holds it there: one binary search per document."""
    at = ids.searchsorted(docs)
    np.minimum(at, len(ids) - 1, out=at)
    return at, ids[at] == docs
