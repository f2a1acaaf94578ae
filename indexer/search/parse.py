"""Query parsing: from what a user types to a small, typed tree.

The grammar is forgiving on purpose (ripgrep never refuses a pattern it can
read literally): an unclosed quote runs to the end (its words count one by one
too: see :attr:`Text.unclosed`), a stray parenthesis or a dangling operator is
ignored, a lone ``field:`` is a word. Only things that cannot be searched at all
(a bad date) are errors.

Syntax: ``word``, ``"a phrase"``, ``prefix*``, ``AND``/``OR``/``NOT``, ``-word``,
``+word``, ``(groups)``, ``field:value`` with fields ``title``, ``source``,
``lang``, ``actor``, ``place`` and ``date`` (``date:2016``, ``date:2016-05``,
``date:2016-01-01..2016-06-30``, ``date:[2016-01 TO 2016-06]``, ``date:>2016-05-01``).
A sign applies to a field as to a word: ``-place:Alep`` excludes, as in Lucene.

In a pasted text (more than :data:`TYPED_MAX_WORDS` words), a sign is punctuation:
news prose is full of dashes glued to words, and none of them means "without".
``NOT`` still excludes there, and fields still filter.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from ..analysis import words as analysis_words
from ..errors import QuerySyntaxError

MAX_QUERY_CHARS = 10_000
"""A longer query is an error; any shorter one is searched (a long one with its most
telling words: see ``indexer.search.telling.MAX_QUERY_WORDS``)."""
MAX_DEPTH = 32

TYPED_MAX_WORDS = 12
"""A query of at most this many words was typed; a longer one was pasted (a lede, a
paragraph, a dispatch). Only a typed query asks ``did you mean`` (:mod:`.run`: a pasted
text's unknown words are names, not typos), seeks its neighbouring words as phrases
(:meth:`indexer.search.embedded.compile.Compiler.pairs`: a typed search's neighbours
are a phrase someone chose, a pasted lede's are prose) and reads ``-word``/``+word`` as
operators (:func:`parse_query`)."""

FIELDS = frozenset({"title", "source", "lang", "actor", "place", "date"})
Occur = Literal["should", "must", "must_not"]


@dataclass(frozen=True)
class Text:
    """Words to find; several words (``cessez-le-feu``, a quoted phrase) form a phrase."""

    words: tuple[str, ...]
    phrase: bool = False
    prefix: bool = False
    title_only: bool = False
    raw: str = ""
    quoted: bool = False
    unclosed: bool = False
    """A quote that never closes: it runs to the end of the query, and its words also
    count one by one (:func:`indexer.search.telling.telling_words`)."""
    echoed: bool = False
    """A quote whose words the query also holds one by one: :func:`pasted` counts them once."""


@dataclass(frozen=True)
class Filter:
    """An exact-value clause on a metadata field."""

    field: str
    value: str


@dataclass(frozen=True)
class DateRange:
    """Inclusive ISO date bounds (``None`` is open)."""

    start: str | None
    end: str | None


@dataclass(frozen=True)
class Group:
    """Clauses with Lucene-style occurrences; ``any_of`` alternatives are OR-ed groups."""

    clauses: tuple[tuple[Occur, Node], ...] = ()


@dataclass(frozen=True)
class Any_:
    """Alternatives joined by ``OR``."""

    options: tuple[Node, ...] = field(default_factory=tuple)


Node = Text | Filter | DateRange | Group | Any_

_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<lparen>\()
    | (?P<rparen>\))
    | (?P<field>[-+]?[A-Za-z]+):(?=\S)
    | (?P<quote>"[^"]*"?)
    | (?P<range>\[[^\]]*\]?)
    | (?P<word>[^\s()"]+)
    """,
    re.VERBOSE,
)


def parse_query(query: str) -> Group:
    """Parse a query string into a :class:`Group` (possibly empty)."""
    query = query.replace("\x00", " ")
    if len(query) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(query[:40] + "…", MAX_QUERY_CHARS,
                               f"query longer than {MAX_QUERY_CHARS:,} characters",
                               hint="search with the passage that matters most")
    tokens = [(m.lastgroup, m.group(), m.start()) for m in _TOKEN.finditer(query)
              if m.lastgroup != "ws"]
    group = _Parser(query, tokens, prose=True).parse()
    if not pasted(group) and any(kind in ("word", "field") and text[0] in "-+"
                                 for kind, text, _ in tokens):
        # A sign glued to a word is an operator only in a typed query. In news prose
        # it is a minus sign ("(-18,5%)"), an intertitle's closing dash ("- Marathon
        # annulé -En France") or a dialogue dash (-"…"): read as exclusions, 33 of 50
        # whole OrangeSum articles pasted excluded words of their own, and were scored
        # passage by passage, every segment whole, to do so.
        group = _Parser(query, tokens).parse()
    return group


def optional_texts(group: Group) -> Iterator[Text]:
    """The optional words and phrases of a query, in order (not prefixes or fields)."""
    for occur, child in group.clauses:
        if occur != "should":
            continue
        if isinstance(child, Group):
            yield from optional_texts(child)
        elif isinstance(child, Text) and not (child.title_only or child.prefix):
            yield child


def pasted(tree: Group) -> bool:
    """Whether the query was pasted rather than typed: its optional words and phrases
    hold more than :data:`TYPED_MAX_WORDS` words."""
    return sum(len(node.words) for node in optional_texts(tree)
               if not node.echoed) > TYPED_MAX_WORDS


class _Parser:
    def __init__(self, query: str, tokens: list[tuple[str | None, str, int]],
                 prose: bool = False) -> None:
        self.query = query
        self.tokens = tokens
        self.prose = prose  # signs are punctuation: see parse_query
        self.i = 0

    def parse(self) -> Group:
        """The whole query, as one group."""
        node = self.parse_or()
        return node if isinstance(node, Group) else Group((("should", node),))

    def peek(self) -> tuple[str | None, str, int] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def parse_or(self, depth: int = 0) -> Node:
        options = [self.parse_clauses(depth)]
        while (tok := self.peek()) and tok[0] == "word" and tok[1] == "OR":
            self.i += 1
            options.append(self.parse_clauses(depth))
        options = [o for o in options if not (isinstance(o, Group) and not o.clauses)]
        if len(options) == 1:
            return options[0]
        return Any_(tuple(options)) if options else Group()

    def parse_clauses(self, depth: int) -> Group:
        clauses: list[tuple[Occur, Node]] = []
        pending: Occur | None = None
        and_next = False
        while (tok := self.peek()) is not None:
            kind, text, pos = tok
            if kind == "rparen":
                if depth > 0:
                    break
                self.i += 1  # a stray ")" is ignored
                continue
            if kind == "word" and text == "OR":
                break
            self.i += 1
            if kind == "word" and text == "AND":
                and_next = bool(clauses)
                if clauses and clauses[-1][0] == "should":
                    clauses[-1] = ("must", clauses[-1][1])
                continue
            if kind == "word" and text in ("-", "+") and (nxt := self.peek()) \
                    and nxt[0] in ("quote", "lparen"):
                if not self.prose:
                    pending = "must_not" if text == "-" else "must"
                continue
            if kind == "word" and text == "NOT":
                pending = "must_not"
                continue
            occur: Occur = pending or ("must" if and_next else "should")
            pending, and_next = None, False
            if kind in ("word", "field") and len(text) > 1 and text[0] in "-+":
                if not self.prose:
                    occur = "must_not" if text[0] == "-" else "must"
                text = text[1:]
            node = self.parse_item(kind, text, pos, depth)
            if node is not None:
                clauses.append((occur, node))
        return Group(tuple(clauses))

    def parse_item(self, kind: str | None, text: str, pos: int, depth: int) -> Node | None:
        if kind == "lparen":
            if depth >= MAX_DEPTH:  # deeper groups add nothing but recursion
                return None
            inner = self.parse_or(depth + 1)
            if (tok := self.peek()) and tok[0] == "rparen":
                self.i += 1
            return inner
        if kind == "field":
            name = text[:-1].lower()
            nxt = self.peek()
            if name in FIELDS and nxt and nxt[0] in ("word", "quote", "range"):
                self.i += 1
                return self.parse_field(name, nxt[1], nxt[2])
            return self.text(text[:-1], phrase=False)  # "Note:" or an unknown field: a word
        if kind == "quote":
            return self.text(text.strip('"'), phrase=True, quoted=True,
                             unclosed=len(text) == 1 or not text.endswith('"'))
        if kind == "range":
            return self.text(text.strip("[]"), phrase=False)
        return self.text(text, phrase=False)

    def text(self, raw: str, *, phrase: bool, title_only: bool = False,
             quoted: bool = False, unclosed: bool = False) -> Text | None:
        prefix = raw.endswith("*") and not phrase
        words = tuple(w for w, *_ in analysis_words(raw))
        if not words:
            return None
        return Text(words, phrase=phrase or len(words) > 1, prefix=prefix,
                    title_only=title_only, raw=raw, quoted=quoted, unclosed=unclosed)

    def parse_field(self, name: str, value: str, pos: int) -> Node | None:
        value = value.strip('"') if value.startswith('"') else value
        if name == "title":
            return self.text(value, phrase=False, title_only=True)
        if name == "date":
            return parse_date_range(value, self.query, pos)
        if not value.strip():
            return None
        return Filter(name, value)


_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def date_bound(value: str, *, end: bool) -> str:
    """An ISO date from ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, as a start or an end bound."""
    value = value.strip()
    if not _DATE.match(value):
        raise ValueError(f"not a date (YYYY, YYYY-MM or YYYY-MM-DD): {value!r}")
    parts = value.split("-")
    y = int(parts[0])
    m = int(parts[1]) if len(parts) > 1 else (12 if end else 1)
    d = int(parts[2]) if len(parts) > 2 else (31 if end else 1)
    import calendar
    import datetime

    if len(parts) == 2 and end and 1 <= m <= 12:
        d = calendar.monthrange(y, m)[1]
    try:
        datetime.date(y, m, d)
    except ValueError:
        raise ValueError(f"not a date: {value!r}") from None
    return f"{y:04d}-{m:02d}-{d:02d}"


def parse_date_range(value: str, query: str = "", pos: int = 0) -> DateRange:
    """``2016``, ``2016-05``, ``A..B``, ``[A TO B]``, ``>A``, ``<B`` as a :class:`DateRange`."""
    v = value.strip().strip("[]")
    try:
        if ".." in v or " TO " in v:
            lo, hi = re.split(r"\.\.| TO ", v, maxsplit=1)
            return DateRange(date_bound(lo, end=False) if lo.strip() not in ("", "*") else None,
                             date_bound(hi, end=True) if hi.strip() not in ("", "*") else None)
        if v.startswith(">"):
            return DateRange(date_bound(v.lstrip(">="), end=False), None)
        if v.startswith("<"):
            return DateRange(None, date_bound(v.lstrip("<="), end=True))
        return DateRange(date_bound(v, end=False), date_bound(v, end=True))
    except ValueError as e:
        raise QuerySyntaxError(query or value, pos, str(e)) from None


def has_words(node: Node) -> bool:
    """Whether the tree holds any word (filters alone hold none)."""
    if isinstance(node, Text):
        return bool(node.words)
    if isinstance(node, Group):
        return any(has_words(child) for _, child in node.clauses)
    return any(has_words(o) for o in getattr(node, "options", ()))
