"""The shape of a name: initials (``J.-M. Ayrault``), accents, a given name before a
surname. Light enough for query time: facets merge names with these alone."""

from __future__ import annotations

import re

from ...text import name_key, word_key
from .lexicon import _first_names
from .words import _MISC_TAILS, _ORG_HEADS, _PARTICLES

# Given names as initials: "B.", "J.-M.", "J-M", "J.M."; or two or three bare capitals ("JM").
_INITIALS_RE = re.compile(r"^[A-ZÀ-Þ](?:\.-?|-)(?:[A-ZÀ-Þ](?:\.-?|-)?)*$|^[A-ZÀ-Þ]{2,3}$")


def initials_name(name: str) -> tuple[str, str, bool] | None:
    """('jm', 'Ayrault', True) for 'J.-M. Ayrault': the folded initials, the surname,
    and whether they are written as initials beyond doubt (with a dot or a hyphen);
    None for a name that does not open on initials."""
    words = name.split()
    i = 0
    while i < len(words) - 1 and _INITIALS_RE.match(words[i]):
        i += 1
    surname = words[i:]
    if i == 0 or not surname[-1][:1].isupper() or _INITIALS_RE.match(surname[-1]):
        return None
    letters = "".join(c for word in words[:i] for c in word if c.isalpha())
    dotted = any("." in word or "-" in word for word in words[:i])
    return word_key(letters), " ".join(surname), dotted


def initials_fit(short: tuple[str, str, bool], full: str) -> bool:
    """Whether a full name has the surname and given names of an initials form:
    'J.-M. Ayrault' and 'J. Ayrault' fit 'Jean-Marc Ayrault'; 'J.-M. Ayrault'
    does not fit 'Jean Ayrault', nor 'JM Ayrault' 'Jean-Marc Dupont'."""
    letters, surname, dotted = short
    words, tail = full.split(), surname.split()
    given = words[: -len(tail)]
    if not given or name_key(" ".join(words[-len(tail) :])) != name_key(surname):
        return False
    if initials_name(full) is not None:
        return False  # another initials form is no full name
    parts = [p for word in given if word_key(word) not in _PARTICLES for p in word.split("-") if p]
    firsts = "".join(word_key(p[0]) for p in parts)
    # Bare capitals ("JM") are initials only if they spell every given name.
    return firsts == letters if not dotted else firsts.startswith(letters)


def accented(name: str) -> bool:
    """Whether a name has accented letters ('Érignac'); a curly apostrophe is no accent."""
    return any(c.isalpha() and not c.isascii() for c in name)


def looks_like_full_name(name: str) -> bool:
    """'Barack Obama', 'Jean-Marc Ayrault': a known given name, then a surname, and no
    word of an organisation; for facets, which only see names, never their kind."""
    words = name.split()
    return (
        2 <= len(words) <= 5
        and word_key(words[0].split("-")[0]) in _first_names()
        and not any(_organisation_word(word) for word in words)
    )


def _organisation_word(word: str) -> bool:
    key = word_key(word)
    letters = [c for c in word if c.isalpha()]
    return (
        key in _ORG_HEADS
        or key in _MISC_TAILS
        or any(c.isdigit() for c in word)
        or (len(letters) > 1 and all(c.isupper() for c in letters))
    )
