"""Inspection rounds of the past term: rounds, teams, members and assignments.

Every county committee (and the city / province committee for its own
bodies) ran ten rounds over the five years before the cross-inspection
round: regular, special, 对村巡察 and a 回头看 at the end.  About 8 % of the
units have not been inspected yet (the term is not over), which is what the
"未巡先改" self-check list is for.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from loaders.generator.staff import Staff
from loaders.generator.structure import Structure
from loaders.generator.util import days, objectify, stream
from loaders.generator.words import INSPECTOR_BODIES, SECONDMENT_BODIES

ROUNDS_PER_TERM = 10
UNINSPECTED = 0.08
KINDS_WITH_VILLAGES = ("regular", "regular", "village", "special", "regular", "village",
                       "linked", "regular", "village", "lookback")
KINDS_UPPER = ("regular", "regular", "special", "regular", "elevated", "regular", "special",
               "regular", "regular", "lookback")
_ORDINAL = "一二三四五六七八九十"
_SPECIAL_TOPICS = ("乡村振兴领域专项巡察", "国有企业专项巡察", "民生领域专项巡察",
                   "选人用人专项巡察", "工程建设领域专项巡察")


@dataclass
class Rounds:
    rounds: pd.DataFrame = field(default_factory=pd.DataFrame)  # name kind start end organizer term
    teams: pd.DataFrame = field(default_factory=pd.DataFrame)  # round name home cross_mode
    members: pd.DataFrame = field(default_factory=pd.DataFrame)  # team person role seconded_from
    assignments: pd.DataFrame = field(default_factory=pd.DataFrame)  # round team unit


def weekday(day: Any) -> int:
    """0 = Monday."""
    return int((np.datetime64(day, "D").astype(np.int64) + 3) % 7)


def cross_dates(as_of: np.datetime64) -> tuple[np.datetime64, np.datetime64]:
    """Start (a Monday about 3.5 months before ``as_of``) and end of the cross round."""
    start = as_of - np.timedelta64(106, "D")
    start = start + np.timedelta64((7 - weekday(start)) % 7, "D")
    return start, start + np.timedelta64(67, "D")


def term_name(start: np.datetime64) -> str:
    """届次 of a county committee: 2021 换届 started the fifteenth."""
    year = int(str(start)[:4])
    return "第十五届" if year >= 2021 else "第十四届"


def _round_name(region: str, start: np.datetime64, k: int, kind: str, topic: str) -> str:
    year = str(start)[:4]
    name = f"{region}委{year}年第{_ORDINAL[k % 10]}轮巡察"
    if kind == "special":
        return f"{name}({topic})"
    if kind == "village":
        return f"{region}委{year}年第{_ORDINAL[k % 10]}轮对村(社区)巡察"
    if kind == "lookback":
        return f"{name}(巡察\u201c回头看\u201d)"
    return name


class _Collector:
    def __init__(self):
        self.rounds: list[tuple] = []
        self.teams: list[tuple] = []
        self.members: list[tuple] = []
        self.assign: list[tuple] = []

    def frames(self) -> Rounds:
        return Rounds(
            objectify(pd.DataFrame(self.rounds, columns=["name", "kind", "start", "end",
                                                         "organizer", "term"])),
            objectify(pd.DataFrame(self.teams, columns=["round", "name", "home", "cross_mode"])),
            objectify(pd.DataFrame(self.members, columns=["team", "person", "role",
                                                          "seconded_from"]).astype(
                {"team": np.int64, "person": np.int64, "seconded_from": np.int64})),
            pd.DataFrame(self.assign, columns=["round", "team", "unit"], dtype=np.int64),
        )


def _inspector_pools(st: Structure, staff: Staff) -> tuple[dict, dict]:
    """Per region: people who ever worked in its inspection bodies, and secondees."""
    units = st.units
    unit_of = staff.posts["unit"].to_numpy()
    person = staff.posts["person"].to_numpy()
    region = units["region"].to_numpy()[unit_of]
    body = units["body"].to_numpy()[unit_of]
    insp = np.isin(body, INSPECTOR_BODIES)
    inspectors: dict[int, np.ndarray] = {}
    frame = pd.DataFrame({"region": region[insp], "person": person[insp]}).drop_duplicates()
    for r, g in frame.groupby("region", sort=True):
        inspectors[int(r)] = np.sort(g["person"].to_numpy())
    sec = np.isin(body, SECONDMENT_BODIES)
    secondees: dict[int, list] = {}
    frame = pd.DataFrame({"region": region[sec], "person": person[sec], "unit": unit_of[sec]})
    for r, g in frame.drop_duplicates().groupby("region", sort=True):
        secondees[int(r)] = sorted(zip(g["person"].tolist(), g["unit"].tolist()))
    return inspectors, secondees


def _staff_team(c: _Collector, rng: np.random.Generator, team: int, pool: np.ndarray,
                secondees: list, used: set) -> None:
    size = int(rng.integers(4, 7))
    roles = ["leader", "deputy"] + ["member"] * (size - 3) + [
        "liaison" if rng.random() < 0.6 else "member"]
    free = [p for p in pool.tolist() if p not in used]
    chosen = rng.permutation(len(free))[:size].tolist() if free else []
    for role, k in zip(roles, chosen):
        used.add(free[k])
        c.members.append((team, free[k], role, -1))
    if secondees and rng.random() < 0.5:
        person, unit = secondees[int(rng.integers(0, len(secondees)))]
        if person not in used:
            used.add(person)
            c.members.append((team, person, "member", unit))


def _plan_units(rng: np.random.Generator, st: Structure, mine: np.ndarray,
                kinds: tuple[str, ...]) -> list[np.ndarray]:
    """Which of the organizer's units (``mine``) each of its rounds inspects."""
    u = st.units
    mine = mine[rng.random(len(mine)) >= UNINSPECTED]
    village = u["group"].to_numpy()[mine] == "village"
    plan: list[np.ndarray] = [np.empty(0, np.int64)] * len(kinds)
    for pick, want in ((mine[~village], ("regular", "special", "elevated", "linked")),
                       (mine[village], ("village",))):
        slots = [i for i, k in enumerate(kinds) if k in want] or \
                [i for i, k in enumerate(kinds) if k != "lookback"]
        which = rng.integers(0, len(slots), len(pick))
        for j, i in enumerate(slots):
            plan[i] = np.concatenate((plan[i], pick[which == j]))
    first = np.concatenate(plan[:4]) if len(kinds) > 4 else np.empty(0, np.int64)
    first = first[u["group"].to_numpy()[first] != "village"]
    look = kinds.index("lookback")
    plan[look] = first[rng.random(len(first)) < 0.12]
    return [np.sort(p) for p in plan]


def build_rounds(st: Structure, staff: Staff, seed: int, cross_start: np.datetime64) -> Rounds:
    rng = stream(seed, "rounds")
    c = _Collector()
    u = st.units
    inspectors, secondees_by_region = _inspector_pools(st, staff)
    candidates = np.flatnonzero(~u["exempt"].to_numpy())
    orgs = u["organizer"].to_numpy()[candidates]
    order = np.argsort(orgs, kind="stable")
    organizers, first = np.unique(orgs[order], return_index=True)
    groups = np.split(candidates[order], first[1:])
    group = u["group"].to_numpy()
    for org, mine in zip(organizers.tolist(), groups):
        kinds = KINDS_WITH_VILLAGES if (group[mine] == "village").any() else KINDS_UPPER
        plan = _plan_units(rng, st, mine, kinds)
        pool = inspectors.get(org, np.empty(0, np.int64))
        secondees = secondees_by_region.get(org, [])
        region = st.regions["name"].iat[org]
        for k, (kind, units) in enumerate(zip(kinds, plan)):
            if not len(units):
                continue
            start = cross_start - days((ROUNDS_PER_TERM - k) * 182 + int(rng.integers(-15, 16)))
            start = start + days((7 - weekday(start)) % 7)
            end = start + days(int(rng.integers(50, 81)))
            topic = _SPECIAL_TOPICS[int(rng.integers(0, len(_SPECIAL_TOPICS)))]
            r = len(c.rounds)
            c.rounds.append((_round_name(region, start, k, kind, topic), kind, start, end, org,
                             term_name(start)))
            cap = rng.integers(8, 15) if kind == "village" else rng.integers(3, 7)
            n_teams = int(min(8, max(1, -(-len(units) // cap))))
            shuffled = units[rng.permutation(len(units))]
            used: set = set()
            for j, chunk in enumerate(np.array_split(shuffled, n_teams)):
                team = len(c.teams)
                c.teams.append((r, f"第{_ORDINAL[j]}巡察组", org, None))
                _staff_team(c, rng, team, pool, secondees, used)
                c.assign += [(r, team, int(x)) for x in np.sort(chunk).tolist()]
    return c.frames()
