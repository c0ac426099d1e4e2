"""Round two of hostile ledgers (issue 17): data is never lost or changed
without a word.  Each case is built here, and its row accounting is checked
against the rows physically written."""
from __future__ import annotations

import csv
import json

import pytest

from loaders.text import read_delimited
from tests.conftest import write_tables

UNITS = "unit_id,name,kind\nU1,白沙镇,township\n"


def _rejects(path):
    return list(csv.DictReader(path.read_text("utf-8-sig").splitlines()))


def test_unterminated_quote_is_reported_where_it_opens_and_every_line_is_read(invoke, tmp_path):
    data = write_tables(tmp_path / "d", {
        "units.csv": UNITS,
        "problems.csv": ("problem_id,unit_id,category,description\n"
                         "Q1,U1,党的建设,第一条\n"
                         'Q2,U1,党的建设,"引号没有闭合\n'
                         "Q3,U1,党的建设,第三条\n"
                         "Q4,U1,党的建设,第四条\n")})
    rejects = tmp_path / "rejected.csv"
    result = invoke("stats", data, "--lenient", "--rejects", rejects)
    assert result.exit_code == 0, result.output
    # 4 problem rows physically written: 3 loaded, Q2 rejected at its own row (3)
    assert "读取 5 行：载入 4，拒收 1" in result.output
    (row,) = _rejects(rejects)
    assert (row["file"], row["row"], row["column"]) == ("problems.csv", "3", "description")
    assert "引号未闭合" in row["reason"] and "2 行" in row["reason"]
    strict = invoke("validate", data)
    assert strict.exit_code == 1 and "引号未闭合" in strict.output


def test_quote_closed_rows_later_still_names_the_swallowed_lines(tmp_path):
    grid = read_delimited(b'id,name,note\nA,a,"open\nB,b,x\nC,c,"closed"\nD,d,y\n', "x.csv")
    assert list(grid[0]) == ["id", "A", "B", "C", "D"]
    assert list(grid.index) == [0, 1, 2, 3, 4]  # physical lines, 0-based
    (problem,) = grid.attrs["problems"]
    assert problem.row == 1 and problem.column == 2 and "2 行" in problem.reason


def test_a_legitimate_multi_line_cell_keeps_its_physical_row_numbers():
    grid = read_delimited(b'id,name,note\nA,a,"two\nlines"\nB,b,"x, y"\n', "x.csv")
    assert list(grid[0]) == ["id", "A", "B"]
    assert grid.at[1, 2] == "two\nlines" and grid.at[3, 2] == "x, y"
    assert list(grid.index) == [0, 1, 3]  # B is on physical line 4
    assert grid.attrs["problems"] == []


def test_delimiters_after_a_multi_line_cell_close_are_the_records_own():
    """``"\n",`` is one record of two cells (a cell holding a line break, then
    an empty one), not a quote that swallowed a row: the fuzz suite wrote it."""
    grid = read_delimited(b'round_id,team_id\r\n"\n",\r\nR1,T1\r\n', "x.csv")
    assert grid.attrs["problems"] == []
    assert [list(r) for r in grid.itertuples(index=False)] == [
        ["round_id", "team_id"], ["\n", ""], ["R1", "T1"]]
    assert list(grid.index) == [0, 1, 3]


def test_cr_only_line_endings_are_lines(invoke, tmp_path):
    data = write_tables(tmp_path / "d", {
        "units.csv": UNITS.replace("\n", "\r") + "U2,黑石乡,township\r"})
    result = invoke("stats", data)
    assert result.exit_code == 0, result.output
    assert "读取 2 行：载入 2，拒收 0" in invoke("stats", data, "--lenient").output


def test_the_delimiter_comes_from_the_header_row_not_the_title(invoke, tmp_path):
    data = write_tables(tmp_path / "d", {
        "units.csv": "单位台账（2024年）\nunit_id\tname\tkind\nU1\t白沙镇\ttownship\n"})
    result = invoke("stats", data, "--lenient")
    assert result.exit_code == 0, result.output
    assert "载入 1" in result.output


def test_gb18030_that_is_ascii_for_its_first_mib_is_one_encoding(invoke, tmp_path):
    rows = "".join(f"U{i},unit{i},township\n" for i in range(60_000))  # > 1 MiB of ASCII
    text = "unit_id,name,kind\n" + rows + "U99999,白沙镇,township\n"
    assert len(rows.encode()) > 1 << 20
    data = write_tables(tmp_path / "d", {"units.csv": text}, encoding="gb18030")
    result = invoke("stats", data, "--lenient")
    assert result.exit_code == 0, result.output
    assert "读取 60001 行：载入 60001，拒收 0" in result.output


def test_terminal_escape_sequences_from_data_are_shown_not_obeyed(invoke, tmp_path):
    data = write_tables(tmp_path / "d", {
        "units.csv": UNITS,
        "people.csv": "person_id,name,birth_year\nP1,张三,19\x1b]0;pwned\x0770\n"})
    result = invoke("validate", data)
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "19\\x1b]0;pwned\\x0770" in result.output


def test_long_reasons_are_wrapped_whole_not_cut():
    from linkgraph.output import to_table

    reason = "原因" * 50 + " the end"
    text = to_table([{"reason": reason}], ["reason"], max_width=30)
    assert "…" not in text
    assert "".join(line.strip() for line in text.splitlines()[2:]).replace(" ", "") == \
        reason.replace(" ", "")


@pytest.mark.parametrize("args", [
    ("stats", "{data}", "--lenient", "--rejects", "{data}/units.csv"),
    ("stats", "{data}", "--out", "{data}/units.csv"),
    ("stats", "{data}", "--out", "{data}/stats.xlsx"),
    ("validate", "{data}", "--out", "{data}/problems.csv"),
    ("stats", "{data}", "--pseudonymize", "--pseudonym-map", "{data}/people.csv"),
])
def test_no_output_replaces_an_input_or_lands_where_data_reads_it_back(invoke, tmp_path, args):
    data = write_tables(tmp_path / "d", {
        "units.csv": UNITS, "people.csv": "person_id,name\nP1,张三\n",
        "problems.csv": "problem_id,unit_id,category,description\nQ1,U9,党的建设,x\n"})
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    result = invoke(*[a.format(data=data) for a in args])
    assert result.exit_code == 2, result.output
    assert "覆盖" in result.output or "数据文件夹" in result.output
    assert {p.name: p.read_bytes() for p in data.iterdir()} == before


def test_rejects_outside_data_is_written(invoke, tmp_path):
    data = write_tables(tmp_path / "d", {
        "units.csv": UNITS,
        "problems.csv": "problem_id,unit_id,category,description\nQ1,U9,党的建设,x\n"})
    result = invoke("stats", data, "--lenient", "--allow-partial", "--rejects", tmp_path / "out.csv")
    assert result.exit_code == 0, result.output
    assert "U9" in (tmp_path / "out.csv").read_text("utf-8-sig")


def _load(invoke, tmp_path, tables):
    data = write_tables(tmp_path / "d", {"units.csv": UNITS, **tables})
    rejects = tmp_path / "rejected.csv"
    result = invoke("stats", data, "--lenient", "--allow-partial", "--rejects", rejects)
    assert result.exit_code == 0, result.output
    return result, (_rejects(rejects) if rejects.exists() else [])


def test_an_excel_year_month_that_may_have_lost_its_zero_is_never_guessed(invoke, tmp_path):
    result, rejects = _load(invoke, tmp_path, {
        "people.csv": "person_id,name\nP1,张三\nP2,李四\n",
        "posts.csv": "person_id,unit_id,title,start\nP1,U1,镇长,2019.1\nP2,U1,书记,2019.05\n"})
    assert [(r["row"], r["column"]) for r in rejects] == [("2", "start")]
    assert "2019-01 或 2019-10" in rejects[0]["reason"]


@pytest.mark.parametrize("cell, shown", [
    ("U\u200b1", "U<U+200B>1"), ("U\u202e1", "U<U+202E>1"), ("U\u20661", "U<U+2066>1")])
def test_an_invisible_character_in_an_id_is_named(invoke, tmp_path, cell, shown):
    _, rejects = _load(invoke, tmp_path, {
        "people.csv": "person_id,name\nP1,张三\n",
        "posts.csv": f"person_id,unit_id,title\nP1,{cell},镇长\n"})
    assert rejects and rejects[0]["column"] == "unit_id" and rejects[0]["value"] == shown
    assert f"U+{ord(next(c for c in cell if not c.isalnum())):04X}" in rejects[0]["reason"]


def test_zwj_sequences_in_names_are_kept(invoke, tmp_path):
    from linkgraph.dataset import load_dataset

    data = write_tables(tmp_path / "d", {"units.csv": "unit_id,name\nU1,家\u200d园社区\n"})
    assert load_dataset(data).tables["units"]["name"].tolist() == ["家\u200d园社区"]


@pytest.mark.parametrize("cell, value", [("12,5", 12.5), ("1,234.5", 1234.5), ("2,860元", 2860.0),
                                         ("12.5万", 125000.0)])
def test_amounts_read_as_written(cell, value):
    import pandas as pd

    from linkgraph.normalize import amounts

    got, bad = amounts(pd.Series([cell]))
    assert not bad[0] and got[0] == value


@pytest.mark.parametrize("cell", ["inf", "1e400", "-inf", "1,23,4"])
def test_amounts_that_are_not_numbers_are_refused(cell):
    import pandas as pd

    from linkgraph.normalize import amounts

    assert amounts(pd.Series([cell]))[1][0]


def test_times_and_birth_years_out_of_range_are_refused(invoke, tmp_path):
    _, rejects = _load(invoke, tmp_path, {
        "people.csv": "person_id,name,birth_year\nP1,张三,1000\nP2,李四,-1980\nP3,王五,1975\n",
        "posts.csv": "person_id,unit_id,title,start\nP3,U1,镇长,2020-01-01 25:61\n"})
    assert sorted((r["file"], r["row"], r["column"]) for r in rejects) == [
        ("people.csv", "2", "birth_year"), ("people.csv", "3", "birth_year"),
        ("posts.csv", "2", "start")]


# --- workbooks ---------------------------------------------------------------

def _xlsx(path, sheets, epoch1904=False):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    if epoch1904:
        from openpyxl.utils.datetime import CALENDAR_MAC_1904
        wb.epoch = CALENDAR_MAC_1904
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def test_an_18_digit_id_excel_stored_as_a_number_is_refused_with_the_digits_lost(invoke, tmp_path):
    data = tmp_path / "d"
    write_tables(data, {"units.csv": UNITS})
    _xlsx(data / "people.xlsx", {"people": [["person_id", "name"],
                                            [110101199003071234, "张三"],
                                            [110101199003071235, "李四"],
                                            ["P3", "王五"]]})
    rejects = tmp_path / "r.csv"
    result = invoke("stats", data, "--lenient", "--allow-partial", "--rejects", rejects)
    assert result.exit_code == 0, result.output
    rows = _rejects(rejects)
    assert sorted({(r["row"], r["column"]) for r in rows}) == [("2", "person_id"),
                                                               ("3", "person_id")]
    assert "末 3 位已丢失" in rows[0]["reason"] and "110101199003071???" in rows[0]["reason"]
    assert "读取 4 行：载入 2，拒收 2" in result.output  # U1 and P3


def test_a_formula_saved_without_its_value_is_reported_with_the_formula(invoke, tmp_path):
    data = tmp_path / "d"
    _xlsx(data / "units.xlsx", {"units": [["unit_id", "name", "region_id"],
                                          ["U1", "白沙镇", '=CONCAT("R","1")']]})
    write_tables(data, {"regions.csv": "region_id,name\nR1,青岚县\n"})
    result = invoke("validate", data)
    assert result.exit_code == 1, result.output
    assert '=CONCAT("R","1")' in result.output and "没有保存计算结果" in result.output


def test_dates_of_a_1904_workbook_are_read_in_its_own_date_system(tmp_path):
    import datetime as dt

    from loaders.excel import open_workbook, read_sheet

    path = _xlsx(tmp_path / "p.xlsx", {"posts": [["start"], [dt.date(2020, 5, 1)]]},
                 epoch1904=True)
    grid = read_sheet(open_workbook(str(path), "p.xlsx"), "posts", "p.xlsx")
    assert grid.iat[1, 0] == "2020-05-01"


def test_a_second_sheet_of_a_table_workbook_is_never_dropped_silently(invoke, tmp_path):
    data = tmp_path / "d"
    _xlsx(data / "units.xlsx", {"2023年": [["unit_id", "name"], ["U1", "白沙镇"]],
                                "2024年": [["unit_id", "name"], ["U2", "黑石乡"], ["U3", "青山村"]],
                                "备注": []})
    result = invoke("validate", data)
    assert result.exit_code == 1
    assert "2024年" in result.output and "3 行未读入" in result.output


def test_a_nul_inside_a_cell_is_named_not_removed(invoke, tmp_path):
    """A NUL far into a CSV (past the binary sniff) must not vanish: U03<NUL>00
    would otherwise become the id U0300."""
    padding = "".join(f"U{i},单位{i}\n" for i in range(2000))
    data = write_tables(tmp_path / "d", {"units.csv": "unit_id,name\n" + padding + "U03\x0000,白沙镇\n"})
    rejects = tmp_path / "r.csv"
    result = invoke("stats", data, "--lenient", "--rejects", rejects)
    assert result.exit_code == 0, result.output
    (row,) = _rejects(rejects)
    assert row["row"] == "2002" and row["value"] == "U03<U+0000>00" and "NUL" in row["reason"]


def test_a_warm_cache_rejects_what_a_cold_run_rejects(tmp_path, monkeypatch):
    from linkgraph.dataset import load_dataset

    data = write_tables(tmp_path / "d", {"units.csv": "unit_id,name\nU1,白沙镇\nU2," + "长" * 50 + "\n"})
    monkeypatch.setenv("LINKGRAPH_CACHE", str(tmp_path / "cache"))
    assert load_dataset(data, use_cache=True).rows_rejected == 0       # fills the cache
    monkeypatch.setenv("LINKGRAPH_MAX_CELL_CHARS", "20")
    assert load_dataset(data, lenient=True, use_cache=True).rows_rejected == 1


def test_identical_ties_are_counted_once_and_named(invoke, tmp_path):
    ties = "person_a,person_b,relation\n" + "P1,P2,spouse\n" * 3 + "P1,P3,spouse\n"
    _, rejects = _load(invoke, tmp_path, {"people.csv": "person_id,name\nP1,甲\nP2,乙\nP3,丙\n",
                                          "ties.csv": ties})
    assert [(r["file"], r["row"]) for r in rejects] == [("ties.csv", "3"), ("ties.csv", "4")]
    assert "与第 2 行完全相同" in rejects[0]["reason"]


def test_identical_posts_with_blank_dates_are_counted_once(invoke, tmp_path):
    posts = "person_id,unit_id,title,start,end\n" + "P1,U1,镇长,2020-01-01,\n" * 2
    _, rejects = _load(invoke, tmp_path, {"people.csv": "person_id,name\nP1,甲\n",
                                          "posts.csv": posts})
    assert [(r["file"], r["row"]) for r in rejects] == [("posts.csv", "3")]


def test_one_person_under_two_ids_is_warned_about(invoke, tmp_path):
    data = write_tables(tmp_path / "d", {
        "units.csv": UNITS + "U2,黑石乡,township\n",
        "people.csv": ("person_id,name,birth_year\nP1,张伟,1975\nP7,张伟,1975\n"
                       "P8,张伟,1975\nP9,张伟,1980\n"),
        "posts.csv": ("person_id,unit_id,title\nP1,U1,镇长\nP7,U1,党委书记\n"
                      "P8,U2,乡长\nP9,U1,副镇长\n")})
    result = invoke("validate", data)
    assert result.exit_code == 0, result.output
    assert result.output.count("可能是同一人") == 1  # P1/P7 only: P8 elsewhere, P9 born 1980
    assert "P1" in result.output and "P7" in result.output


ROTATION = {
    "regions.csv": "region_id,name,level,parent_id\nC1,市,市,\nR1,甲县,县,C1\nR2,乙县,县,C1\n",
    "units.csv": ("unit_id,name,region_id\nU1,甲县教育局,R1\nU2,乙县教育局,R2\n"
                  "U3,无区域的单位,\n"),
    "rounds.csv": "round_id,name,kind,start,end\nX,2024年交叉巡察,交叉巡察,2024-04-01,2024-06-30\n",
    "teams.csv": ("team_id,round_id,name,home_region_id\nT1,X,甲县巡察组,R1\nT2,X,乙县巡察组,R2\n"
                  "T3,X,空的巡察组,R1\n"),
    "people.csv": "person_id,name\nP1,陈明\nP2,何娟\n",
    "team_members.csv": "team_id,person_id,role\nT1,P1,组长\nT2,P2,组长\n",
    "assignments.csv": "round_id,team_id,unit_id\nX,T1,U2\nX,T2,U1\nX,T2,U3\n",
}


def test_a_team_without_members_is_named_and_left_out_of_the_rotation(invoke, tmp_path):
    data = write_tables(tmp_path / "d", ROTATION)
    checked = invoke("validate", data)
    assert "空的巡察组" in checked.output and "没有成员" in checked.output
    result = invoke("rotate", data, "--round", "X", "--format", "json")
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert sorted(p["team_id"] for p in plan["pairs"]) == ["T1", "T2"]
    assert any("空的巡察组" in n for n in plan["notes"])
    assert any("无区域的单位" in n for n in plan["notes"])  # U3: named, not dropped
    assert "空的巡察组" in result.stderr and "无区域的单位" in result.stderr


def test_a_folder_named_like_a_table_is_said_to_be_a_folder(invoke, tmp_path):
    data = write_tables(tmp_path / "d", {"people.csv": "person_id,name\nP1,甲\n"})
    (data / "units.csv").mkdir()
    result = invoke("validate", data)
    assert result.exit_code == 1
    assert "units.csv 是文件夹，不是文件" in result.output


def test_a_link_out_of_data_is_said(invoke, tmp_path):
    outside = write_tables(tmp_path / "elsewhere", {"units.csv": UNITS})
    data = tmp_path / "d"
    data.mkdir()
    (data / "units.csv").symlink_to(outside / "units.csv")
    result = invoke("validate", data)
    flat = "".join(result.output.split())  # the table wraps long cells
    assert "数据文件夹之外的链接" in flat and str(outside) in flat


def test_a_mistyped_neo4j_uri_never_shows_its_password(invoke):
    result = invoke("stats", "noe4j://neo4j:s3cret-pw@localhost:7687/neo4j")
    assert result.exit_code == 1
    assert "s3cret-pw" not in result.output and "neo4j:***@" in result.output


def test_report_workbooks_are_byte_identical_with_source_date_epoch(tmp_path, monkeypatch):
    from linkgraph.output import write_xlsx

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    write_xlsx({"表": [{"a": 1}]}, tmp_path / "a.xlsx")
    import time
    time.sleep(1.1)
    write_xlsx({"表": [{"a": 1}]}, tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_text_too_long_for_an_excel_cell_is_cut_visibly(tmp_path):
    import openpyxl

    from linkgraph.output import write_xlsx

    write_xlsx({"表": [{"a": "长" * 40000}]}, tmp_path / "a.xlsx")
    cell = openpyxl.load_workbook(tmp_path / "a.xlsx")["表"]["A2"].value
    assert len(cell) == 32767 and cell.endswith("已截断；全文见 CSV/JSON 输出 / cut at Excel's cell limit】")


def test_text_that_nfkc_lengthens_past_the_cell_limit_is_refused(invoke, tmp_path, monkeypatch):
    monkeypatch.setenv("LINKGRAPH_MAX_CELL_CHARS", "10")
    # a vocabulary column (NFKC applies there; names and descriptions stay as written)
    _, rejects = _load(invoke, tmp_path, {"units.csv": "unit_id,name,sector\nU1,甲,㍿㍿㍿\n"})
    assert [(r["file"], r["row"], r["column"]) for r in rejects] == [("units.csv", "2", "sector")]
    assert "规范化后过长" in rejects[0]["reason"]


def _bomb(path, rows: int):
    """A workbook of a few MB that holds ``rows`` rows once inflated."""
    import zipfile

    head = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
            '.org/spreadsheetml/2006/main"><sheetData>'
            '<row r="1"><c r="A1" t="inlineStr"><is><t>unit_id</t></is></c>'
            '<c r="B1" t="inlineStr"><is><t>name</t></is></c></row>')
    parts = {
        "[Content_Types].xml": ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
                                'openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
                                'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                                '<Default Extension="xml" ContentType="application/xml"/><Override '
                                'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                                'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/'
                                'worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
                                'officedocument.spreadsheetml.worksheet+xml"/></Types>'),
        "_rels/.rels": ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type='
                        '"http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                        'officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.'
                            'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
                            'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet '
                            'name="units" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns='
                                       '"http://schemas.openxmlformats.org/package/2006/relationships">'
                                       '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                                       'officeDocument/2006/relationships/worksheet" Target="worksheets/'
                                       'sheet1.xml"/></Relationships>'),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, body in parts.items():
            zf.writestr(name, body)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(head.encode())
            row = b'<row><c t="inlineStr"><is><t>U</t></is></c><c t="inlineStr"><is><t>x</t></is></c></row>'
            block = row * 10_000
            for _ in range(rows // 10_000):
                fh.write(block)
            fh.write(b"</sheetData></worksheet>")
    return path


def test_a_zip_bomb_workbook_is_refused_within_bounded_memory(tmp_path):
    """5.2 M rows in a few MB: refused, naming file and sheet, in seconds and
    under an address-space limit that inflating it would break."""
    import resource
    import subprocess
    import sys
    import time

    data = tmp_path / "d"
    data.mkdir()
    bomb = _bomb(data / "units.xlsx", 5_200_000)
    assert bomb.stat().st_size < 8 * 2**20

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))

    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "linkgraph", "validate", str(data)],
                          capture_output=True, text=True, encoding="utf-8", preexec_fn=limit,
                          timeout=120)
    took = time.monotonic() - started
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "units.xlsx[units]" in proc.stderr and "LINKGRAPH_MAX_CELLS" in proc.stderr
    assert took < 60


def test_an_over_long_shared_string_is_refused_before_it_is_inflated(tmp_path, invoke):
    import zipfile

    data = tmp_path / "d"
    path = _xlsx(data / "units.xlsx", {"units": [["unit_id", "name"], ["U1", "x"]]})
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    parts["xl/sharedStrings.xml"] = (b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats'
                                     b'.org/spreadsheetml/2006/main"><si><t>' + b"A" * 300_000
                                     + b"</t></si></sst>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, body in parts.items():
            zf.writestr(n, body)
    result = invoke("validate", data)
    assert result.exit_code == 1 and "32767" in result.output


def test_a_round_whose_row_was_rejected_is_said_to_be_rejected(invoke, tmp_path):
    data = write_tables(tmp_path / "d", {
        "units.csv": UNITS,
        "rounds.csv": "round_id,name,kind,start,end\nX2,第二轮,常规巡察,2024-13-01,2024-06-30\n",
        "teams.csv": "team_id,round_id,name\nT1,X2,一组\n"})
    result = invoke("conflicts", data, "--round", "X2", "--lenient", "--allow-partial", "--rejects",
                    tmp_path / "r.csv")
    assert result.exit_code == 1
    assert "轮次 X2 在 rounds.csv 第 2 行，但该行被拒收" in result.output
    assert "无法识别的日期" in result.output


def test_an_unreadable_file_is_named_with_exit_1(invoke, tmp_path):
    """A file the OS refuses to read (here /proc/self/mem, which fails with
    EIO even for root, who passes every permission check)."""
    data = tmp_path / "d"
    data.mkdir()
    (data / "units.csv").symlink_to("/proc/self/mem")
    result = invoke("validate", data)
    assert result.exit_code == 1
    assert "units.csv: 无法读取文件" in result.output


def test_a_workbook_without_sheets_is_said_to_have_none(invoke, tmp_path):
    import re
    import zipfile

    data = tmp_path / "d"
    path = _xlsx(data / "units.xlsx", {"units": [["unit_id"]]})
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    parts["xl/workbook.xml"] = re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", parts["xl/workbook.xml"])
    with zipfile.ZipFile(path, "w") as zf:
        for n, body in parts.items():
            zf.writestr(n, body)
    for target in (data, path):
        result = invoke("validate", target)
        assert result.exit_code == 1, result.output
        assert "没有任何工作表" in result.output
