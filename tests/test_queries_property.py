"""Hostile and grammatical queries through the CLI, and every article found by its id.

Invariants:

- any string as a query ends in exit 0, 1 or 2, never a traceback, and an
  error is one line on stderr;
- a query built from the grammar is only refused for a bad date;
- a word of an article, OR-ed with anything, finds that article;
- every indexed article is shown by ``depeches show ID``, whatever its id.
"""

from __future__ import annotations

import json
import signal
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from search_cli.cli import cli

ARTICLES = [
    {"id": "afp-greve-sncf", "title": "Grève à la SNCF : le trafic perturbé", "lang": "fr",
     "date": "2016-05-12", "source": "AFP",
     "body": "Les cheminots de la SNCF poursuivent la grève contre la réforme du rail. "
             "Le trafic des trains régionaux reste très perturbé à Lyon et à Marseille."},
    {"id": "reuters/secheresse 2016", "title": "La sécheresse inquiète les agriculteurs",
     "lang": "fr", "date": "2016-07-03", "source": "Reuters",
     "body": "Les agriculteurs de la Beauce réclament une aide face à la sécheresse. "
             "Le ministre de l'Agriculture promet des mesures d'urgence."},
    {"id": "élection:municipale#1", "title": "Élection municipale à Besançon", "lang": "fr",
     "date": "2016-03-20", "source": "Le Monde",
     "body": "Le maire sortant est réélu au premier tour à Besançon. "
             "L'opposition dénonce une campagne trop courte."},
    {"id": "100% cessez-le-feu", "title": "Cessez-le-feu fragile à Alep", "lang": "fr",
     "date": "2016-02-27", "source": "AFP",
     "body": "Le cessez-le-feu négocié par Moscou et Washington entre en vigueur en Syrie. "
             "Des violations sont signalées près d'Alep."},
    {"id": "gard:inondations", "title": "Inondations dans le Gard", "lang": "fr",
     "date": "2016-10-14", "source": "France Info",
     "body": "Les pompiers évacuent les riverains inondés à Nîmes après des pluies violentes."},
    {"id": "budget#1", "title": "Budget de la commune", "lang": "fr",
     "body": "Le conseil municipal vote le budget après un long débat sur les transports."},
]
# Content words of each article: a search for one must find it.
WORDS = {
    "afp-greve-sncf": ["cheminots", "grève", "trafic", "trains", "réforme"],
    "reuters/secheresse 2016": ["sécheresse", "agriculteurs", "Beauce", "urgence"],
    "élection:municipale#1": ["maire", "réélu", "Besançon", "opposition", "campagne"],
    "100% cessez-le-feu": ["cessez-le-feu", "violations", "Syrie", "Alep"],
    "gard:inondations": ["pompiers", "riverains", "inondés", "pluies"],
    "budget#1": ["budget", "conseil", "débat", "transports"],
}
VOCAB = sorted({w for ws in WORDS.values() for w in ws} | {
    "le", "la", "de", "des", "gouvernement", "président", "Macron", "Paris", "l'Assemblée",
    "aujourd'hui", "État", "œuvre", "naïf"})
NAMES = ["SNCF", "Moscou", "Washington", "Besançon", "Emmanuel Macron", "Nîmes", "AFP",
         "Le Monde", "fr", "en"]
FIELDS = ["title", "date", "actor", "place", "source", "lang", "Note", "http"]
TOKENS = ["AND", "OR", "NOT", "and", "-", "+", "*", "(", ")", '"', "'", ":", "::", "[", "]",
          "..", "TO", ">", "<", ">=", "\\", "\x00", "-(", "+)", "*)", "**", "-\"", "~2", "^3",
          "{", "}", "/", "|", "&&", "||", "!", "?", "%", "#", "@", "…", "«", "»", "’",
          "\u200b", "\u0301", "e\u0301", "🙂", "ﬁ", "\t", "\n", *[f + ":" for f in FIELDS],
          *VOCAB]

PROPERTY = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _build(tmp: Path, records: list[dict]) -> Path:
    src = tmp / "articles.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                   encoding="utf-8")
    saved = signal.getsignal(signal.SIGTERM)  # `index` installs a handler; keep pytest's
    try:
        result = CliRunner().invoke(cli, ["index", str(src), "--index", str(tmp / "ix")])
    finally:
        signal.signal(signal.SIGTERM, saved)
    assert result.exit_code == 0, (result.stderr, result.exception)
    return tmp / "ix"


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("queries"), ARTICLES)


def run(*args: str):
    """Run the CLI; check the contract every run must keep, whatever the input."""
    result = CliRunner().invoke(cli, list(args))
    shown = [a if len(a) < 80 else a[:60] + f"… ({len(a)} chars)" for a in args]
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        f"{result.exception!r} for {shown!r}"
    assert result.exit_code in (0, 1, 2), (result.exit_code, shown)
    assert "Traceback" not in result.stderr
    if result.exit_code == 2:
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("depeches: error: "), result.stderr
    return result


def search(index: Path, query: str, *extra: str):
    # `--` so that a query starting with "-" reaches the query parser, not click.
    return run("search", "--index", str(index), *extra, "--", query)


def hit_ids(result) -> set[str]:
    return {h["article_id"] for h in map(json.loads, result.stdout.splitlines())
            if h["type"] == "hit"}


# -- any string ---------------------------------------------------------------------------

token_soup = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=4)), max_size=40)
hostile = st.one_of(
    st.text(),  # any Unicode, NUL and controls included
    token_soup.map(" ".join),
    token_soup.map("".join),
    st.text(alphabet=st.sampled_from('()"-*: ORANDT'), max_size=200),
    st.text(min_size=1000, max_size=5000),
)


@PROPERTY
@given(query=hostile)
@example(query="")
@example(query="\x00")
@example(query="title:")
@example(query="date:")
@example(query="actor:")
@example(query='"')
@example(query="-")
@example(query="*")
@example(query="NOT")
@example(query="AND OR NOT")
@example(query="date:2016-02-30")
@example(query="date:[2016 TO")
@example(query="date:..")
@example(query=" ".join(["grève"] * 2500))
@example(query="x" * 5000)
def test_any_query_ends_in_0_1_or_2(index, query):
    search(index, query)


@PROPERTY
@given(command=st.sampled_from(["facets", "export"]), query=hostile)
def test_any_query_to_facets_and_export_ends_in_0_1_or_2(index, command, query):
    run(command, "--index", str(index), "--", query)


@pytest.mark.parametrize("query", ["-grève budget", "-Macron"])
def test_a_query_starting_with_an_exclusion_needs_no_double_dash(index, query):
    result = run("search", query, "--index", str(index))
    assert result.exit_code in (0, 1), result.stderr


@pytest.mark.parametrize("query", ["(" * 2000, "(grève " * 600, "-(" * 1000],
                         ids=["parens", "words", "negations"])
def test_deeply_nested_query_is_not_a_traceback(index, query):
    search(index, query)


option_value = st.one_of(st.text(max_size=30), st.sampled_from(
    ["", " ", ",", "\x00", "2016", "2016-02-30", "2016-13", "0000", "9999-12-31", "-1",
     "SNCF", "Besançon", "fr", "AFP"]))


@PROPERTY
@given(option=st.sampled_from(["--since", "--until", "--actor", "--place", "--source",
                               "--lang"]),
       value=option_value, query=st.sampled_from(["", "grève", "date:2016"]))
def test_any_filter_value_ends_in_0_1_or_2(index, option, value, query):
    result = CliRunner().invoke(cli, ["search", "--index", str(index), f"{option}={value}",
                                      "--", query])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        f"{result.exception!r} for {option}={value!r}"
    assert result.exit_code in (0, 1, 2)
    assert "Traceback" not in result.stderr
    if result.exit_code == 2:  # ours ("depeches: error: ...") or click's ("Error: ...")
        assert result.stderr.splitlines()[-1].startswith(("depeches: error: ", "Error: "))


# -- queries from the grammar -------------------------------------------------------------

word = st.sampled_from(VOCAB)
year = st.integers(1990, 2030).map(str)
month = st.tuples(year, st.integers(1, 12)).map(lambda t: f"{t[0]}-{t[1]:02d}")
day = st.tuples(month, st.integers(1, 28)).map(lambda t: f"{t[0]}-{t[1]:02d}")
a_date = st.one_of(year, month, day)
good_date = st.one_of(
    a_date,
    st.tuples(a_date, a_date).map(lambda t: f"{t[0]}..{t[1]}"),
    st.tuples(a_date, a_date).map(lambda t: f"[{t[0]} TO {t[1]}]"),
    a_date.map(lambda d: f">{d}"), a_date.map(lambda d: f"<{d}"),
    a_date.map(lambda d: f"{d}.."), a_date.map(lambda d: f"..{d}"),
)
bad_date = st.sampled_from(["2016-13", "2016-02-30", "16", "mai", "2016/05", "2016-1-1x"])
name = st.sampled_from(NAMES).map(lambda n: f'"{n}"' if " " in n else n)
term = st.one_of(
    word,
    word.map(lambda w: w[:4] + "*"),
    st.lists(word, min_size=2, max_size=3).map(lambda ws: '"' + " ".join(ws) + '"'),
    word.map(lambda w: f"title:{w}"),
    st.tuples(st.sampled_from(["actor", "place", "source", "lang"]), name)
    .map(lambda t: f"{t[0]}:{t[1]}"),
    good_date.map(lambda d: f"date:{d}"),
)


def _combine(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(inner, st.sampled_from([" ", " AND ", " OR ", " NOT "]), inner)
        .map("".join),
        inner.map(lambda q: f"({q})"),
        inner.map(lambda q: f"NOT {q}"),
        inner.map(lambda q: f"-{q}"),
        inner.map(lambda q: f"+{q}"),
    )


grammar = st.recursive(term, _combine, max_leaves=10)


@PROPERTY
@given(query=grammar)
@example(query='date:[2016-01 TO 2016-06] AND (grève OR "trafic perturbé") -Macron')
@example(query="title:sécheresse OR place:Nîmes")
def test_grammar_queries_are_never_refused(index, query):
    result = search(index, query, "--json")
    assert result.exit_code in (0, 1), result.stderr
    if result.exit_code == 0:
        assert hit_ids(result)


@PROPERTY
@given(query=grammar, date=bad_date)
def test_a_bad_date_is_the_one_refusal_and_it_names_the_date(index, query, date):
    result = search(index, f"{query} date:{date}")
    assert result.exit_code == 2
    assert date in result.stderr


@PROPERTY
@given(pair=st.sampled_from([(i, w) for i, ws in WORDS.items() for w in ws]),
       noise=st.one_of(st.just(""), grammar))
def test_a_word_of_an_article_or_anything_finds_it(index, pair, noise):
    article_id, w = pair
    query = f"{w} OR ({noise})" if noise else w
    result = search(index, query, "--json", "--limit", "100")
    assert article_id in hit_ids(result), query


# -- every article by its id --------------------------------------------------------------

# Ids may hold commas, spaces, and shapes like the internal document keys ("a:x", "x#1").
ids = (st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=30)
       .map(str.strip).filter(bool))


def test_every_article_of_the_index_is_shown_by_its_id(index):
    for a in ARTICLES:
        result = run("show", "--index", str(index), "--json", "--", a["id"])
        assert result.exit_code == 0, (a["id"], result.stderr)
        shown = json.loads(result.stdout)
        assert (shown["article_id"], shown["title"]) == (a["id"], a["title"])


def _show_all(records: list[dict]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ix = _build(Path(tmp), records)
        for r in records:
            result = run("show", "--index", str(ix), "--json", "--", r["id"])
            assert result.exit_code == 0, (r["id"], result.stderr)
            assert json.loads(result.stdout)["title"] == r["title"], r["id"]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ids, min_size=1, max_size=4, unique=True))
@example(["b#1", "x#1", "x", "\x00", "-n", "--help", "é/ü 100%"])
def test_any_id_is_found_by_show(id_list):
    _show_all([{"id": i, "title": f"Titre {n}", "lang": "fr",
                "body": f"Le maire inaugure la médiathèque numéro {n}."}
               for n, i in enumerate(id_list)])


LONG_BODY = "\n\n".join(f"Paragraphe {n} : le conseil municipal débat longuement du budget "
                         f"des transports et de la voirie pour l'année prochaine." * 3
                         for n in range(4))



@pytest.mark.parametrize("article_id", ["AFP, 12 mai 2016", ",", "dépêche 42 "])
def test_id_with_a_comma_or_a_trailing_space_is_shown(article_id):
    _show_all([{"id": article_id, "title": "Titre", "body": "Le maire inaugure le stade."}])


def test_updating_an_article_leaves_the_others_alone():
    with tempfile.TemporaryDirectory() as tmp:
        first = [{"id": "a", "title": "A", "body": "Le maire inaugure la médiathèque."},
                 {"id": "a,b", "title": "AB", "body": "Le préfet inaugure le musée."}]
        ix = _build(Path(tmp), first)
        first[0]["body"] = "Le maire ferme la médiathèque."
        _build(Path(tmp), first)  # re-index: "a" changed, "a,b" unchanged
        result = search(ix, "musée", "--json")
        assert hit_ids(result) == {"a,b"}


def test_an_id_shaped_like_another_articles_passage_key():
    _show_all([{"id": "a:b", "title": "Premier", "body": LONG_BODY},
               {"id": "b#1", "title": "Second", "body": "Le maire inaugure le stade."}])
