"""Language detection: langdetect, seeded, on a prefix of the article."""

from __future__ import annotations

import pytest

from indexer.model import Article
from indexer.pipeline.language import PREFIX_CHARS, detect_language, with_language

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


@pytest.mark.parametrize(
    "text", ["", "   ", "12 345 — 678", "!!", "a b", "é1ü", "ab" + " " * 300 + "c"])
def test_no_letters_no_language(text):
    """Fewer than three letters in the prefix: nothing to judge."""
    assert detect_language(text) is None


def test_the_source_language_wins_over_detection():
    article = Article.from_fields(id="a", title="Aleppo", body=TEXTS["en"], lang="de")
    assert with_language(article).lang == "de"
    article = Article.from_fields(id="b", title="Alep", body=TEXTS["fr"])
    assert with_language(article).lang == "fr"


NEAR = {  # languages that share words with French, in news sentences
    "ca": "Els rebels han llançat una gran ofensiva per trencar el setge de la part est d'Alep, "
          "mentre els diplomàtics es reunien a Ginebra per intentar salvar la treva negociada "
          "per Moscou i Washington. Les forces del govern han respost amb bombardeigs.",
    "pt": "Os rebeldes lançaram uma grande ofensiva para romper o cerco da parte leste de Alepo, "
          "enquanto os diplomatas se reuniam em Genebra para tentar salvar a trégua negociada "
          "por Moscou e Washington. O governo disse que a situação está sob controle.",
    "ro": "Rebelii au lansat o ofensivă majoră pentru a rupe asediul părții de est a orașului "
          "Alep, în timp ce diplomații se întâlneau la Geneva pentru a încerca să salveze "
          "armistițiul negociat de Moscova și Washington.",
    "nl": "De rebellen zijn een groot offensief begonnen om het beleg van het oosten van "
          "Aleppo te doorbreken, terwijl diplomaten in Genève bijeenkwamen om het bestand te "
          "redden dat Moskou en Washington hadden onderhandeld.",
    # 'le', 'qui' and 'ce' are Italian words too: a fifth of this text, three different ones
    "it": "Le Borse europee chiudono in calo. Le vendite hanno colpito le banche e le "
          "assicurazioni, mentre il petrolio sale. Qui a Milano ce lo aspettavamo, dicono gli "
          "operatori: le tensioni sul debito pesano e le prospettive restano incerte.",
}


def test_french_beyond_doubt_skips_langdetect(monkeypatch):
    import indexer.pipeline.language as language

    def no_langdetect():
        raise AssertionError("langdetect was called")

    monkeypatch.setattr(language, "_detector_factory", no_langdetect)
    assert detect_language(TEXTS["fr"]) == "fr"


@pytest.mark.parametrize("lang, text", [(k, v) for k, v in sorted(TEXTS.items()) if k != "fr"]
                         + [(f"{k}-near", v) for k, v in sorted(NEAR.items())])
def test_other_languages_are_never_taken_for_french(lang, text):
    from indexer.pipeline.language import clearly_french

    lang = lang.removesuffix("-near")
    assert not clearly_french(text)
    assert detect_language(text) == lang


# French news ledes (OrangeSum) with few of the hand-picked French-only words:
# langdetect read them until frequent French-only words counted too.
PLAIN_FRENCH = [
    "Affaire Traoré: les avocats livrent deux versions contradictoires d'une audition clé "
    "Quatre ans après la mort d'Adama Traoré lors de son interpellation, les avocats de la "
    "famille et de la défense ont livré jeudi à la presse deux versions contradictoires de "
    "l'audition d'un témoin clé",
]


@pytest.mark.parametrize("text", PLAIN_FRENCH)
def test_french_with_frequent_french_only_words_skips_langdetect(text, monkeypatch):
    import indexer.pipeline.language as language

    def no_langdetect():
        raise AssertionError("langdetect was called")

    monkeypatch.setattr(language, "_detector_factory", no_langdetect)
    assert detect_language(text) == "fr"


def test_a_short_french_text_still_goes_to_langdetect():
    from indexer.pipeline.language import clearly_french

    assert not clearly_french("Le président est arrivé à Alep avec une délégation.")
    assert detect_language("Le président est arrivé à Alep avec une délégation.") == "fr"


@pytest.mark.parametrize("text", ["abc", "a b c", "12 é ü ß"])
def test_three_letters_are_judged(text, monkeypatch):
    import indexer.pipeline.language as language

    monkeypatch.setattr(language, "clearly_french", lambda sample: True)
    assert detect_language(text) == "fr"
