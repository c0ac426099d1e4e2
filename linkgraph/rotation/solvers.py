"""The rotation solvers behind one interface, and the choice between them.

Each solver is a function ``(inst, *, time_limit, seed, workers, exclude)
-> Solution | None`` (None: proven infeasible) in a module of its own:

* ``assignment``: the assignment algorithm, for a plain derangement;
* ``cp-sat``: OR-Tools CP-SAT (``cpsat``), for no-reciprocal pairs, the
  single 推磨 ring and the next-best alternatives;
* ``milp``: the lazy-cut MILP (``milp``, scipy's HiGHS);

``patching`` turns the assignment optimum into a feasible ring.  The choice
is made here, in ``choose_solver``; an unknown solver name is an error,
never a silent fallback.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import numpy as np

from linkgraph.errors import LinkgraphError
from linkgraph.rotation.assignment import plain, solve_assignment
from linkgraph.rotation.cpsat import solve_cpsat
from linkgraph.rotation.instance import (Instance, Solution, SolverTimeout, plan_cost, shuffled,
                                         unshuffle)
from linkgraph.rotation.milp import ring_lower_bound, solve_milp
from linkgraph.rotation.patching import patch

SOLVERS: dict[str, Callable[..., Solution | None]] = {
    "assignment": solve_assignment,
    "cp-sat": solve_cpsat,
    "milp": solve_milp,
}


def choose_solver(inst: Instance, name: str | None, exclude: Sequence = ()) -> str:
    """The solver's name: the assignment algorithm when nothing else is needed,
    CP-SAT's circuit constraint for a single ring (started from a patched
    assignment optimum), else the lazy-cut MILP (which hands over to CP-SAT
    if it runs out of time)."""
    if name is not None:
        if name not in SOLVERS:
            raise LinkgraphError(f"未知求解器 {name!r} / unknown solver {name!r}; "
                                 f"可选 / choose from: {', '.join(sorted(SOLVERS))}")
        return name
    if inst.single_cycle:
        return "cp-sat"
    plain = not (exclude or (inst.no_reciprocal and inst.reciprocal_pairs()))
    return "assignment" if plain else "milp"


def solve(inst: Instance, *, solver: str | None = None, time_limit: float = 30.0,
          seed: int = 0, workers: int = 1,
          exclude: Sequence[Sequence[int]] = ()) -> Solution | None:
    """The best plan of ``inst`` (None when proven infeasible)."""
    name = choose_solver(inst, solver, exclude)
    if name == "assignment" or solver is not None:
        return SOLVERS[name](inst, time_limit=time_limit, seed=seed, workers=workers,
                             exclude=exclude)
    if name == "cp-sat":
        return _ring(inst, time_limit=time_limit, seed=seed, workers=workers, exclude=exclude)
    started = time.monotonic()
    try:
        return solve_milp(inst, time_limit=0.6 * time_limit, seed=seed, workers=workers,
                          exclude=exclude)
    except SolverTimeout as exc:
        bound = exc.bound
    start = None if exclude else _patched(inst)
    left = max(1.0, time_limit - (time.monotonic() - started))
    return _cpsat_or_start(inst, start, bound, time_limit=left, seed=seed, workers=workers,
                           exclude=exclude, solver_bound=False)


def _cpsat_or_start(inst: Instance, start: Sequence[int] | None, bound: float, *,
                    time_limit: float, seed: int, workers: int,
                    exclude: Sequence[Sequence[int]], solver_bound: bool) -> Solution | None:
    """CP-SAT from ``start`` (a patched plan, or None), or ``start`` itself
    when CP-SAT runs out of time or finds nothing cheaper; None when proven
    infeasible.  The patched plan's bound is ``bound``, or CP-SAT's own when
    ``solver_bound`` and CP-SAT found a plan."""
    try:
        sol = solve_cpsat(inst, time_limit=time_limit, seed=seed, workers=workers,
                          exclude=exclude, bound=bound, start=start)
        if sol is None:       # proven infeasible
            return None
    except SolverTimeout:
        if start is None:
            raise
        sol = None
    total = None if start is None else plan_cost(inst, start)
    if total is not None and (sol is None or total < sol.cost):
        if solver_bound and sol is not None:
            bound = sol.bound
        return Solution(tuple(start), total, bound >= total, max(bound, -np.inf), "patching")
    return sol


def _ring(inst: Instance, *, time_limit: float, seed: int, workers: int,
          exclude: Sequence[Sequence[int]]) -> Solution | None:
    """A single ring by CP-SAT, started from the patched assignment optimum,
    whose cost (without the ring) bounds the gap from below."""
    optimum = plain(inst)
    if optimum is None:
        return None
    started = time.monotonic()
    start = None if exclude else patch(inst, optimum.assignment)
    bound = max(float(optimum.cost), ring_lower_bound(inst, 0.1 * time_limit))
    left = max(1.0, time_limit - (time.monotonic() - started))
    return _cpsat_or_start(inst, start, bound, time_limit=left, seed=seed, workers=workers,
                           exclude=exclude, solver_bound=True)


def _patched(inst: Instance) -> tuple[int, ...] | None:
    """A feasible ring from the assignment optimum (Karp's patching), if any."""
    optimum = plain(inst)
    return None if optimum is None else patch(inst, optimum.assignment)


def best_plans(inst: Instance, k: int, *, solver: str | None = None, time_limit: float = 30.0,
               seed: int = 0, workers: int = 1) -> list[Solution]:
    """The best plan and up to ``k`` next-best ones, each differing from all
    earlier ones in at least one pair (exact when every solve is optimal).
    Deterministic for a seed."""
    work, p, q = shuffled(inst, seed)
    first = solve(work, solver=solver, time_limit=time_limit, seed=seed, workers=workers)
    if first is None:
        return []
    found = [first]
    for _ in range(k):
        nxt = solve(work, solver=None if solver == "assignment" else solver,
                    time_limit=time_limit, seed=seed, workers=workers,
                    exclude=[s.assignment for s in found])
        if nxt is None:
            break
        found.append(nxt)
    return [unshuffle(s, p, q) for s in found]
