"""``plan_rotation``: the cross-inspection rotation of a round (交叉巡察 / 推磨式)."""
from __future__ import annotations

import time
from collections import Counter

import numpy as np

from linkgraph.errors import LinkgraphError
from linkgraph.rotation.diagnose import explain_infeasible
from linkgraph.rotation.instance import Solution
from linkgraph.rotation.members import propose_swaps, residual_soft
from linkgraph.rotation.options import (Alternative, MemberSwap, RotationOptions, RotationPair,
                                        RotationPlan)
from linkgraph.rotation.problem import (BIT, BLOCKS, RotationProblem, build_problem, resolve_pair,
                                        without_members)
from linkgraph.rotation.solvers import best_plans
from linkgraph.schema import Tables


SOFT_FIELDS = ("person_id", "person_name", "role", "unit_id", "unit_name", "relation",
               "relation_zh", "hops", "score", "explanation", "explanation_en")


def plan_rotation(tables: Tables, round_id: str, options: RotationOptions | None = None, *,
                  rules=None) -> RotationPlan:
    """The cheapest rotation of ``round_id``'s teams over its target regions.

    No team inspects its home region or a region it has a team-level hard
    conflict with; members with a hard conflict of their own are swapped
    with a same-role member of another team (or the pair is excluded); the
    summed soft-conflict score (plus ``swap_cost`` per swap) is minimised,
    then the workload/capacity imbalance.  Raises ``InfeasibleError`` naming
    the cause and the constraint to relax.
    """
    options = options or RotationOptions()
    started = time.monotonic()
    tables = getattr(tables, "tables", tables)
    if options.without_members:
        tables = without_members(tables, round_id)
    problem = build_problem(tables, round_id, options, rules=rules)
    _check_rings(problem, options)
    blocked = problem.blocked.copy()
    while True:   # each round excludes at least one more pair, so this ends
        sols = best_plans(problem.instance(options, blocked), options.alternatives,
                          solver=options.solver, time_limit=options.time_limit,
                          seed=options.seed, workers=options.workers)
        if not sols:
            raise explain_infeasible(problem, blocked, options)
        chosen = {problem.team_ids[i]: problem.region_ids[j]
                  for i, j in enumerate(sols[0].assignment)}
        swaps, failed, members = propose_swaps(tables, problem.costs, chosen)
        if not failed:
            break
        for team in failed:
            i = problem.team_ids.index(team)
            blocked[i, problem.region_ids.index(chosen[team])] |= BIT["member"]
    return _assemble(problem, options, blocked, sols, swaps, members,
                     time.monotonic() - started)


def _check_rings(p: RotationProblem, options: RotationOptions) -> None:
    if not options.single_cycle:
        return
    homes = p.home_index
    if (homes < 0).any() or len(set(homes.tolist())) != p.n:
        bad = [t for t, h in zip(p.team_ids, homes) if h < 0]
        raise LinkgraphError(
            "--single-cycle 需要每个巡察组的派出区域各不相同且都是本轮被巡察区域 / a single ring "
            "needs every team's home region to be a distinct target region"
            + (f"; 派出区域不在其中 / home not a target: {', '.join(bad[:10])}" if bad else ""))


def _pair_cost(p: RotationProblem, options: RotationOptions, i: int, j: int) -> float:
    swaps = len(p.member_hard.get((i, j), ()))
    return round(float(p.soft[i, j]) + options.swap_cost * swaps, 6)


def _assemble(p: RotationProblem, options: RotationOptions, blocked: np.ndarray,
              sols: list[Solution], swaps: list[MemberSwap], members: dict[str, list[str]],
              seconds: float) -> RotationPlan:
    best = sols[0]
    fixed = {resolve_pair(p, a, b) for a, b in options.fix}
    ratio = p.ratio
    by_team = Counter(s.team_id for s in swaps)
    pairs = []
    for i, j in enumerate(best.assignment):
        team, region = p.team_ids[i], p.region_ids[j]
        units = p.region_units.get(region, ())
        soft = residual_soft(p.costs, members.get(team, []), units)
        cost = _pair_cost(p, options, i, j)
        reason = _reason(p, options, i, j, soft, by_team[team], (i, j) in fixed, ratio[i, j])
        pairs.append(RotationPair(
            team, p.team_names[i], p.homes[i], p.region_names.get(p.homes[i] or "")
            if p.homes[i] else None, region, str(p.region_names.get(region, region)), units,
            cost, round(float(ratio[i, j]), 4), by_team[team],
            tuple({f: c.as_record()[f] for f in SOFT_FIELDS} for c in soft), reason,
            _reason_en(p, options, i, j, soft, by_team[team], (i, j) in fixed, ratio[i, j])))
    pairs.sort(key=lambda q: q.team_id)
    alternatives = tuple(_alternative(p, options, best, s, k)
                         for k, s in enumerate(sols[1:], start=1))
    excluded = {name: int(((blocked & BIT[name]) != 0).sum()) for name in BLOCKS}
    imbalance = sum(abs(float(ratio[i, j]) - 1) for i, j in enumerate(best.assignment))
    return RotationPlan(p.round_id, tuple(pairs), round(sum(q.cost for q in pairs), 6),
                        round(imbalance, 4), best.optimal, round(best.gap, 6), best.solver,
                        seconds, options, tuple(swaps), alternatives, excluded, p.notes)


def _alternative(p: RotationProblem, options: RotationOptions, best: Solution, sol: Solution,
                 rank: int) -> Alternative:
    cost = sum(_pair_cost(p, options, i, j) for i, j in enumerate(sol.assignment))
    pairs = tuple(sorted((p.team_ids[i], p.region_ids[j]) for i, j in enumerate(sol.assignment)))
    differs = tuple(sorted((p.team_ids[i], p.region_ids[a], p.region_ids[b])
                           for i, (a, b) in enumerate(zip(best.assignment, sol.assignment))
                           if a != b))
    return Alternative(rank, round(cost, 6), sol.optimal, pairs, differs)


def _reason(p: RotationProblem, options: RotationOptions, i: int, j: int, soft: list,
            n_swaps: int, fixed: bool, ratio: float) -> str:
    """Why this pair, in the words a planner hands over (Chinese)."""
    home = p.homes[i]
    parts = ["按指定配对（--fix）"] if fixed else []
    parts.append(f"{p.region_names.get(home, home) if home else '—'}派出，"
                 f"巡察{p.region_names.get(p.region_ids[j], p.region_ids[j])}"
                 f"（{len(p.region_units.get(p.region_ids[j], ()))}个单位），非本地")
    parts.append(f"成员回避{n_swaps}人，已提出同岗位调换" if n_swaps else "无回避冲突")
    if soft:
        kinds = Counter(c.relation_zh for c in soft)
        detail = "、".join(f"{k}×{v}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1]))
        parts.append(f"软冲突{len(soft)}条（{detail}），分值{sum(c.score for c in soft):.4g}")
    else:
        parts.append("无软冲突")
    if options.avoid_recent:
        parts.append(f"近{options.avoid_recent}轮未曾配对")
    if options.zones and home:
        parts.append(f"同属{options.zones[home]}片区")
    parts.append(f"力量与工作量比{ratio:.2f}")
    return "；".join(parts)


def _reason_en(p: RotationProblem, options: RotationOptions, i: int, j: int, soft: list,
               n_swaps: int, fixed: bool, ratio: float) -> str:
    """The same reason as :func:`_reason`, in English."""
    from linkgraph.catalogue import relation_label

    home, target = p.homes[i], p.region_ids[j]
    parts = ["pair fixed by --fix"] if fixed else []
    parts.append(f"sent from {p.region_names.get(home, home) if home else '—'} to "
                 f"{p.region_names.get(target, target)} "
                 f"({len(p.region_units.get(target, ()))} units), not its home region")
    parts.append(f"{n_swaps} members must recuse: same-role swaps proposed" if n_swaps
                 else "no recusal conflict")
    if soft:
        kinds = Counter(relation_label(c.relation, "en") for c in soft)
        detail = ", ".join(f"{k} ×{v}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1]))
        parts.append(f"{len(soft)} soft conflicts ({detail}), score {sum(c.score for c in soft):.4g}")
    else:
        parts.append("no soft conflict")
    if options.avoid_recent:
        parts.append(f"not paired in the last {options.avoid_recent} rounds")
    if options.zones and home:
        parts.append(f"both in zone {options.zones[home]}")
    parts.append(f"strength to workload ratio {ratio:.2f}")
    return "; ".join(parts)
