"""Indexing and query speed on OrangeSum: ours and the peers, measured in the same run.

OrangeSum is press copy for benchmarks only: it is streamed from ../shared, and every index
or subset built from it lives in a temporary directory under /tmp that is removed at exit.

    python bench/speed.py                         # whole corpus at 25%, 50% and 100%
    python bench/speed.py --quick                 # first 5,000 articles, one size
    python bench/speed.py --max-articles 10000 --fractions 0.5,1 --only ours,tantivy
    python bench/speed.py --updates               # many small runs (bench/updates.py)
    python bench/speed.py --quick --backend opensearch --only ours
                                                  # ours on a local OpenSearch node too
    python bench/speed.py --quick --backend opensearch --only ours --shards 1,2,4
                                                  # the cluster index with 1, 2, 4 shards

With ``--backend opensearch`` our pipeline also writes to an OpenSearch 2.19 node that the
bench starts on 127.0.0.1 (``tests/opensearch_node.py``, 1 GiB heap) and stops at the end,
and the same queries are timed against it, so the two backends are compared in one run.

Each engine indexes in a fresh subprocess, so its peak memory (ru_maxrss of the process
and of its largest child) is its own; the same subprocess then answers the queries warm.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from itertools import islice
from pathlib import Path

from common import (
    NODE_HEAP,
    ORANGESUM_PATH,
    PROJECT_ROOT,
    NoNode,
    Ours,
    check,
    median,
    orangesum_doc,
    parse_only,
    percentile,
    raw_bytes,
    read_jsonl,
    render_table,
    skip_if_no_data,
    start_opensearch,
)
from peers import PEERS

ENGINES = ["ours", "tantivy", "fts5", "whoosh", "whoosh2"]
CLUSTER = "opensearch"  # ours, written to and searched on a node: --backend opensearch
OURS = ("ours", CLUSTER)  # our pipeline, on either backend
LIMIT = 10  # hits per query, as a results page shows
SEED = 20260525
TEXT_QUERIES = 200
FILTERED_QUERIES = 50  # per kind (facet, date), ours only
CLI_RUNS = 5
WARMUP = 20  # queries run untimed first, to load the index files and caches
QUERY_BUDGET = 120.0  # seconds per engine and query set; see time_queries
OURS_JOBS = 2

TARGET_RATE = 400  # articles/s, full pipeline on 2 cores
TARGET_P50_MS = 10
TARGET_P95_MS = 50
TARGET_CLI_S = 0.5
TARGET_SIZE_RATIO = 1.5
TARGET_PEAK_MIB = 2048

_TITLE_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


# --------------------------------------------------------------------------- corpus pass


@dataclasses.dataclass
class CorpusSample:
    """What one streaming pass keeps: counts, sizes, titles and dates (never bodies)."""

    articles: int
    cumulative_raw: list[int]  # raw bytes of the first i+1 articles
    titles: list[str]
    dates: list[str | None]


def scan_corpus(path: Path, max_articles: int | None) -> CorpusSample:
    cumulative, titles, dates, total = [], [], [], 0
    for row in islice(read_jsonl(path), max_articles):
        total += raw_bytes(row)
        cumulative.append(total)
        titles.append(row.get("title") or "")
        dates.append(row.get("date"))
    return CorpusSample(len(cumulative), cumulative, titles, dates)


def title_words(title: str) -> list[str]:
    return [w for w in _TITLE_WORD.findall(title) if len(w) >= 3]


def make_text_queries(titles: list[str], count: int, seed: int) -> list[dict]:
    """1–3 words sampled from a title (70%) and quoted pairs of consecutive title words (30%)."""
    rng = random.Random(seed)
    queries: list[dict] = []
    phrase_share = round(count * 0.3)
    while len(queries) < count - phrase_share:
        words = title_words(rng.choice(titles))
        if words:
            k = min(len(words), rng.randint(1, 3))
            picked = sorted(rng.sample(range(len(words)), k))
            queries.append({"kind": "words", "q": " ".join(words[i] for i in picked)})
    while len(queries) < count:
        words = _TITLE_WORD.findall(rng.choice(titles))
        if len(words) >= 2:
            i = rng.randrange(len(words) - 1)
            queries.append({"kind": "phrase", "q": f'"{words[i]} {words[i + 1]}"'})
    return queries


def make_date_queries(sample: CorpusSample, upto: int, count: int, seed: int) -> list[dict]:
    """A 1–3 word title query restricted to 90 days around a date the corpus holds."""
    rng = random.Random(seed + 1)
    dated = [d for d in sample.dates[:upto] if d]
    if not dated:
        return []
    base = make_text_queries(sample.titles[:upto], count * 2, seed + 2)
    words = [q for q in base if q["kind"] == "words"][:count]
    queries = []
    for query in words:
        day = date.fromisoformat(rng.choice(dated)[:10])
        since, until = day - timedelta(days=45), day + timedelta(days=45)
        queries.append(
            {
                "kind": "date",
                "q": query["q"],
                "since": since.isoformat(),
                "until": until.isoformat(),
            }
        )
    return queries


def write_subset(path: Path, articles: int, dest: Path) -> Path:
    """The first `articles` lines of the corpus as a temporary .jsonl.gz for our add_paths."""
    with (
        gzip.open(path, "rt", encoding="utf-8") as src,
        gzip.open(dest, "wt", encoding="utf-8") as out,
    ):
        for line in islice(src, articles):
            out.write(line)
    return dest


# --------------------------------------------------------------------------- worker


def peak_rss_mib() -> float:
    """ru_maxrss (KiB on Linux) of this process plus its largest reaped child."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


def time_queries(search, queries: list[dict], budget: float) -> tuple[list[float], list[int]]:
    """Warm up on the first WARMUP queries, then time each query in order.

    The timed pass stops once `budget` seconds are spent, so that a slow engine cannot stall
    the run; the report shows how many queries were timed.
    """
    for query in queries[:WARMUP]:
        search(query)
    latencies, hits = [], []
    deadline = time.perf_counter() + budget
    for query in queries:
        start = time.perf_counter()
        ids = search(query)
        end = time.perf_counter()
        latencies.append((end - start) * 1000)
        hits.append(len(ids))
        if end > deadline:
            break
    return latencies, hits


def facet_names(idx, facet: str, count: int) -> list[str]:
    """Names from idx.facets(None, facet, count), whatever shape its items take."""
    names = []
    for item in idx.facets(None, facet, count):
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, tuple):
            names.append(str(item[0]))
        else:
            for attr in ("value", "name", "label"):
                if hasattr(item, attr):
                    names.append(str(getattr(item, attr)))
                    break
    return names


def make_facet_queries(engine: Ours, text: list[dict], count: int, seed: int) -> tuple[list, str]:
    if not hasattr(engine.idx, "facets"):
        return [], "NewsIndex.facets is missing"
    rng = random.Random(seed + 3)
    pools = {}
    for facet in ("places", "actors"):
        try:
            pools[facet] = facet_names(engine.idx, facet, 20)
        except Exception as error:  # an unknown facet name must not stop the benchmark
            return [], f"facets(None, {facet!r}, 20) failed: {error}"
    pools = {facet: names for facet, names in pools.items() if names}
    if not pools:
        return [], "the index holds no places or actors"
    words = [q for q in text if q["kind"] == "words"]
    queries = []
    for i in range(count):
        facet = sorted(pools)[i % len(pools)]
        queries.append(
            {"kind": "facet", "q": rng.choice(words)["q"], facet: [rng.choice(pools[facet])]}
        )
    return queries, ""


def ours_search(engine: Ours):
    def search(query: dict) -> list[str]:
        filters = {}
        for key in ("places", "actors"):
            if key in query:
                filters[key] = query[key]
        for key in ("since", "until"):
            if key in query:
                filters[key] = query[key]  # ISO dates, as the CLI passes them
        return engine.search(query["q"], LIMIT, **filters)

    return search


def run_worker(args: argparse.Namespace) -> int:
    plan = json.loads(args.worker_plan.read_text(encoding="utf-8"))
    name, index_dir = args.worker, Path(plan["index_dir"])
    result: dict = {"engine": name, "articles": plan["articles"]}
    if name in OURS:
        engine = Ours(jobs=OURS_JOBS)
        target = index_dir
        if name == CLUSTER:
            engine.name, target = "ours@opensearch", plan["url"]
            if plan["shards"] > 1:
                engine.name += f" ({plan['shards']} shards)"
        start = time.perf_counter()
        engine.index_paths([Path(plan["source"])], target)
        result["index_seconds"] = time.perf_counter() - start
        result["report"] = report_dict(engine.report)
    else:
        engine = PEERS[name]()
        docs = (
            orangesum_doc(row) for row in islice(read_jsonl(Path(plan["source"])), plan["articles"])
        )
        start = time.perf_counter()
        engine.index(docs, index_dir)
        result["index_seconds"] = time.perf_counter() - start
    result["name"] = engine.name
    result["peak_mib"] = peak_rss_mib()
    result["size_bytes"] = engine.size_bytes()

    text = plan["text_queries"]
    if name in OURS:
        search = ours_search(engine)
        budget = plan["query_budget"]
        result["text"] = time_queries(search, text, budget)
        result["date"] = time_queries(search, plan["date_queries"], budget)
        start = time.perf_counter()
        facet_queries, note = make_facet_queries(engine, text, FILTERED_QUERIES, plan["seed"])
        result["facet_names_ms"] = (time.perf_counter() - start) * 1000
        result["facet"] = time_queries(search, facet_queries, budget)
        result["facet_note"] = note
        start = time.perf_counter()
        engine.idx.stats()
        result["stats_ms"] = (time.perf_counter() - start) * 1000
    else:
        search = lambda q: engine.search(q["q"], LIMIT)  # noqa: E731
        result["text"] = time_queries(search, text, plan["query_budget"])
    engine.close()
    args.worker_out.write_text(json.dumps(result, default=str), encoding="utf-8")
    return 0


def report_dict(report) -> dict:
    """The indexing report as JSON-ready data; long lists shrink to their length."""
    if report is None:
        return {}
    if dataclasses.is_dataclass(report):
        data = dataclasses.asdict(report)
    elif isinstance(report, dict):
        data = dict(report)
    else:
        data = {key: value for key, value in vars(report).items() if not key.startswith("_")}
    for key in ("articles", "rate"):
        if hasattr(report, key):
            data[key] = getattr(report, key)
    for key, value in list(data.items()):
        if isinstance(value, list):
            data[key] = len(value)
            if value:
                data[f"first_{key[:-1] if key.endswith('s') else key}"] = str(value[0])[:200]
    return data


# --------------------------------------------------------------------------- parent


def spawn(name: str, plan: dict, workdir: Path) -> dict:
    plan_file = workdir / f"plan-{name}.json"
    out_file = workdir / f"result-{name}.json"
    plan_file.write_text(json.dumps(plan), encoding="utf-8")
    command = [
        sys.executable,
        __file__,
        "--worker",
        name,
        "--worker-plan",
        str(plan_file),
        "--worker-out",
        str(out_file),
    ]
    completed = subprocess.run(command, cwd=PROJECT_ROOT)
    if completed.returncode != 0 or not out_file.exists():
        return {"engine": name, "error": f"worker exited {completed.returncode}"}
    return json.loads(out_file.read_text(encoding="utf-8"))


def start_node(workdir: Path):
    """A local OpenSearch node for ``--backend opensearch``, green, its URL in ``.url``."""
    try:
        return start_opensearch(workdir)
    except NoNode as e:
        raise SystemExit(f"speed.py: --backend opensearch: {e}") from None


def node_peak_mib(node) -> float | None:
    """The node's peak resident memory so far (VmHWM of its JVM), in MiB."""
    try:
        status = Path(f"/proc/{node.process.pid}/status").read_text()
    except OSError:
        return None
    match = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(match.group(1)) / 1024 if match else None


def time_cold_cli(index_dir: Path | str, queries: list[str]) -> tuple[float | None, str]:
    """Median wall time of `depeches search QUERY --index DIR`, process start to exit,
    one run per query."""
    cli = Path(sys.executable).parent / "depeches"
    if not cli.exists():
        return None, f"{cli} not found (pip install -e .)"
    times, codes = [], []
    for query in queries:
        start = time.perf_counter()
        completed = subprocess.run(
            [str(cli), "search", query, "--index", str(index_dir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            cwd=PROJECT_ROOT,
        )
        times.append(time.perf_counter() - start)
        codes.append(completed.returncode)
    if set(codes) - {0, 1}:
        # Exit 2 is an error, not a search: its time would flatter us, so report no figure.
        stderr = completed.stderr.decode(errors="replace").strip()[:300]
        return None, f"failed with exit codes {sorted(codes)}: {stderr}"
    return median(times), f"exit codes {codes}"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--fractions", default="0.25,0.5,1", help="corpus shares to index")
    parser.add_argument(
        "--max-articles", type=int, metavar="N", help="cap the corpus at N articles"
    )
    parser.add_argument(
        "--quick", action="store_true", help="first 5,000 articles, fraction 1 only"
    )
    parser.add_argument(
        "--only", default=",".join(ENGINES), help=f"comma-separated among {', '.join(ENGINES)}"
    )
    parser.add_argument(
        "--query-budget",
        type=float,
        default=QUERY_BUDGET,
        metavar="S",
        help=f"stop timing a query set after S seconds (default {QUERY_BUDGET:.0f})",
    )
    parser.add_argument(
        "--updates", action="store_true",
        help="many small runs against one build instead (bench/updates.py; with --quick, "
             "5,000 + 50 runs)",
    )
    parser.add_argument(
        "--backend", choices=["embedded", CLUSTER], default="embedded",
        help="opensearch: also write and search ours on a local OpenSearch node",
    )
    parser.add_argument(
        "--shards", default="1", metavar="N,…",
        help="with --backend opensearch: the cluster index once per shard count (one node)",
    )
    parser.add_argument("--worker", choices=[*ENGINES, CLUSTER], help=argparse.SUPPRESS)
    parser.add_argument("--worker-plan", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--worker-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.max_articles, args.fractions = 5000, "1"
    args.fractions = sorted(float(f) for f in args.fractions.split(","))
    if not all(0 < f <= 1 for f in args.fractions):
        parser.error("--fractions must lie in (0, 1]")
    args.only = parse_only(parser, args.only, ENGINES)
    try:
        args.shards = [int(n) for n in args.shards.split(",")]
    except ValueError:
        parser.error("--shards takes whole numbers, as in 1,2,4")
    if min(args.shards) < 1:
        parser.error("--shards must be at least 1")
    if args.backend == CLUSTER:
        # Right after ours, so that the two backends index and answer back to back.
        at = args.only.index("ours") + 1 if "ours" in args.only else 0
        args.only.insert(at, CLUSTER)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        return run_worker(args)
    if args.updates:
        import updates

        return updates.main(["--quick"] if args.quick else [])
    skip_if_no_data(ORANGESUM_PATH)

    sample = scan_corpus(ORANGESUM_PATH, args.max_articles)
    sizes = sorted({max(1, round(f * sample.articles)) for f in args.fractions})
    text_queries = make_text_queries(sample.titles[: sizes[0]], TEXT_QUERIES, SEED)
    date_queries = make_date_queries(sample, sizes[0], FILTERED_QUERIES, SEED)
    print(
        f"OrangeSum: {sample.articles} articles ({sample.cumulative_raw[-1] / 2**20:.1f} MiB raw "
        f"text); sizes {sizes}; {len(text_queries)} text queries from the first {sizes[0]} titles",
        flush=True,
    )

    # Ours reads the corpus file itself when it indexes all of it, else a temporary prefix.
    whole_file = args.max_articles is None or sample.articles < args.max_articles
    results: list[dict] = []
    workdir = Path(tempfile.mkdtemp(prefix="depeches-speed-"))
    node = None
    try:
        if CLUSTER in args.only:
            node = start_node(workdir / "node")
        ours_like = set(OURS) & set(args.only)  # they read the corpus file itself
        for size in sizes:
            source = ORANGESUM_PATH
            if ours_like and not (whole_file and size == sample.articles):
                source = write_subset(ORANGESUM_PATH, size, workdir / f"subset-{size}.jsonl.gz")
            runs = [(name, n) for name in args.only
                    for n in (args.shards if name == CLUSTER else [1])]
            for name, shards in runs:
                index_dir = workdir / f"{name}-{size}"
                plan = {
                    "articles": size,
                    "source": str(source if name in OURS else ORANGESUM_PATH),
                    "index_dir": str(index_dir),
                    "url": f"opensearch+{node.url}/speed-{size}-{shards}?shards={shards}"
                    if node else None,
                    "shards": shards,
                    "text_queries": text_queries,
                    "date_queries": date_queries,
                    "seed": SEED,
                    "query_budget": args.query_budget,
                }
                print(f"  {name}: indexing {size} articles…", file=sys.stderr, flush=True)
                result = spawn(name, plan, workdir)
                result["raw_bytes"] = sample.cumulative_raw[size - 1]
                if name in OURS and "error" not in result:
                    # One run each of the first word queries: a single query may be a
                    # stop word that matches nothing, which would flatter the figure.
                    cold = [q["q"] for q in text_queries if q["kind"] == "words"][:CLI_RUNS]
                    where = plan["url"] if name == CLUSTER else str(index_dir)
                    result["cli_seconds"], result["cli_note"] = time_cold_cli(where, cold)
                if name == CLUSTER and node is not None:
                    result["node_peak_mib"] = node_peak_mib(node)
                results.append(result)
                shutil.rmtree(index_dir, ignore_errors=True)
            if source != ORANGESUM_PATH:
                source.unlink()
    finally:
        if node is not None:
            node.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    print(render_report(results, sizes, args.query_budget))
    return 0


# --------------------------------------------------------------------------- report


def mib(n: float) -> str:
    return f"{n / 2**20:.1f}"


def render_report(results: list[dict], sizes: list[int], budget: float) -> str:
    rows, lines = [], []
    for r in results:
        if "error" in r:
            rows.append([r["engine"], r.get("articles", ""), "error", r["error"]] + [""] * 7)
            continue
        lat, hits = r["text"]
        rows.append(
            [
                r["name"],
                r["articles"],
                f"{r['articles'] / r['index_seconds']:.0f}",
                f"{r['index_seconds']:.1f}",
                f"{r['peak_mib']:.0f}",
                mib(r["size_bytes"]),
                f"{r['size_bytes'] / r['raw_bytes']:.2f}",
                f"{median(lat):.2f}",
                f"{percentile(lat, 95):.2f}",
                f"{sum(hits) / len(hits):.1f}" if hits else "-",
                f"{len(lat)}/{TEXT_QUERIES}",
            ]
        )
    headers = [
        "engine",
        "articles",
        "art/s",
        "index s",
        "peak MiB",
        "index MiB",
        "size/raw",
        "p50 ms",
        "p95 ms",
        "hits/q",
        "timed",
    ]
    lines.append(render_table(headers, rows))
    lines.append(
        f"Queries: {TEXT_QUERIES} text queries (70% 1–3 title words, 30% quoted title bigrams), "
        f"seed {SEED}, top {LIMIT}, warm, in-process. Peers answer only these; ours also "
        f"answers {FILTERED_QUERIES} facet- and {FILTERED_QUERIES} date-filtered queries (below). "
        f"{WARMUP} untimed warm-up queries first; 'timed' < {TEXT_QUERIES} means the "
        f"{budget:.0f} s query budget ran out."
    )
    lines.append(
        "Peak memory: ru_maxrss of the indexing process + its largest child. Ours indexes with "
        f"add_paths(jobs={OURS_JOBS}) (full pipeline); tantivy with 2 threads; raw = UTF-8 "
        "title + lede + body."
    )

    if any(r["engine"] == CLUSTER for r in results):
        lines.append(
            "ours@opensearch: the same pipeline and queries, the index on one local OpenSearch "
            f"2.19 node ({NODE_HEAP} heap, 1 shard unless named); its peak memory is the "
            "indexing process's, the node's is below; its size is the primaries' store after "
            "the last refresh."
        )
    for size in sizes:
        for ours in results:
            if ours["engine"] not in OURS or "error" in ours or ours.get("articles") != size:
                continue
            lines.append("")
            lines.append(f"{ours['name'].capitalize()} at {size} articles:")
            lines.extend(render_ours(ours))
            if ours["engine"] == CLUSTER:
                continue
            for peer in results:
                if peer["engine"] == "ours" or "error" in peer or peer.get("articles") != size:
                    continue
                lines.append("  " + ratio_line(ours, peer))
    return "\n".join(lines)


def render_ours(r: dict) -> list[str]:
    lines = []
    rate = r["articles"] / r["index_seconds"]
    lat = r["text"][0]
    p50, p95 = median(lat), percentile(lat, 95)
    size_ratio = r["size_bytes"] / r["raw_bytes"]
    lines.append(
        f"  {check(rate >= TARGET_RATE)} indexing {rate:.0f} articles/s (target ≥ {TARGET_RATE})"
    )
    lines.append(
        f"  {check(p50 <= TARGET_P50_MS and p95 <= TARGET_P95_MS)} text queries p50 {p50:.2f} ms, "
        f"p95 {p95:.2f} ms (target ≤ {TARGET_P50_MS} / ≤ {TARGET_P95_MS})"
    )
    for kind in ("facet", "date"):
        k_lat, k_hits = r[kind]
        if not k_lat:
            note = r.get("facet_note") if kind == "facet" else "no dated articles"
            lines.append(f"  - {kind}-filtered queries skipped: {note}")
            continue
        k50, k95 = median(k_lat), percentile(k_lat, 95)
        lines.append(
            f"  {check(k50 <= TARGET_P50_MS and k95 <= TARGET_P95_MS)} {kind}-filtered queries "
            f"({len(k_lat)}) p50 {k50:.2f} ms, p95 {k95:.2f} ms, "
            f"{sum(k_hits) / len(k_hits):.1f} hits/q"
        )
        if kind == "facet":
            lines.append(
                f"  - facets(None, places|actors, 20) to pick names: {r['facet_names_ms']:.0f} ms"
            )
    if r.get("stats_ms") is not None:
        lines.append(f"  - stats(): {r['stats_ms']:.0f} ms")
    if r.get("cli_seconds") is None:
        lines.append(f"  - cold CLI not measured: {r.get('cli_note')}")
    else:
        lines.append(
            f"  {check(r['cli_seconds'] <= TARGET_CLI_S)} cold CLI search {r['cli_seconds']:.2f} s "
            f"(median of {CLI_RUNS} queries, one run each, {r['cli_note']}; "
            f"target ≤ {TARGET_CLI_S})"
        )
    lines.append(
        f"  {check(size_ratio <= TARGET_SIZE_RATIO)} index {size_ratio:.2f}× raw text "
        f"(target ≤ {TARGET_SIZE_RATIO})"
    )
    lines.append(
        f"  {check(r['peak_mib'] <= TARGET_PEAK_MIB)} peak indexing memory "
        f"{r['peak_mib']:.0f} MiB (target ≤ {TARGET_PEAK_MIB})"
    )
    if r.get("node_peak_mib"):
        lines.append(f"  - the OpenSearch node's peak memory: {r['node_peak_mib']:.0f} MiB")
    stages = r.get("report", {}).get("stage_seconds")
    if stages:
        total = sum(stages.values()) or 1
        parts = ", ".join(f"{k} {v:.1f}s ({v / total:.0%})" for k, v in stages.items())
        lines.append(f"  stages: {parts}")
    others = {k: v for k, v in r.get("report", {}).items() if k != "stage_seconds"}
    if others:
        lines.append(f"  report: {json.dumps(others, default=str)[:300]}")
    return lines


def ratio_line(ours: dict, peer: dict) -> str:
    speed = (ours["articles"] / ours["index_seconds"]) / (peer["articles"] / peer["index_seconds"])
    size = ours["size_bytes"] / peer["size_bytes"]
    p50 = median(ours["text"][0]) / median(peer["text"][0])
    p95 = percentile(ours["text"][0], 95) / percentile(peer["text"][0], 95)
    return (
        f"ours/{peer['name']}: {times(speed)} speed, {times(size)} size, "
        f"{times(p50)} p50, {times(p95)} p95"
    )


def times(ratio: float) -> str:
    """A ratio with two significant digits, never in scientific notation."""
    if ratio >= 10:
        return f"{ratio:.0f}×"
    if ratio >= 0.1:
        return f"{ratio:.2f}×"
    return f"{ratio:.3f}×"


if __name__ == "__main__":
    raise SystemExit(main())
