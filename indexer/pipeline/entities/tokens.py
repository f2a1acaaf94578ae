"""Tokens for the spotter: French elisions split (``d'Alep`` gives ``d'`` + ``Alep``),
hyphenated names kept whole, and the folding that makes them comparable."""

from __future__ import annotations

import re
from typing import NamedTuple

from ...text import WORD_KEYS, word_key
from .words import _SENTENCE_ENDS

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
    fold = word_key
    new = tuple.__new__  # skips NamedTuple's Python-level __new__: this loop is hot
    cache = WORD_KEYS
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
