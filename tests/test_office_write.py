"""The import's write step: what the reader gives (SheetRead, written by hand
here with the records an 整改台账 and a 线索台账 hold) → the real resolver →
DATA, import-report.json and review.xlsx; then the real loader and commands
on DATA.  Expected figures are counted by hand in the comments."""
from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest

from linkgraph.dataset import load_dataset
from linkgraph.errors import InputError
from loaders.office.importer import import_sheets
from loaders.office.records import (
    NonDataRow,
    OfficeRecord,
    OfficeTotal,
    Origin,
    PersonMention,
    RejectedRow,
    SheetRead,
    UnitMention,
)
from loaders.office.write import cell

D = dt.date
BOOK = "农业农村局整改台账.xlsx"
LEADS = "线索台账.xlsx"


def _o(row: int, item: int = 0, file: str = BOOK, sheet: str = "Sheet1") -> Origin:
    return Origin(file, sheet, row, item)


def rectification_sheet(done_total: float = 2) -> SheetRead:
    """Rows 1–3 title/meta/header; problem 1 over rows 4–5 (two measures: done,
    持续整改); problem 2 row 6 (open); problem 3 row 7 (done); row 8 合计."""
    s = SheetRead(BOOK, "Sheet1", "problems", (3,), 8,
                  unit=UnitMention("中共青岚县农业农村局党组落实县委第一巡察组巡察反馈意见整改台账",
                                   "title"), round_text="县委第一轮巡察")
    s.non_data += [NonDataRow(_o(1), "title", "中共青岚县农业农村局党组……整改台账"),
                   NonDataRow(_o(2), "meta", "填报单位：县农业农村局"),
                   NonDataRow(_o(3), "header", "序号|问题类型|具体问题|整改措施"),
                   NonDataRow(_o(8), "total", "合计")]
    chen = PersonMention("陈明", "陈明")
    s.records += [
        OfficeRecord("problems", "p4", _o(4), {"category": "党的建设",
                                                "description": "三会一课不规范",
                                                "found_date": D(2023, 3, 1)}, {}, ("1",)),
        OfficeRecord("measures", "m4", _o(4, 1), {"description": "建立台账", "status": "done",
                                                   "due_date": D(2023, 6, 30),
                                                   "completed_date": D(2023, 6, 1)},
                     {"owner_person_id": chen}, ("1", "1"), parent="p4"),
        OfficeRecord("measures", "m5", _o(5, 2), {"description": "形成长效机制",
                                                   "status": "ongoing"},
                     {"owner_person_id": chen}, ("1", "2"), parent="p4"),
        OfficeRecord("problems", "p6", _o(6), {"category": "作风建设",
                                                "description": "=HYPERLINK(\"x\")公车私用"},
                     {}, ("2",)),
        OfficeRecord("measures", "m6", _o(6), {"description": "清理公车", "status": "open",
                                                "due_date": D(2023, 8, 31)},
                     {"owner_person_id": PersonMention("杨光", "杨光（党组书记）",
                                                       title="党组书记")},
                     ("2", "1"), parent="p6"),
        OfficeRecord("problems", "p7", _o(7), {"category": "作风建设",
                                                "description": "超标准接待"}, {}, ("3",)),
        OfficeRecord("measures", "m7", _o(7), {"description": "退赔", "status": "done",
                                                "completed_date": D(2023, 5, 1)},
                     {}, ("3", "1"), parent="p7"),
    ]
    s.totals += [OfficeTotal(_o(8), "problems", "records", 3, "合计3个问题"),
                 OfficeTotal(_o(8), "measures", "done", done_total, f"已完成{done_total:g}项")]
    return s


def leads_sheet(rejected: bool = False) -> SheetRead:
    """Row 1 title, 2 header, 3 one lead, 4 合计 (1件1人); row 5 a lead whose
    transfer date cannot be read when ``rejected``."""
    def o(r):
        return _o(r, file=LEADS, sheet="线索")
    s = SheetRead(LEADS, "线索", "leads", (2,), 5 if rejected else 4)
    s.non_data += [NonDataRow(o(1), "title", "问题线索处置台账"),
                   NonDataRow(o(2), "header", "被反映人|单位及职务|移交时间"),
                   NonDataRow(o(4), "total", "合计1件1人")]
    s.records.append(OfficeRecord(
        "leads", "l3", o(3), {"transfer_date": D(2023, 4, 1), "disposition": "verify"},
        {"person_id": PersonMention("杨光", "县农业农村局党组书记、局长",
                                    unit=UnitMention("县农业农村局"), title="党组书记、局长"),
         "transferred_to": "县纪委监委"}, ("1",)))
    s.totals.append(OfficeTotal(o(4), "leads", "people", 1, "1件1人"))
    if rejected:
        s.rejected.append(RejectedRow(o(5), "移交时间", "2023.13.40", "不是日期"))
    return s


@pytest.fixture
def imported(tmp_path):
    out = tmp_path / "DATA"
    return import_sheets([rectification_sheet(), leads_sheet()], out)


def test_data_is_the_contract_and_validates_clean(imported, invoke):
    out = imported.out
    names = sorted(p.name for p in out.iterdir())
    assert {"units.csv", "problems.csv", "measures.csv", "leads.csv", "people.csv",
            "departments.csv", "import-report.json", "review.xlsx"} <= set(names)
    header = (out / "measures.csv").read_text("utf-8-sig").splitlines()[0].split(",")
    assert header[:2] == ["measure_id", "problem_id"]  # canonical names, schema order
    ds = load_dataset(out)
    assert ds.errors == [] and ds.warnings == []  # import's own files are not tables
    assert len(ds["problems"]) == 3 and len(ds["measures"]) == 4 and len(ds["leads"]) == 1
    assert sorted(ds["measures"]["status"]) == ["done", "done", "ongoing", "open"]
    result = invoke("validate", out)
    assert result.exit_code == 0 and "通过" in result.stderr


def test_an_analysis_runs_on_data_unchanged(imported, invoke):
    # 3 problems; p4 has done + ongoing (ongoing counts as done by default),
    # p6 open, p7 done -> 2 of 3 rectified
    r = invoke("rectification", imported.out, "--as-of", "2024-01-01", "-f", "json")
    assert r.exit_code == 0, r.output
    total = json.loads(r.stdout)["records"][-1]
    assert (total["problems"], total["rectified"]) == (3, 2)
    r = invoke("rectification", imported.out, "--as-of", "2024-01-01", "--ongoing-open",
               "-f", "json")
    assert json.loads(r.stdout)["records"][-1]["rectified"] == 1  # p7 only


def test_report_counts_every_row_read(imported):
    doc = json.loads(imported.report_path.read_text("utf-8"))
    assert doc["complete"] is True and doc["rows_rejected"] == 0
    assert doc["rows_read"] == 8 + 4
    by_sheet = {s["sheet"]: s for s in doc["sheets"]}
    book = by_sheet["Sheet1"]
    assert book["table"] == "problems"
    assert book["records"] == {"measures": 4, "problems": 3}
    assert book["non_data"] == {"header": 1, "meta": 1, "title": 1, "total": 1}
    assert book["record_rows"] == 4  # rows 4, 5, 6, 7
    for s in doc["sheets"]:
        assert s["record_rows"] + sum(s["non_data"].values()) + s["rejected_rows"] \
            + s["unaccounted_rows"] == s["rows_read"]
    assert doc["tables_written"]["measures"] == 4


def test_office_totals_and_the_convention_they_follow(imported, tmp_path):
    doc = json.loads(imported.report_path.read_text("utf-8"))
    totals = {t["text"]: t for t in doc["totals"]}
    assert totals["合计3个问题"]["matches"] is True
    # 已完成2项: done 2 (m4, m7) — so this office counts 持续整改 (m5) as not done
    assert totals["已完成2项"]["matches"] is True
    assert totals["已完成2项"]["convention"] == "ongoing_open"
    assert totals["1件1人"]["matches"] is True
    assert doc["completion"] == {"measures": 4, "done": 2, "ongoing": 1, "not_done": 1,
                                 "ongoing_done": 0.75, "ongoing_open": 0.5}
    other = import_sheets([rectification_sheet(done_total=3)], tmp_path / "other").report
    (check,) = [c for c in other.totals if c.total.what == "done"]
    assert check.matches and check.convention == "ongoing_done"  # 2 done + 1 ongoing
    wrong = import_sheets([rectification_sheet(done_total=4)], tmp_path / "wrong").report
    assert [c.total.text for c in wrong.mismatches] == ["已完成4项"]


def test_rejected_rows_make_the_import_incomplete(tmp_path, invoke):
    result = import_sheets([rectification_sheet(), leads_sheet(rejected=True)],
                           tmp_path / "DATA")
    doc = json.loads(result.report_path.read_text("utf-8"))
    assert doc["complete"] is False and doc["rows_rejected"] == 1
    assert doc["rejected"] == [{"file": LEADS, "sheet": "线索", "row": "5", "column": "移交时间",
                                "value": "2023.13.40", "reason": "不是日期"}]
    book = openpyxl.load_workbook(result.review_path)
    rows = list(book["拒收"].iter_rows(values_only=True))
    assert rows[1] == (LEADS, "线索", "5", "移交时间", "2023.13.40", "不是日期")
    # and the DATA says so to every later command
    v = json.loads(invoke("validate", result.out, "--format", "json").stdout)
    (said,) = [p for p in v["problems"] if p["file"] == "import-report.json"]
    assert said["value"] == "1" and "1 行被拒收" in said["reason"]


def test_a_sheet_matching_no_table_is_reported_not_ignored(tmp_path):
    stray = SheetRead(BOOK, "汇总", None, (), 6)
    report = import_sheets([rectification_sheet(), stray], tmp_path / "DATA").report
    assert not report.complete and report.rows_rejected == 6
    acc = next(s for s in report.sheets if s.sheet == "汇总")
    assert acc.table is None and acc.unaccounted_rows == 6


def test_reimport_gives_the_same_bytes(tmp_path):
    a = import_sheets([rectification_sheet(), leads_sheet()], tmp_path / "a").out
    b = import_sheets([rectification_sheet(), leads_sheet()], tmp_path / "b").out
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    again = import_sheets([rectification_sheet(), leads_sheet()], a).out  # over itself
    for name in names:
        assert (again / name).read_bytes() == (b / name).read_bytes(), name


def test_review_workbook_is_neutralised_and_has_the_report(imported, tmp_path):
    book = openpyxl.load_workbook(imported.review_path)
    assert book.sheetnames == ["待核对", "导入报告", "拒收", "合计核对", "写入的表"]
    report = list(book["导入报告"].iter_rows(values_only=True))
    assert report[0][:3] == ("文件", "工作表", "识别为")
    assert report[1][:5] == (BOOK, "Sheet1", "问题（problems）", "3", 8)
    review_header = next(book["待核对"].iter_rows(values_only=True))
    assert "决定（接受/拒绝）" in review_header
    # a value written as a formula reaches review.xlsx inert
    s = rectification_sheet()
    s.rejected.append(RejectedRow(_o(9), "整改时限", "=HYPERLINK(\"http://x\")", "不是日期"))
    s.rows_read = 9
    out = import_sheets([s], tmp_path / "f").out
    rows = list(openpyxl.load_workbook(out / "review.xlsx")["拒收"].iter_rows(values_only=True))
    assert rows[1][4] == "'=HYPERLINK(\"http://x\")"
    for ws in openpyxl.load_workbook(out / "review.xlsx").worksheets:
        for row in ws.iter_rows(values_only=True):
            assert not any(isinstance(v, str) and v.startswith("=") for v in row)


def test_an_import_never_writes_into_a_users_folder(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "units.csv").write_text("unit_id,name\nU1,甲\n", "utf-8")
    with pytest.raises(InputError, match="不是空的"):
        import_sheets([rectification_sheet()], mine)
    assert (mine / "units.csv").read_text("utf-8") == "unit_id,name\nU1,甲\n"


def test_cells_as_the_contract_reads_them():
    assert cell(D(2023, 6, 30)) == "2023-06-30"
    assert cell(True) == "true" and cell(False) == "false"
    assert cell(["P1", "P2"]) == "P1;P2" and cell(None) == ""
    assert cell(28600.0) == "28600" and cell(0.25) == "0.25" and cell(float("nan")) == ""


def test_a_row_the_contract_refuses_is_rejected_at_its_ledger_row(tmp_path, invoke):
    """A measure whose problem row is gone (the reader rejected it) cannot be
    in DATA: it is a rejected row of the import, at its own ledger row."""
    s = rectification_sheet()
    s.rows_read = 9
    s.records.append(OfficeRecord("measures", "m9", _o(9), {"description": "孤立措施",
                                                           "status": "open"},
                                  {}, ("9", "1"), parent="p-rejected"))
    result = import_sheets([s], tmp_path / "DATA")
    assert not result.report.complete
    (row,) = [r for r in result.report.rejected if r.origin.row == 9]
    assert row.column == "problem_id" and row.reason
    assert "孤立措施" not in (result.out / "measures.csv").read_text("utf-8-sig")
    assert invoke("validate", result.out).exit_code == 0


def test_the_written_data_is_checked_by_the_contract_loader(tmp_path):
    """Whatever the resolver hands on, DATA holds only rows the contract takes:
    a measure without a problem, and a tie to the person that row names, go."""
    from loaders.office.importer import _write_checked
    from loaders.office.records import Resolution

    res = Resolution(
        tables={"units": [{"unit_id": "U1", "name": "县财政局"}],
                "people": [{"person_id": "P1", "name": "陈明"}],
                "problems": [{"problem_id": "Q1", "unit_id": "U1", "category": "作风建设"}],
                "measures": [{"measure_id": "M1", "problem_id": "Q1", "status": "done"},
                             {"measure_id": "M2", "problem_id": None, "status": "open"}],
                "ties": [{"person_a": "P1", "person_b": None, "relation": "spouse"}]},
        origins={"units": [_o(1)], "people": [_o(2)], "problems": [_o(3)],
                 "measures": [_o(3), _o(4)], "ties": [_o(5, file="回避.xlsx")]})
    out = tmp_path / "DATA"
    out.mkdir()
    written = _write_checked(res, out)
    assert written == {"units": 1, "people": 1, "problems": 1, "measures": 1}
    assert sorted((r.origin.file, r.origin.row, r.column) for r in res.rejected) == \
        [(BOOK, 4, "problem_id"), ("回避.xlsx", 5, "person_b")]
    assert all("数据约定" in r.reason for r in res.rejected)
    assert load_dataset(out).errors == []
