"""pytest plugin: one real Neo4j server for the whole test session.

Load it from ``tests/conftest.py`` with
``pytest_plugins = ["tests.neo4j_server_plugin"]`` (or ``-p tests.neo4j_server_plugin``).

Fixtures
    ``neo4j_server`` (session)  ``Neo4jCredentials(uri, user, password)``
    ``neo4j_driver`` (session)  a ``neo4j.Driver`` logged in to it
    ``neo4j_db``     (function) the same driver, on a database emptied first
                                (nodes, relationships, constraints, indexes)

The server is the one in ``NEO4J_URI`` / ``NEO4J_USERNAME`` / ``NEO4J_PASSWORD``
when ``NEO4J_URI`` is set, else a quick ``LocalNeo4j`` started once (the jars are
fetched with Maven the first time, into ``$LINKGRAPH_CACHE``) and stopped at
the end.  ``neo4j_db`` wipes a server of your own only if its database is
empty at the start of the session or ``LINKGRAPH_TEST_NEO4J_WIPE=1``.

Tests that use these fixtures get the ``neo4j`` marker, so ``-m "not neo4j"``
leaves them out.  When no server can be had they are skipped with the
reason, but they fail when ``CI`` is set: CI must run them.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any, NoReturn

import pytest

from linkgraph.errors import Neo4jError
from scripts.neo4j.server import LocalNeo4j, Neo4jCredentials

NEO4J_FIXTURES = frozenset({"neo4j_server", "neo4j_driver", "neo4j_db"})
_NODES_AT_START = pytest.StashKey[int]()


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def unavailable(reason: str) -> NoReturn:
    """Skip the test, or fail it under CI, because there is no server."""
    message = f"no Neo4j server: {reason}"
    if in_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def external_credentials() -> Neo4jCredentials | None:
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        return None
    password = os.environ.get("NEO4J_PASSWORD")
    if password is None:
        unavailable("NEO4J_URI is set but NEO4J_PASSWORD is not")
    return Neo4jCredentials(uri, os.environ.get("NEO4J_USERNAME", "neo4j"), password)


def wipe(driver: Any) -> None:
    """Delete every node, relationship, constraint and index (not the lookups)."""
    driver.execute_query("MATCH (n) DETACH DELETE n")
    records = driver.execute_query("SHOW CONSTRAINTS YIELD name").records
    for record in records:
        driver.execute_query(f"DROP CONSTRAINT {_quote(record['name'])} IF EXISTS")
    records = driver.execute_query(
        "SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name").records
    for record in records:
        driver.execute_query(f"DROP INDEX {_quote(record['name'])} IF EXISTS")


def _quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if NEO4J_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.neo4j)


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jCredentials]:
    external = external_credentials()
    if external is not None:
        yield external
        return
    # quick: C1 JIT only and a smaller heap (scripts/neo4j-local start --quick)
    server = LocalNeo4j(data_dir=tmp_path_factory.mktemp("neo4j"), stop_with_parent=True,
                        quick=True)
    try:
        creds = server.start()
    except Neo4jError as exc:
        unavailable(str(exc))
    try:
        yield creds
    finally:
        server.stop()


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_server: Neo4jCredentials,
                 pytestconfig: pytest.Config) -> Iterator[Any]:
    from neo4j import GraphDatabase, exceptions

    uri, user, password = neo4j_server
    with GraphDatabase.driver(uri, auth=(user, password)) as driver:
        try:
            driver.verify_connectivity()
        except (exceptions.Neo4jError, exceptions.DriverError) as exc:
            unavailable(f"{uri}: {exc}")
        pytestconfig.stash[_NODES_AT_START] = _nodes_of_own_server(driver)
        yield driver


def _nodes_of_own_server(driver: Any) -> int:
    """Nodes in a user's own server before any test ran (0 if ours or allowed)."""
    if os.environ.get("NEO4J_URI") is None or os.environ.get("LINKGRAPH_TEST_NEO4J_WIPE") == "1":
        return 0
    return int(driver.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"])


@pytest.fixture
def neo4j_db(neo4j_server: Neo4jCredentials, neo4j_driver: Any,
             pytestconfig: pytest.Config) -> Any:
    nodes = pytestconfig.stash[_NODES_AT_START]
    if nodes:
        pytest.fail(f"{neo4j_server.uri} held {nodes} nodes before the tests; they "
                    "would delete them. Set LINKGRAPH_TEST_NEO4J_WIPE=1 to allow it.",
                    pytrace=False)
    wipe(neo4j_driver)
    return neo4j_driver
