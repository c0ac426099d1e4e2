"""The class-merged staffing model: interchangeable people as one count.

Most of a pool is alike for the model: people with the same roles, tags
(of those the rules ask for: the fixed ones and the teams' needs),
experience, newness and recency cost, and the same soft costs towards the
teams, differ only in whom they are conflicted with — and a pool member is
usually conflicted with one team at most (the team inspecting their own
unit).  Such people form one *class*; the model has one integer per class ×
team × role (how many of the class fill that role) instead of one binary
per person × team × role.

A class holds people barred from at most one team each.  With ``n`` people
in class c and ``b[c, t]`` of them barred from team t, a vector of counts
``y[c, t]`` can be turned back into distinct named people exactly when it
meets Hall's condition; for people barred from ≤ 1 team that is

* ``Σ_t y[c, t] ≤ n``   (a set of two or more teams reaches everyone), and
* ``y[c, t] ≤ n − b[c, t]``   (a single team reaches all but its barred).

So the merged model is exact: its optimum equals the per-person optimum
(tests/test_staff_classes.py checks it against brute force), and ``decode``
always finds the people.  A person barred from two or more teams, or
``--fix``-ed, is a class of their own.

``merged_model`` builds the ``LinearModel`` (same rows and families as
``model.encode``, with counts), ``merged_hint`` a start from the greedy
roster, ``decode`` the named roster of a solution.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_bipartite_matching

from linkgraph.staffing.model import LinearModel, PersonClass, build_model
from linkgraph.staffing.problem import StaffProblem


def person_classes(prob: StaffProblem) -> list[PersonClass]:
    """The pool's available people grouped into classes (see the module)."""
    n_teams = len(prob.teams)
    fixed = {p for p, _ in prob.fixed}
    groups: dict[tuple, list[int]] = defaultdict(list)
    closed: dict[int, tuple[int, ...]] = {}
    soft_by_person: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for (p, t), score in prob.soft.items():
        cost = int(round(prob.rules.soft_conflict * score))
        if cost:
            soft_by_person[p].append((t, cost))
    # only the tags some rule asks for tell people apart
    relevant = set(prob.rules.fixed).union(*(team.needs for team in prob.teams))
    shut: dict[int, set[int]] = defaultdict(set)
    for p, t in (*prob.hard, *prob.forbidden):
        shut[p].add(t)
    for p, person in enumerate(prob.persons):
        roles = prob.roles_of(p)
        if person.excluded is not None or not roles:
            continue
        bars = tuple(sorted(t for t in shut.get(p, ()) if t < n_teams))
        closed[p] = bars
        alone = p in fixed or len(bars) > 1
        key = (roles, tuple(sorted(person.tags & relevant)), person.experienced, person.new,
               person.recent_cost, tuple(sorted(soft_by_person.get(p, ()))),
               (p, bars) if alone else None)
        groups[key].append(p)
    out = []
    for key, people in sorted(groups.items(), key=lambda kv: min(kv[1])):
        barred: dict[int, list[int]] = defaultdict(list)
        for p in people:
            for t in closed[p]:
                barred[t].append(p)
        first = prob.persons[people[0]]
        out.append(PersonClass(tuple(sorted(people)), key[0],
                               {t: tuple(ps) for t, ps in sorted(barred.items())},
                               frozenset(key[1]), first.experienced, first.new))
    return out


@dataclass(frozen=True)
class MergedModel:
    model: LinearModel          # options are (class index, team, role)
    classes: tuple[PersonClass, ...]


def merged_model(prob: StaffProblem, classes: Sequence[PersonClass] | None = None
                 ) -> MergedModel:
    """The class-merged linear model of ``prob`` (``model.build_model``)."""
    classes = tuple(person_classes(prob) if classes is None else classes)
    return MergedModel(build_model(prob, classes), classes)


def merged_hint(prob: StaffProblem, merged: MergedModel,
                roster: Mapping[int, tuple[int, str]] | None) -> list[int] | None:
    """The merged model's values for a per-person roster (person -> (team,
    role)), e.g. the greedy one; None when there is none."""
    if roster is None:
        return None
    model = merged.model
    index = {o: k for k, o in enumerate(model.options)}
    class_of = {p: c for c, cls in enumerate(merged.classes) for p in cls.people}
    values = [0] * model.n
    team_people: dict[int, list[int]] = defaultdict(list)
    for p, (t, r) in roster.items():
        k = index.get((class_of.get(p, -1), t, r))
        if k is None:
            return None
        values[k] += 1
        team_people[t].append(p)
    rules = prob.rules
    for t in range(len(prob.teams)):
        tags = set().union(*(prob.persons[p].tags for p in team_people.get(t, [])))
        for tag in prob.teams[t].needs:
            if (t, tag) in model.covers:
                values[model.covers[t, tag]] = int(tag in tags)
        if t in model.shorts:
            exp = sum(prob.persons[p].experienced for p in team_people.get(t, []))
            values[model.shorts[t]] = max(0, rules.min_experienced - exp)
    return values


def decode(prob: StaffProblem, merged: MergedModel, values: Sequence[int]
           ) -> list[tuple[int, int, str]]:
    """Named people for a solution's counts: (person, team, role), sorted.
    Within a class the people are matched to the slots by a maximum
    bipartite matching (it always covers every slot, by Hall's condition);
    deterministic for given counts."""
    model = merged.model
    slots: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for k, (c, t, r) in enumerate(model.options):
        slots[c].extend([(t, r)] * int(values[k]))
    out: list[tuple[int, int, str]] = []
    for c, wanted in sorted(slots.items()):
        cls = merged.classes[c]
        wanted.sort()
        if not any(cls.barred.values()):
            out.extend((p, t, r) for p, (t, r) in zip(cls.people, wanted))
            continue
        bars = {(p, t) for t, ps in cls.barred.items() for p in ps}
        ii, jj = [], []
        for s, (t, _) in enumerate(wanted):
            for j, p in enumerate(cls.people):
                if (p, t) not in bars:
                    ii.append(s)
                    jj.append(j)
        graph = csr_matrix((np.ones(len(ii)), (ii, jj)), shape=(len(wanted), cls.n))
        match = maximum_bipartite_matching(graph, perm_type="column")
        if (match < 0).any():
            raise AssertionError("class counts break Hall's condition")   # cannot happen
        out.extend((cls.people[int(j)], t, r) for (t, r), j in zip(wanted, match))
    return sorted(out, key=lambda o: (o[1], o[0]))
