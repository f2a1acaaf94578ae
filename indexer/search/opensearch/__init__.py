"""Query time on an OpenSearch cluster: the :class:`~indexer.search.seam.Version` of the
cluster backend (:mod:`.version`), and the compiled query as the DSL (:mod:`.dsl`)."""
