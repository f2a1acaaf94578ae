"""Asking for more hits never reorders the first ones.

A journalist who reads the first ten hits, then asks for forty, expects the same ten on
top, in the same order, as Elasticsearch shows the same first page whatever the page
size once its rescore window is fixed. Checked on real news: the first 5,000 OrangeSum
articles, searched with the ledes and titles of the 40 articles after them (coverage of
the same days that the index does not hold) and with a few typed questions.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import ORANGESUM_ARTICLES, orangesum_lines

from indexer import NewsIndex
from indexer.search.embedded.evaluate import keep_best
from indexer.search.embedded.version import _best_titles

LIMITS = (1, 3, 10, 17, 20, 40)

TYPED = ("réforme des retraites grève", "Olivier Véran hôpital", "masques pénurie",
         "élections municipales second tour", "confinement déconfinement commerces")


@pytest.fixture(scope="module")
def queries(shared_data: Path) -> list[str]:
    after = [json.loads(line) for line in
             orangesum_lines(shared_data, ORANGESUM_ARTICLES, ORANGESUM_ARTICLES + 40)]
    return [r["lede"] for r in after] + [r["title"] for r in after] + list(TYPED)


def shown(idx: NewsIndex, query: str, limit: int) -> list[tuple[str, str]]:
    """The articles shown and the passage each shows first, in order."""
    out: dict[str, str] = {}
    for hit in idx.search(query, limit=limit).hits:
        out.setdefault(hit.article_id, hit.passage)
    return list(out.items())


def test_a_larger_limit_shows_the_smaller_one_s_hits_first(orangesum_index, queries):
    reordered = []
    for query in queries:
        lists = {n: shown(orangesum_index, query, n) for n in LIMITS}
        deepest = lists[LIMITS[-1]]
        assert len(deepest) == LIMITS[-1], query  # every query matches 40 articles at least
        reordered += [(n, query[:60]) for n in LIMITS[:-1] if deepest[:n] != lists[n]]
    assert reordered == []


def test_with_several_passages_an_article_a_larger_limit_keeps_them_too(orangesum_index, queries):
    for query in queries[:10]:
        few = orangesum_index.search(query, limit=4, per_article=3).hits
        more = orangesum_index.search(query, limit=25, per_article=3).hits
        assert [(h.article_id, h.passage) for h in more[:len(few)]] == \
            [(h.article_id, h.passage) for h in few], query[:60]


@pytest.mark.parametrize("seed", range(30))
def test_a_deeper_search_s_best_titles_are_a_shallower_one_s(seed):
    """A search of 40 articles ranks its first 10 as one of 10, deepest first, and takes
    the 10's best titles from the 40's where they are surely the same: whatever the ties,
    they are what a search of 10 finds (rows of few distinct scores tie by hundreds)."""
    draw = random.Random(seed)
    rows = [(-float(draw.choice((1, 2, 3, 3, 3, 4, 5))), doc)
            for doc in range(draw.choice((0, 5, 60, 300, 900)))]

    def tiebreak(doc: int) -> tuple[int, int]:
        return doc % 7, doc

    searched = []

    def search(n: int) -> list[tuple[float, int]]:
        searched.append(n)
        return keep_best(rows, n, tiebreak)

    for deep, shallow in ((120, 50), (60, 50), (250, 10), (50, 50), (30, 60)):
        comp = SimpleNamespace(best_titles=None)
        _best_titles(comp, deep, search, tiebreak)
        searched.clear()
        assert _best_titles(comp, shallow, search, tiebreak) == keep_best(rows, shallow, tiebreak)
        if len({score for score, _ in rows}) == len(rows) and shallow <= deep:
            assert searched == []  # no tie: the deeper search's titles served


def test_titles_without_ties_are_searched_once_for_every_tier():
    rows = [(-float(score), doc) for doc, score in enumerate(range(300, 0, -1))]
    searched = []

    def search(n: int) -> list[tuple[float, int]]:
        searched.append(n)
        return keep_best(rows, n, lambda doc: doc)

    comp = SimpleNamespace(best_titles=None)
    for k in (120, 60, 50):
        assert _best_titles(comp, k, search, lambda doc: doc) == keep_best(rows, k, lambda doc: doc)
    assert searched == [120]
