"""The worker processes that prepare articles while the calling process writes them."""

from __future__ import annotations

import multiprocessing
from multiprocessing.pool import Pool
from typing import Any


class WorkerPool(Pool):
    """Python's process pool, but its worker-maintenance thread no longer wakes for
    every result.

    That thread waits on the workers' exits, on its change notifier and on the results
    pipe. The last is readable from the moment a result arrives until the result thread
    has read it, and while the writing thread held the interpreter's lock the
    maintenance thread went round and round: 26,906 turns for 1,500 results, and about a
    second of the writing process's time, over 12,000 OrangeSum articles. A worker's
    exit, :meth:`close` and :meth:`terminate` and the last result of the pool's work all
    wake it through the other two as before.
    """

    def _get_sentinels(self) -> list[Any]:
        return [self._change_notifier._reader]  # type: ignore[attr-defined]


def worker_pool(jobs: int, initializer: Any, initargs: tuple[Any, ...]) -> WorkerPool:
    """``jobs`` forked workers, each set up by ``initializer(*initargs)``."""
    return WorkerPool(jobs, initializer=initializer, initargs=initargs,
                      context=multiprocessing.get_context("fork"))
