"""Highlighting: which characters of a passage matched the query, and how.

Spans are data (``[start, end)`` character offsets); markup happens in the CLI.
A phrase is one span from its first word to its last.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..analysis import Token, analyze, analyze_some
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
    return Matcher(patterns).find(text, lang)


class Matcher:
    """:func:`find_matches` for one query's patterns, which it indexes once for all the
    passages shown: by the forms a pattern's first word accepts, so that each of a
    passage's few tokens that may match asks the patterns it may open, not each pattern
    where it may start."""

    def __init__(self, patterns: Sequence[Pattern]) -> None:
        self.patterns = patterns
        self.prefixed = [p for p, pattern in enumerate(patterns) if pattern.words[0].prefix]
        self.by_exact: dict[str, list[int]] = {}
        self.by_stem: dict[str, list[int]] = {}
        for p, pattern in enumerate(patterns):
            first = pattern.words[0]
            for form in first.variants | first.fuzzy | {first.exact}:
                self.by_exact.setdefault(form, []).append(p)
            for form in first.stems:
                self.by_stem.setdefault(form, []).append(p)
        words = [wp for pattern in patterns for wp in pattern.words]
        # Every form a token needs, as its stem or its exact form, to match a word.
        self.forms = frozenset().union(*(wp.stems | wp.variants | wp.fuzzy | {wp.exact}
                                         for wp in words))
        self.any_prefix = any(wp.prefix for wp in words)

    def find(self, text: str, lang: str | None
             ) -> tuple[tuple[Span, ...], tuple[TermMatch, ...]]:
        """Merged spans of the patterns in ``text``, and one :class:`TermMatch` per matched
        word, in the patterns' order."""
        # A prefix may match any token; else only those WordPattern.how can accept, by
        # their exact forms or stems, are made.
        tokens: Sequence[Token | None] = (analyze(text, lang) if self.any_prefix
                                          else analyze_some(text, lang, self.forms))
        count = len(tokens)
        found: list[tuple[int, int, Span, TermMatch]] = []
        patterns = self.patterns
        for i, tok in enumerate(tokens):
            if tok is None:
                continue
            opened = {*self.prefixed, *self.by_exact.get(tok.exact, ()),
                      *self.by_stem.get(tok.stem, ())}
            for p in opened:
                pattern = patterns[p]
                n = len(pattern.words)
                if i > count - n:
                    continue
                hows = []
                for wp, word in zip(pattern.words, tokens[i:i + n], strict=True):
                    how = wp.how(word, text[word.start:word.end]) if word else None
                    if word is None or how is None:
                        break
                    hows.append(how)
                    end = word.end
                else:
                    start = tok.start
                    how = hows[0] if n == 1 else "phrase"
                    found.append((p, i, (start, end),
                                  TermMatch(pattern.label, text[start:end], how)))  # type: ignore[arg-type]
        found.sort(key=_pattern_then_place)
        return (merge_spans(span for _, _, span, _ in found),
                tuple(dict.fromkeys(match for _, _, _, match in found)))


def _pattern_then_place(row: tuple[int, int, Span, TermMatch]) -> tuple[int, int]:
    return row[0], row[1]


def merge_spans(spans: Iterable[Span]) -> tuple[Span, ...]:
    """Sorted spans with overlapping ones merged (adjacent words stay separate)."""
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if out and start < out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return tuple((s, e) for s, e in out)
