"""Facet counts over matching articles: actors, places, sources, languages.

Counts are of **articles**, not passages: an article that names Lavrov in
five passages counts once.

Each article's stored actors and places are what its own text says
(:mod:`indexer.pipeline.entities` merges names within the article).  Facets then merge
across the index where that is safe, at counting time, so that the stored
data stay honest and a re-index changes nothing here: two spellings of one
name (``Wikimedia``/``Wikimédia``) count as the one most articles use, and
initials (``B. Obama``, ``J.-M. Ayrault``) count under the one full name of
the index they fit (``Barack Obama``), never when two fit.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING

from ..errors import OptionError
from ..model import FACET_FIELDS, FacetCount, article_facets

if TYPE_CHECKING:
    from .seam import Version


def _article_table(snap: Version) -> dict[str, dict[str, tuple[str, ...]]]:
    """Every article's facet values, read once per version: how a backend that reads its
    records locally counts them (see :func:`table_counts`)."""
    return snap.derived("facets", lambda: {
        article_id: article_facets(meta) for article_id, meta in snap.article_docs()})


def table_counts(snap: Version, article_ids: Collection[str] | None, field: str,
                 names: Mapping[str, str]) -> Counter[str]:
    """:meth:`~.seam.Version.facet_counts` from :func:`_article_table`."""
    table = _article_table(snap)
    counts: Counter[str] = Counter()
    for aid in table if article_ids is None else article_ids:
        row = table.get(aid)
        if row:
            counts.update({names.get(v, v) for v in row[field]})
    return counts


def facet_values(snap: Version, field: str) -> Counter[str]:
    """Every stored value of ``field``, with how many articles hold it (once per version)."""
    return snap.derived(f"values:{field}", lambda: snap.facet_counts(None, field, {}))


def shown_names(snap: Version, field: str) -> dict[str, str]:
    """Stored value -> the name facets count it under, for the values that differ
    (see the module doc); computed once per version from every article's values."""
    return snap.derived(f"shown:{field}", lambda: corpus_names(
        facet_values(snap, field), people=field == "actors"))


def corpus_names(articles: Mapping[str, int], people: bool = False) -> dict[str, str]:
    """Value -> shown name, from all the values of one field and how many articles hold
    each (``articles``).

    Spellings with one folded key go to the one most articles use (ties: the
    accented one).  With ``people``, a name that opens on initials goes to the
    one full name of the index it fits, and stays when none or several fit.
    """
    from ..pipeline.entities import accented, entity_key

    spellings: dict[str, list[str]] = {}
    for value in articles:
        spellings.setdefault(entity_key(value), []).append(value)
    names: dict[str, str] = {}
    for values in spellings.values():
        if len(values) > 1:
            values.sort(key=lambda v: (-articles[v], not accented(v), v))
            names.update((v, values[0]) for v in values[1:])
    if people:
        owners = _initials_owners({names.get(v, v) for v in articles})
        for value in articles:
            full = owners.get(names.get(value, value))
            if full:
                names[value] = full
    return names


def _initials_owners(values: Iterable[str]) -> dict[str, str]:
    """'B. Obama' -> 'Barack Obama' when that is the one full name among ``values`` it fits."""
    from ..pipeline.entities import initials_fit, initials_name, looks_like_full_name

    shorts = {v: s for v in values if (s := initials_name(v)) is not None}
    if not shorts:
        return {}
    by_surname: dict[str, list[str]] = {}
    for value in values:
        if value not in shorts and looks_like_full_name(value):
            by_surname.setdefault(_fold_last(value), []).append(value)
    owners = {}
    for value, short in shorts.items():
        fits = [f for f in by_surname.get(_fold_last(short[1]), ()) if initials_fit(short, f)]
        if len(fits) == 1:
            owners[value] = fits[0]
    return owners


def _fold_last(name: str) -> str:
    from ..pipeline.entities import entity_key

    return entity_key(name.split()[-1])


def count_facet(snap: Version, article_ids: Collection[str] | None, field: str,
                top: int = 10) -> tuple[FacetCount, ...]:
    """The ``top`` values of ``field`` among ``article_ids`` (every article when ``None``),
    most frequent first, ties by name.

    Values count under their shown name (:func:`shown_names`), once per article."""
    if field not in FACET_FIELDS:
        raise OptionError("--field", field, f"unknown facet (known: {', '.join(FACET_FIELDS)})")
    names = shown_names(snap, field) if field in ("actors", "places") else {}
    counts = snap.facet_counts(article_ids, field, names)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return tuple(FacetCount(v, c) for v, c in ranked[:top])


def closest_names(snap: Version, field: str, name: str, n: int = 3) -> list[str]:
    """Known facet values that look like ``name`` (whole or by surname), for the hint
    after an unknown filter: ``Lavrof`` → ``Sergueï Lavrov``."""
    from ..pipeline.entities import entity_key

    wanted = entity_key(name)
    shown = shown_names(snap, field)
    names = {shown.get(v, v) for v in facet_values(snap, field)}
    scored = []
    for value in names:
        key = entity_key(value)
        parts = key.split()
        forms = {key, *(" ".join(parts[i:]) for i in range(1, len(parts)))}
        ratio = max(difflib.SequenceMatcher(None, wanted, f).ratio() for f in forms)
        if ratio >= 0.6:
            scored.append((-ratio, value))
    return [value for _, value in sorted(scored)[:n]]
