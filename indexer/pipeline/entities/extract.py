"""The door of entity extraction: one article's entities from its title and paragraphs."""

from __future__ import annotations

from collections.abc import Sequence

from ..corrections import Corrections
from .acronyms import _defined_acronyms
from .lexicon import Gazetteer, _load
from .model import _NO_CORRECTIONS, ORG, Entities
from .resolve import _resolve
from .spotter import Mention, _Spotter


def extract_entities(
    title: str, paragraphs: Sequence[str], corrections: Corrections | None = None
) -> Entities:
    """Entities of one article (title + cleaned paragraphs, boilerplate already removed)."""
    corrections = corrections or _NO_CORRECTIONS
    gaz = _load(corrections)
    mentions: list[Mention] = []
    for text in (title, *paragraphs):
        if text:
            mentions.extend(_paragraph_mentions(text, gaz))
    mentions = [m for m in mentions if m.kind or not _excluded_surface(m, corrections)]
    return _resolve(mentions, corrections)


def _paragraph_mentions(text: str, gaz: Gazetteer) -> list[Mention]:
    spotted = list(_Spotter(text, gaz).mentions())
    defined = list(_defined_acronyms(text, gaz)) if "(" in text else []
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
    return spotted + defined


def _excluded_surface(mention: Mention, corrections: Corrections) -> bool:
    return bool(corrections) and (
        corrections.excluded(mention.surface, "actor")
        and corrections.excluded(mention.surface, "place")
    )
