"""One committed version of an index, as query time reads it.

A :class:`Snapshot` owns one Whoosh searcher and everything read or derived
from that version: the docnum → record and article-id columns, the languages,
the passage texts of the last articles read, and what query time derives from
every article (facet tables, word vectors). All of it goes with the version:
:class:`indexer.index.NewsIndex` makes a new snapshot when another process has
committed, so nothing derived from an older version is ever served with a
newer one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

from ..analysis import table
from .reading import first_document, live_documents, term_info
from .schema import passage_place, read_meta, read_texts

T = TypeVar("T")

FREQUENCIES_CACHED = 100_000
"""Document frequencies a version remembers per field, before it starts afresh."""
_TEXTS_KEPT = 64  # articles whose passage texts stay read: a search reads several of each


class Snapshot:
    """The searcher of one committed version, and what was read from it: the store's half
    of the embedded backend's :class:`indexer.search.seam.Version`
    (:class:`indexer.search.embedded.version.EmbeddedVersion` adds the query half)."""

    def __init__(self, path: Path, searcher: Any) -> None:
        self.path = path
        self.searcher = searcher
        # A version's statistics never change, and a long query asks each of its terms'
        # document frequency in several fields, again and again (1,500 times for a
        # 20–49-word news query), each time of every segment through Whoosh.
        searcher.doc_frequency = _remembered(_summed(searcher))
        self._records: Any = None
        self._ids: Any = None
        self._langs: list[str] | None = None
        self._texts: dict[int, list[str]] = {}
        self._derived: dict[str, Any] = {}

    @property
    def closed(self) -> bool:
        """Whether the index moved on and this version's files were let go."""
        return bool(self.searcher.is_closed)

    def close(self) -> None:
        self.searcher.close()
        self._derived.clear()
        self._texts.clear()

    def up_to_date(self) -> bool:
        """Whether this is still the latest committed version."""
        return bool(self.searcher.up_to_date())

    def empty(self) -> bool:
        """Nothing committed yet (Whoosh's empty reader has no columns)."""
        return bool(self.searcher.doc_count_all() == 0)

    def records(self) -> Any:
        """The docnum → stored record column."""
        if self._records is None:
            self._records = {} if self.empty() else \
                self.searcher.reader().column_reader("record", translate=False)
        return self._records

    def article_ids(self) -> Any:
        """The docnum → article id column."""
        if self._ids is None:
            self._ids = self.searcher.reader().column_reader("article_id")
        return self._ids

    def langs(self) -> list[str]:
        """The languages of the articles indexed."""
        if self._langs is None:
            self._langs = [t.decode() if isinstance(t, bytes) else t
                           for t in self.searcher.reader().lexicon("lang")]
        return self._langs

    def doc_frequency(self, field: str, text: str) -> int:
        """How many live documents hold ``text`` in ``field``."""
        return int(self.searcher.doc_frequency(field, text))

    def passage_count(self) -> int:
        """How many live passages the version holds (article documents hold no text)."""
        return int(self.searcher.doc_frequency("kind", "p"))

    def doc_count(self) -> int:
        """How many live documents (articles and passages) the version holds."""
        return int(self.searcher.doc_count())

    def field_total(self, field: str) -> int:
        """The length of ``field`` summed over the version's documents."""
        return int(self.searcher.field_length(field))

    def article_meta(self, article_id: str) -> dict[str, Any] | None:
        """The stored metadata of one article, or ``None``."""
        # The article's document is the first live one with its id: it is written just
        # before its passages, in the same segment, and an update deletes them all.
        docnum = first_document(self.searcher, "article_id", article_id)
        return None if docnum is None else read_meta(self.records()[docnum])

    def article_metas(self, article_ids: Iterable[str], near: Mapping[str, int] | None = None
                      ) -> Iterator[tuple[str, dict[str, Any] | None]]:
        """``(article_id, metadata or None)`` of several articles, in their order.

        ``near`` gives a live passage of some of them: its record says how many
        documents back its article's is, where looking the id up walked its postings in
        every segment (a tenth of the time a short search spent showing its hits)."""
        records = self.records()
        for article_id in article_ids:
            doc = near.get(article_id) if near else None
            if doc is None:
                yield article_id, self.article_meta(article_id)
            else:
                yield article_id, read_meta(records[self._place(doc)[0]])

    def passage(self, docnum: int) -> dict[str, Any]:
        """The stored ``text`` and ``meta`` (ordinal, section) of one passage document."""
        article, back, ordinal, section = self._place(docnum)
        return {"text": self._article_texts(article)[back - 1], "meta": (ordinal, section)}

    def _place(self, docnum: int) -> tuple[int, int, int, str | None]:
        """``(its article's document, its place among the article's passages from 1,
        ordinal, section)`` of a passage document, from its record."""
        back, ordinal, section = passage_place(self.records()[docnum])
        return docnum - back, back, ordinal, section

    def _article_texts(self, docnum: int) -> list[str]:
        found = self._texts.get(docnum)
        if found is None:
            if len(self._texts) >= _TEXTS_KEPT:
                self._texts.clear()
            found = self._texts[docnum] = read_texts(self.records()[docnum])
        return found

    def article_docs(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """``(article_id, metadata)`` of every article."""
        if self.empty():
            return
        records, ids = self.records(), self.article_ids()
        for docnum in self.searcher.document_numbers(kind="a"):
            yield ids[docnum], read_meta(records[docnum])

    def article_passages(self, article_ids: Iterable[str]) -> dict[str, list[int]]:
        """The live passage documents of several articles, in order. An article's live
        documents are all in one segment, its own first (see :meth:`article_meta`), so
        the others are its passages."""
        return {aid: list(live_documents(self.searcher, "article_id", aid))[1:]
                for aid in article_ids}

    def deleted_count(self) -> int:
        """Documents deleted (by updates) that a merge has not dropped yet."""
        return int(self.searcher.doc_count_all() - self.searcher.doc_count())

    def segment_ids(self) -> list[str]:
        """The segments the version reads, in order."""
        return leaf_segment_ids(self.searcher)

    def derived(self, key: str, make: Callable[[], T]) -> T:
        """What query time derives from this whole version (``make()``), made once:
        a facet's shown names, the word vectors."""
        if key not in self._derived:
            self._derived[key] = make()
        return self._derived[key]


def leaf_segment_ids(searcher: Any) -> list[str]:
    """The segment (``MAIN_<id>``) of each of a searcher's leaf readers, in order;
    an empty index has none."""
    ids = []
    for reader, _ in searcher.reader().leaf_readers():
        segment = reader.segment() if hasattr(reader, "segment") else None
        if segment is not None:
            ids.append(segment.segment_id())
    return ids


def _summed(searcher: Any) -> Callable[[str, Any], int]:
    """A searcher's ``doc_frequency``, summed from each segment's term statistics as
    :func:`~indexer.store.reading.term_info` keeps them, which the search reads anyway.

    Through Whoosh, each term a pasted text scores for the first time asked every
    segment's term dictionary again, decoding its entry, for the term's IDF: 1.3 s of
    the 11.1 s that 20,659 such terms took to read over the news index's four segments.
    Whoosh sums the same entries' numbers. A reader not of this codec (an empty
    index's), or a field the schema lacks, goes through Whoosh, which raises for the
    latter as before."""
    whoosh = searcher.doc_frequency
    readers = [reader for reader, _ in searcher.reader().leaf_readers()]
    if not all(hasattr(reader, "_terms") for reader in readers):
        return whoosh
    schema = searcher.schema
    from whoosh.fields import FieldType

    # Fields whose terms are their text in UTF-8: asked in bytes (a term's IDF is), the
    # text finds the statistics the search has read under it, rather than reading them
    # again under the bytes.
    plain = {name for name, field in schema.items()
             if type(field).to_bytes is FieldType.to_bytes}

    def doc_frequency(fieldname: str, text: Any) -> int:
        if fieldname not in schema:
            return int(whoosh(fieldname, text))
        if isinstance(text, bytes) and fieldname in plain:
            text = text.decode("utf-8")
        total = 0
        for reader in readers:
            held = term_info(reader, fieldname, text)
            if held is not None:
                total += held[1]
        return total

    return doc_frequency


def _remembered(frequency: Callable[[str, Any], int]) -> Callable[[str, Any], int]:
    """``frequency`` (a searcher's ``doc_frequency``), remembered per field in plain dicts
    of words and numbers, which Python's garbage collector does not track: it walked
    every entry of the lru_cache this was, in each full collection."""
    known: dict[str, dict[Any, int]] = {}

    def doc_frequency(fieldname: str, text: Any) -> int:
        try:
            return known[fieldname][text]
        except KeyError:
            found = frequency(fieldname, text)
            table(known, fieldname, FREQUENCIES_CACHED)[text] = found
            return found

    return doc_frequency
