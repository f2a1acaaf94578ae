"""Small byte encodings shared by the posting blocks and the term dictionary.

Whoosh pickles these structures; pickle's framing (opcodes, a memo, a ``float``
for every weight) costs more than the numbers it frames when a posting list holds
one or two documents, as most do. Here numbers are LEB128 varints (7 bits a byte),
and runs of numbers are ``array`` bytes of the narrowest width that holds them,
so that decoding a block stays in C.
"""

from __future__ import annotations

import struct
import sys
from array import array
from collections.abc import Iterable

_BIG = sys.byteorder == "big"
_DOUBLE = struct.Struct("<d")
WIDTHS = "BHI"
"""Array typecodes by width code (0, 1, 2): 1, 2 and 4 bytes an item."""


def put_varint(out: bytearray, n: int) -> None:
    """Append the non-negative integer ``n`` to ``out``."""
    while n >= 0x80:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)


def get_varint(data: bytes, i: int) -> tuple[int, int]:
    """The varint at ``data[i]``, and the offset just after it."""
    b = data[i]
    if b < 0x80:  # the usual case: one byte
        return b, i + 1
    n, shift = 0, 0
    while True:
        b = data[i]
        i += 1
        n |= (b & 0x7F) << shift
        if b < 0x80:
            return n, i
        shift += 7


def put_number(out: bytearray, x: float) -> None:
    """Append a weight: twice its value as a varint when it is a small non-negative
    integer (weights are term frequencies), else 1 and the 8-byte double."""
    if x >= 0 and float(x).is_integer() and x < 1 << 62:
        put_varint(out, int(x) << 1)
    else:
        out.append(1)
        out += _DOUBLE.pack(x)


def get_number(data: bytes, i: int) -> tuple[float, int]:
    """The number :func:`put_number` wrote at ``data[i]``, as a float, and the next offset."""
    n, i = get_varint(data, i)
    if n & 1:
        return _DOUBLE.unpack_from(data, i)[0], i + 8
    return float(n >> 1), i


def width_code(largest: int) -> int:
    """The width code (index into :data:`WIDTHS`) of an array that holds ``largest``."""
    return 0 if largest < 0x100 else 1 if largest < 0x10000 else 2


def pack(code: int, items: Iterable[int]) -> bytes:
    """``items`` as little-endian array bytes of width ``code``."""
    a = array(WIDTHS[code], items)
    if _BIG:
        a.byteswap()
    return a.tobytes()


def unpack(code: int, data: bytes) -> array:
    """The array :func:`pack` wrote."""
    a = array(WIDTHS[code])
    a.frombytes(data)
    if _BIG:
        a.byteswap()
    return a


def pack_floats(items: Iterable[float]) -> bytes:
    """``items`` as little-endian 32-bit floats (what Whoosh keeps weights in)."""
    a = array("f", items)
    if _BIG:
        a.byteswap()
    return a.tobytes()


def unpack_floats(data: bytes) -> array:
    a = array("f")
    a.frombytes(data)
    if _BIG:
        a.byteswap()
    return a


def item_size(code: int) -> int:
    return 1 << code
