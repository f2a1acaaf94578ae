"""Tokens for the spotter: French elisions split (``d'Alep`` gives ``d'`` + ``Alep``),
hyphenated names kept whole, and the folding that makes them comparable."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from .words import _SENTENCE_ENDS

_FOLD_TABLE = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'", "œ": "oe", "æ": "ae"})
_TOKEN_RE = re.compile(
    r"""
    (?P<abbr>\b(?:(?:MM|Mmes?|Mlles?|Mgr|Mrs?|Dr|Pr|M)\.(?=\s+\w)|[A-ZÀ-ÖØ-Þ]\.-[A-ZÀ-ÖØ-Þ]\.(?=\s*[A-ZÀ-ÖØ-Þ])|(?:St|[A-ZÀ-ÖØ-Þ])\.(?=\s*[A-ZÀ-ÖØ-Þ])))
  | (?P<elision>\b(?:[dDlLnNmMtTsSjJcC]|[qQ]u|[jJ]usqu|[lL]orsqu|[pP]uisqu|[qQ]uoiqu)['’](?=\w))
  | (?P<word>\w+(?:[-'’‑]\w+)*\+?)
  | (?P<punct>[^\w\s])
    """,
    re.VERBOSE,
)
_NAME_PREFIX_RE = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|ben|bin|ibn|abu|abou|ould)-\w", re.I)


class Token(NamedTuple):
    text: str
    key: str  # folded: casefold, accents stripped, apostrophes unified
    cap: bool  # may be part of a name (capitalised, or "al-Assad")
    start: int  # offset in the paragraph
    end: int
    initial: bool  # first word of a sentence


_fold_cache: dict[str, str] = {}
_FOLD_CHARS = re.compile("[" + "".join(map(chr, _FOLD_TABLE)) + "]")
_CACHED_FOLD = 64  # longer texts (a passage, for mentioned()) seldom recur


def _fold(text: str) -> str:
    """Casefold and strip accents; cached because the same words recur a lot."""
    folded = _fold_cache.get(text)
    if folded is None:
        folded = text.casefold()
        if not folded.isascii():
            if _FOLD_CHARS.search(folded):
                folded = folded.translate(_FOLD_TABLE)
            folded = _strip_marks(unicodedata.normalize("NFKD", folded))
        if len(text) < _CACHED_FOLD and len(_fold_cache) < 200_000:
            _fold_cache[text] = folded
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


def _is_cap(text: str) -> bool:
    if text[0].isupper():
        return True
    # Only "al-Assad", "ben-Ali"... start lowercase; test the cheap signs first.
    return text[0] in "aebiou" and "-" in text[:6] and bool(_NAME_PREFIX_RE.match(text))


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Split ``text[start:end]`` into tokens (offsets stay absolute), marking sentence starts.

    ``start`` should be 0 or just after a space: the first word of the slice
    counts as sentence-initial only when ``start`` is 0.
    """
    tokens: list[Token] = []
    initial = start == 0
    append = tokens.append
    fold = _fold
    new = tuple.__new__  # skips NamedTuple's Python-level __new__: this loop is hot
    cache = _fold_cache
    for match in _TOKEN_RE.finditer(text, start, len(text) if end is None else end):
        word = match.group()
        group = match.lastgroup
        begin, stop = match.span()
        if group == "punct":
            initial = initial or word in _SENTENCE_ENDS
            append(new(Token, (word, word, False, begin, stop, False)))
            continue
        cap = group == "abbr" or (group == "word" and _is_cap(word))
        key = cache.get(word) or fold(word)
        append(new(Token, (word, key, cap, begin, stop, initial)))
        initial = False
    return tokens
