"""The ``depeches`` command: a thin shell over :mod:`indexer`.

Each command validates its flags, calls one library function and hands the
result to a renderer. Exit status, as ripgrep: 0 something matched, 1 nothing
matched, 2 an error (one line on stderr, never a traceback).
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from indexer.model import FACET_FIELDS

from . import render
from .options import DATE, index_path, search_kwargs, use_color

if TYPE_CHECKING:
    from indexer.model import Results
    from indexer.search.seam import Version

DEFAULT_CORRECTIONS = "depeches.toml"


class DepechesGroup(click.Group):
    """Translates library errors into one line on stderr and exit 2, once, for every command."""

    def main(self, args: Any = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        # click's own usage errors take four lines and exit 2; ours take one.
        args = self.dash_query(list(sys.argv[1:] if args is None else args))
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as e:
            cmd = e.ctx.command_path if e.ctx else "depeches"
            fail(e.format_message(), f"see `{cmd} --help`; a query that starts with '-' "
                 "goes after `--`" if "option" in e.format_message() else f"see `{cmd} --help`")
        except click.ClickException as e:
            fail(e.format_message())
        except click.Abort:
            click.echo("depeches: interrupted", err=True)
            raise SystemExit(130) from None
        if not standalone_mode:
            return rv
        raise SystemExit(rv if isinstance(rv, int) else 0)

    def dash_query(self, args: list[str]) -> list[str]:
        """``depeches search -Macron``: a dash word that is no option is the query (an
        exclusion), as if written after ``--``."""
        cmd = self.commands.get(args[0]) if args else None
        if cmd is None or "--" in args:
            return args
        names = {n for p in cmd.params for n in (*p.opts, *p.secondary_opts)}
        for i, token in enumerate(args[1:], 1):
            if not token.startswith("-") or token.startswith("--") or token in ("-", "-h") \
                    or token in names:
                continue  # long options stay options, known or not
            if token[:2] in names and token[2:].isdigit():
                continue  # -n5: a short option with its value
            if args[i - 1] in names and not _is_flag(cmd, args[i - 1]):
                continue  # the value of the option before it
            return [*args[:i], *args[i + 1:], "--", token]
        return args

    def invoke(self, ctx: click.Context) -> Any:
        from indexer.errors import IndexerError

        try:
            return super().invoke(ctx)
        except IndexerError as e:
            fail(str(e), e.hint)
        except BrokenPipeError:
            sys.stderr.close()  # the reader went away (| head): not an error
            raise SystemExit(0) from None
        except KeyboardInterrupt:
            click.echo("depeches: interrupted", err=True)
            raise SystemExit(130) from None


def _is_flag(cmd: click.Command, name: str) -> bool:
    return any(name in (*p.opts, *p.secondary_opts) and getattr(p, "is_flag", False)
               for p in cmd.params)


def fail(message: str, hint: str | None = None) -> None:
    line = f"depeches: error: {message}"
    if hint:
        line += f" ({hint})"
    say(line.replace("\n", " "), err=True)
    raise SystemExit(2)


def say(text: str, err: bool = False) -> None:
    """One line of text output, control characters made visible (see render.visible)."""
    click.echo(render.visible(text), err=err)


def index_option(f: Callable) -> Callable:
    return click.option("--index", "index_dir", metavar="DIR",
                        help="Index directory (default: $DEPECHES_INDEX or index/).")(f)


def wait_option(f: Callable) -> Callable:
    return click.option("--wait", type=click.FloatRange(0), default=0.0, metavar="SECONDS",
                        help="Wait this long for another writer to finish.")(f)


def filter_options(f: Callable) -> Callable:
    for opt in reversed([
        click.option("--since", type=DATE, help="Articles dated on or after (YYYY[-MM[-DD]])."),
        click.option("--until", type=DATE, help="Articles dated on or before."),
        click.option("--lang", multiple=True, metavar="CODE", help="Language code; repeatable."),
        click.option("--source", multiple=True, help="Source name; repeatable."),
        click.option("--actor", multiple=True, metavar="NAME",
                     help="Articles naming this person or organisation; repeatable (all must)."),
        click.option("--place", multiple=True, metavar="NAME",
                     help="Articles naming this place; repeatable (all must)."),
    ]):
        f = opt(f)
    return f


def results_options(f: Callable) -> Callable:
    """What ``search`` and ``similar`` share besides the filters: how many, and how shown."""
    for opt in reversed([
        click.option("--limit", "-n", type=click.IntRange(1, 10_000), default=10,
                     show_default=True, help="Articles to show."),
        click.option("--per-article", type=click.IntRange(1, 100), default=None,
                     help="Passages per article (default 1)."),
        click.option("--explain", is_flag=True,
                     help="Show the analysed query and how each word matched."),
        click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
                     show_default=True, help="Colour matches: auto means only on a terminal."),
    ]):
        f = opt(f)
    return f


def open_index(index_dir: str | None):
    from indexer import NewsIndex

    return NewsIndex.open(index_path(index_dir))


@click.group(cls=DepechesGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="depeches")
def cli() -> None:
    """Search French news: ranked passages with highlighted matches, and entity facets."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@index_option
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
              help="Processes for cleaning and analysis.  [default: usable cores]")
@click.option("--rebuild", is_flag=True, help="Delete the index first and index everything.")
@wait_option
@click.option("--corrections", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Entity corrections (TOML); default: depeches.toml here, if present.")
@click.option("--vectors", is_flag=True,
              help="Also write word vectors, so that searches count words of close meaning "
                   "(extra 'vectors').")
def index(paths: tuple[str, ...], index_dir: str | None, jobs: int | None, rebuild: bool,
          wait: float, corrections: str | None, vectors: bool) -> None:
    """Index the articles under PATHS (txt, html, json, jsonl, jsonl.gz), incrementally."""
    from indexer import NewsIndex
    from indexer.errors import IndexWriteError
    from indexer.pipeline.corrections import CorrectionsError, load_corrections

    if corrections is None and os.path.exists(DEFAULT_CORRECTIONS):
        corrections = DEFAULT_CORRECTIONS
    try:
        fixes = load_corrections(corrections) if corrections else None
    except CorrectionsError as e:
        fail(str(e))

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    progress = _progress() if sys.stderr.isatty() else None
    failed: IndexWriteError | None = None
    try:
        with NewsIndex.create(index_path(index_dir), overwrite=rebuild) as idx:
            report = idx.add_paths(paths, jobs=jobs, progress=progress, wait=wait,
                                   corrections=fixes)
            if vectors and not report.interrupted:
                idx.write_vectors(wait=wait)
    except IndexWriteError as e:
        failed, report = e, e.report  # what was committed before the disk failed
    if progress:
        click.echo("\r\x1b[K", err=True, nl=False)
    for note in report.notes:
        say(f"depeches: note: {note}", err=True)
    for error in report.errors:
        say(f"depeches: skipped {error}", err=True)
    if failed is not None:
        fail(str(failed), failed.hint)
    click.echo(
        f"{report.articles + report.skipped} articles: {report.new} new, {report.updated} "
        f"updated, {report.unchanged} unchanged, {report.skipped} skipped · {report.passages} "
        f"passages · {report.seconds:.1f} s · {report.rate:.0f} articles/s · "
        f"{report.jobs} process{'es' if report.jobs > 1 else ''}")
    if report.interrupted:
        click.echo(f"depeches: interrupted: {report.new + report.updated} articles committed "
                   "and searchable; run the same command again to finish", err=True)
        raise SystemExit(130)
    if report.skipped:
        raise SystemExit(2)


def _progress() -> Callable[[int], None]:
    def show(done: int) -> None:
        if done % 50 == 0:
            click.echo(f"\rindexing… {done} articles", err=True, nl=False)
    return show


@cli.command()
@click.argument("query")
@index_option
@filter_options
@results_options
@click.option("--fragments", type=click.IntRange(1, 100), default=None,
              help="Same as --per-article.")
@click.option("--json", "as_json", is_flag=True,
              help="JSON Lines: one hit per line, then a summary.")
def search(query: str, index_dir: str | None, since: str | None, until: str | None,
           lang: tuple[str, ...], source: tuple[str, ...], actor: tuple[str, ...],
           place: tuple[str, ...], limit: int, per_article: int | None, fragments: int | None,
           as_json: bool, explain: bool, color: str) -> None:
    """Ranked passages matching QUERY, best first, grouped by article."""
    kwargs = search_kwargs(limit, per_article or fragments, since, until, lang, source,
                           actor, place)
    _show_results(index_dir, lambda idx: idx.search(query, **kwargs), actor, place, as_json,
                  explain, color)


@cli.command()
@click.argument("article_id")
@index_option
@filter_options
@results_options
@click.option("--json", "as_json", is_flag=True,
              help="JSON Lines, as search writes them; the summary's query is the words used.")
def similar(article_id: str, index_dir: str | None, since: str | None, until: str | None,
            lang: tuple[str, ...], source: tuple[str, ...], actor: tuple[str, ...],
            place: tuple[str, ...], limit: int, per_article: int | None, as_json: bool,
            explain: bool, color: str) -> None:
    """Articles like ARTICLE_ID (its telling words, actors and places), itself excluded."""
    kwargs = search_kwargs(limit, per_article, since, until, lang, source, actor, place)
    _show_results(index_dir, lambda idx: idx.similar(article_id, **kwargs), actor, place,
                  as_json, explain, color)


def _show_results(index_dir: str | None, find: Callable[[Any], Results],
                  actor: tuple[str, ...], place: tuple[str, ...], as_json: bool,
                  explain: bool, color: str) -> None:
    out = sys.stdout
    # Rendering counts the totals: the same committed version must stay open until then.
    with open_index(index_dir) as idx, idx.snapshot() as snap:
        results = find(idx)
        hints = _unknown_entity_hints(snap, actor, place) if not len(results) else []
        if as_json:
            render.render_results_json(results, out, explain)
        else:
            render.render_results_text(results, out, render.Style(use_color(color, out)),
                                       explain)
    for hint in hints:
        say(f"depeches: {hint}", err=True)
    raise SystemExit(0 if len(results) else 1)


def _unknown_entity_hints(snap: Version, actors: tuple[str, ...], places: tuple[str, ...]
                          ) -> list[str]:
    from indexer.search.facets import closest_names

    hints = []
    for field, names in (("actors", actors), ("places", places)):
        for name in names:
            close = closest_names(snap, field, name)
            if close and name not in close:
                hints.append(f"no {field[:-1]} {name!r}; closest known: {', '.join(close)}")
    return hints


@cli.command()
@click.argument("query", required=False, default="")
@index_option
@filter_options
@click.option("--field", type=click.Choice(FACET_FIELDS),
              default="actors", show_default=True, help="The facet to count.")
@click.option("--top", type=click.IntRange(1, 10_000), default=20, show_default=True,
              help="How many values to show.")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: one facet value per line.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
              help="Colour the bars: auto means only on a terminal.")
def facets(query: str, index_dir: str | None, field: str, top: int, as_json: bool, color: str,
           **filters: Any) -> None:
    """Count articles per actor, place, source or language (optionally for QUERY)."""
    kwargs = search_kwargs(None, None, **filters)
    with open_index(index_dir) as idx:
        counts = idx.facets(query, field, top, **kwargs)
    out = sys.stdout
    if as_json:
        render.render_facets_json(counts, field, out)
    else:
        render.render_facets_text(counts, field, out, render.Style(use_color(color, out)))
    raise SystemExit(0 if counts else 1)


@cli.command()
@click.argument("query", required=False, default="")
@index_option
@filter_options
@click.option("--json", "as_json", is_flag=True, default=True,
              help="JSON Lines (the only format; accepted for clarity).")
def export(query: str, index_dir: str | None, as_json: bool, **filters: Any) -> None:
    """Write matching articles as JSON Lines: id, title, date, source, url, lang, entities."""
    kwargs = search_kwargs(None, None, **filters)
    with open_index(index_dir) as idx:
        n = render.write_json_lines(idx.export(query, **kwargs),
                                    sys.stdout)
    raise SystemExit(0 if n else 1)


@cli.command()
@click.argument("article_id")
@index_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Colour the title and headings: auto means only on a "
              "terminal.")
def show(article_id: str, index_dir: str | None, as_json: bool, color: str) -> None:
    """Print one whole article with its metadata."""
    with open_index(index_dir) as idx:
        meta, passages = idx.article(article_id)
    out = sys.stdout
    if as_json:
        obj = {"article_id": article_id, **{k: meta[k] for k in (
            "title", "date", "source", "url", "lang")}, "actors": list(meta["actors"]),
            "places": list(meta["places"]),
            "passages": [{"section": s, "text": t} for s, t in passages]}
        out.write(json.dumps(obj, ensure_ascii=False) + "\n")
        return
    render.render_article_text(article_id, meta, passages, out,
                               render.Style(use_color(color, out)))


@cli.command()
@index_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
def stats(index_dir: str | None, as_json: bool) -> None:
    """Counts, languages, date range and size of the index."""
    with open_index(index_dir) as idx:
        info = idx.stats()
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False))
        return
    say(f"index: {info['path']}")
    click.echo(f"articles: {info['articles']}   passages: {info['passages']}")
    langs = ", ".join(f"{k} {v}" for k, v in info["languages"].items())
    say(f"languages: {langs or '-'}")
    click.echo(f"dates: {info['date_min'] or '-'} … {info['date_max'] or '-'}")
    click.echo(f"size: {info['size_bytes'] / 1e6:.1f} MB")
    merge = f" ({info['deleted_documents']} replaced documents, counted until a merge: " \
        "depeches optimize)" if info["deleted_documents"] else ""
    click.echo(f"segments: {info['segments']}{merge}")


@cli.command()
@index_option
@wait_option
def optimize(index_dir: str | None, wait: float) -> None:
    """Merge the index into one segment, dropping replaced articles (after many updates)."""
    import time

    start = time.perf_counter()
    with open_index(index_dir) as idx:
        before, after = idx.optimize(wait=wait)
    if before == after:
        click.echo(f"{before} segment, no replaced documents: nothing to merge")
        return
    click.echo(f"{before} segments merged into {after} · {time.perf_counter() - start:.1f} s")


@cli.command()
@index_option
def check(index_dir: str | None) -> None:
    """Verify every file and stored record of the index: exit 0 if sound, 2 if damaged."""
    with open_index(index_dir) as idx:
        report = idx.check()
    for segment_id in report.unchecked:
        say(f"depeches: note: segment {segment_id} has no checksums (written by an earlier "
            "version): re-index with --rebuild to have them", err=True)
    for problem in report.problems:
        say(f"depeches: damaged: {problem}", err=True)
    found = f"{len(report.problems)} problem{'s' if len(report.problems) != 1 else ''}" \
        if report.problems else "no damage"
    checked = f"{report.files} files" if report.shards is None else \
        f"{report.shards} shard{'s' if report.shards != 1 else ''}"
    click.echo(f"{checked} and {report.records} records checked: {found}")
    if not report.ok:
        raise SystemExit(2)


@cli.command()
@click.argument("text")
@click.option("--lang", default="fr", show_default=True, help="Language of the chain.")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: one token per line.")
def analyze(text: str, lang: str, as_json: bool) -> None:
    """Show the tokens the analysis chain makes of TEXT, with offsets (like _analyze)."""
    from indexer.analysis import analyze as run

    tokens = run(text, lang)
    for pos, t in enumerate(tokens):
        if as_json:
            click.echo(json.dumps({"position": pos, "start": t.start, "end": t.end,
                                   "word": text[t.start:t.end], "stem": t.stem,
                                   "exact": t.exact, "proper": t.proper}, ensure_ascii=False))
        else:
            flag = " (name)" if t.proper else ""
            say(f"{pos:>3} {t.start:>4}-{t.end:<4} {text[t.start:t.end]:<20} "
                f"{t.stem:<16} {t.exact}{flag}")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="depeches")


