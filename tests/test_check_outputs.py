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


def test_self_check_units_are_ranked_by_likeness_with_the_reason():
    import pandas as pd

    from linkgraph.analysis.clusters.scope import rank_self_check

    units = pd.DataFrame({
        "unit_id": ["A1", "A2", "A3", "A4", "C1", "C2", "C3"],
        "name": ["甲", "乙", "丙", "丁", "像", "半像", "不像"],
        "kind": ["事业单位"] * 4 + ["事业单位", "事业单位", "党政机关"],
        "level": ["乡级"] * 4 + ["乡级", "县级", "县级"],
        "region_id": ["R1", "R1", "R1", "R2", "R1", "R2", "R3"],
        "sector": ["教育"] * 7})
    regions = pd.DataFrame({"region_id": ["R1", "R2", "R3"], "name": ["白沙镇", "红岩乡", "城区"]})
    ranked = rank_self_check({"units": units, "regions": regions}, ["A1", "A2", "A3", "A4"],
                             ["C3", "C2", "C1"], top=2)
    # C1: kind 4/4, level 4/4, region 3/4, sector 4/4 -> 0.9375; C2: 1, 0, 1/4, 1 -> 0.5625
    assert [(r["rank"], r["unit_id"], r["likeness"]) for r in ranked] == [
        (1, "C1", 0.9375), (2, "C2", 0.5625)]
    assert ranked[0]["self_check_reason"] == ("同为事业单位（4/4），同为乡级（4/4），同在白沙镇（3/4），"
                                              "同属教育系统（4/4）")
