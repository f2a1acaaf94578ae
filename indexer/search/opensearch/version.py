"""One committed version of an index on an OpenSearch cluster, as query time reads it.

:class:`OpenSearchVersion` is the :class:`~indexer.search.seam.Version` of the cluster
backend. The query is compiled as for the embedded index, its term statistics read
from the cluster (:class:`ClusterTerms`), then turned into the DSL (:mod:`.dsl`); the
cluster finds candidates, :mod:`.bm25f` scores them as the embedded index would, and
the shared code re-ranks, groups and highlights them. Positions are read from the
candidates' own analysed fields, which the cluster returns with them: the forms are
space-joined, so a term's position is its place.

Documents are numbered as the version meets them: an article gets a number, and its
document ``n`` (0 for the article's own, then its passages in order) is
``number << SHIFT | n``, so that an article's passages keep their order in any sort.
A version is the concrete index behind the alias and its refresh count: a commit
(a refresh) or a rebuild (a new concrete index) makes the next one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from itertools import islice
from typing import TYPE_CHECKING, Any, TypeVar

from ...errors import IndexerError
from ...store.opensearch import (
    SCORED_FIELDS,
    WHOLE_FIELDS,
    call,
    doc_id,
    field_terms,
    record,
    scan,
)
from ...store.schema import passage_place, read_meta, read_texts
from ..embedded.compile import (
    RELATED_SCAN,
    Compiler,
    compile_search,
    filtered,
    other_languages,
    spellings,
)
from ..embedded.evaluate import TIED_MAX, keep_best
from ..facets import facet_values
from ..options import SearchOptions
from ..parse import Group, Node, Text
from ..rank import (
    ARTICLE_FIELDS,
    LEADS,
    article_scores,
    article_weights,
    best_of_each,
    has_leads,
    led_by_articles,
    led_counts,
    stem_clauses,
)
from ..seam import Summary
from .bm25f import Scorer, Statistics, length
from .dsl import length_factor, term_factor, terms_of, to_dsl

if TYPE_CHECKING:
    from ...store.opensearch import OpenSearchStore
    from ..seam import Occurrences, Positions

T = TypeVar("T")

SHIFT = 20
"""Bits of a document number that hold its place in its article (passages per article
stay far below a million)."""
SOURCE = ["article_id", "n", "stem", "exact", "title_stem", "mentions", "record"]
"""What the version reads of a document: positions come from its forms, its passage's
place from its record."""
POSITIONAL = frozenset({"stem", "title_stem"})
POOL = TIED_MAX
"""Candidates the cluster finds per one kept: its scores only pick them, and they are
scored again as the embedded index scores them (:mod:`.bm25f`). As many as ties at the
cut may bring in."""
WINDOW = 10_000
"""The most hits one search returns (the cluster's ``index.max_result_window``)."""
LEAD_POOL = 4
"""Articles the cluster finds per lead kept (see :meth:`OpenSearchVersion._with_leads`)."""
_KEPT = 4096  # documents whose source stays read
_META_BATCH = 1000  # articles whose records one request reads, for an export
_FACET_BATCH = 10_000  # articles one facet request counts (a terms query's ids)
_FACET_PAGE = 10_000  # values one aggregation answers at a time (each page reads all)
_FACET_GROUPS = 1000  # merged names one aggregation counts


class OpenSearchVersion:
    """A committed version of an index on a cluster: its concrete index, at one refresh."""

    def __init__(self, store: OpenSearchStore) -> None:
        self.path: str = store.path  # a URL, not a directory
        self.location = store.location
        self.client = store.client
        self.alias = store.location.name
        self.index, self._refreshes = self._stamp()
        self._closed = False
        self._aids: list[str] = []
        self._serials: dict[str, int] = {}
        self._sources: dict[int, dict[str, Any]] = {}
        self._articles: dict[str, bytes | None] = {}
        self._df: dict[tuple[str, str], int] = {}
        self._derived: dict[str, Any] = {}
        self.terms = ClusterTerms(self)

    # -- the version ---------------------------------------------------------------
    def _stamp(self) -> tuple[str, int]:
        """The concrete index behind the alias, and how often it was refreshed."""
        stats = call(self.location, self.client.indices.stats, index=self.alias,
                     metric="refresh")["indices"]
        index = sorted(stats)[-1]
        return index, int(stats[index]["primaries"]["refresh"]["total"])

    @property
    def closed(self) -> bool:
        return self._closed

    def up_to_date(self) -> bool:
        return self._stamp() == (self.index, self._refreshes)

    def close(self) -> None:
        self._closed = True
        for kept in (self._sources, self._articles, self._df, self._derived):
            kept.clear()

    def derived(self, key: str, make: Callable[[], T]) -> T:
        if key not in self._derived:
            self._derived[key] = make()
        return self._derived[key]

    def _search(self, body: dict[str, Any], **params: Any) -> dict[str, Any]:
        return call(self.location, self.client.search, index=self.index,
                    body=body, **params)

    def _scan(self, query: dict[str, Any], fields: list[str]) -> Iterator[dict[str, Any]]:
        return scan(self.location, self.client, self.index, query, fields)

    # -- statistics ----------------------------------------------------------------
    def warm(self) -> None:
        """The languages and the totals, each one request that a version's first query
        makes (the cluster keeps its own caches warm)."""
        self.langs()
        self._totals()

    def langs(self) -> list[str]:
        return self.terms.lexicon("lang")

    def _totals(self) -> dict[str, Any]:
        """The version's counts, and each scored field's total length and documents, in
        one request: the first query of a version needs them all."""
        return self.derived("totals", lambda: self._search({
            "size": 0, "track_total_hits": True, "aggs": {
                "passages": {"filter": {"term": {"kind": "p"}}},
                **{f: {"sum": {"field": f"lengths.{f}"}} for f in SCORED_FIELDS},
                **{f"has:{f}": {"filter": {"exists": {"field": f}}} for f in SCORED_FIELDS}}}))

    def doc_count(self) -> int:
        return int(self._totals()["hits"]["total"]["value"])

    def passage_count(self) -> int:
        return int(self._totals()["aggregations"]["passages"]["doc_count"])

    def summary(self) -> Summary:
        """Counted by the cluster: languages by an aggregation, dates by the articles
        that sort first and last (their own strings, which a ``min`` would make days)."""
        every = {"term": {"kind": "a"}}
        articles = self.doc_count() - self.passage_count()  # a document is one or the other
        langs = facet_values(self, "lang")
        languages = Counter(langs)
        if articles > langs.total():
            languages["?"] = articles - langs.total()
        ends = self._search({"size": 0, "query": {"bool": {"filter": [
            every, {"exists": {"field": "date"}}]}}, "aggs": {
                end: {"top_hits": {"size": 1, "_source": ["date"], "sort": [{"date": order}]}}
                for end, order in (("first", "asc"), ("last", "desc"))}})["aggregations"]
        first, last = (ends[end]["hits"]["hits"] for end in ("first", "last"))
        return Summary(articles, languages, first[0]["_source"]["date"] if first else None,
                       last[0]["_source"]["date"] if last else None)

    def doc_frequency(self, field: str, text: str) -> int:
        if (field, text) not in self._df:
            self.frequencies([(field, text)])
        return self._df[(field, text)]

    def frequencies(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Read the document frequencies of ``pairs`` not read yet, in one request."""
        wanted = sorted({p for p in pairs if p not in self._df})
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            lines: list[dict[str, Any]] = []
            for field, text in chunk:
                lines += [{}, {"size": 0, "track_total_hits": True, "query": {
                    "constant_score": {"filter": {"term": {field: text}}}}}]
            answer = call(self.location, self.client.msearch, index=self.index, body=lines)
            for pair, res in zip(chunk, answer["responses"], strict=True):
                self._df[pair] = int(res["hits"]["total"]["value"])

    def with_field(self, field: str) -> int:
        """How many documents have ``field`` (a scored field): Lucene's ``N`` in its IDF."""
        return int(self._totals()["aggregations"][f"has:{field}"]["doc_count"])

    def weigh(self, field: str, text: str) -> float:
        n = self.doc_frequency(field, text)
        with_field = max(self.with_field(field), n)
        return term_factor(n, self.passage_count(), with_field) \
            * length_factor(self.doc_count() / max(1, with_field))

    # -- documents -----------------------------------------------------------------
    def _number(self, article_id: str, n: int) -> int:
        serial = self._serials.get(article_id)
        if serial is None:
            serial = self._serials[article_id] = len(self._aids)
            self._aids.append(article_id)
        return serial << SHIFT | n

    def _place(self, doc: int) -> tuple[str, int]:
        return self._aids[doc >> SHIFT], doc & ((1 << SHIFT) - 1)

    def _met(self, hit: dict[str, Any]) -> int:
        """The number of a document the cluster returned, its source kept."""
        src = hit["_source"]
        doc = self._number(src["article_id"], int(src["n"]))
        if len(self._sources) >= _KEPT:
            self._sources.clear()
        self._sources[doc] = src
        return doc

    def _read(self, docs: Iterable[int]) -> None:
        """Read the sources of ``docs`` not kept, in one request."""
        missing = [d for d in dict.fromkeys(docs) if d not in self._sources]
        if not missing:
            return
        places = [self._place(d) for d in missing]
        answer = call(self.location, self.client.mget, index=self.index, realtime=False,
                      body={"docs": [{"_id": doc_id(a, n), "routing": a, "_source": SOURCE}
                                     for a, n in places]})
        for doc, found in zip(missing, answer["docs"], strict=True):
            self._sources[doc] = found.get("_source") or {}

    def article_ids(self) -> _ArticleIds:
        return _ArticleIds(self._aids)

    def _records(self, article_ids: list[str]) -> dict[str, bytes | None]:
        """The stored records of articles (``None`` for one not found), those not kept
        read in one request, and kept: a search's hits read their texts next."""
        found = {a: self._articles[a] for a in article_ids if a in self._articles}
        missing = [a for a in dict.fromkeys(article_ids) if a not in found]
        if missing:
            answer = call(self.location, self.client.mget, index=self.index, realtime=False,
                          body={"docs": [{"_id": doc_id(a, 0), "routing": a,
                                          "_source": ["record"]} for a in missing]})
            if len(self._articles) + len(missing) > _KEPT:
                self._articles.clear()
            for article_id, doc in zip(missing, answer["docs"], strict=True):
                rec = record(doc["_source"]) if doc.get("found") else None
                found[article_id] = self._articles[article_id] = rec
        return found

    def article_meta(self, article_id: str) -> dict[str, Any] | None:
        rec = self._records([article_id])[article_id]
        return None if rec is None else read_meta(rec)

    def vectors(self) -> None:
        return None  # a cluster's index has no word-vector table yet

    def article_metas(self, article_ids: Iterable[str], near: Mapping[str, int] | None = None
                      ) -> Iterator[tuple[str, dict[str, Any] | None]]:
        """``(article_id, metadata or None)`` of several articles, in their order, read
        :data:`_META_BATCH` at a time (one request each, not one an article); ``near`` is
        not needed: records are found by article id."""
        ids = iter(article_ids)
        while chunk := list(islice(ids, _META_BATCH)):
            records = self._records(chunk)
            for article_id in chunk:
                rec = records[article_id]
                yield article_id, None if rec is None else read_meta(rec)

    def passage(self, doc: int) -> dict[str, Any]:
        self._read([doc])
        back, ordinal, section = passage_place(record(self._sources[doc]))
        aid = self._place(doc)[0]
        rec = self._records([aid])[aid]
        if rec is None:  # deleted since: an update is being written
            raise IndexerError(f"{self.path} changed since this search: run it again")
        return {"text": read_texts(rec)[back - 1], "meta": (ordinal, section)}

    def article_docs(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for src in self._scan({"term": {"kind": "a"}},
                        ["article_id", "record"]):
            yield src["article_id"], read_meta(record(src))

    def article_passages(self, article_ids: Iterable[str], near: Mapping[str, int] | None = None
                         ) -> dict[str, list[int]]:
        """In one scan, their sources kept: what asks for them reads their texts or
        forms next (``near`` is not needed: passages are found by article id)."""
        ids = list(dict.fromkeys(article_ids))
        out: dict[str, list[int]] = {aid: [] for aid in ids}
        if not ids:
            return out
        query = {"bool": {"filter": [{"terms": {"article_id": ids}},
                                     {"term": {"kind": "p"}}]}}
        for src in self._scan(query, SOURCE):
            out[src["article_id"]].append(self._met({"_source": src}))
        for docs in out.values():
            docs.sort()  # an article's passages are numbered in their order
        return out

    def lengths(self, field: str, docs: Iterable[int]) -> dict[int, int]:
        """Counted from each document's forms, as :mod:`.bm25f` counts them."""
        wanted = list(docs)
        self._read(wanted)
        return {d: length(len(field_terms(self._sources[d]).get(field, ())))
                for d in wanted}

    def field_total(self, field: str) -> int:
        return int(self._totals()["aggregations"][field]["value"])

    def facet_counts(self, article_ids: Collection[str] | None, field: str,
                     names: Mapping[str, str]) -> Counter[str]:
        """Counted by aggregations over the articles' own documents, :data:`_FACET_BATCH`
        articles to a request (each article is in one, so their counts add up)."""
        every: list[dict[str, Any]] = [{"term": {"kind": "a"}}]
        if article_ids is None:  # every value's count is kept: shown names are made of them
            raw = self.derived(f"facet:{field}", lambda: self._values(every, field))
            return self._named(raw, every, field, names)
        counts: Counter[str] = Counter()
        ids = iter(sorted(article_ids))
        while chunk := list(islice(ids, _FACET_BATCH)):
            where: list[dict[str, Any]] = [*every, {"terms": {"article_id": chunk}}]
            counts.update(self._named(self._values(where, field), where, field, names))
        return counts

    def _values(self, where: list[dict[str, Any]], field: str) -> Counter[str]:
        """How many of the articles that ``where`` matches hold each value of ``field``,
        from a composite aggregation read page by page (a ``terms`` one is approximate
        across shards)."""
        raw: Counter[str] = Counter()
        after: dict[str, Any] | None = None
        while True:
            composite: dict[str, Any] = {
                "size": _FACET_PAGE, "sources": [{"v": {"terms": {"field": f"facet.{field}"}}}]}
            if after is not None:
                composite["after"] = after
            found = self._search({"size": 0, "query": {"bool": {"filter": where}},
                                  "aggs": {"v": {"composite": composite}}})["aggregations"]["v"]
            raw.update({b["key"]["v"]: b["doc_count"] for b in found["buckets"]})
            after = found.get("after_key")
            if len(found["buckets"]) < _FACET_PAGE or after is None:
                return raw

    def _named(self, raw: Counter[str], where: list[dict[str, Any]], field: str,
               names: Mapping[str, str]) -> Counter[str]:
        """``raw`` counted under ``names``; a name that these articles hold in two spellings
        or more is counted by a ``filters`` aggregation, since an article may hold both."""
        spellings: dict[str, list[str]] = {}
        for value in raw:
            spellings.setdefault(names.get(value, value), []).append(value)
        counts: Counter[str] = Counter({name: sum(raw[v] for v in values)
                                        for name, values in spellings.items()})
        merged = [(name, values) for name, values in spellings.items() if len(values) > 1]
        for start in range(0, len(merged), _FACET_GROUPS):
            groups = merged[start:start + _FACET_GROUPS]
            filters = {str(i): {"terms": {f"facet.{field}": values}}
                       for i, (_, values) in enumerate(groups)}
            found = self._search({"size": 0, "query": {"bool": {"filter": where}}, "aggs": {
                "g": {"filters": {"filters": filters}}}})["aggregations"]["g"]["buckets"]
            for i, (name, _) in enumerate(groups):
                counts[name] = found[str(i)]["doc_count"]
        return counts

    # -- queries -------------------------------------------------------------------
    def compile(self, tree: Group, opts: SearchOptions) -> Compiler:
        """The tree compiled as for the embedded index (see :mod:`.dsl`), its words'
        statistics read at once beforehand."""
        self.frequencies(_word_terms(tree, other_languages(self.langs())))
        return compile_search(self.terms, self.langs(), tree, opts)

    def _dsl(self, q: Any) -> dict[str, Any]:
        self.frequencies(terms_of(q))
        return to_dsl(q, self.weigh)

    def _top(self, q: Any, k: int, where: Any = None, only: list[str] | None = None
             ) -> list[tuple[float, int]]:
        """The ``k`` best ``(score, doc)`` of ``q`` among the documents ``where`` allows
        (a filter) and of the articles ``only`` when given, ties by article and place:
        the cluster's best ``POOL * k``, scored again as on the embedded index."""
        # One more than the most that ties may keep, to see when there are more.
        size = max(k, min(POOL * k + 1, WINDOW))
        query = self._dsl(filtered(q, where))
        if only is not None:
            query = {"bool": {"must": [query], "filter": [{"terms": {"article_id": only}}]}}
        body = {"query": query, "size": size, "_source": SOURCE,
                "track_scores": True, "track_total_hits": False,
                "sort": ["_score", {"article_id": "asc"}, {"n": "asc"}]}
        hits = self._search(body, search_type="dfs_query_then_fetch")["hits"]["hits"]
        docs = [self._met(h) for h in hits]
        scorer = Scorer(self._statistics(), _Within(self, docs))
        rows = []
        for doc, hit in zip(docs, hits, strict=True):
            score = scorer.score(q, doc, field_terms(hit["_source"]))
            if score is not None:
                rows.append((-score, doc))
        # Ties at the cut as on the embedded index, broken by article and place.
        return keep_best(rows, k, self._place)

    def _statistics(self) -> Statistics:
        """What BM25F reads of the whole index: counts, and each field's total length."""
        def make() -> Statistics:
            totals = {f: self.field_total(f) for f in SCORED_FIELDS}
            return Statistics(self.doc_count(), self.passage_count(), totals,
                              self.doc_frequency)
        return self.derived("statistics", make)

    def candidates(self, comp: Compiler, k: int, articles: int
                   ) -> tuple[list[tuple[float, int]], list[int] | None]:
        if led_by_articles(comp):  # as on the embedded index
            n, per = led_counts(k, articles)
            res = self._passages_of(comp, comp.query, self._best_articles(comp, n), per)
            if len({self._place(d)[0] for _, d in res}) >= articles:
                return res, None
        if comp.fast is not None:
            res = self._top(comp.fast, k, comp.filter)
            if len({self._place(d)[0] for _, d in res}) >= articles:
                return self._with_leads(comp, comp.fast, res), None
        return self._with_leads(comp, comp.query, self._top(comp.query, k, comp.filter)), None

    def article_scores(self, comp: Compiler, articles: Mapping[str, int]
                       ) -> dict[str, float]:
        """Those the leads scored (:meth:`_with_leads`) kept, the others counted: an
        article's score does not depend on those asked with it, and each is read from
        the cluster."""
        known: dict[str, float] = comp.own or {}
        missing = {aid: doc for aid, doc in articles.items() if aid not in known}
        counted = article_scores(self, comp, missing) if missing else {}
        return {aid: known[aid] if aid in known else counted[aid] for aid in articles}

    def _with_leads(self, comp: Compiler, q: Any, res: list[tuple[float, int]]
                    ) -> list[tuple[float, int]]:
        """``res`` and, where articles' own scores count, their leads (:data:`LEADS`).

        Articles' own documents hold their passages' forms joined
        (:data:`~indexer.store.opensearch.WHOLE_FIELDS`), which the cluster scores as
        :func:`article_scores` does, but for the lengths Lucene rounds, and a word's
        forms and the title scored apart: each field its own BM25, the title's at the
        body's weight, since counted :data:`~indexer.search.rank.ARTICLE_TITLE` times
        apart it would swamp the body. It finds ``LEAD_POOL`` times as many articles,
        and they are scored again exactly. The same leads as the embedded index's
        wherever its best are among them."""
        if not res or not has_leads(comp):
            return res
        best = self._best_articles(comp, LEADS)
        have = {self._place(d)[0] for _, d in res}
        return res + self._passages_of(comp, q, [a for a in best if a not in have], 1)

    def _passages_of(self, comp: Compiler, q: Any, articles: list[str], per: int
                     ) -> list[tuple[float, int]]:
        """The ``per`` best passages ``(score, doc)`` under ``q`` of each of ``articles``
        where ``q`` matches them, as the embedded index's :func:`.leads.leads` finds them."""
        if not articles:
            return []
        return best_of_each(self._top(q, WINDOW, comp.filter, articles),
                            lambda doc: self._place(doc)[0], per)

    def _best_articles(self, comp: Compiler, n: int) -> list[str]:
        """The ``n`` articles with the best own scores (of score above 0), best first, ties
        by id, as :func:`indexer.search.embedded.leads.best_articles` finds them: among
        ``LEAD_POOL`` × ``n`` the cluster finds (see :meth:`_with_leads`), each scored
        again exactly and kept in ``comp.own``."""
        clauses = stem_clauses(comp)
        weights = article_weights(clauses, self.doc_frequency, self.passage_count())
        should = [{"term": {WHOLE_FIELDS[field]: {"value": t, "boost": w}}}
                  for field, _ in ARTICLE_FIELDS
                  for clause, w in zip(clauses, weights, strict=True) if w > 0
                  for t in sorted(clause)]
        if not should:
            return []
        body = {"query": {"bool": {"filter": [{"term": {"kind": "a"}}], "should": should,
                                   "minimum_should_match": 1}},
                "size": LEAD_POOL * n, "_source": ["article_id"], "track_total_hits": False}
        pool = [h["_source"]["article_id"] for h in self._search(body)["hits"]["hits"]]
        own = comp.own = article_scores(self, comp, dict.fromkeys(pool, 0))  # found by id
        return sorted((a for a in pool if own[a] > 0), key=lambda a: (-own[a], a))[:n]

    def newest(self, comp: Compiler, limit: int
               ) -> tuple[list[tuple[float, str, int]], list[int] | None]:
        """The documents of the ``limit`` newest matching articles, newest first (undated
        last), then by article and place; the matches are counted when asked."""
        query = self._dsl(filtered(comp.query, comp.filter))
        sort = [{"date": {"order": "desc", "missing": "_last"}}, {"article_id": "asc"},
                {"n": "asc"}]
        rows: list[tuple[float, str, int]] = []
        seen: set[str] = set()
        after = None
        while True:
            body: dict[str, Any] = {"query": query, "size": 500, "sort": sort,
                                    "_source": SOURCE, "track_scores": True}
            if after is not None:
                body["search_after"] = after
            hits = self._search(body)["hits"]["hits"]
            for h in hits:
                aid = h["_source"]["article_id"]
                if aid not in seen:
                    if len(seen) >= limit:
                        return rows, None
                    seen.add(aid)
                rows.append((float(h["_score"]), aid, self._met(h)))
            if len(hits) < body["size"]:
                return rows, None
            after = hits[-1]["sort"]

    def title_scores(self, comp: Compiler, k: int) -> dict[str, tuple[float, int]]:
        if comp.tree is None:
            return {}
        tq = Compiler(self.terms, self.langs(), titles=True,
                      spelled=comp.spelled).compile(comp.tree)
        if tq is None:
            return {}
        return {self._place(doc)[0]: (score, doc)
                for score, doc in self._top(tq, k, comp.filter)}

    def positions(self, terms: frozenset[tuple[str, str]], docs: list[int]
                  ) -> dict[int, Positions]:
        self._read(docs)
        found: dict[int, Positions] = {}
        for doc in docs:
            tokens = field_terms(self._sources[doc])
            held: Positions = {}
            for field, text in terms:
                spots = tuple(i for i, t in enumerate(tokens.get(field, ())) if t == text)
                if spots:
                    held[(field, text)] = spots if field in POSITIONAL else ()
            found[doc] = held
        return found

    def occurrences(self, terms: frozenset[tuple[str, str]], docs: list[int],
                    whole: bool = False) -> dict[int, Occurrences]:
        # The passages' sources are read whole either way: their positions, counted.
        return {doc: {term: len(spots) for term, spots in held.items()}
                for doc, held in self.positions(terms, docs).items()}

    def matches(self, comp: Compiler, limit: int | None = None) -> list[int]:
        query = self._dsl(filtered(comp.query, comp.filter))
        found = (self._number(s["article_id"], int(s["n"]))
                 for s in self._scan({"bool": {"filter": [query]}}, ["article_id", "n"]))
        return list(islice(found, limit))


class _Within:
    """Whether a candidate matches a query that has no forms to read (a filter), asked
    of the cluster once per query for every candidate."""

    def __init__(self, version: OpenSearchVersion, docs: list[int]) -> None:
        self.version = version
        self.docs = docs
        self.found: dict[int, set[int]] = {}

    def __call__(self, q: Any, doc: int) -> bool:
        if id(q) not in self.found:
            v = self.version
            ids = [doc_id(*v._place(d)) for d in self.docs]
            query = {"bool": {"filter": [to_dsl(q, v.weigh), {"ids": {"values": ids}}]}}
            self.found[id(q)] = {
                v._number(src["article_id"], int(src["n"]))
                for src in v._scan(query, ["article_id", "n"])}
        return doc in self.found[id(q)]


class _ArticleIds:
    def __init__(self, aids: list[str]) -> None:
        self.aids = aids

    def __getitem__(self, doc: int) -> str:
        return self.aids[doc >> SHIFT]


class ClusterTerms:
    """The term statistics that compiling a query reads, answered by the cluster, where
    the compiler asks a Whoosh searcher: frequencies, words that share a prefix, words
    within a few edits, and a keyword field's values."""

    def __init__(self, version: OpenSearchVersion) -> None:
        self.version = version

    def doc_frequency(self, field: str, text: str) -> int:
        return self.version.doc_frequency(field, text)

    def reader(self) -> ClusterTerms:
        return self

    def leaf_readers(self) -> list[tuple[ClusterTerms, int]]:
        return [(self, 0)]

    def expand_prefix(self, field: str, prefix: str) -> list[str]:
        """The first words of ``field`` that start with ``prefix``, in order."""
        return self._rewritten(field, {"prefix": {field: {
            "value": prefix, "rewrite": f"top_terms_{RELATED_SCAN}"}}})[:RELATED_SCAN]

    def terms_within(self, field: str, text: str, maxdist: int, prefix: int = 0) -> list[str]:
        """Words of ``field`` within ``maxdist`` edits of ``text`` (a swap is two), their
        first ``prefix`` letters the same."""
        return self._rewritten(field, {"fuzzy": {field: {
            "value": text, "fuzziness": maxdist, "prefix_length": prefix,
            "transpositions": False, "max_expansions": 200}}})

    def _rewritten(self, field: str, query: dict[str, Any]) -> list[str]:
        """The words a multi-term query expands to on every shard, read from the query
        as Lucene rewrote it, their frequencies read too: the cluster's word list. Read
        once per version: a query's title pass asks again, and so does the next search."""
        return self.version.derived(f"rewritten:{query!r}", lambda: self._rewrite(field, query))

    def _rewrite(self, field: str, query: dict[str, Any]) -> list[str]:
        v = self.version
        answer = call(v.location, v.client.indices.validate_query, index=v.index,
                      body={"query": query}, rewrite=True, all_shards=True)
        words = sorted({w for e in answer.get("explanations", ())
                        for w in re.findall(rf"\b{field}:([^\s()^]+)", e.get("explanation", ""))})
        v.frequencies((field, w) for w in words)
        return words

    def lexicon(self, field: str) -> list[str]:
        """The values of a keyword field, in order, read once per version."""
        def read() -> list[str]:
            answer = self.version._search({"size": 0, "aggs": {"v": {"terms": {
                "field": field, "size": 10000}}}})
            return sorted(b["key"] for b in answer["aggregations"]["v"]["buckets"])
        return self.version.derived(f"lexicon:{field}", read)


def _word_terms(tree: Node, other_langs: list[str]) -> set[tuple[str, str]]:
    """The forms whose frequencies compiling ``tree`` reads (see :meth:`Compiler.word`)."""
    found: set[tuple[str, str]] = set()
    if isinstance(tree, Text):
        for word in tree.words:
            spelt = spellings(word.lower(), other_langs)
            if spelt is not None:
                exact, stems, variants = spelt
                found |= {(f, s) for s in stems for f in ("stem", "title_stem")}
                found |= {("exact", v) for v in {exact, *variants}}
    for child in getattr(tree, "clauses", ()):
        found |= _word_terms(child[1], other_langs)
    for child in getattr(tree, "options", ()):
        found |= _word_terms(child, other_langs)
    return found
