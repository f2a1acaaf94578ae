"""The embedded backend's query half: a query tree compiled to Whoosh queries
(:mod:`.compile`) and evaluated a block of postings at a time for the top candidates
(:mod:`.evaluate`, :mod:`.maybe`), on the store of :mod:`indexer.store`."""

from ...store import import_whoosh_query_lightly

import_whoosh_query_lightly()  # before any of this package's modules imports whoosh.query
