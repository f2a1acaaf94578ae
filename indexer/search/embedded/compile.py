"""A query tree compiled into a Whoosh query, and the option filters into clauses.

Each word becomes its stem and its exact form in the body and the title (the title
boosted, the exact form worth more than a stem-only match), names keep their exact
form, neighbouring words add a phrase bonus, and a common word can be deferred to a
second pass. On the way the :class:`Compiler` collects what ranking and highlighting
need: the clauses, the words related to each, the highlight patterns.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from whoosh import query as wq

from ...analysis import (
    INTERROGATIVES,
    QUESTION_WORDS,
    SNOWBALL_LANGUAGES,
    number_variants,
    stemmer_for,
    word_forms,
)
from ...store.terms import prefix_frequencies
from ...text import fold, source_key
from ..highlight import Pattern, WordPattern
from ..options import SearchOptions
from ..parse import TYPED_MAX_WORDS, DateRange, Filter, Group, Node, Text, has_words, pasted
from .constant import ConstantScoreQuery
from .fuzzy import terms_within
from .maybe import Maybe

MENTION_BOOST = 0.5
"""What an article's passage earns, added to its score, for mentioning an actor or place
filtered on (``--actor``, ``--place``)."""
TITLE_BOOST = 2.0
EXACT_BOOST = 0.2
PAIR_BOOST = 3.0
PAIR_SLOP = 1
RELATED_PREFIX = 5
RELATED_MAX = 10
"""A passage holding a word that shares the first RELATED_PREFIX letters of a query
word (``venimeuse`` for ``venin``, ``fondation`` for ``fondateur``) has that query
word for coordination, though it adds nothing to the BM25 score; at most
RELATED_MAX such words per query word, the most frequent ones.

A pasted text's words have none (:func:`~indexer.search.parse.pasted`): a question
rephrases the passage that answers it, a pasted lede mostly repeats its article's own
words. On the news known-item task, MRR@10 went from 0.7422 to 0.7439 on the tuned half
and from 0.8041 to 0.8017 on the held-out 2019 half, and PIAF's from 0.7927 to 0.7933
(about 600 of its 3,771 questions are that long); p50 at 20–49 words, from 65 to 63 ms
(200 queries, six passes alternating, the block cache emptied before each). Three
related forms instead of ten ranked as ten did (0.7421, 0.8038); one, 0.7420 and 0.8019."""
RELATED_SCAN = 200
NAMING = frozenset("nom appel nomm surnom surnomm".split())
"""Stems of the words that ask for a name (``nom``, ``s'appelle``, ``nommé``): in a
question (after a question word), like the noun after an interrogative, they weigh
HEAD_WEIGHT in coordination, since the passage gives the name without them. In a plain
search ("appel à la grève") they are words like any other."""
COMMON_SHARE = 0.02
COMMON_MIN = 2000
"""A word in more than COMMON_SHARE of the passages, and in at least COMMON_MIN of
them, is *common* (``plus``, ``fait``, ``ministre`` in a news archive). As in
Lucene's common-terms query, common words gather no candidates when rarer words
are there: they only add to the score of the passages the rarer words found; when
every word is common, candidates must hold them all. A passage with only common
words would rank low anyway, as coordination penalises the missing rarer word;
scoring each of their tens of thousands of passages is what made broad searches
slow. If that finds fewer articles than asked for, the search runs again with
every word. An index of fewer than COMMON_MIN passages is searched as before. The
README's "How it works" gives what it saved, and what it changed of the rankings."""


_Compiled = tuple[wq.Query, frozenset[tuple[str, str]], str]
"""A text node compiled: its query, its clause's terms, and how --explain shows it."""


@dataclass
class _Parts:
    """A group's compiled clauses, by how they occur."""

    must: list[wq.Query] = field(default_factory=list)
    should: list[wq.Query] = field(default_factory=list)
    must_not: list[wq.Query] = field(default_factory=list)
    filters: list[wq.Query] = field(default_factory=list)
    # per should clause: in how many passages its commonest stem stands
    spread: list[int | None] = field(default_factory=list)
    # per clause: its one natural word, for the pair phrases
    chain: list[WordPattern | None] = field(default_factory=list)


class Compiler:
    """Turns the query tree into a Whoosh query, collecting highlight patterns on the way."""

    def __init__(self, searcher: Any, langs: Iterable[str], *, titles: bool = False,
                 spelled: dict[tuple[str, bool, bool], WordPattern | None] | None = None
                 ) -> None:
        self.s = searcher
        self.titles = titles  # compile for the title field alone
        # Each query word's pattern, made once a search: the titles' compiler is handed
        # the body's (the same words, the same searcher). Each word was spelled twice,
        # and an unknown word's suggestion looked for twice (up to 190 ms each).
        self.spelled = {} if spelled is None else spelled
        self.other_langs = other_languages(langs)
        self.patterns: list[Pattern] = []
        self.clauses: list[frozenset[tuple[str, str]]] = []
        self.related: list[frozenset[tuple[str, str]]] = []  # per clause, for coordination
        self.words: list[str | None] = []  # per clause, its one query word (for vectors)
        self.heads: set[int] = set()  # clauses that name the kind of answer
        self.asked = False  # a question word went: the query is a question
        self.suggestions: list[str] = []
        self.analysed: list[str] = []
        self.tree: Node | None = None
        self.depth = 0
        self.pasted = False  # the query was pasted, not typed: see RELATED_MAX
        self.whole = False  # long posting lists read whole: see EmbeddedVersion.compile
        self.fast: wq.Query | None = None  # the top group with common words deferred
        self.last_word: WordPattern | None = None
        self.query: wq.Query | None = None  # the whole tree, compiled
        self.filter: wq.Query | None = None  # the option filters, compiled once
        self.dates: tuple[str | None, str | None] = (None, None)  # the options' date bounds
        self.restricted: wq.Query | None = None  # the query and the filters
        self.fast_restricted: wq.Query | None = None  # the fast query and the filters
        # (the titles' query and the filters,), made once a search, when first asked.
        self.titles_restricted: tuple[wq.Query | None] | None = None
        # Articles' own scores the backend counted for the leads, for the candidates'
        # articles to read (Version.article_scores): every one's, in numpy, here
        # (leads.own_scores); the pool's on a cluster (OpenSearchVersion._with_leads).
        self.own: Any = None
        # The deepest titles' search this search ran: how deep, and its best titles.
        self.best_titles: tuple[int, list[tuple[float, int]]] | None = None
        # Documents' scores under each query of this search's leads, by the query's id.
        self.scored: dict[int, tuple[wq.Query, dict[int, float | None]]] = {}

    @property
    def has_text(self) -> bool:
        """Words to rank by (else filters alone match, newest first)."""
        return bool(self.clauses)

    def compile(self, node: Node) -> wq.Query | None:
        if isinstance(node, Text):
            return self.text(node)
        if isinstance(node, Filter):
            return ConstantScoreQuery(filter_term(node.field, node.value), 0.0)
        if isinstance(node, DateRange):
            return ConstantScoreQuery(date_query(node.start, node.end, _years(self.s)), 0.0)
        if isinstance(node, Group):
            return self.group(node)
        subs = [q for q in (self.compile(o) for o in node.options) if q is not None]
        return wq.Or(subs) if subs else None

    def group(self, group: Group) -> wq.Query | None:
        self.depth += 1
        if self.depth == 1:
            self.pasted = pasted(group)
        try:
            return self._group(group, top=self.depth == 1)
        finally:
            self.depth -= 1

    def _group(self, group: Group, top: bool) -> wq.Query | None:
        parts = self._parts(group)
        fast = None
        if parts.must:
            q = wq.And(parts.must) if len(parts.must) > 1 else parts.must[0]
            if parts.should:
                q = and_maybe(q, wq.Or(parts.should))
        elif parts.should:
            should = parts.should
            q = wq.Or(should) if len(should) > 1 else should[0]
            # A pair phrase only matches where both words do: it can join the Or.
            pairs = self.pairs(parts.chain)
            if pairs:
                q = wq.Or([*should, *pairs])
            if top and len(should) > 1 and not self.titles:
                fast = self.defer_common(should, parts.spread, pairs)
        elif parts.must_not or parts.filters:
            q = wq.Term("kind", "p")
        else:
            return None
        if parts.filters:  # a filter narrows the words it goes with
            q = wq.And([*parts.filters, q])
            fast = wq.And([*parts.filters, fast]) if fast is not None else None
        if parts.must_not:
            q = wq.AndNot(q, wq.Or(parts.must_not))
            fast = wq.AndNot(fast, wq.Or(parts.must_not)) if fast is not None else None
        if top:
            self.fast = fast
        return q

    def _parts(self, group: Group) -> _Parts:
        """The group's clauses compiled and sorted by how they occur."""
        parts = _Parts()
        announced = False  # the previous word was "quel", "quelle"…
        for occur, child in group.clauses:
            self.last_word = None
            before = len(self.clauses)
            q = self.compile(child) if occur != "must_not" else self.negative(child)
            parts.chain.append(self.last_word if occur == "should" else None)
            announced = self._announce(child, before, announced)
            if q is None:
                continue
            if occur == "must_not":
                parts.must_not.append(q)
            elif isinstance(child, (Filter, DateRange)):
                parts.filters.append(q)
            elif occur == "must":
                parts.must.append(q)
            else:
                parts.should.append(q)
                # Only a body's common words are deferred (see defer_common).
                parts.spread.append(self.spread(self.clauses[before])
                                    if len(self.clauses) == before + 1 and not self.titles
                                    else None)
        return parts

    def _announce(self, child: Node, before: int, announced: bool) -> bool:
        """Mark the clause a question asks for as a head; say if the next one will be."""
        if len(self.clauses) > before:
            naming = self.asked and self.last_word is not None \
                and bool(self.last_word.stems & NAMING)
            if announced or naming:  # shown as "annee?" in the analysed query
                self.heads.add(before)
                self.analysed[-1] += "?"
            return False
        return isinstance(child, Text) and len(child.words) == 1 and not child.phrase \
            and child.words[0].lower() in INTERROGATIVES

    def spread(self, clause: frozenset[tuple[str, str]]) -> int:
        """In how many passages the clause's commonest stem form stands."""
        return max((self.s.doc_frequency(f, t) for f, t in clause if f == "stem"), default=0)

    def defer_common(self, should: list[wq.Query], spread: list[int | None],
                     pairs: list[wq.Query]) -> wq.Query | None:
        """The first-stage query with common words deferred; see COMMON_SHARE."""
        cut = max(COMMON_MIN, COMMON_SHARE * self.s.doc_frequency("kind", "p"))
        common = [q for q, n in zip(should, spread, strict=True) if n is not None and n > cut]
        if not common:
            return None
        rare = [q for q, n in zip(should, spread, strict=True) if n is None or n <= cut]
        extra = [*common, *pairs] if rare else pairs
        first = (wq.Or(rare) if len(rare) > 1 else rare[0]) if rare else wq.And(common)
        return and_maybe(first, wq.Or(extra)) if extra else first

    def pairs(self, chain: list[WordPattern | None]) -> list[wq.Query]:
        """Phrases of neighbouring query words: passages that keep them together rank higher.

        A pasted text's are none (more than :data:`~indexer.search.parse.TYPED_MAX_WORDS`
        words): with twenty pairs of prose, their boosted scores outweighed the words' own
        and cost a third of a search. Dropping them, with ``MAX_QUERY_WORDS`` at 20, took
        the news known-item task's tuned half (1,000 ledes) from MRR@10 0.709 to 0.724 and
        p50 from 152 to 102 ms; the held-out 2019 half is unchanged (0.793), and so is PIAF
        (0.788 on its even half; from 8 words, 0.787)."""
        if sum(1 for w in chain if w is not None) > TYPED_MAX_WORDS:
            return []
        field = "title_stem" if self.titles else "stem"
        out = []
        for a, b in zip(chain, chain[1:], strict=False):
            if a is not None and b is not None and PAIR_BOOST > 0:
                out.append(wq.Phrase(field, [_primary(a), _primary(b)], slop=PAIR_SLOP,
                                     boost=PAIR_BOOST))
        return out

    def negative(self, node: Node) -> wq.Query | None:
        # Negated words are searched but not highlighted or counted.
        saved = (len(self.patterns), len(self.clauses), len(self.analysed))
        q = self.compile(node)
        del self.patterns[saved[0]:], self.clauses[saved[1]:], self.related[saved[1]:]
        del self.words[saved[1]:]
        self.heads = {i for i in self.heads if i < saved[1]}
        self.analysed[saved[2]:] = [f"-{a}" for a in self.analysed[saved[2]:]]
        return q

    def text(self, node: Text) -> wq.Query | None:
        if self.titles:
            node = replace(node, title_only=True)
        natural = not node.prefix and (len(node.words) == 1 if not node.phrase
                                        else _inverted(node))
        wps = [wp for w in node.words if (wp := self.word(w, natural, node.prefix))]
        if not wps:
            return None
        if node.prefix:
            q, terms, analysed = self._prefix(wps[0], node.title_only)
        elif len(wps) == 1:
            q, terms, analysed = self._one_word(wps[0], node.title_only)
        else:
            q, terms, analysed = self._phrase(wps, node.title_only)
        self.analysed.append(analysed)
        if natural and len(wps) == 1:
            self.last_word = wps[0]
        if node.title_only:
            q = wq.Or([q])  # titles only: nothing in the body to highlight
        else:
            self.patterns.append(Pattern(node.raw, tuple(wps)))
        self.clauses.append(terms)
        single = len(wps) == 1 and not node.prefix and not node.title_only
        self.words.append(wps[0].word if single else None)
        self.related.append(self.related_forms(wps[0]) if len(wps) == 1 and not node.prefix
                            and not self.titles and not self.pasted else frozenset())
        return q

    @staticmethod
    def _prefix(wp: WordPattern, title_only: bool) -> _Compiled:
        q = wq.Or([wq.Prefix(f, wp.exact, boost=TITLE_BOOST if "title" in f else 1.0)
                   for f in ("stem", "exact", "title_stem")
                   if "title" in f or not title_only])
        return q, frozenset([("exact", wp.exact), ("stem", wp.exact)]), f"{wp.exact}*"

    def _one_word(self, wp: WordPattern, title_only: bool) -> _Compiled:
        body, title = ("stem", "exact"), ("title_stem", None)
        subs = []
        for fields_, boost in (((body,) if not title_only else ()), 1.0), \
                              ((title,), TITLE_BOOST):
            for stem_field, exact_field in fields_:
                subs += [self.term(stem_field, wp, s, boost) for s in sorted(wp.stems)]
                if exact_field:
                    subs += [wq.Term(exact_field, f, boost=boost * EXACT_BOOST)
                             for f in sorted(wp.variants | {wp.exact})]
                subs += [wq.Term(f_, f, boost=boost * 0.8) for f in sorted(wp.fuzzy)
                         for f_ in (stem_field, exact_field) if f_]
        terms = frozenset([("stem", s) for s in wp.stems] + [("exact", wp.exact)]
                          + [(f_, f) for f in wp.fuzzy | wp.variants
                             for f_ in ("stem", "exact")])
        return wq.Or(subs), terms, "|".join(sorted(wp.stems | {wp.exact} | wp.fuzzy))

    def _phrase(self, wps: list[WordPattern], title_only: bool) -> _Compiled:
        seqs = [self.sequence("title_stem", wps, TITLE_BOOST)]
        if not title_only:
            seqs.insert(0, self.sequence("stem", wps, 1.0))
        terms = frozenset(("stem", s) for wp in wps for s in wp.stems)
        return (wq.Or(seqs), terms,
                '"' + " ".join("|".join(sorted(wp.stems)) for wp in wps) + '"')

    def related_forms(self, wp: WordPattern) -> frozenset[tuple[str, str]]:
        """Indexed words that share the query word's first letters; see RELATED_PREFIX."""
        if len(wp.stems) < 2 or len(wp.exact) <= RELATED_PREFIX:  # names stay whole
            return frozenset()
        # Each segment's word list read once (on a cluster, its word list).
        known = prefix_frequencies(self.s.reader(), "stem", wp.exact[:RELATED_PREFIX],
                                   RELATED_SCAN)
        found = [(-df, term) for term, df in known
                 if term not in wp.stems and not term.isdigit()]
        return frozenset(("stem", t) for _, t in sorted(found)[:RELATED_MAX])

    @staticmethod
    def term(stem_field: str, wp: WordPattern, form: str, boost: float) -> wq.Query:
        # A form equal to the typed word (once folded) is an exact match too:
        # the index keeps it in the stem field only, so the bonus goes there.
        if form == wp.exact:
            return wq.Term(stem_field, form, boost=boost * (1 + EXACT_BOOST))
        return wq.Term(stem_field, form, boost=boost)

    @staticmethod
    def sequence(field: str, wps: list[WordPattern], boost: float) -> wq.Query:
        if all(len(wp.stems) == 1 for wp in wps):
            return wq.Phrase(field, [next(iter(wp.stems)) for wp in wps], boost=boost)
        return wq.Sequence([wq.Or([wq.Term(field, s) for s in sorted(wp.stems)])
                            for wp in wps], boost=boost)

    def word(self, word: str, natural: bool, prefix: bool) -> WordPattern | None:
        lower = word.lower()
        if natural and lower in QUESTION_WORDS:
            self.asked = True
            return None
        key = (word, natural, prefix)
        if key not in self.spelled:
            self.spelled[key] = self._spelled(word, lower, prefix)
        return self.spelled[key]

    def _spelled(self, word: str, lower: str, prefix: bool) -> WordPattern | None:
        found = spellings(lower, self.other_langs)
        if found is None:
            return None
        exact, stems, variants = found
        if prefix:
            return WordPattern(word, frozenset([exact]), exact, prefix=True)
        # A capitalised word the corpus knows as a name stays a name: Gaza, not gaz.
        if word[0].isupper() and self.s.doc_frequency("stem", exact) > 0:
            stems, variants = {exact}, frozenset()
        fuzzy: frozenset[str] = frozenset()
        if not any(self.s.doc_frequency("stem", s) for s in stems) and \
                not self.s.doc_frequency("exact", exact):
            fuzzy = self.suggest(exact)
        return WordPattern(word, frozenset(stems), exact, fuzzy=fuzzy, variants=variants)

    def suggest(self, exact: str) -> frozenset[str]:
        """Closest known words for an unknown one (``lavrof`` → ``lavrov``)."""
        if len(exact) < 4 or exact.isdigit():
            return frozenset()
        maxdist = 1 if len(exact) < 7 else 2
        reader = self.s.reader()
        # Each segment's own word list: Whoosh's reader over several segments measures
        # distance another way (a swap of two letters is one edit, not two), so the
        # suggestion would depend on how the index had been written and merged.
        # Unstemmed forms live in ``exact`` or, when equal to their stem, in ``stem``.
        known = terms_within(reader, ("exact", "stem"), exact, maxdist, prefix=1)
        candidates = [(reader.doc_frequency(f, t), t) for f, t in known]
        if not candidates:
            return frozenset()
        best = max(candidates)[1]
        self.suggestions.append(best)
        return frozenset([best])


def other_languages(langs: Iterable[str]) -> list[str]:
    """The index's languages, other than French, whose stems a query word is also searched
    under."""
    return [lang for lang in langs if lang != "fr" and lang in SNOWBALL_LANGUAGES]


def spellings(lower: str, other_langs: Iterable[str]
              ) -> tuple[str, set[str], frozenset[str]] | None:
    """A lower-cased query word's exact form, the stems it is searched under (French, and
    each of ``other_langs``), and its number variants; ``None`` for a stop word. A name
    keeps only its exact form (see :meth:`Compiler.word`)."""
    forms = word_forms(lower, "fr")
    if forms is None:
        return None
    stem, exact = forms
    stems = {stem, exact}
    for lang in other_langs:
        fn = stemmer_for(lang)
        if fn:
            stems.add(fold(fn(lower)))
    return exact, stems, number_variants(exact)


def compile_search(searcher: Any, langs: Iterable[str], tree: Group, opts: SearchOptions
                   ) -> Compiler:
    """The tree compiled to a Whoosh query (``.query``), the option filters apart
    (``.filter``: compiled once, for every pass), and what re-scoring and highlighting
    read of it. ``searcher`` answers the term statistics: a Whoosh searcher, or
    anything that answers as one (a cluster's, which turns the query into its own)."""
    from ...store.schema import mention_term

    comp = Compiler(searcher, langs)
    q = comp.compile(tree)
    comp.tree = tree
    if q is None:
        # Words that were all stop words match nothing, as in Elasticsearch: listing
        # the whole archive for "sur" would answer a question nobody asked.
        q = wq.NullQuery if has_words(tree) else wq.Term("kind", "p")
    elif not comp.has_text:  # filters alone also match article documents
        q = wq.And([wq.Term("kind", "p"), q])
    boosts = [wq.Term("mentions", mention_term("actor", entity_key(a)), boost=MENTION_BOOST)
              for a in opts.actors]
    boosts += [wq.Term("mentions", mention_term("place", entity_key(p)), boost=MENTION_BOOST)
               for p in opts.places]
    if boosts:
        q = and_maybe(q, wq.Or(boosts))
        if comp.fast is not None:
            comp.fast = and_maybe(comp.fast, wq.Or(boosts))
    comp.query, comp.filter = q, filter_query(opts, searcher)
    comp.dates = (opts.since, opts.until)
    return comp


def _inverted(node: Text) -> bool:
    """A verb and its subject pronoun, joined by hyphens as questions invert them
    (``a-t-il``, ``appelle-t-on``): one word once the pronoun is dropped, read like
    a typed word, so that the auxiliary ``a``, a question word, goes."""
    return "-" in node.raw and \
        sum(1 for w in node.words if word_forms(w.lower(), "fr") is not None) == 1


def entity_key(name: str) -> str:
    """The filter key of an actor or place (imported late: the extractor is heavy to load)."""
    from ...pipeline.entities import entity_key as key

    return key(name)


def and_maybe(required: wq.Query, optional: wq.Query) -> wq.Query:
    """``required``, scored higher where ``optional`` matches too (see :mod:`.maybe`:
    Whoosh 2.7.4's AndMaybe can loop for ever while skipping blocks by quality, seen on
    "Coronavirus point" over 8,000 articles)."""
    return Maybe(required, optional)


def _primary(wp: WordPattern) -> str:
    """The form a word most likely has in the stem field: its stem, or itself for a name."""
    if len(wp.stems) == 1:
        return next(iter(wp.stems))
    return min(wp.stems - {wp.exact} or wp.stems)


def filter_term(field: str, value: str) -> wq.Query:
    """The clause for ``field:value`` on a metadata field."""
    if field == "lang":
        return wq.Term("lang", value.strip().lower())
    if field == "source":
        return wq.Term("source", source_key(value))
    if field == "article_id":  # not typed by users: similar() leaves its article out
        return wq.Term("article_id", value)
    keys = [entity_key(value), *(_initials_keys(value) if field == "actor" else ())]
    return wq.Or([wq.Term(field, k) for k in keys]) if len(keys) > 1 else wq.Term(field, keys[0])


def _initials_keys(name: str) -> list[str]:
    """``Barack Obama`` → the key of ``B. Obama``, ``Jean-Marc Ayrault`` → ``J.-M. Ayrault``:
    facets count an article that wrote only the initial under the full name, so the
    filter on that name finds it too. (Reading the index-wide merge instead would
    read every article on each filtered search.)"""
    words = name.split()
    given = words[0] if len(words) > 1 else ""
    parts = [p for p in given.split("-") if p]
    if not parts or not all(p[0].isupper() and p[1:].islower() for p in parts) \
            or not words[-1][:1].isupper():  # a surname, not "Assemblée nationale"
        return []
    initials = "-".join(f"{p[0]}." for p in parts)
    return [entity_key(" ".join([initials, *words[1:]]))]


def date_query(start: str | None, end: str | None, years: tuple[str, str] | None
               ) -> wq.Query:
    """Inclusive ISO date bounds as whole years, whole months and single days.

    A term range on ``date`` would be a union of one term per day in the index,
    hundreds for a year; this is a few dozen at most. ``years`` bound open ends.
    """
    import datetime

    if years is None:  # no dated article in the index
        return wq.NullQuery
    lo = datetime.date.fromisoformat(start or f"{years[0]}-01-01")
    hi = datetime.date.fromisoformat(end or f"{years[1]}-12-31")
    lo = max(lo, datetime.date(int(years[0]), 1, 1))
    hi = min(hi, datetime.date(int(years[1]), 12, 31))
    terms: list[wq.Query] = []
    day = datetime.timedelta(days=1)
    while lo <= hi:
        year_end = datetime.date(lo.year, 12, 31)
        next_month = (lo.replace(day=28) + 4 * day).replace(day=1)
        if lo.month == 1 and lo.day == 1 and year_end <= hi:
            terms.append(wq.Term("year", f"{lo.year:04d}"))
            lo = year_end + day
        elif lo.day == 1 and next_month - day <= hi:
            terms.append(wq.Term("month", lo.isoformat()[:7]))
            lo = next_month
        else:
            terms.append(wq.Term("date", lo.isoformat()))
            lo += day
    return wq.Or(terms) if terms else wq.NullQuery


def _years(searcher: Any) -> tuple[str, str] | None:
    """The first and last year of the index's dates, to bound open date ranges."""
    years = [y.decode() if isinstance(y, bytes) else y for y in searcher.reader().lexicon("year")]
    return (years[0], years[-1]) if years else None


def filter_query(opts: SearchOptions, searcher: Any) -> wq.Query | None:
    """Every option filter (AND between kinds, OR within lang and source), or None."""
    parts: list[wq.Query] = []
    if opts.since or opts.until:
        parts.append(date_query(opts.since, opts.until, _years(searcher)))
    if opts.lang:
        parts.append(wq.Or([filter_term("lang", v) for v in opts.lang]))
    if opts.source:
        parts.append(wq.Or([filter_term("source", v) for v in opts.source]))
    parts += [filter_term("actor", a) for a in opts.actors]
    parts += [filter_term("place", p) for p in opts.places]
    if not parts:
        return None
    return ConstantScoreQuery(wq.And(parts) if len(parts) > 1 else parts[0], 0.0)


def filtered(q: wq.Query, f: wq.Query | None) -> wq.Query:
    """``q`` with the filters ``f`` (see :func:`filter_query`), if any."""
    # Filters are AND-ed into the query rather than passed as Whoosh's
    # ``filter=``, which materialises every allowed document first.
    return wq.And([q, f]) if f is not None else q
