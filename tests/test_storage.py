"""Stored records: what a document gives back is exactly what was indexed."""

from __future__ import annotations

import pytest

from indexer import Article, NewsIndex
from indexer.schema import meta_record, passage_record, read_meta, read_passage


@pytest.mark.parametrize("text", [
    "", "Alep", "Les hôpitaux d'Alep, « bombardés » — 42 %…", "日本語 ∑ 🙂 \u00a0", "a\0b\0",
    "\\0 [1, null]", "x" * 100_000,
])
@pytest.mark.parametrize("section", [None, "", "Offensive rebelle", "Été \0 « x »"])
def test_passage_record_round_trips(text: str, section: str | None) -> None:
    assert read_passage(passage_record(text, 3, section)) == (text, 3, section)


def test_meta_record_round_trips() -> None:
    meta = {"title": "Sergueï Lavrov à Genève", "date": None, "source": "", "url": None,
            "lang": "fr", "actors": ("Sergueï Lavrov",), "places": (), "hash": "ab", "passages": 0}
    got = read_meta(meta_record(meta))
    assert got == meta and type(got["actors"]) is tuple


def test_a_record_compresses_french_text() -> None:
    text = ("Le gouvernement a annoncé mercredi de nouvelles mesures pour les hôpitaux, "
            "a indiqué le ministre de la Santé lors d'une conférence de presse à Paris.")
    assert len(passage_record(text, 0, None)) < 0.8 * len(text.encode())


def test_index_gives_back_passages_and_metadata_exactly(tmp_path) -> None:
    body = "Première phrase à Alep.\n\nDeuxième paragraphe : « cessez-le-feu » 🙂."
    article = Article.from_fields(id="x-1", title="Trêve à Alep", body=body, date="2016-05-01")
    with NewsIndex.create(tmp_path / "ix") as idx:
        idx.add(article)
        meta, paragraphs = idx.article("x-1")
        assert meta["title"] == "Trêve à Alep" and meta["date"] == "2016-05-01"
        assert [p for _, p in paragraphs] == ["Première phrase à Alep.",
                                              "Deuxième paragraphe : « cessez-le-feu » 🙂."]
        hit = idx.search("cessez-le-feu")[0]
        assert "« cessez-le-feu » 🙂" in hit.passage
        assert list(idx.article_docs()) == [("x-1", meta)]
        assert idx.stats()["date_min"] == "2016-05-01"


def test_a_word_of_one_passage_is_inlined_and_found(tmp_path) -> None:
    from whoosh.reading import TermNotFound

    a = Article.from_fields(id="x-1", title="Trêve", body="Un zygomorphe à Alep.\n\nAlep.")
    b = Article.from_fields(id="x-2", title="Alep", body="Alep encore.")
    with NewsIndex.create(tmp_path / "ix") as idx:
        idx.add_articles([a, b])
        reader = idx.searcher().reader()
        try:
            rare = reader.term_info("exact", "zygomorphe")
        except TermNotFound:
            rare = reader.term_info("stem", "zygomorphe")
        assert rare.is_inlined()
        assert not reader.term_info("kind", "p").is_inlined()
        assert [h.article_id for h in idx.search("zygomorphe")] == ["x-1"]
        assert [h.article_id for h in idx.search('"zygomorphe à Alep"')] == ["x-1"]
