"""The storage engine, on Whoosh: what an index is on disk and how it is read.

- :mod:`~indexer.store.embedded`: the index as a whole, as the door asks of it: created,
  opened, written in batches, merged, checked and measured;
- :mod:`~indexer.store.schema`: the fields, the stored records, the codec's settings;
- :mod:`~indexer.store.postings`, :mod:`~indexer.store.terms`, :mod:`~indexer.store.varints`:
  posting blocks and term entries without Whoosh's pickled framing;
- :mod:`~indexer.store.segment`: segments written in bulk, and the merge policy;
- :mod:`~indexer.store.lock`: the writer's lock, one writer at a time;
- :mod:`~indexer.store.reading`: what the codec, the patches and the evaluator read
  from a segment;
- :mod:`~indexer.store.integrity`: per-file checksums, and the check that reads them;
- :mod:`~indexer.store.snapshot`: one committed version, as query time reads it;
- :mod:`~indexer.store.whoosh_fixes`: what Whoosh 2.7.4 does wrong in matchers it builds
  itself, patched (everything else is mended by subclasses).
"""

from __future__ import annotations

import contextlib
import importlib
import sys
import types
from collections.abc import Callable, Iterator
from importlib.machinery import ModuleSpec
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from importlib.abc import Loader

# Index files name the codec's classes by the module they were written from, and an
# index written before this package existed calls it ``indexer.postings``. That name
# stays the one written (so the same articles give the same bytes), and it stays
# importable: a module that hands out the codec's names, loading it only when an index
# is read.
_ON_DISK = {"indexer.postings": "indexer.store.postings"}


class _OnDiskNames:
    # A finder and its loader (importlib.abc would cost a cold search 6 ms to import).

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> ModuleSpec | None:
        return ModuleSpec(fullname, cast("Loader", self)) if fullname in _ON_DISK else None

    def create_module(self, spec: ModuleSpec) -> None:
        return None  # a plain module

    def exec_module(self, module: types.ModuleType) -> None:
        real = _ON_DISK[module.__name__]

        def __getattr__(name: str) -> Any:
            return getattr(importlib.import_module(real), name)

        module.__getattr__ = __getattr__  # type: ignore[method-assign]


if not any(isinstance(f, _OnDiskNames) for f in sys.meta_path):
    sys.meta_path.append(_OnDiskNames())


def import_whoosh_lightly() -> None:
    """Import ``whoosh.compat`` without ``urllib.request``.

    whoosh.compat imports ``urlretrieve`` for a download helper that nothing in
    Whoosh calls, and with it http.client, email, ssl and socket: about a tenth of
    the time of a cold ``depeches search``. While whoosh.compat loads, a stand-in
    module answers that import (see :func:`_standing_in`).
    """
    if "whoosh.compat" in sys.modules:
        return
    # No Whoosh here (a tool that only extracts entities): nothing to spare.
    with _standing_in("urllib.request", "urlretrieve"), contextlib.suppress(ImportError):
        import whoosh.compat  # noqa: F401


def import_whoosh_query_lightly() -> None:
    """Import ``whoosh.query`` without ``whoosh.lang.morph_en``.

    whoosh.query imports ``variations`` for its ``Variations`` query, which we never
    build, and with it English morphology compiled into regular expressions at import:
    4 to 5 ms of every process's first search. A stand-in answers that import while
    whoosh.query loads (see :func:`_standing_in`)."""
    if "whoosh.query" in sys.modules:
        return
    with _standing_in("whoosh.lang.morph_en", "variations"):
        import whoosh.query  # noqa: F401


@contextlib.contextmanager
def _standing_in(module: str, *names: str) -> Iterator[None]:
    """A stand-in for ``module``, while the body imports what imports ``names`` from it:
    each of them imports the real module if ever called. The stand-in is gone
    afterwards, so that importing ``module`` elsewhere gets the real one."""
    if module in sys.modules:
        yield
        return
    stand_in = types.ModuleType(module)
    for name in names:
        setattr(stand_in, name, _imported_when_called(module, name))
    sys.modules[module] = stand_in
    try:
        yield
    finally:
        if sys.modules.get(module) is stand_in:
            del sys.modules[module]


def _imported_when_called(module: str, name: str) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = name
    return call


import_whoosh_lightly()  # first: every module of the store imports Whoosh
