"""Docs are code: the README's commands, every command's help, the contract doc."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from linkgraph.cli import COMMANDS, cli

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text("utf-8")


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [b.strip() for b in re.findall(r"```(?:sh|bash)\n(.*?)```", section, re.S)]


def test_readme_starts_with_exactly_two_commands():
    first_heading = README.index("\n## ")
    assert README.index("## Quick start") == first_heading + 1
    cmds = quick_start_commands()
    assert len(cmds) == 2 and all("\n" not in c for c in cmds)
    assert cmds[0].endswith("linkgraph demo")
    assert "pytest" in cmds[1]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    # .ci/run reads the second fenced command of the README and runs it
    assert "blocks[1]" in ci and "README.md" in ci
    blocks = re.findall(r"```(?:sh|bash)\n(.*?)```", README, re.S)
    assert blocks[1].strip() == quick_start_commands()[1]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_is_in_the_readme_and_has_an_example(invoke, name):
    assert f"linkgraph {name}" in README
    result = invoke(*name.split(), "--help")
    assert result.exit_code == 0
    assert "Example" in result.output and f"linkgraph {name}" in result.output.split("Example")[1]


def test_contract_doc_is_current():
    from linkgraph.contract_doc import render

    assert (ROOT / "docs" / "DATA.md").read_text("utf-8") == render()


def test_top_level_help_lists_every_command(invoke):
    out = invoke("--help").output
    for name in COMMANDS:
        assert name in out
    assert cli.name in ("cli", "linkgraph")
