"""Writing a Whoosh segment in bulk: postings made in the workers, written term by term.

Whoosh's ``add_document`` analyses each field, then pushes every posting through a
sorting pool; its commit then hands the sorted postings one at a time to the codec.
Over 2,000 OrangeSum articles (536 postings each) that was 8.7 ms of the main
process's time per article, the serial part of a ``--jobs 2`` run. Here:

- :func:`index_document`, in the worker processes, does what ``add_document`` does
  to one document's fields (``field.index``, boosts, lengths, column values) and
  returns the result as plain tuples;
- :class:`BulkWriter` (a ``SegmentWriter``) gives each such document its number,
  writes its per-document values as Whoosh does, and keeps its postings grouped per
  term; at commit it writes each term's posting list a block at a time through the
  codec's own postings writer (its ``_write_block`` and ``finish_postings``), so the
  files are those Whoosh writes, byte for byte.

A commit that merges older segments into the new one (:func:`merge_tiers`) appends
their postings to the grouped ones a block at a time, as their document numbers come
after the new documents'; the files are still Whoosh's. Only documents added through
``add_document`` send everything through Whoosh's pool.
"""

from __future__ import annotations

import io
from array import array
from collections import Counter
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, final

from whoosh.analysis import CompositeAnalyzer, IDTokenizer, RegexTokenizer, StripFilter
from whoosh.fields import FieldType
from whoosh.formats import Positions
from whoosh.index import TOC, clean_files
from whoosh.system import pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from .integrity import write_sums
from .postings import Counts
from .schema import ARTICLE_FIELDS
from .terms import single_entry

FieldEntry = tuple[str, int, Any, Any, tuple[bytes, ...], tuple[float, ...], tuple[bytes, ...]]
"""One field of one document, as ``SegmentWriter.add_document`` would index it:
``(name, length, stored, column, terms, weights, values)``, where ``length`` is the
field length Whoosh records (0: not scorable), ``stored`` and ``column`` the stored
and column values or None, and the last three the postings, in the order
``field.index`` gives them (empty if the field is not indexed). A plain tuple: it
crosses from the worker to the writing process, and unpickling a NamedTuple calls
its Python ``__new__`` (0.53 against 0.21 ms per OrangeSum article)."""

IndexedDoc = tuple[FieldEntry, ...]
"""A document's fields in Whoosh's order (by name), for :meth:`BulkWriter.add_indexed`."""


@dataclass(frozen=True)
class WhooshDocuments:
    """How the pipeline's workers make an embedded index's documents: as Whoosh would
    index them against ``schema`` (see :func:`index_document`)."""

    schema: Any

    def document(self, fields: dict[str, Any]) -> IndexedDoc:
        if fields.get("kind") == "p":  # a passage: its article's document holds the filters
            fields = {k: v for k, v in fields.items() if k not in ARTICLE_FIELDS}
        return index_document(self.schema, fields)


def index_document(schema: Any, fields: dict[str, Any]) -> IndexedDoc:
    """What ``SegmentWriter.add_document(**fields)`` would write for one document.

    Runs where the document is made (a worker process), so that the writing process
    only numbers documents and groups their postings.
    """
    from whoosh.fields import UnknownFieldError

    docboost = float(fields["_boost"]) if "_boost" in fields else 1.0
    entries = []
    for name in sorted(n for n in fields if not n.startswith("_")):
        if name not in schema:
            raise UnknownFieldError(f"No field named {name!r} in {schema}")
        value = fields[name]
        if value is None:
            continue
        field = schema[name]
        if field.separate_spelling() or field.vector:
            raise ValueError(f"field {name!r}: spelling and vectors are not written in bulk")
        length = 0
        terms: tuple[bytes, ...] = ()
        weights: tuple[float, ...] = ()
        values: tuple[bytes, ...] = ()
        if field.indexed:
            boostkw = f"_{name}_boost"
            fieldboost = float(fields[boostkw]) if boostkw in fields else docboost
            items = _split_postings(field, value)
            if items is None:
                items = _whoosh_postings(field, value)
            terms, freqs, weights, vbytes = items
            if terms:
                if fieldboost != 1.0:  # x * 1.0 is x
                    weights = tuple(w * fieldboost for w in weights)
                values = tuple(v if v is not None else b"" for v in vbytes) \
                    if None in vbytes else vbytes
                if field.scorable:
                    length = sum(freqs)
        customval = fields.get(f"_stored_{name}", value)
        stored = customval if field.stored else None
        column = (field.to_column_value(customval)
                  if field.column_type and customval is not None else None)
        entries.append((name, length, stored, column, terms, weights, values))
    return tuple(entries)


Columns = tuple[tuple[bytes, ...], tuple[int, ...], tuple[float, ...], tuple[bytes, ...]]


def _whoosh_postings(field: Any, value: Any) -> Columns:
    """``field.index(value)`` as columns, for the fields :func:`_split_postings` leaves
    to Whoosh."""
    # zip(*...) has no static length: mypy cannot see the four columns.
    return tuple(zip(*field.index(value), strict=True)) or ((), (), (), ())  # type: ignore[return-value]


# Every field of ours: positional ones, and counted ones (no Frequency field is left).
_SPLIT_FORMATS = (Positions.word_values, Counts.word_values)


def _split_postings(field: Any, value: Any) -> Columns | None:
    """``field.index(value)`` as columns (terms, frequencies, weights, values), for the
    fields whose analyzer only cuts the value into words (see :func:`_words`): all of
    ours, as analysis happens in :mod:`indexer.analysis`. Whoosh makes a token and a
    few generator steps per word: this took a third of the time. None for any other
    field, which Whoosh then indexes.
    """
    if type(field).index is not FieldType.index or not isinstance(value, str):
        return None
    fmt = field.format
    word_values = type(fmt).word_values
    if word_values not in _SPLIT_FORMATS:
        return None
    words = _words(field.analyzer, value)
    if words is None:
        return None
    fb = fmt.field_boost
    # As Whoosh: a weight is the sum of its tokens' boosts (1.0 each) times the
    # field's boost, and terms come in order of first occurrence.
    if word_values is Positions.word_values:
        positions: dict[str, list[int]] = {}
        for pos, word in enumerate(words):
            poslist = positions.get(word)
            if poslist is None:
                positions[word] = [pos]
            else:
                poslist.append(pos)
        freqs = tuple(map(len, positions.values()))
        values = tuple(map(fmt.encode, positions.values()))
        keys: Any = positions
    else:
        counts = Counter(words)
        freqs = tuple(counts.values())
        values = (b"",) * len(freqs)  # Counts keeps no value
        keys = counts
    weights = tuple(map(float, freqs)) if fb == 1.0 else tuple(float(f) * fb for f in freqs)
    return tuple(map(str.encode, keys)), freqs, weights, values  # UTF-8, as Whoosh


def _words(analyzer: Any, value: str) -> list[str] | None:
    """The words ``analyzer`` gives for ``value`` if it is one of Whoosh's plain cutters
    (a regex tokenizer, possibly followed by a strip filter, or an ID tokenizer); else None."""
    if type(analyzer) is IDTokenizer:
        return [value]
    strip = False
    if type(analyzer) is CompositeAnalyzer:
        if len(analyzer.items) != 2 or type(analyzer.items[1]) is not StripFilter:
            return None
        analyzer, strip = analyzer.items[0], True
    if type(analyzer) is not RegexTokenizer or analyzer.gaps or analyzer.expression.groups:
        return None
    words = analyzer.expression.findall(value)
    return [w.strip() for w in words] if strip else words


@cache
def _posting_length(length: int) -> int:
    # What Whoosh's commit reads back as a posting's length: the length column holds
    # one byte per document, so a length is rounded to what that byte stands for.
    # (The W3 codec only writes lengths as such bytes again, but a codec may not.)
    return byte_to_length(length_to_byte(length)) if length else 0


@final
class _Postings:
    """One term's postings in a segment being written, in document order."""

    __slots__ = ("docs", "values", "weights")

    def __init__(self, first: Posting) -> None:
        docnum, weight, vbytes = first
        self.docs = array("I", (docnum,))
        self.weights = array("d", (weight,))  # doubles: a block's maximum is the exact weight
        self.values: list[bytes] = [vbytes]


Posting = tuple[int, float, bytes]
"""A term's only posting: ``(docnum, weight, value)``."""


MERGE_FACTOR = 10
"""A segment's tier is its number of live documents' order of magnitude in this base."""

MERGE_CAP = 20_000
"""Segments of this many documents or more (about 4,000 articles) are left alone by
:func:`merge_tiers`: a batch of a big build (10,000 articles are at least 20,000
documents, an article and a passage each), or what small runs merged up to.
``optimize`` merges them."""


def merge_tiers(writer: Any, segments: list[Any]) -> list[Any]:
    """Whoosh merge policy for many small commits: the segment being committed takes in
    every smaller segment of its tier or below, then of the tier it has grown into, and
    so on, leaving segments under :data:`MERGE_CAP` documents at most one per tier.

    Each ``depeches index`` run commits a segment, and every search pays a set-up cost
    per segment: Whoosh's own policy (``MERGE_SMALL``) let 15–19 of them pile up over
    days of small runs. Here, a document small runs added is rewritten once per tier it
    climbs through (about 7 times on the way to the cap), and no run rewrites more than
    the cap. Gives back the segments kept as they are."""
    from whoosh.reading import SegmentReader

    size = writer.docnum  # this commit's documents
    kept = list(segments)
    while True:
        tier = _tier(size)
        taken = [s for s in kept if s.doc_count() < MERGE_CAP and _tier(s.doc_count()) <= tier]
        if not taken:
            return kept
        for segment in taken:
            reader = SegmentReader(writer.storage, writer.schema, segment)
            try:
                writer.add_reader(reader)
            finally:
                reader.close()
            size += segment.doc_count()
            kept.remove(segment)


def _tier(n: int) -> int:
    tier = 0
    while n >= MERGE_FACTOR:
        n //= MERGE_FACTOR
        tier += 1
    return tier


class BulkWriter(SegmentWriter):
    """A ``SegmentWriter`` that also takes documents indexed by :func:`index_document`
    and writes their postings in bulk at commit.

    ``add_document`` still works (its postings go through Whoosh's pool, and the
    commit then sends all postings that way).
    """

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        self._terms: dict[str, dict[bytes, Posting | _Postings]] = {}
        self._lengths: dict[str, array] = {}  # field -> posting length per docnum

    def _commit_toc(self, segments: list[Any]) -> None:
        # The new segment's files are closed and not yet listed: their checksums now,
        # so that no committed segment of ours is ever without them.
        new = self.newsegment.segment_id()
        if any(s.segment_id() == new for s in segments):
            write_sums(Path(self.storage.folder), new)
        super()._commit_toc(segments)

    def add_reader(self, reader: Any) -> None:
        """Merge a segment in, as Whoosh does, but with its exact field lengths.

        Whoosh sums a merged segment's field lengths from the ones it stores per
        document, a byte each and so rounded, where a build from scratch sums the
        exact ones. BM25's average length is that sum over the documents: every score
        of an index whose segments had merged drifted (0.2–0.4 % on the sample corpus),
        so the same articles ranked differently by how they had been added. The merged
        segment's own exact sum is carried over instead; only its deleted documents'
        lengths, taken off, are the rounded ones.
        """
        totals = self.perdocwriter._fieldlengths
        before = dict(totals)
        super().add_reader(reader)
        deleted = [d for d in range(reader.doc_count_all()) if reader.is_deleted(d)] \
            if reader.has_deletions() else []
        for name in list(totals):
            gone = sum(reader.doc_field_length(d, name) or 0 for d in deleted)
            totals[name] = before.get(name, 0) + reader.field_length(name) - gone

    def add_postings_to_pool(self, reader: Any, startdoc: int,
                             docmap: dict[int, int] | None) -> None:
        """A merged segment's postings go straight into this segment's, a block at a
        time, instead of through Whoosh's pool, which takes them one tuple at a time
        and sorts them all again although each segment's are in order already; so
        merging, and ``optimize``, cost a fraction of what they did. ``docmap`` maps
        the reader's live documents to their new numbers (None: none deleted)."""
        if self.pool.current or self.pool.runs:  # add_document() was used: sort as Whoosh does
            super().add_postings_to_pool(reader, startdoc, docmap)
            return
        from .reading import field_lengths

        schema = self.schema
        for name in schema.scorable_names():
            table = field_lengths(reader._perdoc, name)
            if table is not None:
                self._merge_lengths(name, table, reader.doc_count_all(), startdoc, docmap)
        # The segment's own term table: reader.postings() would hide deleted documents
        # behind a filter that asks about each posting, where the docmap drops them.
        terms = reader._terms
        for (name, tbytes), info in terms.items():
            if name not in schema:
                continue
            if info.is_inlined():
                blocks: Any = (info.inlined_postings(),)
            else:  # our codec's own matcher (postings._Matcher): an index holds no other
                blocks = terms._codec.postings_reader(
                    terms._postfile, info, schema[name].format).blocks()
            field_terms = self._terms.get(name)
            if field_terms is None:
                field_terms = self._terms[name] = {}
            for ids, weights, values in blocks:
                if docmap is None:
                    docs = [i + startdoc for i in ids]
                else:
                    live = [k for k, i in enumerate(ids) if i in docmap]
                    if len(live) < len(ids):
                        weights = [weights[k] for k in live]
                        values = [values[k] for k in live]
                    docs = [docmap[ids[k]] for k in live]
                if docs:
                    _extend(field_terms, tbytes, docs, weights, values)

    def _merge_lengths(self, name: str, table: Any, count: int, startdoc: int,
                       docmap: dict[int, int] | None) -> None:
        # The posting lengths a block's shortest and longest are taken from, as
        # add_indexed() keeps them for new documents.
        lengths = self._lengths.get(name)
        if lengths is None:
            lengths = self._lengths[name] = array("I")
        # The column stops at the last document with a length.
        for old in range(min(count, len(table))):
            new = startdoc + old if docmap is None else docmap.get(old)
            length = table[old]
            if new is None or not length:
                continue
            if len(lengths) < new:
                lengths.extend(bytes(new - len(lengths)))
            lengths.append(_posting_length(int(length)))

    def abandon(self) -> None:
        """``cancel()`` that holds when the disk does not. After a failed write (a full
        disk, an I/O error) closing the batch's files fails again, as their buffers cannot
        be flushed, and Whoosh's cancel stops there: its temporary folder and lock stay,
        and files left open would complain when collected. So every file is closed
        unflushed, and the batch's segment files and any half-written table of contents
        go now, as nothing the committed index reads is among them; Whoosh would leave
        them to the next commit."""
        try:
            self.cancel()
        except OSError:
            _close_files(self)
            with suppress(OSError):
                self._tempstorage.destroy()
            if self.writelock:
                self.writelock.release()
            self.is_closed = True
        storage, name = self.storage, self.indexname
        toc = TOC.read(storage, name)
        clean_files(storage, name, toc.generation, toc.segments)
        for leftover in list(storage):
            if leftover.startswith(f"_{name}_") and ".toc." in leftover:  # TOC.write's temp
                with suppress(OSError):
                    storage.delete_file(leftover)

    def add_indexed(self, doc: IndexedDoc) -> None:
        """Add one document made by :func:`index_document`, as ``add_document`` would."""
        self._check_state()
        docnum = self.docnum
        pdw = self.perdocwriter
        schema = self.schema
        pdw.start_doc(docnum)
        for name, length, stored, column, terms, weights, values in doc:
            field = schema[name]
            pdw.add_field(name, field, stored, length)
            if column is not None:
                pdw.add_column_value(name, field.column_type, column)
            if length:
                lengths = self._lengths.get(name)
                if lengths is None:
                    lengths = self._lengths[name] = array("I")
                if len(lengths) < docnum:
                    lengths.extend(bytes(docnum - len(lengths)))  # zeros: no length
                lengths.append(_posting_length(length))
            if terms:
                self._add_postings(name, docnum, terms, weights, values)
        pdw.finish_doc()
        self._added = True
        self.docnum += 1

    def _add_postings(self, name: str, docnum: int, terms: tuple[bytes, ...],
                      weights: tuple[float, ...], values: tuple[bytes, ...]) -> None:
        field_terms = self._terms.get(name)
        if field_terms is None:
            field_terms = self._terms[name] = {}
        get = field_terms.get
        for tbytes, weight, vbytes in zip(terms, weights, values, strict=True):
            postings = get(tbytes)
            if postings is None:
                # A term's first posting as a tuple: most terms never get a second,
                # and three containers each cost more than the posting.
                field_terms[tbytes] = (docnum, weight, vbytes)
                continue
            if type(postings) is not _Postings:  # its first posting, a tuple
                postings = field_terms[tbytes] = _Postings(postings)
            postings.docs.append(docnum)
            postings.weights.append(weight)
            postings.values.append(vbytes)

    def _flush_segment(self) -> None:
        if self.pool.current or self.pool.runs:
            # Postings from add_document or from merged segments: let Whoosh sort
            # them together with ours.
            self._pool_postings()
            super()._flush_segment()
            return
        self.perdocwriter.close()
        self._write_postings()
        self.fieldwriter.close()

    def _pool_postings(self) -> None:
        add = self.pool.add
        for name, field_terms in self._terms.items():
            for tbytes, p in field_terms.items():
                if type(p) is not _Postings:
                    add((name, tbytes, *p))
                    continue
                for docnum, weight, vbytes in zip(p.docs, p.weights, p.values, strict=True):
                    add((name, tbytes, docnum, weight, vbytes))
        self._terms.clear()

    def _write_postings(self) -> None:
        # As FieldWriter.add_postings would, given the same postings sorted by
        # field, term and document.
        fw = self.fieldwriter
        schema = self.schema
        for name in sorted(self._terms):
            field_terms = self._terms.pop(name)
            fw.start_field(name, schema[name])
            lengths = self._lengths.get(name, array("I"))
            if len(lengths) < self.docnum:
                lengths.extend(bytes(self.docnum - len(lengths)))
            # A term with one posting is always inlined when the limit is above 1: its
            # entry goes straight into the term table (see single_entry).
            direct = fw._postwriter._inlinelimit > 1
            add_entry = fw._tindex.add
            prefix = pack_ushort(fw._fieldid)
            for tbytes in sorted(field_terms):
                postings = field_terms.pop(tbytes)
                if direct and type(postings) is not _Postings:
                    docnum, weight, vbytes = postings
                    add_entry(prefix + tbytes,
                              single_entry(docnum, weight, vbytes, lengths[docnum]))
                    continue
                fw.start_term(tbytes)
                _write_term(fw._postwriter, postings, lengths)
                fw.finish_term()
            fw.finish_field()


def _extend(field_terms: dict[bytes, Posting | _Postings], tbytes: bytes,
            docs: list[int], weights: Any, values: Any) -> None:
    """Add a term's postings, later in document order than any it has."""
    postings = field_terms.get(tbytes)
    if postings is None:
        if len(docs) == 1:
            field_terms[tbytes] = (docs[0], float(weights[0]), values[0])
            return
        postings = field_terms[tbytes] = _Postings((docs[0], float(weights[0]), values[0]))
        docs, weights, values = docs[1:], weights[1:], values[1:]
    elif type(postings) is not _Postings:
        postings = field_terms[tbytes] = _Postings(postings)
    postings.docs.extend(docs)
    postings.weights.extend(weights.tolist() if isinstance(weights, array) else weights)
    postings.values.extend(values)


def _close_files(root: object, depth: int = 4) -> None:
    """Close every file object within ``depth`` attributes of ``root``, ignoring what
    closing raises: a file whose buffer cannot be flushed is closed all the same."""
    seen: set[int] = set()
    stack: list[tuple[object, int]] = [(root, 0)]
    while stack:
        obj, level = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, io.IOBase):
            with suppress(OSError, ValueError):
                obj.close()
            continue
        attrs = getattr(obj, "__dict__", None)
        if attrs and level < depth:
            stack.extend((value, level + 1) for value in attrs.values())


def _write_term(pw: Any, postings: Posting | _Postings, lengths: array) -> None:
    """Fill the postings writer's block buffers as ``add_posting`` would, one block
    at a time, writing every full block but the last: ``finish_postings`` (called by
    the field writer's ``finish_term``) writes or inlines that one."""
    if type(postings) is not _Postings:
        docnum, weight, vbytes = postings
        pw.add_posting(docnum, weight, vbytes, lengths[docnum])
        return
    docs, weights, values = postings.docs, postings.weights, postings.values
    limit = pw._blocklimit
    n = len(docs)
    for start in range(0, n, limit):
        if start:
            pw._write_block()
        end = start + limit
        block_docs = docs[start:end]
        block_weights = weights[start:end]
        pw._ids = block_docs
        pw._weights = array("f", block_weights)
        pw._values = [v for v in values[start:end] if v]
        top = max(block_weights)
        pw._maxweight = top if top > 0 else 0  # add_posting starts from the int 0
        block_lengths = [x for x in map(lengths.__getitem__, block_docs) if x]
        if block_lengths:
            pw._minlength = min(block_lengths)
            pw._maxlength = max(block_lengths)
        else:
            pw._minlength = None
            pw._maxlength = 0
