"""The term-at-a-time evaluator answers as Whoosh's own search does: same documents,
same order, same scores, on every kind of query the search compiles. (A prefix scores
its boost, as Whoosh means it to: Whoosh's own matcher scored it by BM25 or not at
all after the size of the segment.)"""

from __future__ import annotations

import contextlib
import gc
import itertools
import math
import operator
import random
import subprocess
import sys
from array import array
from pathlib import Path

import pytest
from whoosh import query as wq

import indexer.search.embedded.evaluate as evaluate
import indexer.search.embedded.version as embedded_version
import indexer.store.segment
from indexer import Article, NewsIndex
from indexer.search.embedded.compile import filtered
from indexer.search.embedded.constant import ConstantScoreQuery
from indexer.search.embedded.evaluate import (
    Split,
    _Segment,
    best_documents,
    term_values,
    top_documents,
)
from indexer.search.options import SearchOptions
from indexer.search.parse import TYPED_MAX_WORDS
from indexer.search.run import _compile
from indexer.store import arrays
from indexer.store.reading import first_document, lookup
from indexer.store.schema import ARTICLE_FIELDS
from indexer.store.terms import prefix_frequencies

QUERIES = [
    "Alep",                                  # a name
    "bombardement",                          # stemmed
    "hopitaux",                              # folded, plural variant
    "cessez-le-feu",                         # a compound: a phrase and its parts
    '"cessez le feu"',                       # a quoted phrase
    '"forces gouvernementales"',             # a quoted pair
    "Alep Moscou",                           # two words, pair phrase
    "Alep AND Moscou",
    "Alep OR Damas",
    "Alep NOT Kerry",
    "Alep -Kerry",
    "+Alep rebelles",                        # required and optional
    "(Syrie OR Russie) offensive",
    "bombard*",                              # prefix
    "title:Syrie",
    "lang:fr élections",
    "date:2012 élections",
    "date:2012-05 président",
    "Quels hôpitaux ont été touchés à Alep ?",
    "Lavrof",                                # unknown: its closest spelling
    "sur",                                   # a stop word alone: nothing
    "le la les",
    "",                                      # a listing: every passage
    "NOT Alep",                              # every passage but some
    "place:Alep",                            # a filter alone
]
OPTIONS = [
    SearchOptions(),
    SearchOptions(actors=("Lavrov",)),
    SearchOptions(places=("Alep",)),
    SearchOptions(since="2012-05-01", until="2012-06-30"),
]


def whoosh_top(searcher, q, k):
    q = as_whoosh(searcher, q)
    return [(hit.score, hit.docnum) for hit in searcher.search(q, limit=k)]


def whoosh_docs(searcher, q):
    return list(searcher.docs_for_query(as_whoosh(searcher, q)))


def as_whoosh(searcher, q):
    """``q`` as Whoosh alone answers what the evaluator means by it: prefixes constant,
    and each filter on the article-level fields, which only articles' documents hold,
    turned into the ids of the articles it matches (every document holds its id)."""
    reader = searcher.reader()
    ids = reader.column_reader("article_id")

    def swap(node):
        if isinstance(node, wq.ConstantScoreQuery) and all(
                getattr(leaf, "fieldname", None) in ARTICLE_FIELDS
                for leaf in node.child.leaves()):
            found = sorted({ids[d] for d in searcher.docs_for_query(node.child)})
            return type(node)(wq.Or([wq.Term("article_id", i) for i in found])
                              if found else wq.NullQuery, node.score)
        return constant_prefix(node, reader)

    return q.accept(swap)


def constant_prefix(node, reader):
    """A prefix as Whoosh means it (``constantscore``): its words, each match scored
    the prefix's boost."""
    if not isinstance(node, wq.Prefix):
        return node
    words = [wq.Term(node.fieldname, w) for w in reader.expand_prefix(node.fieldname, node.text)]
    return ConstantScoreQuery(wq.Or(words), node.boost)


def assert_same(got, expected):
    assert [d for _, d in got] == [d for _, d in expected]
    for (a, _), (b, _) in zip(got, expected, strict=True):
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def compiled(idx, text, opts):
    with idx.snapshot() as snap:
        comp, _ = _compile(snap, text, opts)
    queries = [filtered(comp.query, comp.filter)]  # the option filters, compiled with it
    if comp.fast is not None:  # the first stage with common words deferred
        queries.append(filtered(comp.fast, comp.filter))
    return queries


@pytest.mark.parametrize("opts", OPTIONS, ids=["plain", "actor", "place", "dates"])
@pytest.mark.parametrize("text", QUERIES)
def test_the_same_top_documents_as_whoosh(corpus_idx, text, opts):
    s = corpus_idx.searcher()
    for q in compiled(corpus_idx, text, opts):
        got, matching = top_documents(s, q, 50)
        assert_same(got, whoosh_top(s, q, 50))
        assert sorted(matching) == whoosh_docs(s, q)


def test_ties_go_to_the_lower_document_number(corpus_idx):
    s = corpus_idx.searcher()
    q = wq.ConstantScoreQuery(wq.Term("kind", "p"), 0.0)  # every passage scores 0
    got, matching = top_documents(s, q, 5)
    assert got == [(0.0, d) for d in whoosh_docs(s, q)[:5]]
    assert len(matching) == s.doc_frequency("kind", "p")


@pytest.fixture(scope="module")
def segmented(tmp_path_factory) -> Path:
    """Three segments (one per call) and an article updated, so that its old
    documents are deleted ones that postings still list. No merges: the cap set to
    nothing, as for segments that small runs merged up to it."""
    path = tmp_path_factory.mktemp("segments") / "index"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(indexer.store.segment, "MERGE_CAP", 0)
        _write_segmented(path)
    return path


def _write_segmented(path: Path) -> None:
    texts = [
        ("a1", "Alep sous les bombes", "Les bombardements sur Alep ont repris. Moscou dément."),
        ("a2", "Damas et Moscou", "Moscou soutient Damas. Les rebelles reculent à Alep."),
        ("a3", "Élections à Paris", "Le président a voté à Paris. Les bureaux ont fermé tard."),
        ("a4", "Hôpitaux d'Alep", "Deux hôpitaux ont été bombardés à Alep, selon l'ONU."),
    ]
    with NewsIndex.create(path) as idx:
        for batch in ([texts[0], texts[1]], [texts[2]], [texts[3]]):
            idx.add_articles([Article.from_fields(id=i, title=t, body=b, lang="fr")
                              for i, t, b in batch])
        # a1 again, changed: its first documents are deleted, new ones added.
        idx.add_articles([Article.from_fields(
            id="a1", title="Alep sous les bombes", lang="fr",
            body="Les bombardements sur Alep ont cessé. Moscou se tait. Les hôpitaux rouvrent.")])


@pytest.mark.parametrize("opts", [SearchOptions(), SearchOptions(places=("Alep",)),
                                  SearchOptions(lang=("fr",), places=("Paris",))],
                         ids=["plain", "Alep", "Paris"])
@pytest.mark.parametrize("text", ["Alep", "Moscou", "bombardements Alep", '"sur Alep"',
                                  "hôpitaux", "Alep -Damas", "Paris OR Damas",
                                  "lang:fr Moscou", "Moscou NOT place:Alep",
                                  "Alep NOT place:Paris", "", "NOT Moscou", "place:Alep"])
def test_segments_and_deleted_documents(segmented, text, opts):
    """Filters included: each stands for its articles' runs of documents, and a deleted
    article's run lies between live ones."""
    with NewsIndex.open(segmented) as idx:
        s = idx.searcher()
        assert len(s.leaf_searchers()) > 1 and s.reader().has_deletions()
        for q in compiled(idx, text, opts):
            got, matching = top_documents(s, q, 10)
            assert_same(got, whoosh_top(s, q, 10))
            assert sorted(matching) == whoosh_docs(s, q)



def _nodes(q):
    yield q
    for child in q.children():
        yield from _nodes(child)


@pytest.mark.parametrize("where", ["sample", "segmented"])
def test_sizes_are_whoosh_s_estimates(corpus_idx, segmented, where):
    """The sizes that order an And's parts (rarest first) and a phrase's words are the
    numbers Whoosh's estimate_size gives, for every part of every query compiled."""
    with contextlib.ExitStack() as opened:
        idx = corpus_idx if where == "sample" else opened.enter_context(NewsIndex.open(segmented))
        s = idx.searcher()
        checked = 0
        for text, opts in itertools.product(QUERIES + ["Alep -Damas", "Alep Moscou Damas"],
                                            OPTIONS):
            for q in compiled(idx, text, opts):
                for sub, _ in s.leaf_searchers():
                    segment = _Segment(s, sub)
                    for node in _nodes(q):
                        assert segment.estimate(node) == node.estimate_size(sub.reader()), node
                        checked += 1
    assert checked > 1000

def test_first_document_skips_deleted_ones(segmented):
    with NewsIndex.open(segmented) as idx:
        s = idx.searcher()
        for article_id in ("a1", "a2", "a3", "a4", "nope"):
            assert first_document(s, "article_id", article_id) == \
                s.document_number(article_id=article_id)


def test_term_values_are_the_postings_values(segmented):
    with NewsIndex.open(segmented) as idx:
        s = idx.searcher()
        docs = sorted(s.docs_for_query(wq.Term("kind", "p")))
        for term in ("alep", "moscou", "bombard"):
            expected = []
            m = s.postings("stem", term)
            while m.is_active():
                expected.append((m.id(), m.value()))
                m.next()
            assert term_values("stem", term, Split(s, docs)) == expected
            assert term_values("stem", term, Split(s, docs[1::2])) == \
                [(d, v) for d, v in expected if d in set(docs[1::2])]


@pytest.mark.parametrize("where", ["sample", "segmented"])
def test_document_frequencies_are_whoosh_s(corpus_idx, segmented, where):
    """A version's document frequencies, summed from each segment's term statistics,
    are Whoosh's for every term of the text fields, asked as text or as bytes (a
    term's IDF asks in bytes), and for words no segment holds."""
    with contextlib.ExitStack() as opened:
        idx = corpus_idx if where == "sample" else opened.enter_context(NewsIndex.open(segmented))
        s = idx.searcher()
        whoosh = s.reader()
        checked = 0
        for field in ("stem", "exact", "title_stem", "kind", "actor", "place"):
            for tbytes in [*whoosh.lexicon(field), b"zzz-none"]:
                expected = whoosh.doc_frequency(field, tbytes)
                assert s.doc_frequency(field, tbytes) == expected, (field, tbytes)
                assert s.doc_frequency(field, tbytes.decode()) == expected, (field, tbytes)
                checked += expected > 0
        assert checked > 40


def assert_occurrences_count_positions(idx: NewsIndex, terms: list[str]) -> int:
    """A version's occurrences are its positions counted, read from the postings'
    weights instead. Returns how many are above one."""
    with idx.snapshot() as snap:
        docs = sorted(idx.searcher().docs_for_query(wq.Term("kind", "p")))
        wanted = frozenset((f, t) for f in ("stem", "title_stem") for t in terms)
        for every in (docs, docs[1::3]):
            counted = {d: {term: len(spots) for term, spots in held.items()}
                       for d, held in snap.positions(wanted, every).items()}
            assert snap.occurrences(wanted, every) == counted
        return sum(n > 1 for held in snap.occurrences(wanted, docs).values()
                   for n in held.values())


def test_occurrences_across_segments_and_deleted_documents(segmented):
    with NewsIndex.open(segmented) as idx:
        assert_occurrences_count_positions(idx, ["alep", "moscou", "bombard", "hopital", "zz"])


@pytest.mark.parametrize("prefix", ["a", "al", "bomb", "hopit", "mosc", "zz"])
@pytest.mark.parametrize("limit", [1, 2, 200])
def test_prefix_frequencies_are_whoosh_s_over_every_segment(segmented, prefix, limit):
    """A query word's related forms (``bombard`` → ``bombardement``) read each
    segment's term list once; what they find is Whoosh's merged list, each term with its
    summed document frequency, however many segments hold it."""
    with NewsIndex.open(segmented) as idx:
        s = idx.searcher()
        reader = s.reader()
        assert len(s.leaf_searchers()) > 1
        expected = [(t.decode(), reader.doc_frequency("stem", t)) for t in
                    itertools.islice(reader.expand_prefix("stem", prefix), limit)]
        assert prefix_frequencies(reader, "stem", prefix, limit) == expected
        assert prefix_frequencies(reader, "nope", prefix, limit) == []
    if prefix == "a" and limit == 200:  # words from several segments, one in all
        assert len(expected) > 1 and dict(expected)["alep"] > 2


@pytest.fixture(scope="module")
def real_news(tmp_path_factory, wikinews_fr) -> tuple[Path, list[dict]]:
    """300 real articles, indexed, and the articles."""
    articles = list(itertools.islice(wikinews_fr.values(), 300))
    path = tmp_path_factory.mktemp("news") / "index"
    with NewsIndex.create(path) as idx:
        idx.add_articles(Article.from_fields(**{k: r[k] for k in (
            "id", "title", "date", "source", "body", "lang")}) for r in articles)
    return path, articles


def test_the_same_top_documents_on_real_news(real_news):
    """Queries made of the articles' titles' words."""
    path, articles = real_news
    with NewsIndex.open(path) as idx:
        s = idx.searcher()
        for article in articles[::10]:
            words = [w for w in article["title"].split() if len(w) > 3][:3]
            for text in (" ".join(words), f'"{" ".join(words[:2])}"'):
                for q in compiled(idx, text, SearchOptions()):
                    got, _ = top_documents(s, q, 50)
                    assert_same(got, whoosh_top(s, q, 50))


PASTED = [
    # A lede pasted whole: many words, some rare, most common.
    "Les forces gouvernementales syriennes, soutenues par l'aviation russe, ont lancé "
    "une offensive contre les quartiers rebelles d'Alep, selon l'Observatoire syrien des "
    "droits de l'homme, tandis que Moscou et Washington discutent d'un cessez-le-feu.",
    "Sergueï Lavrov et John Kerry se sont retrouvés à Genève avec Staffan de Mistura "
    "pour parler de la trêve, des convois humanitaires et des hôpitaux bombardés.",
]


def assert_best_is_top(s, q, k):
    """best_documents' k best are top_documents', scores and ties at the cut included;
    it lists every match only when it scored them all. Returns whether it left some out."""
    expected, every = top_documents(s, q, k, tiebreak=lambda d: d)
    got, matching = best_documents(s, q, k, tiebreak=lambda d: d)
    assert got == expected  # the same floats: added in the same order
    if matching is not None:
        assert sorted(matching) == sorted(every)
    return matching is None


@pytest.mark.parametrize("k", [1, 3, 50])
@pytest.mark.parametrize("text", QUERIES + PASTED)
def test_best_documents_are_the_top_documents(corpus_idx, text, k):
    s = corpus_idx.searcher()
    for q in compiled(corpus_idx, text, SearchOptions()):
        assert_best_is_top(s, q, k)


def test_a_pasted_lede_leaves_documents_unscored(corpus_idx):
    """The point of best_documents: past the rare words, the common ones are read only
    for the documents that may still make the k best."""
    s = corpus_idx.searcher()
    left_out = [assert_best_is_top(s, q, 3) for text in PASTED
                for q in compiled(corpus_idx, text, SearchOptions())]
    assert any(left_out)


@pytest.mark.parametrize("text", ["Alep Moscou bombardements hôpitaux rebelles Damas",
                                  "Alep", "Paris OR Damas"])
def test_best_documents_across_segments_and_deleted_documents(segmented, text):
    with NewsIndex.open(segmented) as idx:
        s = idx.searcher()
        for q in compiled(idx, text, SearchOptions()):
            for k in (1, 2, 10):
                assert_best_is_top(s, q, k)


def test_best_documents_on_real_news(real_news):
    """Each query is the first 40 words of one of the articles, pasted."""
    path, articles = real_news
    with NewsIndex.open(path) as idx:
        s = idx.searcher()
        left_out = [assert_best_is_top(s, q, k)
                    for article in articles[::15]
                    for q in compiled(idx, " ".join(article["body"].split()[:40]),
                                      SearchOptions())
                    for k in (5, 50)]
    assert sum(left_out) > len(left_out) / 2


def test_occurrences_on_real_news(real_news):
    """Lists of several blocks, some with frequencies above one."""
    path, _ = real_news
    with NewsIndex.open(path) as idx:
        assert assert_occurrences_count_positions(
            idx, ["le", "franc", "gouvern", "president", "an"]) > 10


# -- long posting lists read whole, for a pasted text (indexer.store.arrays) --------


@pytest.fixture
def whole_lists(monkeypatch) -> list[int]:
    """Every list read whole when asked, however short (the test indexes are small), from
    an empty cache, and every pasted text's search asks (it is not the process's first);
    each list decoded whole, into the arrays or for MaxScore over arrays, is counted in
    the list returned."""
    monkeypatch.setattr(evaluate, "ARRAY_MIN_POSTINGS", 1)
    monkeypatch.setattr(embedded_version, "_pasted_searches", 1)
    monkeypatch.setattr(arrays, "_cache", {})
    monkeypatch.setattr(arrays, "_size", 0)
    decoded: list[int] = []
    into_arrays = arrays.whole
    for_maxscore = evaluate._Segment.every_posting

    def counted(postings):
        found = into_arrays(postings)
        decoded.append(len(found[0]))
        return found

    def counted_too(self, postings):
        found = for_maxscore(self, postings)
        decoded.append(len(found[0]))
        return found

    monkeypatch.setattr(arrays, "whole", counted)
    monkeypatch.setattr(evaluate._Segment, "every_posting", counted_too)
    return decoded


def test_whole_lists_hold_what_their_blocks_hold(real_news, segmented, whole_lists):
    """The same ids and weights, deleted documents included, for every kind of
    ``within``: none, a few documents, all of them, none at all."""
    rng = random.Random(7)
    for path in (real_news[0], segmented):
        with NewsIndex.open(path) as idx:
            for sub, _ in idx.searcher().leaf_searchers():
                reader = sub.reader()
                n = reader.doc_count_all()
                for field in ("stem", "exact", "title_stem"):
                    terms = sorted(reader.lexicon(field), key=lambda t, f=field:
                                   -reader.doc_frequency(f, t))
                    for text in terms[:25] + rng.sample(terms, min(25, len(terms))):
                        for within in (None, set(rng.sample(range(n), min(n, 40))),
                                       set(range(n)), set()):
                            by_blocks, read_whole = (
                                evaluate._read(lookup(reader, field, text)[2], within,
                                               weights=True, whole=whole)
                                for whole in (False, True))
                            assert read_whole == by_blocks
    assert whole_lists and max(whole_lists) > 128  # lists of several blocks among them


def test_lists_decoded_in_numpy_are_the_blocks_postings(real_news, segmented):
    """:func:`arrays.decode` gives every list the ids and weights its blocks give, in
    every field a pasted text's search reads whole, the longest lists included."""
    longest = 0
    for path in (real_news[0], segmented):
        with NewsIndex.open(path) as idx:
            for sub, _ in idx.searcher().leaf_searchers():
                reader = sub.reader()
                for field in ("stem", "exact", "title_stem", "kind"):
                    for text in reader.lexicon(field):
                        if not hasattr(lookup(reader, field, text)[2], "_read_ids"):
                            continue  # inlined in the term dictionary: no blocks
                        ids, weights = lookup(reader, field, text)[2].every(weights=True)
                        got_ids, got_weights = arrays.decode(lookup(reader, field, text)[2])
                        assert got_ids.tolist() == ids
                        assert got_weights.tolist() == [float(w) for w in
                                                        array("f", weights)]
                        longest = max(longest, len(ids))
    assert longest > 3 * 128  # lists of several blocks among them


def test_terms_read_over_the_version_give_the_blocks_frequencies(real_segments, segmented,
                                                                 whole_lists):
    """Once a pasted text's search has read a term over all the version's segments
    (:class:`whole.Joined`), its candidates' frequencies come from there: the same as the
    blocks give."""
    from indexer.search.embedded import whole

    rng = random.Random(5)
    for path in (real_segments, segmented):
        with NewsIndex.open(path) as idx:
            s = idx.searcher()
            n = s.doc_count_all()
            joined = whole.Joined(s, [(evaluate._Segment(s, sub, True), offset)
                                      for sub, offset in s.leaf_searchers()])
            for field in ("stem", "title_stem"):
                terms = sorted(s.lexicon(field), key=lambda t, f=field: -s.doc_frequency(f, t))
                for text in [*terms[:10], *rng.sample(terms, min(20, len(terms))), "zzz"]:
                    for docs in (sorted(rng.sample(range(n), min(n, 30))), list(range(n))):
                        docs = [d for d in docs if not s.reader().is_deleted(d)]
                        frequencies = evaluate.term_frequencies(field, text, Split(s, docs))
                        joined.term(field, text)
                        split = Split(s, docs, whole=True)
                        assert split.joined(field, text) is not None
                        assert evaluate.term_frequencies(field, text, split) == frequencies


def test_a_version_keeps_the_terms_read_last_when_full(monkeypatch):
    """The terms a version's pasted texts read are kept up to ``JOINED_POSTINGS``
    postings; past it, those read least recently go, down to nine tenths, so the common
    words every search reads stay."""
    import numpy as np

    from indexer.search.embedded import whole

    monkeypatch.setattr(whole, "JOINED_POSTINGS", 100)

    def listed(n):
        return np.arange(n), np.ones(n, dtype=np.float32), np.ones(n)

    kept = whole.ReadTerms()
    for text, n in [("le", 20), ("guerre", 40), ("alep", 10), ("rebelle", 20)]:
        kept.put("stem", text, listed(n))
    assert kept.size == 90
    assert kept.get("stem", "le") is not None  # read again: the last to go now
    assert kept.get("title_stem", "le") is None  # another field, another term
    kept.put("stem", "offensive", listed(20))  # 110 > 100: down to 90 with it
    assert [t for t in ("le", "guerre", "alep", "rebelle", "offensive")
            if kept.get("stem", t) is not None] == ["le", "alep", "rebelle", "offensive"]
    assert kept.size == 70
    kept.put("stem", "syrie", listed(30))  # 100: it fits, and nothing goes
    assert kept.size == 100
    kept.put("stem", "kerry", listed(5))  # 105: the least recent go until it fits in 90
    assert [t for t in ("le", "alep", "rebelle", "offensive", "syrie", "kerry")
            if kept.get("stem", t) is not None] == ["alep", "rebelle", "offensive", "syrie",
                                                    "kerry"]
    assert kept.size == 85


def test_words_no_segment_holds_are_kept_within_the_cap(monkeypatch):
    """A word the version does not hold costs a posting in the kept terms: a process
    searching a small index for ever new unknown words keeps a bounded number."""
    from indexer.search.embedded import whole

    monkeypatch.setattr(whole, "JOINED_POSTINGS", 100)
    kept = whole.ReadTerms()
    for n in range(1000):
        kept.put("stem", f"inconnu{n}", whole._UNHELD)
    assert len(kept.terms) == kept.size <= 100
    last = kept.get("stem", "inconnu999")  # the last read stay
    assert last is not None and all(map(operator.is_, last, whole._UNHELD))
    assert kept.get("stem", "inconnu0") is None
    # Strings and arrays: a full garbage collection never walks the terms a version keeps.
    assert not any(map(gc.is_tracked, (kept.terms, kept.weights, kept.scores)))


@pytest.mark.parametrize("k", [1, 5, 50])
def test_the_best_documents_of_whole_lists_are_the_top_documents(real_news, real_segments,
                                                                 segmented, whole_lists, k):
    """The same floats, added in the same order, ties at the cut included, whether
    MaxScore left documents unscored or not (:mod:`indexer.search.embedded.whole`)."""
    path, articles = real_news
    pruned = 0
    ledes = [" ".join(a["body"].split()[:40]) for a in articles[::30]]
    for where, texts in ((path, ledes), (real_segments, ledes), (segmented, PASTED)):
        with NewsIndex.open(where) as idx:
            s = idx.searcher()
            for text in texts:
                for q in compiled(idx, text, SearchOptions()):
                    expected, every = top_documents(s, q, k, tiebreak=lambda d: d)
                    got, known = best_documents(s, q, k, tiebreak=lambda d: d, whole=True)
                    assert got == expected
                    if known is None:
                        pruned += 1
                    else:
                        assert sorted(known) == sorted(every)
    assert whole_lists
    assert pruned > 0  # documents left unscored


@pytest.mark.parametrize("k", [1, 10])
def test_filters_and_exclusions_are_read_over_arrays(real_news, real_segments, segmented,
                                                     whole_lists, monkeypatch, k):
    """A pasted text with option filters (dates, places, a language) or excluded words
    (``-"…"``, as a whole article pasted may hold) is read by MaxScore over arrays too,
    within the documents they leave: the same k best, the same floats, ties at the cut
    included, and every match when none was left unscored."""
    from indexer.search.embedded import whole

    ran: list[int] = []
    best = whole.best

    def counted(*args, **kwargs):
        ran.append(1)
        return best(*args, **kwargs)

    monkeypatch.setattr(whole, "best", counted)
    articles = real_news[1]
    dates = sorted(a["date"] for a in articles)
    news_options = [SearchOptions(since=dates[len(dates) // 2]),
                    SearchOptions(until=dates[len(dates) // 3], lang=("fr",)),
                    SearchOptions(places=("France",))]
    # Without brackets, which would open a group that the exclusion would end in.
    ledes = [" ".join(a["body"].translate({40: None, 41: None}).split()[:40])
             for a in articles[::40]]
    pruned = 0
    for where, texts, options in ((real_segments, ledes, news_options),
                                  (segmented, PASTED, OPTIONS[1:])):
        with NewsIndex.open(where) as idx:
            s = idx.searcher()
            for text, extra, opts in itertools.product(
                    texts, ["", ' NOT "le président"', " NOT Alep"], [SearchOptions(), *options]):
                if not extra and opts == SearchOptions():
                    continue  # neither: the test above
                for q in compiled(idx, text + extra, opts):
                    assert isinstance(q, (wq.And, wq.AndNot))
                    expected, every = top_documents(s, q, k, tiebreak=lambda d: d)
                    ran.clear()
                    got, known = best_documents(s, q, k, tiebreak=lambda d: d, whole=True)
                    assert ran  # over arrays, not segment by segment
                    assert got == expected
                    if known is None:
                        pruned += 1
                    else:
                        assert sorted(known) == sorted(every)
    assert pruned > 0


@pytest.fixture(scope="module")
def real_segments(tmp_path_factory, real_news) -> Path:
    """The same 300 real articles in three segments, unmerged."""
    articles = real_news[1]
    path = tmp_path_factory.mktemp("news-segments") / "index"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(indexer.store.segment, "MERGE_CAP", 0)
        with NewsIndex.create(path) as idx:
            for batch in (articles[:100], articles[100:200], articles[200:]):
                idx.add_articles(Article.from_fields(**{k: r[k] for k in (
                    "id", "title", "date", "source", "body", "lang")}) for r in batch)
    return path


def test_a_pasted_text_reads_a_version_s_segments_as_one(real_news, real_segments,
                                                         whole_lists, monkeypatch):
    """Over arrays, MaxScore runs once over the version's three segments, each term's
    scores read end to end from all of them (:class:`whole.Joined`), rather than once
    per segment: the same k best, the same floats, as the segments read one by one."""
    from indexer.search.embedded import whole

    sizes: list[int] = []
    best = whole.best

    def counted(segment, *args, **kwargs):
        sizes.append(segment.size)
        return best(segment, *args, **kwargs)

    monkeypatch.setattr(whole, "best", counted)
    texts = [" ".join(a["body"].split()[:40]) for a in real_news[1][::15]]
    joined = False
    with NewsIndex.open(real_segments) as idx:
        s = idx.searcher()
        assert len(s.leaf_searchers()) == 3
        for text in texts:
            for q in compiled(idx, text, SearchOptions()):
                for k in (1, 10):
                    sizes.clear()
                    got = best_documents(s, q, k, tiebreak=lambda d: d, whole=True)[0]
                    assert got == best_documents(s, q, k, tiebreak=lambda d: d)[0]
                    assert sizes in ([], [s.doc_count_all()])
                    if sizes:
                        joined = True
    assert joined


def test_a_pasted_text_s_names_are_read_as_phrases_over_arrays(segmented, whole_lists,
                                                              monkeypatch):
    """A quote in a pasted lede is a phrase: read over arrays, word by word within the
    documents of the words before, with the scores the dictionaries give, and never
    through the dictionaries' phrase reading."""
    def nodes(q):
        yield q
        for child in q.children():
            yield from nodes(child)

    with NewsIndex.open(segmented) as idx:
        s = idx.searcher()
        quoted = ('Sergueï Lavrov a dénoncé "l\'offensive rebelle" sur Alep avant de '
                  "retrouver John Kerry à Genève pour parler de la trêve et des convois.")
        queries = compiled(idx, quoted, SearchOptions())
        expected = [top_documents(s, q, 5, tiebreak=lambda d: d)[0] for q in queries]
        asked = []
        monkeypatch.setattr(evaluate._Segment, "_phrase",
                            lambda self, q, within: asked.append(q))
        got = [best_documents(s, q, 5, tiebreak=lambda d: d, whole=True)[0]
               for q in queries]
    assert got == expected
    assert any(isinstance(n, (wq.Phrase, wq.Sequence)) for q in queries for n in nodes(q))
    assert not asked


def test_a_version_checks_a_phrase_in_a_document_once(real_news, whole_lists, monkeypatch):
    """Pasted ledes hold phrases (compounds, names). Searched again in the same version,
    they read no positions: each document's verdict on each phrase is kept. The hits
    are those found with nothing kept, and with a budget so small that verdicts go."""
    from indexer.search.embedded import whole

    path, articles = real_news
    texts = [" ".join(a["body"].split()[:40]) for a in articles[::20]]
    read: list[int] = []
    positions = whole.Joined.positions

    def counted(self, field, word, docs):
        read.append(len(docs))
        return positions(self, field, word, docs)

    monkeypatch.setattr(whole.Joined, "positions", counted)

    def hits(rounds: int = 1) -> list[list[tuple]]:
        with NewsIndex.open(path) as idx:
            found = [[(h.article_id, h.score, h.passage, h.highlights) for h in idx.search(t)]
                     for t in texts * rounds]
            kept = idx.searcher()._depeches_phrases
            assert kept.size == sum(map(len, kept.columns[0].values()))
            return found

    def reads(rounds: int) -> tuple[list[list[tuple]], int]:
        del read[:]
        return hits(rounds), sum(read)

    (once, first), (twice, both) = reads(1), reads(2)
    assert first > 0
    assert both == first  # the second round read no positions
    assert twice == once * 2
    take, keep = whole.PhraseVerdicts.take, whole.PhraseVerdicts.keep
    monkeypatch.setattr(whole.PhraseVerdicts, "take", lambda self, key: None)
    monkeypatch.setattr(whole.PhraseVerdicts, "keep", lambda self, key, found: None)
    unkept, again = reads(2)
    assert unkept == twice
    assert again >= 2 * first  # each round read every document again
    monkeypatch.setattr(whole.PhraseVerdicts, "take", take)
    monkeypatch.setattr(whole.PhraseVerdicts, "keep", keep)
    monkeypatch.setattr(whole, "PHRASE_DOCS", 5)
    assert reads(2)[0] == twice


def test_a_pasted_text_finds_the_same_hits_from_whole_lists(real_news, whole_lists,
                                                           monkeypatch):
    """Ledes of 40 words: the same articles, scores, passages and highlights, with
    caches so small that they let go of what they hold over and over."""
    from indexer.search.embedded import whole

    path, articles = real_news
    texts = [" ".join(a["body"].split()[:40]) for a in articles[::20]]

    def hits() -> list[list[tuple]]:
        with NewsIndex.open(path) as idx:
            return [[(h.article_id, h.score, h.passage, h.highlights) for h in idx.search(t)]
                    for t in texts]

    with_arrays = hits()
    assert whole_lists
    monkeypatch.setattr(arrays, "CACHE_POSTINGS", 300)
    monkeypatch.setattr(whole, "JOINED_POSTINGS", 300)
    assert hits() == with_arrays
    assert arrays._size <= 300 or len(arrays._cache) == 1
    # And as a typed search reads: block by block, into dictionaries (not whole.best).
    compile_ = embedded_version.EmbeddedVersion.compile

    def by_blocks(self, tree, opts):
        comp = compile_(self, tree, opts)
        comp.whole = False
        return comp

    monkeypatch.setattr(embedded_version.EmbeddedVersion, "compile", by_blocks)
    over_arrays: list[int] = []  # MaxScore's runs over arrays (leads read whole lists still)
    best = whole.best
    monkeypatch.setattr(whole, "best", lambda *a: over_arrays.append(1) or best(*a))
    assert hits() == with_arrays
    assert not over_arrays


def test_numpy_comes_with_a_pasted_text_whose_articles_are_scored_whole(corpus_index):
    """Not with a typed search: its import would cost it more than whole lists save. A
    pasted text of 8 words or more has every article scored (its leads: see
    ``indexer.search.embedded.leads``), the first one of a process (a one-shot ``depeches
    search``) too, so that a search ranks the same in every process."""
    code = f"""
import sys
import indexer.search.embedded.evaluate as evaluate
from indexer import NewsIndex
evaluate.ARRAY_MIN_POSTINGS = 1  # the sample's lists are short
idx = NewsIndex.open(sys.argv[1])
for text in ("offensive Alep", {PASTED[0]!r}, "Moscou", {PASTED[1]!r}):
    idx.search(text)
    print("numpy" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", code, str(corpus_index)],
                          capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True", "True", "True"]


def test_a_process_first_lede_reads_its_lists_whole(corpus_index):
    """Its leads read the lists whole, so its MaxScore does too rather than decode the
    same lists a second time, blocks apart; a pasted text too short for leads keeps
    the block reader, and numpy stays out."""
    code = """
import sys
import indexer.search.embedded.version as version
from indexer import NewsIndex
read_whole = []
compile_ = version.EmbeddedVersion.compile
def compile(self, tree, opts):
    comp = compile_(self, tree, opts)
    read_whole.append(comp.whole)
    return comp
version.EmbeddedVersion.compile = compile
idx = NewsIndex.open(sys.argv[1])
idx.search(sys.argv[2])
print(read_whole[0], "numpy" in sys.modules)
"""
    short = "le chat de la voisine est sur le toit de la maison ce matin"
    assert len(short.split()) > TYPED_MAX_WORDS
    seen = [subprocess.run([sys.executable, "-c", code, str(corpus_index), text],
                           capture_output=True, text=True, check=True).stdout.split()
            for text in (PASTED[0], short)]
    assert seen == [["True", "True"], ["False", "False"]]
