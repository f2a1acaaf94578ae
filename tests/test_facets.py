"""Entity facets as a journalist uses them: counts per article, filters, corrections, export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer import NewsIndex
from indexer.pipeline.entities import entity_key
from indexer.search.facets import count_facet, shown_names

SEED = "afp-alep-offensive-rebelle"
ROOT = Path(__file__).resolve().parent.parent


def shown_as(idx, field: str, name: str) -> set[str]:
    """The stored values that facets count under ``name`` (any spelling)."""
    wanted = entity_key(name)
    with idx.snapshot() as snap:
        return {value for value, shown in shown_names(snap, field).items()
                if entity_key(shown) == wanted}


def facet_values(cli_run, index: Path, field: str) -> list[str]:
    result = cli_run("facets", "--index", str(index), "--field", field, "--top", "1000", "--json")
    assert result.exit_code == 0, result.stderr
    return [json.loads(line)["value"] for line in result.stdout.splitlines()]


def test_the_seed_actors_appear_once_each_under_their_full_names(cli_run, corpus_index):
    actors = facet_values(cli_run, corpus_index, "actors")
    for name in ("Sergueï Lavrov", "Staffan de Mistura", "John Kerry"):
        assert actors.count(name) == 1, name
    # no surname left over as an actor of its own
    assert not {"Lavrov", "Mistura", "de Mistura", "Kerry"} & set(actors)


def test_places_hold_the_cities_and_no_web_furniture(cli_run, corpus_index):
    places = facet_values(cli_run, corpus_index, "places")
    assert {"Alep", "Moscou", "Genève"} <= set(places)
    assert not {"Contactez", "Envie", "Alarmé", "Connectez"} & set(places)


def test_facets_count_articles_not_passages(corpus_idx):
    # Alep is named in many passages of the seed, but the seed counts once.
    with corpus_idx.snapshot() as snap:
        counts = count_facet(snap, {SEED}, "places", 50)
    assert dict((c.value, c.count) for c in counts)["Alep"] == 1


def test_facets_combine_with_the_query(cli_run, corpus_index):
    result = cli_run("facets", "cessez-le-feu", "--index", str(corpus_index), "--field", "places",
                     "--json")
    places = {json.loads(line)["value"]: json.loads(line)["count"]
              for line in result.stdout.splitlines()}
    assert places["Alep"] >= 1
    assert "Québec" not in places  # Québec articles say nothing of a ceasefire


def test_an_actor_filter_finds_what_lavrov_said(cli_run, corpus_index):
    result = cli_run("search", "cessez-le-feu", "--actor", "Lavrov", "--index", str(corpus_index),
                     "--json")
    assert result.exit_code == 0, result.stderr
    hits = [json.loads(line) for line in result.stdout.splitlines()][:-1]
    assert [h["article_id"] for h in hits] == [SEED]


@pytest.mark.parametrize("flag, value", [
    ("--actor", "sergueï lavrov"),   # case
    ("--actor", "Serguei Lavrov"),   # accents
    ("--actor", "Mistura"),          # surname of a particle name
    ("--place", "etats-unis"),       # accents and hyphen
    ("--place", "ALEP"),
])
def test_filters_ignore_case_and_accents(cli_run, corpus_index, flag, value):
    result = cli_run("search", "Alep", flag, value, "--index", str(corpus_index), "--json")
    assert result.exit_code == 0, result.stderr
    assert SEED in {json.loads(line).get("article_id") for line in result.stdout.splitlines()}


def test_an_unknown_actor_gives_no_hits_and_a_hint(cli_run, corpus_index):
    result = cli_run("search", "Alep", "--actor", "Lavrof", "--index", str(corpus_index))
    assert result.exit_code == 1
    assert "closest known: Sergueï Lavrov" in result.stderr
    assert "Traceback" not in result.stderr


def test_export_writes_one_line_per_matching_article(cli_run, corpus_index):
    result = cli_run("export", "cessez-le-feu", "--index", str(corpus_index), "--json")
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len({r["article_id"] for r in rows}) == len(rows)
    seed = next(r for r in rows if r["article_id"] == SEED)
    assert set(seed) == {"article_id", "title", "date", "source", "url", "lang", "actors", "places"}
    assert "Sergueï Lavrov" in seed["actors"] and "Alep" in seed["places"]


def test_the_api_exposes_facets_and_export(corpus_idx):
    results = corpus_idx.search("cessez-le-feu", actors=["Lavrov"])
    assert [h.article_id for h in results] == [SEED]
    assert "Alep" in {f.value for f in results.facets["places"]}
    top = corpus_idx.facets("cessez-le-feu", "places", 5)
    assert top and all(c.count >= 1 for c in top)
    assert SEED in {row["article_id"] for row in corpus_idx.export("cessez-le-feu")}


# -- the correction file -----------------------------------------------------------------

def seed_only(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / f"{SEED}.txt").write_text((ROOT / "corpus" / f"{SEED}.txt").read_text("utf-8"),
                                        "utf-8")
    return corpus


def show(cli_run, index: Path) -> dict:
    result = cli_run("show", SEED, "--index", str(index), "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_corrections_apply_at_index_time_and_again_when_edited(cli_run, tmp_path):
    corpus, index, fixes = seed_only(tmp_path), tmp_path / "index", tmp_path / "fixes.toml"
    fixes.write_text('[aliases]\n"Bachar al-Assad" = "Bachar el-Assad"\n', "utf-8")
    assert cli_run("index", str(corpus), "--index", str(index), "--corrections",
                   str(fixes)).exit_code == 0
    actors = show(cli_run, index)["actors"]
    assert "Bachar el-Assad" in actors and "Bachar al-Assad" not in actors

    fixes.write_text('[exclude]\nactors = ["Sana"]\n', "utf-8")
    result = cli_run("index", str(corpus), "--index", str(index), "--corrections", str(fixes))
    assert "1 updated" in result.stdout  # a changed file re-extracts the article
    actors = show(cli_run, index)["actors"]
    assert "Sana" not in actors and "Bachar al-Assad" in actors


def test_a_malformed_correction_file_names_the_file_and_line(cli_run, tmp_path):
    fixes = tmp_path / "fixes.toml"
    fixes.write_text('[aliases]\n"Poutine" "Vladimir Poutine"\n', "utf-8")
    result = cli_run("index", str(seed_only(tmp_path)), "--index", str(tmp_path / "ix"),
                     "--corrections", str(fixes))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert f"{fixes}:2:" in result.stderr


# -- names merged across the index ------------------------------------------------------

def tiny_index(tmp_path: Path, articles: dict[str, str]) -> Path:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    for name, text in articles.items():
        (corpus / f"{name}.txt").write_text(text, "utf-8")
    with NewsIndex.create(index) as idx:
        idx.add_paths([corpus])
    return index


def test_initials_count_under_the_one_full_name_of_the_index(cli_run, tmp_path):
    index = tiny_index(tmp_path, {
        "vote": "Barack Obama a voté à Chicago mardi.",
        "sante": "Le président B. Obama a promis une réforme de la santé.",
        "geneve": "John Kerry est arrivé à Genève lundi.",
        "golf": "Le golfeur Joe Kerry a gagné dimanche.",
        "treve": "Selon J. Kerry, la trêve tient.",
    })
    result = cli_run("facets", "--index", str(index), "--field", "actors", "--json")
    counts = {json.loads(line)["value"]: json.loads(line)["count"]
              for line in result.stdout.splitlines()}
    assert counts["Barack Obama"] == 2 and "B. Obama" not in counts
    # John and Joe both fit "J. Kerry": it stays as written
    assert counts["J. Kerry"] == 1
    # the stored article keeps what its text says
    assert show_article(cli_run, index, "sante")["actors"] == ["B. Obama"]
    # what a filter on the facet value must also look for
    with NewsIndex.open(index) as idx:
        assert shown_as(idx, "actors", "barack obama") == {"B. Obama"}


def test_two_spellings_count_as_the_one_most_articles_use(tmp_path):
    index = tiny_index(tmp_path, {
        "a": "Le préfet Claude Érignac a été tué à Ajaccio.",
        "b": "Le procès du meurtre de Claude Érignac s'ouvre à Paris.",
        "c": "Le nom de Claude Erignac est sur une plaque à Ajaccio.",
    })
    with NewsIndex.open(index) as idx:
        actors = idx.facets(field="actors")
    assert [(c.value, c.count) for c in actors] == [("Claude Érignac", 3)]


def show_article(cli_run, index: Path, article_id: str) -> dict:
    result = cli_run("show", article_id, "--index", str(index), "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# -- the parallel path ---------------------------------------------------------------------

def test_two_processes_index_the_same_as_one(tmp_path):
    queries = ["Alep", "cessez-le-feu", "Etats-Unis", "hôpitaux", "élection présidentielle",
               "\"Jean-Marc Ayrault\"", "ONU OR OTAN"]
    seen = []
    for jobs in (1, 2):
        with NewsIndex.create(tmp_path / f"ix{jobs}") as idx:
            report = idx.add_paths([ROOT / "corpus"], jobs=jobs)
            hits = [[(h.article_id, h.ordinal, h.score, h.highlights, h.actors, h.places)
                     for h in idx.search(q, limit=20, per_article=2)] for q in queries]
            seen.append((report.new, report.passages, hits, idx.stats()["passages"]))
    assert seen[0] == seen[1]


def test_a_filter_on_a_facet_value_finds_every_article_it_counts(tmp_path):
    index = tiny_index(tmp_path, {
        "vote": "Barack Obama a voté à Chicago mardi.",
        "sante": "Le président B. Obama a promis une réforme de la santé.",
    })
    with NewsIndex.open(index) as idx:
        assert [(c.value, c.count) for c in idx.facets(field="actors")] == [("Barack Obama", 2)]
        found = [r["article_id"] for r in idx.export(actors=("Barack Obama",))]
    assert found == ["sante", "vote"]
