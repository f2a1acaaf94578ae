"""Stored records: what a document gives back is exactly what was indexed."""

from __future__ import annotations

import pytest

from indexer import Article, NewsIndex
from indexer.store.schema import (
    article_record,
    passage_place,
    passage_record,
    read_meta,
    read_texts,
)

META = {"title": "Sergueï Lavrov à Genève", "date": None, "source": "", "url": None,
        "lang": "fr", "actors": ("Sergueï Lavrov",), "places": (), "hash": "ab", "passages": 0}


@pytest.mark.parametrize("text", [
    "", "Alep", "Les hôpitaux d'Alep, « bombardés » — 42 %…", "日本語 ∑ 🙂 \u00a0", "a\0b\0",
    "\\0 [1, null]", "x" * 100_000,
])
@pytest.mark.parametrize("section", [None, "", "Offensive rebelle", "Été \0 « x »"])
def test_passage_record_round_trips(text: str, section: str | None) -> None:
    article = article_record(META, ["avant", text, "après"])
    assert read_passage(passage_record(3, section, 2), article) == (text, 3, section)
    assert read_texts(article) == ["avant", text, "après"]


@pytest.mark.parametrize("texts", [[], [""], ["", ""], ["Alep", "", "Damas 🙂"]])
def test_article_record_round_trips(texts: list[str]) -> None:
    record = article_record(META, texts)
    got = read_meta(record)
    assert got == META and type(got["actors"]) is tuple
    assert read_texts(record) == texts


def read_passage(record: bytes, article: bytes) -> tuple[str, int, str | None]:
    """``(text, ordinal, section)`` of a passage, as the index reads it back."""
    back, ordinal, section = passage_place(record)
    return read_texts(article)[back - 1], ordinal, section


def test_article_record_wants_the_known_keys() -> None:
    with pytest.raises(ValueError):
        article_record({**META, "extra": 1}, [])


def test_a_record_compresses_french_text() -> None:
    text = ("Le gouvernement a annoncé mercredi de nouvelles mesures pour les hôpitaux, "
            "a indiqué le ministre de la Santé lors d'une conférence de presse à Paris.")
    added = len(article_record(META, [text])) - len(article_record(META, []))
    assert added < 0.8 * len(text.encode())


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


def test_index_files_name_the_codec_as_they_always_have(tmp_path) -> None:
    # The table of contents pickles the codec's classes by module name, and indexes
    # written before indexer.store existed call that module indexer.postings: the name
    # written stays the same (same articles, same bytes), and a fresh process reads it.
    import subprocess
    import sys

    with NewsIndex.create(tmp_path / "ix") as idx:
        idx.add_articles([Article.from_fields(id="x-1", title="Trêve", body="Alep.")])
    toc = next((tmp_path / "ix").glob("_MAIN_*.toc")).read_bytes()
    assert b"cindexer.postings\nCompactPositions\n" in toc  # the schema's, protocol 2
    assert b"cindexer.postings\nCounts\n" in toc
    assert b"\x10indexer.postings\x94\x8c\x05Codec" in toc  # the segments', protocol 4
    assert b"indexer.store" not in toc
    code = ("import pickle, sys; c = pickle.loads(b'cindexer.postings\\nCodec\\n.'); "
            "import indexer.store.postings as p; assert c is p.Codec; "
            f"from indexer import NewsIndex; idx = NewsIndex.open({str(tmp_path / 'ix')!r}); "
            "print([h.article_id for h in idx.search('Alep')])")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["['x-1']"]


@pytest.mark.parametrize("positions", [[0], [3], [0, 1, 2, 900], [5, 70_000, 70_001], [65_535]])
def test_compact_positions_round_trip(positions: list[int]) -> None:
    from indexer.store.postings import CompactPositions

    fmt = CompactPositions()
    value = fmt.encode(positions)
    assert fmt.decode_positions(value) == positions
    assert fmt.decode_frequency(value) == len(positions)
    assert fmt.decode_weight(value) == len(positions)


def test_long_posting_lists_read_back_as_written(tmp_path) -> None:
    # 300 passages hold "Alep" (three blocks of postings), with positions and weights.
    articles = [Article.from_fields(id=f"a-{i:03d}", title=f"Dépêche {i}",
                                    body=" ".join(["Alep bombardée."] * (1 + i % 4)) + " Fin.")
                for i in range(300)]
    with NewsIndex.create(tmp_path / "ix") as idx:
        idx.add_articles(articles)
        reader = idx.searcher().reader()
        postings = reader.postings("stem", "alep")
        seen = []
        while postings.is_active():
            seen.append((postings.weight(), postings.value_as("positions")))
            postings.next()
        assert len(seen) == 300
        assert all(w == len(p) == 1 + i % 4 for i, (w, p) in enumerate(seen))
        assert all(p == [2 * k for k in range(len(p))] for _, p in seen)
        hits = idx.search('"Alep bombardée"', limit=300)
        assert len(hits) == 300


def test_an_updated_article_gives_back_its_new_metadata(tmp_path) -> None:
    first = Article.from_fields(id="x-1", title="Première version", body="Texte ancien à Alep.")
    other = Article.from_fields(id="x-2", title="Autre", body="Autre texte à Alep.")
    second = Article.from_fields(id="x-1", title="Seconde version", body="Texte nouveau à Alep.")
    with NewsIndex.create(tmp_path / "ix") as idx:
        idx.add_articles([first, other])
        assert idx.add(second).updated == 1
        assert idx.article_meta("x-1")["title"] == "Seconde version"
        assert idx.article("x-1")[1] == [(None, "Texte nouveau à Alep.")]
        assert idx.article_meta("x-2")["title"] == "Autre"
        assert idx.article_meta("x-3") is None
        assert {h.article_id: h.title for h in idx.search("Alep")} == {
            "x-1": "Seconde version", "x-2": "Autre"}


def test_passages_find_their_text_after_updates_and_merges(tmp_path) -> None:
    # A passage's record points back to its article's document, which holds its text:
    # updates (deletions) and the merges of small segments must keep that distance.
    def article(i: int, version: str) -> Article:
        body = "\n\n".join(f"{version} paragraphe {k} de l'article {i}, à Alep. " * 30
                           for k in range(1 + i % 3))
        return Article.from_fields(id=f"x-{i}", title=f"Titre {i}", body=body)

    with NewsIndex.create(tmp_path / "ix") as idx:
        for i in range(6):  # one commit each, each taking in the segments before it
            idx.add(article(i, "Premier"))
        idx.add_articles([article(1, "Second"), article(4, "Second")])
        for i in range(6):
            expected = article(i, "Second" if i in (1, 4) else "Premier")
            _, paragraphs = idx.article(f"x-{i}")
            assert " ".join(p for _, p in paragraphs).split() == \
                " ".join(expected.paragraphs).split()
