"""The embedded backend: an index in a directory on this machine, on Whoosh.

The store (:class:`~indexer.store.embedded.EmbeddedStore`) writes and checks it;
query time reads it through :class:`~indexer.search.embedded.version.EmbeddedVersion`.
This class is where the two halves meet, so that neither imports the other.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..store.embedded import EmbeddedStore
from ..store.snapshot import Snapshot

if TYPE_CHECKING:
    from ..search.embedded.version import EmbeddedVersion
    from ..search.seam import Version
    from ..store.integrity import CheckReport, Problem


class EmbeddedBackend(EmbeddedStore):
    """The Whoosh index in the directory ``path``, as a :class:`~indexer.backends.Backend`."""

    def open_version(self) -> EmbeddedVersion:
        from ..search.embedded.evaluate import weighting
        from ..search.embedded.version import EmbeddedVersion

        # A fresh searcher rather than refresh(): forks of Whoosh return deleted
        # documents after refresh(), and the original is cheap to reopen.
        return EmbeddedVersion(self.path, self.open_searcher(weighting()))

    def check_records(self, version: Version, report: CheckReport) -> Iterator[Problem]:
        return self.record_problems(_own(version), report)

    def storage(self, version: Version) -> dict[str, int]:
        snap = _own(version)
        return {"size_bytes": self.size(), "segments": len(snap.segment_ids()),
                "deleted_documents": snap.deleted_count()}


def _own(version: Version) -> Snapshot:
    if not isinstance(version, Snapshot):
        raise TypeError(f"not a version of an embedded index: {type(version).__name__}")
    return version
