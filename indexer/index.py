"""The door of the library: :class:`NewsIndex`, where the three wings meet.

It reads articles (:mod:`indexer.pipeline.sources`), has each one prepared
(:mod:`indexer.pipeline.prepare`: ``clean → language → entities → passages →
analysis``) in worker processes, writes them in batches (each batch one commit, so
an interruption loses at most one batch) through the store (:mod:`indexer.store`),
skips unchanged articles by content hash, and answers searches (:mod:`indexer.search`)
on a :class:`~indexer.store.snapshot.Snapshot`.
"""

from __future__ import annotations

import errno
import os
import shutil
import struct
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import (
    CorpusError,
    CorpusNote,
    IndexCorruptError,
    IndexerError,
    IndexNotFoundError,
    IndexWriteError,
)
from .model import Article, FacetCount, IndexReport, Results
from .store.lock import LOCK_FILE, WriterLock
from .store.schema import (
    INDEX_NAME,
    META_FILE,
    build_schema,
    check_meta,
    codec,
    passage_place,
    read_meta,
    read_texts,
    write_meta,
)
from .store.snapshot import Snapshot

if TYPE_CHECKING:
    from .pipeline.corrections import Corrections
    from .pipeline.prepare import Indexed
    from .search.embedded.version import EmbeddedVersion
    from .store.integrity import CheckReport, Problem
    from .store.segment import BulkWriter

# What only damaged bytes raise, once they pass the size checks of opening: an
# undecodable block or record, a read past the end of a file (EINVAL), a disk error.
# Any other exception is called damage only when a checksum confirms it.
_UNDECODABLE = (zlib.error, UnicodeDecodeError, struct.error, EOFError, OSError)

BATCH_ARTICLES = 10_000
"""Articles per commit: an interruption loses at most this many. Each commit is a
Whoosh segment, and every search pays a set-up cost per segment and query term:
over the same 5,000 articles, 18 segments answered at p50 84–99 ms, one segment at
23–26 ms. Merging rewrites every posting (the README's "Updates" has the cost), so
the batches are large instead, and runs merge only segments under
:data:`indexer.store.segment.MERGE_CAP`."""


def _add_seconds(report: IndexReport, stage: str, seconds: float) -> None:
    report.stage_seconds[stage] = report.stage_seconds.get(stage, 0.0) + seconds


class NewsIndex:
    """A depeches index on disk.

    >>> with NewsIndex.open("index") as idx:          # doctest: +SKIP
    ...     for hit in idx.search("cessez-le-feu", since="2016-01-01"):
    ...         print(hit.title, hit.highlights)
    """

    def __init__(self, path: Path, ix: Any) -> None:
        self.path = path
        self._ix = ix
        self._snapshot: EmbeddedVersion | None = None
        self._pins = 0

    # -- opening -----------------------------------------------------------
    @classmethod
    def create(cls, path: str | os.PathLike[str], *, overwrite: bool = False) -> NewsIndex:
        """A new, empty index at ``path``; an existing index there is kept unless ``overwrite``."""
        from whoosh import index as windex

        p = Path(path)
        if p.exists() and not p.is_dir():
            raise IndexNotFoundError(str(p), "exists and is not a directory")
        if (p / META_FILE).exists() and not overwrite:
            return cls.open(p)
        keep = {"README.md", LOCK_FILE}
        lock = None
        if p.exists() and any(x for x in p.iterdir() if x.name not in keep):
            if not overwrite or not (p / META_FILE).exists():
                raise IndexNotFoundError(str(p), "directory is not empty and not an index")
            lock = WriterLock(p)
            lock.acquire()  # never wipe an index that another process is writing
            for child in p.iterdir():
                if child.name not in keep:
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
        try:
            p.mkdir(parents=True, exist_ok=True)
            ix = windex.create_in(str(p), build_schema(), indexname=INDEX_NAME)
            write_meta(p)
        except OSError as e:
            raise IndexNotFoundError(str(p), f"cannot create index ({e.strerror})") from None
        finally:
            if lock is not None:
                lock.release()
        return cls(p, ix)

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> NewsIndex:
        """An existing index; a missing or foreign directory is a clear error."""
        from whoosh import index as windex

        p = Path(path)
        check_meta(p)
        try:
            ix = windex.open_dir(str(p), indexname=INDEX_NAME)
        except Exception as e:  # whoosh raises many kinds on a damaged directory
            raise IndexNotFoundError(str(p), f"unreadable index ({type(e).__name__})") from None
        return cls(p, ix)

    def __enter__(self) -> NewsIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the searcher and its open files."""
        self._reopen()

    def searcher(self) -> Any:
        """The shared Whoosh searcher, opened once and reused until the next commit."""
        return self._current().searcher

    def _current(self) -> EmbeddedVersion:
        """The latest version, opened once and reused until the next commit (unless one
        is pinned: see :meth:`snapshot`)."""
        if self._snapshot is not None and not self._pins \
                and not self._snapshot.searcher.up_to_date():
            self._reopen()  # another process committed: see it
        if self._snapshot is None:
            from .search.embedded.evaluate import weighting
            from .search.embedded.version import EmbeddedVersion
            from .store.whoosh_fixes import apply

            apply()

            # A fresh searcher rather than refresh(): forks of Whoosh return
            # deleted documents after refresh(), and the original is cheap to reopen.
            self._snapshot = EmbeddedVersion(self.path, self._open_searcher(weighting()))
        return self._snapshot

    def _open_searcher(self, weighting: Any) -> Any:
        """Whoosh's searcher, once the sizes of its segments' files are as written: a
        truncated or missing file is named here rather than met as a traceback. A
        commit by another process may remove the files of the version being opened
        (its clean-up): that is retried on the new version, never called damage."""
        from .store import integrity

        for _ in range(5):
            generation = self._ix.latest_generation()
            try:
                searcher = self._ix.searcher(weighting=weighting)
            except Exception as e:  # whoosh raises many kinds on a damaged file
                problem = next(integrity.verify(self.path, self._segment_ids()), None)
                if self._ix.latest_generation() != generation:
                    continue
                if problem is None:
                    raise IndexCorruptError(str(self.path), str(self.path),
                                            f"unreadable segment ({type(e).__name__})") from None
                raise IndexCorruptError(str(self.path), problem.where, problem.reason) from None
            ids = _leaf_segment_ids(searcher)
            problem = next(integrity.verify(self.path, ids), None)
            if problem is None:
                return searcher
            searcher.close()
            if self._ix.latest_generation() == generation:
                raise IndexCorruptError(str(self.path), problem.where, problem.reason)
        raise IndexCorruptError(str(self.path), str(self.path),
                                "its files kept changing while it was opened")

    def _segment_ids(self) -> list[str]:
        from .store import integrity

        try:
            return integrity.segment_ids(self._ix._read_toc().segments)
        except Exception:  # an unreadable TOC: open() names that one
            return []

    @contextmanager
    def snapshot(self) -> Iterator[EmbeddedVersion]:
        """Read one committed version of the index for the whole ``with`` block.

        Every reading method already runs on one version; this holds it across
        several calls (a search, then its totals and facets), as a read transaction
        would. Without it, a commit by another process between two calls is seen by
        the second, and a search's lazy totals can no longer be counted.

        >>> with NewsIndex.open("index") as idx, idx.snapshot():   # doctest: +SKIP
        ...     results = idx.search("Alep")
        ...     print(results.totals(), idx.facets("Alep", "places"))
        """
        snap = self._current()
        self._pins += 1
        try:
            yield snap
        except IndexerError:
            raise
        except Exception as e:
            if isinstance(e, OSError) and e.errno not in (errno.EINVAL, errno.EIO):
                raise  # not the index's bytes: a closed pipe, say
            damaged = self._damaged(e)
            if damaged is None:
                raise  # the files are as written: a bug, with its traceback
            raise damaged from None
        finally:
            self._pins -= 1

    def _damaged(self, e: Exception) -> IndexCorruptError | None:
        """What to raise when reading failed: the file that fails its checksum (a rare
        path, so every byte is read); else, for data that would not decode, the index
        (its segments may predate checksums); else None."""
        from .store import integrity

        problem = next(integrity.verify(self.path, self._segment_ids(), full=True), None)
        if problem is not None:
            return IndexCorruptError(str(self.path), problem.where, problem.reason)
        if isinstance(e, _UNDECODABLE):
            return IndexCorruptError(str(self.path), str(self.path),
                                     f"undecodable data ({type(e).__name__})")
        return None

    def _reopen(self) -> None:
        if self._snapshot is not None:
            self._snapshot.close()
            self._snapshot = None

    # -- writing -----------------------------------------------------------
    def add(self, article: Article) -> IndexReport:
        """Index one article (replacing an older version with the same id)."""
        return self.add_articles([article])

    def add_paths(self, paths: Iterable[str | os.PathLike[str]], *, jobs: int | None = None,
                  progress: Callable[[int], None] | None = None, wait: float = 0.0,
                  corrections: Corrections | None = None) -> IndexReport:
        """Index every article under ``paths``; bad files are reported in the report and skipped.

        ``jobs`` processes clean and analyse the articles, by default one per usable core
        (:func:`~indexer.pipeline.prepare.default_jobs`); the index written is the same
        whatever their number.

        ``corrections`` (see :mod:`indexer.pipeline.corrections`) fix entity extraction; changing
        them re-extracts every article on the next run.
        """
        from .pipeline.prepare import default_jobs
        from .pipeline.sources import read_articles

        return self._write(read_articles(paths), jobs=default_jobs() if jobs is None else jobs,
                           progress=progress, wait=wait, corrections=corrections)

    def add_articles(self, articles: Iterable[Article], *, jobs: int = 1,
                     progress: Callable[[int], None] | None = None, wait: float = 0.0,
                     corrections: Corrections | None = None) -> IndexReport:
        """Index articles given as :class:`Article` values."""
        return self._write(articles, jobs=jobs, progress=progress, wait=wait,
                           corrections=corrections)

    def write_vectors(self, *, wait: float = 0.0) -> None:
        """Write the word-vector table that lets searches count a word of close meaning
        (:mod:`indexer.search.vectors`), unless the index has it already; about 8 s, as spaCy
        loads its model. Needs the ``vectors`` extra."""
        from .search import vectors

        if not vectors.available():
            raise IndexerError(f"word vectors need numpy and spaCy's {vectors.MODEL}",
                               hint="pip install 'depeches[vectors]'")
        if vectors.has_table(self.path):
            return  # the table depends on the model only, not on the articles
        lock = WriterLock(self.path)
        lock.acquire(wait)
        try:
            vectors.write_table(self.path, *vectors.model_vectors())
        finally:
            lock.release()
            self._reopen()

    def optimize(self, *, wait: float = 0.0) -> tuple[int, int]:
        """Merge every segment into one, dropping deleted documents: ``(before, after)``
        segment counts.

        Each indexing run commits a segment, which takes in the smaller ones
        (:func:`indexer.store.segment.merge_tiers`), so their number stays small; this is
        for after many updates, or a big build's batches. Until a merge drops them,
        the old versions of updated articles still count in word statistics (as in
        Lucene), so scores drift from a build from scratch; after it they agree with
        one. A merge rewrites every posting (37 s for 36,000 OrangeSum articles).
        """
        from whoosh.writing import OPTIMIZE

        lock = WriterLock(self.path)
        lock.acquire(wait)
        try:
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
                        f"{_reason(e)} merging {self.path}: the index is as it was",
                        hint="a merge needs room for a second copy of the index; free some "
                             "space, then run it again") from None
                raise
            return len(segments), len(self._ix._read_toc().segments)
        finally:
            lock.release()
            self._reopen()

    def _bulk_writer(self) -> BulkWriter:
        from .store.segment import BulkWriter
        from .store.whoosh_fixes import apply

        # Inlined posting lists need the fix; and a commit that merges segments reads
        # field lengths, once per field with it.
        apply()
        # Separate segment files, not Whoosh's compound one: opening a compound segment
        # copies each of its files into memory, so a cold search over 36,000 articles
        # read the whole index first.
        return BulkWriter(self._ix, limitmb=256, compound=False, codec=codec())

    def _hashes(self) -> dict[str, str]:
        snap = Snapshot(self.path, self._ix.searcher())
        try:
            return {article_id: meta["hash"] for article_id, meta in snap.article_docs()}
        finally:
            snap.close()

    def _write(self, items: Iterable[Article | CorpusError], *, jobs: int,
               progress: Callable[[int], None] | None, wait: float,
               corrections: Corrections | None = None) -> IndexReport:
        if jobs < 1:
            raise ValueError(f"jobs must be at least 1, not {jobs}")
        report = IndexReport(jobs=jobs)
        start = time.perf_counter()
        lock = WriterLock(self.path)
        lock.acquire(wait)
        pool = None
        finished = False
        try:
            from .pipeline.prepare import prepare_job

            existing = self._hashes()
            jobs_iter = self._changed(items, existing, report, corrections)
            if jobs > 1:
                import multiprocessing  # here: searching never needs it

                from .pipeline.prepare import warm_up, worker_init

                warm_up()  # load gazetteers and language profiles once, before forking
                ctx = multiprocessing.get_context("fork")
                pool = ctx.Pool(jobs, initializer=worker_init, initargs=(self._ix.schema,))
                prepared: Iterator[Indexed | str] = pool.imap(prepare_job, jobs_iter, chunksize=8)
            else:
                prepared = map(partial(prepare_job, schema=self._ix.schema), jobs_iter)
            self._commit_batches(prepared, existing, report, progress)
            finished = not report.interrupted
        finally:
            if pool is not None:
                # Every task done, the workers end on the pool's own sentinels. terminate()
                # signals them while it holds their queue's lock, and once, in a test run
                # indexing one article, its join() waited for ever on a worker blocked on
                # that lock. It stays for what was interrupted, where tasks remain.
                if finished:
                    pool.close()
                else:
                    pool.terminate()
                pool.join()
            lock.release()
            self._reopen()
            report.seconds = time.perf_counter() - start
        return report

    def _changed(self, items: Iterable[Article | CorpusError], existing: dict[str, str],
                 report: IndexReport, corrections: Corrections | None
                 ) -> Iterator[tuple[Article, str, Corrections | None]]:
        from .pipeline.corrections import digest as corrections_digest

        seen: set[str] = set()
        salt = corrections_digest(corrections)
        for item in items:
            if isinstance(item, CorpusNote):
                report.notes.append(str(item))
                continue
            if isinstance(item, CorpusError):
                report.errors.append(str(item))
                report.skipped += 1
                continue
            if item.id in seen:
                report.errors.append(f"{item.id}: duplicate article id in this run, skipped")
                report.skipped += 1
                continue
            seen.add(item.id)
            digest = item.content_hash() + salt
            if existing.get(item.id) == digest:
                report.unchanged += 1
                continue
            yield item, digest, corrections

    def _commit_batches(self, prepared: Iterator[Indexed | str], existing: dict[str, str],
                        report: IndexReport, progress: Callable[[int], None] | None) -> None:
        batches = _Batches(self._bulk_writer, existing, report)
        done = 0
        try:
            for prep in prepared:
                if isinstance(prep, str):
                    report.errors.append(prep)
                    report.skipped += 1
                    continue
                t = time.perf_counter()
                batches.add(prep)
                # The main process's share: numbering documents, grouping postings, commits.
                _add_seconds(report, "write", time.perf_counter() - t)
                done += 1
                if progress:
                    progress(done)
            if batches.open:
                t = time.perf_counter()
                batches.commit()
                _add_seconds(report, "write", time.perf_counter() - t)
        except KeyboardInterrupt:
            report.interrupted = True
        except OSError as e:
            if not batches.writing:
                raise
            batches.abandon()
            raise IndexWriteError(str(self.path), _reason(e), report) from None
        finally:
            batches.cancel()


    # -- reading -----------------------------------------------------------
    def search(self, query: str = "", **options: Any) -> Results:
        """Ranked passages for ``query``; the options are those of
        :class:`indexer.search.options.SearchOptions`."""
        from .search.options import SearchOptions
        from .search.run import run_search

        with self.snapshot() as snap:
            return run_search(snap, query, SearchOptions.from_kwargs(**options))

    def facets(self, query: str | None = None, field: str = "actors", top: int = 10,
               **options: Any) -> tuple[FacetCount, ...]:
        """The ``top`` values of a facet (actors, places, sources, lang) over matching articles."""
        from .search.facets import count_facet
        from .search.options import SearchOptions
        from .search.run import matching_articles

        with self.snapshot() as snap:
            ids = matching_articles(snap, query or "", SearchOptions.from_kwargs(**options))
            return count_facet(snap, ids, field, top)

    def export(self, query: str | None = None, **options: Any) -> Iterator[dict[str, Any]]:
        """One record per matching article: id, title, date, source, url, lang, actors, places."""
        from .search.options import SearchOptions
        from .search.run import matching_articles

        with self.snapshot() as snap:
            for article_id in sorted(matching_articles(snap, query or "",
                                                       SearchOptions.from_kwargs(**options))):
                meta = snap.article_meta(article_id)
                if meta is not None:
                    yield {"article_id": article_id, **{k: meta[k] for k in (
                        "title", "date", "source", "url", "lang")},
                        "actors": list(meta["actors"]), "places": list(meta["places"])}

    def article_meta(self, article_id: str) -> dict[str, Any] | None:
        """The stored metadata of one article, or ``None``."""
        with self.snapshot() as snap:
            return snap.article_meta(article_id)

    def passage(self, docnum: int) -> dict[str, Any]:
        """The stored ``text`` and ``meta`` (ordinal, section) of one passage document."""
        with self.snapshot() as snap:
            return snap.passage(docnum)

    def article_docs(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """``(article_id, metadata)`` of every article."""
        with self.snapshot() as snap:
            return snap.article_docs()

    def article(self, article_id: str) -> tuple[dict[str, Any], list[tuple[str | None, str]]]:
        """Metadata and ``(section, text)`` paragraphs of one article, for ``depeches show``."""
        from .pipeline.passages import PARAGRAPH_BREAK

        with self.snapshot() as snap:
            meta = snap.article_meta(article_id)
            if meta is None:
                raise IndexerError(f"no article with id {article_id!r} in {self.path}",
                                   hint="`depeches search` shows article ids")
            rows = sorted((*p["meta"], p["text"]) for p in map(
                snap.passage, snap.searcher.document_numbers(article_id=article_id, kind="p")))
        # Paragraphs, as the article had them, not the passages they were joined into.
        return meta, [(section, paragraph) for _, section, text in rows
                      for paragraph in text.split(PARAGRAPH_BREAK)]

    def check(self) -> CheckReport:
        """Verify the whole index, as ``depeches check`` does: every byte of every
        segment file against the checksum written at commit, then every stored record
        read back. Damage is reported, never raised; the records are read only when
        the files are sound, since a damaged file can make them fail in any way."""
        from .store import integrity

        try:
            ids = integrity.segment_ids(self._ix._read_toc().segments)
        except Exception as e:  # open() read it a moment ago: removed or damaged since
            return integrity.CheckReport(problems=[integrity.Problem(
                str(self.path), f"unreadable table of contents ({type(e).__name__})")])
        report = integrity.check_files(self.path, ids)
        if report.problems:
            return report
        self._reopen()
        try:
            with self.snapshot() as snap:
                report.problems.extend(self._record_problems(snap, report))
        except IndexCorruptError as e:
            report.problems.append(integrity.Problem(e.where, e.reason))
        return report

    def _record_problems(self, snap: Snapshot, report: CheckReport) -> Iterator[Problem]:
        from .store.integrity import Problem

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
            try:
                record = records[docnum]
                meta, texts = read_meta(record), read_texts(record)
            except Exception as e:  # noqa: BLE001 - damage takes any form
                yield Problem(where(docnum), f"unreadable article record ({type(e).__name__})")
                continue
            if meta.get("passages") != len(texts):
                yield Problem(where(docnum), f"article {ids[docnum]!r} lists "
                                             f"{meta.get('passages')} passages, holds {len(texts)}")
            passages[docnum] = len(texts)
        for docnum in reader.all_doc_ids():
            if docnum in passages:
                continue
            report.records += 1
            try:
                back, _, _ = passage_place(records[docnum])
            except Exception as e:  # noqa: BLE001
                yield Problem(where(docnum), f"unreadable passage record ({type(e).__name__})")
                continue
            if not 1 <= back <= passages.get(docnum - back, 0):
                yield Problem(where(docnum), "a passage of no article")

    def stats(self) -> dict[str, Any]:
        """Counts, languages, sources, date range and size on disk."""
        langs: dict[str, int] = {}
        dates = []
        articles = 0
        with self.snapshot() as snap:
            for _, meta in self.article_docs():
                articles += 1
                lang = meta["lang"] or "?"
                langs[lang] = langs.get(lang, 0) + 1
                if meta["date"]:
                    dates.append(meta["date"])
            passages = snap.searcher.doc_count() - articles
            segments = len(_leaf_segment_ids(snap.searcher))
            deleted = snap.searcher.doc_count_all() - snap.searcher.doc_count()
        # The word-vector table lives in a subdirectory: it counts too.
        size = _size_on_disk(self.path)
        return {"path": str(self.path), "articles": articles,
                "passages": passages,
                "languages": dict(sorted(langs.items(), key=lambda kv: (-kv[1], kv[0]))),
                "date_min": min(dates) if dates else None,
                "date_max": max(dates) if dates else None, "size_bytes": size,
                "segments": segments, "deleted_documents": deleted}


class _Batches:
    """Prepared articles written in batches of :data:`BATCH_ARTICLES`, one commit each."""

    def __init__(self, open_writer: Callable[[], BulkWriter], existing: dict[str, str],
                 report: IndexReport) -> None:
        self.open_writer = open_writer
        self.existing = existing
        self.report = report
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
        if len(self.pending) >= BATCH_ARTICLES:
            self.commit()
        self.writing = False

    def commit(self) -> None:
        """Commit the open batch, merging the smaller segments into it, and count it."""
        from .store.segment import merge_tiers

        assert self.writer is not None
        self.writing = True
        self.writer.commit(mergetype=merge_tiers)
        self.writer = None
        self.writing = False
        for article_id, passages, seconds in self.pending:
            if article_id in self.existing:
                self.report.updated += 1
            else:
                self.report.new += 1
            self.report.passages += passages
            for stage, secs in seconds.items():
                _add_seconds(self.report, stage, secs)
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


def _reason(e: OSError) -> str:
    """An OS error's reason as the middle of a sentence: ``no space left on device``."""
    reason = e.strerror or str(e)
    return reason[:1].lower() + reason[1:]


def _leaf_segment_ids(searcher: Any) -> list[str]:
    """The segment (``MAIN_<id>``) of each of a searcher's leaf readers, in order;
    an empty index has none."""
    ids = []
    for reader, _ in searcher.reader().leaf_readers():
        segment = reader.segment() if hasattr(reader, "segment") else None
        if segment is not None:
            ids.append(segment.segment_id())
    return ids


def _size_on_disk(path: Path) -> int:
    """The bytes of every file under ``path``. A writer may delete its temporary and
    superseded files and folders while they are counted: those count as gone, not as
    an error (``os.walk`` skips a folder that vanishes before it is listed)."""
    size = 0
    for folder, _, files in os.walk(path):
        for name in files:
            with suppress(FileNotFoundError):
                size += os.stat(os.path.join(folder, name), follow_symlinks=False).st_size
    return size
