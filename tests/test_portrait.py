"""一把手 portrait on a hand-built ledger (as of 2024-06-30)."""
from __future__ import annotations

import json

import pytest

from linkgraph.analysis.portrait import portrait, portrait_nodes, summary
from linkgraph.dataset import load_dataset
from linkgraph.errors import InputError
from linkgraph.rules import load_rules
from tests.conftest import write_tables

AS_OF = "2024-06-30"

LEDGER = {
    "units.csv": "unit_id,name\nU1,甲局\nU2,乙局\nU3,丙镇\nU4,丁局\nU5,戊局\n",
    # P4 has P1's name: the portrait must not mix them up
    "people.csv": "person_id,name\nP1,陈明\nP2,何娟\nP3,王伟\nP4,陈明\n",
    "posts.csv": (
        "person_id,unit_id,title,is_top_leader,start,end\n"
        "P1,U1,副局长,否,2012-01-01,2015-12-31\n"
        "P1,U2,局长,是,2016-01-01,2020-12-31\n"   # 1826 days = 5.0 years
        "P1,U3,书记,是,2021-01-01,\n"             # 1276 days to --as-of = 3.5 years
        "P2,U4,局长,是,2019-01-01,\n"
        "P3,U4,科员,否,2019-01-01,\n"
        "P4,U5,局长,是,2015-01-01,\n"),
    "ties.csv": "person_a,person_b,relation\nP2,P1,夫妻\nP1,P3,同学\n",
    "rounds.csv": "round_id,name,start\nX1,第一轮,2022-03-01\n",
    "problems.csv": (
        "problem_id,unit_id,round_id,category,found_date,person_ids\n"
        "Q1,U2,,八项规定,2018-05-01,\n"      # U2 during P1's tenure
        "Q2,U2,,八项规定,2021-03-01,\n"      # U2 after P1 left
        "Q3,U3,,财务管理,2023-04-01,\n"      # U3, P1 in post
        "Q4,U1,,财务管理,2014-01-01,\n"      # U1: P1 was not the top leader
        "Q5,U3,X1,选人用人,,\n"              # no found_date: round start 2022-03-01
        "Q6,U3,,八项规定,2024-08-01,\n"      # after --as-of
        "Q7,U5,,八项规定,2020-01-01,P4\n"    # about the namesake
        "Q8,U4,,八项规定,2020-01-01,P1;P2\n"),
    "departments.csv": "dept_id,name\nD1,纪委监委\n",
    "leads.csv": ("lead_id,person_id,transferred_to,transfer_date\n"
                  "L1,P1,D1,2024-01-01\nL2,P4,D1,2024-01-01\n"),
    "petitions.csv": ("petition_id,person_id,date\nF1,P1,2024-01-01\nF2,P4,2024-01-01\n"
                      "F3,P1,2024-09-01\n"),
    "measures.csv": "measure_id,problem_id,owner_person_id,due_date,status\n"
                    "M1,Q3,P1,2024-03-01,未完成\n",
}


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    return write_tables(tmp_path_factory.mktemp("portrait"), LEDGER)


@pytest.fixture(scope="module")
def p1(ledger):
    return portrait(load_dataset(ledger).tables, load_rules(), "P1", AS_OF)


def test_tenure_problems(p1):
    assert p1.tenure_problems["problem_id"].tolist() == ["Q1", "Q3", "Q5"]
    q3 = p1.tenure_problems.set_index("problem_id").loc["Q3"]
    assert not q3["rectified"] and q3["overdue_measures"] == 1


def test_about_the_person_not_the_namesake(p1):
    assert p1.problems_involving["problem_id"].tolist() == ["Q8"]
    assert p1.leads["lead_id"].tolist() == ["L1"]
    assert p1.petitions["petition_id"].tolist() == ["F1"]  # F3 after --as-of
    assert p1.measures["measure_id"].tolist() == ["M1"]


def test_ties_to_other_leaders_first(p1):
    t = p1.ties
    assert t["person_id"].tolist() == ["P2", "P3"]
    assert t["is_leader"].tolist() == [True, False]
    assert t.iloc[0]["relation"] == "配偶" and t.iloc[0]["led_units"] == ("丁局",)


def test_summary(p1):
    s = summary(p1)
    assert (s["posts"], s["top_leader_posts"], s["top_leader_years"]) == (3, 2, 8.5)
    assert (s["tenure_problems"], s["tenure_problems_open"], s["leads"], s["petitions"],
            s["ties_to_leaders"]) == (3, 3, 1, 1, 1)


NODES = ("Person:P1", "Unit:U1", "Unit:U2", "Unit:U3", "Problem:Q1", "Problem:Q3",
         "Problem:Q5", "Problem:Q8", "Lead:L1", "Petition:F1", "Measure:M1", "Person:P2",
         "Unit:U4", "Person:P3")  # U4: the unit the tied leader P2 leads


def test_nodes_for_a_view(p1):
    assert portrait_nodes(p1) == NODES


def test_portrait_subgraph(ledger, p1):
    from linkgraph.analysis.portrait import portrait_graph

    G = portrait_graph(load_dataset(ledger).tables, p1)
    assert set(NODES) <= set(G)
    assert all("label" in d for _, d in G.nodes(data=True))
    # nothing about the namesake P4 (nor problems outside the portrait)
    assert "Person:P4" not in G and "Problem:Q7" not in G and "Problem:Q2" not in G
    ties = {(s, e) for s, e, d in G.edges(data=True) if d["type"] == "TIE"}
    assert ties == {("Person:P2", "Person:P1"), ("Person:P1", "Person:P3")}


def test_person_by_unique_name_only(ledger):
    tables = load_dataset(ledger).tables
    assert portrait(tables, load_rules(), "何娟", AS_OF).person["person_id"] == "P2"
    with pytest.raises(InputError, match="P1, P4"):
        portrait(tables, load_rules(), "陈明", AS_OF)


def test_cli(invoke, ledger, tmp_path):
    r = invoke("portrait", ledger, "--person", "P1", "--as-of", AS_OF, "-f", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["summary"]["name"] == "陈明"
    assert [x["problem_id"] for x in doc["tenure_problems"]] == ["Q1", "Q3", "Q5"]
    nodes = invoke("portrait", ledger, "--person", "P1", "--as-of", AS_OF, "--nodes", "-f", "json")
    assert json.loads(nodes.stdout)["records"][0] == "Person:P1"
    out = tmp_path / "p.xlsx"
    assert invoke("portrait", ledger, "--person", "P1", "--out", out).exit_code == 0
    assert invoke("portrait", ledger, "--person", "P9").exit_code == 1


def test_cli_html_view(invoke, ledger, tmp_path):
    page = tmp_path / "p1.html"
    r = invoke("portrait", ledger, "--person", "P1", "--as-of", AS_OF, "--html", page,
               "-f", "json")
    assert r.exit_code == 0, r.output
    text = page.read_text("utf-8")
    assert "一把手画像 · 陈明(P1)" in text
    for key in NODES:
        assert f'"{key}"' in text
