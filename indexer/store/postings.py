"""A compact encoding of Whoosh's posting blocks, without pickle.

Whoosh 2.7.4's W3 codec writes each block of up to 128 postings as a pickled
6-tuple of block statistics and a pickled, deflated tuple (ids, weights, values),
after a 4-byte tag at the start of each posting list. Most posting lists hold one
small block, and that framing (about 40 bytes a block, 70 with the tag, the length
and the zlib stream) weighed more than the postings: over 2,000 OrangeSum articles
8.41 MB of postings, of which 1.99 MB were headers and tags.

Here a posting list is its blocks, each:

- a flags byte (last block, deflated, widths of the ids and value lengths, weight kind),
- varints: the number of postings, the last id less the previous block's last id,
  the block's largest weight (:func:`indexer.store.varints.put_number`),
- the shortest and longest field length as Whoosh's length bytes,
- a varint: the length of the data that follows.

The data holds the ids but the last (the header has it) as gaps from the id before,
the weights unless they all equal the largest (term frequencies fit a byte or two),
and for positional fields the value lengths but the last and the values. It is
deflated only when that saves bytes. Decoding stays in C (``array``, slicing,
``accumulate``). A value of a positional field is its position gaps, one byte each,
or 16 or 32 bits after a mark when a gap is larger (:class:`CompactPositions`). The
other fields have no values: a posting's weight is its frequency (:class:`Counts`).

:class:`Codec`, :class:`CompactPositions` and :class:`Counts` are pickled by name
into an index's table of contents, so an index that uses them needs this module to
be read. That name, ``indexer.postings``, is where the module lived when the format
was made: it is part of the format, kept by :data:`ON_DISK` and :mod:`indexer.store`'s
alias.
"""

from __future__ import annotations

import struct
import zlib
from array import array
from collections.abc import Iterator, Sequence
from itertools import accumulate, chain, count
from operator import sub
from typing import Any

from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher, W3PostingsWriter
from whoosh.formats import Format, Frequency, Positions
from whoosh.util.numeric import byte_to_length, length_to_byte

from .varints import (
    get_number,
    get_varint,
    item_size,
    pack,
    pack_floats,
    put_number,
    put_varint,
    unpack,
    unpack_floats,
    width_code,
)

_WIDE = 0xFF  # first byte of a value whose gaps need 16 or 32 bits
_ONE_BYTE = [bytes((gap,)) for gap in range(_WIDE)]
ON_DISK = "indexer.postings"
"""The module name that index files give this module's classes."""

_LAST, _DEFLATED = 0x01, 0x02
_HEADER_MAX = 32  # bytes read to parse a block header (it takes at most 27)


class CompactPositions(Positions):
    """Whoosh's Positions format, with each value the position gaps as bytes (or
    ``ff``, a width code and 16 or 32-bit gaps when one gap is 255 or more)."""

    __module__ = ON_DISK

    def encode(self, poslist: Any) -> bytes:
        # Called for every term of every passage (250 times an article): the usual
        # cases, one position or small gaps, stay in C.
        if len(poslist) == 1 and 0 <= poslist[0] < _WIDE:
            return _ONE_BYTE[poslist[0]]
        try:
            small = bytes(map(sub, poslist, chain((0,), poslist)))
        except ValueError:  # a gap of 256 or more
            small = b"\xff"
        if b"\xff" not in small:
            return small
        gaps = [b - a for a, b in zip([0, *poslist], poslist, strict=False)]
        code = width_code(max(gaps))
        return bytes((_WIDE, code)) + pack(code, gaps)

    def decode_positions(self, valuestring: bytes) -> list[int]:
        if valuestring[:1] == b"\xff":
            return list(accumulate(unpack(valuestring[1], valuestring[2:])))
        return list(accumulate(valuestring))

    def decode_frequency(self, valuestring: bytes) -> int:
        if valuestring[:1] == b"\xff":
            return (len(valuestring) - 2) // item_size(valuestring[1])
        return len(valuestring)


class Counts(Format):
    """Whoosh's Frequency format without the value it stores with each posting.

    That value is the term frequency as 4 bytes, and the posting's weight already is
    the frequency (times the field boost, 1 in every field of ours): searches read the
    weights. Over 6,000 OrangeSum articles, 1.19 M of the 2.67 M postings are in such
    fields, and without the copies the postings file went from 7.67 to 6.92 MB and the
    term table from 5.49 to 5.33 MB, and the commit took 7 % less time. The format has
    no value to decode, so it supports neither ``frequency`` nor ``weight`` as a value:
    a matcher's ``weight()`` is the posting's, and its ``value()`` is empty.
    """

    __module__ = ON_DISK
    posting_size = 0

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[Any]:
        # Whoosh's own counts and weights (it reads only field_boost), less the copy.
        return ((w, n, weight, b"")
                for w, n, weight, _ in Frequency.word_values(self, value, analyzer, **kwargs))

    def encode(self, value: Any) -> bytes:
        return b""


def _weight_kind(weights: array, largest: float) -> int:
    """How a block keeps its weights; ``largest`` is the largest of them."""
    # count, min and map run in C: this is called for every block a commit writes.
    if weights.count(largest) == len(weights):
        return 0
    if min(weights) >= 0 and all(map(float.is_integer, weights)):
        return 1 if largest < 0x100 else 2 if largest < 0x10000 else 3
    return 3


def _window_bits(size: int) -> int:
    """The smallest deflate window that still reaches back over all of ``size``
    bytes (zlib keeps 262 bytes of lookahead), so that the output is the same as
    with the largest. A block's data is rarely over 1 KB, and zlib sets up a window
    of this size for each call: over the 51,785 blocks of 6,000 OrangeSum articles
    that are deflated, the default 32 KB took 1.07 s and fitted windows 0.57 s,
    for the same bytes. The window size goes into the zlib header, and
    ``zlib.decompress`` reads it from there."""
    return min(15, max(9, (size + 262).bit_length()))


def encode_block(ids: Any, weights: array, values: list[bytes], fixedsize: int | None,
                 base: int, maxweight: float, minlength: int | None, maxlength: int,
                 last: bool, compression: int) -> bytes:
    """One block of postings (ids above ``base``, the previous block's last id)."""
    n = len(ids)
    # Most blocks hold a few postings (over 2,000 OrangeSum articles, 27,000 of 45,000
    # hold at most 4), so the cost is per call: parts joined once, and a header whose
    # count and gap fit a byte each made in one step.
    parts = []
    idcode = 0
    if n > 1:
        gaps = list(map(sub, ids[:-1], chain((base,), ids[:-2])))
        idcode = width_code(max(gaps))
        parts.append(pack(idcode, gaps))
    kind = _weight_kind(weights, maxweight)
    if kind == 3:
        parts.append(pack_floats(weights))
    elif kind:
        parts.append(pack(kind - 1, map(int, weights)))
    lencode = 0
    if values and (fixedsize is None or fixedsize < 0):
        lengths = list(map(len, values[:-1]))
        lencode = width_code(max(lengths, default=0))
        parts.append(pack(lencode, lengths))
    parts.extend(values)
    data = b"".join(parts)
    flags = (_LAST if last else 0) | idcode << 2 | lencode << 4 | kind << 6
    if compression and len(data) > 24:
        packed = zlib.compress(data, compression, _window_bits(len(data)))
        if len(packed) < len(data):
            data, flags = packed, flags | _DEFLATED
    gap = ids[-1] - base
    if n < 0x80 and gap < 0x80:
        out = bytearray((flags, n, gap))
    else:
        out = bytearray((flags,))
        put_varint(out, n)
        put_varint(out, gap)
    put_number(out, maxweight)
    out.append(length_to_byte(minlength))
    out.append(length_to_byte(maxlength))
    put_varint(out, len(data))
    out += data
    return bytes(out)


class _Writer(W3PostingsWriter):
    def start_postings(self, format_: Any, terminfo: Any) -> None:
        super().start_postings(format_, terminfo)
        self._base = 0

    def _write_block(self, last: bool = False) -> None:
        self._terminfo.add_block(self)
        ids = self._ids
        self._postfile.write(encode_block(
            ids, self._weights, self._values, self._format.fixed_value_size(), self._base,
            self._maxweight, self._minlength, self._maxlength, last, self._compression))
        self._base = ids[-1]
        self._blockcount += 1
        self._new_block()


def _parse_head(head: bytes, position: int) -> tuple[int, int, int, float, int, int, int, int]:
    """A block header (see the module doc): flags, postings, id gap, largest weight,
    shortest and longest length, and where its data starts and ends."""
    flags = head[0]
    n, i = get_varint(head, 1)
    gap, i = get_varint(head, i)
    maxweight, i = get_number(head, i)
    minlength, maxlength = byte_to_length(head[i]), byte_to_length(head[i + 1])
    datalen, i = get_varint(head, i + 2)
    return flags, n, gap, maxweight, minlength, maxlength, position + i, position + i + datalen


BLOCK_CACHE_HEADS = 100_000
"""Parsed block headers the process keeps, over every postings file (about 25 MiB)."""
BLOCK_CACHE_BYTES = 32 << 20
"""Inflated block data the process keeps, over every postings file, in bytes."""


class _BlockCache:
    """What the process keeps of the posting blocks it has read: their parsed headers,
    and their data inflated, each under a key made of its file's token and its position
    (:func:`file_key`).

    The searches of a running process read the same common words' blocks again and
    again (within one search, a block is rarely read twice: what the cache saves there,
    keeping costs). Segment files never change once written, and a file's token is never
    given to another. Each part starts afresh when full, as the term entries' cache does;
    a merge, which reads every block once, keeps none (:meth:`_Matcher.blocks`).

    Keys are ints and values bytes (a header packed), so that Python's garbage collector
    never tracks these dicts (see :func:`indexer.store.reading.field_cache`): with tuples,
    each new block made it track them again, and each full collection walked their
    hundred thousand entries, 13 ms of one after 400 pasted texts."""

    def __init__(self) -> None:
        self.heads: dict[int, bytes] = {}
        self.inflated: dict[int, bytes] = {}
        self.size = 0

    def head(self, key: int, postfile: Any, position: int
             ) -> tuple[int, int, int, float, int, int, int, int]:
        found = self.heads.get(key)
        if found is None:
            if len(self.heads) >= BLOCK_CACHE_HEADS:
                self.heads.clear()
            head = _parse_head(postfile.get(position, _HEADER_MAX), position)
            self.heads[key] = _HEAD.pack(*head)
            return head
        return _HEAD.unpack(found)

    def data(self, key: int, postfile: Any, start: int, end: int) -> bytes:
        found = self.inflated.get(key)
        if found is None:
            found = zlib.decompress(postfile.get(start, end - start))
            if self.size + len(found) > BLOCK_CACHE_BYTES:
                self.inflated.clear()
                self.size = 0
            self.inflated[key] = found
            self.size += len(found)
        return found


_HEAD = struct.Struct("<BQQdQQQQ")  # a _parse_head tuple, packed


def file_key(postfile: Any, position: int) -> int:
    """The key a process keeps a place in a postings file under (a block here, a whole
    list in :mod:`indexer.store.arrays`): the file's token and the position, as one int.
    A pair made the collector track the dict again at each new key (see
    :class:`_BlockCache`)."""
    return _token(postfile) << 64 | position


_BLOCKS = _BlockCache()
_TOKENS = count()


def _token(postfile: Any) -> int:
    try:
        return postfile.block_token
    except AttributeError:
        token = postfile.block_token = next(_TOKENS)
        return token


class _Matcher(W3LeafMatcher):
    """Reads :func:`encode_block` blocks; its attributes are W3LeafMatcher's."""

    # The block being read, each part decoded when first asked for: None until then.
    _data: bytes | None
    _ids: list[int] | None
    _weights: array | None
    _values: tuple[bytes | None, ...] | None
    _maxid: int | None
    count: int
    """How many postings the list holds (deleted documents included)."""

    def _read_header(self) -> None:
        self._baseoffset = self._startoffset  # no tag before the first block

    _keep = True
    """Whether the blocks read go to the process's :class:`_BlockCache`."""

    def _goto(self, position: int) -> None:
        self._data = self._ids = self._weights = self._values = None
        self._i = 0
        postfile = self._postfile
        (flags, n, gap, self._maxweight, self._minlength, self._maxlength,
         self._dataoffset, self._nextoffset) = \
            _BLOCKS.head(file_key(postfile, position), postfile, position) if self._keep \
            else _parse_head(postfile.get(position, _HEADER_MAX), position)
        self._flags = flags
        self._lastblock = bool(flags & _LAST)
        self._blocklength = n
        # Blocks are read in order, from reset() (which sets _maxid to None) on.
        self._base = self._maxid or 0
        self._maxid = self._base + gap
        self._compression = flags & _DEFLATED

    def _read_data(self) -> bytes:
        start = self._dataoffset
        if not self._compression:
            data = self._data = self._postfile.get(start, self._nextoffset - start)
            return data
        postfile = self._postfile
        data = self._data = \
            _BLOCKS.data(file_key(postfile, start), postfile, start, self._nextoffset) \
            if self._keep \
            else zlib.decompress(postfile.get(start, self._nextoffset - start))
        return data

    def _parts(self) -> tuple[int, int]:
        """Where the weights and the values start in the block data."""
        n, flags = self._blocklength, self._flags
        wstart = (n - 1) * item_size(flags >> 2 & 3)
        kind = flags >> 6
        return wstart, wstart + (n * (4 if kind == 3 else kind) if kind else 0)

    def _read_ids(self) -> None:
        data = self._data if self._data is not None else self._read_data()
        code = self._flags >> 2 & 3
        gaps = unpack(code, data[:(self._blocklength - 1) * item_size(code)])
        ids = list(accumulate(gaps, initial=self._base))
        del ids[0]
        ids.append(self._maxid)
        self._ids = ids

    def _read_weights(self) -> None:
        data = self._data if self._data is not None else self._read_data()
        kind = self._flags >> 6
        if not kind:
            self._weights = array("f", (self._maxweight,)) * self._blocklength
            return
        start, end = self._parts()
        raw = data[start:end]
        if kind == 3:
            self._weights = unpack_floats(raw)
        else:
            self._weights = array("f", unpack(kind - 1, raw))

    def frequencies(self) -> Any:
        """The block's weights as :meth:`_read_weights` gives them, but term frequencies
        left as the integers they are stored as: the same numbers to any arithmetic, with
        no conversion to 32-bit floats per posting (a tenth of a long query's first pass)."""
        kind = self._flags >> 6
        if kind in (1, 2):
            data = self._data if self._data is not None else self._read_data()
            start, end = self._parts()
            return unpack(kind - 1, data[start:end])
        if self._weights is None:
            self._read_weights()
        return self._weights

    def _read_values(self) -> None:
        self._values = tuple(self.values_at(range(self._blocklength)))

    def values_at(self, hits: Sequence[int]) -> list[bytes | None]:
        """The values of the block's postings at ``hits`` (indices into the block), the
        others left undecoded: a search reads the positions of a few candidates a block."""
        data = self._data if self._data is not None else self._read_data()
        fixedsize, n = self._fixedsize, self._blocklength
        if fixedsize == 0:
            return [b""] * len(hits)
        _, start = self._parts()
        if fixedsize is None or fixedsize < 0:
            code = self._flags >> 4 & 3
            vstart = start + (n - 1) * item_size(code)
            ends = list(accumulate(unpack(code, data[start:vstart]), initial=vstart))
            ends.append(len(data))
            return [data[ends[j]:ends[j + 1]] for j in hits]
        return [data[start + j * fixedsize:start + (j + 1) * fixedsize] for j in hits]

    def every(self, weights: bool) -> tuple[list[int], list[Any]]:
        """Every posting's id and (when asked) weight as :meth:`frequencies` gives it,
        from the block the matcher stands at on."""
        ids: list[int] = []
        out: list[Any] = []
        while self.is_active():
            self._read_ids()
            assert self._ids is not None
            ids.extend(self._ids)
            if weights:
                out.extend(self.frequencies())
            self._next_block()
        return ids, out

    def raw_blocks(self) -> Iterator[tuple[int, int, int, int, int, bytes, int, float]]:
        """Every block from the one the matcher stands at on, undecoded, for a decoder of
        whole lists (:func:`indexer.store.arrays.decode`): its postings, the id before
        its first (its gaps start there), its last id, the width codes of its gaps and
        of its weights' kind, its data, where its weights start, and its largest weight."""
        while self.is_active():
            data = self._data if self._data is not None else self._read_data()
            flags, last = self._flags, self._maxid
            assert last is not None  # set by _goto
            yield (self._blocklength, self._base, last, flags >> 2 & 3, flags >> 6,
                   data, self._parts()[0], self._maxweight)
            self._next_block()

    def blocks(self) -> Iterator[tuple[list[int], array, tuple[bytes | None, ...]]]:
        """Every block's ids, weights and values in turn, as decoded, for a merge: no
        call per posting, and no block kept."""
        self._keep = False
        while not self._atend:
            self._read_ids()
            self._read_weights()
            self._read_values()
            assert self._ids is not None and self._weights is not None
            assert self._values is not None
            yield self._ids, self._weights, self._values
            self._next_block()


class Codec(W3Codec):
    """Whoosh's W3 codec with compact blocks (see the module doc) and a compact term
    dictionary (:mod:`indexer.store.terms`)."""

    __module__ = ON_DISK

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        if byteids:  # term vectors: read by Whoosh's own matcher
            return super().postings_writer(dbfile, byteids=True)
        return _Writer(dbfile, blocklimit=self._blocklimit, byteids=False,
                       compression=self._compression, inlinelimit=self._inlinelimit)

    def postings_reader(self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None,
                        scorer: Any = None) -> Any:
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, _ = terminfo.extent()
        return self.open_list(dbfile, offset, terminfo.doc_frequency(), format_, term, scorer)

    def open_list(self, postfile: Any, offset: int, count: int, format_: Any,
                  term: Any = None, scorer: Any = None) -> Any:
        """A matcher over the posting list of ``count`` postings at ``offset`` in
        ``postfile``, not inlined in its term's entry: what :meth:`postings_reader`
        gives from the entry, for a reader that has the entry's numbers already
        (:func:`indexer.store.reading.lookup`)."""
        matcher = _Matcher(postfile, offset, 0, format_, term=term, scorer=scorer)
        matcher.count = count
        return matcher

    def field_writer(self, storage: Any, segment: Any) -> Any:
        from .terms import FieldWriter

        return FieldWriter(self, storage, segment)

    def per_document_reader(self, storage: Any, segment: Any) -> Any:
        from .reading import PerDocReader

        return PerDocReader(storage, segment)

    def terms_reader(self, storage: Any, segment: Any) -> Any:
        from .terms import TermsReader

        tiname = segment.make_filename(self.TERMS_EXT)
        return TermsReader(self, storage.open_file(tiname), storage.file_length(tiname),
                           segment.open_file(storage, self.POSTS_EXT))
