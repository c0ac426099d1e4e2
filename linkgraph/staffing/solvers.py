"""Choosing a staffing solver in one place: each solver by the name ``--solver``
takes (``milp`` and ``cp-sat`` in ``model``, ``pricing`` in ``pricing``), ``auto``
that combines them, and the best rosters and next-best ones.  Kept apart from the
model so that a solver module never imports the dispatcher that imports it."""
from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import numpy as np

from linkgraph.errors import LinkgraphError
from linkgraph.rotation.instance import SolverTimeout
from linkgraph.staffing.model import LinearModel, StaffSolution, satisfies, solve_cpsat, \
    solve_milp
from linkgraph.staffing.pricing import solve_pricing


def solve_auto(model: LinearModel, *, time_limit: float, seed: int, workers: int,
               exclude: Sequence[Sequence[int]] = (),
               hint: Sequence[int] | None = None) -> StaffSolution | None:
    """``pricing`` for up to 70 % of the time (its bound is proven at every
    step, and it usually closes the gap); when it leaves one, CP-SAT for the
    rest, started from the best roster found (or ``hint``).  The answer is
    the cheapest roster with the best bound either proved."""
    started = time.monotonic()
    found: list[StaffSolution] = []
    bound = -np.inf
    try:
        sol = solve_pricing(model, time_limit=0.7 * time_limit, seed=seed, workers=workers,
                            exclude=exclude, hint=hint)
        if sol is None or sol.optimal:
            return sol
        found.append(sol)
        bound = sol.bound
    except SolverTimeout as exc:
        bound = exc.bound
    if not found and hint is not None and not exclude and satisfies(model, hint):
        total = int(np.dot(model.cost, hint)) + model.constant
        found.append(StaffSolution(tuple(int(v) for v in hint), total, False, -np.inf,
                                   "greedy"))
    left = time_limit - (time.monotonic() - started)
    if not found or left >= 0.1 * time_limit:
        try:
            sol = solve_cpsat(model, time_limit=max(1.0, left), seed=seed, workers=workers,
                              exclude=exclude, hint=found[0].values if found else None)
            if sol is None:
                return None
            found.append(sol)
            bound = max(bound, sol.bound)
        except SolverTimeout:
            if not found:
                raise
    order = ("pricing", "cp-sat", "greedy")
    best = min(found, key=lambda s: (s.cost, order.index(s.solver)))
    bound = max(bound, best.bound)
    return StaffSolution(best.values, best.cost, best.optimal or bound >= best.cost, bound,
                         best.solver)


#: Every solver by the name ``--solver`` takes (``auto``: ``pricing``, then
#: CP-SAT when a gap is left).
SOLVERS: dict[str, Callable[..., StaffSolution | None]] = {
    "auto": solve_auto,
    "cp-sat": solve_cpsat,
    "milp": solve_milp,
    "pricing": solve_pricing,
}


def solver_named(name: str | None) -> Callable[..., StaffSolution | None]:
    """The solver called ``name`` (``auto`` when None); unknown is an error."""
    name = name or "auto"
    if name not in SOLVERS:
        raise LinkgraphError(f"未知求解器 {name!r} / unknown solver {name!r}; "
                             f"可选 / choose from: {', '.join(sorted(SOLVERS))}")
    return SOLVERS[name]


def best_rosters(model: LinearModel, k: int, *, solver: str | None = None,
                 time_limit: float = 30.0, seed: int = 0, workers: int = 1,
                 hint: Sequence[int] | None = None) -> list[StaffSolution]:
    """The best roster and up to ``k`` next-best ones, each differing from
    every earlier one in at least one person's team or role.  ``hint`` (a
    feasible roster's values) starts CP-SAT's first search."""
    solve = solver_named(solver)
    extra = {"hint": hint} if solve in (solve_cpsat, solve_auto, solve_pricing) \
        and hint is not None else {}
    first = solve(model, time_limit=time_limit, seed=seed, workers=workers, **extra)
    if first is None:
        return []
    found = [first]
    for _ in range(k):
        nxt = solve(model, time_limit=time_limit, seed=seed, workers=workers,
                    exclude=[s.chosen(model) for s in found])
        if nxt is None:
            break
        found.append(nxt)
    return found
