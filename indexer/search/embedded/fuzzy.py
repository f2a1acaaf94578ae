"""The terms of a version within an edit distance of a word, for did-you-mean.

Whoosh finds them segment by segment and field by field: it builds the word's
Levenshtein automaton anew for each, then walks each term list alone, every step a
binary search of the list for the automaton's next possible match. A version of four
segments and two fields built the automaton eight times and walked eight lists that
share most of their words.

Here the automaton is built once and walks the lists together, as one merged list: a
step searches only the lists whose last term found lies before the next possible match
(:class:`~indexer.store.terms.FieldWalk`), and the binary searches share the keys they
read (:meth:`~indexer.store.terms.TermTableReader.closest_key_number`). A reader not
of our segments, a cluster's terms, is asked for its own. The terms found are the same,
each with the fields that hold it, and the distance is the same: insertions, deletions
and substitutions, not the transpositions of Whoosh's reader over several segments.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from whoosh.automata.lev import levenshtein_automaton

from ...store.terms import FieldWalk, field_walk


def terms_within(reader: Any, fields: Sequence[str], word: str, maxdist: int,
                 prefix: int = 0) -> set[tuple[str, str]]:
    """``(field, term)`` for each term of ``fields``, in any of ``reader``'s segments,
    within ``maxdist`` edits of ``word`` and sharing its first ``prefix`` characters:
    what Whoosh's ``terms_within`` gives over each segment's reader, together."""
    found: set[tuple[str, str]] = set()
    walks: list[tuple[str, FieldWalk]] = []
    for leaf, _ in reader.leaf_readers():
        for name in fields:
            walk = field_walk(leaf, name)
            if walk is None:  # not a segment of ours: a cluster's terms
                found.update((name, t) for t in leaf.terms_within(name, word, maxdist,
                                                                  prefix=prefix))
            else:
                walks.append((name, walk))
    firsts = [walk.head for _, walk in walks if walk.head is not None]
    if not firsts:
        return found
    dfa = levenshtein_automaton(word, maxdist, prefix).to_dfa()
    match = dfa.next_valid_string(min(firsts))
    while match:
        heads = [(name, walk.seek(match)) for name, walk in walks]
        present = [head for _, head in heads if head is not None]
        if not present:
            break
        first = min(present)
        if first == match:
            found.update((name, match) for name, head in heads if head == match)
            first += "\0"  # the smallest string after the match
        match = dfa.next_valid_string(first)
    return found
