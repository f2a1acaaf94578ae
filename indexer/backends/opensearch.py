"""The OpenSearch backend: an index on a cluster, for archives beyond one machine.

The store (:class:`~indexer.store.opensearch.OpenSearchStore`) places, maps and writes
it. Writing is complete: the same pipeline prepares the same documents, in batches
that a refresh makes visible, with content hashes that skip unchanged articles and a
rebuild that swaps an alias. Query time reads it through
:class:`~indexer.search.opensearch.version.OpenSearchVersion`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, NoReturn

from ..errors import IndexerError
from ..store.opensearch import OpenSearchStore, call

if TYPE_CHECKING:
    from ..errors import IndexCorruptError
    from ..search.seam import Version
    from ..store.integrity import CheckReport, Problem


class OpenSearchBackend(OpenSearchStore):
    """The index behind an alias on an OpenSearch cluster, as a
    :class:`~indexer.backends.Backend`."""

    def open_version(self) -> Version:
        from ..search.opensearch.version import OpenSearchVersion

        return OpenSearchVersion(self)

    def damaged(self, e: Exception) -> IndexCorruptError | None:
        return None  # the cluster checks its own files (Lucene's checksums)

    def optimize(self) -> tuple[int, int]:
        """Force-merge the index to one segment per shard."""
        before = self.segments()
        call(self.location, self.client.indices.forcemerge, index=self.concrete,
              max_num_segments=1, request_timeout=3600)
        return before, self.segments()

    def segments(self) -> int:
        stats = call(self.location, self.client.indices.stats, index=self.concrete,
                      metric="segments")
        return int(stats["_all"]["primaries"]["segments"]["count"])

    def check_files(self) -> CheckReport:
        self._not_yet("checking")

    def check_records(self, version: Version, report: CheckReport) -> Iterator[Problem]:
        self._not_yet("checking")

    def storage(self, version: Version) -> dict[str, int]:
        stats = call(self.location, self.client.indices.stats, index=self.concrete,
                      metric="store,segments,docs")
        primaries = stats["_all"]["primaries"]
        return {"size_bytes": int(primaries["store"]["size_in_bytes"]),
                "segments": int(primaries["segments"]["count"]),
                "deleted_documents": int(primaries["docs"]["deleted"])}

    def _not_yet(self, what: str) -> NoReturn:
        raise IndexerError(f"{self.path}: {what} an OpenSearch index is not available yet; "
                           "indexing and searching are")
