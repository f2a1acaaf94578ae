"""Facet counts over matching articles: actors, places, sources, languages.

Counts are of **articles**, not passages: an article that names Lavrov in
five passages counts once.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable
from typing import Any

from .errors import OptionError
from .model import FacetCount

FACET_FIELDS = ("actors", "places", "sources", "lang")


def _article_facets(idx: Any) -> dict[str, dict[str, Any]]:
    """Every article's facet values, read once per searcher (facets need them all)."""
    table = idx._cache.get("facets")
    if table is None:
        table = idx._cache["facets"] = {
            doc["article_id"]: {
                "actors": doc["meta"]["actors"], "places": doc["meta"]["places"],
                "sources": (doc["meta"]["source"],) if doc["meta"]["source"] else (),
                "lang": (doc["meta"]["lang"],) if doc["meta"]["lang"] else ()}
            for doc in idx.searcher().documents(kind="a")}
    return table


def count_facet(idx: Any, article_ids: Iterable[str], field: str,
                top: int = 10) -> tuple[FacetCount, ...]:
    """The ``top`` values of ``field`` among ``article_ids``, most frequent first, ties by name."""
    if field not in FACET_FIELDS:
        raise OptionError("--field", field, f"unknown facet (known: {', '.join(FACET_FIELDS)})")
    table = _article_facets(idx)
    counts: Counter[str] = Counter()
    for aid in article_ids:
        row = table.get(aid)
        if row:
            counts.update(set(row[field]))
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return tuple(FacetCount(v, c) for v, c in ranked[:top])


def closest_names(idx: Any, field: str, name: str, n: int = 3) -> list[str]:
    """Known facet values that look like ``name`` (whole or by surname), for the hint
    after an unknown filter: ``Lavrof`` → ``Sergueï Lavrov``."""
    from .entities import entity_key

    wanted = entity_key(name)
    names = {v for row in _article_facets(idx).values() for v in row[field]}
    scored = []
    for value in names:
        key = entity_key(value)
        parts = key.split()
        forms = {key, *(" ".join(parts[i:]) for i in range(1, len(parts)))}
        ratio = max(difflib.SequenceMatcher(None, wanted, f).ratio() for f in forms)
        if ratio >= 0.6:
            scored.append((-ratio, value))
    return [value for _, value in sorted(scored)[:n]]
