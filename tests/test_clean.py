"""Cleaning: each rule on its own, then on real scraped text, then idempotence."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest
from conftest import SEED, SEED_ID
from hypothesis import given
from hypothesis import strategies as st

from indexer.model import Article, Block
from indexer.pipeline.clean import (
    clean_article,
    clean_lines,
    intertitle,
    is_boilerplate,
    normalize_text,
    split_glued,
    strip_markup,
)
from indexer.pipeline.sources import article_from_record, parse_html, parse_text


def paragraphs(article: Article) -> list[str]:
    return [b.text for b in clean_article(article).blocks if b.kind == "paragraph"]


def all_text(article: Article) -> str:
    a = clean_article(article)
    return "\n".join([a.title, a.lede, *(b.text for b in a.blocks)])


# -- each rule -------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Ale\u0301p", "Alép"),                     # NFD accent composed to NFC
    ("É\u0301", "É\u0301"),                     # already composed, extra mark kept
    ("pre\u00admier", "premier"),               # soft hyphen vanishes
    ("Ba \u200b\u200bHuy", "Ba Huy"),           # zero-width spaces vanish
    ("a\u200cb\u200dc\u2060d", "abcd"),         # ZWNJ, ZWJ, word joiner vanish
    ("\ufeffTitre", "Titre"),                   # a stray BOM vanishes
    ("État\u00a0 Vérifié", "État  Vérifié"),    # no-break space becomes a space
    ("11\u202fh\u202f40", "11 h 40"),           # narrow no-break space (French time)
    ("55\u2009%", "55 %"),                      # thin space
    ("ligne 1\r\nligne 2\rligne 3", "ligne 1\nligne 2\nligne 3"),  # line ends
])
def test_normalize_text(text, expected):
    assert normalize_text(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("des Pyrénées.Alors que", "des Pyrénées.\nAlors que"),   # glued paragraphs
    ("a-t-il dit.Le ministre", "a-t-il dit.\nLe ministre"),   # after a hyphenated word
    ('la suite."Le texte', 'la suite."\nLe texte'),          # closing quote stays on its line
    ("vraiment?Oui", "vraiment?\nOui"),                       # question mark
    ("les U.S.A sont", "les U.S.A sont"),                     # initials stay together
    ("selon M.Dupont hier", "selon M.Dupont hier"),           # a title and a name stay
    ("il est 17.30 à Paris", "il est 17.30 à Paris"),         # numbers are not sentences
    ("le site lemonde.fr", "le site lemonde.fr"),             # lowercase after the dot
    ("en 2020.Alors", "en 2020.Alors"),                       # digits before the dot: kept
])
def test_split_glued(text, expected):
    assert split_glued(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("à 19H00 GMT.Les Etats-Unis", "à 19H00 GMT.\nLes Etats-Unis"),   # acronym before the stop
    ("la France (29.875).Près de", "la France (29.875).\nPrès de"),  # parenthesis before it
    ('la "suite".Le texte', 'la "suite".\nLe texte'),               # closing quote before it
    ("une « suite ».Le texte", "une « suite ».\nLe texte"),         # closing guillemet before it
])
def test_split_glued_after_acronym_or_parenthesis(text, expected):
    assert split_glued(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Envie d'afficher votre publicité ?", True),           # advertising
    ("Contactez-nousEnvie d'afficher votre publicité ?", True),  # glued furniture
    ("Contactez-nous", True),
    ("L'espace des commentaires est ouvert aux inscrits.", True),
    ("Connectez-vous ou créez un compte pour pouvoir commenter cet article.", True),
    ("Lire aussi : la crise en Syrie", True),
    ("Publicité", True),
    ("Commentaires (12)", True),
    ("La publicité a été interdite sur les chaînes publiques.", False),  # news about ads
    ("Lire aussi " + "la suite du récit des événements " * 10, False),  # long: a paragraph
    ("Contacté, le ministère n'a pas répondu.", False),     # not "Contactez-nous"
])
def test_is_boilerplate(text, expected):
    assert is_boilerplate(text) is expected


@pytest.mark.parametrize("text, expected", [
    ("- Offensive rebelle -", "Offensive rebelle"),          # AFP intertitle
    ("– Bilan –", "Bilan"),                                  # en dashes
    ("— Réactions —", "Réactions"),                          # em dashes
    ('- USA: "problème grave" -', 'USA: "problème grave"'),  # punctuation inside
    ("- Un essai d'un an -", "Un essai d'un an"),
    ("- Il a dit oui.", None),                               # a dialogue line, no closing dash
    ("Elle a dit - oui -", None),                            # dashes mid-line
    ("- " + "x" * 130 + " -", None),                         # too long for a heading
    ("--", None),                                            # nothing between the dashes
])
def test_intertitle(text, expected):
    assert intertitle(text) == expected


def test_clean_lines_makes_paragraphs_and_headings_and_drops_furniture():
    raw = "Premier paragraphe.\n\n- Intertitre -\n  Second   paragraphe. \nContactez-nous\n"
    assert clean_lines(raw) == [
        Block("Premier paragraphe."),
        Block("Intertitre", "heading"),
        Block("Second paragraphe."),
    ]


def test_the_buttons_after_a_share_invitation_go_with_it():
    # Wikinews pages end so: each button left in read as a paragraph naming a company.
    raw = ("Le texte.\nPartager cet article :\nCourriel,\nFacebook,\nTwitter,\nIdenti.ca,\n"
           "Yahoo! '\nUne phrase de plus après.\nFacebook,\n")
    assert clean_lines(raw) == [
        Block("Le texte."),
        Block("Une phrase de plus après."),
        Block("Facebook,"),  # only the run right after the invitation is furniture
    ]
    assert clean_lines("Partager le pouvoir ?\nNon.\n") == [
        Block("Partager le pouvoir ?"), Block("Non.")]


def test_an_intertitle_in_the_lede_slot_opens_the_body():
    article = Article(id="x", title="T", lede="- Plus de 517.000 morts -",
                      blocks=(Block("La pandémie a fait au moins 517.416 morts."),))
    cleaned = clean_article(article)
    assert cleaned.lede == ""
    assert cleaned.blocks == (Block("Plus de 517.000 morts", "heading"),
                              Block("La pandémie a fait au moins 517.416 morts."))


# -- the seed: boilerplate and intertitle ---------------------------------------------

@pytest.fixture(scope="module")
def seed() -> Article:
    return clean_article(parse_text(SEED.read_text(encoding="utf-8"), SEED_ID))


def test_seed_boilerplate_lines_are_dropped(seed):
    text = "\n".join(b.text for b in seed.blocks)
    for furniture in ("publicité", "Contactez-nous", "commentaires", "Connectez-vous"):
        assert furniture not in text
    assert seed.blocks[-1].text.startswith('"Les discussions seront centrées')


def test_seed_intertitle_is_a_heading_block(seed):
    headings = [(i, b.text) for i, b in enumerate(seed.blocks) if b.kind == "heading"]
    assert headings == [(8, "Offensive rebelle")]
    assert seed.blocks[9].text.startswith("Au lendemain d'une journée plutôt calme")


def test_seed_has_twenty_paragraphs(seed):
    assert len(seed.paragraphs) == 20


# -- real text from ../shared/data ----------------------------------------------

def wikinews(records: dict[str, dict], article_id: str) -> Article:
    return article_from_record(records[article_id], article_id, "articles.jsonl")


def test_nfd_text_is_composed(wikinews_fr):
    record = dict(wikinews_fr["wikinews-2016_01_01-001"])
    decomposed = {**record, "title": unicodedata.normalize("NFD", record["title"]),
                  "body": unicodedata.normalize("NFD", record["body"])}
    assert decomposed["body"] != record["body"]
    nfd = clean_article(article_from_record(decomposed, "x", "w"))
    nfc = clean_article(article_from_record(record, "x", "w"))
    assert nfd == nfc
    assert nfd.title == "France : attaque à Valence (Drôme)"


def test_soft_hyphens_vanish_from_a_real_page(shared_data):
    page = (shared_data / "wikinews-2012-html" / "43971.html").read_text(encoding="utf-8")
    assert "pre\u00admier" in page
    article = parse_html(page, "43971")
    text = all_text(article)
    assert "\u00ad" not in text
    assert "un des neuf moteurs du premier étage du lanceur" in text


def test_soft_hyphen_before_a_capital_in_real_text(wikinews_fr):
    text = all_text(wikinews(wikinews_fr, "wikinews-2017_04_16-006"))
    assert "séparant Saturne et ses anneaux" in text
    assert "la haute atmosphère de Saturne" in text


def test_zero_width_spaces_vanish_from_real_text(wikinews_fr):
    text = all_text(wikinews(wikinews_fr, "wikinews-2017_03_24-001"))
    assert "\u200b" not in text
    assert "a déclaré Ronald Tran Ba Huy, le représentant du PAM" in text


def test_no_break_spaces_become_plain_spaces_in_real_text(wikinews_fr):
    first = paragraphs(wikinews(wikinews_fr, "wikinews-2016_04_10-001"))[0]
    assert first == "État Vérifié"  # "État\xa0 Vérifié": one space once collapsed
    text = all_text(wikinews(wikinews_fr, "wikinews-2016_01_07-001"))
    assert "7 janvier 2016, 11 h 40 UTC." in text
    assert "\u202f" not in text


def test_glued_paragraphs_are_split_in_real_text(orangesum_head):
    record = json.loads(orangesum_head[5])
    assert record["id"] == "orangesum-10"
    assert "des Pyrénées.Alors que" in record["body"]
    paras = paragraphs(article_from_record(record, "x", "w"))
    assert paras[0].endswith("FNSEA et chambres d'agriculture des Pyrénées.")
    assert paras[1].startswith("Alors que les estives ont commencé,")


def test_a_real_intertitle_lede_becomes_a_heading(orangesum_head):
    record = json.loads(orangesum_head[17])
    assert record["lede"] == "- Plus de 517.000 morts -"
    cleaned = clean_article(article_from_record(record, "x", "w"))
    assert cleaned.lede == ""
    assert cleaned.blocks[0] == Block("Plus de 517.000 morts", "heading")


@pytest.mark.parametrize("text, expected", [
    ("<i>Saw 3D : Chapitre final</i>", "Saw 3D : Chapitre final"),   # italics of a title
    ('Ferdinand <abbr class="abbr" title="premier">I<sup>er</sup></abbr>',
     "Ferdinand Ier"),                                               # nested, with attributes
    ('<span class="nowrap">Louis XVI</span>', "Louis XVI"),
    ("Ligne<br/>suivante", "Lignesuivante"),                         # self-closing
    ("a < b et c > d", "a < b et c > d"),                            # comparisons stay
    ("<Ville> <div>", "<Ville> <div>"),                              # only inline tags go
    ("<<i>i>x", "x"),                                                # until nothing is left
])
def test_strip_markup(text, expected):
    assert strip_markup(text) == expected


def test_a_json_title_loses_its_markup_but_keeps_its_words():
    record = {"id": "x", "title": "<i>Le Roi lion</i> (film)", "body": "Un <b>lion</b>."}
    article = clean_article(article_from_record(record, "x", "t.json"))
    assert (article.title, paragraphs(article)) == ("Le Roi lion (film)", ["Un lion."])


# -- idempotence ----------------------------------------------------------------------

# Pieces that exercise every rule, plus plain letters to glue them together.
_PIECES = st.sampled_from([
    *"aéeAÉCd .!?»«\"'’)-–\n\t\r",
    "\u00ad", "\u200b", "\u00a0", "\u202f", "\u2028", "\n\n",
    "Contactez-nous", "Publicité", "- Titre -", "Lire aussi", "Pyrénées.Alors", "M. Lavrov",
    "<i>", "</i>", "<", ">", "<b", "/>",
])
_TEXTS = st.lists(_PIECES, max_size=40).map("".join)
# A lede is one paragraph: no line breaks or dashes (see the idempotence test below for why).
_LEDES = _TEXTS.map(lambda s: "".join(" " if c in "\n\r-–" else c for c in s))


@given(title=_TEXTS, lede=_LEDES, body=_TEXTS)
def test_cleaning_twice_is_cleaning_once(title, lede, body):
    once = clean_article(Article.from_fields(id="x", title=title, lede=lede, body=body))
    assert clean_article(once) == once


def test_cleaning_the_real_seed_twice_is_cleaning_it_once(seed):
    assert clean_article(seed) == seed


def test_cleaning_is_idempotent_when_a_soft_hyphen_splits_an_accent():
    raw = "cafe\u00ad\u0301"
    once = clean_article(Article.from_fields(id="x", title=raw, body=raw))
    assert clean_article(once) == once


def test_cleaning_is_idempotent_on_a_glued_intertitle_lede():
    article = Article(id="x", title="T", lede="- Plus de 517.000 morts.Le bilan -", blocks=())
    once = clean_article(article)
    assert clean_article(once) == once


@given(st.text(alphabet="ab \u00ad\u200b\u200c\u200d\u2060\ufeff\u00a0\u202f\u2007\u2009"
                        "\u200a\u3000\r\né\u0301", max_size=40))
def test_normalize_text_maps_each_invisible_or_odd_space_character(text: str) -> None:
    invisible = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
    spaces = dict.fromkeys(map(ord, "\u00a0\u202f\u2007\u2009\u200a\u3000"), " ")
    expected = unicodedata.normalize("NFC", text.translate(invisible).translate(spaces))
    assert normalize_text(text) == expected.replace("\r\n", "\n").replace("\r", "\n")


# split_glued's regex before it was reordered for speed: the stop looked behind, not matched.
_GLUED_BEFORE = re.compile(r"(?:(?<=[a-zà-öø-ÿ]{2}[.!?])|(?<=[A-Z]{2}[.!?])|(?<=[)\"»”][.!?]))"
                           r"([»\"”]?)(?=[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ])")


@pytest.mark.parametrize("text", [
    "Pyrénées.Alors", "USA.Alors", "U.S.A.Alors", "M.Dupont", "suite\".Le", "suite.\"Le",
    "fin!»Puis", "fin?”Et", "(AFP).Le", "été.Éric", "ab.CD", "ab..Cd", "a.Bc", "…», « Ok.",
    "x!!Ab", "ab.»»Cd", "de l'ONU.Selon.Le.Ab", "",
])
def test_split_glued_is_what_it_was(text):
    assert split_glued(text) == _GLUED_BEFORE.sub(r"\1\n", text)


@given(st.text(alphabet="aéAÉZ.!?»\"”) \n", max_size=40))
def test_split_glued_is_what_it_was_on_any_text(text):
    assert split_glued(text) == _GLUED_BEFORE.sub(r"\1\n", text)
