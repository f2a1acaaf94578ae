"""Peer engines the benchmarks compare ours with, behind one tiny interface.

Every peer indexes `title` and `body` (lede + body), stores id, title and body (a results
page shows them, and ours stores them too), ranks with BM25, and reads a query the same
way: the OR of its words and quoted phrases (see `common.query_clauses`), escaped so that
no word is taken as query syntax.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol

from common import Doc, NoNode, dir_size, query_clauses, start_opensearch


class Peer(Protocol):
    name: str

    def index(self, docs: Iterable[Doc], path: Path) -> None: ...

    def search(self, query: str, limit: int) -> list[str]: ...

    def size_bytes(self) -> int: ...

    def close(self) -> None: ...


def _parser_syntax(query: str) -> str:
    """Rewrite a query as bare lowercase words and quoted phrases, the shape every parser reads."""
    parts = []
    for words in query_clauses(query):
        parts.append(words[0] if len(words) == 1 else '"' + " ".join(words) + '"')
    return " ".join(parts)


class TantivyPeer:
    """tantivy with a French chain built from its own filters; BM25 summed over title and body."""

    name = "tantivy fr"
    tokenizer_name = "fr"

    def __init__(self, threads: int = 2, heap_bytes: int = 256_000_000) -> None:
        self.threads = threads
        self.heap_bytes = heap_bytes
        self._index = None
        self._searcher = None
        self._path: Path | None = None

    @staticmethod
    def analyzer():
        import tantivy

        # Stop words and the stemmer expect accents, so folding comes last.
        return (
            tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(40))
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.stopword("french"))
            .filter(tantivy.Filter.stemmer("french"))
            .filter(tantivy.Filter.ascii_fold())
            .build()
        )

    def index(self, docs: Iterable[Doc], path: Path) -> None:
        import tantivy

        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        builder.add_text_field("title", stored=True, tokenizer_name=self.tokenizer_name)
        builder.add_text_field("body", stored=True, tokenizer_name=self.tokenizer_name)
        schema = builder.build()
        path.mkdir(parents=True, exist_ok=True)
        self._path = path
        self._index = tantivy.Index(schema, path=str(path), reuse=False)
        self._index.register_tokenizer(self.tokenizer_name, self.analyzer())
        writer = self._index.writer(heap_size=self.heap_bytes, num_threads=self.threads)
        for doc in docs:
            writer.add_document(tantivy.Document(id=doc.id, title=doc.title, body=doc.body))
        writer.commit()
        writer.wait_merging_threads()
        self._index.reload()
        self._searcher = self._index.searcher()

    def search(self, query: str, limit: int) -> list[str]:
        text = _parser_syntax(query)
        if not text:
            return []
        parsed, _errors = self._index.parse_query_lenient(text, ["title", "body"])
        hits = self._searcher.search(parsed, limit=limit, count=False).hits
        return [self._searcher.doc(address)["id"][0] for _score, address in hits]

    def size_bytes(self) -> int:
        return dir_size(self._path)

    def close(self) -> None:
        self._searcher = None
        self._index = None


class Fts5Peer:
    """SQLite FTS5, unicode61 with diacritics removed, no stemming, ranked by bm25()."""

    name = "sqlite fts5"

    def __init__(self) -> None:
        self._db: sqlite3.Connection | None = None
        self._file: Path | None = None

    def index(self, docs: Iterable[Doc], path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        self._file = path / "fts.db"
        self._db = sqlite3.connect(self._file)
        self._db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5("
            "id UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 2')"
        )
        with self._db:
            self._db.executemany(
                "INSERT INTO docs (id, title, body) VALUES (?, ?, ?)",
                ((doc.id, doc.title, doc.body) for doc in docs),
            )
        # Merge the b-tree segments, as a finished index would be.
        with self._db:
            self._db.execute("INSERT INTO docs (docs) VALUES ('optimize')")

    @staticmethod
    def match_expression(query: str) -> str:
        # Each clause in double quotes: FTS5 reads it as a string (a phrase), never as syntax.
        return " OR ".join('"' + " ".join(words) + '"' for words in query_clauses(query))

    def search(self, query: str, limit: int) -> list[str]:
        expression = self.match_expression(query)
        if not expression:
            return []
        rows = self._db.execute(
            "SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?",
            (expression, limit),
        )
        return [row[0] for row in rows]

    def size_bytes(self) -> int:
        return dir_size(self._file)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


class WhooshPeer:
    """Stock Whoosh: LanguageAnalyzer("fr"), BM25F, MultifieldParser over title and body, OR."""

    def __init__(self, procs: int = 1, limitmb: int = 256) -> None:
        self.procs = procs
        self.limitmb = limitmb
        self.name = "whoosh fr" if procs == 1 else f"whoosh fr procs={procs}"
        self._ix = None
        self._searcher = None
        self._parser = None
        self._path: Path | None = None

    def index(self, docs: Iterable[Doc], path: Path) -> None:
        from whoosh import index
        from whoosh.analysis import LanguageAnalyzer
        from whoosh.fields import ID, TEXT, Schema

        analyzer = LanguageAnalyzer("fr")
        schema = Schema(
            id=ID(stored=True, unique=True),
            title=TEXT(analyzer=analyzer, stored=True),
            body=TEXT(analyzer=analyzer, stored=True),
        )
        path.mkdir(parents=True, exist_ok=True)
        self._path = path
        self._ix = index.create_in(str(path), schema)
        if self.procs > 1:
            writer = self._ix.writer(procs=self.procs, limitmb=self.limitmb)
        else:
            writer = self._ix.writer(limitmb=self.limitmb)
        for doc in docs:
            writer.add_document(id=doc.id, title=doc.title, body=doc.body)
        writer.commit()
        self._open_searcher()

    def _open_searcher(self) -> None:
        from whoosh.qparser import MultifieldParser, OrGroup
        from whoosh.scoring import BM25F

        self._searcher = self._ix.searcher(weighting=BM25F())
        self._parser = MultifieldParser(["title", "body"], self._ix.schema, group=OrGroup)

    def search(self, query: str, limit: int) -> list[str]:
        text = _parser_syntax(query)
        if not text:
            return []
        hits = self._searcher.search(self._parser.parse(text), limit=limit)
        return [hit["id"] for hit in hits]

    def size_bytes(self) -> int:
        return dir_size(self._path)

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None


class OpenSearchPeer:
    """OpenSearch 2.19 as an Elasticsearch user sets it up for French: the stock ``french``
    analyzer on title and body, BM25's defaults (k1 1.2, b 0.75), a ``multi_match``.

    The query is read as every peer reads it (the OR of its words and quoted phrases): its
    words in one ``multi_match`` (best field per word set, as the default type scores),
    each phrase in a ``multi_match`` of type ``phrase``. Without ``url`` it starts a node
    of its own (``tests/opensearch_node.py``) in the index's folder, and stops it on close.
    """

    name = "opensearch french"
    index_name = "peer"

    def __init__(self, url: str | None = None) -> None:
        self.url = url
        self._node = None
        self._client = None

    def _start(self, path: Path) -> str:
        try:
            self._node = start_opensearch(path / "node")
        except NoNode as e:  # run_engine reports the peer as not run, as for a missing module
            raise ImportError(f"no OpenSearch node: {e}") from None
        return self._node.url

    def index(self, docs: Iterable[Doc], path: Path) -> None:
        try:
            from opensearchpy import OpenSearch, helpers
        except ImportError:
            raise ImportError("needs opensearch-py: pip install 'depeches[opensearch]'") from None
        self._client = client = OpenSearch(hosts=[self.url or self._start(path)], timeout=120)
        text = {"type": "text", "analyzer": "french"}
        client.indices.delete(index=self.index_name, ignore_unavailable=True)
        client.indices.create(index=self.index_name, body={
            "settings": {"number_of_shards": 1, "number_of_replicas": 0,
                         "refresh_interval": "-1"},
            "mappings": {"properties": {"title": text, "body": text}}})
        helpers.bulk(client, ({"_index": self.index_name, "_id": doc.id,
                               "_source": {"title": doc.title, "body": doc.body}}
                              for doc in docs), chunk_size=1000, max_chunk_bytes=8 << 20)
        # One segment, as a finished index would be (and as the other peers are merged).
        client.indices.forcemerge(index=self.index_name, max_num_segments=1,
                                  request_timeout=600)
        client.indices.refresh(index=self.index_name)

    def query(self, query: str) -> dict | None:
        clauses = query_clauses(query)
        words = " ".join(c[0] for c in clauses if len(c) == 1)
        should = [{"multi_match": {"query": words, "fields": ["title", "body"]}}] \
            if words else []
        should += [{"multi_match": {"query": " ".join(c), "fields": ["title", "body"],
                                    "type": "phrase"}} for c in clauses if len(c) > 1]
        return {"bool": {"should": should}} if should else None

    def search(self, query: str, limit: int) -> list[str]:
        body = self.query(query)
        if body is None:
            return []
        answer = self._client.search(index=self.index_name, body={
            "query": body, "size": limit, "_source": False})
        return [hit["_id"] for hit in answer["hits"]["hits"]]

    def size_bytes(self) -> int:
        stats = self._client.indices.stats(index=self.index_name, metric="store")
        return int(stats["_all"]["primaries"]["store"]["size_in_bytes"])

    def close(self) -> None:
        if self._client is not None:
            if self.url is not None:
                self._client.indices.delete(index=self.index_name, ignore_unavailable=True)
            self._client.close()
            self._client = None
        if self._node is not None:
            self._node.stop()
            self._node = None


PEERS: dict[str, Callable[[], Peer]] = {
    "tantivy": TantivyPeer,
    "fts5": Fts5Peer,
    "whoosh": WhooshPeer,
    "whoosh2": lambda: WhooshPeer(procs=2),
    "opensearch": OpenSearchPeer,
}
