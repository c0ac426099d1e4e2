"""From ledgers to the rotation problem: who may inspect whom, at what cost.

A team may not inspect region j for one or more reasons, kept as bits of
``blocked[i, j]`` so that an infeasible plan can say which constraint to
relax: its home region (本地), a team-level hard conflict (回避: 本地巡本地,
the team's home contains the region), member-level hard conflicts that no
same-role swap can remove, a pairing used in the last K rounds, another
片区, ``--forbid``, a ``--fix`` elsewhere, or a workload/capacity mismatch.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from linkgraph.analysis.conflicts import ConflictCosts, conflict_costs
from linkgraph.analysis.conflicts.index import rotation_regions
from linkgraph.errors import LinkgraphError
from linkgraph.rotation.instance import Instance
from linkgraph.rotation.options import RotationOptions
from linkgraph.schema import Tables


BLOCKS = ("home", "hard", "member", "recent", "zone", "forbid", "fix", "capacity")
BIT = {name: 1 << k for k, name in enumerate(BLOCKS)}
BLOCK_ZH = {
    "home": "本地区（不巡本地）", "hard": "回避（硬冲突）", "member": "成员回避且无法调换",
    "recent": "近期轮次已配对", "zone": "不在同一片区", "forbid": "指定禁止", "fix": "被指定配对占用",
    "capacity": "力量与工作量不匹配",
}
BLOCK_EN = {
    "home": "own region", "hard": "hard conflict", "member": "member recusal without a swap",
    "recent": "paired in recent rounds", "zone": "another zone", "forbid": "forbidden",
    "fix": "taken by a fixed pair", "capacity": "capacity/workload mismatch",
}
#: how to relax each kind of block (None: not an option; change data or rules)
RELAX = {
    "member": "--max-swaps", "recent": "--avoid-recent", "zone": "--zones",
    "forbid": "--forbid", "fix": "--fix", "capacity": "--capacity-tolerance",
}
SOFT_SCALE = 10       # soft scores are counted in tenths
IMBALANCE_CAP = 100   # imbalance per pair in percent, capped


@dataclass(frozen=True)
class RotationProblem:
    """Teams (rows) × target regions (columns) of one round."""

    round_id: str
    team_ids: tuple[str, ...]
    team_names: tuple[str, ...]
    homes: tuple[str | None, ...]
    region_ids: tuple[str, ...]
    region_names: Mapping[str, str]
    region_units: Mapping[str, tuple[str, ...]]
    soft: np.ndarray               # float: summed soft score of team i in region j
    blocked: np.ndarray            # int: bits of BLOCKS
    member_hard: Mapping[tuple[int, int], tuple[str, ...]]  # persons to swap out
    workload: np.ndarray
    capacity: np.ndarray
    costs: ConflictCosts
    notes: tuple[str, ...] = ()  # what was left out, and why

    @property
    def n(self) -> int:
        return len(self.team_ids)

    @property
    def home_index(self) -> np.ndarray:
        pos = {r: j for j, r in enumerate(self.region_ids)}
        return np.array([pos.get(h, -1) if h is not None else -1 for h in self.homes], dtype=int)

    @property
    def ratio(self) -> np.ndarray:
        """Workload share of region j ÷ capacity share of team i."""
        w = self.workload / max(self.workload.sum(), 1e-9)
        c = self.capacity / max(self.capacity.sum(), 1e-9)
        return w[None, :] / np.maximum(c[:, None], 1e-9)

    def swaps_needed(self) -> np.ndarray:
        out = np.zeros((self.n, self.n), dtype=int)
        for (i, j), persons in self.member_hard.items():
            out[i, j] = len(persons)
        return out

    def instance(self, options: RotationOptions, blocked: np.ndarray | None = None) -> Instance:
        blocked = self.blocked if blocked is None else blocked
        imbalance = np.minimum(np.rint(100 * np.abs(self.ratio - 1)), IMBALANCE_CAP)
        soft = self.soft + options.swap_cost * self.swaps_needed()
        weight = IMBALANCE_CAP * self.n + 1
        cost = np.rint(soft * SOFT_SCALE).astype(np.int64) * weight + imbalance.astype(np.int64)
        return Instance(cost, blocked == 0, self.home_index, options.no_reciprocal,
                        options.single_cycle)

    def soft_of(self, cost: int) -> tuple[float, float]:
        """(soft total, imbalance total in percent) of an instance cost."""
        weight = IMBALANCE_CAP * self.n + 1
        return cost // weight / SOFT_SCALE, float(cost % weight)


def build_problem(tables: Tables, round_id: str, options: RotationOptions, *,
                  rules=None) -> RotationProblem:
    """The rotation problem of ``round_id`` under ``options``."""
    tables = dict(getattr(tables, "tables", tables))
    if options.targets is not None:
        tables = with_targets(tables, round_id, options.targets)
    if options.without_members:
        tables = without_members(tables, round_id)
        notes = ["各组将从人才库重新配备，排组未计各组现有成员 / the teams are staffed afresh "
                 "from the pool: their current members were not weighed"]
    else:
        tables, notes = _without_empty_teams(tables, round_id)
    costs = roll_up(tables, conflict_costs(tables, round_id, rules=rules, candidates=True))
    teams = tables["teams"].set_index("team_id").loc[list(costs.team_ids)]
    regions = costs.region_ids
    if len(costs.team_ids) != len(regions) or not regions:
        raise LinkgraphError(
            f"轮次 {round_id} 有 {len(costs.team_ids)} 个巡察组、{len(regions)} 个被巡察区域；"
            f"交叉轮换需要一组对一区 / round {round_id} has {len(costs.team_ids)} teams and "
            f"{len(regions)} target regions; a rotation needs one team per region "
            "(调整巡察对象或 --targets / adjust the assignments or --targets)")
    homes = tuple(h if isinstance(h, str) else None for h in teams["home_region_id"])
    names = dict(zip(tables["regions"]["region_id"], tables["regions"]["name"]))
    target = target_regions(tables, costs.team_ids)
    units = pd.DataFrame({"unit_id": costs.unit_ids}).merge(
        tables["units"][["unit_id", "region_id"]], on="unit_id", how="left")
    units["region_id"] = units["region_id"].map(lambda r: target.get(r, r))
    notes += _units_without_region(tables, units)
    region_units = {r: tuple(sorted(g["unit_id"])) for r, g in units.groupby("region_id")}
    team_level, member = split_hard(costs)
    n = len(regions)
    blocked = np.zeros((n, n), dtype=np.int64)
    blocked[np.array([h == r for h in homes for r in regions]).reshape(n, n)] |= BIT["home"]
    blocked[team_level] |= BIT["hard"]
    member_blocks = _member_blocks(tables, costs, member, blocked, options)
    workload = _workload(tables, regions, region_units, options.workload)
    capacity = _capacity(tables, costs.team_ids)
    problem = RotationProblem(round_id, costs.team_ids, tuple(teams["name"].fillna("")),
                              homes, regions, names, region_units, costs.team_region_soft.copy(),
                              blocked, member_blocks, workload, capacity, costs, tuple(notes))
    _apply_options(tables, problem, options)
    return problem


def without_members(tables: Tables, round_id: str) -> dict:
    """The tables with the round's own team members left out (the teams are
    staffed afresh from the pool): earlier rounds' members stay, for history."""
    tables = dict(getattr(tables, "tables", tables))
    teams = tables["teams"]
    mine = set(teams.loc[teams["round_id"] == round_id, "team_id"])
    m = tables["team_members"]
    return {**tables, "team_members": m[~m["team_id"].isin(mine)]}


def _without_empty_teams(tables: dict, round_id: str) -> tuple[dict, list[str]]:
    """A team of the round with no members inspects nothing: it is left out
    of the rotation, by name (a workload ratio of 1.00 would hide it)."""
    teams = tables["teams"]
    if teams.empty:
        return tables, []
    ofround = teams["round_id"] == round_id if "round_id" in teams else teams["team_id"].notna()
    staffed = set(tables["team_members"]["team_id"])
    empty = teams[ofround & ~teams["team_id"].isin(staffed)]
    if empty.empty:
        return tables, []
    names = [f"{n}（{t}）" if isinstance(n, str) and n else str(t)
             for t, n in zip(empty["team_id"], empty["name"])]
    note = (f"这些巡察组没有成员，未参加轮换：{'、'.join(names)} / teams without members, left "
            f"out of the rotation: {', '.join(map(str, empty['team_id']))}")
    return {**tables, "teams": teams[~teams.index.isin(empty.index)]}, [note]


def _units_without_region(tables: Tables, units: pd.DataFrame) -> list[str]:
    lost = units[units["region_id"].isna()]["unit_id"]
    if lost.empty:
        return []
    names = dict(zip(tables["units"]["unit_id"], tables["units"]["name"]))
    shown = [f"{names.get(u) or u}（{u}）" for u in sorted(lost)]
    more = f" 等 {len(shown)} 个" if len(shown) > 20 else ""
    return [f"这些被巡察单位没有所属区域，未计入任何区域的工作量：{'、'.join(shown[:20])}{more}"
            f" / units without a region, counted in no region: {', '.join(sorted(lost)[:20])}"]


def target_regions(tables: Tables, team_ids: tuple[str, ...]) -> dict[str, str]:
    """Unit region -> the region a team is sent to: its nearest ancestor (or
    itself) that is some team's home.  Counties' teams inspect counties, so
    the units of a county's towns count as that county's."""
    teams = tables["teams"][tables["teams"]["team_id"].isin(team_ids)]
    return rotation_regions(tables["regions"], teams["home_region_id"])


def roll_up(tables: Tables, costs: ConflictCosts) -> ConflictCosts:
    """The cost matrices with unit regions grouped into target regions (see
    ``target_regions``); unchanged when the units sit in the homes' regions."""
    import dataclasses

    target = target_regions(tables, costs.team_ids)
    mapped = [target.get(r, r) for r in costs.region_ids]
    if mapped == list(costs.region_ids):
        return costs
    regions = tuple(sorted(set(mapped)))
    group = np.zeros((len(costs.region_ids), len(regions)))
    group[np.arange(len(mapped)), [regions.index(r) for r in mapped]] = 1.0
    conflicts = tuple(dataclasses.replace(c, region_id=target.get(c.region_id, c.region_id))
                      if c.region_id is not None else c for c in costs.conflicts)
    return dataclasses.replace(
        costs, region_ids=regions, team_region_hard=(costs.team_region_hard @ group) > 0,
        team_region_soft=costs.team_region_soft @ group, conflicts=conflicts)


def with_targets(tables: dict, round_id: str, targets: tuple[str, ...]) -> dict:
    """The tables with the round's targets replaced by ``targets`` (the team
    column is a placeholder: the planner ignores the current team choice)."""
    known = set(tables["units"]["unit_id"])
    missing = sorted(set(targets) - known)
    if missing:
        raise LinkgraphError(f"--targets 中的单位不存在 / unknown target units: "
                             f"{', '.join(missing[:10])}")
    teams = tables["teams"][tables["teams"]["round_id"] == round_id]["team_id"]
    if teams.empty:
        raise LinkgraphError(f"轮次 {round_id} 没有巡察组 / round {round_id} has no teams")
    a = tables["assignments"]
    rows = pd.DataFrame({"round_id": round_id, "team_id": sorted(teams)[0],
                         "unit_id": sorted(set(targets))})
    return {**tables, "assignments": pd.concat([a[a["round_id"] != round_id], rows],
                                                 ignore_index=True)}


def split_hard(costs: ConflictCosts) -> tuple[np.ndarray, dict[tuple[int, int], set[str]]]:
    """Team-level hard pairs (本地巡本地 and any hard pair no member explains)
    and, per pair, the members with a hard conflict of their own."""
    t_pos = {t: i for i, t in enumerate(costs.team_ids)}
    r_pos = {r: j for j, r in enumerate(costs.region_ids)}
    member: dict[tuple[int, int], set[str]] = defaultdict(set)
    team_level = np.zeros_like(costs.team_region_hard)
    for c in costs.conflicts:
        if c.level != "hard" or c.region_id not in r_pos or c.team_id not in t_pos:
            continue
        key = (t_pos[c.team_id], r_pos[c.region_id])
        if c.relation == "home_region":
            team_level[key] = True
        else:
            member[key].add(c.person_id)
    for i, j in zip(*np.nonzero(costs.team_region_hard)):
        if (int(i), int(j)) not in member:
            team_level[i, j] = True
    return team_level, dict(member)


def _member_blocks(tables: Tables, costs: ConflictCosts,
                   member: dict[tuple[int, int], set[str]], blocked: np.ndarray,
                   options: RotationOptions) -> dict[tuple[int, int], tuple[str, ...]]:
    """Block pairs whose member conflicts cannot be swapped away; keep the rest."""
    from linkgraph.rotation.members import member_roles, person_hard_regions

    roles = member_roles(tables, costs.team_ids)
    hard = person_hard_regions(costs)
    kept = {}
    for (i, j), persons in sorted(member.items()):
        region = costs.region_ids[j]
        ok = options.member_swaps and len(persons) <= options.max_swaps and all(
            any(role == roles[p][1] and t != costs.team_ids[i] and region not in hard.get(q, ())
                for q, (t, role) in roles.items())
            for p in persons)
        if ok:
            kept[(i, j)] = tuple(sorted(persons))
        else:
            blocked[i, j] |= BIT["member"] if options.member_swaps else BIT["hard"]
    return kept


def _workload(tables: Tables, regions: tuple[str, ...],
              region_units: Mapping[str, tuple[str, ...]], kind: str) -> np.ndarray:
    if kind == "units":
        return np.array([len(region_units.get(r, ())) for r in regions], dtype=float)
    if kind == "problems":
        counts = tables["problems"]["unit_id"].value_counts()
        return np.array([float(counts.reindex(list(region_units.get(r, ()))).fillna(0).sum())
                         + len(region_units.get(r, ())) for r in regions])
    raise LinkgraphError(f"未知工作量口径 {kind!r} / unknown workload {kind!r}: units, problems")


def _capacity(tables: Tables, team_ids: tuple[str, ...]) -> np.ndarray:
    counts = tables["team_members"]["team_id"].value_counts()
    return np.array([max(float(counts.get(t, 0)), 1.0) for t in team_ids])


def _apply_options(tables: Tables, p: RotationProblem, options: RotationOptions) -> None:
    b = p.blocked
    if options.avoid_recent:
        for home, region in recent_pairs(tables, p.round_id, options.avoid_recent):
            for i in (i for i, h in enumerate(p.homes) if h == home):
                if region in p.region_ids:
                    b[i, p.region_ids.index(region)] |= BIT["recent"]
    if options.zones is not None:
        missing = sorted({r for r in p.region_ids if r not in options.zones}
                         | {h for h in p.homes if h is not None and h not in options.zones})
        if missing:
            raise LinkgraphError(f"片区文件未包含这些区域 / the zones file lacks regions: "
                                 f"{', '.join(missing[:10])}")
        for i, h in enumerate(p.homes):
            for j, r in enumerate(p.region_ids):
                if h is None or options.zones[h] != options.zones[r]:
                    b[i, j] |= BIT["zone"]
    for a, c in options.forbid:
        i, j = resolve_pair(p, a, c)
        b[i, j] |= BIT["forbid"]
    for a, c in options.fix:
        i, j = resolve_pair(p, a, c)
        if b[i, j]:
            raise LinkgraphError(
                f"指定配对 {a}:{c} 本身不可行（{describe_bits(int(b[i, j]))}）/ the fixed pair "
                f"{a}:{c} is itself excluded ({describe_bits(int(b[i, j]), 'en')})")
        keep = b[i, j]
        b[i, :] |= BIT["fix"]
        b[:, j] |= BIT["fix"]
        b[i, j] = keep
    if options.capacity_tolerance is not None:
        ratio = p.ratio
        b[np.maximum(ratio, 1 / np.maximum(ratio, 1e-9)) - 1 > options.capacity_tolerance
          + 1e-9] |= BIT["capacity"]


def recent_pairs(tables: Tables, round_id: str, k: int) -> set[tuple[str, str]]:
    """(home region, inspected region) pairs of the last ``k`` rounds before ``round_id``."""
    rounds = tables["rounds"].copy()
    rounds["when"] = rounds["start"].fillna(rounds["end"])
    this = rounds.loc[rounds["round_id"] == round_id, "when"].iloc[0]
    earlier = rounds[(rounds["when"] < this) & (rounds["round_id"] != round_id)]
    last = earlier.sort_values(["when", "round_id"]).tail(k)["round_id"]
    teams = tables["teams"][tables["teams"]["round_id"].isin(last)]
    a = tables["assignments"][tables["assignments"]["round_id"].isin(last)]
    a = a.merge(teams[["team_id", "home_region_id"]], on="team_id").merge(
        tables["units"][["unit_id", "region_id"]], on="unit_id")
    a = a.dropna(subset=["home_region_id", "region_id"])
    # a past target counts at the level this round rotates over (its county)
    homes = tables["teams"].loc[tables["teams"]["round_id"] == round_id, "home_region_id"]
    group = rotation_regions(tables["regions"], homes)
    return {(h, group.get(r, r)) for h, r in zip(a["home_region_id"], a["region_id"])
            if h != group.get(r, r)}


def resolve_pair(p: RotationProblem, team: str, region: str) -> tuple[int, int]:
    """A --fix/--forbid pair: team id or home region id/name : region id or name."""
    by_name = {name: rid for rid, name in p.region_names.items()}
    rows = [i for i, t in enumerate(p.team_ids) if t == team]
    if not rows:
        home = by_name.get(team, team)
        rows = [i for i, h in enumerate(p.homes) if h == home]
    region_id = region if region in p.region_ids else by_name.get(region)
    if len(rows) != 1 or region_id not in p.region_ids:
        raise LinkgraphError(
            f"无法识别配对 {team}:{region}（应为 巡察组编码或派出区域:区域编码或名称）/ cannot "
            f"resolve the pair {team}:{region} (TEAM-or-HOME-REGION:REGION); 巡察组 / teams: "
            f"{', '.join(p.team_ids[:10])}; 区域 / regions: {', '.join(p.region_ids[:10])}")
    return rows[0], p.region_ids.index(region_id)


def describe_bits(bits: int, lang: str = "zh") -> str:
    words = BLOCK_ZH if lang == "zh" else BLOCK_EN
    return "、".join(words[name] for name in BLOCKS if bits & BIT[name]) if lang == "zh" else \
        ", ".join(words[name] for name in BLOCKS if bits & BIT[name])
