"""A rotation as matrices, and what every solver returns.

The planner encodes teams and regions as a square instance: ``cost[i, j]``
(integers) for team i inspecting region j, ``allowed[i, j]``, and
``home[i]`` the region index of team i's home region (-1 if it is not a
target).  A plan is a perfect matching team -> region (a ``Solution``).
"""
from __future__ import annotations

from collections.abc import Sequence
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


def perfect_matching_possible(allowed: np.ndarray) -> bool:
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import maximum_bipartite_matching

    if not allowed.any(axis=1).all() or not allowed.any(axis=0).all():
        return False
    match = maximum_bipartite_matching(csr_matrix(allowed.astype(np.int8)), perm_type="column")
    return bool((match >= 0).all())


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
