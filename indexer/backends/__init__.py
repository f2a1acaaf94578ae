"""Where an index lives: the backends behind :class:`indexer.index.NewsIndex`.

The door reads articles, has the pipeline prepare them, and answers searches with
query time; what differs from one engine to another is behind a :class:`Backend`:
writing documents, the writer's lock, and the committed :class:`~indexer.search.seam.Version`
that query time reads. The embedded backend (:mod:`~indexer.backends.embedded`) is a
directory on this machine, on Whoosh. A second backend implements the same two
protocols, this one and :class:`~indexer.search.seam.Version`, and the door, the
pipeline, query time and the CLI serve it unchanged.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..store.locations import is_location

if TYPE_CHECKING:
    from ..errors import IndexCorruptError
    from ..model import IndexReport
    from ..search.seam import Version
    from ..store.embedded import Indexed
    from ..store.integrity import CheckReport, Problem


class Batches(Protocol):
    """Prepared articles written in batches of a given size, one commit each; each commit
    counts what it committed in the run's report."""

    writing: bool
    """Whether a write is under way: an ``OSError`` then is the index's, not the sources'."""

    @property
    def open(self) -> bool:
        """Whether articles wait for a commit."""
        ...

    def add(self, prep: Indexed) -> None:
        """Write an article's documents, replacing its older version; commit a full batch."""
        ...

    def commit(self) -> None:
        """Commit the open batch and count it."""
        ...

    def abandon(self) -> None:
        """After a failed write: drop what the open batch wrote; the index stays as committed."""
        ...

    def cancel(self) -> None:
        """After an interruption: let the open batch go, uncommitted."""
        ...


class Documents(Protocol):
    """A backend's own documents, made in the pipeline's workers (and sent to them by
    fork): Whoosh's postings for the embedded index, JSON bodies for a cluster."""

    def document(self, fields: dict[str, Any]) -> Any:
        """The document of one prepared article or passage
        (:class:`indexer.pipeline.prepare.Prepared`)."""
        ...


class Backend(Protocol):
    """An index as the door asks of it: written in batches under one writer's lock, read
    one committed version at a time, merged, checked and measured."""

    @property
    def path(self) -> Path | str:
        """The directory, or the URL of a cluster's index (without its password)."""
        ...

    @property
    def documents(self) -> Documents:
        """How the pipeline's workers make the backend's documents of an article."""
        ...

    def writing(self, wait: float = 0.0) -> AbstractContextManager[None]:
        """Hold the writer's lock, waiting up to ``wait`` seconds for another writer."""
        ...

    def open_version(self) -> Version:
        """The latest committed version, opened afresh."""
        ...

    def damaged(self, e: Exception) -> IndexCorruptError | None:
        """The damage behind a failed read, or ``None`` when the index is as written."""
        ...

    def hashes(self) -> dict[str, str]:
        """Each committed article's content hash, by id."""
        ...

    def batches(self, existing: dict[str, str], report: IndexReport, size: int) -> Batches:
        """Batches of ``size`` articles (an id in ``existing`` is an update)."""
        ...

    def optimize(self) -> tuple[int, int]:
        """Merge the index into one segment: ``(before, after)`` segment counts. The
        caller holds the writer's lock."""
        ...

    def check_files(self) -> CheckReport:
        """The index's files against the checksums written at commit."""
        ...

    def check_records(self, version: Version, report: CheckReport) -> Iterator[Problem]:
        """Every stored record of ``version`` read back, counted in ``report``."""
        ...

    def storage(self, version: Version) -> dict[str, int]:
        """``size_bytes``, ``segments`` and ``deleted_documents`` (not yet merged away)."""
        ...


def create_backend(location: str | os.PathLike[str], *, overwrite: bool = False) -> Backend:
    """A new, empty index at ``location`` (a directory, or ``opensearch+http://…``); an
    index already there is opened as it is, unless ``overwrite``."""
    if is_location(location):
        from .opensearch import OpenSearchBackend

        return OpenSearchBackend.create(str(location), overwrite=overwrite)
    from .embedded import EmbeddedBackend

    return EmbeddedBackend.create(Path(location), overwrite=overwrite)


def open_backend(location: str | os.PathLike[str]) -> Backend:
    """The index at ``location``; a missing or foreign one is a clear error."""
    if is_location(location):
        from .opensearch import OpenSearchBackend

        return OpenSearchBackend.open(str(location))
    from .embedded import EmbeddedBackend

    return EmbeddedBackend.open(Path(location))
