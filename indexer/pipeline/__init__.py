"""Index time: an article's way from its source to the documents the store indexes.

- :mod:`~indexer.pipeline.sources`: articles read from plain text, JSON Lines, HTML;
- :mod:`~indexer.pipeline.clean`: web boilerplate removed, intertitles kept;
- :mod:`~indexer.pipeline.language`: the language, detected;
- :mod:`~indexer.pipeline.entities`: actors and places, with
  :mod:`~indexer.pipeline.corrections` (a user's fixes) and ``gazetteer/`` (word lists);
- :mod:`~indexer.pipeline.passages`: the passages a search returns.

Analysis (:mod:`indexer.analysis`) is shared with query time and stays outside.
"""
