"""The embedded index as a whole: what :class:`indexer.index.NewsIndex` asks of the store.

:class:`EmbeddedStore` owns the Whoosh index in a directory. It creates and opens it,
opens searchers once their files are as written, names the damage behind a failed
read, writes prepared articles in :class:`Batches` (one commit each), and merges,
checks and measures what was committed. It is the write half of the seam between the
door and a backend; the read half is :class:`indexer.search.seam.Version`.
"""

from __future__ import annotations

import os
import shutil
import struct
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, Self

from ..errors import IndexCorruptError, IndexerError, IndexNotFoundError, os_reason
from .integrity import CheckedStorage
from .lock import LOCK_FILE, WriterLock
from .schema import (
    INDEX_NAME,
    META_FILE,
    build_schema,
    check_meta,
    codec,
    write_meta,
)
from .signals import held_interrupts
from .snapshot import Snapshot, leaf_segment_ids

if TYPE_CHECKING:
    from ..model import IndexReport
    from .integrity import CheckReport, Problem
    from .segment import BulkWriter, IndexedDoc, WhooshDocuments

# What only damaged bytes raise, once they pass the size checks of opening: an
# undecodable block or record, a read past the end of a file (EINVAL), a disk error.
# Any other exception is called damage only when a checksum confirms it.
_UNDECODABLE = (zlib.error, UnicodeDecodeError, struct.error, EOFError, OSError)


class Indexed(Protocol):
    """An article's documents, indexed by the pipeline's workers
    (:class:`indexer.pipeline.prepare.Indexed`)."""

    @property
    def article_id(self) -> str: ...
    @property
    def docs(self) -> tuple[IndexedDoc | Any, ...]: ...
    @property
    def seconds(self) -> dict[str, float]:
        """Seconds each stage took on the article (``entities``, ``analysis``, …)."""
        ...
    @property
    def passages(self) -> int: ...


class EmbeddedStore:
    """The Whoosh index in the directory ``path``."""

    def __init__(self, path: Path, ix: Any) -> None:
        self.path = path
        self._ix = ix

    @classmethod
    def create(cls, path: Path, *, overwrite: bool = False) -> Self:
        """A new, empty index at ``path``. An index there is opened as it is, unless
        ``overwrite`` (never another directory's files, nor an index that a process is
        writing)."""
        from whoosh import index as windex

        if path.exists() and not path.is_dir():
            raise IndexNotFoundError(str(path), "exists and is not a directory")
        if (path / META_FILE).exists() and not overwrite:
            return cls.open(path)
        keep = {"README.md", LOCK_FILE}
        lock = None
        if path.exists() and any(x for x in path.iterdir() if x.name not in keep):
            if not (path / META_FILE).exists():
                raise IndexNotFoundError(str(path), "directory is not empty and not an index")
            lock = WriterLock(path)
            lock.acquire()  # never wipe an index that another process is writing
            for child in path.iterdir():
                if child.name not in keep:
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
        try:
            path.mkdir(parents=True, exist_ok=True)
            ix = windex.FileIndex.create(CheckedStorage(str(path)), build_schema(),
                                         INDEX_NAME)
            write_meta(path)
        except OSError as e:
            raise IndexNotFoundError(str(path), f"cannot create index ({e.strerror})") from None
        finally:
            if lock is not None:
                lock.release()
        return cls(path, ix)

    @classmethod
    def open(cls, path: Path) -> Self:
        """An existing index; a missing or foreign directory is a clear error."""
        from whoosh import index as windex

        check_meta(path)
        try:
            ix = windex.FileIndex(CheckedStorage(str(path)), indexname=INDEX_NAME)
        except Exception as e:  # whoosh raises many kinds on a damaged directory
            raise IndexNotFoundError(str(path), f"unreadable index ({type(e).__name__})") \
                from None
        return cls(path, ix)

    @property
    def documents(self) -> WhooshDocuments:
        """How the pipeline's workers make documents: Whoosh's postings for its fields."""
        from .segment import WhooshDocuments

        return WhooshDocuments(self._ix.schema)

    @contextmanager
    def writing(self, wait: float = 0.0) -> Iterator[None]:
        """Hold the writer's lock, waiting up to ``wait`` seconds for another writer."""
        lock = WriterLock(self.path)
        lock.acquire(wait)
        try:
            yield
        finally:
            lock.release()

    # -- reading ---------------------------------------------------------------
    def open_searcher(self, weighting: Any) -> Any:
        """Whoosh's searcher, once the sizes of its segments' files are as written: a
        truncated or missing file is named here rather than met as a traceback. A
        commit by another process may remove the files of the version being opened
        (its clean-up): that is retried on the new version, never called damage."""
        from . import integrity
        from .reading import keyed_searcher
        from .whoosh_fixes import apply

        apply()
        for _ in range(5):
            generation = self._ix.latest_generation()
            try:
                searcher = keyed_searcher(self._ix, weighting)
            except IndexCorruptError:
                raise  # a page that failed its checksum, already named
            except Exception as e:  # whoosh raises many kinds on a damaged file
                problem = next(integrity.verify(self.path, self._segment_ids()), None)
                if self._ix.latest_generation() != generation:
                    continue
                if problem is None:
                    raise IndexCorruptError(str(self.path), str(self.path),
                                            f"unreadable segment ({type(e).__name__})") from None
                raise IndexCorruptError(str(self.path), problem.where, problem.reason) from None
            if self._ix.latest_generation() != generation:
                # A commit came while the segments' files were being listed and opened,
                # and may have deleted some of them (PerDocReader): take the new version.
                searcher.close()
                continue
            problem = next(integrity.verify(self.path, leaf_segment_ids(searcher)), None)
            if problem is None:
                return searcher
            searcher.close()
            if self._ix.latest_generation() == generation:
                raise IndexCorruptError(str(self.path), problem.where, problem.reason)
        raise IndexCorruptError(str(self.path), str(self.path),
                                "its files kept changing while it was opened")

    def _segment_ids(self) -> list[str]:
        from . import integrity

        try:
            return integrity.segment_ids(self._ix._read_toc().segments)
        except Exception:  # an unreadable TOC: open() names that one
            return []

    def damaged(self, e: Exception) -> IndexCorruptError | None:
        """What to raise when reading failed with ``e``: the file that fails its checksum
        (a rare path, so every byte is read); else, for data that would not decode, the
        index (its segments may predate checksums); else None, for a bug."""
        from . import integrity

        problem = next(integrity.verify(self.path, self._segment_ids(), full=True), None)
        if problem is not None:
            return IndexCorruptError(str(self.path), problem.where, problem.reason)
        if isinstance(e, _UNDECODABLE):
            return IndexCorruptError(str(self.path), str(self.path),
                                     f"undecodable data ({type(e).__name__})")
        return None

    def hashes(self) -> dict[str, str]:
        """Each committed article's content hash, by id: what a run need not write again."""
        snap = Snapshot(self.path, self._ix.searcher())
        try:
            return {article_id: meta["hash"] for article_id, meta in snap.article_docs()}
        finally:
            snap.close()

    # -- writing ---------------------------------------------------------------
    def batches(self, existing: dict[str, str], report: IndexReport, size: int) -> Batches:
        """Batches of ``size`` articles, one commit each, that count what they commit in
        ``report`` (an id in ``existing`` is an update)."""
        return Batches(self._bulk_writer, existing, report, size)

    def _bulk_writer(self) -> BulkWriter:
        from .segment import BulkWriter
        from .whoosh_fixes import apply

        # Inlined posting lists need the fix; and a commit that merges segments reads
        # field lengths, once per field with it.
        apply()
        # Separate segment files, not Whoosh's compound one: opening a compound segment
        # copies each of its files into memory, so a cold search over 36,000 articles
        # read the whole index first.
        return BulkWriter(self._ix, limitmb=256, compound=False, codec=codec())

    def optimize(self) -> tuple[int, int]:
        """Merge every segment into one, dropping deleted documents: ``(before, after)``
        segment counts. The caller holds the writer's lock."""
        from whoosh.writing import OPTIMIZE

        segments = self._ix._read_toc().segments
        if len(segments) < 2 and not any(s.has_deletions() for s in segments):
            return len(segments), len(segments)
        writer = self._bulk_writer()
        try:
            writer.commit(mergetype=OPTIMIZE)
        except BaseException as e:
            writer.abandon()  # the index stays as it was: its TOC was not replaced
            if isinstance(e, OSError):
                raise IndexerError(
                    f"{os_reason(e)} merging {self.path}: the index is as it was",
                    hint="a merge needs room for a second copy of the index; free some "
                         "space, then run it again") from None
            raise
        return len(segments), len(self._ix._read_toc().segments)

    # -- checking and measuring -----------------------------------------------
    def check_files(self) -> CheckReport:
        """Every byte of every segment file against the checksum written at commit."""
        from . import integrity

        try:
            ids = integrity.segment_ids(self._ix._read_toc().segments)
        except Exception as e:  # open() read it a moment ago: removed or damaged since
            return integrity.CheckReport(problems=[integrity.Problem(
                str(self.path), f"unreadable table of contents ({type(e).__name__})")])
        return integrity.check_files(self.path, ids)

    def size(self) -> int:
        """The bytes of every file in the index's directory, the word-vector table's
        subdirectory included. A writer may delete its temporary and superseded files
        and folders while they are counted: those count as gone, not as an error
        (``os.walk`` skips a folder that vanishes before it is listed)."""
        size = 0
        for folder, _, files in os.walk(self.path):
            for name in files:
                with suppress(FileNotFoundError):
                    size += os.stat(os.path.join(folder, name), follow_symlinks=False).st_size
        return size

    def record_problems(self, snap: Snapshot, report: CheckReport) -> Iterator[Problem]:
        """Every stored record of ``snap`` read back (counted in ``report``): what will
        not decode, and articles and passages that do not match."""
        from .integrity import Problem, article_passages, passage_back

        if snap.empty():
            return
        s = snap.searcher
        reader = s.reader()
        leaves = [(offset, r.segment().segment_id()) for r, offset in reader.leaf_readers()]

        def where(docnum: int) -> str:
            offset, segment_id = max((o, i) for o, i in leaves if o <= docnum)
            return f"{self.path / segment_id}.record.col, document {docnum - offset}"

        records, ids = snap.records(), snap.article_ids()
        passages: dict[int, int] = {}  # article docnum -> its passage count
        for docnum in s.document_numbers(kind="a"):
            report.records += 1
            held, problem = article_passages(where(docnum), ids[docnum],
                                             partial(records.__getitem__, docnum))
            if problem:
                yield problem
            if held is not None:
                passages[docnum] = held
        for docnum in reader.all_doc_ids():
            if docnum in passages:
                continue
            report.records += 1
            back = passage_back(where(docnum), partial(records.__getitem__, docnum))
            if isinstance(back, Problem):
                yield back
                continue
            if not 1 <= back <= passages.get(docnum - back, 0):
                yield Problem(where(docnum), "a passage of no article")


class Batches:
    """Prepared articles written in batches, one commit each."""

    def __init__(self, open_writer: Callable[[], BulkWriter], existing: dict[str, str],
                 report: IndexReport, size: int) -> None:
        self.open_writer = open_writer
        self.existing = existing
        self.report = report
        self.size = size
        self.writer: BulkWriter | None = None
        # What a commit settles: not the prepared documents, which the writer holds
        # already (10,000 of them would be 80 MiB kept only to be counted).
        self.pending: list[tuple[str, int, dict[str, float]]] = []
        self.writing = False  # an OSError is the index's only while writing, not reading sources

    @property
    def open(self) -> bool:
        """Whether articles wait for a commit."""
        return self.writer is not None

    def add(self, prep: Indexed) -> None:
        """Write an article's documents, replacing its older version; commit a full batch."""
        self.writing = True
        if self.writer is None:
            self.writer = self.open_writer()
        if prep.article_id in self.existing:
            self.writer.delete_by_term("article_id", prep.article_id)
        for doc in prep.docs:
            self.writer.add_indexed(doc)
        self.pending.append((prep.article_id, prep.passages, prep.seconds))
        if len(self.pending) >= self.size:
            self.commit()
        self.writing = False

    def commit(self) -> None:
        """Commit the open batch, merging the smaller segments into it, and count it."""
        from .segment import merge_tiers

        assert self.writer is not None
        with held_interrupts():  # committed and counted, or neither
            self.writing = True
            self.writer.commit(mergetype=merge_tiers)
            self.writer = None
            self.writing = False
            self.report.count_commit(self.pending, self.existing)
            self.pending = []

    def abandon(self) -> None:
        """After a failed write: delete what the open batch wrote; the index stays as committed."""
        if self.writer is not None:
            self.writer.abandon()
            self.writer = None

    def cancel(self) -> None:
        """After an interruption: let the open batch go, uncommitted."""
        if self.writer is not None:
            self.writer.cancel()
            self.writer = None
