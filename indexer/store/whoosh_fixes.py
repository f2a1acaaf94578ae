"""The fixes to Whoosh 2.7.4, the pinned and unmaintained original, that must be patches.

Where Whoosh lets us choose the class, a fix is a subclass instead: the codec's
readers (:class:`indexer.store.reading.PerDocReader`,
:class:`indexer.store.terms.TermsReader`, :class:`indexer.store.terms.TermInfo`) and a
filter's query (:mod:`indexer.search.embedded.constant`). What remains here are
matchers that Whoosh builds itself, deep inside its own queries, from ``Or`` and
``AndMaybe``: no class of ours can stand in for them.

Top-k search skips blocks of postings whose best score cannot reach the
current k-th hit (``skip_to_quality``). In a union (OR) or an "and maybe",
Whoosh 2.7.4 loops until the two sides together may score enough, asking one
side to skip each time; when that side skips nothing and its quality stays the
same, the loop never ends. Over 5,000 OrangeSum articles the two-word query
``Coronavirus point`` hung that way. Its intersection matcher already guards
against this; :func:`apply` gives the same guard to the other two. Stopping a
skip early is always safe: the collector then reads postings one by one.

Whoosh's "and maybe" skip also leaves its optional side behind the required one
(see :func:`_and_maybe_skip_to`), and its "and not" lets its first document through
when the excluded side starts before it (see :func:`_and_not_find_first`).
``tests/test_whoosh_fixes.py`` checks that the members replaced are still the ones
these patches were written for.
"""

from __future__ import annotations

from typing import Any

_applied = False
REPLACED: dict[str, Any] = {}
"""``"Class.member"`` → Whoosh's own, as it was before :func:`apply`."""


def apply() -> None:
    """Patch Whoosh's union and and-maybe matchers (once per process)."""
    global _applied
    if _applied:
        return
    from whoosh.matching import binary

    for cls, name, fix in ((binary.UnionMatcher, "skip_to_quality", _union_skip_to_quality),
                           (binary.AndMaybeMatcher, "skip_to_quality",
                            _and_maybe_skip_to_quality),
                           (binary.AndMaybeMatcher, "skip_to", _and_maybe_skip_to),
                           (binary.AndNotMatcher, "_find_first", _and_not_find_first)):
        REPLACED[f"{cls.__name__}.{name}"] = getattr(cls, name)
        setattr(cls, name, fix)
    _applied = True


def _skip_pair(a: Any, b: Any, minquality: float) -> int:
    """Skip ``a`` and ``b`` until together they may reach ``minquality``, or stop when
    neither can move."""
    skipped = 0
    aq, bq = a.block_quality(), b.block_quality()
    while a.is_active() and b.is_active() and aq + bq <= minquality:
        if aq < bq:
            n = a.skip_to_quality(minquality - bq)
            before, aq = aq, a.block_quality()
            stuck = not n and aq == before
        else:
            n = b.skip_to_quality(minquality - aq)
            before, bq = bq, b.block_quality()
            stuck = not n and bq == before
        skipped += n
        if stuck:
            break
    return skipped


def _union_skip_to_quality(self: Any, minquality: float) -> int:
    from whoosh.matching import mcore

    self._id = None
    a, b = self.a, self.b
    if not (a.is_active() or b.is_active()):
        raise mcore.ReadTooFar
    if not a.is_active():
        return b.skip_to_quality(minquality)
    if not b.is_active():
        return a.skip_to_quality(minquality)
    return _skip_pair(a, b, minquality)


def _and_maybe_skip_to(self: Any, id: int) -> bool:
    """Whoosh's AndMaybeMatcher.skip_to, with the optional side brought to the document
    the required side lands on: Whoosh moved it to ``id`` only, so when the required
    side went past ``id`` the optional side stood behind it, and that document lost the
    optional score. Whoosh makes AndMaybes of unions while it prunes the top k, so
    a filtered search's scores depended on when it pruned."""
    from whoosh.matching import mcore

    a, b = self.a, self.b
    if not a.is_active():
        raise mcore.ReadTooFar
    moved = a.skip_to(id)
    if a.is_active() and b.is_active() and b.id() < a.id():
        moved = b.skip_to(a.id()) or moved
    return moved


def _and_not_find_first(self: Any) -> None:
    """Whoosh's AndNotMatcher._find_first, with the excluded side brought to the first
    document: Whoosh looked only where both sides stood, so with the excluded side on
    an earlier document (``a`` on 3, ``b`` on 2 and 3) the first document went through.
    ``_find_next`` skips the excluded side up before it compares."""
    if self.a.is_active() and self.b.is_active():
        self._find_next()


def _and_maybe_skip_to_quality(self: Any, minquality: float) -> int:
    from whoosh.matching import mcore

    a, b = self.a, self.b
    if not a.is_active():
        raise mcore.ReadTooFar
    if not b.is_active():
        return a.skip_to_quality(minquality)
    skipped = _skip_pair(a, b, minquality)
    if a.is_active() and b.is_active() and b.id() < a.id():
        b.skip_to(a.id())  # as in _and_maybe_skip_to: b stands on a's document
    return skipped
