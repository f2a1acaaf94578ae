"""The library's door: NewsIndex.create/open, incremental indexing, search, facets, export."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import DATA, SEED_ID

from indexer import (
    Article,
    Hit,
    IndexerError,
    IndexNotFoundError,
    IndexVersionError,
    NewsIndex,
    OptionError,
    Results,
    Totals,
)

ALL_IDS = {"brest-tempete", "lyon-metro", "jumeau-a", "jumeau-b", "gaza-treve", "depeche",
           "list#1", "list#2", "vendanges", "page"}


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A private copy of the hand-written fixtures, free to edit."""
    return Path(shutil.copytree(DATA, tmp_path / "articles"))


@pytest.fixture(scope="module")
def idx(data_index):
    with NewsIndex.open(data_index) as index:
        yield index


def ids(results: Results) -> list[str]:
    return [h.article_id for h in results]


# -- create and open ------------------------------------------------------------------

def test_create_then_open(tmp_path, corpus_copy):
    path = tmp_path / "index"
    with NewsIndex.create(path) as idx:
        report = idx.add_paths([corpus_copy])
    assert (report.new, report.updated, report.unchanged, report.skipped) == (10, 0, 0, 0)
    assert report.articles == 10
    assert report.passages == 13
    assert report.errors == []
    with NewsIndex.open(path) as idx:
        assert idx.stats()["articles"] == 10


def test_create_on_an_existing_index_keeps_it(tmp_path, corpus_copy):
    path = tmp_path / "index"
    with NewsIndex.create(path) as idx:
        idx.add_paths([corpus_copy / "one.json"])
    with NewsIndex.create(path) as idx:
        assert idx.stats()["articles"] == 1
    with NewsIndex.create(path, overwrite=True) as idx:
        assert idx.stats()["articles"] == 0


def test_open_a_missing_index(tmp_path):
    with pytest.raises(IndexNotFoundError) as e:
        NewsIndex.open(tmp_path / "absent")
    assert "no such index directory" in str(e.value)
    assert e.value.hint.startswith("run `depeches index PATH --index ")


def test_open_a_directory_that_is_not_an_index(tmp_path):
    (tmp_path / "notes.txt").write_text("pas un index", "utf-8")
    with pytest.raises(IndexNotFoundError, match="not a depeches index"):
        NewsIndex.open(tmp_path)
    with pytest.raises(IndexNotFoundError, match="not empty and not an index"):
        NewsIndex.create(tmp_path)


def test_an_index_from_another_analysis_chain_asks_for_a_reindex(tmp_path):
    path = tmp_path / "index"
    NewsIndex.create(path).close()
    meta_file = path / "depeches.json"
    meta = json.loads(meta_file.read_text("utf-8"))
    meta_file.write_text(json.dumps({**meta, "analysis": "fr-0"}), "utf-8")
    with pytest.raises(IndexVersionError) as e:
        NewsIndex.open(path)
    assert e.value.found == f"format {meta['format']}, analysis fr-0"
    assert "--rebuild" in e.value.hint


# -- incremental indexing -------------------------------------------------------------

def test_a_second_run_finds_everything_unchanged(tmp_path, corpus_copy):
    with NewsIndex.create(tmp_path / "index") as idx:
        idx.add_paths([corpus_copy])
        again = idx.add_paths([corpus_copy])
    assert (again.new, again.updated, again.unchanged, again.skipped) == (0, 0, 10, 0)
    assert again.passages == 0


def test_a_modified_article_is_updated_and_searchable(tmp_path, corpus_copy):
    with NewsIndex.create(tmp_path / "index") as idx:
        idx.add_paths([corpus_copy])
        assert ids(idx.search("vendanges")) == ["vendanges"]
        one = corpus_copy / "one.json"
        record = json.loads(one.read_text("utf-8"))
        record["body"] = "La grêle a détruit une partie du vignoble alsacien."
        one.write_text(json.dumps(record, ensure_ascii=False), "utf-8")
        report = idx.add_paths([corpus_copy])
        assert (report.new, report.updated, report.unchanged) == (0, 1, 9)
        assert ids(idx.search("grêle")) == ["vendanges"]
        assert ids(idx.search("commencé avance")) == []  # the old text is gone
        assert idx.stats()["articles"] == 10


def test_add_one_article(tmp_path):
    article = Article.from_fields(id="brève", title="Brève", body="Le Rhône a débordé à Lyon.")
    with NewsIndex.create(tmp_path / "index") as idx:
        report = idx.add(article)
        assert (report.new, report.passages) == (1, 1)
        assert ids(idx.search("Rhône")) == ["brève"]


def test_bad_files_are_skipped_and_reported(tmp_path, corpus_copy):
    (corpus_copy / "casse.json").write_text('{"body": ', "utf-8")
    with NewsIndex.create(tmp_path / "index") as idx:
        report = idx.add_paths([corpus_copy])
    assert (report.new, report.skipped) == (10, 1)
    [error] = report.errors
    assert error.startswith(str(corpus_copy / "casse.json"))
    assert "malformed JSON" in error


def test_a_duplicate_id_in_one_run_is_skipped(tmp_path, corpus_copy):
    shutil.copy(corpus_copy / "one.json", corpus_copy / "copie.json")
    with NewsIndex.create(tmp_path / "index") as idx:
        report = idx.add_paths([corpus_copy])
    assert (report.new, report.skipped) == (10, 1)
    assert report.errors == ["vendanges: duplicate article id in this run, skipped"]


# -- search ----------------------------------------------------------------------------

def test_hits_carry_every_field(idx):
    [hit] = idx.search("grève")
    assert isinstance(hit, Hit)
    assert hit.rank == 1
    assert hit.article_id == "lyon-metro"
    assert hit.title == "Grève du métro à Lyon"
    assert (hit.date, hit.source, hit.url, hit.lang) == ("2017-05-03", "AFP", None, "fr")
    assert hit.passage == ("La grève du métro lyonnais a perturbé la circulation jeudi.\n"
                           "Les syndicats réclament une hausse des salaires.")
    assert [hit.passage[s:e] for s, e in hit.highlights] == ["grève"]
    assert isinstance(hit.score, float) and hit.score > 0
    assert (hit.ordinal, hit.section) == (0, None)


def test_results_count_articles_and_passages(idx):
    results = idx.search("truffes", limit=1)
    assert len(results) == 1
    assert results.total_articles == 2
    assert results.total_passages == 2
    assert results.query == "truffes"


def test_since_until_and_limit(idx):
    assert ids(idx.search("", since="2019", limit=10)) == ["list#2", "list#1"]
    assert ids(idx.search("", until="2014-12", limit=10)) == ["gaza-treve", "page"]
    assert ids(idx.search("", since="2016-02-10", until="2016-02-10")) == ["brest-tempete"]
    assert len(idx.search("", limit=3)) == 3


def test_filters_by_source_and_language(idx):
    assert set(ids(idx.search("", source="Le Télégramme"))) == {"brest-tempete"}
    assert set(ids(idx.search("", source="le telegramme"))) == {"brest-tempete"}
    assert set(ids(idx.search("", lang="fr", limit=20))) == ALL_IDS
    assert ids(idx.search("", lang="en")) == []


def test_per_article_shows_several_passages_in_reading_order_of_rank(idx):
    hits = idx.search("Gaza trêve", per_article=5)
    assert {h.article_id for h in hits} == {"gaza-treve"}
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))


def test_ranking_is_deterministic(idx):
    first = [(h.article_id, h.ordinal, h.score) for h in idx.search("AFP truffes grève", limit=10)]
    again = [(h.article_id, h.ordinal, h.score) for h in idx.search("AFP truffes grève", limit=10)]
    assert first == again


def test_ties_are_broken_by_id(idx):
    a, b = idx.search("truffes")
    assert (a.article_id, b.article_id) == ("jumeau-a", "jumeau-b")
    assert a.score == b.score


def test_a_word_match_beats_a_title_only_match(idx):
    # "métro" is in the title and the first passage; "lyonnais" only in the passage.
    assert ids(idx.search("métro lyonnais")) == ["lyon-metro"]


def test_without_words_the_newest_come_first(idx):
    dates = [h.date for h in idx.search("", limit=20) if h.date]
    assert dates == sorted(dates, reverse=True)


def test_without_words_the_newest_of_the_whole_index_come_first(corpus_idx):
    # More articles match than a ranked search takes as candidates (50): the newest
    # must come from all of them, not from the first ones in index order.
    newest = sorted(((meta["date"] or "", aid) for aid, meta in corpus_idx.article_docs()),
                    key=lambda r: (r[0], [-ord(c) for c in r[1]]), reverse=True)[:10]
    hits = corpus_idx.search("", limit=10, per_article=1)
    assert [(h.date, h.article_id) for h in hits] == newest


def test_without_words_undated_articles_come_last(corpus_idx):
    assert corpus_idx.search("", limit=1)[0].date is not None


def test_the_passage_shown_holds_the_match(idx):
    [hit] = idx.search("Loire")
    assert [hit.passage[s:e] for s, e in hit.highlights] == ["Loire"]


def test_the_typed_form_scores_at_least_as_high_as_its_plural(tmp_path):
    with NewsIndex.create(tmp_path / "index") as index:
        index.add_articles([
            Article.from_fields(id="pluriel", title="Port", body="Les bombardements du port."),
            Article.from_fields(id="singulier", title="Port", body="Le bombardement du port."),
        ])
        scores = {h.article_id: h.score for h in index.search("bombardement", limit=2)}
    assert scores["singulier"] >= scores["pluriel"]


@pytest.mark.parametrize("options, option", [
    ({"limit": 0}, "limit"),                 # at least one
    ({"per_article": True}, "per_article"),  # a bool is not a count
    ({"since": "hier"}, "since"),            # not a date
    ({"until": "2016-13"}, "until"),         # no 13th month
    ({"colour": "red"}, "colour"),           # unknown option
])
def test_bad_search_options_raise_option_error(idx, options, option):
    with pytest.raises(OptionError) as e:
        idx.search("truffes", **options)
    assert e.value.option == option


# -- the sample corpus ---------------------------------------------------------------

def test_every_corpus_article_is_found_by_its_id(corpus_idx):
    records = list(corpus_idx.export())
    assert len(records) == 101
    for record in records:
        meta, passages = corpus_idx.article(record["article_id"])
        assert meta["title"] == record["title"]
        assert passages


def seed_marks(idx: NewsIndex, query: str) -> list[list[str]]:
    return [[h.passage[s:e] for s, e in h.highlights]
            for h in idx.search(query, limit=100, per_article=5) if h.article_id == SEED_ID]


@pytest.mark.parametrize("query, expected", [
    ("cessez-le-feu", [["cessez-le-feu"], ["cessez-le-feu"]]),  # the compound, as a phrase
    ('"cessez le feu"', [["cessez-le-feu"], ["cessez-le-feu"]]),  # spelled with spaces
    ("feu", [["feu"], ["feu"]]),                                # one of its parts
    ("Jean-Marc", [["Jean-Marc"]]),                             # hyphenated first name
    ('"Jean-Marc Ayrault"', [["Jean-Marc Ayrault"]]),           # first name and surname
    ("Marc", [["Marc"]]),                                       # a part of the first name
])
def test_compounds_are_found_as_phrases_and_by_their_parts(corpus_idx, query, expected):
    assert seed_marks(corpus_idx, query) == expected


def test_the_seed_is_whole(corpus_idx):
    meta, passages = corpus_idx.article(SEED_ID)
    assert meta["lang"] == "fr"
    assert len(passages) == 20
    assert passages[8] == ("Offensive rebelle",
                           "Au lendemain d'une journée plutôt calme, Alep est retombé dans le "
                           "bruit des bombes.")


def test_stats(idx):
    stats = idx.stats()
    assert {k: stats[k] for k in ("articles", "passages", "languages", "date_min", "date_max")} \
        == {"articles": 10, "passages": 13, "languages": {"fr": 10},
            "date_min": "2013-02-03", "date_max": "2019-11-15"}
    assert stats["size_bytes"] > 0


def test_facets_count_articles(idx):
    assert [(f.value, f.count) for f in idx.facets("", "sources")] == [
        ("AFP", 5), ("Le Télégramme", 1)]
    assert [(f.value, f.count) for f in idx.facets("truffes", "sources")] == [("AFP", 2)]
    with pytest.raises(OptionError):
        idx.facets("", "colours")


def test_export_one_record_per_matching_article(idx):
    records = list(idx.export("truffes"))
    assert [r["article_id"] for r in records] == ["jumeau-a", "jumeau-b"]
    assert set(records[0]) == {"article_id", "title", "date", "source", "url", "lang", "actors",
                               "places"}


def test_totals_can_stop_counting_at_a_limit(idx):
    results = idx.search("truffes", limit=1)  # two articles, one shown
    assert results.totals() == Totals(2, 2, exact=True)
    assert results.totals(limit=1) == Totals(1, 1, exact=False)  # lower bounds
    assert results.totals(limit=5) == Totals(2, 2, exact=True)
    assert (results.total_articles, results.total_passages) == (2, 2)


def test_stop_words_alone_match_nothing_but_an_empty_query_lists_all(idx):
    assert len(idx.search("sur les", limit=3)) == 0
    assert len(idx.search("", limit=3)) == 3  # no words at all: newest first
    assert ids(idx.search("les", source="Le Télégramme")) == []  # a filter does not revive it
    assert ids(idx.search("les tempête", source="Le Télégramme")) == ["brest-tempete"]


def test_a_search_without_ranked_words_reads_the_dates_of_its_matches_only(idx, monkeypatch):
    # Newest first walks the index's dates from the newest. Over all of OrangeSum's 8,430
    # dates, walking every one took 62 ms for "dans" (which matches nothing) or for a
    # filter that matches fewer articles than the limit.
    from whoosh.reading import SegmentReader

    read: list[str] = []
    postings = SegmentReader.postings

    def counted(self, fieldname, text, *args, **kwargs):
        read.append(fieldname)
        return postings(self, fieldname, text, *args, **kwargs)

    monkeypatch.setattr(SegmentReader, "postings", counted)
    assert len(idx.search("sur les", limit=3)) == 0
    assert read.count("date") == 0
    read.clear()
    found = ids(idx.search("", source="Le Télégramme", limit=10))
    assert 0 < len(found) < 10
    dates = {meta["date"] for _, meta in idx.article_docs() if meta["date"]}
    assert 0 < read.count("date") < len(dates)


# -- another process commits while this one reads --------------------------------------

def rhone(n: int) -> Article:
    return Article.from_fields(id=f"rhone-{n}", title=f"Crue {n}",
                               body=f"Le Rhône a débordé à Lyon, jour {n}.")


def test_a_commit_between_two_steps_of_a_read_leaves_it_one_snapshot(tmp_path, monkeypatch):
    path = tmp_path / "index"
    with NewsIndex.create(path) as writer:
        writer.add(rhone(0))
    with NewsIndex.open(path) as reader:
        assert ids(reader.search("Rhône")) == ["rhone-0"]
        from indexer.search.embedded.version import EmbeddedVersion

        summarise = EmbeddedVersion.summary

        def commit_then_summarise(version):
            with NewsIndex.open(path) as other:
                other.add(rhone(1))
            return summarise(version)

        # Its articles counted, then its passages: a commit falls between the two.
        monkeypatch.setattr(EmbeddedVersion, "summary", commit_then_summarise)
        stats = reader.stats()
        assert (stats["articles"], stats["passages"]) == (1, 1)  # the version it started on
        monkeypatch.undo()
        assert reader.stats()["articles"] == 2  # the next read sees the commit


def test_counting_a_search_the_index_moved_past_says_so(tmp_path):
    path = tmp_path / "index"
    with NewsIndex.create(path) as writer:
        writer.add_articles(rhone(n) for n in range(60))  # more than one page of candidates
    with NewsIndex.open(path) as reader:
        old = reader.search("Rhône", limit=1)
        with NewsIndex.open(path) as other:
            other.add(rhone(60))
        assert reader.search("Rhône", limit=1).totals().articles == 61
        with pytest.raises(IndexerError, match="changed since this search"):
            old.totals()


def test_a_merge_that_removes_a_read_version_files_leaves_the_read_whole(tmp_path, monkeypatch):
    """A commit that merges segments deletes their files at once (Whoosh's clean-up).
    A version opened before it has its files open, as Lucene's readers do: nothing it
    reads later (a record, a field length) comes back empty."""
    path = tmp_path / "index"
    with NewsIndex.create(path) as writer:
        writer.add_articles(rhone(n) for n in range(3))
    with NewsIndex.open(path) as reader, reader.snapshot() as version:
        with NewsIndex.open(path) as other:
            other.add(rhone(3))
            other.optimize()  # one segment: the one this version reads is gone
        assert sorted(aid for aid, _ in version.article_docs()) == [
            "rhone-0", "rhone-1", "rhone-2"]
        assert reader.search("Rhône").total_articles == 3
    with NewsIndex.open(path) as reader:
        assert reader.search("Rhône").total_articles == 4
