"""Passages: the units that are ranked and shown.

Short paragraphs that follow each other in one section are joined (with a
newline) up to :data:`MAX_PASSAGE_CHARS`, and long ones are split into runs of
whole sentences at French sentence boundaries. News paragraphs are often one
sentence long: one passage each would multiply the documents, the postings and
the work of every search, and a lone sentence is poor context for a reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..analysis import ABBREVIATIONS
from ..model import Article, Passage

MAX_PASSAGE_CHARS = 1000
"""A paragraph longer than this is split into runs of whole sentences, and shorter
paragraphs are joined while the passage stays within it."""
PARAGRAPH_BREAK = "\n"
"""Separates the paragraphs joined in one passage."""
MAX_SENTENCE_CHARS = 10_000
"""A sentence longer than this is no sentence but a run of dots, of capitals, a list
with no stop...: it is cut hard into pieces of at most :data:`MAX_PASSAGE_CHARS`, at a
space in the last half of each piece if there is one, else at the limit itself. Below
it a long sentence stands alone as a passage; the longest of the 36,152 OrangeSum
articles has 5,575 characters. A megabyte of text with no stop thus still makes
passages of a readable size, each highlighted and stored on its own."""

# A sentence may end at . ! ? or … (French puts a space before ? and !), perhaps
# followed by a closing quote, then whitespace and something that opens a sentence.
# Linear in a run of stops: a match opens only where a run does (the look-behind), and
# takes the run whole (``++``), with no backtracking. Without them, 40 KB of dots took
# 28 s: every dot opened a match that ran to the end of the run, then gave it back.
_END = re.compile(r"(?<![.!?…])[.!?…]++(?:\s?[»\"”)])?"
                  r"(?=\s++(?:[«\"“(\-–—]\s*+)?[A-ZÀ-ÖØ-Þ0-9])")
_WORD_BEFORE = re.compile(r"([\w.-]+)$")


def sentences(text: str) -> list[str]:
    """Split a paragraph into sentences.

    Not a boundary: the stop after ``M.``, ``Mme``, ``Dr`` and initials (``J.``),
    and anything inside « guillemets ».
    """
    out, start = [], 0
    depth, counted = 0, 0  # guillemets still open in text[start:counted]
    for m in _END.finditer(text):
        end = m.end()
        if m.group().startswith(".") and _is_abbreviation(text, m.start()):
            continue
        # Counted on from the last candidate, not from the sentence start: that was
        # quadratic in a long « quotation » full of rejected stops.
        depth += _quote_depth(text, counted, m.start())
        counted = m.start()
        if depth > 0 and not m.group().endswith("»"):
            continue
        out.append(text[start:end].strip())
        start = counted = end
        depth = 0
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def _is_abbreviation(text: str, dot: int) -> bool:
    m = _WORD_BEFORE.search(text, max(0, dot - 40), dot)  # a window: whole text is quadratic
    if not m:
        return False
    word = m.group(1)
    return word in ABBREVIATIONS or (len(word) == 1 and word.isupper())


def _quote_depth(text: str, start: int, end: int) -> int:
    return text.count("«", start, end) - text.count("»", start, end)


def split_paragraph(text: str, limit: int = MAX_PASSAGE_CHARS) -> Iterator[str]:
    """Runs of whole sentences of at most ``limit`` characters.

    A longer sentence stands alone, up to :data:`MAX_SENTENCE_CHARS`; beyond, it is cut."""
    if len(text) <= limit:
        yield text
        return
    run: list[str] = []
    size = 0
    for sentence in _cut_long(sentences(text), limit):
        if run and size + 1 + len(sentence) > limit:
            yield " ".join(run)
            run, size = [], 0
        run.append(sentence)
        size += len(sentence) + (1 if size else 0)
    if run:
        yield " ".join(run)


def _cut_long(sentences: list[str], limit: int) -> Iterator[str]:
    for sentence in sentences:
        if len(sentence) > MAX_SENTENCE_CHARS:
            yield from split_hard(sentence, limit)
        else:
            yield sentence


def split_hard(text: str, limit: int = MAX_PASSAGE_CHARS) -> Iterator[str]:
    """Pieces of at most ``limit`` characters, cut at the last space of each piece's
    second half (the space is dropped), else at the limit (see :data:`MAX_SENTENCE_CHARS`).

    Joined with spaces where a space was cut, the pieces give back the text."""
    start = 0
    while len(text) - start > limit:
        cut = text.rfind(" ", start + limit // 2, start + limit + 1)
        if cut < 0:
            yield text[start : start + limit]
            start += limit
        else:
            yield text[start:cut]
            start = cut + 1
    if start < len(text):
        yield text[start:]


def select_passages(article: Article) -> list[Passage]:
    """The passages of an article, in reading order; the lede comes first."""
    pieces: list[tuple[str | None, str]] = []
    if article.lede:
        pieces.extend((None, t) for t in split_paragraph(article.lede))
    section: str | None = None
    for block in article.blocks:
        if block.kind == "heading":
            section = block.text
            continue
        pieces.extend((section, t) for t in split_paragraph(block.text))
    out: list[Passage] = []
    run: list[str] = []
    run_section: str | None = None
    size = 0
    for section, text in pieces:
        if run and (section != run_section or size + 1 + len(text) > MAX_PASSAGE_CHARS):
            out.append(Passage(article.id, len(out), PARAGRAPH_BREAK.join(run), run_section))
            run, size = [], -1
        if not run:
            run_section, size = section, -1
        run.append(text)
        size += 1 + len(text)
    if run:
        out.append(Passage(article.id, len(out), PARAGRAPH_BREAK.join(run), run_section))
    if not out and article.title:
        out.append(Passage(article.id, 0, article.title))
    return out
