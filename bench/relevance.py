"""Ranking quality on PIAF: ours and the peers, measured in the same run.

Each of the 1,518 Wikipedia passages is indexed as one article; each of the 3,771 dev
questions has exactly one relevant passage. Scores: MRR@10, success@1, success@10.

    python bench/relevance.py                      # every engine, every question
    python bench/relevance.py --limit-questions 300 --only ours,fts5
    python bench/relevance.py --dump-failures /tmp/misses.jsonl
    python bench/relevance.py --halves             # also the even and odd questions apart
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from common import (
    PIAF_DIR,
    Doc,
    Ours,
    median,
    parse_only,
    percentile,
    read_jsonl,
    render_table,
    skip_if_no_data,
)
from peers import PEERS, TantivyPeer

ENGINES = ["ours", "ours+vectors", "tantivy", "fts5", "whoosh"]
DEPTH = 10


@dataclass
class Outcome:
    name: str
    index_seconds: float = 0.0
    query_ms: list[float] = field(default_factory=list)
    ranks: list[int | None] = field(default_factory=list)  # 1-based rank of the relevant id
    misses: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # questions the engine refused

    def mrr(self, half: int | None = None) -> float:
        ranks = self.half(half)
        return sum(1 / r for r in ranks if r) / len(ranks)

    def success(self, k: int, half: int | None = None) -> float:
        ranks = self.half(half)
        return sum(1 for r in ranks if r and r <= k) / len(ranks)

    def half(self, half: int | None) -> list[int | None]:
        """Every rank, or those of the questions at even (0) or odd (1) positions."""
        return self.ranks if half is None else self.ranks[half::2]


def read_passages() -> list[Doc]:
    return [
        Doc(row["id"], row.get("title") or "", row["body"], None, row.get("source"))
        for row in read_jsonl(PIAF_DIR / "passages.jsonl")
    ]


def read_questions(limit: int | None) -> list[dict]:
    questions = []
    for row in read_jsonl(PIAF_DIR / "questions.dev.jsonl"):
        questions.append(row)
        if limit is not None and len(questions) >= limit:
            break
    return questions


def make_engine(name: str):
    if name == "ours":
        return Ours(jobs=1)
    if name == "ours+vectors":
        from indexer.search import vectors as semantic

        if not semantic.available():
            raise ImportError(f"needs numpy and {semantic.MODEL}: pip install 'depeches[vectors]'")
        return Ours(jobs=1, vectors=True)
    if name == "tantivy":
        # One writer thread, one segment: with two, documents split across segments at
        # random and ties break differently from run to run.
        return TantivyPeer(threads=1)
    return PEERS[name]()


def refusal(error: Exception) -> bool:
    """Whether an error is our library refusing a query (rather than a bug to surface)."""
    try:
        from indexer import IndexerError
    except ImportError:
        return False
    return isinstance(error, IndexerError)


def run_engine(name: str, docs: list[Doc], questions: list[dict], workdir: Path) -> Outcome:
    engine = make_engine(name)
    outcome = Outcome(engine.name)
    path = workdir / name
    start = time.perf_counter()
    engine.index(docs, path)
    outcome.index_seconds = time.perf_counter() - start
    try:
        for question in questions:
            start = time.perf_counter()
            try:
                ids = engine.search(question["question"], DEPTH)
            except Exception as error:  # a refused question is a miss, counted and shown
                if not refusal(error):
                    raise
                outcome.errors.append(f"{question['qid']}: {type(error).__name__}: {error}")
                ids = []
            outcome.query_ms.append((time.perf_counter() - start) * 1000)
            rank = ids.index(question["relevant"]) + 1 if question["relevant"] in ids else None
            outcome.ranks.append(rank)
            if rank != 1:
                outcome.misses.append(
                    {
                        "qid": question["qid"],
                        "question": question["question"],
                        "relevant": question["relevant"],
                        "rank": rank,
                        "top3": ids[:3],
                    }
                )
    finally:
        engine.close()
    return outcome


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--limit-questions", type=int, metavar="N", help="only the first N questions"
    )
    parser.add_argument(
        "--only",
        default=",".join(ENGINES),
        help=f"comma-separated engines among {', '.join(ENGINES)} (default: all)",
    )
    parser.add_argument(
        "--dump-failures",
        type=Path,
        metavar="FILE",
        help="write the questions ours does not rank first "
        "(JSON Lines: qid, question, relevant, rank, top3)",
    )
    parser.add_argument(
        "--halves",
        action="store_true",
        help="also print MRR@10 and success@10 on the even and the odd questions",
    )
    args = parser.parse_args(argv)
    args.only = parse_only(parser, args.only, ENGINES)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    skip_if_no_data(PIAF_DIR / "passages.jsonl", PIAF_DIR / "questions.dev.jsonl")
    docs = read_passages()
    questions = read_questions(args.limit_questions)
    print(f"PIAF: {len(docs)} passages, {len(questions)} questions, depth {DEPTH}", flush=True)

    outcomes: list[Outcome] = []
    workdir = Path(tempfile.mkdtemp(prefix="depeches-relevance-"))
    try:
        for name in args.only:
            try:
                outcomes.append(run_engine(name, docs, questions, workdir))
            except ImportError as error:
                print(f"{name}: not run ({error})", file=sys.stderr)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    rows = [
        [
            o.name,
            f"{o.mrr():.3f}",
            f"{o.success(1):.3f}",
            f"{o.success(DEPTH):.3f}",
            f"{o.index_seconds:.2f}",
            f"{median(o.query_ms):.2f}",
            f"{percentile(o.query_ms, 95):.2f}",
            str(len(o.errors)),
        ]
        for o in outcomes
    ]
    headers = [
        "engine",
        "MRR@10",
        "success@1",
        "success@10",
        "index s",
        "query p50 ms",
        "p95 ms",
        "refused",
    ]
    print(render_table(headers, rows))
    if args.halves:
        # A change tuned on some questions should help the others too: the two
        # halves, by position in the file, side by side.
        rows = [
            [o.name]
            + [f"{f(h):.3f}" for h in (0, 1) for f in (o.mrr, lambda h, o=o: o.success(DEPTH, h))]
            for o in outcomes
        ]
        print(render_table(["engine", "even MRR@10", "even success@10",
                            "odd MRR@10", "odd success@10"], rows))
    for o in outcomes:
        if o.errors:
            print(f"{o.name} refused {len(o.errors)} questions, e.g. {o.errors[0]}")

    ours = next((o for o in outcomes if o.name == "ours"), None)
    if args.dump_failures:
        if ours is None:
            print("--dump-failures: ours was not run, nothing written", file=sys.stderr)
        else:
            with args.dump_failures.open("w", encoding="utf-8") as handle:
                for miss in ours.misses:
                    handle.write(json.dumps(miss, ensure_ascii=False) + "\n")
            print(f"{len(ours.misses)} questions ours does not rank first -> {args.dump_failures}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
