"""Folding and keys: how two spellings of a word, a name or a source come to agree.

Each fold below serves one purpose, and they differ on purpose; the index's terms and
keys were written with them, so changing one asks for a re-index:

- :func:`fold` strips accents and keeps case: the analysis chain's exact and stem
  forms (``États`` → ``Etats``, ``œuvre`` → ``oeuvre``).
- :func:`source_key` also lowercases and collapses spaces: ``--source`` filters.
- :func:`name_key` also casefolds and unifies apostrophes and hyphens: actor and
  place keys, ``--actor``/``--place`` filters, corrections.
- :func:`word_key` casefolds, strips accents and unifies apostrophes but keeps
  hyphens: the entity spotter's token keys, on its hot path.

Kept apart from the pipeline so that query time and the terminal front end can fold
without loading it. The front end also asks :data:`CONTROL` here, without loading
the cleaning pipeline (its regexes cost a cold ``depeches search`` 2 ms).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Any control character but tab and newline (C0, DEL, C1): what no terminal should get.
Cleaning removes them from what it indexes; the renderer shows the rest as escapes."""


def fold(text: str) -> str:
    """Accent folding: ``États`` -> ``Etats``, ``œuvre`` -> ``oeuvre``."""
    if len(text) >= 40:  # a passage, seldom asked again
        return _fold(text)
    folded = _FOLDED.get(text)
    if folded is None:
        if len(_FOLDED) >= _FOLDS_KEPT:
            _FOLDED.clear()
        folded = _FOLDED[text] = _fold(text)
    return folded


# Plain dicts of strings rather than lru_caches, here and for word forms: Python's garbage
# collector does not track them, and walked every entry of an lru_cache in each full
# collection, which a long-lived process (a server, a notebook) makes every few hundred
# queries.
_FOLDED: dict[str, str] = {}
_FOLDS_KEPT = 200_000


def table(tables: dict[Any, dict[Any, Any]], key: Any, limit: int) -> dict[Any, Any]:
    """The dict ``tables`` keeps under ``key``, made afresh when missing or once it holds
    ``limit`` entries: a bounded cache that Python's garbage collector does not track,
    as long as it holds strings, bytes, numbers or None (word forms, and the store's
    term caches: :func:`indexer.store.reading.field_cache`)."""
    found = tables.get(key)
    if found is None or len(found) >= limit:
        found = tables[key] = {}
    return found


def source_key(source: str) -> str:
    """The filter key of a source: case- and accent-insensitive (the writer and the query
    side both use it)."""
    return " ".join(fold(source).lower().split())


def _fold(text: str) -> str:
    if text.isascii():
        return text
    text = text.translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'", "´": "'"})
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_]+")


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """Fold a name for matching: casefold, strip accents, unify apostrophes and hyphens.

    Hyphens become spaces so that ``"Etats Unis"`` and ``"États-Unis"`` agree.
    """
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", stripped.translate(_APOSTROPHES)).strip()


_WORD_TABLE = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'", "œ": "oe", "æ": "ae"})
_WORD_CHARS = re.compile("[" + "".join(map(chr, _WORD_TABLE)) + "]")
WORD_KEYS: dict[str, str] = {}
"""What :func:`word_key` gave for short words: the tokenizer's hot loop reads it first."""
_CACHED_WORD = 64  # longer texts (a passage, for mentioned()) seldom recur


def word_key(text: str) -> str:
    """Casefold and strip accents; cached because the same words recur a lot."""
    folded = WORD_KEYS.get(text)
    if folded is None:
        folded = text.casefold()
        if not folded.isascii():
            if _WORD_CHARS.search(folded):
                folded = folded.translate(_WORD_TABLE)
            folded = _strip_marks(unicodedata.normalize("NFKD", folded))
        if len(text) < _CACHED_WORD and len(WORD_KEYS) < 200_000:
            WORD_KEYS[text] = folded
    return folded


def _strip_marks(text: str) -> str:
    """``text`` without its combining characters. A passage has only a few distinct ones:
    one regular expression removes them, where testing every character in Python took
    most of the time of mentioned()."""
    marks = frozenset(c for c in set(text) if unicodedata.combining(c))
    return _marks_pattern(marks).sub("", text) if marks else text


@lru_cache(maxsize=1024)
def _marks_pattern(marks: frozenset[str]) -> re.Pattern[str]:
    return re.compile("[" + "".join(sorted(map(re.escape, marks))) + "]")
