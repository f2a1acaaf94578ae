"""Shared helpers for the benchmark harnesses: data paths, readers, query parsing, stats, tables.

Nothing here prints a figure: the harnesses measure, this module only formats.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import re
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"
PIAF_DIR = SHARED_DATA / "piaf"
ORANGESUM_PATH = SHARED_DATA / "orangesum" / "articles.jsonl.gz"

# Make `import indexer` work when a harness is run as `python bench/x.py`.
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))


@dataclass(frozen=True)
class Doc:
    """One article as the peers see it: `body` is lede + body, `text` adds the title."""

    id: str
    title: str
    body: str
    date: str | None = None
    source: str | None = None

    @property
    def text(self) -> str:
        return f"{self.title}\n{self.body}"


@dataclass(frozen=True)
class Query:
    """A question with exactly one relevant id; ``part`` names the half it belongs to."""

    qid: str
    text: str
    relevant: str
    part: str

    @property
    def words(self) -> int:
        return len(self.text.split())


def parse_only(parser: argparse.ArgumentParser, text: str, engines: Sequence[str]) -> list[str]:
    """The engines named by ``--only``, or a usage error naming the unknown one."""
    only = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in only if name not in engines]
    if unknown:
        parser.error(f"unknown engine {unknown[0]!r}; choose among {', '.join(engines)}")
    return only


def skip_if_no_data(*paths: Path) -> None:
    """Exit 0 with one line when the shared data is absent, as the data README asks."""
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"skipped: benchmark data not found ({missing[0]}); it lives in ../shared/data")
        raise SystemExit(0)


def read_jsonl(path: Path) -> Iterator[dict]:
    """Stream a .jsonl or .jsonl.gz file one object at a time (never the whole file)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def orangesum_doc(row: dict) -> Doc:
    body = "\n".join(part for part in (row.get("lede") or "", row.get("body") or "") if part)
    return Doc(row["id"], row.get("title") or "", body, row.get("date"), row.get("source"))


def raw_bytes(row: dict) -> int:
    """Raw text size of an OrangeSum row: UTF-8 bytes of title + lede + body."""
    return sum(len((row.get(key) or "").encode("utf-8")) for key in ("title", "lede", "body"))


_WORD = re.compile(r"\w+")
_CLAUSE = re.compile(r'"([^"]*)"|([^"\s]+)')


def query_clauses(query: str) -> list[list[str]]:
    """Split a query into OR'ed clauses: a clause of one word is a term, of several a phrase.

    Only `\\w+` runs survive, lowercased (so `AND`/`OR`/`NOT` lose their operator meaning in
    every peer's syntax); a bare word is kept once, so a repeated word does not count twice.
    """
    clauses: list[list[str]] = []
    seen: set[str] = set()
    for phrase, bare in _CLAUSE.findall(query):
        words = [w.lower() for w in _WORD.findall(phrase or bare)]
        if phrase and len(words) > 1:
            clauses.append(words)
            continue
        for word in words:
            if word not in seen:
                seen.add(word)
                clauses.append([word])
    return clauses


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile; values need not be sorted."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


NODE_HEAP = "1g"
"""The heap of a node a benchmark starts: OrangeSum's whole index needs far less."""


class NoNode(Exception):
    """No OpenSearch node can run here (no suitable Java, or no way to fetch it)."""


def node_module():
    """``tests/opensearch_node.py``, which starts nodes and finds a JDK for the suite."""
    if str(PROJECT_ROOT / "tests") not in sys.path:
        sys.path.insert(0, str(PROJECT_ROOT / "tests"))
    import opensearch_node

    return opensearch_node


def start_opensearch(workdir: Path):
    """One local OpenSearch node under ``workdir`` (``tests/opensearch_node.py``), green, its
    URL in ``.url``, stopped by its ``.stop()``."""
    opensearch_node = node_module()
    opensearch_node.HEAP = NODE_HEAP
    print(f"  starting an OpenSearch {opensearch_node.VERSION} node ({NODE_HEAP} heap)…",
          file=sys.stderr, flush=True)
    try:
        return opensearch_node.start_cluster(workdir, 1)[0]
    except opensearch_node.Unavailable as e:
        raise NoNode(str(e)) from None


def dir_size(path: Path) -> int:
    """Bytes on disk of every file under path (apparent size)."""
    if path.is_file():
        return path.stat().st_size
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            # A file may vanish while a writer merges segments; it no longer counts.
            with contextlib.suppress(FileNotFoundError):
                total += (Path(root) / name).stat().st_size
    return total


def render_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain aligned text table; first column left, the others right-aligned."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        cells_right = zip(row[1:], widths[1:], strict=True)
        parts = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in cells_right]
        return " | ".join(parts).rstrip()

    rule = "-+-".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule] + [line(row) for row in cells[1:]])


def check(ok: bool) -> str:
    return "✓" if ok else "✗"


class Ours:
    """Our engine through the project's public API, with the same shape as a peer."""

    name = "ours"

    def __init__(self, jobs: int = 1, vectors: bool = False, merge: bool = False) -> None:
        self.jobs = jobs
        self.vectors = vectors  # search with the word vectors of the `vectors` extra
        self.merge = merge  # a build ends merged into one segment (_finish)
        if vectors:
            self.name = "ours+vectors"
        self.report = None
        self.merge_seconds = 0.0  # of the build's time, merging its segments (_finish)
        self._path: Path | str | None = None
        self._idx = None

    def index(self, docs, path: Path) -> None:
        from indexer import Article, NewsIndex

        articles = (
            Article.from_fields(
                id=doc.id,
                title=doc.title,
                body=doc.body,
                lang="fr",
                source=doc.source,
                date=doc.date,
                url=None,
                lede="",
            )
            for doc in docs
        )
        self._path = path
        with NewsIndex.create(path) as idx:
            self.report = idx.add_articles(articles, jobs=self.jobs)
            self._finish(idx)
            if self.vectors:
                idx.write_vectors()
        self.open(path)

    def index_paths(self, paths: list[Path], path: Path | str) -> None:
        """The full pipeline (read, clean, language, entities, passages, analysis, write)."""
        from indexer import NewsIndex

        self._path = path
        with NewsIndex.create(path) as idx:
            self.report = idx.add_paths([str(p) for p in paths], jobs=self.jobs)
            self._finish(idx)
        self.open(path)

    def _finish(self, idx) -> None:
        """With ``merge``, a finished build merged into one segment, as the relevance
        peers' are (Lucene's ``optimize``, FTS5's, OpenSearch's force-merge) and as the
        README tells an archive's owner to do after a bulk build: its time counts in the
        build's. Over the news task's 36,152 articles, built in four batches, 500 ledes
        of 20–49 words answered at p50 17.6 / 18.2 ms merged, 21.4 / 20.8 ms not (two
        alternating runs, same ranks for all 2,000), for a 53 s merge. Without it (the
        speed bench), the build is what ``depeches index`` writes."""
        self.merge_seconds = 0.0
        if self.merge:
            start = time.perf_counter()
            before, _ = idx.optimize()  # one segment already: left as it is
            if before > 1:
                self.merge_seconds = time.perf_counter() - start

    def open(self, path: Path | str) -> None:
        from indexer import NewsIndex

        self._path = path
        self._idx = NewsIndex.open(path)
        self._idx.__enter__()

    def warm(self) -> None:
        """What a process's first search reads once, read ahead (:meth:`NewsIndex.warm`)."""
        self._idx.warm()

    @property
    def idx(self):
        return self._idx

    def search(self, query: str, limit: int, **filters) -> list[str]:
        return [hit.article_id
                for hit in self._idx.search(query, limit=limit, vectors=self.vectors, **filters)]

    def size_bytes(self) -> int:
        """The index's files (a cluster's: what its primaries store)."""
        return self._idx.storage()["size_bytes"]

    def close(self) -> None:
        if self._idx is not None:
            self._idx.__exit__(None, None, None)
            self._idx = None
