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
def office_county(tmp_path_factory) -> Path:
    """``generate --style office --scale county --seed 3`` (OUT/office,
    OUT/contract, OUT/truth.json), written once per session: the office
    generator's tests and the import round trip read the same ledgers
    (writing them is the slowest set-up of the suite)."""
    from loaders.generator import generate
    from loaders.generator.office import write_office

    out = tmp_path_factory.mktemp("office-county") / "gen"
    write_office(generate("county", seed=3), out)
    return out


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Tests never read or write the user's dataset cache."""
    monkeypatch.setenv("LINKGRAPH_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))
