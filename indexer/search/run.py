"""One search, from its query string to ranked, grouped and highlighted passages.

``run_search`` parses and shortens the query (:mod:`.parse`, :mod:`.telling`), has the
backend compile it and find the top candidates (:meth:`.seam.Version.compile`,
:meth:`~.seam.Version.candidates`), re-scores them (:mod:`.rank`), groups them by
article and highlights them (:mod:`.highlight`). It reads the index only through one
:class:`~.seam.Version`, and serves any backend that implements it.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from ..model import FacetCount, Hit, Results
from .highlight import Matcher
from .options import SearchOptions
from .parse import Group, parse_query
from .rank import Reads, rescore, with_articles
from .seam import Matches
from .telling import telling_words

if TYPE_CHECKING:
    from .seam import Compiled, Version


MIN_CANDIDATES = 50

PAGE = 10
"""How many articles a search ranks as if asked for exactly that many; see :func:`_tiers`."""


def _compile(version: Version, query: str, opts: SearchOptions
             ) -> tuple[Compiled, tuple[str, ...]]:
    """The query compiled by the backend, and the words a long one was searched without."""
    tree, left_out = telling_words(parse_query(query), version)
    return version.compile(tree, opts), left_out


def matching_articles(version: Version, query: str, opts: SearchOptions) -> set[str]:
    """Ids of every article with a passage that matches the query and the filters."""
    comp, _ = _compile(version, query, opts)
    if version.doc_count() == 0:
        return set()
    col = version.article_ids()
    return {col[d] for d in version.matches(comp)}


def run_search(version: Version, query: str, opts: SearchOptions) -> Results:
    """Ranked, grouped and highlighted passages for one query."""
    t0 = time.perf_counter()
    tree, left_out = telling_words(parse_query(query), version)
    return run_tree(version, query, tree, left_out, opts, t0)


def run_tree(version: Version, query: str, tree: Group, left_out: tuple[str, ...],
             opts: SearchOptions, t0: float, tiered: bool = True) -> Results:
    """:func:`run_search` once the query is a tree (``query`` is what Results show);
    the clock started at ``t0``. ``tiered=False``: ranked by one search of the limit,
    not in tiers (:func:`_tiers`), for a caller that orders the hits again itself."""
    comp = version.compile(tree, opts)
    # An odd spelling in a pasted text is a name or a quotation, not a typo to ask about.
    typed = not comp.pasted
    if version.doc_count() == 0:  # nothing committed yet
        return Results(query=query, hits=(), elapsed_ms=(time.perf_counter() - t0) * 1000,
                       analysed=" ".join(comp.analysed), left_out=left_out)
    if not comp.has_text:  # no words to rank by: newest first, like a news feed
        rows, matching = version.newest(comp, opts.limit)
        hits = _group(version, rows, comp, opts, Reads())
        matches = Matches(version, comp, matching)
    else:
        reads = Reads()
        scored, known = _tiers(version, comp, opts, reads) if tiered else \
            _ranked(version, comp, opts, opts.limit, reads)
        hits = _group(version, scored, comp, opts, reads)
        matches = Matches(version, comp, known)
    return Results(query=query, hits=tuple(hits), elapsed_ms=(time.perf_counter() - t0) * 1000,
                   analysed=" ".join(comp.analysed), left_out=left_out,
                   suggestions=tuple(comp.suggestions) if typed else (),
                   facets=hit_facets(hits),
                   matches=matches)


def _tiers(version: Version, comp: Compiled, opts: SearchOptions, reads: Reads
           ) -> tuple[list[tuple[float, str, int]], list[int] | None]:
    """The re-scored candidates (:func:`_ranked`) of the articles shown, in their order,
    and every match when the last search saw them all.

    How deep the candidates go grows with the articles asked for, and re-scored deeper
    ones can climb: asked for 40 articles instead of 10, 82 of 300 news ledes showed
    another first ten, 5 another first hit. So the first ``PAGE`` articles are ranked as a
    search of ``PAGE`` ranks them, the next ``PAGE`` as one of ``2 × PAGE``, the next
    ``2 × PAGE`` as one of ``4 × PAGE``, and so on: any two limits show the same articles
    in the same order as far as both go, for at most about twice the work of the
    deepest search (Elasticsearch keeps its rescore window fixed across pages for the
    same reason)."""
    sizes = [PAGE]
    while sizes[-1] < opts.limit:
        sizes.append(2 * sizes[-1])
    # The deepest search first: each shallower one then finds most of what it reads
    # (titles, passages' terms, articles' passages) already read, for the same result.
    ranked = {size: _ranked(version, comp, opts, size, reads)
              for size in reversed(sizes)}
    scored: list[tuple[float, str, int]] = []
    kept: set[str] = set()
    for size in sizes:
        fresh = dict.fromkeys(aid for _, aid, _ in ranked[size][0] if aid not in kept)
        added = set(list(fresh)[:size - len(kept)])
        scored += [r for r in ranked[size][0] if r[1] in added]
        kept |= added
    return scored, ranked[sizes[-1]][1]


def _ranked(version: Version, comp: Compiled, opts: SearchOptions, articles: int,
            reads: Reads) -> tuple[list[tuple[float, str, int]], list[int] | None]:
    """The candidates of a search asked for ``articles`` articles, re-scored, best first,
    and every match when the search saw them all. What is read goes to ``reads``."""
    k = max(MIN_CANDIDATES, articles * opts.per_article * 3)
    res, known = version.candidates(comp, k, articles)
    col = version.article_ids()
    scored = with_articles(version, comp, rescore(
        version, comp, opts, [(score, col[d], d) for score, d in res], k, reads))
    # Passages of an article follow it in document order: that breaks ties by position.
    scored.sort(key=lambda r: (-round(r[0], 6), r[1], r[2]))
    return scored, known


def _group(version: Version, scored: list[tuple], comp: Compiled, opts: SearchOptions,
           reads: Reads) -> list[Hit]:
    per: dict[str, list[tuple]] = {}
    for row in scored:
        if row[1] in per or len(per) < opts.limit:
            per.setdefault(row[1], []).append(row)
    hits: list[Hit] = []
    # At once (one request on a cluster), each found from a passage it shows.
    metas = dict(version.article_metas(per, near={aid: rows[0][2] for aid, rows in per.items()}))
    matcher = Matcher(comp.patterns)  # one query's patterns, for every passage shown
    for aid, rows in per.items():
        meta = metas[aid] or {}
        found = []
        for score, _, docnum in rows:
            stored = reads.passages.get(docnum) or version.passage(docnum)
            spans, matches = matcher.find(stored["text"], meta.get("lang"))
            found.append((score, stored, spans, (*matches, *reads.similar.get(docnum, ()))))
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


def hit_facets(hits: list[Hit], top: int = 5) -> dict[str, tuple[FacetCount, ...]]:
    """The ``top`` actors and places among the articles shown, one vote per article."""
    from collections import Counter

    out = {}
    for name in ("actors", "places"):
        # One vote per article, however many of its passages are shown.
        per_article = {h.article_id: getattr(h, name) for h in hits}
        counts = Counter(v for values in per_article.values() for v in values)
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        out[name] = tuple(FacetCount(v, c) for v, c in ranked)
    return out
