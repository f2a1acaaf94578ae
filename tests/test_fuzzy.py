"""Did-you-mean's words within a few edits: one walk over every segment's term lists
finds what Whoosh's own walk finds segment by segment, field by field."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest

import indexer.store.segment
from indexer import Article, NewsIndex
from indexer.search.embedded.fuzzy import terms_within
from indexer.store.terms import field_walk

FIELDS = ("exact", "stem")


def whoosh_within(reader, word: str, maxdist: int, prefix: int) -> set[tuple[str, str]]:
    return {(f, t) for leaf, _ in reader.leaf_readers() for f in FIELDS
            for t in leaf.terms_within(f, word, maxdist, prefix=prefix)}


def misspelt(word: str, rng: random.Random) -> str:
    """``word`` with one or two letters dropped, added, changed or swapped."""
    for _ in range(rng.choice((1, 2))):
        i = rng.randrange(len(word))
        op = rng.randrange(4)
        letter = rng.choice("aeilnorstuéz")
        if op == 0 and len(word) > 1:
            word = word[:i] + word[i + 1:]
        elif op == 1:
            word = word[:i] + letter + word[i:]
        elif op == 2:
            word = word[:i] + letter + word[i + 1:]
        else:
            word = word[:i] + word[i + 1:i + 2] + word[i] + word[i + 2:]
    return word


@pytest.fixture(scope="module")
def news_segments(tmp_path_factory, wikinews_fr) -> Path:
    """240 real articles in three segments, unmerged, one article updated (its old
    documents deleted but their terms still listed)."""
    articles = list(itertools.islice(wikinews_fr.values(), 240))
    path = tmp_path_factory.mktemp("fuzzy") / "index"

    def article(r: dict, body: str | None = None) -> Article:
        return Article.from_fields(id=r["id"], title=r["title"], date=r["date"],
                                   source=r["source"], body=body or r["body"], lang=r["lang"])

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(indexer.store.segment, "MERGE_CAP", 0)
        with NewsIndex.create(path) as idx:
            for start in (0, 80, 160):
                idx.add_articles(article(r) for r in articles[start:start + 80])
            idx.add_articles([article(articles[0], "Le bombardement de Lavrovsk a cessé.")])
    return path


def test_the_words_whoosh_finds_over_every_segment(news_segments):
    rng = random.Random(21)
    with NewsIndex.open(news_segments) as idx:
        reader = idx.searcher().reader()
        assert len(reader.leaf_readers()) >= 3
        known = sorted({t.decode() for leaf, _ in reader.leaf_readers() for f in FIELDS
                        for t in leaf.lexicon(f)})
        words = rng.sample(known, 50)
        words += [misspelt(w, rng) for w in words] + ["zzzzzzz", "lavrof", "\uffff"]
        words = [w for w in words if w]  # Whoosh's automaton needs the prefix's letter
        found_any = 0
        for word, maxdist, prefix in itertools.product(words, (1, 2), (0, 1)):
            if maxdist == 2 and (prefix == 0 or len(word) < 6):
                continue  # much of the lexicon, which suggest never asks for
            expected = whoosh_within(reader, word, maxdist, prefix)
            assert terms_within(reader, FIELDS, word, maxdist, prefix) == expected, word
            found_any += bool(expected)
        assert found_any > len(words)  # most words find some, typos included


def test_a_walk_gives_each_term_at_or_after_its_target(news_segments):
    with NewsIndex.open(news_segments) as idx:
        for leaf, _ in idx.searcher().reader().leaf_readers():
            terms = [t.decode() for t in leaf.lexicon("stem")]
            walk = field_walk(leaf, "stem")
            assert walk is not None and walk.head == terms[0]
            for target in ("b", "bombard", "bombardz", "m", "m", "z", "\uffff", "\uffff\uffff"):
                after = [t for t in terms if t >= target]
                assert walk.seek(target) == (after[0] if after else None)
            absent = field_walk(leaf, "nope")
            assert absent is not None and absent.head is None and absent.seek("a") is None


def test_a_typo_is_suggested_across_segments(news_segments):
    """``lavrovsk`` is in one segment only, in an article's new version."""
    with NewsIndex.open(news_segments) as idx:
        assert idx.search("Lavrovsq").suggestions == ("lavrovsk",)
