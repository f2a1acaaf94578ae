"""How much each word of a query counts, and what a passage that holds some of them earns.

The arithmetic of re-scoring, the same on every backend: it reads only term
statistics, through the :class:`~indexer.search.seam.Version` searched. The README's
"How it works" gives the measured effect of each weight.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from ..model import BM25_B as BM25_B  # the ranking reads its weights here
from ..model import BM25_K1 as BM25_K1

if TYPE_CHECKING:
    from .seam import Positions, Version

COORDINATION = 4.0
"""How much a passage that misses some of the query's clauses is penalised: its
score is multiplied by ((w + matched) / (w + total)) ** COORDINATION, where each
clause weighs its IDF, ``matched`` and ``total`` add up those weights and ``w``
is their mean. Missing a rare word costs more than missing a common one."""
PROXIMITY = 1.0
"""Bonus for query words found close together: the score is multiplied by
1 + PROXIMITY × (the mean over pairs of clauses, weighted by their IDFs, of
1 / the smallest distance in words between them).

Typed queries only (:func:`indexer.search.rank.rescore`). A pasted text has dozens of
clauses, and a passage that holds many of them gets much the same proximity whatever
their order: n words standing once each, side by side, are at the same distances from
each other in any order. On the news known-item task (2,000 ledes, see
``bench/news.py``), MRR@10 was 0.7728 with proximity and 0.7723 without (tuned half
0.7439 / 0.7436, held-out 2019 0.8017 / 0.8010). On PIAF, where only the questions of
more than 12 words lose it, MRR@10 went from 0.793 to 0.794 (even questions 0.797
both times, odd 0.790 → 0.791). Reading the candidates' positions for it was a fifth
of a pasted text's search."""
HEAD_WEIGHT = 0.25
"""The weight, in coordination, of the noun an interrogative announces (``année`` in
"En quelle année…", ``pays`` in "Dans quel pays…"): it names the kind of answer,
which the passage gives without naming it ("en 1963", "en Moldavie")."""
IDF_POWER = 1.5
"""BM25's IDF raised to this power: rare words (names, technical terms) count
more against common ones than Whoosh's flatter ``log(N / (n + 1)) + 1`` allows."""


def idf(n: int, total: int) -> float:
    """Robertson–Spärck Jones IDF of a term in ``n`` of ``total`` passages."""
    total = max(total, n)
    return math.log(1 + (total - n + 0.5) / (n + 0.5))


def term_idf(n: int, passages: int) -> float:
    """The IDF that BM25F weighs a term with, on every backend: over passages (article
    documents hold no text), raised to :data:`IDF_POWER`."""
    return idf(n, passages) ** IDF_POWER


Clause = frozenset[tuple[str, str]]


def clause_weights(version: Version, clauses: list[Clause]) -> list[float]:
    """Each clause's IDF, from its most frequent form: what missing it costs."""
    total = version.passage_count()
    return [idf(max((version.doc_frequency(f, t) for f, t in c), default=0), total)
            for c in clauses]


def coordination(clauses: list[Clause], weights: list[float],
                 matched: set[tuple[str, str]], partial: float = 0.0) -> float:
    """The factor (≤ 1) for a passage that holds the ``matched`` terms; see COORDINATION.

    ``partial`` is the weight of the missing clauses that the passage holds a word of
    close meaning for, in part (:meth:`indexer.search.vectors.WordVectors.closest`)."""
    total = sum(weights)
    if not total:
        return 1.0
    got = sum(w for c, w in zip(clauses, weights, strict=True) if c & matched) + partial
    prior = total / len(weights)
    return ((prior + got) / (prior + total)) ** COORDINATION


def proximity(clauses: list[Clause], weights: list[float], found: Positions) -> float:
    """How close the clauses stand in a passage, in [0, 1]; see PROXIMITY."""
    spots = [sorted({p for term in c for p in found.get(term, ())}) for c in clauses]
    num = den = 0.0
    for i in range(len(clauses)):
        for j in range(i + 1, len(clauses)):
            w = weights[i] * weights[j]
            den += w
            if spots[i] and spots[j]:
                gap = _min_gap(spots[i], spots[j])
                if gap:
                    num += w / gap
    return num / den if den else 0.0


def _min_gap(a: list[int], b: list[int]) -> int:
    """The smallest distance between a position of ``a`` and one of ``b`` (both sorted)."""
    i = j = 0
    best = abs(a[0] - b[0])
    while i < len(a) and j < len(b):
        best = min(best, abs(a[i] - b[j]))
        if a[i] < b[j]:
            i += 1
        else:
            j += 1
    return best


def in_order(places: Sequence[Collection[int]], slop: int) -> bool:
    """Whether the words stand in order: a place of each (``places``, word by word), each
    at most ``slop`` positions after the one before (Whoosh's ``SpanNear2``)."""
    ends = places[0]
    for here in places[1:]:
        ends = {p for p in here if any(p - d in ends for d in range(1, slop + 1))}
        if not ends:
            return False
    return bool(ends)
