"""红黄绿 early warnings on a hand-built ledger as of 2024-06-10; the days
left are counted by hand in the comments (defaults 20 / 10 / 0)."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from linkgraph.analysis.warnings import Thresholds, early_warnings, thresholds
from linkgraph.dataset import load_dataset
from linkgraph.errors import LinkgraphError
from linkgraph.rules import load_rules
from tests.conftest import write_tables

AS_OF = "2024-06-10"

LEDGER = {
    "units.csv": "unit_id,name\nU1,甲局\n",
    "people.csv": "person_id,name\nP1,王伟\nP2,李明\nP3,张强\nP4,赵刚\n",
    "posts.csv": ("person_id,unit_id,title,is_top_leader,start,end\n"
                  "P2,U1,副局长,否,2022-01-01,\n"
                  "P3,U1,局长,是,2021-01-01,\n"
                  "P4,U1,副局长,否,2019-01-01,2023-01-01\n"),     # no longer serving
    "departments.csv": "dept_id,name\nD1,财政局\nD2,县纪委监委\n",
    "rounds.csv": "round_id,name,kind,start,end\nX1,第一轮,常规巡察,2024-01-10,2024-03-31\n",
    "problems.csv": "problem_id,unit_id,round_id,category\nQ1,U1,X1,财务管理\n",
    "measures.csv": (
        "measure_id,problem_id,description,owner_person_id,owner_dept_id,due_date,status,"
        "completed_date\n"
        "M1,Q1,建章立制,P1,D1,2024-06-30,推进中,\n"      # 20 days: green
        "M2,Q1,清退资金,P1,D1,2024-06-21,推进中,\n"      # 11 days: green
        "M3,Q1,补办手续,P1,D1,2024-06-20,未完成,\n"      # 10 days: yellow
        "M4,Q1,整改报告,P1,D1,2024-06-10,推进中,\n"      # 0 days: red
        "M5,Q1,追回款项,P1,D1,2024-05-01,推进中,\n"      # -40 days: red
        "M6,Q1,公开公示,P1,D1,2024-07-01,推进中,\n"      # 21 days: no warning
        "M7,Q1,培训教育,P1,D1,2024-06-15,已完成,2024-06-01\n"   # completed: none
        "M8,Q1,完善台账,,D1,,推进中,\n"),  # default due 2024-03-31 + 3 months = 06-30: green
    "leads.csv": (
        "lead_id,unit_id,round_id,transferred_to,transfer_date,due_date,closed_date\n"
        "L1,U1,X1,D2,2024-03-15,,\n"              # default 2024-06-15: 5 days, yellow
        "L2,U1,X1,D2,2024-03-15,2024-06-30,2024-06-01\n"   # 办结: none
        "L3,U1,X1,D2,2024-06-20,,\n"),            # transferred after as-of: none
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return write_tables(tmp_path_factory.mktemp("warn"), LEDGER)


@pytest.fixture(scope="module")
def tables(folder):
    return load_dataset(folder).tables


def test_levels_and_order(tables):
    w = early_warnings(tables, load_rules(), AS_OF)
    got = list(zip(w["warning_level"], w["item_id"], w["days_left"]))
    assert got == [("red", "M5", -40), ("red", "M4", 0), ("yellow", "L1", 5),
                   ("yellow", "M3", 10), ("green", "M2", 11), ("green", "M1", 20),
                   ("green", "M8", 20)]


def test_each_warning_names_who_it_goes_to(tables):
    w = early_warnings(tables, load_rules(), AS_OF).set_index("item_id")
    assert w.at["M1", "notify"] == "责任人：王伟"
    assert w.at["M3", "notify"] == "责任人：王伟；分管领导：李明"   # 赵刚's post ended
    assert w.at["M4", "notify"] == "责任人：王伟；分管领导：李明；一把手：张强"
    assert w.at["M8", "owner_name"] == "财政局"                    # no owner person: the dept
    assert w.at["L1", "notify"] == "承办部门：县纪委监委；承办部门分管领导"
    assert str(w.at["L1", "deadline"].date()) == "2024-06-15"


def test_thresholds_come_from_the_rules_and_options(tables):
    assert thresholds(load_rules()) == Thresholds(0, 10, 20)
    w = early_warnings(tables, load_rules(), AS_OF, Thresholds(5, 10, 20)).set_index("item_id")
    assert w.at["L1", "warning_level"] == "red"
    with pytest.raises(LinkgraphError):
        thresholds(load_rules(), red=15)          # red above yellow


def test_warnings_command(folder, invoke, tmp_path):
    done = invoke("warnings", folder, "--as-of", AS_OF, "--format", "json")
    assert done.exit_code == 0, done.output
    rows = json.loads(done.stdout)["records"]
    assert [r["item_id"] for r in rows][:2] == ["M5", "M4"]
    assert "红色 2 条，黄色 2 条，绿色 3 条" in done.stderr
    out = tmp_path / "w.xlsx"
    assert invoke("warnings", folder, "--as-of", AS_OF, "--out", out).exit_code == 0
    import openpyxl

    ws = openpyxl.load_workbook(out).worksheets[0]
    cells = {c.value for row in ws.iter_rows() for c in row}
    assert "红色预警" in cells and "预警对象" in cells
    bad = invoke("warnings", folder, "--as-of", AS_OF, "--red", "30")
    assert bad.exit_code == 1 and "红 ≤ 黄 ≤ 绿" in bad.output


def test_units_only_dataset_has_no_warnings(tmp_path, invoke):
    write_tables(tmp_path, {"units.csv": "unit_id,name\nU1,甲局\n"})
    done = invoke("warnings", tmp_path, "--as-of", AS_OF, "--format", "json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["records"] == []


def test_english_says_who_in_english(tables, folder, invoke):
    w = early_warnings(tables, load_rules(), AS_OF, lang="en").set_index("item_id")
    assert w.at["M4", "notify"] == "owner: 王伟; leader in charge: 李明; top leader: 张强"
    assert w.at["L1", "notify"] == "receiving department: 县纪委监委; its leader in charge"
    done = invoke("warnings", folder, "--as-of", AS_OF, "--lang", "en")
    assert done.exit_code == 0 and "Goes to" in done.output and "red" in done.output


def test_warnings_never_harmonise_categories(tables, monkeypatch):
    """No warning shows or groups a category, so the category pass (the
    costliest step at province scale) is skipped: the same warnings come
    out when harmonising would fail."""
    import linkgraph.analysis.rectification as rect

    want = early_warnings(tables, load_rules(), AS_OF)

    def refuse(*args, **kwargs):
        raise AssertionError("warnings harmonised the categories")
    monkeypatch.setattr(rect, "harmonise_tables", refuse)
    got = early_warnings(tables, load_rules(), AS_OF)
    pd.testing.assert_frame_equal(got, want)
