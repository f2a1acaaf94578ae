"""The seam between query time and a storage backend.

Query time reads one committed version of an index through a :class:`Version`: term
statistics, stored articles and passages, and a query tree compiled and evaluated by
the backend (its candidates, its titles' scores, its terms' positions, its matches).
The embedded backend's is :class:`indexer.search.embedded.version.EmbeddedVersion`; a
second backend implements the same protocol, and every room of query time typed
against it (:mod:`.run`, :mod:`.rank`, :mod:`.telling`, :mod:`.weights`,
:mod:`.facets`, and what counts a search's totals below) works on it unchanged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from ..errors import IndexerError
from ..model import Totals

if TYPE_CHECKING:
    from .highlight import Pattern
    from .options import SearchOptions
    from .parse import Group, Node

T = TypeVar("T")

Positions = dict[tuple[str, str], tuple[int, ...]]
"""``(field, term)`` → its positions in one document (``()`` where the field keeps none)."""

Occurrences = dict[tuple[str, str], int]
"""``(field, term)`` → how often one document holds it."""


class ArticleIds(Protocol):
    """A version's document → article id column."""

    def __getitem__(self, doc: int) -> str: ...


class Compiled(Protocol):
    """A query tree as a backend compiled it, with what re-scoring and highlighting read
    of it: the backend keeps its own query objects on it."""

    tree: Node | None

    @property
    def has_text(self) -> bool:
        """Words to rank by; without, filters alone match and the newest come first."""
        ...

    clauses: list[frozenset[tuple[str, str]]]
    """Per query word or phrase, the ``(field, term)`` forms that match it."""
    related: list[frozenset[tuple[str, str]]]
    """Per clause, words that share its prefix: they count for coordination."""
    words: list[str | None]
    """Per clause, its one query word (for word vectors), or ``None``."""
    heads: set[int]
    """The clauses that name the kind of answer a question asks for."""
    pasted: bool
    """Whether the query was pasted rather than typed (:func:`.parse.pasted`)."""
    whole: bool
    """Whether the backend reads this search's long posting lists whole and keeps them, a
    choice it makes at compile (the embedded one: :meth:`EmbeddedVersion.compile
    <indexer.search.embedded.version.EmbeddedVersion.compile>`)."""
    patterns: list[Pattern]
    analysed: list[str]
    suggestions: list[str]


class Version(Protocol):
    """One committed version of an index, as query time reads it.

    Everything read or derived from a version goes with it: a backend makes a new
    one when another process has committed, so nothing derived from an older
    version is served with a newer one. Documents are numbered within a version.
    """

    @property
    def path(self) -> Path | str:
        """The directory, or the URL of a cluster's index."""
        ...

    @property
    def closed(self) -> bool:
        """Whether the index moved on and this version was let go."""
        ...

    def up_to_date(self) -> bool:
        """Whether this is still the latest committed version."""
        ...

    def close(self) -> None:
        """Let the version go, and what was read or derived from it."""
        ...

    def warm(self) -> None:
        """Read ahead, once, what the version's first search would read once, so that
        it costs what the others do."""
        ...

    def langs(self) -> list[str]:
        """The languages of the articles indexed."""
        ...

    def doc_frequency(self, field: str, text: str) -> int:
        """How many live documents hold ``text`` in ``field``."""
        ...

    def doc_count(self) -> int:
        """How many live documents (articles and passages) the version holds."""
        ...

    def passage_count(self) -> int:
        """How many live passages the version holds: the ``N`` of an IDF."""
        ...

    def article_ids(self) -> ArticleIds:
        """The document → article id column."""
        ...

    def article_meta(self, article_id: str) -> dict[str, Any] | None:
        """The stored metadata of one article, or ``None``."""
        ...

    def vectors(self) -> Any:
        """The index's word-vector table (:class:`indexer.search.vectors.WordVectors`),
        opened once per version, or ``None`` where it has none."""
        ...

    def article_metas(self, article_ids: Iterable[str], near: Mapping[str, int] | None = None
                      ) -> Iterator[tuple[str, dict[str, Any] | None]]:
        """``(article_id, metadata or None)`` of several articles, in their order: what an
        export streams, read a batch at a time where a backend reads over the network.
        ``near`` maps some of them to one of their live passages (a search's hits),
        which a backend may use to find the article without looking its id up."""
        ...

    def passage(self, doc: int) -> dict[str, Any]:
        """The stored ``text`` and ``meta`` (ordinal, section) of one passage."""
        ...

    def article_docs(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """``(article_id, metadata)`` of every article."""
        ...

    def article_passages(self, article_ids: Iterable[str], near: Mapping[str, int] | None = None
                         ) -> dict[str, list[int]]:
        """The passages of several articles (an article not found has none), in order:
        what ``show`` and ``similar`` read of one article, and ranking of the candidate
        articles, to score them as wholes. ``near``, as :meth:`article_metas` has it."""
        ...

    def lengths(self, field: str, docs: Iterable[int]) -> dict[int, int]:
        """Each document's length in a scored field, as BM25 reads it (0: none)."""
        ...

    def field_total(self, field: str) -> int:
        """A scored field's length summed over every document."""
        ...

    def facet_counts(self, article_ids: Collection[str] | None, field: str,
                     names: Mapping[str, str]) -> Counter[str]:
        """How many of ``article_ids`` (every article when ``None``) hold each value of
        the facet ``field`` (see :data:`indexer.model.FACET_FIELDS`), counted under its name in
        ``names`` where it has one: an article that holds two values of one name counts
        once under it."""
        ...

    def compile(self, tree: Group, opts: SearchOptions) -> Compiled:
        """The query tree and the option filters, compiled for this backend."""
        ...

    def candidates(self, query: Any, k: int, articles: int
                   ) -> tuple[list[tuple[float, int]], list[int] | None]:
        """The ``k`` best ``(score, doc)`` of a compiled query, best first (ties by article
        and position), and every match when the search saw them all (else ``None``). A
        first pass without the query's common words counts if it found ``articles``.
        Where articles' own scores count (:func:`indexer.search.rank.article_share`), the
        best passage of each of the :data:`~indexer.search.rank.LEADS` articles that score
        best as wholes over the whole version follows, where not among them already.
        Where they count whole (:func:`indexer.search.rank.led_by_articles`), the
        candidates are instead the best passages of the :data:`~indexer.search.rank.LED`
        × ``articles`` best articles as wholes, ``k`` shared among them, unless the
        filters leave fewer than ``articles`` of them."""
        ...

    def newest(self, query: Any, limit: int
               ) -> tuple[list[tuple[float, str, int]], list[int] | None]:
        """``(score, article_id, doc)`` of the documents of the ``limit`` newest matching
        articles, newest first, then by article and position; and every match (or
        ``None``: counted when asked, by :meth:`matches`)."""
        ...

    def article_scores(self, query: Any, articles: Mapping[str, int]) -> dict[str, float]:
        """Each of ``articles``' own score under a compiled query, as
        :func:`~indexer.search.rank.article_scores` defines it; ``articles`` maps each
        to one of its passages."""
        ...

    def title_scores(self, query: Any, k: int) -> dict[str, tuple[float, int]]:
        """Of the ``k`` best-matching titles, each article's title score and the document
        that carries its title."""
        ...

    def positions(self, terms: frozenset[tuple[str, str]], docs: list[int]
                  ) -> dict[int, Positions]:
        """Which of ``terms`` each of ``docs`` holds, with their positions (a typed
        search's candidates: see :data:`indexer.search.weights.PROXIMITY`)."""
        ...

    def occurrences(self, terms: frozenset[tuple[str, str]], docs: list[int],
                    whole: bool = False) -> dict[int, Occurrences]:
        """Which of ``terms`` each of ``docs`` holds, and how often: :meth:`positions`
        counted, without reading the positions where the backend need not. ``whole``:
        :attr:`Compiled.whole` of the search that asks."""
        ...

    def matches(self, query: Any, limit: int | None = None) -> list[int]:
        """The first ``limit`` documents (all when ``None``) that a compiled query
        matches, in the version's order."""
        ...

    def derived(self, key: str, make: Callable[[], T]) -> T:
        """What query time derives from this whole version (``make()``), made once."""
        ...

    def summary(self) -> Summary:
        """How many articles, in which languages, over which dates."""
        ...


@dataclass(frozen=True)
class Summary:
    """What ``stats`` tells of a version's articles."""

    articles: int
    languages: Counter[str]
    """Articles per language, ``"?"`` for those of none detected."""
    date_min: str | None
    date_max: str | None


def read_summary(version: Version) -> Summary:
    """:meth:`Version.summary` from every article's record: how a backend that reads its
    records locally makes it."""
    langs: Counter[str] = Counter()
    dates = []
    for _, meta in version.article_docs():
        langs[meta["lang"] or "?"] += 1
        if meta["date"]:
            dates.append(meta["date"])
    return Summary(sum(langs.values()), langs, min(dates, default=None),
                   max(dates, default=None))


@dataclass(frozen=True)
class Matches:
    """Every match of one search, counted only when someone asks for the totals.

    It pins ``version``, the version searched: counting needs it open, and raises
    once the index has moved on and let it go. Counting every match costs as much as
    the search again on a broad query, hence not before it is asked for.
    """

    version: Version
    query: Any
    """The query as the backend compiled it (:meth:`Version.compile`)."""
    known: Sequence[int] | None = None
    """Every matching document, when the search saw them all: then nothing runs again."""

    def count(self, limit: int | None) -> Totals:
        """The totals, counting at most ``limit`` matching passages (all when ``None``)."""
        if self.version.closed:  # a later search saw a newer commit and closed this one
            raise IndexerError(f"{self.version.path} changed since this search: run it "
                               "again to count its matches")
        more = None if limit is None else limit + 1
        if self.known is not None:  # the first ones, in the version's order
            docs = sorted(self.known)[:more]
        else:
            docs = self.version.matches(self.query, more)
        exact = limit is None or len(docs) <= limit
        if not exact:
            docs = docs[:limit]
        ids = self.version.article_ids()
        return Totals(len({ids[d] for d in docs}), len(docs), exact)
