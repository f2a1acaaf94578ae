"""Checksums of the index's segment files, so that damage is found and named, never
served as wrong hits.

At each commit the writer records the size and CRC32 of every file of the segment it
wrote, in a ``.sums`` file beside them (Whoosh's clean-up removes it with the segment).
Opening a searcher compares sizes only, a ``stat`` per file: a truncated or deleted
file is named before Whoosh reads it. ``depeches check`` reads every byte and every
stored record. Lucene does the same in two tiers (a footer checked on open,
``CheckIndex`` for the rest).

Segments written before checksums existed have no ``.sums`` file: :func:`check_files`
reports them as unchecked, and nothing reports them as damaged.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SUMS_EXT = ".sums"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an index: the file (or record) and what is wrong with it."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass
class CheckReport:
    """What :meth:`indexer.NewsIndex.check` verified and found."""

    files: int = 0
    """Segment files whose every byte was checked against its CRC32."""
    shards: int | None = None
    """A cluster's started primary shards (the cluster checks their files itself)."""
    records: int = 0
    """Stored records read back (an article's metadata and texts, a passage's place)."""
    problems: list[Problem] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)
    """Segments written before checksums existed: their files could not be checked."""

    @property
    def ok(self) -> bool:
        return not self.problems


def crc32_of(path: Path) -> int:
    """The CRC32 of a file, read a chunk at a time."""
    crc = 0
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            crc = zlib.crc32(chunk, crc)
    return crc


def write_sums(folder: Path, segment_id: str) -> None:
    """Record the size and CRC32 of each file of the segment ``segment_id`` (Whoosh's
    ``MAIN_<id>``), which its writer has just closed."""
    prefix = segment_id + "."
    sums = {}
    for name in sorted(os.listdir(folder)):
        if name.startswith(prefix) and not name.endswith(SUMS_EXT):
            path = folder / name
            sums[name] = [path.stat().st_size, crc32_of(path)]
    table = json.dumps(sums, separators=(",", ":"))
    (folder / (segment_id + SUMS_EXT)).write_text(table, encoding="utf-8")


def _read_sums(folder: Path, segment_id: str) -> dict[str, list[int]] | None | Problem:
    path = folder / (segment_id + SUMS_EXT)
    try:
        sums = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as e:
        return Problem(str(path), f"unreadable checksums ({type(e).__name__})")
    if not isinstance(sums, dict) or not all(
            isinstance(v, list) and len(v) == 2 and all(isinstance(x, int) for x in v)
            for v in sums.values()):
        return Problem(str(path), "unreadable checksums (not a table of sizes and CRCs)")
    return sums


def verify(folder: Path, segment_ids: Iterable[str], *, full: bool = False
           ) -> Iterator[Problem]:
    """The problems of the files of these segments: a missing file or the wrong size,
    and with ``full`` the wrong CRC32 as well. Segments without checksums pass."""
    for segment_id in segment_ids:
        sums = _read_sums(folder, segment_id)
        if isinstance(sums, Problem):
            yield sums
        elif sums is not None:
            yield from _file_problems(folder, sums, full)


def check_files(folder: Path, segment_ids: Iterable[str]) -> CheckReport:
    """Every byte of these segments' files against their checksums, counted: what
    ``depeches check`` reports before it reads the records."""
    report = CheckReport()
    for segment_id in segment_ids:
        sums = _read_sums(folder, segment_id)
        if isinstance(sums, Problem):
            report.problems.append(sums)
        elif sums is None:
            report.unchecked.append(segment_id)
        else:
            report.files += len(sums)
            report.problems.extend(_file_problems(folder, sums, full=True))
    return report


def _file_problems(folder: Path, sums: dict[str, list[int]], full: bool
                   ) -> Iterator[Problem]:
    for name, (size, crc) in sums.items():
        path = folder / name
        try:
            actual = path.stat().st_size
            if actual != size:
                yield Problem(str(path), f"{actual} bytes where {size} were written "
                                         f"({'truncated' if actual < size else 'grown'})")
            elif full and (found := crc32_of(path)) != crc:
                yield Problem(str(path), f"checksum mismatch (CRC32 {found:08x}, "
                                         f"written {crc:08x}): its bytes have changed")
        except FileNotFoundError:
            yield Problem(str(path), "missing")
        except OSError as e:
            yield Problem(str(path), f"unreadable ({e.strerror or e})")


def segment_ids(toc_segments: Iterable[Any]) -> list[str]:
    """Whoosh's segment file prefixes (``MAIN_<id>``) of a TOC's segments."""
    return [s.segment_id() for s in toc_segments]


def article_passages(where: str, article_id: str, read: Callable[[], bytes]
                     ) -> tuple[int | None, Problem | None]:
    """How many passages an article's record holds (``None`` where it will not decode),
    and what is wrong with it: a record that ``read`` cannot give or decode, or that lists
    another number of passages than it holds. Damage takes any form, hence any error."""
    from .schema import read_meta, read_texts

    try:
        record = read()
        meta, texts = read_meta(record), read_texts(record)
    except Exception as e:  # noqa: BLE001
        return None, Problem(where, f"unreadable article record ({type(e).__name__})")
    if meta.get("passages") != len(texts):
        return len(texts), Problem(where, f"article {article_id!r} lists "
                                          f"{meta.get('passages')} passages, holds {len(texts)}")
    return len(texts), None


def passage_back(where: str, read: Callable[[], bytes]) -> int | Problem:
    """A passage record's distance back to its article (its place among the article's
    passages), or what keeps it from being read."""
    from .schema import passage_place

    try:
        return passage_place(read())[0]
    except Exception as e:  # noqa: BLE001
        return Problem(where, f"unreadable passage record ({type(e).__name__})")
