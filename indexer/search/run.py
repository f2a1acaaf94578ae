"""Search: query tree → Whoosh query → ranked passages → highlights.

Ranking is BM25F over passages, with the title boosted and exact (unstemmed)
matches worth more than stem-only ones. Passages that contain more of the
query's clauses come first (coordination), ties are broken by article id, and
each article shows at most ``per_article`` passages.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields, replace
from itertools import islice
from typing import TYPE_CHECKING, Any

from whoosh import query as wq

from ..analysis import (
    INTERROGATIVES,
    QUESTION_WORDS,
    SNOWBALL_LANGUAGES,
    fold,
    number_variants,
    source_key,
    stemmer_for,
    word_forms,
)
from ..errors import IndexerError, OptionError
from ..model import FacetCount, Hit, Results, TermMatch, Totals
from .evaluate import document_scores, term_values, top_documents
from .highlight import Pattern, WordPattern, find_matches
from .maybe import Maybe
from .parse import DateRange, Filter, Group, Node, Occur, Text, date_bound, parse_query

if TYPE_CHECKING:
    from ..store.snapshot import Snapshot

TITLE_BOOST = 2.0
EXACT_BOOST = 0.2
MENTION_BOOST = 0.5
PAIR_BOOST = 3.0
PAIR_SLOP = 1
MIN_CANDIDATES = 50
COORDINATION = 4.0
"""How much a passage that misses some of the query's clauses is penalised: its
score is multiplied by ((w + matched) / (w + total)) ** COORDINATION, where each
clause weighs its IDF, ``matched`` and ``total`` add up those weights and ``w``
is their mean. Missing a rare word costs more than missing a common one."""
PROXIMITY = 1.0
"""Bonus for query words found close together: the score is multiplied by
1 + PROXIMITY × (the mean over pairs of clauses, weighted by their IDFs, of
1 / the smallest distance in words between them)."""

BM25_B = 0.4
BM25_K1 = 0.8
HEAD_WEIGHT = 0.25
"""The weight, in coordination, of the noun an interrogative announces (``année`` in
"En quelle année…", ``pays`` in "Dans quel pays…"): it names the kind of answer,
which the passage gives without naming it ("en 1963", "en Moldavie")."""
RELATED_PREFIX = 5
RELATED_MAX = 10
"""A passage holding a word that shares the first RELATED_PREFIX letters of a query
word (``venimeuse`` for ``venin``, ``fondation`` for ``fondateur``) has that query
word for coordination, though it adds nothing to the BM25 score; at most
RELATED_MAX such words per query word, the most frequent ones."""
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
every word. An index of fewer than COMMON_MIN passages is searched as before.
Over all 36,152 OrangeSum articles, 200 title-word queries (CPU time, idle machine):
p95 559 → 297 ms, p50 72 → 64 ms; the same top hit for 197 of them, the same top 3
for 184, the same top 10 for 171."""
TOPIC = 3.0
TOPIC_FLOOR = 0.5
"""With word vectors, a candidate's score is multiplied by 1 + TOPIC × (cos − TOPIC_FLOOR)
when the cosine of its mean content-word vector to the query's is above TOPIC_FLOOR:
a passage about the question's subject, in other words, climbs. On PIAF (3,771
questions) with vectors, MRR@10 0.805 → 0.808 and success@10 0.912 → 0.917, on both
halves; TOPIC 1, 5, 6 and 10, floors 0.3 and 0.6, and weighting words by their
rarity did no better on the first 1,000. As a first stage of its own (the 20 or 50
passages of closest mean added to the candidates) it found nothing more."""
ALIGN = 8.0
"""With word vectors, a candidate's score is also multiplied by 1 + ALIGN × a², where a
is how much of the query its best sentence says, words of close meaning included
(:meth:`indexer.search.vectors.WordVectors.alignment`). On PIAF (3,771 questions), MRR@10
0.808 → 0.811 and success@10 0.917 → 0.922, on both halves (even 0.922 → 0.927, odd
0.911 → 0.917); ALIGN 4 to 20, powers 2 to 4 and floors 0.2 to 0.5 all landed within
0.003 of that. Counting a sentence's exact (and prefix-related) matches as full
credit did worse (success@10 0.919): the vectors' own judgement of a word was better."""
IDF_POWER = 1.5
"""BM25's IDF raised to this power: rare words (names, technical terms) count
more against common ones than Whoosh's flatter ``log(N / (n + 1)) + 1`` allows."""


MAX_QUERY_WORDS = 32
"""A query with more distinct words than this (a pasted paragraph, a lede, a whole
dispatch) keeps only its MAX_QUERY_WORDS most telling ones, as Elasticsearch's
``more_like_this`` keeps its ``max_query_terms`` (25): each distinct word is scored by
how often the query repeats it times its IDF in the index, and the rest are left out
(``--explain`` lists both). Quoted phrases go first (but see :data:`MAX_PHRASE_WORDS`);
``+``/``-`` words, fields and filters are never left out. Below the limit a query is
searched as typed, so that short searches and questions rank as before; above it, the
cost of a search is bounded whatever is pasted, up to
:data:`indexer.search.parse.MAX_QUERY_CHARS`."""


def idf(n: int, total: int) -> float:
    """Robertson–Spärck Jones IDF of a term in ``n`` of ``total`` passages."""
    total = max(total, n)
    return math.log(1 + (total - n + 0.5) / (n + 0.5))


def weighting() -> Any:
    """BM25F with the parameters the relevance benchmark chose."""
    from whoosh import scoring

    class Weighting(scoring.BM25F):
        # Counted over passages only: article documents hold no text.
        def idf(self, searcher: Any, fieldname: str, text: str) -> float:
            parent = searcher.get_parent()
            n = parent.doc_frequency(fieldname, text)
            return idf(n, parent.doc_frequency("kind", "p")) ** IDF_POWER

    return Weighting(B=BM25_B, K1=BM25_K1)


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


class _Compiler:
    """Turns the query tree into a Whoosh query, collecting highlight patterns on the way."""

    def __init__(self, searcher: Any, langs: Iterable[str], *, titles: bool = False) -> None:
        self.s = searcher
        self.titles = titles  # compile for the title field alone
        self.other_langs = [lang for lang in langs if lang != "fr" and lang in SNOWBALL_LANGUAGES]
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
        self.fast: wq.Query | None = None  # the top group with common words deferred
        self.last_word: WordPattern | None = None
        self.left_out: tuple[str, ...] = ()  # words a long query did without

    def compile(self, node: Node) -> wq.Query | None:
        if isinstance(node, Text):
            return self.text(node)
        if isinstance(node, Filter):
            return wq.ConstantScoreQuery(filter_term(node.field, node.value), 0.0)
        if isinstance(node, DateRange):
            return wq.ConstantScoreQuery(date_query(node.start, node.end, _years(self.s)), 0.0)
        if isinstance(node, Group):
            return self.group(node)
        subs = [q for q in (self.compile(o) for o in node.options) if q is not None]
        return wq.Or(subs) if subs else None

    def group(self, group: Group) -> wq.Query | None:
        self.depth += 1
        try:
            return self._group(group, top=self.depth == 1)
        finally:
            self.depth -= 1

    def _group(self, group: Group, top: bool) -> wq.Query | None:
        must, should, must_not, filters = [], [], [], []
        spread: list[int | None] = []  # per should clause: its commonest stem's passages
        chain: list[WordPattern | None] = []
        announced = False  # the previous word was "quel", "quelle"…
        for occur, child in group.clauses:
            self.last_word = None
            before = len(self.clauses)
            q = self.compile(child) if occur != "must_not" else self.negative(child)
            chain.append(self.last_word if occur == "should" else None)
            if len(self.clauses) > before:
                naming = self.asked and self.last_word is not None \
                    and bool(self.last_word.stems & NAMING)
                if announced or naming:  # shown as "annee?" in the analysed query
                    self.heads.add(before)
                    self.analysed[-1] += "?"
                announced = False
            elif isinstance(child, Text) and len(child.words) == 1 and not child.phrase \
                    and child.words[0].lower() in INTERROGATIVES:
                announced = True
            if q is None:
                continue
            if occur == "must_not":
                must_not.append(q)
            elif isinstance(child, (Filter, DateRange)):
                filters.append(q)
            elif occur == "must":
                must.append(q)
            else:
                should.append(q)
                spread.append(self.spread(self.clauses[before])
                              if len(self.clauses) == before + 1 else None)
        fast = None
        if must:
            q = wq.And(must) if len(must) > 1 else must[0]
            if should:
                q = _maybe(q, wq.Or(should))
        elif should:
            q = wq.Or(should) if len(should) > 1 else should[0]
            # A pair phrase only matches where both words do: it can join the Or.
            pairs = self.pairs(chain)
            if pairs:
                q = wq.Or([*should, *pairs])
            if top and len(should) > 1 and not self.titles:
                fast = self.defer_common(should, spread, pairs)
        elif must_not or filters:
            q = wq.Term("kind", "p")
        else:
            return None
        if filters:  # a filter narrows the words it goes with
            q = wq.And([*filters, q])
            fast = wq.And([*filters, fast]) if fast is not None else None
        if must_not:
            q = wq.AndNot(q, wq.Or(must_not))
            fast = wq.AndNot(fast, wq.Or(must_not)) if fast is not None else None
        if top:
            self.fast = fast
        return q

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
        return _maybe(first, wq.Or(extra)) if extra else first

    def pairs(self, chain: list[WordPattern | None]) -> list[wq.Query]:
        """Phrases of neighbouring query words: passages that keep them together rank higher."""
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
        body, title = ("stem", "exact"), ("title_stem", None)
        if node.prefix:
            wp = wps[0]
            q = wq.Or([wq.Prefix(f, wp.exact, boost=TITLE_BOOST if "title" in f else 1.0)
                       for f in ("stem", "exact", "title_stem")
                       if "title" in f or not node.title_only])
            terms = frozenset([("exact", wp.exact), ("stem", wp.exact)])
            self.analysed.append(f"{wp.exact}*")
        elif len(wps) == 1:
            wp = wps[0]
            subs = []
            for fields_, boost in (((body,) if not node.title_only else ()), 1.0), \
                                  ((title,), TITLE_BOOST):
                for stem_field, exact_field in fields_:
                    subs += [self.term(stem_field, wp, s, boost)
                             for s in sorted(wp.stems)]
                    if exact_field:
                        subs += [wq.Term(exact_field, f, boost=boost * EXACT_BOOST)
                                 for f in sorted(wp.variants | {wp.exact})]
                    subs += [wq.Term(f_, f, boost=boost * 0.8) for f in sorted(wp.fuzzy)
                             for f_ in (stem_field, exact_field) if f_]
            q = wq.Or(subs)
            terms = frozenset([("stem", s) for s in wp.stems] + [("exact", wp.exact)]
                              + [(f_, f) for f in wp.fuzzy | wp.variants
                                 for f_ in ("stem", "exact")])
            self.analysed.append("|".join(sorted(wp.stems | {wp.exact} | wp.fuzzy)))
        else:
            seqs = [self.sequence("title_stem", wps, TITLE_BOOST)]
            if not node.title_only:
                seqs.insert(0, self.sequence("stem", wps, 1.0))
            q = wq.Or(seqs)
            terms = frozenset(("stem", s) for wp in wps for s in wp.stems)
            self.analysed.append('"' + " ".join("|".join(sorted(wp.stems)) for wp in wps) + '"')
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
                            and not self.titles else frozenset())
        return q

    def related_forms(self, wp: WordPattern) -> frozenset[tuple[str, str]]:
        """Indexed words that share the query word's first letters; see RELATED_PREFIX."""
        if len(wp.stems) < 2 or len(wp.exact) <= RELATED_PREFIX:  # names stay whole
            return frozenset()
        reader = self.s.reader()
        found = []
        for term in islice(reader.expand_prefix("stem", wp.exact[:RELATED_PREFIX]), RELATED_SCAN):
            term = term.decode() if isinstance(term, bytes) else term
            if term not in wp.stems and not term.isdigit():
                found.append((-reader.doc_frequency("stem", term), term))
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
        forms = word_forms(lower, "fr")
        if forms is None:
            return None
        stem, exact = forms
        if prefix:
            return WordPattern(word, frozenset([exact]), exact, prefix=True)
        # A capitalised word the corpus knows as a name stays a name: Gaza, not gaz.
        variants: frozenset[str] = frozenset()
        if word[0].isupper() and self.s.doc_frequency("stem", exact) > 0:
            stems = {exact}
        else:
            variants = number_variants(exact)
            stems = {stem, exact}
            for lang in self.other_langs:
                fn = stemmer_for(lang)
                if fn:
                    stems.add(fold(fn(lower)))
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
        known = {(f, t) for leaf, _ in reader.leaf_readers() for f in ("exact", "stem")
                 for t in leaf.terms_within(f, exact, maxdist, prefix=1)}
        candidates = [(reader.doc_frequency(f, t), t) for f, t in known]
        if not candidates:
            return frozenset()
        best = max(candidates)[1]
        self.suggestions.append(best)
        return frozenset([best])


def _inverted(node: Text) -> bool:
    """A verb and its subject pronoun, joined by hyphens as questions invert them
    (``a-t-il``, ``appelle-t-on``): one word once the pronoun is dropped, read like
    a typed word, so that the auxiliary ``a``, a question word, goes."""
    return "-" in node.raw and \
        sum(1 for w in node.words if word_forms(w.lower(), "fr") is not None) == 1


def entity_key(name: str) -> str:
    """The filter key of an actor or place (imported late: the extractor is heavy to load)."""
    from ..pipeline.entities import entity_key as key

    return key(name)


def _maybe(required: wq.Query, optional: wq.Query) -> wq.Query:
    """``required``, scored higher where ``optional`` matches too (see :mod:`indexer.search.maybe`:
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
    return wq.ConstantScoreQuery(wq.And(parts) if len(parts) > 1 else parts[0], 0.0)


def _restrict(q: wq.Query, opts: SearchOptions, searcher: Any) -> wq.Query:
    # Filters are AND-ed into the query rather than passed as Whoosh's
    # ``filter=``, which materialises every allowed document first.
    f = filter_query(opts, searcher)
    return wq.And([q, f]) if f is not None else q


def _vectors(snap: Snapshot) -> Any:
    """The index's word-vector table, opened once per version, or None."""
    from .vectors import WordVectors

    return snap.derived("vectors", lambda: WordVectors.open(snap.path))


def telling_words(tree: Group, searcher: Any, limit: int | None = None
                  ) -> tuple[Group, tuple[str, ...]]:
    """The query with at most ``limit`` distinct words or phrases, and those left out.

    See :data:`MAX_QUERY_WORDS`. In a long query, quotes longer than
    :data:`MAX_PHRASE_WORDS` are prose that was quoted, and their words count one by
    one; shorter quoted phrases are kept first. A left-out word becomes a gap, not
    nothing, so that the words on either side of it do not become neighbours.
    """
    limit = MAX_QUERY_WORDS if limit is None else limit
    # Counting the words first spares every short query the stemming of _units.
    if sum(1 for _ in _walk(tree)) <= limit or len(_units(tree)) <= limit:
        return tree, ()
    tree = _unquote_long(tree)
    found = list(_units(tree).values())  # in the order of their first occurrence
    total = searcher.doc_frequency("kind", "p")

    def weight(nodes: list[Text]) -> float:
        # A word's most frequent form counts, as in clause_weights; a word the index
        # does not hold tells nothing about which of its articles is meant.
        dfs = [max(searcher.doc_frequency("stem", stem), searcher.doc_frequency("stem", exact),
                   searcher.doc_frequency("exact", exact)) for stem, exact in _forms(nodes[0])]
        return len(nodes) * max((idf(n, total) for n in dfs if n), default=0.0)

    ranked = sorted(range(len(found)), key=lambda i: (not found[i][0].quoted,
                                                      -weight(found[i]), i))
    keep = {id(found[i][0]) for i in ranked[:limit]}
    gone = {id(node) for nodes in found for node in nodes} - keep
    left_out = tuple(found[i][0].raw.strip(_PUNCTUATION) for i in sorted(ranked[limit:]))
    return _without(tree, gone), left_out


MAX_PHRASE_WORDS = 6
"""In a long query (see :data:`MAX_QUERY_WORDS`), a quote of more words than this is
a quotation in the pasted text rather than a phrase to match as such."""


def _walk(group: Group) -> Iterator[Text]:
    """The optional words and phrases of a query, in order (not prefixes or fields)."""
    for occur, child in group.clauses:
        if occur != "should":
            continue
        if isinstance(child, Group):
            yield from _walk(child)
        elif isinstance(child, Text) and not (child.title_only or child.prefix):
            yield child


def _units(group: Group) -> dict[tuple[str, ...], list[Text]]:
    """The distinct words and phrases of a query (by stem), each with its occurrences."""
    found: dict[tuple[str, ...], list[Text]] = {}
    for node in _walk(group):
        key = tuple(stem for stem, _ in _forms(node))
        if key:  # stop words alone compile to nothing: they need no place
            found.setdefault(key, []).append(node)
    return found


def _forms(node: Text) -> list[tuple[str, str]]:
    return [f for w in node.words if (f := word_forms(w.lower(), "fr"))]


def _unquote_long(group: Group) -> Group:
    clauses: list[tuple[Occur, Node]] = []
    for occur, child in group.clauses:
        if isinstance(child, Group):
            clauses.append((occur, _unquote_long(child)))
        elif occur == "should" and isinstance(child, Text) and child.quoted \
                and len(child.words) > MAX_PHRASE_WORDS:
            clauses += [(occur, Text((w,), raw=w)) for w in child.words]
        else:
            clauses.append((occur, child))
    return Group(tuple(clauses))


_PUNCTUATION = ".,;:!?…«»\"“”()[]'’"
"""Stripped from a left-out word as --explain shows it: ``syrienne.`` is ``syrienne``."""

_GAP = Text(())
"""Compiles to nothing, and parts its neighbours."""


def _without(group: Group, gone: set[int]) -> Group:
    return Group(tuple(
        (occur, _GAP if id(child) in gone
         else _without(child, gone) if isinstance(child, Group) else child)
        for occur, child in group.clauses))


def _compile(snap: Snapshot, query: str, opts: SearchOptions
             ) -> tuple[_Compiler, wq.Query, bool]:
    comp = _Compiler(snap.searcher, snap.langs())
    tree, comp.left_out = telling_words(parse_query(query), snap.searcher)
    q = comp.compile(tree)
    has_text = bool(comp.clauses)
    comp.tree = tree
    if q is None:
        # Words that were all stop words match nothing, as in Elasticsearch: listing
        # the whole archive for "sur" would answer a question nobody asked.
        q = wq.NullQuery if _has_words(tree) else wq.Term("kind", "p")
    elif not has_text:  # filters alone also match article documents
        q = wq.And([wq.Term("kind", "p"), q])
    boosts = [wq.Term("mentions", f"a:{entity_key(a)}", boost=MENTION_BOOST) for a in opts.actors]
    boosts += [wq.Term("mentions", f"p:{entity_key(p)}", boost=MENTION_BOOST)
               for p in opts.places]
    if boosts:
        q = _maybe(q, wq.Or(boosts))
        if comp.fast is not None:
            comp.fast = _maybe(comp.fast, wq.Or(boosts))
    return comp, q, has_text


def _has_words(node: Node) -> bool:
    if isinstance(node, Text):
        return bool(node.words)
    if isinstance(node, Group):
        return any(_has_words(child) for _, child in node.clauses)
    return any(_has_words(o) for o in getattr(node, "options", ()))


def matching_articles(snap: Snapshot, query: str, opts: SearchOptions) -> set[str]:
    """Ids of every article with a passage that matches the query and the filters."""
    _, q, _ = _compile(snap, query, opts)
    s = snap.searcher
    if s.doc_count() == 0:
        return set()
    col = snap.article_ids()
    return {col[d] for d in s.docs_for_query(_restrict(q, opts, s))}


def run_search(snap: Snapshot, query: str, opts: SearchOptions) -> Results:
    """Ranked, grouped and highlighted passages for one query."""
    t0 = time.perf_counter()
    s = snap.searcher
    comp, q, has_text = _compile(snap, query, opts)
    if s.doc_count() == 0:  # nothing committed yet (Whoosh's empty reader has no columns)
        return Results(query=query, hits=(), elapsed_ms=(time.perf_counter() - t0) * 1000,
                       analysed=" ".join(comp.analysed), left_out=comp.left_out,
                       counter=lambda limit: Totals(0, 0))
    q = _restrict(q, opts, s)
    col = snap.article_ids()
    if not has_text:  # no words to rank by: newest first, like a news feed
        scores = document_scores(s, q)
        hits = _group(snap, _newest(s, scores, col, opts.limit), comp, opts, {}, {})
        counter = _counter(snap, q, col, list(scores))
    else:
        k = max(MIN_CANDIDATES, opts.limit * opts.per_article * 3)
        res = None
        if comp.fast is not None:
            res, matching = top_documents(s, _restrict(comp.fast, opts, s), k, _order(col))
            if len({col[d] for _, d in res}) < opts.limit:
                res = None  # too few articles without the common words: every word counts
        complete = res is None  # the candidates came from the whole query
        if res is None:
            res, matching = top_documents(s, q, k, _order(col))
        stored: dict[int, dict[str, Any]] = {}  # passages read while scoring, not read again
        similar: dict[int, list[TermMatch]] = {}  # docnum → words of close meaning it holds
        scored = _rescore(snap, comp, opts, [(score, col[d], d) for score, d in res], k,
                          stored, similar)
        # Passages of an article follow it in docnum order: docnum breaks ties by position.
        scored.sort(key=lambda r: (-round(r[0], 6), r[1], r[2]))
        hits = _group(snap, scored, comp, opts, similar, stored)
        counter = _counter(snap, q, col, matching if complete else None)
    return Results(query=query, hits=tuple(hits), elapsed_ms=(time.perf_counter() - t0) * 1000,
                   analysed=" ".join(comp.analysed), left_out=comp.left_out,
                   suggestions=tuple(comp.suggestions), facets=_hit_facets(hits),
                   counter=counter)


def _order(col: Any) -> Callable[[int], tuple[str, int]]:
    """Candidates tied at the cut go in by article, then position (the passages of an
    article keep their order in any index): not by document number, which follows how
    the index was written and merged."""
    return lambda docnum: (col[docnum], docnum)


def _rescore(snap: Snapshot, comp: _Compiler, opts: SearchOptions,
             rows: list[tuple[float, str, int]], k: int, stored: dict[int, dict[str, Any]],
             similar: dict[int, list[TermMatch]]) -> list[tuple[float, str, int]]:
    """The candidates' ``(score, article_id, docnum)`` once their title's score is lent,
    and coordination, proximity and (with vectors) topic and close words counted.
    Passages read on the way go to ``stored``, close words to ``similar``."""
    # Coordination and proximity are counted on the candidates only: asking
    # Whoosh for the matched terms of every hit would turn off its top-k skipping.
    s = snap.searcher
    titles = _title_matches(snap, comp, opts, k)
    reach = [c | r for c, r in zip(comp.clauses, comp.related, strict=True)]
    wanted_terms = frozenset().union(*reach)
    body = _terms_in(s, wanted_terms, [d for _, _, d in rows])
    in_title = _terms_in(s, frozenset(("title_" + f, t) for f, t in wanted_terms
                                      if f == "stem"),
                         [t[1] for t in titles.values()])
    weights = [w * (HEAD_WEIGHT if i in comp.heads else 1.0)
               for i, w in enumerate(clause_weights(s, comp.clauses))]
    vectors = _vectors(snap) if opts.vectors else None
    # The query words' vectors, looked up once rather than for every candidate.
    known = vectors.vectors_of([w for w in comp.words if w]) if vectors else {}
    asked = vectors.profile(" ".join(w for w in comp.words if w)) if vectors else None
    scored = []
    for score, aid, docnum in rows:
        found = body[docnum]
        matched = set(found)
        title = titles.get(aid)
        if title:
            if docnum != title[1]:  # the first passage carries the title already
                score += title[0]
            matched |= {(f[6:], t) for f, t in in_title[title[1]]}
        partial = 0.0
        if asked is not None and vectors is not None:  # the index has word vectors
            stored[docnum] = snap.passage(docnum)
            text = stored[docnum]["text"]
            seen = vectors.profile(text)
            topic = vectors.topic(asked, seen)
            score *= 1 + TOPIC * max(0.0, topic - TOPIC_FLOOR)
            aligned = vectors.alignment(comp.words, weights, text, seen, known)
            score *= 1 + ALIGN * aligned ** 2
            missing = [i for i, c in enumerate(reach) if comp.words[i] and not c & matched]
            if missing:
                near = vectors.closest([comp.words[i] for i in missing], seen, known)
                partial = sum(weights[i] * x for i, (x, _) in zip(missing, near, strict=True))
                similar[docnum] = [TermMatch(comp.words[i] or "", w, "similar")
                                   for i, (x, w) in zip(missing, near, strict=True) if x]
        score *= coordination(reach, weights, matched, partial)
        score *= 1 + PROXIMITY * proximity(comp.clauses, weights, found)
        scored.append((score, aid, docnum))
    return scored


def _newest(s: Any, scores: dict[int, float], col: Any, limit: int
            ) -> list[tuple[float, str, int]]:
    """The matching documents (``scores``) of the ``limit`` newest articles, newest
    first, then by article id and position; undated articles last. The index's dates
    are walked from the newest, so only what is shown gets ordered, however many match."""
    reader = s.reader()
    rows: list[tuple[float, str, int]] = []
    articles: set[str] = set()
    dated: set[int] = set()
    for date in sorted(reader.lexicon("date"), reverse=True):
        if len(articles) >= limit:
            return rows
        docs = [d for d in reader.postings("date", date).all_ids() if d in scores]
        dated.update(docs)
        day = sorted(((scores[d], col[d], d) for d in docs), key=lambda r: (r[1], r[2]))
        rows += day
        articles.update(r[1] for r in day)
    rows += sorted(((scores[d], col[d], d) for d in scores.keys() - dated),
                   key=lambda r: (r[1], r[2]))
    return rows


def _counter(snap: Snapshot, q: wq.Query, col: Any, matching: list[int] | None
             ) -> Callable[[int | None], Totals]:
    """What counts a search's totals when first asked: from ``matching`` when every
    match of ``q`` is known already, else by running ``q`` again."""
    def count(limit: int | None) -> Totals:
        # Counting every match costs as much as the search again on a broad
        # query, so it happens only when someone asks for the totals.
        if snap.closed:  # a later search saw a newer commit and closed this version
            raise IndexerError(f"{snap.path} changed since this search: run it again "
                               "to count its matches")
        if matching is not None:  # every match is known: the first ones, in index order
            docs = sorted(matching)[:None if limit is None else limit + 1]
        else:
            docs = list(islice(snap.searcher.docs_for_query(q),
                               None if limit is None else limit + 1))
        exact = limit is None or len(docs) <= limit
        if not exact:
            docs = docs[:limit]
        return Totals(len({col[d] for d in docs}), len(docs), exact)
    return count


def _title_matches(snap: Snapshot, comp: _Compiler, opts: SearchOptions,
                   k: int) -> dict[str, tuple[float, int]]:
    """Title score and title-carrying docnum per article, to lend to its other passages."""
    if comp.tree is None:
        return {}
    s = snap.searcher
    tq = _Compiler(s, snap.langs(), titles=True).compile(comp.tree)
    if tq is None:
        return {}
    col = snap.article_ids()
    return {col[docnum]: (score, docnum)
            for score, docnum in top_documents(s, _restrict(tq, opts, s), k, _order(col))[0]}


Clause = frozenset[tuple[str, str]]
Positions = dict[tuple[str, str], tuple[int, ...]]


def clause_weights(s: Any, clauses: list[Clause]) -> list[float]:
    """Each clause's IDF, from its most frequent form: what missing it costs."""
    total = s.doc_frequency("kind", "p")
    return [idf(max((s.doc_frequency(f, t) for f, t in c), default=0), total)
            for c in clauses]


def coordination(clauses: list[Clause], weights: list[float],
                 matched: set[tuple[str, str]], partial: float = 0.0) -> float:
    """The factor (≤ 1) for a passage that holds the ``matched`` terms; see COORDINATION.

    ``partial`` is the weight of the missing clauses that the passage holds a word of
    close meaning for, in part (:meth:`indexer.search.vectors.WordVectors.closest`)."""
    total = sum(weights)
    if not total:
        return 1.0
    got = sum(w for c, w in zip(clauses, weights, strict=True) if c & matched) + partial
    prior = total / len(weights)
    return ((prior + got) / (prior + total)) ** COORDINATION


def proximity(clauses: list[Clause], weights: list[float], found: Positions) -> float:
    """How close the clauses stand in a passage, in [0, 1]; see PROXIMITY."""
    spots = [sorted({p for term in c for p in found.get(term, ())}) for c in clauses]
    num = den = 0.0
    for i in range(len(clauses)):
        for j in range(i + 1, len(clauses)):
            w = weights[i] * weights[j]
            den += w
            if spots[i] and spots[j]:
                gap = _min_gap(spots[i], spots[j])
                if gap:
                    num += w / gap
    return num / den if den else 0.0


def _min_gap(a: list[int], b: list[int]) -> int:
    """The smallest distance between a position of ``a`` and one of ``b`` (both sorted)."""
    i = j = 0
    best = abs(a[0] - b[0])
    while i < len(a) and j < len(b):
        best = min(best, abs(a[i] - b[j]))
        if a[i] < b[j]:
            i += 1
        else:
            j += 1
    return best


def _terms_in(s: Any, terms: frozenset[tuple[str, str]], docnums: list[int]
              ) -> dict[int, Positions]:
    """Which of ``terms`` each document holds, with their positions where the field
    keeps them (else ``()``), reading only the posting blocks that hold the documents."""
    found: dict[int, Positions] = {d: {} for d in docnums}
    docs = sorted(found)
    for field, text in terms:
        decode = s.schema[field].format.decode_positions \
            if s.schema[field].format.supports("positions") else None
        for docnum, value in term_values(s, field, text, docs):
            found[docnum][(field, text)] = tuple(decode(value)) if decode else ()
    return found


def _group(snap: Snapshot, scored: list[tuple], comp: _Compiler, opts: SearchOptions,
           similar: dict[int, list[TermMatch]], read: dict[int, dict[str, Any]]) -> list[Hit]:
    per: dict[str, list[tuple]] = {}
    for row in scored:
        if row[1] in per or len(per) < opts.limit:
            per.setdefault(row[1], []).append(row)
    hits: list[Hit] = []
    for aid, rows in per.items():
        meta = snap.article_meta(aid) or {}
        found = []
        for score, _, docnum in rows:
            stored = read.get(docnum) or snap.passage(docnum)
            spans, matches = find_matches(stored["text"], meta.get("lang"), comp.patterns)
            found.append((score, stored, spans, (*matches, *similar.get(docnum, ()))))
            if sum(1 for f in found if f[2]) >= opts.per_article:
                break  # enough passages that show the match
        # A passage that shows the match beats one that matched by the title only.
        found.sort(key=lambda f: not f[2] and bool(comp.patterns))
        for score, stored, spans, matches in found[:opts.per_article]:
            ordinal, section = stored["meta"]
            hits.append(Hit(
                rank=len(hits) + 1, article_id=aid, title=meta.get("title", ""),
                date=meta.get("date"), source=meta.get("source"), url=meta.get("url"),
                lang=meta.get("lang"), score=round(float(score), 4), passage=stored["text"],
                highlights=spans, ordinal=ordinal, section=section,
                actors=tuple(meta.get("actors", ())), places=tuple(meta.get("places", ())),
                matches=matches))
    return hits


def _hit_facets(hits: list[Hit], top: int = 5) -> dict[str, tuple[FacetCount, ...]]:
    from collections import Counter

    out = {}
    for name in ("actors", "places"):
        # One vote per article, however many of its passages are shown.
        per_article = {h.article_id: getattr(h, name) for h in hits}
        counts = Counter(v for values in per_article.values() for v in values)
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        out[name] = tuple(FacetCount(v, c) for v, c in ranked)
    return out
