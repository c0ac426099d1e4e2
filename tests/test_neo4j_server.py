"""The local Neo4j server: its files and errors (fast), and a real server (neo4j)."""
from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from linkgraph.errors import Neo4jError
from scripts.neo4j.server import (QUICK_JVM_FLAGS, LocalNeo4j, auth_ini_line, bolt_answers,
                                    fetch_jars, free_port, jars_complete, java_major_version,
                                    lib_dir, port_is_free, render_conf)

# Also loaded by tests/conftest.py where there is one; the helpers below are
# imported inside the tests so that pytest imports the plugin (and rewrites
# its asserts) first.

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "neo4j-local"


# -- no server needed ----------------------------------------------------------

def test_auth_ini_line_is_what_neo4j_admin_writes():
    # Written by `neo4j-admin dbms set-initial-password S3cret-pass-123` (5.26.30).
    salt = bytes.fromhex("b9b53be9731e87f21accf35724ebf1c3c7afd3ab190ec758a8aa6a2e09a2e553")
    assert auth_ini_line("neo4j", "S3cret-pass-123", salt) == (
        "neo4j:SHA-256,05e2b8e73e2df18476c31ce88fbf5f992898db14fde88d88107cc1ed0700325a,"
        "b9b53be9731e87f21accf35724ebf1c3c7afd3ab190ec758a8aa6a2e09a2e553,1024:\n")


def test_conf_keeps_the_server_local_and_inside_its_dir(tmp_path):
    conf = dict(line.split("=", 1) for line in
                render_conf(tmp_path, tmp_path / "lib", 17687).splitlines()
                if not line.startswith("#"))
    dirs = {k: v for k, v in conf.items() if k.startswith("server.directories.")}
    assert len(dirs) >= 8
    assert all(Path(v).is_relative_to(tmp_path) for v in dirs.values())
    assert conf["server.bolt.listen_address"] == "127.0.0.1:17687"
    assert conf["server.http.enabled"] == conf["server.https.enabled"] == "false"
    assert conf["dbms.security.auth_enabled"] == "true"


def test_fetch_is_skipped_when_the_jars_are_complete(tmp_path):
    lib = lib_dir(tmp_path, "9.9.9")
    lib.mkdir(parents=True)
    (lib / "a.jar").write_bytes(b"")
    (lib / ".complete").write_text("a.jar\n")
    assert fetch_jars(tmp_path, "9.9.9", mvn="no-such-mvn") == lib
    (lib / "a.jar").unlink()
    assert not jars_complete(lib)


def test_fetch_without_maven_says_so(tmp_path):
    with pytest.raises(Neo4jError, match="Maven .* not found"):
        fetch_jars(tmp_path, mvn="no-such-mvn")


def test_missing_java_says_so(tmp_path):
    with pytest.raises(Neo4jError, match="Java .* not found"):
        LocalNeo4j(tmp_path / "cache", tmp_path / "db", java="no-such-java").start()


@pytest.mark.skipif(shutil.which("java") is None, reason="the port is checked after java")
def test_busy_port_is_refused_before_anything_starts(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert not port_is_free(port)
        with pytest.raises(Neo4jError, match=f"port {port} .* busy"):
            LocalNeo4j(tmp_path / "cache", port=port).start()
    assert not (tmp_path / "cache").exists()


def test_bolt_probe_is_false_on_a_closed_port():
    assert not bolt_answers("127.0.0.1", free_port(), timeout=0.5)


# -- the session's server ------------------------------------------------------

def test_server_answers_a_query(neo4j_db):
    neo4j_db.execute_query("CREATE (:Unit {id: 'U1', name: '县财政局'})-[:INSPECTED_BY]->"
                           "(:Team {id: 'T1'})")
    records = neo4j_db.execute_query(
        "MATCH (u:Unit)-[:INSPECTED_BY]->(t:Team) RETURN u.name AS unit, t.id AS team"
    ).records
    assert [r.data() for r in records] == [{"unit": "县财政局", "team": "T1"}]


def test_wrong_password_is_refused(neo4j_server):
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError

    with (GraphDatabase.driver(neo4j_server.uri, auth=(neo4j_server.user, "wrong")) as drv,
          pytest.raises(AuthError)):
        drv.verify_connectivity()


def test_wipe_leaves_an_empty_database(neo4j_db):
    from tests.neo4j_server_plugin import wipe

    neo4j_db.execute_query("CREATE CONSTRAINT unit_id IF NOT EXISTS "
                           "FOR (n:Unit) REQUIRE n.id IS UNIQUE")
    neo4j_db.execute_query("CREATE INDEX team_name IF NOT EXISTS FOR (n:Team) ON (n.name)")
    neo4j_db.execute_query("UNWIND range(1, 50) AS i CREATE (:Unit {id: i})-[:R]->(:Team)")
    wipe(neo4j_db)
    assert neo4j_db.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"] == 0
    assert neo4j_db.execute_query("SHOW CONSTRAINTS").records == []
    kinds = {r["type"] for r in neo4j_db.execute_query("SHOW INDEXES YIELD type").records}
    assert kinds <= {"LOOKUP"}


# -- servers of their own ------------------------------------------------------

@pytest.fixture(scope="module")
def jars() -> Path:
    from tests.neo4j_server_plugin import unavailable

    try:
        java_major_version()
        return fetch_jars()
    except Neo4jError as exc:
        unavailable(str(exc))


@pytest.mark.neo4j
def test_auth_ini_line_matches_the_admin_tool(jars, tmp_path):
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "neo4j.conf").write_text(render_conf(tmp_path, jars, 7687))
    subprocess.run(["java", *QUICK_JVM_FLAGS, "-cp", f"{jars}/*", "org.neo4j.cli.AdminTool", "dbms",
                    "set-initial-password", "pässwörd-1"], check=True, capture_output=True,
                   env={**os.environ, "NEO4J_HOME": str(tmp_path),
                        "NEO4J_CONF": str(tmp_path / "conf")})
    written = (tmp_path / "data" / "dbms" / "auth.ini").read_text()
    salt = bytes.fromhex(written.split(",")[2])
    assert auth_ini_line("neo4j", "pässwörd-1", salt) == written


@pytest.mark.neo4j
@pytest.mark.slow
def test_lifecycle_one_server_per_dir_stop_frees_the_port_data_stays(jars, tmp_path):
    """Through the script, then the API: start, refuse a second start, stop, restart."""
    from neo4j import GraphDatabase

    from tests.neo4j_server_plugin import unavailable

    def script(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(SCRIPT), *args, "--dir", str(tmp_path)],
                              capture_output=True, text=True,
                              env={**os.environ, "PYTHON": sys.executable})

    started = script("start")
    if started.returncode != 0:
        unavailable(started.stderr)
    server = LocalNeo4j(data_dir=tmp_path)
    pid = server.running_pid()
    try:
        password = (tmp_path / "password").read_text().strip()
        assert (tmp_path / "password").stat().st_mode & 0o077 == 0
        assert password not in started.stdout + started.stderr
        uri = re.search(r"^NEO4J_URI=(\S+)$", started.stdout, re.M).group(1)
        env = dict(shlex.split(line.removeprefix("export "))[0].split("=", 1)
                   for line in script("env").stdout.splitlines())
        assert env == {"NEO4J_URI": uri, "NEO4J_USERNAME": "neo4j", "NEO4J_PASSWORD": password}
        assert script("status").returncode == 0
        refused = script("start")
        assert refused.returncode == 1 and "already running" in refused.stderr
        with pytest.raises(Neo4jError, match="already running"):
            LocalNeo4j(data_dir=tmp_path).start()
        with GraphDatabase.driver(uri, auth=("neo4j", password)) as drv:
            drv.execute_query("CREATE (:Unit {id: 'kept'})")
    finally:
        assert script("stop").returncode == 0
    assert script("status").returncode == 3
    port = int(uri.rsplit(":", 1)[1])
    assert port_is_free(port) and not bolt_answers("127.0.0.1", port)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)

    again = LocalNeo4j(data_dir=tmp_path, stop_with_parent=True, quick=True)
    with again as (uri2, user, password2):
        assert password2 == password
        cmdline = Path(f"/proc/{again.running_pid()}/cmdline").read_bytes().split(b"\0")
        assert b"-XX:TieredStopAtLevel=1" in cmdline and b"-Xmx384m" in cmdline
        with GraphDatabase.driver(uri2, auth=(user, password2)) as drv:
            found = drv.execute_query("MATCH (u:Unit) RETURN u.id AS id").records
        assert [r["id"] for r in found] == ["kept"]
    assert port_is_free(int(uri2.rsplit(":", 1)[1]))
