"""Highlighting, read like prose: ``[[match]]`` marks what a query found in a passage."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from indexer.analysis import analyze, number_variants, word_forms, words
from indexer.model import TermMatch
from indexer.search.highlight import Matcher, Pattern, WordPattern, find_matches, merge_spans


def mark(text: str, spans, before: str = "[[", after: str = "]]") -> str:
    """``text`` with each span wrapped in markers, to read highlights in a test."""
    out, pos = [], 0
    for start, end in spans:
        out += [text[pos:start], before, text[start:end], after]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def pattern(query: str) -> Pattern:
    """The pattern a search builds for a common word or a phrase (stem, exact, plural)."""
    wps = []
    for word, *_ in words(query):
        forms = word_forms(word.lower())
        if forms is None:
            continue
        stem, exact = forms
        wps.append(WordPattern(word, frozenset({stem, exact}), exact,
                               variants=number_variants(exact)))
    return Pattern(query, tuple(wps))


def highlight(text: str, *queries: str) -> str:
    spans, _ = find_matches(text, "fr", [pattern(q) for q in queries])
    return mark(text, spans)


def spans_of(text: str, *queries: str) -> tuple[tuple[int, int], ...]:
    return find_matches(text, "fr", [pattern(q) for q in queries])[0]


def hows(text: str, *queries: str) -> list[tuple[str, str]]:
    return [(m.word, m.how) for m in find_matches(text, "fr", [pattern(q) for q in queries])[1]]


# -- prose ------------------------------------------------------------------------------

def test_no_match_leaves_the_passage_alone():
    text = "Des photos montrent l'ensemble de la façade effondrée."
    assert highlight(text, "Alep") == text
    assert spans_of(text, "Alep") == ()


def test_a_match_at_the_start():
    assert highlight("Alep est retombé dans le bruit des bombes.", "Alep") == \
        "[[Alep]] est retombé dans le bruit des bombes."


def test_a_match_at_the_end_finds_the_plural():
    assert highlight("Alep est retombé dans le bruit des bombes", "bombe") == \
        "Alep est retombé dans le bruit des [[bombes]]"


def test_a_stem_match():
    text = "Le bombardement a été confirmé par l'Observatoire."
    assert highlight(text, "bombarder") == \
        "Le [[bombardement]] a été confirmé par l'Observatoire."
    assert hows(text, "bombarder") == [("bombardement", "stem")]


def test_every_occurrence_is_marked():
    assert highlight("quatre hôpitaux du côté rebelle et un hôpital", "hôpital") == \
        "quatre [[hôpitaux]] du côté rebelle et un [[hôpital]]"


def test_an_elided_article_stays_outside_the_mark():
    assert highlight("l'émissaire de l'ONU pour la Syrie", "ONU") == \
        "l'émissaire de l'[[ONU]] pour la Syrie"
    assert highlight("L’Assemblée nationale a voté.", "assemblée") == \
        "L’[[Assemblée]] nationale a voté."
    assert highlight("jusqu'à Alep et lorsqu'Alep tombera", "Alep") == \
        "jusqu'à [[Alep]] et lorsqu'[[Alep]] tombera"


def test_accents_are_folded_both_ways():
    # The query has accents, the text has none, and the other way round.
    assert highlight("sous l'impulsion des Etats-Unis", "États-Unis") == \
        "sous l'impulsion des [[Etats-Unis]]"
    assert highlight("la Russie et des États-Unis", "Etats-Unis") == \
        "la Russie et des [[États-Unis]]"
    assert hows("un seul hôpital", "hopital") == [("hôpital", "folding")]


def test_a_compound_is_one_mark_and_its_parts_are_found_too():
    text = "le cessez-le-feu entré en vigueur le 27 février"
    assert highlight(text, "cessez-le-feu") == "le [[cessez-le-feu]] entré en vigueur le 27 février"
    assert highlight(text, '"cessez le feu"') == highlight(text, "cessez-le-feu")
    assert highlight(text, "feu") == "le cessez-le-[[feu]] entré en vigueur le 27 février"


def test_a_phrase_needs_its_words_in_order():
    assert highlight("Les rebelles ont lancé une offensive", "offensive rebelle") == \
        "Les rebelles ont lancé une offensive"
    assert highlight("L'offensive rebelle a commencé", "offensive rebelle") == \
        "L'[[offensive rebelle]] a commencé"


def test_overlapping_matches_merge_into_one_mark():
    assert highlight("L'offensive rebelle a commencé", "offensive rebelle", "rebelle") == \
        "L'[[offensive rebelle]] a commencé"


def test_neighbouring_words_keep_their_own_marks():
    assert highlight("L'offensive rebelle a commencé", "offensive", "rebelle") == \
        "L'[[offensive]] [[rebelle]] a commencé"


def test_offsets_count_characters_not_bytes():
    text = "Sergueï Lavrov 🇷🇺 a rencontré Staffan de Mistura"
    assert spans_of(text, "Mistura") == ((41, 48),)
    assert highlight(text, "Mistura") == "Sergueï Lavrov 🇷🇺 a rencontré Staffan de [[Mistura]]"
    assert highlight(text, "serguei") == "[[Sergueï]] Lavrov 🇷🇺 a rencontré Staffan de Mistura"


def test_non_latin_scripts_are_marked_in_place():
    text = "Le président Зеленський (Zelensky) à Kyiv — 东京 aussi"
    assert highlight(text, "Зеленський") == \
        "Le président [[Зеленський]] (Zelensky) à Kyiv — 东京 aussi"


def test_mark_takes_any_markers():
    assert mark("à Alep, puis à Gaza", ((2, 6), (15, 19)), "<b>", "</b>") == \
        "à <b>Alep</b>, puis à <b>Gaza</b>"


def test_how_each_word_matched():
    text = "Les Etats-Unis ont bombardé des hôpitaux."
    assert hows(text, "Etats-Unis", "bombardement", "hopitaux") == [
        ("Etats-Unis", "phrase"), ("bombardé", "stem"), ("hôpitaux", "folding")]


# -- merge_spans ----------------------------------------------------------------------

@pytest.mark.parametrize("spans, expected", [
    ([], ()),                                    # nothing
    ([(5, 8)], ((5, 8),)),                       # one span
    ([(5, 8), (0, 3)], ((0, 3), (5, 8))),        # sorted
    ([(0, 5), (3, 8)], ((0, 8),)),               # overlapping: merged
    ([(0, 10), (2, 4)], ((0, 10),)),             # nested: the outer one
    ([(0, 4), (4, 9)], ((0, 4), (4, 9))),        # adjacent: kept apart
    ([(2, 6), (2, 6)], ((2, 6),)),               # duplicates: once
    ([(8, 10), (0, 3), (2, 9)], ((0, 10),)),     # a chain of overlaps
])
def test_merge_spans(spans, expected):
    assert merge_spans(spans) == expected


# -- properties ------------------------------------------------------------------------

_WORDS = st.sampled_from([
    "Alep", "l'ONU", "d’Alep", "États-Unis", "Etats-Unis", "cessez-le-feu", "feu", "les",
    "bombardements", "hôpitaux", "Sergueï", "🇷🇺", "«", "»", ".", "M.", "rebelle", "offensive",
    "Зеленський", "东京", "\u00ad", "qu'", "  ",
])
_TEXTS = st.lists(_WORDS, max_size=30).map(" ".join)
_QUERIES = st.lists(st.sampled_from([
    "Alep", "ONU", "États-Unis", "cessez-le-feu", "feu", "bombardement", "hopital",
    "offensive rebelle", "rebelle", "serguei", "Зеленський",
]), min_size=1, max_size=4)


@given(text=_TEXTS, queries=_QUERIES)
def test_spans_are_in_bounds_sorted_and_disjoint(text, queries):
    spans = spans_of(text, *queries)
    assert all(0 <= start < end <= len(text) for start, end in spans)
    assert list(spans) == sorted(spans)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in pairwise(spans))


@given(text=_TEXTS, queries=_QUERIES)
def test_marking_only_adds_markers(text, queries):
    assert highlight(text, *queries).replace("[[", "").replace("]]", "") == text


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(1, 20)), max_size=12))
def test_merge_spans_covers_the_same_characters(pairs):
    spans = [(start, start + length) for start, length in pairs]
    merged = merge_spans(spans)
    covered = {i for s, e in spans for i in range(s, e)}
    assert {i for s, e in merged for i in range(s, e)} == covered
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in pairwise(merged))


def reference_find_matches(text, lang, patterns):
    """:func:`find_matches` as its definition reads: every pattern tried at every token
    of the whole analysis. The matcher makes only the tokens that may match, and asks
    each only the patterns it may open."""
    tokens = analyze(text, lang)
    spans, matches = [], []
    for p in patterns:
        n = len(p.words)
        for i in range(len(tokens) - n + 1):
            hows = [wp.how(t, text[t.start:t.end])
                    for wp, t in zip(p.words, tokens[i:i + n], strict=True)]
            if None not in hows:
                start, end = tokens[i].start, tokens[i + n - 1].end
                spans.append((start, end))
                matches.append(TermMatch(p.label, text[start:end], hows[0] if n == 1 else "phrase"))
    return merge_spans(spans), tuple(dict.fromkeys(matches))


_SENTENCES = st.lists(st.sampled_from([
    "Alep", "alep", "l'ONU", "L'", "d’Alep", "Etats-Unis", "feu", "les", "Les", "bombardements",
    "M.", ". ", "? ", "« ", "\n", "Offensive", "offensive", "rebelle", "Rebelles", "qu'", "ONU",
    "hôpital", "Hôpitaux", "etc.", ", ",
]), max_size=30).map(" ".join)
_OTHER_WORDS = st.sampled_from([
    WordPattern("offens*", frozenset(), "offens", prefix=True),
    WordPattern("Alep~", frozenset({"alep"}), "alep", fuzzy=frozenset({"alp"})),
    # By its stem alone: "Offensive" matches where a sentence starts, not as a name.
    WordPattern("offensif", frozenset({"offens"}), "offensif"),
])


@given(text=_SENTENCES, queries=_QUERIES, extra=st.lists(_OTHER_WORDS, max_size=2))
@example(text="Offensive de M. Offensive, l'Offensive. Offensive rebelle", queries=["rebelle"],
         extra=[WordPattern("offensif", frozenset({"offens"}), "offensif")])
def test_the_matcher_finds_what_every_pattern_at_every_token_finds(text, queries, extra):
    patterns = [pattern(q) for q in queries] + [Pattern(wp.word, (wp,)) for wp in extra]
    for lang in ("fr", "en"):
        assert find_matches(text, lang, patterns) == reference_find_matches(text, lang, patterns)
        matcher = Matcher(patterns)  # one for many passages
        assert matcher.find(text, lang) == matcher.find(text, lang)
