"""The shared helpers of the linkage analyses, and what every linkage command
promises: deterministic output, bad options exit 2, bad rules exit 1."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from linkgraph.analysis.ledger import (Limits, add_months, add_workdays, codes, label, positions,
                                       tuples_by)
from linkgraph.errors import ConfigError
from linkgraph.rules import load_rules
from tests.conftest import write_tables


def test_positions_first_occurrence_missing_and_none():
    keys = pd.Series(["a", "b", "a", None, "c"], dtype=object)
    wanted = pd.Series(["c", "a", "x", None, "b"], dtype=object)
    assert positions(keys, wanted).tolist() == [4, 0, -1, -1, 1]


def test_positions_of_numbers_fall_back_to_pandas():
    assert positions(pd.Series([10, 20, 10]), pd.Series([20, 10, 30])).tolist() == [1, 0, -1]


def test_codes_and_tuples_by():
    c, uniques = codes(pd.Series(["x", None, "y", "x"], dtype=object))
    assert c.tolist() == [0, -1, 1, 0] and uniques.tolist() == ["x", "y"]
    got = tuples_by(pd.Series(["k1", "k2", "k1", "k1", None]),
                    pd.Series(["b", "z", "a", "b", "q"]))
    assert got.to_dict() == {"k1": ("a", "b"), "k2": ("z",)}


def test_label_keeps_unknown_ids_as_none():
    lookup = pd.Series(["甲局", "乙局"], index=["U1", "U2"])
    assert label(pd.Series(["U2", "U9", None]), lookup).tolist() == ["乙局", None, None]


def test_calendar_months_and_working_days():
    d = pd.Series(pd.to_datetime(["2024-01-31", "2023-11-30", None]))
    # Jan 31 + 1 month = the last day of February (2024 is a leap year)
    assert add_months(d, 1).tolist()[:2] == [pd.Timestamp("2024-02-29"),
                                             pd.Timestamp("2023-12-30")]
    # Friday 2024-03-01 + 1 working day = Monday 03-04; Saturday rolls to Monday first
    w = add_workdays(pd.Series(pd.to_datetime(["2024-03-01", "2024-03-02", None])), 1)
    assert w.tolist()[:2] == [pd.Timestamp("2024-03-04"), pd.Timestamp("2024-03-05")]
    assert pd.isna(w.iloc[2])


@pytest.mark.parametrize("text", ["lead_receipt_days = -1", "lead_report_months = 1.5",
                                  "ongoing_counts_as_done = 1"])
def test_bad_limits_are_config_errors(tmp_path, text):
    f = tmp_path / "rules.toml"
    f.write_text(f"[limits]\n{text}\n", "utf-8")
    with pytest.raises(ConfigError, match=text.split()[0]):
        Limits.from_rules(load_rules(f))


LEDGER = {
    "units.csv": "unit_id,name\nU1,甲局\nU2,乙局\n",
    "people.csv": "person_id,name\nP1,陈明\n",
    "posts.csv": "person_id,unit_id,is_top_leader,start\nP1,U1,是,2015-01-01\n",
    "departments.csv": "dept_id,name\nD1,纪委监委\n",
    "rounds.csv": "round_id,name,start,end\nX1,第一轮,2023-03-01,2023-05-31\n",
    "assignments.csv": "round_id,team_id,unit_id\nX1,T1,U1\n",
    "teams.csv": "team_id,round_id\nT1,X1\n",
    "problems.csv": "problem_id,unit_id,round_id,category,description\n"
                    "Q1,U1,X1,财务,=1+1\nQ2,U1,X1,财务,违规发放津补贴\n",
    "measures.csv": "measure_id,problem_id,status\nM1,Q1,未完成\nM2,Q2,已完成\n",
    "leads.csv": "lead_id,unit_id,person_id,transferred_to,transfer_date,signed_by\n"
                 "L1,U1,P1,D1,2023-06-01,巡察组\nL2,U1,P1,D1,2023-06-02,巡察组\n",
    "audits.csv": "finding_id,unit_id,category,description\nA1,U2,财务,@SUM(1)\n",
    "petitions.csv": "petition_id,unit_id,date\nF1,U1,2024-01-01\n",
}

COMMANDS = [
    ("leads", "--all"), ("audit",), ("rectification", "--by", "unit", "--overdue", "--reopened"),
    ("coverage", "--units"), ("priorities",), ("portrait", "--person", "P1"),
]


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    return write_tables(tmp_path_factory.mktemp("cli"), LEDGER)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_same_input_same_output(invoke, ledger, command):
    name, *rest = command
    first = invoke(name, ledger, *rest, "--as-of", "2024-06-30", "-f", "csv")
    assert first.exit_code == 0, first.output
    again = invoke(name, ledger, *rest, "--as-of", "2024-06-30", "-f", "csv")
    assert first.stdout == again.stdout
    assert "\n=" not in first.stdout and ",=" not in first.stdout  # formulas neutralised


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_xlsx_cells_are_text_not_formulas(invoke, ledger, command, tmp_path):
    from openpyxl import load_workbook

    name, *rest = command
    out = tmp_path / f"{name}.xlsx"
    assert invoke(name, ledger, *rest, "--as-of", "2024-06-30", "--out", out).exit_code == 0
    for ws in load_workbook(out).worksheets:
        for row in ws.iter_rows(values_only=True):
            for cell in row:
                assert not (isinstance(cell, str) and cell and cell[0] in "=+-@"), cell


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_bad_date_exits_2_and_bad_rules_exit_1(invoke, ledger, command, tmp_path):
    name, *rest = command
    assert invoke(name, ledger, *rest, "--as-of", "30/06/2024").exit_code == 2
    bad = tmp_path / "rules.toml"
    bad.write_text("[limits]\nlead_receipt_days = 'seven'\n[audit]\ntext_threshold = 3\n"
                   "[coverage]\nvillage_words = 1\n", "utf-8")
    result = invoke(name, ledger, *rest, "--as-of", "2024-06-30", "--rules", bad)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output


def test_numpy_is_not_leaking_into_records(invoke, ledger):
    import json

    r = invoke("leads", ledger, "--as-of", "2024-06-30", "--summary", "-f", "json")
    rec = json.loads(r.stdout)["records"][0]
    assert isinstance(rec["leads"], int) and not isinstance(rec["leads"], np.integer)
