"""Loaders: aliases, encodings, dates, ids, workbooks, and the account of rows."""
from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
import xlsxwriter

from linkgraph.dataset import load_dataset
from linkgraph.errors import InputError, ValidationError
from loaders.text import read_delimited
from tests.conftest import write_tables

REGIONS = "region_id,name\nR1,金堂县\nR2,新津区\n"


def test_chinese_table_and_column_names(tmp_path):
    write_tables(tmp_path, {
        "区域.csv": "区域编码,区域名称\nR1,金堂县\n",
        "被巡察单位.csv": "单位编码,单位名称,所属区域编码,行业\nU1,金堂县教育局,R1,教育\n",
        "干部.csv": "人员编码,姓名,籍贯区域编码\nP1,王伟,R1\n",
        "任职经历.csv": "人员编码,单位编码,职务,是否一把手,起始时间,终止时间\n"
                     "P1,U1,局长,是,2019-03-01,\n",
    })
    ds = load_dataset(tmp_path)
    assert ds["units"].iloc[0].to_dict() | {} == {
        "unit_id": "U1", "name": "金堂县教育局", "region_id": "R1", "sector": "教育",
        "level": None, "kind": None, "parent_id": None}
    post = ds["posts"].iloc[0]
    assert post["title"] == "局长" and post["is_top_leader"] is True or post["is_top_leader"]
    assert post["start"] == pd.Timestamp("2019-03-01") and pd.isna(post["end"])
    assert ds["people"].iloc[0]["hometown_region_id"] == "R1"


def test_english_and_chinese_headers_mixed_in_one_file(tmp_path):
    write_tables(tmp_path, {"units.csv": "unit_id,单位名称, sector \nU1,甲,教育\n"})
    ds = load_dataset(tmp_path)
    assert list(ds["units"]["name"]) == ["甲"] and list(ds["units"]["sector"]) == ["教育"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_encodings(tmp_path, encoding):
    write_tables(tmp_path, {"单位.csv": "单位编码,单位名称\nU1,成都市青白江区住房和城乡建设局\n"},
                 encoding=encoding)
    ds = load_dataset(tmp_path)
    assert ds["units"]["name"].tolist() == ["成都市青白江区住房和城乡建设局"]


def test_gbk_text_is_not_mistaken_for_utf8():
    raw = "单位编码,单位名称\nU1,教育局\n".encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    frame = read_delimited(io.BytesIO(raw), "x.csv")
    assert frame.iloc[1, 1] == "教育局"


@pytest.mark.parametrize("written,expected", [
    ("2023-10-15", "2023-10-15"), ("2023/10/15", "2023-10-15"), ("2023.10.15", "2023-10-15"),
    ("2023年10月15日", "2023-10-15"), ("2023年10月", "2023-10-01"), ("45214", "2023-10-15"),
    ("2023-1-5", "2023-01-05"), ("２０２３－１０－１５", "2023-10-15"),
    ("2023-10-15 00:00:00", "2023-10-15"), ("20231015", "2023-10-15"),
])
def test_date_formats(tmp_path, written, expected):
    write_tables(tmp_path, {
        "units.csv": "unit_id,name\nU1,甲\n", "people.csv": "person_id,name\nP1,王伟\n",
        "posts.csv": f"person_id,unit_id,start\nP1,U1,{written}\n"})
    ds = load_dataset(tmp_path)
    assert ds["posts"]["start"].iloc[0] == pd.Timestamp(expected)


def test_ids_are_normalised_so_fullwidth_and_spaces_match(tmp_path):
    write_tables(tmp_path, {
        "units.csv": "unit_id,name\nＵ０１ ,甲\n",
        "people.csv": "person_id,name\n P01,王伟\n",
        "posts.csv": "person_id,unit_id\nＰ０１ ,U01\n",
    })
    ds = load_dataset(tmp_path)
    assert ds["units"]["unit_id"].tolist() == ["U01"]
    assert ds["posts"][["person_id", "unit_id"]].values.tolist() == [["P01", "U01"]]


def test_duplicate_names_with_distinct_ids_are_two_people(tmp_path):
    write_tables(tmp_path, {
        "units.csv": "unit_id,name\nU1,甲\n",
        "people.csv": "person_id,name\nP1,王伟\nP2,王伟\n",
        "ties.csv": "person_a,person_b,relation\nP1,P2,同学\n",
    })
    ds = load_dataset(tmp_path)
    assert ds["people"]["person_id"].tolist() == ["P1", "P2"]
    assert ds["ties"]["relation"].tolist() == ["classmate"]


def test_vocabulary_words_map_to_canonical_values(tmp_path):
    write_tables(tmp_path, {
        "units.csv": "unit_id,name\nU1,甲\n",
        "people.csv": "person_id,name\nP1,甲\nP2,乙\nP3,丙\nP4,丁\n",
        "ties.csv": "person_a,person_b,relation\nP1,P2,配偶\nP2,P3,兄弟\nP3,P4,子女\nP1,P4,Spouse\n",
        "rounds.csv": "round_id,name,kind\nX1,一,交叉巡察\nX2,二,巡察“回头看”\n",
        "teams.csv": "team_id,round_id\nT1,X1\n",
        "team_members.csv": "team_id,person_id,role\nT1,P1,组长\nT1,P2,组员\n",
    })
    ds = load_dataset(tmp_path)
    assert ds["ties"]["relation"].tolist() == ["spouse", "sibling", "parent_child", "spouse"]
    assert ds["rounds"]["kind"].tolist() == ["cross", "lookback"]
    assert ds["team_members"]["role"].tolist() == ["leader", "member"]


def test_rules_file_extends_relation_words(tmp_path):
    write_tables(tmp_path, {
        "units.csv": "unit_id,name\nU1,甲\n", "people.csv": "person_id,name\nP1,甲\nP2,乙\n",
        "ties.csv": "person_a,person_b,relation\nP1,P2,干亲\n"})
    ds = load_dataset(tmp_path)   # unknown: kept as other, with a warning naming it
    assert ds["ties"]["relation"].tolist() == ["other"]
    assert [w.value for w in ds.warnings] == ["干亲"]
    rules = tmp_path / "rules.toml"
    rules.write_text('[relations.words]\n"干亲" = "mentor"\n', encoding="utf-8")
    from linkgraph.rules import load_rules

    ds = load_dataset(tmp_path, rules=load_rules(rules))
    assert ds["ties"]["relation"].tolist() == ["mentor"]
    assert [w for w in ds.warnings if w.table == "ties"] == []


def test_relation_words_are_read_by_the_kinship_grammar(tmp_path):
    """Real declarations: everyday words, chains, longer non-kin words, and one
    the office never listed — the row is kept, the word named for review."""
    words = ["表哥", "妻弟", "小叔子", "老婆的姐夫", "大学同学", "原单位同事", "表叔", "哥们儿"]
    rows = "".join(f"P1,P{i + 2},{w}\n" for i, w in enumerate(words))
    people = "".join(f"P{i},人{i}\n" for i in range(1, len(words) + 2))
    write_tables(tmp_path, {
        "units.csv": "unit_id,name\nU1,甲\n", "people.csv": "person_id,name\n" + people,
        "ties.csv": "person_a,person_b,relation\n" + rows})
    ds = load_dataset(tmp_path)
    ties = ds["ties"]
    assert ties["relation"].tolist() == ["collateral", "in_law", "in_law", "in_law",
                                         "classmate", "colleague", "other", "other"]
    assert ties["relation_word"].tolist() == words
    assert ties["kinship"].tolist() == ["PGS", "WB", "HB", "WZH", None, None, "FPGS", None]
    assert [(w.row, w.value) for w in ds.warnings] == [(9, "哥们儿")]
    assert "哥们儿" in ds.warnings[0].reason


def _workbook(path, sheets: dict[str, list[list]], title: str | None = None, merge=None):
    wb = xlsxwriter.Workbook(path)
    datefmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        offset = 0
        if title:
            width = max(len(r) for r in rows)
            if width > 1:
                ws.merge_range(0, 0, 0, width - 1, title)
            else:
                ws.write(0, 0, title)
            offset = 2
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                if isinstance(v, dt.datetime):
                    ws.write_datetime(i + offset, j, v, datefmt)
                elif v is not None:
                    ws.write(i + offset, j, v)
        if merge and name in merge:
            (r1, c1, r2, c2), value = merge[name]
            ws.merge_range(r1 + offset, c1, r2 + offset, c2, value)
    wb.close()


def test_workbook_with_title_rows_date_cells_numbers_and_merged_cells(tmp_path):
    book = tmp_path / "台账.xlsx"
    _workbook(book, {
        "单位": [["单位编码", "单位名称"], [1001, "教育局"], [1002, "住建局"]],
        "人员": [["人员编码", "姓名"], ["P1", "王伟"]],
        "任职": [["人员编码", "单位编码", "起始时间", "终止时间"],
                 [None, 1001, dt.datetime(2020, 1, 2), 45214],
                 [None, 1002, "2021年3月", None]],
        "说明": [["本工作簿由某县巡察办整理"]],
    }, title="某县巡察工作台账", merge={"任职": ((1, 0, 2, 0), "P1")})
    ds = load_dataset(book)
    assert ds["units"]["unit_id"].tolist() == ["1001", "1002"]
    posts = ds["posts"]
    assert posts["person_id"].tolist() == ["P1", "P1"]  # merged cell filled down
    assert posts["start"].tolist() == [pd.Timestamp("2020-01-02"), pd.Timestamp("2021-03-01")]
    assert posts["end"].iloc[0] == pd.Timestamp("2023-10-15")
    assert any("说明" in v.file for v in ds.warnings)  # the notes sheet is reported, not read


def test_row_numbers_point_at_the_spreadsheet_row(tmp_path):
    book = tmp_path / "ledgers.xlsx"
    _workbook(book, {"units": [["unit_id", "name"], ["U1", "甲"], ["U1", "乙"]]},
              title="标题")
    ds = load_dataset(book, lenient=True)
    (err,) = ds.errors
    assert (err.file, err.row, err.column, err.value) == ("ledgers.xlsx[units]", 5, "unit_id", "U1")


def test_rows_read_equal_loaded_plus_rejected_with_cascade(tmp_path):
    write_tables(tmp_path, {
        "regions.csv": REGIONS,
        "units.csv": "unit_id,name,region_id\nU1,甲,R1\nU2,乙,R9\nU3,丙,R2\n,无编码,R1\n",
        "people.csv": "person_id,name\nP1,甲\nP2,乙\n",
        "posts.csv": "person_id,unit_id,start\nP1,U1,2020-01-01\nP1,U2,2020-01-01\n"
                     "P2,U3,不知道\nP2,U3,2021-01-01\n",
    })
    ds = load_dataset(tmp_path, lenient=True)
    by_table = {c.table: (c.read, c.loaded, c.rejected) for c in ds.counts}
    assert by_table == {"regions": (2, 2, 0), "units": (4, 2, 2), "people": (2, 2, 0),
                        "posts": (4, 2, 2)}
    assert ds.rows_read == ds.rows_loaded + ds.rows_rejected == 12
    reasons = {(v.table, v.row): v.reason for v in ds.errors}
    assert "已被拒收" in reasons[("posts", 3)]  # U2 was rejected: its post goes too
    assert "必填项为空" in reasons[("units", 5)]


def test_strict_load_raises_with_every_violation(tmp_path):
    write_tables(tmp_path, {"units.csv": "unit_id,name\nU1,\nU1,甲\n,乙\n"})
    with pytest.raises(ValidationError) as info:
        load_dataset(tmp_path)
    assert [(v.row, v.column) for v in info.value.violations] == [
        (2, "name"), (3, "unit_id"), (4, "unit_id")]


def test_department_named_instead_of_coded(tmp_path):
    write_tables(tmp_path, {
        "units.csv": "unit_id,name\nU1,甲\n",
        "departments.csv": "dept_id,name,kind\nD1,县纪委监委,纪委监委\nD2,县委组织部,组织部\n",
        "leads.csv": "lead_id,unit_id,transferred_to\nL1,U1,县委组织部\nL2,U1,D1\n",
    })
    ds = load_dataset(tmp_path)
    assert ds["leads"]["transferred_to"].tolist() == ["D2", "D1"]
    assert ds["departments"]["kind"].tolist() == ["discipline", "organization"]


def test_unknown_department_kind_is_kept_as_other_with_a_warning(tmp_path):
    write_tables(tmp_path, {"units.csv": "unit_id,name\nU1,甲\n",
                            "departments.csv": "dept_id,name,kind\nD1,县信访局,信访\n"})
    ds = load_dataset(tmp_path)
    assert ds["departments"]["kind"].tolist() == ["other"]
    assert [w.column for w in ds.warnings] == ["kind"]


def test_missing_path_is_an_input_error(tmp_path):
    with pytest.raises(InputError):
        load_dataset(tmp_path / "nope")


def test_cache_serves_the_same_dataset_and_notices_an_edit(tmp_path):
    data = write_tables(tmp_path / "d", {
        "units.csv": "unit_id,name\nU1,甲\nU1,乙\n",
        "people.csv": "person_id,name\nP1,王伟\n",
        "posts.csv": "person_id,unit_id,start\nP1,U1,2020年3月\n",
        "problems.csv": "problem_id,unit_id,category,person_ids\nQ1,U1,财务,P1\n"})
    first = load_dataset(data, lenient=True, use_cache=True)
    again = load_dataset(data, lenient=True, use_cache=True)
    for name in first.tables:
        pd.testing.assert_frame_equal(again[name], first[name], check_dtype=False)
    assert again["problems"]["person_ids"].tolist() == [("P1",)]
    assert again.violations == first.violations and again.counts == first.counts
    (data / "units.csv").write_text("unit_id,name\nU1,甲\n", encoding="utf-8")
    edited = load_dataset(data, use_cache=True)
    assert edited.rows_rejected == 0


@pytest.mark.parametrize("ragged", [False, True])
def test_large_files_are_read_in_chunks_with_the_same_result(tmp_path, monkeypatch, ragged):
    import loaders.text

    lines = ["某县单位台账", "unit_id,name,sector"] + [f"U{i},单位{i},教育" for i in range(1, 11)]
    lines[7] = "U3,重复的单位,教育"  # row 8 repeats U3 (row 5), across chunk borders
    if ragged:
        lines[10] += ",多出来的,单元格"  # row 11 has extra cells: the C parser gives up
    write_tables(tmp_path, {"units.csv": "\n".join(lines) + "\n"})
    whole = load_dataset(tmp_path, lenient=True)
    monkeypatch.setattr(loaders.text, "CHUNK_ROWS", 3)
    chunked = load_dataset(tmp_path, lenient=True)
    pd.testing.assert_frame_equal(chunked["units"], whole["units"])
    assert chunked.counts == whole.counts
    assert [(v.row, v.column, v.value) for v in chunked.errors] == [(8, "unit_id", "U3")]
    assert chunked["units"].index.tolist() == [3, 4, 5, 6, 7, 9, 10, 11, 12]
    if ragged:  # the extra cells are reported, not dropped silently
        assert [(w.row, w.value) for w in chunked.warnings] == [(11, "多出来的;单元格")]


def test_a_cell_longer_than_excel_allows_is_rejected(tmp_path, monkeypatch):
    monkeypatch.setenv("LINKGRAPH_MAX_CELL_CHARS", "50")
    write_tables(tmp_path, {"units.csv": "unit_id,name\nU1,甲\nU2," + "很长" * 40 + "\n"})
    ds = load_dataset(tmp_path, lenient=True)
    (err,) = ds.errors
    assert (err.row, err.column) == (3, "name") and "单元格过长（80 字符，上限 50）" in err.reason
    assert ds["units"]["unit_id"].tolist() == ["U1"]


def test_a_file_over_the_size_limit_is_refused_with_a_message(tmp_path, monkeypatch):
    monkeypatch.setenv("LINKGRAPH_MAX_FILE_MB", "0.001")
    write_tables(tmp_path, {"units.csv": "unit_id,name\n" + "U1,甲\n" * 400})
    with pytest.raises(InputError, match="文件过大"):
        load_dataset(tmp_path)
