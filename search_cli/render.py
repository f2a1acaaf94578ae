"""Renderers: one per output format, each writing to the stream it is given.

Text respects ``--color``; JSON writes JSON Lines (one object per line):

- ``{"type": "hit", "rank", "article_id", "title", "date", "source", "url", "lang",
  "score", "passage", "highlights": [[start, end], ...], "actors", "places"}``
- then ``{"type": "summary", "query", "total_articles", "total_passages", "total_relation",
  "elapsed_ms"}``; ``total_relation`` is ``"gte"`` when the totals stopped at COUNT_LIMIT.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import IO, Any

from indexer.model import FacetCount, Hit, Results
from indexer.text import CONTROL

COUNT_LIMIT = 1000
"""Matching passages counted for the summary at most; past it the totals read ``1000+``.
Counting walks every match in pure Python (about 50 µs each), which on a broad
query over a large index took longer than the search itself."""


def visible(text: str) -> str:
    """Text safe to print on a terminal: each control character but tab and newline
    written as an escape (``\\x1b``), as ripgrep and ``ls`` show them.

    Cleaning removes them from what it indexes; this covers the rest (ids, file names in
    messages, indexes written before cleaning did).
    """
    if not CONTROL.search(text):
        return text
    return CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


class Style:
    """ANSI styling that turns into nothing when colour is off."""

    def __init__(self, color: bool) -> None:
        self.color = color

    def _wrap(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color and text else text

    def match(self, text: str) -> str:
        return self._wrap("1;31", text)

    def title(self, text: str) -> str:
        return self._wrap("1;32", text)

    def dim(self, text: str) -> str:
        return self._wrap("2", text)

    def heading(self, text: str) -> str:
        return self._wrap("1", text)


def highlighted(text: str, spans: Iterable[tuple[int, int]], style: Style,
                plain: tuple[str, str] = ("", "")) -> str:
    """The passage with its matches styled (or wrapped in ``plain`` markers without colour)."""
    out, pos = [], 0
    for start, end in spans:
        word = visible(text[start:end])
        out += [visible(text[pos:start]),
                style.match(word) if style.color else plain[0] + word + plain[1]]
        pos = end
    out.append(visible(text[pos:]))
    return "".join(out)


def hit_json(hit: Hit, explain: bool = False) -> dict[str, Any]:
    """The documented JSON object of one hit."""
    obj: dict[str, Any] = {
        "type": "hit", "rank": hit.rank, "article_id": hit.article_id, "title": hit.title,
        "date": hit.date, "source": hit.source, "url": hit.url, "lang": hit.lang,
        "score": hit.score, "passage": hit.passage,
        "highlights": [list(s) for s in hit.highlights],
        "actors": list(hit.actors), "places": list(hit.places)}
    if explain:
        obj["matches"] = [{"query": m.query_term, "word": m.word, "how": m.how}
                          for m in hit.matches]
    return obj


def render_results_json(results: Results, out: IO[str], explain: bool = False) -> None:
    for hit in results:
        out.write(json.dumps(hit_json(hit, explain), ensure_ascii=False) + "\n")
    totals = results.totals(COUNT_LIMIT)
    summary: dict[str, Any] = {
        "type": "summary", "query": results.query, "total_articles": totals.articles,
        "total_passages": totals.passages,
        "total_relation": "eq" if totals.exact else "gte",
        "elapsed_ms": round(results.elapsed_ms, 2)}
    if results.suggestions:
        summary["did_you_mean"] = list(results.suggestions)
    if explain:
        summary["analysed"] = results.analysed
        summary["left_out"] = list(results.left_out)
    out.write(json.dumps(summary, ensure_ascii=False) + "\n")


def render_results_text(results: Results, out: IO[str], style: Style,
                        explain: bool = False) -> None:
    """Hits grouped by article: a title line, a metadata line, then the passages."""
    if results.suggestions:
        out.write(style.dim(visible(f"did you mean: {', '.join(results.suggestions)}?")) + "\n")
    if explain:
        out.write(style.dim(f"analysed query: {results.analysed or '(no words)'}") + "\n")
        if results.left_out:
            out.write(style.dim(visible(f"left out of a long query ({len(results.left_out)} "
                                        f"words): {' '.join(results.left_out)}")) + "\n")
    previous = None
    for hit in results:
        if hit.article_id != previous:
            if previous is not None:
                out.write("\n")
            out.write(style.title(visible(hit.title or hit.article_id)) + "\n")
            meta = " · ".join(x for x in (hit.date, hit.source, hit.article_id,
                                          f"score {hit.score:.2f}") if x)
            out.write(style.dim(visible(meta)) + "\n")
            previous = hit.article_id
        if hit.section:
            out.write("  " + style.heading(visible(f"— {hit.section} —")) + "\n")
        text = highlighted(hit.passage, hit.highlights, style, ("**", "**"))
        out.write("  " + text.replace("\n", "\n  ") + "\n")  # joined paragraphs, indented
        if explain and hit.matches:
            for m in hit.matches:
                out.write(style.dim(visible(f"    {m.query_term} → {m.word} ({m.how})")) + "\n")
    out.write("\n" if len(results) else "")
    out.write(style.dim(summary_line(results)) + "\n")


def summary_line(results: Results) -> str:
    shown = len({h.article_id for h in results})
    totals = results.totals(COUNT_LIMIT)
    more = "" if totals.exact else "+"
    line = (f"{shown} of {totals.articles}{more} articles shown "
            f"({totals.passages}{more} passages matched) in {results.elapsed_ms:.0f} ms")
    for name in ("actors", "places"):
        top = results.facets.get(name)
        if top:
            line += f" · {name}: " + ", ".join(visible(f.value) for f in top[:3])
    return line


def render_article_text(article_id: str, meta: dict[str, Any],
                        passages: Sequence[tuple[str, str]], out: IO[str], style: Style) -> None:
    """One whole article: its title, a line per known metadata field, then its passages
    under their intertitles, as ``search`` styles titles, metadata and intertitles."""
    out.write(style.title(visible(meta["title"])) + "\n")
    lines = [f"{key}: {meta[key]}" for key in ("date", "source", "url", "lang") if meta.get(key)]
    lines.append(f"id: {article_id}")
    lines += [f"{key}: {', '.join(meta[key])}" for key in ("actors", "places") if meta.get(key)]
    for line in lines:
        out.write(style.dim(visible(line)) + "\n")
    section = None
    for sec, text in passages:
        if sec and sec != section:
            out.write("\n" + style.heading(visible(f"— {sec} —")) + "\n")
            section = sec
        out.write("\n" + visible(text) + "\n")


def render_facets_text(counts: Sequence[FacetCount], field: str, out: IO[str],
                       style: Style, width: int = 30) -> None:
    """A compact table with bars: value, count, bar scaled to the largest count."""
    if not counts:
        out.write(f"no {field}\n")
        return
    values = [visible(c.value) for c in counts]
    name_w = min(40, max(map(len, values)))
    top = counts[0].count
    for c, value in zip(counts, values, strict=True):
        bar = "█" * max(1, round(width * c.count / top))
        out.write(f"{value[:name_w]:<{name_w}}  {c.count:>6}  {style.dim(bar)}\n")


def render_facets_json(counts: Sequence[FacetCount], field: str, out: IO[str]) -> None:
    for c in counts:
        out.write(json.dumps({"type": "facet", "field": field, "value": c.value,
                              "count": c.count}, ensure_ascii=False) + "\n")


def write_json_lines(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n
