"""An index on a real OpenSearch node (issue 14): writing, as the embedded index writes.

The node is started once for the session by the ``opensearch`` fixture; each test
writes an index of its own name on it.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from conftest import CORPUS, SEED, SEED_ID

from indexer import IndexerError, IndexLockedError, NewsIndex
from indexer.store.opensearch import Location, OpenSearchStore


@pytest.fixture()
def url(opensearch: str) -> str:
    """A fresh index name on the session's node."""
    return f"opensearch+{opensearch}/t-{uuid.uuid4().hex[:12]}"


def _store(url: str) -> OpenSearchStore:
    return OpenSearchStore.open(url)


def test_the_corpus_on_a_cluster_holds_what_the_embedded_index_holds(
        url: str, corpus_idx: NewsIndex) -> None:
    with NewsIndex.create(url) as idx:
        report = idx.add_paths([CORPUS])
    assert (report.new, report.errors) == (101, [])
    store = _store(url)
    embedded = corpus_idx.stats()
    assert store.counts() == {"a": embedded["articles"], "p": embedded["passages"]}
    # The same content hashes: a later run skips what either backend already holds.
    assert store.hashes() == {aid: meta["hash"] for aid, meta in corpus_idx.article_docs()}
    seed = next(store.scan({"term": {"article_id": SEED_ID}}, ["n", "kind", "stem"]))
    assert (seed["n"], seed["kind"]) == (0, "a")


def test_a_second_run_skips_every_unchanged_article(url: str) -> None:
    with NewsIndex.create(url) as idx:
        idx.add_paths([CORPUS])
    with NewsIndex.open(url) as idx:
        again = idx.add_paths([CORPUS])
    assert (again.new, again.updated, again.unchanged) == (0, 0, 101)
    assert _store(url).counts()["a"] == 101


def test_an_update_replaces_every_document_of_its_article(url: str, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SEED, src)
    with NewsIndex.create(url) as idx:
        first = idx.add_paths([src])
    # The same id, a much shorter text: fewer passages, none of the old ones left.
    lines = SEED.read_text(encoding="utf-8").splitlines()
    (src / SEED.name).write_text("\n".join(lines[:6]) + "\n", encoding="utf-8")
    with NewsIndex.open(url) as idx:
        second = idx.add_paths([src])
    assert (second.new, second.updated) == (0, 1)
    assert second.passages < first.passages
    kept = [d["n"] for d in _store(url).scan({"term": {"article_id": SEED_ID}}, ["n"])]
    assert kept == list(range(second.passages + 1))


def test_a_rebuild_swaps_the_alias_once_it_is_complete(url: str, cli_run: Callable[..., Result],
                                                        tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SEED, src)
    assert cli_run("index", str(CORPUS), "--index", url).exit_code == 0
    old = _store(url).concrete
    result = cli_run("index", str(src), "--index", url, "--rebuild")
    assert result.exit_code == 0, result.stderr
    store = _store(url)
    assert store.concrete != old
    assert store.counts()["a"] == 1
    indices = store.client.indices.get(index=f"{store.location.name}-v*")
    assert list(indices) == [store.concrete]  # the old one is gone


def test_an_interrupted_rebuild_leaves_the_old_index_serving(url: str) -> None:
    with NewsIndex.create(url) as idx:
        idx.add_paths([CORPUS])
    old = _store(url).concrete

    def interrupt(done: int) -> None:
        if done == 5:
            raise KeyboardInterrupt

    with NewsIndex.create(url, overwrite=True) as idx:
        report = idx.add_paths([CORPUS], progress=interrupt, jobs=1)
    assert report.interrupted
    store = _store(url)
    assert (store.concrete, store.counts()["a"]) == (old, 101)
    assert list(store.client.indices.get(index=f"{store.location.name}-v*")) == [old]
    # A rebuild that never writes, or cannot take the lock, builds nothing beside it.
    NewsIndex.create(url, overwrite=True).close()
    with store.writing(), pytest.raises(IndexLockedError):
        NewsIndex.create(url, overwrite=True).add_paths([SEED])
    assert list(store.client.indices.get(index=f"{store.location.name}-v*")) == [old]


def test_a_second_writer_is_refused_while_one_writes(url: str) -> None:
    with NewsIndex.create(url) as idx:
        idx.add_paths([SEED])
    first, second = _store(url), _store(url)
    with (first.writing(), pytest.raises(IndexLockedError, match="being written by process"),
          second.writing(wait=0.2)):
        pass
    with second.writing():  # released
        pass


@pytest.mark.parametrize(("location", "says"), [
    ("opensearch+http://127.0.0.1:1/depeches", "cannot connect"),
    ("opensearch+http://127.0.0.1:9200/Not A Name", "is not an index name"),
    ("opensearch+ftp://127.0.0.1/depeches", "expected opensearch+http://HOST:PORT/NAME"),
])
def test_a_cluster_that_cannot_be_used_is_one_line_and_exit_2(
        location: str, says: str, cli_run: Callable[..., Result]) -> None:
    result = cli_run("index", str(SEED), "--index", location)
    assert result.exit_code == 2
    assert says in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_a_missing_index_on_a_live_cluster_is_named(opensearch: str) -> None:
    with pytest.raises(IndexerError, match="no such index on the cluster"):
        NewsIndex.open(f"opensearch+{opensearch}/never-written")


def test_the_password_never_shows_in_the_location() -> None:
    where = Location.parse("opensearch+https://reader:s%40cret@search.example:9243/news")
    assert (where.user, where.password, where.port) == ("reader", "s@cret", 9243)
    assert str(where) == "opensearch+https://reader@search.example:9243/news"
