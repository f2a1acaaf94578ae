"""depeches: full-text search of French news.

The library is the product; the ``depeches`` CLI is a thin shell over it::

    from indexer import NewsIndex
    with NewsIndex.open("index") as idx:
        for hit in idx.search("cessez-le-feu", since="2016-01-01", limit=10):
            print(hit.title, hit.passage[slice(*hit.highlights[0])])

Names are imported on first use, so that ``depeches search`` starts without
loading the indexing stages (entities, language detection).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "NewsIndex": "index",
    "Article": "model", "Block": "model", "FacetCount": "model", "Hit": "model",
    "IndexReport": "model", "Passage": "model", "Results": "model", "TermMatch": "model",
    "Totals": "model",
    "CorpusError": "errors", "IndexCorruptError": "errors", "IndexerError": "errors",
    "IndexLockedError": "errors", "IndexNotFoundError": "errors", "IndexVersionError": "errors",
    "IndexWriteError": "errors", "OptionError": "errors", "QuerySyntaxError": "errors",
}
__all__ = [
    "Article", "Block", "CorpusError", "FacetCount", "Hit", "IndexCorruptError",
    "IndexLockedError", "IndexNotFoundError", "IndexReport", "IndexVersionError",
    "IndexWriteError", "IndexerError", "NewsIndex", "OptionError", "Passage",
    "QuerySyntaxError", "Results", "TermMatch", "Totals",
]

if TYPE_CHECKING:
    from .errors import (
        CorpusError,
        IndexCorruptError,
        IndexerError,
        IndexLockedError,
        IndexNotFoundError,
        IndexVersionError,
        IndexWriteError,
        OptionError,
        QuerySyntaxError,
    )
    from .index import NewsIndex
    from .model import (
        Article,
        Block,
        FacetCount,
        Hit,
        IndexReport,
        Passage,
        Results,
        TermMatch,
        Totals,
    )


from .whoosh_fixes import import_whoosh_lightly as _import_whoosh_lightly  # noqa: E402

_import_whoosh_lightly()


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'indexer' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
