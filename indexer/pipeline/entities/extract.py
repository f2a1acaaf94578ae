"""The door of entity extraction: one article's entities from its title and paragraphs."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ...text import name_key
from ..corrections import Corrections
from .acronyms import _defined_acronyms
from .lexicon import Gazetteer, _load
from .model import _NO_CORRECTIONS, ORG, PLACE, Entities
from .resolve import _resolve
from .roads import is_code, road_mentions
from .spotter import Mention, _Spotter

MAX_ENTITY_CHARS = 200_000
"""Actors and places are read in an article's first 200,000 characters (title, lede and
paragraphs, in order). The longest news article in our data has 30,200 (Wikinews; OrangeSum
20,200), so no real article is cut; but a megabyte of names from a broken scraper would
otherwise cost seconds of spotting and a facet of thousands of "actors" for one article. The
whole text is still indexed and searched, and an entity found in the window is counted in
every passage that names it, past the window too. Like spaCy's ``max_length`` or
Elasticsearch's ``index.highlight.max_analyzed_offset``, the limit bounds the work, not the
index; unlike them it cuts instead of refusing, since the article is otherwise sound."""

MAX_NAME_CHARS = 200
"""A longer "name" is a run of capitals, not a name, and is dropped: the longest in the
Wikinews gold has 88 characters (``fichier des signalements pour la prévention de la
radicalisation à caractère terroriste``). Kept, a 200,000-character run of ``ABCDEF`` was one
actor that every passage mentioned, its keys made again for each."""


def extract_entities(
    title: str, paragraphs: Sequence[str], corrections: Corrections | None = None
) -> Entities:
    """Entities of one article (title + cleaned paragraphs, boilerplate already removed)."""
    corrections = corrections or _NO_CORRECTIONS
    gaz = _load(corrections)
    mentions: list[Mention] = []
    events: set[str] = set()
    for text in _window((title, *paragraphs), MAX_ENTITY_CHARS):
        if text:
            found, named_events = _paragraph_mentions(text, gaz)
            mentions.extend(found)
            events |= named_events
    if events:
        # "les séries mondiales de triathlon (WTS)": "WTS" and "WTS Leeds" are no actors.
        mentions = [m for m in mentions if m.surface.split(" ", 1)[0] not in events]
    mentions = [m for m in mentions if len(m.surface) <= MAX_NAME_CHARS
                and name_key(m.surface) not in gaz.not_names
                and (m.kind or not _excluded_surface(m, corrections))]
    return _resolve(mentions, corrections)


def _window(texts: Sequence[str], limit: int) -> Iterator[str]:
    """``texts`` up to ``limit`` characters in all; the last one cut at its last space
    within them, or left out if it has none, so that no word is read in half (half a
    name is another name)."""
    left = limit
    for text in texts:
        if len(text) > left:
            cut = text.rfind(" ", 0, left + 1)
            if cut > 0:
                yield text[:cut]
            return
        left -= len(text)
        yield text


def _paragraph_mentions(text: str, gaz: Gazetteer) -> tuple[list[Mention], set[str]]:
    """A paragraph's mentions, and the acronyms it spells out as events (see
    :func:`~.acronyms._defined_acronyms`)."""
    spotted = list(_Spotter(text, gaz).mentions())
    defined, events = _defined_acronyms(text, gaz) if "(" in text else ([], set())
    if defined:
        # A spelled-out acronym is the whole name: drop the pieces the rules found in it.
        longer = [d.surface for d in defined]
        spotted = [
            m
            for m in spotted
            if m.from_gazetteer
            or m.kind != ORG
            or not any(m.surface in d and m.surface != d for d in longer)
        ]
    roads = list(road_mentions(text))
    if roads:
        # "la RN 20" holds no party: nothing the rules found inside a road stays.
        inside = [r.surface for r in roads]
        spotted = [m for m in spotted if not any(m.surface in r for r in inside)]
    # A code is a place only as a road: "journée de D1" is a football division.
    spotted = [m for m in spotted if m.kind != PLACE or m.from_gazetteer
               or not is_code(m.surface)]
    return spotted + defined + roads, events


def _excluded_surface(mention: Mention, corrections: Corrections) -> bool:
    return bool(corrections) and (
        corrections.excluded(mention.surface, "actor")
        and corrections.excluded(mention.surface, "place")
    )
