"""Robustness: bad files, interrupted runs, concurrent use, damaged or foreign indexes.

Most tests run the CLI in-process with ``CliRunner``. Signals and concurrency
need real processes: those start ``depeches index`` through a two-line
bootstrap that sets a small ``BATCH_ARTICLES`` (so a commit comes after 20
articles, not 10,000) and then calls the console-script entry point.

To stop a writer at a known point without sleeping, the corpus ends with a
named pipe (``pipe.jsonl``): the writer reads every regular file, commits its
full batches, keeps the rest in an open Whoosh writer, then blocks opening the
pipe. The test opening the pipe's other end is the signal that this point is
reached; nothing depends on timing.
"""

from __future__ import annotations

import errno
import gzip
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import indexer.index
import indexer.pipeline.sources
from indexer import Article, NewsIndex
from indexer.errors import CorpusError, CorpusNote
from indexer.pipeline.sources import read_articles
from search_cli.cli import cli

DEPECHES = Path(sys.executable).parent / "depeches"
BATCH = 20
# The CLI's own entry point, with a smaller batch: argv is `-c BATCH index ...`.
BOOT = ("import sys, indexer.index as ix; ix.BATCH_ARTICLES = int(sys.argv.pop(1)); "
        "sys.argv[0] = 'depeches'; from search_cli.cli import main; main()")
POLL_SECONDS = 90  # generous: CI machines are slow and shared

WORDS = ("le conseil municipal vote le budget de la commune après un long débat sur les "
         "transports la grève des cheminots perturbe le trafic régional les agriculteurs "
         "réclament une aide face à la sécheresse le tribunal examine le recours des "
         "riverains contre le projet de centrale solaire").split()


# -- helpers -------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _keep_sigterm():
    """`depeches index` installs a SIGTERM handler; in-process runs must not leak it."""
    saved = signal.getsignal(signal.SIGTERM)
    yield
    signal.signal(signal.SIGTERM, saved)


def invoke(*args: str):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    # A clean exit is a SystemExit (or none); anything else escaped the CLI's error handling.
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        f"{result.exception!r}\n{result.stderr}"
    assert "Traceback" not in result.stderr
    return result


def error_line(result) -> str:
    """The one line an error writes on stderr."""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("depeches: error: ")
    return lines[0]


def record(i: int, prefix: str = "d") -> dict:
    rnd = random.Random(i)
    body = "Le conseil municipal vote le budget. " + " ".join(rnd.choices(WORDS, k=24)) + "."
    return {"id": f"{prefix}-{i:04d}", "title": f"dépêche {prefix} {i}", "lang": "fr",
            "date": "2016-05-01", "body": body}


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return path


def found_ids(index: Path, query: str, limit: int = 1000) -> set[str]:
    result = invoke("search", query, "--index", index, "--json", "--limit", str(limit))
    assert result.exit_code == 0, result.stderr
    return {h["article_id"] for h in map(json.loads, result.stdout.splitlines())
            if h["type"] == "hit"}


def article_count(index: Path) -> int:
    with NewsIndex.open(index) as idx:
        return idx.stats()["articles"]


def spawn_index(*args: str | Path, cwd: Path, batch: int = BATCH) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", BOOT, str(batch), "index", *map(str, args)],
        cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True)


def open_pipe_when_read(fifo: Path, proc: subprocess.Popen) -> int:
    """Open the write end once the indexer has reached the pipe (every earlier file done)."""
    deadline = time.monotonic() + POLL_SECONDS
    while True:
        try:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as e:
            if e.errno != errno.ENXIO:  # ENXIO: nobody has the pipe open for reading yet
                raise
        else:
            os.set_blocking(fd, True)
            return fd
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"indexer ended before reading the pipe ({proc.returncode}): {err}")
        if time.monotonic() > deadline:
            pytest.fail("indexer never reached the pipe")
        time.sleep(0.05)


def asleep_on_the_pipe(proc: subprocess.Popen) -> None:
    """Wait until ``proc`` sleeps in its read of the pipe.

    CPython runs a signal's handler between bytecodes, or when a blocking call returns
    with EINTR. A signal that lands after the last check and before read() enters the
    kernel interrupts nothing, so its handler waits for read() to return; and this pipe,
    held open and silent, never returns. A stop's CI waited the whole 90 s on one
    (python/cpython#98140 and ocaml/ocaml#1107 describe the race). Ctrl-C pressed twice
    gets past it; a test sends one signal, so it sends it where the read is.
    """
    wchan = Path(f"/proc/{proc.pid}/wchan")
    start = time.monotonic()
    while True:
        try:
            where = wchan.read_text()
        except OSError:  # no /proc: a moment's grace instead
            time.sleep(0.5)
            return
        if "pipe" in where:  # pipe_read, anon_pipe_read, pipe_wait (older kernels)
            return
        waited = time.monotonic() - start
        if where == "0" and waited > 0.5:
            return  # running, or a kernel that hides wait channels: the same grace
        assert proc.poll() is None, proc.communicate()
        assert waited < POLL_SECONDS, f"indexer never slept on the pipe ({where})"
        time.sleep(0.01)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the group: pool workers too
        except ProcessLookupError:  # not a group leader
            proc.kill()
    proc.communicate()


@pytest.fixture
def paused_writer(tmp_path: Path) -> Iterator[dict]:
    """A `depeches index` process holding the writer lock, paused on a named pipe.

    It has read 50 articles: 40 committed in two batches, 10 in its open writer. One
    process, since only then is reaching the pipe proof that the earlier batches are
    committed; workers read ahead of the commits (`idle_pool_writer` covers them).
    """
    first = write_jsonl(tmp_path / "first.jsonl", [record(i) for i in range(50)])
    rest = write_jsonl(tmp_path / "rest.jsonl", [record(i) for i in range(50, 60)])
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    ix = tmp_path / "ix"
    proc = spawn_index(first, fifo, "--index", ix, "--jobs", "1", cwd=tmp_path)
    w = {"proc": proc, "fd": None, "ix": ix, "first": first, "rest": rest, "dir": tmp_path}
    try:
        w["fd"] = open_pipe_when_read(fifo, proc)
        asleep_on_the_pipe(proc)
        yield w
    finally:
        if w["fd"] is not None:
            os.close(w["fd"])
        stop(proc)


# -- 1. bad inputs in one batch ------------------------------------------------------------


def test_bad_files_are_named_skipped_and_the_good_ones_indexed(tmp_path, monkeypatch):
    monkeypatch.setattr(indexer.pipeline.sources, "MAX_FILE_BYTES", 4096)
    c = tmp_path / "corpus"
    c.mkdir()
    (c / "good1.json").write_text(json.dumps({
        "id": "bon-1", "title": "Grève des cheminots", "lang": "fr",
        "body": "Les cheminots poursuivent la grève contre la réforme."}), encoding="utf-8")
    (c / "good2.html").write_text(
        "<html><body><h1>Inondations à Nîmes</h1>"
        "<p>Les pompiers évacuent les riverains inondés.</p></body></html>", encoding="utf-8")
    # cp1252: é, è, and the curly apostrophe 0x92 that Latin-1 does not have
    (c / "latin.txt").write_bytes(
        "Le député de l’Aude a démissionné après la polémique.\n".encode("cp1252"))
    (c / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (c / "empty.txt").write_bytes(b"")
    (c / "lines.jsonl").write_text(
        json.dumps({"id": "l-1", "body": "Premier communiqué du syndicat agricole."}) + "\n"
        + '{"id": "l-2", "body": "coupé\n'
        + json.dumps({"id": "l-3", "body": "Troisième communiqué sur la sécheresse."}) + "\n",
        encoding="utf-8")
    gz = gzip.compress("".join(
        json.dumps({"id": f"gz-{i}", "body": f"Dépêche compressée {i} sur la vendange."}) + "\n"
        for i in range(200)).encode())
    (c / "cut.jsonl.gz").write_bytes(gz[: len(gz) // 2])
    (c / "nobody.json").write_text(json.dumps({"id": "x", "title": "Sans corps"}))
    (c / "big.txt").write_text("Un texte beaucoup trop long. " * 200, encoding="utf-8")
    (c / "dangling.txt").symlink_to(c / "gone.txt")
    (c / "loop").symlink_to(c, target_is_directory=True)
    ix = tmp_path / "ix"

    result = invoke("index", c, tmp_path / "missing.txt", "--index", ix)

    assert result.exit_code == 2
    err = result.stderr
    for name, reason in [("binary.txt", "binary"), ("empty.txt", "empty"),
                         ("lines.jsonl:2", "malformed JSON"), ("cut.jsonl.gz", "gzip"),
                         ("nobody.json", "body"), ("big.txt", "too large"),
                         ("dangling.txt", "symlink"), ("loop", "loop"),
                         ("missing.txt", "no such file")]:
        line = next((x for x in err.splitlines() if name in x), None)
        assert line is not None, f"{name} not named on stderr:\n{err}"
        assert line.startswith("depeches: skipped ") and reason in line, line
    assert "depeches: note: " in err and "latin.txt" in err and "cp1252" in err
    assert " 9 skipped " in result.stdout
    assert {"bon-1", "good2"} <= found_ids(ix, "cheminots OR inondations")
    assert found_ids(ix, "député démissionné") == {"latin"}  # decoded, not skipped
    assert found_ids(ix, "communiqué") == {"l-1", "l-3"}
    vendange = found_ids(ix, "vendange")  # the lines before the cut are kept
    assert vendange and all(i.startswith("gz-") for i in vendange)
    assert len(vendange) < 200


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_is_named_and_skipped(tmp_path):
    c = tmp_path / "corpus"
    c.mkdir()
    (c / "ok.txt").write_text("Le maire inaugure la médiathèque.", encoding="utf-8")
    secret = c / "secret.txt"
    secret.write_text("Texte interdit.", encoding="utf-8")
    secret.chmod(0)
    result = invoke("index", c, "--index", tmp_path / "ix")
    assert result.exit_code == 2
    assert "secret.txt: permission denied" in result.stderr
    assert " 1 skipped " in result.stdout
    assert found_ids(tmp_path / "ix", "médiathèque") == {"ok"}


def test_duplicate_ids_and_oversized_records_in_a_jsonl(tmp_path, monkeypatch):
    monkeypatch.setattr(indexer.pipeline.sources, "MAX_LINE_CHARS", 500)
    src = write_jsonl(tmp_path / "a.jsonl", [
        {"id": "a", "body": "Les vendanges commencent en Bourgogne."},
        {"id": "a", "body": "Un doublon du même identifiant."},
        {"id": "b", "body": "vendanges " * 100},
        {"id": "c", "body": "Les vendanges s'achèvent en Alsace."},
    ])
    result = invoke("index", src, "--index", tmp_path / "ix")
    assert result.exit_code == 2
    assert "a: duplicate article id" in result.stderr
    assert "a.jsonl:3: record too large" in result.stderr
    assert " 2 skipped " in result.stdout
    assert found_ids(tmp_path / "ix", "vendanges") == {"a", "c"}


def test_a_record_too_large_is_skipped_in_bounded_memory(tmp_path):
    # 200 MB of one line, from a gzip of a few hundred KB, before a good record: the
    # limit is 8 MiB, and the run must never hold the whole line.
    src = tmp_path / "bomb.jsonl.gz"
    with gzip.open(src, "wb", compresslevel=1) as f:
        f.write(b'{"id": "big", "body": "')
        chunk = b"vendanges " * 100_000  # 1 MB
        for _ in range(200):
            f.write(chunk)
        f.write(b'"}\n')
        f.write(json.dumps({"id": "ok", "body": "Les vendanges commencent."}).encode() + b"\n")
    measure = ("import resource, subprocess, sys; "
               "rc = subprocess.run(sys.argv[1:], capture_output=True).returncode; "
               "print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    run = subprocess.run([sys.executable, "-c", measure, str(DEPECHES), "index", str(src),
                          "--index", str(tmp_path / "ix"), "--jobs", "1"],
                         capture_output=True, text=True, timeout=POLL_SECONDS * 2)
    rc, peak_kib = map(int, run.stdout.split())
    assert rc == 2  # one record skipped
    assert peak_kib < 400 * 1024, f"peak RSS {peak_kib // 1024} MiB"
    assert found_ids(tmp_path / "ix", "vendanges") == {"ok"}


@pytest.mark.parametrize("suffix", [".jsonl", ".json"])
@pytest.mark.parametrize("garbage", ["[" * 100_000 + "]" * 100_000,
                                     '{"id": "n", "body": "x", "date": ' + "9" * 5000 + "}"],
                         ids=["nested", "huge-int"])
def test_hostile_json_is_one_skipped_record(tmp_path, suffix, garbage):
    good = tmp_path / "good.jsonl"
    write_jsonl(good, [{"id": "ok", "body": "Le maire inaugure la médiathèque."}])
    bad = tmp_path / f"bad{suffix}"
    bad.write_text(garbage + "\n", encoding="utf-8")
    result = invoke("index", good, bad, "--index", tmp_path / "ix")
    assert result.exit_code == 2
    assert f"bad{suffix}" in result.stderr and " 1 skipped " in result.stdout
    assert found_ids(tmp_path / "ix", "médiathèque") == {"ok"}


def test_file_name_that_is_not_utf8_does_not_abort_the_run(tmp_path):
    c = tmp_path / "corpus"
    c.mkdir()
    (c / "ok.txt").write_text("Le préfet inaugure le musée.", encoding="utf-8")
    # an old archive copied from a Latin-1 file system: "dépêche.txt"
    with open(os.path.join(os.fsencode(c), "dépêche.txt".encode("latin-1")), "wb") as f:
        f.write("Le maire inaugure la médiathèque.".encode())
    result = invoke("index", c, "--index", tmp_path / "ix")
    assert result.exit_code in (0, 2)
    assert "ok" in found_ids(tmp_path / "ix", "inaugure")


def test_metadata_of_the_wrong_type_is_not_stored_as_a_python_repr(tmp_path):
    src = write_jsonl(tmp_path / "t.jsonl", [
        {"id": "t1", "lang": ["fr"], "source": {"nom": "AFP"}, "title": ["Un", "titre"],
         "body": "Le maire inaugure la médiathèque."}])
    invoke("index", src, "--index", tmp_path / "ix")
    shown = invoke("show", "t1", "--index", tmp_path / "ix", "--json")
    assert shown.exit_code == 0, shown.stderr
    meta = json.loads(shown.stdout)
    for value in (meta["lang"], meta["source"], meta["title"]):
        assert not str(value).startswith(("[", "{")), meta


def test_cp1252_jsonl_is_decoded_like_other_files(tmp_path):
    src = tmp_path / "old.jsonl"
    src.write_bytes(json.dumps({"id": "cp", "body": "Le député de l’Aude a démissionné."},
                               ensure_ascii=False).encode("cp1252") + b"\n")
    result = invoke("index", src, "--index", tmp_path / "ix")
    assert result.exit_code == 0, result.stderr
    assert "cp1252" in result.stderr
    assert found_ids(tmp_path / "ix", "député") == {"cp"}


def test_lone_surrogate_escapes_in_json_do_not_break_search(tmp_path):
    src = tmp_path / "s.jsonl"
    src.write_text('{"id": "s1", "title": "Titre \\ud800 cassé", '
                   '"body": "Le maire \\udc00 inaugure la médiathèque."}\n'
                   '{"id": "ok", "body": "Le maire inaugure le stade."}\n', encoding="utf-8")
    ix = tmp_path / "ix"
    indexed = invoke("index", src, "--index", ix)
    assert indexed.exit_code in (0, 2)
    proc = subprocess.run([DEPECHES, "search", "maire", "--index", ix], capture_output=True,
                          text=True, timeout=POLL_SECONDS)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "ok" in found_ids(ix, "maire")


def test_index_inside_the_corpus_directory_is_not_read_as_articles(tmp_path):
    (tmp_path / "a.txt").write_text("Le maire inaugure la médiathèque.", encoding="utf-8")
    first = invoke("index", tmp_path, "--index", tmp_path / "index")
    again = invoke("index", tmp_path, "--index", tmp_path / "index")
    assert (first.exit_code, again.exit_code) == (0, 0), first.stderr + again.stderr
    assert first.stderr == again.stderr == ""


# -- 2, 3. kill -9, SIGTERM, Ctrl-C ----------------------------------------------------------


def test_kill_9_keeps_committed_batches_and_the_next_run_finishes(paused_writer):
    w = paused_writer
    os.killpg(w["proc"].pid, signal.SIGKILL)
    w["proc"].communicate()
    ix = w["ix"]

    assert article_count(ix) == 40  # two committed batches; the open one is lost
    assert invoke("show", "d-0039", "--index", ix).exit_code == 0
    assert invoke("show", "d-0045", "--index", ix).exit_code == 2
    assert found_ids(ix, "budget")

    # No lock to remove by hand: the kernel released it with the process.
    rerun = subprocess.run([DEPECHES, "index", w["first"], w["rest"], "--index", ix,
                            "--jobs", "2"], capture_output=True, text=True,
                           timeout=POLL_SECONDS)
    assert rerun.returncode == 0, rerun.stderr
    assert "Traceback" not in rerun.stderr
    assert "20 new" in rerun.stdout
    assert "40 unchanged" in rerun.stdout
    assert article_count(ix) == 60


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["TERM", "INT"])
def test_signal_stops_cleanly_and_says_what_was_committed(paused_writer, signum):
    w = paused_writer
    w["proc"].send_signal(signum)
    out, err = w["proc"].communicate(timeout=POLL_SECONDS)

    assert w["proc"].returncode == 130, err
    assert "Traceback" not in err
    assert "interrupted: 40 articles committed" in err
    assert article_count(w["ix"]) == 40
    assert invoke("show", "d-0039", "--index", w["ix"]).exit_code == 0
    # the lock went with the process: an ordinary run finishes the job
    result = invoke("index", w["first"], w["rest"], "--index", w["ix"])
    assert result.exit_code == 0, result.stderr
    assert article_count(w["ix"]) == 60


@pytest.fixture
def idle_pool_writer(tmp_path: Path) -> Iterator[dict]:
    """`depeches index --jobs 2`, fed 40 articles through a pipe that stays open.

    Once 40 are committed, the workers have nothing left: one waits for a task
    holding the pool's queue lock, the other waits for that lock.
    """
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    ix = tmp_path / "ix"
    proc = spawn_index(fifo, "--index", ix, "--jobs", "2", cwd=tmp_path, batch=20)
    w = {"proc": proc, "fd": None, "ix": ix}
    try:
        w["fd"] = open_pipe_when_read(fifo, proc)
        os.write(w["fd"], "".join(json.dumps(record(i)) + "\n" for i in range(40)).encode())
        deadline = time.monotonic() + POLL_SECONDS
        while not ((ix / "depeches.json").exists() and article_count(ix) == 40):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "no commit in time"
            time.sleep(0.05)
        yield w
    finally:
        if w["fd"] is not None:
            os.close(w["fd"])
        stop(proc)


def _stopped(w: dict, send, timeout: float) -> tuple[int | None, str]:
    send(w["proc"].pid, signal.SIGTERM)
    os.close(w["fd"])  # the input ends too: only the signal can be the cause of a hang
    w["fd"] = None
    try:
        _, err = w["proc"].communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "hung"
    return w["proc"].returncode, err


def test_sigterm_with_workers_stops_cleanly(idle_pool_writer):
    code, err = _stopped(idle_pool_writer, os.kill, timeout=POLL_SECONDS)
    assert code == 130, err
    assert "Traceback" not in err
    assert "interrupted: 40 articles committed" in err
    assert article_count(idle_pool_writer["ix"]) == 40


def test_sigterm_to_the_whole_process_group_with_workers(idle_pool_writer):
    """A service manager (systemd, `kill -TERM -PGID`) signals the workers too."""
    code, err = _stopped(idle_pool_writer, os.killpg, timeout=10)
    assert code == 130, err
    assert "Traceback" not in err
    assert "interrupted: 40 articles committed" in err


def test_interrupt_in_process_keeps_whole_batches(tmp_path, monkeypatch):
    monkeypatch.setattr(indexer.index, "BATCH_ARTICLES", 50)

    def articles() -> Iterator[Article]:
        for i in range(120):
            yield Article.from_fields(**record(i))
        raise KeyboardInterrupt

    with NewsIndex.create(tmp_path / "ix") as idx:
        report = idx.add_articles(articles())
    assert report.interrupted
    assert report.new == 100
    assert article_count(tmp_path / "ix") == 100


# -- 4. concurrency ----------------------------------------------------------------------------


def test_readers_see_the_last_commit_and_a_second_writer_is_refused(paused_writer):
    w = paused_writer
    ix = w["ix"]
    assert invoke("show", "d-0039", "--index", ix).exit_code == 0
    assert invoke("show", "d-0040", "--index", ix).exit_code == 2  # not committed yet
    assert found_ids(ix, "budget")

    other = write_jsonl(w["dir"] / "other.jsonl", [record(i, "o") for i in range(3)])
    refused = invoke("index", other, "--index", ix)
    assert refused.exit_code == 2
    line = error_line(refused)
    assert f"is being written by process {w['proc'].pid}" in line
    assert "--wait" in line


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc to see the waiter")
def test_a_second_writer_with_wait_waits_then_succeeds(paused_writer):
    w = paused_writer
    other = write_jsonl(w["dir"] / "other.jsonl", [record(i, "o") for i in range(3)])

    def waiter() -> subprocess.Popen:
        proc = subprocess.Popen([DEPECHES, "index", other, "--index", w["ix"], "--wait", "60"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # It is waiting once it holds the lock file open (that happens only in acquire()).
        lock = str(w["ix"] / "writer.lock")
        deadline = time.monotonic() + POLL_SECONDS
        while lock not in _open_files(proc.pid):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "second writer never reached the lock"
            time.sleep(0.05)
        assert proc.poll() is None
        return proc

    # A waiting writer can be stopped: one line, no traceback, nothing written.
    impatient = waiter()
    try:
        impatient.send_signal(signal.SIGTERM)
        _, err = impatient.communicate(timeout=POLL_SECONDS)
    finally:
        stop(impatient)
    assert impatient.returncode == 130, err
    assert err.strip() == "depeches: interrupted"

    second = waiter()
    try:
        os.write(w["fd"], w["rest"].read_bytes())
        os.close(w["fd"])
        w["fd"] = None
        out1, err1 = w["proc"].communicate(timeout=POLL_SECONDS)
        out2, err2 = second.communicate(timeout=POLL_SECONDS)
    finally:
        stop(second)
    assert w["proc"].returncode == 0, err1
    assert second.returncode == 0, err2
    assert "3 new" in out2
    assert article_count(w["ix"]) == 63


def _open_files(pid: int) -> set[str]:
    """The paths a process holds open now; an fd may close while we read the list."""
    paths = set()
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return paths
    for fd in fds:
        try:
            paths.add(os.path.realpath(os.readlink(f"/proc/{pid}/fd/{fd}")))
        except OSError:
            continue
    return paths


def test_stats_counts_a_folder_a_writer_removes_meanwhile_as_gone(tmp_path, monkeypatch):
    # A writer deletes its MAIN.tmp while `stats` walks the index (CI hit this).
    ix = tmp_path / "ix"
    with NewsIndex.create(ix) as writer:
        writer.add_articles([Article.from_fields(**record(i)) for i in range(3)])
    tmp = ix / "MAIN.tmp"
    tmp.mkdir()
    (tmp / "part").write_bytes(b"x" * 1000)
    listed = os.scandir

    def writer_finishes_first(path):
        if Path(path) == tmp and tmp.exists():
            (tmp / "part").unlink()
            tmp.rmdir()
        return listed(path)

    monkeypatch.setattr(os, "scandir", writer_finishes_first)
    with NewsIndex.open(ix) as idx:
        stats = idx.stats()
    assert stats["articles"] == 3
    assert stats["size_bytes"] == sum(f.stat().st_size for f in ix.iterdir() if f.is_file())


def test_a_long_lived_reader_sees_commits_made_by_another_writer(tmp_path):
    ix = tmp_path / "ix"
    with NewsIndex.create(ix) as writer:
        writer.add_articles([Article.from_fields(**record(i)) for i in range(3)])
    with NewsIndex.open(ix) as reader:
        assert len(reader.search("budget", limit=100)) == 3
        with NewsIndex.open(ix) as writer:  # another process would do the same
            writer.add_articles([Article.from_fields(**record(i)) for i in range(3, 5)])
        assert len(reader.search("budget", limit=100)) == 5


def test_rebuild_while_another_process_writes_is_refused(paused_writer):
    w = paused_writer
    other = write_jsonl(w["dir"] / "other.jsonl", [record(i, "o") for i in range(3)])
    result = invoke("index", other, "--index", w["ix"], "--rebuild")
    assert result.exit_code == 2
    assert "is being written by process" in error_line(result)
    assert article_count(w["ix"]) == 40


# -- 5. index versions and foreign directories -------------------------------------------


@pytest.fixture
def small_index(tmp_path: Path) -> Path:
    src = write_jsonl(tmp_path / "a.jsonl", [record(i) for i in range(3)])
    ix = tmp_path / "ix"
    assert invoke("index", src, "--index", ix).exit_code == 0
    return ix


def test_index_from_an_older_analysis_asks_for_a_reindex(small_index):
    meta_file = small_index / "depeches.json"
    meta = json.loads(meta_file.read_text())
    meta["analysis"] = "fr-0-old"
    meta_file.write_text(json.dumps(meta))

    result = invoke("search", "budget", "--index", small_index)
    assert result.exit_code == 2
    assert "re-index" in error_line(result) and "fr-0-old" in result.stderr

    src = small_index.parent / "a.jsonl"
    assert invoke("index", src, "--index", small_index).exit_code == 2  # never mixes chains
    rebuilt = invoke("index", src, "--index", small_index, "--rebuild")
    assert rebuilt.exit_code == 0, rebuilt.stderr
    assert invoke("search", "budget", "--index", small_index).exit_code == 0


@pytest.mark.parametrize("damage, says", [
    ("garbage", "unreadable depeches.json"),
    ("no-toc", "unreadable index"),
], ids=["meta", "whoosh"])
def test_damaged_index_is_one_line_error(small_index, damage, says):
    if damage == "garbage":
        (small_index / "depeches.json").write_text("{not json")
    else:
        for toc in small_index.glob("_MAIN_*.toc"):
            toc.unlink()
    result = invoke("search", "budget", "--index", small_index)
    assert result.exit_code == 2
    assert says in error_line(result)


def flip_bytes(path: Path, n: int = 50, seed: int = 1) -> None:
    data = bytearray(path.read_bytes())
    rnd = random.Random(seed)
    for _ in range(n):
        data[rnd.randrange(len(data))] ^= 0xFF
    path.write_bytes(bytes(data))


def segment_file(ix: Path, ext: str) -> Path:
    (path,) = ix.glob(f"MAIN_*.{ext}")
    return path


def test_check_on_a_sound_index_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(indexer.index, "BATCH_ARTICLES", 20)  # several segments, merged
    src = write_jsonl(tmp_path / "a.jsonl", [record(i) for i in range(70)])
    ix = tmp_path / "ix"
    assert invoke("index", src, "--index", ix, "--jobs", "1").exit_code == 0
    result = invoke("check", "--index", ix)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    files, records = map(int, result.stdout.split()[0:4:3])
    assert result.stdout.endswith(" records checked: no damage\n")
    assert records == 70 * 2  # each record is an article and its one passage
    # Every segment the index lists has its checksums, and only those are counted.
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC

    segments = TOC.read(FileStorage(str(ix)), "MAIN").segments
    assert all((ix / f"{s.segment_id()}.sums").exists() for s in segments)
    assert files == sum(1 for p in ix.iterdir() if p.name.startswith("MAIN_")
                        and p.suffix not in (".sums",) and p.name != "MAIN_WRITELOCK")


@pytest.mark.parametrize("ext, damage, says", [
    ("pst", "flip", "checksum mismatch"),
    ("trm", "truncate", "truncated"),
    ("record.col", "delete", "missing"),
    ("record.col", "flip", "checksum mismatch"),
], ids=["flipped-postings", "truncated-terms", "deleted-records", "flipped-records"])
def test_damage_is_named_by_check(small_index, ext, damage, says):
    target = segment_file(small_index, ext)
    if damage == "flip":
        flip_bytes(target)
    elif damage == "truncate":
        os.truncate(target, target.stat().st_size // 2)
    else:
        target.unlink()
    result = invoke("check", "--index", small_index)
    assert result.exit_code == 2
    assert result.stderr == f"depeches: damaged: {target}: " + \
        result.stderr.split(": ", 3)[3]
    assert says in result.stderr and len(result.stderr.splitlines()) == 1
    assert result.stdout.endswith(" checked: 1 problem\n")


@pytest.mark.parametrize("ext, damage", [
    ("trm", "truncate"), ("record.col", "delete"), ("record.col", "flip")])
def test_a_search_that_meets_damage_is_one_line_naming_the_file(small_index, ext, damage):
    target = segment_file(small_index, ext)
    if damage == "flip":
        flip_bytes(target, n=2000)
    elif damage == "truncate":
        os.truncate(target, target.stat().st_size // 2)
    else:
        target.unlink()
    result = invoke("search", "budget", "--index", small_index)
    assert result.exit_code == 2
    line = error_line(result)
    assert line.startswith(f"depeches: error: damaged index: {target}: ")
    assert f"run `depeches check --index {small_index}`" in line


def answers(ix: Path, *queries: str) -> list[tuple[int, list[dict], str]]:
    """Each query's exit code, JSON lines (without the time taken) and stderr."""
    out = []
    for query in queries:
        result = invoke("search", query, "--index", ix, "--json", "--limit", "50")
        lines = [json.loads(line) for line in result.stdout.splitlines()]
        for line in lines:
            line.pop("elapsed_ms", None)
        out.append((result.exit_code, lines, result.stderr))
    return out


def change_bit(ix: Path, corpus_index: Path, ext: str, position: int, bit: int = 0) -> Path:
    shutil.rmtree(ix, ignore_errors=True)
    shutil.copytree(corpus_index, ix)
    target = segment_file(ix, ext)
    data = bytearray(target.read_bytes())
    data[position % len(data)] ^= 1 << bit
    target.write_bytes(bytes(data))
    return target


def assert_named(answer: tuple[int, list[dict], str], target: Path) -> None:
    code, lines, stderr = answer
    assert code == 2 and lines == []
    assert stderr.startswith(f"depeches: error: damaged index: {target}: checksum mismatch")
    assert len(stderr.splitlines()) == 1, stderr


def test_a_changed_posting_header_is_named_not_served(corpus_index, tmp_path, monkeypatch):
    """A posting block's header (its count of postings, its last document) decodes
    whatever its bytes: before page checksums a changed bit there ranked other
    passages, with exit 0. Now each one stops the search on one line naming the file."""
    from whoosh import index as windex

    from indexer.store.integrity import CheckedFile
    from indexer.store.reading import lookup

    with windex.open_dir(str(corpus_index), indexname="MAIN").reader() as reader:
        (leaf, _), = reader.leaf_readers()
        start = lookup(leaf, "exact", "ministre")[2]._startoffset
    sound = answers(corpus_index, "ministre")
    assert sound[0][0] == 0 and len(sound[0][1]) > 5
    served = []
    for offset in range(8):
        target = change_bit(tmp_path / "ix", corpus_index, "pst", start + offset)
        assert_named(answers(tmp_path / "ix", "ministre")[0], target)
        with monkeypatch.context() as m:
            m.setattr(CheckedFile, "_check", lambda *a: None)
            unchecked = answers(tmp_path / "ix", "ministre")
        served += [unchecked != sound and unchecked[0][0] == 0]
    assert any(served)  # without the pages' sums, some would be wrong hits


@pytest.mark.parametrize("damage", ["flip", "truncate"])
def test_damaged_page_sums_are_named_not_trusted(small_index, damage):
    (target,) = small_index.glob("MAIN_*.pages")
    if damage == "flip":
        flip_bytes(target, n=3)
    else:
        os.truncate(target, target.stat().st_size - 4)
    line = error_line(invoke("search", "budget", "--index", small_index))
    assert line.startswith(f"depeches: error: damaged index: {target}: ")
    result = invoke("check", "--index", small_index)
    assert result.exit_code == 2 and result.stderr.startswith(f"depeches: damaged: {target}: ")


@pytest.mark.parametrize("ext", ["pst", "trm", "_stem_len.col", "record.col"])
def test_a_changed_byte_is_named_or_harmless_never_a_wrong_hit(corpus_index, tmp_path, ext):
    """One bit changed anywhere in a segment file: each search answers exactly as the
    sound index did, or stops on one line naming the file."""
    queries = ("cessez-le-feu", "Alep", "élection présidentielle", "ministre")
    sound = answers(corpus_index, *queries)
    assert all(code == 0 and lines for code, lines, _ in sound)
    rnd = random.Random(ext)
    for _ in range(6):
        target = change_bit(tmp_path / "ix", corpus_index, ext, rnd.randrange(1 << 30),
                            rnd.randrange(8))
        for answer, before in zip(answers(tmp_path / "ix", *queries), sound, strict=True):
            if answer[0] == 0:
                assert answer == before
            else:
                assert_named(answer, target)


def test_an_index_from_before_checksums_is_checked_as_far_as_it_can_be(small_index):
    for sums in [*small_index.glob("*.sums"), *small_index.glob("*.pages")]:
        sums.unlink()
    assert invoke("search", "budget", "--index", small_index).exit_code == 0
    result = invoke("check", "--index", small_index)
    assert result.exit_code == 0
    assert "has no checksums (written by an earlier version)" in result.stderr
    assert result.stdout.startswith("0 files and 6 records checked: no damage")


def test_index_path_that_is_a_file_is_refused_and_left_alone(tmp_path):
    target = tmp_path / "notes.txt"
    target.write_text("à garder")
    src = write_jsonl(tmp_path / "a.jsonl", [record(0)])
    for extra in ([], ["--rebuild"]):
        result = invoke("index", src, "--index", target, *extra)
        assert result.exit_code == 2
        assert "not a directory" in error_line(result)
    assert target.read_text() == "à garder"


def test_foreign_directory_is_refused_and_left_alone(tmp_path):
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "vacances.jpg").write_bytes(b"\xff\xd8\xff")
    src = write_jsonl(tmp_path / "a.jsonl", [record(0)])

    result = invoke("search", "budget", "--index", foreign)
    assert result.exit_code == 2
    assert "not a depeches index" in error_line(result)
    for extra in ([], ["--rebuild"]):
        result = invoke("index", src, "--index", foreign, *extra)
        assert result.exit_code == 2
        assert "not empty and not an index" in error_line(result)
    assert sorted(p.name for p in foreign.iterdir()) == ["vacances.jpg"]


@pytest.mark.parametrize("query", ["", "budget"], ids=["feed", "word"])
def test_an_index_with_nothing_committed_answers_no_match(tmp_path, query):
    bad = tmp_path / "vide.txt"
    bad.write_bytes(b"")
    ix = tmp_path / "ix"
    assert invoke("index", bad, "--index", ix).exit_code == 2  # created, nothing in it
    assert article_count(ix) == 0
    assert invoke("search", query, "--index", ix).exit_code == 1
    assert invoke("facets", query, "--index", ix).exit_code == 1
    assert invoke("export", query, "--index", ix).exit_code == 1


@pytest.mark.parametrize("kind", ["empty", "missing", "file"])
def test_no_index_here_is_one_line_error(tmp_path, kind):
    target = tmp_path / "ix"
    if kind == "empty":
        target.mkdir()
    elif kind == "file":
        target.write_text("hello")
    result = invoke("search", "budget", "--index", target)
    assert result.exit_code == 2
    assert str(target) in error_line(result)


# -- 6. memory: sources stream, batches commit as they go -----------------------------------


class _CountingFile(io.RawIOBase):
    """A file that counts the bytes read from it."""

    def __init__(self, path: Path) -> None:
        self._f = open(path, "rb")  # noqa: SIM115 - closed by close()
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        n = self._f.readinto(b)
        self.bytes_read += n or 0
        return n

    def close(self) -> None:
        self._f.close()
        super().close()


def _gzip_corpus(path: Path, n: int) -> Path:
    rnd = random.Random(0)
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for i in range(n):
            # random hex keeps the gzip big: several read buffers, not one
            noise = " ".join(f"{rnd.getrandbits(64):x}" for _ in range(12))
            f.write(json.dumps({"id": f"z-{i}", "body": f"Le budget {i} {noise}"}) + "\n")
    return path


def test_jsonl_gz_is_read_lazily(tmp_path, monkeypatch):
    path = _gzip_corpus(tmp_path / "big.jsonl.gz", 6000)
    opened: list[_CountingFile] = []
    real_open = gzip.open

    def counting_open(p, mode="rb", *args, **kwargs):
        raw = _CountingFile(Path(p))
        opened.append(raw)
        return real_open(io.BufferedReader(raw), mode, *args, **kwargs)

    monkeypatch.setattr(gzip, "open", counting_open)
    items = read_articles([path])
    first = next(items)
    assert isinstance(first, Article) and first.id == "z-0"
    size = path.stat().st_size
    assert opened[0].bytes_read < size / 4, (opened[0].bytes_read, size)
    rest = list(items)
    assert len(rest) == 5999 and not any(isinstance(x, CorpusError) for x in rest)
    assert opened[0].bytes_read == size
    opened[0].close()


def test_truncated_gzip_yields_its_first_articles_then_one_error(tmp_path):
    path = _gzip_corpus(tmp_path / "cut.jsonl.gz", 3000)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    items = list(read_articles([path]))
    errors = [x for x in items if isinstance(x, CorpusError)]
    assert [type(x) for x in errors] == [CorpusError] and items[-1] is errors[0]
    assert errors[0].path == str(path) and "truncated" in errors[0].reason
    articles = items[:-1]
    assert 500 < len(articles) < 3000
    assert [a.id for a in articles] == [f"z-{i}" for i in range(len(articles))]
    assert errors[0].line == len(articles) + 1


def test_batches_are_committed_while_the_source_is_still_being_read(tmp_path, monkeypatch):
    monkeypatch.setattr(indexer.index, "BATCH_ARTICLES", 50)
    ix = tmp_path / "ix"
    seen_on_disk: dict[int, int] = {}

    def articles() -> Iterator[Article]:
        for i in range(130):
            if i in (50, 100):  # what another process sees before this article is read
                seen_on_disk[i] = article_count(ix)
            yield Article.from_fields(**record(i))

    with NewsIndex.create(ix) as idx:
        report = idx.add_articles(articles())
    assert seen_on_disk == {50: 50, 100: 100}
    assert report.new == 130 and article_count(ix) == 130


def test_one_long_paragraph_is_split_with_linear_work(monkeypatch):
    """A body on one line (a .txt dump, JSON with single newlines) is one long paragraph.

    Counted, not timed: the characters the look-behind regex scans for the whole text.
    """
    import indexer.pipeline.passages as passages

    real = passages._WORD_BEFORE
    scanned = []

    class Counting:
        def search(self, text, pos=0, endpos=None):
            end = len(text) if endpos is None else endpos
            scanned.append(end - pos)
            return real.search(text, pos, end)

    monkeypatch.setattr(passages, "_WORD_BEFORE", Counting())
    text = "Le maire M. Dupont inaugure la médiathèque. " * 500
    assert len(passages.sentences(text)) == 500
    assert sum(scanned) < 100 * len(text)


def test_latin1_note_is_a_note_not_an_error(tmp_path):
    path = tmp_path / "vieux.txt"
    path.write_bytes("Élection à Besançon : le maire réélu.".encode("latin-1"))
    items = list(read_articles([path]))
    assert [type(x) for x in items] == [Article, CorpusNote]
    assert "Besançon" in items[0].blocks[0].text


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_bug_on_one_article_skips_that_article_only(tmp_path, monkeypatch, jobs):
    import indexer.pipeline.entities

    real = indexer.pipeline.entities.extract_entities

    def flaky(title, paragraphs, corrections=None):
        if "piège" in title:
            raise IndexError("list index out of range")
        return real(title, paragraphs, corrections)

    monkeypatch.setattr(indexer.pipeline.entities, "extract_entities", flaky)
    articles = [Article.from_fields(id=f"a{i}", title=title, body="Un texte en français.")
                for i, title in enumerate(["Avant", "Le piège", "Après"])]
    with NewsIndex.create(tmp_path / "index") as idx:
        report = idx.add_articles(articles, jobs=jobs)
        assert (report.new, report.skipped) == (2, 1)
        assert report.errors == [
            "a1: not indexed, IndexError at test_robustness.py:"
            f"{flaky.__code__.co_firstlineno + 2} (a bug: please report it)"]
        assert {h.article_id for h in idx.search("texte", limit=10)} == {"a0", "a2"}


def test_the_workers_yield_to_the_writing_process(tmp_path, monkeypatch):
    """Workers run at a lower priority (WORKER_NICENESS) than the process that writes."""
    import indexer.pipeline.entities
    from indexer.pipeline.prepare import WORKER_NICENESS

    real = indexer.pipeline.entities.extract_entities
    seen = tmp_path / "seen"

    def noting(title, paragraphs, corrections=None):
        with seen.open("a") as f:  # each worker appends its own lines
            f.write(f"{os.getpid()} {os.nice(0)}\n")
        return real(title, paragraphs, corrections)

    monkeypatch.setattr(indexer.pipeline.entities, "extract_entities", noting)
    articles = [Article.from_fields(id=f"a{i}", title=f"Article {i}", body="Un texte.")
                for i in range(6)]
    with NewsIndex.create(tmp_path / "index") as idx:
        assert idx.add_articles(articles, jobs=2).new == 6
    niceness = dict(line.split() for line in seen.read_text().splitlines())
    niceness.pop(str(os.getpid()), None)  # warm_up(), before the workers fork
    assert niceness
    assert set(niceness.values()) == {str(min(os.nice(0) + WORKER_NICENESS, 19))}


def test_stats_counts_a_file_deleted_while_counted_as_gone(corpus_index, monkeypatch):
    """`depeches stats` during an index run: the writer deletes temporary and
    superseded files, and one may go between being listed and being measured."""
    real_stat = os.stat
    gone: list[str] = []

    def vanishing(path, *args, **kwargs):
        # The table of contents is there when listed, gone when measured.
        if os.fspath(path).endswith(".toc"):
            gone.append(os.fspath(path))
            raise FileNotFoundError(path)
        return real_stat(path, *args, **kwargs)

    with NewsIndex.open(corpus_index) as idx:
        before = idx.stats()["size_bytes"]
        monkeypatch.setattr(os, "stat", vanishing)
        after = idx.stats()["size_bytes"]
    assert gone and 0 < after < before


# -- 7. a full disk ------------------------------------------------------------------------


def index_files(ix: Path) -> set[str]:
    """What a committed index holds: its table of contents, the files of the segments
    it lists, and the locks and settings beside them; nothing of a failed batch."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC

    toc = TOC.read(FileStorage(str(ix)), "MAIN")
    segments = {s.segment_id() for s in toc.segments}
    left = {p.name for p in ix.iterdir()} - {
        f"_MAIN_{toc.generation}.toc", "MAIN_WRITELOCK", "writer.lock", "depeches.json"}
    return {name for name in left if name.split(".")[0] not in segments}


@pytest.mark.parametrize("where", [
    "postings",  # the batch's files still open: Whoosh's cancel closes them
    "term table",  # while closing them: cancel fails as well, as on a real full disk
])
def test_disk_full_mid_run_is_one_line_and_the_committed_batches_stay(tmp_path,
                                                                      monkeypatch, where):
    # Injected into the writer, as the issue allows where no small file system can be
    # mounted; the next test fills a real one.
    from indexer.store.segment import BulkWriter
    from indexer.store.terms import TermTableWriter

    monkeypatch.setattr(indexer.index, "BATCH_ARTICLES", 20)
    source = write_jsonl(tmp_path / "a.jsonl", [record(i) for i in range(50)])
    ix = tmp_path / "ix"
    owner, name = (BulkWriter, "_write_postings") if where == "postings" else \
        (TermTableWriter, "_write_hashes")
    real = getattr(owner, name)
    commits = []

    def full_from_second_commit(self):
        commits.append(1)
        if len(commits) >= 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(self)

    monkeypatch.setattr(owner, name, full_from_second_commit)
    result = invoke("index", source, "--index", ix, "--jobs", "1")
    assert result.exit_code == 2
    assert error_line(result) == (
        f"depeches: error: no space left on device writing {ix}: 20 articles committed "
        "and searchable (free some space or fix the disk, then run the same command "
        "again: it goes on from there)")
    assert len(commits) >= 2
    assert found_ids(ix, "budget") == {f"d-{i:04d}" for i in range(20)}
    assert index_files(ix) == set()  # the failed batch's segment is gone, not left for later
    assert not (ix / "MAIN.tmp").exists()

    monkeypatch.setattr(owner, name, real)
    again = invoke("index", source, "--index", ix, "--jobs", "1")
    assert again.exit_code == 0, again.stderr
    assert "30 new, 0 updated, 20 unchanged" in again.stdout
    assert article_count(ix) == 50


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs, where the machine lets the test mount one (as root, in CI)."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)],
                             capture_output=True, text=True) if os.geteuid() == 0 else None
    if mounted is None or mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root): the injected ENOSPC "
                    "test above covers the writer")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_a_really_full_disk_keeps_what_was_committed_and_the_next_run_finishes(
        tmp_path, small_disk):
    source = write_jsonl(tmp_path / "many.jsonl", [record(i) for i in range(3000)])
    ix = small_disk / "ix"
    proc = spawn_index(source, "--index", ix, "--jobs", "1", cwd=tmp_path, batch=100)
    out, err = proc.communicate(timeout=POLL_SECONDS * 2)
    assert proc.returncode == 2, err
    # One line, even for the files the writer could not flush when it gave up.
    assert len(err.splitlines()) == 1, err
    assert err.startswith(f"depeches: error: no space left on device writing {ix}: ")
    committed = int(err.split(": ")[3].split()[0])
    assert committed == article_count(ix)
    assert index_files(ix) == set()
    if committed:
        assert len(found_ids(ix, "budget", limit=3000)) == committed

    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    proc = spawn_index(source, "--index", ix, "--jobs", "1", cwd=tmp_path, batch=100)
    out, err = proc.communicate(timeout=POLL_SECONDS * 2)
    assert proc.returncode == 0, err
    assert article_count(ix) == 3000


def test_ctrl_c_as_a_commit_lands_is_counted_with_it(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # The interruption arrives once the commit is on disk, before the run counts it:
    # the report must still say what is committed and searchable.
    from indexer.model import IndexReport

    count = IndexReport.count_commit

    def interrupted_then_count(self, *args, **kwargs):
        signal.raise_signal(signal.SIGINT)
        return count(self, *args, **kwargs)

    monkeypatch.setattr(IndexReport, "count_commit", interrupted_then_count)
    with NewsIndex.create(tmp_path / "ix") as idx:
        report = idx.add_paths([Path(__file__).parent / "data"], jobs=1)
        assert report.interrupted
        assert report.new == idx.stats()["articles"] == 10


def test_interruptions_held_over_a_block_come_once_it_ends() -> None:
    from indexer.store.signals import held_interrupts

    ran = []
    with pytest.raises(KeyboardInterrupt), held_interrupts():
        signal.raise_signal(signal.SIGINT)
        ran.append("the rest of the block")
    assert ran == ["the rest of the block"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
