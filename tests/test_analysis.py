"""The French analysis chain, as tables: one edge case per row.

The expected forms were generated once from the real chain, read by a French
speaker, then frozen. Each token has two forms: the ``stem`` form (Snowball
stem, then accent folding; names kept whole) and the ``exact`` form
(lowercased and folded, never stemmed).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.analysis import (
    CHAIN_VERSION,
    FRENCH_STOP_WORDS,
    Token,
    analyze,
    article_forms,
    fold,
    number_variants,
    word_forms,
    words,
)


def is_proper(word: str, sentence_initial: bool) -> bool:
    """The rule :func:`analyze` inlines: a name to keep unstemmed is capitalised
    mid-sentence, or an acronym."""
    if not word[0].isupper():
        return False
    return not sentence_initial or (len(word) > 1 and word.isupper())


def index_forms(text: str, lang: str = "fr") -> tuple[str, str]:
    """Both forms of every kept word, space-joined: ``(stems, exacts)``."""
    tokens = analyze(text, lang)
    return " ".join(t.stem for t in tokens), " ".join(t.exact for t in tokens)


def surface_words(text: str) -> list[str]:
    """The words the tokenizer keeps, as written (elisions already dropped)."""
    return [w for w, *_ in words(text)]


@pytest.mark.parametrize("text, expected", [
    ("l'ONU", ["ONU"]),                    # l' before an acronym
    ("L'ONU", ["ONU"]),                    # capital L at the start of a sentence
    ("l’ONU", ["ONU"]),                    # typographic apostrophe (U+2019)
    ("d'Alep", ["Alep"]),                  # d' before a place name
    ("D’ALEP", ["ALEP"]),                  # all capitals, typographic apostrophe
    ("j'espère", ["espère"]),              # j'
    ("m'appelle", ["appelle"]),            # m'
    ("n'importe", ["importe"]),            # n'
    ("s'agit", ["agit"]),                  # s'
    ("t'aime", ["aime"]),                  # t'
    ("c'est", ["est"]),                    # c'
    ("qu'ait", ["ait"]),                   # qu'
    ("Qu’il", ["il"]),                     # Qu’ capitalised, typographic apostrophe
    ("jusqu'ici", ["ici"]),                # jusqu'
    ("lorsqu'il", ["il"]),                 # lorsqu'
    ("puisqu'elle", ["elle"]),             # puisqu'
    ("quoiqu'il", ["il"]),                 # quoiqu'
    ("JUSQU'À", ["À"]),                    # jusqu' in capitals
    ("l’« ONU »", ["ONU"]),                # elision before a quotation mark
    ("l'", []),                            # a dangling elision leaves nothing
    ("la lettre l", ["la", "lettre", "l"]),  # a lone "l" without apostrophe is a word
    ("aujourd'hui", ["aujourd", "hui"]),   # not an elision: both halves stay
    ("O'Neill", ["O", "Neill"]),           # "O" is not a French elision
])
def test_elisions_are_dropped_with_their_apostrophe(text, expected):
    assert surface_words(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("élection", ("elect", "election")),     # stem, then fold
    ("Élections", ("elect", "elections")),   # capital É at the start of a sentence
    ("protégée", ("proteg", "protegee")),    # folding first would give "protege"
    ("sécurité", ("secur", "securite")),     # folding first would give "securit"
    ("libérée", ("liber", "liberee")),       # folding first would give "libere"
    ("égalité", ("egal", "egalite")),        # folding first would give "egalit"
    ("hôpital", ("hopital", "hopital")),     # circumflex
    ("forêt", ("foret", "foret")),           # circumflex on a stemmed-away ending
    ("naïf", ("naif", "naif")),              # diaeresis
    ("Noël", ("noel", "noel")),              # diaeresis, capitalised at the start
    ("cœur", ("coeur", "coeur")),            # œ ligature unfolds to "oe"
    ("Œuvre", ("oeuvr", "oeuvre")),          # capital Œ ligature
    ("Sergueï Lavrov", ("serguei lavrov", "serguei lavrov")),  # diaeresis in a name
])
def test_accents_are_folded_after_stemming(text, expected):
    assert index_forms(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("bombardement bombardements", "bombard bombard"),        # regular -s
    ("hôpital hôpitaux", "hopital hopital"),                  # -al / -aux
    ("cheval chevaux", "cheval cheval"),                      # -al / -aux
    ("journal journaux", "journal journal"),                  # -al / -aux
    ("bijou bijoux", "bijou bijou"),                          # -ou / -oux
    ("rebelle rebelles", "rebel rebel"),                      # -e / -es
    ("syrien syriens syrienne syriennes", "syrien syrien syrien syrien"),  # gender and number
    ("négociation négociations", "negoci negoci"),            # accented, -s
    ("blessé blessés", "bless bless"),                        # past participle, -és
    ("attaque attaques attaqué", "attaqu attaqu attaqu"),     # noun and participle
    ("manifestant manifestantes", "manifest manifest"),       # feminine plural
    ("pays", "pay"),                                          # invariable plural
])
def test_plurals_share_a_stem(text, expected):
    assert index_forms(text)[0] == expected


@pytest.mark.parametrize("text, expected", [
    ("les rebelles", "rebel"),              # "les" is a stop word (Whoosh's own list lacks it)
    ("ils ont lancé", "lanc"),              # "ils" and "ont" are stop words
    ("Les rebelles", "rebel"),              # a capitalised stop word is still one
    ("la de du des au aux", ""),            # articles and contractions
    ("pas de", ""),                         # negation
    ("il y a", "a"),                        # "y" goes, "a" (avoir) stays
    ("selon eux", "selon"),                 # "eux" goes, "selon" is a real word
    ("contre les civils", "contr civil"),   # "contre" is not a stop word
])
def test_stop_words_are_dropped(text, expected):
    assert index_forms(text)[0] == expected


def test_les_and_ils_are_stop_words():
    assert {"les", "ils"} <= FRENCH_STOP_WORDS


@pytest.mark.parametrize("text, expected", [
    ("cessez-le-feu", ("cess feu", "cessez feu")),               # parts; "le" is a stop word
    ("Jean-Marc", ("jean marc", "jean marc")),                   # hyphenated first name
    ("le chef de la diplomatie, Jean-Marc Ayrault.",
     ("chef diplomat jean marc ayrault", "chef diplomatie jean marc ayrault")),  # mid-sentence
    ("Bachar al-Assad", ("bachar al assad", "bachar al assad")),  # Arabic article
    ("porte-parole", ("port parol", "porte parole")),             # both halves stemmed
    ("Saint-Étienne", ("saint etienne", "saint etienne")),        # hyphenated place, accent
    ("a-t-il", ("a", "a")),                                       # euphonic t and "il" go
])
def test_compounds_split_into_consecutive_words(text, expected):
    assert index_forms(text) == expected


def test_a_compound_is_consecutive_tokens_so_phrase_and_parts_both_match():
    tokens = analyze("voler en éclats le cessez-le-feu entré en vigueur")
    stems = [t.stem for t in tokens]
    i = stems.index("cess")
    assert stems[i:i + 2] == ["cess", "feu"]  # adjacent: the phrase "cessez le feu" matches
    assert "feu" in stems                     # and the part "feu" alone matches too


@pytest.mark.parametrize("text, expected", [
    ("la bande de Gaza", ("band gaza", [False, True])),      # Gaza stays gaza, not gaz
    ("à Gaza.", ("gaza", [True])),                           # before a full stop
    ("les Français votent", ("francais votent", [True, False])),  # not "franc"
    ("selon l'OSDH", ("selon osdh", [False, True])),         # after an elision
    ("OSDH", ("osdh", [True])),                              # an acronym, even first
    ("M. Lavrov a dit", ("lavrov a dit", [True, False, False])),  # "M." does not end a sentence
    ("Sergueï Lavrov", ("serguei lavrov", [False, True])),   # first word is sentence-initial
    ("l'armée de l'Air", ("arme air", [False, True])),        # capitalised after l'
    ("au Mali", ("mali", [True])),                           # after a contraction
    # Limits, by design: a capitalised word that starts a sentence may be a
    # common word, so it is stemmed; the exact field still holds "gaza".
    ("Gaza est bombardée", ("gaz bombard", [False, False])),
    ("Il part. Français et Russes restent.",
     ("part franc russes restent", [False, False, True, False])),
    ("« Gaza »", ("gaz", [False])),                          # a quotation opens a sentence
    ("LES REBELLES", ("rebelles", [True])),                  # capitals read as an acronym
])
def test_proper_nouns_mid_sentence_are_not_stemmed(text, expected):
    stems, proper = expected
    assert index_forms(text)[0] == stems
    assert [t.proper for t in analyze(text)] == proper


def test_a_word_written_as_a_name_mid_sentence_is_a_name_at_a_sentence_start_too():
    title, body = article_forms(["Révolution", "La Révolution éclate. Révolution et Terreur."])
    assert title == ("revolution", "")                   # not "revolu"
    assert body == ("revolution eclat revolution terreur", "eclate")
    assert article_forms(["Révolution", "La révolution."]) == [("revolu", "revolution"),
                                                              ("revolu", "revolution")]


def test_tokens_carry_offsets_into_the_original_text():
    text = "L'ONU et les États-Unis"
    tokens = analyze(text)
    assert [(text[t.start:t.end], t.stem, t.exact) for t in tokens] == [
        ("ONU", "onu", "onu"),
        ("États", "etats", "etats"),
        ("Unis", "unis", "unis"),
    ]


@pytest.mark.parametrize("text, expected", [
    ("États", "Etats"),        # capital with accent
    ("œuvre", "oeuvre"),       # ligature
    ("Æsir", "AEsir"),         # capital ligature
    ("straße", "strasse"),     # sharp s
    ("Ahrar al-Cham", "Ahrar al-Cham"),  # ASCII is untouched
    ("naïve façade", "naive facade"),   # diaeresis and cedilla
])
def test_fold(text, expected):
    assert fold(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("bombardements", {"bombardement"}),  # plural to singular
    ("bombardement", {"bombardements"}),  # singular to plural
    ("hopitaux", {"hopital"}),            # -aux to -al
    ("hopital", {"hopitaux"}),            # -al to -aux
    ("prix", {"pri"}),                    # -x is read as a plural ending too
    ("onu", set()),                       # three letters: too short to guess
    ("2016", set()),                      # numbers have no number
])
def test_number_variants(text, expected):
    assert number_variants(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Snow is falling in Brest", ("snow is fall in brest", "snow is falling in brest")),
    ("les rebelles", ("les rebell", "les rebelles")),  # English chain: no French stop list
])
def test_other_languages_use_their_own_stemmer(text, expected):
    assert index_forms(text, "en") == expected


def test_the_chain_has_a_version_the_index_records():
    assert CHAIN_VERSION.startswith("fr-")


def reference_analyze(text: str, lang: str = "fr",
                      names: frozenset[str] = frozenset()) -> list[Token]:
    """:func:`analyze` as :func:`words`, :func:`is_proper` and :func:`word_forms` define it:
    analyze inlines all three, for speed."""
    tokens = []
    for word, start, end, initial in words(text):
        lower = word.lower()
        forms = word_forms(lower, lang)
        if forms is None:
            continue
        proper = is_proper(word, initial) or (word[0].isupper() and lower in names)
        tokens.append(Token(forms[1] if proper else forms[0], forms[1], start, end, proper))
    return tokens


@pytest.mark.parametrize("text", [
    "", "   ", "l'", "L'ONU vote. L'Europe s'abstient.", "Le président Macron. Le Gaza est loin",
    "M. Dupont parle à Mme Durand. Paris. dr. Who", "etc. Les Chinois… « Les Russes » :Berlin",
    "J.-C. Naissance\nLes Alpes\nl’UE et qu’ESA ?Oui! NASA", "Gaza est sous les bombes, Gaza",
    "jusqu'à l'aube, puisqu'Anne_Marie 2020 a 12 ans", "ÉTATS-UNIS États-Unis états Écoles",
    "a.Bc D'E", "Œuvre d'Œdipe. Straße", "“Les Verts” vs. Les Républicains",
])
@pytest.mark.parametrize("lang", ["fr", "en", "xx"])
def test_analyze_gives_what_its_parts_define(text, lang):
    names = frozenset({"gaza", "europe", "les"})
    for ns in (frozenset(), names):
        assert analyze(text, lang, ns) == reference_analyze(text, lang, ns)


def reference_article_forms(texts: list[str], lang: str = "fr",
                            names: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """:func:`article_forms` as :func:`analyze`'s tokens define it: article_forms makes
    no token, for speed."""
    analysed = [analyze(text, lang, names) for text in texts]
    written = {t.exact for tokens in analysed for t in tokens if t.proper}
    out = []
    for text, tokens in zip(texts, analysed, strict=True):
        stems = [t.exact if not t.proper and t.exact in written and text[t.start].isupper()
                 else t.stem for t in tokens]
        differ = (t.exact for t, stem in zip(tokens, stems, strict=True) if t.exact != stem)
        out.append((" ".join(stems), " ".join(differ)))
    return out


ANALYSED_TEXTS = [
    "", "L'ONU vote. L'Europe s'abstient.", "Le président Macron. Le Gaza est loin",
    "M. Dupont parle à Mme Durand. Paris. dr. Who", "etc. Les Chinois… « Les Russes » :Berlin",
    "J.-C. Naissance\nLes Alpes\nl’UE et qu’ESA ?Oui! NASA", "Gaza est sous les bombes, Gaza",
    "jusqu'à l'aube, puisqu'Anne_Marie 2020 a 12 ans", "ÉTATS-UNIS États-Unis états Écoles",
    "a.Bc D'E", "Œuvre d'Œdipe. Straße", "“Les Verts” vs. Les Républicains",
    "Révolution", "La Révolution éclate. Révolution et Terreur.", "L'Jusqu'Alep. M. L'Est",
    "GAZA bombardée", "Gaza est là", "Europe. L'Europe", "ONU. Onu", "Europe", "Onu",
]


@pytest.mark.parametrize("lang", ["fr", "en", "xx"])
def test_article_forms_give_what_analyze_defines(lang):
    names = frozenset({"gaza", "europe", "les"})
    for ns in (frozenset(), names):
        for n in range(len(ANALYSED_TEXTS)):
            texts = ANALYSED_TEXTS[n:n + 3]  # a title and its passages, several times over
            assert article_forms(texts, lang, ns) == reference_article_forms(texts, lang, ns)


# Words, capitals, elisions, sentence stops and abbreviations, in any order.
_PIECES = st.sampled_from([
    "Gaza", "gaza", "GAZA", "l'", "L'", "d’", "qu'", "Jusqu'", "M.", "etc.", ". ", "? ", "« ",
    " » ", ", ", " ", "\n", "_", "Révolution", "révolution", "Les", "les", "ONU", "Élysée", "a",
    "A", "2020", "é", "…"])


@given(st.lists(st.lists(_PIECES, max_size=30).map("".join), min_size=1, max_size=4))
def test_article_forms_give_what_analyze_defines_for_any_text(texts):
    for lang in ("fr", "en"):
        assert article_forms(texts, lang) == reference_article_forms(texts, lang)
        names = frozenset({"gaza", "les"})
        assert article_forms(texts, lang, names) == reference_article_forms(texts, lang, names)


@given(st.lists(st.lists(_PIECES, max_size=30).map("".join), min_size=1, max_size=4))
def test_article_forms_hand_back_each_texts_words_as_written(texts):
    words: list[list[str]] = []
    forms = article_forms(texts, "fr", frozenset(), words)
    assert forms == article_forms(texts, "fr")
    assert words == [re.findall(r"[^\W_]+", text) for text in texts]


@pytest.mark.parametrize("text, lang", [("maison maison", "fr"), ("Haus Haus", "de")])
def test_a_fresh_process_s_first_text_may_repeat_a_word(monkeypatch, text, lang):
    # The tables of word forms start empty in a new process: its first text's second
    # "maison" once found no exact form, and analysis raised KeyError.
    import indexer.analysis as analysis

    for name in ("_FORMS", "_EXACT", "_EXACT_WITH"):
        monkeypatch.setattr(analysis, name, {})
    tokens = analyze(text, lang)
    assert [t.exact for t in tokens] == text.lower().split()
    assert tokens == reference_analyze(text, lang)
