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
from indexer.pipeline.entities import extract_entities, mentioned
from indexer.pipeline.entities.extract import MAX_ENTITY_CHARS, MAX_NAME_CHARS, _window
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


def test_actors_and_places_are_read_in_the_first_characters_and_counted_everywhere():
    filler = "Il pleut sur la ville et le vent souffle fort. " * (MAX_ENTITY_CHARS // 40)
    body = ["Emmanuel Macron est arrivé à Lyon.", filler, "Angela Merkel parle à Berlin.",
            "Emmanuel Macron est reparti de Lyon."]
    ents = extract_entities("Texte long", body)
    assert "Emmanuel Macron" in ents.actors and "Lyon" in ents.places
    # Past the window, a new name is searchable text but no facet value...
    assert "Angela Merkel" not in ents.actors and "Berlin" not in ents.places
    # ...while a name found in the window is still counted in a passage past it.
    seen = mentioned(body[-1], ents)
    assert seen.actors == ("Emmanuel Macron",) and seen.places == ("Lyon",)
    # The window is counted over the title and paragraphs together, not per paragraph.
    assert extract_entities("Angela Merkel à Berlin", body).places[:1] == ("Berlin",)


def test_the_window_never_cuts_a_word_in_half():
    text = "x" * (MAX_ENTITY_CHARS - 10) + " Jean-Baptiste Lemoyne"
    assert list(_window([text], MAX_ENTITY_CHARS)) == ["x" * (MAX_ENTITY_CHARS - 10)]
    # No space to cut at: the paragraph is one word past the limit, and left out.
    assert list(_window(["a" * (MAX_ENTITY_CHARS + 5)], MAX_ENTITY_CHARS)) == []
    assert list(_window(["un", "deux"], 3)) == ["un"]
    assert list(_window(["un", "deux trois"], 7)) == ["un", "deux"]


def test_a_run_of_capitals_is_no_actor_and_hides_none():
    run = "ABCDEF " * (MAX_NAME_CHARS // 7 + 1)
    ents = extract_entities("Texte", [f"Selon {run}l'ONU a parlé. Angela Merkel est à Berlin."])
    assert ents.actors == ("Angela Merkel", "ONU") and ents.places == ("Berlin",)
