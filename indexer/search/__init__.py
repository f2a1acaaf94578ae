"""Query time: a query string in, ranked and highlighted passages out.

- :mod:`~indexer.search.parse`: the query language, parsed into a tree;
- :mod:`~indexer.search.telling`: a long query cut to its most telling words;
- :mod:`~indexer.search.embedded`: the embedded backend's query half, the tree and
  the option filters (:mod:`~indexer.search.options`) compiled to Whoosh queries
  (:mod:`~indexer.search.embedded.compile`) and evaluated a block of postings at a
  time, for the top candidates (:mod:`~indexer.search.embedded.evaluate`);
- :mod:`~indexer.search.rank`: BM25F, and the candidates re-scored, by the weights
  of :mod:`~indexer.search.weights`;
- :mod:`~indexer.search.run`: one search through all of these, its hits grouped by
  article;
- :mod:`~indexer.search.highlight`: where a passage matches;
- :mod:`~indexer.search.facets`: facet counts and the names they show;
- :mod:`~indexer.search.vectors`: word vectors, for words of close meaning.

It reads an index only through a :class:`~indexer.search.seam.Version`, the protocol
a second backend implements, and loads no index-time stage. The rooms typed against
it (options, parse, telling, run, rank, weights, highlight, facets) never touch
Whoosh; only :mod:`~indexer.search.embedded` does.
"""
