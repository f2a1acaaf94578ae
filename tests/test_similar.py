"""Related coverage: ``depeches similar ID`` and ``idx.similar(ID)``, the articles that
share most with one article (its telling words, actors and places), itself excluded."""

from __future__ import annotations

import json

from indexer import IndexerError
from indexer.search.parse import Text
from indexer.search.similar import SIMILAR_WORDS, as_pasted

ALEP = "afp-alep-offensive-rebelle"
SYRIA = {"wikinews-2012/45644", "wikinews-2012/44510"}  # "Syrie : …", the two on Syria


def test_similar_puts_the_articles_on_syria_first_and_never_the_article_itself(
        cli_run, corpus_index):
    result = cli_run("similar", ALEP, "--index", str(corpus_index), "--json")
    assert result.exit_code == 0, result.stderr
    *hits, summary = map(json.loads, result.stdout.splitlines())
    ids = [h["article_id"] for h in hits]
    assert set(ids[:3]) >= SYRIA
    assert ALEP not in ids
    assert summary["type"] == "summary"


def test_the_article_itself_is_left_out_however_many_are_asked_for(corpus_idx):
    results = corpus_idx.similar(ALEP, limit=500, per_article=3)
    assert ALEP not in {h.article_id for h in results}
    assert len({h.article_id for h in results}) > 3
    assert [h.rank for h in results] == list(range(1, len(results) + 1))


def test_hits_follow_the_search_contract_with_the_shared_words_highlighted(corpus_idx):
    results = corpus_idx.similar(ALEP, limit=3)
    searched = {w.lower() for w in results.query.split()}
    assert 0 < len(searched) <= SIMILAR_WORDS + 10  # names are whole; words one by one
    scores = [h.score for h in results]
    assert scores == sorted(scores, reverse=True)
    for hit in results:
        assert hit.highlights, hit.article_id
        shown = {hit.passage[s:e].lower() for s, e in hit.highlights}
        assert shown & searched or any(m.how in ("stem", "folding") for m in hit.matches)


def test_filters_apply_to_similar_articles(cli_run, corpus_index):
    result = cli_run("similar", ALEP, "--index", str(corpus_index), "--until", "2012-10",
                     "--json")
    assert result.exit_code == 0, result.stderr
    hits = [json.loads(line) for line in result.stdout.splitlines()[:-1]]
    assert hits and all(h["date"] <= "2012-10-31" for h in hits)
    assert "wikinews-2012/45644" not in {h["article_id"] for h in hits}  # November


def test_an_unknown_id_is_one_line_and_exit_2(cli_run, corpus_index):
    result = cli_run("similar", "no-such-article", "--index", str(corpus_index))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "no-such-article" in result.stderr


def test_an_unknown_id_raises_in_the_api(corpus_idx):
    try:
        corpus_idx.similar("no-such-article")
    except IndexerError as e:
        assert "no-such-article" in str(e)
    else:
        raise AssertionError("no error for an unknown id")


def test_an_article_is_read_as_words_never_as_operators():
    tree = as_pasted(["- Offensive rebelle - Alep OR Damas -Kerry title:Syrie (x"],
                     ("Bachar al-Assad",))
    assert all(occur == "should" and isinstance(node, Text) for occur, node in tree.clauses)
    raws = [node.raw for _, node in tree.clauses]
    assert raws == ["Offensive", "rebelle", "Alep", "OR", "Damas", "Kerry", "title:Syrie", "x",
                    "Bachar al-Assad"]
    assert tree.clauses[-1][1].words == ("Bachar", "al", "Assad")
