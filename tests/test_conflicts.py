"""Acquaintance-society conflicts on small hand-built ledgers.

Each test writes a ledger (CSV files through the real loader) and states the
expected conflicts inline, worked out by hand from the rules in DESIGN.md.
"""
from __future__ import annotations

import json

import numpy as np
import pytest

from linkgraph.analysis.conflicts.index import build_index
from linkgraph.analysis.conflicts import conflict_costs, find_conflicts
from linkgraph.dataset import load_dataset
from linkgraph.rules import load_rules
from tests.conftest import write_tables

BASE = {
    "regions.csv": """region_id,name,level,parent_id
C,成都市,市,
RA,青白江区,区,C
RB,新津区,区,C
RT,花源镇,镇,RB
""",
    "units.csv": """unit_id,name,region_id,sector
UA1,青白江区教育局,RA,教育
UB1,新津区教育局,RB,教育
UB2,新津区住房和城乡建设局,RB,住建
UB3,新津区档案馆,RB,档案
UT1,花源镇人民政府,RT,乡镇
""",
    "people.csv": """person_id,name,hometown_region_id
P1,王伟,RA
P2,陈明,RA
P10,王伟,RB
P11,刘芳,RB
P20,何强,RB
P21,赵丽,RB
P22,孙涛,RB
P23,周杰,RB
P30,吴昊,RA
P31,郑敏,RA
P40,钱军,
""",
    "posts.csv": """person_id,unit_id,title,is_top_leader,start,end
P10,UB1,局长,是,2018-01-01,
P20,UB2,副局长,否,2019-05-01,
P21,UB2,科长,否,2020-01-01,
P22,UB1,副局长,否,2021-01-01,
P23,UB2,局长,是,2017-01-01,
""",
    "ties.csv": """person_a,person_b,relation
P10,P11,配偶
""",
    "rounds.csv": """round_id,name,kind,start,end,organizer_region_id
X,2024年交叉巡察,交叉巡察,2024-04-01,2024-06-30,C
""",
    "teams.csv": """team_id,round_id,name,home_region_id
T1,X,青白江区交叉巡察组,RA
""",
    "team_members.csv": """team_id,person_id,role,seconded_from_unit_id
T1,P1,组长,
T1,P2,成员,
""",
    "assignments.csv": """round_id,team_id,unit_id
X,T1,UB1
X,T1,UB2
X,T1,UB3
""",
}


def ledger(tmp_path, **extra: str):
    """The base ledger with extra CSV lines appended per table
    (``ties="P20,P2,兄弟"``)."""
    files = dict(BASE)
    for table, lines in extra.items():
        name = f"{table}.csv"
        files[name] = files[name] + lines.strip() + "\n"
    return load_dataset(write_tables(tmp_path / "ledger", files))


def found(data, *, candidates=True, level=None, rules=None, round_id="X"):
    return {(c.team_id, c.person_id, c.unit_id, c.level, c.relation, c.hops)
            for c in find_conflicts(data, round_id, rules=rules, candidates=candidates,
                                    level=level)}


def rules_file(tmp_path, text: str):
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return load_rules(path)


def test_same_name_trap(tmp_path):
    # the inspector P1 and the 局长 of UB1 (P10) are both called 王伟; P10's
    # spouse is no relative of P1 and P1 never worked in UB1
    data = ledger(tmp_path)
    assert found(data) == set()


@pytest.mark.parametrize("word, relation", [
    ("兄弟", "sibling"), ("姐妹", "sibling"), ("配偶", "spouse"), ("子女", "parent_child"),
    ("岳父", "in_law"), ("表兄弟", "collateral"),
])
def test_reverse_direction_tie_in_the_words_people_write(tmp_path, word, relation):
    # the tie is listed official -> inspector (P20 first)
    data = ledger(tmp_path, ties=f"P20,P2,{word}")
    assert found(data) == {("T1", "P2", "UB2", "hard", relation, 1)}


def test_explanation_and_path(tmp_path):
    data = ledger(tmp_path, ties="P20,P2,兄弟")
    (c,) = find_conflicts(data, "X", candidates=True)
    assert c.explanation == ("陈明（青白江区交叉巡察组 成员）与何强为兄弟关系，何强现任新津区住房和城乡建设局"
                             "副局长（三代以内旁系血亲）")
    assert c.path == ("Person:P2", "Person:P20", "Unit:UB2")
    assert (c.person_name, c.unit_name, c.score) == ("陈明", "新津区住房和城乡建设局", 100.0)


def test_former_post_just_inside_and_just_outside_the_window(tmp_path):
    # round starts 2024-04-01, window starts 2021-04-01
    data = ledger(tmp_path, posts="""
P1,UB2,科员,否,2020-01-01,2021-04-01
P2,UB1,科员,否,2019-06-01,2021-03-31
""")
    assert found(data, level="hard") == {("T1", "P1", "UB2", "hard", "former_post", 0)}
    wider = rules_file(tmp_path, "[conflicts]\nlookback_years = 4\n")
    assert found(data, level="hard", rules=wider) == {
        ("T1", "P1", "UB2", "hard", "former_post", 0),
        ("T1", "P2", "UB1", "hard", "former_post", 0)}


def test_long_term_post_at_any_time_and_a_short_old_one(tmp_path):
    data = ledger(tmp_path, posts="""
P2,UB3,馆员,否,2005-01-01,2008-01-01
P1,UB3,馆员,否,2005-01-02,2008-01-01
""")
    assert found(data, level="hard") == {("T1", "P2", "UB3", "hard", "long_post", 0)}
    (c,) = find_conflicts(data, "X", candidates=True, level="hard")
    assert c.explanation == ("陈明（青白江区交叉巡察组 成员）2005年1月至2008年1月在新津区档案馆任馆员，"
                             "长期任职（3年以上）")


def test_current_post_in_the_target_is_hard(tmp_path):
    data = ledger(tmp_path, posts="P1,UB1,副局长,否,2023-01-01,")
    assert ("T1", "P1", "UB1", "hard", "former_post", 0) in found(data, level="hard")


def test_two_hop_soft_tie(tmp_path):
    # P1 -同学- P30 (no post) -同事- P21 (科长 of UB2)
    data = ledger(tmp_path, ties="P1,P30,同学\nP21,P30,同事")
    assert found(data) == {("T1", "P1", "UB2", "soft", "classmate+colleague", 2)}
    (c,) = find_conflicts(data, "X", candidates=True)
    assert c.path == ("Person:P1", "Person:P30", "Person:P21", "Unit:UB2")
    assert c.score == 0.5 * 3
    assert c.explanation == ("王伟（青白江区交叉巡察组 组长）的同学吴昊的同事赵丽"
                             "现任新津区住房和城乡建设局科长（二度关系）")
    one_hop = rules_file(tmp_path, "[conflicts]\nmax_hops = 1\n")
    assert found(data, rules=one_hop) == set()


def test_two_kinship_ties_in_a_row_are_a_close_in_law(tmp_path):
    # P2's spouse P31 is the sister of P22 (副局长 of UB1): 配偶的兄弟姐妹 = 近姻亲
    data = ledger(tmp_path, ties="P2,P31,配偶\nP22,P31,姐妹")
    assert found(data) == {("T1", "P2", "UB1", "hard", "in_law", 2)}
    soft = rules_file(tmp_path, "[conflicts]\ncompose_kinship = false\n")
    assert found(data, rules=soft) == {("T1", "P2", "UB1", "soft", "spouse+sibling", 2)}


def test_a_one_sided_word_read_from_the_other_side(tmp_path):
    # 何强 (P20, 副局长 of UB2) declared 陈明 (P2, inspector) as his 表哥
    data = ledger(tmp_path, ties="P20,P2,表哥")
    (c,) = find_conflicts(data, "X", candidates=True)
    assert (c.level, c.relation) == ("hard", "collateral")
    assert c.explanation == ("陈明（青白江区交叉巡察组 成员）是何强的表哥，何强现任新津区住房和城乡建设局"
                             "副局长（父母的兄弟姐妹的儿子，三代以内旁系血亲）")


@pytest.mark.parametrize("ties, relation", [
    # 陈明's 表兄弟 郑敏 (no post), whose wife 孙涛 is 副局长 of UB1:
    # 三代以内旁系血亲的配偶 = 近姻亲
    ("P2,P31,表兄弟\nP31,P22,妻子", "in_law"),
    # 陈明's wife 郑敏, whose 姐夫 is 孙涛: 配偶的兄弟姐妹的配偶 = 近姻亲
    ("P2,P31,老婆\nP31,P22,姐夫", "in_law"),
    # the same chain declared from the far ends: 孙涛 says 郑敏 is his 小姨子,
    # 郑敏 says 陈明 is her 丈夫
    ("P22,P31,小姨子\nP31,P2,丈夫", "in_law"),
    # 陈明's 舅舅 郑敏, whose daughter is 孙涛: 表姐妹 = 三代以内旁系血亲
    ("P2,P31,舅舅\nP31,P22,女儿", "collateral"),
])
def test_two_tie_kinship_chains_the_law_makes_hard(tmp_path, ties, relation):
    data = ledger(tmp_path, ties=ties)
    assert found(data) == {("T1", "P2", "UB1", "hard", relation, 2)}


@pytest.mark.parametrize("ties", [
    "P2,P31,表哥\nP31,P22,儿子",      # a cousin's son: beyond three generations
    "P2,P31,姐夫\nP31,P22,弟弟",      # 姐夫的弟弟: the law does not name it
    "P2,P31,同学\nP31,P22,配偶",      # a classmate's wife: not kinship at all
])
def test_two_tie_chains_the_law_does_not_name_stay_soft(tmp_path, ties):
    data = ledger(tmp_path, ties=ties)
    ((team, person, unit, level, _, hops),) = found(data)
    assert (team, person, unit, level, hops) == ("T1", "P2", "UB1", "soft", 2)


def test_two_tie_chain_sentence_names_the_path_and_the_degree(tmp_path):
    data = ledger(tmp_path, ties="P2,P31,老婆\nP31,P22,姐夫")
    (c,) = find_conflicts(data, "X", candidates=True)
    assert c.explanation == ("陈明（青白江区交叉巡察组 成员）的老婆郑敏的姐夫孙涛现任新津区教育局副局长"
                             "（妻子的姐妹的丈夫，按近姻亲回避）")


def test_an_unknown_relation_word_is_a_soft_tie_not_a_refusal(tmp_path):
    data = ledger(tmp_path, ties="P20,P2,拜把子")
    assert [w.value for w in data.warnings if w.table == "ties"] == ["拜把子"]
    assert found(data) == {("T1", "P2", "UB2", "soft", "other", 1)}


def test_two_hops_through_an_official_of_the_same_unit_is_one_hop(tmp_path):
    # P1 -同学- P21 (UB2) -同事- P23 (UB2): one conflict with UB2, at distance one
    data = ledger(tmp_path, ties="P1,P21,同学\nP21,P23,同事")
    assert found(data) == {("T1", "P1", "UB2", "soft", "classmate", 1)}


def test_unit_with_no_officials(tmp_path):
    # UB3 (档案馆) has no posts at all; UA1 has none either but lies in the
    # team's home region: 本地巡本地 for every member, with or without officials
    data = ledger(tmp_path, assignments="X,T1,UA1", ties="P1,P31,同学")
    assert found(data) == {("T1", "P1", "UA1", "hard", "home_region", 0),
                           ("T1", "P2", "UA1", "hard", "home_region", 0)}
    costs = conflict_costs(data, "X", rules=None)
    j = costs.unit_ids.index("UB3")
    assert not costs.team_unit_hard[:, j].any() and costs.team_unit_soft[:, j].sum() == 0


def test_home_region_counts_units_in_sub_regions_and_only_in_cross_rounds(tmp_path):
    data = ledger(tmp_path, teams="T2,X,新津区交叉巡察组,RB", team_members="T2,P40,组长,",
                  assignments="X,T2,UT1")
    hard = found(data, level="hard")
    assert {h for h in hard if h[0] == "T2"} == {
        ("T2", "P40", u, "hard", "home_region", 0) for u in ("UB1", "UB2", "UB3", "UT1")}
    regular = dict(BASE)
    regular["rounds.csv"] = BASE["rounds.csv"].replace("交叉巡察,2024", "常规巡察,2024")
    data = load_dataset(write_tables(tmp_path / "regular", regular))
    assert found(data, level="hard") == set()


def test_seconded_from_the_target(tmp_path):
    files = dict(BASE)
    files["team_members.csv"] = BASE["team_members.csv"].replace("T1,P2,成员,", "T1,P2,成员,UB2")
    data = load_dataset(write_tables(tmp_path / "sec", files))
    assert found(data) == {("T1", "P2", "UB2", "hard", "seconded", 0)}


def test_assigned_pairs_versus_all_candidates(tmp_path):
    # T2 inspects UA1 only; its member P40 is the spouse of P21 (UB2)
    data = ledger(tmp_path, teams="T2,X,新津区交叉巡察组,RB", team_members="T2,P40,组长,",
                  assignments="X,T2,UA1", ties="P40,P21,夫妻\nP20,P2,兄弟")
    assert found(data, candidates=False) == {("T1", "P2", "UB2", "hard", "sibling", 1)}
    with_candidates = found(data, level="hard")
    assert ("T2", "P40", "UB2", "hard", "spouse", 1) in with_candidates
    assert ("T1", "P2", "UB2", "hard", "sibling", 1) in with_candidates


def test_cost_matrices(tmp_path):
    # T1 (RA): P2's brother at UB2 (hard), P1's classmate at UB1 (soft 3),
    # P1's classmate's colleague at UB2 (soft 1.5); T2 (RB) is local to RB
    # and RT, and P40's classmate is the 局长 of UB2 (soft 3)
    data = ledger(tmp_path, teams="T2,X,新津区交叉巡察组,RB", team_members="T2,P40,组长,",
                  assignments="X,T2,UA1\nX,T2,UT1",
                  ties="P20,P2,兄弟\nP1,P10,同学\nP1,P30,同学\nP30,P21,同事\nP40,P23,同学")
    costs = conflict_costs(data, "X", rules=None)
    assert costs.team_ids == ("T1", "T2")
    assert costs.unit_ids == ("UA1", "UB1", "UB2", "UB3", "UT1")
    # the town RT lies in RB, a team's home region: a rotation over districts
    # counts UT1 as RB's
    assert costs.region_ids == ("RA", "RB")
    assert costs.unit_regions == {"UA1": "RA", "UB1": "RB", "UB2": "RB", "UB3": "RB",
                                  "UT1": "RB"}
    assert costs.team_unit_hard.tolist() == [[True, False, True, False, False],
                                             [False, True, True, True, True]]
    assert costs.team_unit_soft.tolist() == [[0, 3, 1.5, 0, 0], [0, 0, 3, 0, 0]]
    assert costs.team_region_hard.tolist() == [[True, True], [False, True]]
    assert costs.team_region_soft.tolist() == [[0, 4.5], [0, 3]]
    assert costs.team_region_hard.dtype == bool and costs.team_unit_soft.dtype == float
    assert {c.team_id for c in costs.conflicts} == {"T1", "T2"}


def test_former_colleague_and_superior(tmp_path):
    # P1 was 科员 in UA1 2015-2020 with P22 (科员, colleague long ago);
    # P2 was 科员 in UA1 2020-03..2022-06 under 局长 P23 (superior, within 3 years)
    data = ledger(tmp_path, posts="""
P1,UA1,科员,否,2015-01-01,2020-01-01
P22,UA1,科员,否,2016-01-01,2019-12-31
P2,UA1,科员,否,2020-03-01,2022-06-30
P23,UA1,局长,是,2012-01-01,2016-12-31
P23,UA1,兼任书记,是,2021-01-01,2022-12-31
""")
    assert found(data) == {("T1", "P1", "UB1", "soft", "colleague", 1),
                           ("T1", "P1", "UB2", "soft", "colleague", 1),
                           ("T1", "P2", "UB2", "soft", "superior", 1)}
    sup = [c for c in find_conflicts(data, "X", candidates=True) if c.relation == "superior"]
    assert sup[0].score == 5 and sup[0].path == ("Person:P2", "Unit:UA1", "Person:P23", "Unit:UB2")


def test_townsman_and_same_system(tmp_path):
    # P1's hometown is RB like P21's (UB2) — but also like every official
    # here, so make only P21 a townsman; P2 works now in UA1 (教育) like UB1
    files = dict(BASE)
    files["people.csv"] = (BASE["people.csv"].replace("P1,王伟,RA", "P1,王伟,RT")
                           .replace("P21,赵丽,RB", "P21,赵丽,RT"))
    files["posts.csv"] = BASE["posts.csv"] + "P2,UA1,副局长,否,2022-01-01,\n"
    data = load_dataset(write_tables(tmp_path / "t", files))
    assert found(data) == {("T1", "P1", "UB2", "soft", "townsman", 1),
                           ("T1", "P2", "UB1", "soft", "same_system", 0)}
    texts = {c.relation: c.explanation for c in find_conflicts(data, "X", candidates=True)}
    assert texts["townsman"] == ("王伟（青白江区交叉巡察组 组长）与赵丽同为花源镇人（同乡），"
                                 "赵丽现任新津区住房和城乡建设局科长")
    assert texts["same_system"] == ("陈明（青白江区交叉巡察组 成员）现任青白江区教育局副局长，"
                                    "与新津区教育局同属教育系统")


def test_same_system_through_secondment(tmp_path):
    # P2 holds no post in 教育 but is seconded (抽调) from UA1 (教育, not a
    # target): the inspector's own unit for 系统回避 is the one seconded from
    files = dict(BASE)
    files["team_members.csv"] = BASE["team_members.csv"].replace("T1,P2,成员,", "T1,P2,成员,UA1")
    data = load_dataset(write_tables(tmp_path / "s", files))
    assert found(data) == {("T1", "P2", "UB1", "soft", "same_system", 0)}
    same = [c for c in find_conflicts(data, "X", candidates=True) if c.relation == "same_system"]
    assert same[0].explanation == ("陈明（青白江区交叉巡察组 成员）抽调自青白江区教育局，"
                                   "与新津区教育局同属教育系统")
    assert same[0].path == ("Person:P2", "Unit:UA1", "Unit:UB1")


def test_deterministic_and_input_untouched(tmp_path):
    data = ledger(tmp_path, ties="P20,P2,兄弟\nP1,P30,同学\nP30,P21,同事")
    before = {k: v.copy() for k, v in data.tables.items()}
    a = find_conflicts(data, "X", candidates=True)
    b = find_conflicts(data, "X", candidates=True)
    assert a == b
    # the round's reachable part of the data gives what the whole data gives
    assert a == find_conflicts(data, "X", candidates=True, index=build_index(data.tables))
    for k, v in before.items():
        assert v.equals(data.tables[k])


def test_cli_json_has_the_keys_the_issue_lists(tmp_path, invoke):
    folder = tmp_path / "ledger"
    ledger(tmp_path, ties="P20,P2,兄弟\nP1,P30,同学\nP30,P21,同事")
    result = invoke("conflicts", folder, "--round", "X", "--format", "json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)["records"]
    keys = {"team_id", "person_id", "person_name", "unit_id", "unit_name", "level", "relation",
            "score", "path", "explanation"}
    assert records and all(keys <= set(r) for r in records)
    assert [r["relation"] for r in records] == ["classmate+colleague", "sibling"]
    hard = json.loads(invoke("conflicts", folder, "--round", "X", "--level", "hard",
                             "--format", "json").stdout)["records"]
    assert [r["relation"] for r in hard] == ["sibling"]


def test_cli_rules_override_and_errors(tmp_path, invoke):
    folder = tmp_path / "ledger"
    ledger(tmp_path, ties="P1,P10,同学")
    (tmp_path / "strict.toml").write_text('[relations.classmate]\nlevel = "hard"\n', "utf-8")
    out = invoke("conflicts", folder, "--round", "X", "--rules", tmp_path / "strict.toml",
                 "--format", "json")
    assert [r["level"] for r in json.loads(out.stdout)["records"]] == ["hard"]
    bad = invoke("conflicts", folder, "--round", "NOPE")
    assert bad.exit_code == 1 and "NOPE" in bad.output and "Traceback" not in bad.output
    (tmp_path / "bad.toml").write_text("[conflicts]\nmax_hops = 3\n", "utf-8")
    bad = invoke("conflicts", folder, "--round", "X", "--rules", tmp_path / "bad.toml")
    assert bad.exit_code == 1 and "max_hops" in bad.output


def test_cli_costs_sheets(tmp_path, invoke):
    folder = tmp_path / "ledger"
    ledger(tmp_path, ties="P20,P2,兄弟")
    doc = json.loads(invoke("conflicts", folder, "--round", "X", "--costs",
                            "--format", "json").stdout)
    rows = {(r["team_id"], r["region_id"]): r for r in doc["team_region"]}
    assert rows[("T1", "RB")]["hard"] is True and rows[("T1", "RB")]["soft"] == 0
    assert np.isclose(sum(r["soft"] for r in doc["team_unit"]), 0)


def test_a_blank_end_is_ended_by_the_next_post_elsewhere(tmp_path):
    # 王伟 was 科员 of UB1 from 2019 with no end written, then 副局长 of
    # UA1 from 2022-06: he left UB1 then — 22 months before the round, within
    # the three-year window — and the sentence says the end was inferred
    data = ledger(tmp_path, posts="P1,UB1,科员,否,2019-01-01,\nP1,UA1,副局长,否,2022-06-01,")
    (c,) = [c for c in find_conflicts(data, "X", level="hard") if c.person_id == "P1"]
    assert (c.unit_id, c.relation) == ("UB1", "former_post")
    assert c.explanation == ("王伟（青白江区交叉巡察组 组长）2019年1月至2022年6月曾任新津区教育局科员"
                             "（任职结束时间空缺，按其2022年起任青白江区教育局副局长推定），离任不满3年")


def test_a_blank_end_inferred_long_ago_is_no_conflict(tmp_path):
    # the same two years in UB1, but he moved to UA1 in 2015: not within three
    # years, not three years long — no hard conflict with UB1
    data = ledger(tmp_path, posts="P1,UB1,科员,否,2013-01-01,\nP1,UA1,副局长,否,2015-03-01,")
    assert {u for _, p, u, *_ in found(data, level="hard") if p == "P1"} == set()


def test_a_blank_end_with_nothing_after_it_stays_current(tmp_path):
    data = ledger(tmp_path, posts="P1,UB1,科员,否,2013-01-01,")
    (c,) = [c for c in find_conflicts(data, "X", level="hard") if c.person_id == "P1"]
    assert c.explanation == "王伟（青白江区交叉巡察组 组长）现任新津区教育局科员（2013年1月起），须任职回避"


def test_a_later_post_in_the_same_unit_does_not_end_the_earlier_one(tmp_path):
    # a promotion inside UB1 (科员 → 副局长): he is still in UB1 either way
    data = ledger(tmp_path, posts="P1,UB1,科员,否,2013-01-01,\nP1,UB1,副局长,否,2016-01-01,")
    hard = {(p, u) for _, p, u, *_ in found(data, level="hard")}
    assert ("P1", "UB1") in hard


def test_an_official_who_moved_on_is_no_longer_an_official_of_the_unit(tmp_path):
    # 孙涛 (P22) became 副局长 of UB1 in 2021 (no end written) and moved to
    # UA1 in 2023: at the round (2024-04) his brother 陈明 meets no official of UB1
    moved = ledger(tmp_path / "moved", ties="P2,P22,兄弟", posts="P22,UA1,局长,是,2023-01-01,")
    assert {u for _, p, u, *_ in found(moved) if p == "P2"} == set()
    stayed = ledger(tmp_path / "stayed", ties="P2,P22,兄弟")
    assert ("T1", "P2", "UB1", "hard", "sibling", 1) in found(stayed)


def test_a_later_temporary_posting_does_not_end_the_post(tmp_path):
    # 王伟 keeps UB1 open from 2013 and was 挂职 in UA1 2016–2017: a temporary
    # posting by its title ([posts] temporary_title_words) — UB1 stays current
    data = ledger(tmp_path, posts="P1,UB1,科员,否,2013-01-01,\nP1,UA1,挂职副局长,否,2016-01-01,"
                                  "2017-12-31")
    (c,) = [c for c in find_conflicts(data, "X", level="hard") if c.person_id == "P1"]
    assert c.explanation.endswith("现任新津区教育局科员（2013年1月起），须任职回避")


def test_a_later_post_that_ended_too_ends_the_blank_one(tmp_path):
    # 王伟: UB1 from 2019 (blank), then 副局长 of UA1 2021-06..2021-12 and no
    # post after: he left UB1 in 2021-06, after 2021-04-01 (three years before
    # the round): former_post
    data = ledger(tmp_path, posts="P1,UB1,科员,否,2019-01-01,\nP1,UA1,副局长,否,2021-06-01,"
                                  "2021-12-31")
    (c,) = [c for c in find_conflicts(data, "X", level="hard") if c.person_id == "P1"]
    assert "2019年1月至2021年6月曾任新津区教育局科员（任职结束时间空缺，按其2021年起任" in c.explanation
    # moved on in 2021-03: more than three years before, two years long — none
    data = ledger(tmp_path / "b", posts="P1,UB1,科员,否,2019-01-01,\nP1,UA1,副局长,否,"
                                        "2021-03-01,2021-12-31")
    assert [c for c in find_conflicts(data, "X", level="hard") if c.person_id == "P1"] == []


def test_townsmen_only_at_the_township_or_village_level(tmp_path):
    # everyone in BASE is from a 区 (RA, RB): the same county-level hometown is
    # no hint by default; RV1/RV2 are two villages of 花源镇 (RT), one township
    files = dict(BASE)
    files["regions.csv"] = BASE["regions.csv"] + "RV1,花源村,村,RT\nRV2,柳林村,村,RT\n"
    files["people.csv"] = (BASE["people.csv"].replace("P1,王伟,RA", "P1,王伟,RB")
                           .replace("P20,何强,RB", "P20,何强,RV1")
                           .replace("P2,陈明,RA", "P2,陈明,RV2"))
    data = load_dataset(write_tables(tmp_path / "t", files))
    townsmen = {(p, u) for _, p, u, _, rel, _ in found(data) if rel == "townsman"}
    assert townsmen == {("P2", "UB2")}          # 陈明 and 何强: both from 花源镇
    (c,) = [c for c in find_conflicts(data, "X", candidates=True) if c.relation == "townsman"]
    assert "与何强同为花源镇人（同乡）" in c.explanation
    # a rules file that counts any shared hometown: 王伟 (RB) matches every RB official
    anywhere = rules_file(tmp_path, "[conflicts]\ntownsman_levels = []\n")
    townsmen = {(p, u) for _, p, u, _, rel, _ in found(data, rules=anywhere) if rel == "townsman"}
    assert townsmen == {("P1", "UB1"), ("P1", "UB2")}


def test_a_distant_kin_chain_weighs_as_a_distant_relative(tmp_path):
    # 陈明's 姐夫 郑敏, whose father is 孙涛: kin the law does not name — soft,
    # weighed as one "other" tie at distance two (0.5 × 1), not as two close kin
    data = ledger(tmp_path, ties="P2,P31,姐夫\nP31,P22,父亲")
    (c,) = find_conflicts(data, "X", candidates=True)
    assert (c.level, c.hops, c.score) == ("soft", 2, 0.5)


def test_soft_hints_one_capped_ranked_score_per_pair(tmp_path):
    from linkgraph.analysis.conflicts import soft_hints

    # 王伟 (P1): classmate of 赵丽 (UB2 科长, 3) and mentor of 周杰 (UB2 局长, 4) —
    # two links to UB2, 7 combined; 陈明 (P2): classmate of 孙涛 (UB1, 3) and
    # brother of 何强 (UB2: hard, so no hint for that pair)
    data = ledger(tmp_path, ties="P1,P21,同学\nP1,P23,导师\nP2,P22,同学\nP2,P20,兄弟")
    hints = soft_hints(find_conflicts(data, "X", candidates=True), cap=10)
    assert [(h.rank, h.person_id, h.unit_id, h.score, h.n_links) for h in hints] == [
        (1, "P1", "UB2", 7.0, 2), (2, "P2", "UB1", 3.0, 1)]
    assert hints[0].relations == ("mentor", "classmate")
    assert hints[0].reasons.count("；") == 1
    capped = soft_hints(find_conflicts(data, "X", candidates=True), cap=5)
    assert [h.score for h in capped] == [5.0, 3.0]


def test_cli_hints_say_the_share_of_pairs(tmp_path, invoke):
    folder = tmp_path / "ledger"
    ledger(tmp_path, ties="P1,P21,同学")
    result = invoke("conflicts", folder, "--round", "X", "--hints", "--format", "json")
    assert result.exit_code == 0
    # 2 members × 3 units = 6 pairs; one has a hint
    assert "占全部组合 16.7%" in result.stderr
    (rec,) = json.loads(result.stdout)["records"]
    assert (rec["person_id"], rec["unit_id"], rec["relations"]) == ("P1", "UB2", "classmate")


def test_cli_names_the_relation_words_to_review(tmp_path, invoke):
    folder = tmp_path / "ledger"
    ledger(tmp_path, ties="P20,P2,拜把子")
    result = invoke("conflicts", folder, "--round", "X", "--candidates")
    assert result.exit_code == 0
    assert "以下关系用语未能识别" in result.stderr and "拜把子（1条）" in result.stderr


TINY_FOR_EN = {
    "regions.csv": "region_id,name,level\nR1,金堂县,县\n",
    "units.csv": "unit_id,name,region_id,sector\nU1,金堂县教育局,R1,教育\nU2,金堂县纪委监委,R1,纪检\n",
    "people.csv": "person_id,name\nP1,陈明\nP2,何娟\n",
    "posts.csv": "person_id,unit_id,title,is_top_leader,start,end\n"
                 "P2,U1,局长,是,2020-01-01,\nP1,U2,科员,否,2015-01-01,\n",
    "ties.csv": "person_a,person_b,relation\nP1,P2,配偶\n",
    "rounds.csv": "round_id,name,kind,start,end\nX1,第一轮,常规巡察,2024-03-01,2024-05-31\n",
    "teams.csv": "team_id,round_id,name,home_region_id\nT1,X1,第一巡察组,R1\n",
    "team_members.csv": "team_id,person_id,role\nT1,P1,组长\n",
    "assignments.csv": "round_id,team_id,unit_id\nX1,T1,U1\n",
}


def test_conflict_evidence_in_english_says_the_same_facts(tmp_path):
    """The English sentence names the inspector, team, role, official and
    unit as written, the tie in English and the law's degree; no Chinese
    words of its own."""
    import re

    data = load_dataset(write_tables(tmp_path / "en", TINY_FOR_EN))
    found = find_conflicts(data, "X1")
    spouse = next(c for c in found if c.relation == "spouse")
    assert spouse.explanation_en == ("陈明 (第一巡察组, team leader)'s spouse 何娟 is now 局长 at "
                                     "金堂县教育局 (spouse: spouses)")
    leftover = re.sub(r"陈明|何娟|第一巡察组|局长|金堂县教育局", "", spouse.explanation_en)
    assert not re.search(r"[\u4e00-\u9fff]", leftover)
    assert "配偶" in spouse.explanation   # the Chinese sentence is unchanged
