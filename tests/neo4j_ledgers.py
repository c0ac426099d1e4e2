"""Session fixtures for the Neo4j I/O tests: generated ledgers (250 units,
seed 2) pushed once into the session's server, and pushed again whenever a
test has emptied the database."""
from __future__ import annotations

import datetime as dt
import json
import os
from collections import Counter
from pathlib import Path

import pytest

from linkgraph.neo4j.connection import Settings, connect

AS_OF = dt.date(2026, 6, 30)


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    from linkgraph.cli import cli

    out = tmp_path_factory.mktemp("ledgers") / "g250"
    done = CliRunner().invoke(cli, ["generate", str(out), "--scale", "250", "--seed", "2"])
    assert done.exit_code == 0, done.output
    return out


@pytest.fixture(scope="session")
def tables(data_dir):
    from linkgraph.dataset import load_dataset

    return load_dataset(data_dir).tables


@pytest.fixture(scope="session")
def settings(neo4j_server) -> Settings:
    return Settings(neo4j_server.uri, neo4j_server.user, neo4j_server.password)


@pytest.fixture(scope="session")
def expected(tables) -> tuple[dict, dict]:
    return expected_counts(tables)


@pytest.fixture(scope="session")
def pushed(neo4j_driver, settings, tables):
    """The push report of the ledgers, pushed once into an emptied database."""
    from linkgraph.neo4j.push import push
    from tests.neo4j_server_plugin import wipe

    wipe(neo4j_driver)
    with connect(settings) as conn:
        return push(conn, tables, batch_size=5000)


@pytest.fixture
def conn(pushed, settings, tables, expected):
    """A connection to the database holding exactly the ledgers."""
    from linkgraph.neo4j.push import push
    from tests.neo4j_server_plugin import wipe

    with connect(settings) as c:
        if db_counts(c) != expected:  # another test emptied or changed it
            wipe(c.driver)
            push(c, tables, batch_size=5000)
        yield c


def expected_counts(tables) -> tuple[dict, dict]:
    """Nodes per label and distinct relationships per type, from networkx."""
    from linkgraph.graph import build_graph, for_graph

    G = build_graph(for_graph(tables))      # push harmonises the categories
    labels = Counter(d["label"] for _, d in G.nodes(data=True))
    distinct = {(s, e, json.dumps(d, sort_keys=True, default=str))
                for s, e, d in G.edges(data=True)}
    types = Counter(json.loads(k)["type"] for _, _, k in distinct)
    return dict(labels), dict(types)


def db_counts(conn) -> tuple[dict, dict]:
    from linkgraph.neo4j.push import database_counts

    labels, types = database_counts(conn)
    return ({k: v for k, v in labels.items() if v}, {k: v for k, v in types.items() if v})


def env_for(settings: Settings) -> dict[str, str]:
    return {**os.environ, "NEO4J_URI": settings.uri, "NEO4J_USERNAME": settings.user,
            "NEO4J_PASSWORD": settings.password}
