"""Entity extraction: the people, organisations and places an article talks about.

A rules + gazetteer hybrid, built for speed (about a millisecond for a short
article, gazetteers loaded once per process) rather than for the last point
of F1:

1. **Find runs** of capitalised words (and of the few lowercase words that
   open names: ``océan``, ``place``, ``ministère``...) with one regex, and
   tokenise only their neighbourhood.  Tokens split French elisions
   (``d'Alep`` gives ``d'`` + ``Alep``) and keep hyphenated names whole.
2. **Spot** names in each run: the longest gazetteer phrase (places,
   organisations, user aliases; ``au Caire`` finds ``Le Caire``), else
   capitalised words joined by particles (``de``, ``van``, ``al-``...),
   extended over lowercase adjectives and complements after an organisation
   word (``Gendarmerie royale du Canada``); a known institution takes its
   country along (``Parlement espagnol``, ``Sénat du Burundi``).
3. **Segment and classify**: strip honorifics (``M.``, ``Mme``...), titles
   and nationality words (``la Polonaise``), skip sentence-initial common
   words (``Selon``, ``Alarmé``); then decide the kind from cues --
   organisation heads (``Parti``, ``Université``), acronyms, given names,
   words before the name (``le président``, ``le quotidien``, ``la ville``),
   place prepositions (``à``, ``en``), figures after it (``X (28 ans)``).
4. **Resolve** within the article: a surname-only mention (``M. Lavrov``)
   or initials (``B. Obama``, ``J.-M. Ayrault``) become the one full name
   of the article they fit (``Sergueï Lavrov``), a name without its second
   surname the longer one (``Ana Pastor García``), a lone head word the
   longer name it shortens (``l'Assemblée``), two spellings one
   (``Erignac``/``Érignac``); gazetteer variants take their canonical
   spelling (``Etats-Unis`` gives ``États-Unis``), and user corrections
   (:mod:`indexer.corrections`) apply.  Merging across articles is left to
   :mod:`indexer.facets`, at counting time.

Design choice worth knowing: surname-only mentions are merged into the full
name (one facet value per person).  The Wikinews gold annotations list every
mention string apart, so ``Entities.mentions`` keeps the surface forms seen in
the text beside their canonical names; ``bench/entities.py`` scores those as
its headline and the canonical names on a second line.

The gazetteers live in ``indexer/gazetteer/`` (its README says where each
comes from).  Filter keys come from :func:`entity_key`, :func:`filter_keys`
and :func:`index_keys`; :func:`mentioned` tells which entities a passage names.
"""

from __future__ import annotations

import gzip
import re
import unicodedata
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple, TypeVar

from .corrections import Corrections, name_key

__all__ = [
    "Entities",
    "accented",
    "entity_key",
    "extract_entities",
    "filter_keys",
    "index_keys",
    "initials_fit",
    "initials_name",
    "looks_like_full_name",
    "mentioned",
]

GAZETTEER = Path(__file__).parent / "gazetteer"

PERSON, ORG, PLACE = "person", "organization", "place"


@dataclass(frozen=True)
class Entities:
    """The entities of one article.

    ``actors`` and ``places`` are what facets and filters use.  ``persons``
    (the actors that are people) and ``aliases`` (surface form, canonical
    name) pairs are extra detail for :func:`mentioned` and
    :func:`index_keys`; ``mentions`` pairs every surface form recognised in
    the text (as written, honorifics and elisions stripped, so it may equal
    the canonical name) with its canonical name.  None of the three takes
    part in equality.
    """

    actors: tuple[str, ...] = ()  # canonical display names (people + organisations), sorted
    places: tuple[str, ...] = ()  # canonical display names, sorted
    persons: tuple[str, ...] = field(default=(), compare=False)
    aliases: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    mentions: tuple[tuple[str, str], ...] = field(default=(), compare=False)


def entity_key(name: str) -> str:
    """Match key for filters: casefolded, accents folded, whitespace collapsed,
    hyphens and apostrophes normalised (``'etats-unis'`` matches ``'États-Unis'``)."""
    return name_key(name)


# --------------------------------------------------------------------------- words

# Articles that may open a name ("Le Caire"), and with "à" and "de" fused in ("au Caire").
_ARTICLES = frozenset("le la les l'".split())
_ARTICLES_AND_CONTRACTIONS = _ARTICLES | frozenset("du au des aux".split())
# A name that is also a common word takes "au" ("au Havre"), not "du" ("champion du Monde").
_ARTICLES_AND_AU = _ARTICLES | frozenset("au aux".split())
# Words that open or join names; folded (see _fold) for lookup.
_PARTICLES = frozenset(
    "de du des d' la le les l' van von der den ter ten di da del della dos das do y "
    "al el bin ben ibn abu abou ould of the and e zu".split()
)
# Articles and prepositions never start a name, even capitalised.
_FUNCTION_WORDS = frozenset(
    "le la les l' un une des du de d' ce cet cette ces au aux a à en et ou selon pour "
    "par sur sous dans avec sans apres avant depuis lors chez vers mais donc or ni car "
    "il elle ils elles on nous vous je tu qui que quoi dont ou son sa ses leur leurs "
    "mon ma mes ton ta tes notre nos votre vos tout toute tous toutes si ne pas plus puis "
    "ainsi alors aussi encore comme quand lorsque ici la-bas deja toujours jamais "
    "contre entre durant pendant parmi malgre".split()
)
_HONORIFICS = frozenset(
    "m. mm. mme mmes mlle mlles me dr dr. pr pr. mgr mgr. sir lord lady dame monsieur "
    "madame mademoiselle mr mr. mrs mrs.".split()
)
# Lowercase words just before a name that say it is a person.
_PERSON_CUES = frozenset(
    """president presidente ministre premier chancelier chanceliere roi reine prince
    princesse pape cardinal eveque archeveque imam rabbin pretre pere general colonel
    commandant capitaine lieutenant sergent marechal amiral senateur senatrice depute
    deputee maire conseiller conseillere gouverneur juge procureur avocat avocate acteur
    actrice chanteur chanteuse ecrivain ecrivaine auteur auteure romancier poete
    journaliste photographe realisateur realisatrice cineaste artiste peintre musicien
    musicienne compositeur entraineur entraineuse selectionneur joueur joueuse pilote
    coureur coureuse cycliste boxeur nageur nageuse skieur skieuse athlete champion
    championne attaquant defenseur gardien milieu candidat candidate dirigeant
    dirigeante leader chef emissaire envoye ambassadeur ambassadrice directeur
    directrice fondateur fondatrice patron patronne pdg porte-parole secretaire
    professeur professeure docteur chercheur chercheuse scientifique economiste
    historien historienne philosophe sociologue opposant opposante militant militante
    activiste dissident dissidente rappeur rappeuse comedien comedienne humoriste
    animateur animatrice presentateur presentatrice footballeur tennisman tenniswoman
    vice-president vice-presidente homologue successeur predecesseur epouse epoux
    mari femme fils fille frere soeur veuve musher mannequin styliste mere oncle tante
    cousin cousine neveu niece compagnon compagne prenomme prenommee surnomme surnommee
    denomme denommee nomme nommee""".split()
)
# Lowercase words just before a name that say it is an organisation.
_ORG_CUES = frozenset(
    """quotidien journal hebdomadaire mensuel magazine revue agence compagnie societe
    groupe entreprise firme constructeur avionneur operateur laboratoire chaine radio
    banque club equipe parti mouvement syndicat association fondation ong organisation
    marque enseigne label editeur fabricant geant distributeur assureur media cabinet
    collectif formation site reseau plateforme application start-up studio coentreprise
    filiale transporteur""".split()
)
# What kind of company or paper, between a cue and a name: "la compagnie aérienne X".
_CUE_ADJECTIVES = frozenset(
    """aerien aerienne petrolier petroliere automobile ferroviaire pharmaceutique
    informatique bancaire financier financiere satirique regional regionale local locale
    public publique prive privee gratuit gratuite sportif sportive economique""".split()
)
# What kind of agency or company: "l'agence de presse X", "la compagnie de train X".
_CUE_COMPLEMENTS = frozenset(
    "presse information informations notation sondage sondages train transport "
    "transports".split()
)
# Lowercase words just before a name that say it is a place.
_PLACE_CUES = frozenset(
    """glacier volcan fleuve riviere ville village commune station localite region
    province quartier archipel desert massif capitale cite bourgade hameau""".split()
)
# Prepositions just before a name that say it is a place.
_PLACE_PREPOSITIONS = frozenset("à a en au aux dans vers depuis".split())
# Words inside a name that make it an organisation (folded).
_ORG_HEADS = frozenset(
    """parti ministere assemblee conseil union front agence observatoire groupe
    federation universite banque cour tribunal commission organisation comite senat
    association fondation institut office compagnie societe club academie ecole lycee
    college hopital clinique eglise mosquee musee orchestre mouvement syndicat
    alliance coalition brigade brigades armee forces police gendarmerie gouvernement ministry
    direction service services bureau chambre parlement congres corporation inc ltd
    airlines airways group company bank university institute council party agency
    news press times post journal radio television tv fc ac olympique racing sporting
    stade real united laboratoire laboratoires centre fonds programme reseau conference
    confederation caisse regie autorite administration departement secretariat
    consortium holding industries entreprise editions presse quotidien hebdomadaire
    magazine chaine diocese fraternite congregation communaute organization
    foundation association commission committee national nationale international
    internationale foundations groups partners holdings brothers studios records networks
    systems technologies labs pictures entertainment media communications""".split()
)
_ADJECTIVE_RE = re.compile(
    r"^[a-z]{3,}(?:al|ale|aux|ales|ique|iques|ien|ienne|iens|iennes|ais|aise|aises|ois|"
    r"oise|oises|el|elle|els|elles|if|ive|ifs|ives|aire|aires|eur|eure|eurs|eures|iste|"
    r"istes|ain|aine|ains|aines|ard|arde|ol|ole|an|ane|ier|iere|iers|ieres|een|eenne|"
    r"ee|ees|ie|ies|ne|nes|re|res)$"
)
# Before an unknown single name, these make a place more likely than not.
_WEAK_PLACE_PREPOSITIONS = frozenset("de d' entre".split())
_TIME_WORDS = frozenset(
    """lundi mardi mercredi jeudi vendredi samedi dimanche janvier fevrier mars avril mai
    juin juillet aout septembre octobre novembre decembre annee annees mois semaine
    jour jours matin soir""".split()
)
# Nouns before "de X" that make X a person: works, deeds and relations of someone.
_OWNED_NOUNS = frozenset(
    """film films livre livres roman romans album albums chanson chansons oeuvre oeuvres
    musique tableau gouvernement administration ere epoque mort deces obseques funerailles
    fils fille femme mari epouse famille entourage avocat avocats proches partisans
    soutiens candidature campagne election victoire defaite discours visite declaration
    declarations propos annonce demission affaire proces condamnation arrestation
    biographie memoires carriere mandat programme equipe cabinet successeur predecesseur
    rival adversaire ami amis presidence quinquennat regime politique reforme pere mere
    frere soeur parents veuve veuf proche heritier heritiere fondateur fondatrice createur
    creatrice biographe manager toile toiles tableaux peinture peintures sculpture
    sculptures boson theoreme""".split()
)
# Nouns before "de X" that make X a company: "le rachat de Pixar".
_DEAL_NOUNS = frozenset(
    "rachat rachats acquisition filiale filiales actionnaire actionnaires".split()
)
# Before an unknown single name, these make an actor more likely than not.
_ACTOR_CUES = frozenset("selon par".split())
_MINISTRY = frozenset("ministre ministres ministere ministeres secretaire secretariat".split())
# Capitalised common words that name an organisation on their own ("l'Assemblée").
_SINGLE_ORGS = frozenset("assemblee senat parlement congres".split())
# Heads of long names that an article then calls by the head alone: "le Forum mondial
# de la langue française" ... "le Forum court jusqu'à vendredi" (folded).
_SHORT_HEADS = frozenset(
    """forum sommet conseil congres assemblee parlement comite commission senat conference
    cour chambre union agence parti front federation gouvernement ministere organisation
    observatoire tribunal mouvement alliance coalition fondation institut office banque
    universite academie association syndicat confederation autorite""".split()
)
# Nouns before "de X" that make X a place (folded).
_PLACE_NOUNS = frozenset(
    """ville villes province region quartier quartiers village villages commune communes
    banlieue environs departement district gouvernorat capitale localite ile etat comte
    municipalite prefecture canton vallee port aeroport frontiere nord sud est ouest
    centre pres peripherie large habitants maire prefet wilaya oblast cite faubourg
    arrondissement agglomeration metropole territoire pays""".split()
)
# Words inside a name that make it a place (folded).
_PLACE_HEADS = frozenset(
    """lac mont monts ile iles cap golfe mer ocean baie vallee plaine plateau desert
    riviere fleuve detroit canal col massif foret place rue avenue boulevard quai pont
    port fort saint sainte san santa sao new nouvelle nouveau nord sud est ouest north
    south east west province region comte district arrondissement quartier village ville
    city island islands beach county lake valley mountains bay springs heights river
    grad land lodge gorge basin street mall road park square canyon creek falls peak val
    wilaya pampa cidade gare palais""".split()
)
# Last words of names of works, events and products, which are not entities here.
_MISC_TAILS = frozenset(
    """day days awards award series story camera telescope survey explorer orbiter
    festival cup games trophy championship show album tour world""".split()
)
# English words that mark a title of a work ("Game of Thrones", "Let's Dance").
_ENGLISH_WORDS = frozenset("of the and to in on my your you with for is has no a an".split())
# Lowercase heads that open a place name: "place de la République", "lac Louise".
_LOWER_PLACE_HEADS = frozenset(
    "place rue avenue boulevard quai pont lac mont ile iles mer ocean golfe detroit canal "
    "baie".split()
)
# Lowercase heads that open an organisation's name: "ministère de la Culture".
_LOWER_ORG_HEADS = frozenset("ministere universite hopital association".split())
# Both lists as written in text, for the regex that finds where names start.
_LOWER_OPENERS = frozenset(
    "place rue avenue boulevard quai pont lac mont île îles ile iles mer océan golfe détroit "
    "canal baie ministère université hôpital association".split()
)
# All-caps words that are not organisations.
_NOT_ACRONYMS = frozenset(
    """II III IV VI VII VIII IX XI XII XIII XIV XV XVI XVII XVIII XIX XX XXI OK TV PIB
    TVA SMS GPS ADN VIH SIDA HIV CV PDG DJ BD CD DVD PC USB LED UV HD QG SUV VTT UTC
    GMT CET CDD CDI AVC NDLR TPE PME SOS ONG OGM IVG RSA SMIC HLM RER TGV PMA GPA QI
    PV KO MVP JO ISF TNT LGBT LGBTI LGBTQ ADSL WIFI PDF CO2 NB PS. AM FM""".split()
)
# Words that open names of events and works, which are not entities here.
_EVENT_HEADS = frozenset(
    """jeux prix coupe championnat championnats tournoi festival concours operation loi
    tour voie trophee marathon rallye sommet salon exposition biennale journee
    journees semaine saison mondial mondiaux gala ceremonie edition grand-prix ironman
    triathlon forum""".split()
)
# Place and event nouns that nam_dict also lists as given names ("Île", "Ville", "Loi").
_NOT_GIVEN_NAMES = _LOWER_PLACE_HEADS | _PLACE_NOUNS | _EVENT_HEADS
# How far past a run of name words to tokenise: far after a word that may
# continue in lowercase ("Union" européenne), a little otherwise ("X (Bolivie)").
_LONG_REACH, _SHORT_REACH = 40, 6
_UPPER = "A-ZÀ-ÖØ-ÞŒŠŽŸĆČĐŁŃŚŹŻ"
_ORDINAL_RE = re.compile(r"^[IVXLC]+(?:e|er|re|ème)s?$")
_SENTENCE_ENDS = frozenset('.!?…:;«»"“”—–-()[]')


# --------------------------------------------------------------------------- tokens

_FOLD_TABLE = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'", "œ": "oe", "æ": "ae"})
_TOKEN_RE = re.compile(
    r"""
    (?P<abbr>\b(?:(?:MM|Mmes?|Mlles?|Mgr|Mrs?|Dr|Pr|M)\.(?=\s+\w)|[A-ZÀ-ÖØ-Þ]\.-[A-ZÀ-ÖØ-Þ]\.(?=\s*[A-ZÀ-ÖØ-Þ])|(?:St|[A-ZÀ-ÖØ-Þ])\.(?=\s*[A-ZÀ-ÖØ-Þ])))
  | (?P<elision>\b(?:[dDlLnNmMtTsSjJcC]|[qQ]u|[jJ]usqu|[lL]orsqu|[pP]uisqu|[qQ]uoiqu)['’](?=\w))
  | (?P<word>\w+(?:[-'’‑]\w+)*\+?)
  | (?P<punct>[^\w\s])
    """,
    re.VERBOSE,
)
_NAME_PREFIX_RE = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|ben|bin|ibn|abu|abou|ould)-\w", re.I)


class Token(NamedTuple):
    text: str
    key: str  # folded: casefold, accents stripped, apostrophes unified
    cap: bool  # may be part of a name (capitalised, or "al-Assad")
    start: int  # offset in the paragraph
    end: int
    initial: bool  # first word of a sentence


_fold_cache: dict[str, str] = {}
_FOLD_CHARS = re.compile("[" + "".join(map(chr, _FOLD_TABLE)) + "]")
_CACHED_FOLD = 64  # longer texts (a passage, for mentioned()) seldom recur


def _fold(text: str) -> str:
    """Casefold and strip accents; cached because the same words recur a lot."""
    folded = _fold_cache.get(text)
    if folded is None:
        folded = text.casefold()
        if not folded.isascii():
            if _FOLD_CHARS.search(folded):
                folded = folded.translate(_FOLD_TABLE)
            folded = _strip_marks(unicodedata.normalize("NFKD", folded))
        if len(text) < _CACHED_FOLD and len(_fold_cache) < 200_000:
            _fold_cache[text] = folded
    return folded


def _strip_marks(text: str) -> str:
    """``text`` without its combining characters. A passage has only a few distinct ones:
    one regular expression removes them, where testing every character in Python took
    most of the time of mentioned()."""
    marks = frozenset(c for c in set(text) if unicodedata.combining(c))
    return _marks_pattern(marks).sub("", text) if marks else text


@lru_cache(maxsize=1024)
def _marks_pattern(marks: frozenset[str]) -> re.Pattern[str]:
    return re.compile("[" + "".join(sorted(map(re.escape, marks))) + "]")


def _is_cap(text: str) -> bool:
    if text[0].isupper():
        return True
    # Only "al-Assad", "ben-Ali"... start lowercase; test the cheap signs first.
    return text[0] in "aebiou" and "-" in text[:6] and bool(_NAME_PREFIX_RE.match(text))


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Split ``text[start:end]`` into tokens (offsets stay absolute), marking sentence starts.

    ``start`` should be 0 or just after a space: the first word of the slice
    counts as sentence-initial only when ``start`` is 0.
    """
    tokens: list[Token] = []
    initial = start == 0
    append = tokens.append
    fold = _fold
    new = tuple.__new__  # skips NamedTuple's Python-level __new__: this loop is hot
    cache = _fold_cache
    for match in _TOKEN_RE.finditer(text, start, len(text) if end is None else end):
        word = match.group()
        group = match.lastgroup
        begin, stop = match.span()
        if group == "punct":
            initial = initial or word in _SENTENCE_ENDS
            append(new(Token, (word, word, False, begin, stop, False)))
            continue
        cap = group == "abbr" or (group == "word" and _is_cap(word))
        key = cache.get(word) or fold(word)
        append(new(Token, (word, key, cap, begin, stop, initial)))
        initial = False
    return tokens


# --------------------------------------------------------------------------- gazetteer


class Phrase(NamedTuple):
    keys: tuple[str, ...]
    canonical: str
    kind: str
    lower_ok: bool  # the variant starts lowercase ("océan Atlantique"): no capital needed
    upper_only: bool  # an acronym: must be written in capitals
    opener: str  # the first word as written, to find lowercase openers in text
    strong: bool  # hand-written (countries, big cities...), not a generated town name
    # "Le Caire" without its article, as French writes it after a lowercase or
    # contracted article ("au Caire", "l'Humanité"): needs that article before it.
    after_article: bool = False


@dataclass(frozen=True)
class Gazetteer:
    """Lookup tables; built once per set of corrections."""

    # "first second" token keys -> phrases of 2+ tokens, longest first;
    # "first" -> the one-token phrase.
    phrases: dict[str, list[Phrase]]
    first_names: frozenset[str]
    common_words: frozenset[str]
    runs: re.Pattern[str]  # where names may start: capitalised words, lowercase openers
    # Folded words after which a name may go on in lowercase ("Union" européenne).
    extenders: frozenset[str]
    # Folded common words that still open names: gazetteer words, given names.
    keep: frozenset[str]
    nationalities: frozenset[str]  # folded, all genders and numbers


def _read_lines(name: str) -> Iterator[str]:
    path = GAZETTEER / name
    opener = gzip.open if name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if line and not line.startswith("#"):
                yield line


_PLAIN_RE = re.compile(r"^[^\W\d_]+(?:[ -][^\W\d_]+)*$")


def _phrase(variant: str, canonical: str, kind: str, strong: bool = True) -> Phrase | None:
    if _PLAIN_RE.match(variant):
        # Most entries are plain words: skip the tokenizer (tens of thousands of towns).
        keys = tuple(_fold(word) for word in variant.split())
    else:
        keys = tuple(t.key for t in tokenize(variant) if t.text not in "()")
    if not keys:
        return None
    first = variant[0]
    upper_only = variant.isupper() and len(variant) <= 6
    opener = variant.split()[0].split("'")[0]
    return Phrase(keys, canonical, kind, not first.isupper(), upper_only, opener, strong)


def _article_free(phrase: Phrase | None) -> Phrase | None:
    """The phrase without its leading article: 'Le Caire' -> 'Caire', 'L'Humanité' -> 'Humanité'."""
    if phrase is None or len(phrase.keys) < 2 or phrase.keys[0] not in _ARTICLES:
        return None
    return phrase._replace(keys=phrase.keys[1:], lower_ok=False, after_article=True)


def _gazetteer_entries() -> Iterator[tuple[str, str, str, bool]]:
    """(variant, canonical, kind, strong) from the files, most trusted first."""
    for name, kind in (("organizations.txt", ORG), ("places.txt", PLACE)):
        for line in _read_lines(name):
            canonical, *variants = line.split("|")
            for variant in (canonical, *variants):
                yield variant, canonical, kind, True
    for line in _read_lines("cities.txt"):
        yield line, line, PLACE, False


@cache
def _base_phrases() -> dict[str, list[Phrase]]:
    table: dict[str, list[Phrase]] = defaultdict(list)
    seen: set[tuple[tuple[str, ...], bool]] = set()
    for variant, canonical, kind, strong in _gazetteer_entries():
        phrase = _phrase(variant, canonical, kind, strong)
        _add_phrase(table, seen, phrase)
        if strong:
            _add_phrase(table, seen, _article_free(phrase))
    return table


def _add_phrase(
    table: dict[str, list[Phrase]], seen: set[tuple[tuple[str, ...], bool]], phrase: Phrase | None
) -> None:
    # The first entry of a key wins: hand-written lists before generated ones.
    if phrase is None or (phrase.keys, phrase.upper_only) in seen:
        return
    seen.add((phrase.keys, phrase.upper_only))
    table[phrase.keys[0]].append(phrase)


@cache
def _first_names() -> frozenset[str]:
    names = {_fold(n) for n in _read_lines("first_names.txt")}
    names.update(_fold(n) for n in _read_lines("first_names_extra.txt"))
    return frozenset(names)


@cache
def _common_words() -> frozenset[str]:
    # 350,000 words: one C-level split is several times faster than a line loop.
    with gzip.open(GAZETTEER / "common_words.txt.gz", "rt", encoding="utf-8") as handle:
        return frozenset(handle.read().split())


@lru_cache(maxsize=8)
def _load(corrections: Corrections) -> Gazetteer:
    """The lookup tables for one set of corrections (cached: there are few)."""
    phrases = _by_first_two_keys(_with_corrections(_base_phrases(), corrections))
    extenders = {
        key
        for entries in phrases.values()
        for phrase in entries
        for key in phrase.keys[:-1]
        if key.isalpha() or "-" in key or "'" in key
    }
    extenders |= _ORG_HEADS | _MINISTRY | _LOWER_PLACE_HEADS | _LOWER_ORG_HEADS
    first_names = _first_names()
    keep = extenders | {p.keys[0] for entries in phrases.values() for p in entries}
    return Gazetteer(
        phrases=phrases,
        first_names=first_names,
        common_words=_common_words(),
        runs=_runs_pattern(phrases),
        extenders=frozenset(extenders),
        keep=frozenset(keep) | first_names,
        nationalities=_nationalities(),
    )


def _with_corrections(
    base: dict[str, list[Phrase]], corrections: Corrections
) -> dict[str, list[Phrase]]:
    if not (corrections.aliases or corrections.types):
        return base
    table: dict[str, list[Phrase]] = defaultdict(list)
    seen: set[tuple[tuple[str, ...], bool]] = set()
    # User entries first so that they win over the gazetteers.
    for surface, canonical in corrections.aliases:
        kind = corrections.kind(canonical) or corrections.kind(surface) or ""
        _add_phrase(table, seen, _phrase(surface, canonical, kind))
    for name, kind in corrections.types:
        _add_phrase(table, seen, _phrase(name, corrections.canonical(name) or name, kind))
    for phrases in base.values():
        for phrase in phrases:
            _add_phrase(table, seen, phrase)
    return table


def _by_first_two_keys(table: dict[str, list[Phrase]]) -> dict[str, list[Phrase]]:
    """Index phrases by their first two keys (one for one-word phrases), longest first."""
    phrases: dict[str, list[Phrase]] = defaultdict(list)
    for entries in table.values():
        for phrase in entries:
            phrases[" ".join(phrase.keys[:2])].append(phrase)
    for entries in phrases.values():
        entries.sort(key=lambda p: -len(p.keys))
    return dict(phrases)


@cache
def _nationalities() -> frozenset[str]:
    forms: set[str] = set()
    for word in _read_lines("nationalities.txt"):
        forms.update(_inflections(_fold(word)))
    return frozenset(forms)


def _inflections(word: str) -> set[str]:
    """Masculine singular to the four forms: 'syrien' -> 'syrienne', 'syriens'..."""
    if word.endswith("e"):
        singular = {word}
    elif word.endswith(("ien", "een")):
        singular = {word, word + "ne"}
    elif word.endswith("c"):  # turc, grec
        singular = {word, word[:-1] + "que", word + "que"}
    else:
        singular = {word, word + "e"}
    return singular | {w if w.endswith(("s", "x")) else w + "s" for w in singular}


def _runs_pattern(phrases: dict[str, list[Phrase]]) -> re.Pattern[str]:
    """A regex for runs of name words, opened by a capital or a lowercase opener."""
    openers = {p.opener for entries in phrases.values() for p in entries if p.lower_ok}
    openers |= _LOWER_OPENERS
    words = "|".join(sorted((re.escape(w) for w in openers), key=len, reverse=True))
    name = rf"(?:[{_UPPER}]|(?:al|el|ad|ar|as|ash|at|az|ben|bin|ibn|abu|abou|ould)-[{_UPPER}])"
    word = rf"{name}[\w'’‑-]*\+?\.?"
    particles = "|".join(sorted(p for p in _PARTICLES if p[-1] != "'"))
    particle = rf"(?:(?:{particles})\s+){{0,2}}(?:[dlDL]['’])?"
    return re.compile(rf"(?:\b(?:{words})\b|(?<![\w-]){word})(?:\s+{particle}{word})*")


# --------------------------------------------------------------------------- spotting


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


def _first_name(token: Token, gaz: Gazetteer) -> bool:
    key = token.key
    if key in gaz.first_names:
        return True
    head, _, rest = key.partition("-")
    return bool(rest) and head in gaz.first_names


_ACRONYM_RE = re.compile(r"^[A-ZÀ-Þ]{3,7}(?:-[A-ZÀ-Þ]{2,7})?$")
# A capital inside a word, not after a name prefix ("McCain", "MacLeod", "DiCaprio").
_CAMEL_RE = re.compile(r"^(?!Mc|Mac|Di|De|Da|La|Le|Van|Von)[A-Z][a-z]+[A-Z][A-Za-z]*$")
_ROMAN_RE = re.compile(r"^[IVXLCDM]+$")
_DIGIT_RE = re.compile(r"\d")


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


# Capitals often go without their accent: "Etat" is "état", "Ecole" "école".
_UNACCENTED = {"E": "éèê", "A": "àâ", "I": "îï", "O": "ô", "U": "ù"}


def _is_common(token: Token, gaz: Gazetteer) -> bool:
    lower = token.text.lower()
    if lower in gaz.common_words or token.key in _FUNCTION_WORDS:
        return True
    accents = _UNACCENTED.get(token.text[0])
    return accents is not None and any(a + lower[1:] in gaz.common_words for a in accents)


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
        word = _fold(text[text.rfind(" ", 0, end) + 1 : end]).rsplit("'", 1)[-1]
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
        key = _fold(word)
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
            return _span_end(tokens, k)
        # Up to two lowercase complements with their adjectives, and maybe a name:
        # "Bureau de la sécurité des transports", "Cour d'appel de Nancy".
        for _ in range(2):
            if not self._complement_noun(k):
                return j
            j = self._adjectives_end(k + 1, 2)
            k = self._particles_end(j)
            if k == j and j + 2 < len(tokens) and tokens[j].key == "et":
                # "Parti de la justice et du développement"
                k = self._particles_end(j + 1)
                if k == j + 1 or k >= len(tokens) or tokens[k].cap:
                    return j
            if k == j or k >= len(tokens):
                return j
            if tokens[k].cap:
                return _span_end(tokens, k)
        return j

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
        if k < len(tokens) and tokens[k].key in ("de", "d'", "du", "des"):
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

    def _adjectives_end(self, j: int, most: int) -> int:
        tokens, start = self.tokens, j
        while j < len(tokens) and j - start < most and not tokens[j].cap:
            key = tokens[j].key
            if key == "et" and j > start and self._adjective(j + 1):
                j += 1  # "Agence américaine océanique et atmosphérique"
            elif not self._adjective(j):
                break
            j += 1
        return j

    def _adjective(self, j: int) -> bool:
        if j >= len(self.tokens) or self.tokens[j].cap:
            return False
        key = self.tokens[j].key
        return key not in _FUNCTION_WORDS and _ADJECTIVE_RE.match(key) is not None

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
                owner = self._previous_word(i - 1)
                kind = PERSON if owner in _OWNED_NOUNS else ORG if owner in _DEAL_NOUNS else kind
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
                honorific = False
                continue
            if self._skippable(k, end, honorific):
                k += 1
                continue
            stop = self._free_end(k, end, honorific)
            mention = self._classify(k, stop, honorific)
            if mention:
                yield mention
                if mention.kind == ORG:
                    yield from self._nested(k, stop)
            k = stop
            honorific = False

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
        if tokens[e].key not in ("de", "d'", "du", "des"):
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
        """The kind of a name from its words and context; '' if unknown, None to drop it."""
        gaz = self.gaz
        previous = self._previous_word(k)
        if honorific or (self._person_cue(k) and not self._common_head(words[0])):
            return PERSON
        if self._after_ministry(k):
            return ORG  # "ministre de la Santé": the ministry, by its portfolio
        if self._cue(k, _ORG_CUES) and not (
            self.tokens[k - 1].text == "," and _first_name(words[0], gaz) and len(named) > 1
        ):
            # not "le président du club, Joey Saputo"
            return ORG  # "le quotidien Hürriyet", "l'avionneur chinois Comac"
        if self._previous_word(k, skip_comma=False) in _PLACE_CUES:
            return PLACE  # "le glacier Perito Moreno", "la ville côtière de"
        if self._statistics_follow(stop):
            return PERSON  # a line-up: "Georgievski (2/3)", "Omeyer (16 arrêts)"
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
            return None
        if len(named) > 1 and _DIGIT_RE.search(self.text, words[0].start, words[-1].end):
            # "Tupolev Tu-154", "Canadair CL-415": a model, not a person
            return ORG if any(t.key in _ORG_HEADS for t in named) else None
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
            return ORG if single and named[0].key in _SINGLE_ORGS else None
        if any(t.key in _ORG_HEADS for t in named):
            return ORG
        if named[-1].key in _MISC_TAILS or any(t.key in _ENGLISH_WORDS for t in words):
            return None
        if len(named) == 1 and (_is_acronym(named[0].text) or _CAMEL_RE.match(named[0].text)):
            return ORG  # "OSDH"; "EgyptAir", "LinkedIn": brands
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
            owner = self._previous_word(k - 1)
            return PERSON if owner in _OWNED_NOUNS else ORG if owner in _DEAL_NOUNS else PLACE
        return ORG if previous in _ACTOR_CUES else ""

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
        j = k - 1
        if skip_comma and j >= 0 and self.tokens[j].text == ",":
            j -= 1
        if j < 0 or self.tokens[j].cap:
            return ""
        return self.tokens[j].key

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


# --------------------------------------------------------------------------- acronyms

# "la Confédération générale du travail (CGT)" and "l'ONUB (Opération des Nations
# unies au Burundi)": an acronym in parentheses, or before them, defines a name.
_ACRONYM_AFTER_RE = re.compile(r"\(\s*([A-ZÀ-Þ][A-Za-zÀ-ÿ]{1,9})\s*[),]")
_ACRONYM_BEFORE_RE = re.compile(r"\b([A-ZÀ-Þ]{2,9})\s*\(\s*([^()]{6,160}?)\s*[),]")
_WORD_START_RE = re.compile(r"(?<![\w'’-])\w")


def _defined_acronyms(text: str, gaz: Gazetteer) -> Iterator[Mention]:
    """Organisations spelled out next to their acronym (the Schwartz-Hearst idea)."""
    for match in _ACRONYM_AFTER_RE.finditer(text):
        acronym = match.group(1)
        if sum(c.isupper() for c in acronym) < 2:
            continue
        before = text[max(0, match.start() - 160) : match.start()].rstrip()
        window = before.split()[-(2 * len(acronym) + 3) :]
        long_form = _long_form(acronym, " ".join(window))
        if long_form:
            yield from _acronym_mention(long_form, gaz)
    for match in _ACRONYM_BEFORE_RE.finditer(text):
        inside = match.group(2)
        long_form = _long_form(match.group(1), inside)
        if long_form and long_form == inside:
            yield from _acronym_mention(long_form, gaz)


def _long_form(acronym: str, candidate: str) -> str:
    """The shortest end of ``candidate`` whose letters spell ``acronym``, or ''."""
    letters = [_fold(c) for c in acronym if c.isalnum()]
    text = [_fold(c) for c in candidate]
    j = len(text) - 1
    for i in range(len(letters) - 1, -1, -1):
        while j >= 0 and (
            text[j] != letters[i] or (i == 0 and j > 0 and candidate[j - 1].isalnum())
        ):
            j -= 1
        if j < 0:
            return ""
        j -= 1
    long_form = candidate[j + 1 :].strip(' ,;:«»"')
    words = long_form.split()
    if not (2 <= len(words) <= len(letters) + 4) or not long_form[0].isupper():
        return ""
    return long_form


def _acronym_mention(long_form: str, gaz: Gazetteer) -> Iterator[Mention]:
    tokens = tokenize(long_form)
    phrase = _match_phrase(tokens, 0, gaz) if tokens else None
    if phrase and len(phrase.keys) == len(tokens):
        return  # a known name: the spotter has it already
    yield Mention(long_form, ORG, long_form, False, False)


# --------------------------------------------------------------------------- resolution


def _surname_index(persons: Iterable[str]) -> dict[str, set[str]]:
    """Surname key ('lavrov', 'de mistura') -> full names that end with it."""
    index: dict[str, set[str]] = defaultdict(set)
    for person in persons:
        for key in _surname_keys(person):
            index[key].add(person)
    return index


def _surname_keys(name: str) -> list[str]:
    words = name.split()
    if len(words) < 2:
        return []
    keys = []
    # "Staffan de Mistura": "Mistura" and "de Mistura"; "Bachar al-Assad": "al-Assad", "Assad".
    k = len(words) - 1
    keys.append(name_key(words[k]))
    last = words[k]
    prefix = _NAME_PREFIX_RE.match(last)
    if prefix:
        keys.append(name_key(last.split("-", 1)[1]))
    while k > 1 and _fold(words[k - 1]) in _PARTICLES:
        k -= 1
        keys.append(name_key(" ".join(words[k:])))
    return keys


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
    return _fold(letters), " ".join(surname), dotted


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
    parts = [p for word in given if _fold(word) not in _PARTICLES for p in word.split("-") if p]
    firsts = "".join(_fold(p[0]) for p in parts)
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
        and _fold(words[0].split("-")[0]) in _first_names()
        and not any(_organisation_word(word) for word in words)
    )


def _initials_owners(mentions: list[Mention], full_persons: Iterable[str]) -> dict[str, str]:
    """Initials forms ('B. Obama') -> the one full name of the article they fit."""
    owners: dict[str, str] = {}
    for mention in mentions:
        if mention.from_gazetteer or mention.surface in owners:
            continue
        short = initials_name(mention.surface)
        if short is None:
            continue
        fits = [full for full in full_persons if initials_fit(short, full)]
        if len(fits) == 1:
            owners[mention.surface] = fits[0]
    return owners


def _resolve(mentions: list[Mention], corrections: Corrections) -> Entities:
    people = [m for m in mentions if m.kind == PERSON and not m.single and " " in m.surface]
    # "B. Obama" is a short form, not a full name: only a fallback owner of "Obama".
    full_persons = Counter(m.surface for m in people if initials_name(m.surface) is None)
    initials = _initials_owners(mentions, full_persons)
    surnames = _surname_index(full_persons)
    for key, owners in _surname_index(
        {m.surface for m in people if m.surface not in initials}
    ).items():
        surnames.setdefault(key, owners)
    for key, owners in surnames.items():
        if len(owners) > 1:
            # "François Fillon" five times, "Penelope Fillon" once: "Fillon" is the
            # one the article is about.  A tie stays ambiguous.
            ranked = sorted(owners, key=full_persons.__getitem__, reverse=True)
            if full_persons[ranked[0]] > full_persons[ranked[1]]:
                surnames[key] = {ranked[0]}
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    surfaces: set[tuple[str, str]] = set()
    gazetteer_names: set[str] = set()
    for mention in mentions:
        if mention.surface in initials and not corrections.canonical(mention.surface):
            canonical, kind = initials[mention.surface], PERSON
        else:
            canonical, kind = _canonical(mention, surnames, corrections)
        if not kind:
            continue
        votes[canonical][kind] += 3 if mention.from_gazetteer else 1
        surfaces.add((mention.surface, canonical))
        if mention.from_gazetteer or canonical != mention.surface:
            gazetteer_names.add(canonical)
    merges = _spelling_owners(votes, gazetteer_names)
    for short, full in _longer_names(votes).items():
        merges.setdefault(short, merges.get(full, full))
    for short, full in _head_owners(votes, corrections).items():
        merges[short] = merges.get(full, full)
    for short, full in merges.items():
        votes[full].update(votes.pop(short))
        surfaces = {(s, full if c == short else c) for s, c in surfaces}
    return _entities(votes, surfaces, corrections)


def _longer_names(votes: dict[str, Counter[str]]) -> dict[str, str]:
    """People named without their second surname ('Ana Pastor') -> the one longer name
    of the article that starts with all their words ('Ana Pastor García')."""
    people = [n for n, c in votes.items() if " " in n and c.most_common(1)[0][0] == PERSON]
    # Sorted by their words, the names that start with a name's words follow it: a
    # binary search and a look at the next two, where comparing every pair of names
    # was quadratic in an article of a thousand people.
    ordered = sorted((n.split(), n) for n in people)
    keys = [words for words, _ in ordered]
    owners: dict[str, str] = {}
    for short in people:
        words = short.split()
        longer: list[str] = []
        i = bisect_left(keys, words)
        while i < len(keys) and len(longer) < 2 and keys[i][: len(words)] == words:
            if ordered[i][1] != short:
                longer.append(ordered[i][1])
            i += 1
        if len(longer) == 1:
            owners[short] = longer[0]
    return owners


def _spelling_owners(votes: dict[str, Counter[str]], known: set[str]) -> dict[str, str]:
    """Spellings of one name ('Moody’s' and "Moody's", 'Claude Erignac' and 'Claude
    Érignac') -> the one shown: the gazetteer's, else the one written most, else the
    accented one."""
    spellings: dict[str, list[str]] = defaultdict(list)
    for name in votes:
        spellings[name_key(name)].append(name)
    owners: dict[str, str] = {}
    for names in spellings.values():
        if len(names) > 1:
            names.sort(key=lambda n: (n not in known, -votes[n].total(), not accented(n), n))
            owners.update((name, names[0]) for name in names[1:])
    return owners


def _head_owners(votes: dict[str, Counter[str]], corrections: Corrections) -> dict[str, str]:
    """Lone heads ('Forum', 'Assemblée') -> the longer name of the article they shorten
    ('Forum mondial de la langue française'); the one named most if several, none on a tie.
    A head with no longer name of its own ('le Congrès' of the United States) stays."""
    owners: dict[str, str] = {}
    for short in votes:
        key = name_key(short)
        if key not in _SHORT_HEADS or " " in short or corrections.canonical(short):
            continue
        longer = [
            name
            for name, counter in votes.items()
            if " " in name
            and name_key(name.split()[0]) == key
            and counter.most_common(1)[0][0] != PLACE
        ]
        ranked = sorted(longer, key=lambda n: (-votes[n].total(), n))
        if ranked and (len(ranked) == 1 or votes[ranked[0]].total() > votes[ranked[1]].total()):
            owners[short] = ranked[0]
    return owners


def _canonical(
    mention: Mention, surnames: dict[str, set[str]], corrections: Corrections
) -> tuple[str, str]:
    alias = corrections.canonical(mention.surface) if corrections else None
    if alias:
        kind = corrections.kind(alias) or corrections.kind(mention.surface) or mention.kind
        return alias, kind or _known_kind(alias) or (PERSON if _looks_like_person(alias) else ORG)
    if mention.single or mention.kind in ("", PERSON):
        owners = surnames.get(name_key(mention.surface))
        if owners and len(owners) == 1:
            return next(iter(owners)), PERSON
    kind = (corrections.kind(mention.canonical) if corrections else None) or mention.kind
    return mention.canonical, kind


def _known_kind(name: str) -> str:
    """The gazetteer's kind for a canonical name ('État islamique' is an organisation)."""
    tokens = tokenize(name)
    phrase = _match_phrase(tokens, 0, _load(_NO_CORRECTIONS)) if tokens else None
    return phrase.kind if phrase and len(phrase.keys) == len(tokens) else ""


def _entities(
    votes: dict[str, Counter[str]], surfaces: set[tuple[str, str]], corrections: Corrections
) -> Entities:
    actors: set[str] = set()
    places: set[str] = set()
    persons: set[str] = set()
    for canonical, counter in votes.items():
        kind = counter.most_common(1)[0][0]
        group = "place" if kind == PLACE else "actor"
        if corrections and corrections.excluded(canonical, group):
            continue
        if group == "place":
            places.add(canonical)
        else:
            actors.add(canonical)
            if kind == PERSON:
                persons.add(canonical)
    kept = actors | places
    mentions = tuple(sorted(pair for pair in surfaces if pair[1] in kept))
    return Entities(
        actors=tuple(sorted(actors)),
        places=tuple(sorted(places)),
        persons=tuple(sorted(persons)),
        aliases=tuple(pair for pair in mentions if pair[0] != pair[1]),
        mentions=mentions,
    )


# --------------------------------------------------------------------------- public API

_NO_CORRECTIONS = Corrections()


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


_NON_WORD = re.compile(r"[\W_]+")


def _match_form(text: str) -> str:
    """Words only, folded, space-padded: ``" d alep "`` contains ``" alep "``."""
    return f" {_NON_WORD.sub(' ', _fold(text)).strip()} "


def mentioned(text: str, entities: Entities) -> Entities:
    """The subset of an article's entities that a passage's text mentions.

    A name counts as mentioned by its canonical form, any surface alias seen in
    the article (``Etats-Unis``), or, for people, the surname alone (``Lavrov``).
    Matching ignores case and accents and respects word boundaries
    (``d'Alep`` mentions ``Alep``, ``Alepins`` does not).
    """
    haystack = _match_form(text)
    if len(entities.actors) + len(entities.places) > _SCANNED_NAMES:
        return _mentioned_by_words(haystack, entities)
    found = {
        name
        for name, forms in _mention_forms(entities.actors + entities.places, entities)
        if any(form in haystack for form in forms)
    }
    return Entities(
        actors=tuple(a for a in entities.actors if a in found),
        places=tuple(p for p in entities.places if p in found),
        persons=tuple(p for p in entities.persons if p in found),
        aliases=tuple(a for a in entities.aliases if a[1] in found),
        mentions=tuple(m for m in entities.mentions if m[1] in found),
    )


_SCANNED_NAMES = 200
"""Up to this many names, :func:`mentioned` searches each name's forms in a passage's
text (fast, in C). Beyond, in an article of thousands of names (hostile text), that cost
names × passages: the passage's runs of words are looked up in a table of the forms
instead, in time linear in the passage and in what it mentions. Both find the same names."""
_INDEXED_WORDS = 8  # forms of more words are still searched: rare, and long themselves


class _NameTables(NamedTuple):
    """One article's names for :func:`_mentioned_by_words`, built once for all its passages."""

    entities: Entities  # held, so that its id() is not reused while the tables are cached
    by_words: dict[str, list[str]]  # a form of 1 to _INDEXED_WORDS words -> its names
    lengths: tuple[int, ...]  # the word counts of those forms
    others: tuple[tuple[str, str], ...]  # (name, form) of the other forms
    # Where each name stands in actors, places, persons, aliases and mentions.
    positions: tuple[dict[str, list[int]], ...]


_name_tables: dict[int, _NameTables] = {}  # by id() of the Entities: hashing them per
# passage would cost as much as the search it saves


def _mentioned_by_words(haystack: str, entities: Entities) -> Entities:
    tables = _name_tables.get(id(entities))
    if tables is None or tables.entities is not entities:
        tables = _build_name_tables(entities)
        if len(_name_tables) >= 4:
            _name_tables.clear()
        _name_tables[id(entities)] = tables
    found = {name for name, form in tables.others if form in haystack}
    words = haystack.split()
    for k in tables.lengths:
        for i in range(len(words) - k + 1):
            owners = tables.by_words.get(" ".join(words[i : i + k]))
            if owners:
                found.update(owners)
    actors, places, persons, aliases, mentions = tables.positions

    def kept(items: tuple[_T, ...], where: dict[str, list[int]]) -> tuple[_T, ...]:
        # In their order, in time that grows with what is found, not with the article's names.
        return tuple(items[i] for i in sorted(i for name in found for i in where.get(name, ())))

    return Entities(kept(entities.actors, actors), kept(entities.places, places),
                    kept(entities.persons, persons), kept(entities.aliases, aliases),
                    kept(entities.mentions, mentions))


_T = TypeVar("_T")


def _build_name_tables(entities: Entities) -> _NameTables:
    by_words: dict[str, list[str]] = defaultdict(list)
    others: list[tuple[str, str]] = []
    names = entities.actors + entities.places
    for name, forms in _cached_forms(names, entities.persons, entities.aliases):
        for form in forms:
            words = form.split()
            if 1 <= len(words) <= _INDEXED_WORDS:
                by_words[" ".join(words)].append(name)
            else:
                others.append((name, form))
    positions = []
    for items in (entities.actors, entities.places, entities.persons, entities.aliases,
                  entities.mentions):
        where: dict[str, list[int]] = defaultdict(list)
        for i, item in enumerate(items):
            where[item if isinstance(item, str) else item[1]].append(i)
        positions.append(dict(where))
    lengths = tuple(sorted({key.count(" ") + 1 for key in by_words}))
    return _NameTables(entities, dict(by_words), lengths, tuple(others), tuple(positions))


def _mention_forms(
    names: tuple[str, ...], entities: Entities
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return _cached_forms(names, entities.persons, entities.aliases)


@lru_cache(maxsize=256)
def _cached_forms(
    names: tuple[str, ...], persons: tuple[str, ...], aliases: tuple[tuple[str, str], ...]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    # An article's passages are matched one after the other: prepare its forms once.
    surfaces: dict[str, list[str]] = defaultdict(list)
    for surface, canonical in aliases:
        surfaces[canonical].append(surface)
    people = set(persons)
    result = []
    for name in names:
        forms = [name, *surfaces.get(name, ())]
        if name in people:
            forms.extend(_surname_keys(name))
        result.append((name, tuple({_match_form(f) for f in forms})))
    return tuple(result)


def filter_keys(name: str, kind: str) -> set[str]:
    """Keys under which a canonical name is findable by ``--actor``/``--place`` filters.

    ``kind`` is "person", "organization", "place" or "actor" (person or
    organisation, guessed from the name).  People are also findable by
    surname: ``'Staffan de Mistura'`` gives ``{'staffan de mistura',
    'de mistura', 'mistura'}``.
    """
    keys = {name_key(name)}
    if kind == PERSON or (kind == "actor" and _looks_like_person(name)):
        keys.update(_surname_keys(name))
    return keys


@lru_cache(maxsize=1 << 14)
def _looks_like_person(name: str) -> bool:
    """Guess for an actor of unknown kind: most multi-word actors are people.

    Organisations mostly give themselves away by a head word ('Parti'), an
    acronym, a digit, or the gazetteer.
    """
    words = name.split()
    if len(words) < 2 or _fold(words[0]) in _FUNCTION_WORDS:
        return False
    if any(_organisation_word(word) for word in words):
        return False
    return _known_kind(name) not in (ORG, PLACE)


def _organisation_word(word: str) -> bool:
    key = _fold(word)
    letters = [c for c in word if c.isalpha()]
    return (
        key in _ORG_HEADS
        or key in _MISC_TAILS
        or any(c.isdigit() for c in word)
        or (len(letters) > 1 and all(c.isupper() for c in letters))
    )


def index_keys(entities: Entities) -> tuple[frozenset[str], frozenset[str]]:
    """(actor keys, place keys) to store for one article's filters."""
    persons = set(entities.persons)
    actor_keys: set[str] = set()
    for actor in entities.actors:
        actor_keys |= filter_keys(actor, PERSON if actor in persons else ORG)
    place_keys: set[str] = set()
    for place in entities.places:
        place_keys |= filter_keys(place, PLACE)
    # The names as the article wrote them find it too: "B. Obama", "l'Assemblée".
    places = set(entities.places)
    for surface, canonical in entities.aliases:
        (place_keys if canonical in places else actor_keys).add(name_key(surface))
    return frozenset(actor_keys), frozenset(place_keys)
