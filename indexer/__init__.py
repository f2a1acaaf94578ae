"""depeches: full-text search of French news.

The library is the product; the ``depeches`` CLI is a thin shell over it::

    from indexer import NewsIndex
    with NewsIndex.open("index") as idx:
        for hit in idx.search("cessez-le-feu", since="2016-01-01", limit=10):
            print(hit.title, hit.passage[slice(*hit.highlights[0])])
"""

from .errors import (
    CorpusError,
    IndexerError,
    IndexLockedError,
    IndexNotFoundError,
    IndexVersionError,
    OptionError,
    QuerySyntaxError,
)
from .index import NewsIndex
from .model import Article, Block, FacetCount, Hit, IndexReport, Passage, Results, TermMatch

__all__ = [
    "Article", "Block", "CorpusError", "FacetCount", "Hit", "IndexLockedError",
    "IndexNotFoundError",
    "IndexReport", "IndexVersionError", "IndexerError", "NewsIndex", "OptionError", "Passage",
    "QuerySyntaxError", "Results", "TermMatch",
]
