"""Columns the contract does not know, in the relationship tables (posts,
ties, team_members, assignments, lead_people: rows that are edges, not
nodes): kept as text properties of their edges, through the graph, the
Neo4j rows and import files, a real Neo4j push and pull, and pseudonymised
where they hold names.  The node tables' twin is tests/test_extra_columns.py."""
from __future__ import annotations

import csv
import shutil

import pytest

from linkgraph.dataset import load_dataset
from linkgraph.graph import build_graph, tables_from_graph
from tests.conftest import DATA

#: table -> (extra header, a value per data row; "" = blank)
EXTRAS = {
    "posts": ("任免文号", ["川组任〔2021〕12号", ""]),
    "ties": ("核实情况", ["经陈明本人确认", ""]),
    "team_members": ("联系电话", ["028-1", "028-2"]),
    "assignments": ("进驻方式", ["集中进驻", ""]),
}


def _add_column(path, header: str, values: list[str]) -> None:
    rows = list(csv.reader(path.open(encoding="utf-8")))
    rows[0].append(header)
    for i, r in enumerate(rows[1:]):
        r.append(values[i] if i < len(values) else "")
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """tests/data/tiny with one unknown column in each relationship table,
    and a lead_people table (one person on the roster, one 案外人) with one."""
    out = tmp_path_factory.mktemp("rel-extras") / "tiny"
    shutil.copytree(DATA / "tiny", out)
    for table, (header, values) in EXTRAS.items():
        _add_column(out / f"{table}.csv", header, values)
    (out / "lead_people.csv").write_text(
        "lead_id,person_id,name,outcome,认定方式\n"
        "L1,P3,王伟,党纪政务处分,何娟实名举报\n"
        "L2,P2,何娟,,\n", encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def dataset(folder):
    return load_dataset(folder)


def _edges(G, rel_type: str) -> dict[tuple[str, str], dict]:
    return {(s, e): d for s, e, d in G.edges(data=True) if d["type"] == rel_type}


def test_the_columns_load_and_are_reported_once(dataset):
    for table, (header, values) in EXTRAS.items():
        frame = dataset.tables[table]
        assert frame[header].tolist()[:2] == [v or None for v in values], table
        kept = [v for v in dataset.warnings if v.table == table and "附加属性" in v.reason]
        assert [v.value for v in kept] == [header], table
    assert dataset.rows_rejected == 0


def test_they_are_edge_properties_of_the_graph(dataset):
    G = build_graph(dataset)
    posts = _edges(G, "HOLDS_POST")
    assert posts[("Person:P2", "Unit:U3")]["任免文号"] == "川组任〔2021〕12号"
    assert "任免文号" not in posts[("Person:P3", "Unit:U1")]   # blank: no property
    ties = _edges(G, "TIE")
    assert ties[("Person:P2", "Person:P1")]["核实情况"] == "经陈明本人确认"
    members = _edges(G, "MEMBER_OF")
    assert members[("Person:P5", "Team:T1")]["联系电话"] == "028-1"
    assert members[("Person:P1", "Team:T2")]["联系电话"] == "028-2"
    assert _edges(G, "INSPECTS")[("Team:T1", "Unit:U1")]["进驻方式"] == "集中进驻"
    implicates = _edges(G, "IMPLICATES")
    assert implicates[("Lead:L1", "Person:P3")]["认定方式"] == "何娟实名举报"
    assert "认定方式" not in implicates[("Lead:L2", "Person:P2")]
    # never on a node, and the edge's own type is untouched
    assert all("任免文号" not in d for _, d in G.nodes(data=True))
    assert {d["type"] for d in posts.values()} == {"HOLDS_POST"}


def _kept(frame, header: str) -> list:
    return sorted((str(v) for v in frame[header].tolist() if v is not None), key=str)


def test_they_come_back_from_the_graph(dataset):
    back = tables_from_graph(build_graph(dataset))
    for table, (header, _) in EXTRAS.items():
        assert header in back[table].columns, table
        assert _kept(back[table], header) == _kept(dataset.tables[table], header), table
    lp = back["lead_people"]
    assert lp.loc[lp["lead_id"] == "L1", "认定方式"].tolist() == ["何娟实名举报"]


def test_neo4j_rows_and_import_files_carry_them(dataset, tmp_path):
    from linkgraph.neo4j.bulk import export
    from linkgraph.neo4j.rows import rel_rows

    rels = {(r.type, r.start, r.end): r for r in rel_rows(dataset.tables)}
    posts = rels[("HOLDS_POST", "Person", "Unit")]
    p2 = next(r for r in posts.rows if r["s"] == "P2")
    assert p2["props"] == [{"title": "副局长", "is_top_leader": False,
                            "start": p2["props"][0]["start"], "任免文号": "川组任〔2021〕12号"}]
    inspects = rels[("INSPECTS", "Team", "Unit")]
    assert inspects.with_props
    export(dataset.tables, tmp_path / "bulk")
    header = (tmp_path / "bulk" / "rels_HOLDS_POST_Person_Unit.csv").read_text(
        "utf-8").splitlines()[0]
    assert header.endswith(",任免文号")
    members = (tmp_path / "bulk" / "rels_MEMBER_OF_Person_Team.csv").read_text("utf-8")
    assert "028-1" in members and members.splitlines()[0].endswith(",联系电话")


def test_pull_writes_them_into_a_data_folder_that_loads(dataset, tmp_path):
    from linkgraph.neo4j.pull import write_tables

    write_tables(tables_from_graph(build_graph(dataset)), tmp_path / "copy")
    again = load_dataset(tmp_path / "copy").tables
    for table, (header, _) in EXTRAS.items():
        assert _kept(again[table], header) == _kept(dataset.tables[table], header), table


def test_pseudonymize_scrubs_names_in_them(dataset):
    from linkgraph.privacy import make_pseudonyms, pseudonymize_tables

    tables = dict(dataset.tables)
    pseudo = make_pseudonyms(tables["people"], salt=b"s")
    out, _ = pseudonymize_tables(tables, pseudo)
    assert out["ties"]["核实情况"].tolist()[0] == f"经{pseudo.names['P1']}本人确认"
    lp = out["lead_people"]
    assert lp["认定方式"].tolist()[0] == f"{pseudo.names['P2']}实名举报"
    G = build_graph(out)
    assert not any("陈明" in str(v) or "何娟" in str(v)
                   for _, _, d in G.edges(data=True) for v in d.values())


@pytest.mark.neo4j
def test_real_neo4j_push_and_pull_keep_them(dataset, neo4j_server, neo4j_db):
    """On an emptied database: pushed edges hold the columns, pushing again
    adds nothing, and the pulled tables hold what was loaded."""
    from linkgraph.neo4j.connection import Settings, connect
    from linkgraph.neo4j.pull import pull_tables
    from linkgraph.neo4j.push import push

    settings = Settings(neo4j_server.uri, neo4j_server.user, neo4j_server.password)
    with connect(settings) as conn:
        push(conn, dataset.tables)
        rows = conn.run("MATCH (:Person {id: 'P2'})-[r:HOLDS_POST]->(:Unit {id: 'U3'}) "
                        "RETURN r.`任免文号` AS doc")
        assert [r["doc"] for r in rows] == ["川组任〔2021〕12号"]
        rows = conn.run("MATCH (:Lead {id: 'L1'})-[r:IMPLICATES]->(:Person {id: 'P3'}) "
                        "RETURN r.`认定方式` AS how")
        assert [r["how"] for r in rows] == ["何娟实名举报"]
        before = conn.run("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
        push(conn, dataset.tables)
        assert conn.run("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"] == before
        pulled = pull_tables(conn)
    for table, (header, _) in EXTRAS.items():
        assert _kept(pulled[table], header) == _kept(dataset.tables[table], header), table
    lp = pulled["lead_people"]
    assert lp.loc[lp["lead_id"] == "L1", "认定方式"].tolist() == ["何娟实名举报"]
