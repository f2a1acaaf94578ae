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

import importlib
import sys
import types
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
    module answers that import; its ``urlretrieve`` imports the real one if ever
    called. The stand-in is gone afterwards, so ``import urllib.request`` elsewhere
    gets the real module.
    """
    if "whoosh.compat" in sys.modules or "urllib.request" in sys.modules:
        return
    stand_in = types.ModuleType("urllib.request")

    def urlretrieve(*args: Any, **kwargs: Any) -> Any:
        return importlib.import_module("urllib.request").urlretrieve(*args, **kwargs)

    stand_in.urlretrieve = urlretrieve  # type: ignore[attr-defined]
    sys.modules["urllib.request"] = stand_in
    try:
        import whoosh.compat  # noqa: F401
    except ImportError:
        pass  # no Whoosh here (a tool that only extracts entities): nothing to spare
    finally:
        if sys.modules.get("urllib.request") is stand_in:
            del sys.modules["urllib.request"]


import_whoosh_lightly()  # first: every module of the store imports Whoosh
