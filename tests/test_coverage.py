"""届内全覆盖 on a hand-built ledger (as of 2024-06-30)."""
from __future__ import annotations

import json

import pytest

from linkgraph.analysis.coverage import coverage, coverage_summary
from linkgraph.dataset import load_dataset
from linkgraph.errors import InputError
from linkgraph.rules import load_rules
from tests.conftest import write_tables

AS_OF = "2024-06-30"

LEDGER = {
    "regions.csv": "region_id,name\nR1,金堂县\nR2,新津区\n",
    "units.csv": (
        "unit_id,name,region_id,sector,level,kind\n"
        "U1,金堂县教育局,R1,教育,县级,党政机关\n"
        "U2,金堂县住建局,R1,住建,县级,党政机关\n"
        "U3,新津区教育局,R2,教育,县级,党政机关\n"
        "U4,新津区某镇,R2,乡镇,乡镇级,乡镇党委\n"
        "V1,红星村,R1,,村级,村党组织\n"
        "V2,幸福社区,R2,,社区,社区党组织\n"
        "V3,光明村,R2,,村级,村党组织\n"),
    # X3 starts after --as-of, so it does not count yet
    "rounds.csv": (
        "round_id,name,start,term\n"
        "X0,上届第一轮,2019-03-01,第十三届\n"
        "X1,本届第一轮,2022-03-01,第十四届\n"
        "X2,本届第二轮,2023-09-01,第十四届\n"
        "X3,本届第三轮,2024-09-01,第十四届\n"),
    "teams.csv": "team_id,round_id\nT0,X0\nT1,X1\nT2,X2\nT3,X2\nT4,X3\n",
    "assignments.csv": ("round_id,team_id,unit_id\nX0,T0,U1\nX1,T1,U1\nX1,T1,U2\nX2,T2,V1\n"
                        "X2,T3,U3\nX3,T4,U4\n"),
    # V2 has no assignment but a problem of X2: inspected (team unknown); U2's
    # problem in X2 adds nothing (U2 has an assignment in the term)
    "problems.csv": "problem_id,unit_id,round_id,category\nQ1,V2,X2,党建\nQ2,U2,X2,党建\n",
}


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    return write_tables(tmp_path_factory.mktemp("cov"), LEDGER)


@pytest.fixture(scope="module")
def tables(ledger):
    return load_dataset(ledger).tables


def summary_rows(s, key):
    return [(r["scope"], r[key], r["units"], r["inspected"], r["not_inspected"], r["share"])
            for _, r in s.iterrows()]


def test_default_term_is_the_latest_rounds(tables):
    c = coverage(tables, load_rules(), AS_OF)
    assert c.round_ids == ("X1", "X2") and "第十四届" in c.term
    u = c.units.set_index("unit_id")
    assert u.index[u["inspected"]].tolist() == ["U1", "U2", "U3", "V1", "V2"]
    assert u.loc["U1", "round_ids"] == ("X1",) and u.loc["U1", "team_ids"] == ("T1",)
    assert u.loc["V2", "round_ids"] == ("X2",) and u.loc["V2", "team_ids"] == ()
    assert u["village"].to_dict() == {"U1": False, "U2": False, "U3": False, "U4": False,
                                      "V1": True, "V2": True, "V3": True}


def test_summary_by_level(tables):
    s = coverage_summary(coverage(tables, load_rules(), AS_OF).units, "level")
    assert summary_rows(s, "level") == [
        ("单位", "乡镇级", 1, 0, 1, 0.0),
        ("单位", "县级", 3, 3, 0, 1.0),
        ("单位", "小计", 4, 3, 1, 0.75),
        ("村（社区）", "村级", 2, 1, 1, 0.5),
        ("村（社区）", "社区", 1, 1, 0, 1.0),
        ("村（社区）", "小计", 3, 2, 1, 0.6667),
        ("合计", "合计", 7, 5, 2, 0.7143)]


def test_summary_by_region(tables):
    s = coverage_summary(coverage(tables, load_rules(), AS_OF).units, "region")
    assert summary_rows(s, "region") == [
        ("单位", "新津区", 2, 1, 1, 0.5),
        ("单位", "金堂县", 2, 2, 0, 1.0),
        ("单位", "小计", 4, 3, 1, 0.75),
        ("村（社区）", "新津区", 2, 1, 1, 0.5),
        ("村（社区）", "金堂县", 1, 1, 0, 1.0),
        ("村（社区）", "小计", 3, 2, 1, 0.6667),
        ("合计", "合计", 7, 5, 2, 0.7143)]


def test_named_term(tables):
    c = coverage(tables, load_rules(), AS_OF, term="第十三届")
    assert c.round_ids == ("X0",)
    s = coverage_summary(c.units, "sector")
    assert s[s["sector"] == "小计"]["inspected"].tolist() == [1, 0]


def test_unknown_term_is_an_input_error(tables):
    with pytest.raises(InputError, match="第十五届"):
        coverage(tables, load_rules(), AS_OF, term="第十五届")


def test_rounds_without_term_use_the_last_five_years(tmp_path):
    ledger = dict(LEDGER)
    ledger["rounds.csv"] = "\n".join(line.rsplit(",", 1)[0]
                                     for line in LEDGER["rounds.csv"].splitlines()) + "\n"
    tables = load_dataset(write_tables(tmp_path / "d", ledger)).tables
    c = coverage(tables, load_rules(), AS_OF)
    # X0 started 2019-03-01, before 2019-06-30; X3 after --as-of
    assert c.round_ids == ("X1", "X2")


def test_village_words_from_the_rules(tables, tmp_path):
    f = tmp_path / "rules.toml"
    f.write_text('[coverage]\nvillage_words = ["社区"]\n', "utf-8")
    u = coverage(tables, load_rules(f), AS_OF).units
    assert u.loc[u["village"], "unit_id"].tolist() == ["V2"]


def test_cli(invoke, ledger):
    r = invoke("coverage", ledger, "--as-of", AS_OF, "--uncovered", "-f", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert [u["unit_id"] for u in doc["uncovered"]] == ["U4", "V3"]
    assert "单位 3/4（75.00%）" in r.stderr and "村（社区） 2/3（66.67%）" in r.stderr
    assert invoke("coverage", ledger, "--term", "nope").exit_code == 1


def test_scope_file_limits_the_units_counted(invoke, ledger, tmp_path):
    # the term's units to cover: U1, U2, U4 and V3 (the others are, say, the
    # committee's own organs); inspected in 第十四届 by 2024-06-30: U1 and U2 (X1)
    scope = tmp_path / "scope.csv"
    scope.write_text("单位编码,单位名称\nU1,金堂县教育局\nU2,金堂县住建局\nU4,新津区某镇\n"
                     "V3,光明村\n", encoding="gb18030")
    r = invoke("coverage", ledger, "--as-of", AS_OF, "--scope", scope, "--units", "-f", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert sorted(u["unit_id"] for u in doc["units"]) == ["U1", "U2", "U4", "V3"]
    total = doc["summary"][-1]
    assert (total["units"], total["inspected"], total["not_inspected"]) == (4, 2, 2)
    scope.write_text("unit_id\nU1\nU9\n", encoding="utf-8")
    bad = invoke("coverage", ledger, "--as-of", AS_OF, "--scope", scope)
    assert bad.exit_code == 1 and "U9" in bad.output


def test_an_elevated_round_of_the_upper_committee_credits_coverage(tmp_path):
    # the city's 提级巡察 Y1 (filed under the city's own term) inspected U4 in
    # 2023: within the county's 第十四届 (from X1's start, 2022-03-01), so U4 is
    # covered; Y0 (2021, before the term) does not count
    ledger = {**LEDGER,
              "rounds.csv": LEDGER["rounds.csv"] + "Y0,市提级巡察（上届）,2021-04-01,市第七届\n"
                                                   "Y1,市提级巡察,2023-04-01,市第八届\n",
              "teams.csv": LEDGER["teams.csv"] + "TY0,Y0\nTY1,Y1\n",
              "assignments.csv": LEDGER["assignments.csv"] + "Y0,TY0,U3\nY1,TY1,U4\n"}
    ledger["rounds.csv"] = ledger["rounds.csv"].replace("round_id,name,start,term",
                                                        "round_id,name,start,term,kind")
    ledger["rounds.csv"] = "\n".join(
        line + (",提级巡察" if line.startswith("Y") else ("" if line.startswith("round_id")
                                                          else ",常规巡察"))
        for line in ledger["rounds.csv"].strip().splitlines()) + "\n"
    t = load_dataset(write_tables(tmp_path, ledger)).tables
    cov = coverage(t, load_rules(), AS_OF, "第十四届")
    assert "Y1" in cov.round_ids and "Y0" not in cov.round_ids
    u4 = cov.units.set_index("unit_id").loc["U4"]
    assert u4["inspected"] and u4["round_ids"] == ("Y1",)
