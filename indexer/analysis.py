"""French analysis: tokenizer | elision | lowercase | stop words | stem | fold.

One chain serves the index and the query, and the index records
:data:`CHAIN_VERSION` so that a changed chain asks for a re-index instead of
silently losing recall.

Each token has two forms, indexed in two fields:

- ``exact``: lowercased and accent-folded, never stemmed;
- ``stem``: the Snowball stem, then accent-folded. Snowball relies on accents,
  so folding comes after stemming. Proper nouns (capitalised words that do not
  start a sentence, and acronyms) keep their exact form here too, because
  Snowball over-stems names: ``Gaza`` would become ``gaz`` and ``Français``
  ``franc``.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterator
from itertools import accumulate, compress, repeat
from operator import itemgetter, methodcaller
from typing import Any, NamedTuple

# table: the store's term caches take it here too (the store reads analysis, not text).
from .text import fold, table

CHAIN_VERSION = "fr-7"

# Elided articles and conjunctions, dropped with their apostrophe (l'ONU -> ONU).
ELISIONS = frozenset(
    "l d j m n s t c qu jusqu lorsqu puisqu quoiqu".split()
)

# The full Snowball French stop list (Whoosh's own list lacks "les" and "ils").
FRENCH_STOP_WORDS = frozenset("""
au aux avec ce ces dans de des du elle en et eux il ils je la le les leur leurs lui ma mais
me même mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te
tes toi ton tu un une vos votre vous c d j l à m n s t y été étée étées étés étant étante
étants étantes suis es est sommes êtes sont serai seras sera serons serez seront serais
serait serions seriez seraient étais était étions étiez étaient fus fut fûmes fûtes furent
sois soit soyons soyez soient fusse fusses fût fussions fussiez fussent ayant ayante
ayantes ayants eu eue eues eus ai as avons avez ont aurai auras aura aurons aurez auront
aurais aurait aurions auriez auraient avais avait avions aviez avaient eut eûmes eûtes
eurent aie aies ait ayons ayez aient eusse eusses eût eussions eussiez eussent
""".split())

# Words that make a question a question; dropped from queries only, since in
# a passage they carry meaning ("quand" in "quand la guerre a éclaté").
QUESTION_WORDS = frozenset("""
a quel quels quelle quelles lequel laquelle lesquels lesquelles combien comment pourquoi
où quand quoi qui que qu est-ce
""".split())

# Interrogative determiners and pronouns: the noun after them names the kind of
# answer ("En quelle année", "Dans quel pays"), which a passage rarely repeats.
INTERROGATIVES = frozenset(
    "quel quelle quels quelles lequel laquelle lesquels lesquelles".split()
)

# Snowball algorithms by ISO 639-1 code, for languages other than French.
SNOWBALL_LANGUAGES = {
    "fr": "french", "en": "english", "de": "german", "es": "spanish", "it": "italian",
    "pt": "portuguese", "nl": "dutch", "sv": "swedish", "no": "norwegian", "da": "danish",
    "fi": "finnish", "ru": "russian", "hu": "hungarian", "ro": "romanian", "tr": "turkish",
    "ca": "catalan", "el": "greek", "lt": "lithuanian", "ar": "arabic", "id": "indonesian",
    "ga": "irish", "ne": "nepali", "ta": "tamil", "hy": "armenian", "eu": "basque",
    "sr": "serbian", "yi": "yiddish",
}

# Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    "M MM Mme Mmes Mlle Mlles Me Mes Dr Pr Mgr St Ste Cie av apr J.-C etc cf p vol n".split()
)

WORD = re.compile(r"[^\W_]+")
"""A word: a run of letters and digits, as analysis cuts text (and hands it back to
:func:`indexer.pipeline.entities.mentioned` through :func:`article_forms`)."""
_WORD_SPLIT = re.compile(f"({WORD.pattern})")  # the same words, captured: split keeps them
_SENTENCE_GAP = re.compile(r"[.!?…:«\"“\n]")


class Token(NamedTuple):
    """One analysed word: its index forms and where it stands in the text."""

    stem: str
    exact: str
    start: int
    end: int
    proper: bool


def _load_stemmer(algorithm: str):
    """PyStemmer (C) when installed, else the pure-Python snowballstemmer."""
    try:
        import Stemmer

        # No cache of its own: word_forms keeps each word's stem already, and PyStemmer's
        # 10,000 [stem, age] lists were walked by every full garbage collection.
        return Stemmer.Stemmer(algorithm, 0).stemWord
    except (ImportError, KeyError):
        import snowballstemmer

        return snowballstemmer.stemmer(algorithm).stemWord


_stemmers: dict[str, object] = {}


def stemmer_for(lang: str | None):
    """The stem function for a language code, or ``None`` when Snowball has none."""
    algorithm = SNOWBALL_LANGUAGES.get(lang or "fr")
    if algorithm is None:
        return None
    fn = _stemmers.get(algorithm)
    if fn is None:
        try:
            fn = _stemmers[algorithm] = _load_stemmer(algorithm)
        except (KeyError, ValueError):
            return None
    return fn


def word_forms(lower: str, lang: str = "fr") -> tuple[str, str] | None:
    """``(stem, exact)`` of a lowercased word, or ``None`` for a stop word."""
    try:
        stem = _FORMS[lang][lower]
    except KeyError:
        return _kept_forms(lower, lang)
    return None if stem is None else (stem, _EXACT[lang][lower])


def _kept_forms(lower: str, lang: str) -> tuple[str, str] | None:
    """:func:`word_forms`, worked out and kept in :data:`_FORMS` and :data:`_EXACT`."""
    stems, exacts = _forms_tables(lang)
    forms = _word_forms(lower, lang)
    if forms is None:
        stems[lower] = None
    else:
        stems[lower], exacts[lower] = forms
    return forms


def _forms_tables(lang: str) -> tuple[dict[str, str | None], dict[str, str]]:
    """A language's dicts of :data:`_FORMS` and :data:`_EXACT`, which start afresh
    together once full."""
    stems = table(_FORMS, lang, _FORMS_KEPT)
    # New, or made afresh: so are the exact forms. Not whenever the stems are empty: a
    # text's first new word found them so, and its caller's exact forms were then
    # orphaned, so that the word's next occurrence had none ("maison maison").
    if _EXACT_WITH.get(lang) is not stems:
        _EXACT_WITH[lang] = stems
        _EXACT[lang] = {}
    return stems, _EXACT[lang]


# Per language, plain dicts keyed by the word (see indexer.text.fold for why not
# lru_cache): the stem, None for a stop word, and the exact form of the others. Not the
# pair of them in one dict: each new word's pair made the collector track the dict
# again, and each full collection of a long-lived process walked its hundreds of
# thousands of words.
_FORMS: dict[str, dict[str, str | None]] = {}
_EXACT: dict[str, dict[str, str]] = {}
_EXACT_WITH: dict[str, dict[str, str | None]] = {}  # the stems each language's go with
_FORMS_KEPT = 400_000


def _word_forms(lower: str, lang: str) -> tuple[str, str] | None:
    if lang == "fr" and lower in FRENCH_STOP_WORDS:
        return None
    exact = fold(lower)
    if lower.isdigit():
        return exact, exact
    stem = stemmer_for(lang)
    return (fold(stem(lower)) if stem else exact), exact


def number_variants(exact: str) -> frozenset[str]:
    """The other grammatical number of a folded word (``bombardement`` ↔ ``bombardements``,
    ``hopital`` ↔ ``hopitaux``), so that an exact match is not lost to a plural."""
    if len(exact) <= 3 or exact.isdigit():
        return frozenset()
    if exact.endswith("aux"):
        return frozenset([exact[:-3] + "al"])
    if exact.endswith("al"):
        return frozenset([exact[:-2] + "aux"])
    if exact.endswith(("s", "x")) and not exact.endswith("ss"):
        return frozenset([exact[:-1]])
    return frozenset([exact + "s"])


def words(text: str) -> Iterator[tuple[str, int, int, bool]]:
    """Split text into ``(word, start, end, sentence_initial)``, elisions dropped.

    Hyphens and apostrophes separate words, so ``cessez-le-feu`` gives three
    consecutive words and can be found both as a phrase and by its parts.
    """
    prev_end = 0
    prev_word = ""
    first = True
    length = len(text)
    gap_search = _SENTENCE_GAP.search  # searched in place: no slice of the gap per word
    for m in WORD.finditer(text):
        start, end = m.span()
        word = m.group()
        if end < length and text[end] in "'’" and word.lower() in ELISIONS:
            continue
        initial = first or (
            gap_search(text, prev_end, start) is not None
            and not (text[prev_end] == "." and prev_word in ABBREVIATIONS)
        )
        yield word, start, end, initial
        prev_end, prev_word, first = end, word, False


def analyze(text: str, lang: str | None = "fr",
            names: frozenset[str] = frozenset()) -> list[Token]:
    """The index-time chain: every kept word with both of its forms and its offsets.

    ``names`` are lowercased words of the article's known entities: they stay
    unstemmed even where they start a sentence (``Gaza est…``).
    """
    return _analyze(text, lang, names, None)  # type: ignore[return-value]


def analyze_some(text: str, lang: str | None, forms: Container[str]) -> list[Token | None]:
    """:func:`analyze`'s tokens, each of those whose stem and exact form are both not one
    of ``forms`` left None (in its place, so that the others keep theirs).

    For the highlighter, which looks for a query's few forms in the passages shown: a
    token it cannot match is never made, nor its sentence start tested."""
    return _analyze(text, lang, frozenset(), forms)


def _analyze(text: str, lang: str | None, names: frozenset[str],
             forms: Container[str] | None) -> list[Token | None]:
    """:func:`analyze`, and :func:`analyze_some` when ``forms`` is given.

    :func:`words` inlined, with the rule for names: a capitalised word is a name
    mid-sentence; where a sentence starts, only an acronym or one of ``names`` is.
    This loop is the hottest of the analysis. Whether a word starts a sentence is
    asked only of a capitalised word (most words are not), and the forms of a word
    come from a plain dict.
    """
    lang = lang or "fr"
    stems, exacts = _forms_tables(lang)
    tokens: list[Token | None] = []
    append = tokens.append
    new = tuple.__new__  # skips NamedTuple's Python-level __new__: this loop is hot
    gap_search = _SENTENCE_GAP.search  # searched in place: no slice of the gap per word
    # Words and the gaps between them in one C call, each part's end from their lengths:
    # no match object per word (13 % of this loop over OrangeSum passages).
    parts = _WORD_SPLIT.split(text)  # gap, word, gap, word, …, gap
    ends = list(accumulate(map(len, parts)))
    prev_end = 0
    prev_word = ""
    first = True
    for k in range(1, len(parts), 2):
        word = parts[k]
        lower = word.lower()
        after = parts[k + 1]
        if after and after[0] in "'’" and lower in ELISIONS:
            continue  # an elision: dropped, and no word for the next one's sentence test
        end = ends[k]
        stem = stems.get(lower, _MISSING)
        if stem is _MISSING:
            stem, exact = _kept_forms(lower, lang) or _NO_FORMS
        elif stem is not None:
            exact = exacts[lower]
        if stem is not None and forms is not None and stem not in forms and exact not in forms:
            append(None)  # no form the caller asks for: no token made, no sentence start tested
        elif stem is not None:
            start = ends[k - 1]
            if word[0].isupper():
                # Mid-sentence, a name; at a sentence start, only an acronym or a known name.
                if first or (gap_search(text, prev_end, start) is not None
                             and not (text[prev_end] == "." and prev_word in ABBREVIATIONS)):
                    proper = (len(word) > 1 and word.isupper()) or lower in names
                else:
                    proper = True
            else:
                proper = False
            append(new(Token, (exact if proper else stem, exact, start, end, proper)))
        prev_end, prev_word, first = end, word, False
    return tokens


_MISSING: Any = object()  # typed Any: it stands for a missing entry of any dict
_NO_FORMS: tuple[Any, str] = (None, "")
_FORMS_CACHED = 400_000  # words per language, as word_forms' own cache


def article_forms(texts: list[str], lang: str | None = "fr",
                  names: frozenset[str] = frozenset(),
                  words: list[list[str]] | None = None) -> list[tuple[str, str]]:
    """The ``stem`` and ``exact`` field values of each of one article's ``texts``
    (its title, its passages): space-joined forms, in order.

    ``exact`` holds only the forms that differ from their stem: the others are
    already in ``stem``, and every posting costs indexing time in pure Python.

    A word that one of them writes as a name mid-sentence is a name where a
    sentence starts with it too: after "la Révolution éclate", a title or sentence
    starting "Révolution" keeps ``revolution``, not the stem ``revolu``, so that a
    search for the name finds it there as well.

    The same words and forms as :func:`analyze` gives (a test holds them to it), with
    no token made: only a capitalised word is looked at alone, and the others go
    through ``map`` and ``join``: 0.33 ms an OrangeSum article against 0.40 for a loop
    over its tokens.

    ``words``, if given, receives each text's words as written (runs of letters and
    digits, elisions included), for a caller that looks for names in them too."""
    lang = lang or "fr"
    forms_of = _index_forms_cache.setdefault(lang, {})
    written: set[str] = set()  # words written as names mid-sentence
    texts_forms = [_text_forms(text, lang, names, forms_of, written) for text in texts]
    if words is not None:
        words.extend(text_words for _, _, text_words in texts_forms)
    out = []
    for forms, starts, _ in texts_forms:
        for i in starts:  # capitalised where a sentence starts, and not a name there
            f = forms[i]
            if f is not None and f[1] in written:
                forms[i] = _as_name(f)
        kept = [f for f in forms if f is not None]
        out.append((" ".join(map(_STEM, kept)), " ".join(filter(None, map(_EXTRA, kept)))))
    return out


_STEM, _EXTRA = itemgetter(0), itemgetter(2)
_index_forms_cache: dict[str, dict[str, tuple[str, str, str] | None]] = {}


def _as_name(forms: tuple[str, str, str]) -> tuple[str, str, str]:
    """A word's forms where it is a name: its exact form stands for its stem."""
    return (forms[1], forms[1], "")


def _text_forms(text: str, lang: str, names: frozenset[str],
                forms_of: dict[str, tuple[str, str, str] | None], written: set[str]
                ) -> tuple[list[tuple[str, str, str] | None], list[int], list[str]]:
    """For each word of ``text``: ``(stem, exact, exact if it differs else "")``, the
    stem being the exact form for a name, or None for a stop word and an elision; the
    capitalised words that start a sentence but are not names there, which
    :func:`article_forms` turns into names if another text writes them as one; and the
    words themselves. Adds the exact forms of the names it finds to ``written``.

    ``forms_of`` is keyed by the word as written, so that most words are never
    lowercased; no offset is counted, as the gap before a capitalised word is enough."""
    parts = _WORD_SPLIT.split(text)  # gap, word, gap, word, …, gap
    words = parts[1::2]
    forms: list[Any] = list(map(forms_of.get, words, repeat(_MISSING, len(words))))
    if _MISSING in forms:
        for i, f in enumerate(forms):
            if f is _MISSING:
                pair = word_forms(words[i].lower(), lang)
                f = forms[i] = None if pair is None else \
                    (pair[0], pair[1], pair[1] if pair[1] != pair[0] else "")
                if len(forms_of) < _FORMS_CACHED:
                    forms_of[words[i]] = f
    # Words before an apostrophe, of which the elisions: dropped, and not the word
    # before the next one.
    elided = {i for i in compress(range(len(words)), map(_BEFORE_APOSTROPHE, parts[2::2]))
              if words[i].lower() in ELISIONS}
    for i in elided:
        forms[i] = None
    gap_search = _SENTENCE_GAP.search
    starts: list[int] = []
    for i in compress(range(len(words)), map(str.isupper, map(_FIRST, words))):
        f = forms[i]
        if f is None:
            continue
        j = i - 1
        while j in elided:
            j -= 1
        word = words[i]
        if j < 0:
            initial = True
        else:  # the text between the word before (not an elision) and this one
            gap = parts[2 * i] if j == i - 1 else "".join(parts[2 * j + 2 : 2 * i + 1])
            initial = gap_search(gap) is not None and not (
                gap[0] == "." and words[j] in ABBREVIATIONS)
        if not initial or (len(word) > 1 and word.isupper()) or word.lower() in names:
            forms[i] = _as_name(f)
            written.add(f[1])
        else:
            starts.append(i)
    return forms, starts, words


_BEFORE_APOSTROPHE = methodcaller("startswith", ("'", "’"))
_FIRST = itemgetter(0)
