"""Daily updates on OrangeSum: many small runs against one build of the same articles.

A newsroom adds articles every hour. This builds an archive of ``--base`` articles, then
adds ``--runs`` runs of ``--size`` articles each (one commit each, as ``depeches index``
does), and in the same process builds the same articles at once. It prints the segment
count as the runs go, the time of a run, and the query p50/p95 of both indexes on the same
queries, warm and interleaved; then it merges the updated index (``optimize``) and times
the queries again. Both indexes must give the same ranked ids: it says if they do not.

    python bench/updates.py                 # 30,000 + 200 runs of 30 (~25 min)
    python bench/updates.py --quick         # 5,000 + 50 runs of 30 (~4 min)
    python bench/speed.py --updates         # the same, from the speed harness

Every index lives in a temporary directory removed at exit.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

from common import ORANGESUM_PATH, median, percentile, read_jsonl, skip_if_no_data

SEED = 20261205
QUERIES = 200
TARGET_RATIO = 1.3  # issue 17: p50 after the runs within 1.3x of a fresh build


def article(row: dict):
    from indexer import Article

    return Article.from_fields(id=row["id"], title=row.get("title") or "",
                               body=row.get("body") or "", lede=row.get("lede") or "",
                               date=row.get("date"), source=row.get("source"))


def timed_queries(indexes: dict, queries: list[tuple[str, dict]]) -> dict[str, list[float]]:
    """Every query on every index, interleaved, each timed warm (one untimed pass first)."""
    for idx in indexes.values():
        for text, opts in queries[:20]:
            idx.search(text, limit=10, **opts)
    times: dict[str, list[float]] = {name: [] for name in indexes}
    for text, opts in queries:
        for name, idx in indexes.items():
            t = time.perf_counter()
            idx.search(text, limit=10, **opts)
            times[name].append((time.perf_counter() - t) * 1000)
    return times


def ranked(idx, queries: list[tuple[str, dict]]) -> list[list[str]]:
    return [[h.article_id for h in idx.search(text, limit=10, **opts)] for text, opts in queries]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", type=int, default=30_000, help="articles built at first")
    parser.add_argument("--runs", type=int, default=200, help="small runs added after")
    parser.add_argument("--size", type=int, default=30, help="articles per run")
    parser.add_argument("--jobs", type=int, default=None, help="processes (default: cores)")
    parser.add_argument("--quick", action="store_true", help="--base 5000 --runs 50")
    parser.add_argument("--no-optimize", action="store_true", help="skip the final merge")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    if args.quick:
        args.base, args.runs = 5_000, 50
    skip_if_no_data(ORANGESUM_PATH)

    from indexer import NewsIndex
    from indexer.pipeline.prepare import default_jobs

    jobs = args.jobs or default_jobs()
    wanted = args.base + args.runs * args.size
    rows = list(islice(read_jsonl(ORANGESUM_PATH), wanted + QUERIES))
    articles = [article(r) for r in rows[:wanted]]
    if len(articles) < wanted:
        parser.error(f"OrangeSum has {len(articles)} articles, fewer than {wanted}")
    # Queries: the title words of articles not indexed (of every length), and the same
    # with a date filter, plus a few searches without words (newest first).
    rng = random.Random(SEED)
    titles = [r["title"] for r in rows[wanted:] if r.get("title")]
    years = sorted({a.date[:4] for a in articles if a.date})
    queries: list[tuple[str, dict]] = [(t, {}) for t in titles]
    queries += [(t, {"since": f"{rng.choice(years)}-01-01"}) for t in titles[:40]]
    queries += [("", {"since": f"{y}-01-01"}) for y in years] + [("", {})]
    out: dict = {"base": args.base, "runs": args.runs, "size": args.size, "jobs": jobs,
                 "queries": len(queries)}
    print(f"updates: {args.base:,} articles, then {args.runs} runs of {args.size}; "
          f"{jobs} process{'es' if jobs > 1 else ''}; {len(queries)} queries", flush=True)

    with tempfile.TemporaryDirectory(prefix="depeches-updates-") as tmp:
        work = Path(tmp)
        t = time.perf_counter()
        with NewsIndex.create(work / "runs") as idx:
            idx.add_articles(articles[:args.base], jobs=jobs)
        out["base_s"] = time.perf_counter() - t
        print(f"base build: {out['base_s']:.1f} s", flush=True)

        run_s: list[float] = []
        segments: list[int] = []
        with NewsIndex.open(work / "runs") as idx:
            for n in range(args.runs):
                start = args.base + n * args.size
                t = time.perf_counter()
                idx.add_articles(articles[start:start + args.size], jobs=jobs)
                run_s.append(time.perf_counter() - t)
                segments.append(idx.stats()["segments"])
                if (n + 1) % max(1, args.runs // 10) == 0:
                    print(f"  run {n + 1}: {segments[-1]} segments, this run {run_s[-1]:.2f} s",
                          flush=True)
        out.update(run_p50_s=median(run_s), run_max_s=max(run_s), segments_max=max(segments),
                   segments_end=segments[-1])

        t = time.perf_counter()
        with NewsIndex.create(work / "once") as idx:
            idx.add_articles(articles, jobs=jobs)
        out["once_s"] = time.perf_counter() - t
        print(f"one build of the same {wanted:,}: {out['once_s']:.1f} s", flush=True)

        with NewsIndex.open(work / "runs") as runs, NewsIndex.open(work / "once") as once:
            times = timed_queries({"runs": runs, "once": once}, queries)
            same = ranked(runs, queries) == ranked(once, queries)
            out["same_ids"] = same
            for name in times:
                out[f"{name}_p50_ms"] = median(times[name])
                out[f"{name}_p95_ms"] = percentile(times[name], 95)
            if not args.no_optimize:
                t = time.perf_counter()
                before, after = runs.optimize()
                out["optimize_s"] = time.perf_counter() - t
                out["optimize_segments"] = [before, after]
                times = timed_queries({"optimized": runs, "once": once}, queries)
                out["optimized_p50_ms"] = median(times["optimized"])
                out["optimized_p95_ms"] = percentile(times["optimized"], 95)
                out["once2_p50_ms"] = median(times["once"])
                out["optimized_same_ids"] = ranked(runs, queries) == ranked(once, queries)
    out["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print()
    print(f"runs: p50 {out['run_p50_s']:.2f} s, max {out['run_max_s']:.2f} s per run of "
          f"{args.size}; segments at most {out['segments_max']}, {out['segments_end']} at the end")
    ratio = out["runs_p50_ms"] / out["once_p50_ms"]
    verdict = "met" if ratio <= TARGET_RATIO else f"missed by {ratio / TARGET_RATIO - 1:.0%}"
    print(f"queries after the runs: p50 {out['runs_p50_ms']:.2f} ms, p95 "
          f"{out['runs_p95_ms']:.2f} ms; one build: p50 {out['once_p50_ms']:.2f} ms, p95 "
          f"{out['once_p95_ms']:.2f} ms; ratio {ratio:.2f}x (target <= {TARGET_RATIO}x: "
          f"{verdict})")
    print(f"same ranked ids on every query: {'yes' if out['same_ids'] else 'NO'}")
    if "optimize_s" in out:
        print(f"optimize: {out['optimize_segments'][0]} -> {out['optimize_segments'][1]} "
              f"segments in {out['optimize_s']:.1f} s; then p50 {out['optimized_p50_ms']:.2f} ms,"
              f" p95 {out['optimized_p95_ms']:.2f} ms (one build, same pass: "
              f"{out['once2_p50_ms']:.2f} ms); same ids: "
              f"{'yes' if out['optimized_same_ids'] else 'NO'}")
    print(f"peak RSS of this process: {out['peak_rss_mib']:.0f} MiB")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
