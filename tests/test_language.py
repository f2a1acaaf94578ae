"""Language detection: langdetect, seeded, on a prefix of the article."""

from __future__ import annotations

import pytest

from indexer.language import PREFIX_CHARS, detect_language, with_language
from indexer.model import Article

TEXTS = {
    "fr": "Les rebelles ont lancé une offensive majeure pour briser le siège des quartiers est "
          "d'Alep, tandis que les diplomates se réunissaient à Genève pour tenter de sauver la "
          "trêve négociée par Moscou et Washington.",
    "en": "Rebels launched a major offensive to break the siege of eastern Aleppo while "
          "diplomats met in Geneva to try to save the truce negotiated by Moscow and "
          "Washington earlier this month.",
    "de": "Die Rebellen haben eine große Offensive gestartet, um die Belagerung des Ostteils "
          "von Aleppo zu durchbrechen, während sich die Diplomaten in Genf trafen, um die "
          "Waffenruhe zu retten.",
    "es": "Los rebeldes lanzaron una gran ofensiva para romper el asedio del este de Alepo, "
          "mientras los diplomáticos se reunían en Ginebra para intentar salvar la tregua "
          "negociada por Moscú y Washington.",
    "it": "I ribelli hanno lanciato una grande offensiva per rompere l'assedio della parte "
          "orientale di Aleppo, mentre i diplomatici si riunivano a Ginevra per cercare di "
          "salvare la tregua negoziata da Mosca e Washington.",
}


@pytest.mark.parametrize("lang", sorted(TEXTS))
def test_news_paragraphs_get_their_language(lang):
    assert detect_language(TEXTS[lang]) == lang


def test_detection_is_the_same_run_after_run():
    mixed = TEXTS["fr"][:60] + " " + TEXTS["en"][:60]  # a hard case: half and half
    assert len({detect_language(mixed) for _ in range(5)}) == 1


def test_only_a_prefix_is_read():
    text = TEXTS["fr"] + " " + TEXTS["en"] * 20  # the English tail is past the prefix
    assert len(TEXTS["fr"]) < PREFIX_CHARS < len(text)
    assert detect_language(text) == "fr"


@pytest.mark.parametrize("text", ["", "   ", "12 345 — 678", "!!"])
def test_no_letters_no_language(text):
    assert detect_language(text) is None


def test_the_source_language_wins_over_detection():
    article = Article.from_fields(id="a", title="Aleppo", body=TEXTS["en"], lang="de")
    assert with_language(article).lang == "de"
    article = Article.from_fields(id="b", title="Alep", body=TEXTS["fr"])
    assert with_language(article).lang == "fr"
