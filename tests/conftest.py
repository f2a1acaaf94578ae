"""Shared fixtures: paths, the real data beside the repo, and indexes built once per session."""

from __future__ import annotations

import gzip
import itertools
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

from indexer import NewsIndex

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
DATA = Path(__file__).resolve().parent / "data"
SHARED = ROOT.parent / "shared" / "data"
SEED_ID = "afp-alep-offensive-rebelle"
SEED = CORPUS / f"{SEED_ID}.txt"
ORANGESUM_ARTICLES = 5000
"""How many OrangeSum articles :func:`orangesum_index` holds."""

# Property tests check invariants, never speed: no deadline, so a slow machine does not flake.
settings.register_profile("depeches", deadline=None, max_examples=100)
settings.load_profile("depeches")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data``: real text nobody on the team wrote."""
    if not SHARED.is_dir():
        pytest.skip("../shared/data not found: real-data tests need the shared folder beside "
                    "the repo")
    return SHARED


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the sample ``corpus/``, built once for the whole session."""
    path = tmp_path_factory.mktemp("corpus-index") / "index"
    with NewsIndex.create(path) as idx:
        report = idx.add_paths([CORPUS])
    assert report.errors == [], report.errors
    return path


@pytest.fixture(scope="session")
def corpus_idx(corpus_index: Path) -> Iterator[NewsIndex]:
    """The sample corpus index, opened once (searches share its searcher)."""
    with NewsIndex.open(corpus_index) as idx:
        yield idx


@pytest.fixture(scope="session")
def data_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the hand-written ``tests/data/`` (ten articles, every format)."""
    path = tmp_path_factory.mktemp("data-index") / "index"
    with NewsIndex.create(path) as idx:
        idx.add_paths([DATA])
    return path


@pytest.fixture(scope="session")
def cli_run() -> Callable[..., Result]:
    """Run ``depeches ARGS…`` in-process; stdout and stderr stay apart (click 8.5)."""
    from search_cli.cli import cli

    def run(*args: str, env: dict[str, str] | None = None) -> Result:
        environ = {"NO_COLOR": None, "TERM": None, "DEPECHES_INDEX": None, **(env or {})}
        return CliRunner().invoke(cli, list(args), env=environ, prog_name="depeches")

    return run



@pytest.fixture(scope="session")
def wikinews_fr(shared_data: Path) -> dict[str, dict]:
    """The French Wikinews articles of ``../shared/data``, by id."""
    path = shared_data / "wikinews-fr" / "articles.jsonl"
    with path.open(encoding="utf-8") as f:
        return {r["id"]: r for r in map(json.loads, f)}


def orangesum_lines(shared_data: Path, start: int, stop: int) -> list[str]:
    """The raw JSON lines ``start`` to ``stop`` of the OrangeSum set, read in place in
    ``../shared`` (never copied to the repo); the test skips when the set is absent."""
    path = shared_data / "orangesum" / "articles.jsonl.gz"
    if not path.exists():
        pytest.skip("../shared/data/orangesum not found")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return list(itertools.islice(f, start, stop))


@pytest.fixture(scope="session")
def orangesum_head(shared_data: Path) -> list[str]:
    """The first 20 raw lines of the OrangeSum set."""
    return orangesum_lines(shared_data, 0, 20)


@pytest.fixture(scope="session")
def orangesum_index(shared_data: Path, tmp_path_factory: pytest.TempPathFactory
                    ) -> Iterator[NewsIndex]:
    """The first :data:`ORANGESUM_ARTICLES` OrangeSum articles, indexed once."""
    lines = orangesum_lines(shared_data, 0, ORANGESUM_ARTICLES)
    root = tmp_path_factory.mktemp("orangesum")
    head = root / "head.jsonl"
    head.write_text("".join(lines), encoding="utf-8")
    with NewsIndex.create(root / "index") as idx:
        idx.add_paths([head], jobs=2)
    with NewsIndex.open(root / "index") as idx:
        yield idx


@pytest.fixture(scope="session")
def opensearch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real OpenSearch node on 127.0.0.1 for the whole session (``tests/opensearch_node.py``),
    started on first use and stopped at the end; its URL, ``http://127.0.0.1:PORT``."""
    import opensearch_node

    try:
        opensearch_node.java_home()
    except opensearch_node.Unavailable as e:
        pytest.skip(f"no OpenSearch node: {e}")
    # A fetch or a start that fails is a failure, not a skip: with Java here, it must run.
    cluster = opensearch_node.start_cluster(tmp_path_factory.mktemp("opensearch"))
    try:
        yield cluster[0].url
    finally:
        for node in cluster:
            node.stop()
