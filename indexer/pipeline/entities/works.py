"""Works: the title after "le film", "l'émission" or "son album" names a work, not an
actor ("le film Star Wars", "l'émission Team Toussaint", "des chansons comme Last
Christmas"). The spotter drops such a title, keeping the known names and the person it
holds ("Quotidien de TMC", "Quotidien de Yann Barthès")."""

from __future__ import annotations

from collections.abc import Sequence

from .lexicon import Gazetteer, _first_name, _is_common
from .tokens import Token, previous_word
from .words import _WORK_CUES

# Before a work's noun, what makes it another noun's complement ("tueur en série").
_COMPLEMENT = frozenset("de d' en".split())
_DETERMINERS = frozenset("l' la le les cet cette ce ces son sa ses leur".split())


def work_cue(tokens: Sequence[Token], k: int, gaz: Gazetteer) -> bool:
    """Whether the name at ``k`` is a work's title: 'le film Star Wars', 'la série
    américaine General Hospital', 'des chansons comme Last Christmas'. Not past a comma:
    in "Dans le documentaire, Barack Obama a confié", the name is the sentence's subject."""
    at = k
    previous = previous_word(tokens, k)
    if previous == "comme" or previous in gaz.nationalities:
        k -= 1
        previous = previous_word(tokens, k)
    if previous not in _WORK_CUES:
        return False
    if previous in ("serie", "series") and tokens[at].text.isupper():
        return False  # "la série IMSA", "les séries SRO": racing series by their body
    # The work as another noun's complement, with no determiner: "le chanteur d'opéra
    # ukrainien X", "le tueur en série X". With one, the name is the work's unless it
    # reads as a person's: "l'animatrice de l'émission Apolline de Malherbe", "à
    # propos de cet album Bertrand Dicale, journaliste", but "lors de l'émission X".
    before = previous_word(tokens, k - 1)
    if before in _COMPLEMENT:
        return False
    if before == "du" or (before in _DETERMINERS and previous_word(tokens, k - 2) in ("de", "d'")):
        return not _person_shaped(tokens, at, gaz)
    return True


def _person_shaped(tokens: Sequence[Token], k: int, gaz: Gazetteer) -> bool:
    """'Bertrand Dicale', 'Apolline de Malherbe': a given name, or a word that is no
    common word followed by a surname's particle and a capital."""
    if _first_name(tokens[k], gaz):
        return True
    return (
        k + 2 < len(tokens)
        and tokens[k + 1].text in ("de", "d'")
        and tokens[k + 2].cap
        and not _is_common(tokens[k], gaz)
    )

