"""Whoosh 2.7.4's top-k skipping must never loop for ever."""

from __future__ import annotations

import signal

import pytest
from whoosh.matching import AndMaybeMatcher, AndNotMatcher, ListMatcher, UnionMatcher

from indexer.store.whoosh_fixes import apply


class Stuck(ListMatcher):
    """Postings whose blocks cannot be skipped: the case that hung a real search."""

    def supports_block_quality(self):
        return True

    def block_quality(self):
        return 1.0

    def max_quality(self):
        return 1.0

    def skip_to_quality(self, minquality):
        return 0


@pytest.fixture
def deadline():
    def fail(*_):
        raise TimeoutError("skip_to_quality looped")

    old = signal.signal(signal.SIGALRM, fail)
    signal.alarm(5)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("kind", [UnionMatcher, AndMaybeMatcher])
def test_a_skip_that_cannot_move_returns(kind, deadline):
    apply()
    m = kind(Stuck([1, 5, 9]), Stuck([2, 5, 7]))
    assert m.skip_to_quality(10.0) == 0  # asked for more than both can give
    assert m.is_active() and m.id() in (1, 2)  # nothing lost: postings are read one by one


# What each patch replaces, as it was written for: Whoosh's own member, hashed. A Whoosh
# whose member changed may no longer need the patch, or need another: look before
# updating a digest.
REPLACED_SOURCES = {
    "UnionMatcher.skip_to_quality": "7d6cbb977ec47efd",
    "AndMaybeMatcher.skip_to_quality": "26ddb1d1c103eb32",
    "AndMaybeMatcher.skip_to": "368654204d096219",
    "AndNotMatcher._find_first": "3c4a8ac6e5f377e8",
}


def test_the_patches_replace_what_they_were_written_for(corpus_idx):
    import hashlib
    import inspect

    from indexer.store.whoosh_fixes import REPLACED

    corpus_idx.searcher()
    digests = {name: hashlib.sha256(inspect.getsource(member).encode()).hexdigest()[:16]
               for name, member in REPLACED.items()}
    assert digests == REPLACED_SOURCES


def test_opening_a_searcher_applies_the_fix(corpus_idx):
    from whoosh.matching import binary

    corpus_idx.searcher()
    assert binary.UnionMatcher.skip_to_quality.__module__ == "indexer.store.whoosh_fixes"
    assert binary.AndMaybeMatcher.skip_to_quality.__module__ == "indexer.store.whoosh_fixes"



def test_field_lengths_read_once_agree_with_whoosh(tmp_path):
    """The length lookup that reads a column once answers as Whoosh's per-call reads do."""
    from whoosh import fields, index
    from whoosh.codec.whoosh3 import W3PerDocReader

    from indexer.store.reading import PerDocReader
    from indexer.store.schema import codec

    schema = fields.Schema(body=fields.TEXT(), tag=fields.KEYWORD(scorable=True))
    ix = index.create_in(str(tmp_path), schema)
    with ix.writer(codec=codec()) as w:
        w.add_document(body="un deux trois", tag="a")
        w.add_document(tag="b")  # no body: Whoosh answers None
        w.add_document(body=" ".join(["mot"] * 300), tag="c d")
    with ix.reader() as reader:
        perdoc = reader._perdoc
        assert type(perdoc) is PerDocReader  # the codec chose it: no patch
        asked = [(d, f) for d in range(3) for f in ("body", "tag", "absent")]
        ours = [perdoc.doc_field_length(d, f) for d, f in asked]
        original = [W3PerDocReader.doc_field_length(perdoc, d, f) for d, f in asked]
    assert ours == original
    assert ours[:6] == [3, 1, 0, None, 1, 0]


def test_field_lengths_agree_over_segments_deletions_and_missing_columns(tmp_path):
    """Every segment of a multi-segment index, with deleted documents, a field only one
    segment has, and docnum at the column's end: answers as Whoosh's own reads."""
    from whoosh import fields, index
    from whoosh.codec.whoosh3 import W3PerDocReader

    from indexer.store.schema import codec

    schema = fields.Schema(id=fields.ID(unique=True), body=fields.TEXT(), rare=fields.TEXT())
    ix = index.create_in(str(tmp_path), schema)
    for seg in range(3):
        with ix.writer(codec=codec()) as w:
            w.merge = False
            for i in range(40):
                n = seg * 40 + i
                doc = {"id": str(n), "body": " ".join(["mot"] * (n % 9 + n * 7 % 300))}
                if seg == 2 and i < 3:
                    doc["rare"] = "un deux"  # the rare column stops after docnum 2
                w.add_document(**doc)
    with ix.writer(codec=codec()) as w:
        w.merge = False
        for n in range(0, 120, 7):
            w.delete_by_term("id", str(n))
    with ix.reader() as reader:
        leaves = [leaf._perdoc for leaf, _ in reader.leaf_readers()]
        assert len(leaves) == 3 and reader.has_deletions()
        for perdoc in leaves:
            asked = [(d, f) for d in range(perdoc.doc_count_all() + 1)
                     for f in ("body", "rare", "absent")]
            ours = [perdoc.doc_field_length(d, f) for d, f in asked]
            original = [W3PerDocReader.doc_field_length(perdoc, d, f) for d, f in asked]
            assert ours == original
            with pytest.raises(IndexError):
                perdoc.doc_field_length(perdoc.doc_count_all() + 1, "body")


def test_searching_does_not_load_urllib_request():
    """whoosh.compat's unused download helper must not cost a cold search its import."""
    import subprocess
    import sys

    code = ("import sys, indexer.search, indexer.index; "
            "print('urllib.request' in sys.modules, 'multiprocessing' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_a_constant_score_query_skips_along_with_its_child(tmp_path):
    """The lazy constant-score matcher yields its child's documents, each with its score."""
    from whoosh import fields, index
    from whoosh.query import Term

    from indexer.search.embedded.constant import ConstantScoreQuery

    ix = index.create_in(str(tmp_path), fields.Schema(body=fields.TEXT()))
    with ix.writer() as w:
        for i in range(300):
            w.add_document(body="alep" if i % 7 == 0 else "autre chose")
    with ix.searcher() as s:
        q = ConstantScoreQuery(Term("body", "alep"), 0.5)
        assert list(q.matcher(s).all_ids()) == [d for d in range(300) if d % 7 == 0]
        m = q.matcher(s)
        m.skip_to(100)
        assert (m.id(), m.score()) == (105, 0.5)
        assert not isinstance(m, type(Term("body", "alep").matcher(s)))  # no list of all ids


def test_a_filter_adds_nothing_to_the_score(corpus_idx):
    """A filter that keeps every hit leaves scores as they were (Whoosh 2.7.4's list
    matcher gave each filtered document 1.0, as its weight 0.0 read as 'none')."""
    plain = corpus_idx.search("Alep", limit=5)
    filtered = corpus_idx.search("Alep", limit=5, lang="fr")
    assert [(h.article_id, h.score) for h in filtered] == [(h.article_id, h.score) for h in plain]
    assert len(plain) > 0


def test_term_lookups_remembered_agree_with_whoosh(tmp_path):
    """A segment's remembered term entries answer as Whoosh's reads of its hash table,
    for present and absent terms, and a commit's new terms are seen by a new reader."""
    from whoosh import fields, index
    from whoosh.reading import TermNotFound

    from indexer.store.schema import codec
    from indexer.store.terms import TermInfo, TermsReader

    schema = fields.Schema(body=fields.TEXT(), tag=fields.KEYWORD(scorable=True))
    ix = index.create_in(str(tmp_path), schema)
    with ix.writer(codec=codec()) as w:
        w.add_document(body="alep alep damas", tag="a")
        w.add_document(body="alep moscou", tag="b")
    asked = [("body", b"alep"), ("body", b"damas"), ("body", b"absent"), ("tag", b"a"),
             ("nofield", b"alep")]
    with ix.reader() as reader:
        terms = reader._terms
        assert type(terms) is TermsReader  # the codec chose it: no patch
        for _ in range(2):  # the second pass answers from what the first read
            for field, text in asked:
                key = terms._keycoder(field, text)
                present = key in terms._tindex
                assert ((field, text) in terms) is present
                if present:
                    raw = TermInfo.from_bytes(terms._tindex[key])
                    info = terms.term_info(field, text)
                    assert (info.doc_frequency(), info.weight(), info.max_weight()) == \
                        (raw.doc_frequency(), raw.weight(), raw.max_weight())
                    assert terms.doc_frequency(field, text) == raw.doc_frequency()
                    assert terms.frequency(field, text) == raw.weight()
                else:
                    with pytest.raises(TermNotFound):  # as Whoosh's own
                        terms.term_info(field, text)
                    if field in schema:
                        assert reader.doc_frequency(field, text) == 0
        assert reader.doc_frequency("body", "alep") == 2
    with ix.writer(codec=codec()) as w:
        w.add_document(body="absent alep")
    with ix.reader() as reader:
        assert reader.doc_frequency("body", "absent") == 1
        assert reader.doc_frequency("body", "alep") == 3


def test_and_maybe_skip_keeps_the_optional_score(deadline):
    """After a skip past the target, the optional side stands on the required side's
    document, so that document keeps its optional score."""
    apply()
    m = AndMaybeMatcher(ListMatcher([1, 8], [1.0, 1.0]), ListMatcher([1, 3, 8], [2.0] * 3))
    m.skip_to(3)  # required goes to 8; the optional side must not stay on 3
    assert (m.id(), m.score()) == (8, 3.0)


def test_and_not_leaves_out_a_first_document_the_excluded_side_reaches_later():
    """The excluded side starts before the first document and holds it: Whoosh 2.7.4
    let it through (met answering "Moscou NOT place:Alep" over three segments)."""
    apply()
    m = AndNotMatcher(ListMatcher([3, 5]), ListMatcher([2, 3]))
    assert list(m.all_ids()) == [5]


def test_maybe_scores_as_the_or_and_form(tmp_path):
    """Maybe(a, b) gives each document of a the score Or([a, And([0 × a, b])]) gives it."""
    from whoosh import fields, index
    from whoosh.query import And, Or, Term

    from indexer.search.embedded.constant import ConstantScoreQuery
    from indexer.search.embedded.maybe import Maybe

    apply()
    ix = index.create_in(str(tmp_path), fields.Schema(body=fields.TEXT()))
    with ix.writer() as w:
        for i in range(400):
            words = ["alep"] * (i % 3 == 0) + ["damas"] * (i % 5 == 0) + ["moscou"] * (i % 4)
            w.add_document(body=" ".join(words) or "autre")
    a, b = Or([Term("body", "alep"), Term("body", "moscou")]), Term("body", "damas")
    with ix.searcher() as s:
        maybe = {h.docnum: h.score for h in s.search(Maybe(a, b), limit=None)}
        old = {h.docnum: h.score for h in s.search(
            Or([a, And([ConstantScoreQuery(a, 0.0), b])]), limit=None)}
        top = [(h.docnum, h.score) for h in s.search(Maybe(a, b), limit=20)]
    assert maybe == old
    assert top == sorted(maybe.items(), key=lambda kv: (-kv[1], kv[0]))[:20]


def test_searching_does_not_load_english_morphology(corpus_index):
    """whoosh.query's Variations, which we never build, must not cost a process's first
    search the English morphology it compiles at import; called, it still works."""
    import subprocess
    import sys

    code = ("import sys; from indexer import NewsIndex\n"
            f"with NewsIndex.open({str(corpus_index)!r}) as idx: idx.search('Alep', limit=1)\n"
            "print('whoosh.lang.morph_en' in sys.modules)\n"
            "from whoosh.query.terms import variations\n"
            "print('runs' in variations('run'), 'whoosh.lang.morph_en' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True", "True"]


def test_idfs_kept_by_a_searcher_are_whooshs_and_never_walked_by_the_collector(tmp_path):
    """A version's searcher keeps its terms' IDFs under strings or bytes: the same numbers
    as Whoosh's own searcher, shared with its segments' searchers, and a dict that a full
    garbage collection never walks however many terms the process reads."""
    import gc

    from whoosh import fields, index, scoring

    from indexer.store.reading import keyed_searcher
    from indexer.store.schema import codec

    ix = index.create_in(str(tmp_path), fields.Schema(body=fields.TEXT()))
    for text in ("alep alep damas", "alep moscou", "damas genève"):  # three segments
        with ix.writer(codec=codec()) as w:
            w.add_document(body=text)
    asked = [("body", "alep"), ("body", b"damas"), ("body", "absent")]
    with ix.searcher(weighting=scoring.BM25F()) as whooshs, \
            keyed_searcher(ix, scoring.BM25F()) as ours:
        assert len(ours.subsearchers) == 3
        for field, text in asked * 2:
            assert ours.idf(field, text) == whooshs.idf(field, text)
        assert ours.subsearchers[0][0].idf("body", "moscou") == whooshs.idf("body", "moscou")
        assert len(ours._idf_cache) == 4 and not gc.is_tracked(ours._idf_cache)
