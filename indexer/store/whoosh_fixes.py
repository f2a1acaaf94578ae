"""Fixes for Whoosh 2.7.4, the pinned and unmaintained original.

Top-k search skips blocks of postings whose best score cannot reach the
current k-th hit (``skip_to_quality``). In a union (OR) or an "and maybe",
Whoosh 2.7.4 loops until the two sides together may score enough, asking one
side to skip each time; when that side skips nothing and its quality stays the
same, the loop never ends. Over 5,000 OrangeSum articles the two-word query
``Coronavirus point`` hung that way. Its intersection matcher already guards
against this; :func:`apply` gives the same guard to the other two. Stopping a
skip early is always safe: the collector then reads postings one by one.

Whoosh 2.7.4 cannot inline short posting lists into the term dictionary (a
misspelt method name): :func:`apply` mends it, and :func:`indexer.store.schema.codec`
inlines every posting list shorter than ``INLINE_LIMIT``.

Whoosh also reads a document's field length (which BM25 needs) from the
segment file each time it is asked: a seek and a read per posting when a
commit writes postings, and per candidate when a search scores them. Over
2,000 OrangeSum articles that was a sixth of the writing time.
:func:`apply` makes each segment reader load a field's length column once.

A constant-score query (a filter, or the "required" copy in an and-maybe) read
every document id of its child into a list before the search began: a date
range over a year, or ``coronavirus point``'s intersection, all of it, however
few documents the rest of the query let through. :func:`apply` makes it a lazy
wrapper that skips along with its child, and otherwise answers as that list did.

Whoosh looks a term up in a segment's on-disk hash table, each time with a few
seeks and reads in Python, once to ask whether the term is there, again for its
statistics, again for its postings, and once more per segment for every IDF
the scorer asks the whole index for: about ten lookups per query term and
segment. Over all 36,152 OrangeSum articles (4 segments) that was a sixth of a
search. :func:`apply` makes each segment's term reader remember the entries it
has read (segments never change once written; a commit makes new readers).
"""

from __future__ import annotations

import struct
from typing import Any

from .reading import field_lengths, term_entry

_applied = False
whoosh_doc_field_length: Any = None  # Whoosh's own, kept for comparison in tests


def apply() -> None:
    """Patch Whoosh's union and and-maybe matchers (once per process)."""
    global _applied
    if _applied:
        return
    from whoosh.matching import binary

    binary.UnionMatcher.skip_to_quality = _union_skip_to_quality
    binary.AndMaybeMatcher.skip_to_quality = _and_maybe_skip_to_quality
    binary.AndMaybeMatcher.skip_to = _and_maybe_skip_to
    from whoosh.codec import whoosh3

    global whoosh_doc_field_length
    whoosh_doc_field_length = whoosh3.W3PerDocReader.doc_field_length
    whoosh3.W3PerDocReader.doc_field_length = _doc_field_length
    whoosh3.W3TermsReader.__contains__ = _terms_contains
    whoosh3.W3TermsReader.term_info = _terms_term_info
    whoosh3.W3TermsReader.frequency = _terms_frequency
    whoosh3.W3TermsReader.doc_frequency = _terms_doc_frequency
    if not hasattr(whoosh3.W3TermInfo, "set_inline"):
        # The postings writer calls set_inline(), which W3TermInfo names set_inlined():
        # any inlinelimit above 1 raised AttributeError, so Whoosh's default never inlines.
        whoosh3.W3TermInfo.set_inline = whoosh3.W3TermInfo.set_inlined
    from whoosh.query.wrappers import ConstantScoreQuery

    global _ConstantScore
    _ConstantScore = _constant_score_class()
    ConstantScoreQuery.matcher = _constant_score_matcher
    _applied = True


def _constant_score_matcher(self: Any, searcher: Any, context: Any = None) -> Any:
    """Whoosh's ConstantScoreQuery.matcher, with a lazy matcher instead of a list of all ids."""
    from whoosh import matching
    from whoosh.searching import SearchContext

    context = context or SearchContext()
    m = self.child.matcher(searcher, context)
    if context.needs_current or isinstance(m, matching.NullMatcherClass):
        return m
    return _ConstantScore(m, self.score)


def _constant_score_class() -> Any:
    # Defined in a function: only a process that applies the patches loads
    # whoosh.matching for it.
    from whoosh.matching import NullMatcher, mcore, wrappers

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

    return ConstantScore


_ConstantScore: Any = None  # the class, made by apply(): whoosh is imported late


def _doc_field_length(self: Any, docnum: int, fieldname: str, default: int = 0) -> int | None:
    """Whoosh's ``doc_field_length``, with the field's whole length column read at once."""
    if docnum > self._doccount:
        raise IndexError(f"Asked for docnum {docnum!r} of {self._doccount}")
    lengths = field_lengths(self, fieldname)
    if lengths is None:
        return default
    # As in Whoosh: a length byte of 0 (no terms, or past the column's end) gives None.
    return lengths[docnum] if docnum < len(lengths) and lengths[docnum] else None


def _terms_contains(self: Any, term: tuple[str, bytes]) -> bool:
    return term_entry(self, *term) is not None


def _terms_term_info(self: Any, fieldname: str, tbytes: bytes) -> Any:
    from whoosh.codec.whoosh3 import W3TermInfo
    from whoosh.reading import TermNotFound

    entry = term_entry(self, fieldname, tbytes)
    if entry is None:
        raise TermNotFound(f"No term {fieldname}:{tbytes!r}")
    return W3TermInfo.from_bytes(entry)


# W3TermInfo's entry starts with a flag byte, the weight (float) and the document
# frequency (uint), big-endian: what Whoosh's read_weight and read_doc_freq read.
_WEIGHT = struct.Struct("!f")
_DOC_FREQ = struct.Struct("!I")


def _terms_frequency(self: Any, fieldname: str, tbytes: bytes) -> float:
    entry = term_entry(self, fieldname, tbytes)
    if entry is None:
        raise KeyError((fieldname, tbytes))  # as Whoosh's: the reader answers 0
    return _WEIGHT.unpack_from(entry, 1)[0]


def _terms_doc_frequency(self: Any, fieldname: str, tbytes: bytes) -> int:
    entry = term_entry(self, fieldname, tbytes)
    if entry is None:
        raise KeyError((fieldname, tbytes))
    return _DOC_FREQ.unpack_from(entry, 5)[0]


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
