"""The index-time stages run on one article, in a worker process or in the caller's.

``clean → language → entities → passages → analysis``, then the article's documents
as the backend makes them (:class:`indexer.backends.Documents`: Whoosh's postings, or a
cluster's JSON): what a worker sends back to the writing process, which writes them.
"""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..analysis import article_forms, words
from ..model import Article
from ..store.schema import article_record, mention_term, passage_record
from ..store.segment import IndexedDoc
from ..text import source_key
from . import entities  # its names looked up when called, so that a test can stand in
from .clean import clean_article
from .corrections import Corrections
from .language import detect_language, with_language
from .passages import select_passages


@dataclass(frozen=True)
class Prepared:
    """An article after every index-time stage, ready for Whoosh."""

    article_id: str
    article_doc: dict[str, Any]
    passage_docs: list[dict[str, Any]]
    seconds: dict[str, float]


def prepare_article(article: Article, content_hash: str = "",
                    corrections: Corrections | None = None) -> Prepared:
    """Run clean, language, entities, passages and analysis on one article."""
    t0 = time.perf_counter()
    article = clean_article(article)
    t1 = time.perf_counter()
    article = with_language(article)
    t2 = time.perf_counter()
    ents = entities.extract_entities(article.title, [article.lede, *article.paragraphs],
                                     corrections)
    article = replace(article, actors=ents.actors, places=ents.places)
    t3 = time.perf_counter()
    passages = select_passages(article)
    t4 = time.perf_counter()
    lang = article.lang or "fr"
    # Entity-guarded stemming: a known name keeps its exact form even at a sentence start.
    names = frozenset(w.lower() for name in (*ents.actors, *ents.places)
                      for w, *_ in words(name) if w[:1].isupper())
    texts_words: list[list[str]] = []  # the passages' words, for their mentions too
    (title_stem, _), *forms = article_forms([article.title, *(p.text for p in passages)],
                                            lang, names, texts_words)
    common = _common_fields(article, ents, lang)
    persons = frozenset(ents.persons)
    docs: list[dict[str, Any]] = []
    for p, (stem, exact), p_words in zip(passages, forms, texts_words[1:], strict=True):
        # The title goes with the first passage only: repeating it in every
        # passage would multiply the postings Whoosh writes.
        title = {"title_stem": title_stem} if not docs else {}
        # No ``pid`` for a passage: nothing looks one up, and a unique term per
        # passage cost the term dictionary a tenth of its entries.
        docs.append({**common, **title, "stem": stem, "exact": exact,
                     "mentions": _mentions(p.text, ents, persons, p_words),
                     "record": passage_record(p.ordinal, p.section, len(docs) + 1)})
    t5 = time.perf_counter()
    meta = {"title": article.title, "date": article.date, "source": article.source,
            "url": article.url, "lang": lang, "actors": ents.actors, "places": ents.places,
            "hash": content_hash, "passages": len(docs)}
    # No ``pid`` term: an article's document is the first of its ``article_id`` (see
    # article_meta), and one unique term per article cost the index 1.5 % (0.31 of
    # 20.80 MB over 2,000 OrangeSum articles).
    article_doc = {**common, "kind": "a",
                   "record": article_record(meta, [p.text for p in passages])}
    return Prepared(article.id, article_doc, docs, {
        "clean": t1 - t0, "language": t2 - t1, "entities": t3 - t2,
        "passages": t4 - t3, "analysis": t5 - t4})


def _common_fields(article: Article, ents: entities.Entities, lang: str) -> dict[str, Any]:
    """The fields an article's document and each of its passages share: the filters."""
    actor_keys, place_keys = entities.index_keys(ents)
    common = {
        "kind": "p", "article_id": article.id, "lang": lang,
        "actor": ",".join(sorted(actor_keys)), "place": ",".join(sorted(place_keys)),
    }
    if article.date:
        # Year and month too: a date range becomes a few coarse terms, not one per day.
        common.update(date=article.date, month=article.date[:7], year=article.date[:4])
    if article.source:
        common["source"] = source_key(article.source)
    return common


def _mentions(text: str, ents: entities.Entities, persons: frozenset[str],
              words: list[str]) -> str:
    """The mention terms of the actors and places a passage names itself."""
    seen = entities.mentioned(text, ents, words)
    return ",".join(sorted(
        {mention_term("actor", k) for a in seen.actors
         for k in entities.filter_keys(a, "person" if a in persons else "organization")}
        | {mention_term("place", k) for a in seen.places
           for k in entities.filter_keys(a, "place")}))


@dataclass(frozen=True)
class Indexed:
    """An article's documents as Whoosh would index them (:mod:`indexer.store.segment`): what
    the worker sends to the writing process, which only numbers and groups them."""

    article_id: str
    # The article's document, then its passages': Whoosh's postings (IndexedDoc), or
    # a cluster's JSON bodies (see indexer.backends.Documents).
    docs: tuple[IndexedDoc | Any, ...]
    seconds: dict[str, float]

    @property
    def passages(self) -> int:
        return len(self.docs) - 1


def index_prepared(prep: Prepared, documents: Any) -> Indexed:
    """The backend's documents of a prepared article, made by ``documents``
    (:class:`indexer.backends.Documents`)."""
    t = time.perf_counter()
    docs = tuple(documents.document(doc) for doc in (prep.article_doc, *prep.passage_docs))
    return Indexed(prep.article_id, docs,
                   {**prep.seconds, "postings": time.perf_counter() - t})


_worker_documents: Any = None  # the backend's document maker, in a worker (see worker_init)


def prepare_job(job: tuple[Article, str, Corrections | None],
                 documents: Any = None) -> Indexed | str:
    try:
        return index_prepared(prepare_article(*job),
                              _worker_documents if documents is None else documents)
    except Exception as e:  # noqa: BLE001 - one article's bug must not stop the batch
        # A message, not the exception: it crosses the process boundary, and
        # the run goes on with the other articles.
        import traceback

        frame = traceback.extract_tb(e.__traceback__)[-1]  # where it was raised
        return (f"{job[0].id}: not indexed, {type(e).__name__} at "
                f"{Path(frame.filename).name}:{frame.lineno} (a bug: please report it)")


def default_jobs() -> int:
    """The processes an index run uses unless told: the cores this process may run on.

    The affinity mask, not the machine's core count, since a container or ``taskset``
    may grant fewer cores than the machine has.
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return max(1, os.cpu_count() or 1)


def warm_up() -> None:
    """Load the gazetteers and language profiles, once, before forking workers."""
    entities.extract_entities("", [])
    detect_language("Une phrase en français pour charger les profils.")


WORKER_NICENESS = 10
"""How much lower than the writing process the workers run (``nice``). With as many
workers as cores, the writing process shared its core with one: it fell behind while
they ran ahead, then grouped and committed alone while the other cores idled.
Yielding to it, the workers finish with it. Over 12,000 OrangeSum articles on 2 cores,
four runs each, interleaved: 285–307 articles/s at 0, 308–340 at 10 (330 at 19)."""


def worker_init(documents: Any) -> None:
    # The document maker arrives by fork, not pickled with every task.
    global _worker_documents
    _worker_documents = documents
    _worker_signals()
    os.nice(WORKER_NICENESS)


def _worker_signals() -> None:
    # Workers leave Ctrl-C to the parent, which cancels the batch and stops
    # them; and they must not inherit a SIGTERM handler from the CLI, or
    # Pool.terminate() could never end them.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # A signal to the whole process group (a terminal's, a supervisor's) would
    # kill a worker while it holds the pool's queue lock, and terminate() would
    # then wait for ever: only the parent should receive them.
    os.setpgrp()
