"""The Whoosh schema, and the metadata file that says which chain built an index.

Analysis happens in :mod:`indexer.analysis` (in worker processes), so the text
fields receive forms that are already analysed, joined by spaces; Whoosh only
splits them on spaces. This keeps the schema free of custom, pickled analyzers.

An index holds two kinds of documents:

- one **article** document per article (``kind="a"``): metadata and facets;
- one **passage** document per passage (``kind="p"``): the searchable text,
  and its article's title on the first.

The filter fields (:data:`ARTICLE_FIELDS`: dates, source, language, actors, places)
are on the article's document only. Its passages follow it in the same segment, so
a filter read there holds for the run of documents up to the next article's
(:mod:`indexer.search.embedded.evaluate`). Repeated on every passage, they were 18 %
of the postings that indexing wrote (1,071,097 → 881,522 over 2,000 OrangeSum articles).

What a document gives back (an article's metadata and the text of its passages; a
passage's ordinal and section) is one ``record`` value per document, in a column of
raw bytes, compressed with zlib and a preset dictionary (``stored_dict.txt``: the
first 32 KiB of the Wikinews passages in ``corpus/``, CC BY 2.5). Whoosh's stored
fields would pickle each document's values and compress them alone, and a 700-byte
passage on its own compresses poorly: over 2,000 OrangeSum articles the stored
values took 5.27 MB, records of one passage each 3.70 MB, the records of
:func:`article_record` and :func:`passage_record` 2.9 MB. Changing the dictionary
changes the stored format.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Any, Literal

from whoosh.analysis import IDTokenizer, SpaceSeparatedTokenizer
from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, KEYWORD, TEXT, Schema

from ..analysis import CHAIN_VERSION
from ..errors import IndexNotFoundError, IndexVersionError
from .postings import CompactPositions, Counts
from .varints import get_varint, put_varint

FORMAT_VERSION = 10
ARTICLE_FIELDS = frozenset({"date", "month", "year", "source", "lang", "actor", "place"})
"""The filter fields, which only an article's own document holds (see the module doc)."""
INLINE_LIMIT = 2
"""Posting lists shorter than this are kept in the term dictionary, not the postings
file, where each list costs a block header and an offset in its term's entry: see
:func:`codec` and :mod:`indexer.store.terms`."""
META_FILE = "depeches.json"
INDEX_NAME = "MAIN"


def build_schema() -> Schema:
    """The fields of both kinds of document.

    Metadata fields are scorable KEYWORD fields rather than IDs: Whoosh 2.7.4
    looks for a length column on every posting it writes, and for a field
    without one that is a file-system ``stat`` per posting.
    """
    forms = SpaceSeparatedTokenizer()

    def counted(field: Any) -> Any:
        field.format = Counts(field_boost=field.format.field_boost)
        return field

    def value(**extra: bool) -> TEXT:
        # One whole value per field (an id may hold commas or spaces).
        return counted(TEXT(analyzer=IDTokenizer(), phrase=False, **extra))

    def keys() -> KEYWORD:
        return counted(KEYWORD(commas=True, lowercase=False, scorable=True))

    def positional() -> TEXT:
        field = TEXT(analyzer=forms, phrase=True)
        field.format = CompactPositions(field_boost=field.format.field_boost)
        return field

    return Schema(
        kind=value(),
        article_id=value(sortable=True),
        stem=positional(),
        exact=counted(TEXT(analyzer=forms, phrase=False)),
        title_stem=positional(),
        date=value(),
        month=value(),
        year=value(),
        source=value(),
        lang=value(),
        actor=keys(),
        place=keys(),
        mentions=keys(),
        record=COLUMN(VarBytesColumn()),
    )


def mention_term(kind: Literal["actor", "place"], key: str) -> str:
    """A term of the ``mentions`` field: the key of an actor or a place that a passage
    names, its kind as a prefix, as one field holds both."""
    return f"{'a' if kind == 'actor' else 'p'}:{key}"


def codec() -> Any:
    """Whoosh's W3 codec with compact posting blocks (:mod:`indexer.store.postings`), compact
    term entries (:mod:`indexer.store.terms`), and short posting lists inlined."""
    from .postings import Codec

    return Codec(inlinelimit=INLINE_LIMIT, compression=9)


@cache
def _dictionary() -> bytes:
    return (Path(__file__).with_name("stored_dict.txt")).read_bytes()


# Level 5 and zlib's default memory, not 9 and 9: over 600 OrangeSum articles' records,
# level 6 took 0.26 against 0.36 ms an article for 0.2 % more bytes; over 2,000 more,
# level 5 took 0.17 against 0.23 ms for 1.5 % more (0.5 % of a 6,000-article index).
# Readers do not depend on it.
_LEVEL, _MEMORY = 5, 8


# Raw deflate streams (wbits -15), not zlib's: a zlib stream that uses a preset
# dictionary makes the reader check the dictionary's Adler-32, 32 KiB of it for
# every record read (17 of the 19 us it took to inflate a 300-byte record here),
# and carries 6 bytes of header and checksum.
@cache
def _primed() -> Any:
    return zlib.compressobj(_LEVEL, zlib.DEFLATED, -15, _MEMORY, zlib.Z_DEFAULT_STRATEGY,
                            _dictionary())


def _compress(data: bytes, zdict: bytes | None = None) -> bytes:
    # With the shared dictionary, a copy of a compressor already given it: the same
    # stream as a new one (zlib's state is all copied), without loading 32 KiB into
    # it each time (0.12 ms a record, two-thirds of the time).
    z = _primed().copy() if zdict is None else zlib.compressobj(
        _LEVEL, zlib.DEFLATED, -15, _MEMORY, zlib.Z_DEFAULT_STRATEGY, zdict)
    return z.compress(data) + z.flush()


def _decompress(data: bytes, zdict: bytes | None = None) -> bytes:
    z = zlib.decompressobj(-15, zdict=zdict or _dictionary())
    return z.decompress(data) + z.flush()


def _texts_dictionary(head: bytes) -> bytes:
    # The metadata (title, names) ends the preset dictionary of the passages: 5 %
    # smaller texts over 2,000 OrangeSum articles. zlib's window is 32 KiB.
    return (_dictionary() + head)[-32768:]


META_KEYS = ("title", "date", "source", "url", "lang", "actors", "places", "hash", "passages")
"""The keys of an article's metadata, stored as a JSON list of their values in this order."""


def article_record(meta: dict[str, Any], texts: Sequence[str]) -> bytes:
    """An article's stored record: its metadata, then the text of its passages.

    They are two deflated streams behind the first's length (a varint): listing
    every article's metadata (facets, statistics) inflates only the first. The
    passages compress together: over 2,000 OrangeSum articles, 2.33 MB of text
    alone instead of 2.79 MB one passage at a time.
    """
    if set(meta) != set(META_KEYS):
        raise ValueError(f"article metadata keys {sorted(meta)}, expected {sorted(META_KEYS)}")
    encoded = [t.encode("utf-8") for t in texts]
    head = json.dumps([*(meta[k] for k in META_KEYS), [len(b) for b in encoded]],
                      ensure_ascii=False).encode("utf-8")
    head_z = _compress(head)
    out = bytearray()
    put_varint(out, len(head_z))
    return bytes(out + head_z + _compress(b"".join(encoded), _texts_dictionary(head)))


def _head(record: bytes) -> tuple[bytes, int]:
    n, i = get_varint(record, 0)
    return _decompress(record[i:i + n]), i + n


def read_meta(record: bytes) -> dict[str, Any]:
    """An article's metadata from :func:`article_record` (lists come back as tuples)."""
    head = json.loads(_head(record)[0])
    return {k: tuple(v) if isinstance(v, list) else v
            for k, v in zip(META_KEYS, head, strict=False)}


def read_texts(record: bytes) -> list[str]:
    """The text of each of an article's passages, in order, from :func:`article_record`."""
    head, i = _head(record)
    data = _decompress(record[i:], _texts_dictionary(head))
    ends = list(accumulate(json.loads(head)[-1], initial=0))
    return [data[a:b].decode("utf-8") for a, b in zip(ends, ends[1:], strict=False)]


def passage_record(ordinal: int, section: str | None, back: int) -> bytes:
    """A passage's stored record: its ordinal and section, and how many documents
    back its article's is (a passage's text is in its article's record). Passages
    follow their article's document in order, in the same segment, and are deleted
    with it, so ``back`` is also the passage's place among them, from 1."""
    out = bytearray()
    put_varint(out, back)
    put_varint(out, ordinal << 1 | (section is not None))
    return bytes(out) + (section or "").encode("utf-8")


def passage_place(record: bytes) -> tuple[int, int, str | None]:
    """``(back, ordinal, section)`` from :func:`passage_record`."""
    back, i = get_varint(record, 0)
    code, i = get_varint(record, i)
    return back, code >> 1, record[i:].decode("utf-8") if code & 1 else None


def write_meta(path: Path) -> None:
    """Record the format and analysis chain of a new index."""
    meta = {"format": FORMAT_VERSION, "analysis": CHAIN_VERSION, "engine": "whoosh-2.7.4"}
    tmp = path / (META_FILE + ".tmp")
    tmp.write_text(json.dumps(meta) + "\n", encoding="utf-8")
    tmp.replace(path / META_FILE)


def check_meta(path: Path) -> None:
    """Refuse a directory that is not a depeches index, or one built by another chain."""
    if not path.exists():
        raise IndexNotFoundError(str(path), "no such index directory")
    if not path.is_dir():
        raise IndexNotFoundError(str(path), "not a directory")
    meta_file = path / META_FILE
    if not meta_file.exists():
        reason = "empty directory, no index yet" if not any(path.iterdir()) \
            else "not a depeches index (no depeches.json)"
        raise IndexNotFoundError(str(path), reason)
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        found = (int(meta["format"]), str(meta["analysis"]))
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise IndexNotFoundError(str(path), f"unreadable {META_FILE} ({e})") from None
    expected = (FORMAT_VERSION, CHAIN_VERSION)
    if found != expected:
        raise IndexVersionError(
            str(path), f"format {found[0]}, analysis {found[1]}",
            f"format {expected[0]}, analysis {expected[1]}")
