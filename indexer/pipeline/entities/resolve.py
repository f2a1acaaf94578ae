"""Resolution within an article: surnames, initials and short forms become the full
name they stand for, gazetteer variants their canonical spelling (step 4 of
:mod:`indexer.pipeline.entities`)."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache

from ...text import name_key, word_key
from ..corrections import Corrections
from .lexicon import _load
from .model import _NO_CORRECTIONS, ORG, PERSON, PLACE, Entities
from .names import _organisation_word, accented, initials_fit, initials_name
from .spotter import Mention, _match_phrase
from .tokens import _NAME_PREFIX_RE, tokenize
from .words import _FUNCTION_WORDS, _PARTICLES, _SHORT_HEADS


def _surname_index(persons: Iterable[str]) -> dict[str, set[str]]:
    """Surname key ('lavrov', 'de mistura') -> full names that end with it."""
    index: dict[str, set[str]] = defaultdict(set)
    for person in persons:
        for key in _surname_keys(person):
            index[key].add(person)
    return index


def _surname_keys(name: str) -> list[str]:
    words = name.split()
    if len(words) < 2:
        return []
    keys = []
    # "Staffan de Mistura": "Mistura" and "de Mistura"; "Bachar al-Assad": "al-Assad", "Assad".
    k = len(words) - 1
    keys.append(name_key(words[k]))
    last = words[k]
    prefix = _NAME_PREFIX_RE.match(last)
    if prefix:
        keys.append(name_key(last.split("-", 1)[1]))
    while k > 1 and word_key(words[k - 1]) in _PARTICLES:
        k -= 1
        keys.append(name_key(" ".join(words[k:])))
    return keys


def _particle_people(mentions: list[Mention]) -> set[str]:
    """People the article names by a lowercase particle and their surname alone ('de
    Gaulle'): their surname too is theirs. One sense per article: where the particle's
    "de" was read as a preposition ("l'année de Gaulle", "hommage à de Gaulle"), the lone
    word would otherwise be a place of its own. A capitalised particle may open a
    sentence ("La Part-Dieu")."""
    # A single name of two words is a particle and a word (Mention.single).
    return {
        m.surface for m in mentions if m.kind == PERSON and m.single and m.surface[:1].islower()
    }


def _initials_owners(mentions: list[Mention], full_persons: Iterable[str]) -> dict[str, str]:
    """Initials forms ('B. Obama') -> the one full name of the article they fit."""
    owners: dict[str, str] = {}
    for mention in mentions:
        if mention.from_gazetteer or mention.surface in owners:
            continue
        short = initials_name(mention.surface)
        if short is None:
            continue
        fits = [full for full in full_persons if initials_fit(short, full)]
        if len(fits) == 1:
            owners[mention.surface] = fits[0]
    return owners


def _resolve(mentions: list[Mention], corrections: Corrections) -> Entities:
    people = [m for m in mentions if m.kind == PERSON and not m.single and " " in m.surface]
    # "B. Obama" is a short form, not a full name: only a fallback owner of "Obama".
    full_persons = Counter(m.surface for m in people if initials_name(m.surface) is None)
    initials = _initials_owners(mentions, full_persons)
    surnames = _surname_index(full_persons)
    for key, owners in _surname_index(
        {m.surface for m in people if m.surface not in initials}
    ).items():
        surnames.setdefault(key, owners)
    for key, owners in _surname_index(_particle_people(mentions)).items():
        surnames.setdefault(key, owners)
    for key, owners in surnames.items():
        if len(owners) > 1:
            # "François Fillon" five times, "Penelope Fillon" once: "Fillon" is the
            # one the article is about.  A tie stays ambiguous.
            ranked = sorted(owners, key=full_persons.__getitem__, reverse=True)
            if full_persons[ranked[0]] > full_persons[ranked[1]]:
                surnames[key] = {ranked[0]}
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    surfaces: set[tuple[str, str]] = set()
    gazetteer_names: set[str] = set()
    for mention in mentions:
        if mention.surface in initials and not corrections.canonical(mention.surface):
            canonical, kind = initials[mention.surface], PERSON
        else:
            canonical, kind = _canonical(mention, surnames, corrections)
        if not kind:
            continue
        votes[canonical][kind] += 3 if mention.from_gazetteer else 1
        surfaces.add((mention.surface, canonical))
        if mention.from_gazetteer or canonical != mention.surface:
            gazetteer_names.add(canonical)
    merges = _spelling_owners(votes, gazetteer_names)
    for short, full in _longer_names(votes).items():
        merges.setdefault(short, merges.get(full, full))
    for short, full in _head_owners(votes, corrections).items():
        merges[short] = merges.get(full, full)
    for short, full in merges.items():
        votes[full].update(votes.pop(short))
        surfaces = {(s, full if c == short else c) for s, c in surfaces}
    return _entities(votes, surfaces, corrections)


def _longer_names(votes: dict[str, Counter[str]]) -> dict[str, str]:
    """People named without their second surname ('Ana Pastor') -> the one longer name
    of the article that starts with all their words ('Ana Pastor García')."""
    people = [n for n, c in votes.items() if " " in n and c.most_common(1)[0][0] == PERSON]
    # Sorted by their words, the names that start with a name's words follow it: a
    # binary search and a look at the next two, where comparing every pair of names
    # was quadratic in an article of a thousand people.
    ordered = sorted((n.split(), n) for n in people)
    keys = [words for words, _ in ordered]
    owners: dict[str, str] = {}
    for short in people:
        words = short.split()
        longer: list[str] = []
        i = bisect_left(keys, words)
        while i < len(keys) and len(longer) < 2 and keys[i][: len(words)] == words:
            if ordered[i][1] != short:
                longer.append(ordered[i][1])
            i += 1
        if len(longer) == 1:
            owners[short] = longer[0]
    return owners


def _spelling_owners(votes: dict[str, Counter[str]], known: set[str]) -> dict[str, str]:
    """Spellings of one name ('Moody’s' and "Moody's", 'Claude Erignac' and 'Claude
    Érignac') -> the one shown: the gazetteer's, else the one written most, else the
    accented one."""
    spellings: dict[str, list[str]] = defaultdict(list)
    for name in votes:
        spellings[name_key(name)].append(name)
    owners: dict[str, str] = {}
    for names in spellings.values():
        if len(names) > 1:
            names.sort(key=lambda n: (n not in known, -votes[n].total(), not accented(n), n))
            owners.update((name, names[0]) for name in names[1:])
    return owners


def _head_owners(votes: dict[str, Counter[str]], corrections: Corrections) -> dict[str, str]:
    """Lone heads ('Forum', 'Assemblée') -> the longer name of the article they shorten
    ('Forum mondial de la langue française'); the one named most if several, none on a tie.
    A head with no longer name of its own ('le Congrès' of the United States) stays."""
    owners: dict[str, str] = {}
    for short in votes:
        key = name_key(short)
        if key not in _SHORT_HEADS or " " in short or corrections.canonical(short):
            continue
        longer = [
            name
            for name, counter in votes.items()
            if " " in name
            and name_key(name.split()[0]) == key
            and counter.most_common(1)[0][0] != PLACE
        ]
        ranked = sorted(longer, key=lambda n: (-votes[n].total(), n))
        if ranked and (len(ranked) == 1 or votes[ranked[0]].total() > votes[ranked[1]].total()):
            owners[short] = ranked[0]
    return owners


def _canonical(
    mention: Mention, surnames: dict[str, set[str]], corrections: Corrections
) -> tuple[str, str]:
    alias = corrections.canonical(mention.surface) if corrections else None
    if alias:
        kind = corrections.kind(alias) or corrections.kind(mention.surface) or mention.kind
        return alias, kind or _known_kind(alias) or (PERSON if _looks_like_person(alias) else ORG)
    if mention.single or mention.kind in ("", PERSON):
        owners = surnames.get(name_key(mention.surface))
        if owners and len(owners) == 1:
            return next(iter(owners)), PERSON
    kind = (corrections.kind(mention.canonical) if corrections else None) or mention.kind
    return mention.canonical, kind


def _known_kind(name: str) -> str:
    """The gazetteer's kind for a canonical name ('État islamique' is an organisation)."""
    tokens = tokenize(name)
    phrase = _match_phrase(tokens, 0, _load(_NO_CORRECTIONS)) if tokens else None
    return phrase.kind if phrase and len(phrase.keys) == len(tokens) else ""


def _entities(
    votes: dict[str, Counter[str]], surfaces: set[tuple[str, str]], corrections: Corrections
) -> Entities:
    actors: set[str] = set()
    places: set[str] = set()
    persons: set[str] = set()
    for canonical, counter in votes.items():
        kind = counter.most_common(1)[0][0]
        group = "place" if kind == PLACE else "actor"
        if corrections and corrections.excluded(canonical, group):
            continue
        if group == "place":
            places.add(canonical)
        else:
            actors.add(canonical)
            if kind == PERSON:
                persons.add(canonical)
    kept = actors | places
    mentions = tuple(sorted(pair for pair in surfaces if pair[1] in kept))
    return Entities(
        actors=tuple(sorted(actors)),
        places=tuple(sorted(places)),
        persons=tuple(sorted(persons)),
        aliases=tuple(pair for pair in mentions if pair[0] != pair[1]),
        mentions=mentions,
    )


@lru_cache(maxsize=1 << 14)
def _looks_like_person(name: str) -> bool:
    """Guess for an actor of unknown kind: most multi-word actors are people.

    Organisations mostly give themselves away by a head word ('Parti'), an
    acronym, a digit, or the gazetteer.
    """
    words = name.split()
    if len(words) < 2 or word_key(words[0]) in _FUNCTION_WORDS:
        return False
    if any(_organisation_word(word) for word in words):
        return False
    return _known_kind(name) not in (ORG, PLACE)
