"""Tokens for the spotter: French elisions split (``d'Alep`` gives ``d'`` + ``Alep``),
hyphenated names kept whole, and the folding that makes them comparable."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from ...text import WORD_KEYS, word_key
from .words import _SENTENCE_ENDS

# The spaces before a token are matched with it: findall then walks the text without
# trying every branch at every space, and without a match object per token (a third
# less time than finditer over OrangeSum's windows; offsets are summed from lengths).
_TOKEN_RE = re.compile(
    r"""
    (\s*)
    (?:(?P<abbr>\b(?:(?:MM|Mmes?|Mlles?|Mgr|Mrs?|Dr|Pr|M)\.(?=\s+\w)|[A-ZÀ-ÖØ-Þ]\.-[A-ZÀ-ÖØ-Þ]\.(?=\s*[A-ZÀ-ÖØ-Þ])|(?:St|[A-ZÀ-ÖØ-Þ])\.(?=\s*[A-ZÀ-ÖØ-Þ])))
  | (?P<elision>\b(?:[dDlLnNmMtTsSjJcC]|[qQ]u|[jJ]usqu|[lL]orsqu|[pP]uisqu|[qQ]uoiqu)['’](?=\w))
  | (?P<word>\w+(?:[-'’‑]\w+)*\+?)
  | (?P<punct>[^\w\s]))
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
    stop = start
    for space, abbr, elision, word, punct in _TOKEN_RE.findall(
            text, start, len(text) if end is None else end):
        begin = stop + len(space)
        if word:
            stop = begin + len(word)
            cap = _is_cap(word)
        elif punct:
            stop = begin + len(punct)
            initial = initial or punct in _SENTENCE_ENDS
            append(new(Token, (punct, punct, False, begin, stop, False)))
            continue
        else:
            word = abbr or elision
            stop = begin + len(word)
            cap = bool(abbr)
        append(new(Token, (word, cache.get(word) or fold(word), cap, begin, stop, initial)))
        initial = False
    return tokens


def previous_word(tokens: Sequence[Token], k: int) -> str:
    """The lowercase word just before token ``k``, or '' (a capital, the start). A comma
    is returned as itself: a cue does not reach past it."""
    j = k - 1
    if j < 0 or tokens[j].cap:
        return ""
    return tokens[j].key
