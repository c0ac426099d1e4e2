"""The rotation planner on a small hand-built county and on generated data.

The county 城关县 has four towns (甲镇 RA, 乙镇 RB, 丙镇 RC, 丁镇 RD), each
sending one team of a leader and a member to the cross round X:

* T1 (甲镇): M1 组长, M2 成员 — M2 is the spouse of 乙镇's official OB1, a
  member-level hard conflict: T1 → 乙镇 needs a swap (or is excluded);
* T2 (乙镇): M3, M4 — M4 is a classmate of 丙镇's official OC1 (soft);
* T3 (丙镇): M5, M6; T4 (丁镇): M7, M8.

Round X0 (the year before) paired 甲→乙, 乙→丙, 丙→丁, 丁→甲.  Every
expected answer below is worked out by hand from these facts.
"""
from __future__ import annotations

import json

import pytest

from linkgraph.dataset import load_dataset
from linkgraph.errors import InfeasibleError, LinkgraphError
from linkgraph.rotation import RotationOptions, plan_rotation
from linkgraph.rotation.problem import recent_pairs
from tests.conftest import write_tables

BASE = {
    "regions.csv": """region_id,name,level,parent_id
C,城关县,县,
RA,甲镇,镇,C
RB,乙镇,镇,C
RC,丙镇,镇,C
RD,丁镇,镇,C
""",
    "units.csv": """unit_id,name,region_id,sector
UA1,甲镇党委,RA,乡镇
UA2,甲镇卫生院,RA,卫生
UB1,乙镇党委,RB,乡镇
UB2,乙镇中学,RB,教育
UC1,丙镇党委,RC,乡镇
UD1,丁镇党委,RD,乡镇
UD2,丁镇中学,RD,教育
UD3,丁镇卫生院,RD,卫生
""",
    "people.csv": """person_id,name
M1,甲一
M2,甲二
M3,乙一
M4,乙二
M5,丙一
M6,丙二
M7,丁一
M8,丁二
OA1,甲官
OB1,乙官
OC1,丙官
OD1,丁官
""",
    "posts.csv": """person_id,unit_id,title,is_top_leader,start,end
OA1,UA1,书记,是,2022-01-01,
OB1,UB1,书记,是,2022-01-01,
OC1,UC1,书记,是,2022-01-01,
OD1,UD1,书记,是,2022-01-01,
""",
    "ties.csv": """person_a,person_b,relation
M2,OB1,配偶
M4,OC1,同学
""",
    "rounds.csv": """round_id,name,kind,start,end,organizer_region_id
X0,2023年交叉巡察,交叉巡察,2023-04-01,2023-06-30,C
X,2024年交叉巡察,交叉巡察,2024-04-01,2024-06-30,C
""",
    "teams.csv": """team_id,round_id,name,home_region_id
S1,X0,甲镇组,RA
S2,X0,乙镇组,RB
S3,X0,丙镇组,RC
S4,X0,丁镇组,RD
T1,X,甲镇组,RA
T2,X,乙镇组,RB
T3,X,丙镇组,RC
T4,X,丁镇组,RD
""",
    "team_members.csv": """team_id,person_id,role,seconded_from_unit_id
T1,M1,组长,
T1,M2,成员,
T2,M3,组长,
T2,M4,成员,
T3,M5,组长,
T3,M6,成员,
T4,M7,组长,
T4,M8,成员,
""",
    "assignments.csv": """round_id,team_id,unit_id
X0,S1,UB1
X0,S2,UC1
X0,S3,UD1
X0,S4,UA1
X,T1,UA1
X,T1,UA2
X,T1,UB1
X,T1,UB2
X,T1,UC1
X,T1,UD1
X,T1,UD2
X,T1,UD3
""",
}
HOME = {"T1": "RA", "T2": "RB", "T3": "RC", "T4": "RD"}


def ledger(tmp_path, **extra: str):
    files = dict(BASE)
    for table, lines in extra.items():
        files[f"{table}.csv"] += lines.strip() + "\n"
    return load_dataset(write_tables(tmp_path / "ledger", files))


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    return ledger(tmp_path_factory.mktemp("rot"))


def plan(data, **options):
    return plan_rotation(data, "X", RotationOptions(**options))


def pairs(p) -> dict[str, str]:
    return {q.team_id: q.to_region_id for q in p.pairs}


def check_invariants(p) -> None:
    got = pairs(p)
    assert sorted(got.values()) == ["RA", "RB", "RC", "RD"]      # every target once
    assert all(HOME[t] != r for t, r in got.items())             # never self-inspection


def test_default_plan_avoids_every_conflict(county):
    p = plan(county)
    check_invariants(p)
    got = pairs(p)
    assert got["T1"] != "RB" and got["T2"] != "RC"   # a swap costs 10, a soft tie > 0
    assert p.objective == 0 and p.optimal and p.gap == 0 and p.member_swaps == ()
    by_team = {q.team_id: q for q in p.pairs}
    assert by_team["T1"].unit_ids == {"RC": ("UC1",), "RD": ("UD1", "UD2", "UD3"),
                                      "RA": ("UA1", "UA2")}[got["T1"]]
    rec = p.as_record()
    assert set(rec) >= {"pairs", "objective", "optimal", "gap", "constraints", "member_swaps",
                        "alternatives"}
    assert set(rec["pairs"][0]) >= {"team_id", "from_region_id", "to_region_id", "unit_ids",
                                    "cost", "soft_conflicts"}
    assert "无回避冲突" in rec["pairs"][0]["reason"]


def test_member_conflict_is_swapped_when_the_pair_is_fixed(county):
    p = plan(county, fix=(("T1", "RB"),))
    check_invariants(p)
    assert pairs(p)["T1"] == "RB"
    [swap] = p.member_swaps
    # M2 must leave; the same-role candidates M4, M6, M8 add no soft score,
    # so the first by team id wins: M4 of T2
    assert (swap.person_id, swap.team_id, swap.with_person_id, swap.to_team_id) == \
        ("M2", "T1", "M4", "T2")
    assert "配偶" in swap.conflict or "夫妻" in swap.conflict
    t1 = {q.team_id: q for q in p.pairs}["T1"]
    assert t1.swaps == 1 and t1.cost == 10.0 and p.objective == 10.0
    assert "调换" in t1.reason and "按指定配对" in t1.reason


def test_without_swaps_a_member_conflict_excludes_the_pair(county):
    with pytest.raises(LinkgraphError, match="T1:RB"):
        plan(county, fix=(("T1", "RB"),), member_swaps=False)
    p = plan(county, member_swaps=False, forbid=(("T1", "RC"),))
    assert pairs(p)["T1"] == "RD"
    assert p.as_record()["constraints"]["excluded_pairs"]["hard"] == 5  # 4 home + T1→RB


def test_soft_conflict_is_costed_and_listed(county):
    p = plan(county, fix=(("T2", "RC"),))
    t2 = {q.team_id: q for q in p.pairs}["T2"]
    assert t2.cost > 0 and p.objective == t2.cost
    [c] = t2.soft_conflicts
    assert (c["person_id"], c["unit_id"], c["relation"]) == ("M4", "UC1", "classmate")
    assert "同学" in t2.reason


def test_teams_staffed_afresh_do_not_weigh_their_current_members(county):
    # rotate --staff: T1 → 乙镇 needs no swap (M2 is not T1's any more) and
    # T2 → 丙镇 carries no soft score (nor does M4): both pairs cost 0
    p = plan(county, fix=(("T1", "RB"), ("T2", "RC")), member_swaps=False,
             without_members=True)
    check_invariants(p)
    assert pairs(p)["T1"] == "RB" and pairs(p)["T2"] == "RC"
    assert p.member_swaps == () and p.objective == 0 and p.optimal
    assert all(q.cost == 0 and not q.soft_conflicts for q in p.pairs)
    assert any("未计各组现有成员" in n for n in p.notes)
    assert p.as_record()["constraints"]["excluded_pairs"]["hard"] == 4   # the homes only


def test_recent_pairs_come_from_the_previous_round(county):
    last = {("RA", "RB"), ("RB", "RC"), ("RC", "RD"), ("RD", "RA")}
    assert recent_pairs(county, "X", 1) == last
    assert recent_pairs(county, "X0", 3) == set()
    p = plan(county, avoid_recent=1)
    check_invariants(p)
    assert not {(HOME[t], r) for t, r in pairs(p).items()} & last


def test_forbid_by_region_names_leaves_one_choice(county):
    p = plan(county, forbid=(("甲镇", "丙镇"), ("RA", "丁镇")))
    assert pairs(p)["T1"] == "RB" and len(p.member_swaps) == 1
    with pytest.raises(LinkgraphError, match="cannot resolve"):
        plan(county, forbid=(("T9", "RB"),))


def test_zones_force_the_pairs_and_name_the_cause(county, tmp_path):
    from linkgraph.rotation.files import read_zones

    zones_file = tmp_path / "zones.csv"
    zones_file.write_text("区域编码,片区\nRA,北片\nRB,北片\nRC,南片\nRD,南片\n", encoding="gbk")
    zones = read_zones(zones_file)
    assert zones == {"RA": "北片", "RB": "北片", "RC": "南片", "RD": "南片"}
    p = plan(county, zones=zones)
    assert pairs(p) == {"T1": "RB", "T2": "RA", "T3": "RD", "T4": "RC"}
    assert [s.person_id for s in p.member_swaps] == ["M2"]
    with pytest.raises(InfeasibleError) as err:
        plan(county, zones=zones, member_swaps=False)
    assert "T1" in str(err.value) and "--zones" in str(err.value)
    with pytest.raises(InfeasibleError) as err:
        plan(county, zones=zones, no_reciprocal=True)
    assert "--no-reciprocal" in str(err.value) and "--zones" in str(err.value)


def test_single_cycle_is_one_ring_and_no_reciprocal_has_no_pair(county):
    team_of = {r: t for t, r in HOME.items()}
    ring = pairs(plan(county, single_cycle=True))
    t, seen = "T1", []
    while t not in seen:
        seen.append(t)
        t = team_of[ring[t]]
    assert len(seen) == 4
    p = plan(county, no_reciprocal=True)
    got = pairs(p)
    assert all(got[team_of[r]] != HOME[t] for t, r in got.items())


def test_capacity_tolerance(county):
    # workloads 2, 2, 1, 3 units against four teams of two: ratios 1, 1, 0.5, 1.5
    with pytest.raises(InfeasibleError) as err:
        plan(county, capacity_tolerance=0.5)
    assert "丙镇" in str(err.value) and "--capacity-tolerance" in str(err.value)
    p = plan(county, capacity_tolerance=1.0)
    assert all(max(q.workload_ratio, 1 / q.workload_ratio) - 1 <= 1.0 for q in p.pairs)


def test_region_in_conflict_with_every_other_team(tmp_path):
    data = ledger(tmp_path, ties="M1,OD1,配偶\nM3,OD1,兄弟\nM5,OD1,父子")
    with pytest.raises(InfeasibleError) as err:
        plan(data, member_swaps=False)
    msg = str(err.value)
    assert "丁镇" in msg and "has hard conflicts with every other region's team" in msg
    # with swaps the leader of the one team that may go is swapped in
    p = plan(data)
    check_invariants(p)
    goes = {t for t, r in pairs(p).items() if r == "RD"}
    [swap] = [s for s in p.member_swaps if s.team_id in goes]
    assert swap.role == "leader" and swap.with_person_id == "M7"


def test_k_teams_with_fewer_regions(county):
    # T1 and T2 may then only go to 丁镇, though every team and region has a partner
    with pytest.raises(InfeasibleError) as err:
        plan(county, forbid=(("T1", "RB"), ("T1", "RC"), ("T2", "RA"), ("T2", "RC")))
    assert "2 teams can only go to 1 regions" in str(err.value)
    assert "丁镇" in str(err.value)
    assert "--forbid" in str(err.value)


def test_alternatives_are_the_next_best_and_differ(county):
    p = plan(county, alternatives=3)
    assert len(p.alternatives) == 3
    assert [a.objective for a in p.alternatives] == sorted(a.objective for a in p.alternatives)
    chosen = tuple(sorted(pairs(p).items()))
    assert all(a.pairs != chosen and a.differs for a in p.alternatives)
    assert len({a.pairs for a in p.alternatives}) == 3
    # the workbook says each difference as "team: from → to"; in English with
    # English punctuation (only the names are Chinese)
    from linkgraph.rotation.files import plan_workbook

    en = plan_workbook(p, lang="en", round_name="第一轮")[0]
    zh = plan_workbook(p, lang="zh", round_name="第一轮")[0]
    for sheet, colon, sep in ((en, ": ", "; "), (zh, "：", "；")):
        first = p.alternatives[0]
        moves = sheet["alternatives"][0]["differs"].split(sep)
        assert len(moves) == len(first.differs) and all(colon in m and " → " in m
                                                        for m in moves)
    assert not any(ch in en["alternatives"][0]["differs"] + str(en["solve_summary"])
                   for ch in "：；（）")


def test_deterministic_for_a_seed_and_targets_file(county, tmp_path):
    from linkgraph.rotation.files import read_targets

    one = json.dumps(plan(county, seed=5).as_record(), ensure_ascii=False)
    assert one == json.dumps(plan(county, seed=5).as_record(), ensure_ascii=False)
    targets = tmp_path / "t.csv"
    targets.write_text("单位编码\nUA1\nUB1\nUC1\nUD1\n", encoding="utf-8-sig")
    p = plan(county, targets=read_targets(targets))
    assert sorted(u for q in p.pairs for u in q.unit_ids) == ["UA1", "UB1", "UC1", "UD1"]
    targets.write_text("单位编码\nUA1\nUB1\nUC1\n", encoding="utf-8-sig")
    with pytest.raises(LinkgraphError, match="one team per region"):
        plan(county, targets=read_targets(targets))


def test_cli_json_and_error_exit(tmp_path, invoke):
    folder = write_tables(tmp_path / "cli", BASE)
    result = invoke("rotate", folder, "--round", "X", "--single-cycle", "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert len(doc["pairs"]) == 4 and doc["optimal"] is True and "provenance" in doc
    assert doc["constraints"]["single_cycle"] is True
    bad = invoke("rotate", folder, "--round", "X", "--capacity-tolerance", "0.5")
    assert bad.exit_code == 1 and "Traceback" not in bad.output
    assert "--capacity-tolerance" in bad.output
    usage = invoke("rotate", folder, "--round", "X", "--fix", "T1")
    assert usage.exit_code == 2


@pytest.fixture(scope="module")
def county3(generated):
    """County-scale generated ledgers (seed 3, the session's) and their
    cross-inspection round."""
    out = generated("county", 3)
    data = load_dataset(out)
    rounds = data.tables["rounds"]
    return out, data, str(rounds.loc[rounds["kind"] == "cross", "round_id"].iloc[-1])


def test_generated_county_end_to_end(county3, invoke, tmp_path):
    from openpyxl import load_workbook

    from linkgraph.analysis.conflicts import conflict_costs
    from linkgraph.rotation.members import person_hard_regions
    from linkgraph.rotation.problem import split_hard

    folder, data, round_id = county3
    args = ["rotate", folder, "--round", round_id, "--single-cycle", "--avoid-recent", "2",
            "--alternatives", "2", "--time-limit", "20"]
    result = invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    costs = conflict_costs(data, round_id)
    teams = data.tables["teams"].set_index("team_id")
    assert sorted(p["to_region_id"] for p in doc["pairs"]) == sorted(costs.region_ids)
    assert sorted(p["team_id"] for p in doc["pairs"]) == sorted(costs.team_ids)
    team_level, _ = split_hard(costs)
    members = {t: set(g["person_id"]) for t, g in
               data.tables["team_members"].groupby("team_id")}
    for s in doc["member_swaps"]:
        members[s["team_id"]] = members[s["team_id"]] - {s["person_id"]} | {s["with_person_id"]}
        members[s["to_team_id"]] = (members[s["to_team_id"]] - {s["with_person_id"]}
                                    | {s["person_id"]})
    hard = person_hard_regions(costs)
    for p in doc["pairs"]:
        i, j = costs.team_ids.index(p["team_id"]), costs.region_ids.index(p["to_region_id"])
        assert not team_level[i, j] and teams.loc[p["team_id"], "home_region_id"] != \
            p["to_region_id"]
        assert not any(p["to_region_id"] in hard.get(m, {}) for m in members[p["team_id"]])
        assert p["reason"]
    assert doc["optimal"] and len(doc["alternatives"]) == 2
    # the same command twice gives the same plan
    again = json.loads(invoke(*args, "--format", "json").stdout)
    assert again["pairs"] == doc["pairs"]
    # forbidding the chosen pairs moves them
    first = [f"{p['team_id']}:{p['to_region_id']}" for p in doc["pairs"][:3]]
    moved = json.loads(invoke("rotate", folder, "--round", round_id, *sum(
        (["--forbid", f] for f in first), []), "--format", "json").stdout)
    assert not {f"{p['team_id']}:{p['to_region_id']}" for p in moved["pairs"]} & set(first)
    xlsx = tmp_path / "plan.xlsx"
    assert invoke(*args, "--out", xlsx).exit_code == 0
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["交叉巡察方案", "被巡察单位", "剩余软冲突", "成员调换", "备选方案",
                             "求解说明", "来源"]
    plan_sheet = wb["交叉巡察方案"]
    header = [c.value for c in plan_sheet[1]]
    assert "配对理由" in header and plan_sheet.max_row == len(doc["pairs"]) + 1
    reasons = [row[header.index("配对理由")] for row in
               plan_sheet.iter_rows(min_row=2, values_only=True)]
    assert all("派出" in r and "巡察" in r for r in reasons)
    # one row per unit to inspect, with its name beside the id
    units = list(wb["被巡察单位"].iter_rows(min_row=2, values_only=True))
    assert len(units) == sum(len(p["unit_ids"]) for p in doc["pairs"])
    units_table = data.tables["units"]
    names = dict(zip(units_table["unit_id"], units_table["name"]))
    assert all(row[4] == names[row[3]] for row in units)
    summary = {r[0]: r[1] for r in wb["求解说明"].iter_rows(min_row=2, values_only=True)}
    assert summary["连成一个推磨环"] == "是" and not any("{" in str(v) for v in summary.values())
    table = invoke("rotate", folder, "--round", round_id)
    assert table.exit_code == 0 and "巡察组编码" in table.stdout


def test_units_of_sub_regions_count_for_the_home_level_region(tmp_path):
    # a village of 甲镇 (teams are sent by towns): its unit is 甲镇's, and a
    # member's hard conflict there is a conflict with 甲镇
    data = ledger(tmp_path, regions="RA1,甲镇一村,村,RA", units="UA3,甲镇一村村委,RA1,村",
                  people="OA3,村官", posts="OA3,UA3,书记,是,2022-01-01,",
                  ties="M4,OA3,兄弟", assignments="X,T1,UA3")
    p = plan(data, member_swaps=False)
    check_invariants(p)
    by_team = {q.team_id: q for q in p.pairs}
    goes = [q for q in p.pairs if q.to_region_id == "RA"][0]
    assert goes.unit_ids == ("UA1", "UA2", "UA3") and goes.team_id != "T2"
    assert by_team["T2"].to_region_id != "RA"


def test_a_swap_that_fails_after_solving_excludes_the_pair(tmp_path):
    # M2 is also a sibling of the officials of 甲镇, 丙镇 and 丁镇: T1 may only
    # go to 乙镇 (forbids), M2 would have to leave, but no team can take him
    data = ledger(tmp_path, ties="M2,OA1,兄弟\nM2,OC1,兄弟\nM2,OD1,兄弟")
    with pytest.raises(InfeasibleError) as err:
        plan(data, forbid=(("T1", "RC"), ("T1", "RD")), max_swaps=3)
    msg = str(err.value)
    assert "T1" in msg and "member recusal without a swap" in msg
