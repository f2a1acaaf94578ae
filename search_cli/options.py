"""Validation at the edge: click parameter types, and the step from raw flags to options."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

DEFAULT_INDEX = "index"


class DateType(click.ParamType):
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; checked here so the error names the option."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None):
        from indexer.search.parse import date_bound

        try:
            date_bound(str(value), end=False)
        except ValueError:
            self.fail(f"{value!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)", param, ctx)
        return str(value)


DATE = DateType()


def index_path(value: str | None) -> str:
    """The index directory: the option, else ``$DEPECHES_INDEX``, else ``index/``."""
    return value or os.environ.get("DEPECHES_INDEX") or DEFAULT_INDEX


def use_color(choice: str, stream: Any = None) -> bool:
    """``--color auto`` colours only a terminal, and never with ``NO_COLOR`` or ``TERM=dumb``."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def search_kwargs(limit: int | None, per_article: int | None, since: str | None,
                  until: str | None, lang: tuple[str, ...], source: tuple[str, ...],
                  actor: tuple[str, ...], place: tuple[str, ...]) -> dict[str, Any]:
    """The keyword arguments of :meth:`indexer.NewsIndex.search` from the CLI's flags."""
    kwargs: dict[str, Any] = {"since": since, "until": until, "lang": lang, "source": source,
                              "actors": actor, "places": place}
    if limit is not None:
        kwargs["limit"] = limit
    if per_article is not None:
        kwargs["per_article"] = per_article
    return kwargs
