"""Query time on an OpenSearch cluster: the :class:`~indexer.search.seam.Version` of the
cluster backend (:mod:`.version`), and the compiled query as the DSL (:mod:`.dsl`)."""

from ...store import import_whoosh_query_lightly

import_whoosh_query_lightly()  # before any of this package's modules imports whoosh.query
