"""Whoosh's scores of a compiled query, for the documents a cluster returned.

The cluster's BM25 cannot score exactly as the embedded index does: Lucene averages a
field's length over the documents that have the field (Whoosh over every document),
rounds each document's length to another byte code, and scores a phrase by its
frequency (Whoosh adds up its words' scores). So the cluster only finds candidates,
a few times more than asked, and they are scored here as
:mod:`indexer.search.embedded.evaluate` scores them on the embedded index, node for
node: the same BM25F, operation for operation, on the same statistics (document
frequencies and field-length totals read from the cluster), and each document's term
frequencies and length counted from the analysed forms it holds. The order of the
cluster's candidates then matches the embedded index's, up to ties.

One difference remains, after updates: Whoosh counts the documents an update replaced
in its statistics until a merge drops them, and the cluster's counts leave them out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from whoosh import query as wq
from whoosh.scoring import bm25
from whoosh.util.numeric import byte_to_length, length_to_byte

from ..embedded.constant import ConstantScoreQuery
from ..embedded.maybe import Maybe
from ..weights import BM25_B, BM25_K1, in_order, term_idf

Tokens = dict[str, list[str]]
"""A document's terms in each scored field, in order (a term's place is its position)."""


@dataclass
class Statistics:
    """The collection statistics that BM25F reads, as the embedded searcher gives them."""

    documents: int
    """Every document, articles' own included: Whoosh's ``doc_count_all``."""
    passages: int
    field_lengths: dict[str, int]
    """Each scored field's terms, summed over every document."""
    frequency: Callable[[str, str], int]
    """``(field, term)`` → how many documents hold it."""

    def __post_init__(self) -> None:
        self._idf: dict[tuple[str, str], float] = {}

    def idf(self, field: str, text: str) -> float:
        key = (field, text)
        if key not in self._idf:
            self._idf[key] = term_idf(self.frequency(field, text), self.passages)
        return self._idf[key]

    def average(self, field: str) -> float:
        return self.field_lengths.get(field, 0) / (self.documents or 1) or 1


def length(terms: int) -> int:
    """A field's length as Whoosh keeps it: one byte, decoded."""
    return int(byte_to_length(length_to_byte(terms)))


class Scorer:
    """Scores one compiled query's documents, each from its forms (:data:`Tokens`).

    ``matches(q, doc)`` answers for the query kinds that have no forms to read (a
    filter's constant-score query): the cluster, asked once for the candidates."""

    def __init__(self, stats: Statistics, matches: Callable[[Any, int], bool]) -> None:
        self.stats = stats
        self.matches = matches

    def score(self, q: Any, doc: int, tokens: Tokens) -> float | None:
        """``q``'s score for the document, or ``None`` where it does not match."""
        if isinstance(q, wq.Term):
            return self.term(q.fieldname, q.text, q.boost, tokens)
        if isinstance(q, (wq.Or, wq.And)):
            parts = [self.score(sub, doc, tokens) for sub in q.subqueries]
            found = [p for p in parts if p is not None]
            if not found or (isinstance(q, wq.And) and len(found) < len(parts)):
                return None
            total = sum(found)
            # As Whoosh: a compound query's boost applies when it has several parts.
            return total * q.boost if q.boost != 1.0 and len(q.subqueries) > 1 else total
        if isinstance(q, Maybe):
            base = self.score(q.a, doc, tokens)
            if base is None:
                return None
            extra = self.score(q.b, doc, tokens)
            return base if extra is None else base + extra
        if isinstance(q, wq.AndNot):
            base = self.score(q.a, doc, tokens)
            return None if base is None or self.score(q.b, doc, tokens) is not None else base
        if isinstance(q, ConstantScoreQuery):
            return float(q.score) if self.matches(q.child, doc) else None
        if isinstance(q, (wq.Phrase, wq.Sequence)):
            return self.phrase(q, doc, tokens)
        if isinstance(q, wq.Prefix):
            return self.prefix(q, tokens)
        if isinstance(q, type(wq.NullQuery)):
            return None
        raise TypeError(f"cannot score {type(q).__name__} from a document's forms")

    def term(self, field: str, text: str, boost: float, tokens: Tokens) -> float | None:
        held = tokens.get(field, ())
        tf = sum(1 for t in held if t == text)
        if not tf:
            return None
        stats = self.stats
        score = bm25(stats.idf(field, text), tf, length(len(held)), stats.average(field),
                     BM25_B, BM25_K1)
        return score * boost if boost != 1.0 else score

    def phrase(self, q: Any, doc: int, tokens: Tokens) -> float | None:
        """Each word's score where the words stand in order (:func:`in_order`)."""
        if isinstance(q, wq.Phrase):
            field = q.fieldname
            words: list[Any] = [wq.Term(field, w) for w in q.words]
            boosted = q.boost != 1.0
        else:
            words = list(q.subqueries)
            field = next(t.fieldname for t in _terms(words[0]))
            boosted = q.boost != 1.0 and len(words) > 1
        parts = [self.score(w, doc, tokens) for w in words]
        if any(p is None for p in parts):
            return None
        held = tokens.get(field, [])
        places = [{i for i, t in enumerate(held) if t in {x.text for x in _terms(w)}}
                  for w in words]
        if not in_order(places, q.slop):
            return None
        score = sum(p for p in parts if p is not None)
        return score * q.boost if boosted else score

    @staticmethod
    def prefix(q: Any, tokens: Tokens) -> float | None:
        """A prefix scores its boost where a word starts so (as on the embedded index)."""
        if any(t.startswith(q.text) for t in tokens.get(q.fieldname, ())):
            return float(q.boost)
        return None


def _terms(word: Any) -> list[Any]:
    return [word] if isinstance(word, wq.Term) else list(word.subqueries)
