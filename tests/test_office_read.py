"""Reading office ledgers (loaders/office/read*.py): one small hand-written
workbook per habit, with the expected records written out inline.

The workbooks are real xlsx written with openpyxl (merged cells, fills,
numbers typed the way Excel stores them) and real GBK CSV files."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.styles import PatternFill

from linkgraph.errors import InputError
from loaders.office.read import read_office
from loaders.office.records import SheetRead, UnitMention

D = dt.date


def book(path: Path, sheets: dict[str, list[list[object]]], merges: dict[str, list[str]] | None = None,
         fills: dict[str, dict[str, str]] | None = None) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
        for cell, rgb in (fills or {}).get(name, {}).items():
            ws[cell].fill = PatternFill("solid", fgColor=rgb)
    wb.save(path)
    return path


def accounted_once(sheet: SheetRead) -> None:
    """Every row 1..rows_read is in exactly one of records / non-data / rejected."""
    rec = {r.origin.row for r in sheet.records}
    non = [r.origin.row for r in sheet.non_data]
    rej = [r.origin.row for r in sheet.rejected]
    assert len(non) == len(set(non)) and len(rej) == len(set(rej))
    assert not (rec & set(non)) and not (rec & set(rej)) and not (set(non) & set(rej))
    assert sheet.rows_accounted() == set(range(1, sheet.rows_read + 1))


def by_table(sheet: SheetRead, table: str):
    return [r for r in sheet.records if r.table == table]


def kinds(sheet: SheetRead) -> dict[int, str]:
    return {r.origin.row: r.kind for r in sheet.non_data}


# --- the combined 整改台账 -----------------------------------------------------

TITLE = "中共青岚县农业农村局党组落实县委第一巡察组巡察反馈意见整改台账"


def rectification_book(tmp_path: Path) -> Path:
    rows = [
        [TITLE],
        ["填报单位（盖章）：县农业农村局党组", None, None, None, None, None, "填报时间：2023年7月10日"],
        ["序号", "巡察反馈问题", None, "整改措施", "责任领导", "责任股室/单位", "责任人", "整改时限",
         "整改情况", "完成时间"],
        [None, "问题类型", "具体问题"],
        ["一、贯彻落实党中央重大决策部署方面（2个）"],
        [1, "政治建设", "学习贯彻不深入", "（1）建立学习制度；（2）开展专题研讨", "杨光", "办公室",
         "陈明、赵伟", "2023年6月底前", "已整改", "2023年6月20日"],
        [None, None, None, "建立台账", None, "办公室", "陈明", "长期坚持", "持续整改", None],
        [2, "同上", "落实不到位", "整改一项", "杨光", "办公室", "赵伟", 2023.8, "正在整改", None],
        [],
        ["（二）党的建设缺失方面"],
        [1, None, "三会一课不规范", "规范三会一课", "杨光", "党建办", "李四", "立行立改",
         "已整改，长期坚持", "2023年6月12日"],
        ["合计", None, "共3个问题"],
        ["填表人：张三", None, None, "审核人：李四"],
    ]
    merges = ["A1:J1", "B3:C3", *(f"{c}3:{c}4" for c in "ADEFGHIJ"), "A5:J5", "A6:A7", "B6:B7",
              "C6:C7", "A10:J10"]
    return book(tmp_path / "整改台账.xlsx", {"农业农村局": rows}, {"农业农村局": merges})


def test_combined_ledger_gives_problems_and_measures(tmp_path):
    (sheet,) = read_office([rectification_book(tmp_path)])
    accounted_once(sheet)
    assert (sheet.table, sheet.header_rows, sheet.rows_read) == ("measures", (3, 4), 13)
    assert sheet.unit == UnitMention("中共青岚县农业农村局党组", "title")
    assert sheet.round_text == "县委第一巡察组"
    assert kinds(sheet) == {1: "title", 2: "meta", 3: "header", 4: "header", 5: "section",
                            9: "blank", 10: "section", 12: "total", 13: "signature"}
    problems = by_table(sheet, "problems")
    assert [(p.origin.label, p.values["category"], p.values["description"], p.values.get("focus"))
            for p in problems] == [
        ("6", "政治建设", "学习贯彻不深入", "贯彻落实党中央重大决策部署"),
        ("8", "政治建设", "落实不到位", "贯彻落实党中央重大决策部署"),   # 同上 → the row above
        # category from the innermost section; the level-1 section above it is the focus
        ("11", "党的建设缺失", "三会一课不规范", "贯彻落实党中央重大决策部署"),
    ]
    assert problems[0].refs["unit_id"] == UnitMention("中共青岚县农业农村局党组", "title")
    assert problems[2].values.get("immediate") is True  # 立行立改 as its deadline
    measures = by_table(sheet, "measures")
    got = [(m.origin.label, m.values["description"], m.values["due_date"], m.values["status"],
            m.parent == problems[0].local if m.origin.row < 8 else None) for m in measures[:3]]
    assert got == [
        ("6-1", "建立学习制度", D(2023, 6, 30), "done", True),
        ("6-2", "开展专题研讨", D(2023, 6, 30), "done", True),
        ("7", "建立台账", None, "ongoing", True),  # 长期坚持 is a flag, not a date
    ]
    assert measures[0].values["completed_date"] == D(2023, 6, 20)
    assert measures[0].refs["owner_person_id"].name == "陈明"
    assert measures[0].refs["owner_dept_id"] == UnitMention("办公室")
    assert any("赵伟" in n for n in measures[0].notes)
    assert measures[3].parent == problems[1].local
    assert (measures[3].values["due_date"], measures[3].values["status"]) == (D(2023, 8, 31), "open")
    assert any("长期坚持" in n for n in measures[2].notes)
    assert sheet.rejected == []
    assert by_table(sheet, "measures")[4].values["status"] == "ongoing"  # 已整改，长期坚持
    totals = {(t.what, t.value) for t in sheet.totals}
    assert ("section:贯彻落实党中央重大决策部署", 2.0) in totals and ("items", 3.0) in totals


def test_section_count_keys_and_stable_rereads(tmp_path):
    path = rectification_book(tmp_path)
    first = read_office([path])[0]
    again = read_office([path])[0]
    assert [(r.local, r.key, r.values) for r in first.records] == [
        (r.local, r.key, r.values) for r in again.records]
    # 序号 restarts in each section: the key carries the section, so keys stay unique
    keys = [p.key for p in by_table(first, "problems")]
    assert len(set(keys)) == len(keys)
    assert keys[0] == ("贯彻落实党中央重大决策部署", "1")


def test_yearless_date_takes_the_rows_year(tmp_path):
    rows = [["序号", "具体问题", "整改措施", "整改时限", "整改情况", "完成时间"],
            [1, "问题一", "措施一", "2023年9月底前", "已整改", "6月12日"]]
    (sheet,) = read_office([book(tmp_path / "a.xlsx", {"Sheet1": rows})])
    # no category column and no section: the problem cannot be read
    assert sheet.rejected and sheet.rejected[0].column == "问题类型"
    rows[0].insert(1, "问题类别")
    rows[1].insert(1, "作风建设")
    (sheet,) = read_office([book(tmp_path / "b.xlsx", {"Sheet1": rows})])
    (m,) = by_table(sheet, "measures")
    assert m.values["completed_date"] == D(2023, 6, 12)
    assert any("2023" in n and "年份" in n for n in m.notes)
    accounted_once(sheet)


def test_header_lower_down_other_words_and_extra_columns(tmp_path):
    rows = [
        ["白沙镇党委关于县委第二巡察组反馈意见整改情况台账"],
        [],
        ["填报单位：白沙镇党委"],
        ["统计截止时间：2023年12月31日"],
        ["编号", "问题类别", "存在问题", "整改举措", "牵头领导", "责任部门", "完成时限", "进展情况",
         "备注", "联系人电话"],
        ["1", "作风建设", "违规发放津贴", "清退津贴", "王磊", "财政所", "2023.10.31", "已完成整改",
         "无", "138"],
        ["2", "作风建设", "公车私用", "建立公车台账", "王磊", "党政办", "2023年12月底", "整改中", None,
         None],
    ]
    (sheet,) = read_office([book(tmp_path / "x.xlsx", {"Sheet1": rows})])
    accounted_once(sheet)
    assert (sheet.table, sheet.header_rows) == ("measures", (5,))
    assert sheet.unit == UnitMention("白沙镇党委", "title")
    assert kinds(sheet)[3] == "meta" and kinds(sheet)[4] == "meta" and kinds(sheet)[2] == "blank"
    measures = by_table(sheet, "measures")
    assert [(m.values["due_date"], m.values["status"]) for m in measures] == [
        (D(2023, 10, 31), "done"), (D(2023, 12, 31), "open")]
    # no 责任人 column: the 牵头领导 is the owner
    assert measures[0].refs["owner_person_id"].name == "王磊"


def test_unmerged_continuation_rows_and_repeated_problem_cells(tmp_path):
    rows = [
        ["序号", "问题类型", "具体问题", "整改措施", "整改情况"],
        [1, "三资管理", "集体资产台账不全", "清查资产", "已整改"],
        [None, None, None, "建立台账", "正在整改"],           # blank problem cells: same problem
        [2, "三资管理", "合同管理混乱", "清理合同", "已整改"],
        [2, "三资管理", "合同管理混乱", "规范签订", "已整改"],  # cells repeated instead of merged
        [3, "三资管理", "合同管理混乱", "另一问题同文", "未整改"],  # a new 序号: a new problem
    ]
    (sheet,) = read_office([book(tmp_path / "c.xlsx", {"白沙镇": rows})])
    accounted_once(sheet)
    problems = by_table(sheet, "problems")
    assert [p.origin.row for p in problems] == [2, 4, 6]
    parents = [next(p.origin.row for p in problems if p.local == m.parent)
               for m in by_table(sheet, "measures")]
    assert parents == [2, 2, 4, 4, 6]
    assert sheet.unit == UnitMention("白沙镇", "sheet")  # named only by the sheet


def test_first_measure_rejected_keeps_the_problem_on_the_next_row(tmp_path):
    rows = [["序号", "问题类型", "具体问题", "整改措施", "整改时限", "整改情况"],
            [1, "选人用人", "档案不全", "补齐档案", 2023.1, "已整改"],
            [None, None, None, "专项审核", "2023年10月底前", "已整改"]]
    merges = {"S": ["A2:A3", "B2:B3", "C2:C3"]}
    (sheet,) = read_office([book(tmp_path / "d.xlsx", {"S": rows}, merges)])
    accounted_once(sheet)
    assert [(r.origin.row, r.column, r.value) for r in sheet.rejected] == [(2, "整改时限", "2023.1")]
    (p,) = by_table(sheet, "problems")
    (m,) = by_table(sheet, "measures")
    assert p.origin.row == 3 and m.parent == p.local and p.values["description"] == "档案不全"


def test_status_by_fill_colour_with_a_legend(tmp_path):
    rows = [["序号", "问题类型", "具体问题", "整改措施", "整改情况"],
            [1, "党的建设", "问题甲", "措施甲", None],
            [2, "党的建设", "问题乙", "措施乙", None],
            [3, "党的建设", "问题丙", "措施丙", "已整改"],
            [4, "党的建设", "问题丁", "措施丁", None],
            ["注：红色表示未整改，黄色表示正在整改，绿色表示已完成整改"]]
    fills = {"S": {"E2": "FFFF0000", "E3": "FF00B050", "D4": "FFFF0000"}}
    (sheet,) = read_office([book(tmp_path / "e.xlsx", {"S": rows}, {"S": ["A6:E6"]}, fills)])
    accounted_once(sheet)
    statuses = [m.values.get("status") for m in by_table(sheet, "measures")]
    # the written word wins over the colour; no colour and no word → no status
    assert statuses == ["open", "done", "done", None]
    assert kinds(sheet)[6] == "legend"
    assert any("颜色" in n for n in by_table(sheet, "measures")[0].notes)


def test_fill_colours_read_from_the_stylesheet(tmp_path):
    """Each way a workbook states a fill: RGB, the indexed palette (13 is
    FFFF00), a theme colour (no RGB: no word), a fill with no pattern, a
    grey pattern; and one sheet of two, by name."""
    from openpyxl.styles.colors import Color

    from loaders.office.readfills import sheet_fills

    wb = openpyxl.Workbook()
    first = wb.active
    first.title = "其他"
    first["A1"].fill = PatternFill("solid", fgColor="FF0000FF")
    ws = wb.create_sheet("台账")
    ws["B2"] = "甲"
    ws["B2"].fill = PatternFill("solid", fgColor="FFFF0000")
    ws["C3"].fill = PatternFill("solid", fgColor=Color(indexed=13))
    ws["D4"].fill = PatternFill("solid", fgColor=Color(theme=5))
    ws["E5"].fill = PatternFill(None, fgColor="FFFF0000")
    ws["AA7"].fill = PatternFill("gray125", fgColor="FF00B050")
    wb.save(tmp_path / "f.xlsx")
    fills = sheet_fills(str(tmp_path / "f.xlsx"), "台账", "f.xlsx")
    assert fills == {(1, 1): "red", (2, 2): "yellow", (6, 26): "green"}
    assert sheet_fills(str(tmp_path / "f.xlsx"), "其他", "f.xlsx") == {(0, 0): "blue"}


def test_excel_numbers_typed_as_year_month(tmp_path):
    rows = [["序号", "问题类型", "具体问题", "整改措施", "整改时限", "整改情况"],
            [1, "作风", "甲", "措施", 2019.12, "已整改"],
            [2, "作风", "乙", "措施", 2019.1, "已整改"],   # 2019.10 as Excel stores it
            [3, "作风", "丙", "措施", "2019.1", "已整改"]]  # typed as text: January
    (sheet,) = read_office([book(tmp_path / "f.xlsx", {"S": rows})])
    accounted_once(sheet)
    dues = {m.origin.row: m.values["due_date"] for m in by_table(sheet, "measures")}
    assert dues == {2: D(2019, 12, 31), 4: D(2019, 1, 31)}
    (bad,) = sheet.rejected
    assert (bad.origin.row, bad.column, bad.value) == (3, "整改时限", "2019.1")
    assert "2019年1月" in bad.reason and "2019.10" in bad.reason


def test_csv_month_deadlines_as_typed_where_the_column_shows_it(tmp_path):
    """A CSV cannot tell 2023.1 typed from 2023.10 printed by Excel — unless its
    column also holds 2022.10, which no number prints: then 2023.1 is January."""
    head = "序号,问题类型,具体问题,整改措施,整改时限,整改情况\n"
    typed = head + "1,作风,甲,措施,2022.10,已整改\n2,作风,乙,措施,2023.1,已整改\n"
    unknown = head + "1,作风,甲,措施,2022.12,已整改\n2,作风,乙,措施,2023.1,已整改\n"
    (tmp_path / "a.csv").write_bytes(typed.encode("gbk"))
    (tmp_path / "b.csv").write_bytes(unknown.encode("gbk"))
    a, b = read_office([tmp_path / "a.csv", tmp_path / "b.csv"])
    accounted_once(a)
    assert [m.values["due_date"] for m in by_table(a, "measures")] == [D(2022, 10, 31),
                                                                       D(2023, 1, 31)]
    assert [(r.origin.row, r.value) for r in b.rejected] == [(3, "2023.1")]


# --- 线索台账 -----------------------------------------------------------------


def test_lead_ledger_words_for_deadline_and_signatures(tmp_path):
    """办理时限 is the due date, 签字确认 the signatures (both as offices head them)."""
    rows = [["序号", "被反映人", "单位及职务", "问题线索摘要", "移交时间", "承办单位", "办理时限", "处置方式",
             "签字确认"],
            [1, "王磊", "县农业农村局局长", "违规发放补贴", "2023-05-06", "县纪委监委", "2023-08-06",
             "初核", "张三、李四"]]
    (sheet,) = read_office([book(tmp_path / "线索台账.xlsx", {"Sheet1": rows})])
    accounted_once(sheet)
    [lead] = by_table(sheet, "leads")
    assert lead.values["due_date"] == dt.date(2023, 8, 6)
    assert tuple(lead.values["signed_by"]) == ("张三", "李四")
    assert not [n for n in sheet.notes if "办理时限" in n or "签字确认" in n]


def test_leads_ledger(tmp_path):
    rows = [
        ["县委巡察办移交问题线索处置台账（共移交问题线索3件4人）"],
        ["序号", "被反映人", "单位及职务", "线索来源", "主要问题", "移交时间", "承办单位", "签收时间",
         "处置方式", "办结时间", "处理结果"],
        [1, "陈明、赵伟", "白沙镇党委副书记、镇长", "信访", "违规收受礼金", dt.datetime(2023, 5, 6),
         "县纪委监委第一纪检监察室", "2023年5月8日", "初核", "2023.9.30",
         "立案审查，给予党内严重警告处分"],
        [2, "王磊", "县农业农村局党组书记、局长", "巡察", "违规发放补贴", "2023-05-06", "县纪委监委",
         "5月9日", "谈话函询", None, "予以了结"],
        [3, "李娜", "青岚县财政局会计", "审计", "挪用公款", "2023/05/06", "县纪委监委", None, "立案审查",
         None, "移送检察机关"],
        ["合计", "3件4人"],
    ]
    (sheet,) = read_office([book(tmp_path / "02_巡察移交问题线索处置台账.xlsx", {"Sheet1": rows})])
    accounted_once(sheet)
    assert sheet.table == "leads" and sheet.unit is None
    leads = by_table(sheet, "leads")
    assert [lead.origin.label for lead in leads] == ["3-1", "3-2", "4", "5"]
    first = leads[0]
    assert first.refs["person_id"].name == "陈明" and leads[1].refs["person_id"].name == "赵伟"
    assert first.refs["person_id"].unit == UnitMention("白沙镇")
    assert first.refs["person_id"].title == "党委副书记、镇长"
    assert first.refs["transferred_to"] == UnitMention("县纪委监委第一纪检监察室")
    assert first.values == {"transfer_date": D(2023, 5, 6), "received_date": D(2023, 5, 8),
                            "closed_date": D(2023, 9, 30), "disposition": "verify",
                            "outcome": "sanctioned", "source": "信访"}
    assert "signed_by" not in first.values  # no 签字 column: not recorded, not "unsigned"
    assert leads[2].values["received_date"] == D(2023, 5, 9)  # year from the row's 移交时间
    assert (leads[2].values["disposition"], leads[2].values["outcome"]) == ("talk", None)
    assert leads[3].values["outcome"] == "judicial"
    assert leads[2].refs["person_id"].unit == UnitMention("县农业农村局")
    totals = {(t.what, t.value) for t in sheet.totals}
    assert {("items", 3.0), ("people", 4.0)} <= totals


def test_gbk_csv_with_a_title_line(tmp_path):
    text = ("白沙镇问题线索台账\n"
            "序号,被反映人,单位及职务,移交时间,承办单位,处置方式,签字\n"
            "1,张伟,白沙镇人民政府副镇长,2023.6.1,县纪委监委,初步核实,刘洋、陈静\n"
            "2,同上,同上,2023.6.1,县纪委监委,暂存待查,\n"
            "填表人：刘洋\n")
    path = tmp_path / "线索.csv"
    path.write_bytes(text.encode("gbk"))
    (sheet,) = read_office([path])
    accounted_once(sheet)
    assert (sheet.table, sheet.header_rows) == ("leads", (2,))
    leads = by_table(sheet, "leads")
    assert [lead.refs["person_id"].name for lead in leads] == ["张伟", "张伟"]
    assert leads[0].values["signed_by"] == ("刘洋", "陈静")
    assert leads[1].values["signed_by"] == ()  # the column exists and is empty: unsigned
    assert leads[1].refs["person_id"].unit == UnitMention("白沙镇人民政府")
    assert kinds(sheet)[5] == "signature"


# --- 干部名册, 回避申报, 审计 --------------------------------------------------


def test_roster_people_posts_and_top_leaders(tmp_path):
    rows = [["青岚县科级干部名册"],
            ["序号", "姓名", "性别", "出生年月", "籍贯", "现任职务", "任现职时间"],
            [1, "杨光", "男", "1971.03", "青岚县", "县农业农村局党组书记、局长", "2019.06"],
            [2, "王磊", "男", 1980.11, "白沙镇", "白沙镇党委副书记、镇长", "2021年3月"],
            [3, "李娜", "女", 1985.1, "青岚县", "县纪委监委第一纪检监察室主任", None],
            [4, "赵敏", "女", "1976年5月", "青岚县", "白沙镇纪委书记", None]]
    (sheet,) = read_office([book(tmp_path / "干部名册.xlsx", {"名册": rows})])
    accounted_once(sheet)
    assert sheet.table == "people"
    people = by_table(sheet, "people")
    assert [(p.values["name"], p.refs["person_id"].birth, p.values["birth_year"]) for p in people] == [
        ("杨光", "1971.03", 1971), ("王磊", "1980.11", 1980), ("李娜", "1985", 1985),
        ("赵敏", "1976.05", 1976)]
    posts = by_table(sheet, "posts")
    assert [(p.refs["unit_id"].text, p.values["title"], p.values["is_top_leader"]) for p in posts] == [
        ("县农业农村局", "党组书记、局长", True), ("白沙镇", "党委副书记、镇长", False),
        ("县纪委监委第一纪检监察室", "主任", False), ("白沙镇", "纪委书记", False)]
    assert posts[0].values["start"] == D(2019, 6, 1)
    assert all(post.parent == person.local for post, person in zip(posts, people))


def test_recusal_declarations_become_ties(tmp_path):
    rows = [["序号", "巡察干部", "关系人姓名", "与本人关系", "工作单位及职务"],
            [1, "刘洋", "刘强", "哥哥", "白沙镇人民政府副镇长"],
            [2, None, "孙丽", "大学同学", "县农业农村局办公室主任"],
            [3, "陈静", "周涛", "表弟", "县财政局会计"],
            [4, "陈静", "吴军", "干亲", "县教育局职工"]]
    (sheet,) = read_office([book(tmp_path / "回避申报.xlsx", {"Sheet1": rows})])
    accounted_once(sheet)
    ties = by_table(sheet, "ties")
    assert [(t.refs["person_a"].name, t.refs["person_b"].name, t.values["relation"]) for t in ties] == [
        ("刘洋", "刘强", "sibling"), ("刘洋", "孙丽", "classmate"), ("陈静", "周涛", "collateral"),
        ("陈静", "吴军", "other")]
    assert ties[0].refs["person_b"].unit == UnitMention("白沙镇人民政府")
    assert any("干亲" in n for n in ties[3].notes)


def test_a_ties_register_names_each_persons_own_unit(tmp_path):
    """社会关系: a 工作单位及职务 column after each name is that person's."""
    rows = [["序号", "姓名", "工作单位及职务", "关系人姓名", "与本人关系", "关系人工作单位及职务"],
            [1, "刘洋", "县财政局副局长", "刘强", "哥哥", "白沙镇石桥村村党支部书记"],
            [2, "陈静", "县教育局职工", "周芳", "爱人", "无"]]
    (sheet,) = read_office([book(tmp_path / "社会关系.xlsx", {"社会关系": rows})])
    accounted_once(sheet)
    a, b = by_table(sheet, "ties")
    assert (a.refs["person_a"].unit, a.refs["person_a"].title) == (UnitMention("县财政局"), "副局长")
    assert (a.refs["person_b"].unit, a.refs["person_b"].title) == (
        UnitMention("白沙镇石桥村"), "村党支部书记")
    assert b.refs["person_a"].unit == UnitMention("县教育局")
    assert b.refs["person_b"].unit is None and b.refs["person_b"].no_post
    assert not a.refs["person_b"].no_post


def test_audit_amounts_in_wan_yuan(tmp_path):
    rows = [["序号", "被审计单位", "审计发现问题", "问题类别", "涉及金额（万元）", "审计时间"],
            [1, "白沙镇人民政府", "超标准列支招待费", "八项规定", 12.5, "2022年10月"],
            [2, "白沙镇人民政府", "少缴税费", "财务管理", "2860元", "2022年10月"],
            ["合计", None, None, None, 12.786, None]]
    (sheet,) = read_office([book(tmp_path / "审计.xlsx", {"审计发现": rows})])
    accounted_once(sheet)
    audits = by_table(sheet, "audits")
    assert [a.values["amount"] for a in audits] == [125000.0, 2860.0]
    assert audits[0].refs["unit_id"] == UnitMention("白沙镇人民政府")
    assert audits[0].values["audit_date"] == D(2022, 10, 1)
    assert ("amount", 127860.0) in {(t.what, t.value) for t in sheet.totals}


# --- files, folders, sheets ----------------------------------------------------


def test_folder_every_sheet_and_unmatched_sheets_reported(tmp_path):
    folder = tmp_path / "ledgers"
    folder.mkdir()
    rectification_book(folder)
    book(folder / "其他.xlsx", {"说明": [["本表说明"], ["无"]], "Sheet2": [],
                                "2024年": [["序号", "具体问题", "问题类型"], [1, "问题", "作风"]]})
    (folder / "~$整改台账.xlsx").write_bytes(b"lock")
    sheets = read_office([folder])
    assert [(s.file, s.sheet, s.table) for s in sheets] == [
        ("其他.xlsx", "说明", None), ("其他.xlsx", "Sheet2", None), ("其他.xlsx", "2024年", "problems"),
        ("整改台账.xlsx", "农业农村局", "measures")]
    unmatched = sheets[0]
    assert unmatched.notes and unmatched.rows_read == 2
    for s in sheets:
        accounted_once(s)
    # a file and a folder together; the same file twice is read once
    again = read_office([folder / "其他.xlsx", folder, folder / "其他.xlsx"])
    assert len(again) == 4
    # files in subfolders are named by their path inside the folder given, so two
    # ledgers with one file name in two round folders stay apart
    for round_ in ("第一轮", "第二轮"):
        (folder / round_).mkdir()
        rectification_book(folder / round_)
    names = sorted({s.file for s in read_office([folder])})
    assert names == ["其他.xlsx", "整改台账.xlsx", "第一轮/整改台账.xlsx", "第二轮/整改台账.xlsx"]
    locals_ = [r.local for s in read_office([folder]) for r in s.records]
    assert len(locals_) == len(set(locals_))


def test_missing_and_unreadable_sources_name_the_file(tmp_path):
    with pytest.raises(InputError, match="nope.xlsx"):
        read_office([tmp_path / "nope.xlsx"])
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(InputError, match="bad.xlsx"):
        read_office([bad])
    other = tmp_path / "notes.docx"
    other.write_bytes(b"x")
    with pytest.raises(InputError, match="notes.docx"):
        read_office([other])


# --- no row lost (property) --------------------------------------------------

_ROW_KINDS = st.sampled_from(["data", "data", "data", "blank", "section", "total", "signature",
                              "note", "ditto", "continuation", "bad_status", "empty_problem"])


def _row(kind: str, i: int) -> list[object]:
    return {
        "data": [i, "作风建设", f"问题{i}", f"措施{i}", "2023年6月底前", "已整改"],
        "blank": [],
        "section": [f"{'一二三四五'[i % 5]}、作风建设方面（{i}个）"],
        "total": ["合计", None, f"共{i}个问题"],
        "signature": [f"填表人：张{i}"],
        "note": [f"注：本表第{i}项为示例"],
        "ditto": [i, "同上", f"问题{i}", "同上", "同上", "正在整改"],
        "continuation": [None, None, None, f"补充措施{i}", "长期坚持", "持续整改"],
        "bad_status": [i, "作风建设", f"问题{i}", f"措施{i}", "2023.1", "很好"],
        "empty_problem": [i, "作风建设", None, None, None, None],
    }[kind]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kinds_=st.lists(_ROW_KINDS, max_size=25), title=st.integers(0, 3), tmp=st.integers())
def test_every_row_is_accounted_for_once(tmp_path, kinds_, title, tmp):
    rows: list[list[object]] = [[f"标题{i}"] for i in range(title)]
    rows.append(["序号", "问题类型", "具体问题", "整改措施", "整改时限", "整改情况"])
    rows += [_row(k, i) for i, k in enumerate(kinds_, 1)]
    path = book(tmp_path / f"p{abs(tmp)}.xlsx", {"S": rows})
    (sheet,) = read_office([path])
    accounted_once(sheet)
    written = len(rows)
    while written and not any(v is not None for v in rows[written - 1]):
        written -= 1
    assert sheet.rows_read == written


# --- layout details -------------------------------------------------------------

@pytest.mark.parametrize(("title", "unit"), [
    (TITLE, "中共青岚县农业农村局党组"),
    ("白沙镇党委关于县委第二巡察组反馈意见整改情况台账", "白沙镇党委"),
    ("县委第一巡察组巡察县农业农村局党组反馈问题清单", "县农业农村局党组"),
    ("中共白沙镇委员会落实十四届县委第三轮巡察反馈意见整改台账", "中共白沙镇委员会"),
    ("2023年青岚县教育局巡察反馈问题整改清单", "青岚县教育局"),
    ("关于县委第一巡察组反馈问题整改落实情况台账", None),
    ("县委巡察办移交问题线索处置台账", None),
    # the office that keeps the ledger is not the unit it is about
    ("青岚县委巡察办移交问题线索处置台账", None),
    ("中共青岚县委巡察工作领导小组办公室问题线索移交台账", None),
    ("青岚县委第一巡察组移交问题线索台账", None),
])
def test_the_unit_a_title_names(title, unit):
    from loaders.office.readlayout import title_unit

    assert title_unit(title) == unit


def test_a_leads_unit_is_the_persons_own_before_the_sheets(tmp_path):
    rows = [
        ["青岚县委巡察办移交问题线索处置台账"],
        ["序号", "被反映人", "主要问题", "移交时间", "承办单位", "处置方式"],
        [1, "王磊 县农业农村局局长", "违规发放补贴", "2023-05-06", "县纪委监委", "谈话函询"],
        [2, "陈明（白沙镇党委副书记）", "违规收受礼金", "2023-05-06", "县纪委监委", "初核"],
    ]
    (sheet,) = read_office([book(tmp_path / "线索.xlsx", {"Sheet1": rows})])
    accounted_once(sheet)
    assert sheet.unit is None  # the title names the office keeping the ledger
    first, second = by_table(sheet, "leads")
    assert (first.refs["person_id"].name, first.refs["person_id"].title) == ("王磊", "局长")
    assert first.refs["unit_id"] == UnitMention("县农业农村局")
    assert second.refs["unit_id"] == UnitMention("白沙镇")


def test_section_habits_and_status_sentences(tmp_path):
    rows = [["序号", "问题类型", "具体问题", "整改措施", "整改情况"],
            ["一", None, "党的领导弱化方面", None, None],          # number under 序号, name beside
            [1, None, "问题甲", "措施甲", "制定了《学习制度》并印发"],  # says what, not whether
            [None, "选人用人", None, None, None],                 # a category written once
            [1, None, "问题乙", "措施乙", "已整改"],
            ["二、作风建设方面（共1个）"],
            [1, "作风建设", "问题丙", "措施丙", "已整改，持续推进"]]
    (sheet,) = read_office([book(tmp_path / "g.xlsx", {"S": rows})])
    accounted_once(sheet)
    assert {r: k for r, k in kinds(sheet).items() if k == "section"} == {2: "section", 4: "section",
                                                                          6: "section"}
    problems = by_table(sheet, "problems")
    assert [p.values["category"] for p in problems] == ["党的领导弱化", "选人用人", "作风建设"]
    measures = by_table(sheet, "measures")
    assert [m.values["status"] for m in measures] == [None, "done", "ongoing"]
    assert any("未写明" in n for n in measures[0].notes)
    assert ("section:作风建设", 1.0) in {(t.what, t.value) for t in sheet.totals}


def test_status_by_marks_under_a_grouped_header(tmp_path):
    rows = [["序号", "问题类型", "具体问题", "整改措施", "整改情况", None, None],
            [None, None, None, None, "已完成", "正在整改", "未完成"],
            [1, "作风", "问题甲", "措施甲", "√", None, None],
            [2, "作风", "问题乙", "措施乙", None, "√", None],
            [3, "作风", "问题丙", "措施丙", None, None, None],
            [4, "作风", "问题丁", "措施丁", "√", None, "√"]]
    merges = {"S": ["E1:G1", *(f"{c}1:{c}2" for c in "ABCD")]}
    (sheet,) = read_office([book(tmp_path / "h.xlsx", {"S": rows}, merges)])
    accounted_once(sheet)
    assert sheet.header_rows == (1, 2)
    assert [m.values["status"] for m in by_table(sheet, "measures")] == ["done", "open", None]
    (bad,) = sheet.rejected
    assert bad.origin.row == 6 and "整改情况/已完成" in bad.column


def test_dual_signature_columns(tmp_path):
    rows = [["序号", "被反映人", "移交时间", "承办单位", "签字", None],
            [None, None, None, None, "纪检监察室", "巡察组"],
            [1, "张伟", "2023-06-01", "县纪委监委", "刘洋", "√"],
            [2, "李娜", "2023-06-01", "县纪委监委", None, "陈静"],
            [3, "王磊", "2023-06-01", "县纪委监委", "否", None]]
    merges = {"S": ["E1:F1", *(f"{c}1:{c}2" for c in "ABCD")]}
    (sheet,) = read_office([book(tmp_path / "i.xlsx", {"S": rows}, merges)])
    accounted_once(sheet)
    signed = [lead.values["signed_by"] for lead in by_table(sheet, "leads")]
    assert signed == [("纪检监察室：刘洋", "巡察组（已签）"), ("巡察组：陈静",), ()]


def test_cells_the_file_lost_reject_their_row(tmp_path):
    rows = [["序号", "问题类型", "具体问题", "整改措施", "整改情况", "涉及金额"],
            [1, "作风", "问题甲", "措施甲", "已整改", "=SUM(1,2)"],   # a formula saved without a value
            [2, "作风", "问题乙", "措施乙", "已整改", 123456789012345678]]
    (sheet,) = read_office([book(tmp_path / "j.xlsx", {"S": rows})])
    accounted_once(sheet)
    assert [(r.origin.row, r.column) for r in sheet.rejected] == [(2, "涉及金额"), (3, "涉及金额")]
    assert "=SUM(1,2)" in sheet.rejected[0].value and "公式" in sheet.rejected[0].reason
    assert "15" in sheet.rejected[1].reason


def test_csv_quoted_cell_over_lines_and_an_unterminated_quote(tmp_path):
    """Rows are numbered as Excel/WPS shows a CSV (one row per record)."""
    text = ('序号,被反映人,移交时间,承办单位,主要问题\n'
            '1,张伟,2023-06-01,县纪委监委,"违规收受礼金\n多次"\n'
            '2,李娜,2023-06-01,县纪委监委,"未闭合的引号\n'
            '3,王磊,2023-06-01,县纪委监委,挪用公款\n')
    path = tmp_path / "q.csv"
    path.write_bytes(text.encode("gb18030"))
    (sheet,) = read_office([path])
    accounted_once(sheet)
    # rows as Excel shows the file: the cell over two lines is one cell of row 2
    assert sheet.rows_read == 4
    leads = by_table(sheet, "leads")
    assert [lead.refs["person_id"].name for lead in leads][:1] == ["张伟"]
    assert "王磊" in [lead.refs["person_id"].name for lead in leads]  # not swallowed
    assert [r.origin.row for r in sheet.rejected] == [3]
    assert "引号" in sheet.rejected[0].reason or "quote" in sheet.rejected[0].reason


def test_roster_with_a_work_history(tmp_path):
    rows = [["干部名册（县直单位）"],
            ["序号", "姓名", "性别", "出生年月", "现任职务", "任现职时间", "工作简历", "备注"],
            [1, "朱芳", "女", "1971年7月", "原区商务局股长", "2018.05.15",
             "2006.07.31—2018.03.30 昌峰区纪委监委书记、监委主任；\n2018.05.15—2024.01.06 区商务局股长",
             "曾任主要负责人（书记、监委主任）"],
            [2, "韩宇波", "男", "1970.11", "昌峰区人民政府办公室副主任", "2023.01.22",
             "2014.02.16—2018.01.22 昌峰区农业农村局办公室主任；\n2023.01.22— 昌峰区人民政府办公室副主任", ""],
            [3, "陈天杰", "男", "1979.05", "昌峰区实验小学党支部书记、校长", "2007.08.04", None,
             "主要负责人"]]
    (sheet,) = read_office([book(tmp_path / "名册.xlsx", {"县直单位": rows})])
    accounted_once(sheet)
    posts = by_table(sheet, "posts")
    got = [(p.origin.label, p.refs["unit_id"].text, p.values["title"], p.values["is_top_leader"],
            p.values["start"], p.values.get("end")) for p in posts]
    assert got == [
        ("3-2", "昌峰区纪委监委", "书记、监委主任", True, D(2006, 7, 31), D(2018, 3, 30)),
        ("3-3", "区商务局", "股长", False, D(2018, 5, 15), D(2024, 1, 6)),   # 原…: no current post
        ("4-2", "昌峰区农业农村局办公室", "主任", False, D(2014, 2, 16), D(2018, 1, 22)),
        ("4-3", "昌峰区人民政府办公室", "副主任", False, D(2023, 1, 22), None),  # the open one is 现任
        ("5-2", "昌峰区实验小学", "党支部书记、校长", True, D(2007, 8, 4), None),
    ]


def test_arrangements_regions_and_departments(tmp_path):
    sheets = {
        "巡察安排": [["巡察工作安排表"],
                 ["轮次", "巡察类型", "开始时间", "结束时间", "巡察组", "派出区域", "被巡察单位"],
                 ["县委2021年第一轮巡察", "常规巡察", "2021年3月22日", "2021年5月26日", "第一巡察组", "青岚县",
                  "县林业局、白沙镇"],
                 ["县委2021年第一轮巡察", "常规巡察", "2021-03-22", "2021-05-26", "第二巡察组", "青岚县",
                  "县教育局"]],
        "区划": [["区域名称", "层级", "上级区域"], ["青岚县", "县", "德津市"], ["白沙镇", "乡镇", "青岚县"]],
        "职能部门": [["部门名称", "部门类型", "所属区域", "负责问题类别"],
                 ["县纪委监委", "纪委监委", "青岚县", "八项规定、形式主义官僚主义"],
                 ["县信访局", "信访", "青岚县", None]],
    }
    arr, regions, depts = read_office([book(tmp_path / "基础信息.xlsx", sheets)])
    for s in (arr, regions, depts):
        accounted_once(s)
    assert (arr.table, regions.table, depts.table) == ("assignments", "regions", "departments")
    assert [(r.table, r.origin.label) for r in arr.records] == [
        ("rounds", "3-1"), ("teams", "3-2"), ("assignments", "3-3"), ("assignments", "3-4"),
        ("teams", "4-2"), ("assignments", "4-3")]
    rnd = arr.records[0]
    assert rnd.values == {"name": "县委2021年第一轮巡察", "kind": "regular", "start": D(2021, 3, 22),
                          "end": D(2021, 5, 26)}
    assert [a.refs["unit_id"].text for a in arr.records if a.table == "assignments"] == [
        "县林业局", "白沙镇", "县教育局"]
    assert [(r.values["name"], r.refs.get("parent_id")) for r in regions.records] == [
        ("青岚县", "德津市"), ("白沙镇", "青岚县")]
    assert [(d.values["kind"], d.values["supervises"]) for d in depts.records] == [
        ("discipline", ("八项规定", "形式主义官僚主义")), ("other", ())]
    assert any("信访" in n for n in depts.records[1].notes)


def test_problem_list_with_a_status_but_no_measures(tmp_path):
    rows = [["序号", "问题类型", "具体问题", "整改时限", "整改情况"],
            [1, "作风", "问题甲", "2023年6月底前", "已整改"],
            [2, "作风", "问题乙", "长期坚持", "持续整改"]]
    (sheet,) = read_office([book(tmp_path / "k.xlsx", {"S": rows})])
    accounted_once(sheet)
    assert sheet.table == "measures"
    problems, measures = by_table(sheet, "problems"), by_table(sheet, "measures")
    assert [(m.values["description"], m.values["status"], m.values["due_date"]) for m in measures] == [
        (None, "done", D(2023, 6, 30)), (None, "ongoing", None)]
    assert [m.parent for m in measures] == [p.local for p in problems]


def test_statistics_sheet_totals(tmp_path):
    sheets = {"统计": [["整改情况统计表"], ["反馈问题总数", 45, None, "已整改", 40],
                     ["正在整改", 3, None, "持续整改", 2], ["整改率", "88.9%"]],
              "汇总": [["单位", "问题个数", "整改措施数", "已完成"], ["合计", 12, 30, 28],
                     ["白沙镇", 5, 12, 11]]}
    stats, summary = read_office([book(tmp_path / "统计.xlsx", sheets)])
    for s in (stats, summary):
        assert s.table is None
        accounted_once(s)
    assert {(t.table, t.what, t.value) for t in stats.totals} == {
        ("problems", "items", 45.0), ("measures", "status:done", 40.0),
        ("measures", "status:open", 3.0), ("measures", "status:ongoing", 2.0)}
    assert {(t.table, t.what, t.value) for t in summary.totals} == {
        ("problems", "items", 12.0), ("measures", "items", 30.0), ("measures", "status:done", 28.0)}


def test_remarks_carry_flags_and_unread_columns_are_named(tmp_path):
    rows = [["序号", "问题类型", "具体问题", "整改措施", "整改情况", "备注", "联系电话"],
            [1, "作风", "问题甲", "措施甲", "已整改", "立行立改；重点关注", "138"],
            [2, "作风", "问题乙", "措施乙", "正在整改", "回炉整改", None]]
    (sheet,) = read_office([book(tmp_path / "l.xlsx", {"S": rows})])
    problems, measures = by_table(sheet, "problems"), by_table(sheet, "measures")
    assert (problems[0].values["immediate"], problems[0].values["key_concern"]) == (True, True)
    assert "immediate" not in problems[1].values
    assert [m.values.get("reopened") for m in measures] == [None, True]
    assert any("联系电话" in n for n in sheet.notes)


def test_a_title_naming_only_the_team_takes_the_round_from_the_folder(tmp_path):
    """落实县委第一巡察组反馈意见: a team, not a round; the folder names the round."""
    rows = [["中共青岚县农业农村局党组落实县委第一巡察组反馈意见整改台账"],
            ["序号", "问题类型", "具体问题", "整改措施", "整改时限", "整改情况"],
            [1, "作风", "甲", "措施", "2023-06-30", "已整改"]]
    folder = tmp_path / "整改台账" / "青岚县委2023年第五轮巡察"
    folder.mkdir(parents=True)
    (sheet,) = read_office([book(folder / "01_农业农村局.xlsx", {"Sheet1": rows})])
    assert sheet.round_text and "2023年第五轮巡察" in sheet.round_text
    titled = [["中共青岚县农业农村局党组落实县委2023年第五轮巡察反馈意见整改台账"], *rows[1:]]
    (sheet,) = read_office([book(tmp_path / "other.xlsx", {"Sheet1": titled})])
    assert sheet.round_text and "2023年第五轮巡察" in sheet.round_text
