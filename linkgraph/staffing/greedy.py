"""A quick feasible roster to start the exact solver from (CP-SAT's hint).

Team by team (the team with the fewest open people first): the roles'
minimum counts, then a holder of each fixed 常规 specialty, of each needed
specialty, experienced members up to the rules' minimum, then the cheapest
others up to the minimum size — never a new member without an experienced
one.  It may fail (then the solver starts from nothing); it is never the
answer, only where the search begins.
"""
from __future__ import annotations

from collections.abc import Sequence

from linkgraph.staffing.model import LinearModel
from linkgraph.staffing.problem import StaffProblem


def greedy_values(prob: StaffProblem, model: LinearModel) -> list[int] | None:
    """Values of every model variable for a greedy roster, or None."""
    roster = greedy_roster(prob)
    if roster is None:
        return None
    rules = prob.rules
    index = {o: k for k, o in enumerate(model.options)}
    values = [0] * model.n
    team_people: dict[int, list[int]] = {}
    for p, (t, role) in roster.items():
        k = index.get((p, t, role))
        if k is None:
            return None
        values[k] = 1
        team_people.setdefault(t, []).append(p)
    for t in range(len(prob.teams)):
        team = team_people.get(t, [])
        tags = set().union(*(prob.persons[p].tags for p in team))
        for tag in prob.teams[t].needs:
            if (t, tag) in model.covers:
                values[model.covers[t, tag]] = int(tag in tags)
        if t in model.shorts:
            exp = sum(prob.persons[p].experienced for p in team)
            values[model.shorts[t]] = max(0, rules.min_experienced - exp)
    return values


def greedy_roster(prob: StaffProblem) -> dict[int, tuple[int, str]] | None:
    """A greedy roster, person -> (team, role), or None when it gets stuck."""
    free_people = [p for p in range(len(prob.persons)) if prob.roles_of(p)]
    open_by_team = {t: [p for p in free_people if prob.open_pair(p, t)]
                    for t in range(len(prob.teams))}
    used: set[int] = set()
    out: dict[int, tuple[int, str]] = {}
    forced = {p: t for p, t in prob.fixed}
    for t in sorted(range(len(prob.teams)), key=lambda t: (len(open_by_team[t]), t)):
        team = _team(prob, t, [p for p in open_by_team[t] if p not in used
                               and forced.get(p, t) == t])
        if team is None:
            return None
        for p, role in team.items():
            out[p] = (t, role)
            used.add(p)
    return out


def _team(prob: StaffProblem, t: int, free: Sequence[int]) -> dict[int, str] | None:
    rules = prob.rules
    free = sorted(free, key=lambda p: (prob.cost(p, t), prob.persons[p].new, p))
    team: dict[int, str] = {}
    count = dict.fromkeys(rules.roles, 0)

    def take(p: int, roles: Sequence[str]) -> bool:
        for role in roles:
            if role in prob.roles_of(p) and count[role] < rules.roles[role].max:
                team[p] = role
                count[role] += 1
                return True
        return False

    def first(ok, roles: Sequence[str]) -> bool:
        return any(take(p, roles) for p in free if p not in team and ok(p)
                   and len(team) < rules.max_size)

    for p, tt in sorted(prob.fixed):
        if tt == t and (p not in free or not take(p, prob.roles_of(p))):
            return None
    for role, rr in rules.roles.items():
        while count[role] < rr.min:
            if not first(lambda p: prob.persons[p].experienced or not prob.persons[p].new,
                         [role]) and not first(lambda p: True, [role]):
                return None
    fill = ("member", "deputy", "liaison")
    tags = [*rules.fixed, *prob.teams[t].needs]
    for tag in tags:
        if not any(tag in prob.persons[p].tags for p in team):
            if not first(lambda p, tag=tag: tag in prob.persons[p].tags, fill) \
                    and tag in rules.fixed:
                return None
    while sum(prob.persons[p].experienced for p in team) < rules.min_experienced:
        if not first(lambda p: prob.persons[p].experienced, fill):
            break
    while len(team) < rules.min_size:
        if not first(lambda p: not prob.persons[p].new, fill) and not first(lambda p: True,
                                                                               fill):
            return None
    if rules.new_needs_experienced and any(prob.persons[p].new for p in team) and not any(
            prob.persons[p].experienced for p in team):
        return None
    return team
