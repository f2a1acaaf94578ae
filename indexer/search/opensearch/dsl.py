"""A compiled query, as OpenSearch's query DSL.

The query is compiled once for both backends (:func:`~indexer.search.embedded.compile.
compile_search`), to a tree of Whoosh query objects: here that tree is only data, each
node turned into its DSL twin (a ``bool`` for ``Or``, ``And``, ``AndNot`` and the
optional half of a :class:`~indexer.search.embedded.maybe.Maybe`, ``match_phrase`` for
a phrase, ``span_near`` for a sequence of alternatives, ``prefix``, ``term``), and a
constant-score filter into a ``bool`` filter, which scores nothing.

The cluster's scores only choose candidates, which :mod:`.bm25f` scores again exactly;
they are made near Whoosh's so that the right ones are chosen. The fields' BM25 has
our ``k1`` and ``b`` (see :func:`indexer.store.opensearch.settings`), and OpenSearch's
keeps the ``k1 + 1`` factor that Lucene itself dropped, as Whoosh does; Lucene's IDF,
over the documents that have the field, each term's boost trades for ours
(:func:`~indexer.search.weights.term_idf`), and for Lucene's average field length,
over the same documents (:func:`length_factor`). What remains apart is how each
engine rounds field lengths, and phrase scoring.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from whoosh import query as wq

from ...store.opensearch import SCORED_FIELDS
from ..embedded.constant import ConstantScoreQuery
from ..embedded.maybe import Maybe
from ..weights import BM25_B, BM25_K1, idf, term_idf

TEXT_FIELDS = frozenset(SCORED_FIELDS)
"""The fields scored by BM25 (the other keyword fields only filter)."""

Weigh = Callable[[str, str], float]
"""``(field, term)`` → the factor its boost takes (see :func:`term_factor`)."""


def term_factor(n: int, passages: int, with_field: int) -> float:
    """What a term in ``n`` documents multiplies its boost by, so that Lucene's BM25 over
    the ``with_field`` documents that have its field scores as ours does."""
    return float(term_idf(n, passages) / idf(n, with_field))


def length_factor(ratio: float) -> float:
    """What a term's boost is multiplied by for a field whose documents are ``ratio``
    times fewer than all of them: Lucene's average length is over the documents with
    the field, ``ratio`` times Whoosh's, which scores a document of Lucene's average
    length as one ``ratio`` times the average. Exact for one occurrence in a document
    of that length; near enough elsewhere for the cluster to find the candidates that
    are then scored exactly (:mod:`.bm25f`)."""
    k1, b = BM25_K1, BM25_B
    return (1 + k1) / (1 + k1 * (1 - b + b * ratio))


def terms_of(q: Any) -> set[tuple[str, str]]:
    """The ``(field, term)`` pairs that ``q`` scores, for their statistics to be read at once."""
    if isinstance(q, wq.Term):
        return {(q.fieldname, q.text)} if q.fieldname in TEXT_FIELDS else set()
    if isinstance(q, wq.Phrase):
        return {(q.fieldname, w) for w in q.words}
    if isinstance(q, ConstantScoreQuery):
        return set()
    found: set[tuple[str, str]] = set()
    for sub in _children(q):
        found |= terms_of(sub)
    return found


def _children(q: Any) -> list[Any]:
    if isinstance(q, wq.BinaryQuery):
        return [q.a, q.b]
    return list(getattr(q, "subqueries", ()))


def to_dsl(q: Any, weigh: Weigh, scoring: bool = True) -> dict[str, Any]:
    """``q`` as a DSL query; ``scoring`` is false under a filter, where boosts do nothing."""
    boost = float(getattr(q, "boost", 1.0))
    if isinstance(q, ConstantScoreQuery):  # a filter: the compiler gives each a score of 0
        return {"bool": {"filter": [to_dsl(q.child, weigh, scoring=False)]}}
    if isinstance(q, wq.Term):
        if not scoring or q.fieldname not in TEXT_FIELDS:
            return {"term": {q.fieldname: q.text}}
        return {"term": {q.fieldname: {"value": q.text,
                                       "boost": boost * weigh(q.fieldname, q.text)}}}
    if isinstance(q, Maybe):
        return {"bool": {"must": [to_dsl(q.a, weigh, scoring)],
                         "should": [to_dsl(q.b, weigh, scoring)]}}
    if isinstance(q, wq.AndNot):
        return {"bool": {"must": [to_dsl(q.a, weigh, scoring)],
                         "must_not": [to_dsl(q.b, weigh, scoring=False)]}}
    if isinstance(q, wq.And):
        return _boosted({"bool": {"must": [to_dsl(s, weigh, scoring) for s in q.subqueries]}},
                        boost)
    if isinstance(q, wq.Or):
        return _boosted({"bool": {"should": [to_dsl(s, weigh, scoring) for s in q.subqueries],
                                  "minimum_should_match": 1}}, boost)
    if isinstance(q, (wq.Phrase, wq.Sequence)):
        # Where the words stand in order, each at most ``slop`` places after the one
        # before (Whoosh's slop 1 is Lucene's 0), scored as Whoosh scores a phrase:
        # its words' scores added up, not by how often the phrase occurs.
        words = [wq.Term(q.fieldname, w) for w in q.words] if isinstance(q, wq.Phrase) \
            else list(q.subqueries)
        near = {"span_near": {"clauses": [_span(w) for w in words],
                              "slop": max(0, q.slop - 1), "in_order": True}}
        if not scoring:
            return near
        found = {"bool": {"filter": [near], "should": [to_dsl(w, weigh) for w in words]}}
        return _boosted(found, boost) if len(words) > 1 else found
    if isinstance(q, wq.Prefix):  # constant-scoring in both engines: the boost
        return {"prefix": {q.fieldname: {"value": q.text, "boost": boost}}}
    if q is wq.NullQuery:
        return {"match_none": {}}
    raise TypeError(f"no DSL for {type(q).__name__}")


def _span(q: Any) -> dict[str, Any]:
    if isinstance(q, wq.Term):
        return {"span_term": {q.fieldname: q.text}}
    if isinstance(q, wq.Or):
        return {"span_or": {"clauses": [_span(s) for s in q.subqueries]}}
    raise TypeError(f"no span for {type(q).__name__}")


def _boosted(dsl: dict[str, Any], boost: float) -> dict[str, Any]:
    if boost != 1.0:
        dsl["bool"]["boost"] = boost
    return dsl
