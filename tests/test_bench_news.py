"""The news known-item set of ``bench/relevance.py``: which ledes become queries.

Its held-out half is what issue 21's ranking changes are judged on, so the rules that
choose it are held here: a change to them would move the line between tuned and unseen.
"""

from __future__ import annotations

import sys

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
news = pytest.importorskip("news")


@pytest.fixture(scope="module")
def news_set(shared_data):
    if not (shared_data / "orangesum" / "articles.jsonl.gz").exists():
        pytest.skip("../shared/data/orangesum not found")
    return news.news_set(200)


def test_every_article_is_indexed_without_its_lede(news_set):
    assert len(news_set.docs) == 36_152
    by_id = {doc.id: doc for doc in news_set.docs}
    for query in news_set.queries[:50]:
        assert query.text not in by_id[query.relevant].body


def test_half_the_queries_are_from_the_held_out_year(news_set):
    parts = [query.part for query in news_set.queries]
    assert parts.count(news.HELD_OUT) == parts.count(news.TUNED) == 100
    dates = {doc.id: doc.date for doc in news_set.docs}
    for query in news_set.queries:
        held = dates[query.relevant].startswith(news.HELD_OUT_YEAR)
        assert held == (query.part == news.HELD_OUT)


def test_a_query_is_a_lede_of_eight_words_or_more_that_no_other_article_shares(news_set):
    assert min(query.words for query in news_set.queries) >= news.MIN_WORDS
    texts = [query.text for query in news_set.queries]
    assert len(set(texts)) == len(texts)
    assert len({query.relevant for query in news_set.queries}) == len(texts)


def test_the_sample_does_not_depend_on_how_many_are_asked(news_set):
    larger = news.news_set(400)
    assert {q.qid for q in news_set.queries} < {q.qid for q in larger.queries}


def table_rows(out: str) -> dict[tuple[str, str], list[str]]:
    """The report's table lines: each row's last cells, by its first two."""
    rows = {}
    for line in out.splitlines():
        if "|" in line:
            cells = [c.strip() for c in line.split("|")]
            rows[tuple(cells[:2])] = cells[2:]
    return rows


def test_the_report_names_the_first_query_apart_from_the_slowest_other(capsys):
    relevance = pytest.importorskip("relevance")
    from common import Query

    queries = [Query("a", "une deux", "x", "tuned"), Query("b", "trois quatre cinq", "y", "tuned"),
               Query("c", "six", "z", "tuned")]
    outcome = relevance.Outcome("ours", queries, query_ms=[310.0, 40.0, 172.0],
                                ranks=[1, None, 2])
    relevance.report(relevance.TestSet("news", [], queries, ("tuned",)), [outcome])
    assert "ours: first query 310.0 ms (2 words); slowest of the others 172.0 ms, " \
           "query 3 (1 words)" in capsys.readouterr().out


def test_the_report_says_what_a_warm_up_took_before_the_first_query(capsys):
    relevance = pytest.importorskip("relevance")
    from common import Query

    queries = [Query("a", "une deux", "x", "tuned"), Query("b", "trois", "y", "tuned")]
    outcome = relevance.Outcome("ours", queries, query_ms=[90.0, 40.0], ranks=[1, 1],
                                warm_ms=131.0)
    relevance.report(relevance.TestSet("news", [], queries, ("tuned",)), [outcome])
    assert "ours: warmed up in 131.0 ms, then first query 90.0 ms (2 words)" \
        in capsys.readouterr().out


def test_the_report_gives_each_half_by_length(capsys):
    """Issue 21's targets hold in every length bucket of the held-out half."""
    relevance = pytest.importorskip("relevance")
    from common import Query

    six = "un deux trois quatre cinq six"
    queries = [Query("a", six, "x", "tuned"), Query("b", six, "y", "held"),
               Query("c", six + " " + six * 3, "z", "held"), Query("d", "mot", "w", "tuned")]
    outcome = relevance.Outcome("ours", queries, query_ms=[5.0] * 4, ranks=[1, 2, None, 1])
    relevance.report(relevance.TestSet("news", [], queries, ("tuned", "held")), [outcome])
    out = capsys.readouterr().out
    rows = table_rows(out)
    assert rows[("engine", "part")] == ["1-4 MRR@10 (n)", "5-19 MRR@10 (n)", "20-49 MRR@10 (n)"]
    assert rows[("ours", "tuned")] == ["1.000 (1)", "1.000 (1)", ""]
    assert rows[("ours", "held")] == ["", "0.500 (1)", "0.000 (1)"]


def test_whole_articles_are_pasted_up_to_the_longest_query_searched(news_set):
    texts = {doc.id: doc.text for doc in news_set.docs}
    copies = {}
    for text in texts.values():
        copies[text] = copies.get(text, 0) + 1
    articles = news_set.articles
    assert len(articles) == news.ARTICLE_QUERIES
    assert {q.part for q in articles} == {news.ARTICLE}
    for query in articles:
        whole = texts[query.relevant]
        assert query.text == whole[:news.MAX_CHARS] and copies[whole] == 1
    assert max(len(q.text) for q in articles) == news.MAX_CHARS  # long ones are cut, not left out
    assert [q.qid for q in articles] == [q.qid for q in news.news_set(400).articles]


def test_whole_articles_are_reported_on_a_line_of_their_own(capsys):
    relevance = pytest.importorskip("relevance")
    from common import Query

    queries = [Query("a", "une deux", "x", "tuned"), Query("b", "trois " * 600, "y", "article")]
    outcome = relevance.Outcome("ours", queries, query_ms=[20.0, 140.0], ranks=[1, 2])
    relevance.report(relevance.TestSet("news", [], queries, ("tuned",), ("article",)),
                     [outcome])
    out = capsys.readouterr().out
    assert "1 queries" in out  # the ledes alone
    row = next(line for line in out.splitlines() if "article (≤3,600 chars)" in line)
    assert [cell.strip() for cell in row.split("|")[2:]] == [
        "1", "0.500", "0.000", "1.000", "140.00", "140.00", "140.00"]


class _Recording:
    """A peer that notes the process each search ran in."""

    pids: list[int] = []

    def __init__(self) -> None:
        self.name = "recording"

    def index(self, docs, path) -> None:
        self.ids = [doc.id for doc in docs]

    def search(self, query: str, limit: int) -> list[str]:
        import os

        self.pids.append(os.getpid())
        return [i for i in self.ids if i in query.split()][:limit]

    def close(self) -> None:
        pass


def test_each_engine_runs_in_a_process_of_its_own(tmp_path, monkeypatch):
    """What one engine leaves in the bench's process (Lucene's JVM, an index's arrays)
    is not timed with the next one: each runs in a child, whose outcome comes back."""
    relevance = pytest.importorskip("relevance")
    from common import Doc, Query

    monkeypatch.setitem(relevance.PEERS, "recording", _Recording)
    docs = [Doc("a", "Offensive rebelle", "Les rebelles avancent vers Alep."),
            Doc("b", "Pourparlers", "Les pourparlers de paix reprennent à Genève.")]
    queries = [Query("q1", "b a", "b", "tuned"), Query("q2", "a", "a", "tuned"),
               Query("q3", "c", "a", "tuned")]
    test = relevance.TestSet("tiny", docs, queries, ("tuned",))

    outcome = relevance.run_apart("recording", test, tmp_path)
    assert outcome.ranks == [2, 1, None]  # the peer lists ids in index order
    assert len(outcome.query_ms) == 3
    assert _Recording.pids == []  # searched in the child, never here

    # A child's failure comes back as the same exception, not as a dead child.
    with pytest.raises(KeyError):
        relevance.run_apart("no-such-engine", test, tmp_path)


def test_our_build_is_merged_into_one_segment_as_the_peers_are(tmp_path, monkeypatch):
    # The peers' builds end merged (Lucene's optimize, FTS5's, OpenSearch's force-merge),
    # so ours does too, inside its build time: four segments make a news lede ~15 % slower.
    import indexer.index
    import indexer.store.segment

    common = pytest.importorskip("common")
    monkeypatch.setattr(indexer.index, "BATCH_ARTICLES", 2)  # a commit every two articles
    monkeypatch.setattr(indexer.store.segment, "MERGE_CAP", 0)  # each its own segment
    docs = [common.Doc(f"d{i}", f"Dépêche {i}", f"Le conseil municipal de Lyon a voté le "
                       f"budget numéro {i} mardi soir.") for i in range(5)]
    engine = common.Ours(merge=True)  # as relevance.py builds it
    try:
        engine.index(docs, tmp_path / "ours")
        assert engine.idx.storage()["segments"] == 1
        assert engine.merge_seconds > 0
        assert sorted(engine.search("budget Lyon", 10)) == [f"d{i}" for i in range(5)]
    finally:
        engine.close()


def test_a_gap_to_a_peer_comes_with_its_interval():
    """Ours minus a peer, query by query: diffs 0.5, 0, -1 and 1 have a mean of 0.125 and a
    sample standard deviation of 0.854, so the 95 % half-width is 1.96 * 0.854 / 2."""
    relevance = pytest.importorskip("relevance")

    ours = relevance.Scores([1, 2, None, 1], [1.0] * 4)
    peer = relevance.Scores([2, 2, 1, None], [1.0] * 4)
    gap, half = relevance.paired_gap(ours, peer)
    assert gap == pytest.approx(0.125)
    assert half == pytest.approx(1.96 * (2.1875 / 3) ** 0.5 / 2)
    assert relevance.paired_gap(relevance.Scores([1], [1.0]), relevance.Scores([2], [1.0])) \
        == (0.5, None)


def test_the_report_gives_ours_against_each_peer_by_half_and_length(capsys):
    relevance = pytest.importorskip("relevance")
    from common import Query

    six = "un deux trois quatre cinq six"
    queries = [Query("a", six, "x", "tuned"), Query("b", six, "y", "tuned"),
               Query("c", six * 4, "z", "held")]
    ours = relevance.Outcome("ours", queries, query_ms=[5.0] * 3, ranks=[1, 1, None])
    peer = relevance.Outcome("lucene", queries, query_ms=[1.0] * 3, ranks=[2, None, 1])
    relevance.report(relevance.TestSet("news", [], queries, ("tuned", "held")), [ours, peer])
    out = capsys.readouterr().out
    rows = table_rows(out)
    assert rows[("ours against", "part")] == ["5-19 words", "20-49 words", "all"]
    # Tuned: diffs 0.5 and 1 (mean 0.75, sd 0.354); held: one query, no interval.
    assert rows[("lucene", "tuned")] == ["+0.750 ± 0.490", "", "+0.750 ± 0.490"]
    assert rows[("lucene", "held")] == ["", "-1.000", "-1.000"]
