"""Which of an article's entities a passage names, and the keys that filters and the
index give a name."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple, TypeVar

from ...analysis import WORD
from ...text import name_key, word_key
from .model import ORG, PERSON, PLACE, Entities
from .resolve import _looks_like_person, _surname_keys

_NON_WORD = re.compile(r"[\W_]+")


def _match_form(text: str, words: Sequence[str] | None = None) -> str:
    """Words only, folded, space-padded: ``" d alep "`` contains ``" alep "``.

    Folded word by word, each word's key kept: folding a whole passage at a time
    (casefold, NFKD, marks) and then splitting it took two thirds of mentioned()."""
    if words is None:
        words = WORD.findall(text)
    keys = list(map(_MATCH_KEYS.get, words))
    if None in keys:
        for i, key in enumerate(keys):
            if key is None:
                keys[i] = _match_key(words[i])
    return f" {' '.join(filter(None, keys))} "


_MATCH_KEYS: dict[str, str] = {}
_MATCH_KEYS_KEPT = 200_000


def _match_key(word: str) -> str:
    # NFKD may give a word more than one ("½" gives "1 2") or none.
    key = _NON_WORD.sub(" ", word_key(word)).strip()
    if len(_MATCH_KEYS) < _MATCH_KEYS_KEPT:
        _MATCH_KEYS[word] = key
    return key


def mentioned(text: str, entities: Entities, words: Sequence[str] | None = None) -> Entities:
    """The subset of an article's entities that a passage's text mentions.

    A name counts as mentioned by its canonical form, any surface alias seen in
    the article (``Etats-Unis``), or, for people, the surname alone (``Lavrov``).
    Matching ignores case and accents and respects word boundaries
    (``d'Alep`` mentions ``Alep``, ``Alepins`` does not). ``words`` are the text's
    runs of letters and digits, if the caller has them already (see
    :func:`indexer.analysis.article_forms`).
    """
    haystack = _match_form(text, words)
    if len(entities.actors) + len(entities.places) > _SCANNED_NAMES:
        return _mentioned_by_words(haystack, entities)
    found = {
        name
        for name, forms in _mention_forms(entities.actors + entities.places, entities)
        if any(form in haystack for form in forms)
    }
    return Entities(
        actors=tuple(a for a in entities.actors if a in found),
        places=tuple(p for p in entities.places if p in found),
        persons=tuple(p for p in entities.persons if p in found),
        aliases=tuple(a for a in entities.aliases if a[1] in found),
        mentions=tuple(m for m in entities.mentions if m[1] in found),
    )


_SCANNED_NAMES = 200
"""Up to this many names, :func:`mentioned` searches each name's forms in a passage's
text (fast, in C). Beyond, in an article of thousands of names (hostile text), that cost
names × passages: the passage's runs of words are looked up in a table of the forms
instead, in time linear in the passage and in what it mentions. Both find the same names."""
_INDEXED_WORDS = 8  # forms of more words are still searched: rare, and long themselves


class _NameTables(NamedTuple):
    """One article's names for :func:`_mentioned_by_words`, built once for all its passages."""

    entities: Entities  # held, so that its id() is not reused while the tables are cached
    by_words: dict[str, list[str]]  # a form of 1 to _INDEXED_WORDS words -> its names
    lengths: tuple[int, ...]  # the word counts of those forms
    others: tuple[tuple[str, str], ...]  # (name, form) of the other forms
    # Where each name stands in actors, places, persons, aliases and mentions.
    positions: tuple[dict[str, list[int]], ...]


_name_tables: dict[int, _NameTables] = {}  # by id() of the Entities: hashing them per
# passage would cost as much as the search it saves


def _mentioned_by_words(haystack: str, entities: Entities) -> Entities:
    tables = _name_tables.get(id(entities))
    if tables is None or tables.entities is not entities:
        tables = _build_name_tables(entities)
        if len(_name_tables) >= 4:
            _name_tables.clear()
        _name_tables[id(entities)] = tables
    found = {name for name, form in tables.others if form in haystack}
    words = haystack.split()
    for k in tables.lengths:
        for i in range(len(words) - k + 1):
            owners = tables.by_words.get(" ".join(words[i : i + k]))
            if owners:
                found.update(owners)
    actors, places, persons, aliases, mentions = tables.positions

    def kept(items: tuple[_T, ...], where: dict[str, list[int]]) -> tuple[_T, ...]:
        # In their order, in time that grows with what is found, not with the article's names.
        return tuple(items[i] for i in sorted(i for name in found for i in where.get(name, ())))

    return Entities(kept(entities.actors, actors), kept(entities.places, places),
                    kept(entities.persons, persons), kept(entities.aliases, aliases),
                    kept(entities.mentions, mentions))


_T = TypeVar("_T")


def _build_name_tables(entities: Entities) -> _NameTables:
    by_words: dict[str, list[str]] = defaultdict(list)
    others: list[tuple[str, str]] = []
    names = entities.actors + entities.places
    for name, forms in _cached_forms(names, entities.persons, entities.aliases):
        for form in forms:
            words = form.split()
            if 1 <= len(words) <= _INDEXED_WORDS:
                by_words[" ".join(words)].append(name)
            else:
                others.append((name, form))
    positions = []
    for items in (entities.actors, entities.places, entities.persons, entities.aliases,
                  entities.mentions):
        where: dict[str, list[int]] = defaultdict(list)
        for i, item in enumerate(items):
            where[item if isinstance(item, str) else item[1]].append(i)
        positions.append(dict(where))
    lengths = tuple(sorted({key.count(" ") + 1 for key in by_words}))
    return _NameTables(entities, dict(by_words), lengths, tuple(others), tuple(positions))


def _mention_forms(
    names: tuple[str, ...], entities: Entities
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return _cached_forms(names, entities.persons, entities.aliases)


@lru_cache(maxsize=256)
def _cached_forms(
    names: tuple[str, ...], persons: tuple[str, ...], aliases: tuple[tuple[str, str], ...]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    # An article's passages are matched one after the other: prepare its forms once.
    surfaces: dict[str, list[str]] = defaultdict(list)
    for surface, canonical in aliases:
        surfaces[canonical].append(surface)
    people = set(persons)
    result = []
    for name in names:
        forms = [name, *surfaces.get(name, ())]
        if name in people:
            forms.extend(_surname_keys(name))
        result.append((name, tuple({_match_form(f) for f in forms})))
    return tuple(result)


def filter_keys(name: str, kind: str) -> set[str]:
    """Keys under which a canonical name is findable by ``--actor``/``--place`` filters.

    ``kind`` is "person", "organization", "place" or "actor" (person or
    organisation, guessed from the name).  People are also findable by
    surname: ``'Staffan de Mistura'`` gives ``{'staffan de mistura',
    'de mistura', 'mistura'}``.
    """
    keys = {name_key(name)}
    if kind == PERSON or (kind == "actor" and _looks_like_person(name)):
        keys.update(_surname_keys(name))
    return keys


def index_keys(entities: Entities) -> tuple[frozenset[str], frozenset[str]]:
    """(actor keys, place keys) to store for one article's filters."""
    persons = set(entities.persons)
    actor_keys: set[str] = set()
    for actor in entities.actors:
        actor_keys |= filter_keys(actor, PERSON if actor in persons else ORG)
    place_keys: set[str] = set()
    for place in entities.places:
        place_keys |= filter_keys(place, PLACE)
    # The names as the article wrote them find it too: "B. Obama", "l'Assemblée".
    places = set(entities.places)
    for surface, canonical in entities.aliases:
        (place_keys if canonical in places else actor_keys).add(name_key(surface))
    return frozenset(actor_keys), frozenset(place_keys)
