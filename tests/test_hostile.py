"""Hostile text: whatever an article holds, preparing it costs time linear in its size.

Each pattern once cost quadratic time somewhere in the pipeline (issue 18): 200 KB of it
would now take minutes, so a regression fails on the timeout instead of hanging CI.
``bench/hostile.py`` times the same patterns at 256 KB and 1 MB.
"""

from __future__ import annotations

import importlib.util
from types import ModuleType

import pytest
from conftest import ROOT

from indexer.model import Article
from indexer.pipeline.passages import (
    MAX_PASSAGE_CHARS,
    MAX_SENTENCE_CHARS,
    split_hard,
    split_paragraph,
)
from indexer.pipeline.prepare import prepare_article

SIZE = 200_000
BUDGET = 20.0  # seconds; each pattern takes well under one at this size


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_hostile", ROOT / "bench" / "hostile.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BENCH = _bench()  # its patterns, and why each one is there


@pytest.mark.parametrize("pattern", list(BENCH.PATTERNS))
@pytest.mark.timeout(60, method="thread")
def test_a_hostile_article_is_prepared_in_linear_time(pattern):
    article = Article.from_fields(id=pattern, title="Texte hostile",
                                  body=BENCH.hostile_body(pattern, SIZE))
    prepared = prepare_article(article)
    assert sum(prepared.seconds.values()) < BUDGET
    assert prepared.passage_docs


@pytest.mark.parametrize("text", [
    "mot " * 5_000,                          # cut at the spaces, which are dropped
    "x" * 25_000,                            # no space at all: cut at the limit
    "x" * 1_500 + " y" * 2_000,              # a long word, then short ones
    "é" * 999 + " " + "à" * 3_000,           # multi-byte characters count as one
])
def test_a_hard_split_keeps_every_character(text):
    text = text.strip()
    pieces = list(split_hard(text))
    assert all(0 < len(piece) <= MAX_PASSAGE_CHARS for piece in pieces)
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")


def test_a_hard_split_at_spaces_gives_back_the_words():
    text = " ".join(f"mot{i}" for i in range(5_000))
    pieces = list(split_hard(text))
    assert all(MAX_PASSAGE_CHARS // 2 <= len(piece) <= MAX_PASSAGE_CHARS for piece in pieces[:-1])
    assert " ".join(pieces) == text


def test_a_sentence_beyond_the_limit_becomes_passages_of_a_readable_size():
    paragraph = "Début. " + "." * (MAX_SENTENCE_CHARS + 1) + " Fin."
    pieces = list(split_paragraph(paragraph))
    assert all(len(piece) <= MAX_PASSAGE_CHARS for piece in pieces)
    assert "".join(pieces).replace(" ", "") == paragraph.replace(" ", "")


@pytest.mark.parametrize("paragraph, expected", [
    # A short paragraph is one passage, as written.
    ("Le cessez-le-feu tient. Alep respire.", ["Le cessez-le-feu tient. Alep respire."]),
    # A long sentence below the hard limit still stands alone, whole.
    ("Court. Long, " + "long, " * 900 + "fin.", ["Court.", "Long, " + "long, " * 900 + "fin."]),
    # A long paragraph is split at its sentences, never inside one.
    (("Une phrase de taille moyenne, sans plus. " * 30).strip(),
     [("Une phrase de taille moyenne, sans plus. " * 24).strip(),
      ("Une phrase de taille moyenne, sans plus. " * 6).strip()]),
])
def test_a_normal_paragraph_is_split_at_its_sentences_only(paragraph, expected):
    assert list(split_paragraph(paragraph)) == expected
