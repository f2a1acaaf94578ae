"""A compact encoding of the term dictionary's entries.

Whoosh's W3TermInfo packs each term's statistics in 23 bytes of fixed-width fields,
then 12 bytes pointing into the postings file, or, for a posting list short enough
to be inlined (see ``INLINE_LIMIT`` in :mod:`indexer.store.schema`), the pickled tuple
of its ids, weights and values: 35 bytes a term, about 100 for an inlined one. Over
2,000 OrangeSum articles the 79,133 entries took 4.34 MB of the 8.09 MB dictionary.

Here an entry is a flags byte (inlined, has values), then varints: the document
frequency, the total and the largest weight (:func:`indexer.store.varints.put_number`),
the shortest and longest length bytes, the first id and the last id less the first;
then either the offset of the posting list in the postings file, or the inlined
postings: the ids between the first and the last as gaps, the weights (none for a
single posting: it is the largest), the values' lengths but the last, the values.
"""

from __future__ import annotations

import struct
from binascii import crc32
from collections.abc import Iterator
from itertools import accumulate, islice
from typing import Any

from whoosh.codec.whoosh3 import (
    W3Codec,
    W3FieldCursor,
    W3FieldWriter,
    W3TermInfo,
    W3TermsReader,
)
from whoosh.filedb import filetables
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.util.numlists import GrowableArray

from .reading import schema_field, term_entry
from .varints import get_number, get_varint, put_number, put_varint

_INLINED, _VALUES, _NO_IDS = 0x01, 0x02, 0x04


class TermInfo(W3TermInfo):
    """W3TermInfo with the entry encoding of the module doc."""

    # The postings writer calls set_inline(), which W3TermInfo names set_inlined(): in
    # Whoosh 2.7.4 any inlinelimit above 1 raised AttributeError, so it never inlines.
    set_inline = W3TermInfo.set_inlined

    # W3TermInfo's, set by _read_statistics: None in an entry without ids (an empty one).
    _minid: Any
    _maxid: Any

    def to_bytes(self) -> bytes:
        inlined = self._inlined
        flags = (_INLINED if inlined is not None else 0) | (_NO_IDS if self._minid is None else 0)
        valued = inlined is not None and any(inlined[2])
        if valued:
            flags |= _VALUES
        out = bytearray((flags,))
        _put_statistics(out, self._df, self._weight, self._maxweight, self._minlength,
                        self._maxlength, self._minid, self._maxid)
        if inlined is None:
            put_varint(out, self._offset)
            return bytes(out)
        ids, weights, values = inlined
        for a, b in zip(ids, ids[1:-1], strict=False):
            put_varint(out, b - a)
        if len(ids) > 1:
            for w in weights:
                put_number(out, w)
        if valued:
            for v in values[:-1]:
                put_varint(out, len(v))
            out += b"".join(values)
        return bytes(out)

    @classmethod
    def from_bytes(cls, s: bytes) -> TermInfo:
        info = cls()
        i = info._read_statistics(s)
        flags = s[0]
        if not flags & _INLINED:
            info._offset, _ = get_varint(s, i)
            return info
        n = info._df
        ids = [info._minid]
        for _ in range(n - 2):
            gap, i = get_varint(s, i)
            ids.append(ids[-1] + gap)
        if n > 1:
            ids.append(info._maxid)
            weights = []
            for _ in range(n):
                w, i = get_number(s, i)
                weights.append(w)
        else:
            weights = [info._maxweight]
        values: tuple
        if flags & _VALUES:
            lengths = []
            for _ in range(n - 1):
                length, i = get_varint(s, i)
                lengths.append(length)
            ends = [*accumulate(lengths, initial=i), len(s)]
            values = tuple(s[a:b] for a, b in zip(ends, ends[1:], strict=False))
        else:
            # A format without values (postings.Counts) gets empty ones, as a block's
            # reader gives them: Whoosh's matcher would give "", a str, for none at all.
            values = (b"",) * n
        info._inlined = (tuple(ids), tuple(weights), values)
        return info

    @staticmethod
    def entry_weight(entry: bytes) -> float:
        """The total weight of a term from its raw entry (read without the rest)."""
        _, i = get_varint(entry, 1)
        return get_number(entry, i)[0]

    @staticmethod
    def entry_doc_frequency(entry: bytes) -> int:
        return get_varint(entry, 1)[0]

    @staticmethod
    def entry_statistics(entry: bytes) -> tuple[int, float, int, int]:
        """A term's document frequency, largest weight, shortest length and postings
        offset (-1 when its postings are inlined), read from its raw entry without
        decoding the inlined postings that :meth:`from_bytes` builds."""
        info = TermInfo()
        i = info._read_statistics(entry)
        offset = -1 if entry[0] & _INLINED else get_varint(entry, i)[0]
        return info._df, info._maxweight, info._minlength, offset

    def _read_statistics(self, s: bytes) -> int:
        """Set the statistics that open an entry (everything but the postings' place or
        the inlined postings); where they end."""
        self._df, i = get_varint(s, 1)
        self._weight, i = get_number(s, i)
        self._maxweight, i = get_number(s, i)
        self._minlength = byte_to_length(s[i])
        self._maxlength = byte_to_length(s[i + 1])
        i += 2
        if s[0] & _NO_IDS:
            self._minid = self._maxid = None
        else:
            self._minid, i = get_varint(s, i)
            span, i = get_varint(s, i)
            self._maxid = self._minid + span
        return i


_FLOAT = struct.Struct("<f")


def single_entry(docnum: int, weight: float, value: bytes, length: int) -> bytes:
    """The entry :class:`TermInfo` gives a term whose one posting is inlined, as a
    postings writer with an inline limit above 1 leaves it. Made directly, without the
    writer's block and a TermInfo: a third of a segment's terms have one posting
    (25,271 of 79,146 over 2,000 OrangeSum articles), and the commit of those articles
    took 0.93 ms an article this way against 0.99. ``length`` is the posting's field
    length as the writer is given it."""
    out = bytearray((_INLINED | _VALUES if value else _INLINED,))
    # The total weight is summed from the block's array("f") of weights: a float32. The
    # largest starts from 0, and a length of 0 is none.
    _put_statistics(out, 1, _FLOAT.unpack(_FLOAT.pack(weight))[0], weight if weight > 0 else 0,
                    length or None, length, docnum, docnum)
    out += value
    return bytes(out)


def _put_statistics(out: bytearray, df: int, weight: float, maxweight: float,
                    minlength: int | None, maxlength: int, minid: int | None, maxid: int
                    ) -> None:
    """An entry's statistics, after its flags byte (see the module doc)."""
    put_varint(out, df)
    put_number(out, weight)
    put_number(out, maxweight)
    out += bytes((0 if minlength is None else length_to_byte(minlength),
                  length_to_byte(maxlength)))
    if minid is not None:
        put_varint(out, minid)
        put_varint(out, maxid - minid)


class TermTableWriter(filetables.OrderedHashWriter):
    """Whoosh's ordered hash file with smaller hash tables.

    Whoosh gives each key two slots of 12 bytes (its hash and its 64-bit position):
    24 bytes a term, more than a third of the dictionary once its entries are
    compact. Here each key has 1.5 slots of 5 bytes: a 32-bit position and the top
    byte of the key's hash, so that a lookup reads a key only when that byte
    matches (a key that is not there probes about five slots, read eight at a
    time). The hash is CRC-32, which is in C, not Whoosh's MD5. Before each key, its
    length and its value's are varints (two bytes, not Whoosh's eight).
    """

    def __init__(self, dbfile: Any) -> None:
        filetables.HashWriter.__init__(self, dbfile, hashtype=1)
        self.index = GrowableArray("H")
        self.lastkey = b""

    def add(self, key: bytes, value: bytes) -> None:
        if key <= self.lastkey:
            raise ValueError(f"Keys must increase: {self.lastkey!r}..{key!r}")
        position = self.dbfile.tell()
        self.index.append(position)
        head = bytearray()
        put_varint(head, len(key))
        put_varint(head, len(value))
        self.dbfile.write(bytes(head) + key + value)
        hashval = self.hashfn(key)
        self.buckets[hashval & 255].append((hashval, position))
        self.lastkey = key

    def _write_hashes(self) -> None:
        empty = (0, 0)  # 0 is never a key's position: the file starts with a tag
        for entries in self.buckets:
            numslots = len(entries) * 3 // 2 + 1 if entries else 0
            self.directory.append((self.dbfile.tell(), numslots))
            table = [empty] * numslots
            for hashval, position in entries:
                slot = (hashval >> 8) % numslots
                while table[slot] is not empty:
                    slot = (slot + 1) % numslots
                table[slot] = (position, hashval >> 24)
            # 32-bit positions: a term file of 4 GiB raises struct.error here (one
            # 10,000-article segment's is about 10 MB).
            self.dbfile.write(b"".join(_SLOT.pack(*s) for s in table))


_SLOT = struct.Struct("<IB")
_WINDOW = 8  # slots read at once
_HEAD_MAX = 10  # the two varints before a key


PROBE_CACHE_LIMIT = 50_000
"""Keys a term table remembers from its binary searches before it starts afresh."""


class TermTableReader(filetables.OrderedHashReader):
    """Reads :class:`TermTableWriter` files."""

    def find(self, key: bytes) -> tuple[int, int] | None:
        """``(position, length)`` of the value of ``key``, or None."""
        keyhash = crc32(key)
        tablestart, numslots = self.tables[keyhash & 255]
        if not numslots:
            return None
        get = self.dbfile.get
        tag = keyhash >> 24
        slot = (keyhash >> 8) % numslots
        size = _HEAD_MAX + len(key)
        probed = 0
        while probed < numslots:
            window = min(_WINDOW, numslots - slot)
            for position, t in _SLOT.iter_unpack(get(tablestart + _SLOT.size * slot,
                                                     _SLOT.size * window)):
                if not position:
                    return None
                if t == tag:
                    head = get(position, size)
                    keylen, i = get_varint(head, 0)
                    datalen, i = get_varint(head, i)
                    if keylen == len(key) and head[i:i + keylen] == key:
                        return position + i + keylen, datalen
            probed += window
            slot = (slot + window) % numslots
        return None

    def _entry(self, position: int) -> tuple[int, int, int, int]:
        """``(keypos, keylen, datapos, datalen)`` of the entry at ``position``."""
        head = self.dbfile.get(position, _HEAD_MAX)
        keylen, i = get_varint(head, 0)
        datalen, i = get_varint(head, i)
        return position + i, keylen, position + i + keylen, datalen

    def key_at(self, pos: int) -> bytes:
        keypos, keylen, _, _ = self._entry(pos)
        return self.dbfile.get(keypos, keylen)

    def closest_key_pos(self, key: bytes) -> int | None:
        """Whoosh's binary search over the ordered keys, remembering the keys it reads:
        every search reads the same first ten or so (a fuzzy match of an unknown query
        word runs thousands of them)."""
        n = self.closest_key_number(key)
        if n == self.indexlen:
            return None
        found = self._probes.get(n)
        return found[1] if found else self._get_pos(self.indexbase + n * self.indexsize)

    def closest_key_number(self, key: bytes) -> int:
        """The number of the first key at or after ``key`` in order (``indexlen`` for
        none), by :meth:`closest_key_pos`'s binary search."""
        if not isinstance(key, bytes):
            raise TypeError(f"Key {key!r} should be bytes")
        probes: dict[int, tuple[bytes, int]] | None = self.__dict__.get("_probes")
        if probes is None or len(probes) > PROBE_CACHE_LIMIT:
            probes = {}
            self._probes = probes
        lo, hi = 0, self.indexlen
        while lo < hi:
            mid = (lo + hi) // 2
            found = probes.get(mid)
            if found is None:
                pos = self._get_pos(self.indexbase + mid * self.indexsize)
                found = probes[mid] = (self.key_at(pos), pos)
            if found[0] < key:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def key_number(self, n: int) -> bytes:
        """The ``n``-th key in order, from the binary searches' keys when they read it."""
        found = self.__dict__.get("_probes", {}).get(n)
        if found is not None:
            return found[0]
        return self.key_at(self._get_pos(self.indexbase + n * self.indexsize))

    def key_and_range_at(self, pos: int) -> tuple[bytes, int, int] | None:
        if pos >= self.endofdata:
            return None
        keypos, keylen, datapos, datalen = self._entry(pos)
        return self.dbfile.get(keypos, keylen), datapos, datalen

    def _ranges(self, pos: int | None = None, eod: int | None = None) -> Any:
        pos = pos or self.startofdata
        eod = eod or self.endofdata
        while pos < eod:
            entry = self._entry(pos)
            yield entry
            pos = entry[2] + entry[3]

    def ranges_for_key(self, key: bytes) -> Any:
        found = self.find(key)
        if found is not None:
            yield found

    def get(self, key: bytes, default: Any = None) -> Any:
        found = self.find(key)
        return default if found is None else self.dbfile.get(*found)

    def __getitem__(self, key: bytes) -> bytes:
        found = self.find(key)
        if found is None:
            raise KeyError(key)
        return self.dbfile.get(*found)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, bytes) and self.find(key) is not None


class FieldWriter(W3FieldWriter):
    def __init__(self, codec: Any, storage: Any, segment: Any) -> None:
        self._codec = codec
        self._storage = storage
        self._segment = segment
        self._fieldname = self._fieldid = self._btext = self._fieldobj = self._format = None
        self._tindex = TermTableWriter(self._create_file(W3Codec.TERMS_EXT))
        self._fieldmap: dict[str, int] = {}
        self._tindex.extras["fieldmap"] = self._fieldmap
        self._postfile = self._create_file(W3Codec.POSTS_EXT)
        self._postwriter = None
        self._infield = False
        self.is_closed = False

    def start_term(self, btext: bytes) -> None:
        if self._postwriter is None:
            raise Exception("Called start_term before start_field")
        self._btext = btext
        self._postwriter.start_postings(self._fieldobj.format, TermInfo())


class _Cursor(W3FieldCursor):
    def term_info(self) -> Any:
        if self._pos is None:
            return None
        return TermInfo.from_bytes(self._tindex.dbfile.get(self._datapos, self._datalen))


class TermsReader(W3TermsReader):
    """W3TermsReader for :class:`TermInfo` entries, each read from the file once
    (:func:`indexer.store.reading.term_entry`), in a :class:`TermTableReader`."""

    def __init__(self, codec: Any, dbfile: Any, length: int, postfile: Any) -> None:
        # W3TermsReader's, with the table reader above.
        self._codec = codec
        self._dbfile = dbfile
        self._tindex = TermTableReader(dbfile, length)
        self._fieldmap = self._tindex.extras["fieldmap"]
        self._postfile = postfile
        self._fieldunmap = [None] * len(self._fieldmap)
        for fieldname, num in self._fieldmap.items():
            self._fieldunmap[num] = fieldname

    def cursor(self, fieldname: str, fieldobj: Any) -> Any:
        return _Cursor(self._tindex, fieldname, self._keycoder, self._keydecoder, fieldobj)

    def items(self) -> Any:
        decode = self._keydecoder
        return ((decode(k), TermInfo.from_bytes(v)) for k, v in self._tindex.items())

    def items_from(self, fieldname: str, prefix: bytes) -> Any:
        decode = self._keydecoder
        return ((decode(k), TermInfo.from_bytes(v))
                for k, v in self._tindex.items_from(self._keycoder(fieldname, prefix)))

    def __contains__(self, term: tuple[str, bytes]) -> bool:
        return term_entry(self, *term) is not None

    def term_info(self, fieldname: str, tbytes: bytes) -> Any:
        from whoosh.reading import TermNotFound

        entry = term_entry(self, fieldname, tbytes)
        if entry is None:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}")
        return TermInfo.from_bytes(entry)

    def statistics(self, fieldname: str, tbytes: bytes) -> tuple[int, float, int, int] | None:
        """:meth:`TermInfo.entry_statistics` of a term, or None when the segment does not
        hold it."""
        entry = term_entry(self, fieldname, tbytes)
        return None if entry is None else TermInfo.entry_statistics(entry)

    def frequency(self, fieldname: str, tbytes: bytes) -> float:
        return TermInfo.entry_weight(self._entry(fieldname, tbytes))

    def doc_frequency(self, fieldname: str, tbytes: bytes) -> int:
        return TermInfo.entry_doc_frequency(self._entry(fieldname, tbytes))

    def _entry(self, fieldname: str, tbytes: bytes) -> bytes:
        entry = term_entry(self, fieldname, tbytes)
        if entry is None:
            raise KeyError((fieldname, tbytes))  # as Whoosh's: the reader answers 0
        return entry


class FieldWalk:
    """A field's terms in one of our segments, in order, for a walk whose targets only
    increase (a fuzzy match's): :meth:`seek` gives the first term at or after each.
    :func:`field_walk` makes one."""

    def __init__(self, terms: TermsReader, fieldname: str, field: Any) -> None:
        self._table = terms._tindex
        self._field = field
        self._prefix = terms._keycoder(fieldname, b"")
        # The term last found; None past the field's last, or for a field without terms.
        self.head: str | None = (self._first_at(b"") if field is not None
                                 and fieldname in terms._fieldmap else None)

    def seek(self, text: str) -> str | None:
        """The first term at or after ``text`` (None past the field's last); ``text``
        is never below a target sought before."""
        if self.head is not None and self.head < text:
            self.head = self._first_at(self._field.to_bytes(text))
        return self.head

    def _first_at(self, tbytes: bytes) -> str | None:
        table, prefix = self._table, self._prefix
        n = table.closest_key_number(prefix + tbytes)
        key = table.key_number(n) if n < table.indexlen else b""
        return self._field.from_bytes(key[len(prefix):]) if key.startswith(prefix) else None


def field_walk(leaf: Any, fieldname: str) -> FieldWalk | None:
    """A :class:`FieldWalk` over ``fieldname`` in ``leaf``, a segment's reader; None for
    a reader not of our segments (ask its own ``terms_within``: a cluster's terms)."""
    terms = getattr(leaf, "_terms", None)
    if not isinstance(terms, TermsReader):
        return None
    return FieldWalk(terms, fieldname, schema_field(leaf.schema, fieldname))


def prefix_frequencies(reader: Any, fieldname: str, prefix: str, limit: int
                       ) -> list[tuple[str, int]]:
    """The first ``limit`` terms of a field that start with ``prefix``, in order, each
    with its document frequency (deleted documents included, as Whoosh counts them).

    ``reader`` is Whoosh's, or a stand-in with the same ``leaf_readers``,
    ``expand_prefix`` and ``doc_frequency`` (the cluster's terms). Whoosh's
    ``expand_prefix`` over several segments merges their term lists in Python, and each
    term's frequency is then looked up again in every segment. Here each of our
    segments' tables is read once, in order, its frequencies from the entries read. A
    term among the first ``limit`` of all segments is among the first ``limit`` of each
    segment that holds it, so the sums are whole."""
    found: dict[str, int] = {}
    for leaf, _ in reader.leaf_readers():
        for text, count in islice(_leaf_prefix(leaf, fieldname, prefix), limit):
            found[text] = found.get(text, 0) + count
    return [(text, found[text]) for text in sorted(found)[:limit]]


def _leaf_prefix(leaf: Any, fieldname: str, prefix: str) -> Iterator[tuple[str, int]]:
    terms = getattr(leaf, "_terms", None)
    if not isinstance(terms, TermsReader):  # not a segment of ours: ask it
        for text in leaf.expand_prefix(fieldname, prefix):
            yield (text.decode("utf-8") if isinstance(text, bytes) else text,
                   leaf.doc_frequency(fieldname, text))
        return
    field = schema_field(leaf.schema, fieldname)
    if field is None or fieldname not in terms._fieldmap:
        return
    start = terms._keycoder(fieldname, field.to_bytes(prefix))
    skip = len(terms._keycoder(fieldname, b""))  # the field's number
    for key, entry in terms._tindex.items_from(start):
        if not key.startswith(start):
            return
        yield key[skip:].decode("utf-8"), TermInfo.entry_doc_frequency(entry)
