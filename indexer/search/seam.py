"""The seam between query time and a storage backend.

Query time reads one committed version of an index through a :class:`Version`:
term statistics, stored articles and passages, and the documents a compiled query
matches. The embedded backend's is :class:`indexer.store.snapshot.Snapshot`; a
second backend implements the same protocol, and the rooms of query time typed
against it (:mod:`.telling`, :mod:`.weights`, :mod:`.facets`, and what counts a
search's totals below) work on it unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from ..errors import IndexerError
from ..model import Totals

T = TypeVar("T")


class ArticleIds(Protocol):
    """A version's document → article id column."""

    def __getitem__(self, doc: int) -> str: ...


class Version(Protocol):
    """One committed version of an index, as query time reads it.

    Everything read or derived from a version goes with it: a backend makes a new
    one when another process has committed, so nothing derived from an older
    version is served with a newer one. Documents are numbered within a version.
    """

    path: Path

    @property
    def closed(self) -> bool:
        """Whether the index moved on and this version was let go."""
        ...

    def langs(self) -> list[str]:
        """The languages of the articles indexed."""
        ...

    def doc_frequency(self, field: str, text: str) -> int:
        """How many live documents hold ``text`` in ``field``."""
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

    def passage(self, doc: int) -> dict[str, Any]:
        """The stored ``text`` and ``meta`` (ordinal, section) of one passage."""
        ...

    def article_docs(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """``(article_id, metadata)`` of every article."""
        ...

    def matches(self, query: Any, limit: int | None = None) -> list[int]:
        """The first ``limit`` documents (all when ``None``) that the backend's compiled
        ``query`` matches, in the version's order."""
        ...

    def derived(self, key: str, make: Callable[[], T]) -> T:
        """What query time derives from this whole version (``make()``), made once."""
        ...


@dataclass(frozen=True)
class Matches:
    """Every match of one search, counted only when someone asks for the totals.

    It pins ``version``, the version searched: counting needs it open, and raises
    once the index has moved on and let it go. Counting every match costs as much as
    the search again on a broad query, hence not before it is asked for.
    """

    version: Version
    query: Any
    """The backend's compiled query, as :meth:`Version.matches` takes it."""
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
