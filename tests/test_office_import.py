"""``linkgraph import`` end to end: office workbooks written here with openpyxl
(title and 填报 rows, merged cells, section rows, 合计 and 填表人 rows, names
instead of codes) → the real reader, resolver and writer → DATA → the
contract loader, ``validate`` and analysis commands, all through the CLI.
Every expected figure is counted by hand in the comments."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest

RECT = "农业农村局.xlsx"
LEADS = "线索台账.xlsx"
ROSTER = "干部名册.xlsx"


def rectification_book(path: Path, *, third_status: str = "正在整改",
                       third_problem: str = "公车私用") -> Path:
    """Rows: 1 title, 2 填报, 3 header, 4 section (2个), 5–6 problem 1 over
    two measure rows (序号/问题 merged vertically), 7 problem 2, 8 section
    (1个), 9 problem 3, 10 合计 3个问题, 11 填表人/审核人.  Measures: done,
    done, 持续整改, and the third problem's status."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["中共青岚县农业农村局党组落实县委第一巡察组巡察反馈意见整改台账"])
    ws.merge_cells("A1:I1")
    ws.append(["填报单位：县农业农村局", None, None, None, "填报时间：2023年9月1日"])
    ws.append(["序号", "问题类型", "具体问题", "整改措施", "责任领导", "责任人", "整改时限",
               "整改情况", "完成时间"])
    ws.append(["一、贯彻落实党的路线方针政策方面（2个）"])
    ws.append([1, "贯彻落实", "理论学习不深入", "制定学习计划", "杨光", "陈明", "2023年6月底前",
               "已整改", "2023.6.20"])
    ws.append([None, None, None, "开展专题学习", "杨光", "陈明", "2023.7", "已完成整改",
               "2023.7.15"])
    for col in "ABC":
        ws.merge_cells(f"{col}5:{col}6")
    ws.append([2, "贯彻落实", "调查研究不够", "建立调研制度", "杨光", "陈明", "长期坚持", "持续整改"])
    ws.append(["二、作风建设方面（1个）"])
    ws.append([3, "作风建设", third_problem, "清理公车", "杨光", "赵伟", "2023.8", third_status])
    ws.append(["合计", None, "3个问题"])
    ws.append(["填表人：李娜", None, None, None, "审核人：杨光"])
    wb.save(path)
    return path


def leads_book(path: Path, *, bad_date: str | None = None, unit_for_wang: str | None = None
               ) -> Path:
    """Rows: 1 title, 2 header, 3–4 two leads (no 签字 column), 5 合计 2件2人."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "线索"
    ws.append(["县委第一巡察组移交问题线索处置台账"])
    ws.append(["序号", "被反映人", "单位及职务", "线索来源", "移交时间", "承办单位", "签收时间",
               "处置方式", "办结时间", "处理结果"])
    ws.append([1, "杨光", "县农业农村局党组书记、局长", "信访", "2023-04-01", "县纪委监委",
               "2023-04-03", "初核", "2023-07-01", "立案审查，给予党内严重警告处分"])
    ws.append([2, "王磊", unit_for_wang, "谈话", bad_date or "2023-04-05", "县纪委监委", None,
               "谈话函询", None, None])
    ws.append(["合计", "2件2人"])
    wb.save(path)
    return path


def roster_book(path: Path) -> Path:
    """Two officials named 王磊 in two units: two people."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "干部名册"
    ws.append(["青岚县科级干部名册"])
    ws.append(["序号", "姓名", "性别", "出生年月", "籍贯", "现任职务", "任现职时间"])
    ws.append([1, "杨光", "男", "1971.03", "青岚县", "县农业农村局党组书记、局长", "2020.05"])
    ws.append([2, "王磊", "男", "1980.07", "青岚县", "白沙镇党委副书记", "2021.03"])
    ws.append([3, "王磊", "男", "1975.11", "青岚县", "县农业农村局副局长", "2019.08"])
    wb.save(path)
    return path


@pytest.fixture
def ledgers(tmp_path) -> Path:
    folder = tmp_path / "台账"
    folder.mkdir()
    rectification_book(folder / RECT)
    leads_book(folder / LEADS, unit_for_wang="白沙镇党委副书记")
    roster_book(folder / ROSTER)
    return folder


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.read_text("utf-8-sig").splitlines()))


def report(data: Path) -> dict:
    return json.loads((data / "import-report.json").read_text("utf-8"))


def test_import_then_validate_and_analyse(ledgers, tmp_path, invoke):
    data = tmp_path / "data"
    result = invoke("import", ledgers, "--out", data)
    assert result.exit_code == 0, result.output + result.stderr
    assert "导入完成" in result.stderr
    assert invoke("validate", data).exit_code == 0
    # 3 problems, 4 measures; problem 1: two done measures -> rectified;
    # problem 2: 持续整改 (ongoing) -> rectified by default, not with --ongoing-open;
    # problem 3: 正在整改 -> not rectified
    r = invoke("rectification", data, "--as-of", "2024-01-01", "-f", "json")
    assert r.exit_code == 0, r.stderr
    total = json.loads(r.stdout)["records"][-1]
    assert (total["problems"], total["rectified"], total["measures"]) == (3, 2, 4)
    assert "口径：持续整改/长期坚持计为已完成" in r.stderr
    r = invoke("rectification", data, "--as-of", "2024-01-01", "--ongoing-open", "-f", "json")
    assert json.loads(r.stdout)["records"][-1]["rectified"] == 1
    # two leads to 县纪委监委; the ledger has no 签字 column: 未记录, not "2 lack one"
    r = invoke("leads", data, "--as-of", "2024-01-01", "--summary", "-f", "json")
    assert r.exit_code == 0, r.stderr
    summary = json.loads(r.stdout)["records"]
    assert summary[-1]["leads"] == 2 and summary[-1]["single_signature"] is None
    assert "未记录" in r.stderr


def test_contract_tables_hold_the_ledgers(ledgers, tmp_path, invoke):
    data = tmp_path / "data"
    assert invoke("import", ledgers, "--out", data).exit_code == 0
    measures = rows(data / "measures.csv")
    assert sorted(m["status"] for m in measures) == ["done", "done", "ongoing", "open"]
    problems = rows(data / "problems.csv")
    assert sorted(p["description"] for p in problems) == ["公车私用", "理论学习不深入",
                                                          "调查研究不够"]
    # both measures of the merged problem 1 point at it
    first = next(p["problem_id"] for p in problems if p["description"] == "理论学习不深入")
    assert sorted(m["description"] for m in measures if m["problem_id"] == first) == \
        ["制定学习计划", "开展专题学习"]
    assert next(m for m in measures if m["description"] == "制定学习计划")["due_date"] == \
        "2023-06-30"  # 2023年6月底前
    assert next(m for m in measures if m["description"] == "清理公车")["due_date"] == \
        "2023-08-31"  # 2023.8: the month's last day
    units = {u["unit_id"]: u["name"] for u in rows(data / "units.csv")}
    assert all(units[p["unit_id"]].endswith("农业农村局") for p in problems)  # from the title
    leads = rows(data / "leads.csv")
    yang = next(lead for lead in leads if lead["disposition"] == "verify")  # 初核
    assert yang["outcome"] == "sanctioned"  # 立案审查，给予…处分
    people = rows(data / "people.csv")
    assert sorted(p["name"] for p in people if p["name"] == "王磊") == ["王磊", "王磊"]
    wang = next(lead for lead in leads if lead["disposition"] == "talk")
    assert units[wang["unit_id"]].startswith(("白沙镇", "青岚县白沙镇"))


def test_report_accounts_for_every_row_read(ledgers, tmp_path, invoke):
    data = tmp_path / "data"
    assert invoke("import", ledgers, "--out", data).exit_code == 0
    doc = report(data)
    by_file = {s["file"]: s for s in doc["sheets"]}
    written = {RECT: 11, LEADS: 5, ROSTER: 5}  # rows written into each sheet above
    for name, n in written.items():
        s = by_file[name]
        assert s["rows_read"] == n, s
        assert s["record_rows"] + sum(s["non_data"].values()) + s["rejected_rows"] == n, s
        assert s["unaccounted_rows"] == 0
    rect = by_file[RECT]
    assert rect["records"] == {"measures": 4, "problems": 3}
    assert rect["non_data"].get("section") == 2 and rect["non_data"].get("total") == 1
    assert rect["non_data"].get("signature") == 1
    assert by_file[LEADS]["records"] == {"leads": 2}
    assert doc["rows_read"] == 21 and doc["complete"] is True
    # the office's own totals agree: 2个 / 1个 per section, 3个问题, 2件2人
    assert doc["totals"] and all(t["matches"] for t in doc["totals"]), doc["totals"]
    book = openpyxl.load_workbook(data / "review.xlsx")
    sheet = list(book["导入报告"].iter_rows(values_only=True))
    assert [r[4] for r in sheet[1:]] == [by_file[r[0]]["rows_read"] for r in sheet[1:]]


def test_reimport_keeps_ids_and_bytes(ledgers, tmp_path, invoke):
    a, b = tmp_path / "a", tmp_path / "b"
    assert invoke("import", ledgers, "--out", a).exit_code == 0
    assert invoke("import", ledgers, "--out", b).exit_code == 0
    assert invoke("import", ledgers, "--out", a).exit_code == 0  # again over itself
    tables = sorted(p.name for p in a.glob("*.csv"))
    assert tables == sorted(p.name for p in b.glob("*.csv"))
    for name in tables + ["review.xlsx"]:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    # edit problem 3: the other problems and measures keep their ids
    rectification_book(ledgers / RECT, third_problem="公车私用、私车公养")
    c = tmp_path / "c"
    assert invoke("import", ledgers, "--out", c).exit_code == 0
    before = {p["description"]: p["problem_id"] for p in rows(a / "problems.csv")}
    after = {p["description"]: p["problem_id"] for p in rows(c / "problems.csv")}
    for text in ("理论学习不深入", "调查研究不够"):
        assert after[text] == before[text]
    kept = {m["measure_id"] for m in rows(a / "measures.csv") if m["description"] != "清理公车"}
    assert kept <= {m["measure_id"] for m in rows(c / "measures.csv")}


def test_a_rejected_row_fails_the_import_and_says_where(ledgers, tmp_path, invoke):
    leads_book(ledgers / LEADS, bad_date="2023.13.40", unit_for_wang="白沙镇党委副书记")
    data = tmp_path / "data"
    result = invoke("import", ledgers, "--out", data)
    assert result.exit_code == 1
    assert "导入不完整" in result.stderr and "1 行被拒收" in result.stderr
    assert "import-report.json" in result.stderr
    # file, sheet, row, column, value on the screen
    line = next(ln for ln in result.stdout.splitlines() if "2023.13.40" in ln)
    assert line.split()[:5] == [LEADS, "线索", "4", "移交时间", "2023.13.40"]
    doc = report(data)
    assert doc["complete"] is False
    assert [(r["row"], r["column"]) for r in doc["rejected"]] == [("4", "移交时间")]
    # the 2件2人 total now disagrees with what was imported, and says so
    assert "合计不符" in result.stderr
    # DATA never looks complete afterwards
    v = json.loads(invoke("validate", data, "--format", "json").stdout)
    assert any(p["file"] == "import-report.json" and "被拒收" in p["reason"]
               for p in v["problems"])


def test_ambiguous_name_goes_to_review_and_decisions_are_kept(ledgers, tmp_path, invoke):
    leads_book(ledgers / LEADS)  # 王磊 without a unit, and two 王磊 in the roster
    data = tmp_path / "data"
    result = invoke("import", ledgers, "--out", data)
    assert result.exit_code == 0, result.stderr
    assert "待核对的匹配" in result.stderr
    book = openpyxl.load_workbook(data / "review.xlsx")
    ws = book["待核对"]
    header = [c.value for c in ws[1]]
    decision = header.index("决定（接受/拒绝）") + 1
    named = header.index("候选名称")
    wangs = [r for r in ws.iter_rows(min_row=2) if r[2].value == "王磊"]
    assert len(wangs) == 2  # both candidates listed, neither chosen silently
    lead = next(x for x in rows(data / "leads.csv") if x["disposition"] == "talk")
    assert lead["person_id"] == ""
    pick = next(r for r in wangs if "白沙镇" in str(r[named].value))
    chosen = pick[header.index("候选编码")].value
    ws.cell(pick[0].row, decision).value = "接受"
    decided = data / "review.xlsx"  # filled in where the import wrote it
    book.save(decided)
    assert invoke("import", ledgers, "--out", data, "--decisions", decided).exit_code == 0
    lead = next(x for x in rows(data / "leads.csv") if x["disposition"] == "talk")
    assert lead["person_id"] == chosen
    assert (data / "crosswalk.json").exists()
    # a later import without --decisions reapplies the crosswalk
    assert invoke("import", ledgers, "--out", data).exit_code == 0
    lead = next(x for x in rows(data / "leads.csv") if x["disposition"] == "talk")
    assert lead["person_id"] == chosen
    assert invoke("validate", data).exit_code == 0


def test_english_report(ledgers, tmp_path, invoke):
    result = invoke("import", ledgers, "--out", tmp_path / "data", "--lang", "en")
    assert result.exit_code == 0
    assert "imported:" in result.stderr and "rows read" in result.stdout
    assert "导入完成" not in result.stderr
    book = openpyxl.load_workbook(tmp_path / "data" / "review.xlsx")
    assert book.sheetnames[:2] == ["review", "import report"]


def test_validate_on_office_ledgers_suggests_import(ledgers, invoke):
    result = invoke("validate", ledgers)
    assert result.exit_code == 1
    assert "linkgraph import" in result.stderr and "巡察办" in result.stderr


def test_data_inside_the_ledgers_folder_is_not_read_as_a_ledger(ledgers, invoke):
    data = ledgers / "data"
    assert invoke("import", ledgers, "--out", data).exit_code == 0
    first = report(data)
    assert invoke("import", ledgers, "--out", data).exit_code == 0
    assert report(data)["rows_read"] == first["rows_read"] == 21
    assert sorted(i["path"] for i in report(data)["inputs"]) == sorted([RECT, LEADS, ROSTER])


def test_bad_sources_and_options(tmp_path, invoke, ledgers):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = invoke("import", empty, "--out", tmp_path / "d")
    assert result.exit_code == 1 and "没有找到台账文件" in result.stderr
    not_review = tmp_path / "x.xlsx"
    openpyxl.Workbook().save(not_review)
    result = invoke("import", ledgers, "--out", tmp_path / "d", "--decisions", not_review)
    assert result.exit_code == 1 and "x.xlsx" in result.stderr
    assert invoke("import", tmp_path / "missing", "--out", tmp_path / "d").exit_code == 2
    assert invoke("import", ledgers).exit_code == 2  # --out is required
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine", "utf-8")
    result = invoke("import", ledgers, "--out", mine)
    assert result.exit_code == 1 and "不是空的" in result.stderr
    assert (mine / "notes.txt").read_text("utf-8") == "mine"


STATUSES = {"已整改": "done", "已完成整改": "done", "整改完成": "done", "正在整改": "open",
            "持续整改": "ongoing", "未整改": "open", "长期坚持": "ongoing"}


def random_book(path: Path, problems: list[list[str]], sections: list[bool],
                blanks: list[bool], with_total: bool) -> None:
    """An 整改台账 with the given problems (each a list of measure statuses),
    a section row before problem i where sections[i], a blank row after it
    where blanks[i], merged 序号/问题 cells over a problem's measure rows.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["中共青岚县财政局党组落实县委第二巡察组巡察反馈意见整改台账"])
    ws.append(["序号", "问题类型", "具体问题", "整改措施", "责任人", "整改时限", "整改情况"])
    for i, statuses in enumerate(problems):
        if sections[i]:
            ws.append([f"{'一二三四五六七八'[i]}、第{i + 1}类问题方面"])
        first = ws._current_row + 1  # max_row skips a blank row at the end
        for j, status in enumerate(statuses):
            ws.append([i + 1 if j == 0 else None, "作风建设" if j == 0 else None,
                       f"问题{i + 1}的表现" if j == 0 else None, f"问题{i + 1}措施{j + 1}",
                       "陈明", f"2023.{(i + j) % 12 + 1}", status])
        if len(statuses) > 1:
            for col in "ABC":
                ws.merge_cells(f"{col}{first}:{col}{ws._current_row}")
        if blanks[i]:
            ws.append([])
    if with_total:
        ws.append(["合计", None, f"{len(problems)}个问题"])
    wb.save(path)


def test_property_no_row_lost_and_reimport_stable(tmp_path):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from loaders.office.importer import import_ledgers

    status = st.sampled_from(sorted(STATUSES))
    problem = st.lists(status, min_size=1, max_size=3)

    @settings(max_examples=10, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(problem, min_size=1, max_size=5), st.data())
    def check(problems, data):
        n = len(problems)
        sections = data.draw(st.lists(st.booleans(), min_size=n, max_size=n))
        blanks = data.draw(st.lists(st.booleans(), min_size=n, max_size=n))
        with_total = data.draw(st.booleans())
        case = tmp_path / f"case{len(list(tmp_path.iterdir()))}"
        case.mkdir()
        src = case / "财政局.xlsx"
        random_book(src, problems, sections, blanks, with_total)
        first = import_ledgers([src], case / "a").report
        assert first.complete, first.as_record()["rejected"]
        (acc,) = first.sheets
        assert acc.unaccounted_rows == 0
        assert acc.record_rows + sum(acc.non_data.values()) + acc.rejected_rows == acc.rows_read
        assert acc.records == {"measures": sum(map(len, problems)), "problems": n}
        assert first.written["problems"] == n
        measures = rows(case / "a" / "measures.csv")
        assert sorted(m["status"] for m in measures) == \
            sorted(STATUSES[s] for p in problems for s in p)
        import_ledgers([src], case / "b")
        for name in sorted(p.name for p in (case / "a").iterdir()):
            assert (case / "a" / name).read_bytes() == (case / "b" / name).read_bytes(), name

    check()
