"""The query language: the parsed tree as a table, then what each construct finds."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer import NewsIndex
from indexer.errors import IndexerError, QuerySyntaxError
from indexer.search.parse import (
    MAX_QUERY_CHARS,
    Any_,
    DateRange,
    Filter,
    Group,
    Node,
    Text,
    parse_date_range,
    parse_query,
)

SIGNS = {"should": "", "must": "+", "must_not": "-"}


def show(node: Node, top: bool = True) -> str:
    """A compact, readable form of a parsed query: ``+must -not "a phrase" pre* f=v``."""
    if isinstance(node, Text):
        text = " ".join(node.words)
        text = f'"{text}"' if node.phrase else text
        return ("title:" if node.title_only else "") + text + ("*" if node.prefix else "")
    if isinstance(node, Filter):
        return f"{node.field}={node.value}"
    if isinstance(node, DateRange):
        return f"date[{node.start or ''}..{node.end or ''}]"
    if isinstance(node, Any_):
        return "(" + " | ".join(show(o, False) for o in node.options) + ")"
    inner = " ".join(SIGNS[occur] + show(child, False) for occur, child in node.clauses)
    return inner if top or len(node.clauses) == 1 else f"({inner})"


@pytest.mark.parametrize("text, expected", [
    ("Alep", "Alep"),                                        # one word
    ("Alep Gaza", "Alep Gaza"),                              # words are OR-ed (should)
    ('"cessez le feu"', '"cessez le feu"'),                  # a quoted phrase
    ("cessez-le-feu", '"cessez le feu"'),                    # a compound is a phrase
    ("l'ONU", "ONU"),                                        # elision dropped in queries too
    ("Alep AND ONU", "+Alep +ONU"),                          # AND makes both required
    ("Alep OR Gaza", "(Alep | Gaza)"),                       # OR
    ("(Alep OR Gaza) AND ONU", "+(Alep | Gaza) +ONU"),       # groups
    ("Alep NOT Gaza", "Alep -Gaza"),                         # NOT
    ("Alep -Gaza", "Alep -Gaza"),                            # -word
    ("+Alep Gaza", "+Alep Gaza"),                            # +word
    ("bombard*", "bombard*"),                                # prefix
    ("title:Alep", "title:Alep"),                            # title field
    ("source:AFP", "source=AFP"),                            # metadata filter
    ("lang:fr", "lang=fr"),
    ('actor:"Sergueï Lavrov"', "actor=Sergueï Lavrov"),      # quoted value
    ("place:Alep", "place=Alep"),
    ("Moscou -place:Alep", "Moscou -place=Alep"),            # -field:value excludes
    ("+source:AFP Alep", "+source=AFP Alep"),                # +field:value requires
    ("Alep -date:2016", "Alep -date[2016-01-01..2016-12-31]"),
    ("-foo:bar", "-foo bar"),                                # as "foo:bar", one word excluded
    ("Note: rien", "Note rien"),                             # "Note:" is not a field
    ("foo:bar", "foo bar"),                                  # an unknown field is words
    ("date:2016", "date[2016-01-01..2016-12-31]"),           # a year
    ("date:2016-05", "date[2016-05-01..2016-05-31]"),        # a month
    ("date:2016-01-01..2016-06-30", "date[2016-01-01..2016-06-30]"),  # a range
    ("date:>2016-05-01", "date[2016-05-01..]"),              # open end
    ("date:<2016-05", "date[..2016-05-31]"),                 # open start
    ("date:..2016", "date[..2016-12-31]"),                   # open start, range syntax
    # Forgiving: nothing below is an error.
    ('"cessez le feu', '"cessez le feu"'),                   # unclosed quote runs to the end
    ("(Alep OR Gaza", "(Alep | Gaza)"),                      # unclosed parenthesis
    ("Alep)", "Alep"),                                       # stray closing parenthesis
    ("Alep AND", "+Alep"),                                   # dangling AND: one required word
    ("OR Alep", "Alep"),                                     # leading OR
    ("NOT", ""),                                             # a lone operator
    ("", ""),                                                # empty
    ("   ", ""),                                             # blanks
    ("les de la", "les de la"),                              # stop words go later, at search
    ("Alep\x00Gaza", "Alep Gaza"),                           # a NUL is a space
])
def test_parse_query(text, expected):
    assert show(parse_query(text)) == expected


def test_a_minus_before_a_phrase_excludes_it():
    assert show(parse_query('Alep -"cessez le feu"')) == 'Alep -"cessez le feu"'


@pytest.mark.parametrize("text, expected", [
    ("2016", ("2016-01-01", "2016-12-31")),                     # a year
    ("[2016-01 TO 2016-07]", ("2016-01-01", "2016-07-31")),     # Lucene range, months
    ("2016-01-01..*", ("2016-01-01", None)),                    # open with a star
    (">=2016-05", ("2016-05-01", None)),                        # >=
])
def test_parse_date_range(text, expected):
    r = parse_date_range(text)
    assert (r.start, r.end) == expected


@pytest.mark.parametrize("text, expected", [
    ("[2016-01 TO 2016-06]", ("2016-01-01", "2016-06-30")),     # June has 30 days
    ("2016-02", ("2016-02-01", "2016-02-29")),                  # a leap February
    ("2016-02-01..2016-02-30", None),                           # no 30 February: an error
])
def test_date_ranges_know_the_calendar(text, expected):
    try:
        r = parse_date_range(text)
    except QuerySyntaxError:
        assert expected is None
    else:
        assert (r.start, r.end) == expected


@pytest.mark.parametrize("text, position", [
    ("date:2016-13", 5),             # no 13th month
    ("Alep date:hier", 10),          # not a date at all
    ("date:2016-01-32", 5),          # no 32nd day
])
def test_a_bad_date_is_the_one_error(text, position):
    with pytest.raises(QuerySyntaxError) as e:
        parse_query(text)
    assert e.value.position == position
    assert e.value.hint == "try quoting the query"


def test_a_huge_query_is_refused():
    with pytest.raises(QuerySyntaxError, match="longer than"):
        parse_query("a" * (MAX_QUERY_CHARS + 1))


def test_a_query_of_any_number_of_words_parses():
    """A pasted paragraph is a query, not an error: the search keeps its telling words."""
    tree = parse_query(" ".join(f"mot{i}" for i in range(500)))
    assert len(tree.clauses) == 500


def test_quotes_mark_a_phrase_the_search_never_leaves_out():
    (_, quoted), (_, compound) = parse_query('"cessez le feu" cessez-le-feu').clauses
    assert quoted.quoted and quoted.phrase
    assert compound.phrase and not compound.quoted


@given(st.text(max_size=60))
def test_any_text_parses_or_raises_a_query_error(text):
    try:
        tree = parse_query(text)
    except QuerySyntaxError as e:
        assert 0 <= e.position <= len(text)
    else:
        assert isinstance(tree, Group)


# -- what each construct finds, on the hand-written fixtures ---------------------------

@pytest.fixture(scope="module")
def idx(data_index):
    with NewsIndex.open(data_index) as index:
        yield index


def found(idx: NewsIndex, query: str) -> list[tuple[str, int]]:
    return [(h.article_id, h.ordinal) for h in idx.search(query, limit=10, per_article=5)]


def ids(idx: NewsIndex, query: str) -> list[str]:
    return list(dict.fromkeys(h.article_id for h in idx.search(query, limit=10)))


@pytest.mark.parametrize("query, expected", [
    ("truffes", ["jumeau-a", "jumeau-b"]),                     # a plain word; ties by id
    ("truffe", ["jumeau-a", "jumeau-b"]),                      # singular finds plural
    ("tempete", ["brest-tempete"]),                            # no accent typed
    ("truffes OR Gaza", ["jumeau-a", "jumeau-b", "gaza-treve"]),
    ("grève AND Lyon", ["lyon-metro"]),                        # both words
    ("Brest AND Lyon", []),                                    # never together
    ('"trêve de 72 heures"', ["gaza-treve"]),                  # a phrase
    ('"heures de 72 trêve"', []),                              # words out of order
    ("tru*", ["jumeau-a", "jumeau-b"]),                        # prefix
    ("title:truffes", ["jumeau-a", "jumeau-b"]),               # in the title
    ("title:Brest", ["brest-tempete"]),
    ("title:pompiers", []),                                    # in the body only
    ("source:AFP", ["vendanges", "jumeau-a", "jumeau-b", "lyon-metro", "gaza-treve"]),  # newest
    ("source:afp", ["vendanges", "jumeau-a", "jumeau-b", "lyon-metro", "gaza-treve"]),  # any case
    ("date:2016", ["brest-tempete"]),
    ("date:2014..2016", ["brest-tempete", "gaza-treve"]),
    ("date:2013-02", ["page"]),                                # a month
    ("date:>2017", ["list#2", "list#1", "vendanges", "jumeau-a", "jumeau-b", "lyon-metro"]),
    ('"marché aux', ["jumeau-a", "jumeau-b"]),                 # unclosed quote
    ("(Gaza OR Brest", ["brest-tempete", "gaza-treve"]),       # unclosed parenthesis
])
def test_what_a_query_finds(idx, query, expected):
    assert ids(idx, query) == expected


def test_not_removes_passages_that_contain_the_word(idx):
    assert found(idx, "trêve -ruines") == [("gaza-treve", 0)]
    assert found(idx, "trêve NOT ruines") == [("gaza-treve", 0)]


def test_not_alone_lists_every_other_passage(idx):
    assert ("gaza-treve", 0) not in found(idx, "NOT trêve")
    assert ("lyon-metro", 0) in found(idx, "NOT trêve")


def test_a_name_is_found_at_the_start_of_a_sentence(idx):
    assert sorted(found(idx, "Gaza")) == [("gaza-treve", 0), ("gaza-treve", 1)]


def test_a_filter_narrows_the_words_it_goes_with(idx):
    assert ids(idx, "source:AFP truffes") == ["jumeau-a", "jumeau-b"]


@pytest.mark.parametrize("since, until, typed", [
    ("2014", "2016", "date:2014..2016"),
    ("2017-06", None, "date:>2017-06-01"),
    (None, "2016", "date:<2016-12-31"),
    ("2013-02-01", "2013-02-28", "date:2013-02"),
    ("1990", "1991", "date:1990..1991"),                   # before every article: none
    ("2016-02-10", "2017-05-03", "date:2016-02-10..2017-05-03"),  # articles on both ends
])
def test_date_options_list_what_the_same_range_typed_lists(idx, since, until, typed):
    """Newest first, the options' dates bound the walk over the index's dates; a range
    typed in the query is read as any other filter."""
    def listed(**opts):
        return [(h.article_id, h.ordinal) for h in idx.search(limit=10, per_article=5, **opts)]
    options = {k: v for k, v in (("since", since), ("until", until)) if v}
    assert listed(query="", **options) == listed(query=typed)
    assert listed(query="", source=("AFP",), **options) == listed(query=typed + " source:AFP")


def test_a_minus_before_a_filter_excludes_what_it_matches(idx):
    assert ids(idx, "truffes") == ["jumeau-a", "jumeau-b"]
    assert ids(idx, "truffes -source:AFP") == []
    assert ids(idx, "truffes -source:AFP") == ids(idx, "truffes NOT source:AFP")
    assert ids(idx, "Gaza OR Brest -date:2016") == ["gaza-treve"]


@given(st.text(max_size=40))
def test_any_query_returns_results_or_a_library_error(data_index, text):
    with NewsIndex.open(data_index) as index:
        try:
            results = index.search(text, limit=3)
        except IndexerError:
            return
    assert all(h.article_id for h in results)
