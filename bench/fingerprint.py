"""A fingerprint of what depeches writes and answers, to show that a refactoring changed nothing.

Issue 19 moves code around with "no change in behaviour" as its acceptance:
the sample corpus's index files byte-identical, and 200 OrangeSum queries
giving the same ids, scores and highlights. This script records both:

    python bench/fingerprint.py --save /tmp/before.json     # on the old code
    python bench/fingerprint.py --against /tmp/before.json  # on the new code

Segment names are random, so files are compared by content under a name with
the segment id replaced; the table of contents names the segment, so its bytes
are compared with that name replaced too. Scores are compared by ``repr``:
equal floats, not close ones.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tempfile
from itertools import islice
from pathlib import Path

from common import ORANGESUM_PATH, PROJECT_ROOT, read_jsonl, skip_if_no_data

_SEGMENT = re.compile(r"MAIN_([a-z0-9]{16})\.")


def index_files(path: Path) -> dict[str, str]:
    """sha256 of every index file, segment ids masked in names and contents."""
    files = sorted(path.iterdir())
    ids = sorted({m.group(1) for f in files if (m := _SEGMENT.match(f.name))})
    masks = {segment: f"<segment {n}>" for n, segment in enumerate(ids)}
    out = {}
    for file in files:
        name, data = file.name, file.read_bytes()
        if name.endswith(".sums"):
            # A .pages file names the segment's files, so its CRC32 here changes with
            # the random id: compared through the .pages file itself, masked, instead.
            sums = json.loads(data)
            sums.update({f: [size, "<crc>"] for f, (size, _) in sums.items()
                         if f.endswith(".pages")})
            data = json.dumps(sums, sort_keys=True).encode()
        for segment, mask in masks.items():
            name = name.replace(segment, mask)
            data = data.replace(segment.encode(), mask.encode())
        out[name] = hashlib.sha256(data).hexdigest()
    return out


def sample_corpus(work: Path) -> dict[str, str]:
    from indexer import NewsIndex

    path = work / "sample"
    with NewsIndex.create(path) as idx:
        idx.add_paths([str(PROJECT_ROOT / "corpus")], jobs=1)
    return index_files(path)


def orangesum(work: Path, articles: int, queries: int) -> dict[str, object]:
    from indexer import Article, NewsIndex

    rows = read_jsonl(ORANGESUM_PATH)
    indexed = list(islice(rows, articles))
    # Queries are titles of articles that are not indexed: natural, of every length.
    asked = [row["title"] for row in islice(rows, queries) if row.get("title")]
    path = work / "orangesum"
    with NewsIndex.create(path) as idx:
        idx.add_articles((Article.from_fields(
            id=row["id"], title=row.get("title") or "", body=row.get("body") or "",
            lede=row.get("lede") or "", date=row.get("date"), source=row.get("source"))
            for row in indexed), jobs=1)
    answers = {}
    with NewsIndex.open(path) as idx, idx.snapshot():
        for query in asked:
            results = idx.search(query, limit=10, per_article=2)
            answers[query] = {
                "hits": [[hit.article_id, hit.ordinal, repr(hit.score), hit.passage,
                          [list(span) for span in hit.highlights]] for hit in results],
                "left_out": list(results.left_out),
                "totals": [results.total_articles, results.total_passages],
                "places": [[f.value, f.count] for f in idx.facets(query, field="places")],
            }
        for name in ("places", "actors", "sources"):
            answers[f"<facets {name}>"] = [[f.value, f.count]
                                           for f in idx.facets(field=name, top=50)]
    return {"files": index_files(path), "answers": answers}


def differences(before: dict, after: dict, prefix: str = "") -> list[str]:
    out = []
    for key in sorted(set(before) | set(after)):
        where = f"{prefix}{key}"
        if key not in before or key not in after:
            out.append(f"{where}: only {'after' if key in after else 'before'}")
        elif isinstance(before[key], dict) and isinstance(after[key], dict):
            out.extend(differences(before[key], after[key], where + " / "))
        elif before[key] != after[key]:
            out.append(f"{where}: differs")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--save", type=Path, help="write the fingerprint here")
    what.add_argument("--against", type=Path, help="compare with a saved fingerprint")
    parser.add_argument("--articles", type=int, default=1500)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    skip_if_no_data(ORANGESUM_PATH)
    with tempfile.TemporaryDirectory(prefix="depeches-fingerprint-") as tmp:
        work = Path(tmp)
        now = {"sample": sample_corpus(work),
               "orangesum": orangesum(work, args.articles, args.queries)}
    queries = len(now["orangesum"]["answers"]) - 2
    if args.save:
        args.save.write_text(json.dumps(now, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"fingerprint of {len(now['sample'])} sample files, "
              f"{args.articles} OrangeSum articles and {queries} queries: {args.save}")
        return 0
    found = differences(json.loads(args.against.read_text(encoding="utf-8")), now)
    for line in found[:40]:
        print(line)
    print(f"{len(found)} differences over {len(now['sample'])} sample files "
          f"and {queries} OrangeSum queries")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
