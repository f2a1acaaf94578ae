"""Related coverage: the articles that share most with one article.

As Elasticsearch's ``more_like_this`` does, the article itself becomes the query: its
title and text, as if pasted, keep their :data:`SIMILAR_WORDS` most telling words
(:func:`.telling.telling_words`); the article is excluded, the filters apply, and the
passages that match are ranked and highlighted as a search's are. The articles found
are then ranked again by the actors and places they share with it
(:data:`SHARED_ENTITIES`), the facets a journalist reads to tell one story from another.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import TYPE_CHECKING

from ..analysis import words as analysis_words
from ..errors import IndexerError
from ..model import Hit, Results
from .options import SearchOptions
from .parse import Filter, Group, Node, Occur, Text
from .run import hit_facets, run_tree
from .telling import PUNCTUATION, distinct_words, telling_words

if TYPE_CHECKING:
    from .seam import Version

SIMILAR_WORDS = 25
"""Distinct words or names an article is searched with: ``more_like_this``'s
``max_query_terms`` default, chosen as a long query's are (:mod:`.telling`): an
article's 25 rarest repeated words are already its subject. Changing it to the 20 of
:data:`.telling.MAX_QUERY_WORDS` was not measured."""

SHARED_ENTITIES = 0.5
"""An article found scores ``score × (1 + SHARED_ENTITIES × s)``, where ``s`` is the
share of the article's actors and places that it names too: the same people and
places are the same story more surely than the same words."""

WIDER = 3
"""Articles searched for each one shown, so that shared entities can reorder them."""


def run_similar(version: Version, article_id: str, opts: SearchOptions) -> Results:
    """The articles most like ``article_id``, best first, never the article itself.

    ``Results.query`` holds the words it was searched with; an unknown id raises
    :class:`indexer.IndexerError`.
    """
    t0 = time.perf_counter()
    meta = version.article_meta(article_id)
    if meta is None:
        raise IndexerError(f"no article with id {article_id!r}",
                           hint="`depeches search` shows article ids")
    passages = version.article_passages([article_id])[article_id]
    texts = [meta.get("title") or "", *(version.passage(d)["text"] for d in passages)]
    names = (*meta.get("actors", ()), *meta.get("places", ()))
    tree, _ = telling_words(as_pasted(texts, names), version, SIMILAR_WORDS)
    tree = Group((*tree.clauses, ("must_not", Filter("article_id", article_id))))
    wide = replace(opts, limit=min(opts.limit * WIDER, 10_000))
    # One search of the wider pool: its order is remade below, so ranking it in tiers
    # as a search's hits are (run._tiers) took the median from 70 to 113 ms for nothing.
    found = run_tree(version, " ".join(distinct_words(tree)), tree, (), wide, t0,
                     tiered=False)
    hits = _by_shared_names(found.hits, set(names), opts.limit)
    return replace(found, hits=hits, facets=hit_facets(list(hits)),
                   elapsed_ms=(time.perf_counter() - t0) * 1000)


def as_pasted(texts: list[str], names: tuple[str, ...] = ()) -> Group:
    """Texts as a query of optional words, as if pasted with every operator quoted away,
    and each name as a phrase: an article's ``-`` intertitles or ``OR`` are words."""
    clauses: list[tuple[Occur, Node]] = []
    for raw in (*(w for text in texts for w in text.split()), *names):
        words = tuple(w for w, *_ in analysis_words(raw))
        if words:
            clauses.append(("should", Text(words, phrase=len(words) > 1,
                                           raw=raw.strip(PUNCTUATION + "-+*") or raw)))
    return Group(tuple(clauses))


def _by_shared_names(hits: tuple[Hit, ...], names: set[str], limit: int) -> tuple[Hit, ...]:
    """Hits reordered by article, each article's score raised by the names it shares
    (:data:`SHARED_ENTITIES`), cut to ``limit`` articles and renumbered."""
    per: dict[str, list[Hit]] = {}
    for hit in hits:
        per.setdefault(hit.article_id, []).append(hit)

    def factor(hit: Hit) -> float:
        shared = names & {*hit.actors, *hit.places}
        return 1 + SHARED_ENTITIES * len(shared) / max(len(names), 1)

    ranked = sorted(per.values(), key=lambda g: -g[0].score * factor(g[0]))[:limit]
    out = [hit for group in ranked for hit in group]
    return tuple(replace(hit, rank=i, score=round(hit.score * factor(hit), 4))
                 for i, hit in enumerate(out, 1))
