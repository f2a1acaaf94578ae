"""French relevance, case by case: names are not stems, accents and elisions do not matter,
questions are searchable, typos are forgiven and the CLI explains itself."""

from __future__ import annotations

import json

import pytest

from indexer import Article, NewsIndex
from search_cli.cli import cli

ARTICLES = [
    ("gaza", "Trêve à Gaza", "Les habitants de Gaza sortent des abris après la trêve."),
    ("gaz", "Prix du gaz", "Le prix du gaz augmente encore cet hiver en Europe."),
    ("francais", "Sondage", "Selon un sondage, les Français partent moins en vacances."),
    ("franc", "Monnaie", "Le franc suisse atteint un record face à l'euro."),
    ("nice", "Carnaval", "Le carnaval de Nice attire des milliers de visiteurs."),
    ("nic", "Réseau", "Le nic de la carte réseau a été remplacé par un technicien."),
    ("ministere", "Budget", "Le ministère de l'Économie présente son budget pour l'an prochain."),
    ("onu", "Diplomatie", "L'émissaire de l'ONU a rencontré Sergueï Lavrov à Moscou."),
    ("ecole", "Rentrée", "Combien d'élèves reprennent le chemin de l'école cette semaine ?"),
]


@pytest.fixture(scope="module")
def idx(tmp_path_factory):
    path = tmp_path_factory.mktemp("relevance") / "index"
    with NewsIndex.create(path) as index:
        index.add_articles(Article.from_fields(id=i, title=t, body=b, lang="fr")
                           for i, t, b in ARTICLES)
    with NewsIndex.open(path) as index:
        yield index


def ids(idx, query: str) -> list[str]:
    return [h.article_id for h in idx.search(query)]


def marked(idx, query: str, article_id: str) -> list[str]:
    hit = next(h for h in idx.search(query) if h.article_id == article_id)
    return [hit.passage[a:b] for a, b in hit.highlights]


@pytest.mark.parametrize("query, wanted, unwanted", [
    ("Gaza", "gaza", "gaz"),            # Snowball would stem Gaza to gaz
    ("Français", "francais", "franc"),  # ... and Français to franc
    ("Nice", "nice", "nic"),            # ... and Nice to nic
])
def test_a_name_does_not_match_its_over_stemmed_form(idx, query, wanted, unwanted):
    found = ids(idx, query)
    assert wanted in found
    assert unwanted not in found


def test_the_common_word_still_finds_its_own_article(idx):
    assert ids(idx, "gaz") == ["gaz"]


def test_highlights_mark_the_name_never_the_stem(idx):
    assert marked(idx, "Gaza", "gaza") == ["Gaza"]


@pytest.mark.parametrize("query", ["ministere", "MINISTERE", "ministère", "Ministère"])
def test_accents_and_case_do_not_matter(idx, query):
    assert ids(idx, query) == ["ministere"]
    assert marked(idx, query, "ministere") == ["ministère"]


@pytest.mark.parametrize("query", ["l'ONU", "l’ONU", "d'ONU", "onu"])
def test_elided_queries_find_the_word(idx, query):
    assert ids(idx, query) == ["onu"]
    assert marked(idx, query, "onu") == ["ONU"]


def test_question_words_are_dropped(idx):
    results = idx.search("Combien d'élèves à l'école ?")
    assert results.analysed.split() == ["elev|eleves", "ecol|ecole"]  # no "combien", no "à"
    assert [h.article_id for h in results] == ["ecole"]


def test_an_unknown_word_is_matched_by_its_closest_spelling(idx):
    results = idx.search("Lavrof")
    assert results.suggestions == ("lavrov",)
    assert [h.article_id for h in results] == ["onu"]
    assert [m.how for m in results[0].matches] == ["fuzzy"]


def test_an_unknown_word_is_looked_for_once_a_search(idx, monkeypatch):
    # The titles' query is compiled from the same words as the body's: it takes their
    # patterns rather than spelling each again (a suggestion scans every segment's words).
    from indexer.search.embedded.compile import Compiler

    asked = []
    suggest = Compiler.suggest
    monkeypatch.setattr(Compiler, "suggest", lambda self, exact: asked.append(exact)
                        or suggest(self, exact))
    results = idx.search("Lavrof Lavrof")
    assert asked == ["lavrof"]
    assert results.suggestions == ("lavrov",)
    assert [h.article_id for h in results] == ["onu"]


def test_the_cli_says_did_you_mean(idx):
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["search", "Lavrof", "--index", str(idx.path),
                                      "--color", "never"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "did you mean: lavrov?"


def test_explain_shows_the_analysed_query_and_how_each_word_matched(idx):
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["search", "hôpital Gaza habitant", "--index",
                                      str(idx.path), "--explain", "--json"])
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[-1]["analysed"] == "hopital gaza habit|habitant"  # stem|typed form
    assert {(m["query"], m["word"], m["how"]) for m in lines[0]["matches"]} == {
        ("Gaza", "Gaza", "exact"), ("habitant", "habitants", "exact")}


def test_an_exact_form_outranks_a_stem_only_match(tmp_path):
    with NewsIndex.create(tmp_path / "ix") as index:
        index.add_articles([
            Article.from_fields(id="a-stem", body="Le palais présidentiel est fermé."),
            Article.from_fields(id="b-exact", body="La campagne présidentielle est ouverte."),
        ])
        assert [h.article_id for h in index.search("présidentielle")] == ["b-exact", "a-stem"]


def test_a_name_heading_the_title_is_still_the_name(tmp_path):
    # "Révolution" starts the title, where a capitalised word may be a common one
    # (stemmed "revolu"); the article writes "la Révolution" mid-sentence, so it is
    # the name, "revolution", in the title too, and the title counts for the query.
    with NewsIndex.create(tmp_path / "ix") as index:
        index.add_articles([
            Article.from_fields(id="a-terreur", title="La Terreur",
                                body="La Terreur suit la Révolution."),
            Article.from_fields(id="z-revolution", title="Révolution",
                                body="Les débuts de la Révolution sont violents."),
        ])
        assert [h.article_id for h in index.search("Révolution")] == ["z-revolution",
                                                                       "a-terreur"]


# Ranking levers, each shown on a corpus small enough to read.

def _ranked(tmp_path, bodies: dict[str, str], query: str) -> list[str]:
    with NewsIndex.create(tmp_path / "ix") as index:
        index.add_articles(Article.from_fields(id=i, body=b, lang="fr") for i, b in bodies.items())
        return [h.article_id for h in index.search(query)]


FILLER = {f"z-{i}": f"La ville compte un marché et une école, dit le maire numéro {i}."
          for i in range(8)}


def test_missing_a_rare_word_costs_more_than_missing_common_ones(tmp_path):
    # "ville" and "marché" are in every filler article; "Tombouctou" in one passage.
    found = _ranked(tmp_path, {
        **FILLER,
        "a-rare": "Les manuscrits de Tombouctou sont anciens.",
        "b-common": "Le marché de la ville est animé, le marché de la ville est grand.",
    }, "marché ville Tombouctou")
    assert found.index("a-rare") < found.index("b-common")


def test_a_question_starting_with_en_quelle_annee_needs_no_annee_in_the_passage(tmp_path):
    # The noun after "quelle" names the kind of answer; the passage gives a year instead.
    found = _ranked(tmp_path, {
        **FILLER,
        "a-answer": "Le traité de la Tafna est ratifié en 1837.",
        "b-annee": "L'année du traité de la Tafna, une année de débats.",
    }, "En quelle année le traité de la Tafna est-il ratifié ?")
    assert found[:2] == ["a-answer", "b-annee"]


def test_the_analysed_query_marks_the_noun_that_names_the_answer(idx):
    assert idx.search("En quelle année le prix du gaz augmente ?").analysed.split() == [
        "anne|annee?", "prix", "gaz", "augment|augmente"]


def test_a_derived_word_counts_as_the_query_word_for_coordination(tmp_path):
    # "construire" shares its first five letters with "construction" (their stems,
    # construir and construct, differ): the first passage has both query words.
    found = _ranked(tmp_path, {
        **FILLER,
        "a-both": "Les ingénieurs vont construire le viaduc de Millau.",
        "b-one": "La construction avance ; la construction coûte cher.",
    }, "construction viaduc")
    assert found[:2] == ["a-both", "b-one"]


def test_query_words_close_together_outrank_the_same_words_far_apart(tmp_path):
    # The same words in another order: without proximity, the ids would break the tie.
    found = _ranked(tmp_path, {
        **FILLER,
        "a-far": "Le traité fut signé par les diplomates et les juristes à Utrecht.",
        "b-near": "Le traité fut signé à Utrecht par les diplomates et les juristes.",
    }, "traité Utrecht")
    assert found[:2] == ["b-near", "a-far"]


def test_a_pasted_text_counts_no_proximity(tmp_path):
    # Pasted, the first passage is a query of 18 words. Typed, "traité Utrecht" puts
    # the passage where the two stand close first (the test above). Over a lede's dozens
    # of words, how close two of them stand says nothing (see PROXIMITY): the two
    # passages hold the same words, score the same, and their article ids break the tie.
    town = "La ville compte un marché et une école, dit le maire"
    near = f"Le traité fut signé hier à Utrecht. {town}."
    far = f"Le traité fut signé hier. {town} à Utrecht."
    with NewsIndex.create(tmp_path / "ix") as index:
        index.add_articles(Article.from_fields(id=i, body=b, lang="fr")
                           for i, b in {**FILLER, "a-far": far, "b-near": near}.items())
        hits = index.search(near).hits
    assert [h.article_id for h in hits[:2]] == ["a-far", "b-near"]
    assert hits[0].score == hits[1].score


def test_an_inverted_verb_keeps_the_verb_and_drops_the_auxiliary_a(idx):
    # "a-t-il" is the auxiliary "a" (a question word) and its pronoun: nothing to search;
    # "trouve-t-on" is the verb "trouve", searched like a word typed alone.
    assert idx.search("Le prix du gaz a-t-il augmenté ?").analysed.split() == [
        "prix", "gaz", "augment|augmente"]
    assert idx.search("Où trouve-t-on le carnaval de Nice ?").analysed.split() == [
        "trouv|trouve", "carnaval", "nice"]


def test_asking_what_something_is_called_needs_no_appelle_in_the_passage(tmp_path):
    # "s'appelle", "nom": the question asks for a name, which the passage gives
    # without the word; like the noun after "quelle", they weigh a quarter.
    found = _ranked(tmp_path, {
        **FILLER,
        "a-answer": "Le fondateur de Carthage serait la reine Didon.",
        "b-appelle": "On appelle Carthage la cité punique ; on appelle Carthage la ville.",
    }, "Comment s'appelle le fondateur de Carthage ?")
    assert found[:2] == ["a-answer", "b-appelle"]


def test_outside_a_question_appel_is_a_word_like_any_other(idx):
    assert idx.search("appel carnaval").analysed.split() == ["appel", "carnaval"]
    assert idx.search("Comment s'appelle le carnaval ?").analysed.split() == [
        "appel|appelle?", "carnaval"]


def test_common_words_gather_no_candidates_when_rarer_words_are_there(corpus_idx, monkeypatch):
    """As Lucene's common-terms query: in a big archive, ``président`` only adds to the
    score of passages that ``Alep`` found (thresholds lowered to this small corpus)."""
    from indexer.search.embedded import compile as search
    from indexer.search.options import SearchOptions
    from indexer.search.run import _compile

    whole = corpus_idx.search("Alep président", limit=2)
    opts = SearchOptions.from_kwargs(limit=2)
    with corpus_idx.snapshot() as snap:
        assert _compile(snap, "Alep président", opts)[0].fast is None  # a small index
    monkeypatch.setattr(search, "COMMON_MIN", 20)
    monkeypatch.setattr(search, "COMMON_SHARE", 0.1)  # président is in 42 of 236 passages
    with corpus_idx.snapshot() as snap:
        assert _compile(snap, "Alep président", opts)[0].fast is not None
    deferred = corpus_idx.search("Alep président", limit=2)
    assert all("Alep" in h.passage for h in deferred)
    assert [h.article_id for h in deferred] == [h.article_id for h in whole]
