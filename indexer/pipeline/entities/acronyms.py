"""Acronyms defined in the text: ``Organisation des Nations unies (ONU)`` names one
organisation, and ``ONU`` it."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...text import word_key
from .lexicon import Gazetteer
from .model import ORG
from .spotter import Mention, _match_phrase
from .tokens import tokenize
from .words import _ORG_HEADS, _PARTICLES

# "la Confédération générale du travail (CGT)" and "l'ONUB (Opération des Nations
# unies au Burundi)": an acronym in parentheses, or before them, defines a name.
_ACRONYM_AFTER_RE = re.compile(r"\(\s*([A-ZÀ-Þ][A-Za-zÀ-ÿ]{1,9})\s*[),]")
_ACRONYM_BEFORE_RE = re.compile(r"\b([A-ZÀ-Þ]{2,9})\s*\(\s*([^()]{6,160}?)\s*[),]")
_WORD_START_RE = re.compile(r"(?<![\w'’-])\w")
_ELISION_RE = re.compile(r"['’]")


def _defined_acronyms(text: str, gaz: Gazetteer) -> tuple[list[Mention], set[str]]:
    """Organisations spelled out next to their acronym (the Schwartz-Hearst idea), and
    the acronyms the text spells out as an event or a series instead, which are no
    organisations: the nearest head before the parenthesis is an event's."""
    defined: list[Mention] = []
    events: set[str] = set()
    for acronym, window in _acronyms_after(text):
        if _event_head(window):
            events.add(acronym)  # "World Car of the Year Awards 2020 (WCOTY)": no actor
            continue
        long_form = _long_form(acronym, " ".join(window))
        if long_form:
            defined.extend(_acronym_mention(long_form, gaz))
    for match in _ACRONYM_BEFORE_RE.finditer(text):
        inside = match.group(2)
        long_form = _long_form(match.group(1), inside)
        if long_form and long_form == inside:
            defined.extend(_acronym_mention(long_form, gaz))
    return defined, events


def _acronyms_after(text: str) -> Iterator[tuple[str, list[str]]]:
    """Each acronym in parentheses and the words before it that may spell it out."""
    for match in _ACRONYM_AFTER_RE.finditer(text):
        acronym = match.group(1)
        if sum(c.isupper() for c in acronym) >= 2:
            before = text[max(0, match.start() - 160) : match.start()].split()
            yield acronym, before[-(2 * len(acronym) + 3) :]


def _long_form(acronym: str, candidate: str) -> str:
    """The shortest end of ``candidate`` whose letters spell ``acronym``, or ''."""
    letters = [word_key(c) for c in acronym if c.isalnum()]
    text = [word_key(c) for c in candidate]
    j = len(text) - 1
    for i in range(len(letters) - 1, -1, -1):
        while j >= 0 and (
            text[j] != letters[i] or (i == 0 and j > 0 and candidate[j - 1].isalnum())
        ):
            j -= 1
        if j < 0:
            return ""
        j -= 1
    long_form = candidate[j + 1 :].strip(' ,;:«»"')
    words = long_form.split()
    if not (2 <= len(words) <= len(letters) + 4):
        return ""
    # Lowercase, only an organisation's head opens a name: "le service national de
    # renseignement (SNR)", not "un contrat à durée déterminée (CDD)".
    if not long_form[0].isupper() and word_key(words[0]) not in _ORG_HEADS:
        return ""
    return long_form


def _acronym_mention(long_form: str, gaz: Gazetteer) -> Iterator[Mention]:
    tokens = tokenize(long_form)
    phrase = _match_phrase(tokens, 0, gaz) if tokens else None
    if phrase and len(phrase.keys) == len(tokens):
        return  # a known name: the spotter has it already
    yield Mention(long_form, ORG, long_form, False, False)


# Heads of competitions, series and shows (folded): "les séries mondiales de triathlon
# (WTS)", "le championnat du monde (WTS)", "World Triathlon Series (WTS)". Sports
# ("triathlon") are left out: they close organisations' names too.
_EVENT_WORDS = frozenset(
    """serie series championnat championnats coupe tournoi jeux festival ceremonie gala
    trophee concours salon exposition biennale grand-prix awards award cup games trophy
    championship show""".split()
)


def _event_head(words: list[str]) -> bool:
    """Whether the name or noun phrase that ``words`` end on is an event's: its nearest
    head word, or the first or last word of a capitalised name ("Championnat du Monde
    d'Endurance", "World Triathlon Series")."""
    bare = [_ELISION_RE.split(word)[-1] for word in words]  # "d'Endurance": "Endurance"
    keys = [word_key(word) for word in bare]
    for last in range(len(words) - 1, -1, -1):
        if not words[last][-1].isalnum():
            return False  # the end of another clause: "(ITU), que pour le championnat"
        if keys[last] in _EVENT_WORDS or keys[last] in _ORG_HEADS:
            return keys[last] in _EVENT_WORDS
        if bare[last][:1].isupper():
            first = n = last  # back to the name's first capitalised word, over particles
            while n > 0 and words[n - 1][-1].isalnum() and (
                keys[n - 1] in _PARTICLES or bare[n - 1][:1].isupper()
            ):
                n -= 1
                if bare[n][:1].isupper():
                    first = n
            ends = {keys[first], keys[last]}
            return bool(ends & _EVENT_WORDS) and not ends & _ORG_HEADS
    return False
