"""Roads as places: motorways, national and departmental roads, the ring road.

Traffic, blockades and accidents are told by road (``sur l'A7``, ``la RN 20``, ``le
périphérique``), and the runs of capitalised words that the spotter reads never hold
one: a road's name is a code. A code alone is also a car (``l'A3 Sportback``, ``la M2
CS``), a plane (``l'A380``), a television channel (``M6``), a football division (``la
D1``) or a degree (``M1``), so a road needs what the press writes around one:

- a head word: ``autoroute``, ``route``, ``nationale``, ``départementale``, then a code
  or a number (``l'autoroute A7``, ``la route départementale 93``); the head is part of
  the name, as written;
- or the article a road takes: ``l'`` before a motorway or a European route of one or
  two digits (``l'A7``, ``l'E40``; three-digit motorways are rare, Airbus and Alpine
  models are not), ``la`` before a national or departmental road (``la N7``, ``la RN
  20``, ``la D934``, ``la RD 6``; a departmental road has two digits at least), and no
  capitalised word after the code, which is how a model is named (``la D5 S``);
- ``le périphérique`` (``du``, ``au``, ``boulevard``): the ring road, not the adjective
  of ``zones périphériques``.

The canonical name of a coded road is its code (``autoroute A7`` and ``l'A7`` are one
facet value, ``A7``), with a space after a two-letter prefix as the press writes it
(``RN 79``, ``RD 6``; ``A7``, ``N7``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .model import PLACE
from .spotter import Mention

_DIRECTION = r"(?:\s+(?:Nord|Sud|Est|Ouest))?"
_HEADED = re.compile(
    r"\b(?P<head>autoroute|route(?:\s+(?:nationale|départementale))?|nationale|départementale)"
    r"\s+(?P<code>(?:A|N|RN|D|RD|E|M)\s?-?\d{1,4}|\d{1,4})" + _DIRECTION + r"(?![\w-])")
_BARE = re.compile(
    r"(?:\b[lL]['’](?P<vowel>[AE]\d{1,2})"
    r"|\b[lL]a\s+(?P<road>(?:RN|RD)\s?\d{1,4}|N\s?\d{1,4}|D\s?\d{2,4}|M-\d{1,3}))"
    # A model's name goes on with a capitalised word or a digit: "l'A3 Sportback".
    r"(?![\w-])(?!\s+[A-Z0-9])")
_RING = re.compile(r"\b(?:[lL]e|du|au)\s+(?P<ring>(?:boulevard\s+)?périphérique)\b(?!s)")
_YEAR = re.compile(r"(?:19|20)\d\d")
_CODE = re.compile(r"([A-Z]+)\s?-?(\d+)")


def road_mentions(text: str) -> Iterator[Mention]:
    """The roads named in one paragraph, as place mentions."""
    # Substring tests first: the regexes run on the few paragraphs that may name a road.
    headed = "route " in text or "nationale " in text or "départementale " in text
    bare = "'A" in text or "'E" in text or "’A" in text or "’E" in text or "a N" in text \
        or "a R" in text or "a D" in text or "a M" in text
    ring = "ériphérique" in text
    if not (headed or bare or ring):
        return
    for m in _HEADED.finditer(text) if headed else ():
        code = m["code"]
        if code.isdigit() and (m["head"] == "route" or _YEAR.fullmatch(code)):
            continue  # "la route 2024", "départementale 2015": a plain road, a year
        surface = m.group()
        yield _mention(surface, _canonical(code) if not code.isdigit() else surface)
    for m in _BARE.finditer(text) if bare else ():
        code = m["vowel"] or m["road"]
        yield _mention(code, _canonical(code))
    for m in _RING.finditer(text) if ring else ():
        yield _mention(m["ring"], m["ring"])


def is_code(name: str) -> bool:
    """Whether a name is a code of capitals and digits (``A7``, ``RN 79``, ``D1``, ``M6``)."""
    return _CODE.fullmatch(name) is not None


def _canonical(code: str) -> str:
    m = _CODE.fullmatch(code)
    if m is None:
        return code
    letters, number = m.groups()
    return f"{letters} {number}" if len(letters) > 1 else f"{letters}{number}"


def _mention(surface: str, canonical: str) -> Mention:
    return Mention(surface, PLACE, canonical, from_gazetteer=False, single=False)
