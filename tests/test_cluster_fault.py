"""A two-node cluster that loses a node (issue 14): with a replica of every shard, the
searches go on with the same answers.

The first 5,000 OrangeSum articles are written with 2 shards and 1 replica; one node is
then killed with SIGKILL, as a crash would end it. Of two nodes that may both manage
the cluster only one votes (a quorum of two cannot survive either loss), so the node
killed is the one that does not manage it; the index is reached through the other.
"""

from __future__ import annotations

import gzip
import itertools
import json
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer import NewsIndex
from indexer.pipeline.sources import read_articles

ARTICLES = 5000


@pytest.fixture(scope="module")
def two_nodes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list]:
    import opensearch_node

    try:
        opensearch_node.java_home()
    except opensearch_node.Unavailable as e:
        pytest.skip(f"no OpenSearch cluster: {e}")
    cluster = opensearch_node.start_cluster(tmp_path_factory.mktemp("cluster"), nodes=2)
    try:
        yield cluster
    finally:
        for node in cluster:
            node.stop()


def _get(url: str) -> object:
    with urllib.request.urlopen(url, timeout=60) as r:
        return json.loads(r.read())


def _titles(path: Path, every: int) -> list[str]:
    """The first four words of every ``every``-th title among the articles written."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in itertools.islice(f, ARTICLES)]
    return [" ".join(row["title"].split()[:4]) for row in rows[::every] if row.get("title")]


def _answers(idx: NewsIndex, queries: list[str]) -> list[tuple]:
    return [(r.totals(), [(h.article_id, h.ordinal) for h in r.hits])
            for r in (idx.search(q) for q in queries)]


def test_searches_answer_the_same_after_a_node_is_killed(
        two_nodes: list, shared_data: Path) -> None:
    source = shared_data / "orangesum" / "articles.jsonl.gz"
    if not source.exists():
        pytest.skip("../shared/data/orangesum not found")
    nodes = {node.name: node for node in two_nodes}
    rows = _get(f"{two_nodes[0].url}/_cat/nodes?h=name,cluster_manager&format=json")
    manager = next(nodes[row["name"]] for row in rows if row["cluster_manager"] == "*")
    doomed = next(node for node in two_nodes if node is not manager)
    url = f"opensearch+{manager.url}/orangesum"

    with NewsIndex.create(url + "?shards=2&replicas=1") as idx:
        report = idx.add_articles(itertools.islice(read_articles([source]), ARTICLES), jobs=2)
    assert (report.new, report.errors) == (ARTICLES, [])
    health = _get(f"{manager.url}/_cluster/health?wait_for_status=green&timeout=60s")
    assert health["status"] == "green"  # every shard has its replica on the other node

    queries = [*_titles(source, 250), '"la France"', "Macron -Le Pen", "gouvern*"]
    with NewsIndex.open(url) as idx:
        before = _answers(idx, queries)
        facets_before = idx.facets("France", "places")
        export_before = [row["article_id"] for row in idx.export("Macron")]
    assert sum(bool(hits) for _, hits in before) >= len(queries) - 1

    doomed.kill()
    deadline = time.monotonic() + 60
    while _get(f"{manager.url}/_cluster/health")["number_of_nodes"] != 1:
        assert time.monotonic() < deadline, "the killed node was never dropped"
        time.sleep(0.5)
    assert _get(f"{manager.url}/_cluster/health")["status"] in ("yellow", "green")

    with NewsIndex.open(url) as idx:
        assert idx.stats()["articles"] == ARTICLES
        assert _answers(idx, queries) == before
        assert idx.facets("France", "places") == facets_before
        assert [row["article_id"] for row in idx.export("Macron")] == export_before
