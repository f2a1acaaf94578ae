"""Reads from one committed segment that Whoosh does not offer as such: a field's length
column at once, a term's raw dictionary entry once, a term's raw posting list, the
first live document of a term. They read Whoosh's private members, which the pinned
2.7.4 will not change; the codec's own readers (:class:`PerDocReader` below,
:mod:`indexer.store.terms`) answer Whoosh's calls through them, and the evaluator
(:mod:`indexer.search.embedded.evaluate`) reads postings through them.
"""

from __future__ import annotations

import functools
import struct
from array import array
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3PerDocReader, _lenfield
from whoosh.util.numeric import byte_to_length

from ..analysis import table

T = TypeVar("T")

_NO_COLUMN: Any = object()


def field_lengths(reader: Any, fieldname: str) -> Any:
    """A segment's field lengths by document number, as BM25 reads them (Whoosh's
    one-byte approximation, decoded), or ``None`` when the field keeps none."""
    cache = reader.__dict__.setdefault("_depeches_lengths", {})
    lengths = cache.get(fieldname)
    if lengths is None:
        lengths = cache[fieldname] = _length_table(reader, fieldname)
    return None if lengths is _NO_COLUMN else lengths


class PerDocReader(W3PerDocReader):
    """Whoosh's per-document reader, with its column files opened with it and each
    field's length column read once.

    Whoosh opens a column file (stored records, field lengths) the first time it is
    read, and takes a column whose file is not there for one no document has a value
    in. A commit that merges segments deletes their files as soon as its table of
    contents is written, so a version opened before it read empty records and no field
    lengths from then on (a pinned export, a search running during a commit). Opened
    here, they stay readable until the version is closed, as Lucene's readers keep
    theirs; :meth:`indexer.store.embedded.EmbeddedStore.open_searcher` makes sure no
    commit came between the table of contents and this listing.

    Whoosh also reads a document's field length (which BM25 needs) from the segment
    file each time it is asked: a seek and a read per posting when a commit writes
    postings, and per candidate when a search scores them. Over 2,000 OrangeSum
    articles that was a sixth of the writing time."""

    def __init__(self, storage: Any, segment: Any) -> None:
        super().__init__(storage, segment)
        prefix, ext = segment.make_filename("."), W3Codec.COLUMN_EXT
        for name in segment.list_files(storage):
            if name.endswith(ext):
                fieldname = name[len(prefix):-len(ext)]
                self._colfiles[fieldname] = self._get_column_file(fieldname)

    def has_column(self, fieldname: str) -> bool:
        return fieldname in self._colfiles

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        if docnum > self._doccount:
            raise IndexError(f"Asked for docnum {docnum!r} of {self._doccount}")
        lengths = field_lengths(self, fieldname)
        if lengths is None:
            return default
        # As in Whoosh: a length byte of 0 (no terms, or past the column's end) gives None.
        return lengths[docnum] if docnum < len(lengths) and lengths[docnum] else None


TERM_CACHE_LIMIT = 100_000
"""Terms of one field a segment's reader remembers (see :func:`field_cache`) before it
starts afresh (a few MiB)."""


def per_reader(reader: Any, name: str, make: Callable[[], T]) -> T:
    """``make()``, kept on ``reader`` under ``name``: a segment's reader lives as long as
    its version, and its files never change."""
    held = reader.__dict__.get(name)
    if held is None:
        held = reader.__dict__[name] = make()
    return held


def field_cache(reader: Any, name: str, fieldname: str) -> dict[Any, Any]:
    """The dict ``reader`` keeps under ``name`` for one field's terms, emptied once it
    holds :data:`TERM_CACHE_LIMIT` of them.

    One plain dict per field, keyed by the term and holding bytes, numbers or None:
    Python's garbage collector never tracks such a dict. Keyed by ``(field, term)``
    tuples, or holding tuples, each new term made the collector track it again, and each
    full collection walked all its entries: 8 segments' hundreds of thousands of terms
    in a long-lived process. After 1,200 pasted texts a full collection took 60–79 ms
    with them, 22–29 ms without.
    """
    return table(per_reader(reader, name, dict), fieldname, TERM_CACHE_LIMIT)


def term_entry(reader: Any, fieldname: str, tbytes: bytes) -> bytes | None:
    """The raw term-dictionary entry of a term in one segment, or None, read once
    (:class:`indexer.store.terms.TermsReader` reads its entries through this too)."""
    cache = field_cache(reader, "_depeches_terms", fieldname)
    try:
        return cache[tbytes]
    except KeyError:
        found = cache[tbytes] = reader._tindex.get(reader._keycoder(fieldname, tbytes))
        return found


def _length_table(reader: Any, fieldname: str) -> Any:
    column = reader._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return _NO_COLUMN
    # One byte per document (Whoosh's NumericColumn("B")), decoded to lengths once.
    # Each byte of a length is its own translation of the column, laid into every fourth
    # byte: all in C. Through a Python table per document it was 1 ms a field and
    # segment, 13 ms of a process's first pasted search (12 such tables).
    raw = column._dbfile.get(column._basepos, column._count)
    decoded = bytearray(_LENGTH_SIZE * len(raw))
    for i, plane in enumerate(_length_planes(byte_to_length)):
        decoded[i::_LENGTH_SIZE] = raw.translate(plane)
    lengths = array("I")
    lengths.frombytes(decoded)
    return lengths


_LENGTH_SIZE = array("I").itemsize


@functools.cache
def _length_planes(byte_to_length: Any) -> list[bytes]:
    """Translation tables, one per byte of an ``array("I")`` item: the ``i``-th maps a
    length byte to byte ``i`` of its decoded length, in the machine's order."""
    decoded = array("I", [byte_to_length(b) for b in range(256)]).tobytes()
    return [decoded[i::_LENGTH_SIZE] for i in range(_LENGTH_SIZE)]


def schema_field(schema: Any, fieldname: str) -> Any:
    try:
        return schema[fieldname]
    except KeyError:  # a Whoosh schema has no get()
        return None


TermStats = tuple[bytes, int, float, int, "int | None"]
"""What :func:`term_info` gives of a term in one segment: its bytes, its document
frequency, its largest weight, its shortest document's length, and its posting list's
offset in the postings file (None when the list is inlined in the dictionary)."""

_STATS = struct.Struct("<qdqq")  # TermStats but the bytes, which follow; offset -1: None
_STATS_SIZE = _STATS.size


def term_info(reader: Any, fieldname: str, text: Any) -> TermStats | None:
    """A term's :data:`TermStats` in one segment, or None when the segment does not hold
    it; looked up once per reader.

    A long query looks up each of its terms in every segment several times (its bound,
    its postings, its candidates' positions and frequencies): 1,600 lookups, 800 of
    them distinct, for a 20–49-word news query. Each went through Whoosh's
    ``__contains__``, encoded the text twice and decoded the entry again.
    """
    cache = field_cache(reader, "_depeches_held", fieldname)
    try:
        packed = cache[text]
    except KeyError:
        packed = cache[text] = _held(reader, fieldname, text)
    if packed is None:
        return None
    # Kept packed in bytes (see field_cache), unpacked for each asking: 0.2 µs.
    df, weight, shortest, offset = _STATS.unpack_from(packed)
    return packed[_STATS_SIZE:], df, weight, shortest, None if offset < 0 else offset


def _held(reader: Any, fieldname: str, text: Any) -> bytes | None:
    """:func:`term_info`, read from the segment and packed."""
    field = schema_field(reader.schema, fieldname)
    if field is None:
        return None
    try:
        tbytes = field.to_bytes(text)
    except ValueError:
        return None
    # The statistics alone: a term's inlined postings, decoded here, were a fifth of
    # the cost of weighing a pasted article's words, which reads hundreds never searched.
    found = reader._terms.statistics(fieldname, tbytes)
    return None if found is None else _STATS.pack(*found) + tbytes


def lookup(reader: Any, fieldname: str, text: Any) -> tuple[Any, bytes, Any] | None:
    """A term's field, its bytes and its raw posting list in one segment (deleted
    documents included), or None when the segment does not hold it."""
    held = term_info(reader, fieldname, text)
    if held is None:
        return None
    tbytes, df, _, _, offset = held
    field = reader.schema[fieldname]
    terms = reader._terms
    codec = terms._codec
    if offset is not None and hasattr(codec, "open_list"):  # our codec's lists
        # Opened from the numbers kept rather than from the entry decoded again: 40,000
        # entries for the 20,659 terms of 400 news ledes read over four segments.
        return field, tbytes, codec.open_list(terms._postfile, offset, df, field.format,
                                              term=(fieldname, tbytes))
    # An inlined list's postings are in its entry, decoded again here.
    info = terms.term_info(fieldname, tbytes)
    return field, tbytes, codec.postings_reader(terms._postfile, info, field.format,
                                                term=(fieldname, tbytes))


def live_documents(searcher: Any, fieldname: str, text: str) -> Iterator[int]:
    """The live documents holding a term, in order: Whoosh's ``document_numbers`` without
    building and running a query (with ``kind="p"`` added, that read every passage's
    ``kind`` posting, 30 ms an OrangeSum article)."""
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        found = lookup(reader, fieldname, text)
        if found is None:
            continue
        postings = found[2]
        while postings.is_active():
            docnum = postings.id()
            if not reader.is_deleted(docnum):
                yield docnum + offset
            postings.next()


def first_document(searcher: Any, fieldname: str, text: str) -> int | None:
    """The first live document holding a term, or None: Whoosh's ``document_number``."""
    return next(live_documents(searcher, fieldname, text), None)


def keyed_searcher(ix: Any, weighting: Any) -> Any:
    """Whoosh's searcher over ``ix``, keeping its terms' IDFs as :func:`field_cache`'s
    dicts keep their entries: keyed by a string or bytes, not by a tuple.

    Whoosh keys them by ``(field, term)``: each new term made the garbage collector
    track the dict again (a version's searcher keeps it for good, shared with its
    segments' searchers), and each full collection walked all of it, some 10,000
    terms after 400 pasted texts."""
    return _searcher_class()(ix.reader(), fromindex=ix, weighting=weighting)


@functools.cache
def _searcher_class() -> type:
    from whoosh.searching import Searcher

    class KeyedSearcher(Searcher):
        def idf(self, fieldname: str, text: Any) -> float:
            key = f"{fieldname}\0{text}" if isinstance(text, str) \
                else fieldname.encode() + b"\0" + text  # never equal to a str key
            cache = self._idf_cache
            found = cache.get(key)
            if found is None:
                found = cache[key] = self.weighting.idf(self, fieldname, text)
            return found

    return KeyedSearcher
