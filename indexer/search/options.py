"""The options of a search besides its query, validated once."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from ..errors import OptionError
from .parse import date_bound


@dataclass(frozen=True)
class SearchOptions:
    """Everything a search needs besides the query, validated once."""

    limit: int = 10
    per_article: int = 1
    since: str | None = None
    until: str | None = None
    lang: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    vectors: bool = True
    """Use the index's word vectors, when it has them (see :mod:`indexer.search.vectors`)."""

    @property
    def narrows(self) -> bool:
        """Whether a filter leaves some articles out."""
        return bool(self.since or self.until or self.lang or self.source or self.actors
                    or self.places)

    @classmethod
    def from_kwargs(cls, **kwargs: Any) -> SearchOptions:
        """Options from keyword arguments; a bad value raises :class:`OptionError`."""
        known = {f.name for f in fields(cls)}
        for name in kwargs:
            if name not in known:
                raise OptionError(name, kwargs[name], f"unknown search option (known: "
                                  f"{', '.join(sorted(known))})")
        values = dict(kwargs)
        for name in ("limit", "per_article"):
            if name in values:
                v = values[name]
                if not isinstance(v, int) or isinstance(v, bool) or v < 1:
                    raise OptionError(name, v, "must be a whole number ≥ 1")
        for name, end in (("since", False), ("until", True)):
            if values.get(name) is not None:
                try:
                    values[name] = date_bound(str(values[name]), end=end)
                except ValueError as e:
                    raise OptionError(name, values[name], str(e)) from None
        for name in ("lang", "source", "actors", "places"):
            v = values.get(name)
            if isinstance(v, str):
                values[name] = (v,)
            elif v is not None:
                values[name] = tuple(v)
        return cls(**values)
