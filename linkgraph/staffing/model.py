"""A staffing instance as a 0-1 linear model (encode), and its solvers.

``encode`` turns a ``StaffProblem`` into a ``LinearModel``: one binary per
open (person, team, role), one per (team, needed specialty) saying it is
covered, one integer per team counting the experienced members it lacks;
rows for every hard constraint.  The solvers share the rotation package's
interface — ``(model, *, time_limit, seed, workers, exclude) -> solution |
None`` (None: proven infeasible), ``SolverTimeout`` when nothing was found
in time — and are chosen by name in ``solvers.SOLVERS``; an unknown name is an error.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace


import numpy as np

from linkgraph.rotation.instance import SolverTimeout
from linkgraph.staffing.problem import StaffProblem


@dataclass(frozen=True)
class Row:
    idx: tuple[int, ...]
    coef: tuple[int, ...]
    lb: float
    ub: float
    what: str            # which constraint family (for the diagnosis)


@dataclass(frozen=True)
class LinearModel:
    options: tuple[tuple[int, int, str], ...]   # the first len(options) variables
    upper: np.ndarray                           # int, per variable
    cost: np.ndarray                            # int64, per variable
    constant: int
    rows: tuple[Row, ...]
    covers: Mapping[tuple[int, str], int] = field(default_factory=dict)  # (team, tag) -> var
    shorts: Mapping[int, int] = field(default_factory=dict)              # team -> var

    @property
    def n(self) -> int:
        return len(self.cost)


@dataclass(frozen=True)
class StaffSolution:
    values: tuple[int, ...]
    cost: int
    optimal: bool
    bound: float
    solver: str

    def chosen(self, model: LinearModel) -> tuple[int, ...]:
        return tuple(k for k in range(len(model.options)) if self.values[k] > 0)

    @property
    def gap(self) -> float:
        """(cost − bound) / cost; 1.0 (100 %) when no bound is known."""
        if self.optimal:
            return 0.0
        if not np.isfinite(self.bound):
            return 1.0
        return float(min(1.0, max(0.0, self.cost - self.bound) / max(abs(self.cost), 1)))


#: Constraint families, each of which the diagnosis may relax.
FAMILIES = ("one_team", "role", "size", "fixed_specialty", "need", "pairing", "fix")


@dataclass(frozen=True)
class PersonClass:
    """People the model cannot tell apart (``classes``); a person alone is a
    class of one — the per-person model is the model of those."""

    people: tuple[int, ...]                 # person indices, sorted
    roles: tuple[str, ...]
    barred: Mapping[int, tuple[int, ...]]   # team -> the people barred from it
    tags: frozenset[str]
    experienced: bool
    new: bool

    @property
    def n(self) -> int:
        return len(self.people)

    def open_count(self, t: int) -> int:
        return self.n - len(self.barred.get(t, ()))


def singletons(prob: StaffProblem) -> list[PersonClass]:
    """Every available person with a role as a class of their own."""
    shut: dict[int, set[int]] = defaultdict(set)
    for p, t in (*prob.hard, *prob.forbidden):
        shut[p].add(t)
    return [PersonClass((p,), roles, {t: (p,) for t in sorted(shut.get(p, ()))
                                      if t < len(prob.teams)},
                        person.tags, person.experienced, person.new)
            for p, person in enumerate(prob.persons)
            if person.excluded is None and (roles := prob.roles_of(p))]


def encode(prob: StaffProblem, *, drop: Sequence[str] = ()) -> LinearModel:
    """The per-person 0-1 model of ``prob`` (without the families in
    ``drop``): ``build_model`` over classes of one, options by person."""
    classes = singletons(prob)
    model = build_model(prob, classes, drop=drop, per_person=True)
    return replace(model, options=tuple((classes[c].people[0], t, r)
                                        for c, t, r in model.options))


def build_model(prob: StaffProblem, classes: Sequence[PersonClass], *,
                drop: Sequence[str] = (), per_person: bool = False) -> LinearModel:
    """The linear model over ``classes``: one integer per class × team × role
    counting the class's people in that role (``per_person``: each a 0-1);
    options are (class index, team, role).  Rows: each class at most its
    size, a barred team at most its unbarred people (Hall), then per team
    the roles, size, fixed specialties, needs (hard, or a covered flag),
    experience and 以干代训 pairing, then --fix."""
    rules = prob.rules
    options: list[tuple[int, int, str]] = []
    upper: list[int] = []
    cost: list[int] = []
    for c, cls in enumerate(classes):
        for t in range(len(prob.teams)):
            room = cls.open_count(t)
            if room > 0:
                options.extend((c, t, r) for r in cls.roles)
                upper.extend(1 if per_person else min(room, rules.roles[r].max,
                                                      rules.max_size) for r in cls.roles)
                cost.extend([prob.cost(cls.people[0], t)] * len(cls.roles))
    rows: list[Row] = []

    def add(ks: Sequence[int], coef: Sequence[int], lb: float, ub: float, what: str) -> None:
        if what not in drop:
            rows.append(Row(tuple(ks), tuple(coef), lb, ub, what))

    by_class: dict[int, list[int]] = defaultdict(list)
    by_class_team: dict[tuple[int, int], list[int]] = defaultdict(list)
    for k, (c, t, _) in enumerate(options):
        by_class[c].append(k)
        by_class_team[c, t].append(k)
    for c in sorted(by_class):
        add(by_class[c], [1] * len(by_class[c]), -np.inf, classes[c].n, "one_team")
        for t in classes[c].barred:       # Hall: a single team reaches the unbarred only
            ks = by_class_team.get((c, t), [])
            if ks:
                add(ks, [1] * len(ks), -np.inf, classes[c].open_count(t), "one_team")
    constant, covers, shorts = _team_rows(prob, classes, options, upper, cost, add, rows)
    class_of = {p: c for c, cls in enumerate(classes) for p in cls.people}
    for p, t in sorted(prob.fixed):
        ks = by_class_team.get((class_of[p], t), []) if p in class_of else []
        add(ks, [1] * len(ks), 1, 1, "fix")
    return LinearModel(tuple(options), np.asarray(upper, dtype=np.int64),
                       np.asarray(cost, dtype=np.int64), constant, tuple(rows), covers, shorts)


def _team_rows(prob: StaffProblem, classes: Sequence[PersonClass],
               options: Sequence[tuple[int, int, str]], upper: list[int], cost: list[int],
               add: Callable[..., None], rows: list[Row]
               ) -> tuple[int, dict[tuple[int, str], int], dict[int, int]]:
    """Each team's rows (roles, size, fixed specialties, needs, experience,
    pairing); the coverage and shortfall variables are appended to
    ``upper`` and ``cost``.  Returns the objective's constant and where
    those variables are."""
    rules = prob.rules
    by_team: dict[int, list[int]] = defaultdict(list)
    by_role: dict[tuple[int, str], list[int]] = defaultdict(list)
    for k, (_, t, r) in enumerate(options):
        by_team[t].append(k)
        by_role[t, r].append(k)
    constant = 0
    covers: dict[tuple[int, str], int] = {}
    shorts: dict[int, int] = {}
    for t, team in enumerate(prob.teams):
        for role, rr in rules.roles.items():
            ks = by_role.get((t, role), [])
            add(ks, [1] * len(ks), rr.min, rr.max, "role")
        ks = by_team.get(t, [])
        add(ks, [1] * len(ks), rules.min_size, rules.max_size, "size")
        for tag in rules.fixed:
            hit = [k for k in ks if tag in classes[options[k][0]].tags]
            add(hit, [1] * len(hit), 1, np.inf, "fixed_specialty")
        for tag in team.needs:
            hit = [k for k in ks if tag in classes[options[k][0]].tags]
            if rules.needs_hard:
                add(hit, [1] * len(hit), 1, np.inf, "need")
                continue
            y = len(upper)
            covers[t, tag] = y
            upper.append(1)
            cost.append(-rules.uncovered_need)
            constant += rules.uncovered_need
            rows.append(Row((y, *hit), (1, *[-1] * len(hit)), -np.inf, 0, "cover"))
        experienced = [k for k in ks if classes[options[k][0]].experienced]
        if rules.min_experienced and rules.experience_short:
            e = len(upper)
            shorts[t] = e
            upper.append(rules.min_experienced)
            cost.append(rules.experience_short)
            rows.append(Row((e, *experienced), (1,) * (1 + len(experienced)),
                            rules.min_experienced, np.inf, "experience"))
        new = [k for k in ks if classes[options[k][0]].new]
        if rules.new_needs_experienced and new:
            # no new member without an experienced one: new <= max_size * experienced
            # (one row per team; a row per new person would grow as people × teams²)
            add((*new, *experienced), (1,) * len(new) + (-rules.max_size,) * len(experienced),
                -np.inf, 0, "pairing")
    return constant, covers, shorts


def _no_goods(model: LinearModel, exclude: Sequence[Sequence[int]]) -> list[Row]:
    """One row per earlier roster: at least one of its choices changes."""
    return [Row(tuple(ks), (1,) * len(ks), -np.inf, len(ks) - 1, "exclude")
            for ks in exclude if ks]


def _trivially_infeasible(rows: Sequence[Row]) -> bool:
    return any(not r.idx and (r.lb > 0 or r.ub < 0) for r in rows)


def solve_cpsat(model: LinearModel, *, time_limit: float, seed: int, workers: int,
                exclude: Sequence[Sequence[int]] = (),
                hint: Sequence[int] | None = None) -> StaffSolution | None:
    """The model by OR-Tools CP-SAT: optimal, or the best found with its bound;
    ``hint`` (a feasible roster's values, e.g. ``greedy.greedy_values``) is
    where the search starts."""
    from ortools.sat.python import cp_model

    rows = list(model.rows) + _no_goods(model, exclude)
    if _trivially_infeasible(rows):
        return None
    m = cp_model.CpModel()
    x = [m.new_int_var(0, int(u), f"v{k}") for k, u in enumerate(model.upper)]
    for r in rows:
        if not r.idx:
            continue
        expr = cp_model.LinearExpr.weighted_sum([x[k] for k in r.idx], [int(c) for c in r.coef])
        if np.isfinite(r.lb):
            m.add(expr >= int(r.lb))
        if np.isfinite(r.ub):
            m.add(expr <= int(r.ub))
    nz = np.flatnonzero(model.cost)
    m.minimize(cp_model.LinearExpr.weighted_sum([x[k] for k in nz.tolist()],
                                                [int(model.cost[k]) for k in nz.tolist()]))
    if hint is not None and not exclude:
        for var, value in zip(x, hint):
            m.add_hint(var, int(value))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit)
    solver.parameters.random_seed = int(seed)
    solver.parameters.num_workers = max(1, int(workers))
    # the LP relaxation is tight on these models; with one worker CP-SAT
    # only uses it at this level
    solver.parameters.linearization_level = 2
    status = solver.solve(m)
    if status == cp_model.INFEASIBLE:
        return None
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise SolverTimeout(f"{time_limit:g} 秒内未找到可行名单（可能无解）/ no roster found within "
                            f"{time_limit:g} s; 请加大 --time-limit / raise --time-limit")
    values = tuple(int(solver.value(v)) for v in x)
    total = int(np.dot(model.cost, values)) + model.constant
    optimal = status == cp_model.OPTIMAL
    bound = float(total) if optimal else float(solver.best_objective_bound) + model.constant
    return StaffSolution(values, total, optimal or bound >= total, bound, "cp-sat")


def solve_milp(model: LinearModel, *, time_limit: float, seed: int, workers: int,
               exclude: Sequence[Sequence[int]] = ()) -> StaffSolution | None:
    """The model by scipy's HiGHS branch and bound (exact, gap at the limit)."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    rows = list(model.rows) + _no_goods(model, exclude)
    if _trivially_infeasible(rows):
        return None
    rows = [r for r in rows if r.idx]
    ii = np.asarray([q for q, r in enumerate(rows) for _ in r.idx], dtype=np.int64)
    jj = np.asarray([k for r in rows for k in r.idx], dtype=np.int64)
    vv = np.asarray([c for r in rows for c in r.coef], dtype=float)
    a = coo_matrix((vv, (ii, jj)), shape=(len(rows), model.n)).tocsr()
    cons = [LinearConstraint(a, [r.lb for r in rows], [r.ub for r in rows])] if rows else []
    res = milp(model.cost.astype(float), constraints=cons, integrality=np.ones(model.n),
               bounds=Bounds(0, model.upper.astype(float)),
               options={"time_limit": float(time_limit), "mip_rel_gap": 0.0,
                        "presolve": True})
    if res.status == 2:
        return None
    if res.x is None:
        dual = getattr(res, "mip_dual_bound", None)
        raise SolverTimeout(f"HiGHS 在 {time_limit:g} 秒内未找到可行名单 / HiGHS found no roster "
                            f"within {time_limit:g} s",
                            float(dual) + model.constant if dual is not None
                            and np.isfinite(dual) else -np.inf)
    values = tuple(int(round(v)) for v in res.x)
    total = int(np.dot(model.cost, values)) + model.constant
    dual = getattr(res, "mip_dual_bound", None)
    optimal = res.status == 0
    bound = float(total) if optimal or dual is None else float(dual) + model.constant
    return StaffSolution(values, total, optimal or bound >= total, bound, "milp")


def satisfies(model: LinearModel, values: Sequence[int]) -> bool:
    """Whether ``values`` meet every row and bound of ``model``."""
    v = np.asarray(values, dtype=np.int64)
    if len(v) != model.n or (v < 0).any() or (v > model.upper).any():
        return False
    for r in model.rows:
        total = int(sum(c * v[k] for k, c in zip(r.idx, r.coef)))
        if total < r.lb or total > r.ub:
            return False
    return True
