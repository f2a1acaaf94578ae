"""The user's corrections file: format, errors, and effect on extraction."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.pipeline.corrections import Corrections, CorrectionsError, load_corrections
from indexer.pipeline.entities import extract_entities
from indexer.text import name_key

SAMPLE = """\
[aliases]
"Poutine" = "Vladimir Poutine"
"Daech" = "État islamique"

[exclude]
actors = ["Sana"]
places = ["Contactez"]
names = ["Envie"]

[types]
"Gazprom Neft" = "organization"
"Sana" = "actor"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "depeches.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def corrections(tmp_path: Path) -> Corrections:
    return load_corrections(write(tmp_path, SAMPLE))


def test_empty_corrections_are_falsy_and_change_nothing() -> None:
    title, body = "Visite à Moscou", ["M. Vladimir Poutine a reçu Sergueï Lavrov."]
    assert not Corrections()
    assert extract_entities(title, body, Corrections()) == extract_entities(title, body)


def test_load_reads_every_table(corrections: Corrections) -> None:
    assert corrections.canonical("poutine") == "Vladimir Poutine"
    assert corrections.canonical("DAECH") == "État islamique"
    assert corrections.kind("gazprom neft") == "organization"
    assert corrections.excluded("Sana", "actor")
    assert not corrections.excluded("Sana", "place")
    assert corrections.excluded("contactez", "place")
    # [exclude] names applies to both kinds.
    assert corrections.excluded("Envie", "actor") and corrections.excluded("Envie", "place")


def test_alias_merges_a_surface_into_its_canonical(corrections: Corrections) -> None:
    entities = extract_entities(
        "Poutine à Paris", ["Poutine a rencontré le président français à Paris."], corrections
    )
    assert "Vladimir Poutine" in entities.actors
    assert "Poutine" not in entities.actors


def test_alias_gives_the_canonical_kind_from_the_gazetteer(corrections: Corrections) -> None:
    entities = extract_entities("", ["Daech a revendiqué l'attentat."], corrections)
    assert entities.actors == ("État islamique",)
    assert entities.persons == ()  # the gazetteer knows it is an organisation


def test_typed_name_is_spotted_with_its_kind(corrections: Corrections) -> None:
    entities = extract_entities("", ["Le groupe Gazprom Neft investit en Sibérie."], corrections)
    assert "Gazprom Neft" in entities.actors
    assert "Gazprom Neft" not in entities.persons


def test_exclusions_remove_names(corrections: Corrections) -> None:
    text = ["L'agence Sana rapporte des combats près d'Alep.", "Envie de voyager ?"]
    entities = extract_entities("", text, corrections)
    assert "Sana" not in entities.actors
    assert "Envie" not in entities.actors + entities.places
    assert "Alep" in entities.places


def test_corrections_are_hashable_and_equal_by_content(tmp_path: Path) -> None:
    # The extractor caches its phrase table per Corrections: equal files, one cache entry.
    first = load_corrections(write(tmp_path, SAMPLE))
    again = load_corrections(write(tmp_path, SAMPLE))
    assert first == again and hash(first) == hash(again)


@pytest.mark.parametrize(
    "text, line, message",
    [
        # tomllib's own syntax error, with its line
        ('[aliases]\n"Poutine" = "Vladimir Poutine"\n"Kerry" "John Kerry"\n', 3, "Expected '='"),
        # a value of the wrong type
        ('[aliases]\n"Poutine" = 3\n', 2, "must be a non-empty string"),
        # an unknown kind in [types]
        ('[types]\n\n"Sana" = "agency"\n', 3, "is not one of"),
        # exclusions must be lists of strings
        ('[exclude]\nactors = "Sana"\n', 2, "must be a list of strings"),
        # a table we do not know (a typo of [aliases])
        ('[alias]\n"a" = "b"\n', 1, "unknown table [alias]"),
    ],
)
def test_malformed_file_raises_with_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(CorrectionsError) as caught:
        load_corrections(path)
    error = caught.value
    assert error.path == str(path)
    assert error.line == line
    assert message in error.message
    assert str(error).startswith(f"{path}:{line}: ")
    assert "\n" not in str(error)
    assert isinstance(error, ValueError)


def test_missing_file_raises_without_line(tmp_path: Path) -> None:
    with pytest.raises(CorrectionsError) as caught:
        load_corrections(tmp_path / "absent.toml")
    assert caught.value.line is None
    assert str(caught.value).startswith(str(tmp_path / "absent.toml") + ": ")


def test_non_utf8_file_raises(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('[aliases]\n"Poutine" = "Vladimir Poutine é"\n'.encode("latin-1"))
    with pytest.raises(CorrectionsError):
        load_corrections(path)


@pytest.mark.parametrize(
    "name, key",
    [
        ("États-Unis", "etats unis"),  # accents folded, hyphen as space
        ("Etats Unis", "etats unis"),  # the user's spelling meets the canonical one
        ("  Sergueï   LAVROV ", "serguei lavrov"),  # case and whitespace
        ("Côte d’Ivoire", "cote d'ivoire"),  # typographic apostrophe
    ],
)
def test_name_key(name: str, key: str) -> None:
    assert name_key(name) == key
