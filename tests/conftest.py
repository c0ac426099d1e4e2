"""Shared fixtures: small hand-built ledgers and the CLI runner."""
from __future__ import annotations

import os
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

DATA = Path(__file__).parent / "data"

# Real headless Chromium and a real Neo4j server, started once per session.
pytest_plugins = ["tests.browser", "tests.neo4j_server_plugin", "tests.neo4j_ledgers"]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def invoke(runner):
    """Run the CLI in-process; returns the click Result."""
    from linkgraph.cli import cli

    def run(*args: str):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return run


def write_tables(folder: Path, tables: dict[str, str], encoding: str = "utf-8") -> Path:
    """Write {file name: CSV text} into ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        (folder / name).write_bytes(text.encode(encoding))
    return folder


def shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder every process of this run shares: the run's base temp, which
    is the parent of each pytest-xdist worker's own (``popen-gwN``)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def made_once(folder: Path, make: Callable[[Path], None]) -> Path:
    """``make(folder)`` unless another process of this run already made it.

    The first worker to ask holds a file lock while it makes the folder; the
    other waits and reads what it made, so a dataset is generated once per run.
    """
    from filelock import FileLock

    done = folder.with_name(folder.name + ".done")
    with FileLock(str(folder.with_name(folder.name + ".lock"))):
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)   # left half-made by a killed run
            make(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def generation(tmp_path_factory):
    """``generation(scale, seed, realism="tidy")``: ``loaders.generator.generate``
    as of its default date, built once per run for each set of arguments
    (read it, never change it: other tests get the same object).  With
    pytest-xdist the first worker pickles it for the other."""
    from loaders.generator import generate

    made: dict[tuple, object] = {}

    def get(scale: str | int, seed: int, realism: str = "tidy"):
        key = (str(scale), seed, realism)
        if key not in made:
            def build(folder: Path) -> None:
                folder.mkdir(parents=True)
                made[key] = generate(scale, seed=seed, realism=realism)
                if os.environ.get("PYTEST_XDIST_WORKER"):   # for the other worker
                    (folder / "generated.pickle").write_bytes(pickle.dumps(made[key]))
            folder = made_once(shared_dir(tmp_path_factory)
                               / f"generation-{scale}-{seed}-{realism}", build)
            if key not in made:
                made[key] = pickle.loads((folder / "generated.pickle").read_bytes())
        return made[key]
    return get


@pytest.fixture(scope="session")
def generated(generation, tmp_path_factory):
    """``generated(scale, seed, realism="tidy")``: the folder ``linkgraph
    generate OUT --scale S --seed N [--realism R]`` writes (CSV, UTF-8,
    Chinese headers, truth.json), written once per run for each set of
    arguments.  Read it, never write into it: other tests (and the other
    pytest-xdist worker) read the same folder."""
    from loaders.generator import write_dataset

    written: dict[tuple, Path] = {}

    def get(scale: str | int, seed: int, realism: str = "tidy") -> Path:
        key = (str(scale), seed, realism)
        if key not in written:
            folder = made_once(shared_dir(tmp_path_factory)
                               / f"generated-{scale}-{seed}-{realism}",
                               lambda f: write_dataset(generation(scale, seed, realism), f / "data"))
            written[key] = folder / "data"
        return written[key]
    return get


@pytest.fixture(scope="session")
def office_county(tmp_path_factory, generation) -> Path:
    """``generate --style office --scale county --seed 3`` (OUT/office,
    OUT/contract, OUT/truth.json), written once per run: the office
    generator's tests and the import round trip read the same ledgers
    (writing them is the slowest set-up of the suite)."""
    from loaders.generator.office import write_office

    folder = made_once(shared_dir(tmp_path_factory) / "office-county",
                       lambda f: write_office(generation("county", 3), f / "gen"))
    return folder / "gen"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Tests never read or write the user's dataset cache."""
    monkeypatch.setenv("LINKGRAPH_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))


def pytest_xdist_make_scheduler(config, log):
    """Work units for ``-n 2 --dist loadfile`` (pyproject.toml): each test
    file runs whole on one worker, so its module fixtures are built once, and
    the files named ``*neo4j*`` (the only ones that may use the Neo4j
    fixtures: tests/test_suite_workers.py) run together on one worker, so one
    server is started in a run.  (pytest-xdist's own ``xdist_group`` marks
    are ignored under pytest 9: its loadgroup renames ``item._nodeid``, which
    pytest 9 no longer reads.)"""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class FilesAndNeo4j(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    return FilesAndNeo4j(config, log)


def is_neo4j_file(path: str) -> bool:
    return "neo4j" in Path(path).name


def work_unit(nodeid: str) -> str:
    """The test's file, or ``neo4j`` for every Neo4j test file."""
    path = nodeid.split("::", 1)[0]
    return "neo4j" if is_neo4j_file(path) else path
