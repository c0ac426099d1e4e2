"""The portrait carries the 巡察政治谈话 a leader took part in and the
supervision info (巡前征集) about them."""
from __future__ import annotations

import json

from tests.conftest import write_tables

LEDGER = {
    "units.csv": "unit_id,name\nU1,甲局\nU2,乙局\n",
    "people.csv": "person_id,name\nP1,陈明\nP2,李华\n",
    "posts.csv": "person_id,unit_id,title,is_top_leader,start\nP1,U1,局长,是,2020-01-01\n"
                 "P2,U2,局长,是,2020-01-01\n",
    "departments.csv": "dept_id,name,kind\nD1,县纪委监委,纪委监委\n",
    "rounds.csv": "round_id,name,kind,start,end\nX1,第一轮,常规巡察,2024-03-01,2024-05-31\n",
    "talks.csv": ("谈话编码,单位编码,轮次编码,谈话阶段,谈话形式,谈话对象,谈话时间,启动情形\n"
                  "K1,U1,X1,巡前,一对一,P1,2024-02-26,巡前听取汇报\n"
                  "K2,U2,X1,巡中,1+N,P2,2024-03-20,反映问题较多\n"
                  "K3,U1,X1,巡后,N+1,P1;P2,2024-07-01,整改不力\n"),   # after --as-of
    "监督信息.csv": ("信息编码,提供部门,单位编码,人员编码,时间,内容\n"
                   "S1,D1,U1,P1,2024-01-20,信访举报反映较集中\nS2,D1,U2,P2,2024-01-21,无\n"),
}


def test_portrait_lists_talks_and_supervision_info(tmp_path, invoke):
    write_tables(tmp_path, LEDGER)
    done = invoke("portrait", tmp_path, "--person", "P1", "--as-of", "2024-06-30",
                  "--format", "json")
    assert done.exit_code == 0, done.output
    doc = json.loads(done.stdout)
    assert [(t["talk_id"], t["talk_stage"]) for t in doc["talks"]] == [("K1", "before")]
    assert [s["info_id"] for s in doc["supervision_info"]] == ["S1"]
    assert (doc["summary"]["talks"], doc["summary"]["supervision_info"]) == (1, 1)
    later = json.loads(invoke("portrait", tmp_path, "--person", "P1", "--as-of", "2024-12-31",
                              "--format", "json").stdout)
    assert [t["talk_id"] for t in later["talks"]] == ["K1", "K3"]   # K3 names P1 and P2


def test_priorities_count_supervision_info_and_self_checks(tmp_path):
    from linkgraph.analysis.priorities import load_weights, priorities
    from linkgraph.dataset import load_dataset
    from linkgraph.rules import load_rules

    write_tables(tmp_path, {**LEDGER, "self_checks.csv": "check_id,unit_id,date,problems_found\n"
                                                         "Z1,U2,2024-02-01,4\n"})
    t = load_dataset(tmp_path).tables
    p = priorities(t, load_rules(), "2024-06-30").set_index("unit_id")
    # S1 names U1 (and P1, in post at U1): one item; S2 likewise for U2
    assert (p.at["U1", "supervision_info"], p.at["U2", "supervision_info"]) == (1, 1)
    assert p.at["U2", "self_check_problems"] == 4
    w = load_weights()
    # U2 − U1 = self-check 4/5 × weight (every other factor is the same for both)
    assert round(p.at["U2", "score"] - p.at["U1", "score"], 4) == \
        round(min(4 / w("self_check_problems", "full"), 1) * w("self_check_problems"), 4)
    assert "未巡先改自查发现问题4个" in p.at["U2", "reasons"]


def test_portrait_batch_of_a_round(tmp_path, invoke):
    data = write_tables(tmp_path / "data", {
        **LEDGER, "teams.csv": "team_id,round_id\nT1,X1\n",
        "assignments.csv": "round_id,team_id,unit_id\nX1,T1,U1\nX1,T1,U2\n"})
    views = tmp_path / "views"
    done = invoke("portrait", data, "--round", "X1", "--as-of", "2024-06-30",
                  "--views-dir", views, "--format", "json")
    assert done.exit_code == 0, done.output
    doc = json.loads(done.stdout)
    assert [(r["unit_id"], r["person_id"]) for r in doc["summary"]] == [("U1", "P1"), ("U2", "P2")]
    assert [(r["person_id"], r["talk_id"]) for r in doc["talks"]] == [("P1", "K1"), ("P2", "K2")]
    assert sorted(p.name for p in views.iterdir()) == ["portrait-P1.html", "portrait-P2.html"]
    assert "陈明" in (views / "portrait-P1.html").read_text("utf-8")
    both = invoke("portrait", data, "--round", "X1", "--person", "P1", "--as-of", "2024-06-30")
    assert both.exit_code == 1
