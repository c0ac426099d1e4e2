"""``linkgraph neo4j export-import``: the files and the printed command load
a real database with neo4j-admin from the fetched jars (org.neo4j.cli.AdminTool),
and the server started on it holds the graph a push makes (marker ``neo4j``)."""
from __future__ import annotations

import json
import os
import shlex
import subprocess

import pytest

from linkgraph.errors import Neo4jError
from scripts.neo4j.server import (QUICK_JVM_FLAGS, LocalNeo4j, fetch_jars, java_major_version,
                                  render_conf)

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]


@pytest.fixture(scope="module")
def jars():
    from tests.neo4j_server_plugin import unavailable

    try:
        java_major_version()
        return fetch_jars()
    except Neo4jError as exc:
        unavailable(str(exc))


def test_the_printed_command_imports_into_a_new_database(jars, tmp_path, data_dir, invoke,
                                                         conn):
    from linkgraph.neo4j.connection import Settings, connect
    from linkgraph.neo4j.pull import pull_graph
    from linkgraph.neo4j.push import apply_schema

    bulk = tmp_path / "bulk"
    result = invoke("neo4j", "export-import", data_dir, bulk)
    assert result.exit_code == 0, result.output
    argv = shlex.split(result.stdout.strip().splitlines()[-1])
    assert argv[:5] == ["neo4j-admin", "database", "import", "full", "neo4j"]
    home = tmp_path / "server"
    (home / "conf").mkdir(parents=True)
    (home / "conf" / "neo4j.conf").write_text(render_conf(home, jars, 7687), "utf-8")
    # C1 only, as the quick server: a short run never wins back C2's compiling
    done = subprocess.run(["java", *QUICK_JVM_FLAGS, "-cp", f"{jars}/*",
                           "org.neo4j.cli.AdminTool", *argv[1:]],
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, "NEO4J_HOME": str(home),
                               "NEO4J_CONF": str(home / "conf")})
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "IMPORT DONE" in done.stdout

    def edges(G) -> set:
        return {(s, e, json.dumps(d, sort_keys=True)) for s, e, d in G.edges(data=True)}

    pushed = pull_graph(conn)
    with LocalNeo4j(data_dir=home, stop_with_parent=True, quick=True) as (uri, user, password):
        with connect(Settings(uri, user, password)) as imported:
            G = pull_graph(imported)
            assert apply_schema(imported) > 12  # the constraints go on afterwards
            names = {r["name"] for r in imported.run("SHOW CONSTRAINTS YIELD name")}
            assert {"unit_id", "person_id", "category_id"} <= names
    assert dict(G.nodes(data=True)) == dict(pushed.nodes(data=True))
    assert edges(G) == edges(pushed)
