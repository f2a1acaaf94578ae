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

from typing import TYPE_CHECKING

from . import lazy as _lazy

_EXPORTS = {
    "NewsIndex": "index",
    "Article": "model", "Block": "model", "FacetCount": "model", "Hit": "model",
    "IndexReport": "model", "Passage": "model", "Results": "model", "TermMatch": "model",
    "Totals": "model",
    "ClusterError": "errors", "CorpusError": "errors", "IndexCorruptError": "errors",
    "IndexerError": "errors",
    "IndexLockedError": "errors", "IndexNotFoundError": "errors", "IndexVersionError": "errors",
    "IndexWriteError": "errors", "OptionError": "errors", "QuerySyntaxError": "errors",
}
__all__ = [
    "Article", "Block", "ClusterError", "CorpusError", "FacetCount", "Hit", "IndexCorruptError",
    "IndexLockedError", "IndexNotFoundError", "IndexReport", "IndexVersionError",
    "IndexWriteError", "IndexerError", "NewsIndex", "OptionError", "Passage",
    "QuerySyntaxError", "Results", "TermMatch", "Totals",
]

if TYPE_CHECKING:
    from .errors import (
        ClusterError,
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


# Whoosh, imported the light way (see indexer.store.import_whoosh_lightly), before anything
# imports it the usual way.
from . import store as _store  # noqa: E402, F401

__getattr__ = _lazy.exports(__name__, _EXPORTS)
