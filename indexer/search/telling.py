"""A long query's most telling words: the bound on what any pasted text can cost."""

from __future__ import annotations

from bisect import insort
from dataclasses import replace
from typing import TYPE_CHECKING

from ..analysis import word_forms
from .parse import Group, Node, Occur, Text, optional_texts, pasted
from .weights import idf

if TYPE_CHECKING:
    from .seam import Version

MAX_QUERY_WORDS = 20
"""A query with more distinct words than this (a pasted paragraph, a lede, a whole
dispatch) keeps only its MAX_QUERY_WORDS most telling ones, as Elasticsearch's
``more_like_this`` keeps its ``max_query_terms`` (25): each distinct word is scored by
how often the query repeats it times its IDF in the index, and the rest are left out
(``--explain`` lists both). A pasted text's quotes count as their words, and as
phrases weighed as their rarest word (see :func:`telling_words`); ``+``/``-`` words,
fields and filters are never left out. Below the limit a query is searched as typed,
so that short searches and questions rank as before; above it, the cost of a search
is bounded whatever is pasted, up to :data:`indexer.search.parse.MAX_QUERY_CHARS`. On
the first 300 queries of the news known-item task's tuned half, 20 words ranked as 32
did (MRR@10 0.719 both) in 19 % less time (p50 148 → 121 ms); 16 ranked worse
(0.711). Measured with :data:`TYPED_MAX_WORDS` on pair phrases, the held-out 2019 half
is unchanged (0.793)."""


def telling_words(tree: Group, version: Version, limit: int | None = None
                  ) -> tuple[Group, tuple[str, ...]]:
    """The query with at most ``limit`` distinct words or phrases, and those left out.

    See :data:`MAX_QUERY_WORDS`. A typed query's quoted phrases are kept first. Only a
    pasted text (more than :data:`TYPED_MAX_WORDS` words) has more distinct words than
    the default limit, and in it a quote is what someone said, which the article sought
    may report in other words or in part: each quote counts as its words, and as a
    phrase too, which adds where it is said word for word. That phrase is weighed as its
    rarest word, not kept first: it reads every one of its words, and an interview
    pasted whole kept 20 quotes of up to 40 words and no word alone (the slowest whole
    news articles, 150 to 250 ms). A left-out word becomes a gap, not nothing, so that
    the words on either side of it do not become neighbours.
    """
    limit = MAX_QUERY_WORDS if limit is None else limit
    quoting = pasted(tree)  # its quotes are what someone said
    tree = _quotes_as_words(tree, every=quoting)
    # Counting the words first spares every short query the stemming of _units.
    if sum(1 for _ in optional_texts(tree)) <= limit:
        return tree, ()
    found = list(_units(tree).values())  # in the order of their first occurrence
    if len(found) <= limit:
        return tree, ()
    total = version.passage_count()

    def weight(forms: list[tuple[str, str]], count: int) -> float:
        # A word's most frequent form counts, as in clause_weights; a word the index
        # does not hold tells nothing about which of its articles is meant.
        dfs = [max(version.doc_frequency("stem", stem), version.doc_frequency("stem", exact),
                   version.doc_frequency("exact", exact)) for stem, exact in forms]
        return count * max((idf(n, total) for n in dfs if n), default=0.0)

    def bound(forms: list[tuple[str, str]], count: int) -> float:
        # At most weight(): a form's frequency is at least its stem's, and a form the
        # stems do not hold is at most as telling as a word found once.
        return count * max((idf(version.doc_frequency("stem", stem) or 1, total)
                            for stem, _ in forms), default=0.0)

    # The words are weighed in the order of their bounds, until no bound can reach the
    # limit-th weight: most words of a pasted article are common, and a weight asks
    # three frequencies of every form in every segment (a bound, one).
    forms = [_forms(nodes[0]) for nodes in found]
    # A typed query's quote is a phrase someone chose: it goes first (with a limit below
    # TYPED_MAX_WORDS; at the default one, only a pasted text has words left out).
    chosen = [nodes[0].quoted and not quoting for nodes in found]
    bounds = sorted((not chosen[i], -bound(forms[i], len(nodes)), i)
                    for i, nodes in enumerate(found))
    best: list[tuple[bool, float, int]] = []  # the exact keys so far, at most limit
    for later, ceiling, i in bounds:
        if len(best) == limit and (later, ceiling, i) > best[-1]:
            break  # this key, and every later one, is below the limit-th
        insort(best, (later, -weight(forms[i], len(found[i])), i))
        del best[limit:]
    kept = {i for *_, i in best}
    keep = {id(found[i][0]) for i in kept}  # a repeated word, once
    gone = {id(node) for nodes in found for node in nodes} - keep
    left_out = tuple(nodes[0].raw.strip(PUNCTUATION) for i, nodes in enumerate(found)
                     if i not in kept)
    return _without(tree, gone), left_out


def distinct_words(tree: Group) -> tuple[str, ...]:
    """The query's distinct words and phrases, each as it first reads, stop words left out."""
    return tuple(nodes[0].raw.strip(PUNCTUATION) for nodes in _units(tree).values())


def _units(group: Group) -> dict[tuple[str, ...], list[Text]]:
    """The distinct words and phrases of a query (by stem), each with its occurrences."""
    found: dict[tuple[str, ...], list[Text]] = {}
    for node in optional_texts(group):
        key = tuple(stem for stem, _ in _forms(node))
        if key:  # stop words alone compile to nothing: they need no place
            found.setdefault(key, []).append(node)
    return found


def _forms(node: Text) -> list[tuple[str, str]]:
    return [f for w in node.words if (f := word_forms(w.lower(), "fr"))]


def _quotes_as_words(group: Group, every: bool) -> Group:
    """Each optional quote of several words (``every`` one, or the unclosed one alone) as
    its words, one by one, then as itself.

    A quote that never closes runs to the end of the query, but as a phrase alone it
    asks for every word after it in that order: news prose opens a quote that a later
    paragraph closes, and a lede pasted that way (``"Peu de personnes auraient eu cette
    attitude. Elle seraient parties en courant.``) found nothing. Lucene's
    ``SimpleQueryParser`` ignores such a quote; its words counting one by one as well,
    the phrase still puts first the passages that say it word for word.
    """
    clauses: list[tuple[Occur, Node]] = []
    for occur, child in group.clauses:
        if isinstance(child, Group):
            clauses.append((occur, _quotes_as_words(child, every)))
        elif occur == "should" and isinstance(child, Text) and child.quoted \
                and (every or child.unclosed) and len(child.words) > 1:
            clauses += [*((occur, Text((w,), raw=w)) for w in child.words),
                        (occur, replace(child, echoed=True))]
        else:
            clauses.append((occur, child))
    return Group(tuple(clauses))


PUNCTUATION = ".,;:!?…«»\"“”()[]'’"
"""Stripped from a left-out word as --explain shows it: ``syrienne.`` is ``syrienne``."""


_GAP = Text(())
"""Compiles to nothing, and parts its neighbours."""


def _without(group: Group, gone: set[int]) -> Group:
    return Group(tuple(
        (occur, _GAP if id(child) in gone
         else _without(child, gone) if isinstance(child, Group) else child)
        for occur, child in group.clauses))
