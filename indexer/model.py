"""Plain, frozen data: what flows between the stages and what the API returns."""

from __future__ import annotations

import hashlib
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, overload

BlockKind = Literal["paragraph", "heading"]


@dataclass(frozen=True)
class Block:
    """One paragraph of an article, or an intertitle (``- Offensive rebelle -``)."""

    text: str
    kind: BlockKind = "paragraph"


@dataclass(frozen=True)
class Article:
    """One news article, as read from a source and then cleaned.

    ``blocks`` hold the body: paragraphs and section headings, in order. The
    lede (standfirst) is kept apart because it is not always body text.
    """

    id: str
    title: str
    blocks: tuple[Block, ...]
    date: str | None = None
    source: str | None = None
    url: str | None = None
    lang: str | None = None
    lede: str = ""
    actors: tuple[str, ...] = ()
    places: tuple[str, ...] = ()

    @classmethod
    def from_fields(
        cls,
        *,
        id: str,
        body: str,
        title: str = "",
        date: str | None = None,
        source: str | None = None,
        url: str | None = None,
        lang: str | None = None,
        lede: str = "",
    ) -> Article:
        """An article from flat fields; ``body`` paragraphs are separated by blank lines."""
        paragraphs = [p.strip() for p in body.replace("\r\n", "\n").split("\n\n")]
        blocks = tuple(Block(p) for p in paragraphs if p)
        return cls(id=id, title=title, blocks=blocks, date=date, source=source, url=url,
                   lang=lang, lede=lede)

    @property
    def paragraphs(self) -> list[str]:
        """The text of the body paragraphs, headings left out."""
        return [b.text for b in self.blocks if b.kind == "paragraph"]

    @property
    def body(self) -> str:
        """The body as text: blocks separated by blank lines."""
        return "\n\n".join(b.text for b in self.blocks)

    def content_hash(self) -> str:
        """A digest of everything indexed, so that re-indexing skips unchanged articles."""
        h = hashlib.blake2b(digest_size=16)
        for part in (self.title, self.date or "", self.source or "", self.url or "",
                     self.lang or "", self.lede):
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\x00")
        for b in self.blocks:
            h.update(b.kind.encode())
            h.update(b.text.encode("utf-8", "surrogatepass"))
            h.update(b"\x00")
        return h.hexdigest()


@dataclass(frozen=True)
class Passage:
    """A searchable piece of an article: a paragraph, or part of a long one."""

    article_id: str
    ordinal: int
    text: str
    section: str | None = None


Span = tuple[int, int]


@dataclass(frozen=True)
class Hit:
    """One ranked passage; ``highlights`` are ``[start, end)`` character offsets into it."""

    rank: int
    article_id: str
    title: str
    date: str | None
    source: str | None
    url: str | None
    lang: str | None
    score: float
    passage: str
    highlights: tuple[Span, ...]
    ordinal: int = 0
    section: str | None = None
    actors: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    matches: tuple[TermMatch, ...] = ()


@dataclass(frozen=True)
class TermMatch:
    """How one query term matched one word of a passage (for ``--explain``)."""

    query_term: str
    word: str
    how: Literal["exact", "stem", "folding", "fuzzy", "phrase", "similar"]


@dataclass(frozen=True)
class FacetCount:
    """One facet value and the number of matching articles that carry it."""

    value: str
    count: int


FACET_FIELDS = ("actors", "places", "sources", "lang")
"""The facets an index counts."""


def article_facets(meta: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """An article's values of each facet, from its stored metadata: what both backends
    count (an embedded index from its records, a cluster from its articles' documents)."""
    return {"actors": tuple(meta["actors"]), "places": tuple(meta["places"]),
            "sources": (meta["source"],) if meta["source"] else (),
            "lang": (meta["lang"],) if meta["lang"] else ()}

BM25_B = 0.4
BM25_K1 = 0.8
"""BM25's length normalisation and term saturation, as the relevance benchmark chose them:
for every backend (a cluster's index is created with them)."""
ARTICLE_K1, ARTICLE_B = 1.2, 0.75
"""BM25's saturation and length normalisation for whole articles
(:func:`indexer.search.rank.article_scores`): Lucene's defaults, which rank OrangeSum's
articles better than the 0.9/0.4 chosen for PIAF's passages."""


@dataclass(frozen=True)
class Totals:
    """How many articles and passages match; lower bounds when ``exact`` is false."""

    articles: int
    passages: int
    exact: bool = True


class Counting(Protocol):
    """A search's matches, counted when first asked for."""

    def count(self, limit: int | None) -> Totals: ...


@dataclass(frozen=True)
class Results(Sequence[Hit]):
    """Ranked hits of one search. The totals are counted when first asked for."""

    query: str
    hits: tuple[Hit, ...]
    elapsed_ms: float
    analysed: str = ""
    left_out: tuple[str, ...] = ()
    """Words of a long query that it was searched without (see
    ``indexer.search.telling.MAX_QUERY_WORDS``)."""
    suggestions: tuple[str, ...] = ()
    facets: dict[str, tuple[FacetCount, ...]] = field(default_factory=dict)
    matches: Counting | None = field(default=None, repr=False, compare=False)
    """What counts the totals when first asked; it pins the version searched
    (:class:`indexer.search.seam.Matches`)."""
    _totals: dict[int | None, Totals] = field(default_factory=dict, repr=False,
                                              compare=False)

    def totals(self, limit: int | None = None) -> Totals:
        """The totals, counting at most ``limit`` matching passages (all when ``None``).

        Counting walks every match, as long as the search itself on a broad
        query; like Elasticsearch's ``track_total_hits``, a limit bounds that
        cost and returns lower bounds (``exact`` false) past it.
        """
        found = self._totals.get(limit)
        if found is None:
            exact = self._totals.get(None)
            if exact is not None and (limit is None or exact.passages <= limit):
                found = exact
            elif self.matches is not None:
                found = self.matches.count(limit)
            else:
                found = Totals(len({h.article_id for h in self.hits}), len(self.hits))
            self._totals[limit] = found
        return found

    @property
    def total_articles(self) -> int:
        """Articles with at least one matching passage."""
        return self.totals().articles

    @property
    def total_passages(self) -> int:
        """Matching passages."""
        return self.totals().passages

    def __len__(self) -> int:
        return len(self.hits)

    @overload
    def __getitem__(self, i: int) -> Hit: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[Hit, ...]: ...
    def __getitem__(self, i: int | slice) -> Hit | tuple[Hit, ...]:
        return self.hits[i]

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.hits)


@dataclass
class IndexReport:
    """What one indexing run did. ``errors`` are one-line messages naming file and reason."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    passages: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    interrupted: bool = False
    jobs: int = 1
    """Processes that cleaned and analysed the articles."""

    @property
    def articles(self) -> int:
        """Articles read and accepted (new + updated + unchanged)."""
        return self.new + self.updated + self.unchanged

    @property
    def rate(self) -> float:
        """Articles per second over the whole run."""
        return self.articles / self.seconds if self.seconds > 0 else 0.0

    def count_commit(self, committed: Iterable[tuple[str, int, dict[str, float]]],
                     existing: Container[str]) -> None:
        """Count a batch once a backend has committed it: ``(article_id, passages,
        seconds per stage)`` of each article, an update when its id is in ``existing``."""
        for article_id, passages, seconds in committed:
            if article_id in existing:
                self.updated += 1
            else:
                self.new += 1
            self.passages += passages
            for stage, secs in seconds.items():
                self.add_seconds(stage, secs)

    def add_seconds(self, stage: str, seconds: float) -> None:
        """Count ``seconds`` more spent in ``stage`` (``write``, ``entities``, …)."""
        self.stage_seconds[stage] = self.stage_seconds.get(stage, 0.0) + seconds
