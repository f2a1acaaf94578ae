"""The Whoosh schema, and the metadata file that says which chain built an index.

Analysis happens in :mod:`indexer.analysis` (in worker processes), so the text
fields receive forms that are already analysed, joined by spaces; Whoosh only
splits them on spaces. This keeps the schema free of custom, pickled analyzers.

An index holds two kinds of documents:

- one **article** document per article (``kind="a"``): metadata and facets;
- one **passage** document per passage (``kind="p"``): the searchable text,
  plus its article's title and filter fields.

What a document gives back (an article's metadata, a passage's text, ordinal and
section) is one ``record`` value per document, in a column of raw bytes, compressed
with zlib and a preset dictionary (``stored_dict.txt``: the first 32 KiB of the
Wikinews passages in ``corpus/``, CC BY 2.5). Whoosh's stored fields would pickle
each document's values and compress them alone, and a 700-byte passage on its own
compresses poorly: over 2,000 OrangeSum articles the stored values took 5.27 MB,
the records take 3.70 MB. Changing the dictionary changes the stored format.
"""

from __future__ import annotations

import json
import pickle
import zlib
from functools import cache
from pathlib import Path
from typing import Any

from whoosh.analysis import IDTokenizer, SpaceSeparatedTokenizer
from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, KEYWORD, TEXT, Schema

from .analysis import CHAIN_VERSION
from .errors import IndexNotFoundError, IndexVersionError
from .postings import CompactPositions

FORMAT_VERSION = 7
INLINE_LIMIT = 2
"""Posting lists shorter than this are kept in the term dictionary, not the postings
file, where each list costs a block header and an offset in its term's entry: see
:func:`codec` and :mod:`indexer.terms`."""
META_FILE = "depeches.json"
INDEX_NAME = "MAIN"


def build_schema() -> Schema:
    """The fields of both kinds of document.

    Metadata fields are scorable KEYWORD fields rather than IDs: Whoosh 2.7.4
    looks for a length column on every posting it writes, and for a field
    without one that is a file-system ``stat`` per posting.
    """
    forms = SpaceSeparatedTokenizer()

    def value(**extra: bool) -> TEXT:
        # One whole value per field (an id may hold commas or spaces).
        return TEXT(analyzer=IDTokenizer(), phrase=False, **extra)

    def keys() -> KEYWORD:
        return KEYWORD(commas=True, lowercase=False, scorable=True)

    def positional() -> TEXT:
        field = TEXT(analyzer=forms, phrase=True)
        field.format = CompactPositions(field_boost=field.format.field_boost)
        return field

    return Schema(
        kind=value(),
        article_id=value(sortable=True),
        stem=positional(),
        exact=TEXT(analyzer=forms, phrase=False),
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


def codec() -> Any:
    """Whoosh's W3 codec with compact posting blocks (:mod:`indexer.postings`), compact
    term entries (:mod:`indexer.terms`), and short posting lists inlined."""
    from .postings import Codec

    return Codec(inlinelimit=INLINE_LIMIT, compression=9)


@cache
def _dictionary() -> bytes:
    return (Path(__file__).with_name("stored_dict.txt")).read_bytes()


def _compress(data: bytes) -> bytes:
    z = zlib.compressobj(9, zlib.DEFLATED, 15, 9, zlib.Z_DEFAULT_STRATEGY, _dictionary())
    return z.compress(data) + z.flush()


def _decompress(data: bytes) -> bytes:
    z = zlib.decompressobj(zdict=_dictionary())
    return z.decompress(data) + z.flush()


def passage_record(text: str, ordinal: int, section: str | None) -> bytes:
    """A passage's stored record: its text, then its ordinal and section as JSON."""
    tail = json.dumps([ordinal, section], ensure_ascii=False)
    # JSON escapes control characters, so the last NUL is always the separator.
    return _compress(text.encode("utf-8") + b"\0" + tail.encode("utf-8"))


def read_passage(record: bytes) -> tuple[str, int, str | None]:
    """``(text, ordinal, section)`` from :func:`passage_record`."""
    text, _, tail = _decompress(record).rpartition(b"\0")
    ordinal, section = json.loads(tail)
    return text.decode("utf-8"), ordinal, section


def meta_record(meta: dict[str, Any]) -> bytes:
    """An article's stored record: its metadata, pickled as Whoosh stored it."""
    return _compress(pickle.dumps(meta, 2))


def read_meta(record: bytes) -> dict[str, Any]:
    return pickle.loads(_decompress(record))


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
