"""``results`` reproduces 成都's first-round paragraph from a ledger built so
that its figures are true by construction (arithmetic in
tests/chengdu_ledger.py), and the review state counts send-backs."""
from __future__ import annotations

import json

import pytest

from linkgraph.analysis.results import Scope, results
from linkgraph.analysis.results_text import paragraph
from linkgraph.analysis.reviews import closure, review_state
from linkgraph.dataset import load_dataset
from linkgraph.rules import load_rules
from tests.chengdu_ledger import AS_OF, ledger
from tests.conftest import write_tables


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return write_tables(tmp_path_factory.mktemp("chengdu"), ledger())


@pytest.fixture(scope="module")
def tables(folder):
    return load_dataset(folder).tables


def test_the_figures_are_chengdus(tables):
    f = results(tables, load_rules(), AS_OF, Scope(round_id="X1")).total
    assert (f["problems"], f["measures"]) == (680, 3156)
    assert (f["rectified_in_period"], f["rate_in_period"]) == (471, 0.6926)
    assert f["problems_closed"] == 521
    assert (f["rules_new"], f["rules_revised"], f["rules"]) == (400, 245, 645)
    assert f["recovered_amount"] == 15_708_300.0   # 1570.83 万元, read under a 万元 header
    assert f["loss_recovered"] == 3_905_200.0      # 390.52 万元
    assert f["accountable"] == 250
    assert (f["leads"], f["leads_closed"], f["cases"], f["case_people"]) == (127, 76, 57, 68)
    assert (f["judicial_people"], f["sanctioned_people"]) == (2, 17)
    assert (f["immediate"], f["key_concern"]) == (120, 35)
    assert (f["rectified"], f["rate"]) == (551, 0.8103)   # 471 + 50 + 30 by 2025-06-30


def test_the_paragraph_reads_as_the_office_writes_it(tables):
    res = results(tables, load_rules(), AS_OF, Scope(round_id="X1"))
    text = paragraph(tables, res)
    for piece in ("共发现问题680个", "制定整改措施3156项", "整改完成471个，整改完成率69.26%",
                  "完成整改销号问题521项", "新建、修订制度机制645项", "追缴（退回）资金1570.83万元",
                  "挽回损失390.52万元", "追责问责250人", "移交的127件问题线索已办结76件",
                  "立案57件68人", "移送司法2人"):
        assert piece in text, piece
    assert "长期坚持、持续整改的计为完成" in text   # the convention goes with the rate
    en = paragraph(tables, res, "en")
    assert "680 problems" in en and "69.26%" in en and "15,708,300 yuan" in en   # 1570.83 万元
    # no Chinese but the round's name (销号 and 万元 are said in English)
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in en.replace("第一轮巡察", ""))


def test_closing_needs_a_passed_review(tables):
    c = closure(tables, AS_OF)
    assert c.by_review and int(c.problem_closed.sum()) == 521
    # problems 521…530: 已销号 in the ledger, no review — reported, not counted
    assert sorted(set(c.unreviewed["problem_id"])) == [f"Q{k}" for k in range(521, 531)]
    # before the closing reviews of 2024-12-10 nothing was closed yet
    assert int(closure(tables, "2024-12-09").problem_closed.sum()) == 0


def test_without_reviews_the_ledger_status_decides(tables):
    bare = {**tables, "reviews": tables["reviews"].iloc[:0]}
    c = closure(bare, AS_OF)
    assert not c.by_review
    # only problems 521…530 have every measure written 已销号
    assert int(c.problem_closed.sum()) == 10


def test_review_state_counts_reports_sent_back(tables):
    state = review_state(tables, load_rules(), AS_OF)
    assert len(state) == 10
    assert int(state["report_sent_back"].sum()) == 4          # U01…U04, once each
    assert state["report_passed"].all() and not state["plan_submitted"].any()
    u01 = state[state["unit_id"] == "U01"].iloc[0]
    assert u01["history"].startswith("2024-07-20 整改报告 退回重写（问题原因剖析不深）")
    # U01 holds problems k with k mod 10 = 0: problems 0 and 10 had their first
    # measure sent back (再整改, k < 20), and problem 540 (531 ≤ k < 541) had its
    # five measures sent back (退回重写): 2 + 5
    assert u01["closure_sent_back"] == 7
    assert str(u01["report_due"].date()) == "2024-09-30"


def test_by_unit_adds_up_to_the_total(tables):
    res = results(tables, load_rules(), AS_OF, Scope(), by="unit")
    g = res.groups
    assert list(g["unit_id"]) == [f"U{u:02d}" for u in range(1, 11)]
    for col in ("problems", "measures", "rectified_in_period", "problems_closed", "rules",
                "accountable", "leads", "cases", "case_people", "judicial_people"):
        assert int(g[col].sum()) == res.total[col], col
    # U01: problems 0, 10, …, 670 — 48 of them below 471 (0…470 step 10)
    assert int(g.loc[0, "rectified_in_period"]) == len(range(0, 471, 10))


def test_results_command(folder, invoke):
    done = invoke("results", folder, "--round", "X1", "--as-of", AS_OF, "--format", "json")
    assert done.exit_code == 0, done.output
    doc = json.loads(done.stdout)
    assert doc["figures"][0]["problems_closed"] == 521
    assert "立案57件68人" in doc["paragraph"]
    bad = invoke("results", folder, "--term", "第九届", "--as-of", AS_OF)
    assert bad.exit_code == 1 and "第十五届" in bad.output


def test_units_only_dataset_gives_zeros(tmp_path, invoke):
    write_tables(tmp_path, {"units.csv": "unit_id,name\nU1,甲局\n"})
    done = invoke("results", tmp_path, "--as-of", AS_OF, "--format", "json")
    assert done.exit_code == 0, done.output
    doc = json.loads(done.stdout)
    assert doc["figures"][0]["problems"] == 0 and doc["figures"][0]["rate"] is None


@pytest.fixture(scope="module")
def county5(generation, generated):
    """The session's county (seed 5) and its tables as written and read back."""
    return generation("county", 5), load_dataset(generated("county", 5)).tables


def test_generated_outcomes_are_read_back_as_planted(county5):
    """The planted sums (truth.outcomes) come back from the written ledgers,
    and 销号 / 整改完成 agree with a brute-force pass over the rows."""
    gen, t = county5
    truth = gen.truth["outcomes"]
    as_of = gen.truth["as_of"]
    f = results(t, load_rules(), as_of).total
    assert f["recovered_amount"] == truth["recovered_amount"] > 0
    assert f["loss_recovered"] == truth["loss_recovered"] > 0
    assert (f["rules"], f["accountable"]) == (truth["rules"], truth["accountable"])
    state = review_state(t, load_rules(), as_of)
    assert int(state["plan_sent_back"].sum()) == truth["plans_sent_back"] > 0
    assert int(state["report_sent_back"].sum()) == truth["reports_sent_back"] > 0
    # brute force: a measure is closed when its last closing review passed
    last: dict[str, tuple] = {}
    for r in t["reviews"].itertuples():
        if r.subject == "closure" and isinstance(r.measure_id, str):
            if r.measure_id not in last or last[r.measure_id][0] <= r.review_date:
                last[r.measure_id] = (r.review_date, r.verdict)
    closed = {m for m, (_, v) in last.items() if v == "pass"}
    assert len(closed) == truth["measures_closed"]
    by_problem: dict[str, list[str]] = {}
    for m in t["measures"].itertuples():
        by_problem.setdefault(m.problem_id, []).append(m.measure_id)
    found = t["problems"][~(t["problems"]["found_date"] > as_of)]
    want = sum(1 for p in found["problem_id"] if p in by_problem
               and all(m in closed for m in by_problem[p]))
    assert f["problems_closed"] == want > 0
    # 立案 人: the distinct people lead_people names on each case lead (件 ≠ 人),
    # a person on the roster by id, a 案外人 (no id) by name
    le = t["leads"][~(t["leads"]["transfer_date"] > as_of)]
    cases = set(le.loc[le["outcome"].notna() | (le["disposition"] == "investigate"), "lead_id"])
    people = {(r.lead_id, r.person_id if isinstance(r.person_id, str) else r.name)
              for r in t["lead_people"].itertuples() if r.lead_id in cases}
    assert f["cases"] == len(cases) and f["case_people"] == len(people)
    assert (f["cases"], f["case_people"]) == (truth["cases"], truth["case_people"])
    assert truth["leads_with_two_people"] > 0


def test_generated_people_not_on_the_roster_are_kept_and_counted(county5):
    """The generator plants 案外人 (lead_people rows with a name and no person
    id): they load, stay on their Lead in the graph, and each is one more
    person in 立案 N 件 M 人."""
    from linkgraph.graph import build_graph

    gen, t = county5
    truth = gen.truth["outcomes"]
    lp = t["lead_people"]
    outside = lp[lp["person_id"].isna()]
    assert len(outside) == truth["outside_people"] > 0
    assert outside["name"].notna().all()
    planted = gen.tables["lead_people"]
    assert sorted(outside["name"]) == sorted(planted.loc[planted["person_id"].isna(), "name"])
    G = build_graph(t)
    on_leads = sorted((lead, name) for lead, d in G.nodes(data=True)
                      if d["label"] == "Lead" for name in d.get("outside_people", ()))
    assert on_leads == sorted(zip("Lead:" + outside["lead_id"], outside["name"]))
    # 立案 人 without them is M − (their number on case leads)
    as_of = gen.truth["as_of"]
    res = results(t, load_rules(), as_of)
    f = res.total
    without = {**t, "lead_people": lp[lp["person_id"].notna()]}
    g = results(without, load_rules(), as_of).total
    assert f["case_people"] - g["case_people"] == truth["outside_case_people"] > 0
    assert f"立案{f['cases']}件{f['case_people']}人" in paragraph(t, res)


def test_rectification_lists_the_review_state(folder, invoke):
    done = invoke("rectification", folder, "--as-of", AS_OF, "--reviews", "--format", "json")
    assert done.exit_code == 0, done.output
    state = json.loads(done.stdout)["review_state"]
    assert sum(r["report_sent_back"] for r in state) == 4
    assert [r["unit_id"] for r in state if r["report_sent_back"]] == ["U01", "U02", "U03", "U04"]


def test_bad_rows_of_the_new_tables_are_named(tmp_path, invoke):
    write_tables(tmp_path, {
        "units.csv": "unit_id,name\nU1,甲局\n",
        "reviews.csv": "review_id,unit_id,subject,verdict\nV1,U1,整改方案,差不多\nV2,U9,整改报告,通过\n",
        "results.csv": "result_id,unit_id,挽回损失(万元)\nC1,U1,很多\n",
        "talks.csv": "talk_id,unit_id,stage\nK1,U1,巡察之后\n"})
    done = invoke("validate", tmp_path, "--format", "json")
    assert done.exit_code == 1
    problems = {(p["file"], p["row"], p["column"], p["value"]): p["reason"]
                for p in json.loads(done.stdout)["problems"]}
    assert "通过" in problems[("reviews.csv", 2, "verdict", "差不多")]   # lists the accepted
    assert ("reviews.csv", 3, "unit_id", "U9") in problems
    assert "金额" in problems[("results.csv", 2, "loss_recovered", "很多")]
    assert "巡前" in problems[("talks.csv", 2, "stage", "巡察之后")]


def test_by_team(tables):
    g = results(tables, load_rules(), AS_OF, by="team").groups.set_index("team_id")
    # T1 inspected U01…U05: 5 × 68 problems; 制度 40 × 5 new, 29 + 4 × 24 revised
    assert (g.at["T1", "problems"], g.at["T1", "rules_new"], g.at["T1", "rules_revised"]) == \
        (340, 200, 125)
    assert g.at["T2", "recovered_amount"] == 4 * 1_570_800 + 1_571_100   # U06…U10


def test_outputs_do_not_depend_on_the_process(folder, tmp_path):
    """Same input → byte-identical CSV from two processes with different hash seeds."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    outs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONPATH": str(root), "PYTHONHASHSEED": seed}
        out = tmp_path / f"results-{seed}.csv"
        subprocess.run([sys.executable, "-m", "linkgraph", "results", str(folder), "--by", "unit",
                        "--as-of", AS_OF, "--format", "csv", "--out", str(out)],
                       cwd=root, env=env, check=True, capture_output=True)
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] and b"U10" in outs[0]
