"""One search, from its query string to ranked, grouped and highlighted passages.

``run_search`` parses and shortens the query (:mod:`.parse`, :mod:`.telling`), compiles
it (:mod:`.compile`), finds the top candidates (:mod:`.evaluate`), re-scores them
(:mod:`.rank`), groups them by article and highlights them (:mod:`.highlight`). It reads
the index through one :class:`~indexer.store.snapshot.Snapshot`.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from whoosh import query as wq

from ..model import FacetCount, Hit, Results, TermMatch
from ..store.schema import mention_term
from .embedded.compile import Compiler, and_maybe, entity_key, restrict
from .embedded.evaluate import document_scores, top_documents
from .highlight import find_matches
from .options import SearchOptions
from .parse import Group, Node, Text, parse_query
from .rank import rescore, tie_order
from .seam import Matches
from .telling import telling_words

if TYPE_CHECKING:
    from ..store.snapshot import Snapshot


MENTION_BOOST = 0.5
MIN_CANDIDATES = 50


def _compile(snap: Snapshot, query: str, opts: SearchOptions
             ) -> tuple[Compiler, wq.Query, bool]:
    comp = Compiler(snap.searcher, snap.langs())
    tree, comp.left_out = telling_words(parse_query(query), snap)
    q = comp.compile(tree)
    has_text = bool(comp.clauses)
    comp.tree = tree
    if q is None:
        # Words that were all stop words match nothing, as in Elasticsearch: listing
        # the whole archive for "sur" would answer a question nobody asked.
        q = wq.NullQuery if _has_words(tree) else wq.Term("kind", "p")
    elif not has_text:  # filters alone also match article documents
        q = wq.And([wq.Term("kind", "p"), q])
    boosts = [wq.Term("mentions", mention_term("actor", entity_key(a)), boost=MENTION_BOOST)
              for a in opts.actors]
    boosts += [wq.Term("mentions", mention_term("place", entity_key(p)), boost=MENTION_BOOST)
               for p in opts.places]
    if boosts:
        q = and_maybe(q, wq.Or(boosts))
        if comp.fast is not None:
            comp.fast = and_maybe(comp.fast, wq.Or(boosts))
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
    return {col[d] for d in s.docs_for_query(restrict(q, opts, s))}


def run_search(snap: Snapshot, query: str, opts: SearchOptions) -> Results:
    """Ranked, grouped and highlighted passages for one query."""
    t0 = time.perf_counter()
    s = snap.searcher
    comp, q, has_text = _compile(snap, query, opts)
    if s.doc_count() == 0:  # nothing committed yet (Whoosh's empty reader has no columns)
        return Results(query=query, hits=(), elapsed_ms=(time.perf_counter() - t0) * 1000,
                       analysed=" ".join(comp.analysed), left_out=comp.left_out)
    q = restrict(q, opts, s)
    col = snap.article_ids()
    if not has_text:  # no words to rank by: newest first, like a news feed
        scores = document_scores(s, q)
        hits = _group(snap, _newest(s, scores, col, opts.limit), comp, opts, {}, {})
        matches = Matches(snap, q, list(scores))
    else:
        k = max(MIN_CANDIDATES, opts.limit * opts.per_article * 3)
        res = None
        if comp.fast is not None:
            res, matching = top_documents(s, restrict(comp.fast, opts, s), k, tie_order(col))
            if len({col[d] for _, d in res}) < opts.limit:
                res = None  # too few articles without the common words: every word counts
        complete = res is None  # the candidates came from the whole query
        if res is None:
            res, matching = top_documents(s, q, k, tie_order(col))
        stored: dict[int, dict[str, Any]] = {}  # passages read while scoring, not read again
        similar: dict[int, list[TermMatch]] = {}  # docnum → words of close meaning it holds
        scored = rescore(snap, comp, opts, [(score, col[d], d) for score, d in res], k,
                         stored, similar)
        # Passages of an article follow it in docnum order: docnum breaks ties by position.
        scored.sort(key=lambda r: (-round(r[0], 6), r[1], r[2]))
        hits = _group(snap, scored, comp, opts, similar, stored)
        matches = Matches(snap, q, matching if complete else None)
    return Results(query=query, hits=tuple(hits), elapsed_ms=(time.perf_counter() - t0) * 1000,
                   analysed=" ".join(comp.analysed), left_out=comp.left_out,
                   suggestions=tuple(comp.suggestions), facets=_hit_facets(hits),
                   matches=matches)


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


def _group(snap: Snapshot, scored: list[tuple], comp: Compiler, opts: SearchOptions,
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
