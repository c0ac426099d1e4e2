"""Docs are code: the README's commands, every command's help, the contract doc."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from linkgraph.cli import COMMANDS

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


def _run_ci(tmp_path: Path, test_command: str) -> subprocess.CompletedProcess:
    """``.ci/run`` in a copy of the tree whose README's test command is ``test_command``."""
    (tmp_path / ".ci").mkdir()
    shutil.copy(ROOT / ".ci" / "run", tmp_path / ".ci" / "run")
    readme = README.replace(quick_start_commands()[1], test_command, 1)
    (tmp_path / "README.md").write_text(readme, "utf-8")
    return subprocess.run(["bash", str(tmp_path / ".ci" / "run")], capture_output=True,
                          text=True, timeout=60, env={**os.environ, "CI": "1"})


def test_ci_runs_the_readme_test_command(tmp_path):
    # .ci/run runs whatever the README's second command is: here one that
    # leaves a mark, so what ran is seen, not grepped for
    mark = tmp_path / "ran"
    done = _run_ci(tmp_path, f"echo python -m pytest > {mark}")
    assert done.returncode == 0, done.stderr
    assert mark.read_text().strip() == "python -m pytest"


def test_ci_refuses_a_test_command_without_pytest(tmp_path):
    done = _run_ci(tmp_path, f"touch {tmp_path / 'ran'}")
    assert done.returncode == 1 and "does not run pytest" in done.stderr
    assert not (tmp_path / "ran").exists()


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
    listed = {line.split()[0] for line in out.split("Commands:", 1)[1].splitlines()
              if line.startswith("  ") and not line.startswith("   ")}
    assert listed == {name.split()[0] for name in COMMANDS}


def one_hop_rows() -> dict[str, str]:
    """docs/DEVELOPING.md's "Each command in one hop": command → its module's path."""
    text = (ROOT / "docs" / "DEVELOPING.md").read_text("utf-8")
    table = text.split("## Each command in one hop", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, str] = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 2 or not cells[1].startswith("`"):
            continue
        module = re.match(r"`([^`]+)`", cells[1]).group(1)
        for name in re.findall(r"`([^`]+)`", cells[0]):
            rows[name.split()[0].split("/")[0]] = module
    return rows


def test_developing_maps_every_command_to_its_module_in_one_hop():
    rows = one_hop_rows()
    missing = sorted(set(COMMANDS) - set(rows))
    assert not missing, f"docs/DEVELOPING.md has no one-hop row for {missing}"
    for name, target in COMMANDS.items():
        module = target.split(":")[0].replace(".", "/") + ".py"
        assert rows[name] == module, f"{name}: DEVELOPING says {rows[name]}, COMMANDS {module}"
