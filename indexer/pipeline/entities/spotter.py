"""Spotting: the names of one paragraph, found in runs of capitalised words and
classified by the cues around them (steps 1 to 3 of :mod:`indexer.pipeline.entities`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from ...text import word_key
from .lexicon import Gazetteer, Phrase, _first_name, _is_common
from .model import ORG, PERSON, PLACE
from .tokens import Token, previous_word, tokenize
from .words import (
    _ACTOR_CUES,
    _ADJECTIVE_RE,
    _ARTICLES,
    _ARTICLES_AND_AU,
    _ARTICLES_AND_CONTRACTIONS,
    _COMPANY_HEADS,
    _CUE_ADJECTIVES,
    _CUE_COMPLEMENTS,
    _DEAL_NOUNS,
    _ENGLISH_WORDS,
    _EVENT_HEADS,
    _FUNCTION_WORDS,
    _HEAD_TITLES,
    _HONORIFICS,
    _LONG_REACH,
    _LOWER_ORG_HEADS,
    _LOWER_PLACE_HEADS,
    _MANDATE_HEADS,
    _MINISTRY,
    _MISC_TAILS,
    _NOT_ACRONYMS,
    _NOT_GIVEN_NAMES,
    _ORDINAL_RE,
    _ORG_CUES,
    _ORG_HEADS,
    _OWNED_NOUNS,
    _PARTICLE_PREPOSITIONS,
    _PARTICLES,
    _PERSON_CUES,
    _PLACE_CUES,
    _PLACE_HEADS,
    _PLACE_NOUNS,
    _PLACE_PREPOSITIONS,
    _RANK_DETERMINERS,
    _RANKS,
    _SENTENCE_ENDS,
    _SHORT_HEADS,
    _SHORT_REACH,
    _SINGLE_ORGS,
    _TIME_WORDS,
    _WEAK_PLACE_PREPOSITIONS,
)
from .works import work_cue


class Mention(NamedTuple):
    surface: str  # as written, honorifics and elisions stripped
    kind: str  # PERSON, ORG, PLACE, or "" when unknown
    canonical: str  # gazetteer/alias canonical, else the surface
    from_gazetteer: bool
    single: bool  # one word (or particle + word): may be a surname


def _match_phrase(tokens: Sequence[Token], i: int, gaz: Gazetteer) -> Phrase | None:
    token = tokens[i]
    key = token.key
    candidates: list[Phrase] = []
    if i + 1 < len(tokens):
        candidates = gaz.phrases.get(f"{key} {tokens[i + 1].key}", candidates)
    single = gaz.phrases.get(key)
    for phrase in (*candidates, *(single or ())):
        size = len(phrase.keys)
        if i + size > len(tokens):
            continue
        if not (token.cap or phrase.lower_ok) or (phrase.upper_only and not _as_acronym(token)):
            continue
        if size > 2 and any(tokens[i + k].key != phrase.keys[k] for k in range(2, size)):
            continue
        if not phrase.strong and len(token.text) > 1 and token.text.isupper():
            continue  # "ITU" is an acronym, not the town of Itu
        if phrase.upper_only and i + 1 < len(tokens) and tokens[i + 1].text.isdigit():
            continue  # "RN 79", "A 7": a road, not the party
        if phrase.after_article and not _after_article(
            tokens, i, plain=size == 1 and _is_common(token, gaz)
        ):
            continue
        return phrase
    return None


def _after_article(tokens: Sequence[Token], i: int, plain: bool) -> bool:
    """'au Caire', 'selon l'Humanité'; not 'Coupe du Monde' nor 'ministère russe de la Défense'.

    ``plain``: a common word ('Monde', 'Havre') needs an article of its own or
    'au' ('dit au Monde', 'au Havre'), not 'du' ('champion du Monde').
    """
    articles = _ARTICLES_AND_AU if plain else _ARTICLES_AND_CONTRACTIONS
    if i == 0 or tokens[i - 1].key not in articles:
        return False
    if (
        i >= 2
        and tokens[i - 2].cap
        and tokens[i - 2].key not in _FUNCTION_WORDS
        and tokens[i - 1].key not in ("au", "aux")  # "la place Tahrir au Caire"
    ):
        return False  # inside a longer name: "Coupe du Monde"
    return not any(t.key in _MINISTRY for t in tokens[max(0, i - 4) : i - 1])


def _as_acronym(token: Token) -> bool:
    """Written as an acronym: 'NASA', or the press's 'Nasa' for longer ones."""
    text = token.text
    return text.isupper() or (len(text) >= 4 and text[0].isupper() and text[1:].islower())


def _span_end(tokens: Sequence[Token], i: int) -> int:
    """End (exclusive) of the run of name words starting at ``i``."""
    n = len(tokens)
    j = i + 1
    while j < n:
        if tokens[j].cap and not tokens[j].initial:
            j += 1
            continue
        # Up to two particles ("de la", "van der") if a capitalised word follows.
        k = j
        while k < n and k - j < 2 and tokens[k].key in _PARTICLES and not tokens[k].cap:
            k += 1
        if k == j and tokens[j].text in ("De", "Du", "Des", "Le", "La", "Van", "Von", "Di"):
            k = j + 1
        if k > j and k < n and tokens[k].cap and tokens[k].key not in _PARTICLES:
            j = k + 1
            continue
        break
    return j


def _surface(text: str, tokens: Sequence[Token], i: int, j: int) -> str:
    return " ".join(text[tokens[i].start : tokens[j - 1].end].split())


_ACRONYM_RE = re.compile(r"^[A-ZÀ-Þ]{3,7}(?:-[A-ZÀ-Þ]{2,7})?$")
# A capital inside a word, not after a name prefix ("McCain", "MacLeod", "DiCaprio").
_CAMEL_RE = re.compile(r"^(?!Mc|Mac|Di|De|Da|La|Le|Van|Von)[A-Z][a-z]+[A-Z][A-Za-z]*$")
_ROMAN_RE = re.compile(r"^[IVXLCDM]+$")
_DIGIT_RE = re.compile(r"\d")
# After an adjective-or-verb, the words that keep it in the name: its complement or a
# second adjective ("Agence spatiale et ...").
_VERB_FREE = frozenset("de du des d' et".split())
# "de" and its forms, which join a name to its complement.
_OF = frozenset("de d' du des".split())
# Past participles ("publié", "chargée"), "-ure" verbs ("assure") and relative pronouns
# ("auquel") end the adjectives of a portfolio.
_NOT_PORTFOLIO_RE = re.compile(r"(?:é|ée|és|ées|ures?|quel|quels|quelles?)$")
_DROP = "drop"  # a kind rule's verdict: no name at all ("les Kurdes", "l'État")


def _is_acronym(text: str) -> bool:
    """An organisation-like acronym: 'OSDH', 'CNDD-FDD'; not 'UTC', 'XXXI' or 'A320'.

    Two-letter ones ('UE', 'PS') are left to the gazetteer: most others are
    abbreviations of common nouns.  Codes with digits are flights and models.
    """
    return (
        _ACRONYM_RE.match(text) is not None
        and text not in _NOT_ACRONYMS
        and not _ROMAN_RE.match(text)
    )


def _is_demonym(token: Token, gaz: Gazetteer) -> bool:
    """'Polonaise', 'Sud-Africains', 'Kurdes': a nationality, not a name."""
    return token.key in gaz.nationalities and not _first_name(token, gaz)


class _Spotter:
    """Finds the mentions of one paragraph."""

    def __init__(self, text: str, gaz: Gazetteer) -> None:
        self.text = text
        self.gaz = gaz
        self.tokens: list[Token] = []
        self.last_end = -1  # where the last mention ended, for "Pico, Graciosa et Terceira"
        self.last_kind = ""
        self.last_seen = 0  # end of the last token handled
        # An unknown one-word name and its end, waiting for "et <kind known>".
        self.pending: tuple[Mention, int] | None = None

    def mentions(self) -> Iterator[Mention]:
        # Only the neighbourhood of capitalised words (and of the few lowercase
        # words that open names) is tokenised: most of the text is skipped at C speed.
        runs = [run for run in self.gaz.runs.finditer(self.text) if not self._quick_skip(run)]
        done, first = 0, 0
        while first < len(runs):
            # Runs close to each other share one tokenised window.
            last = first
            while last + 1 < len(runs) and runs[last + 1].start() - runs[last].end() < 24:
                last += 1
            yield from self._window(runs[first : last + 1], done)
            done = self.last_seen
            first = last + 1
        if self.pending:
            yield self.pending[0]

    def _window(self, runs: list[re.Match[str]], done: int) -> Iterator[Mention]:
        text = self.text
        context = text.rfind(" ", 0, max(0, runs[0].start() - 24)) + 1
        end = runs[-1].end()
        word = word_key(text[text.rfind(" ", 0, end) + 1 : end]).rsplit("'", 1)[-1]
        # Read further only when the name may go on in lowercase ("Union européenne").
        reach = _LONG_REACH if word in self.gaz.extenders else _SHORT_REACH
        lookahead = text.find(" ", end + reach)
        self.tokens = tokens = tokenize(text, context, None if lookahead < 0 else lookahead)
        i = 0
        for run in runs:
            start = max(run.start(), done)
            while i < len(tokens) and tokens[i].start < start:
                i += 1
            while i < len(tokens) and tokens[i].start < run.end():
                begin = tokens[i].start
                mentions, i = self._mentions_at(i)
                for mention in mentions:
                    if self.pending or not (mention.kind or not mention.single):
                        yield from self._held_back(mention, begin, tokens[i - 1].end)
                    else:
                        yield mention
                    self.last_kind = mention.kind
                if mentions:
                    self.last_end = tokens[i - 1].end
                done = tokens[i - 1].end
        self.last_seen = done

    def _held_back(self, mention: Mention, begin: int, end: int) -> Iterator[Mention]:
        """Yield mentions, holding back an unknown single name until the next one:
        'la Dares et Pôle emploi' gives the kind of the second to the first."""
        if self.pending:
            held, held_end = self.pending
            self.pending = None
            start = self.text.find(mention.surface, begin)
            between = self.text[held_end:start].strip() if start >= held_end else "?"
            if mention.kind and between in ("et", "ou", ","):
                held = held._replace(kind=mention.kind)
            yield held
        if mention.kind or not mention.single:
            yield mention
        else:
            self.pending = (mention, end)

    def _quick_skip(self, run: re.Match[str]) -> bool:
        """A lone capitalised function word, or common word opening a sentence ("Selon")."""
        word = run.group()
        key = word_key(word)
        if key in _FUNCTION_WORDS:
            return True
        if " " in word or word.lower() not in self.gaz.common_words:
            return False
        # The last character before the run, looking back over a few spaces only.
        before = self.text[max(0, run.start() - 4) : run.start()].rstrip()
        if not before and run.start() >= 4:
            return False
        return (not before or before[-1] in _SENTENCE_ENDS) and key not in self.gaz.keep

    def _mentions_at(self, i: int) -> tuple[Iterable[Mention], int]:
        """Mentions of the name starting at token ``i``, and the token after it."""
        tokens = self.tokens
        token = tokens[i]
        if not token.cap:
            if token.key in _LOWER_PLACE_HEADS:
                end = self._lower_place_end(i)
                if end > i + 1:
                    town = self._town_after(end)
                    if town:
                        return [self._mention(i, end, PLACE), town[0]], town[1]
                    return [self._mention(i, end, PLACE)], end
            if token.key in _LOWER_ORG_HEADS:
                named = i + 1 < len(tokens) and tokens[i + 1].cap
                if named and tokens[i + 1].key not in _PARTICLES:
                    end = _span_end(tokens, i + 1)  # "l'université Harvard"
                else:
                    end = self._org_end(i + 1)
                if end > i + 1 and any(t.cap for t in tokens[i + 1 : end]):
                    return [self._mention(i, end, ORG), *self._nested(i, end)], end
            phrase = _match_phrase(tokens, i, self.gaz)
            if phrase and phrase.lower_ok:
                return [self._gazetteer_mention(i, phrase)], i + len(phrase.keys)
            return [], i + 1
        end = _span_end(tokens, i)
        if i and self._particle_surname(i - 1):
            return [self._mention(i - 1, end, PERSON)], end
        # A gazetteer phrase may run past the capitalised words ("Union européenne").
        phrase = _match_phrase(tokens, i, self.gaz)
        stop = self._institution_end(i, phrase)
        if self._venue(i):
            # "le centre des Congrès de Québec" is a building, not a parliament
            stop = max(stop, end)
            return [*self._nested(i, stop)], stop
        if stop:
            return [self._mention(i, stop, ORG), *self._nested(i, stop)], stop
        if phrase and i + len(phrase.keys) > end:
            end = i + len(phrase.keys)
        elif tokens[end - 1].key in _ORG_HEADS or self._after_ministry(i):
            end = self._org_end(end)
        elif tokens[i].key in _MANDATE_HEADS:
            end = self._org_end(self._name_end(i))
        if tokens[i].key in _MANDATE_HEADS:
            end = self._mandate_end(end)
        return list(self._segment(i, end)), end

    def _org_end(self, end: int) -> int:
        """Extend an organisation over lowercase adjectives and a complement:
        'Gendarmerie royale du Canada', 'Fédération internationale de triathlon'."""
        tokens = self.tokens
        j = self._adjectives_end(end, 3)
        k = self._particles_end(j)
        if k == j or k >= len(tokens):
            return j
        if tokens[k].cap:
            return self._portfolio_end(k)
        # Up to two lowercase complements with their adjectives, and maybe a name:
        # "Bureau de la sécurité des transports", "Cour d'appel de Nancy".
        for _ in range(2):
            if not self._complement_noun(k):
                return j
            j = self._adjectives_end(k + 1, 2)
            k = self._particles_end(j)
            if k == j and j + 2 < len(tokens) and tokens[j].key == "et":
                # "Parti de la justice et du développement"; but "... et du bureau de
                # l'ONUB" is a second organisation.
                k = self._particles_end(j + 1)
                if k == j + 1 or k >= len(tokens) or tokens[k].cap or tokens[k].key in _ORG_HEADS:
                    return j
            if k == j or k >= len(tokens):
                return j
            if tokens[k].cap:
                return self._portfolio_end(k)
        return j

    def _portfolio_end(self, k: int) -> int:
        """End of the name in an organisation's complement, with the adjectives of a
        portfolio: "ministère des Affaires étrangères", "de la Transition écologique", "de
        la Défense autrichien", as the gold writes them; not past a proper name ("Cour
        d'appel de Paris"). A person named after it is no part of it ("ministère de
        l'Intérieur Christophe Castaner")."""
        tokens = self.tokens
        end = self._name_end(k)
        for j in range(k + 1, end - 1):
            if _first_name(tokens[j], self.gaz) and not _is_common(tokens[j], self.gaz):
                return j
        if end == k + 1 and _is_common(tokens[k], self.gaz):
            # "le bilan du ministère de la Santé publié mardi": a participle or a verb
            # after the portfolio is the sentence's, not the name's.
            return self._adjectives_end(end, 2, _NOT_PORTFOLIO_RE)
        return end

    def _mandate_end(self, end: int) -> int:
        """A mission's name goes on over its field or its country: 'Haut-Commissariat
        des Nations unies aux droits de l'homme', 'Mission de l'Union africaine en Somalie'."""
        tokens = self.tokens
        if end + 1 >= len(tokens) or tokens[end].key not in ("a", "au", "aux", "en"):
            return end
        k = end + 1
        if tokens[k].key in ("la", "l'") and k + 1 < len(tokens):
            k += 1
        if tokens[k].cap:
            place = _match_phrase(tokens, k, self.gaz)
            if place is None or place.kind != PLACE or not place.strong:
                return end
            return k + len(place.keys)
        if tokens[end].key == "en" or not self._complement_noun(k):
            return end
        return self._org_end(k + 1)

    def _name_end(self, k: int) -> int:
        """End of the name opening at ``k`` in an organisation's complement, over the
        lowercase end of a known name: "Conseil des droits de l'homme des Nations unies",
        not "... des Nations"."""
        end = _span_end(self.tokens, k)
        phrase = _match_phrase(self.tokens, end - 1, self.gaz)
        return max(end, end - 1 + len(phrase.keys)) if phrase else end

    def _institution_end(self, i: int, phrase: Phrase | None) -> int:
        """End of a known institution followed by its country, or 0: 'Parlement
        espagnol', 'Sénat du Burundi' are one country's parliament, not 'Parlement'."""
        if not phrase or phrase.kind != ORG or phrase.keys[0] not in _ORG_HEADS:
            return 0
        tokens = self.tokens
        j = i + len(phrase.keys)
        if j < len(tokens) and not tokens[j].cap and tokens[j].key in self.gaz.nationalities:
            return j + 1
        k = j
        if k < len(tokens) and tokens[k].key in _OF:
            k += 1
        if k < len(tokens) and tokens[k].key in ("la", "l'"):
            k += 1
        if k == j or k >= len(tokens) or not tokens[k].cap:
            return 0
        place = _match_phrase(tokens, k, self.gaz)
        return k + len(place.keys) if place and place.kind == PLACE else 0

    def _complement_noun(self, k: int) -> bool:
        noun = self.tokens[k].key
        return (
            len(noun) >= 4
            and noun.isalpha()
            and noun not in _FUNCTION_WORDS
            and noun not in _TIME_WORDS
            and not self.tokens[k].cap
        )

    def _adjectives_end(self, j: int, most: int, stop: re.Pattern[str] | None = None) -> int:
        """Past at most ``most`` adjectives from token ``j``, none of them matching ``stop``."""
        tokens, start = self.tokens, j

        def adjective(x: int) -> bool:
            return self._adjective(x) and not (stop and stop.search(tokens[x].text))

        while j < len(tokens) and j - start < most and not tokens[j].cap:
            key = tokens[j].key
            if key == "et" and j > start and adjective(j + 1):
                j += 1  # "Agence américaine océanique et atmosphérique"
            elif not adjective(j):
                break
            j += 1
        return j

    def _adjective(self, j: int) -> bool:
        if j >= len(self.tokens) or self.tokens[j].cap:
            return False
        key = self.tokens[j].key
        if key in _FUNCTION_WORDS or _ADJECTIVE_RE.match(key) is None:
            return False
        if key in self.gaz.nationalities or self.tokens[j].text.lower() + "nt" not in (
                self.gaz.common_words):
            return True
        # A word with a third person plural ("rappellent", "rebellent") may be a verb: it
        # is the name's adjective only where the name may end or go on, before a
        # punctuation mark, a name or its complement ("l'Alliance rebelle, devenue");
        # before anything else it is the verb ("le ministre des Transports rappelle que").
        after = self.tokens[j + 1] if j + 1 < len(self.tokens) else None
        return after is None or after.key in _VERB_FREE or after.cap or not after.key[0].isalnum()

    def _particles_end(self, j: int) -> int:
        tokens, start = self.tokens, j
        while j < len(tokens) and j - start < 2 and tokens[j].key in _PARTICLES:
            if tokens[j].cap:
                break
            j += 1
        return j

    def _lower_place_end(self, i: int) -> int:
        tokens = self.tokens
        end = _span_end(tokens, i)
        # "le pont Mathilde de Rouen", "la place Tahrir du Caire": the town is no part of it.
        for j in range(i + 2, end - 1):
            if tokens[j - 1].cap and self._town_after(j):
                end = j
                break
        return end if end > i + 1 and tokens[end - 1].cap else i

    def _town_after(self, j: int) -> tuple[Mention, int] | None:
        """The known town of 'de Rouen', 'du Caire' at token ``j``, and the token after it."""
        tokens = self.tokens
        if j + 1 >= len(tokens) or tokens[j].key not in ("de", "du", "d'"):
            return None
        place = _match_phrase(tokens, j + 1, self.gaz)
        size = len(place.keys) if place else 0
        if tokens[j].key == "du":  # "du Caire" is "de Le Caire"
            found = self.gaz.phrases.get(f"le {tokens[j + 1].key}", ())
            place = next((p for p in found if len(p.keys) == 2 and p.strong), place)
            size = 1 if place in found else size
        if not (place and place.kind == PLACE and place.strong):
            return None
        surface = _surface(self.text, tokens, j + 1, j + 1 + size)
        return Mention(surface, PLACE, place.canonical, True, size == 1), j + 1 + size

    def _gazetteer_mention(self, i: int, phrase: Phrase) -> Mention:
        j = i + len(phrase.keys)
        # "l'Humanité", "le Canard enchaîné": the article belongs to the name (not "au").
        start = i - 1 if phrase.after_article and self.tokens[i - 1].key in _ARTICLES else i
        surface = _surface(self.text, self.tokens, start, j)
        kind = phrase.kind
        if not phrase.strong and j - i == 1:
            if not self._place_cue(i):
                kind = ""  # a one-word town name with no cue may well be a surname ("Obama")
            elif self._previous_word(i) in _WEAK_PLACE_PREPOSITIONS:
                # "le discours d'Obama": someone's, as for unknown names
                kind = self._owner_kind(i - 1, kind)
        return Mention(surface, kind, phrase.canonical, True, j - i == 1)

    def _place_cue(self, i: int) -> bool:
        previous = self._previous_word(i)
        return (
            previous in _PLACE_PREPOSITIONS
            or previous in _WEAK_PLACE_PREPOSITIONS
            or self._coordinated(i)
            or self._place_context(i, i + 1)
        )

    def _mention(self, i: int, j: int, kind: str) -> Mention:
        surface = _surface(self.text, self.tokens, i, j)
        last = self.tokens[j - 1]
        if j - i > 1 and len(last.text) == 1 and self.text[last.end : last.end + 1] == ".":
            surface += "."  # a surname's initial: "Nolan L.", "Karabatic N."
        single = j - i == 1 or (j - i == 2 and self.tokens[i].key in _PARTICLES)
        return Mention(surface, kind, surface, False, single)

    def _segment(self, i: int, end: int) -> Iterator[Mention]:
        """Split a run of name words into mentions."""
        tokens, gaz = self.tokens, self.gaz
        honorific = False
        k = i
        while k < end:
            token = tokens[k]
            if k + 1 < end and (
                token.key in _HONORIFICS
                # "Président Obama", but not "Président de la Tanzanie" nor the
                # English "General Motors"
                or (
                    token.key in _PERSON_CUES
                    and tokens[k + 1].key not in _PARTICLES
                    and token.text != "General"
                )
            ):
                honorific = True
                k += 1
                continue
            if token.key in _RANKS and k + 2 < end and self._particle_surname(k + 1):
                yield self._mention(k + 1, end, PERSON)  # "Général de Gaulle"
                return
            if (
                token.cap
                and (token.key in _PERSON_CUES or token.key in _COMPANY_HEADS)
                and k + 2 < end
                and tokens[k + 1].key in _OF
                and not tokens[k + 1].cap
            ):
                # "Luc, Président de Bonhams": a press release's capitalised title is no
                # part of the name it governs; a common word after it is the post's own
                # ("Président de la République").
                j = self._particles_end(k + 1)
                if j < end and not _is_common(tokens[j], gaz):
                    k, honorific = j, False
                    continue
            phrase = _match_phrase(tokens, k, gaz)
            stop = self._institution_end(k, phrase)
            if stop and stop <= end:
                yield self._mention(k, stop, ORG)
                yield from self._nested(k, stop)
                k = stop
                honorific = False
                continue
            if phrase and not self._starts_person(k, end, phrase):
                yield self._gazetteer_mention(k, phrase)
                if phrase.kind == ORG:
                    yield from self._nested(k, k + len(phrase.keys))
                k += len(phrase.keys)
                if phrase.canonical in gaz.makes:
                    k = self._model_end(k, end)
                honorific = False
                continue
            if self._skippable(k, end, honorific):
                k += 1
                continue
            stop = self._free_end(k, end, honorific)
            if not honorific and work_cue(tokens, k, gaz):
                # "le film Star Wars": a title, no name, but names may stand inside it
                yield from self._after_work(k, stop)
            elif mention := self._classify(k, stop, honorific):
                yield mention
                if mention.kind == ORG:
                    yield from self._nested(k, stop)
            k = stop
            honorific = False

    def _particle_surname(self, k: int) -> bool:
        """Whether the lowercase "de" at ``k`` is the particle of the surname after it: "le
        général de Gaulle", "ministre de de Gaulle". A known place or organisation, or a
        given name, after it stays what it is."""
        tokens = self.tokens
        if k + 1 >= len(tokens) or tokens[k].text != "de" or k < 1:
            return False
        name = tokens[k + 1]
        if not name.cap or name.key in _PARTICLES or _is_common(name, self.gaz):
            return False
        if name.text.isupper():
            return False  # "une unité de de CRS": a typo, and no surname
        known = _match_phrase(tokens, k + 1, self.gaz)
        # A weak town name is often a surname too ("le général de Villiers").
        if (known and (known.strong or known.kind != PLACE)) or _first_name(name, self.gaz):
            return False
        before = tokens[k - 1]
        if before.key in _RANKS:  # a noun, so after a determiner if anything
            return k < 2 or tokens[k - 2].key in _RANK_DETERMINERS
        if before.cap:
            return False
        if before.key in _PARTICLE_PREPOSITIONS:
            # One word: "de de Skoal Bandit" is a typo before a team's name.
            return k + 2 >= len(tokens) or not tokens[k + 2].cap
        return False

    def _model_end(self, k: int, end: int) -> int:
        """Past the model after a make ("Porsche Cayenne", "Audi A4", "Tesla Model S"): no
        name of its own. An organisation ("Jaguar Land Rover") or a person ("chez Renault
        Carlos Ghosn", a given name and a capitalised word) ends it."""
        tokens, gaz = self.tokens, self.gaz
        while k < end and tokens[k].cap:
            phrase = _match_phrase(tokens, k, gaz)
            if phrase and phrase.kind == ORG:
                break
            if k + 1 < end and tokens[k + 1].cap and _first_name(tokens[k], gaz):
                break
            k += 1
        return k

    def _nested(self, i: int, j: int) -> Iterator[Mention]:
        """Known names inside an organisation's name: 'Nations unies' in 'Conseil de
        sécurité des Nations unies', 'Belgique' in 'Institut royal de Belgique'."""
        tokens = self.tokens
        k = i + 1
        while k < j:
            phrase = _match_phrase(tokens, k, self.gaz) if tokens[k].cap else None
            if (
                phrase
                and phrase.strong
                and k + len(phrase.keys) <= j
                # "Monde" in "Le Monde" is the name itself without its article, and
                # "al-Nosra" in "Front al-Nosra" its short form: no nested names.
                and not phrase.after_article
                and not (k == i + 1 and phrase.kind == ORG)
            ):
                yield self._gazetteer_mention(k, phrase)
                k += len(phrase.keys)
            else:
                k += 1

    def _starts_person(self, k: int, end: int, phrase: Phrase) -> bool:
        # "Florence Parly": a given name that is also a place, followed by a name.
        tokens = self.tokens
        return (
            len(phrase.keys) == 1
            and k + 1 < end
            and tokens[k + 1].cap
            and _first_name(tokens[k], self.gaz)
            and (
                not phrase.strong
                # "Florence Parly", but "France Brice Daubord" and "Paris Match" are not.
                or not (_is_common(tokens[k + 1], self.gaz) or _first_name(tokens[k + 1], self.gaz))
            )
        )

    def _skippable(self, k: int, end: int, honorific: bool) -> bool:
        token = self.tokens[k]
        if honorific or self._surname_particle(k, end):
            return False
        if token.key in _FUNCTION_WORDS or token.key in _EVENT_HEADS or self._state_rank(k):
            return True
        if token.text in _NOT_ACRONYMS:
            return True  # "PDG de Total"
        if token.key in _PARTICLES and not token.cap:
            return True
        if _ORDINAL_RE.match(token.text):
            return True
        # "la Polonaise Oktawia Nowacka": a nationality before a name.
        if k + 1 < end and self.tokens[k + 1].cap and _is_demonym(token, self.gaz):
            return True
        # A sentence-initial common word ("Selon", "Alarmé") opens no name.
        return token.initial and _is_common(token, self.gaz) and not _first_name(token, self.gaz)

    def _surname_particle(self, k: int, end: int) -> bool:
        """'De Gendt', 'Le Drian': a capitalised particle that belongs to the surname."""
        tokens = self.tokens
        if not (tokens[k].cap and tokens[k].key in _PARTICLES and k + 2 == end):
            return False
        if tokens[k].initial and tokens[k].key in ("le", "la", "les"):
            return False  # "La FIDH espère", "Le Parisien"
        after = tokens[k + 1]
        if _is_common(after, self.gaz) or after.text.isupper():
            return False
        # A big place or organisation after it is no surname ("La Syrie"), a small
        # town may be one: "Le Pen" (Pen, India), "Le Maire".
        phrase = _match_phrase(tokens, k + 1, self.gaz)
        if phrase is None:
            return True
        return not phrase.strong and self._previous_word(k) not in _PLACE_PREPOSITIONS

    def _free_end(self, k: int, end: int, honorific: bool) -> int:
        """Where the name starting at ``k`` stops inside the run."""
        tokens, gaz = self.tokens, self.gaz
        person_start = honorific or (
            (_first_name(tokens[k], gaz) or self._person_cue(k)) and not self._after_ministry(k)
        )
        has_org_head = tokens[k].key in _ORG_HEADS
        # tokens[k:common] are all common words, tokens[k:heads] all place heads: each
        # pointer only moves on, where testing the whole prefix at every word was
        # quadratic in a long run of capitals (1.2 s for 256 KB of "ABCDEF ").
        common = heads = k
        e = k + 1
        while e < end:
            token = tokens[e]
            if person_start and e >= k + 2 and self._next_person(e, end):
                break  # "François Fillon Marc Joulaud": two people side by side
            if person_start and e >= k + 2 and self._complement_follows(e, end):
                break  # "Peter Garnavich de l'Université Notre-Dame"
            if e == k + 1 and tokens[k].key in _SINGLE_ORGS and self._next_person(e, end):
                break  # "le président de l'Assemblée Claude Bartolone"
            if token.cap and token.key not in _PARTICLES and not (person_start or has_org_head):
                # "l'Intérieur Bernard Cazeneuve", "Sud-Africain Richard Murray":
                # a full name starts after words that are not a name.
                if _first_name(token, gaz) and e + 1 < end and tokens[e + 1].cap:
                    break
                phrase = _match_phrase(tokens, e, gaz)
                if phrase and not phrase.strong:
                    while common < e and _is_common(tokens[common], gaz):
                        common += 1
                if phrase:
                    while heads < e and tokens[heads].key in _PLACE_HEADS:
                        heads += 1
                if (
                    phrase
                    and (phrase.strong or common == e)
                    # "West Yorkshire", "New South Wales" stay whole
                    and heads < e
                ):
                    break
                has_org_head = token.key in _ORG_HEADS
            e += 1
        # Do not end on a particle ("Tour de" + "France").
        while e > k + 1 and tokens[e - 1].key in _PARTICLES and not tokens[e - 1].cap:
            e -= 1
        return e

    def _classify(self, k: int, stop: int, honorific: bool) -> Mention | None:
        words = self.tokens[k:stop]
        named = [t for t in words if t.cap and t.key not in _PARTICLES]
        if not named or all(t.key in _PERSON_CUES for t in named):
            return None  # no name, or a title alone: "Chancelière", "Président"
        kind = self._kind(k, stop, words, named, honorific)
        if kind is None:
            return None
        return self._mention(k, stop, kind)

    def _complement_follows(self, e: int, end: int) -> bool:
        """Whether 'de X' at ``e`` names something else than a person's particle."""
        tokens = self.tokens
        if tokens[e].key not in _OF:
            return False
        j = e + 1
        while j < end and tokens[j].key in _PARTICLES and not tokens[j].cap:
            j += 1
        if j >= end:
            return False
        phrase = _match_phrase(tokens, j, self.gaz)
        return (
            tokens[j].key in _ORG_HEADS
            or (phrase is not None and phrase.strong)
            or _first_name(tokens[j], self.gaz)
            or tokens[j].text.endswith(".")  # an initial: "Harry Potter de J. K. Rowling"
        )

    def _next_person(self, e: int, end: int) -> bool:
        tokens = self.tokens
        return (
            e + 1 < end
            and tokens[e + 1].cap
            and tokens[e - 1].key not in _PARTICLES
            and _first_name(tokens[e], self.gaz)
            and tokens[e].key not in _PARTICLES
        )

    def _kind(
        self, k: int, stop: int, words: list[Token], named: list[Token], honorific: bool
    ) -> str | None:
        """The kind of a name from its words and context; '' if unknown, None to drop it.

        The rules go from the strongest evidence to the weakest: a cue word before
        the name, then the name's own words, then where it stands."""
        kind = self._cued_kind(k, stop, words, named, honorific)
        if kind is None:
            kind = self._kind_by_form(words, named)
        if kind is None:
            kind = self._kind_by_place(k, stop, named)
        return None if kind == _DROP else kind

    def _cued_kind(
        self, k: int, stop: int, words: list[Token], named: list[Token], honorific: bool
    ) -> str | None:
        """The kind a cue word around the name tells, if one does."""
        if honorific or (self._person_cue(k) and not self._common_head(words[0])):
            return PERSON
        if self._after_ministry(k):
            return ORG  # "ministre de la Santé": the ministry, by its portfolio
        if self._cue(k, _ORG_CUES) and not (
            self.tokens[k - 1].text == "," and _first_name(words[0], self.gaz) and len(named) > 1
        ):
            # not "le président du club, Joey Saputo"
            return ORG  # "le quotidien Hürriyet", "l'avionneur chinois Comac"
        if self._previous_word(k, skip_comma=False) in _PLACE_CUES:
            return PLACE  # "le glacier Perito Moreno", "la ville côtière de"
        if self._statistics_follow(stop):
            return PERSON  # a line-up: "Georgievski (2/3)", "Omeyer (16 arrêts)"
        return None

    def _kind_by_form(self, words: list[Token], named: list[Token]) -> str | None:
        """The kind the name's own words tell, _DROP for no name, None if they don't."""
        gaz = self.gaz
        if (
            len(words) == 2
            and words[0].cap
            and words[0].key in _PARTICLES
            and words[0].key not in _ENGLISH_WORDS  # "The Voice" is a show
        ):
            return PERSON  # "De Gendt", "Van Avermaet": a surname with its particle
        if len(words) == 1 and (
            _is_demonym(words[0], gaz)  # "les Kurdes"
            or words[0].text in _NOT_ACRONYMS  # "le VIH", "d'ONG"
            or words[0].key in _HONORIFICS  # "Monsieur" alone
        ):
            return _DROP
        if len(named) > 1 and _DIGIT_RE.search(self.text, words[0].start, words[-1].end):
            # "Tupolev Tu-154", "Canadair CL-415": a model, not a person
            return ORG if any(t.key in _ORG_HEADS for t in named) else _DROP
        if (
            _first_name(words[0], gaz)
            and len(named) > 1
            and named[-1].key not in _ORG_HEADS
            # "Île d'Yeu", "Ville de Montréal", "Loi Travail": given names in some lists
            and words[0].key not in _NOT_GIVEN_NAMES
        ):
            return PERSON
        if any(_is_common(t, gaz) for t in named) and all(_is_common(t, gaz) for t in named):
            # "l'Assemblée" and "la Grande Mosquée" are organisations; "l'État" is no name.
            if len(words) > 1 and any(t.key in _ORG_HEADS for t in named):
                return ORG
            single = len(named) == 1 and not words[0].initial
            return ORG if single and named[0].key in _SINGLE_ORGS else _DROP
        if any(t.key in _ORG_HEADS for t in named):
            return ORG
        if named[-1].key in _MISC_TAILS or any(t.key in _ENGLISH_WORDS for t in words):
            return _DROP
        if len(named) == 1 and (_is_acronym(named[0].text) or _CAMEL_RE.match(named[0].text)):
            return ORG  # "OSDH"; "EgyptAir", "LinkedIn": brands
        return None

    def _kind_by_place(self, k: int, stop: int, named: list[Token]) -> str:
        """The kind where the name stands tells: after which preposition, beside what."""
        previous = self._previous_word(k)
        if previous in _PLACE_PREPOSITIONS or self._place_context(k, stop):
            return PLACE
        if named[0].key in _PLACE_HEADS or named[-1].key in _PLACE_HEADS:
            return PLACE
        if len(named) == 1 and self._coordinated(k):
            return self.last_kind
        if len(named) > 1:
            return PERSON
        if previous in _WEAK_PLACE_PREPOSITIONS:
            # "le film de Kubrick", "la campagne de Fillon": someone's, not somewhere.
            return self._owner_kind(k - 1, PLACE)
        return ORG if previous in _ACTOR_CUES else ""

    def _owner_kind(self, k: int, kind: str) -> str:
        """The kind of X in "<owner> de X", token ``k`` being "de", or ``kind``."""
        owner = self._previous_word(k) or self._company_head(k - 1)
        if owner in _HEAD_TITLES:  # "le directeur général de X"
            owner = self._previous_word(k - 1) or self._company_head(k - 2) or owner
        if owner in _OWNED_NOUNS:
            return PERSON
        return ORG if owner in _DEAL_NOUNS or owner in _COMPANY_HEADS else kind

    def _company_head(self, j: int) -> str:
        """'PDG', 'CEO', or a head opening a sentence ("Patron de X"), at token ``j``."""
        key = self.tokens[j].key if j >= 0 else ""
        return key if key in _COMPANY_HEADS else ""

    def _venue(self, i: int) -> bool:
        """'le palais des Congrès', 'le centre des Expositions': a building's name."""
        return (
            self.tokens[i].key in _SINGLE_ORGS
            and self._previous_word(i, False) == "des"
            and self._previous_word(i - 1, False) in ("centre", "palais")
        )

    def _common_head(self, token: Token) -> bool:
        """'le premier Forum mondial': a capitalised common head after a cue is no person."""
        return token.key in _SHORT_HEADS and _is_common(token, self.gaz)

    def _coordinated(self, k: int) -> bool:
        """Whether token ``k`` follows the last mention after ',', 'et' or 'ou'."""
        if self.last_end < 0 or not self.last_kind:
            return False
        between = self.text[self.last_end : self.tokens[k].start]
        return between.strip() in (",", "et", "ou", ", et")

    def _after_ministry(self, k: int) -> bool:
        tokens = self.tokens
        back = [t.key for t in tokens[max(0, k - 3) : k]]
        if self._state_rank(k):
            return False
        return bool(back) and back[-1] in _PARTICLES and any(w in _MINISTRY for w in back)

    def _state_rank(self, k: int) -> bool:
        """'secrétaire d'État', 'ministre d'État': a rank, neither a ministry nor a place."""
        return self.tokens[k].key == "etat" and self._previous_word(k, False) == "d'" and (
            self._previous_word(k - 1, False) in _MINISTRY
        )

    def _place_context(self, k: int, stop: int) -> bool:
        """'la ville de X', 'au nord de X', 'X (Bolivie)'."""
        tokens = self.tokens
        if k >= 2 and tokens[k - 1].key in ("de", "d'", "du") and tokens[k - 2].key in _PLACE_NOUNS:
            return True
        if stop + 2 < len(tokens) and tokens[stop].text == "(":
            phrase = _match_phrase(tokens, stop + 1, self.gaz)
            return phrase is not None and phrase.kind == PLACE
        return False

    def _previous_word(self, k: int, skip_comma: bool = True) -> str:
        """The lowercase word just before token ``k`` (maybe past a comma), or ''."""
        if skip_comma and k >= 1 and self.tokens[k - 1].text == ",":
            k -= 1
        return previous_word(self.tokens, k)

    def _statistics_follow(self, stop: int) -> bool:
        """'X (28 ans)', 'X (2/3)', 'X, 15 ans,': figures about a person."""
        tokens = self.tokens
        if stop + 1 >= len(tokens) or not tokens[stop + 1].text[0].isdigit():
            return False
        if tokens[stop].text == "(":
            return True
        return (
            tokens[stop].text == ","
            and stop + 2 < len(tokens)
            and tokens[stop + 2].key in ("ans", "an")
        )

    def _person_cue(self, k: int) -> bool:
        """'le président Macron', 'le président français Macron'."""
        return self._cue(k, _PERSON_CUES)

    def _after_work(self, k: int, stop: int) -> Iterator[Mention]:
        """What a dropped work's title still names: a known name ("Quotidien de TMC"),
        or the person it is someone's by ("Quotidien de Yann Barthès")."""
        tokens = self.tokens
        # A given name and a surname at least after "de".
        for j in range(k + 1, stop - 2):
            if tokens[j].key in ("de", "d'") and _first_name(tokens[j + 1], self.gaz):
                yield self._mention(j + 1, stop, PERSON)
                return
        yield from self._nested(k, stop)

    def _cue(self, k: int, cues: frozenset[str]) -> bool:
        """The cue word before ``k``, maybe past a nationality or a kind of
        agency: 'le président français X', "l'agence de presse turque X"."""
        previous = self._previous_word(k)
        if previous in cues:
            return True
        if previous in self.gaz.nationalities or previous in _CUE_ADJECTIVES:
            k -= 1
            previous = self._previous_word(k)
            if previous in cues:
                return True
        if previous in _CUE_COMPLEMENTS and self._previous_word(k - 1) in ("de", "d'"):
            return self._previous_word(k - 2) in cues
        return False
