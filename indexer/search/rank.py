"""Ranking: BM25F over passages, then the top candidates re-scored.

Re-scoring counts the title's score for each passage of an article, coordination
(a passage that misses a query word loses more the rarer the word) and proximity
(:mod:`.weights`), and, with word vectors, topic, sentence alignment and words of
close meaning. The README's "How it works" gives the measured effect of each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..model import TermMatch
from .options import SearchOptions
from .weights import HEAD_WEIGHT, PROXIMITY, clause_weights, coordination, proximity

if TYPE_CHECKING:
    from .seam import Compiled, Version


TOPIC = 3.0
TOPIC_FLOOR = 0.5
"""With word vectors, a candidate's score is multiplied by 1 + TOPIC × (cos − TOPIC_FLOOR)
when the cosine of its mean content-word vector to the query's is above TOPIC_FLOOR:
a passage about the question's subject climbs. The README's "How it works" gives its
measured effect, and the values tried."""
ALIGN = 8.0
"""With word vectors, a candidate's score is also multiplied by 1 + ALIGN × a², where a
is how much of the query its best sentence says, words of close meaning included
(:meth:`indexer.search.vectors.WordVectors.alignment`): a question usually rephrases
the sentence that answers it. The vectors' own judgement of a word counts, not exact
matches as whole (that did worse); the README's "How it works" gives the figures."""


def rescore(version: Version, comp: Compiled, opts: SearchOptions,
            rows: list[tuple[float, str, int]], k: int, stored: dict[int, dict[str, Any]],
            similar: dict[int, list[TermMatch]]) -> list[tuple[float, str, int]]:
    """The candidates' ``(score, article_id, docnum)`` once their title's score is lent,
    and coordination, proximity and (with vectors) topic and close words counted.
    Passages read on the way go to ``stored``, close words to ``similar``."""
    # Coordination and proximity are counted on the candidates only: asking
    # Whoosh for the matched terms of every hit would turn off its top-k skipping.
    titles = version.title_scores(comp, k)
    reach = [c | r for c, r in zip(comp.clauses, comp.related, strict=True)]
    wanted_terms = frozenset().union(*reach)
    body = version.positions(wanted_terms, [d for _, _, d in rows])
    in_title = version.positions(frozenset(("title_" + f, t) for f, t in wanted_terms
                                           if f == "stem"),
                                 [t[1] for t in titles.values()])
    weights = [w * (HEAD_WEIGHT if i in comp.heads else 1.0)
               for i, w in enumerate(clause_weights(version, comp.clauses))]
    vectors = version.vectors() if opts.vectors else None
    # The query words' vectors, looked up once rather than for every candidate.
    known = vectors.vectors_of([w for w in comp.words if w]) if vectors else {}
    asked = vectors.profile(" ".join(w for w in comp.words if w)) if vectors else None
    scored = []
    for score, aid, docnum in rows:
        found = body[docnum]
        matched = set(found)
        title = titles.get(aid)
        if title:
            if docnum != title[1]:  # the first passage carries the title already
                score += title[0]
            matched |= {(f[6:], t) for f, t in in_title[title[1]]}
        partial = 0.0
        if asked is not None and vectors is not None:  # the index has word vectors
            stored[docnum] = version.passage(docnum)
            text = stored[docnum]["text"]
            seen = vectors.profile(text)
            topic = vectors.topic(asked, seen)
            score *= 1 + TOPIC * max(0.0, topic - TOPIC_FLOOR)
            aligned = vectors.alignment(comp.words, weights, text, seen, known)
            score *= 1 + ALIGN * aligned ** 2
            missing = [i for i, c in enumerate(reach) if comp.words[i] and not c & matched]
            if missing:
                near = vectors.closest([comp.words[i] for i in missing], seen, known)
                partial = sum(weights[i] * x for i, (x, _) in zip(missing, near, strict=True))
                similar[docnum] = [TermMatch(comp.words[i] or "", w, "similar")
                                   for i, (x, w) in zip(missing, near, strict=True) if x]
        score *= coordination(reach, weights, matched, partial)
        score *= 1 + PROXIMITY * proximity(comp.clauses, weights, found)
        scored.append((score, aid, docnum))
    return scored
