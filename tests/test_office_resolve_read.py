"""Resolve on what the real reader gives: office workbooks written with
openpyxl, read by ``read_office``, resolved; the expected people and units
are worked out by hand from the roster and the ledgers' own words."""
from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from loaders.office.crosswalk import Crosswalk, read_decisions, review_rows
from loaders.office.read import read_office
from loaders.office.resolve import resolve


def book(path: Path, title: str, rows: list[list]) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)


@pytest.fixture
def ledgers(tmp_path: Path) -> Path:
    folder = tmp_path / "ledgers"
    folder.mkdir()
    book(folder / "02_整改台账.xlsx", "农业农村局", [
        ["中共青岚县农业农村局党组落实县委第一巡察组巡察反馈意见整改台账"],
        ["序号", "问题类型", "具体问题", "整改措施", "责任领导", "责任人", "整改时限", "整改情况"],
        [1, "党的建设", "三会一课不规范", "建立制度", "王磊", "陈明", "2023年6月底前", "已整改"],
        [2, "八项规定", "公车私用", "清退费用", "王磊（党组书记）", "陈明", "长期坚持", "持续整改"],
    ])
    book(folder / "干部名册.xlsx", "干部名册", [
        ["姓名", "性别", "出生年月", "现任职务"],
        ["王磊", "男", "1971.03", "县农业农村局党组书记、局长"],
        ["王磊", "男", "1980.05", "白沙镇党委副书记"],
        ["杨光", "男", "1975.01", "白沙镇党委书记"],
    ])
    book(folder / "线索台账.xlsx", "线索台账", [
        ["序号", "被反映人", "单位及职务", "线索来源", "移交时间", "承办单位", "处置方式", "处理结果"],
        [1, "王磊", "白沙镇党委副书记", "信访", "2023-05-06", "县纪委监委", "初核", "立案审查"],
        [2, "王磊", "", "谈话", "2023-05-08", "县纪委监委", "谈话函询", ""],
    ])
    return folder


def by_name(res, table: str, key: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for row in res.tables[table]:
        out.setdefault(row[key], []).append(row)
    return out


def test_ledgers_read_and_resolved(ledgers: Path):
    res = resolve(read_office([ledgers]))
    units = {u["name"]: u["unit_id"] for u in res.tables["units"]}
    assert set(units) == {"青岚县农业农村局", "青岚县白沙镇"}  # title, 县…, 白沙镇党委 → two units
    assert {p["unit_id"] for p in res.tables["problems"]} == {units["青岚县农业农村局"]}
    people = by_name(res, "people", "name")
    assert len(people["王磊"]) == 2 and len(people["杨光"]) == 1
    chen = people["陈明"]  # not in the roster: known by name and the ledger's unit
    assert len(chen) == 1
    assert {m["owner_person_id"] for m in res.tables["measures"]} == {chen[0]["person_id"]}
    township_wang = next(p["person_id"] for p in people["王磊"] if p["birth_year"] == 1980)
    first, second = res.tables["leads"]
    assert first["person_id"] == township_wang  # 单位及职务 says 白沙镇
    assert first["unit_id"] == units["青岚县白沙镇"]
    assert second["person_id"] is None  # no unit, two 王磊: the office decides
    tops = {(p["person_id"], p["is_top_leader"]) for p in res.tables["posts"]}
    assert (township_wang, False) in tops  # 党委副书记 is not the 一把手
    assert sum(top for _, top in tops) == 2  # 党组书记 and 党委书记
    assert res.rejected == []
    [item] = res.review
    assert item.kind == "person" and [o.row for o in item.origins] == [3]


def test_reimport_of_the_same_files_gives_the_same_tables(ledgers: Path):
    first = resolve(read_office([ledgers]))
    again = resolve(read_office([ledgers]))
    assert first.tables == again.tables


def test_the_office_decision_is_reapplied_on_the_next_import(ledgers: Path, tmp_path: Path):
    res = resolve(read_office([ledgers]))
    rows = review_rows(res)
    wb = Workbook()
    ws = wb.active
    ws.title = "待核对"
    ws.append(list(rows[0]))
    bureau_wang = next(p["person_id"] for p in res.tables["people"]
                       if p["name"] == "王磊" and p["birth_year"] == 1971)
    for row in rows:
        row["决定（接受/拒绝）"] = "接受" if row["候选编码"] == bureau_wang else "拒绝"
        ws.append(list(row.values()))
    wb.save(tmp_path / "review.xlsx")
    cw = Crosswalk.from_decisions(read_decisions(tmp_path / "review.xlsx"))
    again = resolve(read_office([ledgers]), crosswalk=cw)
    assert again.tables["leads"][1]["person_id"] == bureau_wang
    assert again.review == []
