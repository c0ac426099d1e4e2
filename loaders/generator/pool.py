"""The 人才库 of the cross-inspection round, with planted conflicts.

The pool holds the round's own team members (leaders in the 组长库, deputies
in the 副组长库, the rest in the 成员库 / 联络员库), people who served in
earlier rounds, and cadres of units the round does not inspect (their top
leaders in the 组长库); specialties come from the person's 业务特长 and a
second tag, so that 纪检, 组织 and the targets' needs all have holders.

Planted, and written to the truth as ``staffing.planted_hard``:

* officials of target units put in the pool (a current post: 任职回避);
* cadres whose source unit (抽调单位) is a target unit (never inspect it).

Nothing here touches the other tables, so every other truth stays as it was.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from loaders.generator.tables import _table
from loaders.generator.util import stream

#: Second specialty tags drawn for pool members (the staffing rules' words).
TAGS = ("纪检监察", "组织人事", "财务审计", "法律", "工程管理", "三资", "规划")
TAG_P = (0.2, 0.2, 0.2, 0.1, 0.12, 0.12, 0.06)


def empty_pool() -> pd.DataFrame:
    return _table("pool", {"person_id": np.array([], dtype=object)})


def build_pool(t: dict[str, pd.DataFrame], round_id: str,
               seed: int) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The pool of ``round_id`` and its truth (planted hard conflicts)."""
    rng = stream(seed, "pool")
    teams = t["teams"][t["teams"]["round_id"] == round_id]
    members = t["team_members"][t["team_members"]["team_id"].isin(teams["team_id"])]
    assign = t["assignments"][t["assignments"]["round_id"] == round_id]
    targets = set(assign["unit_id"])
    posts = t["posts"]
    current = posts[posts["end"].isna()].sort_values(["person_id", "start"])
    unit_of = current.groupby("person_id")["unit_id"].last().to_dict()
    rows: dict[str, dict[str, Any]] = {}

    def add(pid: str, kind: str, source: object) -> None:
        rows.setdefault(pid, {"person_id": pid, "kinds": set(), "source": source})
        rows[pid]["kinds"].add(kind)

    kind_of_role = {"leader": "leader", "deputy": "deputy", "liaison": "liaison"}
    for pid, role, sec in zip(members["person_id"], members["role"],
                              members["seconded_from_unit_id"]):
        add(pid, kind_of_role.get(role, "member"), sec if isinstance(sec, str) else
            unit_of.get(pid))
    earlier = t["team_members"][~t["team_members"]["team_id"].isin(teams["team_id"])]
    for pid, role in sorted(set(zip(earlier["person_id"], earlier["role"]))):
        if rng.random() < 0.5:
            add(pid, kind_of_role.get(role, "member"), unit_of.get(pid))
    outside = current[~current["unit_id"].isin(targets) & ~current["person_id"].isin(rows)]
    outside = outside.drop_duplicates("person_id")
    n_teams = len(teams)
    tops = outside[outside["is_top_leader"].astype(bool)]
    for pid, unit in _sample(tops, 2 * n_teams, rng):
        add(pid, "leader", unit)
    for pid, unit in _sample(outside[~outside["person_id"].isin(rows)], 6 * n_teams, rng):
        add(pid, "expert" if rng.random() < 0.05 else "member", unit)
    planted = _plant(t, rows, current, assign, targets, n_teams, rng, add)
    return _frame(t, rows, round_id, rng), {"round_id": round_id, "planted_hard": planted}


def _sample(frame: pd.DataFrame, k: int, rng: np.random.Generator) -> list[tuple[str, str]]:
    pairs = sorted(zip(frame["person_id"], frame["unit_id"]))
    if len(pairs) <= k:
        return pairs
    pick = np.sort(rng.choice(len(pairs), size=k, replace=False))
    return [pairs[i] for i in pick]


def _plant(t, rows, current, assign, targets, n_teams, rng, add) -> list[dict[str, str]]:
    planted = []
    officials = current[current["unit_id"].isin(targets) & ~current["person_id"].isin(rows)]
    for pid, unit in _sample(officials.drop_duplicates("person_id"), max(2, n_teams), rng):
        add(pid, "member", unit)
        for u in sorted(set(current.loc[current["person_id"] == pid, "unit_id"]) & targets):
            planted.append({"person_id": pid, "unit_id": u, "why": "post"})
    units = sorted(targets)
    free = [p for p in sorted(rows) if rows[p]["source"] is not None
            and not any(d["person_id"] == p for d in planted)]
    for k in rng.choice(len(free), size=min(len(free), max(2, n_teams)), replace=False):
        pid = free[int(k)]
        unit = units[int(rng.integers(len(units)))]
        rows[pid]["source"] = unit
        planted.append({"person_id": pid, "unit_id": unit, "why": "seconded"})
    return sorted(planted, key=lambda d: (d["person_id"], d["unit_id"]))


def _frame(t, rows, round_id: str, rng: np.random.Generator) -> pd.DataFrame:
    specialty = dict(zip(t["people"]["person_id"], t["people"]["specialty"]))
    rounds = t["rounds"].set_index("round_id")
    start = rounds.loc[round_id, "start"]
    team_round = dict(zip(t["teams"]["team_id"], t["teams"]["round_id"]))
    served: dict[str, set[str]] = {}
    for team, pid in zip(t["team_members"]["team_id"], t["team_members"]["person_id"]):
        rid = team_round.get(team)
        if rid != round_id and rid in rounds.index and rounds.loc[rid, "start"] < start:
            served.setdefault(pid, set()).add(str(rid))
    out: dict[str, list[Any]] = {c: [] for c in ("person_id", "pool_kind", "specialties",
                                                 "source_unit_id", "available_from",
                                                 "available_to", "rounds_served", "is_new")}
    for pid in sorted(rows):
        tags = [specialty[pid]] if isinstance(specialty.get(pid), str) else []
        tags.append(TAGS[int(rng.choice(len(TAGS), p=TAG_P))])
        n = len(served.get(pid, ()))
        gone = rng.random() < 0.04          # seconded elsewhere during the round
        for kind in sorted(rows[pid]["kinds"]):
            out["person_id"].append(pid)
            out["pool_kind"].append(kind)
            out["specialties"].append(";".join(dict.fromkeys(tags)))
            out["source_unit_id"].append(rows[pid]["source"])
            out["available_from"].append(None)
            out["available_to"].append(start - pd.Timedelta(days=30) if gone else None)
            out["rounds_served"].append(n)
            out["is_new"].append(n == 0)
    frame = {k: np.array(v, dtype=object) for k, v in out.items()}
    frame["available_to"] = pd.to_datetime(pd.Series(out["available_to"], dtype=object)).to_numpy()
    frame["available_from"] = pd.to_datetime(pd.Series(out["available_from"],
                                                       dtype=object)).to_numpy()
    frame["rounds_served"] = np.array(out["rounds_served"], dtype=np.int64)
    frame["is_new"] = np.array(out["is_new"], dtype=bool)
    return _table("pool", frame)
