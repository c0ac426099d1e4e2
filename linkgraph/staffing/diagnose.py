"""Why no roster exists, in words a planner can act on.

Checked in order: a role the pool has too few free people for ("组长库 has
3 free leaders for 4 teams"); a team for which no one of a role, of a fixed
常规 specialty or of a needed specialty is free of 回避 ("石桥镇 needs 法律
but every 法律 member of the pool is conflicted"); a group of teams that
share too few leaders (Hall's condition); too few people for the teams'
minimum size; then the constraint families are relaxed one at a time and
the ones whose relaxation makes a roster possible are named.
"""
from __future__ import annotations

from collections import Counter

import numpy as np

from linkgraph.errors import InfeasibleError
from linkgraph.rotation.instance import SolverTimeout
from linkgraph.staffing.model import encode
from linkgraph.staffing.solvers import solver_named
from linkgraph.staffing.problem import StaffProblem

ROLE_ZH = {"leader": "组长", "deputy": "副组长", "member": "成员", "liaison": "联络员"}
POOL_ZH = {"leader": "组长库", "deputy": "副组长库", "member": "成员库", "liaison": "联络员库",
           "expert": "专家库"}
RELAX = {
    "role": ("各岗位人数（[roles.*] min/max）", "the role counts ([roles.*] min/max)"),
    "size": ("每组人数（[team] min_size/max_size）", "the team size ([team] min_size/max_size)"),
    "fixed_specialty": ("常规岗位特长（[specialties] fixed）",
                        "the fixed specialties ([specialties] fixed)"),
    "need": ("补位特长必须覆盖（[specialties] needs = \"soft\"）",
             "needs as hard ([specialties] needs = \"soft\")"),
    "pairing": ("新人须与有经验者同组（[service] new_needs_experienced）",
                "new members paired with experienced ones ([service] new_needs_experienced)"),
    "fix": ("指定人选（--fix）", "the fixed people (--fix)"),
}


def explain_infeasible(prob: StaffProblem, *, time_limit: float = 10.0) -> InfeasibleError:
    """The error to raise when no roster satisfies ``prob``'s constraints."""
    message = _first_cause(prob)
    hint = _relaxations(prob, time_limit)
    return InfeasibleError((message or "在现有约束下无法组成名单 / no roster satisfies every "
                            "constraint") + (" " + hint if hint else ""))


def _free(prob: StaffProblem) -> list[int]:
    return [p for p, person in enumerate(prob.persons) if person.excluded is None]


def _excluded_note(prob: StaffProblem, people: list[int]) -> str:
    reasons = Counter(str(prob.persons[p].excluded).split(" / ")[0].split("，")[0]
                      for p in people if prob.persons[p].excluded)
    return "；".join(f"{k}：{v}人" for k, v in sorted(reasons.items()))


def _first_cause(prob: StaffProblem) -> str | None:
    rules, n = prob.rules, len(prob.teams)
    for p, t in sorted(prob.fixed):
        person, team = prob.persons[p], prob.teams[t]
        c = prob.hard.get((p, t))
        why = (c.explanation if c is not None else person.excluded if person.excluded
               else "被 --forbid 禁止 / also forbidden" if (p, t) in prob.forbidden else None)
        if why is None and not prob.roles_of(p):
            why = "不在任何岗位的人才库中 / in no pool a role is filled from"
        if why:
            return (f"--fix {person.person_id}:{team.team_id}：{person.name}不能进{team.name}（{why}）"
                    f" / {person.person_id} cannot join {team.team_id}")
    fixed_teams = [prob.persons[p].person_id for p, _ in prob.fixed]
    twice = sorted({x for x in fixed_teams if fixed_teams.count(x) > 1})
    if twice:
        return (f"--fix 把同一人指定到多个组：{'、'.join(twice)} / a person fixed to two teams: "
                f"{', '.join(twice)}")
    for role, rr in rules.roles.items():
        if not rr.min:
            continue
        inpool = [p for p, person in enumerate(prob.persons) if person.pools & set(rr.pools)]
        free = [p for p in inpool if prob.persons[p].excluded is None]
        if len(free) < rr.min * n:
            pools = "/".join(POOL_ZH[k] for k in rr.pools)
            note = _excluded_note(prob, inpool)
            return (f"{pools}只有 {len(free)} 名可用的{ROLE_ZH[role]}，{n} 个巡察组需要 "
                    f"{rr.min * n} 名{'（不可用：' + note + '）' if note else ''} / the pool has "
                    f"{len(free)} free {role}s for {n} teams (needs {rr.min * n})")
        for t, team in enumerate(prob.teams):
            if not any(prob.open_pair(p, t) for p in free):
                return (f"{team.name}：{pools_zh(rr.pools)}中没有与其被巡察单位无回避的"
                        f"{ROLE_ZH[role]}（{_blocked_note(prob, free, t)}）/ team {team.team_id}"
                        f": every free {role} of the pool is conflicted with its units")
    for t, team in enumerate(prob.teams):
        for tag in rules.fixed:
            msg = _tag_cause(prob, t, tag, "常规岗位", "fixed slot")
            if msg:
                return msg
        if rules.needs_hard:
            for tag, units in team.needs.items():
                msg = _tag_cause(prob, t, tag, "补位", "need", units)
                if msg:
                    return msg
    for role in rules.roles:     # each role alone must be matchable (a necessary condition)
        short = _hall(prob, role)
        if short:
            return short
    free = _free(prob)
    need = rules.min_size * n
    if len(free) < need:
        return (f"人才库只有 {len(free)} 名可用人员，{n} 个巡察组每组至少 {rules.min_size} 人共需 "
                f"{need} 人 / the pool has {len(free)} free people for {n} teams of at least "
                f"{rules.min_size}")
    return None


def pools_zh(pools) -> str:
    return "/".join(POOL_ZH[k] for k in pools)


def _blocked_note(prob: StaffProblem, people: list[int], t: int) -> str:
    shown = []
    for p in people[:3]:
        c = prob.hard.get((p, t))
        why = c.explanation if c is not None else "已被禁止（--forbid）"
        shown.append(f"{prob.persons[p].name}：{why}")
    more = f"等 {len(people)} 人" if len(people) > 3 else ""
    return "；".join(shown) + more


def _tag_cause(prob: StaffProblem, t: int, tag: str, zh: str, en: str,
               units: tuple[str, ...] = ()) -> str | None:
    team = prob.teams[t]
    holders = [p for p, person in enumerate(prob.persons) if tag in person.tags]
    who = "、".join(prob.unit_names.get(u, u) for u in units) if units else team.name
    if not holders:
        return (f"{who}需要{tag}（{zh}），人才库中没有{tag}专长人员 / {who} needs {tag} ({en}) "
                f"but no one in the pool has it")
    free = [p for p in holders if prob.persons[p].excluded is None]
    if not free:
        return (f"{who}需要{tag}（{zh}），人才库中{tag}专长人员均不可用（"
                f"{_excluded_note(prob, holders)}）/ {who} needs {tag} ({en}) but every {tag} "
                f"member of the pool is unavailable")
    if not any(prob.open_pair(p, t) for p in free):
        return (f"{who}需要{tag}（{zh}），但人才库中{tag}专长人员均与{team.name}的被巡察单位有"
                f"回避（{_blocked_note(prob, free, t)}）/ {who} needs {tag} ({en}) but every "
                f"{tag} member of the pool is conflicted")
    return None


def _hall(prob: StaffProblem, role: str) -> str | None:
    """A group of teams whose open leaders are too few (no perfect matching)."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import maximum_bipartite_matching

    rr = prob.rules.roles[role]
    people = [p for p in _free(prob) if prob.persons[p].pools & set(rr.pools)]
    if not rr.min or not people:
        return None
    allowed = np.array([[prob.open_pair(p, t) for p in people] for t in range(len(prob.teams))],
                       dtype=np.int8)
    allowed = np.repeat(allowed, rr.min, axis=0)
    match = maximum_bipartite_matching(csr_matrix(allowed), perm_type="column")
    if (match >= 0).all():
        return None
    short = sorted({int(i) // rr.min for i in np.flatnonzero(match < 0)})
    names = "、".join(prob.teams[t].name for t in short)
    return (f"{len(people)} 名可用{ROLE_ZH[role]}回避后不够分配：{names} 等分不到无回避的"
            f"{ROLE_ZH[role]} / after recusal the free {role}s cannot cover every team "
            f"(short: {', '.join(prob.teams[t].team_id for t in short)})")


def _relaxations(prob: StaffProblem, time_limit: float) -> str:
    """The constraint families whose relaxation alone makes a roster possible."""
    solve = solver_named("cp-sat")
    found = []
    families = [f for f in RELAX if f != "need" or prob.rules.needs_hard]
    for family in families:
        if family == "fix" and not prob.fixed:
            continue
        try:
            sol = solve(encode(prob, drop=(family,)), time_limit=time_limit / len(families),
                        seed=0, workers=1)
        except SolverTimeout:   # a timeout says nothing about this family
            continue
        if sol is not None:
            found.append(family)
    if not found:
        return ("可考虑：扩充人才库、放宽连续参加轮次上限（[service] max_consecutive_rounds）或调整"
                "巡察对象 / consider a larger pool, a higher max_consecutive_rounds or other "
                "targets")
    zh = "、".join(RELAX[f][0] for f in found)
    en = ", ".join(RELAX[f][1] for f in found)
    return f"放宽以下任一约束即可组成名单：{zh} / relaxing any one of these gives a roster: {en}"
