"""What an article's entities are, and the key that matches a name in filters."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ...text import name_key
from ..corrections import Corrections

GAZETTEER = Path(__file__).parent.parent / "gazetteer"

PERSON, ORG, PLACE = "person", "organization", "place"


@dataclass(frozen=True)
class Entities:
    """The entities of one article.

    ``actors`` and ``places`` are what facets and filters use.  ``persons``
    (the actors that are people) and ``aliases`` (surface form, canonical
    name) pairs are extra detail for :func:`mentioned` and
    :func:`index_keys`; ``mentions`` pairs every surface form recognised in
    the text (as written, honorifics and elisions stripped, so it may equal
    the canonical name) with its canonical name.  None of the three takes
    part in equality.
    """

    actors: tuple[str, ...] = ()  # canonical display names (people + organisations), sorted
    places: tuple[str, ...] = ()  # canonical display names, sorted
    persons: tuple[str, ...] = field(default=(), compare=False)
    aliases: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    mentions: tuple[tuple[str, str], ...] = field(default=(), compare=False)


def entity_key(name: str) -> str:
    """Match key for filters: casefolded, accents folded, whitespace collapsed,
    hyphens and apostrophes normalised (``'etats-unis'`` matches ``'États-Unis'``)."""
    return name_key(name)



_NO_CORRECTIONS = Corrections()
