"""The lazy-cut MILP for rotations (scipy's HiGHS).

The assignment constraints, then only the cuts the current optimum violates:
a no-reciprocal cut for each A↔B pair it contains, a subtour cut for each
ring when a single ring is wanted (first from the LP relaxation's strongly
connected components, then from integer optima), and one cut per earlier
plan for the alternatives.  Each round solves the LP first — the assignment
polytope is integral, so with few cuts the LP optimum usually is one — and
branches only when it is fractional.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from linkgraph.rotation.instance import Instance, Solution, SolverTimeout, plan_cost
from linkgraph.rotation.patching import rings as _subtours


class _Cuts:
    """The MILP's arcs and its growing list of cuts (arc indices, upper bound)."""

    def __init__(self, inst: Instance):
        self.inst = inst
        self.ii, self.jj = np.nonzero(inst.allowed)
        self.m = len(self.ii)
        self.arc = {(int(i), int(j)): k for k, (i, j) in enumerate(zip(self.ii, self.jj))}
        team_of = np.full(inst.n, -1)
        for t, h in enumerate(inst.home):
            if h >= 0:
                team_of[h] = t
        self.team_of = team_of
        self.head = team_of[self.jj]          # the team whose home arc k enters
        self.cuts: list[tuple[np.ndarray, float]] = []
        self.seen: set[tuple[int, ...]] = set()

    def add(self, arcs, ub: float) -> bool:
        arcs = np.asarray(sorted(int(a) for a in arcs), dtype=np.int64)
        key = (int(ub), *arcs.tolist())
        if key in self.seen:
            return False
        self.seen.add(key)
        self.cuts.append((arcs, ub))
        return True

    def ring(self, teams) -> bool:
        """Subtour cut: arcs inside the set of teams carry at most |S| - 1."""
        inside = np.zeros(self.inst.n, dtype=bool)
        inside[list(teams)] = True
        ks = np.flatnonzero(inside[self.ii] & (self.head >= 0) & inside[np.maximum(self.head, 0)])
        return self.add(ks, len(teams) - 1)

    def constraint(self):
        from scipy.optimize import LinearConstraint
        from scipy.sparse import coo_matrix

        n, m = self.inst.n, self.m
        rows = [self.ii, n + self.jj]
        cols = [np.arange(m), np.arange(m)]
        for q, (ks, _) in enumerate(self.cuts):
            rows.append(np.full(len(ks), 2 * n + q))
            cols.append(ks)
        a = coo_matrix((np.ones(sum(len(r) for r in rows)),
                        (np.concatenate(rows), np.concatenate(cols))),
                       shape=(2 * n + len(self.cuts), m)).tocsr()
        ub = np.concatenate([np.ones(2 * n), [u for _, u in self.cuts]])
        lb = np.concatenate([np.ones(2 * n), np.full(len(self.cuts), -np.inf)])
        return LinearConstraint(a, lb, ub)


def solve_milp(inst: Instance, *, time_limit: float, seed: int, workers: int,
               exclude: Sequence[Sequence[int]] = ()) -> Solution | None:
    """Assignment MILP (HiGHS) with lazy cuts: a no-reciprocal cut for each A↔B
    pair and a subtour cut for each ring the current optimum contains (first
    on the LP relaxation, then on integer optima), re-solved until the
    optimum satisfies every constraint."""
    import time


    if not inst.allowed.any(axis=1).all() or not inst.allowed.any(axis=0).all():
        return None
    cuts = _Cuts(inst)
    for plan in exclude:
        cuts.add([cuts.arc[i, int(j)] for i, j in enumerate(plan) if (i, int(j)) in cuts.arc],
                 inst.n - 1)
    if inst.single_cycle:
        cuts.add(np.flatnonzero(cuts.head == cuts.ii), 0)     # no team sits out the ring
    c = inst.cost[cuts.ii, cuts.jj].astype(float)
    deadline = time.monotonic() + time_limit
    bound = _lp_phase(inst, cuts, c, deadline) if inst.single_cycle else -np.inf
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            _timeout(bound)
        res = _integer_optimum(c, cuts, left)
        if res.status == 2:   # infeasible
            return None
        if res.status != 0 or res.x is None:
            dual = getattr(res, "mip_dual_bound", None)
            _timeout(max(bound, dual) if dual is not None and np.isfinite(dual) else bound)
        bound = max(bound, float(res.fun))
        assignment = [0] * inst.n
        for k in np.flatnonzero(res.x > 0.5):
            assignment[int(cuts.ii[k])] = int(cuts.jj[k])
        if not _add_violated(inst, assignment, cuts):
            total = plan_cost(inst, assignment)
            return Solution(tuple(assignment), total, True, float(total), "milp")


def _integer_optimum(c: np.ndarray, cuts: _Cuts, left: float):
    """The LP relaxation first (the assignment polytope is integral, and with
    few cuts the LP optimum usually is too); branch and bound only if not."""
    from scipy.optimize import Bounds, milp

    constraint = cuts.constraint()
    lp = milp(c, constraints=constraint, integrality=np.zeros(cuts.m), bounds=Bounds(0, 1),
              options={"time_limit": left})
    if lp.status == 2 or (lp.status == 0 and lp.x is not None
                          and np.all(np.minimum(lp.x, 1 - lp.x) < 1e-9)):
        return lp
    return milp(c, constraints=constraint, integrality=np.ones(cuts.m), bounds=Bounds(0, 1),
                options={"time_limit": left, "presolve": True, "mip_rel_gap": 0.0})


def _lp_phase(inst: Instance, cuts: _Cuts, c: np.ndarray, deadline: float) -> float:
    """Subtour cuts from the LP relaxation's support (strongly connected
    components) until it is one component: cheap, and a strong bound."""
    import time

    from scipy.optimize import Bounds, milp
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    bound = -np.inf
    while time.monotonic() < deadline:
        res = milp(c, constraints=cuts.constraint(), integrality=np.zeros(cuts.m),
                   bounds=Bounds(0, 1), options={"time_limit": deadline - time.monotonic()})
        if res.status != 0 or res.x is None:
            return bound
        bound = max(bound, float(res.fun))
        used = np.flatnonzero(res.x > 1e-6)
        graph = coo_matrix((np.ones(len(used)), (cuts.ii[used], cuts.head[used])),
                           shape=(inst.n, inst.n))
        k, label = connected_components(graph, directed=True, connection="strong")
        if k == 1 or not any([cuts.ring(np.flatnonzero(label == q)) for q in range(k)]):
            return bound
    return bound


def _add_violated(inst: Instance, assignment: Sequence[int], cuts: _Cuts) -> bool:
    added = False
    if inst.single_cycle:
        rings = _subtours(inst, assignment)
        if len(rings) > 1:
            added = any([cuts.ring(ring) for ring in rings])
    if inst.no_reciprocal:
        for i, j in enumerate(assignment):
            k = int(cuts.team_of[int(j)])
            if k > i and inst.home[i] >= 0 and assignment[k] == inst.home[i]:
                added = cuts.add([cuts.arc[i, int(j)], cuts.arc[k, int(inst.home[i])]], 1) \
                    or added
    return added


def _timeout(bound: float) -> None:
    raise SolverTimeout("HiGHS 在时限内未完成 / HiGHS did not finish in time", bound)


def ring_lower_bound(inst: Instance, time_limit: float) -> float:
    """A lower bound on the best single ring: the assignment LP with the
    subtour cuts its support calls for (often far above the assignment
    optimum when costs are geometric)."""
    import time

    cuts = _Cuts(inst)
    cuts.add(np.flatnonzero(cuts.head == cuts.ii), 0)
    c = inst.cost[cuts.ii, cuts.jj].astype(float)
    return _lp_phase(inst, cuts, c, time.monotonic() + time_limit)
