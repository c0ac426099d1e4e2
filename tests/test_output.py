"""Outputs: formats, formula neutralisation, provenance."""
from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import openpyxl

from linkgraph import output
from tests.conftest import write_tables

TINY = Path(__file__).parent / "data" / "tiny"


def test_neutralise_only_formula_starts():
    assert [output.neutralise(v) for v in ["=1+1", "+86", "-x", "@SUM(A1)", "\t=1", "正常", 5]] \
        == ["'=1+1", "'+86", "'-x", "'@SUM(A1)", "'\t=1", "正常", 5]


def test_csv_and_xlsx_cells_are_inert(tmp_path):
    records = [{"name": "=HYPERLINK(\"http://x\",\"点我\")", "amount": -5, "note": "@cmd"}]
    text = output.to_csv(records)
    row = list(csv.DictReader(io.StringIO(text)))[0]
    assert row["name"].startswith("'=") and row["note"] == "'@cmd" and row["amount"] == "-5"
    path = tmp_path / "x.xlsx"
    output.write_xlsx({"表": records}, path)
    ws = openpyxl.load_workbook(path)["表"]
    assert ws["A2"].value.startswith("'=") and ws["A2"].data_type == "s"
    assert ws["B2"].value == -5 and ws["C2"].value == "'@cmd"


def test_json_output_carries_provenance(invoke, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    result = invoke("stats", TINY, "--format", "json")
    doc = json.loads(result.stdout)
    prov = doc["provenance"]
    assert prov["command"].endswith("stats") and prov["generated_at"] == "2023-11-14T22:13:20Z"
    units = next(i for i in prov["inputs"] if i["path"].endswith("units.csv"))
    assert units["sha256"] == hashlib.sha256((TINY / "units.csv").read_bytes()).hexdigest()
    assert doc["nodes"]["Unit"] == 4
    again = invoke("stats", TINY, "--format", "json").stdout
    assert again == result.stdout  # byte-identical with SOURCE_DATE_EPOCH


def test_xlsx_output_has_a_provenance_sheet_and_no_password(invoke, tmp_path):
    out = tmp_path / "stats.xlsx"
    assert invoke("stats", TINY, "--out", out).exit_code == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["节点", "关系", "来源"]   # Chinese by default
    cells = [c.value for row in wb["来源"].iter_rows() for c in row]
    assert any(str(v).startswith("sha256:") for v in cells)
    assert invoke("stats", TINY, "--out", out, "--lang", "en").exit_code == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Nodes", "Relationships", "Provenance"]
    assert [c.value for c in wb["Provenance"][1]] == ["Item", "Value"]


def test_lenient_reports_counts_and_writes_rejects(invoke, tmp_path):
    data = write_tables(tmp_path / "d", {"units.csv": "unit_id,name\nU1,甲\nU1,乙\n,丙\n"})
    rejects = tmp_path / "rej.csv"
    result = invoke("stats", data, "--lenient", "--allow-partial", "--rejects", rejects)
    assert result.exit_code == 0
    assert "读取 3 行：载入 1，拒收 2" in result.stderr
    rows = list(csv.DictReader(rejects.read_text("utf-8-sig").splitlines()))
    assert [(r["row"], r["column"]) for r in rows] == [("3", "unit_id"), ("4", "unit_id")]


def test_lenient_stops_when_a_table_lost_more_than_half(invoke, tmp_path):
    """1 of 3 units loaded: the result would rest on a third of the table."""
    data = write_tables(tmp_path / "d", {"units.csv": "unit_id,name\nU1,甲\nU1,乙\n,丙\n"})
    result = invoke("stats", data, "--lenient", "--rejects", tmp_path / "rej.csv")
    assert result.exit_code == 1
    assert "units（1/3）" in result.stderr and "--allow-partial" in result.stderr
    assert result.stdout == ""


def test_lenient_result_carries_the_loaded_share(invoke, tmp_path):
    data = write_tables(tmp_path / "d", {"units.csv": "unit_id,name\nU1,甲\nU1,乙\n,丙\n"})
    table = invoke("stats", data, "--lenient", "--allow-partial", "--rejects",
                   tmp_path / "rej.csv")
    assert table.exit_code == 0
    section = table.stdout.split("== 载入比例 loaded share ==")[1]
    # the table under its name (单位), its file as given
    assert section.split("\n")[3].split() == ["单位", "units.csv", "3", "1", "2", "33.33%"]   # 1 of 3
    doc = json.loads(invoke("stats", data, "--lenient", "--allow-partial", "--format", "json",
                            "--rejects", tmp_path / "rej.csv").stdout)
    assert doc["loaded_share"] == [{"table": "units", "file": "units.csv", "read": 3,
                                    "loaded": 1, "rejected": 2, "share": 0.3333}]


def test_lenient_goes_on_when_half_the_rows_loaded(invoke, tmp_path):
    data = write_tables(tmp_path / "d", {"units.csv": "unit_id,name\nU1,甲\nU2,乙\n,丙\n,丁\n"})
    result = invoke("stats", data, "--lenient", "--rejects", tmp_path / "rej.csv")
    assert result.exit_code == 0
    assert "50.00%" in result.stdout.split("loaded share")[1]


def test_allow_partial_needs_lenient(invoke, tmp_path):
    data = write_tables(tmp_path / "d", {"units.csv": "unit_id,name\nU1,甲\n"})
    assert invoke("stats", data, "--allow-partial").exit_code == 2


def test_lenient_report_states_the_loaded_share(invoke, tmp_path):
    """The report page itself says what share of each table it rests on."""
    import shutil

    data = tmp_path / "d"
    shutil.copytree(TINY, data)
    units = (data / "units.csv").read_text("utf-8-sig").rstrip("\n").splitlines()
    (data / "units.csv").write_text("\n".join(units + [",丙局"]) + "\n", "utf-8")
    n = len(units) - 1  # data rows, plus the one without id or name
    result = invoke("report", data, "--out", tmp_path / "rep", "--lenient", "--no-views",
                    "--as-of", "2024-01-01", "--rejects", tmp_path / "rej.csv")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "rep" / "index.html").read_text("utf-8")
    assert "载入比例" in page and f"units {n}/{n + 1}（{n / (n + 1):.2%}）" in page


def test_a_workbook_shows_a_field_once_when_two_say_the_same(tmp_path):
    """relation (a code, named from the catalogue) and relation_zh (its
    Chinese word) share the header 关系: one column, not the same twice;
    fields that differ under one header both stay."""
    import openpyxl

    from linkgraph.output import write_xlsx

    recs = [{"relation": "spouse", "relation_zh": "配偶", "n": 1},
            {"relation": "colleague", "relation_zh": "同事", "n": 2}]
    write_xlsx({"conflicts": recs}, tmp_path / "a.xlsx")
    rows = list(openpyxl.load_workbook(tmp_path / "a.xlsx").worksheets[0].iter_rows(
        values_only=True))
    assert rows[0][:2] == ("关系", "n") and rows[1][:2] == ("配偶", 1)
    differ = [{"relation": "spouse", "relation_zh": "夫妻（台账原文）"}]
    write_xlsx({"conflicts": differ}, tmp_path / "b.xlsx")
    head = next(openpyxl.load_workbook(tmp_path / "b.xlsx").worksheets[0].iter_rows(
        values_only=True))
    assert head[:2] == ("关系", "关系")
