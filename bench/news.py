"""A news known-item task built from OrangeSum: find an article from its lede.

Issue 21 measured depeches on pasted news prose; this is that task, rebuilt from
``../shared/data`` so that anyone can rerun it:

- **The index** holds all 36,152 OrangeSum articles, title and body, *without* their
  ledes.
- **A query** is one article's lede: a summary of it in the editors' words, 8 to ~150
  words of news prose, as a journalist pastes a lede to find its source. Exactly one
  article is relevant: the one the lede was written for.
- **Which ledes.** Those of at least :data:`MIN_WORDS` words (shorter ones are mostly
  intertitles such as ``- Bristol : … -``), that no other article shares (6,049 ledes
  are repeated, so their article is not one known item), of an article whose body has at
  least :data:`MIN_BODY_WORDS` words. Among those, the ones with the smallest SHA-1 of
  their article id: a fixed sample that does not depend on the file's order.
- **Held out.** Half the queries come from the articles of :data:`HELD_OUT_YEAR`, the
  other half from the other years. Tune on the second half only; the first is what a
  ranking change is judged on.
- **Whole articles.** Besides, :data:`ARTICLE_QUERIES` articles are pasted whole, title
  and body, cut at :data:`MAX_CHARS` (the longest query searched): issue 21 bounds the
  time of any query up to that length. An article's own text finds it; these measure
  what pasting costs more than where it ranks. Of the articles whose title and body no
  other article repeats (an exact copy would be as right an answer), half are the
  longest (14 articles are over 10,000 characters; the median is 1,863), half are drawn
  as the ledes are. They are reported apart from the ledes.
"""

from __future__ import annotations

import functools
import hashlib
from collections import Counter
from dataclasses import dataclass

from common import ORANGESUM_PATH, Doc, Query, read_jsonl

MIN_WORDS = 8
ARTICLE_QUERIES = 100
MAX_CHARS = 10_000
ARTICLE = "article"
MIN_BODY_WORDS = 20
HELD_OUT_YEAR = "2019"
HELD_OUT = f"held out ({HELD_OUT_YEAR})"
TUNED = "tuned on"


@dataclass(frozen=True)
class NewsSet:
    docs: list[Doc]
    queries: list[Query]
    articles: list[Query]  # whole articles pasted (part "article")


def news_set(count: int) -> NewsSet:
    """Every OrangeSum article as a Doc without its lede, and ``count`` lede queries.

    Half of them (rounded down) come from :data:`HELD_OUT_YEAR`, the rest from the other
    years, so that the held-out half is as large as the one tuned on.
    """
    docs, eligible = _read()
    held = [(aid, lede) for aid, lede, year in eligible if year == HELD_OUT_YEAR][:count // 2]
    tuned = [(aid, lede) for aid, lede, year in eligible
             if year != HELD_OUT_YEAR][:count - len(held)]
    queries = [Query(aid, lede, aid, HELD_OUT) for aid, lede in held]
    queries += [Query(aid, lede, aid, TUNED) for aid, lede in tuned]
    return NewsSet(docs, queries, whole_articles(docs))


def whole_articles(docs: list[Doc], count: int = ARTICLE_QUERIES) -> list[Query]:
    """``count`` articles pasted whole (see the module's docstring), in the order of their
    ids' SHA-1."""
    copies = Counter(doc.text for doc in docs)
    unique = sorted((doc for doc in docs if copies[doc.text] == 1),
                    key=lambda doc: hashlib.sha1(doc.id.encode()).hexdigest())
    longest = {doc.id for doc in sorted(unique, key=lambda doc: -len(doc.text))[:count // 2]}
    drawn = [doc.id for doc in unique if doc.id not in longest][:count - len(longest)]
    chosen = longest | set(drawn)
    return [Query(f"article:{doc.id}", doc.text[:MAX_CHARS], doc.id, ARTICLE)
            for doc in unique if doc.id in chosen]


@functools.cache
def _read() -> tuple[list[Doc], list[tuple[str, str, str]]]:
    """The articles, and ``(id, lede, year)`` of every lede fit to be a query, in the
    order of their ids' SHA-1: read once, however many samples are drawn."""
    docs: list[Doc] = []
    candidates: list[tuple[str, str, str]] = []
    repeated: Counter[str] = Counter()
    for row in read_jsonl(ORANGESUM_PATH):
        body = row.get("body") or ""
        docs.append(Doc(row["id"], row.get("title") or "", body, row.get("date"),
                        row.get("source")))
        lede = " ".join((row.get("lede") or "").split())
        repeated[lede] += 1
        if len(lede.split()) >= MIN_WORDS and len(body.split()) >= MIN_BODY_WORDS:
            candidates.append((row["id"], lede, (row.get("date") or "")[:4]))
    eligible = sorted((c for c in candidates if repeated[c[1]] == 1),
                      key=lambda c: hashlib.sha1(c[0].encode()).hexdigest())
    return docs, eligible
