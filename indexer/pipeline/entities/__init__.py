"""Entity extraction: the people, organisations and places an article talks about.

A rules + gazetteer hybrid, built for speed (about a millisecond for a short
article, gazetteers loaded once per process) rather than for the last point
of F1:

1. **Find runs** of capitalised words (and of the few lowercase words that
   open names: ``océan``, ``place``, ``ministère``...) with one regex, and
   tokenise only their neighbourhood.  Tokens split French elisions
   (``d'Alep`` gives ``d'`` + ``Alep``) and keep hyphenated names whole.
2. **Spot** names in each run: the longest gazetteer phrase (places,
   organisations, user aliases; ``au Caire`` finds ``Le Caire``), else
   capitalised words joined by particles (``de``, ``van``, ``al-``...),
   extended over lowercase adjectives and complements after an organisation
   word (``Gendarmerie royale du Canada``); a known institution takes its
   country along (``Parlement espagnol``, ``Sénat du Burundi``).
3. **Segment and classify**: strip honorifics (``M.``, ``Mme``...), titles
   and nationality words (``la Polonaise``), skip sentence-initial common
   words (``Selon``, ``Alarmé``); then decide the kind from cues --
   organisation heads (``Parti``, ``Université``), acronyms, given names,
   words before the name (``le président``, ``le quotidien``, ``la ville``),
   place prepositions (``à``, ``en``), figures after it (``X (28 ans)``).
   A work's title after its noun is no name (:mod:`.works`: ``le film Star
   Wars``, ``l'émission Team Toussaint``).
4. **Roads** (:mod:`.roads`): a motorway or a national or departmental road
   is a place when the press's wording makes it one (``l'autoroute A7``,
   ``sur l'A7``, ``la RN 20``, ``le périphérique``); any other code of
   capitals and digits is never a place (``journée de D1``).
5. **Resolve** within the article: a surname-only mention (``M. Lavrov``)
   or initials (``B. Obama``, ``J.-M. Ayrault``) become the one full name
   of the article they fit (``Sergueï Lavrov``), a name without its second
   surname the longer one (``Ana Pastor García``), a lone head word the
   longer name it shortens (``l'Assemblée``), two spellings one
   (``Erignac``/``Érignac``); gazetteer variants take their canonical
   spelling (``Etats-Unis`` gives ``États-Unis``), and user corrections
   (:mod:`indexer.pipeline.corrections`) apply.  Merging across articles is left to
   :mod:`indexer.search.facets`, at counting time.

Design choice worth knowing: surname-only mentions are merged into the full
name (one facet value per person).  The Wikinews gold annotations list every
mention string apart, so ``Entities.mentions`` keeps the surface forms seen in
the text beside their canonical names; ``bench/entities.py`` scores those as
its headline and the canonical names on a second line.

The gazetteers live in ``indexer/pipeline/gazetteer/`` (its README says where each
comes from).  Filter keys come from :func:`entity_key`, :func:`filter_keys`
and :func:`index_keys`; :func:`mentioned` tells which entities a passage names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ... import lazy as _lazy

# Imported on first use, as in :mod:`indexer`: the query side reads entity keys and the
# shape of names (model, names) and never loads the spotter and its gazetteers.
_EXPORTS = {
    "Entities": "model", "entity_key": "model",
    "accented": "names", "initials_fit": "names", "initials_name": "names",
    "looks_like_full_name": "names",
    "extract_entities": "extract",
    "filter_keys": "mentions", "index_keys": "mentions", "mentioned": "mentions",
}
__all__ = [
    "Entities", "accented", "entity_key", "extract_entities", "filter_keys", "index_keys",
    "initials_fit", "initials_name", "looks_like_full_name", "mentioned",
]

if TYPE_CHECKING:
    from .extract import extract_entities
    from .mentions import filter_keys, index_keys, mentioned
    from .model import Entities, entity_key
    from .names import accented, initials_fit, initials_name, looks_like_full_name


__getattr__ = _lazy.exports(__name__, _EXPORTS)
