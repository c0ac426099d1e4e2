"""The plain rotation (a derangement) by the assignment algorithm:
``scipy.optimize.linear_sum_assignment`` (Jonker–Volgenant), exact in
milliseconds."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from linkgraph.errors import LinkgraphError
from linkgraph.rotation.instance import Instance, Solution, perfect_matching_possible, plan_cost


def solve_assignment(inst: Instance, *, time_limit: float, seed: int, workers: int,
                     exclude: Sequence[Sequence[int]] = ()) -> Solution | None:
    """Plain derangement by the assignment algorithm (no cycle/reciprocal/exclusions)."""
    from scipy.optimize import linear_sum_assignment

    if inst.single_cycle or exclude or (inst.no_reciprocal and inst.reciprocal_pairs()):
        raise LinkgraphError("assignment 求解器只能求普通轮换 / the assignment solver "
                             "handles plain derangements only; use cp-sat")
    if not perfect_matching_possible(inst.allowed):
        return None
    cost = np.where(inst.allowed, inst.cost.astype(float), np.inf)
    rows, cols = linear_sum_assignment(cost)
    assignment = tuple(int(c) for c in cols[np.argsort(rows)])
    total = plan_cost(inst, assignment)
    return Solution(assignment, total, True, float(total), "assignment")


def plain(inst: Instance) -> Solution | None:
    """The assignment optimum of ``inst`` without its ring/reciprocal constraints."""
    return solve_assignment(Instance(inst.cost, inst.allowed, inst.home), time_limit=1.0,
                            seed=0, workers=1)
