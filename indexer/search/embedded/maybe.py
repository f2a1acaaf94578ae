""""Required, and maybe optional": one pass over the required query's postings.

A passage must match the required query (the rarer words); where it also matches
the optional one (common words, neighbouring-word phrases, entity mentions), that
score is added. Whoosh 2.7.4's ``AndMaybe`` could not serve: its block skipping
can loop for ever, and after skipping it can score a document without the
optional part it holds. The search first wrote ``Or([required, And([constant 0 ×
required, optional])])``, which walks the required query's postings twice and
intersects one copy with the optional query. :class:`Maybe` walks them once and
gives each document the same score: the required score, plus the optional score
where both match (``0.0 + x`` is ``x``, and adding two floats does not depend on
their order). Over all 36,152 OrangeSum articles, most multi-word searches are
of this shape.

Imported at query time only, by :mod:`.compile` and :mod:`.evaluate`.
"""

from __future__ import annotations

from typing import Any

from whoosh import query as wq
from whoosh.matching import IntersectionMatcher, NullMatcher, mcore
from whoosh.matching.binary import AdditiveBiMatcher


class Maybe(wq.BinaryQuery):
    """Documents of ``a``, with ``b``'s score added where ``b`` matches them too."""

    JOINT = " MAYBE "

    def requires(self) -> set:
        return self.a.requires()

    def estimate_size(self, ixreader: Any) -> int:
        # What the Or/And form estimated: parent queries order their matcher
        # trees by it, and that order is the order their scores are added in.
        a = self.a.estimate_size(ixreader)
        return min(a + min(a, self.b.estimate_size(ixreader)), ixreader.doc_count())

    def estimate_min_size(self, ixreader: Any) -> int:
        return self.a.estimate_min_size(ixreader)

    def docs(self, searcher: Any) -> Any:
        return self.a.docs(searcher)

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        a = self.a.matcher(searcher, context)
        b = self.b.matcher(searcher, context)
        if not a.is_active():
            return NullMatcher()
        if not b.is_active():
            return a
        return MaybeMatcher(a, b)


class MaybeMatcher(AdditiveBiMatcher):
    """Walks ``a``; ``b`` follows, so that it stands on ``a``'s document whenever it can."""

    def __init__(self, a: Any, b: Any) -> None:
        super().__init__(a, b)
        self._follow()

    def _follow(self) -> bool:
        a, b = self.a, self.b
        if a.is_active() and b.is_active() and b.id() < a.id():
            return b.skip_to(a.id())
        return False

    def reset(self) -> None:
        self.a.reset()
        self.b.reset()
        self._follow()

    def is_active(self) -> bool:
        return self.a.is_active()

    def id(self) -> int:
        return self.a.id()

    def next(self) -> bool:
        if not self.a.is_active():
            raise mcore.ReadTooFar
        moved = self.a.next()
        return self._follow() or moved

    def skip_to(self, id: int) -> bool:
        if not self.a.is_active():
            raise mcore.ReadTooFar
        moved = self.a.skip_to(id)
        return self._follow() or moved

    def _both(self) -> bool:
        return self.b.is_active() and self.a.id() == self.b.id()

    def score(self) -> float:
        return self.a.score() + self.b.score() if self._both() else self.a.score()

    def weight(self) -> float:
        return self.a.weight() + self.b.weight() if self._both() else self.a.weight()

    def supports_block_quality(self) -> bool:
        # As the Or/And form answered (its constant-score copy could not skip), so
        # that the top-k collector reads the same documents in the same way.
        return False

    def skip_to_quality(self, minquality: float) -> int:
        return 0

    def replace(self, minquality: float = 0) -> Any:
        a, b = self.a, self.b
        if not a.is_active():
            return NullMatcher()
        if not b.is_active():
            return a.replace(minquality)
        if minquality:
            a_max, b_max = a.max_quality(), b.max_quality()
            if a_max + b_max < minquality:
                return NullMatcher()
            if a_max < minquality:  # a alone cannot make the top k any more
                return IntersectionMatcher(a, b).replace(minquality)
            new_a, new_b = a.replace(minquality - b_max), b.replace(minquality - a_max)
        else:
            new_a, new_b = a.replace(0), b.replace(0)
        if new_a is a and new_b is b:
            return self
        if not new_a.is_active():
            return NullMatcher()
        if not new_b.is_active():
            return new_a
        return MaybeMatcher(new_a, new_b)

    def supports(self, astype: str) -> bool:
        return self.a.supports(astype)

    def value(self) -> Any:
        return self.a.value()

    def value_as(self, astype: str) -> Any:
        return self.a.value_as(astype)
