"""A feasible ring quickly: Karp's patching of the assignment optimum.

The assignment optimum is a set of rings of teams; two rings are merged by
exchanging one arc of each (team a → b's home … becomes a → the other ring's
next home), choosing the cheapest allowed exchange, until one ring is left
(``single_cycle``) or no ring has two teams (``no_reciprocal``).  The result
is an upper bound that starts CP-SAT and makes the reported gap honest when
the exact solvers run out of time.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from linkgraph.rotation.instance import Instance, plan_cost


def rings(inst: Instance, assignment: Sequence[int]) -> list[list[int]]:
    team_of = np.argsort(inst.home)
    seen, out = set(), []
    for start in range(inst.n):
        if start in seen:
            continue
        ring, cur = [], start
        while cur not in seen:
            seen.add(cur)
            ring.append(cur)
            cur = int(team_of[assignment[cur]])
        out.append(ring)
    return out


def _done(inst: Instance, found: list[list[int]]) -> bool:
    if inst.single_cycle and len(found) != 1:
        return False
    return not inst.no_reciprocal or all(len(r) != 2 for r in found)


def patch(inst: Instance, assignment: Sequence[int]) -> tuple[int, ...] | None:
    """A plan satisfying the ring constraints near ``assignment`` (None if
    patching gets stuck on excluded pairs).  Needs every team's home to be a
    distinct target region."""
    if sorted(inst.home.tolist()) != list(range(inst.n)):
        return None
    a = np.array(assignment, dtype=int)
    cost = np.where(inst.allowed, inst.cost, np.iinfo(np.int64).max // 4).astype(np.int64)
    for _ in range(inst.n):
        found = rings(inst, a)
        if _done(inst, found):
            return tuple(int(x) for x in a)
        label = np.empty(inst.n, dtype=int)
        for q, r in enumerate(found):
            label[r] = q
        # exchange: x -> a[y] and y -> a[x] for x, y in different rings
        old = cost[np.arange(inst.n), a]
        delta = cost[:, a] + cost[:, a].T - old[:, None] - old[None, :]
        ok = (label[:, None] != label[None, :]) & inst.allowed[:, a] & inst.allowed[:, a].T
        if not inst.single_cycle:     # merge only a two-team ring with another
            small = np.array([len(found[q]) == 2 for q in label])
            ok &= small[:, None] | small[None, :]
        if not ok.any():
            return None
        x, y = np.unravel_index(np.argmin(np.where(ok, delta, np.iinfo(np.int64).max)),
                                delta.shape)
        a[x], a[y] = a[y], a[x]
    found = rings(inst, a)
    return tuple(int(x) for x in a) if _done(inst, found) else None


def patched_cost(inst: Instance, assignment: Sequence[int]) -> int:
    return plan_cost(inst, assignment)
