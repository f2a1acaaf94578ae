"""The door of the library: :class:`NewsIndex`, where the three wings meet.

It reads articles (:mod:`indexer.pipeline.sources`), has each one prepared
(:mod:`indexer.pipeline.prepare`: ``clean → language → entities → passages →
analysis``) in worker processes, writes them in batches (each batch one commit, so
an interruption loses at most one batch) to a backend (:mod:`indexer.backends`), skips
unchanged articles by content hash, and answers searches (:mod:`indexer.search`) on
the backend's latest committed :class:`~indexer.search.seam.Version`. It knows no
engine: the embedded one, on Whoosh, is :mod:`indexer.backends.embedded`.
"""

from __future__ import annotations

import errno
import gc
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .backends import Backend, create_backend, open_backend
from .errors import (
    ClusterError,
    CorpusError,
    CorpusNote,
    IndexCorruptError,
    IndexerError,
    IndexWriteError,
    os_reason,
)
from .model import Article, FacetCount, IndexReport, Results

if TYPE_CHECKING:
    from .pipeline.corrections import Corrections
    from .pipeline.prepare import Indexed
    from .search.seam import Version
    from .store.integrity import CheckReport

BATCH_ARTICLES = 10_000
"""Articles per commit: an interruption loses at most this many. Each commit is a
Whoosh segment, and every search pays a set-up cost per segment and query term:
over the same 5,000 articles, 18 segments answered at p50 84–99 ms, one segment at
23–26 ms. Merging rewrites every posting (the README's "Updates" has the cost), so
the batches are large instead, and runs merge only segments under
:data:`indexer.store.segment.MERGE_CAP`."""

YOUNG_OBJECTS = 50_000
"""The collector's first threshold while indexing, in the writing process and in the
workers (Python's is 700). An article's objects are freed when it is done with, not by
the collector, which at 700 ran once every few articles and walked them all while they
lived: over 12,000 OrangeSum articles, 1.6 s of the writing process's 21 s, and 0.4 s
of each worker's 23 s. The threshold is the process's: a program that searches in
another thread while indexing collects less often meanwhile."""


class NewsIndex:
    """A depeches index on disk.

    >>> with NewsIndex.open("index") as idx:          # doctest: +SKIP
    ...     for hit in idx.search("cessez-le-feu", since="2016-01-01"):
    ...         print(hit.title, hit.highlights)
    """

    def __init__(self, backend: Backend) -> None:
        self.path = backend.path
        self._backend = backend
        self._snapshot: Version | None = None
        self._pins = 0

    # -- opening -----------------------------------------------------------
    @classmethod
    def create(cls, path: str | os.PathLike[str], *, overwrite: bool = False) -> NewsIndex:
        """A new, empty index at ``path``; an existing index there is kept unless ``overwrite``."""
        backend = create_backend(path, overwrite=overwrite)
        return cls(backend)

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> NewsIndex:
        """An existing index; a missing or foreign directory is a clear error."""
        backend = open_backend(path)
        return cls(backend)

    def __enter__(self) -> NewsIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the searcher and its open files."""
        self._reopen()

    def searcher(self) -> Any:
        """The embedded index's Whoosh searcher, opened once and reused until the next
        commit: for tools that read Whoosh itself."""
        version = self._current()
        if not hasattr(version, "searcher"):
            raise IndexerError(f"{self.path} is not an embedded index: it has no Whoosh searcher")
        return version.searcher

    def warm(self) -> None:
        """Read ahead what the first search of this process reads once, so that it costs
        what the others do: for a long-lived process (a service, a notebook) whose first
        query should not be its slowest. A one-shot search gains nothing: it reads the
        same, only later. A version committed since is read again by its own first search.

        >>> with NewsIndex.open("index") as idx:   # doctest: +SKIP
        ...     idx.warm()
        ...     results = idx.search(pasted_lede)
        """
        with self.snapshot() as version:
            version.warm()

    def _current(self) -> Version:
        """The latest version, opened once and reused until the next commit (unless one
        is pinned: see :meth:`snapshot`)."""
        if self._snapshot is not None and not self._pins \
                and not self._snapshot.up_to_date():
            self._reopen()  # another process committed: see it
        if self._snapshot is None:
            self._snapshot = self._backend.open_version()
        return self._snapshot

    @contextmanager
    def snapshot(self) -> Iterator[Version]:
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
            damaged = self._backend.damaged(e)
            if damaged is None:
                raise  # the files are as written: a bug, with its traceback
            raise damaged from None
        finally:
            self._pins -= 1

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
        if not isinstance(self.path, Path):
            raise IndexerError(f"{self.path}: word vectors are for an index on this machine")
        if vectors.has_table(self.path):
            return  # the table depends on the model only, not on the articles
        try:
            with self._backend.writing(wait):
                vectors.write_table(self.path, *vectors.model_vectors())
        finally:
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
        try:
            with self._backend.writing(wait):
                return self._backend.optimize()
        finally:
            self._reopen()

    def _write(self, items: Iterable[Article | CorpusError], *, jobs: int,
               progress: Callable[[int], None] | None, wait: float,
               corrections: Corrections | None = None) -> IndexReport:
        if jobs < 1:
            raise ValueError(f"jobs must be at least 1, not {jobs}")
        report = IndexReport(jobs=jobs)
        start = time.perf_counter()
        try:
            with self._backend.writing(wait):
                self._prepare_and_commit(items, jobs, report, progress, corrections)
        finally:
            self._reopen()
            report.seconds = time.perf_counter() - start
        return report

    def _prepare_and_commit(self, items: Iterable[Article | CorpusError], jobs: int,
                            report: IndexReport, progress: Callable[[int], None] | None,
                            corrections: Corrections | None) -> None:
        """Prepare the articles that changed in ``jobs`` processes; commit them in batches."""
        from .pipeline.prepare import prepare_job

        existing = self._backend.hashes()
        jobs_iter = self._changed(items, existing, report, corrections)
        documents = self._backend.documents
        pool = None
        finished = frozen = False
        # The workers, forked after, inherit it (see YOUNG_OBJECTS). Only ever raised: a
        # threshold of 0 is a program's way of turning collection off.
        thresholds = gc.get_threshold()
        if 0 < thresholds[0] < YOUNG_OBJECTS:
            gc.set_threshold(YOUNG_OBJECTS, *thresholds[1:])
        try:
            if jobs > 1:
                from .pipeline.pool import worker_pool  # here: searching never needs it
                from .pipeline.prepare import warm_up, worker_init

                warm_up()  # load gazetteers and language profiles once, before forking
                # Out of the collector's sight: each of its full passes walked the
                # gazetteers again in every worker (0.1 s a pass, one per 1,200 articles),
                # and a walk touches the pages that fork shares. Not if the program froze
                # objects of its own: unfreezing at the end would undo its choice too.
                frozen = gc.get_freeze_count() == 0
                if frozen:
                    gc.freeze()
                pool = worker_pool(jobs, worker_init, (documents,))
                prepared: Iterator[Indexed | str] = pool.imap(prepare_job, jobs_iter, chunksize=8)
            else:
                prepared = map(partial(prepare_job, documents=documents), jobs_iter)
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
            if frozen:
                gc.unfreeze()
            gc.set_threshold(*thresholds)

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
        batches = self._backend.batches(existing, report, BATCH_ARTICLES)
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
                report.add_seconds("write", time.perf_counter() - t)
                done += 1
                if progress:
                    progress(done)
            if batches.open:
                t = time.perf_counter()
                batches.commit()
                report.add_seconds("write", time.perf_counter() - t)
        except KeyboardInterrupt:
            report.interrupted = True
        except OSError as e:
            if not batches.writing:
                raise
            batches.abandon()
            raise IndexWriteError(str(self.path), os_reason(e), report) from None
        except ClusterError as e:  # only a write reaches the cluster: the workers do not
            batches.abandon()
            raise IndexWriteError(str(self.path), e.reason, report) from None
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

    def similar(self, article_id: str, **options: Any) -> Results:
        """The articles most like ``article_id`` (its telling words, actors and places),
        itself excluded, ranked and highlighted as :meth:`search` ranks; the options are
        the same. ``results.query`` holds the words it was searched with."""
        from .search.options import SearchOptions
        from .search.similar import run_similar

        with self.snapshot() as snap:
            return run_similar(snap, article_id, SearchOptions.from_kwargs(**options))

    def facets(self, query: str | None = None, field: str = "actors", top: int = 10,
               **options: Any) -> tuple[FacetCount, ...]:
        """The ``top`` values of a facet (actors, places, sources, lang) over matching articles."""
        from .search.facets import count_facet
        from .search.options import SearchOptions
        from .search.run import matching_articles

        opts = SearchOptions.from_kwargs(**options)
        with self.snapshot() as snap:
            # Nothing to match: every article counts, and a cluster counts them at once.
            ids = matching_articles(snap, query or "", opts) if query or opts.narrows else None
            return count_facet(snap, ids, field, top)

    def export(self, query: str | None = None, **options: Any) -> Iterator[dict[str, Any]]:
        """One record per matching article: id, title, date, source, url, lang, actors, places."""
        from .search.options import SearchOptions
        from .search.run import matching_articles

        with self.snapshot() as snap:
            ids = sorted(matching_articles(snap, query or "", SearchOptions.from_kwargs(**options)))
            for article_id, meta in snap.article_metas(ids):
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
                snap.passage, snap.article_passages([article_id])[article_id]))
        # Paragraphs, as the article had them, not the passages they were joined into.
        return meta, [(section, paragraph) for _, section, text in rows
                      for paragraph in text.split(PARAGRAPH_BREAK)]

    def check(self) -> CheckReport:
        """Verify the whole index, as ``depeches check`` does: every byte of every
        segment file against the checksum written at commit, then every stored record
        read back. Damage is reported, never raised; the records are read only when
        the files are sound, since a damaged file can make them fail in any way."""
        report = self._backend.check_files()
        if report.problems:
            return report
        self._reopen()
        try:
            with self.snapshot() as snap:
                report.problems.extend(self._backend.check_records(snap, report))
        except IndexCorruptError as e:
            from .store.integrity import Problem

            report.problems.append(Problem(e.where, e.reason))
        return report

    def storage(self) -> dict[str, int]:
        """``size_bytes`` on disk (a cluster's: its primaries' store), ``segments`` and
        ``deleted_documents`` not yet merged away."""
        with self.snapshot() as snap:
            return self._backend.storage(snap)

    def stats(self) -> dict[str, Any]:
        """Counts, languages, sources, date range and size on disk."""
        with self.snapshot() as snap:
            summary = snap.summary()
            passages = snap.doc_count() - summary.articles
            storage = self._backend.storage(snap)
        langs = sorted(summary.languages.items(), key=lambda kv: (-kv[1], kv[0]))
        return {"path": str(self.path), "articles": summary.articles, "passages": passages,
                "languages": dict(langs), "date_min": summary.date_min,
                "date_max": summary.date_max, **storage}

