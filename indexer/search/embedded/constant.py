"""A filter's query: its child's documents, each with one score, read lazily.

Whoosh 2.7.4's ``ConstantScoreQuery`` reads every document id of its child into a list
before the search begins: a date range over a year, or an intersection, all of it,
however few documents the rest of the query lets through. Its list matcher also
scores each document 1.0 where the score asked was 0.0 (it reads 0.0 as "none"),
which added 1.0 to every filtered search's scores. :class:`ConstantScoreQuery` is
Whoosh's with a matcher that skips along with its child instead, and otherwise
answers as the list did; the evaluator (:mod:`.evaluate`) reads it as Whoosh's.
"""

from __future__ import annotations

from typing import Any

from whoosh import query as wq
from whoosh.matching import NullMatcher, NullMatcherClass, mcore, wrappers
from whoosh.searching import SearchContext


class ConstantScoreQuery(wq.ConstantScoreQuery):
    """Whoosh's ConstantScoreQuery, with a lazy matcher (see the module doc)."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        context = context or SearchContext()
        m = self.child.matcher(searcher, context)
        if context.needs_current or isinstance(m, NullMatcherClass):
            return m
        return ConstantScore(m, self.score)


class ConstantScore(wrappers.WrappingMatcher):
    """Its child's documents, each scored ``score``; block quality as the list had none."""

    def __init__(self, child: Any, score: float) -> None:
        super().__init__(child)
        self.score_value = score

    def copy(self) -> Any:
        return ConstantScore(self.child.copy(), self.score_value)

    def _replacement(self, newchild: Any) -> Any:
        return ConstantScore(newchild, self.score_value)

    def replace(self, minquality: float = 0) -> Any:
        if not self.child.is_active() or (minquality and self.score_value < minquality):
            return NullMatcher()
        # The child's own scores mean nothing here: simplify it without a floor.
        r = self.child.replace(0)
        return self if r is self.child else ConstantScore(r, self.score_value)

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        return self.score_value

    def block_quality(self) -> float:
        return self.score_value

    def skip_to_quality(self, minquality: float) -> int:
        return 0

    def weight(self) -> float:
        return self.score_value

    def score(self) -> float:
        return self.score_value

    def term(self) -> Any:
        return self.child.term()

    def term_matchers(self) -> Any:
        return mcore.Matcher.term_matchers(self)

    def matching_terms(self, id: int | None = None) -> Any:
        return mcore.Matcher.matching_terms(self, id)

    def spans(self) -> list:
        return []
