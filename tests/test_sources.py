"""Reading articles: every input format, on real text where ../shared has it, and stable ids."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from conftest import CORPUS, DATA, SEED, SEED_ID

from indexer.errors import CorpusError, CorpusNote
from indexer.model import Article
from indexer.pipeline.sources import (
    date_in_text,
    derive_title,
    normalize_date,
    read_articles,
    read_file,
)


def articles(*paths: Path | str) -> list[Article]:
    items = list(read_articles(paths))
    errors = [str(i) for i in items if isinstance(i, CorpusError)]
    assert errors == []
    return items  # type: ignore[return-value]


def problems(*paths: Path | str) -> list[CorpusError]:
    return [i for i in read_articles(paths) if isinstance(i, CorpusError)]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if path.name.endswith(".gz"):
        with gzip.open(path, "wt", encoding="utf-8") as f:
            f.write(lines)
    else:
        path.write_text(lines, encoding="utf-8")
    return path


# -- every format on real text ---------------------------------------------------------

def test_txt_seed_one_paragraph_per_line_title_from_first_sentence():
    [seed] = articles(SEED)
    assert seed.id == SEED_ID
    assert seed.title == ("Les rebelles ont lancé une offensive majeure accompagnée de violents "
                          "bombardements contre le secteur gouvernemental…")
    assert seed.blocks[0].text.startswith("Les rebelles ont lancé une offensive majeure")
    assert seed.date is None  # the seed has no dateline


def test_txt_of_real_paragraphs(tmp_path, wikinews_fr):
    record = wikinews_fr["wikinews-2016_03_23-001"]
    body = "\n".join(p for p in record["body"].split("\n\n") if p.strip())
    (tmp_path / "bruxelles.txt").write_text(body, encoding="utf-8")
    [article] = articles(tmp_path)
    assert article.id == "bruxelles"
    first = article.blocks[0].text
    assert first.startswith(article.title.rstrip("…"))
    assert len(article.title) <= 121


def test_html_real_page(tmp_path, shared_data):
    folder = tmp_path / "wikinews-2012-html"
    folder.mkdir()
    shutil.copy(shared_data / "wikinews-2012-html" / "43971.html", folder)
    [page] = articles(tmp_path)
    assert page.id == "wikinews-2012-html/43971"
    assert page.title == "États-Unis : Lancement réussi pour Space X Dragon"
    assert page.lede.startswith("La fusée Falcon 9, développée par une société privée")
    assert page.date == "2012-05-22"  # from the dateline "22 mai 2012. - …"
    assert page.blocks[0].text.startswith("22 mai 2012. - Prévu initialement pour samedi")


def test_json_single_real_record(tmp_path, wikinews_fr):
    record = wikinews_fr["wikinews-2016_01_01-002"]
    (tmp_path / "ebola.json").write_text(json.dumps(record, ensure_ascii=False), "utf-8")
    [article] = articles(tmp_path)
    assert article.id == "wikinews-2016_01_01-002"  # the record's id wins over the file name
    assert article.title == record["title"]
    assert (article.date, article.source, article.lang) == ("2016-01-01", "Wikinews", "fr")
    assert article.url == record["url"]


def test_json_list_of_real_records(tmp_path, wikinews_fr):
    records = [wikinews_fr["wikinews-2016_01_01-001"], wikinews_fr["wikinews-2016_01_01-002"]]
    (tmp_path / "deux.json").write_text(json.dumps(records, ensure_ascii=False), "utf-8")
    assert [a.id for a in articles(tmp_path)] == [r["id"] for r in records]


def test_jsonl_real_records(tmp_path, wikinews_fr):
    records = list(wikinews_fr.values())[:5]
    write_jsonl(tmp_path / "wikinews.jsonl", records)
    got = articles(tmp_path)
    assert [a.id for a in got] == [r["id"] for r in records]
    assert [a.date for a in got] == [r["date"] for r in records]
    assert all(a.paragraphs for a in got)


def test_jsonl_gz_real_records_streamed(tmp_path, orangesum_head):
    path = tmp_path / "orangesum.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.writelines(orangesum_head)
    got = articles(path)
    assert len(got) == 20
    assert got[0].id == "orangesum-2"
    assert {a.source for a in got} == {"AFP", "Orange avec Media Services"}
    assert all(a.date and len(a.date) == 10 for a in got)


# -- the hand-written fixtures, one per format ----------------------------------

def test_every_fixture_format_is_read():
    got = articles(DATA)
    assert [a.id for a in got] == [
        "brest-tempete", "lyon-metro", "jumeau-b", "jumeau-a", "gaza-treve",  # articles.jsonl
        "depeche",            # depeche.txt: id from the file name
        "list#1", "list#2",   # list.json: records without ids are numbered
        "vendanges",          # one.json: the record's own id
        "page",               # page.html
    ]


def test_html_fixture_keeps_lede_headings_and_dateline():
    [page] = articles(DATA / "page.html")
    assert page.title == "Crue de la Loire à Orléans"  # <h1> wins over <title>
    assert page.lede == "Les quais ont été fermés par précaution."
    assert [(b.kind, b.text) for b in page.blocks] == [
        ("paragraph", "3 février 2013. - La Loire a atteint 4,20 mètres à Orléans "
                      "dimanche matin."),
        ("heading", "Pas de blessés"),
        ("paragraph", "Aucun blessé n’a été signalé, selon la préfecture."),
    ]
    assert page.date == "2013-02-03"


def test_jsonl_records_without_id_are_numbered_by_line(tmp_path):
    write_jsonl(tmp_path / "flux.jsonl", [{"body": "Un."}, {"body": "Deux."}])
    assert [a.id for a in articles(tmp_path)] == ["flux#1", "flux#2"]


def test_json_record_without_title_takes_its_first_sentence(tmp_path):
    (tmp_path / "sans-titre.json").write_text(json.dumps(
        {"body": "Le Rhône a débordé à Lyon. Les quais sont fermés."}), "utf-8")
    [article] = articles(tmp_path)
    assert (article.id, article.title) == ("sans-titre", "Le Rhône a débordé à Lyon.")


# -- stable ids ----------------------------------------------------------------------

def test_ids_come_from_the_path_relative_to_the_root(tmp_path):
    nested = tmp_path / "root" / "2012" / "mai"
    nested.mkdir(parents=True)
    shutil.copy(DATA / "page.html", nested / "crue.html")
    shutil.copy(DATA / "depeche.txt", nested / "conseil.TXT")
    assert [a.id for a in articles(tmp_path / "root")] == ["2012/mai/conseil", "2012/mai/crue"]


def test_ids_do_not_depend_on_the_working_directory(tmp_path, monkeypatch):
    first = [a.id for a in articles(CORPUS)]
    monkeypatch.chdir(tmp_path)
    assert [a.id for a in articles(CORPUS)] == first
    assert SEED_ID in first
    assert "wikinews-2012/43971" in first


def test_a_file_given_directly_is_named_after_itself():
    assert [a.id for a in articles(CORPUS / "wikinews-2012" / "43971.html")] == ["43971"]


def test_reading_twice_gives_the_same_articles():
    assert articles(DATA) == articles(DATA)


def test_hidden_and_unknown_files_are_ignored(tmp_path):
    (tmp_path / ".cache.txt").write_text("caché", "utf-8")
    (tmp_path / "notes.md").write_text("# notes", "utf-8")
    shutil.copy(DATA / "one.json", tmp_path)
    assert [a.id for a in articles(tmp_path)] == ["vendanges"]


# -- problems are values, and the batch goes on ------------------------------------

def test_a_malformed_jsonl_line_is_reported_with_its_number(tmp_path):
    path = tmp_path / "flux.jsonl"
    path.write_text('{"body": "Un."}\n{"body": \n{"body": "Trois."}\n', "utf-8")
    items = list(read_file(path, tmp_path))
    assert [i.id for i in items if isinstance(i, Article)] == ["flux#1", "flux#3"]
    [error] = [i for i in items if isinstance(i, CorpusError)]
    assert (error.line, error.reason) == (2, "malformed JSON")
    assert str(error) == f"{path}:2: malformed JSON"


@pytest.mark.parametrize("name, content, reason", [
    ("vide.txt", b"", "empty file"),                                     # empty
    ("image.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary content"),  # binary
    ("sans-corps.json", b'{"title": "T"}', "missing 'body'"),            # no body
    ("corps.json", b'{"body": 3}', "'body' is not a string"),            # wrong type
    ("liste.json", b"[1]", "expected a JSON object"),                    # not an object
    ("casse.json", b'{"body": "x"', "malformed JSON: Expecting ',' delimiter"),  # truncated
])
def test_bad_files_are_reported_not_raised(tmp_path, name, content, reason):
    (tmp_path / name).write_bytes(content)
    [error] = problems(tmp_path)
    assert error.reason == reason


def test_truncated_gzip_is_reported(tmp_path):
    path = write_jsonl(tmp_path / "flux.jsonl.gz", [{"body": "Un texte. " * 200}] * 20)
    path.write_bytes(path.read_bytes()[:-40])
    assert [e.reason for e in problems(path)] == ["truncated gzip"]


def test_a_missing_path_is_reported(tmp_path):
    [error] = problems(tmp_path / "absent")
    assert error.reason == "no such file or directory"


def test_cp1252_text_is_read_with_a_note(tmp_path):
    (tmp_path / "ancien.txt").write_bytes("Le député a été élu à Besançon.".encode("cp1252"))
    items = list(read_articles([tmp_path]))
    assert items[0].title == "Le député a été élu à Besançon."
    assert isinstance(items[1], CorpusNote)
    assert items[1].reason == "decoded as cp1252"


# -- dates and titles ----------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("22 mai 2012. - Prévu initialement pour samedi", "2012-05-22"),  # Wikinews 2012 dateline
    ("1er janvier 2016, 14h30. –", "2016-01-01"),         # "1er", a time after the date
    ("lundi 3 septembre 2012 - Le", "2012-09-03"),        # weekday first
    ("22 MAI 2012", "2012-05-22"),                        # capitals
    ("5 août 2014. – Une trêve", "2014-08-05"),           # accented month
    ("32 mai 2012", None),                                # no such day
    ("en mai 2012", None),                                # no day
    ("Le 22 mai 2012, il a plu", None),                   # not at the start
])
def test_date_in_text(text, expected):
    assert date_in_text(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("2016-01-01T10:00:00Z", "2016-01-01"),  # ISO timestamp
    ("2016-01-01", "2016-01-01"),            # ISO date
    ("22 mai 2012", "2012-05-22"),           # French date
    (20160101, None),                        # not a string
    ("", None),                              # empty
    ("hier", None),                          # not a date
])
def test_normalize_date(text, expected):
    assert normalize_date(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("M. Lavrov est arrivé. Il parle.", "M. Lavrov est arrivé."),  # "M." is not an end
    ("Les États-Unis (USA). Le Brésil.", "Les États-Unis (USA)."),  # after a parenthesis
    ("Court", "Court"),                                            # no stop at all
    ("A" * 130, "A" * 120 + "…"),                                   # too long: cut, ellipsis
    ("Un mot " * 30, ("Un mot " * 17).strip() + "…"),              # cut at a word boundary
])
def test_derive_title(text, expected):
    assert derive_title(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Il pleut ! Les routes sont fermées.", "Il pleut !"),        # space before "!"
    ("Qui gagnera ? Personne ne le sait.", "Qui gagnera ?"),      # space before "?"
    ("Selon l'ONU. Les combats continuent.", "Selon l'ONU."),     # acronym before the stop
    ("Le Dr. Martin est arrivé. Il parle.", "Le Dr. Martin est arrivé."),  # abbreviation
])
def test_derive_title_with_french_punctuation(text, expected):
    assert derive_title(text) == expected
