"""Rectification on a hand-built ledger (as of 2024-06-30); the figures are
worked out by hand in the comments."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from linkgraph.analysis.rectification import (completion, measure_status, overdue_measures,
                                              problem_status, reopened_measures)
from linkgraph.dataset import load_dataset
from linkgraph.rules import load_rules
from tests.conftest import write_tables

AS_OF = "2024-06-30"

LEDGER = {
    "units.csv": "unit_id,name\nU1,甲局\nU2,乙局\nU3,丙局\n",
    "people.csv": "person_id,name\nP1,王伟\nP2,何娟\n",
    "departments.csv": "dept_id,name\nD1,财政局\nD2,组织部\n",
    # feedback = round end: X1 2023-12-31 -> measures due 2024-03-31 by default;
    # X2 2024-03-15 -> 2024-06-15
    "rounds.csv": "round_id,name,kind,start,end\nX1,第一轮,常规巡察,2023-10-01,2023-12-31\n"
                  "X2,第二轮,专项巡察,2024-01-10,2024-03-15\n",
    "problems.csv": (
        "problem_id,unit_id,round_id,category,found_date,immediate\n"
        "Q1,U1,X1,财务管理,2023-11-01,否\n"   # five measures, one open
        "Q2,U1,X1,八项规定,2023-11-02,否\n"   # one done measure
        "Q3,U2,X1,财务管理,2023-11-03,否\n"   # one 基本完成 measure: not done
        "Q4,U2,X2,八项规定,2024-02-01,否\n"   # ongoing + done after --as-of
        "Q5,U2,X2,选人用人,2024-02-02,否\n"   # ongoing only
        "Q6,U1,X2,财务管理,2024-02-03,是\n"   # 立行立改, no measure: rectified
        "Q7,U3,X2,八项规定,2024-02-04,否\n"   # no measure, not immediate: not rectified
        "Q8,U3,X2,八项规定,2024-08-01,否\n"),  # found after --as-of: left out
    "measures.csv": (
        "measure_id,problem_id,owner_person_id,owner_dept_id,due_date,status,completed_date,"
        "reopened\n"
        "M1,Q1,P1,D1,2024-03-31,已完成,2024-03-01,否\n"
        "M2,Q1,P1,D1,2024-03-31,已销号,2024-03-02,否\n"
        "M3,Q1,P2,D2,2024-12-31,长期坚持,,否\n"
        "M4,Q1,P2,D1,2024-03-31,已完成,2024-03-20,是\n"   # reopened (回炉) then done
        "M5,Q1,P1,D2,2024-05-31,推进中,,否\n"             # open, 30 days overdue
        "M6,Q2,P1,,2024-03-31,已完成,2024-01-15,否\n"
        "M7,Q3,P2,D1,,基本完成,,否\n"                     # default due 2024-03-31: 91 days
        "M8,Q4,P2,D2,,持续整改,,否\n"                     # ongoing; default due 2024-06-15
        "M9,Q4,P1,D2,,已完成,2024-07-10,否\n"             # done after --as-of: 15 days overdue
        "M10,Q5,P1,D2,2024-12-31,长期坚持,,否\n"),
}

COLS = ["problems", "rectified", "rate", "measures", "measures_done", "overdue_measures",
        "reopened", "no_measures"]


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    return write_tables(tmp_path_factory.mktemp("rect"), LEDGER)


@pytest.fixture(scope="module")
def tables(ledger):
    return load_dataset(ledger).tables


def rows(table, key):
    return {k: r[COLS].tolist() for k, (_, r) in zip(table[key], table.iterrows())}


def test_measures(tables):
    m = measure_status(tables, load_rules(), AS_OF).set_index("measure_id")
    assert m.index[m["completed"]].tolist() == ["M1", "M2", "M3", "M4", "M6", "M8", "M10"]
    assert m["overdue_days"].dropna().to_dict() == {"M5": 30, "M7": 91, "M9": 15}
    assert m.loc["M7", "due_date"] == pd.Timestamp("2024-03-31")
    assert m.loc["M9", "due_date"] == pd.Timestamp("2024-06-15")


def test_one_open_measure_out_of_five_leaves_the_problem_open(tables):
    m = measure_status(tables, load_rules(), AS_OF)
    p = problem_status(tables, m, AS_OF).set_index("problem_id")
    assert p.loc["Q1", ["measures", "measures_done"]].tolist() == [5, 4]
    assert not p.loc["Q1", "rectified"]
    assert p["rectified"].to_dict() == {"Q1": False, "Q2": True, "Q3": False, "Q4": False,
                                        "Q5": True, "Q6": True, "Q7": False}


def test_by_round(tables):
    t = completion(tables, load_rules(), AS_OF, "round")
    assert rows(t, "round_id") == {
        # Q1 Q2 Q3; M1-M7, done M1 M2 M3 M4 M6, overdue M5 M7, reopened M4
        "X1": [3, 1, 0.3333, 7, 5, 2, 1, 0],
        # Q4 Q5 Q6 Q7; rectified Q5 (ongoing) and Q6 (立行立改); M8 M9 M10
        "X2": [4, 2, 0.5, 3, 2, 1, 0, 2],
        "合计": [7, 3, 0.4286, 10, 7, 3, 1, 2]}
    x1 = t.set_index("round_id").loc["X1"]
    assert x1["kind"] == "常规巡察"
    # 2023-12-31 is a Sunday: 15 working days from Monday 2024-01-01
    assert x1["plan_due"] == pd.Timestamp("2024-01-22")
    assert x1["report_due"] == pd.Timestamp("2024-03-31")


def test_ongoing_open(tables):
    t = completion(tables, load_rules(), AS_OF, "round", ongoing_done=False)
    # M3 M8 M10 no longer done; M8 (due 2024-06-15) becomes overdue; Q5 not rectified
    assert rows(t, "round_id")["合计"] == [7, 2, 0.2857, 10, 4, 4, 1, 2]


def test_ongoing_open_from_the_rules_file(tables, tmp_path):
    f = tmp_path / "rules.toml"
    f.write_text("[limits]\nongoing_counts_as_done = false\n", "utf-8")
    assert rows(completion(tables, load_rules(f), AS_OF, "round"), "round_id")["合计"][1] == 2


def test_by_unit(tables):
    assert rows(completion(tables, load_rules(), AS_OF, "unit"), "unit_id") == {
        "U1": [3, 2, 0.6667, 6, 5, 1, 1, 1],
        "U2": [3, 1, 0.3333, 4, 2, 2, 0, 0],
        "U3": [1, 0, 0.0, 0, 0, 0, 0, 1],
        "合计": [7, 3, 0.4286, 10, 7, 3, 1, 2]}


def test_by_category(tables):
    assert rows(completion(tables, load_rules(), AS_OF, "category"), "category") == {
        "八项规定": [3, 1, 0.3333, 3, 2, 1, 0, 1],   # Q2 Q4 Q7; M6 M8 M9
        "财务管理": [3, 1, 0.3333, 6, 4, 2, 1, 1],   # Q1 Q3 Q6; M1-M5 M7
        "选人用人": [1, 1, 1.0, 1, 1, 0, 0, 0],
        "合计": [7, 3, 0.4286, 10, 7, 3, 1, 2]}


def test_by_department(tables):
    t = completion(tables, load_rules(), AS_OF, "department")
    assert rows(t, "dept_id") == {
        "D1": [2, 0, 0.0, 4, 3, 1, 1, 0],          # M1 M2 M4 M7 of Q1 Q3
        "D2": [3, 1, 0.3333, 5, 3, 2, 0, 0],       # M3 M5 M8 M9 M10 of Q1 Q4 Q5
        "（未填写）": [1, 1, 1.0, 1, 1, 0, 0, 0],  # M6 of Q2
        "合计": [7, 3, 0.4286, 10, 7, 3, 1, 2]}
    assert t.set_index("dept_id").loc["D1", "dept_name"] == "财政局"


def test_overdue_and_reopened_lists_name_the_owner(tables):
    m = measure_status(tables, load_rules(), AS_OF)
    over = overdue_measures(tables, m)
    assert over["measure_id"].tolist() == ["M7", "M5", "M9"]  # most overdue first
    assert over["owner_name"].tolist() == ["何娟", "王伟", "王伟"]
    re = reopened_measures(tables, m)
    assert re["measure_id"].tolist() == ["M4"] and re.iloc[0]["owner_dept_name"] == "财政局"


def test_cli(invoke, ledger):
    r = invoke("rectification", ledger, "--by", "round", "--as-of", AS_OF, "-f", "json")
    assert r.exit_code == 0, r.output
    recs = json.loads(r.stdout)["records"]
    assert recs[-1]["round_id"] == "合计" and recs[-1]["rate"] == 0.4286
    assert "整改完成率 42.86%（3/7，口径：持续整改/长期坚持计为已完成）" in r.stderr
    r = invoke("rectification", ledger, "--by", "unit", "--as-of", AS_OF, "--ongoing-open",
               "--overdue", "--reopened", "-f", "json")
    assert "口径：持续整改/长期坚持计为未完成" in r.stderr  # the rate states its convention
    doc = json.loads(r.stdout)
    # M8 and M9 are both 15 days overdue: by measure_id
    assert [x["measure_id"] for x in doc["overdue_measures"]] == ["M7", "M5", "M8", "M9"]
    assert [x["measure_id"] for x in doc["reopened_measures"]] == ["M4"]


def test_cli_bad_grouping_exits_2(invoke, ledger):
    assert invoke("rectification", ledger, "--by", "team").exit_code == 2


# the same ledger with the categories as three teams wrote them
WRITTEN = {**LEDGER, "problems.csv": LEDGER["problems.csv"]
           .replace("Q1,U1,X1,财务管理", "Q1,U1,X1,财经纪律执行不严")
           .replace("Q2,U1,X1,八项规定", "Q2,U1,X1,违反中央八项规定精神")
           .replace("Q4,U2,X2,八项规定", "Q4,U2,X2,中央八项规定精神落实不到位")}


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    return write_tables(tmp_path_factory.mktemp("rect-written"), WRITTEN)


def test_by_category_groups_the_labels_as_written_under_one_category(written):
    t = completion(load_dataset(written).tables, load_rules(), AS_OF, "category")
    # the same figures as test_by_category: the wordings are one category each
    assert rows(t, "category") == {
        "八项规定": [3, 1, 0.3333, 3, 2, 1, 0, 1],
        "财务管理": [3, 1, 0.3333, 6, 4, 2, 1, 1],
        "选人用人": [1, 1, 1.0, 1, 1, 0, 0, 0],
        "合计": [7, 3, 0.4286, 10, 7, 3, 1, 2]}
    by = t.set_index("category")
    assert by.loc["八项规定", "category_written"] == "中央八项规定精神落实不到位；八项规定；违反中央八项规定精神"
    assert by.loc["财务管理", "category_written"] == "财务管理；财经纪律执行不严"


def test_cli_by_category_reapplies_the_office_decisions(invoke, written, tmp_path):
    # the office decides that 财经纪律执行不严 means 八项规定 here: Q1 (five
    # measures, M5 open and overdue, M4 reopened) moves over —
    # 八项规定 = Q1 Q2 Q4 Q7: 4 problems, Q2 rectified, 8 measures, 6 done
    # (M1 M2 M3 M4 M6 M8), 2 overdue (M5 M9), 1 reopened, Q7 without measure;
    # 财务管理 = Q3 Q6: Q6 rectified (立行立改), M7 overdue, Q6 without measure
    decisions = tmp_path / "decisions.csv"
    decisions.write_text("类型,原文,归并为,决定\n问题类别,财经纪律执行不严,八项规定,接受\n", "utf-8")
    r = invoke("rectification", written, "--by", "category", "--as-of", AS_OF,
               "--decisions", str(decisions), "-f", "json")
    assert r.exit_code == 0, r.output
    got = {x["category"]: [x[c] for c in COLS] for x in json.loads(r.stdout)["records"]}
    assert got == {"八项规定": [4, 1, 0.25, 8, 6, 2, 1, 1],
                   "财务管理": [2, 1, 0.5, 1, 0, 1, 0, 1],
                   "选人用人": [1, 1, 1.0, 1, 1, 0, 0, 0],
                   "合计": [7, 3, 0.4286, 10, 7, 3, 1, 2]}


# 完成 and 销号 are separate stages: the same ledger with closing reviews
# (审核事项 销号).  Worked out by hand, as of 2024-06-30:
#   M1 (已完成) passed 2024-04-01                      -> closed
#   M2 (已销号) passed 2024-03-05, then 再整改 2024-04-10 -> latest review sends it back: open
#   M6 (已完成, Q2's only measure) passed 2024-02-01  -> closed, so Q2 is closed
#   M10 passed 2024-07-15, after the as-of date        -> not yet closed
#   Q6 (立行立改, no measure) named by a passed review -> closed
# measures closed: M1 M6 = 2 (of 7 done); problems closed: Q2 Q6 = 2 (of 3 rectified).
REVIEWED = {**LEDGER, "reviews.csv": (
    "review_id,unit_id,round_id,subject,measure_id,problem_id,review_date,verdict\n"
    "V1,U1,X1,销号,M1,,2024-04-01,通过\n"
    "V2,U1,X1,销号,M2,,2024-03-05,通过\n"
    "V3,U1,X1,销号,M2,,2024-04-10,再整改\n"
    "V4,U1,X1,销号,M6,,2024-02-01,通过\n"
    "V5,U2,X2,销号,M10,,2024-07-15,通过\n"
    "V6,U1,X2,销号,,Q6,2024-05-01,通过\n")}
STAGES = ["rectified", "problems_closed", "measures_done", "measures_closed"]


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory):
    return write_tables(tmp_path_factory.mktemp("rect-reviewed"), REVIEWED)


def stages(table, key):
    return {k: r[STAGES].tolist() for k, (_, r) in zip(table[key], table.iterrows())}


def test_closed_after_review_is_counted_apart_from_done(reviewed):
    tables = load_dataset(reviewed).tables
    t = completion(tables, load_rules(), AS_OF, "round")
    assert stages(t, "round_id") == {
        "X1": [1, 1, 5, 2],   # Q2 rectified and closed; M1 M6 closed of M1 M2 M3 M4 M6 done
        "X2": [2, 1, 2, 0],   # Q5 Q6 rectified, Q6 closed; M8 M10 done, M10 closed later
        "合计": [3, 2, 7, 2]}
    assert rows(t, "round_id")["合计"] == [7, 3, 0.4286, 10, 7, 3, 1, 2]  # the rest unchanged
    by_unit = stages(completion(tables, load_rules(), AS_OF, "unit"), "unit_id")
    assert by_unit["U1"] == [2, 2, 5, 2] and by_unit["U2"] == [1, 0, 2, 0]
    by_dept = stages(completion(tables, load_rules(), AS_OF, "department"), "dept_id")
    assert by_dept["D1"] == [0, 0, 3, 1]            # M1 closed; Q1 Q3 open
    assert by_dept["（未填写）"] == [1, 1, 1, 1]    # M6 of Q2
    m = measure_status(tables, load_rules(), AS_OF).set_index("measure_id")
    assert m.index[m["review_closed"]].tolist() == ["M1", "M6"]
    p = problem_status(tables, m.reset_index(), AS_OF).set_index("problem_id")
    assert p.index[p["problems_closed"]].tolist() == ["Q2", "Q6"]


def test_without_reviews_the_status_closed_is_taken_as_written(tables):
    # no review rows: M2 (已销号, 2024-03-02) is closed; Q1 keeps open measures
    t = completion(tables, load_rules(), AS_OF, "round")
    assert stages(t, "round_id")["合计"] == [3, 0, 7, 1]


def test_cli_and_report_show_closed_beside_done(invoke, reviewed):
    r = invoke("rectification", reviewed, "--as-of", AS_OF, "-f", "json")
    assert r.exit_code == 0, r.output
    assert "经审核销号问题 2 个、措施 2 项（已完成措施 7 项）" in r.stderr
    total = json.loads(r.stdout)["records"][-1]
    assert (total["problems_closed"], total["measures_closed"]) == (2, 2)
    import datetime as dt

    from linkgraph.report.options import ReportOptions
    from linkgraph.report.sections.rectification import rectification
    from linkgraph.session import Session

    tables = load_dataset(reviewed).tables
    for lang, words in (("zh", "经审核销号问题 2 个、措施 2 项（已完成措施 7 项）"),
                        ("en", "closed after review: 2 problems, 2 measures (measures done: 7)")):
        section = rectification(Session(tables, as_of=dt.date(2024, 6, 30)),
                                ReportOptions(as_of=dt.date(2024, 6, 30), lang=lang))
        assert words in section.paragraphs[0]
        table = section.tables[0]
        assert table.rows[-1]["measures_closed"] == 2 and table.rows[-1]["problems_closed"] == 2
        heading = dict(table.columns)
        assert heading["measures_closed"] == ("销号措施" if lang == "zh"
                                              else "Measures closed after review")


def test_a_portrait_tells_closed_after_review_from_done(reviewed):
    # 王伟 (P1) owns M1 M2 M5 M6 M9 M10; as of 2024-06-30 (worked out above) M1 and M6
    # are closed after review, M2 was sent back (再整改) and M10's pass comes later,
    # while M1 M2 M6 are done and M10 (长期坚持) counts as done by the default rules
    # (M9 is done only after the as-of date)
    from linkgraph.analysis.portrait import portrait

    p = portrait(load_dataset(reviewed).tables, load_rules(), "P1", AS_OF)
    m = p.measures.set_index("measure_id")
    assert sorted(m.index) == ["M1", "M10", "M2", "M5", "M6", "M9"]
    assert sorted(m.index[m["review_closed"]]) == ["M1", "M6"]
    assert sorted(m.index[m["completed"]]) == ["M1", "M10", "M2", "M6"]
