"""Passages: French sentence boundaries, long paragraphs split, sections and order."""

from __future__ import annotations

import pytest
from conftest import SEED, SEED_ID

from indexer.model import Article, Block, Passage
from indexer.pipeline.clean import clean_article
from indexer.pipeline.passages import MAX_PASSAGE_CHARS, select_passages, sentences, split_paragraph
from indexer.pipeline.sources import parse_text


@pytest.mark.parametrize("text, expected", [
    ("M. Lavrov a parlé. Mme Merkel aussi.",
     ["M. Lavrov a parlé.", "Mme Merkel aussi."]),                  # "M." is not an end
    ("MM. Kerry et Lavrov se sont vus. Ils ont parlé.",
     ["MM. Kerry et Lavrov se sont vus.", "Ils ont parlé."]),       # plural "MM."
    ("Le Dr Martin est là. Mgr. Dupont aussi.",
     ["Le Dr Martin est là.", "Mgr. Dupont aussi."]),               # "Mgr." is not an end
    ("La ville de J. Dupont. Elle est grande.",
     ["La ville de J. Dupont.", "Elle est grande."]),               # an initial is not an end
    ("Il a dit : « Nous partons. Ils restent. » Puis il est parti.",
     ["Il a dit : « Nous partons. Ils restent. »", "Puis il est parti."]),  # inside « … »
    ("Il a crié « Assez ! » Puis il s'est tu.",
     ["Il a crié « Assez ! »", "Puis il s'est tu."]),               # « … ! » closes the quote
    ("« Assez ! », a-t-il dit. Puis il s'est tu.",
     ["« Assez ! », a-t-il dit.", "Puis il s'est tu."]),            # quote then incise
    ('Il a dit : "Nous partons." Puis il est parti.',
     ['Il a dit : "Nous partons."', "Puis il est parti."]),         # straight quotes
    ("Vraiment ? Oui ! Bien sûr.",
     ["Vraiment ?", "Oui !", "Bien sûr."]),                         # ? and ! after a space
    ("Vraiment? Oui! Bien sûr.",
     ["Vraiment?", "Oui!", "Bien sûr."]),                           # ? and ! glued
    ("Il est parti… Puis revenu.",
     ["Il est parti…", "Puis revenu."]),                            # ellipsis character
    ("Il y a 2,7 millions de cas. 3 000 morts.",
     ["Il y a 2,7 millions de cas.", "3 000 morts."]),              # a number opens a sentence
    ("Les États-Unis (USA). Le Brésil.",
     ["Les États-Unis (USA).", "Le Brésil."]),                      # after a parenthesis
    ("Il est 17.30 à Paris. Il pleut.",
     ["Il est 17.30 à Paris.", "Il pleut."]),                       # a decimal is not an end
    ("sans majuscule. puis la suite.",
     ["sans majuscule. puis la suite."]),                           # lowercase: same sentence
    ("Une seule phrase sans point final", ["Une seule phrase sans point final"]),  # no stop
    ("", []),                                                       # nothing
])
def test_sentences(text, expected):
    assert sentences(text) == expected


def test_a_short_paragraph_is_one_passage():
    text = "Alep est retombé dans le bruit des bombes."
    assert list(split_paragraph(text)) == [text]


def test_a_long_real_paragraph_is_split_into_runs_of_whole_sentences(wikinews_fr):
    body = wikinews_fr["wikinews-2016_01_31-001"]["body"]
    paragraph = body.split("\n\n")[4]
    assert len(paragraph) > MAX_PASSAGE_CHARS  # 1,315 characters
    runs = list(split_paragraph(paragraph))
    assert all(len(r) <= MAX_PASSAGE_CHARS for r in runs)
    assert len(runs) == 2 and runs[0].startswith("Le 28 décembre 2015,")
    assert all(r.endswith(".") for r in runs)
    assert " ".join(runs) == paragraph  # nothing lost, nothing added


def test_a_sentence_longer_than_the_limit_stands_alone():
    long_sentence = "Les négociations " + "se poursuivent " * 60 + "à Genève."
    text = f"Première phrase. {long_sentence} Dernière phrase."
    assert list(split_paragraph(text, limit=200)) == [
        "Première phrase.", long_sentence, "Dernière phrase."]


def test_runs_respect_a_small_limit():
    text = "Un. Deux. Trois. Quatre. Cinq."
    assert list(split_paragraph(text, limit=10)) == ["Un. Deux.", "Trois.", "Quatre.", "Cinq."]


def test_short_paragraphs_of_one_section_are_joined_in_reading_order():
    article = Article(
        id="a", title="Titre", lede="Le chapeau.",
        blocks=(Block("Premier paragraphe."), Block("Réactions", "heading"),
                Block("Deuxième paragraphe."), Block("Troisième paragraphe.")))
    assert select_passages(article) == [
        Passage("a", 0, "Le chapeau.\nPremier paragraphe."),
        Passage("a", 1, "Deuxième paragraphe.\nTroisième paragraphe.", "Réactions"),
    ]


def test_a_passage_is_closed_before_it_would_outgrow_the_limit():
    paragraphs = [f"Paragraphe {i} " + "mot " * 60 for i in range(6)]  # ~260 characters each
    article = Article(id="a", title="Titre", blocks=tuple(Block(p.strip()) for p in paragraphs))
    passages = select_passages(article)
    assert [p.text.count("\n") + 1 for p in passages] == [3, 3]
    assert all(len(p.text) <= MAX_PASSAGE_CHARS for p in passages)
    assert "\n".join(p.text for p in passages) == "\n".join(p.strip() for p in paragraphs)


def test_an_article_without_body_is_searchable_by_its_title():
    article = Article(id="a", title="Brève sans texte", blocks=())
    assert select_passages(article) == [Passage("a", 0, "Brève sans texte")]


def test_the_seed_passages():
    seed = clean_article(parse_text(SEED.read_text(encoding="utf-8"), SEED_ID))
    passages = select_passages(seed)
    # 20 paragraphs, joined into 5 passages that never cross the intertitle.
    assert [p.text.count("\n") + 1 for p in passages] == [5, 3, 5, 4, 3]
    assert [p.ordinal for p in passages] == list(range(5))
    assert [p.section for p in passages] == [None, None] + ["Offensive rebelle"] * 3
    assert passages[2].text.startswith("Au lendemain d'une journée plutôt calme")
    assert all(len(p.text) <= MAX_PASSAGE_CHARS for p in passages)
