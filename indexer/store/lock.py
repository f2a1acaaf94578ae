"""The writer's lock: one process writes an index at a time, any number read.

Readers take no lock: a commit replaces the table of contents in one rename, and a
reader keeps the version it opened (:mod:`indexer.store.snapshot`).
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from pathlib import Path

from ..errors import IndexLockedError

LOCK_FILE = "writer.lock"


class WriterLock:
    """An exclusive, advisory lock on the index: released by the kernel if the process dies,
    so a ``kill -9`` never leaves a lock that needs removing by hand."""

    def __init__(self, path: Path) -> None:
        self.path = path / LOCK_FILE
        self.fd: int | None = None

    def acquire(self, wait: float = 0.0) -> None:
        """Take the lock, waiting up to ``wait`` seconds for its holder; else
        :class:`~indexer.errors.IndexLockedError`, naming the holder's pid and since when."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = self._holder(fd)
                    os.close(fd)
                    raise IndexLockedError(str(self.path.parent), *holder) from None
                time.sleep(0.2)
        info = json.dumps({"pid": os.getpid(),
                           "since": time.strftime("%Y-%m-%d %H:%M:%S")}).encode()
        os.ftruncate(fd, 0)
        os.pwrite(fd, info, 0)
        self.fd = fd

    @staticmethod
    def _holder(fd: int) -> tuple[int | None, str | None]:
        try:
            info = json.loads(os.pread(fd, 4096, 0) or b"{}")
            return info.get("pid"), info.get("since")
        except ValueError:
            return None, None

    def release(self) -> None:
        """Let the lock go; the file stays, emptied of its holder."""
        if self.fd is not None:
            os.ftruncate(self.fd, 0)
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None
