"""Rotations by OR-Tools CP-SAT: no-reciprocal pairs (A↔B), the single 推磨
ring (``add_circuit`` over the teams) and the next-best alternatives
(no-good cuts); it proves optimality or reports the gap at the time limit."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from linkgraph.errors import LinkgraphError
from linkgraph.rotation.assignment import solve_assignment
from linkgraph.rotation.instance import Instance, Solution, SolverTimeout, plan_cost


def solve_cpsat(inst: Instance, *, time_limit: float, seed: int, workers: int,
                exclude: Sequence[Sequence[int]] = (), bound: float = -np.inf,
                start: Sequence[int] | None = None) -> Solution | None:
    """Assignment with reciprocal/cycle constraints and no-good cuts by CP-SAT."""
    from ortools.sat.python import cp_model

    n = inst.n
    if not inst.allowed.any(axis=1).all() or not inst.allowed.any(axis=0).all():
        return None
    model = cp_model.CpModel()
    x = {(int(i), int(j)): model.new_bool_var(f"x{i}_{j}")
         for i, j in zip(*np.nonzero(inst.allowed))}
    rows: list[list] = [[] for _ in range(n)]
    cols: list[list] = [[] for _ in range(n)]
    for (i, j), var in x.items():
        rows[i].append(var)
        cols[j].append(var)
    for group in rows + cols:
        model.add_exactly_one(group)
    if inst.no_reciprocal:
        for i, j, k, l in inst.reciprocal_pairs():
            model.add_bool_or([x[i, j].Not(), x[k, l].Not()])
    if inst.single_cycle:
        team_of = {int(h): t for t, h in enumerate(inst.home)}
        arcs = []
        for (i, j), var in x.items():
            if team_of[j] == i:  # a self-loop would let team i sit out the ring
                model.add(var == 0)
            else:
                arcs.append((i, team_of[j], var))
        model.add_circuit(arcs)
    for plan in exclude:
        lits = [x[i, int(j)] for i, j in enumerate(plan) if (i, int(j)) in x]
        model.add(sum(lits) <= n - 1)
    objective = sum(int(inst.cost[i, j]) * var for (i, j), var in x.items())
    if np.isfinite(bound):   # a proven bound lets CP-SAT stop as soon as it meets it
        model.add(objective >= int(np.floor(bound * (1 - 1e-9) - 1e-6)))
    model.minimize(objective)
    if start is not None:
        for (i, j), var in x.items():
            model.add_hint(var, start[i] == j)
    else:
        _hint(model, x, inst, exclude)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit)
    solver.parameters.random_seed = int(seed)
    solver.parameters.num_workers = max(1, int(workers))
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        return None
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise SolverTimeout(f"{time_limit:g} 秒内未找到可行方案（可能无解）/ no plan found within "
                            f"{time_limit:g} s; 请加大 --time-limit / raise --time-limit")
    assignment = [0] * n
    for (i, j), var in x.items():
        if solver.boolean_value(var):
            assignment[i] = j
    total = plan_cost(inst, assignment)
    optimal = status == cp_model.OPTIMAL
    bound = float(total) if optimal else max(bound, float(solver.best_objective_bound))
    optimal = optimal or bound >= total
    return Solution(tuple(assignment), total, optimal, bound, "cp-sat")


def _hint(model, x, inst: Instance, exclude: Sequence[Sequence[int]]) -> None:
    """Start CP-SAT from the assignment optimum (it may break the extra constraints)."""
    if exclude or inst.n > 400:
        return
    plain = Instance(inst.cost, inst.allowed, inst.home)
    try:
        start = solve_assignment(plain, time_limit=1.0, seed=0, workers=1)
    except LinkgraphError:
        return
    if start is None:
        return
    for (i, j), var in x.items():
        model.add_hint(var, start.assignment[i] == j)
