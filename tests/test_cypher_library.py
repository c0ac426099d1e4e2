"""The cypher/ library without a server: headers, parameters, the CLI's
checks, connection settings, export-import files and the packaged files."""
from __future__ import annotations

import csv
import datetime as dt
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from linkgraph.errors import LinkgraphError, Neo4jError
from linkgraph.neo4j.library import get_query, parameters, queries

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = {"systemic_clusters", "conflict_paths", "overdue_leads", "rectification_rate",
             "audit_only", "unit_neighbourhood", "leader_portrait", "self_check_units",
             "closure_by_round", "lead_cases", "outcome_amounts", "category_counts"}


def test_one_file_per_question_of_the_issue():
    assert set(queries()) == QUESTIONS
    assert "schema" in queries(include_schema=True)


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_each_file_says_what_it_does_and_uses_only_its_parameters(name):
    q = get_query(name)
    assert " / " in q.title and q.purpose and q.returns
    body = "\n".join(line for line in q.text.splitlines() if not line.startswith("//"))
    used = set(re.findall(r"\$(\w+)", body))
    assert used == {p.name for p in q.parameters}
    # values are parameters: no quoted literal but the fixed vocabulary of the model
    literals = set(re.findall(r"'([^']*)'", body))
    assert literals <= {"done", "closed", "ongoing", "post", "seconded", "tie", "townsman", "+",
                        "Person:", "Unit:", "Region:", "tenure_problem", "problem_involving",
                        "lead", "petition", "measure", "（一把手）", "",
                        # the review and lead vocabularies (vocab.py)
                        "closure", "pass", "rewrite", "redo", "case_filed", "sanctioned",
                        "judicial", "investigate", "name:"}, literals
    returned = re.findall(r"\bAS (\w+)", body.rsplit("RETURN", 1)[1])
    for column in returned:
        assert column in q.returns, column


def test_schema_has_one_unique_id_constraint_per_label():
    from linkgraph.model import LABELS
    from linkgraph.neo4j.push import schema_statements

    found = {m.group(1) for s in schema_statements()
             for m in [re.search(r"FOR \(n:(\w+)\) REQUIRE n\.id IS UNIQUE", s)] if m}
    assert found == set(LABELS)


def test_parameters_are_typed_defaulted_and_checked():
    q = get_query("overdue_leads")
    today = dt.date(2026, 1, 2)
    assert parameters(q, {}, today) == {"as_of": today, "report_months": 3, "receipt_days": 7}
    assert parameters(q, {"as_of": "2025-12-31", "report_months": "6"}, today)["as_of"] == \
        dt.date(2025, 12, 31)
    with pytest.raises(LinkgraphError, match="no parameter 'asof'"):
        parameters(q, {"asof": "2025-01-01"})
    with pytest.raises(LinkgraphError, match="must be a date"):
        parameters(q, {"as_of": "yesterday"})
    with pytest.raises(LinkgraphError, match="needs --param team_id=…, unit_id=…"):
        parameters(get_query("conflict_paths"), {})
    assert parameters(get_query("unit_neighbourhood"), {"unit_id": "U1"})["stop_labels"] == \
        ["Category", "Region", "Round", "Department"]
    assert parameters(get_query("rectification_rate"), {"ongoing_done": "否"})[
        "ongoing_done"] is False


def test_cypher_list_and_query_checks_need_no_server(invoke):
    listed = json.loads(invoke("cypher", "list", "--format", "json").stdout)["records"]
    assert [r["name"] for r in listed] == sorted(QUESTIONS)
    bad = invoke("neo4j", "query", "no_such_query")
    assert bad.exit_code == 1 and "overdue_leads" in bad.output
    bad = invoke("neo4j", "query", "overdue_leads", "--param", "as_of")
    assert bad.exit_code == 2


def test_settings_from_env_and_uri_never_carry_the_password():
    from linkgraph.neo4j.connection import Settings, is_neo4j_uri

    s = Settings.from_env(env={"NEO4J_URI": "neo4j://db.example:7687/inspection",
                               "NEO4J_USERNAME": "lg", "NEO4J_PASSWORD": "s3cret"})
    assert (s.uri, s.user, s.password, s.database) == ("neo4j://db.example:7687", "lg",
                                                       "s3cret", "inspection")
    assert "s3cret" not in repr(s) and "s3cret" not in s.where
    with pytest.raises(Neo4jError, match="NEO4J_PASSWORD"):
        Settings.from_env("bolt://lg:s3cret@db.example:7687", env={})
    with pytest.raises(Neo4jError, match="not a Neo4j URI"):
        Settings.from_env("http://db.example", env={})
    assert is_neo4j_uri("bolt+s://x") and not is_neo4j_uri("ledgers/") and \
        not is_neo4j_uri("C:/data")


def test_data_is_required_unless_neo4j_is_named(invoke):
    result = invoke("stats")
    assert result.exit_code == 2 and "DATA" in result.output
    result = invoke("stats", "ledgers/", "--from-neo4j")
    assert result.exit_code == 2


SMALL = {
    "regions.csv": "region_id,name,parent_id\nR1,某县,\nR2,某镇,R1\n",
    "units.csv": "unit_id,name,region_id,sector\nU1,县财政局,R1,财政\nU2,某镇政府,R2,\n",
    "people.csv": "person_id,name,hometown_region_id,birth_year\nP1,张三,R2,1970\nP2,李四,,\n",
    "posts.csv": ("person_id,unit_id,title,is_top_leader,start,end\n"
                  "P1,U1,局长,是,2019-01-01,\nP1,U1,副局长,否,2015-01-01,2018-12-31\n"),
    "ties.csv": "person_a,person_b,relation\nP1,P2,夫妻\n",
    "problems.csv": ("problem_id,unit_id,category,description,found_date,person_ids\n"
                     "Q1,U1,违规发放津补贴,\"多发补贴, 共3笔\",2023-10-15,P1;P2\n"),
}


def test_export_import_writes_admin_headers_and_the_command(tmp_path, invoke):
    from tests.conftest import write_tables

    data = write_tables(tmp_path / "data", SMALL)
    result = invoke("neo4j", "export-import", data, tmp_path / "bulk")
    assert result.exit_code == 0, result.output
    bulk = tmp_path / "bulk"
    with open(bulk / "nodes_Person.csv", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0][:5] == ["id:ID(Person)", "name", "hometown_region_id", "birth_year:long",
                           "gender"]
    assert [r[:5] for r in rows[1:]] == [["P1", "张三", "R2", "1970", ""],
                                         ["P2", "李四", "", "", ""]]
    with open(bulk / "rels_HOLDS_POST_Person_Unit.csv", encoding="utf-8") as f:
        posts = list(csv.reader(f))
    assert posts[0] == [":START_ID(Person)", ":END_ID(Unit)", "title", "is_top_leader:boolean",
                        "start:date", "end:date"]
    assert sorted(posts[1:]) == [["P1", "U1", "副局长", "false", "2015-01-01", "2018-12-31"],
                                 ["P1", "U1", "局长", "true", "2019-01-01", ""]]
    with open(bulk / "nodes_Problem.csv", encoding="utf-8") as f:
        problem = dict(zip(*list(csv.reader(f))))
    assert problem["person_ids:string[]"] == "P1;P2"
    assert problem["description"] == "多发补贴, 共3笔"
    line = result.stdout.strip().splitlines()[-1]
    assert line.startswith("neo4j-admin database import full neo4j ")
    assert f"--nodes=Person={bulk.resolve()}/nodes_Person.csv" in line
    assert "--relationships=TIE=" in line and "--array-delimiter=;" in line
    script = (bulk / "import.sh").read_text("utf-8")
    assert "import full" in script and (bulk / "schema.cypher").is_file()


@pytest.mark.slow
def test_a_non_editable_install_finds_the_cypher_files(tmp_path):
    """Build the wheel, install it (no editable link) and list the queries."""
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                           "--no-build-isolation", "-q", "-w", str(tmp_path / "dist"),
                           str(ROOT)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    wheel = next((tmp_path / "dist").glob("linkgraph-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert {f"cypher/{n}.cypher" for n in QUESTIONS | {"schema"}} <= set(names)
    target = tmp_path / "site"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q",
                           "--target", str(target), str(wheel)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    probe = ("import linkgraph, cypher; from linkgraph.neo4j.library import queries; "
             "print(linkgraph.__file__); print(cypher.__file__); print(sorted(queries()))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         cwd=tmp_path, env={"PYTHONPATH": str(target), "PATH": "/usr/bin"})
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith(str(target)) and lines[1].startswith(str(target))
    assert lines[2] == repr(sorted(QUESTIONS))
