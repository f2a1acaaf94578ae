"""Reading articles from files: plain text, HTML, JSON, JSON Lines (optionally gzipped).

:func:`read_articles` walks paths and yields articles or :class:`CorpusError`
values, so that one bad file (or one bad line) is reported and skipped while the
rest of the batch goes on.  Files are streamed: a ``.jsonl.gz`` is never held
in memory whole.
"""

from __future__ import annotations

import gzip
import html
import json
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Protocol

from ..errors import CorpusError, CorpusNote
from ..model import Article, Block

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
JSON_SUFFIXES = (".json", ".jsonl", ".jsonl.gz", ".ndjson")
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSON_SUFFIXES

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Files above this size are skipped (JSON Lines files are streamed and exempt)."""
MAX_LINE_CHARS = 8 * 1024 * 1024
"""A single JSON Lines record above this size is skipped."""
TITLE_CHARS = 120

MONTHS = {m: i for i, m in enumerate(
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
    .split(), 1)}
_DATELINE = re.compile(
    r"^\s*(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?"
    r"(\d{1,2})(?:er)?\s+(" + "|".join(MONTHS) + r")\s+(\d{4})\b",
    re.IGNORECASE,
)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def read_articles(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Article | CorpusError]:
    """Every article under ``paths`` (files or directories, recursively), in a stable order.

    Problems come back as :class:`CorpusError` items rather than exceptions.
    """
    for path in paths:
        root = Path(path)
        if not root.exists() and not root.is_symlink():
            yield CorpusError(str(path), "no such file or directory")
        elif root.is_dir():
            yield from _read_dir(root)
        else:
            yield from read_file(root, root.parent)


def _read_dir(root: Path) -> Iterator[Article | CorpusError]:
    seen: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=None):
        st = os.stat(dirpath)
        if (st.st_dev, st.st_ino) in seen:  # a symlink loop: walk each directory once
            dirnames.clear()
            yield CorpusError(dirpath, "symlink loop, skipped")
            continue
        seen.add((st.st_dev, st.st_ino))
        if dirpath != str(root) and os.path.exists(os.path.join(dirpath, "depeches.json")):
            dirnames.clear()  # a depeches index under the corpus: not articles
            continue
        dirnames.sort()
        for name in sorted(filenames):
            if name.startswith(".") or not name.lower().endswith(SUFFIXES):
                continue
            yield from read_file(Path(dirpath) / name, root)


def read_file(path: Path, root: Path) -> Iterator[Article | CorpusError]:
    """The articles of one file; ids come from the path relative to ``root`` when absent."""
    where = str(path)
    try:
        if not path.exists():
            yield CorpusError(where, "broken symlink" if path.is_symlink() else "no such file")
            return
        name = path.name.lower()
        if name.endswith((".jsonl", ".jsonl.gz", ".ndjson")):
            yield from _read_jsonl(path, root)
            return
        size = path.stat().st_size
        if size == 0:
            yield CorpusError(where, "empty file")
            return
        if size > MAX_FILE_BYTES:
            yield CorpusError(where, f"file too large ({size} bytes > {MAX_FILE_BYTES})")
            return
        text, note = decode(path.read_bytes(), where)
        default_id = _path_id(path, root)
        if name.endswith(".json"):
            yield from _read_json(text, where, default_id)
        elif name.endswith(HTML_SUFFIXES):
            yield parse_html(text, default_id)
        else:
            yield parse_text(text, default_id)
        if note:
            yield CorpusNote(where, note)
    except CorpusError as e:
        yield e
    except PermissionError:
        yield CorpusError(where, "permission denied")
    except OSError as e:
        reason = "symlink loop" if e.errno == 40 else (e.strerror or str(e))
        yield CorpusError(where, reason)


def decode(data: bytes, where: str) -> tuple[str, str | None]:
    """Text from bytes: UTF-8, else cp1252 (old French archives); binary is refused.

    Returns the text and a note when a fallback encoding was used.
    """
    if b"\x00" in data[:8192]:
        raise CorpusError(where, "binary content")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
        enc = "cp1252"
    except UnicodeDecodeError:
        text = data.decode("latin-1")
        enc = "latin-1"
    controls = sum(1 for c in text[:8192] if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > 8:
        raise CorpusError(where, "undecodable text (not UTF-8, cp1252 or Latin-1)")
    return text, f"decoded as {enc}"


def _path_id(path: Path, root: Path) -> str:
    try:
        rel = path.relative_to(root)
    except ValueError:
        rel = Path(path.name)
    # A file name that is not UTF-8 would carry surrogate escapes into the id.
    stem = os.fsencode(rel.as_posix()).decode("utf-8", "replace")
    for suffix in SUFFIXES:
        if stem.lower().endswith(suffix):
            return stem[: -len(suffix)]
    return stem


def parse_text(text: str, article_id: str) -> Article:
    """An article from scraped plain text: one paragraph per line, no title line."""
    blocks = tuple(Block(line.strip()) for line in text.splitlines() if line.strip())
    first = next((b.text for b in blocks if b.kind == "paragraph"), "")
    return Article(id=article_id, title=derive_title(first), blocks=blocks,
                   date=date_in_text(first))


def derive_title(text: str, limit: int = TITLE_CHARS) -> str:
    """The first sentence, cut at a word boundary with an ellipsis when too long."""
    from .passages import sentences

    sentence = next(iter(sentences(text)), "")
    if len(sentence) <= limit:
        return sentence.strip()
    cut = sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def date_in_text(text: str) -> str | None:
    """The ISO date of a dateline such as ``22 mai 2012. - …`` at the start of a text."""
    m = _DATELINE.match(text)
    if not m:
        return None
    day, month, year = int(m.group(1)), MONTHS[m.group(2).lower()], int(m.group(3))
    if not 1 <= day <= 31:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def normalize_date(value: object) -> str | None:
    """An ISO ``YYYY-MM-DD`` from a record's date field, or ``None``."""
    if not isinstance(value, str):
        return None
    m = _ISO_DATE.match(value.strip())
    if m:
        return "-".join(m.groups())
    return date_in_text(value)


def article_from_record(record: object, default_id: str, where: str,
                        line: int | None = None) -> Article:
    """An article from a JSON object with ``id, title, date, source, url, lang, lede, body``."""
    if not isinstance(record, dict):
        raise CorpusError(where, "expected a JSON object", line=line)
    body = record.get("body")
    if not isinstance(body, str):
        reason = "missing 'body'" if body is None else "'body' is not a string"
        raise CorpusError(where, reason, line=line)

    def text(key: str) -> str | None:
        value = record.get(key)
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            return None  # lists and objects are not titles, dates or sources
        return _valid(str(value)) or None

    article = Article.from_fields(
        id=text("id") or default_id,
        title=text("title") or "",
        body=_valid(body),
        date=normalize_date(record.get("date")),
        source=text("source"),
        url=text("url"),
        lang=(text("lang") or "").lower() or None,
        lede=text("lede") or "",
    )
    if not article.title:
        first = next(iter(article.paragraphs), "")
        article = _replace(article, title=derive_title(first))
    if article.date is None:
        article = _replace(article, date=date_in_text(next(iter(article.paragraphs), "")))
    return article


def _valid(text: str) -> str:
    """The text with lone surrogates (from ``\\ud800`` escapes) replaced: they cannot be written."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")


def _replace(article: Article, **changes: object) -> Article:
    from dataclasses import replace

    return replace(article, **changes)  # type: ignore[arg-type]


def _read_json(text: str, where: str, default_id: str) -> Iterator[Article | CorpusError]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        yield CorpusError(where, f"malformed JSON: {e.msg}", line=e.lineno)
        return
    except (ValueError, RecursionError) as e:  # absurd nesting or numbers
        yield CorpusError(where, f"malformed JSON: {type(e).__name__}")
        return
    records = data if isinstance(data, list) else [data]
    for i, record in enumerate(records):
        default = default_id if len(records) == 1 else f"{default_id}#{i + 1}"
        try:
            yield article_from_record(record, default, where)
        except CorpusError as e:
            yield e


def _read_jsonl(path: Path, root: Path) -> Iterator[Article | CorpusError]:
    where = str(path)
    default_id = _path_id(path, root)
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    n = 0
    try:
        with opener(path, "rb") as f:
            for n, raw in enumerate(_lines(f, MAX_LINE_CHARS), 1):
                if raw is None:
                    yield CorpusError(where, "record too large", line=n)
                    continue
                if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                if not raw.strip():
                    continue
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError:
                    line = raw.decode("cp1252", errors="replace")
                    yield CorpusNote(where, "decoded as cp1252", line=n)
                try:
                    record = json.loads(line)
                except (ValueError, RecursionError):
                    yield CorpusError(where, "malformed JSON", line=n)
                    continue
                try:
                    yield article_from_record(record, f"{default_id}#{n}", where, line=n)
                except CorpusError as e:
                    yield e
    except (EOFError, gzip.BadGzipFile, zlib.error) as e:
        reason = "truncated gzip" if isinstance(e, EOFError) else f"bad gzip ({e})"
        yield CorpusError(where, reason, line=n + 1 if n else None)
        return
    if n == 0:
        yield CorpusError(where, "empty file")


class _LineReader(Protocol):
    def readline(self, size: int = -1, /) -> bytes: ...


def _lines(f: _LineReader, limit: int) -> Iterator[bytes | None]:
    """Each line of ``f``, or None for a line longer than ``limit`` bytes, which is read
    past a chunk at a time: memory stays bounded by the limit whatever the input (a
    small gzip can inflate to one line of gigabytes)."""
    while True:
        raw = f.readline(limit + 1)
        if not raw:
            return
        if len(raw) <= limit:
            yield raw
            continue
        yield None
        while not raw.endswith(b"\n"):
            raw = f.readline(_SKIP_CHUNK)
            if not raw:
                return


_SKIP_CHUNK = 1 << 20


class _PageParser(HTMLParser):
    """Collects ``<title>``, ``<h1>``, a ``<h2>`` standfirst, headings and paragraphs."""

    _BLOCKS = {"p", "h1", "h2", "h3", "h4", "li", "blockquote", "title"}
    _SKIP = {"script", "style", "nav", "footer", "header", "aside", "form", "noscript"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple[str, str]] = []
        self._tag: str | None = None
        self._buf: list[str] = []
        self._skip = 0
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skip += 1
        elif tag in self._BLOCKS:
            self._flush()
            self._tag = tag
        elif tag == "br" and self._tag:
            self._buf.append(" ")
        elif tag == "meta":
            a = {k: v or "" for k, v in attrs}
            key = a.get("property") or a.get("name") or ""
            if key and "content" in a:
                self.meta[key.lower()] = a["content"]

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag == self._tag:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._tag and not self._skip:
            self._buf.append(data)

    def _flush(self) -> None:
        if self._tag:
            text = " ".join("".join(self._buf).split())
            if text:
                self.parts.append((self._tag, text))
        self._tag, self._buf = None, []


def parse_html(text: str, article_id: str) -> Article:
    """An article from a page: ``<h1>`` (or ``<title>``) title, ``<h2>`` lede, ``<p>`` body."""
    parser = _PageParser()
    parser.feed(text)
    parser.close()
    parser._flush()
    title = next((t for tag, t in parser.parts if tag == "h1"), "") or \
        next((t for tag, t in parser.parts if tag == "title"), "")
    lede = ""
    blocks: list[Block] = []
    for tag, t in parser.parts:
        if tag in ("title", "h1"):
            continue
        if tag == "h2" and not lede and not blocks:
            lede = t
        elif tag in ("h2", "h3", "h4"):
            blocks.append(Block(t, "heading"))
        else:
            blocks.append(Block(t))
    first = next((b.text for b in blocks if b.kind == "paragraph"), "")
    date = normalize_date(parser.meta.get("article:published_time")) or date_in_text(first)
    return Article(id=article_id, title=html.unescape(title), blocks=tuple(blocks), date=date,
                   lede=lede, url=parser.meta.get("og:url") or None,
                   source=parser.meta.get("og:site_name") or None)
