"""Hostile text: one article of a pathological pattern, timed stage by stage (issue 18).

Each pattern fills one paragraph up to the size asked for: a run of dots, of capitals, of
hyphens, a word without end... Such text comes from broken scrapers and from whoever wants
to stall the indexer. Every article must cost time linear in its size:

    python bench/hostile.py                          # 256K and 1M, every pattern
    python bench/hostile.py --sizes 10K,40K --only dots,capitals

Each case runs in a fresh subprocess under a timeout, so that a quadratic path shows as a
timeout instead of hanging the bench, and its peak memory (ru_maxrss) is its own. The child
runs ``prepare_article`` once on a normal article first (gazetteers and langdetect load
then), and keeps the fastest of a few runs.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

PATTERNS = {
    "dots": ".",                # the sentence-end regex backtracked over the run
    "capitals": "ABCDEF ",      # the spotter re-read the run at every word
    "hyphens": "-",
    "apostrophes": "'",
    "quotes": "« Oui. ",        # guillemets never closed: every stop inside refused
    "abbreviations": "M. ",     # a stop that ends no sentence, again and again
    "glued": "Fin.Alors ",      # a sentence end glued to the next one
    "long word": "a",
    "names": "",                # thousands of people, each in every passage: names_body
}
STAGES = ["clean", "language", "entities", "passages", "analysis"]
DEFAULT_SIZES = "256K,1M"
TIMEOUT = 120.0  # seconds per case
RUNS = 3  # the fastest of RUNS runs, while they stay within RUN_BUDGET
RUN_BUDGET = 5.0

TARGET_SECONDS_1M = 2.0  # per article of 1 MB
TARGET_GROWTH = 5 / 4  # 4x the input costs at most 5x the time


def parse_size(text: str) -> int:
    """``256K`` → 262,144 characters; ``1M`` → 1,048,576; a bare number is itself."""
    text = text.strip().upper()
    scale = {"K": 1 << 10, "M": 1 << 20}.get(text[-1:], 1)
    return int(float(text.rstrip("KM")) * scale)


def hostile_body(pattern: str, size: int) -> str:
    if pattern == "names":
        return names_body(size)
    unit = PATTERNS[pattern]
    return (unit * (size // len(unit) + 1))[:size]


def names_body(size: int) -> str:
    """One new person per sentence: "Selon Jean Bafaga, il pleut. Selon Jean Cafaga…"."""
    out, total, i = [], 0, 0
    while total < size:
        n, name = i, ""
        for _ in range(4):
            name += "bcdfghjklmnprstvz"[n % 17] + "aeiou"[n // 17 % 5]
            n //= 85
        sentence = f"Selon Jean {name.capitalize()}, il pleut. "
        out.append(sentence)
        total += len(sentence)
        i += 1
    return "".join(out)[:size]


def run_case(pattern: str, size: int) -> dict:
    """In the child: the per-stage seconds of the fastest run, and this process's peak RSS."""
    from indexer import Article
    from indexer.pipeline.prepare import prepare_article

    warm = Article.from_fields(id="warm", title="Échauffement",
                               body="Emmanuel Macron est à Paris. Il parle aux élus de Lyon.")
    prepare_article(warm)
    article = Article.from_fields(id="hostile", title="Texte hostile",
                                  body=hostile_body(pattern, size))
    best: dict[str, float] | None = None
    spent = 0.0
    for _ in range(RUNS):
        seconds = prepare_article(article).seconds
        spent += sum(seconds.values())
        if best is None or sum(seconds.values()) < sum(best.values()):
            best = seconds
        if spent > RUN_BUDGET:
            break
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": best, "peak_mib": peak_kib / 1024}


def measure(pattern: str, size: int, timeout: float) -> dict | None:
    """One case in a subprocess; ``None`` when it ran out of time or failed."""
    cmd = [sys.executable, __file__, "--case", pattern, str(size)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    except subprocess.CalledProcessError as e:
        print(f"{pattern} at {size}: {e.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
        return None
    return json.loads(done.stdout)


def size_label(size: int) -> str:
    for unit, scale in (("M", 1 << 20), ("K", 1 << 10)):
        if size >= scale and size % scale == 0:
            return f"{size // scale}{unit}"
    return str(size)


def main() -> None:
    # Here, not at the top: tests/test_hostile.py imports this file for its patterns alone.
    from common import check, render_table  # it also puts the project on sys.path

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES,
                        help=f"comma-separated, in characters, K or M (default {DEFAULT_SIZES})")
    parser.add_argument("--only", default="", help="comma-separated patterns: "
                        + ", ".join(PATTERNS))
    parser.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds per case")
    parser.add_argument("--case", nargs=2, metavar=("PATTERN", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case[0], int(args.case[1]))))
        return
    patterns = [p.strip() for p in args.only.split(",") if p.strip()] or list(PATTERNS)
    unknown = [p for p in patterns if p not in PATTERNS]
    if unknown:
        parser.error(f"unknown pattern {unknown[0]!r}; choose among {', '.join(PATTERNS)}")
    sizes = sorted(parse_size(s) for s in args.sizes.split(","))

    rows = []
    for pattern in patterns:
        previous: tuple[int, float] | None = None
        for size in sizes:
            t0 = time.perf_counter()
            result = measure(pattern, size, args.timeout)
            wall = time.perf_counter() - t0
            if result is None:
                rows.append([pattern, size_label(size), *["" for _ in STAGES],
                             f"> {args.timeout:.0f} (wall {wall:.0f})", "", "", check(False)])
                previous = None
                continue
            seconds = result["seconds"]
            total = sum(seconds.values())
            # Up to 1M the target is a flat 2 s; beyond, it grows with the size.
            ok = total <= TARGET_SECONDS_1M * max(1.0, size / (1 << 20))
            growth = ""
            if previous:
                ratio = total / previous[1] if previous[1] > 0 else float("inf")
                growth = f"{ratio:.1f}x for {size / previous[0]:.0f}x"
                ok = ok and ratio <= TARGET_GROWTH * size / previous[0]
            rows.append([pattern, size_label(size), *(f"{seconds[s]:.3f}" for s in STAGES),
                         f"{total:.3f}", growth, f"{result['peak_mib']:.0f}", check(ok)])
            previous = (size, total)
    print(render_table(["pattern", "size", *STAGES, "total s", "growth", "peak MiB", "ok"], rows))
    print(f"\ntargets: ≤ {TARGET_SECONDS_1M:g} s per article up to 1M; "
          f"time grows at most {TARGET_GROWTH:g}× as fast as the input "
          f"(4× the input, ≤ {4 * TARGET_GROWTH:g}× the time)")


if __name__ == "__main__":
    main()
