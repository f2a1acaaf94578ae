"""Highlighting: which characters of a passage matched the query, and how.

Spans are data (``[start, end)`` character offsets); markup happens in the CLI.
A phrase is one span from its first word to its last.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..analysis import Token, analyze
from ..model import Span, TermMatch


@dataclass(frozen=True)
class WordPattern:
    """What one query word accepts in a passage: its stem-field forms, its exact form."""

    word: str
    stems: frozenset[str]
    exact: str
    prefix: bool = False
    fuzzy: frozenset[str] = frozenset()
    variants: frozenset[str] = frozenset()  # singular/plural of ``exact``: still exact

    def how(self, token: Token, surface: str) -> str | None:
        """How ``token`` matches: ``exact``, ``folding``, ``stem``, ``fuzzy``, or None."""
        if token.exact == self.exact or token.exact in self.variants or (
                self.prefix and token.exact.startswith(self.exact)):
            # Same letters once accents are folded, different as typed: folding.
            return "folding" if surface.lower() != self.word.lower() and \
                token.exact == self.exact else "exact"
        if token.stem in self.stems:
            return "stem"
        if token.exact in self.fuzzy:
            return "fuzzy"
        return None


@dataclass(frozen=True)
class Pattern:
    """One positive query clause: a word, or a phrase of consecutive words."""

    label: str
    words: tuple[WordPattern, ...]


def find_matches(text: str, lang: str | None,
                 patterns: Sequence[Pattern]) -> tuple[tuple[Span, ...], tuple[TermMatch, ...]]:
    """Merged spans of every pattern in ``text``, and one :class:`TermMatch` per matched word."""
    tokens = analyze(text, lang)
    spans: list[Span] = []
    matches: list[TermMatch] = []
    places = _Places(tokens)
    for pattern in patterns:
        n = len(pattern.words)
        first = pattern.words[0]
        if first.prefix:
            starts: Iterable[int] = range(len(tokens) - n + 1)
        else:
            # Where the first word can match at all (WordPattern.how's tests, as sets):
            # calling how() on every token of every passage shown was most of the time.
            starts = places.of(first.variants | first.fuzzy | {first.exact}, first.stems,
                               len(tokens) - n)
        for i in starts:
            hows = []
            for wp, tok in zip(pattern.words, tokens[i:i + n], strict=False):
                how = wp.how(tok, text[tok.start:tok.end])
                if how is None:
                    break
                hows.append(how)
            else:
                start, end = tokens[i].start, tokens[i + n - 1].end
                spans.append((start, end))
                surface = text[start:end]
                how = hows[0] if n == 1 else "phrase"
                matches.append(TermMatch(pattern.label, surface, how))  # type: ignore[arg-type]
    return merge_spans(spans), tuple(dict.fromkeys(matches))


class _Places:
    """Where each form stands in a passage's tokens, by exact form and by stem: found
    once per passage. Testing every token against each of a pasted text's twenty
    patterns was a third of highlighting: 1.1 ms of a 20–49-word news query, 0.5 ms so."""

    def __init__(self, tokens: Sequence[Token]) -> None:
        self.exact: dict[str, list[int]] = {}
        self.stem: dict[str, list[int]] = {}
        for i, tok in enumerate(tokens):
            self.exact.setdefault(tok.exact, []).append(i)
            self.stem.setdefault(tok.stem, []).append(i)

    def of(self, exacts: Iterable[str], stems: Iterable[str], last: int) -> list[int]:
        """The places, in order and up to ``last``, of tokens with one of ``exacts`` or
        one of ``stems``."""
        found = {i for form in exacts for i in self.exact.get(form, ())}
        found.update(i for stem in stems for i in self.stem.get(stem, ()))
        return sorted(i for i in found if i <= last)


def merge_spans(spans: Iterable[Span]) -> tuple[Span, ...]:
    """Sorted spans with overlapping ones merged (adjacent words stay separate)."""
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if out and start < out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return tuple((s, e) for s, e in out)
