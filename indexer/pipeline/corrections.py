"""User corrections to entity extraction, read from a TOML file.

Rules and gazetteers get most names right; the rest is for the user to fix
without touching code. The file has three optional tables::

    # depeches.toml

    [aliases]                       # surface form = canonical name
    "Poutine" = "Vladimir Poutine"  # a surname-only mention, merged
    "Etats-Unis d'Amérique" = "États-Unis"
    "Daech" = "État islamique"      # several surfaces may share one canonical

    [exclude]                       # never report these names
    actors = ["Sana"]               # as an actor (person or organisation)
    places = ["Contactez"]          # as a place
    names = ["Envie"]               # as anything

    [types]                         # force the kind of a name
    "Sana" = "organization"         # person | organization | actor | place

How names are compared: every name (surface forms, canonical names,
exclusions, types) is matched through :func:`name_key` -- casefolded,
accents folded, hyphens, apostrophes and whitespace normalised -- so
``"etats-unis"`` and ``"États-Unis"`` are the same name.

Semantics:

* An alias maps a surface form to a canonical name.  The surface form is
  also *spotted* in text even when the rules would miss it, and the kind of
  the canonical is taken from ``[types]``, else from the gazetteers, else
  guessed (a person if it looks like a full name, else an organisation).
* A name in ``[types]`` is spotted in text too, with the forced kind.
* Exclusions apply to canonical names, after aliases are resolved, and to
  the surface forms themselves.

A file that cannot be read or parsed raises :class:`CorrectionsError`
carrying the path and, when known, the line.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import IndexerError
from ..text import name_key

KINDS = frozenset({"person", "organization", "actor", "place"})
_EXCLUDE_GROUPS = ("actors", "places", "names")


class CorrectionsError(IndexerError, ValueError):
    """A corrections file cannot be read or is malformed."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.message = message

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Corrections:
    """Parsed corrections; ``Corrections()`` means none.

    Aliases and types keep the names as written (the extractor spots them in
    text); exclusions hold folded keys (see :func:`name_key`).  All fields are
    tuples or frozensets, so a ``Corrections`` is hashable and the extractor
    can cache the phrase table it derives from it.
    """

    aliases: tuple[tuple[str, str], ...] = ()  # (surface as written, canonical)
    types: tuple[tuple[str, str], ...] = ()  # (name as written, kind)
    exclude_actors: frozenset[str] = frozenset()
    exclude_places: frozenset[str] = frozenset()

    _alias_map: Mapping[str, str] = field(init=False, repr=False, compare=False)
    _type_map: Mapping[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Fold once here rather than on every lookup during extraction.
        object.__setattr__(self, "_alias_map", {name_key(k): v for k, v in self.aliases})
        object.__setattr__(self, "_type_map", {name_key(k): v for k, v in self.types})

    def canonical(self, surface: str) -> str | None:
        """The canonical name an alias gives to ``surface``, if any."""
        return self._alias_map.get(name_key(surface))

    def kind(self, name: str) -> str | None:
        """The kind forced on ``name`` by ``[types]``, if any."""
        return self._type_map.get(name_key(name))

    def excluded(self, name: str, kind: str) -> bool:
        """Whether ``name`` must not be reported as ``kind`` ("actor" or "place")."""
        key = name_key(name)
        return key in (self.exclude_places if kind == "place" else self.exclude_actors)

    def __bool__(self) -> bool:
        return bool(self.aliases or self.types or self.exclude_actors or self.exclude_places)


def load_corrections(path: str | Path) -> Corrections:
    """Read a corrections TOML file (format in the module docstring)."""
    shown = str(path)
    try:
        source = Path(path).read_bytes().decode("utf-8")
        data = tomllib.loads(source)
    except OSError as err:
        raise CorrectionsError(shown, None, err.strerror or str(err)) from err
    except UnicodeDecodeError as err:
        raise CorrectionsError(shown, None, f"not UTF-8 ({err.reason})") from err
    except tomllib.TOMLDecodeError as err:
        raise CorrectionsError(shown, _toml_line(err), _toml_message(err)) from err
    try:
        return parse_corrections(data)
    except _Invalid as err:
        raise CorrectionsError(shown, _line_of(source, err.table, err.key), err.message) from None


def parse_corrections(data: Mapping[str, object]) -> Corrections:
    """Build :class:`Corrections` from already-parsed TOML data.

    Raises :class:`ValueError` (a :class:`CorrectionsError` from
    :func:`load_corrections`) when a table has the wrong shape.
    """
    unknown = sorted(set(data) - {"aliases", "exclude", "types"})
    if unknown:
        raise _Invalid(f"unknown table [{unknown[0]}]", unknown[0])
    aliases = _string_table(data.get("aliases", {}), "aliases")
    types = _string_table(data.get("types", {}), "types")
    for name, kind in types:
        if kind not in KINDS:
            choices = ", ".join(sorted(KINDS))
            raise _Invalid(f"[types] {name!r}: {kind!r} is not one of {choices}", "types", name)
    exclude = _exclusions(data.get("exclude", {}))
    names = exclude["names"]
    return Corrections(
        aliases=aliases,
        types=types,
        exclude_actors=frozenset(exclude["actors"] | names),
        exclude_places=frozenset(exclude["places"] | names),
    )


class _Invalid(ValueError):
    """A shape error, located by table and key once the source is at hand."""

    def __init__(self, message: str, table: str, key: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.table = table
        self.key = key


def _string_table(table: object, name: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(table, dict):
        raise _Invalid(f'[{name}] must be a table of "name" = "value"', name)
    for key, value in table.items():
        if not isinstance(value, str) or not value.strip():
            raise _Invalid(f"[{name}] {key!r}: value must be a non-empty string", name, key)
    return tuple(sorted((k, v.strip()) for k, v in table.items()))


def _exclusions(table: object) -> dict[str, frozenset[str]]:
    if not isinstance(table, dict):
        raise _Invalid("[exclude] must be a table of lists", "exclude")
    unknown = sorted(set(table) - set(_EXCLUDE_GROUPS))
    if unknown:
        raise _Invalid(f"[exclude] unknown key {unknown[0]!r}", "exclude", unknown[0])
    groups: dict[str, frozenset[str]] = {}
    for group in _EXCLUDE_GROUPS:
        values = table.get(group, [])
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise _Invalid(f"[exclude] {group} must be a list of strings", "exclude", group)
        groups[group] = frozenset(name_key(v) for v in values)
    return groups


def _line_of(source: str, table: str, key: str | None) -> int | None:
    """The line of ``key`` inside ``[table]`` (or of the table header), if it can be found."""
    header = re.compile(rf"^\s*\[\s*{re.escape(table)}\s*\]")
    entry = (
        re.compile(rf"^\s*(?:\"{re.escape(key)}\"|'{re.escape(key)}'|{re.escape(key)})\s*=")
        if key
        else None
    )
    header_line = None
    for number, line in enumerate(source.splitlines(), start=1):
        if header_line is None:
            if header.match(line):
                header_line = number
                if entry is None:
                    return number
        elif entry is not None and entry.match(line):
            return number
    return header_line


_TOML_WHERE = re.compile(r"\s*\(at line (\d+), column \d+\)$")


def _toml_line(err: tomllib.TOMLDecodeError) -> int | None:
    # Python 3.14 gives err.lineno; before it, the line is only in the message.
    line = getattr(err, "lineno", None)
    if line is None:
        where = _TOML_WHERE.search(str(err))
        line = int(where.group(1)) if where else None
    return line


def _toml_message(err: tomllib.TOMLDecodeError) -> str:
    # tomllib appends " (at line L, column C)"; the line is already in our prefix.
    message = getattr(err, "msg", None) or str(err)
    return _TOML_WHERE.sub("", message)


def digest(corrections: Corrections | None) -> str:
    """A digest of the corrections, part of every article's hash: editing the file
    makes the next run re-extract the entities of every article."""
    if not corrections:
        return ""
    import hashlib

    parts = json.dumps([sorted(corrections.aliases), sorted(corrections.types),
                        sorted(corrections.exclude_actors), sorted(corrections.exclude_places)])
    return ":" + hashlib.blake2b(parts.encode(), digest_size=8).hexdigest()
