"""The indexing workers' pool: Python's, without the maintenance thread's busy turns."""

from __future__ import annotations

import multiprocessing
from multiprocessing.pool import Pool

import pytest

from indexer.pipeline.pool import WorkerPool, worker_pool


def _nothing() -> None:
    pass


def _busy_consumer(pool: WorkerPool) -> list[int]:
    out = []
    for x in pool.imap(abs, range(-3000, 0), chunksize=8):
        out.append(x)
        sum(i * i for i in range(300))  # as the writing thread, holding the interpreter's lock
    return out


@pytest.mark.timeout(60)
def test_the_workers_answer_in_order_and_the_pool_ends_when_closed() -> None:
    pool = worker_pool(2, _nothing, ())
    assert _busy_consumer(pool) == list(range(3000, 0, -1))
    pool.close()
    pool.join()


@pytest.mark.timeout(60)
def test_the_maintenance_thread_does_not_turn_for_every_result(monkeypatch) -> None:
    # Python's own pool turned about a thousand times here, once per result or more.
    turns = []
    maintain = Pool._maintain_pool  # the thread runs Pool's, whatever the subclass
    monkeypatch.setattr(Pool, "_maintain_pool",
                        staticmethod(lambda *a: (turns.append(1), maintain(*a))[1]))
    pool = worker_pool(2, _nothing, ())
    _busy_consumer(pool)
    pool.close()
    pool.join()
    assert len(turns) <= 5


@pytest.mark.timeout(60)
def test_workers_that_end_are_replaced() -> None:
    # Each worker ends after one task: only its exit, which the maintenance thread
    # still waits on, has it replaced, or the work would never finish. (Closed, not
    # terminated: terminate() can wait for ever on a worker it signals while holding
    # the queue's lock, a hang of Python's pool that indexing avoids the same way.)
    pool = WorkerPool(2, maxtasksperchild=1, context=multiprocessing.get_context("fork"))
    assert pool.map(abs, range(-20, 0), chunksize=1) == list(range(20, 0, -1))
    pool.close()
    pool.join()
