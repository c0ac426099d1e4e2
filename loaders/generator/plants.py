"""Conflicts planted in the cross round: hard ones, decoys and soft ones.

Each scenario takes an inspector not used before and a unit of the round
(three times in four a unit the inspector's own team inspects, otherwise a
unit another team inspects, which matters for ``--candidates`` and for the
rotation planner), and puts one link between them into the ledgers:

hard   a kinship tie to an official of the unit (either direction, Chinese
       words), a post there that ended within three years, a long post there
       that ended long ago, a secondment from it, a team given a unit of its
       own region;
decoy  a short post there that ended long ago, an official's relative who
       has the inspector's name but is another person, a classmate;
soft   a classmate / colleague / townsman / mentor tie to an official, an
       official whose 籍贯 is the team's region, and two-step chains
       inspector — tie — person — tie — official.

The officials used lose their background ties, so every chain from an
inspector is a planted one.  The truth is computed from the finished tables
(``truth.py``); ``expected`` lists what each plant must produce, as a check.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from loaders.generator.crossround import Cross
from loaders.generator.presets import Preset
from loaders.generator.rounds import Rounds
from loaders.generator.structure import Structure
from loaders.generator.ties import describe_ties
from loaders.generator.util import frame, stream

YEAR = 365.25
KIN_RULES = ("spouse", "parent_child", "sibling", "in_law", "collateral")
_POST_TITLES = {"township": ("党委委员", "党政办主任", "挂职副职", "组织委员"),
                "village": ("驻村第一书记", "村党支部副书记", "村委委员", "驻村工作队队员"),
                "agency": ("科员", "股长", "副局长", "办公室主任"),
                "school": ("教师", "副校长", "教导主任"), "hospital": ("副院长", "科室主任", "医生"),
                "soe": ("副总经理", "部门经理")}


@dataclass
class Plants:
    decoys: list[dict] = field(default_factory=list)  # team person unit why (int ids)
    expected_hard: set = field(default_factory=set)  # (team, person, unit, rule)
    expected_soft: set = field(default_factory=set)  # (team, person, unit, relation, hops)
    touched: set = field(default_factory=set)  # people whose every tie is planted


class _Planter:
    def __init__(self, st: Structure, preset: Preset, cross: Cross, rounds: Rounds,
                 people: pd.DataFrame, posts: pd.DataFrame, seed: int):
        self.rng = stream(seed, "plants")
        self.st, self.preset, self.cross, self.rounds = st, preset, cross, rounds
        self.people, self.posts = people, posts
        self.out = Plants()
        self.ties: list[tuple] = []  # a, b, relation
        self.new_people: list[dict] = []
        self.extra_assign: list[tuple] = []
        self.seconded: dict[int, int] = {}
        self.rebuilt: dict[int, list[tuple]] = {}
        m = cross.members
        self.team_of = dict(zip(m["person"].tolist(), m["team"].tolist()))
        order = self.rng.permutation(len(m))
        self.free = [int(p) for p in m["person"].to_numpy()[order]]
        self.k_of_team = {int(t): k for k, t in enumerate(cross.teams.tolist())}
        self.officials = self._officials()
        self.used_officials: set = set()
        self.overrides: dict[str, dict[int, object]] = {}
        self.same_names: list[tuple[int, int]] = []

    # ------------------------------------------------------------------ lookups
    def _officials(self) -> dict[int, list[int]]:
        """Officials of every round unit, in post at the round start for a while."""
        units = np.concatenate(list(self.cross.targets.values()))
        p = self.posts
        s, e = p["start"].to_numpy(), p["end"].to_numpy()
        ok = (np.isin(p["unit"].to_numpy(), units)
              & (s <= self.cross.start - np.timedelta64(180, "D"))
              & (np.isnat(e) | (e >= self.cross.start + np.timedelta64(30, "D"))))
        out: dict[int, list[int]] = {}
        for u, person in zip(p["unit"].to_numpy()[ok].tolist(), p["person"].to_numpy()[ok].tolist()):
            out.setdefault(u, []).append(person)
        return out

    def units_for(self, person: int, assigned: bool) -> list[int]:
        k = self.k_of_team[self.team_of[person]]
        regions = self.cross.regions
        visit = int(regions[self.cross.visits[k]])
        if assigned:
            return self.cross.targets[visit].tolist()
        own = int(regions[k])
        return [u for r, us in self.cross.targets.items() if r not in (own, visit)
                for u in us.tolist()]

    def take_inspector(self) -> int | None:
        return self.free.pop() if self.free else None

    def find(self, predicate, assigned: bool | None = None):
        """(inspector, unit, official) with ``predicate(inspector, official)`` true."""
        for _ in range(min(6, len(self.free))):
            i = self.free.pop()
            want = assigned if assigned is not None else bool(self.rng.random() < 0.75)
            for choice in (want, not want):
                units = self.units_for(i, choice)
                for u in [units[j] for j in self.rng.permutation(len(units))]:
                    cands = [o for o in self.officials.get(u, []) if o not in self.used_officials
                             and predicate(i, o)]
                    if cands:
                        o = cands[int(self.rng.integers(0, len(cands)))]
                        self.used_officials.add(o)
                        self.out.touched.add(o)
                        return i, u, o
            self.free.insert(0, i)
        return None

    def attr(self, person: int, col: str):
        if person < len(self.people):
            if person in self.overrides.get(col, {}):
                return self.overrides[col][person]
            return self.people[col].iat[person]
        return self.new_people[person - len(self.people)][col]

    def team(self, person: int) -> int:
        return self.team_of[person]

    def tie(self, a: int, b: int, relation: str) -> None:
        if self.rng.random() < 0.5:
            a, b = b, a
        self.ties.append((a, b, relation))

    def new_person(self, **attrs) -> int:
        self.new_people.append(attrs)
        return len(self.people) + len(self.new_people) - 1

    def set_attr(self, person: int, col: str, value) -> None:
        if person < len(self.people):
            self.overrides.setdefault(col, {})[person] = value
        else:
            self.new_people[person - len(self.people)][col] = value

    def birth(self, person: int) -> int:
        year: Any = self.overrides.get("birth_year", {}).get(person, self.attr(person,
                                                                               "birth_year"))
        return int(year)


def apply_plants(pl: _Planter, ties: pd.DataFrame):
    """The finished frames with every plant in them."""
    people = pl.people.copy()
    for col, values in pl.overrides.items():
        idx = np.fromiter(values.keys(), dtype=np.int64)
        col_values = people[col].to_numpy().copy()
        col_values[idx] = list(values.values())
        people[col] = pd.Series(col_values, dtype=col_values.dtype)
    if pl.new_people:
        people = pd.concat([people, frame({c: np.array([p[c] for p in pl.new_people],
                                                        dtype=object if c in ("name", "gender",
                                                                              "specialty")
                                                        else np.int64)
                                           for c in people.columns})], ignore_index=True)
    posts = pl.posts[~pl.posts["person"].isin(list(pl.rebuilt))]
    rows = [r for person in sorted(pl.rebuilt) for r in pl.rebuilt[person]]
    if rows:
        new_posts = pd.DataFrame(rows, columns=list(posts.columns)).astype(
            posts.dtypes.to_dict())
        posts = pd.concat([posts, new_posts], ignore_index=True)
    posts = posts.sort_values(["person", "start"], kind="stable", ignore_index=True)
    r = pl.rounds
    members = r.members.copy()
    sec = members["person"].map(pl.seconded)
    is_cross = members["team"].isin(pl.cross.teams.tolist())
    members.loc[is_cross & sec.notna(), "seconded_from"] = sec[is_cross & sec.notna()].astype(
        np.int64)
    assignments = r.assignments
    if pl.extra_assign:
        assignments = pd.concat([assignments, pd.DataFrame(
            pl.extra_assign, columns=["round", "team", "unit"], dtype=np.int64)],
            ignore_index=True)
    touched = np.array(sorted(pl.out.touched), dtype=np.int64)
    keep = ~(ties["a"].isin(touched) | ties["b"].isin(touched))
    ties = ties[keep]
    if pl.ties:
        planted = pd.DataFrame(pl.ties, columns=["a", "b", "relation"]).astype(
            {"a": np.int64, "b": np.int64, "relation": object})
        ties = pd.concat([ties, describe_ties(pl.rng, planted, people)], ignore_index=True)
    rounds = Rounds(r.rounds, r.teams, members, assignments)
    return pl.out, rounds, people, posts, ties
