"""Docs that stay true: every command has help and is in the README, and its examples parse."""

from __future__ import annotations

import json
import re
import shlex

import click
import pytest
from conftest import ROOT

from indexer.search.parse import parse_query
from search_cli.cli import cli

README = ROOT / "README.md"
COMMANDS = sorted(cli.commands)


@pytest.fixture(scope="module")
def readme() -> str:
    return README.read_text(encoding="utf-8")


def fenced(text: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)


def console_commands(text: str) -> list[list[str]]:
    """The ``$ depeches …`` lines of the README's console blocks, split like a shell would."""
    lines = [line[2:] for block in fenced(text, "console") for line in block.splitlines()
             if line.startswith("$ depeches")]
    return [shlex.split(line, comments=True) for line in lines]


def test_the_cli_has_the_commands_we_document():
    assert COMMANDS == ["analyze", "check", "export", "facets", "index", "optimize", "search",
                        "show", "similar", "stats"]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help(name):
    command = cli.commands[name]
    assert command.help and command.help.strip()
    assert command.get_short_help_str()


def test_every_option_has_help():
    missing = [f"{name} {param.opts[0]}" for name in COMMANDS
               for param in cli.commands[name].params
               if isinstance(param, click.Option) and not param.hidden and not param.help]
    assert missing == []


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_in_the_readme(readme, name):
    assert f"`depeches {name}" in readme


def test_readme_console_examples_use_real_commands_and_options(readme):
    examples = console_commands(readme)
    assert examples
    for argv in examples:
        assert argv[0] == "depeches"
        name, *args = argv[1:]
        assert name in cli.commands, argv
        # Parse, do not run: unknown options or bad values raise a UsageError here.
        cli.commands[name].make_context(name, list(args))


def test_readme_query_examples_parse(readme):
    table = readme.split("## Query syntax", 1)[1].split("\n\n", 2)[1]
    examples = [q for row in table.splitlines()[2:]
                for q in re.findall(r"`([^`]+)`", row.split("|")[1])]
    assert "bombard*" in examples
    for query in examples:
        parse_query(query)


def test_readme_json_example_has_the_documented_keys(readme):
    from test_cli import HIT_KEYS, SUMMARY_KEYS

    [block] = fenced(readme, "json")
    hit, summary = (json.loads(line) for line in block.splitlines())
    assert set(hit) == HIT_KEYS
    assert set(summary) == SUMMARY_KEYS
