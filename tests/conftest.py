"""Shared fixtures: small hand-built ledgers and the CLI runner."""
from __future__ import annotations

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


@pytest.fixture(scope="session")
def generation():
    """``generation(scale, seed, realism="tidy")``: ``loaders.generator.generate``
    as of its default date, built once per session for each set of arguments
    (read it, never change it: other tests get the same object)."""
    from loaders.generator import generate

    made: dict[tuple, object] = {}

    def get(scale: str | int, seed: int, realism: str = "tidy"):
        key = (str(scale), seed, realism)
        if key not in made:
            made[key] = generate(scale, seed=seed, realism=realism)
        return made[key]
    return get


@pytest.fixture(scope="session")
def generated(generation, tmp_path_factory):
    """``generated(scale, seed, realism="tidy")``: the folder ``linkgraph
    generate OUT --scale S --seed N [--realism R]`` writes (CSV, UTF-8,
    Chinese headers, truth.json), written once per session for each set of
    arguments.  Read it, never write into it: other tests read the same folder."""
    from loaders.generator import write_dataset

    written: dict[tuple, Path] = {}

    def get(scale: str | int, seed: int, realism: str = "tidy") -> Path:
        key = (str(scale), seed, realism)
        if key not in written:
            out = tmp_path_factory.mktemp(f"generated-{scale}-{seed}-{realism}") / "data"
            write_dataset(generation(scale, seed, realism), out)
            written[key] = out
        return written[key]
    return get


@pytest.fixture(scope="session")
def office_county(tmp_path_factory, generation) -> Path:
    """``generate --style office --scale county --seed 3`` (OUT/office,
    OUT/contract, OUT/truth.json), written once per session: the office
    generator's tests and the import round trip read the same ledgers
    (writing them is the slowest set-up of the suite)."""
    from loaders.generator.office import write_office

    out = tmp_path_factory.mktemp("office-county") / "gen"
    write_office(generation("county", 3), out)
    return out


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Tests never read or write the user's dataset cache."""
    monkeypatch.setenv("LINKGRAPH_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))
