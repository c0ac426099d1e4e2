"""Who to inspect next, on a hand-built ledger (as of 2024-06-30) with the
shipped weights: petitions 3 (full 5, 3-year window), audit red flags 2 (full
3), open problems 2 (full 10), overdue measures 2 (full 5), since last
inspection 3 (full 5 years), top leader in post 1.5 (5 years), cluster 1."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from linkgraph.analysis.priorities import load_weights, priorities
from linkgraph.dataset import load_dataset
from linkgraph.errors import ConfigError
from linkgraph.rules import load_rules
from tests.conftest import write_tables

AS_OF = "2024-06-30"

LEDGER = {
    "units.csv": "unit_id,name\nU1,甲局\nU2,乙局\nU3,丙局\nU4,丁局\nU5,戊局\n",
    "people.csv": "person_id,name\nP1,陈明\nP2,何娟\nP3,王伟\n",
    "posts.csv": (
        "person_id,unit_id,title,is_top_leader,start,end\n"
        "P1,U1,局长,是,2018-01-01,\n"          # 2372 days = 6.49 years in post
        "P2,U2,局长,是,2022-01-01,\n"          # 2.5 years: not long
        "P3,U3,局长,是,2010-01-01,2023-12-31\n"),  # no longer in post
    "rounds.csv": "round_id,name,start\nX1,第一轮,2022-06-30\nX2,第二轮,2024-01-01\n",
    "teams.csv": "team_id,round_id\nT1,X1\nT2,X2\n",
    "assignments.csv": "round_id,team_id,unit_id\nX1,T1,U1\nX2,T2,U3\nX2,T2,U4\nX2,T2,U5\n",
    "problems.csv": ("problem_id,unit_id,round_id,category,description,found_date\n"
                     "Q1,U1,X1,八项规定,公务接待超标准,2022-07-01\n"
                     "Q2,U1,X1,八项规定,违规使用公车,2022-07-02\n"),
    "measures.csv": ("measure_id,problem_id,due_date,status\n"
                     "M1,Q1,2023-01-01,未完成\n"        # open and overdue
                     "M2,Q2,2023-01-01,已完成\n"),
    "audits.csv": ("finding_id,unit_id,category,description\n"
                   "A1,U1,财务管理,违规发放津补贴\n"      # nothing like it in U1: a red flag
                   "A2,U2,财务管理,账外设账\n"),         # U2 never inspected
    "petitions.csv": (
        "petition_id,unit_id,person_id,date\n"
        "F1,U1,,2024-01-01\n"
        "F2,,P1,2023-05-01\n"       # about U1's top leader
        "F3,U1,,2020-01-01\n"       # before the 3-year window
        "F4,U2,P1,2024-02-01\n"     # about U2 and about P1 (in post at U1): counts for both
        "F5,U3,,2024-08-01\n"),     # after --as-of
}


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    return write_tables(tmp_path_factory.mktemp("prio"), LEDGER)


@pytest.fixture(scope="module")
def tables(ledger):
    return load_dataset(ledger).tables


def since(days: int) -> float:
    return 3 * days / 365.25 / 5


def test_ranking_and_scores(tables):
    r = priorities(tables, load_rules(), AS_OF, cluster_unit_ids={"U3"},
                   recent_months=0).set_index("unit_id")
    # U1: petitions F1 F2 F4 3/5*3 = 1.8; top leader 1.5; 731 days since X1;
    #     A1 1/3*2; M1 overdue 1/5*2 = 0.4; Q1 open 1/10*2 = 0.2
    u1 = 1.8 + 1.5 + since(731) + 2 / 3 + 0.4 + 0.2
    # U2: never inspected 3; A2 2/3; F4 1/5*3 = 0.6
    u2 = 3 + 2 / 3 + 0.6
    # U3: 181 days since X2, in a cluster; U4, U5: 181 days since X2
    u3, u4 = since(181) + 1, since(181)
    assert r.index.tolist() == ["U1", "U2", "U3", "U4", "U5"]  # U4 U5 tie: by id
    assert r["score"].tolist() == [round(u1, 4), round(u2, 4), round(u3, 4), round(u4, 4),
                                   round(u4, 4)]
    assert r["rank"].tolist() == [1, 2, 3, 4, 5]
    assert r.loc["U1", ["petitions", "audit_red_flags", "open_problems",
                        "overdue_measures"]].tolist() == [3, 1, 1, 1]
    assert pd.isna(r.loc["U3", "top_leader_id"])  # P3 left at the end of 2023


def test_reasons_in_words_largest_first(tables):
    r = priorities(tables, load_rules(), AS_OF).set_index("unit_id")
    assert r.loc["U1", "reasons"] == ("信访举报3件；一把手陈明(P1)任职6.5年；距上次巡察2.0年（X1）；"
                                      "审计发现1条未被巡察印证；整改措施超期1项；问题未整改完成1个")
    assert r.loc["U2", "reasons"] == "从未被巡察；审计发现1条未被巡察印证；信访举报1件"


def test_weights_file_overrides(tables, tmp_path):
    f = tmp_path / "w.toml"
    f.write_text("[systemic_cluster]\nweight = 10\n[since_last_inspection]\nweight = 0\n",
                 "utf-8")
    r = priorities(tables, load_rules(), AS_OF, weights=load_weights(f),
                   cluster_unit_ids={"U3"}, recent_months=0).set_index("unit_id")
    assert r.index[0] == "U3" and r.loc["U3", "score"] == 10.0
    assert "从未被巡察" not in r.loc["U2", "reasons"]


def test_units_inspected_in_the_last_12_months_are_left_out_by_default(tables, tmp_path):
    # X2 started 2024-01-01, 6 months before 2024-06-30: U3 U4 U5 too soon;
    # X1 (U1) started 2022-06-30, exactly 24 months before; U2 never inspected
    assert priorities(tables, load_rules(), AS_OF)["unit_id"].tolist() == ["U1", "U2"]
    # 6 months: X2's start is 2024-01-01 > 2023-12-30, still too soon; 5: not
    assert priorities(tables, load_rules(), AS_OF, recent_months=6)["unit_id"].tolist() == [
        "U1", "U2"]
    five = priorities(tables, load_rules(), AS_OF, recent_months=5)
    assert sorted(five["unit_id"]) == ["U1", "U2", "U3", "U4", "U5"]
    # 25 months reaches back past X1's start (2022-05-30 < 2022-06-30): U1 too
    assert priorities(tables, load_rules(), AS_OF, recent_months=25)["unit_id"].tolist() == [
        "U2"]
    f = tmp_path / "w.toml"
    f.write_text("[recently_inspected]\nmonths = 0\n", "utf-8")
    assert len(priorities(tables, load_rules(), AS_OF, weights=load_weights(f))) == 5


def test_cli_recent_months(invoke, ledger):
    r = invoke("priorities", ledger, "--as-of", AS_OF, "--top", "0", "-f", "json")
    assert r.exit_code == 0, r.output
    assert [x["unit_id"] for x in json.loads(r.stdout)["records"]] == ["U1", "U2"]
    assert "3 个单位近 12 个月内已巡察，未列入" in r.stderr
    r = invoke("priorities", ledger, "--as-of", AS_OF, "--top", "0", "--recent-months", "0",
               "-f", "json")
    assert len(json.loads(r.stdout)["records"]) == 5 and "未列入" not in r.stderr


@pytest.mark.parametrize("text, match", [
    ("[recently_inspected]\nmonths = 1.5\n", "months"),
    ("[petition]\nweight = 1\n", "petition"),
    ("[petitions]\nwieght = 1\n", "wieght"),
    ("[petitions]\nfull = 0\n", "full"),
    ("[petitions]\nweight = -1\n", "weight"),
    ("[petitions\n", "TOML"),
])
def test_bad_weights_are_config_errors(tmp_path, text, match):
    f = tmp_path / "w.toml"
    f.write_text(text, "utf-8")
    with pytest.raises(ConfigError, match=match):
        load_weights(f)


def test_cli(invoke, ledger, tmp_path):
    r = invoke("priorities", ledger, "--as-of", AS_OF, "--top", "2", "-f", "json")
    assert r.exit_code == 0, r.output
    recs = json.loads(r.stdout)["records"]
    assert [x["unit_id"] for x in recs] == ["U1", "U2"] and "reasons" in recs[0]
    bad = tmp_path / "w.toml"
    bad.write_text("[nope]\nweight = 1\n", "utf-8")
    assert invoke("priorities", ledger, "--weights", bad).exit_code == 1
