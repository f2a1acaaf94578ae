"""Interruptions held over a commit, so that the index and the run's report agree.

A ``KeyboardInterrupt`` (Ctrl-C, or SIGTERM as the CLI turns it) can land on any line:
between a commit that is on disk and the count of what it committed, the run would
say fewer articles are committed and searchable than are.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

HELD = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def held_interrupts() -> Iterator[None]:
    """Run the block whole: SIGINT and SIGTERM that arrive meanwhile are delivered,
    to the handlers they would have met, once it ends."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers, and only it receives signals
        return
    caught: list[int] = []

    def hold(signum: int, frame: Any) -> None:
        caught.append(signum)

    before = {s: signal.signal(s, hold) for s in HELD}
    try:
        yield
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)
        for signum in dict.fromkeys(caught):
            signal.raise_signal(signum)
