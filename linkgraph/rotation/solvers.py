"""Exact solvers for the rotation, behind one small interface.

The planner encodes teams and regions as a square instance: ``cost[i, j]``
(integers) for team i inspecting region j, ``allowed[i, j]``, and
``home[i]`` the region index of team i's home region (-1 if it is not a
target).  A plan is a perfect matching team -> region.

* ``assignment``: ``scipy.optimize.linear_sum_assignment`` (Jonker–Volgenant),
  exact in milliseconds for a plain derangement;
* ``cp-sat``: OR-Tools CP-SAT, for no-reciprocal pairs (A↔B), the single
  推磨 ring (``add_circuit`` over the teams) and the next-best alternatives
  (no-good cuts); it proves optimality or reports the gap at the time limit.

An unknown solver name is an error, never a silent fallback.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from linkgraph.errors import LinkgraphError


@dataclass(frozen=True)
class Instance:
    """A rotation as matrices: teams are rows, target regions columns."""

    cost: np.ndarray       # int64, n x n
    allowed: np.ndarray    # bool, n x n
    home: np.ndarray       # int, n: region index of each team's home, -1 if none
    no_reciprocal: bool = False
    single_cycle: bool = False

    @property
    def n(self) -> int:
        return int(self.cost.shape[0])

    def reciprocal_pairs(self) -> list[tuple[int, int, int, int]]:
        """(i, j, k, l): team i -> region j and team k -> region l form A↔B."""
        by_region = {int(h): i for i, h in enumerate(self.home) if h >= 0}
        out = []
        for i, hi in enumerate(self.home):
            if hi < 0:
                continue
            for j in np.flatnonzero(self.allowed[i]):
                k = by_region.get(int(j))
                if k is not None and k > i and self.allowed[k, hi]:
                    out.append((i, int(j), k, int(hi)))
        return out


@dataclass(frozen=True)
class Solution:
    assignment: tuple[int, ...]   # team i -> region index
    cost: int
    optimal: bool
    bound: float
    solver: str

    @property
    def gap(self) -> float:
        if self.optimal:
            return 0.0
        return float(max(0.0, self.cost - self.bound) / max(abs(self.cost), 1))


class SolverTimeout(LinkgraphError):
    """No plan found within the time limit (feasibility unknown); ``bound`` is
    the best lower bound proven so far."""

    def __init__(self, message: str, bound: float = -np.inf):
        super().__init__(message)
        self.bound = bound


def plan_cost(inst: Instance, assignment: Sequence[int]) -> int:
    return int(inst.cost[np.arange(inst.n), np.asarray(assignment)].sum())


def solve_assignment(inst: Instance, *, time_limit: float, seed: int, workers: int,
                     exclude: Sequence[Sequence[int]] = ()) -> Solution | None:
    """Plain derangement by the assignment algorithm (no cycle/reciprocal/exclusions)."""
    from scipy.optimize import linear_sum_assignment

    if inst.single_cycle or exclude or (inst.no_reciprocal and inst.reciprocal_pairs()):
        raise LinkgraphError("assignment 求解器只能求普通轮换 / the assignment solver "
                             "handles plain derangements only; use cp-sat")
    if not _perfect_matching_possible(inst.allowed):
        return None
    cost = np.where(inst.allowed, inst.cost.astype(float), np.inf)
    rows, cols = linear_sum_assignment(cost)
    assignment = tuple(int(c) for c in cols[np.argsort(rows)])
    total = plan_cost(inst, assignment)
    return Solution(assignment, total, True, float(total), "assignment")


def _perfect_matching_possible(allowed: np.ndarray) -> bool:
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import maximum_bipartite_matching

    if not allowed.any(axis=1).all() or not allowed.any(axis=0).all():
        return False
    match = maximum_bipartite_matching(csr_matrix(allowed.astype(np.int8)), perm_type="column")
    return bool((match >= 0).all())


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


SOLVERS: dict[str, Callable[..., Solution | None]] = {
    "assignment": solve_assignment,
    "cp-sat": solve_cpsat,
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
    import time

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
    plain = solve_assignment(Instance(inst.cost, inst.allowed, inst.home), time_limit=1.0,
                             seed=0, workers=1)
    if plain is None:
        return None
    import time

    from linkgraph.rotation.milp import ring_lower_bound

    started = time.monotonic()
    start = None if exclude else _patch(inst, plain.assignment)
    bound = max(float(plain.cost), ring_lower_bound(inst, 0.1 * time_limit))
    left = max(1.0, time_limit - (time.monotonic() - started))
    return _cpsat_or_start(inst, start, bound, time_limit=left, seed=seed, workers=workers,
                           exclude=exclude, solver_bound=True)


def _patch(inst: Instance, assignment: Sequence[int]) -> tuple[int, ...] | None:
    from linkgraph.rotation.patching import patch

    return patch(inst, assignment)


def _patched(inst: Instance) -> tuple[int, ...] | None:
    """A feasible ring from the assignment optimum (Karp's patching), if any."""
    from linkgraph.rotation.patching import patch

    plain = solve_assignment(Instance(inst.cost, inst.allowed, inst.home), time_limit=1.0,
                             seed=0, workers=1)
    return None if plain is None else patch(inst, plain.assignment)


def shuffled(inst: Instance, seed: int) -> tuple[Instance, np.ndarray, np.ndarray]:
    """The instance with teams and regions in a seeded order (which of several
    equally good plans a solver returns depends on the order; the seed picks
    it).  Returns the instance, the team order and the region order."""
    rng = np.random.default_rng(seed)
    p, q = rng.permutation(inst.n), rng.permutation(inst.n)
    qinv = np.argsort(q)
    home = np.where(inst.home[p] >= 0, qinv[np.maximum(inst.home[p], 0)], -1)
    return (Instance(inst.cost[np.ix_(p, q)], inst.allowed[np.ix_(p, q)], home,
                     inst.no_reciprocal, inst.single_cycle), p, q)


def unshuffle(sol: Solution, p: np.ndarray, q: np.ndarray) -> Solution:
    assignment = [0] * len(p)
    for i, j in enumerate(sol.assignment):
        assignment[int(p[i])] = int(q[j])
    return Solution(tuple(assignment), sol.cost, sol.optimal, sol.bound, sol.solver)


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


def solve_milp(inst: Instance, *, time_limit: float, seed: int, workers: int,
               exclude: Sequence[Sequence[int]] = ()) -> Solution | None:
    """The lazy-cut MILP (``linkgraph.rotation.milp``)."""
    from linkgraph.rotation import milp

    return milp.solve_milp(inst, time_limit=time_limit, seed=seed, workers=workers,
                           exclude=exclude)


SOLVERS["milp"] = solve_milp
