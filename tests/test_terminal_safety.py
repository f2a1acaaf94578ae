"""Scraped text is untrusted: no control character of it reaches a terminal.

An article whose title sets the terminal's title (``ESC]0;…BEL``) and clears the screen
(``ESC[2J``), and whose body and source hold colour codes, is indexed clean; what
cleaning cannot reach (an id, a file name in a message) is printed with visible escapes.
"""

from __future__ import annotations

import json
import re

import pytest

from indexer.pipeline.clean import clean_field, normalize_text
from search_cli.render import visible

ESC = "\x1b"
# Any control character but tab and newline: C0, DEL and C1.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
HOSTILE = {
    "id": f"piege{ESC}[2J",
    "title": f"Grève {ESC}]0;pwned\x07{ESC}[2Jdes cheminots",
    "lede": f"Le trafic est {ESC}[31mperturbé{ESC}[0m en Bretagne.",
    "body": "La grève\x00 des cheminots\x9b31m continue à Rennes.\x85\nLes usagers attendent.",
    "source": f"AFP{ESC}[31m",
    "url": f"https://exemple.fr/{ESC}]8;;https://pirate.example\x07greve",
    "date": "2016-05-01",
}


@pytest.mark.parametrize("raw, clean", [
    (f"a{ESC}]0;titre\x07b", "ab"),  # OSC ended by BEL
    (f"a{ESC}]0;titre{ESC}\\b", "ab"),  # OSC ended by ST
    (f"a{ESC}]0;jamais fermé\nsuite", "a\nsuite"),  # an open OSC stops at its line's end
    (f"{ESC}[1;31mrouge{ESC}[0m", "rouge"),  # CSI with parameters
    ("\x9b2Jx", "x"),  # 8-bit CSI
    (f"a{ESC}cb", "ab"),  # two-byte ESC (reset)
    ("nul\x00 del\x7f nel\x85", "nul del nel"),  # C0, DEL, C1
    ("page\x0cnouvelle", "page\nnouvelle"),  # a form feed parts lines
    ("tab\tet\nligne", "tab\tet\nligne"),  # tab and newline stay
    ("Grève à Nîmes « enfin »", "Grève à Nîmes « enfin »"),  # nothing else changes
])
def test_cleaning_removes_control_characters_and_escape_sequences(raw, clean):
    assert normalize_text(raw) == clean


def test_one_line_fields_are_collapsed_as_well():
    assert clean_field(" Orange avec\u00a0AFP-Services\u200b ") == "Orange avec AFP-Services"
    assert clean_field(f"{ESC}[0m") is None


@pytest.mark.parametrize("raw, shown", [
    (f"piege{ESC}[2J", "piege\\x1b[2J"),
    ("a\x07b\x9bc\rd", "a\\x07b\\x9bc\\x0dd"),
    ("ligne\n\ttab", "ligne\n\ttab"),
])
def test_renderers_show_what_cleaning_did_not_reach_as_escapes(raw, shown):
    assert visible(raw) == shown


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory):
    from indexer import NewsIndex

    root = tmp_path_factory.mktemp("hostile")
    (root / "articles.jsonl").write_text(json.dumps(HOSTILE) + "\n", "utf-8")
    with NewsIndex.create(root / "index") as idx:
        report = idx.add_paths([root / "articles.jsonl"], jobs=1)
    assert report.new == 1, report.errors
    return root / "index"


def without_our_colours(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


@pytest.mark.parametrize("args", [
    ["search", "grève", "--color", "never"],
    ["search", "grève", "--color", "never", "--per-article", "3", "--explain"],
    ["show", HOSTILE["id"]],
    ["facets", "--field", "sources", "--color", "never"],
    ["facets", "--field", "places", "--color", "never"],
    ["stats"],
])
def test_no_control_character_reaches_the_terminal(cli_run, hostile_index, args):
    result = cli_run(*args, "--index", str(hostile_index))
    assert result.exit_code == 0, result.stderr
    assert not CONTROL.search(result.stdout), repr(result.stdout)
    assert not CONTROL.search(result.stderr)


@pytest.mark.parametrize("command", [["search", "grève"], ["show", HOSTILE["id"]]])
def test_with_colour_only_our_own_codes_are_written(cli_run, hostile_index, command):
    result = cli_run(*command, "--color", "always", "--index", str(hostile_index))
    assert result.exit_code == 0
    assert ESC in result.stdout  # the highlights, or the title
    assert not CONTROL.search(without_our_colours(result.stdout)), repr(result.stdout)
    assert "piege\\x1b[2J" in result.stdout  # the id, made visible
    assert "pwned" not in result.stdout


def test_the_text_is_clean_and_json_stays_exact_json(cli_run, hostile_index):
    result = cli_run("search", "grève", "--json", "--index", str(hostile_index))
    hit = json.loads(result.stdout.splitlines()[0])
    assert hit["article_id"] == HOSTILE["id"]  # an id is a key: kept exactly, as JSON
    assert hit["title"] == "Grève des cheminots"
    assert hit["source"] == "AFP"
    assert hit["url"] == "https://exemple.fr/greve"
    assert not CONTROL.search(hit["passage"])
    exported = json.loads(cli_run("export", "--index", str(hostile_index)).stdout)
    assert not any(CONTROL.search(str(v)) for k, v in exported.items() if k != "article_id")
