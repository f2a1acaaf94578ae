"""The gazetteers (``indexer/pipeline/gazetteer/``): places, organisations, given names,
common words and the names that are never entities, with user corrections, loaded once
per process."""

from __future__ import annotations

import gzip
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import product
from typing import NamedTuple

from ...text import name_key, word_key
from ..corrections import Corrections
from .model import GAZETTEER, ORG, PLACE
from .tokens import Token, tokenize
from .words import (
    _ARTICLES,
    _FUNCTION_WORDS,
    _LOWER_OPENERS,
    _LOWER_ORG_HEADS,
    _LOWER_PLACE_HEADS,
    _MINISTRY,
    _ORG_HEADS,
    _PARTICLES,
    _UPPER,
)


class Phrase(NamedTuple):
    keys: tuple[str, ...]
    canonical: str
    kind: str
    lower_ok: bool  # the variant starts lowercase ("océan Atlantique"): no capital needed
    upper_only: bool  # an acronym: must be written in capitals
    opener: str  # the first word as written, to find lowercase openers in text
    strong: bool  # hand-written (countries, big cities...), not a generated town name
    # "Le Caire" without its article, as French writes it after a lowercase or
    # contracted article ("au Caire", "l'Humanité"): needs that article before it.
    after_article: bool = False


@dataclass(frozen=True)
class Gazetteer:
    """Lookup tables; built once per set of corrections."""

    # "first second" token keys -> phrases of 2+ tokens, longest first;
    # "first" -> the one-token phrase.
    phrases: dict[str, list[Phrase]]
    first_names: frozenset[str]
    common_words: frozenset[str]
    runs: re.Pattern[str]  # where names may start: capitalised words, lowercase openers
    # Folded words after which a name may go on in lowercase ("Union" européenne).
    extenders: frozenset[str]
    # Folded common words that still open names: gazetteer words, given names.
    keep: frozenset[str]
    nationalities: frozenset[str]  # folded, all genders and numbers
    not_names: frozenset[str]  # name keys of what is never an actor or a place
    makes: frozenset[str]  # canonical names of carmakers, whose models follow them


def _read_lines(name: str) -> Iterator[str]:
    path = GAZETTEER / name
    opener = gzip.open if name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if line and not line.startswith("#"):
                yield line


_PLAIN_RE = re.compile(r"^[^\W\d_]+(?:[ -][^\W\d_]+)*$")


def _phrase(variant: str, canonical: str, kind: str, strong: bool = True) -> Phrase | None:
    if _PLAIN_RE.match(variant):
        # Most entries are plain words: skip the tokenizer (tens of thousands of towns).
        keys = tuple(word_key(word) for word in variant.split())
    else:
        keys = tuple(t.key for t in tokenize(variant) if t.text not in "()")
    if not keys:
        return None
    first = variant[0]
    upper_only = variant.isupper() and len(variant) <= 6
    opener = variant.split()[0].split("'")[0]
    return Phrase(keys, canonical, kind, not first.isupper(), upper_only, opener, strong)


def _article_free(phrase: Phrase | None) -> Phrase | None:
    """The phrase without its leading article: 'Le Caire' -> 'Caire', 'L'Humanité' -> 'Humanité'."""
    if phrase is None or len(phrase.keys) < 2 or phrase.keys[0] not in _ARTICLES:
        return None
    return phrase._replace(keys=phrase.keys[1:], lower_ok=False, after_article=True)


def _gazetteer_entries() -> Iterator[tuple[str, str, str, bool]]:
    """(variant, canonical, kind, strong) from the files, most trusted first."""
    for lines, kind in (
        (_read_lines("organizations.txt"), ORG),
        (_make_lines(), ORG),
        (_read_lines("places.txt"), PLACE),
    ):
        for line in lines:
            canonical, *variants = line.split("|")
            for variant in (canonical, *variants):
                yield variant, canonical, kind, True
    for line in _read_lines("cities.txt"):
        yield line, line, PLACE, False


@cache
def _base_phrases() -> dict[str, list[Phrase]]:
    table: dict[str, list[Phrase]] = defaultdict(list)
    seen: set[tuple[tuple[str, ...], bool]] = set()
    entries = list(_gazetteer_entries())
    # Spellings written in the files first: a spaced form made from "Tel-Aviv" must not
    # take "Tel Aviv", a line of its own, under another canonical name.
    for variant, canonical, kind, strong in entries:
        phrase = _phrase(variant, canonical, kind, strong)
        _add_phrase(table, seen, phrase)
        if strong:
            _add_phrase(table, seen, _article_free(phrase))
    for variant, canonical, kind, strong in entries:
        for form in _unhyphenated(variant, kind, strong):
            _add_phrase(table, seen, _phrase(form, canonical, kind, strong))
    return table


def _unhyphenated(variant: str, kind: str, strong: bool) -> list[str]:
    """The spellings of a compound place that the press writes with spaces for hyphens.

    Read whole, ``Val d'Oise``, ``Hauts de France``, ``Corse du Sud`` and ``Seine
    Saint-Denis`` are their department or region; read as runs of capitalised words they
    came out cut (``France``, ``Corse``), split (``Rhône`` and ``Alpes``) or under a
    spelling of their own beside the canonical one in facets. Any hyphen of a hand-written
    place may be a space; a generated town's only before an elision (``Villeneuve
    d'Ascq``), since thirty thousand towns spaced would be as many new two-word names. No
    form may open on a saint (``Saint Laurent`` is a designer, ``Saint Martin`` a bishop).
    """
    if kind != PLACE or "-" not in variant:
        return []
    if not strong:
        spaced = re.sub(r"-(?=[dD]['’])", " ", variant)
        return [spaced] if spaced != variant else []
    first, *rest = variant.split("-")
    if len(rest) > 3:
        return []
    forms = (first + "".join(s + part for s, part in zip(separators, rest, strict=True))
             for separators in product("- ", repeat=len(rest)) if " " in separators)
    return [form for form in forms if not form.startswith(("Saint ", "Sainte "))]


def _add_phrase(
    table: dict[str, list[Phrase]], seen: set[tuple[tuple[str, ...], bool]], phrase: Phrase | None
) -> None:
    # The first entry of a key wins: hand-written lists before generated ones.
    if phrase is None:
        return
    if (phrase.keys, phrase.upper_only) in seen:
        if phrase.lower_ok:
            # "Talibans|talibans": a lowercase spelling lets the first entry be found
            # uncapitalised, as the press writes "les talibans" and "les gilets jaunes".
            entries = table[phrase.keys[0]]
            for i, known in enumerate(entries):
                if known.keys == phrase.keys and known.upper_only == phrase.upper_only \
                        and not known.lower_ok and not known.after_article:
                    entries[i] = known._replace(lower_ok=True, opener=phrase.opener)
        return
    seen.add((phrase.keys, phrase.upper_only))
    table[phrase.keys[0]].append(phrase)


@cache
def _first_names() -> frozenset[str]:
    names = {word_key(n) for n in _read_lines("first_names.txt")}
    names.update(word_key(n) for n in _read_lines("first_names_extra.txt"))
    return frozenset(names)


@cache
def _common_words() -> frozenset[str]:
    # 350,000 words: one C-level split is several times faster than a line loop.
    with gzip.open(GAZETTEER / "common_words.txt.gz", "rt", encoding="utf-8") as handle:
        return frozenset(handle.read().split())


@lru_cache(maxsize=8)
def _load(corrections: Corrections) -> Gazetteer:
    """The lookup tables for one set of corrections (cached: there are few)."""
    phrases = _by_first_two_keys(_with_corrections(_base_phrases(), corrections))
    extenders = {
        key
        for entries in phrases.values()
        for phrase in entries
        for key in phrase.keys[:-1]
        if key.isalpha() or "-" in key or "'" in key
    }
    extenders |= _ORG_HEADS | _MINISTRY | _LOWER_PLACE_HEADS | _LOWER_ORG_HEADS
    first_names = _first_names()
    keep = extenders | {p.keys[0] for entries in phrases.values() for p in entries}
    return Gazetteer(
        phrases=phrases,
        first_names=first_names,
        common_words=_common_words(),
        runs=_runs_pattern(phrases),
        extenders=frozenset(extenders),
        keep=frozenset(keep) | first_names,
        nationalities=_nationalities(),
        not_names=_not_names(),
        makes=_makes(),
    )


def _with_corrections(
    base: dict[str, list[Phrase]], corrections: Corrections
) -> dict[str, list[Phrase]]:
    if not (corrections.aliases or corrections.types):
        return base
    table: dict[str, list[Phrase]] = defaultdict(list)
    seen: set[tuple[tuple[str, ...], bool]] = set()
    # User entries first so that they win over the gazetteers.
    for surface, canonical in corrections.aliases:
        kind = corrections.kind(canonical) or corrections.kind(surface) or ""
        _add_phrase(table, seen, _phrase(surface, canonical, kind))
    for name, kind in corrections.types:
        _add_phrase(table, seen, _phrase(name, corrections.canonical(name) or name, kind))
    for phrases in base.values():
        for phrase in phrases:
            _add_phrase(table, seen, phrase)
    return table


def _by_first_two_keys(table: dict[str, list[Phrase]]) -> dict[str, list[Phrase]]:
    """Index phrases by their first two keys (one for one-word phrases), longest first."""
    phrases: dict[str, list[Phrase]] = defaultdict(list)
    for entries in table.values():
        for phrase in entries:
            phrases[" ".join(phrase.keys[:2])].append(phrase)
    for entries in phrases.values():
        entries.sort(key=lambda p: -len(p.keys))
    return dict(phrases)


@cache
def _not_names() -> frozenset[str]:
    """Diseases, holidays, events (``not_names.txt``), as :func:`~indexer.text.name_key`."""
    return frozenset(name_key(line) for line in _read_lines("not_names.txt"))


@cache
def _make_lines() -> tuple[str, ...]:
    """``makes.txt``, read once: its names are organisations, and the makes of models."""
    return tuple(_read_lines("makes.txt"))


def _makes() -> frozenset[str]:
    """Carmakers (``makes.txt``), by canonical name."""
    return frozenset(line.split("|")[0] for line in _make_lines())


@cache
def _nationalities() -> frozenset[str]:
    forms: set[str] = set()
    for word in _read_lines("nationalities.txt"):
        forms.update(_inflections(word_key(word)))
    return frozenset(forms)


def _inflections(word: str) -> set[str]:
    """Masculine singular to the four forms: 'syrien' -> 'syrienne', 'syriens'..."""
    if word.endswith("e"):
        singular = {word}
    elif word.endswith(("ien", "een")):
        singular = {word, word + "ne"}
    elif word.endswith("c"):  # turc, grec
        singular = {word, word[:-1] + "que", word + "que"}
    else:
        singular = {word, word + "e"}
    return singular | {w if w.endswith(("s", "x")) else w + "s" for w in singular}


def _runs_pattern(phrases: dict[str, list[Phrase]]) -> re.Pattern[str]:
    """A regex for runs of name words, opened by a capital or a lowercase opener."""
    openers = {p.opener for entries in phrases.values() for p in entries if p.lower_ok}
    openers |= _LOWER_OPENERS
    words = "|".join(sorted((re.escape(w) for w in openers), key=len, reverse=True))
    name = rf"(?:[{_UPPER}]|(?:al|el|ad|ar|as|ash|at|az|ben|bin|ibn|abu|abou|ould)-[{_UPPER}])"
    word = rf"{name}[\w'’‑-]*\+?\.?"
    particles = "|".join(sorted(p for p in _PARTICLES if p[-1] != "'"))
    particle = rf"(?:(?:{particles})\s+){{0,2}}(?:[dlDL]['’])?"
    # One word-boundary test first, for both kinds: it fails at once inside a word, where
    # a lookbehind cost a sub-match at every character (a fifth of this scan's time).
    # Before a name's first letter, ``\b(?<!-)`` is ``(?<![\w-])``.
    return re.compile(rf"\b(?:(?:{words})\b|(?<!-){word})(?:\s+{particle}{word})*")


def _first_name(token: Token, gaz: Gazetteer) -> bool:
    key = token.key
    if key in gaz.first_names:
        return True
    head, _, rest = key.partition("-")
    return bool(rest) and head in gaz.first_names


# Capitals often go without their accent: "Etat" is "état", "Ecole" "école".
_UNACCENTED = {"E": "éèê", "A": "àâ", "I": "îï", "O": "ô", "U": "ù"}


def _is_common(token: Token, gaz: Gazetteer) -> bool:
    lower = token.text.lower()
    if lower in gaz.common_words or token.key in _FUNCTION_WORDS:
        return True
    accents = _UNACCENTED.get(token.text[0])
    return accents is not None and any(a + lower[1:] in gaz.common_words for a in accents)
