"""An index on an OpenSearch cluster: where it is, its mapping, and writing to it.

The location is a URL, ``opensearch+http://HOST:PORT/NAME`` (or ``opensearch+https``),
with a user and password in it or in ``DEPECHES_OPENSEARCH_USER`` and
``DEPECHES_OPENSEARCH_PASSWORD``, and optionally the shape of an index it creates:
``?shards=2&replicas=1`` (1 and 0 by default). ``NAME`` is an alias: the documents live
in a concrete index behind it (``NAME-v<stamp>``), so that a rebuild writes a new one
and swaps the alias once it is complete, and searches never see a half-built index.

Analysis stays ours. The documents are those the embedded index holds (see
:mod:`indexer.store.schema`): the ``stem``, ``exact`` and ``title_stem`` fields carry the
forms :mod:`indexer.analysis` made, joined by spaces, and the cluster only splits them
(a ``whitespace`` analyzer), so it sees exactly the terms Whoosh sees. An article's
document and its passages' are routed by article id, to one shard. The cluster
refreshes only when a batch is committed (``refresh_interval: -1``), so a search sees
whole batches, as a Whoosh commit gives them.
"""

from __future__ import annotations

import base64
import hashlib
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self, cast
from urllib.parse import parse_qsl, unquote, urlsplit

from ..analysis import CHAIN_VERSION
from ..errors import (
    ClusterError,
    IndexerError,
    IndexLockedError,
    IndexNotFoundError,
    IndexVersionError,
)
from ..model import ARTICLE_B, ARTICLE_K1, BM25_B, BM25_K1, FACET_FIELDS, article_facets
from .locations import SCHEME
from .schema import passage_place, read_meta
from .signals import held_interrupts

if TYPE_CHECKING:
    from ..model import IndexReport
    from .embedded import Indexed

FORMAT_VERSION = 5
SIMILARITY = "depeches"
WHOLE_SIMILARITY = "depeches_whole"
WHOLE_FIELDS = {"stem": "whole_stem", "title_stem": "whole_title"}
"""Each article's passages' forms, joined on its own document, where whole articles are
scored (:meth:`indexer.search.opensearch.version.OpenSearchVersion._with_leads`)."""
SCORED_FIELDS = ("stem", "exact", "title_stem", "mentions")
BULK_ARTICLES = 500
"""Articles sent per bulk request: their documents are written, and seen at the commit."""
USER_VARIABLE = "DEPECHES_OPENSEARCH_USER"
PASSWORD_VARIABLE = "DEPECHES_OPENSEARCH_PASSWORD"


@dataclass(frozen=True)
class Location:
    """Where an index lives on a cluster; ``str()`` is its URL without the password."""

    scheme: str
    host: str
    port: int
    name: str
    user: str | None = None
    password: str | None = None
    shards: int = 1
    """Primary shards of an index this location creates (an existing one keeps its own)."""
    replicas: int = 0
    """Copies of each shard on other nodes, that a search falls back on when a node is lost."""

    @classmethod
    def parse(cls, url: str) -> Location:
        parts = urlsplit(url[len(SCHEME):])
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise IndexerError(f"{url}: expected opensearch+http://HOST:PORT/NAME "
                               "or opensearch+https://…")
        name = parts.path.strip("/")
        if not name or "/" in name or name != name.lower() or name.startswith(("-", "_", "+")) \
                or any(c in name for c in ' "*\\<|,>?#:'):
            raise IndexerError(f"{url}: {name!r} is not an index name (lower case, "
                               "no spaces, slashes or \\*?\"<>|,#:)")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 9200)
        except ValueError:
            raise IndexerError(f"{url}: bad port") from None
        user = unquote(parts.username) if parts.username else os.environ.get(USER_VARIABLE)
        password = unquote(parts.password) if parts.password \
            else os.environ.get(PASSWORD_VARIABLE)
        shape = {"shards": 1, "replicas": 0}
        for key, value in parse_qsl(parts.query, keep_blank_values=True):
            number = value.isascii() and value.isdigit()
            if key not in shape or not number or (key == "shards" and int(value) == 0):
                raise IndexerError(f"{url}: {key}={value} is not an index setting "
                                   "(shards=N with N ≥ 1, replicas=N with N ≥ 0)")
            shape[key] = int(value)
        return cls(parts.scheme, parts.hostname, port, name, user, password, **shape)

    def __str__(self) -> str:
        who = f"{self.user}@" if self.user else ""
        return f"{SCHEME}{self.scheme}://{who}{self.host}:{self.port}/{self.name}"

    @property
    def lock(self) -> str:
        """The index whose existence is the writer's lock."""
        return f"{self.name}-writer-lock"

    def client(self) -> Any:
        """An ``opensearch-py`` client, retrying on 502, 503 and 504 and on timeouts."""
        try:
            from opensearchpy import OpenSearch
        except ImportError:
            raise IndexerError("an OpenSearch index needs opensearch-py",
                               hint="pip install 'depeches[opensearch]'") from None
        auth = (self.user, self.password or "") if self.user else None
        # Uncompressed, as the official clients default: a search's answer (about 150 KB
        # for a query's candidates) took longer to gzip and unzip than to send over a
        # local node's loopback (200 queries on 5,000 articles: p50 27.7 ms against 30.5).
        return OpenSearch(hosts=[{"host": self.host, "port": self.port}],
                          use_ssl=self.scheme == "https", http_auth=auth, timeout=60,
                          max_retries=3, retry_on_timeout=True,
                          retry_on_status=(502, 503, 504), http_compress=False)


def mapping() -> dict[str, Any]:
    """The concrete index's mappings: the embedded schema's fields, as the cluster holds them."""
    def keyword() -> dict[str, Any]:
        return {"type": "keyword"}

    def forms(positions: bool) -> dict[str, Any]:
        return {"type": "text", "analyzer": "whitespace", "similarity": SIMILARITY,
                "index_options": "positions" if positions else "freqs"}

    return {
        "_meta": {"format": FORMAT_VERSION, "analysis": CHAIN_VERSION, "engine": "opensearch"},
        "dynamic": "strict",
        # Searched, never read back: the passages' own fields hold the same forms.
        "_source": {"excludes": list(WHOLE_FIELDS.values())},
        "properties": {
            "kind": keyword(), "article_id": keyword(), "n": {"type": "integer"},
            "stem": forms(True), "exact": forms(False), "title_stem": forms(True),
            **{whole: {"type": "text", "analyzer": "whitespace", "similarity": WHOLE_SIMILARITY,
                       "index_options": "freqs"} for whole in WHOLE_FIELDS.values()},
            "date": {"type": "date", "format": "yyyy-MM-dd||yyyy-MM||yyyy"},
            "month": keyword(), "year": keyword(), "source": keyword(), "lang": keyword(),
            "actor": keyword(), "place": keyword(),
            "mentions": {"type": "keyword", "similarity": SIMILARITY},
            "hash": {"type": "keyword", "index": False},
            # An article's facet values as it shows them, where the fields above hold
            # folded keys: facets count articles by these (an aggregation over the
            # articles' own documents).
            "facet": {"properties": {f: keyword() for f in FACET_FIELDS}},
            # Our compressed record (see indexer.store.schema), read back as the embedded
            # index reads it: never searched.
            "record": {"type": "binary"},
            # Each document's number of terms per scored field, summed by an aggregation:
            # the total that Whoosh's BM25F divides by the document count for its
            # average field length, which the cluster's statistics do not expose.
            "lengths": {"properties": {f: {"type": "integer", "index": False}
                                       for f in SCORED_FIELDS}},
        },
    }


def settings(shards: int = 1, replicas: int = 0) -> dict[str, Any]:
    return {"number_of_shards": shards, "number_of_replicas": replicas,
            "refresh_interval": "-1",
            "similarity": {SIMILARITY: {"type": "BM25", "k1": BM25_K1, "b": BM25_B},
                           WHOLE_SIMILARITY: {"type": "scripted", "script": {"source": WHOLE}}}}


WHOLE = (
    f"double tf = doc.freq; double k1 = {ARTICLE_K1}; double b = {ARTICLE_B};"
    " double average = (double) field.sumTotalTermFreq / field.docCount;"
    " return query.boost * tf * (k1 + 1) / (tf + k1 * (1 - b + b * doc.length / average));")
"""A whole article's BM25 (:func:`indexer.search.rank.article_scores`) with its IDF given
as the query's boost: what the cluster ranks articles by, with their lengths rounded as
Lucene keeps them, before they are scored again exactly."""


def with_whole(docs: tuple[dict[str, Any], ...]) -> tuple[dict[str, Any], ...]:
    """An article's documents, its own (the first) holding its passages' forms joined
    (:data:`WHOLE_FIELDS`)."""
    first, *passages = docs
    joined = {whole: " ".join(p[field] for p in passages if p.get(field))
              for field, whole in WHOLE_FIELDS.items()}
    return ({**first, **{k: v for k, v in joined.items() if v}}, *passages)


def document(fields: dict[str, Any]) -> dict[str, Any]:
    """A prepared document (:func:`indexer.pipeline.prepare.prepare_article`) as the cluster
    stores it: key lists as lists, the record in base64, its place among its article's
    documents as ``n`` (0 for the article's own)."""
    out: dict[str, Any] = {}
    for name, value in fields.items():
        if value is None or name.startswith("_"):
            continue
        if name in ("actor", "place", "mentions"):
            out[name] = [v for v in value.split(",") if v]
        elif name == "record":
            out[name] = base64.b64encode(value).decode("ascii")
        else:
            out[name] = value
    out["lengths"] = {f: len(held) for f, held in field_terms(out).items()}
    if fields["kind"] == "a":
        meta = read_meta(fields["record"])
        out["n"] = 0
        out["hash"] = meta["hash"]
        out["facet"] = {f: list(values) for f, values in article_facets(meta).items()}
    else:
        out["n"] = passage_place(fields["record"])[0]
    return out


def field_terms(source: dict[str, Any]) -> dict[str, list[str]]:
    """A document's terms in each scored field, in order (a term's place is its
    position), from its source: the analysed forms space-joined, the mentions a list."""
    return {f: list(value) if isinstance(value := source.get(f) or "", list)
            else value.split() for f in SCORED_FIELDS}


class Documents:
    """How the pipeline's workers make a cluster's documents (see :func:`document`)."""

    def document(self, fields: dict[str, Any]) -> dict[str, Any]:
        return document(fields)


def doc_id(article_id: str, n: int) -> str:
    """A document's id: the same on every run, so that writing again replaces it."""
    key = article_id if len(article_id.encode("utf-8")) <= 400 \
        else hashlib.sha1(article_id.encode("utf-8")).hexdigest()
    return f"{key}#{n}"


class OpenSearchStore:
    """The index ``location`` on an OpenSearch cluster."""

    def __init__(self, location: Location, client: Any, concrete: str, *,
                 rebuild: bool = False) -> None:
        self.location = location
        self.path = str(location)
        self.client = client
        self.concrete = concrete
        """The index written and read: the alias's, or a rebuild's, swapped in at the end."""
        self._rebuild = rebuild
        self._shape = settings(location.shards, location.replicas)
        self._previous: str | None = None
        self._reports: list[IndexReport] = []

    # -- opening ---------------------------------------------------------------
    @classmethod
    def create(cls, url: str, *, overwrite: bool = False) -> Self:
        """A new, empty index behind the alias; an index already there is opened as it
        is, unless ``overwrite``: then the next writing fills a new one beside it, which
        takes the alias when that writing ends. A new index has the location's shards and
        replicas."""
        location = Location.parse(url)
        client = location.client()
        current = _alias_target(client, location)
        if current is not None:
            if not overwrite:
                return cls._checked(location, client, *current)
            return cls(location, client, current[0], rebuild=True)
        store = cls(location, client, "")
        store.concrete = store._new_concrete()
        call(location, client.indices.update_aliases, body={"actions": [
            {"add": {"index": store.concrete, "alias": location.name}}]})
        return store

    def _new_concrete(self) -> str:
        stamp = f"{time.strftime('%Y%m%d%H%M%S')}{time.time_ns() % 10**6:06d}"
        concrete = f"{self.location.name}-v{stamp}"
        call(self.location, self.client.indices.create, index=concrete,
              body={"settings": self._shape, "mappings": mapping()})
        return concrete

    @classmethod
    def open(cls, url: str) -> Self:
        """The index behind the alias; a missing or foreign one is a clear error."""
        location = Location.parse(url)
        client = location.client()
        current = _alias_target(client, location)
        if current is None:
            raise IndexNotFoundError(str(location), "no such index on the cluster")
        return cls._checked(location, client, *current)

    @classmethod
    def _checked(cls, location: Location, client: Any, concrete: str,
                 meta: dict[str, Any]) -> Self:
        """The index ``concrete``, once its mapping's ``meta`` says our format and
        analysis chain."""
        found = (meta.get("format"), meta.get("analysis"))
        if meta.get("engine") != "opensearch" or None in found:
            raise IndexNotFoundError(str(location), f"{concrete} is not a depeches index "
                                                    "(no _meta in its mapping)")
        if found != (FORMAT_VERSION, CHAIN_VERSION):
            raise IndexVersionError(str(location), f"format {found[0]}, analysis {found[1]}",
                                    f"format {FORMAT_VERSION}, analysis {CHAIN_VERSION}")
        return cls(location, client, concrete)

    @property
    def documents(self) -> Documents:
        """How the pipeline's workers make documents: the cluster's JSON bodies."""
        return Documents()

    # -- writing ---------------------------------------------------------------
    @contextmanager
    def writing(self, wait: float = 0.0) -> Iterator[None]:
        """Hold the writer's lock (an index of its own, created only if absent), waiting up
        to ``wait`` seconds; a rebuild's index takes the alias when the writing ends,
        unless it was interrupted, when it is dropped and the old one keeps serving."""
        self._lock(wait)
        finished = False
        try:
            if self._rebuild:  # under the lock: two rebuilds never race for the alias
                self._rebuild = False
                self._previous, self.concrete = self.concrete, self._new_concrete()
            yield
            finished = not any(r.interrupted for r in self._reports)
        finally:
            try:
                if self._previous is not None:
                    self._swap() if finished else self._drop_rebuild()
            finally:
                self._reports = []
                call(self.location, self.client.indices.delete, index=self.location.lock,
                      ignore_unavailable=True)

    def _lock(self, wait: float) -> None:
        from opensearchpy import RequestError

        owner = {"pid": os.getpid(), "host": socket.gethostname(),
                 "since": time.strftime("%Y-%m-%d %H:%M:%S")}
        deadline = time.monotonic() + wait
        while True:
            try:
                call(self.location, self.client.indices.create, index=self.location.lock,
                      body={"settings": {"number_of_shards": 1, "number_of_replicas": 0},
                            "mappings": {"_meta": owner}})
                return
            except RequestError as e:
                if e.error != "resource_already_exists_exception":
                    raise
            if time.monotonic() >= deadline:
                held = self._lock_owner()
                raise IndexLockedError(self.path, held.get("pid"), held.get("since"))
            time.sleep(min(0.5, max(0.0, deadline - time.monotonic())))

    def _lock_owner(self) -> dict[str, Any]:
        try:
            answer = self.client.indices.get_mapping(index=self.location.lock)
            return dict(answer[self.location.lock]["mappings"].get("_meta", {}))
        except Exception:  # noqa: BLE001 - released meanwhile: nobody to name
            return {}

    def _swap(self) -> None:
        assert self._previous is not None
        call(self.location, self.client.indices.update_aliases, body={"actions": [
            {"remove": {"index": self._previous, "alias": self.location.name}},
            {"add": {"index": self.concrete, "alias": self.location.name}}]})
        call(self.location, self.client.indices.delete, index=self._previous,
              ignore_unavailable=True)
        self._previous = None

    def _drop_rebuild(self) -> None:
        assert self._previous is not None
        call(self.location, self.client.indices.delete, index=self.concrete,
              ignore_unavailable=True)
        self.concrete, self._previous = self._previous, None

    def hashes(self) -> dict[str, str]:
        """Each committed article's content hash, by id."""
        return {src["article_id"]: src["hash"] for src in self.scan(
            {"term": {"kind": "a"}}, ["article_id", "hash"])}

    def scan(self, query: dict[str, Any], fields: list[str]) -> Iterator[dict[str, Any]]:
        """The ``_source`` (``fields`` of it) of every document ``query`` matches, by
        article id and place (see :func:`scan`)."""
        return scan(self.location, self.client, self.concrete, query, fields)

    def batches(self, existing: dict[str, str], report: IndexReport, size: int) -> Batches:
        """Batches of ``size`` articles, one refresh each (an id in ``existing`` is an update)."""
        self._reports.append(report)
        return Batches(self, existing, report, size)

    def refresh(self) -> None:
        call(self.location, self.client.indices.refresh, index=self.concrete)

    def counts(self) -> dict[str, int]:
        """Documents of each kind, as the last commit left them: ``a`` and ``p``."""
        answer = call(self.location, self.client.search, index=self.concrete, body={
            "size": 0, "aggs": {"kinds": {"terms": {"field": "kind"}}}})
        return {b["key"]: b["doc_count"] for b in answer["aggregations"]["kinds"]["buckets"]}


class Batches:
    """Prepared articles sent in bulk requests of :data:`BULK_ARTICLES`, and made visible
    ``size`` at a time by a refresh: the cluster's commit."""

    def __init__(self, store: OpenSearchStore, existing: dict[str, str],
                 report: IndexReport, size: int) -> None:
        self.store = store
        self.existing = existing
        self.report = report
        self.size = size
        self.unsent: list[Indexed] = []
        self.pending: list[tuple[str, int, dict[str, float]]] = []
        self.writing = False  # a cluster's failures are ClusterError, never an OSError

    @property
    def open(self) -> bool:
        return bool(self.pending)

    def add(self, prep: Indexed) -> None:
        self.unsent.append(prep)
        self.pending.append((prep.article_id, prep.passages, prep.seconds))
        if len(self.pending) >= self.size:
            self.commit()
        elif len(self.unsent) >= BULK_ARTICLES:
            self._send()

    def _send(self) -> None:
        from opensearchpy import helpers

        store = self.store
        docs = [(p.article_id, d) for p in self.unsent
                for d in with_whole(cast("tuple[dict[str, Any], ...]", p.docs))]
        actions: list[dict[str, Any]] = [
            {"_index": store.concrete, "_id": doc_id(aid, d["n"]), "_routing": aid, "_source": d}
            for aid, d in docs]
        updated = [p.article_id for p in self.unsent if p.article_id in self.existing]
        if updated:
            # An update may have fewer passages: the old ones its new documents do not
            # replace are deleted in the same requests. (Not _delete_by_query: it is
            # a module, reindex, that a cluster may lack.) At most BULK_ARTICLES ids: one
            # terms query holds them.
            written = {a["_id"] for a in actions}
            for old in store.scan({"terms": {"article_id": updated}}, ["article_id", "n"]):
                old_id = doc_id(old["article_id"], old["n"])
                if old_id not in written:
                    actions.append({"_op_type": "delete", "_index": store.concrete,
                                    "_id": old_id, "_routing": old["article_id"]})
        try:
            for ok, item in helpers.streaming_bulk(
                    store.client, actions, chunk_size=1000, max_chunk_bytes=8 << 20,
                    max_retries=5, initial_backoff=1, max_backoff=30, raise_on_error=False):
                if not ok:
                    error = next(iter(item.values())).get("error", item)
                    raise ClusterError(str(store.location), f"a document was refused: {error}")
        except ClusterError:
            raise
        except Exception as e:  # noqa: BLE001 - the client's many kinds, as one line
            raise _cluster_error(store.location, e) from None
        self.unsent = []

    def commit(self) -> None:
        self._send()
        with held_interrupts():  # made visible and counted, or neither
            self.store.refresh()
            self.report.count_commit(self.pending, self.existing)
            self.pending = []

    def abandon(self) -> None:
        """After a failed write: what was sent of the open batch cannot be taken back,
        and shows at the next commit; the articles are counted as not committed."""
        self.unsent = []
        self.pending = []

    def cancel(self) -> None:
        self.abandon()


def scan(location: Location, client: Any, index: str, query: dict[str, Any],
         fields: list[str], page: int = 2000) -> Iterator[dict[str, Any]]:
    """The ``_source`` (``fields`` of it) of every document of ``index`` that ``query``
    matches, by article id and place, paged with ``search_after`` (never a deep ``from``)."""
    after: list[Any] | None = None
    while True:
        body: dict[str, Any] = {"query": query, "size": page, "_source": fields,
                                "sort": [{"article_id": "asc"}, {"n": "asc"}]}
        if after is not None:
            body["search_after"] = after
        hits = call(location, client.search, index=index, body=body)["hits"]["hits"]
        yield from (hit["_source"] for hit in hits)
        if len(hits) < page:
            return
        after = hits[-1]["sort"]


def record(source: dict[str, Any]) -> bytes:
    """A document's stored record (see :mod:`indexer.store.schema`), from its ``_source``."""
    return base64.b64decode(source["record"])


def _alias_target(client: Any, location: Location) -> tuple[str, dict[str, Any]] | None:
    """The index behind the alias and its mapping's ``_meta``, in one request (the
    mappings of what the name resolves to); ``None`` where no alias has the name, a
    plain index of that name included."""
    from opensearchpy import NotFoundError

    try:
        answer = call(location, client.indices.get_mapping, index=location.name)
    except NotFoundError:
        return None
    targets = sorted(k for k in answer if k != location.name)
    if not targets:
        return None
    return targets[-1], answer[targets[-1]]["mappings"].get("_meta", {})


def call(location: Location, method: Any, **kwargs: Any) -> Any:
    """``method(**kwargs)``, its connection and authorisation failures as one clear line."""
    from opensearchpy import AuthenticationException, AuthorizationException, TransportError
    from opensearchpy import ConnectionError as Unreachable

    try:
        answer = method(**kwargs)
    except (Unreachable, AuthenticationException, AuthorizationException) as e:
        raise _cluster_error(location, e) from None
    except TransportError as e:
        if isinstance(e.status_code, int) and e.status_code >= 500:
            raise _cluster_error(location, e) from None
        raise
    if isinstance(answer, dict):
        for part in (answer, *answer.get("responses", ())):
            _whole(location, part)
    return answer


def _whole(location: Location, answer: dict[str, Any]) -> None:
    """A search or count that some shards did not answer is an error, not a short answer:
    the cluster returns what the other shards found, and a count, a facet or a list of
    hits would be wrong without a word. (A shard with a live copy, a replica after its
    node was lost, answers.) So is one search of a multi-search that failed whole."""
    if "error" in answer:
        error = answer["error"]
        reason = error.get("reason", error) if isinstance(error, dict) else error
        raise ClusterError(str(location), f"a search failed: {reason}")
    shards = answer.get("_shards")
    if not isinstance(shards, dict) or not shards.get("failed"):
        return
    reasons = {str((f.get("reason") or {}).get("reason") or f.get("reason"))
               for f in shards.get("failures", ()) if isinstance(f, dict)}
    raise ClusterError(str(location), f"{shards['failed']} of {shards.get('total')} shards "
                                      f"failed ({'; '.join(sorted(reasons)) or 'no reason given'})")


def _cluster_error(location: Location, e: Exception) -> ClusterError:
    from opensearchpy import AuthenticationException, AuthorizationException
    from opensearchpy import ConnectionError as Unreachable

    if isinstance(e, Unreachable):
        reason = "cannot connect (is the cluster running?)"
    elif isinstance(e, AuthenticationException):
        reason = "the cluster refused the credentials"
    elif isinstance(e, AuthorizationException):
        reason = "the credentials may not do this"
    else:
        reason = f"the cluster failed: {getattr(e, 'error', None) or type(e).__name__}"
    return ClusterError(str(location), reason)
