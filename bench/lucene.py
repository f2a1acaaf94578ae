"""Lucene, through Anserini, as a benchmark peer: French analysis, BM25, bag-of-words queries.

Install into the project's venv (a Java 17 JDK is needed too, e.g. Debian's
openjdk-17-jdk-headless; Java 25 will not do):

    .venv/bin/pip install --no-deps pyserini==0.25.0
    .venv/bin/pip install pyjnius

pyserini is only the carrier of Anserini's fat jar (pyserini/resources/jars/anserini-*-fatjar.jar,
Lucene 9.9.1): none of its Python modules is imported, so torch, faiss, transformers... are not
needed. The JVM is started once per process through pyjnius, with -Xmx2g, from the first Java 17
found in $DEPECHES_JAVA17_HOME, $JAVA_HOME, /usr/lib/jvm/*17*.

- Indexing: io.anserini.index.SimpleIndexer, as IndexCollection with `-collection JsonCollection
  -language fr -storeContents`. Each article is one JSON document {"id", "contents": doc.text}:
  title and body go into the single "contents" field (title + newline + body, no field boost),
  stored; no positions (bag-of-words queries need none). The index is merged to one segment.
- Analysis: Anserini's analyzer for `-language fr`, Lucene's FrenchAnalyzer: standard tokenizer,
  elision (l', d', qu'...), lowercase, French stop words, FrenchLightStemFilter.
- Ranking: Lucene's BM25, k1=0.9 b=0.4 by default (Anserini's defaults); LucenePeer(k1=1.2,
  b=0.75) for Lucene's and Elasticsearch's defaults.
- Queries: io.anserini.search.SimpleSearcher.search with language "fr" (pyserini's
  LuceneSearcher.search): Anserini's BagOfWordsQueryGenerator analyzes the text with the same
  analyzer and ORs one term clause per distinct term, weighted by its count. Nothing is parsed,
  so any pasted text (quotes, colons, parentheses...) is accepted; Lucene's limit of 1024
  clauses is raised so that a long text never fails.
"""

from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from common import Doc, dir_size, node_module

INSTALL = (
    "needs pyserini 0.25.0 (for Anserini's jar), pyjnius and a Java 17 JDK: "
    ".venv/bin/pip install --no-deps pyserini==0.25.0 && .venv/bin/pip install pyjnius; "
    "apt-get install openjdk-17-jdk-headless (or set DEPECHES_JAVA17_HOME)"
)
JVM_OPTIONS = (
    "-Xmx2g",
    # One log4j context, so that the level set below reaches Anserini's loggers (its
    # log4j2.xml logs at DEBUG level to stdout).
    "-Dlog4j2.contextSelector=org.apache.logging.log4j.core.selector.BasicContextSelector",
)
MAX_CLAUSES = 1 << 20  # distinct terms in one query; Lucene's default is 1024
BATCH = 2_000  # documents handed to the JVM per call
# Java's String.trim() strips every char up to U+0020; Anserini refuses a document it leaves empty.
JAVA_BLANK = "".join(map(chr, range(0x21)))


def find_java17() -> Path | None:
    """$DEPECHES_JAVA17_HOME, else $JAVA_HOME, else /usr/lib/jvm/*17*: the first Java 17 JDK."""
    candidates = [os.environ.get("DEPECHES_JAVA17_HOME"), os.environ.get("JAVA_HOME")]
    candidates += [str(p) for p in sorted(Path("/usr/lib/jvm").glob("*17*"))]
    for candidate in candidates:
        if not candidate:
            continue
        home = Path(candidate)
        if node_module().java_major(home) == 17 \
                and (home / "lib" / "server" / "libjvm.so").exists():
            return home
    return None


def find_jar() -> Path | None:
    """Anserini's fat jar inside the installed pyserini package, without importing pyserini."""
    spec = importlib.util.find_spec("pyserini")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        jars = sorted(Path(location, "resources", "jars").glob("anserini-*-fatjar.jar"))
        if jars:
            return jars[-1]
    return None


class Java:
    """The Anserini and Lucene classes LucenePeer calls, from the process's one JVM."""

    _instance: Java | None = None

    def __init__(self, jnius: Any) -> None:
        self.SimpleIndexer = jnius.autoclass("io.anserini.index.SimpleIndexer")
        self.SimpleSearcher = jnius.autoclass("io.anserini.search.SimpleSearcher")
        level = jnius.autoclass("org.apache.logging.log4j.Level")
        configurator = jnius.autoclass("org.apache.logging.log4j.core.config.Configurator")
        configurator.setRootLevel(level.WARN)
        searcher = jnius.autoclass("org.apache.lucene.search.IndexSearcher")
        searcher.setMaxClauseCount(max(searcher.getMaxClauseCount(), MAX_CLAUSES))

    @classmethod
    def get(cls) -> Java:
        """Start the JVM on Java 17 with Anserini's jar (once), or raise ImportError."""
        if cls._instance is None:
            cls._instance = cls(start_jvm())
        return cls._instance


def start_jvm() -> Any:
    """The jnius module, its JVM running with Anserini's jar on the classpath."""
    try:
        import jnius_config
    except ImportError as error:
        raise ImportError(f"pyjnius is not installed; {INSTALL}") from error
    if not jnius_config.vm_running:
        jar = find_jar()
        if jar is None:
            raise ImportError(f"Anserini's jar not found (pyserini not installed); {INSTALL}")
        home = find_java17()
        if home is None:
            raise ImportError(f"no Java 17 JDK found; {INSTALL}")
        jnius_config.add_options(*JVM_OPTIONS)
        jnius_config.add_classpath(str(jar))
        # pyjnius loads libjvm.so from $JAVA_HOME when it is first imported.
        saved = os.environ.get("JAVA_HOME")
        os.environ["JAVA_HOME"] = str(home)
        try:
            import jnius
        except Exception as error:
            raise ImportError(f"could not start Java from {home}: {error}; {INSTALL}") from error
        finally:
            if saved is None:
                del os.environ["JAVA_HOME"]
            else:
                os.environ["JAVA_HOME"] = saved
    else:
        import jnius
    try:
        jnius.autoclass("io.anserini.search.SimpleSearcher")
    except Exception as error:  # a JVM started by someone else, without the jar
        message = f"Anserini's classes are not on the JVM's classpath; {INSTALL}"
        raise ImportError(message) from error
    return jnius


class LucenePeer:
    """Lucene 9 via Anserini: FrenchAnalyzer on one "contents" field (doc.text: title + body),
    BM25(k1, b), Anserini's bag-of-words query analyzed with the same French analyzer."""

    def __init__(self, k1: float = 0.9, b: float = 0.4, threads: int = 2,
                 optimize: bool = True) -> None:
        self.k1 = k1
        self.b = b
        self.threads = threads
        self.optimize = optimize
        self.name = f"lucene french bm25({k1:g},{b:g})"
        self._java = Java.get()  # ImportError here if pyserini, pyjnius or Java 17 is missing
        self._searcher: Any = None
        self._path: Path | None = None

    def index(self, docs: Iterable[Doc], path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        self._path = path
        indexer = self._java.SimpleIndexer([
            "-input", "", "-index", str(path), "-collection", "JsonCollection",
            "-language", "fr", "-threads", str(self.threads), "-storeContents",
        ])
        expected = added = 0
        batch: list[str] = []
        try:
            for doc in docs:
                if not doc.text.strip(JAVA_BLANK):
                    continue  # no term, never found; Anserini would refuse it
                # ASCII JSON: characters outside the BMP travel as \u escapes.
                batch.append(json.dumps({"id": doc.id, "contents": doc.text}))
                if len(batch) == BATCH:
                    expected += len(batch)
                    added += indexer.addRawDocuments(batch)
                    batch = []
            if batch:
                expected += len(batch)
                added += indexer.addRawDocuments(batch)
        finally:
            indexer.close(self.optimize)
        if added != expected:
            raise RuntimeError(f"Anserini indexed {added} of {expected} documents")
        self._searcher = self._java.SimpleSearcher(str(path))
        self._searcher.set_language("fr")
        self._searcher.set_bm25(self.k1, self.b)

    def search(self, query: str, limit: int) -> list[str]:
        if limit <= 0 or not query.strip():
            return []
        # pyjnius hands Java UTF-16: a lone surrogate (from a JSON "\ud800") becomes "?".
        text = query.encode("utf-8", "replace").decode("utf-8", "replace")
        return [str(hit.docid) for hit in self._searcher.search(text, limit)]

    def size_bytes(self) -> int:
        return dir_size(self._path) if self._path is not None else 0

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
