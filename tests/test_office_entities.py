"""Rounds, teams, departments and regions as the office's lists and ledgers
name them: one entity however it is written, with what the lists say."""
from __future__ import annotations

import datetime as dt

import pytest

from loaders.office.records import OfficeRecord, Origin, PersonMention, SheetRead, UnitMention
from loaders.office.resolve import resolve
from loaders.office.rounds import is_team_name, round_key


@pytest.mark.parametrize(("text", "key"), [
    ("大池县委2021年第一轮巡察", ("大池县", "2021", "1")),
    ("2021年第一轮巡察", ("大池县", "2021", "1")),          # the ledger's own county
    ("2023年第六轮", ("大池县", "2023", "6")),
    ("大池县委2025年第十轮巡察(巡察“回头看”)", ("大池县", "2025", "10")),
    ("十五届县委2024年第十二轮巡察", ("大池县", "2024", "12")),
    ("青岚县委2024年第二轮巡察", ("青岚县", "2024", "2")),   # another county's round
    ("县委第一轮巡察", ("name", "县委第一轮巡察")),           # no year: kept as written
    ("县委第六巡察组", None),                                # a team, not a round
])
def test_round_keys(text, key):
    assert round_key(text, "大池县") == key


def test_a_team_is_not_a_round():
    assert is_team_name("县委第一巡察组") and not is_team_name("2021年第一轮巡察")


def _origin(file: str, sheet: str, row: int) -> Origin:
    return Origin(file, sheet, row)


def _lists() -> list[SheetRead]:
    plan = SheetRead("基础信息.xlsx", "巡察安排", "rounds+teams+assignments", (2,), 3, records=[
        OfficeRecord("rounds", "r1", _origin("基础信息.xlsx", "巡察安排", 3),
                     {"name": "大池县委2021年第一轮巡察", "kind": "regular",
                      "start": dt.date(2021, 3, 29), "end": dt.date(2021, 5, 24)},
                     {"round_id": "大池县委2021年第一轮巡察"}, key=("大池县委2021年第一轮巡察",)),
        OfficeRecord("teams", "t1", _origin("基础信息.xlsx", "巡察安排", 3),
                     {"name": "第一巡察组", "cross_mode": "成建制"},
                     {"team_id": "第一巡察组", "round_id": "大池县委2021年第一轮巡察",
                      "home_region_id": "大池县"}, key=("第一巡察组",))])
    depts = SheetRead("基础信息.xlsx", "职能部门", "departments", (1,), 2, records=[
        OfficeRecord("departments", "d1", _origin("基础信息.xlsx", "职能部门", 2),
                     {"name": "中共大池县委组织部", "kind": "organization",
                      "supervises": ("选人用人",)},
                     {"dept_id": UnitMention("中共大池县委组织部"), "region_id": "大池县"},
                     key=("中共大池县委组织部",))])
    regions = SheetRead("基础信息.xlsx", "区划", "regions", (1,), 3, records=[
        OfficeRecord("regions", "g1", _origin("基础信息.xlsx", "区划", 2),
                     {"name": "牛镇市", "level": "市"}, {"region_id": "牛镇市"}, key=("牛镇市",)),
        OfficeRecord("regions", "g2", _origin("基础信息.xlsx", "区划", 3),
                     {"name": "大池县", "level": "县"},
                     {"region_id": "大池县", "parent_id": "牛镇市"}, key=("大池县",))])
    leads = SheetRead("线索台账.xlsx", "线索台账", "leads", (2,), 3, records=[
        OfficeRecord("leads", "l1", _origin("线索台账.xlsx", "线索台账", 3), {},
                     {"person_id": PersonMention("王磊", "王磊", UnitMention("县农业局")),
                      "unit_id": UnitMention("大池县农业局"),
                      "transferred_to": UnitMention("县委组织部")}, key=("1",))],
        round_text="2021年第一轮巡察")
    return [plan, depts, regions, leads]


def test_the_lists_facts_go_to_the_entity_the_ledgers_name():
    res = resolve(_lists())
    [round_] = res.tables["rounds"]
    assert (round_["name"], round_["kind"], round_["start"]) == (
        "大池县委2021年第一轮巡察", "regular", dt.date(2021, 3, 29))
    [lead] = res.tables["leads"]
    assert lead["round_id"] == round_["round_id"]
    [team] = res.tables["teams"]
    assert team["round_id"] == round_["round_id"] and team["cross_mode"] == "成建制"
    [dept] = res.tables["departments"]
    assert lead["transferred_to"] == dept["dept_id"]
    assert (dept["name"], dept["kind"], dept["supervises"]) == (
        "中共大池县委组织部", "organization", "选人用人")
    regions = {r["name"]: r for r in res.tables["regions"]}
    assert set(regions) == {"牛镇市", "大池县"}
    assert regions["大池县"]["parent_id"] == regions["牛镇市"]["region_id"]
    assert team["home_region_id"] == dept["region_id"] == regions["大池县"]["region_id"]
    [unit] = res.tables["units"]
    assert unit["region_id"] == regions["大池县"]["region_id"]
