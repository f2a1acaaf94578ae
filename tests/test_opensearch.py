"""An index on a real OpenSearch node (issue 14): written as the embedded index is written,
and searched with the same answers.

The node is started once for the session by the ``opensearch`` fixture; each test
writes an index of its own name on it, but for ``corpus_url``, the sample corpus,
written once and only read.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result
from conftest import CORPUS, SEED, SEED_ID

from indexer import IndexerError, IndexLockedError, NewsIndex
from indexer.store.opensearch import Location, OpenSearchStore


@pytest.fixture()
def url(opensearch: str) -> str:
    """A fresh index name on the session's node."""
    return f"opensearch+{opensearch}/t-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session")
def corpus_url(opensearch: str) -> str:
    """The sample corpus on the session's node, written once: tests only read it."""
    url = f"opensearch+{opensearch}/corpus-{uuid.uuid4().hex[:8]}"
    with NewsIndex.create(url) as idx:
        assert idx.add_paths([CORPUS]).new == 101
    return url


@pytest.fixture()
def cluster_idx(corpus_url: str) -> Iterator[NewsIndex]:
    with NewsIndex.open(corpus_url) as idx:
        yield idx


def _store(url: str) -> OpenSearchStore:
    return OpenSearchStore.open(url)


def test_the_corpus_on_a_cluster_holds_what_the_embedded_index_holds(
        url: str, corpus_idx: NewsIndex) -> None:
    with NewsIndex.create(url) as idx:
        report = idx.add_paths([CORPUS])
    assert (report.new, report.errors) == (101, [])
    store = _store(url)
    embedded = corpus_idx.stats()
    assert store.counts() == {"a": embedded["articles"], "p": embedded["passages"]}
    # The same content hashes: a later run skips what either backend already holds.
    assert store.hashes() == {aid: meta["hash"] for aid, meta in corpus_idx.article_docs()}
    seed = next(store.scan({"term": {"article_id": SEED_ID}}, ["n", "kind", "stem"]))
    assert (seed["n"], seed["kind"]) == (0, "a")


def test_a_second_run_skips_every_unchanged_article(url: str) -> None:
    with NewsIndex.create(url) as idx:
        idx.add_paths([CORPUS])
    with NewsIndex.open(url) as idx:
        again = idx.add_paths([CORPUS])
    assert (again.new, again.updated, again.unchanged) == (0, 0, 101)
    assert _store(url).counts()["a"] == 101


def test_an_update_replaces_every_document_of_its_article(url: str, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SEED, src)
    with NewsIndex.create(url) as idx:
        first = idx.add_paths([src])
    # The same id, a much shorter text: fewer passages, none of the old ones left.
    lines = SEED.read_text(encoding="utf-8").splitlines()
    (src / SEED.name).write_text("\n".join(lines[:6]) + "\n", encoding="utf-8")
    with NewsIndex.open(url) as idx:
        second = idx.add_paths([src])
    assert (second.new, second.updated) == (0, 1)
    assert second.passages < first.passages
    kept = [d["n"] for d in _store(url).scan({"term": {"article_id": SEED_ID}}, ["n"])]
    assert kept == list(range(second.passages + 1))


def test_a_rebuild_swaps_the_alias_once_it_is_complete(url: str, cli_run: Callable[..., Result],
                                                        tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SEED, src)
    assert cli_run("index", str(CORPUS), "--index", url).exit_code == 0
    old = _store(url).concrete
    result = cli_run("index", str(src), "--index", url, "--rebuild")
    assert result.exit_code == 0, result.stderr
    store = _store(url)
    assert store.concrete != old
    assert store.counts()["a"] == 1
    indices = store.client.indices.get(index=f"{store.location.name}-v*")
    assert list(indices) == [store.concrete]  # the old one is gone


def test_an_interrupted_rebuild_leaves_the_old_index_serving(url: str) -> None:
    with NewsIndex.create(url) as idx:
        idx.add_paths([CORPUS])
    old = _store(url).concrete

    def interrupt(done: int) -> None:
        if done == 5:
            raise KeyboardInterrupt

    with NewsIndex.create(url, overwrite=True) as idx:
        report = idx.add_paths([CORPUS], progress=interrupt, jobs=1)
    assert report.interrupted
    store = _store(url)
    assert (store.concrete, store.counts()["a"]) == (old, 101)
    assert list(store.client.indices.get(index=f"{store.location.name}-v*")) == [old]
    # A rebuild that never writes, or cannot take the lock, builds nothing beside it.
    NewsIndex.create(url, overwrite=True).close()
    with store.writing(), pytest.raises(IndexLockedError):
        NewsIndex.create(url, overwrite=True).add_paths([SEED])
    assert list(store.client.indices.get(index=f"{store.location.name}-v*")) == [old]


def test_a_second_writer_is_refused_while_one_writes(url: str) -> None:
    with NewsIndex.create(url) as idx:
        idx.add_paths([SEED])
    first, second = _store(url), _store(url)
    with (first.writing(), pytest.raises(IndexLockedError, match="being written by process"),
          second.writing(wait=0.2)):
        pass
    with second.writing():  # released
        pass


@pytest.mark.parametrize(("location", "says"), [
    ("opensearch+http://127.0.0.1:1/depeches", "cannot connect"),
    ("opensearch+http://127.0.0.1:9200/Not A Name", "is not an index name"),
    ("opensearch+ftp://127.0.0.1/depeches", "expected opensearch+http://HOST:PORT/NAME"),
    ("opensearch+http://127.0.0.1:9200/depeches?shards=0", "shards=0 is not an index setting"),
    ("opensearch+http://127.0.0.1:9200/depeches?replica=1", "replica=1 is not an index setting"),
])
def test_a_cluster_that_cannot_be_used_is_one_line_and_exit_2(
        location: str, says: str, cli_run: Callable[..., Result]) -> None:
    result = cli_run("index", str(SEED), "--index", location)
    assert result.exit_code == 2
    assert says in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_a_missing_index_on_a_live_cluster_is_named(opensearch: str) -> None:
    with pytest.raises(IndexerError, match="no such index on the cluster"):
        NewsIndex.open(f"opensearch+{opensearch}/never-written")


def test_the_password_never_shows_in_the_location() -> None:
    where = Location.parse("opensearch+https://reader:s%40cret@search.example:9243/news")
    assert (where.user, where.password, where.port) == ("reader", "s@cret", 9243)
    assert str(where) == "opensearch+https://reader@search.example:9243/news"


def test_a_new_index_takes_its_shards_and_replicas_from_the_url(url: str) -> None:
    with NewsIndex.create(url + "?shards=2&replicas=1") as idx:
        idx.add_paths([SEED])
    store = _store(url)
    shape = store.client.indices.get_settings(index=store.concrete)[store.concrete] \
        ["settings"]["index"]
    assert (shape["number_of_shards"], shape["number_of_replicas"]) == ("2", "1")
    # One node holds no replica (the cluster is yellow), and every search still answers.
    with NewsIndex.open(url) as idx:
        assert idx.search("Lavrov").hits


# -- searching -------------------------------------------------------------------------------

def _hits(result: Result) -> list[dict]:
    return [json.loads(line) for line in result.stdout.splitlines()[:-1]]


def test_the_seed_passage_shows_as_on_the_embedded_index(
        corpus_url: str, corpus_index: Path, cli_run: Callable[..., Result]) -> None:
    on_cluster = cli_run("search", "cessez-le-feu", "--json", "--index", corpus_url)
    embedded = cli_run("search", "cessez-le-feu", "--json", "--index", str(corpus_index))
    assert on_cluster.exit_code == 0, on_cluster.stderr
    hits = _hits(on_cluster)
    assert hits[0]["article_id"] == SEED_ID
    assert "cessez-le-feu" in hits[0]["passage"] and hits[0]["highlights"]
    # The same passages, scores, highlights, facets and totals, hit for hit.
    assert hits == _hits(embedded)
    summary = json.loads(on_cluster.stdout.splitlines()[-1])
    assert {k: v for k, v in summary.items() if k != "elapsed_ms"} == \
        {k: v for k, v in json.loads(embedded.stdout.splitlines()[-1]).items()
         if k != "elapsed_ms"}


QUERIES = ["Alep", '"offensive rebelle"', "gouv*", "Lavrov -Kerry", "élections présidentielles",
           "title:Algérie", "quel est le nom du président", "Syrie trêve Russie", "lavrof",
           "président (Syrie OR Algérie)", "guerre date:2012-07",
           "Les forces gouvernementales syriennes, soutenues par l'aviation russe, ont lancé "
           "une offensive contre les quartiers rebelles d'Alep, selon l'Observatoire syrien",
           "Les forces gouvernementales syriennes, soutenues par l'aviation russe, ont lancé "
           "une offensive contre les quartiers rebelles d'Alep, selon l'Observatoire syrien des "
           "droits de l'homme. Sergueï Lavrov et John Kerry se sont entretenus à Genève d'un "
           "cessez-le-feu."]
"""Words, a phrase, a prefix, a negation, a title, a question, a typo, a group, a date, a
pasted lede (its articles' own scores count: :data:`indexer.search.rank.ARTICLE`), and a
longer one, ranked from its best articles (:data:`indexer.search.rank.LED`)."""


@pytest.mark.parametrize("query", QUERIES)
def test_a_query_finds_the_same_articles_on_both_backends(
        query: str, cluster_idx: NewsIndex, corpus_idx: NewsIndex) -> None:
    on_cluster, embedded = cluster_idx.search(query), corpus_idx.search(query)
    assert on_cluster.hits, query
    assert on_cluster.totals() == embedded.totals()
    assert on_cluster.suggestions == embedded.suggestions
    assert on_cluster.hits[0].article_id == embedded.hits[0].article_id
    assert on_cluster.hits[0].highlights == embedded.hits[0].highlights
    # The cluster's candidates are scored again as the embedded index scores them.
    assert [(h.article_id, h.ordinal, h.score) for h in on_cluster.hits] == \
        [(h.article_id, h.ordinal, h.score) for h in embedded.hits]


def test_a_warmed_cluster_version_holds_what_its_first_query_asks_first(
        cluster_idx: NewsIndex, corpus_idx: NewsIndex) -> None:
    cluster_idx.warm()
    version = cluster_idx._current()
    assert {"totals", "lexicon:lang"} <= set(version._derived)
    query = "offensive rebelle Alep"
    assert [(h.article_id, h.score) for h in cluster_idx.search(query).hits] == \
        [(h.article_id, h.score) for h in corpus_idx.search(query).hits]


@pytest.mark.parametrize("filters", [{"actors": ["Sergueï Lavrov"]}, {"places": ["Alep"]},
                                     {"since": "2012-07-01", "until": "2012-07-31"}])
def test_filters_alone_list_the_newest_articles_on_both_backends(
        filters: dict, cluster_idx: NewsIndex, corpus_idx: NewsIndex) -> None:
    on_cluster, embedded = cluster_idx.search("", **filters), corpus_idx.search("", **filters)
    assert on_cluster.hits
    assert [(h.article_id, h.ordinal) for h in on_cluster.hits] == \
        [(h.article_id, h.ordinal) for h in embedded.hits]
    assert on_cluster.totals() == embedded.totals()


def test_facets_similar_and_show_answer_as_on_the_embedded_index(
        cluster_idx: NewsIndex, corpus_idx: NewsIndex) -> None:
    assert cluster_idx.facets("Syrie", "places") == corpus_idx.facets("Syrie", "places")
    similar = [[h.article_id for h in idx.similar(SEED_ID).hits]
               for idx in (cluster_idx, corpus_idx)]
    assert similar[0] and similar[0] == similar[1]
    assert cluster_idx.article(SEED_ID) == corpus_idx.article(SEED_ID)
    exported = list(cluster_idx.export("Alep"))
    assert exported and exported == list(corpus_idx.export("Alep"))


@pytest.mark.parametrize("field", ["actors", "places", "sources", "lang"])
def test_facets_count_the_same_articles_on_both_backends(
        field: str, cluster_idx: NewsIndex, corpus_idx: NewsIndex,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from indexer.search.opensearch import version

    # Small pages and batches, to read several of each over 101 articles as over an archive.
    monkeypatch.setattr(version, "_FACET_BATCH", 7)
    monkeypatch.setattr(version, "_FACET_PAGE", 3)
    monkeypatch.setattr(version, "_FACET_GROUPS", 2)
    for query, filters in [(None, {}), ("Syrie", {}), (None, {"since": "2012-07-01"}),
                           ("président", {"lang": "fr"})]:
        on_cluster = cluster_idx.facets(query, field, top=200, **filters)
        assert on_cluster or field == "sources", (query, filters)  # the sample has none
        assert on_cluster == corpus_idx.facets(query, field, top=200, **filters)


def test_sources_count_as_the_articles_name_them(url: str, tmp_path: Path) -> None:
    lines = [{"id": f"s{i}", "title": title, "body": "Le gouvernement a annoncé des mesures.",
              "source": source} for i, (title, source) in enumerate(
                  [("Budget", "Le Monde"), ("Impôts", "AFP"), ("Retraites", "Le Monde")])]
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    with NewsIndex.create(url) as on_cluster, NewsIndex.create(tmp_path / "i") as embedded:
        for idx in (on_cluster, embedded):
            idx.add_paths([path])
        assert [(f.value, f.count) for f in on_cluster.facets(field="sources")] == \
            [("Le Monde", 2), ("AFP", 1)]
        assert on_cluster.facets("retraites", "sources") == \
            embedded.facets("retraites", "sources")


def test_stats_count_languages_and_dates_as_the_embedded_index(
        url: str, tmp_path: Path, cluster_idx: NewsIndex, corpus_idx: NewsIndex) -> None:
    lines = [{"id": "fr1", "title": "Budget", "date": "2018-03-04",
              "body": "Le gouvernement a annoncé des mesures pour le budget de la nation."},
             {"id": "en1", "title": "Budget", "date": "2021-01-02",
              "body": "The government announced new measures for the national budget."},
             {"id": "fr2", "title": "Impôts",
              "body": "Le gouvernement a présenté la réforme des impôts aux syndicats."}]
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    told = ("articles", "passages", "languages", "date_min", "date_max")
    with NewsIndex.create(url) as on_cluster, NewsIndex.create(tmp_path / "i") as embedded:
        for idx in (on_cluster, embedded):
            idx.add_paths([path])
        stats = on_cluster.stats()
        assert {k: stats[k] for k in told} == {k: embedded.stats()[k] for k in told}
        assert (stats["languages"], stats["date_min"], stats["date_max"]) == \
            ({"fr": 2, "en": 1}, "2018-03-04", "2021-01-02")
    stats = cluster_idx.stats()
    assert {k: stats[k] for k in told} == {k: corpus_idx.stats()[k] for k in told}


def test_an_article_holding_two_values_of_one_name_counts_once(
        cluster_idx: NewsIndex, corpus_idx: NewsIndex) -> None:
    # Alep and Syrie shown as one name: the articles that name both count once under it.
    names = {"Alep": "Syrie", "Damas": "Syrie"}
    rows = [meta["places"] for _, meta in corpus_idx.article_docs()]
    both = sum(1 for row in rows if {"Alep", "Syrie"} <= set(row))
    assert both > 1
    expected = sum(1 for row in rows if {"Alep", "Syrie", "Damas"} & set(row))
    with cluster_idx.snapshot() as snap:
        assert snap.facet_counts(None, "places", names)["Syrie"] == expected
    with corpus_idx.snapshot() as snap:
        assert snap.facet_counts(None, "places", names)["Syrie"] == expected


def test_export_reads_articles_in_batches_and_misses_none(
        cluster_idx: NewsIndex, corpus_idx: NewsIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    from indexer.search.opensearch import version

    # Batches of 7 over the 101 articles: the last one short, as on an archive.
    monkeypatch.setattr(version, "_META_BATCH", 7)
    exported = list(cluster_idx.export())
    assert len(exported) == 101
    assert exported == list(corpus_idx.export())


def test_check_reads_back_every_record_of_a_sound_cluster_index(
        corpus_url: str, cli_run: Callable[..., Result]) -> None:
    counts = _store(corpus_url).counts()
    result = cli_run("check", "--index", corpus_url)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"1 shard and {counts['a'] + counts['p']} records checked: no damage\n"


def test_check_names_each_damaged_record_and_exits_2(
        url: str, cli_run: Callable[..., Result]) -> None:
    import base64

    from indexer.store.schema import passage_record

    with NewsIndex.create(url) as idx:
        idx.add_paths([SEED])
    store = _store(url)
    documents = sum(store.counts().values())
    # A passage whose record is overwritten, and a passage whose article is not there.
    store.client.update(index=store.concrete, id=f"{SEED_ID}#1", routing=SEED_ID, body={
        "doc": {"record": base64.b64encode(b"not a record").decode("ascii")}})
    store.client.index(index=store.concrete, id="ghost#1", routing="ghost", body={
        "kind": "p", "article_id": "ghost", "n": 1,
        "record": base64.b64encode(passage_record(1, None, 1)).decode("ascii")})
    store.refresh()
    result = cli_run("check", "--index", url)
    assert result.exit_code == 2
    # Records carry no checksum of their own (the cluster's files do): those bytes decode,
    # to a place that does not fit.
    assert result.stderr.splitlines() == [
        f"depeches: damaged: {store.path}, document {SEED_ID}#1: passage 1 of 5 says it is "
        "passage 110",
        f"depeches: damaged: {store.path}, document ghost#1: a passage of no article"]
    assert result.stdout == f"1 shard and {documents + 1} records checked: 2 problems\n"


def test_a_search_sees_each_commit(url: str, tmp_path: Path) -> None:
    with NewsIndex.create(url) as idx:
        idx.add_paths([SEED])
        assert idx.search("Lavrov").hits
        assert not idx.search("Bouteflika").hits
        idx.add_paths([CORPUS])  # another batch, committed: the next search reads it
        assert idx.search("Bouteflika").hits


def test_the_cluster_scores_with_the_embedded_bm25() -> None:
    from indexer.search import weights
    from indexer.store import opensearch

    assert (opensearch.BM25_K1, opensearch.BM25_B) == (weights.BM25_K1, weights.BM25_B)
