"""The bulk segment writer writes the files Whoosh's own ``add_document`` path writes."""

from __future__ import annotations

import gc
import itertools
from pathlib import Path

import pytest
from conftest import CORPUS
from whoosh import index as windex
from whoosh.analysis import StemmingAnalyzer
from whoosh.codec.base import Segment
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.writing import NO_MERGE, OPTIMIZE, SegmentWriter

from indexer import Article
from indexer.pipeline.prepare import prepare_article
from indexer.pipeline.sources import read_articles
from indexer.store.schema import build_schema, codec
from indexer.store.segment import BulkWriter, index_document
from indexer.store.whoosh_fixes import apply

_monkeypatch: pytest.MonkeyPatch | None = None


@pytest.fixture(autouse=True)
def _fixes(monkeypatch: pytest.MonkeyPatch) -> None:
    global _monkeypatch
    _monkeypatch = monkeypatch
    apply()  # the codec inlines short posting lists, which needs the fix


def number_segments() -> None:
    # Whoosh names segments at random: numbered instead, two indexes written the
    # same way have the same file names and tables of contents.
    counter = itertools.count()
    assert _monkeypatch is not None
    _monkeypatch.setattr(Segment, "_random_id",
                         classmethod(lambda cls, size=16: f"{next(counter):016d}"))


def write(path: Path, schema: Schema, batches: list[list[dict]], *, bulk: bool,
          whoosh_docs: frozenset[int] = frozenset()) -> dict[str, bytes]:
    """Write ``batches`` (one commit each) with Whoosh's add_document or in bulk; give back
    every file of the index. Documents numbered in ``whoosh_docs`` go through
    add_document even in bulk."""
    number_segments()
    path.mkdir()
    ix = windex.create_in(str(path), schema, indexname="MAIN")
    n = 0
    for batch in batches:
        cls = BulkWriter if bulk else SegmentWriter
        w = cls(ix, compound=False, codec=codec())
        for doc in batch:
            if bulk and n not in whoosh_docs:
                w.add_indexed(index_document(ix.schema, doc))
            else:
                w.add_document(**doc)
            n += 1
        w.commit()
    # Checksums are ours, not Whoosh's: the files they cover are what is compared.
    return {p.name: p.read_bytes() for p in sorted(path.iterdir())
            if p.name != "MAIN_WRITELOCK" and p.suffix not in (".sums", ".pages")}


def assert_same_files(tmp_path: Path, schema: Schema, batches: list[list[dict]],
                      toc: bool = True, **kwargs: frozenset[int]) -> None:
    """The same files in bulk as through Whoosh (the tables of contents only if ``toc``)."""
    expected = write(tmp_path / "whoosh", schema, batches, bulk=False)
    got = write(tmp_path / "bulk", schema, batches, bulk=True, **kwargs)
    assert got.keys() == expected.keys()
    for name in expected:
        if toc or not name.endswith(".toc"):
            assert got[name] == expected[name], name


def corpus_docs() -> list[dict]:
    docs = []
    for article in read_articles([CORPUS]):
        assert isinstance(article, Article)
        prep = prepare_article(article)
        docs += [prep.article_doc, *prep.passage_docs]
    return docs


def test_the_sample_corpus_is_written_byte_for_byte_as_whoosh_writes_it(tmp_path) -> None:
    docs = corpus_docs()
    assert len(docs) > 100
    assert_same_files(tmp_path, build_schema(), [docs])


def test_documents_added_either_way_in_one_segment_are_written_as_whoosh_does(tmp_path) -> None:
    # A document through add_document sends the whole commit down Whoosh's pool.
    docs = corpus_docs()[:60]
    assert_same_files(tmp_path, build_schema(), [docs], whoosh_docs=frozenset({5, 17}))


def test_a_commit_that_merges_small_segments_writes_what_whoosh_writes(tmp_path) -> None:
    # Whoosh merges small segments once there are more than four.
    docs = corpus_docs()[:21]
    batches = [docs[i:i + 3] for i in range(0, len(docs), 3)]
    # The same segment files; the tables of contents differ in the merged segment's
    # field length sums, which Whoosh rounds and we keep exact.
    assert_same_files(tmp_path, build_schema(), batches, toc=False)
    segments = {p.name.split(".")[0] for p in (tmp_path / "bulk").iterdir()
                if p.name.startswith("MAIN_0")}
    assert len(segments) < len(batches), segments
    write(tmp_path / "once", build_schema(), [docs], bulk=True)

    def lengths(name: str) -> dict[str, int]:
        ix = windex.open_dir(str(tmp_path / name), indexname="MAIN")
        with ix.reader() as r:
            return {f: r.field_length(f) for f in ix.schema.scorable_names()}

    assert lengths("bulk") == lengths("once")  # as if written at once
    assert lengths("whoosh") != lengths("once")  # Whoosh's rounded sums


def long_lists() -> list[dict]:
    """Posting lists of 1, 127, 128, 129, 256 and 300 documents (blocks are 128 long),
    lengths past what a length byte holds exactly, and positions past 65,535."""
    docs = []
    for i in range(300):
        words = [w for w, n in [("un", 1), ("a", 127), ("b", 128), ("c", 129), ("d", 256),
                                ("e", 300)] if i < n]
        words += ["rempli"] * (i * 7 % 50) + [f"mot{i % 13}"] * (i % 3)
        if i == 42:
            words += ["loin"] * 70_000 + ["proche"]
        docs.append({"kind": "p", "article_id": f"x{i}", "stem": " ".join(words),
                     "exact": " ".join(reversed(words)), "actor": f"k{i % 5},k{i % 7}",
                     "record": b"r%d" % i})
    return docs


def test_long_posting_lists_are_cut_into_the_same_blocks(tmp_path) -> None:
    assert_same_files(tmp_path, build_schema(), [long_lists()])


def test_merging_segments_with_deleted_documents_writes_what_whoosh_writes(tmp_path) -> None:
    # Merged postings go into the new segment a block at a time, not through Whoosh's
    # pool: the same files, with long lists cut across the merged segments' blocks and
    # the deleted documents' postings dropped.
    docs = long_lists()
    batches = [docs[i:i + 60] for i in range(0, len(docs), 60)]

    def merged(name: str, cls: type) -> dict[str, bytes]:
        number_segments()
        path = tmp_path / name
        path.mkdir()
        ix = windex.create_in(str(path), build_schema(), indexname="MAIN")
        for batch in batches:
            w = cls(ix, compound=False, codec=codec())
            for doc in batch:
                w.add_document(**doc)
            w.commit(mergetype=NO_MERGE)
        w = cls(ix, compound=False, codec=codec())
        for gone in ("x0", "x42", "x127", "x128", "x200", "x299"):
            w.delete_by_term("article_id", gone)
        w.commit(mergetype=NO_MERGE)
        w = cls(ix, compound=False, codec=codec())
        w.commit(mergetype=OPTIMIZE)
        with ix.reader() as r:
            assert r.doc_count() == len(docs) - 6 and not r.has_deletions()
        return {p.name: p.read_bytes() for p in sorted(path.iterdir())
                if p.suffix not in (".sums", ".pages", ".toc") and p.name != "MAIN_WRITELOCK"}

    expected = merged("whoosh", SegmentWriter)
    assert merged("bulk", BulkWriter) == expected


def test_boosts_stored_values_and_columns_are_written_as_whoosh_does(tmp_path) -> None:
    schema = Schema(title=TEXT(stored=True, sortable=True), tags=KEYWORD(stored=True),
                    id=ID(stored=True, unique=True), n=NUMERIC(stored=True, sortable=True),
                    extra=STORED())
    docs = [
        {"title": "un deux deux", "tags": "a b", "id": "1", "n": 3, "extra": {"x": 1}},
        {"title": "deux trois", "_boost": 2.0, "id": "2", "n": 5, "_title_boost": 0.5},
        {"title": "rien", "tags": "b", "_stored_title": "Rien du tout", "id": "3"},
        {"tags": "c", "id": "4", "n": -1, "_boost": 3},
        {"title": None, "id": "5"},
    ]
    assert_same_files(tmp_path, schema, [docs])


def test_fields_of_another_kind_are_refused() -> None:
    # Spelling words of a stemmed field go to a field of their own; vectors to a file.
    schema = Schema(body=TEXT(analyzer=StemmingAnalyzer(), spelling=True), vec=TEXT(vector=True))
    with pytest.raises(ValueError, match="not written in bulk"):
        index_document(schema, {"body": "mot"})
    with pytest.raises(ValueError, match="not written in bulk"):
        index_document(schema, {"vec": "mot"})


def test_an_unknown_field_is_an_error_as_in_whoosh() -> None:
    from whoosh.fields import UnknownFieldError

    with pytest.raises(UnknownFieldError):
        index_document(build_schema(), {"nope": "x"})


def test_a_segment_file_knows_its_position_as_the_system_does(tmp_path) -> None:
    from array import array

    from whoosh.filedb.filestore import FileStorage

    from indexer.store.integrity import CheckedStorage, PositionedWriter

    def positions(f) -> list[int]:
        seen = []
        f.write(b"\x00" * 5)
        f.write_varint(300)
        f.write_array(array("I", range(1000)))  # array.tofile: writes of its own
        f.write_pickle({"fieldmap": {"body": 1}})
        f.write(memoryview(array("d", [1.5, 2.5])))  # 16 bytes, not 2 items
        seen.append(f.tell())
        f.seek(2)
        f.write(b"ab")
        seen.append(f.tell())
        f.seek(0, 2)
        seen.append(f.tell())
        f.close()
        return seen

    ours = CheckedStorage(str(tmp_path)).create_file("ours.pst")
    assert isinstance(ours.file, PositionedWriter)
    whoosh = FileStorage(str(tmp_path)).create_file("whoosh.pst")
    assert positions(ours) == positions(whoosh)
    assert (tmp_path / "ours.pst").read_bytes() == (tmp_path / "whoosh.pst").read_bytes()


def test_indexing_leaves_the_collector_to_the_end_of_each_article(tmp_path) -> None:
    from indexer import NewsIndex

    collections = []

    def count(phase: str, info: dict) -> None:
        if phase == "start":
            collections.append(info["generation"])

    before = gc.get_threshold()
    gc.callbacks.append(count)
    try:
        with NewsIndex.create(tmp_path / "ix") as idx:
            report = idx.add_paths([CORPUS], jobs=1)
    finally:
        gc.callbacks.remove(count)
    assert report.new > 100
    # At Python's threshold (700 new objects) the collector ran 478 times over these
    # 101 articles, walking each one's objects while it lived; now 11 times.
    assert len(collections) < 50
    assert gc.get_threshold() == before  # a program that indexes keeps its own


def test_one_process_and_two_write_the_same_files(tmp_path) -> None:
    from indexer import NewsIndex

    files = []
    for jobs in (1, 2):
        number_segments()
        path = tmp_path / f"ix{jobs}"
        with NewsIndex.create(path) as idx:
            report = idx.add_paths([CORPUS], jobs=jobs)
        assert report.errors == [] and report.new > 0 and report.jobs == jobs
        # The run froze its objects out of the collector's sight, before forking, and
        # gives them back: a program that indexes keeps its own collection.
        assert gc.get_freeze_count() == 0
        files.append({p.name: p.read_bytes() for p in sorted(path.iterdir())
                      if p.name.startswith(("MAIN_0", "_MAIN"))})
    assert files[0].keys() == files[1].keys() and len(files[0]) > 10
    for name in files[0]:
        assert files[0][name] == files[1][name], name
