"""The code's own checks: the library type-checks and the tree lints clean, in CI as on a
laptop (``make lint`` runs the same two tools)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    path = BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed: pip install -e '.[test]'")
    return found


def test_the_library_type_checks_clean(tmp_path: Path) -> None:
    # A cache of its own: a stale one from another checkout cannot hide an error.
    run = subprocess.run([_tool("mypy"), "--cache-dir", str(tmp_path / "cache")],
                         cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Success: no issues found" in run.stdout


def test_the_tree_lints_clean() -> None:
    run = subprocess.run([_tool("ruff"), "check", "."], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr


# -- the seams of issue 19 -------------------------------------------------------------------

PACKAGE = ROOT / "indexer"
INDEX_TIME = ("indexer.pipeline", "indexer.store.segment")  # the stages, and the bulk writer


def _module_name(path: Path) -> str:
    parts = ("indexer", *path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The package's modules that ``path`` imports, wherever in it (a function's lazy
    import climbs back as surely as a module-level one)."""
    import ast

    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            module = (f"{base}.{node.module}" if node.module else base) if node.level \
                else (node.module or "")
            for alias in node.names:
                full = f"{module}.{alias.name}"
                found.add(full if full in modules else module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m in modules and m != name}


def test_the_library_has_no_import_cycle() -> None:
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {name: _imports(path, set(paths)) - {"indexer"} for name, path in paths.items()}
    done: set[str] = set()

    def visit(name: str, trail: list[str]) -> None:
        for dep in sorted(graph[name]):
            assert dep not in trail, f"import cycle: {' -> '.join([*trail, dep])}"
            if dep not in done:
                visit(dep, [*trail, dep])
        done.add(name)

    for name in sorted(graph):
        visit(name, [name])


def _loaded_after(code: str) -> set[str]:
    """The package's modules that a fresh interpreter has loaded once it ran ``code``."""
    show = "import sys; print(' '.join(m for m in sys.modules if m.startswith('indexer')))"
    run = subprocess.run([sys.executable, "-c", f"{code}\n{show}"], capture_output=True,
                         text=True, check=True, cwd=ROOT)
    return set(run.stdout.split())


def test_the_query_side_loads_no_index_time_stage() -> None:
    rooms = sorted(_module_name(p) for p in (PACKAGE / "search").rglob("[!_]*.py"))
    loaded = _loaded_after("\n".join(f"import {room}" for room in rooms))
    assert "indexer.search.embedded.evaluate" in rooms
    assert set(rooms) <= loaded
    assert not {m for m in loaded if m.startswith(INDEX_TIME)}, loaded


BEHIND_THE_SEAM = ("options", "parse", "telling", "run", "rank", "weights", "seam",
                   "highlight", "facets")
"""The rooms of query time that read an index only through a ``seam.Version``, and so
serve any backend as they are."""


def test_the_rooms_behind_the_seam_touch_neither_whoosh_nor_the_store() -> None:
    import ast

    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    for room in BEHIND_THE_SEAM:
        path = PACKAGE / "search" / f"{room}.py"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                    for alias in node.names}
        imported |= {node.module or "" for node in ast.walk(tree)
                     if isinstance(node, ast.ImportFrom) and not node.level}
        assert not {m for m in imported if m.split(".")[0] == "whoosh"}, room
        store = {m for m in _imports(path, set(paths)) if m.startswith("indexer.store")}
        assert store == set(), f"{room} imports {sorted(store)}"
        searcher = [n.lineno for n in ast.walk(tree)
                    if isinstance(n, ast.Attribute) and n.attr == "searcher"]
        assert searcher == [], f"{room} reaches for a Whoosh searcher at lines {searcher}"


def test_no_module_is_over_a_thousand_lines() -> None:
    long = {str(p.relative_to(ROOT)): n for p in [*PACKAGE.rglob("*.py"),
                                                  *(ROOT / "search_cli").rglob("*.py")]
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 1000}
    assert long == {}


def test_query_time_reads_names_without_loading_the_spotter() -> None:
    # --actor and the actor facet key and merge names; finding names is index time's.
    entities = "indexer.pipeline.entities"
    loaded = _loaded_after(f"from {entities} import entity_key, looks_like_full_name\n"
                           "entity_key('Sergueï Lavrov'); looks_like_full_name('Sergueï Lavrov')")
    assert f"{entities}.names" in loaded
    finding = {f"{entities}.{m}" for m in ("spotter", "resolve", "extract", "mentions")}
    assert not loaded & finding, loaded


def test_the_store_reads_and_writes_without_the_query_side_or_the_pipeline() -> None:
    # The seam for a second backend: the store stands below both, and climbs to neither.
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    below = {"indexer.analysis", "indexer.errors", "indexer.model"}
    for name, path in paths.items():
        if name.startswith("indexer.store"):
            outside = {m for m in _imports(path, set(paths))
                       if not m.startswith("indexer.store") and m not in below}
            assert outside == set(), f"{name} imports {sorted(outside)}"


def test_the_door_reaches_the_engine_only_through_a_backend() -> None:
    # index.py wires the wings together; what is Whoosh's, or the store's, sits behind
    # backends.Backend and search.seam.Version, where a second backend plugs in.
    import ast

    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    door = PACKAGE / "index.py"
    tree = ast.parse(door.read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and not node.level}
    assert not {m for m in imported if m.split(".")[0] == "whoosh"}
    engine = {m for m in _imports(door, set(paths))
              if m.startswith(("indexer.store", "indexer.search.embedded"))
              and m != "indexer.store.integrity"}  # its CheckReport is what check() returns
    assert engine == set(), f"the door imports {sorted(engine)}"


def test_the_install_carries_every_package() -> None:
    # An editable install finds any package on the tree; a wheel carries only those the
    # configuration names, and a stale list once left indexer.backends out of it.
    import tomllib

    from setuptools import find_packages

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    find = config["tool"]["setuptools"]["packages"]["find"]
    shipped = set(find_packages(str(ROOT), include=find["include"]))
    on_disk = {".".join(p.parent.relative_to(ROOT).parts)
               for top in ("indexer", "search_cli") for p in (ROOT / top).rglob("__init__.py")}
    assert on_disk <= shipped, sorted(on_disk - shipped)
    assert "indexer.backends" in shipped
