"""室组办 linkage on a hand-built ledger; every expected figure is worked out
by hand in the comments (as of 2024-06-30)."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from linkgraph.analysis.lead_networks import lead_networks
from linkgraph.analysis.leads import (department_summary, lead_lifecycle, overdue_leads,
                                      single_signature_leads)
from linkgraph.dataset import load_dataset
from linkgraph.rules import load_rules
from tests.conftest import write_tables

AS_OF = "2024-06-30"

LEDGER = {
    "units.csv": "unit_id,name\nU1,甲局\nU2,乙局\nU3,丙局\nU4,丁局\nU5,戊局\n",
    "people.csv": "person_id,name\nP1,陈明\nP2,何娟\nP3,王伟\nP4,李强\nP5,赵敏\nP6,何刚\n",
    # the spouse tie is written P2 -> P1 (either direction joins); P6 is on no lead
    "ties.csv": "person_a,person_b,relation\nP2,P1,夫妻\nP3,P4,同学\nP2,P6,兄妹\n",
    "departments.csv": "dept_id,name,kind\nD1,县纪委监委,纪委监委\nD2,县委组织部,组织部\n",
    "leads.csv": (
        "lead_id,unit_id,person_id,transferred_to,transfer_date,received_date,due_date,"
        "closed_date,disposition,outcome,signed_by\n"
        # received in 3 days, closed before due: on time; 78 days to close; 立案
        "L1,U1,P1,D1,2024-01-02,2024-01-05,2024-04-02,2024-03-20,初步核实,立案,纪检监察室;巡察组\n"
        # received after 15 days (> 7): late; no due date -> 2024-04-10, still open:
        # overdue by 81 days; signatures with prefixes still count for both sides
        "L2,U2,P2,D1,2024-01-10,2024-01-25,,,,,第二纪检监察室;县委第三巡察组\n"
        # never received, 60 days since transfer: late receipt; due 2024-08-01 not
        # passed; only 巡察组 signed
        "L3,U3,P3,D2,2024-05-01,,,,,,巡察组\n"
        # closed 2024-02-15 after its due 2023-12-31: closed late by 46 days;
        # 137 days to close; no signature at all
        "L4,U4,P5,D2,2023-10-01,2023-10-03,2023-12-31,2024-02-15,谈话函询,,\n"
        # 92 days to close; 移送司法 counts as 立案 and 处分 too
        "L5,U3,P4,D2,2024-03-01,2024-03-04,2024-09-30,2024-06-01,立案审查,移送司法,纪检监察室;巡察组\n"
        # transferred after --as-of: left out of everything
        "L6,U2,P1,D1,2024-07-05,,,,,,纪检监察室;巡察组\n"
        # closed on its due date: on time; 140 days to close; only 纪检监察室 signed
        "L7,U4,P5,D1,2024-02-01,2024-02-02,2024-06-20,2024-06-20,予以了结,,纪检监察室\n"
        # received 2024-07-02, after --as-of: not yet received, but the 7 days run
        # to 2024-07-02 so it is not late yet
        "L8,U5,P3,D2,2024-06-25,2024-07-02,,,,,纪检监察室;巡察组\n"
        # a second lead about 何娟, in 乙局 like L2: open, due 2024-09-01
        "L9,U2,P2,D2,2024-06-01,2024-06-03,,,,,纪检监察室;巡察组\n"),
}


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    return write_tables(tmp_path_factory.mktemp("leads"), LEDGER)


@pytest.fixture(scope="module")
def tables(ledger):
    return load_dataset(ledger).tables


@pytest.fixture(scope="module")
def life(tables):
    return lead_lifecycle(tables, load_rules(), AS_OF).set_index("lead_id")


def test_leads_transferred_after_as_of_are_left_out(life):
    assert list(life.index) == ["L1", "L2", "L3", "L4", "L5", "L7", "L8", "L9"]


def test_stages_as_of_the_date(life):
    assert life["stage"].to_dict() == {
        "L1": "已办结", "L2": "已签收", "L3": "已移交", "L4": "已办结", "L5": "已办结",
        "L7": "已办结", "L8": "已移交",  # received 2024-07-02, after --as-of
        "L9": "已签收"}


def test_overdue_leads(life):
    assert set(life.index[life["overdue_close"]]) == {"L2", "L4"}
    assert set(life.index[life["receipt_late"]]) == {"L2", "L3"}
    assert set(life.index[life["overdue"]]) == {"L2", "L3", "L4"}
    assert life.loc["L2", "overdue_reason"] == "超期未办结；签收超时"
    assert life.loc["L3", "overdue_reason"] == "超时未签收"
    assert life.loc["L4", "overdue_reason"] == "超期办结"
    assert life.loc["L2", "overdue_days"] == 81
    assert life.loc["L4", "overdue_days"] == 46
    # default due date: transfer + 3 months
    assert life.loc["L2", "due_date"] == pd.Timestamp("2024-04-10")
    assert life.loc["L2", "due_source"].startswith("默认")
    assert life.loc["L1", "due_source"] == "台账"


def test_days(life):
    assert life["days_to_close"].dropna().to_dict() == {"L1": 78, "L4": 137, "L5": 92, "L7": 140}
    assert life.loc["L2", "days_to_receive"] == 15


def test_received_late_is_overdue_even_when_closed_on_time(tables):
    one = dict(tables)
    one["leads"] = tables["leads"][tables["leads"]["lead_id"] == "L1"].assign(
        received_date=pd.Timestamp("2024-01-10"))  # 8 days after transfer
    row = lead_lifecycle(one, load_rules(), AS_OF).iloc[0]
    assert row["receipt_late"] and row["overdue"] and not row["overdue_close"]


def test_department_summary(life):
    s = department_summary(life.reset_index()).set_index("dept_id")
    cols = ["leads", "received", "closed", "overdue", "overdue_close", "open_overdue",
            "receipt_late", "case_filed", "sanctioned", "judicial", "single_signature"]
    # D1: L1 L2 L7; D2: L3 L4 L5 L8 L9
    assert s.loc["D1", cols].tolist() == [3, 3, 2, 1, 1, 1, 1, 1, 0, 0, 1]
    assert s.loc["D2", cols].tolist() == [5, 3, 2, 2, 1, 0, 1, 1, 1, 1, 2]
    assert s.loc["合计", cols].tolist() == [8, 6, 4, 3, 2, 1, 2, 2, 1, 1, 3]
    assert s.loc["D1", "median_days_to_close"] == 109.0  # (78 + 140) / 2
    assert s.loc["D2", "median_days_to_close"] == 114.5  # (137 + 92) / 2
    assert s.loc["合计", "median_days_to_close"] == 114.5  # 78 92 | 137 140
    assert s.loc["D1", "dept_name"] == "县纪委监委"


def test_single_signature(life):
    s = single_signature_leads(life.reset_index()).set_index("lead_id")
    assert s["missing_signatures"].to_dict() == {
        "L3": "纪检监察室", "L4": "纪检监察室、巡察组", "L7": "巡察组"}


def test_signature_words_come_from_the_rules(tables, tmp_path):
    rules_file = tmp_path / "rules.toml"
    rules_file.write_text('[signatures]\ninspection_team = ["巡察组", "巡视组"]\n'
                          'discipline_office = ["监督检查室"]\n', "utf-8")
    life = lead_lifecycle(tables, load_rules(rules_file), AS_OF).set_index("lead_id")
    # "纪检监察室" no longer counts, so every lead lacks that side (still called
    # 纪检监察室 in the output); 巡察组 counts as before
    assert life["missing_signatures"].str.startswith("纪检监察室").all()
    assert life.loc["L1", "missing_signatures"] == "纪检监察室"


def test_overdue_list_most_overdue_first(life):
    assert overdue_leads(life.reset_index())["lead_id"].tolist() == ["L2", "L4", "L3"]


def test_lead_networks_all_joins(tables):
    nets = lead_networks(tables, as_of=AS_OF)
    # L3 and L8 share 王伟 (P3); L3 and L5 share 丙局 and a classmate tie
    assert nets["network_id"].tolist() == ["LN-L1", "LN-L3", "LN-L4"]
    assert [list(x) for x in nets["lead_ids"]] == [["L1", "L2", "L9"], ["L3", "L5", "L8"],
                                                  ["L4", "L7"]]
    why = dict(zip(nets["network_id"], nets["why"]))
    assert why["LN-L1"] == ("这3条线索涉及2个单位（甲局、乙局），2条线索同涉何娟(P2)，"
                            "涉及一对夫妻：何娟(P2)与陈明(P1)")
    assert why["LN-L3"] == ("这3条线索涉及2个单位（丙局、戊局），2条线索同涉王伟(P3)，"
                            "涉及一对同学：王伟(P3)与李强(P4)")
    assert why["LN-L4"] == "这2条线索同属丁局，2条线索同涉赵敏(P5)"


@pytest.mark.parametrize("joins, groups", [
    (("person",), [["L2", "L9"], ["L3", "L8"], ["L4", "L7"]]),
    (("unit",), [["L2", "L9"], ["L3", "L5"], ["L4", "L7"]]),
    # the ties P2-P1 and P3-P4 join every lead of the four people (L9 is
    # 何娟's too, L8 王伟's); P2-P6 reaches no lead
    (("tie",), [["L1", "L2", "L9"], ["L3", "L5", "L8"]]),
])
def test_lead_networks_each_join(tables, joins, groups):
    nets = lead_networks(tables, joins=joins, as_of=AS_OF)
    assert sorted(list(x) for x in nets["lead_ids"]) == groups


def test_l6_joins_only_without_as_of(tables):
    nets = lead_networks(tables, joins=("person",))
    assert ["L1", "L6"] in [list(x) for x in nets["lead_ids"]]


def test_cli_summary_json(invoke, ledger):
    result = invoke("leads", ledger, "--as-of", AS_OF, "--summary", "--format", "json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)["records"]
    total = records[-1]
    assert total["dept_id"] == "合计" and total["leads"] == 8 and total["overdue"] == 3
    assert {"dept_id", "dept_name", "leads", "received", "closed", "overdue", "case_filed",
            "median_days_to_close"} <= set(records[0])


def test_cli_all_sections_to_xlsx(invoke, ledger, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "leads.xlsx"
    result = invoke("leads", ledger, "--as-of", AS_OF, "--all", "--out", out)
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    assert wb.sheetnames[:5] == ["线索", "汇总", "超期线索", "未双签字", "线索网络"]
    assert wb["超期线索"].max_row == 1 + 3


def test_cli_csv_neutralises_formulas(invoke, tmp_path):
    ledger = dict(LEDGER)
    ledger["leads.csv"] = LEDGER["leads.csv"].replace("L3,U3,P3,D2,2024-05-01,,,,,,巡察组",
                                                      "L3,U3,P3,D2,2024-05-01,,,,,,=HYPERLINK(1)")
    folder = write_tables(tmp_path / "d", ledger)
    result = invoke("leads", folder, "--as-of", AS_OF, "--single-signature", "--format", "csv")
    assert "'=HYPERLINK(1)" in result.stdout


def test_cli_bad_join_exits_2(invoke, ledger):
    assert invoke("leads", ledger, "--networks", "--join", "cousin").exit_code == 2


def test_a_ledger_without_a_signature_column_has_signatures_not_recorded(tables, invoke,
                                                                          tmp_path):
    """No 签字 column: 未记录 — not "every lead lacks a signature"."""
    unsigned = dict(tables)
    unsigned["leads"] = tables["leads"].assign(signed_by=None)
    life = lead_lifecycle(unsigned, load_rules(), AS_OF)
    assert (life["missing_signatures"] == "未记录").all()
    assert not life["signatures_recorded"].any()
    assert single_signature_leads(life).empty
    total = department_summary(life).set_index("dept_id").loc["合计"]
    assert pd.isna(total["single_signature"]) and total["leads"] == 8
    ledger = {k: v for k, v in LEDGER.items()}
    lines = ledger["leads.csv"].splitlines()
    header = lines[0].split(",")
    cut = header.index("signed_by")
    ledger["leads.csv"] = "\n".join(
        ",".join(cell for i, cell in enumerate(line.split(",")) if i != cut)
        for line in lines if not line.startswith("#")) + "\n"
    data = write_tables(tmp_path / "d", ledger)
    result = invoke("leads", data, "--as-of", AS_OF, "--single-signature")
    assert result.exit_code == 0, result.output
    assert "未记录" in result.stderr and "未双签字" not in result.stderr
    assert "（无" in result.stdout  # an empty list, said so


def test_one_unsigned_lead_in_a_signed_ledger_still_lacks_both(life):
    """L4 has no signature while the others have: it lacks both sides."""
    assert life.loc["L4", "missing_signatures"] == "纪检监察室、巡察组"
    assert life["signatures_recorded"].all()
