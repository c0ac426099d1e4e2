"""Column generation with a proven bound: the ``pricing`` solver.

At province size (170 teams, a pool of 3,000) the class-merged model has
about 150,000 variables, and HiGHS's branch and bound does not finish its
root LP in a minute.  Almost all of those variables are useless: a team
takes five people and there are thousands to choose from.  So:

1. **Column generation.**  The LP relaxation is solved over a small set of
   columns (the greedy roster's, the coverage and experience counters), and
   the duals of its rows price every other column in one sparse product
   (reduced cost ``rc = c − Aᵀy``); the most negative ones join, until none
   is negative.
2. **A bound that is always proven.**  For any row prices ``y`` of the
   right sign, the Lagrangian ``L(y) = Σ_rows y·(bound) + Σ_j min(0, rc_j)·u_j``
   is a lower bound on every roster's cost (weak duality; it needs no
   converged LP).  Costs are integers, so ``⌈L⌉`` is one too.
3. **Reduced-cost fixing.**  A roster using column j costs at least
   ``L + rc_j``; so once a roster of cost z is known, only the columns with
   ``rc_j < z − L`` can be in a cheaper one.  HiGHS's branch and bound over
   those columns only gives the exact optimum (when it finishes), or its
   bound, valid for the whole model.

The answer is proven optimal when the roster's cost reaches ``⌈L⌉`` or the
restricted branch and bound finishes; otherwise its gap is measured against
the best bound.  Deterministic: every step is a deterministic HiGHS call on
columns chosen by sorted reduced costs (ties by index).
"""
from __future__ import annotations

import math
import time
from collections.abc import Sequence

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csc_matrix, csr_matrix

from linkgraph.rotation.instance import SolverTimeout
from linkgraph.staffing.model import LinearModel, StaffSolution, _no_goods, \
    _trivially_infeasible

#: Columns that join per pricing round: the most negative of each team,
#: then this many more of the most negative overall.
PER_TEAM = 30
BATCH = 4000
#: Reduced costs below this count as negative (HiGHS works to 1e-7).
EPS = 1e-7


def matrix(model: LinearModel, extra: Sequence = ()) -> tuple[csr_matrix, np.ndarray,
                                                               np.ndarray]:
    """The rows of ``model`` (and ``extra`` rows) as a CSR matrix with their
    lower and upper bounds."""
    rows = [r for r in (*model.rows, *extra)]
    lens = np.fromiter((len(r.idx) for r in rows), dtype=np.int64, count=len(rows))
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(lens, out=indptr[1:])
    idx = np.fromiter((k for r in rows for k in r.idx), dtype=np.int64, count=int(indptr[-1]))
    coef = np.fromiter((c for r in rows for c in r.coef), dtype=float, count=int(indptr[-1]))
    a = csr_matrix((coef, idx, indptr), shape=(len(rows), model.n))
    a.sum_duplicates()
    lb = np.fromiter((r.lb for r in rows), dtype=float, count=len(rows))
    ub = np.fromiter((r.ub for r in rows), dtype=float, count=len(rows))
    return a, lb, ub


def _lp(a: csc_matrix, cost: np.ndarray, upper: np.ndarray, lb: np.ndarray, ub: np.ndarray,
        time_limit: float, penalty: float | None = None
        ) -> tuple[np.ndarray, np.ndarray, float] | None:
    """The LP over the columns of ``a``: (values, row prices y, how far the
    rows are from met), None when infeasible.  y ≥ 0 on rows held at their
    lower bound, ≤ 0 at their upper bound, free on equalities.  With
    ``penalty`` every row may be missed at that cost per unit (artificial
    columns: a start with no roster), and the third value is the sum
    missed."""
    eq = np.isfinite(lb) & np.isfinite(ub) & (lb == ub)
    up = np.isfinite(ub) & ~eq
    lo = np.isfinite(lb) & ~eq
    a = a.tocsr()
    blocks, rhs = [], []
    if up.any():
        blocks.append(a[up])
        rhs.append(ub[up])
    if lo.any():
        blocks.append(-a[lo])
        rhs.append(-lb[lo])
    from scipy.sparse import vstack

    a_ub = vstack(blocks).tocsr() if blocks else None
    a_eq = a[eq] if eq.any() else None
    n_ub = 0 if a_ub is None else a_ub.shape[0]
    n_eq = int(eq.sum())
    n_art = n_ub + 2 * n_eq if penalty is not None else 0
    if n_art:
        from scipy.sparse import csr_matrix as csr, hstack, identity

        if a_ub is not None:
            a_ub = hstack([a_ub, -identity(n_ub, format="csr"),
                           csr((n_ub, 2 * n_eq))]).tocsr()
        if a_eq is not None:
            a_eq = hstack([a_eq, csr((n_eq, n_ub)), identity(n_eq, format="csr"),
                           -identity(n_eq, format="csr")]).tocsr()
    c = np.concatenate([cost, np.full(n_art, float(penalty or 0.0))])
    top = np.concatenate([upper, np.full(n_art, np.inf)])
    res = linprog(c, A_ub=a_ub, b_ub=np.concatenate(rhs) if rhs else None,
                  A_eq=a_eq, b_eq=lb[eq] if eq.any() else None,
                  bounds=np.column_stack([np.zeros(len(c)), top]), method="highs-ds",
                  options={"time_limit": max(0.5, float(time_limit)), "presolve": True})
    if res.status == 2:
        return None
    if res.status != 0:
        raise SolverTimeout(f"LP 在 {time_limit:g} 秒内未解完 / the LP did not finish within "
                            f"{time_limit:g} s")
    y = np.zeros(a.shape[0])
    marg = np.minimum(res.ineqlin.marginals, 0.0) if a_ub is not None else np.zeros(0)
    n_up = int(up.sum())
    y[up] += marg[:n_up]
    y[lo] -= marg[n_up:]
    if eq.any():
        y[eq] = res.eqlin.marginals
    return res.x[:len(cost)], y, float(res.x[len(cost):].sum()) if n_art else 0.0


def lagrangian(a: csr_matrix, cost: np.ndarray, upper: np.ndarray, lb: np.ndarray,
               ub: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """The Lagrangian bound for prices ``y`` (signs made right: a price
    without the finite row bound it needs counts as 0) and every column's
    reduced cost."""
    y = np.where((y > 0) & ~np.isfinite(lb), 0.0, y)
    y = np.where((y < 0) & ~np.isfinite(ub), 0.0, y)
    rc = cost - a.T @ y
    rows = np.where(y > 0, y * np.where(np.isfinite(lb), lb, 0.0),
                    y * np.where(np.isfinite(ub), ub, 0.0))
    return float(rows.sum() + np.minimum(rc, 0.0) @ upper), rc


def solve_pricing(model: LinearModel, *, time_limit: float, seed: int, workers: int,
                  exclude: Sequence[Sequence[int]] = (),
                  hint: Sequence[int] | None = None) -> StaffSolution | None:
    """The model by column generation, a Lagrangian bound and HiGHS over the
    columns that bound leaves open (see the module)."""
    started = time.monotonic()

    def left() -> float:
        return time_limit - (time.monotonic() - started)

    extra = _no_goods(model, exclude)
    if _trivially_infeasible([*model.rows, *extra]):
        return None
    a, lb, ub = matrix(model, extra)
    cost = model.cost.astype(float)
    upper = model.upper.astype(float)
    ac = a.tocsc()
    n_opt = len(model.options)
    have = np.zeros(model.n, dtype=bool)
    have[n_opt:] = True                          # coverage and experience counters
    incumbent: np.ndarray | None = None
    if hint is not None and not exclude and _feasible(a, lb, ub, model.upper, hint):
        incumbent = np.asarray(hint, dtype=np.int64)
        have[incumbent > 0] = True
    elif hint is not None and len(hint) == model.n:
        have[np.asarray(hint) > 0] = True        # a start that breaks a row (a no-good)
    # no roster to start from: rows may be missed at a price, until the
    # generated columns meet them (or, that failing, the whole LP decides)
    penalty = None if incumbent is not None else 1e4 * (1.0 + float(np.abs(cost).max(
        initial=0.0)))
    team = np.full(model.n, -1, dtype=np.int64)      # each option's team (counters: -1)
    team[:n_opt] = [t for _, t, _ in model.options]
    best_l, rc = -math.inf, np.zeros(model.n)
    lp_values: np.ndarray | None = None
    while left() > 0:
        cols = np.flatnonzero(have)
        try:
            got = _lp(ac[:, cols], cost[cols], upper[cols], lb, ub, 0.5 * left(),
                      None if have.all() else penalty)
        except SolverTimeout:
            break
        if got is None:
            if have.all():
                return None                      # the LP, hence the model, is infeasible
            have[:] = True
            continue
        x_lp, y, missed = got
        lp_values = np.zeros(model.n)
        lp_values[cols] = x_lp
        bound, now = lagrangian(a, cost, upper, lb, ub, y)
        if bound > best_l:      # the fixing below needs the bound and its own prices
            best_l, rc = bound, now
        new = np.flatnonzero(~have & (now < -EPS))
        if not len(new):
            if missed > 1e-7 and not have.all():
                have[:] = True                   # the priced columns cannot meet the rows
                continue
            break
        have[_pick(new, now[new], team[new])] = True
    floor = math.ceil(best_l + model.constant - 1e-6) if math.isfinite(best_l) else -math.inf
    found: list[tuple[int, np.ndarray, str]] = []
    if incumbent is not None:
        found.append((int(cost @ incumbent) + model.constant, incumbent, "greedy"))
    bound = floor
    # the generated columns first, then every column reduced-cost fixing leaves open
    for round_ in range(2):
        if found and min(f[0] for f in found) <= floor or left() <= 0:
            break
        if round_ == 1 and found:
            z = min(f[0] for f in found)
            have |= rc < (z - model.constant) - best_l
        elif round_ == 1:
            have[:] = True                       # no roster yet: nothing can be fixed
        cols = np.flatnonzero(have)
        share = left() if round_ == 1 else 0.5 * left()
        fixed = None
        if round_ == 0 and incumbent is not None and lp_values is not None:
            # RINS: where the LP and the start agree, keep the start's value;
            # the branch and bound searches the rest (a small model)
            fixed = (np.abs(lp_values[cols] - incumbent[cols]) < 1e-9, incumbent[cols])
        got_int = _milp(ac[:, cols], cost[cols], model.upper[cols], lb, ub, share, fixed)
        if got_int == "infeasible" and have.all():
            return None                          # proven: no roster at all
        if not isinstance(got_int, tuple):
            continue
        values, optimal, dual = got_int
        full = np.zeros(model.n, dtype=np.int64)
        full[cols] = values
        found.append((int(cost @ full) + model.constant, full, "pricing"))
        if round_ == 1 and optimal:
            bound = max(bound, min(f[0] for f in found))
        elif round_ == 1 and dual is not None:
            bound = max(bound, math.ceil(dual + model.constant - 1e-6))
    if not found:
        raise SolverTimeout(f"{time_limit:g} 秒内未找到可行名单（可能无解）/ no roster found within "
                            f"{time_limit:g} s; 请加大 --time-limit / raise --time-limit",
                            float(bound))
    # the cheapest roster; on a tie the one the branch and bound found
    z, values, by = min(found, key=lambda f: (f[0], f[2] == "greedy"))
    return StaffSolution(tuple(int(v) for v in values), z, bound >= z, float(bound), by)


def _pick(cols: np.ndarray, rc: np.ndarray, team: np.ndarray) -> np.ndarray:
    """The columns to price in: the ``PER_TEAM`` most negative of each team
    (every team's prices move at once), then at most ``BATCH`` more of the
    most negative; ties by column index."""
    order = np.lexsort((cols, rc, team))
    cols, rc, team = cols[order], rc[order], team[order]
    first = np.r_[0, np.flatnonzero(np.diff(team)) + 1]
    rank = np.arange(len(cols)) - np.repeat(first, np.diff(np.r_[first, len(cols)]))
    rest = rank >= PER_TEAM
    more = np.lexsort((cols[rest], rc[rest]))[:BATCH]
    return np.concatenate([cols[~rest], cols[rest][more]])


def _milp(a: csc_matrix, cost: np.ndarray, upper: np.ndarray, lb: np.ndarray, ub: np.ndarray,
          time_limit: float, fixed: tuple[np.ndarray, np.ndarray] | None = None
          ) -> tuple[np.ndarray, bool, float | None] | str:
    """HiGHS's branch and bound over the columns of ``a``: (values, proven
    optimal over them, its dual bound), or "infeasible" (proven) or
    "none" (nothing found in time)."""
    low, top = np.zeros(len(cost)), upper.astype(float)
    if fixed is not None:       # (mask, values): those columns held at those values
        low = np.where(fixed[0], fixed[1], low)
        top = np.where(fixed[0], fixed[1], top)
    res = milp(cost, constraints=[LinearConstraint(a.tocsr(), lb, ub)],
               integrality=np.ones(len(cost)), bounds=Bounds(low, top),
               options={"time_limit": max(0.5, float(time_limit)), "mip_rel_gap": 0.0,
                        "presolve": True})
    if res.status == 2:
        return "infeasible"
    if res.x is None:
        return "none"
    dual = getattr(res, "mip_dual_bound", None)
    return (np.rint(res.x).astype(np.int64), res.status == 0,
            float(dual) if dual is not None and np.isfinite(dual) else None)


def _feasible(a: csr_matrix, lb: np.ndarray, ub: np.ndarray, upper: np.ndarray,
              values: Sequence[int]) -> bool:
    v = np.asarray(values, dtype=np.int64)
    if len(v) != a.shape[1] or (v < 0).any() or (v > upper).any():
        return False
    s = a @ v
    return bool(((s >= lb - 1e-9) & (s <= ub + 1e-9)).all())
