"""A more compact encoding of Whoosh's posting blocks, for the positional fields.

Whoosh 2.7.4's W3 codec pickles each block of up to 128 postings as a tuple
(ids, weights, values) and deflates it. For a field with positions, each value is
its own ``bytes`` object, and pickle protocol 2 writes each one as a call to
``_codecs.encode`` on a Unicode string: about fifteen bytes of framing per posting
around a value that is itself a 4-byte count and a pickled list of position
deltas. Over 2,000 OrangeSum articles the ``stem`` and ``title_stem`` postings took
8.0 MB of the 12.7 MB postings file; encoded as below, 3.9 MB (index 25.2 -> 20.9 MB).

Here a block's values are one byte string (their lengths, then their bytes), a
value is its position deltas as 16-bit integers (so the frequency is its length),
and integral weights are 16-bit integers too. Decoding stays in C (``array``,
slicing). :class:`Codec` and :class:`CompactPositions` are pickled by name into
an index's table of contents, so an index that uses them needs this module to be
read. Other fields' blocks (fixed-size values) are written as Whoosh writes them.
"""

from __future__ import annotations

import sys
from array import array
from itertools import accumulate
from typing import Any

from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher, W3PostingsWriter
from whoosh.formats import Positions

_BIG = sys.byteorder == "big"
_WIDE = b"\xff\xff"  # first two bytes of a value whose deltas need 32 bits


def _to_bytes(a: array) -> bytes:
    if _BIG:  # little-endian on disk
        a = array(a.typecode, a)
        a.byteswap()
    return a.tobytes()


def _from_bytes(typecode: str, data: bytes) -> array:
    a = array(typecode)
    a.frombytes(data)
    if _BIG:
        a.byteswap()
    return a


class CompactPositions(Positions):
    """Whoosh's Positions format, with each value the position deltas as 16-bit
    integers (32-bit after a ``ff ff`` mark when one delta is 65,535 or more)."""

    def encode(self, poslist: Any) -> bytes:
        deltas = [b - a for a, b in zip([0, *poslist], poslist, strict=False)]
        if deltas and max(deltas) >= 0xFFFF:
            return _WIDE + _to_bytes(array("I", deltas))
        return _to_bytes(array("H", deltas))

    def decode_positions(self, valuestring: bytes) -> list[int]:
        if valuestring[:2] == _WIDE:
            return list(accumulate(_from_bytes("I", valuestring[2:])))
        return list(accumulate(_from_bytes("H", valuestring)))

    def decode_frequency(self, valuestring: bytes) -> int:
        if valuestring[:2] == _WIDE:
            return (len(valuestring) - 2) // 4
        return len(valuestring) // 2


class _Writer(W3PostingsWriter):
    def _mini_weights(self) -> Any:
        weights = super()._mini_weights()
        if isinstance(weights, tuple) and all(w.is_integer() and 0 <= w < 0x10000
                                              for w in weights):
            return _to_bytes(array("H", map(int, weights)))
        return weights

    def _mini_values(self) -> Any:
        values = super()._mini_values()
        if isinstance(values, tuple):  # variable-size values: one string, not a tuple
            lengths = array("I", map(len, values))
            return _to_bytes(lengths) + b"".join(values)
        return values


class _Matcher(W3LeafMatcher):
    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        # Whoosh's delta_decode is a Python generator: one resumption per posting.
        self._ids = tuple(accumulate(self._data[0]))

    def _read_weights(self) -> None:
        if self._data is None:
            self._read_data()
        weights = self._data[1]
        if isinstance(weights, bytes):
            self._weights = array("f", _from_bytes("H", weights))
        else:
            super()._read_weights()

    def _read_values(self) -> None:
        if self._data is None:
            self._read_data()
        values = self._data[2]
        if isinstance(values, bytes) and (self._fixedsize is None or self._fixedsize < 0):
            n = self._blocklength
            lengths = _from_bytes("I", values[:4 * n])
            ends = list(accumulate(lengths, initial=4 * n))
            self._values = tuple(values[a:b] for a, b in zip(ends, ends[1:], strict=False))
        else:
            super()._read_values()


class Codec(W3Codec):
    """Whoosh's W3 codec with compact blocks (see the module doc)."""

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        if byteids:  # term vectors: read by Whoosh's own matcher
            return super().postings_writer(dbfile, byteids=True)
        return _Writer(dbfile, blocklimit=self._blocklimit, byteids=False,
                       compression=self._compression, inlinelimit=self._inlinelimit)

    def postings_reader(self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None,
                        scorer: Any = None) -> Any:
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return _Matcher(dbfile, offset, length, format_, term=term, scorer=scorer)
