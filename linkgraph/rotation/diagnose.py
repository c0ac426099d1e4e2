"""Why a rotation is infeasible, in words a planner can act on.

Checked in order: a team with no region left, a region with no team left
(e.g. "金堂县 has hard conflicts with every other region's team"), a group
of k teams that can only go to k-1 regions (Hall's condition), and finally
the ring constraints.  Each message names the constraints whose relaxation
makes the plan feasible, found by trying them one at a time.
"""
from __future__ import annotations

import numpy as np

from linkgraph.errors import InfeasibleError, LinkgraphError
from linkgraph.rotation.instance import Instance, perfect_matching_possible
from linkgraph.rotation.options import RotationOptions
from linkgraph.rotation.problem import BIT, BLOCK_EN, BLOCK_ZH, BLOCKS, RELAX, RotationProblem
from linkgraph.rotation.solvers import solve


def explain_infeasible(problem: RotationProblem, blocked: np.ndarray,
                       options: RotationOptions) -> InfeasibleError:
    """The error to raise when no plan satisfies ``blocked`` and ``options``."""
    fixes = _relaxations(problem, blocked, options)
    hint = _hint(fixes)
    teams = [_team_label(problem, i) for i in range(problem.n)]
    regions = [_region_label(problem, j) for j in range(problem.n)]
    for i in range(problem.n):
        if (blocked[i] != 0).all():
            return InfeasibleError(
                f"{teams[i]} 与其他所有区域都不能配对（{_causes(blocked[i], 'zh')}）/ team "
                f"{problem.team_ids[i]} can inspect no region ({_causes(blocked[i], 'en')}). "
                + hint)
    for j in range(problem.n):
        if (blocked[:, j] != 0).all():
            only_hard = not (_bits(blocked[:, j]) & ~(BIT["hard"] | BIT["home"] | BIT["member"]))
            zh = ("与其他所有区域的巡察组都有回避冲突" if only_hard else "没有可派的巡察组")
            en = ("has hard conflicts with every other region's team" if only_hard
                  else "has no team left")
            return InfeasibleError(
                f"{regions[j]} {zh}（{_causes(blocked[:, j], 'zh')}）/ region "
                f"{problem.region_ids[j]} {en} ({_causes(blocked[:, j], 'en')}). " + hint)
    allowed = blocked == 0
    if not perfect_matching_possible(allowed):
        rows, cols = _deficient_set(allowed)
        return InfeasibleError(
            f"{len(rows)} 个巡察组（{'、'.join(teams[i] for i in rows)}）只能去 {len(cols)} 个"
            f"区域（{'、'.join(regions[j] for j in cols)}）/ {len(rows)} teams can only go to "
            f"{len(cols)} regions ({_causes(blocked[np.ix_(rows, range(problem.n))], 'en')}). "
            + hint)
    rings = []
    if options.single_cycle:
        rings.append("单一推磨环 / a single ring (--single-cycle)")
    if options.no_reciprocal:
        rings.append("不互派 / no reciprocal pairs (--no-reciprocal)")
    return InfeasibleError(
        f"在其余约束下无法满足{'与'.join(rings) or '约束'} / no plan satisfies "
        f"{' and '.join(rings) or 'the constraints'} with the remaining pairs. " + hint)


def _team_label(p: RotationProblem, i: int) -> str:
    home = p.homes[i]
    where = p.region_names.get(home, home) if home else "—"
    return f"「{p.team_names[i] or p.team_ids[i]}」（{p.team_ids[i]}，派出 {where}）"


def _region_label(p: RotationProblem, j: int) -> str:
    r = p.region_ids[j]
    return f"「{p.region_names.get(r, r)}」（{r}）"


def _bits(cells: np.ndarray) -> int:
    out = 0
    for v in np.asarray(cells).ravel():
        out |= int(v)
    return out


def _causes(cells: np.ndarray, lang: str) -> str:
    cells = np.asarray(cells).ravel()
    words = BLOCK_ZH if lang == "zh" else BLOCK_EN
    counts = [(name, int(((cells & BIT[name]) != 0).sum())) for name in BLOCKS]
    sep = "、" if lang == "zh" else ", "
    return sep.join(f"{words[name]} ×{k}" for name, k in counts if k)


def _deficient_set(allowed: np.ndarray) -> tuple[list[int], list[int]]:
    """Rows reachable by alternating paths from an unmatched row, and their
    allowed columns: |columns| < |rows| (König / Hall)."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import maximum_bipartite_matching

    match = maximum_bipartite_matching(csr_matrix(allowed.astype(np.int8)), perm_type="column")
    row_of = {int(c): r for r, c in enumerate(match) if c >= 0}
    start = int(np.flatnonzero(match < 0)[0])
    rows, cols, frontier = {start}, set(), [start]
    while frontier:
        r = frontier.pop()
        for c in map(int, np.flatnonzero(allowed[r])):
            if c not in cols:
                cols.add(c)
                nxt = row_of.get(c)
                if nxt is not None and nxt not in rows:
                    rows.add(nxt)
                    frontier.append(nxt)
    return sorted(rows), sorted(cols)


def _relaxations(p: RotationProblem, blocked: np.ndarray,
                 options: RotationOptions) -> list[str]:
    """The options whose relaxation alone gives a feasible plan."""
    found = []
    base = p.instance(options, blocked)
    limit = min(5.0, options.time_limit)
    for name, flag in RELAX.items():
        if not (_bits(blocked) & BIT[name]):
            continue
        if _feasible(Instance(base.cost, (blocked & ~BIT[name]) == 0, base.home,
                              base.no_reciprocal, base.single_cycle), limit):
            found.append(flag)
    for flag, inst in (("--single-cycle", Instance(base.cost, base.allowed, base.home,
                                                   base.no_reciprocal, False)),
                       ("--no-reciprocal", Instance(base.cost, base.allowed, base.home,
                                                    False, base.single_cycle))):
        on = base.single_cycle if flag == "--single-cycle" else base.no_reciprocal
        if on and _feasible(inst, limit):
            found.append(flag)
    return found


def _feasible(inst: Instance, limit: float) -> bool:
    try:
        return solve(inst, time_limit=limit) is not None
    except LinkgraphError:  # a timeout says nothing either way
        return False


def _hint(fixes: list[str]) -> str:
    if fixes:
        return (f"可放宽 / relax one of: {', '.join(fixes)}"
                "（去掉或放宽其中任一约束即可排出方案 / relaxing any one of them gives a plan）")
    return ("单独放宽任何一个选项都不够：请调整巡察组成员、被巡察单位或规则文件 / no single option "
            "suffices: change the team members, the targets or the rules file (--rules)")
