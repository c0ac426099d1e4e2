"""Check and report errors of issue 16: a table rejected whole is not
compared as text; free text keeps the ledger's own punctuation."""
from __future__ import annotations

from linkgraph.dataset import load_dataset
from tests.conftest import write_tables

UNITS = "unit_id,name\nU1,金堂县教育局\n"


def test_a_table_rejected_for_a_missing_column_gets_no_date_order_errors(tmp_path):
    # leads without its required transferred_to: the whole table is rejected;
    # "2022年12月20日" < "2022年12月2日" as text must not become an 早于 error
    data = write_tables(tmp_path / "d", {
        "units.csv": UNITS,
        "leads.csv": "lead_id,unit_id,transfer_date,received_date\n"
                     "L1,U1,2022年12月2日,2022年12月20日\n"})
    ds = load_dataset(data, lenient=True)
    reasons = [v.reason for v in ds.errors]
    assert any("整表未载入" in r for r in reasons)
    assert not any("早于" in r for r in reasons), reasons


def test_descriptions_and_names_keep_the_ledgers_punctuation(tmp_path):
    text = "违规发放津补贴，（涉及３人）；整改中"
    data = write_tables(tmp_path / "d", {
        "units.csv": "unit_id,name,sector\nＵ1,金堂县（教育）局,教育\n",
        "problems.csv": f"problem_id,unit_id,category,description\nQ1,U1,八项规定,{text}\n"})
    ds = load_dataset(data)
    problem = ds.tables["problems"].iloc[0]
    assert problem["description"] == text            # ，（３）； as written
    unit = ds.tables["units"].iloc[0]
    assert unit["unit_id"] == "U1"                   # ids are normalised (Ｕ1 -> U1) …
    assert unit["name"] == "金堂县（教育）局"          # … names are not
    assert problem["unit_id"] == "U1"


def test_a_department_named_in_full_width_still_resolves(tmp_path):
    data = write_tables(tmp_path / "d", {
        "units.csv": UNITS,
        "departments.csv": "dept_id,name,kind\nD1,ＸＸ县纪委监委,纪委监委\n",
        "leads.csv": "lead_id,unit_id,transferred_to\nL1,U1,XX县纪委监委\n"})
    ds = load_dataset(data)
    assert ds.tables["leads"].iloc[0]["transferred_to"] == "D1"
