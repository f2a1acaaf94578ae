"""Daily use: an archive that grows by small runs answers as if it had been built at once.

Each ``depeches index`` run commits a segment, which takes in the smaller ones of its
tier (:func:`indexer.store.segment.merge_tiers`); ``depeches optimize`` merges them all and
drops replaced articles.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from conftest import CORPUS

import indexer.store.segment
from indexer import Article, NewsIndex
from indexer.pipeline.sources import read_articles

QUERIES = ["Alep", "cessez-le-feu", "président", "Lavrov Kerry", "élection", "Québec",
           "football", "prix", "guerre civile Syrie", "mise à jour", "Obama", ""]


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    return sorted((a for a in read_articles([CORPUS]) if isinstance(a, Article)),
                  key=lambda a: a.id)


def answers(idx: NewsIndex) -> tuple[dict[str, object], list[float]]:
    """What a user sees: hits, totals and facets; and apart, every hit's score."""
    out: dict[str, object] = {}
    scores: list[float] = []
    with idx.snapshot():
        for query in QUERIES:
            results = idx.search(query, limit=20)
            out[query] = ([(h.article_id, h.ordinal, h.highlights) for h in results],
                          results.total_articles, results.total_passages)
            scores += [h.score for h in results]
        for field in ("actors", "places", "sources"):
            out[f"<{field}>"] = idx.facets(field=field, top=50)
    return out, scores


def test_fifty_small_runs_keep_few_segments_and_answer_as_one_build(articles, tmp_path):
    with NewsIndex.create(tmp_path / "once") as once:
        once.add_articles(articles)
        expected = answers(once)
    counts = []
    with NewsIndex.create(tmp_path / "runs") as runs:
        for i in range(0, len(articles), 2):  # 51 runs of two articles
            runs.add_articles(articles[i:i + 2])
            counts.append(runs.stats()["segments"])
        assert len(counts) == 51
        # Each run takes in the segments of its tier and below: at most one segment per
        # tier is left, where there would be 51 (Whoosh's own policy left up to 10).
        assert max(counts) <= 3, counts
        # Scores equal to the last bit: a merged segment keeps its exact field lengths.
        assert answers(runs) == expected


def test_segments_at_the_merge_cap_are_left_for_optimize(articles, tmp_path, monkeypatch):
    # A big build's batches, or small runs merged up to the cap, are not rewritten at
    # every run: a run rewrites at most the cap.
    monkeypatch.setattr(indexer.store.segment, "MERGE_CAP", 100)

    def segments(idx: NewsIndex) -> dict[str, int]:
        return {s.segment_id(): s.doc_count() for s in idx._backend._ix._read_toc().segments}

    with NewsIndex.create(tmp_path / "x") as idx:
        idx.add_articles(articles[:40])
        (big, size), = segments(idx).items()
        assert size >= 100
        for i in range(40, len(articles), 2):
            idx.add_articles(articles[i:i + 2])
            now = segments(idx)
            assert now[big] == size
            small = sorted(n for n in now.values() if n < 100)
            assert len({indexer.store.segment._tier(n) for n in small}) == len(small), now
        assert len([n for n in now.values() if n >= 100]) >= 2  # runs merged up to the cap
        assert idx.optimize() == (len(now), 1)


def test_optimize_merges_into_one_segment_and_drops_replaced_articles(articles, tmp_path):
    updated = {a.id: dataclasses.replace(a, title=a.title + " (mise à jour)")
               for a in articles[::7]}
    final = [updated.get(a.id, a) for a in articles]
    with NewsIndex.create(tmp_path / "once") as once:
        once.add_articles(final)
        expected, scores = answers(once)
    with NewsIndex.create(tmp_path / "runs") as runs:
        for i in range(0, len(articles), 10):
            runs.add_articles(articles[i:i + 10])
        changes = list(updated.values())
        for i in range(0, len(changes), 3):
            runs.add_articles(changes[i:i + 3])
        stats = runs.stats()
        assert stats["deleted_documents"] > 0  # replaced versions, still counted
        before = stats["segments"]
        assert runs.optimize() == (before, 1)
        stats = runs.stats()
        assert (stats["segments"], stats["deleted_documents"]) == (1, 0)
        assert stats["articles"] == len(articles)
        # The same hits, totals and facets. Scores agree within 0.1 %: the replaced
        # versions' field lengths, taken off, were stored rounded to a byte.
        got, merged_scores = answers(runs)
        assert got == expected
        assert merged_scores == pytest.approx(scores, rel=1e-3)
        assert runs.optimize() == (1, 1)  # nothing left to merge


def test_the_cli_merges_and_stats_shows_the_segments(cli_run, articles, tmp_path, monkeypatch):
    monkeypatch.setattr(indexer.store.segment, "MERGE_CAP", 0)  # each run its own segment
    index = tmp_path / "index"
    for n, article in enumerate(articles[:3]):
        (tmp_path / f"a{n}.json").write_text(json.dumps(
            {"id": article.id, "title": article.title, "body": "\n\n".join(
                b.text for b in article.blocks)}), encoding="utf-8")
        assert cli_run("index", str(tmp_path / f"a{n}.json"), "--index", str(index)).exit_code == 0
    (tmp_path / "a0.json").write_text(json.dumps(
        {"id": articles[0].id, "title": "Nouveau titre", "body": "Un autre texte."}),
        encoding="utf-8")
    assert cli_run("index", str(tmp_path / "a0.json"), "--index", str(index)).exit_code == 0

    stats = cli_run("stats", "--index", str(index))
    assert stats.stdout.splitlines()[-1].startswith("segments: 4 (")
    assert "replaced documents, counted until a merge: depeches optimize)" in stats.stdout

    merged = cli_run("optimize", "--index", str(index))
    assert merged.exit_code == 0, merged.stderr
    assert merged.stdout.startswith("4 segments merged into 1 · ")
    assert cli_run("stats", "--index", str(index)).stdout.splitlines()[-1] == "segments: 1"
    again = cli_run("optimize", "--index", str(index))
    assert (again.exit_code, again.stdout) == (
        0, "1 segment, no replaced documents: nothing to merge\n")
    found = cli_run("search", "Nouveau titre", "--index", str(index), "--json")
    assert json.loads(found.stdout.splitlines()[0])["article_id"] == articles[0].id


def test_optimize_on_a_busy_index_says_who_holds_it(cli_run, corpus_index, tmp_path):
    from indexer.store.lock import WriterLock

    lock = WriterLock(Path(corpus_index))
    lock.acquire()
    try:
        result = cli_run("optimize", "--index", str(corpus_index))
    finally:
        lock.release()
    assert result.exit_code == 2
    assert result.stderr.startswith("depeches: error: ")
    assert len(result.stderr.splitlines()) == 1


def _news(n: int, body: str) -> Article:
    return Article.from_fields(id=f"n{n}", title=f"Dépêche {n}", body=body, date="2020-01-01")


def _built(path: Path, runs: list[list[Article]]) -> NewsIndex:
    """One segment per run: none merged, as for segments past the merge cap."""
    idx = NewsIndex.create(path)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(indexer.store.segment, "MERGE_CAP", 0)
        for run in runs:
            idx.add_articles(run)
    assert idx.stats()["segments"] == len(runs)
    return idx


def test_a_spelling_suggestion_does_not_depend_on_the_segments(tmp_path):
    # "krisztina" is two edits from "kristine", and from "kristian" only when a swap of
    # two letters counts as one edit, as Whoosh counts over several segments.
    articles = [_news(1, "Kristian Larsen a parlé."), _news(2, "Kristian Larsen est parti."),
                _news(3, "Kristine Nilsen a parlé.")]
    with _built(tmp_path / "once", [articles]) as once, \
            _built(tmp_path / "runs", [[a] for a in articles]) as runs:
        expected = once.search("Krisztina")
        assert expected.suggestions == ("kristine",)
        assert runs.search("Krisztina").suggestions == expected.suggestions


def test_candidates_tied_at_the_cut_all_go_on(tmp_path):
    # 120 passages score alike: which 50 became candidates followed document numbers,
    # so the order the articles were written in (here, reversed).
    same = "Le conseil municipal a voté le budget."
    articles = [_news(n, same + (" Alep." if n % 40 == 0 else "")) for n in range(120)]
    with _built(tmp_path / "once", [articles]) as once, \
            _built(tmp_path / "runs", [articles[60:], articles[:60]]) as runs:
        for query in ("conseil municipal budget Alep", "budget"):
            expected = [(h.article_id, h.score) for h in once.search(query, limit=5)]
            assert [(h.article_id, h.score) for h in runs.search(query, limit=5)] == expected


def test_hits_show_their_articles_current_metadata_across_segments(articles, tmp_path):
    # A hit's article is found from the passage it shows (its record says how far back
    # the article's document is), not by its id: after updates, in any segment, that
    # must be the article's live version, as looking the id up gives.
    updated = {a.id: dataclasses.replace(a, title=a.title + " (mise à jour)")
               for a in articles[::5]}
    with NewsIndex.create(tmp_path / "runs") as idx:
        for i in range(0, len(articles), 10):
            idx.add_articles(articles[i:i + 10])
        idx.add_articles(list(updated.values()))
        assert idx.stats()["segments"] > 1 and idx.stats()["deleted_documents"] > 0
        shown = 0
        for query in QUERIES:
            for hit in idx.search(query, limit=50):
                meta = idx.article_meta(hit.article_id)
                assert meta is not None
                assert (hit.title, hit.date, hit.source, hit.actors, hit.places) == (
                    meta["title"], meta["date"], meta["source"], meta["actors"],
                    meta["places"])
                shown += hit.article_id in updated
        assert shown > 0  # updated articles were among the hits, with their new titles
