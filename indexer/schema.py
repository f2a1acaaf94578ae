"""The Whoosh schema, and the metadata file that says which chain built an index.

Analysis happens in :mod:`indexer.analysis` (in worker processes), so the text
fields receive forms that are already analysed, joined by spaces; Whoosh only
splits them on spaces. This keeps the schema free of custom, pickled analyzers.

An index holds two kinds of documents:

- one **article** document per article (``kind="a"``): metadata and facets;
- one **passage** document per passage (``kind="p"``): the searchable text,
  plus its article's title and filter fields.
"""

from __future__ import annotations

import json
from pathlib import Path

from whoosh.analysis import IDTokenizer, SpaceSeparatedTokenizer
from whoosh.fields import KEYWORD, STORED, TEXT, Schema

from .analysis import CHAIN_VERSION
from .errors import IndexNotFoundError, IndexVersionError

FORMAT_VERSION = 4
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

    return Schema(
        pid=value(stored=True),
        kind=value(),
        article_id=value(stored=True, sortable=True),
        stem=TEXT(analyzer=forms, phrase=True),
        exact=TEXT(analyzer=forms, phrase=False),
        title_stem=TEXT(analyzer=forms, phrase=True),
        date=value(stored=True),
        month=value(),
        year=value(),
        source=value(),
        lang=value(),
        actor=keys(),
        place=keys(),
        mentions=keys(),
        meta=STORED(),
        text=STORED(),
    )


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
