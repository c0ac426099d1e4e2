"""The staffing model against brute force on small instances (≤ 4 teams,
≤ 14 pool members): every solver reaches the brute-force optimum, agrees on
infeasibility, and returns a roster an independent checker accepts — with
each hard constraint switched on and off by the drawn rules."""
from __future__ import annotations

import itertools
from dataclasses import replace
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linkgraph.analysis.conflicts import Conflict
from linkgraph.errors import LinkgraphError
from linkgraph.staffing.model import encode
from linkgraph.staffing.solvers import SOLVERS, best_rosters, solver_named
from linkgraph.staffing.problem import Person, StaffProblem, TeamSlot
from linkgraph.staffing.rules import ROLES, RoleRule, load_staffing_rules

TAGS = ("纪检", "组织", "财务", "法律")
POOLS = ("leader", "deputy", "member", "liaison", "expert")


def _conflict(person: str, team: str) -> Conflict:
    return Conflict("R", team, team, person, person, "成员", "U", "U", None, "hard", "spouse",
                    "夫妻", 1, 100.0, (), f"{person} 与 {team} 的单位有夫妻关系")


@st.composite
def instances(draw) -> StaffProblem:
    n_teams = draw(st.integers(1, 4))
    n_people = draw(st.integers(n_teams + 1, 14))
    base = load_staffing_rules()
    lo_size = draw(st.integers(1, 2))
    rules = replace(
        base, min_size=lo_size, max_size=draw(st.integers(lo_size, 3)),
        roles={"leader": RoleRule(1, 1, ("leader",)),
               "deputy": RoleRule(0, draw(st.integers(0, 1)), ("deputy", "leader")),
               "member": RoleRule(0, 3, ("member", "expert")),
               "liaison": RoleRule(0, 1, ("liaison",))},
        fixed=tuple(draw(st.lists(st.sampled_from(TAGS[:2]), max_size=1, unique=True))),
        needs_hard=draw(st.booleans()),
        new_needs_experienced=draw(st.booleans()),
        uncovered_need=draw(st.sampled_from([0, 50, 1000])),
        experience_short=draw(st.sampled_from([0, 30])),
        min_experienced=draw(st.integers(0, 2)))
    persons = []
    for k in range(n_people):
        pools = frozenset(draw(st.lists(st.sampled_from(POOLS), min_size=1, max_size=2,
                                        unique=True))) | ({"leader"} if k < n_teams else set())
        served = draw(st.integers(0, 4))
        new = served == 0
        persons.append(Person(
            f"P{k:02d}", f"人{k}", pools,
            frozenset(draw(st.lists(st.sampled_from(TAGS), min_size=1, max_size=2, unique=True))),
            None, served, 0, new, not new and served >= 2, draw(st.integers(0, 60)), None,
            "不可用" if draw(st.integers(0, 19)) == 0 else None))
    teams = []
    for t in range(n_teams):
        needs = draw(st.lists(st.sampled_from(TAGS[2:]), max_size=2, unique=True))
        teams.append(TeamSlot(f"T{t}", f"第{t}组", (f"U{t}",), {s: (f"U{t}",) for s in needs}))
    pairs = [(p, t) for p in range(n_people) for t in range(n_teams)]
    hard_pairs = draw(st.lists(st.sampled_from(pairs), max_size=len(pairs) // 4, unique=True))
    soft = {pt: draw(st.sampled_from([0.5, 1.0, 3.0]))
            for pt in draw(st.lists(st.sampled_from(pairs), max_size=6, unique=True))}
    forbidden = draw(st.lists(st.sampled_from(pairs), max_size=2, unique=True))
    fixed = draw(st.lists(st.sampled_from(pairs), max_size=1, unique=True))
    return StaffProblem("R", tuple(persons), tuple(teams), rules,
                        {pt: _conflict(persons[pt[0]].person_id, teams[pt[1]].team_id)
                         for pt in hard_pairs}, soft, {}, frozenset(fixed), frozenset(forbidden))


# --- an independent checker and brute force -----------------------------------

def team_cost(prob: StaffProblem, t: int, members: dict[int, str]) -> int | None:
    """The team's cost with ``members`` (person -> role), None if it breaks a
    hard constraint of its own (written from the rules, not from the model)."""
    rules, team = prob.rules, prob.teams[t]
    if not rules.min_size <= len(members) <= rules.max_size:
        return None
    for p, role in members.items():
        person = prob.persons[p]
        if person.excluded or (p, t) in prob.hard or (p, t) in prob.forbidden:
            return None
        if not person.pools & set(rules.roles[role].pools):
            return None
    for role, rr in rules.roles.items():
        if not rr.min <= sum(r == role for r in members.values()) <= rr.max:
            return None
    tags = set().union(*(prob.persons[p].tags for p in members)) if members else set()
    if any(tag not in tags for tag in rules.fixed):
        return None
    if rules.needs_hard and any(tag not in tags for tag in team.needs):
        return None
    experienced = sum(prob.persons[p].experienced for p in members)
    if rules.new_needs_experienced and experienced == 0 and any(
            prob.persons[p].new for p in members):
        return None
    if any(p not in members for p, tt in prob.fixed if tt == t):
        return None
    cost = sum(int(round(rules.soft_conflict * prob.soft.get((p, t), 0.0)))
               + prob.persons[p].recent_cost for p in members)
    if not rules.needs_hard:
        cost += rules.uncovered_need * sum(tag not in tags for tag in team.needs)
    if rules.min_experienced and rules.experience_short:
        cost += rules.experience_short * max(0, rules.min_experienced - experienced)
    return cost


def brute_force(prob: StaffProblem) -> int | None:
    """The least total cost over every way to staff every team, or None."""
    n = len(prob.persons)
    best_team: list[dict[int, int]] = []
    for t in range(len(prob.teams)):
        table: dict[int, int] = {}
        for size in range(prob.rules.min_size, prob.rules.max_size + 1):
            for group in itertools.combinations(range(n), size):
                for roles in itertools.product(ROLES, repeat=size):
                    cost = team_cost(prob, t, dict(zip(group, roles)))
                    if cost is not None:
                        mask = sum(1 << p for p in group)
                        table[mask] = min(cost, table.get(mask, cost))
        best_team.append(table)
    fixed_people = {p for p, _ in prob.fixed}

    @lru_cache(maxsize=None)
    def rest(t: int, used: int) -> int | None:
        if t == len(prob.teams):
            return 0
        best = None
        for mask, cost in best_team[t].items():
            if mask & used:
                continue
            more = rest(t + 1, used | mask)
            if more is not None and (best is None or cost + more < best):
                best = cost + more
        return best
    if len(fixed_people) < len(prob.fixed):
        return None
    return rest(0, 0)


def roster_of(prob: StaffProblem, model, sol) -> dict[int, dict[int, str]]:
    teams: dict[int, dict[int, str]] = {t: {} for t in range(len(prob.teams))}
    seen = set()
    for k in sol.chosen(model):
        p, t, r = model.options[k]
        assert p not in seen, "a person on two teams"
        seen.add(p)
        teams[t][p] = r
    return teams


@pytest.mark.parametrize("solver", sorted(SOLVERS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prob=instances())
def test_every_solver_reaches_the_brute_force_optimum(solver, prob):
    expected = brute_force(prob)
    model = encode(prob)
    sol = SOLVERS[solver](model, time_limit=20, seed=0, workers=1)
    if expected is None:
        assert sol is None
        return
    assert sol is not None and sol.optimal
    teams = roster_of(prob, model, sol)
    costs = [team_cost(prob, t, members) for t, members in teams.items()]
    assert None not in costs, "the roster breaks a hard constraint"
    assert sum(c for c in costs if c is not None) == expected == sol.cost


def test_a_hard_conflicted_person_is_never_rostered_however_cheap():
    base = load_staffing_rules()
    rules = replace(base, min_size=2, max_size=2, fixed=(), min_experienced=0,
                    roles={"leader": RoleRule(1, 1, ("leader",)),
                           "deputy": RoleRule(0, 0, ("deputy",)),
                           "member": RoleRule(1, 1, ("member",)),
                           "liaison": RoleRule(0, 0, ("liaison",))})
    people = tuple(Person(f"P{k}", f"人{k}", frozenset({kind}), frozenset(), None, 3, 0, False,
                          True, cost, None)
                   for k, (kind, cost) in enumerate([("leader", 0), ("member", 0),
                                                     ("member", 500)]))
    team = TeamSlot("T", "第一组", ("U",), {})
    prob = StaffProblem("R", people, (team,), rules, {(1, 0): _conflict("P1", "T")}, {}, {})
    model = encode(prob)
    for solver in SOLVERS:
        sol = SOLVERS[solver](model, time_limit=5, seed=0, workers=1)
        assert sol is not None
        assert roster_of(prob, model, sol)[0] == {0: "leader", 2: "member"}
        assert sol.cost == 500


def test_alternatives_differ_and_do_not_improve_on_the_best():
    base = load_staffing_rules()
    rules = replace(base, min_size=1, max_size=1, fixed=(), min_experienced=0,
                    roles={"leader": RoleRule(1, 1, ("leader",)),
                           "deputy": RoleRule(0, 0, ("deputy",)),
                           "member": RoleRule(0, 0, ("member",)),
                           "liaison": RoleRule(0, 0, ("liaison",))})
    people = tuple(Person(f"P{k}", f"人{k}", frozenset({"leader"}), frozenset(), None, 3, 0,
                          False, True, cost, None) for k, cost in enumerate([30, 10, 20]))
    prob = StaffProblem("R", people, (TeamSlot("T", "组", ("U",), {}),), rules, {}, {}, {})
    sols = best_rosters(encode(prob), 5)
    # three leaders for one post: exactly three rosters, cheapest first
    assert [s.cost for s in sols] == [10, 20, 30]


def test_an_unknown_solver_is_an_error_not_a_fallback():
    with pytest.raises(LinkgraphError, match="gurobi"):
        solver_named("gurobi")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prob=instances())
def test_the_greedy_start_when_it_passes_the_model_passes_the_rules(prob):
    from linkgraph.staffing.greedy import greedy_values
    from linkgraph.staffing.model import StaffSolution, satisfies

    model = encode(prob)
    values = greedy_values(prob, model)
    if values is None or not satisfies(model, values):
        return
    sol = StaffSolution(tuple(values), 0, False, 0.0, "greedy")
    teams = roster_of(prob, model, sol)
    costs = [team_cost(prob, t, members) for t, members in teams.items()]
    assert None not in costs      # what the model accepts, the independent checker accepts
    expected = brute_force(prob)
    assert expected is not None and sum(c for c in costs if c is not None) >= expected
    assert int(model.cost @ values) + model.constant == sum(c for c in costs if c is not None)


def test_out_of_time_the_checked_greedy_roster_comes_back_with_its_gap():
    # 20 teams, 400 people: neither HiGHS nor CP-SAT finishes in a millisecond
    import numpy as np

    from linkgraph.staffing.greedy import greedy_values
    from linkgraph.staffing.model import satisfies
    from linkgraph.staffing.solvers import solve_auto

    rng = np.random.default_rng(0)
    rules = load_staffing_rules()
    kinds = ("leader", "deputy", "member", "member", "member", "member", "liaison")
    people = tuple(Person(f"P{k:03d}", f"人{k}", frozenset({kinds[k % 7]}),
                          frozenset({TAGS[int(rng.integers(4))]}), None, k % 4, 0, k % 4 == 0,
                          k % 4 >= 2, int(rng.integers(0, 40)), None) for k in range(400))
    teams = tuple(TeamSlot(f"T{t:02d}", f"第{t}组", (f"U{t}",), {"财务": (f"U{t}",)})
                  for t in range(20))
    prob = StaffProblem("R", people, teams, rules, {}, {}, {})
    model = encode(prob)
    hint = greedy_values(prob, model)
    assert hint is not None and satisfies(model, hint)
    sol = solve_auto(model, time_limit=0.001, seed=0, workers=1, hint=hint)
    assert sol is not None
    if sol.solver == "greedy":      # the usual case: nothing else finished in time
        assert (sol.optimal or 0 < sol.gap <= 1) and sol.values == tuple(hint)
    teams_of = roster_of(prob, model, sol)
    assert all(team_cost(prob, t, members) is not None for t, members in teams_of.items())


def test_auto_never_answers_worse_than_the_checked_start():
    # HiGHS may stop at its half of the limit with a poor roster and no
    # proof: auto then goes on from the better start, and never returns a
    # roster dearer than the greedy one it was given
    import numpy as np

    from linkgraph.staffing.greedy import greedy_values
    from linkgraph.staffing.model import satisfies
    from linkgraph.staffing.solvers import solve_auto

    rng = np.random.default_rng(1)
    rules = load_staffing_rules()
    kinds = ("leader", "deputy", "member", "member", "member", "member", "liaison")
    people = tuple(Person(f"P{k:03d}", f"人{k}", frozenset({kinds[k % 7]}),
                          frozenset({TAGS[int(rng.integers(4))]}), None, k % 4, 0, k % 4 == 0,
                          k % 4 >= 2, int(rng.integers(0, 40)), None) for k in range(300))
    teams = tuple(TeamSlot(f"T{t:02d}", f"第{t}组", (f"U{t}",), {"财务": (f"U{t}",)})
                  for t in range(15))
    prob = StaffProblem("R", people, teams, rules, {}, {}, {})
    model = encode(prob)
    hint = greedy_values(prob, model)
    assert hint is not None and satisfies(model, hint)
    greedy_cost = int(model.cost @ hint) + model.constant
    for limit in (0.05, 2.0):
        sol = solve_auto(model, time_limit=limit, seed=0, workers=1, hint=hint)
        assert sol is not None and satisfies(model, sol.values)
        assert sol.cost <= greedy_cost
        assert sol.optimal or sol.bound < sol.cost


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prob=instances())
def test_the_local_moves_keep_every_rule_and_never_raise_the_cost(prob):
    from linkgraph.staffing.greedy import greedy_roster

    plain = greedy_roster(prob, local=False)
    moved = greedy_roster(prob)
    assert (plain is None) == (moved is None)
    if plain is None or moved is None:
        return

    def total(roster):
        teams: dict[int, dict[int, str]] = {t: {} for t in range(len(prob.teams))}
        for p, (t, r) in roster.items():
            teams[t][p] = r
        return [team_cost(prob, t, m) for t, m in teams.items()]

    before, after = total(plain), total(moved)
    if None in before:      # the plain greedy may break a rule (then the model rejects it)
        return
    assert None not in after, "a local move broke a rule"
    assert sum(c for c in after if c is not None) <= sum(c for c in before if c is not None)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prob=instances())
def test_pricing_from_the_greedy_start_reaches_the_brute_force_optimum(prob):
    # from a start the column generation prices columns in and reduced-cost
    # fixing leaves the rest out: the optimum must survive both
    from linkgraph.staffing.greedy import greedy_values
    from linkgraph.staffing.model import satisfies
    from linkgraph.staffing.pricing import solve_pricing

    expected = brute_force(prob)
    model = encode(prob)
    hint = greedy_values(prob, model)
    if hint is None or not satisfies(model, hint):
        return
    sol = solve_pricing(model, time_limit=20, seed=0, workers=1, hint=hint)
    assert expected is not None and sol is not None and sol.optimal
    teams = roster_of(prob, model, sol)
    costs = [team_cost(prob, t, members) for t, members in teams.items()]
    assert None not in costs
    assert sum(c for c in costs if c is not None) == expected == sol.cost


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prob=instances(), data=st.data())
def test_the_lagrangian_bound_never_exceeds_the_brute_force_optimum(prob, data):
    # weak duality: for any row prices, of any size, the bound is below the
    # optimum (the signs a row's bounds do not allow count as 0)
    import numpy as np

    from linkgraph.staffing.pricing import lagrangian, matrix

    expected = brute_force(prob)
    if expected is None:
        return
    model = encode(prob)
    a, lb, ub = matrix(model)
    y = np.asarray(data.draw(st.lists(st.integers(-2000, 2000), min_size=a.shape[0],
                                      max_size=a.shape[0])), dtype=float)
    bound, _ = lagrangian(a, model.cost.astype(float), model.upper.astype(float), lb, ub, y)
    assert bound + model.constant <= expected + 1e-6
