"""Member-level recusal (成员回避): who in a chosen pair must step aside, and
the same-role exchange with another team that removes the conflict."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence


from linkgraph.analysis.conflicts import Conflict, ConflictCosts
from linkgraph.rotation.options import MemberSwap
from linkgraph.schema import Tables


def member_roles(tables: Tables, team_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    """person_id -> (team_id, role) for the round's teams (first team if listed twice)."""
    m = tables["team_members"]
    m = m[m["team_id"].isin(team_ids)].sort_values(["team_id", "person_id"])
    out: dict[str, tuple[str, str]] = {}
    for team, person, role in zip(m["team_id"], m["person_id"], m["role"]):
        out.setdefault(person, (team, role if isinstance(role, str) else "member"))
    return out


def person_hard_regions(costs: ConflictCosts) -> dict[str, dict[str, Conflict]]:
    """person_id -> region_id -> the first member-level hard conflict there."""
    out: dict[str, dict[str, Conflict]] = defaultdict(dict)
    for c in costs.conflicts:
        if c.level == "hard" and c.relation != "home_region" and c.region_id is not None:
            out[c.person_id].setdefault(c.region_id, c)
    return dict(out)


def person_soft(costs: ConflictCosts) -> dict[tuple[str, str], float]:
    """(person_id, region_id) -> summed soft score (each person × unit × relation once)."""
    seen: set[tuple] = set()
    out: dict[tuple[str, str], float] = defaultdict(float)
    for c in costs.conflicts:
        key = (c.person_id, c.unit_id, c.relation, c.hops)
        if c.level == "soft" and c.region_id is not None and key not in seen:
            seen.add(key)
            out[c.person_id, c.region_id] += c.score
    return dict(out)


def propose_swaps(tables: Tables, costs: ConflictCosts,
                  plan: Mapping[str, str]) -> tuple[list[MemberSwap], list[str],
                                                    dict[str, list[str]]]:
    """Swaps for a plan (team_id -> region_id): every member with a hard
    conflict in the team's target region exchanged with a same-role member of
    another team who has none there, and who takes no conflict into the
    other team's region; the swap that adds the least soft score wins (ties
    by team and person id).  Returns the swaps, the teams left with an
    unresolved conflict, and the final members of each team."""
    roles = member_roles(tables, list(plan))
    hard = person_hard_regions(costs)
    soft = person_soft(costs)
    names = dict(zip(tables["people"]["person_id"], tables["people"]["name"]))
    members: dict[str, list[str]] = defaultdict(list)
    for person, (team, _) in sorted(roles.items()):
        members[team].append(person)
    moved: set[str] = set()
    swaps, failed = [], []
    for team in sorted(plan):
        region = plan[team]
        for person in sorted(p for p in members[team] if region in hard.get(p, {})):
            best = _best_partner(person, team, plan, members, roles, hard, soft, moved)
            if best is None:
                failed.append(team)
                break
            other, partner = best
            members[team].remove(person)
            members[other].remove(partner)
            members[team].append(partner)
            members[other].append(person)
            moved |= {person, partner}
            swaps.append(MemberSwap(person, str(names.get(person, person)), roles[person][1],
                                    team, other, hard[person][region].explanation, partner,
                                    str(names.get(partner, partner)), other))
    return swaps, failed, {t: sorted(ps) for t, ps in members.items()}


def _best_partner(person: str, team: str, plan: Mapping[str, str],
                  members: Mapping[str, list[str]], roles: Mapping[str, tuple[str, str]],
                  hard: Mapping[str, Mapping[str, Conflict]],
                  soft: Mapping[tuple[str, str], float],
                  moved: set[str]) -> tuple[str, str] | None:
    region, role = plan[team], roles[person][1]
    options = []
    for other in sorted(plan):
        if other == team:
            continue
        there = plan[other]
        if there in hard.get(person, {}):
            continue
        for q in sorted(members[other]):
            if q in moved or roles[q][1] != role or region in hard.get(q, {}):
                continue
            delta = (soft.get((q, region), 0.0) + soft.get((person, there), 0.0)
                     - soft.get((person, region), 0.0) - soft.get((q, there), 0.0))
            options.append((round(delta, 9), other, q))
    if not options:
        return None
    _, other, q = min(options)
    return other, q


def residual_soft(costs: ConflictCosts, members: Sequence[str],
                  units: Sequence[str]) -> list[Conflict]:
    """The soft conflicts a team (as it will go) carries into its units."""
    people, targets = set(members), set(units)
    seen: set[tuple] = set()
    out = []
    for c in costs.conflicts:
        key = (c.person_id, c.unit_id, c.relation, c.hops)
        if c.level == "soft" and c.person_id in people and c.unit_id in targets \
                and key not in seen:
            seen.add(key)
            out.append(c)
    return sorted(out, key=lambda c: (-c.score, c.person_id, c.unit_id, c.relation))
