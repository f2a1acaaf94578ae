"""The OpenSearch backend: an index on a cluster, for archives beyond one machine.

The store (:class:`~indexer.store.opensearch.OpenSearchStore`) places, maps and writes
it. Writing is complete: the same pipeline prepares the same documents, in batches
that a refresh makes visible, with content hashes that skip unchanged articles and a
rebuild that swaps an alias. Query time reads it through
:class:`~indexer.search.opensearch.version.OpenSearchVersion`.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from itertools import groupby
from operator import itemgetter
from typing import TYPE_CHECKING

from ..store.opensearch import OpenSearchStore, call, doc_id, record

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
        """The cluster checks its own files (Lucene's checksums, as it reads them): here,
        that every primary shard of the index is started, so every record can be read."""
        from ..store.integrity import CheckReport, Problem

        health = call(self.location, self.client.cluster.health, index=self.concrete,
                      level="indices")["indices"].get(self.concrete, {})
        started = int(health.get("active_primary_shards", 0))
        report = CheckReport(shards=started)
        missing = int(health.get("number_of_shards", 0)) - started
        if missing or health.get("status") == "red":
            report.problems.append(Problem(self.path, f"{missing} of "
                                           f"{health.get('number_of_shards')} primary shards "
                                           "are not started: the cluster lost their copies"))
        return report

    def check_records(self, version: Version, report: CheckReport) -> Iterator[Problem]:
        """Every document's record read back, by article (its own document first, then
        its passages in order): what will not decode, and passages that do not match."""
        from ..store.integrity import Problem, article_passages, passage_back

        # The scan comes sorted by article, then place: each article's documents together.
        sources = self.scan({"match_all": {}}, ["article_id", "n", "kind", "record"])
        for aid, documents in groupby(sources, itemgetter("article_id")):
            found = False  # the article's own document
            held: int | None = None  # its passages (None: its record is unreadable)
            seen = 0
            for src in documents:
                n = int(src["n"])
                where = f"{self.path}, document {doc_id(aid, n)}"
                report.records += 1
                if src["kind"] == "a":
                    found = True
                    held, problem = article_passages(where, aid, partial(record, src))
                    if problem:
                        yield problem
                    continue
                seen += 1
                back = passage_back(where, partial(record, src))
                if isinstance(back, Problem):
                    yield back
                elif not found:
                    yield Problem(where, "a passage of no article")
                elif held is not None and (back != n or not 1 <= n <= held):
                    yield Problem(where, f"passage {n} of {held} says it is passage {back}")
            if held is not None and seen != held:
                yield Problem(f"{self.path}, article {aid!r}",
                              f"{held} passages in its record, {seen} found on the cluster")

    def storage(self, version: Version) -> dict[str, int]:
        stats = call(self.location, self.client.indices.stats, index=self.concrete,
                      metric="store,segments,docs")
        primaries = stats["_all"]["primaries"]
        return {"size_bytes": int(primaries["store"]["size_in_bytes"]),
                "segments": int(primaries["segments"]["count"]),
                "deleted_documents": int(primaries["docs"]["deleted"])}
