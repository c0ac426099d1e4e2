"""Push, pull, export-import and the cypher/ library against a real Neo4j
server (marker ``neo4j``): every answer is checked against the networkx /
pandas analysis of the same generated ledgers."""
from __future__ import annotations

import json
import subprocess

import networkx as nx
import pandas as pd
import pytest

from tests.neo4j_ledgers import db_counts, env_for, expected_counts

pytestmark = pytest.mark.neo4j


# -- the pushed ledgers: fixtures in tests/neo4j_ledgers.py -----------------


# -- push ----------------------------------------------------------------------

def test_push_writes_the_graph_networkx_builds(conn, tables, pushed):
    labels, types = expected_counts(tables)
    assert db_counts(conn) == (labels, types)
    assert pushed.node_total == sum(labels.values())
    assert pushed.relationship_total == sum(types.values())
    constraints = {r["name"] for r in conn.run("SHOW CONSTRAINTS YIELD name")}
    assert {"unit_id", "person_id", "problem_id", "category_id"} <= constraints


def test_push_writes_the_harmonised_categories(conn, tables):
    # the generator writes 违反中央八项规定精神; the shipped taxonomy calls it
    # 八项规定, in the area 落实全面从严治党战略部署 of the branch 全面从严治党
    written = "违反中央八项规定精神"
    assert (tables["problems"]["category"] == written).any()
    rows = conn.run(
        "MATCH (p:Problem)-[:OF_CATEGORY]->(c:Category) WHERE p.category_written = $w "
        "RETURN DISTINCT p.category AS category, p.category_area AS area, "
        "p.category_branch AS branch, c.name AS node, c.category_area AS node_area, "
        "c.category_branch AS node_branch", {"w": written})
    assert rows == [{"category": "八项规定", "area": "落实全面从严治党战略部署",
                     "branch": "全面从严治党", "node": "八项规定",
                     "node_area": "落实全面从严治党战略部署", "node_branch": "全面从严治党"}]
    # no Category node is left under the written label, and the departments
    # that supervise it point at the harmonised one
    assert not conn.run("MATCH (c:Category {id: $w}) RETURN c.id", {"w": written})
    depts = tables["departments"]
    want = sorted(d for d, s in zip(depts["dept_id"], depts["supervises"]) if written in s)
    got = conn.run("MATCH (d:Department)-[:SUPERVISES]->(:Category {id: '八项规定'}) "
                   "RETURN d.id AS id ORDER BY id")
    assert [r["id"] for r in got] == want and want


def test_push_again_through_the_cli_changes_no_count(conn, tables, data_dir, settings,
                                                     invoke, monkeypatch):
    before = db_counts(conn)
    for k, v in env_for(settings).items():
        monkeypatch.setenv(k, v)
    result = invoke("neo4j", "push", data_dir, "--format", "json")
    assert result.exit_code == 0, result.output
    assert settings.password not in result.output
    records = json.loads(result.stdout)["records"]
    assert all(r["pushed"] == r["in_database"] for r in records)
    assert db_counts(conn) == before


def _duplicates(conn) -> int:
    """Relationships with a twin: same endpoints, type and properties."""
    rows = conn.run("MATCH (a)-[r]->(b) WITH a, b, type(r) AS t, properties(r) AS p, "
                    "count(*) AS n WHERE n > 1 RETURN count(*) AS twins")
    return rows[0]["twins"]


def test_an_interrupted_push_run_again_completes_without_duplicates(conn, tables, neo4j_driver):
    from linkgraph.neo4j.push import push
    from tests.neo4j_server_plugin import wipe

    full = db_counts(conn)
    wipe(neo4j_driver)

    class Stop(Exception):
        pass

    def stop_at(share: float):
        def progress(item: str, done: int, total: int) -> None:
            if done > total * share:
                raise Stop(item)
        return progress

    with pytest.raises(Stop):  # among the nodes
        push(conn, tables, batch_size=1000, progress=stop_at(0.2))
    after_nodes = db_counts(conn)
    assert after_nodes[0] != full[0] and not after_nodes[1]
    with pytest.raises(Stop):  # among the relationships
        push(conn, tables, batch_size=1000, progress=stop_at(0.7))
    partial = db_counts(conn)
    assert partial[0] == full[0] and 0 < sum(partial[1].values()) < sum(full[1].values())
    push(conn, tables, batch_size=3000)
    assert db_counts(conn) == full
    assert _duplicates(conn) == 0


@pytest.mark.parametrize("workers", [1, 3])
def test_one_writer_or_several_write_the_same_graph(conn, tables, expected, neo4j_driver,
                                                    workers):
    """Parallel batches (small, so many run side by side and lock the same
    nodes) leave exactly the graph a single writer leaves."""
    from linkgraph.neo4j.push import push
    from tests.neo4j_server_plugin import wipe

    wipe(neo4j_driver)
    report = push(conn, tables, batch_size=200, workers=workers)
    assert db_counts(conn) == expected
    assert report.node_total == sum(expected[0].values())
    assert _duplicates(conn) == 0


def test_wipe_asks_first_and_yes_skips_the_question(data_dir, settings, runner, monkeypatch,
                                                    conn, expected):
    from linkgraph.cli import cli

    for k, v in env_for(settings).items():
        monkeypatch.setenv(k, v)
    conn.run("CREATE (:Unit {id: 'stray'})", write=True)
    refused = runner.invoke(cli, ["neo4j", "push", str(data_dir), "--wipe"], input="n\n")
    assert refused.exit_code == 1 and "delete every node" in refused.output
    assert conn.run("MATCH (u:Unit {id: 'stray'}) RETURN count(u) AS n")[0]["n"] == 1
    done = runner.invoke(cli, ["neo4j", "push", str(data_dir), "--wipe", "--yes"])
    assert done.exit_code == 0, done.output
    assert conn.run("MATCH (u:Unit {id: 'stray'}) RETURN count(u) AS n")[0]["n"] == 0
    assert db_counts(conn) == expected


def test_query_command_prints_the_library_answer(settings, invoke, monkeypatch, conn):
    from linkgraph.neo4j.library import run_query

    for k, v in env_for(settings).items():
        monkeypatch.setenv(k, v)
    result = invoke("neo4j", "query", "overdue_leads", "--param", "as_of=2026-06-30",
                    "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["records"] == \
        run_query(conn, "overdue_leads", {"as_of": "2026-06-30"})
    csv_out = invoke("neo4j", "query", "overdue_leads", "-p", "as_of=2026-06-30",
                     "--format", "csv").stdout
    assert csv_out.splitlines()[0].lstrip("\ufeff").startswith("dept_id,dept_name,leads")


# -- errors --------------------------------------------------------------------

def _run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    import sys

    return subprocess.run([sys.executable, "-m", "linkgraph", *args], capture_output=True,
                          text=True, env=env, timeout=120)


@pytest.mark.parametrize("case, message", [
    ("password", "用户名或密码错误"), ("down", "连不上 Neo4j 服务器"),
    ("database", "没有可用的数据库")])
def test_driver_errors_are_one_clear_line(case, message, settings):
    from scripts.neo4j.server import free_port

    env = env_for(settings)
    args = ["neo4j", "query", "overdue_leads"]
    if case == "password":
        env["NEO4J_PASSWORD"] = "wrong-" + settings.password
    elif case == "down":
        env["NEO4J_URI"] = f"bolt://127.0.0.1:{free_port()}"
    else:
        args += ["--database", "nosuchdb"]
    done = _run_cli(*args, env=env)
    assert done.returncode == 1
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert settings.password not in done.stderr + done.stdout


# -- pull ----------------------------------------------------------------------

def _canonical(frame: pd.DataFrame, table: str) -> list[str]:
    from linkgraph.schema import TABLE_BY_NAME

    out = []
    cols = TABLE_BY_NAME[table].columns
    for row in zip(*(frame[c.name].tolist() for c in cols)):
        cells = []
        for c, v in zip(cols, row):
            if c.kind in ("ids", "list"):
                v = tuple(v) if isinstance(v, (list, tuple)) else ()
            elif v is None or v is pd.NaT or (isinstance(v, float) and v != v) or v is pd.NA:
                v = None
            elif c.kind == "date":
                v = pd.Timestamp(v).strftime("%Y-%m-%d")
            elif c.kind == "int":
                v = int(v)
            cells.append(v)
        out.append(repr(cells))
    return sorted(set(out))


def test_pull_gives_back_the_loaded_tables(conn, tables):
    from linkgraph.neo4j.pull import pull_tables
    from linkgraph.schema import GRAPH_TABLES

    pulled = pull_tables(conn)
    for name in GRAPH_TABLES:   # the outcome tables are not in the graph
        assert _canonical(pulled[name], name) == _canonical(tables[name], name), name


def test_pulled_graph_is_the_built_graph(conn, tables):
    from linkgraph.graph import build_graph, for_graph
    from linkgraph.neo4j.pull import pull_graph

    built, pulled = build_graph(for_graph(tables)), pull_graph(conn)
    assert dict(pulled.nodes(data=True)) == dict(built.nodes(data=True))

    def edges(G: nx.MultiDiGraph) -> set:
        return {(s, e, json.dumps(d, sort_keys=True)) for s, e, d in G.edges(data=True)}
    assert edges(pulled) == edges(built)


@pytest.mark.parametrize("command, source", [
    (("leads", "--as-of", "2026-06-30", "--all"), "uri"),
    (("audit", "--as-of", "2026-06-30"), "--from-neo4j"),
])
def test_analyses_on_neo4j_data_equal_those_on_files(command, source, data_dir, settings,
                                                    invoke, monkeypatch, conn):
    for k, v in env_for(settings).items():
        monkeypatch.setenv(k, v)
    name, *rest = command

    def run(*data: str) -> dict:
        result = invoke(name, *data, *rest, "--format", "json")
        assert result.exit_code == 0, result.output
        doc = json.loads(result.stdout)
        doc.pop("provenance")
        return doc
    assert run(settings.uri if source == "uri" else source) == run(str(data_dir))


def test_neo4j_input_is_recorded_without_the_password(settings, invoke, monkeypatch, conn):
    for k, v in env_for(settings).items():
        monkeypatch.setenv(k, v)
    result = invoke("stats", "--from-neo4j", "--format", "json")
    assert result.exit_code == 0, result.output
    inputs = json.loads(result.stdout)["provenance"]["inputs"]
    assert inputs[0]["path"] == settings.uri and len(inputs[0]["sha256"]) == 64
    assert settings.password not in result.output


def test_pull_command_writes_a_data_folder(tmp_path, settings, invoke, monkeypatch, tables,
                                           conn):
    from linkgraph.dataset import load_dataset
    from linkgraph.schema import GRAPH_TABLES

    for k, v in env_for(settings).items():
        monkeypatch.setenv(k, v)
    result = invoke("neo4j", "pull", tmp_path / "copy")
    assert result.exit_code == 0, result.output
    again = load_dataset(tmp_path / "copy").tables
    for name in GRAPH_TABLES:
        assert _canonical(again[name], name) == _canonical(tables[name], name), name


def test_push_pseudonymized_holds_no_real_name(data_dir, settings, runner, monkeypatch, conn,
                                               tables, expected):
    """--pseudonymize on push: the database gets aliases and hashed ids only."""
    from linkgraph.cli import cli
    from tests.neo4j_server_plugin import wipe

    for k, v in env_for(settings).items():
        monkeypatch.setenv(k, v)
    try:
        done = runner.invoke(cli, ["neo4j", "push", str(data_dir), "--wipe", "--yes",
                                   "--pseudonymize"])
        assert done.exit_code == 0, done.output
        people = conn.run("MATCH (p:Person) RETURN p.id AS id, p.name AS name")
        real_ids = set(tables["people"]["person_id"])
        real_names = set(tables["people"]["name"])
        assert len(people) == len(real_ids)
        assert not {r["id"] for r in people} & real_ids
        assert not {r["name"] for r in people} & real_names
        assert all("某" in r["name"] for r in people)
        assert db_counts(conn) == expected      # the same graph, people renamed
    finally:   # same counts, other ids: the next test's fixture must re-push
        wipe(conn.driver)


def test_people_not_on_the_roster_survive_push_and_pull(conn, tables, data_dir):
    """The generated ledgers plant 案外人 (lead_people rows without a person
    id): in Neo4j they are their Lead's ``outside_people``, and the pulled
    tables give them back and count them in 立案 件/人 as planted."""
    from linkgraph.analysis.results import results
    from linkgraph.neo4j.pull import pull_tables
    from linkgraph.rules import load_rules

    lp = tables["lead_people"]
    outside = lp[lp["person_id"].isna()]
    assert len(outside) > 0
    rows = conn.run("MATCH (l:Lead) WHERE l.outside_people IS NOT NULL "
                    "RETURN l.id AS id, l.outside_people AS names")
    assert sorted((r["id"], n) for r in rows for n in r["names"]) == sorted(
        zip(outside["lead_id"], outside["name"]))
    pulled = pull_tables(conn)["lead_people"]
    back = pulled[pulled["person_id"].isna()]
    assert sorted(zip(back["lead_id"], back["name"], back["outcome"].fillna(""))) == sorted(
        zip(outside["lead_id"], outside["name"], outside["outcome"].fillna("")))
    truth = json.loads((data_dir / "truth.json").read_text("utf-8"))
    f = results({**tables, "lead_people": pulled}, load_rules(), truth["as_of"]).total
    assert (f["cases"], f["case_people"]) == (truth["outcomes"]["cases"],
                                              truth["outcomes"]["case_people"])
