"""A quick feasible roster to start the exact solver from (CP-SAT's hint).

Team by team (the team with the fewest open people first): the roles'
minimum counts, then a holder of each fixed 常规 specialty, of each needed
specialty, experienced members up to the rules' minimum, then the cheapest
others up to the minimum size — never a new member without an experienced
one; then ``improve``'s local moves, each lowering the objective.  It may
fail (then the solver starts from nothing).  It is where the search begins,
and the answer only when neither solver found better in time (then with
its gap).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

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


def greedy_roster(prob: StaffProblem, *, local: bool = True
                  ) -> dict[int, tuple[int, str]] | None:
    """A greedy roster, person -> (team, role), or None when it gets stuck;
    ``local``: then improved by ``improve``."""
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
    return improve(prob, out, open_by_team) if local else out


def team_cost(prob: StaffProblem, t: int, members: Mapping[int, str]) -> int | None:
    """The objective's share of team t with ``members`` (person -> role), or
    None when the team breaks one of its own hard rules (size, roles, fixed
    specialties, hard needs, 以干代训 pairing, --fix)."""
    rules, team = prob.rules, prob.teams[t]
    if not rules.min_size <= len(members) <= rules.max_size:
        return None
    count = dict.fromkeys(rules.roles, 0)
    for role in members.values():
        count[role] += 1
    if any(not rr.min <= count[r] <= rr.max for r, rr in rules.roles.items()):
        return None
    tags: set[str] = set().union(*(prob.persons[p].tags for p in members))
    if any(tag not in tags for tag in rules.fixed):
        return None
    if rules.needs_hard and any(tag not in tags for tag in team.needs):
        return None
    experienced = sum(prob.persons[p].experienced for p in members)
    if rules.new_needs_experienced and not experienced and any(
            prob.persons[p].new for p in members):
        return None
    if any(p not in members for p, tt in prob.fixed if tt == t):
        return None
    cost = sum(prob.cost(p, t) for p in members)
    if not rules.needs_hard:
        cost += rules.uncovered_need * sum(tag not in tags for tag in team.needs)
    if rules.min_experienced and rules.experience_short:
        cost += rules.experience_short * max(0, rules.min_experienced - experienced)
    return cost


def improve(prob: StaffProblem, roster: dict[int, tuple[int, str]],
            open_by_team: Mapping[int, Sequence[int]], *, tries: int = 30,
            passes: int = 3) -> dict[int, tuple[int, str]]:
    """The roster after local moves that each lower the objective: add an
    unused person to a team, put one in a member's place, or drop a member —
    among the ``tries`` cheapest unused people open on the team and the
    cheapest holders of each specialty it lacks.  Every move keeps the
    team's own rules (``team_cost``) and no one on two teams."""
    roster = dict(roster)
    by_team: dict[int, dict[int, str]] = {}
    for p, (t, role) in roster.items():
        by_team.setdefault(t, {})[p] = role
    fixed = {p for p, _ in prob.fixed}
    for _ in range(passes):
        better = False
        for t in range(len(prob.teams)):
            members = by_team.setdefault(t, {})
            now = team_cost(prob, t, members)
            if now is None:
                continue
            free = [p for p in open_by_team.get(t, ()) if p not in roster]
            free.sort(key=lambda p: (prob.cost(p, t), p))
            have = set().union(*(prob.persons[p].tags for p in members))
            pick = list(free[:tries])
            for tag in (*prob.rules.fixed, *prob.teams[t].needs):
                if tag not in have:
                    pick += [p for p in free if tag in prob.persons[p].tags][:5]
            moves: list[tuple[int | None, int | None, str | None]] = [
                (None, p, r) for p in dict.fromkeys(pick) for r in prob.roles_of(p)]
            out = [q for q in sorted(members) if q not in fixed]
            moves += [(q, p, r) for q in out for _, p, r in moves if p is not None]
            moves += [(q, None, None) for q in out]
            best: tuple[int, tuple[int | None, int | None, str | None]] | None = None
            for move in moves:
                trial = dict(members)
                if move[0] is not None:
                    del trial[move[0]]
                if move[1] is not None and move[2] is not None:
                    trial[move[1]] = move[2]
                cost = team_cost(prob, t, trial)
                if cost is not None and cost < now and (best is None or cost < best[0]):
                    best = (cost, move)
            if best is None:
                continue
            gone, come, as_role = best[1]
            if gone is not None:
                del members[gone]
                del roster[gone]
            if come is not None and as_role is not None:
                members[come] = as_role
                roster[come] = (t, as_role)
            better = True
        if not better:
            break
    return roster


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
