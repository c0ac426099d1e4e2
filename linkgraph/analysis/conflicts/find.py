"""Acquaintance-society conflicts (熟人社会 / 回避) between inspectors and the
units they would inspect.

``find_conflicts(tables, round_id, rules=...)`` reports, for the round's teams
and their assigned units (or, with ``candidates=True``, every team member ×
every unit of the round), each hard conflict (回避: kinship, a recent or
long-term post in the target, seconded from it, 本地巡本地 in a
cross-inspection) and soft one (提示: other declared ties at distance one and
two, former colleagues and superiors, fellow townsmen, same system), with a
path of node ids and a Chinese sentence as evidence.

``conflict_costs`` turns the candidate conflicts into the team × region and
team × unit matrices that the rotation planner consumes: hard = forbidden,
soft = summed weighted score.

People are joined by ``person_id`` only: two officials named 王伟 are two
people.  Everything runs on the compact index (``index``), so a
province-wide round is covered at once.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np
import pandas as pd

from linkgraph.analysis.conflicts import derived
from linkgraph.analysis.conflicts import rules as cr
from linkgraph.analysis.conflicts.index import (ConflictIndex, RoundContext, build_index,
                                                region_ancestors, rotation_regions, round_context,
                                                round_tables)
from linkgraph.analysis.conflicts.text import Writer, names_for
from linkgraph.catalogue import relation_label
from linkgraph.rules import Rules, load_rules
from linkgraph.schema import Tables


LEVEL_ZH = {"hard": "回避", "soft": "提示"}


@dataclass(frozen=True)
class MemberUnit:
    """One team member of a round and one target unit: what a conflict, and
    a planner's hint (``hints.SoftHint``), are about."""

    round_id: str
    team_id: str
    team_name: str
    person_id: str
    person_name: str
    role: str
    unit_id: str
    unit_name: str

    def member_unit(self) -> dict[str, str]:
        """The member and unit fields alone (to make a record about the same pair)."""
        return {f.name: getattr(self, f.name) for f in fields(MemberUnit)}


def capped_soft(total: Any, cap: float) -> Any:
    """A member × unit pair's summed soft score, at most ``[conflicts]
    soft_cap`` (0 = no cap): many weak links never outweigh a strong one
    unboundedly.  ``total`` is a number or an array of them."""
    return np.minimum(total, cap) if cap > 0 else total


@dataclass(frozen=True)
class Conflict(MemberUnit):
    """One conflict between one team member and one target unit."""

    region_id: str | None
    level: str            # "hard" (回避) or "soft" (提示)
    relation: str         # spouse, ..., former_post, long_post, seconded, home_region,
    relation_zh: str      # colleague, superior, townsman, same_system, "classmate+spouse"
    hops: int             # 0 = the inspector's own post/secondment/region, 1, 2
    score: float
    path: tuple[str, ...]
    explanation: str
    evidence_count: int = 1
    explanation_en: str = ""   # the same evidence in English (``--lang en``)

    def as_record(self) -> dict[str, object]:
        record = {f: getattr(self, f) for f in self.__dataclass_fields__}
        record["level_zh"] = LEVEL_ZH[self.level]
        record["relation_zh_en"] = relation_label(self.relation, "en")
        return record


@dataclass(frozen=True)
class ConflictCosts:
    """Cost matrices for the rotation planner (交叉巡察).

    ``team_region_hard[i, j]``: team i must not inspect region j (a hard
    conflict between any member and any of the region's units of the round,
    or 本地巡本地 in a cross-inspection); ``team_region_soft``: the summed
    weighted soft score.  ``team_unit_*`` the same per unit.
    """

    round_id: str
    team_ids: tuple[str, ...]
    region_ids: tuple[str, ...]
    unit_ids: tuple[str, ...]
    team_region_hard: np.ndarray
    team_region_soft: np.ndarray
    team_unit_hard: np.ndarray
    team_unit_soft: np.ndarray
    conflicts: tuple[Conflict, ...]
    #: unit_id -> its target region (the unit's region at the level of the
    #: teams' home regions); the conflicts' region_id is that region too
    unit_regions: Mapping[str, str] = field(default_factory=dict)


def _resolve_rules(rules: Rules | cr.ConflictRules | None) -> cr.ConflictRules:
    if isinstance(rules, cr.ConflictRules):
        return rules
    return cr.conflict_rules(rules if rules is not None else load_rules())


def _evidence(tables: Tables, index: ConflictIndex, ctx: RoundContext,
              rules: cr.ConflictRules) -> pd.DataFrame:
    codes = index.person_codes(ctx.members["person_id"])
    inspectors = np.unique(codes[codes >= 0])
    offs = cr.officials(index, ctx)
    frames = [
        cr.tie_evidence(index, inspectors, offs, rules),
        cr.post_evidence(index, ctx, inspectors, rules),
        cr.seconded_evidence(index, ctx, rules),
        cr.home_region_evidence(index, ctx, tables["regions"], rules),
        derived.colleague_evidence(index, ctx, inspectors, offs, rules),
        derived.townsman_evidence(index, tables["people"], tables["regions"], inspectors, offs,
                                  rules),
        derived.same_system_evidence(index, ctx, tables["units"], inspectors, rules),
    ]
    ev = pd.concat([f for f in frames if len(f)] or [cr.evidence_frame(0)], ignore_index=True)
    ints = ["person", "unit", "hops", "via1", "via2", "post", "aux_post", "aux_unit", "code1",
            "code2"]
    return ev.astype({**dict.fromkeys(ints, "int64"), "score": "float64"})


KEY = ["team", "person", "unit", "relation", "hops"]


def _with_teams(ev: pd.DataFrame, index: ConflictIndex, ctx: RoundContext,
                candidates: bool) -> pd.DataFrame:
    """Give each evidence row its team(s); keep assigned pairs unless candidates."""
    members = ctx.members.assign(person=index.person_codes(ctx.members["person_id"]))
    free = ev[ev["team"].isna()].drop(columns="team")
    free = free.merge(members[["team_id", "person"]].rename(columns={"team_id": "team"}),
                      on="person")
    ev = pd.concat([free, ev[ev["team"].notna()]], ignore_index=True)
    if not candidates:
        pairs = ctx.assignments.assign(unit=index.unit_codes(ctx.assignments["unit_id"]))
        ev = ev.merge(pairs[["team_id", "unit"]].rename(columns={"team_id": "team"}),
                      on=["team", "unit"])
    return ev


def _best(ev: pd.DataFrame) -> pd.DataFrame:
    """One row per (team, person, unit, relation, hops): the strongest
    evidence (ties broken by the smallest codes), with the count."""
    team = np.unique(ev["team"].to_numpy(dtype=object), return_inverse=True)[1]
    rel = np.unique(ev["relation"].to_numpy(dtype=object), return_inverse=True)[1]
    cols = {c: ev[c].to_numpy() for c in ("person", "unit", "hops", "via1", "via2", "post",
                                          "aux_post")}
    order = np.lexsort((cols["aux_post"], cols["post"], cols["via2"], cols["via1"],
                        -ev["score"].to_numpy(), cols["hops"], rel, cols["unit"],
                        cols["person"], team))
    key = np.stack([team, cols["person"], cols["unit"], rel, cols["hops"]], axis=1)[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (key[1:] != key[:-1]).any(axis=1)
    starts = np.flatnonzero(first)
    count = np.diff(np.append(starts, len(order)))
    best = ev.iloc[order[starts]].assign(n_evidence=count)
    level = (best["level"] == "soft").to_numpy()
    final = np.lexsort((rel[order[starts]], -best["score"].to_numpy(), level,
                        best["unit"].to_numpy(), best["person"].to_numpy(), team[order[starts]]))
    return best.iloc[final].reset_index(drop=True)


def conflict_frame(tables: Tables, round_id: str, *, rules: Rules | cr.ConflictRules | None = None,
                   candidates: bool = False,
                   index: ConflictIndex | None = None) -> tuple[pd.DataFrame, RoundContext,
                                                                ConflictIndex]:
    """The de-duplicated evidence rows (codes, not text) of a round."""
    tables = getattr(tables, "tables", tables)
    crules = _resolve_rules(rules)
    ctx = round_context(tables, round_id)
    index = index or build_index(tables, crules.temporary_title_words)
    ev = _evidence(tables, index, ctx, crules)
    ev = ev[(ev["person"] >= 0) & (ev["unit"] >= 0)]
    return _best(_with_teams(ev, index, ctx, candidates)), ctx, index


def _scoped(tables: Tables, round_id: str, rules: cr.ConflictRules,
            index: ConflictIndex | None) -> Tables:
    """The dataset cut down to what the round can reach (unless an index for
    the whole dataset is given)."""
    tables = getattr(tables, "tables", tables)
    if index is not None:
        return tables
    return round_tables(tables, round_context(tables, round_id), rules.max_hops)


def find_conflicts(tables: Tables, round_id: str, *, rules: Rules | cr.ConflictRules | None = None,
                   candidates: bool = False, level: str | None = None,
                   index: ConflictIndex | None = None) -> list[Conflict]:
    """Every conflict of the round's assigned pairs (or all candidate pairs),
    hard first within each (team, person, unit)."""
    crules = _resolve_rules(rules)
    tables = _scoped(tables, round_id, crules, index)
    ev, ctx, index = conflict_frame(tables, round_id, rules=crules, candidates=candidates,
                                    index=index)
    if level is not None:
        ev = ev[ev["level"] == level]
    return _records(tables, ev, ctx, index, crules)


def _records(tables: Tables, ev: pd.DataFrame, ctx: RoundContext, index: ConflictIndex,
             rules: cr.ConflictRules) -> list[Conflict]:
    names = names_for(tables, index, ctx, rules.townsman_levels)
    writer = Writer(index, names, rules)
    region = dict(zip(tables["units"]["unit_id"], tables["units"]["region_id"]))
    out = []
    for row in ev.itertuples(index=False):
        pid, uid = writer.pid[row.person], writer.uid[row.unit]
        zh = (rules.zh(row.relation) if "+" not in row.relation else
              f"{rules.zh(row.rel1)}的{rules.zh(row.rel2)}")
        out.append(Conflict(
            ctx.round_id, row.team, names.team.get(row.team, row.team), pid,
            names.person[row.person], names.role.get((row.team, pid), "成员"), uid,
            names.unit[row.unit], region.get(uid), row.level, row.relation, zh,
            int(row.hops), float(row.score), writer.path(row), writer.explain(row),
            int(row.n_evidence), writer.explain(row, "en")))
    return out


def conflict_costs(tables: Tables, round_id: str, *, rules: Rules | cr.ConflictRules | None = None,
                   candidates: bool = True,
                   index: ConflictIndex | None = None) -> ConflictCosts:
    """Team × region and team × unit cost matrices of a round (all candidate
    pairs by default) and the member-level conflicts behind them."""
    crules = _resolve_rules(rules)
    tables = _scoped(tables, round_id, crules, index)
    ev, ctx, index = conflict_frame(tables, round_id, rules=crules, candidates=candidates,
                                    index=index)
    teams = tuple(ctx.teams["team_id"])
    units = tuple(ctx.units["unit_id"])
    group = rotation_regions(tables["regions"], ctx.teams["home_region_id"])
    unit_region = ctx.units["region_id"].map(lambda r: group.get(r, r) if isinstance(r, str)
                                             else None)
    regions = tuple(sorted(unit_region.dropna().unique()))
    t = pd.Index(teams).get_indexer(ev["team"])
    u = pd.Index(units).get_indexer(index.units[ev["unit"].to_numpy()])
    hard = (ev["level"] == "hard").to_numpy()
    unit_hard = np.zeros((len(teams), len(units)), dtype=bool)
    unit_soft = np.zeros((len(teams), len(units)), dtype=float)
    unit_hard[t[hard], u[hard]] = True
    pair_soft = pd.DataFrame({"t": t[~hard], "u": u[~hard], "p": ev["person"].to_numpy()[~hard],
                              "s": ev["score"].to_numpy(dtype=float)[~hard]})
    pair_soft = pair_soft.groupby(["t", "u", "p"], sort=False)["s"].sum()
    pair_soft = capped_soft(pair_soft, crules.soft_cap)
    tu = pair_soft.index.to_frame(index=False)
    np.add.at(unit_soft, (tu["t"].to_numpy(dtype=int), tu["u"].to_numpy(dtype=int)),
              pair_soft.to_numpy(dtype=float))
    to_region = np.zeros((len(units), len(regions)), dtype=float)
    r = pd.Index(regions).get_indexer(unit_region)
    to_region[np.arange(len(units))[r >= 0], r[r >= 0]] = 1.0
    region_hard = (unit_hard.astype(float) @ to_region) > 0
    region_soft = unit_soft @ to_region
    if ctx.is_cross and crules.home_region_is_hard_in_cross:
        ancestors = region_ancestors(tables["regions"])
        for i, home in enumerate(ctx.teams["home_region_id"]):
            for j, reg in enumerate(regions):
                if isinstance(home, str) and home in ancestors.get(reg, (reg,)):
                    region_hard[i, j] = True
    unit_regions = {u: r for u, r in zip(units, unit_region) if isinstance(r, str)}
    conflicts = tuple(replace(c, region_id=unit_regions.get(c.unit_id))
                      for c in _records(tables, ev, ctx, index, crules))
    return ConflictCosts(ctx.round_id, teams, regions, units, region_hard, region_soft,
                         unit_hard, unit_soft, conflicts, unit_regions)
