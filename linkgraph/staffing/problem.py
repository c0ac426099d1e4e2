"""A staffing instance: who in the pool may fill which role of which team,
at what cost — built from the tables, the conflict engine and the rules.

People are rows (``persons``), teams columns; ``options`` lists every
(person, team, role) the hard constraints leave open, with its cost.
Everything here is plain data, sorted by id, so the model and the brute
force in the tests read the same instance.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from linkgraph.analysis.conflicts import Conflict, find_conflicts
from linkgraph.analysis.conflicts.rules import conflict_rules
from linkgraph.rules import Rules, load_rules
from linkgraph.errors import InputError
from linkgraph.schema import Tables
from linkgraph.staffing.rules import ROLES, StaffingRules

#: The pseudo team every pool member joins so that the conflict engine
#: checks each of them against every target unit at once.
POOL_TEAM = "\x00pool"


@dataclass(frozen=True)
class Person:
    person_id: str
    name: str
    pools: frozenset[str]          # pool kinds (leader, deputy, member, liaison, expert)
    tags: frozenset[str]           # specialty tags
    source_unit_id: str | None
    served: int                    # rounds served before this one
    streak: int                    # rounds in a row up to the previous one
    new: bool                      # 以干代训: needs an experienced teammate
    experienced: bool
    recent_cost: int               # the objective's cost of taking this person
    last_served: int | None        # how many rounds ago (1 = the previous round)
    excluded: str | None = None    # why the person cannot serve this round at all


@dataclass(frozen=True)
class TeamSlot:
    team_id: str
    name: str
    unit_ids: tuple[str, ...]
    needs: Mapping[str, tuple[str, ...]]    # specialty -> the target units needing it
    #: specialty -> (unit id, source, key) behind each need: the rule that
    #: gave it ([specialties.by_kind|by_sector|by_category|by_name] key)
    need_reasons: Mapping[str, tuple[tuple[str, str, str], ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class StaffProblem:
    round_id: str
    persons: tuple[Person, ...]
    teams: tuple[TeamSlot, ...]
    rules: StaffingRules
    #: (person index, team index) -> the hard conflict that rules it out
    hard: Mapping[tuple[int, int], Conflict]
    #: (person index, team index) -> summed soft score towards the team's units
    soft: Mapping[tuple[int, int], float]
    #: (person index, team index) -> the soft conflicts behind ``soft``
    soft_detail: Mapping[tuple[int, int], tuple[Conflict, ...]]
    fixed: frozenset[tuple[int, int]] = frozenset()
    forbidden: frozenset[tuple[int, int]] = frozenset()
    unit_names: Mapping[str, str] = field(default_factory=dict)

    def roles_of(self, p: int) -> tuple[str, ...]:
        person = self.persons[p]
        return tuple(r for r in ROLES if person.pools & set(self.rules.roles[r].pools))

    def open_pair(self, p: int, t: int) -> bool:
        return (self.persons[p].excluded is None and (p, t) not in self.hard
                and (p, t) not in self.forbidden)

    def cost(self, p: int, t: int) -> int:
        """The objective's cost of person p on team t (soft conflicts, recency)."""
        soft = int(round(self.rules.soft_conflict * self.soft.get((p, t), 0.0)))
        return soft + self.persons[p].recent_cost

    def options(self) -> list[tuple[int, int, str]]:
        """Every open (person, team, role), sorted."""
        return [(p, t, r) for p in range(len(self.persons)) for t in range(len(self.teams))
                if self.open_pair(p, t) for r in self.roles_of(p)]


def history(tables: Tables, round_id: str) -> tuple[dict[str, int], dict[str, list[int]]]:
    """Per person: how many rounds before ``round_id`` they served in (any
    organiser), and the positions (1 = the previous round) of the rounds of
    the same organiser they served in — what the consecutive-rounds limit
    and recency count."""
    rounds = tables["rounds"]
    row = rounds[rounds["round_id"] == round_id]
    if row.empty:
        raise InputError(f"没有轮次 {round_id} / no round {round_id}")
    start = row["start"].iloc[0] if pd.notna(row["start"].iloc[0]) else row["end"].iloc[0]
    org = row["organizer_region_id"].iloc[0]
    earlier = rounds[(rounds["round_id"] != round_id) & rounds["start"].notna()]
    if pd.notna(start):
        earlier = earlier[earlier["start"] < start]
    same = earlier[earlier["organizer_region_id"] == org] if isinstance(org, str) else earlier
    same = same.sort_values(["start", "round_id"], ascending=[False, False])
    position = {r: k + 1 for k, r in enumerate(same["round_id"])}
    before = set(earlier["round_id"])
    teams = tables["teams"]
    team_round = dict(zip(teams["team_id"], teams["round_id"]))
    served: dict[str, set[int]] = defaultdict(set)
    count: dict[str, set[str]] = defaultdict(set)
    m = tables["team_members"]
    for team, person in zip(m["team_id"], m["person_id"]):
        rid = team_round.get(team)
        if rid in before:
            count[person].add(str(rid))
        k = position.get(rid)
        if k is not None:
            served[person].add(k)
    return {p: len(rs) for p, rs in count.items()}, {p: sorted(ks) for p, ks in served.items()}


def _streak(positions: Sequence[int]) -> int:
    n = 0
    while n + 1 in positions:
        n += 1
    return n


def pool_people(tables: Tables, round_id: str, rules: StaffingRules) -> list[Person]:
    """The pool's people (one per person, their pool kinds merged), with
    history, availability and cost, sorted by id."""
    pool = tables.get("pool")
    if pool is None or pool.empty:
        return []
    counts, served = history(tables, round_id)
    rounds = tables["rounds"]
    r = rounds[rounds["round_id"] == round_id].iloc[0]
    start, end = r["start"], r["end"] if pd.notna(r["end"]) else r["start"]
    names = dict(zip(tables["people"]["person_id"], tables["people"]["name"]))
    out = []
    for pid, rows in pool.sort_values(["person_id", "pool_kind"]).groupby("person_id", sort=True):
        positions = served.get(pid, [])
        given = [int(v) for v in rows["rounds_served"] if pd.notna(v)]
        n_served = max(given) if given else counts.get(pid, 0)
        new = bool(rows["is_new"].fillna(False).astype(bool).any()) or n_served == 0
        tags: frozenset[str] = frozenset().union(*(rules.tags(v) for v in rows["specialties"]))
        sources = sorted(s for s in rows["source_unit_id"] if isinstance(s, str))
        last = positions[0] if positions else None
        window = rules.recent_window
        recent = sum(rules.recent_round * (window - k + 1) for k in positions if k <= window)
        streak = _streak(positions)
        excluded = _unavailable(rows, start, end)
        if excluded is None and streak >= rules.max_consecutive_rounds:
            excluded = (f"已连续参加 {streak} 轮巡察，达到上限 {rules.max_consecutive_rounds} 轮"
                        f" / served {streak} rounds in a row (limit "
                        f"{rules.max_consecutive_rounds})")
        out.append(Person(str(pid), str(names.get(pid, pid)), frozenset(rows["pool_kind"]), tags,
                          sources[0] if sources else None, n_served, streak, new,
                          not new and n_served >= rules.experienced_rounds, recent, last,
                          excluded))
    return out


def _unavailable(rows: pd.DataFrame, start, end) -> str | None:
    lo = rows["available_from"].dropna()
    hi = rows["available_to"].dropna()
    if len(lo) and pd.notna(start) and lo.min() > start:
        return f"{lo.min():%Y-%m-%d} 起才可抽调 / available only from {lo.min():%Y-%m-%d}"
    if len(hi) and pd.notna(end) and hi.max() < end:
        return f"{hi.max():%Y-%m-%d} 后不可抽调 / available only until {hi.max():%Y-%m-%d}"
    return None


def pool_conflicts(tables: Tables, round_id: str, persons: Sequence[Person],
                   units: Sequence[str], *, rules=None) -> list[Conflict]:
    """Every conflict between the pool's people and the target units, by
    the conflict engine (kinship chains, posts, secondment, derived ties):
    the pool is put in as one pseudo team of the round, seconded from each
    person's source unit, assigned every target."""
    tables = getattr(tables, "tables", tables)
    members = pd.DataFrame({"team_id": POOL_TEAM, "person_id": [p.person_id for p in persons],
                            "role": "member",
                            "seconded_from_unit_id": [p.source_unit_id for p in persons]})
    teams = tables["teams"]
    pseudo = {
        **tables,
        "teams": pd.concat([teams[teams["round_id"] != round_id],
                            pd.DataFrame({"team_id": [POOL_TEAM], "round_id": [round_id],
                                          "name": ["人才库"], "home_region_id": [None]})],
                           ignore_index=True),
        "team_members": pd.concat([tables["team_members"][
            tables["team_members"]["team_id"].isin(set(teams.loc[teams["round_id"] != round_id,
                                                                  "team_id"]))], members],
            ignore_index=True),
        "assignments": pd.DataFrame({"round_id": round_id, "team_id": POOL_TEAM,
                                     "unit_id": sorted(set(units))}),
    }
    if not len(persons) or not len(units):
        return []
    return find_conflicts(pseudo, round_id, rules=rules, candidates=True)


def build_problem(tables: Tables, round_id: str, teams: Sequence[TeamSlot],
                  srules: StaffingRules, *, rules: Rules | None = None,
                  fix: Sequence[tuple[str, str]] = (),
                  forbid: Sequence[tuple[str, str]] = ()) -> StaffProblem:
    """The instance of ``round_id``: the pool's people against ``teams``."""
    tables = getattr(tables, "tables", tables)
    rules = rules or load_rules()
    persons = pool_people(tables, round_id, srules)
    teams = sorted(teams, key=lambda t: t.team_id)
    team_of_unit: dict[str, list[int]] = defaultdict(list)
    for t, team in enumerate(teams):
        for u in team.unit_ids:
            team_of_unit[u].append(t)
    index = {p.person_id: k for k, p in enumerate(persons)}
    conflicts = pool_conflicts(tables, round_id, persons, sorted(team_of_unit), rules=rules)
    cap = conflict_rules(rules).soft_cap
    hard: dict[tuple[int, int], Conflict] = {}
    per_unit: dict[tuple[int, str], float] = defaultdict(float)
    detail: dict[tuple[int, int], list[Conflict]] = defaultdict(list)
    for c in conflicts:
        p = index.get(c.person_id)
        if p is None:
            continue
        if c.level == "hard":
            if c.relation == "seconded" and srules.may_inspect_own_unit:
                continue
            for t in team_of_unit.get(c.unit_id, ()):
                hard.setdefault((p, t), c)
        else:
            per_unit[p, c.unit_id] += c.score
            for t in team_of_unit.get(c.unit_id, ()):
                detail[p, t].append(c)
    for key, c in _home_region(tables, round_id, persons, teams, rules).items():
        hard.setdefault(key, c)
    soft: dict[tuple[int, int], float] = defaultdict(float)
    for (p, u), score in per_unit.items():
        for t in team_of_unit.get(u, ()):
            soft[p, t] += min(score, cap) if cap > 0 else score
    units = tables["units"]
    return StaffProblem(str(round_id), tuple(persons), tuple(teams), srules, hard,
                        {k: round(v, 6) for k, v in soft.items()},
                        {k: tuple(v) for k, v in detail.items()},
                        frozenset(_pairs(fix, persons, teams, "--fix")),
                        frozenset(_pairs(forbid, persons, teams, "--forbid")),
                        dict(zip(units["unit_id"], units["name"])))


def _pairs(pairs: Sequence[tuple[str, str]], persons: Sequence[Person],
           teams: Sequence[TeamSlot], flag: str) -> set[tuple[int, int]]:
    """``person:team`` pairs (id or a unique name on either side) as indices."""
    out = set()
    for a, b in pairs:
        p = _find(a, [(x.person_id, x.name) for x in persons], flag, "人才库人员 / pool person")
        t = _find(b, [(x.team_id, x.name) for x in teams], flag, "巡察组 / team")
        out.add((p, t))
    return out


def _find(key: str, items: Sequence[tuple[str, str]], flag: str, what: str) -> int:
    by_id = [k for k, (i, _) in enumerate(items) if i == key]
    by_name = [k for k, (_, n) in enumerate(items) if n == key]
    found = by_id or by_name
    if len(found) == 1:
        return found[0]
    if not found:
        raise InputError(f"{flag} {key}: 找不到{what.split(' / ')[0]} / no such "
                         f"{what.split(' / ')[1]}")
    raise InputError(f"{flag} {key}: 同名者 {len(found)} 人，请用编码 / {len(found)} share "
                     f"this name, use the id")


def team_slots(tables: Tables, pairs: Mapping[str, Sequence[str]], srules: StaffingRules,
               names: Mapping[str, str] | None = None,
               round_id: str | None = None) -> list[TeamSlot]:
    """Teams (id -> target unit ids) with the specialties their units need,
    and the rule behind each need (kind, sector, category of the problems
    earlier rounds found there — not ``round_id``'s own — or name)."""
    units = tables["units"].set_index("unit_id")
    known = set(units.index)
    missing = sorted({u for us in pairs.values() for u in us if u not in known})
    if missing:
        raise InputError(f"被巡察单位不在单位表中 / target units not in the units table: "
                         f"{', '.join(missing[:10])}")
    targets = sorted({u for us in pairs.values() for u in us})
    cats = earlier_categories(tables, targets, round_id) if srules.needs_by.get("category") \
        else {}
    out = []
    for team, us in sorted(pairs.items()):
        needs: dict[str, list[str]] = defaultdict(list)
        why: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for u in sorted(set(us)):
            row = units.loc[u]
            for tag, source, key in srules.needs_of(row["kind"], row["sector"], row["name"],
                                                    cats.get(u, ())):
                if tag in srules.fixed:
                    continue
                if not needs[tag] or needs[tag][-1] != u:
                    needs[tag].append(u)
                why[tag].append((u, source, key))
        out.append(TeamSlot(str(team), str((names or {}).get(team) or team),
                            tuple(sorted(set(us))), {k: tuple(v) for k, v in sorted(needs.items())},
                            {k: tuple(v) for k, v in sorted(why.items())}))
    return out


def earlier_categories(tables: Tables, units: Sequence[str],
                       round_id: str | None) -> dict[str, frozenset[str]]:
    """Per unit, the harmonised categories of the problems found there in
    rounds other than ``round_id`` (a round being staffed has found nothing yet)."""
    from linkgraph.categories import harmonise

    problems = tables.get("problems")
    if problems is None or problems.empty:
        return {}
    mine = problems[problems["unit_id"].isin(set(units))]
    if round_id is not None and "round_id" in mine.columns:
        mine = mine[mine["round_id"] != round_id]
    if mine.empty:
        return {}
    mine = harmonise(mine)
    return {str(u): frozenset(c for c in g["category"] if isinstance(c, str))
            for u, g in mine.groupby("unit_id", sort=True)}


def _home_region(tables: Tables, round_id: str, persons: Sequence[Person],
                 teams: Sequence[TeamSlot], rules: Rules) -> dict[tuple[int, int], Conflict]:
    """地域回避 in a cross-inspection (本地巡本地): a person whose source unit
    lies in one of the rotating home regions may not join a team inspecting a
    unit of that region.  Off when the conflict rules turn it off."""
    from linkgraph.analysis.conflicts.index import region_ancestors, rotation_regions

    crules = conflict_rules(rules)
    rounds = tables["rounds"]
    kind = rounds.loc[rounds["round_id"] == round_id, "kind"]
    if not (len(kind) and kind.iloc[0] == "cross" and crules.home_region_is_hard_in_cross):
        return {}
    t = tables["teams"]
    homes = set(t.loc[t["round_id"] == round_id, "home_region_id"].dropna())
    group = rotation_regions(tables["regions"], homes)
    ancestors = region_ancestors(tables["regions"])
    unit_region = dict(zip(tables["units"]["unit_id"], tables["units"]["region_id"]))
    unit_name = dict(zip(tables["units"]["unit_id"], tables["units"]["name"]))
    region_name = dict(zip(tables["regions"]["region_id"], tables["regions"]["name"]))
    out: dict[tuple[int, int], Conflict] = {}
    for p, person in enumerate(persons):
        own = unit_region.get(person.source_unit_id or "")
        if not isinstance(own, str):
            continue
        mine = group.get(own, own)
        for k, team in enumerate(teams):
            for u in team.unit_ids:
                reg = unit_region.get(u)
                if not isinstance(reg, str):
                    continue
                same = mine == group.get(reg, reg) if mine in homes or not homes else False
                if same or (mine in homes and mine in ancestors.get(reg, ())):
                    where = region_name.get(mine, mine)
                    out[p, k] = Conflict(
                        round_id, team.team_id, team.name, person.person_id, person.name, "成员",
                        u, str(unit_name.get(u, u)), reg, "hard", "home_region",
                        crules.zh("home_region"), 0, crules.post_weight, (),
                        f"{person.name}所在单位属{where}，{unit_name.get(u, u)}也在{where}，"
                        "交叉巡察须地域回避（不巡本地）")
                    break
    return out
