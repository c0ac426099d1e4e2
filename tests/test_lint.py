"""The type checker and the linter run with the tests, so CI runs them.

Their settings are in pyproject.toml ([tool.mypy], [tool.ruff]); both must
report nothing.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)


@pytest.mark.parametrize("tool", ["mypy", "ruff"])
def test_tool_is_installed(tool):
    # the test extra installs both; a missing one must fail, not skip
    assert _run(tool, "--version").returncode == 0, f"{tool} missing: pip install -e .[test]"


def test_mypy_finds_no_errors():
    done = _run("mypy")   # files and settings from pyproject.toml
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "Success: no issues found" in done.stdout


def test_ruff_finds_nothing():
    done = _run("ruff", "check", "--no-cache", "linkgraph", "loaders", "cypher", "tests",
                "bench", "scripts")
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
