"""Same input and seed → byte-identical files across processes.

Two separate ``linkgraph`` processes, each with its own PYTHONHASHSEED (so
set and dict orders built from strings differ), its own dataset cache and
its own working folder, run the same commands on the same ledgers (the two
at the same time; each runs its commands one after another); every
file they write — the report page, report.xlsx, each view, CSVs, a
workbook — must be the same bytes.  Two calls in one process would share
the hash seed and the caches and prove nothing.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-06-30"

#: One process per hash seed runs these, in order, from its own folder.
COMMANDS = [
    ["report", "{data}", "--out", "report", "--as-of", AS_OF, "--lang", "zh"],
    ["report", "{data}", "--out", "report-en", "--as-of", AS_OF, "--lang", "en", "--no-views"],
    ["view", "{data}", "--out", "views/unit.html", "--focus", "unit:U0010", "--seed", "3"],
    ["view", "{data}", "--out", "views/overview-en.html", "--lang", "en"],
    ["conflicts", "{data}", "--out", "csv/conflicts.csv"],
    ["leads", "{data}", "--as-of", AS_OF, "--all", "--out", "csv/leads.csv", "--headers", "zh"],
    ["priorities", "{data}", "--as-of", AS_OF, "--out", "csv/priorities.csv"],
    ["clusters", "{data}", "--out", "csv/clusters.csv", "--headers", "en", "--lang", "en"],
    ["audit", "{data}", "--as-of", AS_OF, "--out", "xlsx/audit.xlsx"],
]

pytestmark = pytest.mark.slow   # a minute or more: many whole commands


#: What each side's process runs: every command of COMMANDS in turn, in this
#: one process (as ``linkgraph`` would, through ``linkgraph.cli.main``); a
#: command that does not exit 0 ends the process with its status.
DRIVER = """
import json, sys
from linkgraph.cli import main
for args in json.loads(sys.argv[1]):
    try:
        main(args)
    except SystemExit as exc:
        if exc.code not in (0, None):
            print("failed:", args, file=sys.stderr)
            sys.exit(exc.code if isinstance(exc.code, int) else 1)
"""


def _start(data: Path, folder: Path, hashseed: str, log: Path) -> subprocess.Popen:
    """One process, with its own hash seed, cache and folder, running COMMANDS
    (its messages in ``log``, outside the compared folder)."""
    folder.mkdir(parents=True)
    env = {**os.environ, "PYTHONHASHSEED": hashseed, "SOURCE_DATE_EPOCH": "1700000000",
           "LINKGRAPH_CACHE": str(folder / ".cache"), "PYTHONPATH": str(ROOT)}
    commands = [[a.format(data=data) for a in args] for args in COMMANDS]
    with open(log, "wb") as err:
        return subprocess.Popen([sys.executable, "-c", DRIVER, json.dumps(commands)],
                                cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=err)


@pytest.fixture(scope="module")
def runs(tmp_path_factory, generated) -> tuple[Path, Path]:
    """The two sides run at the same time, each in a process of its own, on
    the session's ``generate --scale 120 --seed 5 --realism high``."""
    base = tmp_path_factory.mktemp("determinism")
    data = generated(120, 5, "high")
    sides = {name: _start(data, base / name, seed, base / f"{name}.log")
             for name, seed in (("one", "1"), ("two", "4242"))}
    try:
        for proc in sides.values():
            proc.wait(timeout=900)
    finally:
        for proc in sides.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    for name, proc in sides.items():
        log = (base / f"{name}.log").read_text("utf-8", errors="replace")
        assert proc.returncode == 0, (name, log[-3000:])
    return base / "one", base / "two"


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".cache" not in p.parts}


def test_every_file_is_the_same_bytes_in_two_processes(runs):
    one, two = (_files(f) for f in runs)
    assert sorted(one) == sorted(two)
    expected = {"report/index.html", "report/report.xlsx", "report/overview.html",
                "report-en/index.html", "report-en/report.xlsx", "views/unit.html",
                "views/overview-en.html", "csv/conflicts.csv", "csv/leads.csv",
                "csv/priorities.csv", "csv/clusters.csv", "xlsx/audit.xlsx"}
    assert expected <= set(one), sorted(expected - set(one))
    assert any(name.startswith("report/cluster-") for name in one)   # views of the report too
    differ = [name for name in sorted(one) if one[name] != two[name]]
    assert differ == []


def test_the_outputs_are_not_trivially_equal(runs):
    """The compared files hold the analyses (an empty file would match too)."""
    one, _ = runs
    page = (one / "report" / "index.html").read_text("utf-8")
    assert page.count("<tr>") > 50 and "共性问题" in page
    assert len((one / "csv" / "conflicts.csv").read_text("utf-8-sig").splitlines()) > 5
    assert (one / "report" / "report.xlsx").stat().st_size > 20_000
