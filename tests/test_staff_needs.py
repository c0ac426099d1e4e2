"""Where a target's specialty needs come from: the four data tables of
``staffing_rules.toml`` ([specialties.by_kind|by_sector|by_category|by_name]),
and the reason each need carries into the roster.

Expected answers are read off tests/staff_ledger.py and the shipped rules by
hand: 石桥镇 is of kind 乡镇 and sector 乡镇 (三资 twice); 县住建局 of sector
住建 (工程); 县城投公司 of kind 国企, sector 国资 and a name with 公司 (财务
and 审计, three ways each).
"""
from __future__ import annotations

import json

import pytest

from linkgraph.errors import ConfigError
from linkgraph.staffing.rules import load_staffing_rules
from tests.staff_ledger import write_ledger


def test_each_table_matches_its_own_field():
    r = load_staffing_rules()
    # kind and sector are whole values: "乡镇" as a kind, not inside "乡镇企业"
    assert r.needs_of("乡镇", None, "石桥镇") == [("三资", "kind", "乡镇")]
    assert r.needs_of("乡镇企业", "农业农村", "某乡镇企业") == []
    assert r.needs_of("机关", "住建", "县住建局") == [("工程", "sector", "住建")]
    assert r.needs_of("国企", "国资", "县城投公司") == [
        ("审计", "kind", "国企"), ("审计", "sector", "国资"), ("审计", "name", "公司"),
        ("财务", "kind", "国企"), ("财务", "sector", "国资"), ("财务", "name", "公司")]
    # a category of earlier problems
    assert r.needs_of("机关", "政法", "县司法局", ["工程项目", "选人用人"]) == [
        ("工程", "category", "工程项目"), ("法律", "sector", "政法"), ("法律", "name", "司法")]


def test_the_old_single_table_is_refused_with_what_to_write(tmp_path, invoke):
    old = tmp_path / "old.toml"
    old.write_text('[specialties.by_target]\n"国企" = ["财务"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_staffing_rules(old)
    assert "by_target" in str(err.value) and "by_kind" in str(err.value)
    done = invoke("staff", write_ledger(tmp_path / "d"), "--round", "R2026",
                  "--staffing-rules", old)
    assert done.exit_code == 1 and "Traceback" not in done.output
    assert "[specialties.by_target] 已不再使用" in done.output
    assert "[specialties.by_category]" in done.output


def test_an_unknown_category_is_refused(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[specialties.by_category]\n"修路" = ["工程"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="未知问题类别.*修路"):
        load_staffing_rules(bad)


PROBLEMS = """problem_id,unit_id,round_id,category,description
Q1,U7,R2025,工程项目建设管理不规范,办公楼维修工程未经招标
Q2,U7,R2026,财务管理不规范,本轮发现的问题不算
"""


def test_the_roster_says_why_each_need_is_there(tmp_path, invoke):
    folder = write_ledger(tmp_path / "d")
    (folder / "problems.csv").write_text(PROBLEMS, encoding="utf-8")
    targets = tmp_path / "t.csv"
    # team 1 gets 县司法局 too: 法律 by its sector and name, 工程 by R2025's problem
    targets.write_text("team_id,unit_id\nT1,U1\nT1,U7\nT2,U3\n", encoding="utf-8")
    done = invoke("staff", folder, "--round", "R2026", "--targets", targets,
                  "--format", "json")
    assert done.exit_code == 0, done.output
    doc = json.loads(done.stdout)
    reasons = " ".join(m["staff_reason"] for m in doc["members"] if m["team_id"] == "T1")
    uncovered = {(u["team_id"], u["need_specialty"]): u["need_reason"] for u in doc["uncovered"]}
    said = reasons + " ".join(uncovered.values())
    # every need of team 1 is explained, whether covered or not
    assert "石桥镇：单位类型为乡镇" in said
    assert "县司法局：以往巡察发现工程项目问题" in said
    assert "县司法局：所属系统为政法" in said
    # R2026's own problem (财务管理) gives no need: team 1 has no 财务 need at all
    assert "财务管理" not in said
    assert ("T1", "财务") not in uncovered
    en = invoke("staff", folder, "--round", "R2026", "--targets", targets, "--lang", "en",
                "--format", "json")
    assert en.exit_code == 0, en.output
    text = json.dumps(json.loads(en.stdout), ensure_ascii=False)
    assert "earlier rounds found problems in “工程项目”" in text
