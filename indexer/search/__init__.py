"""Query time: a query string in, ranked and highlighted passages out.

- :mod:`~indexer.search.parse`: the query language, parsed into a tree;
- :mod:`~indexer.search.run`: the tree compiled to Whoosh queries, run, re-ranked,
  grouped by article (options in :class:`~indexer.search.run.SearchOptions`);
- :mod:`~indexer.search.evaluate` and :mod:`~indexer.search.maybe`: the compiled
  query evaluated a block of postings at a time;
- :mod:`~indexer.search.highlight`: where a passage matches;
- :mod:`~indexer.search.facets`: facet counts and the names they show;
- :mod:`~indexer.search.vectors`: word vectors, for words of close meaning.

It reads an index only through a :class:`~indexer.store.snapshot.Snapshot`, and
loads no index-time stage.
"""
