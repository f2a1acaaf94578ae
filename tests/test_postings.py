"""The compact posting blocks and term entries read back exactly what was written."""

from __future__ import annotations

import gc
import io

import pytest
from whoosh.filedb.structfile import StructFile
from whoosh.formats import Frequency
from whoosh.util.numeric import byte_to_length, length_to_byte

from indexer.store.postings import Codec, CompactPositions
from indexer.store.terms import TermInfo, single_entry
from indexer.store.varints import get_number, get_varint, put_number, put_varint

POSITIONS = CompactPositions()


def postings(n: int, start: int = 0, step: int = 1, weight=None, positions=None):
    """``n`` postings ``(id, weight, value, length)``; weights are frequencies by default."""
    out = []
    for k in range(n):
        pos = positions(k) if positions else list(range(0, 2 * (1 + k % 4), 2))
        w = weight(k) if weight else float(len(pos))
        out.append((start + k * step, w, POSITIONS.encode(pos), 10 + k % 50))
    return out


def write_and_read(posts, fmt=POSITIONS, inline=1):
    """Write ``posts`` as one posting list; read them back (id, weight, value) and the
    term's entry, through the entry's bytes as a search would."""
    codec = Codec(inlinelimit=inline, compression=9)
    out = StructFile(io.BytesIO())
    writer = codec.postings_writer(out)
    writer.start_postings(fmt, TermInfo())
    for docnum, weight, value, length in posts:
        writer.add_posting(docnum, weight, value if fmt is POSITIONS else b"", length)
    info = TermInfo.from_bytes(writer.finish_postings().to_bytes())
    m = codec.postings_reader(StructFile(io.BytesIO(out.file.getvalue())), info, fmt)
    got = []
    while m.is_active():
        got.append((m.id(), m.weight(), m.value() if fmt is POSITIONS else b""))
        m.next()
    return got, info


def blocks_of(posts):
    """Write ``posts`` as one posting list (never inlined) and open its reader at the
    first block, as a search's evaluator reads it."""
    return _one_file(posts)()


def _one_file(posts):
    """``posts`` written as one posting list (never inlined); a function that opens a
    new reader on it."""
    codec = Codec(compression=9)
    out = StructFile(io.BytesIO())
    writer = codec.postings_writer(out)
    writer.start_postings(POSITIONS, TermInfo())
    for docnum, weight, value, length in posts:
        writer.add_posting(docnum, weight, value, length)
    info = writer.finish_postings()
    postfile = StructFile(io.BytesIO(out.file.getvalue()))
    return lambda: codec.postings_reader(postfile, info, POSITIONS)


@pytest.mark.parametrize("posts", [
    postings(1),  # one posting: the id and weight live in the header alone
    postings(2),
    postings(128),  # one full block
    postings(129),  # a full block and a block of one
    postings(300, start=7, step=3),  # three blocks
    postings(5, start=4_000_000_000, step=70_000),  # ids near 2**32, 32-bit gaps
    postings(40, step=300),  # 16-bit gaps
    postings(3, weight=lambda k: 0.5 + k),  # weights that are not integers
    postings(130, weight=lambda k: [1.0, 0.1, 7.25][k % 3]),  # nor float32-exact
    postings(20, weight=lambda k: 300.0 * (k + 1)),  # 16-bit integral weights
    postings(20, weight=lambda k: 70_000.0 + k),  # too wide for 16 bits
    postings(10, weight=lambda k: 2.0),  # all the same weight
    postings(4, positions=lambda k: [0, 254, 509, 70_000 + k]),  # wide position gaps
    postings(4, positions=lambda k: list(range(k * 300, k * 300 + 300))),  # long values
])
def test_posting_lists_round_trip(posts) -> None:
    got, info = write_and_read(posts)
    import array

    as_float32 = array.array("f", [w for _, w, _, _ in posts])  # what Whoosh keeps
    assert got == [(d, w, v) for (d, _, v, _), w in zip(posts, as_float32, strict=True)]
    assert info.doc_frequency() == len(posts)
    assert info.min_id() == posts[0][0] and info.max_id() == posts[-1][0]
    assert info.max_weight() == max(w for _, w, _, _ in posts)
    assert info.weight() == pytest.approx(sum(as_float32))


@pytest.mark.parametrize("inline", [2, 4])
@pytest.mark.parametrize("n", [1, 2, 3])
def test_inlined_postings_round_trip(inline: int, n: int) -> None:
    posts = postings(n, start=5, step=9, weight=lambda k: [3.0, 0.25, 1.0][k])
    got, info = write_and_read(posts, inline=inline)
    assert info.is_inlined() is (n < inline)
    assert got == [(d, w, v) for d, w, v, _ in posts]


def test_a_frequency_field_keeps_no_values() -> None:
    posts = postings(200, step=2, weight=lambda k: float(1 + k % 3))
    got, _ = write_and_read(posts, fmt=Frequency())
    assert [(d, w) for d, w, _ in got] == [(d, w) for d, w, _, _ in posts]


def test_blocks_read_one_at_a_time_give_their_statistics() -> None:
    # What a search evaluator reads: _read_ids/_ids, _read_weights/_weights, the block
    # statistics, _next_block() and is_active().
    posts = postings(300, start=11, step=5, weight=lambda k: float(1 + k % 7))
    m = blocks_of(posts)
    blocks = []
    while m.is_active():
        m._read_ids()
        m._read_weights()
        m._read_values()
        blocks.append((list(m._ids), list(m._weights), m._values, m._blocklength,
                       m.block_max_id(), m.block_max_weight(),
                       m.block_min_length(), m.block_max_length()))
        m._next_block()
    assert [b[3] for b in blocks] == [128, 128, 44]
    for k, (ids, weights, values, n, maxid, maxweight, minlen, maxlen) in enumerate(blocks):
        chunk = posts[128 * k:128 * (k + 1)]
        assert ids == [d for d, _, _, _ in chunk] and maxid == ids[-1] and n == len(ids)
        assert weights == [w for _, w, _, _ in chunk] and maxweight == max(weights)
        assert values == tuple(v for _, _, v, _ in chunk)
        lengths = [length for *_, length in chunk]
        assert minlen == byte_to_length(length_to_byte(min(lengths)))
        assert maxlen == byte_to_length(length_to_byte(max(lengths)))


@pytest.mark.parametrize("weight", [
    lambda k: float(1 + k % 7),  # frequencies in a byte
    lambda k: 300.0 * (1 + k % 7),  # in 16 bits
    lambda k: [1.0, 0.1, 7.25][k % 3],  # not integers
    lambda k: 2.0,  # all the block's largest
])
def test_a_search_reads_a_blocks_frequencies_and_some_values_as_decoded(weight) -> None:
    # What the evaluator reads instead of _weights and _values: the same numbers, and
    # the values of the postings asked for.
    posts = postings(300, start=11, step=5, weight=weight)
    m = blocks_of(posts)
    assert m.count == 300
    k = 0
    while m.is_active():
        chunk = posts[k:k + m._blocklength]
        hits = [j for j in range(len(chunk)) if j % 3 == 1]
        assert m.values_at(hits) == [chunk[j][2] for j in hits]
        frequencies = list(m.frequencies())
        m._read_weights()
        assert frequencies == list(m._weights)
        k += m._blocklength
        m._next_block()
    assert k == 300


@pytest.mark.parametrize("positions", [[], [0], [254], [255], [0, 255, 510], [65_535],
                                       [0, 70_000], list(range(1000))])
def test_positions_of_every_width_round_trip(positions: list[int]) -> None:
    value = POSITIONS.encode(positions)
    assert POSITIONS.decode_positions(value) == positions
    assert POSITIONS.decode_frequency(value) == len(positions)


@pytest.mark.parametrize("posting", [
    (0, 1.0, b"\x00", 12), (7, 3.0, b"\x02\x05\x01", 0), (300, 0.1, b"", 5),
    (2**20, 2.5, b"\xff\x01\x01\x00\x00\x01", 70_000), (5, 0.0, b"\x04", 1),
])
def test_a_single_posting_entry_is_the_writers(posting) -> None:
    # A commit writes one-posting terms' entries itself: they must be the ones the
    # postings writer and TermInfo give, float32 total weight and length bytes included.
    docnum, weight, value, length = posting
    writer = Codec(inlinelimit=2, compression=9).postings_writer(StructFile(io.BytesIO()))
    writer.start_postings(POSITIONS, TermInfo())
    writer.add_posting(docnum, weight, value, length)
    assert single_entry(docnum, weight, value, length) == writer.finish_postings().to_bytes()


@pytest.mark.parametrize(("positions", "value"), [
    ([], b""), ([0], b"\x00"), ([254], b"\xfe"), ([3, 4, 10], b"\x03\x01\x06"),
    ([255], b"\xff\x00\xff"),  # a gap of 255 is the mark's byte: written wide
    ([0, 255, 510], b"\xff\x00\x00\xff\xff"),
    ([1, 257], b"\xff\x01\x01\x00\x00\x01"),  # 16-bit gaps, little-endian
    ([70_000], b"\xff\x02\x70\x11\x01\x00"),
])
def test_position_values_are_the_bytes_the_format_gives(positions, value) -> None:
    # The format of every index written so far: encoding may get faster, never change.
    assert POSITIONS.encode(positions) == value


@pytest.mark.parametrize("n", [0, 1, 127, 128, 300, 2**32 - 1, 2**62])
def test_varints_round_trip(n: int) -> None:
    out = bytearray(b"x")
    put_varint(out, n)
    assert get_varint(bytes(out), 1) == (n, len(out))


@pytest.mark.parametrize("x", [0.0, 1.0, 3.0, 65_536.0, 0.5, 0.1, -2.0, 1e300])
def test_numbers_round_trip_exactly(x: float) -> None:
    out = bytearray()
    put_number(out, x)
    assert get_number(bytes(out), 0) == (x, len(out))
    assert len(out) <= (3 if x.is_integer() and 0 <= x < 2**20 else 9)


def test_an_empty_term_entry_round_trips() -> None:
    info = TermInfo.from_bytes(_empty().to_bytes())
    assert info.doc_frequency() == 0 and info.min_id() is None and info.max_id() is None


@pytest.mark.parametrize("inline", [1, 4])
@pytest.mark.parametrize("n", [1, 3, 300])
def test_a_terms_statistics_read_alone_are_those_of_its_whole_entry(inline, n) -> None:
    # A term's statistics are read without its inlined postings: every word of a
    # pasted text is weighed, few are searched.
    codec = Codec(inlinelimit=inline, compression=9)
    writer = codec.postings_writer(StructFile(io.BytesIO()))
    writer.start_postings(POSITIONS, TermInfo())
    for docnum, weight, value, length in postings(n, start=3, step=5,
                                                  weight=lambda k: 0.5 + k % 7):
        writer.add_posting(docnum, weight, value, length)
    written = writer.finish_postings().to_bytes()
    for entry in (written, _empty().to_bytes()):
        info = TermInfo.from_bytes(entry)
        offset = -1 if info.is_inlined() else info.extent()[0]
        assert TermInfo.entry_statistics(entry) == (
            info.doc_frequency(), info.max_weight(), info.min_length(), offset)
    assert (TermInfo.entry_statistics(written)[3] == -1) is (n < inline)


def _empty() -> TermInfo:
    info = TermInfo()
    info.set_extent(0, 0)
    return info


@pytest.mark.parametrize("count", [0, 1, 2, 3000])
def test_the_term_table_finds_every_key_and_no_other(count: int) -> None:
    from whoosh.filedb.filestore import RamStorage

    from indexer.store.terms import TermTableReader, TermTableWriter

    storage = RamStorage()
    keys = sorted(f"\0\1{k:05d}é".encode() for k in range(0, 2 * count, 2))
    writer = TermTableWriter(storage.create_file("t"))
    for k in keys:
        writer.add(k, k[::-1] * 2)
    writer.close()
    table = TermTableReader(storage.open_file("t"), storage.file_length("t"))
    assert all(table[k] == k[::-1] * 2 for k in keys)
    absent = [f"\0\1{k:05d}é".encode() for k in range(1, 2 * count + 2, 2)] + [b"", b"\0"]
    assert not any(k in table for k in absent)
    assert list(table.keys()) == keys  # still ordered, for prefix and range queries
    if keys:
        assert table.closest_key(keys[0][:-1]) == keys[0]
        middle = keys[len(keys) // 2]
        assert list(table.items_from(middle)) == [(k, k[::-1] * 2) for k in keys if k >= middle]
        assert table.key_and_range_at(table.closest_key_pos(middle))[0] == middle


@pytest.mark.parametrize("heads, size", [(100_000, 32 << 20), (1, 1)], ids=["kept", "full"])
def test_blocks_kept_from_a_read_are_those_of_their_own_file(monkeypatch, heads, size):
    """Two files hold different posting lists at the same offsets. Read in turn, twice
    (the second time from the blocks the process kept, or afresh when its cache is full),
    each gives back its own postings."""
    import indexer.store.postings as module

    monkeypatch.setattr(module, "BLOCK_CACHE_HEADS", heads)
    monkeypatch.setattr(module, "BLOCK_CACHE_BYTES", size)
    monkeypatch.setattr(module, "_BLOCKS", module._BlockCache())
    lists = [postings(300, step=2), postings(300, start=1, step=3, weight=lambda k: 1.0 + k % 5)]
    readers = [_one_file(posts) for posts in lists]
    for _ in range(2):
        for posts, reader in zip(lists, readers, strict=True):
            m = reader()
            got = []
            while m.is_active():
                got.append((m.id(), m.weight(), m.value()))
                m.next()
            assert got == [(d, w, v) for d, w, v, _ in posts]
    kept = module._BLOCKS
    if heads > 1:
        assert len(kept.heads) == 6 and len(kept.inflated) == 6  # 3 blocks in each file
        # Ints and bytes: a full garbage collection never walks what a process keeps.
        assert not gc.is_tracked(kept.heads) and not gc.is_tracked(kept.inflated)
    else:
        assert len(kept.heads) <= 1 and kept.size <= max(map(len, kept.inflated.values()))


def test_a_merge_keeps_no_block(monkeypatch):
    """A merge reads every block once: keeping them would only push out a search's."""
    import indexer.store.postings as module

    monkeypatch.setattr(module, "_BLOCKS", module._BlockCache())
    posts = postings(300, step=2)
    ids = [list(block_ids) for block_ids, _, _ in _one_file(posts)().blocks()]
    assert [d for block in ids for d in block] == [d for d, _, _, _ in posts]
    assert not module._BLOCKS.inflated and len(module._BLOCKS.heads) <= 1  # the first, opening


@pytest.mark.parametrize("positions", [
    lambda k: [0, 2, 4],  # a block's data of a few hundred bytes
    lambda k: list(range(k * 40, k * 40 + 40)),  # and of several kilobytes
])
def test_a_deflated_block_is_what_the_largest_window_gives(positions) -> None:
    import zlib
    from array import array

    from indexer.store.postings import _DEFLATED, _parse_head, encode_block

    posts = postings(128, step=3, positions=positions)
    ids = [d for d, _, _, _ in posts]
    weights = array("f", [w for _, w, _, _ in posts])
    block = encode_block(ids, weights, [v for _, _, v, _ in posts], None, 0, max(weights),
                         10, 59, True, 9)
    flags, *_, start, end = _parse_head(block, 0)
    stream = block[start:end]
    assert flags & _DEFLATED and end == len(block)
    data = zlib.decompress(stream)
    # Same deflate bytes as zlib's default 32 KB window; only the header, which
    # states the window, differs, and the window still spans the data.
    assert stream[2:] == zlib.compress(data, 9)[2:]
    window = 1 << ((stream[0] >> 4) + 8)
    assert len(data) + 262 <= window < 32_768


@pytest.mark.parametrize("inline", [1, 4])
@pytest.mark.parametrize("n", [1, 3, 200])
def test_a_counted_field_keeps_its_frequencies_as_weights_and_no_values(inline, n) -> None:
    from indexer.store.postings import Counts

    fmt = Counts()
    codec = Codec(inlinelimit=inline, compression=9)
    out = StructFile(io.BytesIO())
    writer = codec.postings_writer(out)
    writer.start_postings(fmt, TermInfo())
    posts = postings(n, step=2, weight=lambda k: float(1 + k % 3))
    for docnum, weight, _, length in posts:
        writer.add_posting(docnum, weight, fmt.encode(None), length)
    entry = writer.finish_postings().to_bytes()
    info = TermInfo.from_bytes(entry)
    assert info.to_bytes() == entry  # an entry read back is written the same
    m = codec.postings_reader(StructFile(io.BytesIO(out.file.getvalue())), info, fmt)
    got = []
    while m.is_active():
        got.append((m.id(), m.weight(), m.value()))
        m.next()
    assert got == [(d, w, b"") for d, w, _, _ in posts]


def test_a_counted_fields_terms_and_weights_are_whooshs_frequencies() -> None:
    from whoosh.analysis import SpaceSeparatedTokenizer

    from indexer.store.postings import Counts

    text, cut = "alep trêve alep onu alep trêve", SpaceSeparatedTokenizer()
    whoosh = [(w, n, fw) for w, n, fw, _ in Frequency(field_boost=2.0).word_values(text, cut)]
    ours = list(Counts(field_boost=2.0).word_values(text, cut))
    assert [(w, n, fw) for w, n, fw, _ in ours] == whoosh == [
        ("alep", 3, 6.0), ("trêve", 2, 4.0), ("onu", 1, 2.0)]
    assert {v for *_, v in ours} == {b""}
