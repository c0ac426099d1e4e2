"""The rotation planner's options and the plan it returns (交叉巡察方案)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RotationOptions:
    """Every constraint of a cross-inspection rotation.

    ``fix`` / ``forbid`` hold ``(A, B)`` pairs: A a team id or the team's home
    region id, B a target region id or name.  ``zones`` maps region id ->
    zone (片区); with it a team only inspects a region of its home region's
    zone.  ``capacity_tolerance`` forbids pairs whose workload share differs
    from the team's capacity share by more than this fraction (None: only
    minimised as a tie-break).  ``targets``: unit ids replacing the round's
    assignments (whose current team choice is ignored anyway).
    ``without_members``: the teams are to be staffed afresh from the pool
    (``rotate --staff``), so their current members are not weighed — no
    member conflicts, no swaps, every team of equal capacity; only the
    teams' home regions (and the options) decide.
    """

    no_reciprocal: bool = False
    single_cycle: bool = False
    avoid_recent: int = 0
    zones: dict[str, str] | None = None
    fix: tuple[tuple[str, str], ...] = ()
    forbid: tuple[tuple[str, str], ...] = ()
    capacity_tolerance: float | None = None
    workload: str = "units"          # "units" or "problems"
    member_swaps: bool = True
    max_swaps: int = 1
    swap_cost: float = 10.0
    time_limit: float = 30.0
    seed: int = 0
    alternatives: int = 0
    targets: tuple[str, ...] | None = None
    solver: str | None = None        # None = choose; "assignment" or "cp-sat"
    workers: int = 1
    without_members: bool = False

    def as_record(self) -> dict[str, Any]:
        return {
            "no_reciprocal": self.no_reciprocal, "single_cycle": self.single_cycle,
            "avoid_recent": self.avoid_recent,
            "zones": dict(sorted(self.zones.items())) if self.zones else None,
            "fix": [f"{a}:{b}" for a, b in self.fix],
            "forbid": [f"{a}:{b}" for a, b in self.forbid],
            "capacity_tolerance": self.capacity_tolerance, "workload": self.workload,
            "member_swaps": self.member_swaps, "max_swaps": self.max_swaps,
            "swap_cost": self.swap_cost, "time_limit": self.time_limit, "seed": self.seed,
            "alternatives": self.alternatives,
            "targets": list(self.targets) if self.targets is not None else None,
            "solver": self.solver, "without_members": self.without_members,
        }


@dataclass(frozen=True)
class MemberSwap:
    """A proposed exchange of two same-role members (回避调换)."""

    person_id: str
    person_name: str
    role: str
    team_id: str
    to_team_id: str
    conflict: str           # why the member must not go (the hard conflict, in Chinese)
    with_person_id: str
    with_person_name: str
    with_team_id: str

    def as_record(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__dataclass_fields__}


@dataclass(frozen=True)
class RotationPair:
    """One team and the region (and units) it inspects."""

    team_id: str
    team_name: str
    from_region_id: str | None
    from_region_name: str | None
    to_region_id: str
    to_region_name: str
    unit_ids: tuple[str, ...]
    cost: float
    workload_ratio: float
    swaps: int
    soft_conflicts: tuple[dict[str, Any], ...]
    reason: str
    reason_en: str = ""   # the same reason in English (``--lang en``)

    def as_record(self) -> dict[str, Any]:
        rec = {f: getattr(self, f) for f in self.__dataclass_fields__}
        rec["unit_ids"] = list(self.unit_ids)
        rec["soft_conflicts"] = [dict(c) for c in self.soft_conflicts]
        return rec


@dataclass(frozen=True)
class Alternative:
    """One of the next-best plans: its pairs and how it differs."""

    rank: int
    objective: float
    optimal: bool
    pairs: tuple[tuple[str, str], ...]       # (team_id, to_region_id)
    differs: tuple[tuple[str, str, str], ...]  # (team_id, chosen region, this region)

    def as_record(self) -> dict[str, Any]:
        return {"rank": self.rank, "objective": self.objective, "optimal": self.optimal,
                "pairs": [{"team_id": t, "to_region_id": r} for t, r in self.pairs],
                "differs": [{"team_id": t, "chosen_region_id": a, "region_id": b}
                            for t, a, b in self.differs]}


@dataclass(frozen=True)
class RotationPlan:
    """A rotation: the pairs, the objective, whether it is proven optimal."""

    round_id: str
    pairs: tuple[RotationPair, ...]
    objective: float
    workload_imbalance: float
    optimal: bool
    gap: float
    solver: str
    seconds: float
    options: RotationOptions
    member_swaps: tuple[MemberSwap, ...] = ()
    alternatives: tuple[Alternative, ...] = ()
    excluded: dict[str, int] = field(default_factory=dict)
    #: what the plan left out and why (a team without members, units
    #: without a region), in words, so nothing is dropped without a word
    notes: tuple[str, ...] = ()

    def as_record(self) -> dict[str, Any]:
        return {
            "round_id": self.round_id,
            "notes": list(self.notes),
            "pairs": [p.as_record() for p in self.pairs],
            "objective": self.objective,
            "workload_imbalance": self.workload_imbalance,
            "optimal": self.optimal,
            "gap": self.gap,
            "solver": self.solver,
            "constraints": {**self.options.as_record(), "excluded_pairs": dict(self.excluded)},
            "member_swaps": [s.as_record() for s in self.member_swaps],
            "alternatives": [a.as_record() for a in self.alternatives],
        }
