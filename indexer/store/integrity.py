"""Checksums of the index's segment files, so that damage is found and named, never
served as wrong hits.

At each commit the writer records the size and CRC32 of every file of the segment it
wrote, in a ``.sums`` file beside them (Whoosh's clean-up removes it with the segment).
Opening a searcher compares sizes only, a ``stat`` per file: a truncated or deleted
file is named before Whoosh reads it. ``depeches check`` reads every byte and every
stored record. Lucene does the same in two tiers (a footer checked on open,
``CheckIndex`` for the rest).

Between the two, bytes changed inside a file that still decode (a document number in
a posting block, a field length) would be served as wrong hits until ``check`` ran.
So the writer also records the CRC32 of each 4 KiB page of each file (``.pages``),
and :class:`CheckedStorage` opens segment files that verify each page the first time
a reader touches it, as SQLite's ``cksumvfs`` does: a search meets damage as
:class:`~indexer.errors.IndexCorruptError` naming the file, never as wrong hits. A
search touches a few hundred pages; the sums cost 0.1 % of the index.

Segments written before checksums existed have no ``.sums`` file: :func:`check_files`
reports them as unchecked, and nothing reports them as damaged.
"""

from __future__ import annotations

import io
import json
import mmap
import os
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile

from ..errors import IndexCorruptError
from .varints import get_varint, pack, put_varint, unpack

SUMS_EXT = ".sums"
PAGES_EXT = ".pages"
PAGE = 4096
"""The bytes each page checksum covers."""
_CHUNK = 1 << 20  # a multiple of PAGE
_PAGES_MAGIC = b"DPG1"


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


def page_sums(path: Path) -> tuple[int, array]:
    """The CRC32 of a whole file and of each of its :data:`PAGE`-byte pages."""
    crc, pages = 0, array("I")
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            crc = zlib.crc32(chunk, crc)
            pages.extend(zlib.crc32(chunk[i:i + PAGE]) for i in range(0, len(chunk), PAGE))
    return crc, pages


def write_sums(folder: Path, segment_id: str) -> None:
    """Record the size and CRC32 of each file of the segment ``segment_id`` (Whoosh's
    ``MAIN_<id>``), which its writer has just closed, and of each file's pages."""
    prefix = segment_id + "."
    names = [name for name in sorted(os.listdir(folder)) if name.startswith(prefix)
             and not name.endswith((SUMS_EXT, PAGES_EXT))]
    sums, table = {}, bytearray(_PAGES_MAGIC)
    for name in names:
        path = folder / name
        crc, pages = page_sums(path)
        sums[name] = [path.stat().st_size, crc]
        key = name.encode("utf-8")
        put_varint(table, len(key))
        table += key
        put_varint(table, len(pages))
        table += pack(2, pages)  # 32-bit, little-endian
    pages_path = folder / (segment_id + PAGES_EXT)
    pages_path.write_bytes(bytes(table))
    sums[pages_path.name] = [len(table), zlib.crc32(table)]
    listing = json.dumps(sums, separators=(",", ":"))
    (folder / (segment_id + SUMS_EXT)).write_text(listing, encoding="utf-8")


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


def read_pages(folder: Path, segment_id: str) -> dict[str, array] | None:
    """The page checksums of each file of a segment, by file name; None for a segment
    written before they existed. A ``.pages`` file that fails its own CRC (in ``.sums``)
    or will not decode is damage, named."""
    path = folder / (segment_id + PAGES_EXT)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as e:
        raise IndexCorruptError(str(folder), str(path), f"unreadable ({e.strerror or e})") \
            from None
    sums = _read_sums(folder, segment_id)
    written = sums.get(path.name) if isinstance(sums, dict) else None
    if written is not None and [len(data), zlib.crc32(data)] != written:
        raise IndexCorruptError(str(folder), str(path), "checksum mismatch: its bytes have "
                                                        "changed")
    out, i = {}, len(_PAGES_MAGIC)
    try:
        if not data.startswith(_PAGES_MAGIC):
            raise ValueError("no magic")
        while i < len(data):
            n, i = get_varint(data, i)
            name = data[i:i + n].decode("utf-8")
            count, i = get_varint(data, i + n)
            if i + 4 * count > len(data):
                raise ValueError("truncated")
            out[name] = unpack(2, data[i:i + 4 * count])
            i += 4 * count
    except (IndexError, ValueError):
        raise IndexCorruptError(str(folder), str(path), "undecodable page checksums") \
            from None
    return out


class CheckedStorage(FileStorage):
    """Whoosh's file storage, whose segment files check each page's CRC32 the first
    time it is read (:class:`CheckedFile`). Files without page sums (the table of
    contents, segments written before them) open as Whoosh opens them. Files are
    written through a :class:`PositionedWriter`."""

    def __init__(self, path: str, **kwargs: Any) -> None:
        super().__init__(path, **kwargs)
        self._pages: dict[str, dict[str, array] | None] = {}

    def create_file(self, name: str, excl: bool = False, mode: str = "wb",
                    **kwargs: Any) -> Any:
        if excl or mode != "wb" or self.readonly:  # as Whoosh does (or refuses)
            return super().create_file(name, excl=excl, mode=mode, **kwargs)
        return StructFile(PositionedWriter(self._fpath(name)), name=name, **kwargs)

    def open_file(self, name: str, **kwargs: Any) -> Any:
        segment_id = name.split(".", 1)[0]
        if segment_id not in self._pages:
            self._pages[segment_id] = read_pages(Path(self.folder), segment_id)
        pages = (self._pages[segment_id] or {}).get(name)
        if pages is None:
            return super().open_file(name, **kwargs)
        return CheckedFile(open(self._fpath(name), "rb"), pages, self._fpath(name),
                           self.folder, name=name, **kwargs)


class PositionedWriter(io.BufferedWriter):
    """A new file, written through a buffer, that keeps its own position.

    Whoosh asks a segment's postings and terms files where they are once or twice per
    term, and a buffered file's ``tell`` asks the system (an ``lseek``) every time: about
    180 calls an OrangeSum article (53,000 over 300), 3 to 6 % of a commit.
    """

    def __init__(self, path: str) -> None:
        super().__init__(io.FileIO(path, "w"))
        self._position = 0

    def write(self, data: Any) -> int:
        written = super().write(data)
        self._position += written
        return written

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        self._position = super().seek(offset, whence)
        return self._position

    def tell(self) -> int:
        return self._position


class CheckedFile(StructFile):
    """A segment file read through Whoosh's ``StructFile`` calls, each page checked
    against its CRC32 once, when first read.

    Reads at a position come from a read-only memory map of the file, as Lucene's
    ``MMapDirectory`` reads: a short search makes about 1,400 of them (block headers,
    term entries), and a system call each was a tenth of its time. Segment files never
    change once committed. Damage done before a search opens a file is named (opening
    a searcher compares sizes, and pages are checked); a file cut short while a search
    holds it open would end that process (``SIGBUS``), as it would Lucene's."""

    def __init__(self, fileobj: Any, pages: array, path: str, index: str,
                 **kwargs: Any) -> None:
        super().__init__(fileobj, **kwargs)
        self.is_real = False  # so that read_array goes through read()
        fd = fileobj.fileno()
        size = os.fstat(fd).st_size
        self._map: Any = mmap.mmap(fd, 0, access=mmap.ACCESS_READ) if size else b""
        self._pages = pages
        self._checked = bytearray(len(pages))
        self._path = path
        self._index = index

    def get(self, position: int, length: int) -> bytes:
        data = self._map[position:position + length]
        self._check(position, position + len(data))
        return data

    def close(self) -> None:
        if isinstance(self._map, mmap.mmap):
            self._map.close()
        super().close()

    def read(self, *args: Any, **kwargs: Any) -> bytes:
        position = self.file.tell()
        data = self.file.read(*args, **kwargs)
        self._check(position, position + len(data))
        return data

    def _check(self, start: int, end: int) -> None:
        if end <= start:
            return
        checked = self._checked
        first, last = start // PAGE, (end - 1) // PAGE
        if last < len(checked) and checked[first] and checked[last] and last - first < 2:
            return
        for page in range(first, last + 1):
            if page < len(checked) and checked[page]:
                continue
            data = self._map[page * PAGE:(page + 1) * PAGE]
            if page >= len(checked) or zlib.crc32(data) != self._pages[page]:
                raise IndexCorruptError(
                    self._index, self._path, f"checksum mismatch in bytes {page * PAGE}-"
                    f"{page * PAGE + len(data) - 1}: its bytes have changed")
            checked[page] = 1


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
