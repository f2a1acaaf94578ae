"""The library's exceptions: one small hierarchy, each carrying the offending value.

The CLI translates every :class:`IndexerError` into one line on stderr and exit 2.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import IndexReport


class IndexerError(Exception):
    """Base of every error the library raises on purpose."""

    hint: str | None = None

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if hint is not None:
            self.hint = hint

    def __str__(self) -> str:
        return self.message


class CorpusError(IndexerError):
    """A file of the corpus cannot be read as articles (the batch goes on without it)."""

    def __init__(self, path: str, reason: str, *, line: int | None = None) -> None:
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}")
        self.path = path
        self.line = line
        self.reason = reason


class CorpusNote(CorpusError):
    """Not a failure: something to report about a file that was read (decoded as cp1252)."""


class IndexNotFoundError(IndexerError):
    """No index at the given path, or the directory is not a depeches index."""

    def __init__(self, path: str, reason: str = "no index here") -> None:
        super().__init__(
            f"{path}: {reason}", hint=f"run `depeches index PATH --index {path}` first"
        )
        self.path = path


class IndexVersionError(IndexerError):
    """The index was written by an incompatible format or analysis chain."""

    def __init__(self, path: str, found: str, expected: str) -> None:
        super().__init__(
            f"{path}: index was built with {found}, this version needs {expected}",
            hint=f"re-index: `depeches index PATH --index {path} --rebuild`",
        )
        self.path = path
        self.found = found
        self.expected = expected


class IndexLockedError(IndexerError):
    """Another process is writing the index."""

    def __init__(self, path: str, pid: int | None, since: str | None) -> None:
        who = f"process {pid}" if pid else "another process"
        when = f" since {since}" if since else ""
        super().__init__(
            f"index {path} is being written by {who}{when}",
            hint="wait for it to finish, or pass --wait SECONDS",
        )
        self.path = path
        self.pid = pid
        self.since = since


class IndexWriteError(IndexerError):
    """Writing the index failed (a full disk, a quota, an I/O error, a read-only file
    system). The batch being written is dropped and its files removed; every earlier
    batch stays committed and searchable, as ``report`` counts."""

    def __init__(self, path: str, reason: str, report: IndexReport) -> None:
        committed = report.new + report.updated
        super().__init__(
            f"{reason} writing {path}: {committed} article{'s' if committed != 1 else ''} "
            "committed and searchable",
            hint="free some space or fix the disk, then run the same command again: "
                 "it goes on from there",
        )
        self.path = path
        self.reason = reason
        self.report = report


class ClusterError(IndexerError):
    """An OpenSearch cluster cannot be used: unreachable, failing, or refusing the
    credentials."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}",
                         hint="check that the cluster runs, and the URL and credentials")
        self.url = url
        self.reason = reason


class IndexCorruptError(IndexerError):
    """A file of the index is damaged: missing, truncated, or its bytes changed."""

    def __init__(self, index: str, where: str, reason: str) -> None:
        super().__init__(
            f"damaged index: {where}: {reason}",
            hint=f"run `depeches check --index {index}` to list the damage, then re-index "
                 "with --rebuild",
        )
        self.index = index
        self.where = where
        self.reason = reason


class QuerySyntaxError(IndexerError):
    """A query that cannot be understood, with the position of the problem."""

    def __init__(self, query: str, position: int, reason: str,
                 hint: str | None = "try quoting the query") -> None:
        super().__init__(f"query {query!r} at position {position}: {reason}", hint=hint)
        self.query = query
        self.position = position
        self.reason = reason


class OptionError(IndexerError):
    """An option value the library cannot use (a bad date, an unknown field)."""

    def __init__(self, option: str, value: object, reason: str) -> None:
        super().__init__(f"{option} {value!r}: {reason}")
        self.option = option
        self.value = value


def os_reason(e: OSError) -> str:
    """An OS error's reason as the middle of a sentence: ``no space left on device``."""
    reason = e.strerror or str(e)
    return reason[:1].lower() + reason[1:]
