"""The ``depeches`` command through CliRunner: exit codes and exact output, happy and not."""

from __future__ import annotations

import json
import os
import re
import shutil

import pytest
from conftest import DATA, SEED_ID
from hypothesis import given, settings
from hypothesis import strategies as st

HIT_KEYS = {"type", "rank", "article_id", "title", "date", "source", "url", "lang", "score",
            "passage", "highlights", "actors", "places"}
SUMMARY_KEYS = {"type", "query", "total_articles", "total_passages", "total_relation",
                "elapsed_ms"}
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def json_lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


def seed_marks(stdout: str) -> list[tuple[str, str]]:
    """``(highlighted text, passage)`` of every highlight in the seed's hits."""
    return [(hit["passage"][s:e], hit["passage"])
            for hit in json_lines(stdout)
            if hit["type"] == "hit" and hit["article_id"] == SEED_ID
            for s, e in hit["highlights"]]


def search_seed(cli_run, corpus_index, query: str):
    result = cli_run("search", query, "--index", str(corpus_index), "--json", "--limit", "100",
                     "--per-article", "5")
    assert result.exit_code == 0, result.stderr
    return seed_marks(result.stdout)


# -- acceptance: the seed is found, with the match highlighted -------------------------

def test_bombardement_highlights_bombardements(cli_run, corpus_index):
    marks = search_seed(cli_run, corpus_index, "bombardement")
    assert "bombardements" in [m for m, _ in marks]
    assert "bombardement" in [m for m, _ in marks]  # "Le bombardement a été confirmé"


def test_etats_unis_highlights_the_accented_form(cli_run, corpus_index):
    marks = [m for m, _ in search_seed(cli_run, corpus_index, "Etats-Unis")]
    assert "États-Unis" in marks
    assert "Etats-Unis" in marks


def test_onu_highlights_onu_inside_l_onu(cli_run, corpus_index):
    marks = search_seed(cli_run, corpus_index, "ONU")
    assert marks
    for mark, passage in marks:
        assert mark == "ONU"
        assert "l'ONU" in passage


def test_hopitaux_finds_hopitaux(cli_run, corpus_index):
    marks = [m for m, _ in search_seed(cli_run, corpus_index, "hôpitaux")]
    assert "hôpitaux" in marks


def test_a_quoted_compound_highlights_the_whole_phrase(cli_run, corpus_index):
    marks = search_seed(cli_run, corpus_index, '"cessez-le-feu"')
    assert [m for m, _ in marks] == ["cessez-le-feu", "cessez-le-feu"]


def test_the_seed_comes_first_for_its_own_words(cli_run, corpus_index):
    result = cli_run("search", "Alep offensive rebelle", "--index", str(corpus_index), "--json")
    assert json_lines(result.stdout)[0]["article_id"] == SEED_ID


# -- the JSON contract -------------------------------------------------------------

def test_json_lines_have_exactly_the_documented_keys(cli_run, corpus_index):
    result = cli_run("search", "Syrie", "--index", str(corpus_index), "--json", "-n", "3",
                     "--per-article", "2")
    assert result.exit_code == 0
    *hits, summary = json_lines(result.stdout)
    assert hits
    for hit in hits:
        assert set(hit) == HIT_KEYS
        assert hit["type"] == "hit"
        assert all(0 <= s < e <= len(hit["passage"]) for s, e in hit["highlights"])
    assert [h["rank"] for h in hits] == list(range(1, len(hits) + 1))
    assert set(summary) == SUMMARY_KEYS
    assert summary["type"] == "summary"
    assert summary["query"] == "Syrie"
    assert summary["total_articles"] >= len({h["article_id"] for h in hits})
    assert result.stderr == ""


def test_no_match_exits_1_with_only_a_summary(cli_run, corpus_index):
    result = cli_run("search", "zzyzx", "--index", str(corpus_index), "--json")
    assert result.exit_code == 1
    [summary] = json_lines(result.stdout)
    assert (summary["type"], summary["total_articles"], summary["total_passages"]) == \
        ("summary", 0, 0)
    assert result.stderr == ""


def test_no_match_in_text_says_so(cli_run, corpus_index):
    result = cli_run("search", "zzyzx", "--index", str(corpus_index), "--color", "never")
    assert result.exit_code == 1
    assert re.fullmatch(r"0 of 0 articles shown \(0 passages matched\) in \d+ ms\n",
                        result.stdout)


def test_a_query_of_stop_words_only_matches_nothing(cli_run, corpus_index):
    # As Elasticsearch's french analyzer: no words left, no hits (not the whole archive).
    result = cli_run("search", "sur les", "--index", str(corpus_index), "--color", "never",
                     "--explain")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == "analysed query: (no words)"
    assert "0 of 0 articles shown" in result.stdout


# -- errors: exit 2, one line on stderr, never a traceback ------------------------------

def test_a_missing_index_exits_2_with_one_line(cli_run):
    result = cli_run("search", "Alep", "--index", "/nonexistent")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == ("depeches: error: /nonexistent: no such index directory "
                             "(run `depeches index PATH --index /nonexistent` first)\n")
    assert "Traceback" not in result.stderr


def test_the_index_comes_from_the_environment(cli_run, data_index):
    result = cli_run("search", "truffes", "--json", env={"DEPECHES_INDEX": str(data_index)})
    assert result.exit_code == 0
    assert json_lines(result.stdout)[0]["article_id"] == "jumeau-a"


@pytest.mark.parametrize("since", [
    "hier",          # not a date
    "2016-13-01",    # no 13th month
    "2016-01-32",    # no 32nd day
    "16-01-01",      # two-digit year
])
def test_a_bad_since_date_exits_2(cli_run, data_index, since):
    result = cli_run("search", "truffes", "--index", str(data_index), "--since", since)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"Invalid value for '--since': '{since}' is not a date" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_day_the_month_does_not_have_exits_2(cli_run, data_index):
    result = cli_run("search", "truffes", "--index", str(data_index), "--since", "2016-02-30")
    assert result.exit_code == 2


def test_an_unknown_option_exits_2(cli_run, data_index):
    result = cli_run("search", "truffes", "--index", str(data_index), "--colour", "red")
    assert result.exit_code == 2
    assert "No such option: --colour" in result.stderr or \
        "No such option '--colour'" in result.stderr
    assert result.stdout == ""


def test_a_bad_date_in_the_query_exits_2_with_a_hint(cli_run, data_index):
    result = cli_run("search", "date:2016-13", "--index", str(data_index))
    assert result.exit_code == 2
    assert result.stderr == ("depeches: error: query 'date:2016-13' at position 5: not a date: "
                             "'2016-13' (try quoting the query)\n")


def test_an_unknown_article_exits_2(cli_run, data_index):
    result = cli_run("show", "absent", "--index", str(data_index))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("depeches: error: no article with id 'absent'")


@settings(max_examples=40)
@given(st.text(max_size=30))
def test_any_query_exits_0_1_or_2(cli_run, data_index, query):
    result = cli_run("search", query, "--index", str(data_index), "--json")
    assert result.exit_code in (0, 1, 2), result.exception
    assert "Traceback" not in result.stderr
    if result.exit_code == 2:
        assert result.stderr.count("\n") == 1


# -- colour -----------------------------------------------------------------------------

def test_no_color_with_color_auto_writes_no_escapes(cli_run, data_index):
    result = cli_run("search", "truffes", "--index", str(data_index), "--color", "auto",
                     env={"NO_COLOR": "1"})
    assert result.exit_code == 0
    assert "\x1b[" not in result.stdout
    assert "**truffes**" in result.stdout


def test_color_always_writes_escapes(cli_run, data_index):
    result = cli_run("search", "truffes", "--index", str(data_index), "--color", "always",
                     env={"NO_COLOR": "1"})
    assert result.exit_code == 0
    assert "\x1b[1;31mtruffes\x1b[0m" in result.stdout
    assert "**" not in result.stdout


@pytest.mark.parametrize("env", [{}, {"TERM": "dumb"}])
def test_color_auto_off_a_terminal_writes_no_escapes(cli_run, data_index, env):
    result = cli_run("search", "truffes", "--index", str(data_index), env=env)
    assert "\x1b[" not in result.stdout


# -- golden text output -----------------------------------------------------------

def test_search_text_output(cli_run, data_index):
    result = cli_run("search", "grève", "--index", str(data_index), "--color", "never")
    assert result.exit_code == 0
    # Scores and timings move with tuning and machines: masked; the layout is frozen.
    text = re.sub(r"score \d+\.\d\d", "score S", result.stdout)
    lines = text.splitlines()
    assert lines[:5] == [
        "Grève du métro à Lyon",
        "2017-05-03 · AFP · lyon-metro · score S",
        "  La **grève** du métro lyonnais a perturbé la circulation jeudi.",
        "  Les syndicats réclament une hausse des salaires.",  # a joined paragraph, indented
        "",
    ]
    assert re.fullmatch(r"1 of 1 articles shown \(1 passages matched\) in \d+ ms( · .*)?",
                        lines[5])
    assert len(lines) == 6


def test_search_text_shows_the_section_heading(cli_run, corpus_index):
    result = cli_run("search", "maternité", "--index", str(corpus_index), "--color", "never")
    assert "  — Offensive rebelle —\n" in result.stdout


def test_explain_shows_how_each_word_matched(cli_run, data_index):
    result = cli_run("search", "trêve", "--index", str(data_index), "--color", "never",
                     "--explain")
    assert result.stdout.startswith("analysed query: trev|treve\n")
    assert "    trêve → trêve (exact)\n" in result.stdout


def test_analyze_golden_output(cli_run):
    result = cli_run("analyze", "L'ONU et les États-Unis")
    assert result.exit_code == 0
    assert result.stdout == (
        "  0    2-5    ONU                  onu              onu (name)\n"
        "  1   13-18   États                etats            etats (name)\n"
        "  2   19-23   Unis                 unis             unis (name)\n"
    )


def test_analyze_json(cli_run):
    result = cli_run("analyze", "les bombardements d'Alep", "--json")
    assert json_lines(result.stdout) == [
        {"position": 0, "start": 4, "end": 17, "word": "bombardements", "stem": "bombard",
         "exact": "bombardements", "proper": False},
        {"position": 1, "start": 20, "end": 24, "word": "Alep", "stem": "alep",
         "exact": "alep", "proper": True},
    ]


# -- the other commands --------------------------------------------------------------

def test_show_text(cli_run, data_index):
    result = cli_run("show", "page", "--index", str(data_index))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:4] == ["Crue de la Loire à Orléans", "date: 2013-02-03", "lang: fr", "id: page"]
    body = result.stdout.split("\n\n", 1)[1]
    assert body == ("Les quais ont été fermés par précaution.\n\n"
                    "3 février 2013. - La Loire a atteint 4,20 mètres à Orléans dimanche matin.\n"
                    "\n— Pas de blessés —\n\n"
                    "Aucun blessé n’a été signalé, selon la préfecture.\n")


def test_show_colours_title_metadata_and_intertitles_as_search_does(cli_run, data_index):
    coloured = cli_run("show", "page", "--index", str(data_index), "--color", "always").stdout
    plain = cli_run("show", "page", "--index", str(data_index), "--color", "never").stdout
    assert coloured.splitlines()[:2] == ["\x1b[1;32mCrue de la Loire à Orléans\x1b[0m",
                                         "\x1b[2mdate: 2013-02-03\x1b[0m"]
    assert "\x1b[1m— Pas de blessés —\x1b[0m" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain
    assert "\x1b" not in plain


def test_show_json(cli_run, corpus_index):
    result = cli_run("show", SEED_ID, "--index", str(corpus_index), "--json")
    assert result.exit_code == 0
    [article] = json_lines(result.stdout)
    assert set(article) == {"article_id", "title", "date", "source", "url", "lang", "actors",
                            "places", "passages"}
    assert article["article_id"] == SEED_ID
    assert len(article["passages"]) == 20
    assert article["passages"][8]["section"] == "Offensive rebelle"


def test_stats_text(cli_run, data_index):
    result = cli_run("stats", "--index", str(data_index))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"index: {data_index}"
    assert lines[1:4] == ["articles: 10   passages: 13", "languages: fr 10",
                          "dates: 2013-02-03 … 2019-11-15"]
    assert re.fullmatch(r"size: \d+\.\d MB", lines[4])


def test_stats_json(cli_run, corpus_index):
    result = cli_run("stats", "--index", str(corpus_index), "--json")
    stats = json.loads(result.stdout)
    assert (stats["articles"], stats["languages"]) == (101, {"fr": 101})
    assert (stats["date_min"], stats["date_max"]) == ("2012-05-22", "2012-11-12")


def test_facets(cli_run, data_index):
    result = cli_run("facets", "--field", "sources", "--index", str(data_index), "--json")
    assert result.exit_code == 0
    assert json_lines(result.stdout) == [
        {"type": "facet", "field": "sources", "value": "AFP", "count": 5},
        {"type": "facet", "field": "sources", "value": "Le Télégramme", "count": 1},
    ]
    text = cli_run("facets", "--field", "sources", "--index", str(data_index), "--color", "never")
    assert text.stdout.splitlines()[0].split() == ["AFP", "5", "█" * 30]


def test_facets_with_nothing_to_count_exits_1(cli_run, data_index):
    result = cli_run("facets", "zzyzx", "--field", "sources", "--index", str(data_index))
    assert result.exit_code == 1
    assert result.stdout == "no sources\n"


def test_export(cli_run, data_index):
    result = cli_run("export", "truffes", "--index", str(data_index))
    assert result.exit_code == 0
    assert [r["article_id"] for r in json_lines(result.stdout)] == ["jumeau-a", "jumeau-b"]
    assert cli_run("export", "zzyzx", "--index", str(data_index)).exit_code == 1


def test_index_then_reindex(cli_run, tmp_path):
    articles = shutil.copytree(DATA, tmp_path / "articles")
    index = str(tmp_path / "index")
    first = cli_run("index", str(articles), "--index", index)
    assert first.exit_code == 0, first.stderr
    assert re.fullmatch(r"10 articles: 10 new, 0 updated, 0 unchanged, 0 skipped · 13 passages"
                        r" · \d+\.\d s · \d+ articles/s · \d+ process(es)?\n", first.stdout)
    (articles / "one.json").write_text(
        '{"id": "vendanges", "body": "La grêle a frappé le vignoble."}', "utf-8")
    again = cli_run("index", str(articles), "--index", index)
    assert again.exit_code == 0
    assert again.stdout.startswith("10 articles: 0 new, 1 updated, 9 unchanged, 0 skipped · ")
    assert again.stderr == ""


def test_index_reports_skipped_files_and_exits_2(cli_run, tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "casse.json").write_text('{"body": ', "utf-8")
    shutil.copy(DATA / "one.json", articles)
    result = cli_run("index", str(articles), "--index", str(tmp_path / "index"))
    assert result.exit_code == 2
    assert result.stderr == (f"depeches: skipped {articles / 'casse.json'}:1: malformed JSON: "
                             "Expecting value\n")
    assert " 1 new, " in result.stdout


def test_indexing_a_folder_that_holds_the_index_skips_the_index(cli_run, tmp_path):
    shutil.copy(DATA / "one.json", tmp_path)
    cli_run("index", str(tmp_path), "--index", str(tmp_path / "index"))
    again = cli_run("index", str(tmp_path), "--index", str(tmp_path / "index"))
    assert (again.exit_code, again.stderr) == (0, "")


@pytest.mark.parametrize("command", [
    "index", "search", "facets", "export", "show", "stats", "check", "optimize", "analyze"])
def test_every_command_has_help(cli_run, command):
    result = cli_run(command, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: depeches {command} ")


def test_version(cli_run):
    result = cli_run("--version")
    assert result.exit_code == 0
    assert re.fullmatch(r"depeches, version \d+\.\d+\.\d+\n", ANSI.sub("", result.stdout))


def test_the_summary_stops_counting_at_the_count_limit(cli_run, data_index, monkeypatch):
    import search_cli.render

    monkeypatch.setattr(search_cli.render, "COUNT_LIMIT", 1)
    text = cli_run("search", "truffes", "--index", str(data_index), "--limit", "1",
                   "--color", "never")
    assert re.fullmatch(r"1 of 1\+ articles shown \(1\+ passages matched\) in \d+ ms( · .*)?",
                        text.stdout.splitlines()[-1])
    summary = json_lines(cli_run("search", "truffes", "--index", str(data_index), "--limit", "1",
                                 "--json").stdout)[-1]
    assert (summary["total_articles"], summary["total_passages"], summary["total_relation"]) \
        == (1, 1, "gte")


def test_index_uses_every_usable_core_unless_told(cli_run, tmp_path, monkeypatch):
    """A new user gets the parallel path without knowing to type --jobs; --jobs 1 stays."""
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    articles = shutil.copytree(DATA, tmp_path / "articles")
    default = cli_run("index", str(articles), "--index", str(tmp_path / "a"))
    assert default.exit_code == 0, default.stderr
    assert default.stdout.endswith(" · 3 processes\n")
    one = cli_run("index", str(articles), "--index", str(tmp_path / "b"), "--jobs", "1")
    assert one.exit_code == 0, one.stderr
    assert one.stdout.endswith(" · 1 process\n")
    assert "10 new" in one.stdout and "10 new" in default.stdout
