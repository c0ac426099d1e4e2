"""``staff_teams``: the rosters of a round's teams from the 人才库 (巡察组配备)."""
from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from linkgraph.catalogue import label
from linkgraph.errors import InputError
from linkgraph.rules import Rules
from linkgraph.schema import Tables
from linkgraph.staffing.diagnose import ROLE_ZH, explain_infeasible
from linkgraph.staffing.classes import decode, merged_hint, merged_model
from linkgraph.staffing.greedy import greedy_roster, greedy_values
from linkgraph.staffing.model import LinearModel, StaffSolution, encode
from linkgraph.staffing.solvers import best_rosters
from linkgraph.staffing.problem import StaffProblem, TeamSlot, build_problem, team_slots
from linkgraph.staffing.rules import ROLES, StaffingRules, load_staffing_rules


@dataclass(frozen=True)
class StaffOptions:
    """What ``staff`` was asked: targets per team, fixed/forbidden people."""

    targets: Mapping[str, tuple[str, ...]] | None = None   # team_id -> unit ids
    team_names: Mapping[str, str] | None = None
    fix: tuple[tuple[str, str], ...] = ()       # (person, team)
    forbid: tuple[tuple[str, str], ...] = ()
    alternatives: int = 0
    seed: int = 0
    time_limit: float | None = None             # None: the rules' [solver] time_limit
    solver: str | None = None
    lang: str = "zh"                            # the language of the reasons
    #: solve the class-merged model (``classes``; exact, far smaller) when no
    #: alternatives are asked for; False: the per-person model always
    merge: bool = True


@dataclass(frozen=True)
class Roster:
    """The rosters of a round: one record per member, what is left uncovered,
    the soft conflicts carried, the alternatives, how it was solved."""

    round_id: str
    members: tuple[dict[str, Any], ...]
    uncovered: tuple[dict[str, Any], ...]
    soft_conflicts: tuple[dict[str, Any], ...]
    alternatives: tuple[dict[str, Any], ...]
    objective: int
    optimal: bool
    gap: float
    solver: str
    seconds: float
    excluded: tuple[dict[str, Any], ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    def summary_lines(self) -> list[tuple[str, bool]]:
        """What the command says on stderr: (line, is it a warning)."""
        state = "已证明最优 / proven optimal" if self.optimal else \
            f"未证明最优，差距 / not proven optimal, gap {self.gap:.2%}"
        teams = len({m["team_id"] for m in self.members})
        lines = [(f"{teams} 个巡察组共 {len(self.members)} 人，目标值 {self.objective}，{state}；"
                  f"未覆盖特长 {len(self.uncovered)} 项，提示性关系 {len(self.soft_conflicts)} 条"
                  f" / {teams} teams, {len(self.members)} people, objective {self.objective}, "
                  f"{len(self.uncovered)} needs uncovered ({self.solver})", False)]
        lines += [(f"未覆盖 / not covered: {u['team_name']} {u['need_specialty']}"
                   f"（{u['need_units']}：{u['uncovered_reason']}）", True) for u in self.uncovered]
        return lines

    def as_record(self) -> dict[str, Any]:
        return {"round_id": self.round_id, "objective": self.objective, "optimal": self.optimal,
                "gap": self.gap, "solver": self.solver, "notes": list(self.notes),
                "members": [dict(m) for m in self.members],
                "uncovered": [dict(u) for u in self.uncovered],
                "soft_conflicts": [dict(c) for c in self.soft_conflicts],
                "alternatives": [dict(a) for a in self.alternatives],
                "excluded": [dict(e) for e in self.excluded]}


def round_targets(tables: Tables, round_id: str) -> tuple[dict[str, tuple[str, ...]],
                                                          dict[str, str]]:
    """The round's own teams and their assigned units, and the teams' names."""
    teams = tables["teams"]
    teams = teams[teams["round_id"] == round_id]
    a = tables["assignments"]
    a = a[(a["round_id"] == round_id) & a["team_id"].isin(teams["team_id"])]
    pairs = {t: tuple(sorted(g["unit_id"])) for t, g in a.groupby("team_id", sort=True)}
    names = {t: (n if isinstance(n, str) and n else t)
             for t, n in zip(teams["team_id"], teams["name"])}
    return pairs, names


def staff_teams(tables: Tables, round_id: str, options: StaffOptions | None = None, *,
                rules: Rules | None = None,
                staffing: StaffingRules | None = None) -> Roster:
    """The best rosters for ``round_id``'s teams (or ``options.targets``).

    Every role is filled from its pools, no one is on two teams, no member has
    a hard conflict (回避) with a unit the team inspects nor inspects the unit
    they come from, availability and the consecutive-rounds limit hold, and
    every new member (以干代训) has an experienced teammate; then uncovered
    specialty needs, soft conflicts, recent service and missing experience
    are minimised.  Raises ``InfeasibleError`` naming the cause and what to
    relax."""
    options = options or StaffOptions()
    srules = staffing or load_staffing_rules()
    started = time.monotonic()
    tables = getattr(tables, "tables", tables)
    pairs, names = round_targets(tables, round_id)
    if options.targets is not None:
        teams = tables["teams"]
        known = {t: n for t, n in zip(teams["team_id"], teams["name"]) if isinstance(n, str)}
        pairs = dict(options.targets)
        names = {t: (options.team_names or {}).get(t) or known.get(t) or t for t in pairs}
    if not pairs:
        raise InputError(f"轮次 {round_id} 没有巡察组及巡察对象，请用 --targets 或 --from-rotation"
                         f" / round {round_id} has no teams with targets; give --targets or "
                         f"--from-rotation")
    if tables.get("pool") is None or tables["pool"].empty:
        raise InputError("没有人才库（pool / 人才库 表，或 --pool 文件）/ no pool table (give "
                         "a pool / 人才库 table or --pool FILE)")
    prob = build_problem(tables, round_id, team_slots(tables, pairs, srules, names, round_id), srules,
                         rules=rules, fix=options.fix, forbid=options.forbid)
    # the limit covers the whole run from here: what the conflict engine and
    # the model building took is taken off the solver's share (never below 1 s)
    deadline = started + (options.time_limit or srules.time_limit)

    def left(share: int = 1) -> float:
        return max(1.0, (deadline - time.monotonic()) / share)

    if not options.alternatives and options.merge:
        found = solve_merged(prob, solver=options.solver, seed=options.seed,
                             workers=srules.workers, deadline=deadline)
        if found is None:
            raise explain_infeasible(prob, time_limit=min(left(), 10.0))
        model, sol = found
        return assemble(prob, model, [sol], time.monotonic() - started, options.lang)
    model = encode(prob)
    hint = greedy_values(prob, model)
    # the best roster and each alternative get an equal share of what is left
    sols = best_rosters(model, options.alternatives, solver=options.solver,
                        time_limit=left(options.alternatives + 1), seed=options.seed,
                        workers=srules.workers, hint=hint)
    if not sols:
        raise explain_infeasible(prob, time_limit=min(left(), 10.0))
    return assemble(prob, model, sols, time.monotonic() - started, options.lang)


def solve_merged(prob: StaffProblem, *, solver: str | None = None, time_limit: float = 30.0,
                 seed: int = 0, workers: int = 1, deadline: float | None = None
                 ) -> tuple[LinearModel, StaffSolution] | None:
    """The best roster by the class-merged model (``classes``), as a
    per-person model of the chosen (person, team, role) only and its
    solution — what ``assemble`` reads; None when there is no roster.
    ``deadline`` (a ``time.monotonic()`` instant) replaces ``time_limit``:
    the solver gets what building the model and the greedy start left of
    it, at least 1 s."""
    import numpy as np

    merged = merged_model(prob)
    hint = merged_hint(prob, merged, greedy_roster(prob))
    if deadline is not None:
        time_limit = max(1.0, deadline - time.monotonic())
    sols = best_rosters(merged.model, 0, solver=solver, time_limit=time_limit, seed=seed,
                        workers=workers, hint=hint)
    if not sols:
        return None
    best = sols[0]
    chosen = tuple(decode(prob, merged, best.values))
    model = LinearModel(chosen, np.ones(len(chosen), dtype=np.int64),
                        np.asarray([prob.cost(p, t) for p, t, _ in chosen], dtype=np.int64),
                        merged.model.constant, ())
    return model, StaffSolution((1,) * len(chosen), best.cost, best.optimal, best.bound,
                                best.solver)


def assemble(prob: StaffProblem, model: LinearModel, sols: Sequence[StaffSolution],
             seconds: float, lang: str = "zh") -> Roster:
    best = sols[0]
    chosen = [model.options[k] for k in best.chosen(model)]
    members, soft = [], []
    team_people: dict[int, list[int]] = {}
    for p, t, _ in chosen:
        team_people.setdefault(t, []).append(p)
    for p, t, role in sorted(chosen, key=lambda o: (prob.teams[o[1]].team_id, ROLES.index(o[2]),
                                                   prob.persons[o[0]].person_id)):
        members.append(_member(prob, p, t, role, team_people[t], lang))
        for c in prob.soft_detail.get((p, t), ()):
            soft.append({"team_id": prob.teams[t].team_id, "team_name": prob.teams[t].name,
                         "person_id": c.person_id, "person_name": c.person_name,
                         "unit_id": c.unit_id, "unit_name": c.unit_name,
                         "relation_zh": c.relation_zh, "score": c.score,
                         "explanation": c.explanation})
    uncovered = _uncovered(prob, team_people, lang)
    alternatives = tuple(_alternative(prob, model, best, s, k, lang) for k, s in
                         enumerate(sols[1:], start=1))
    excluded = tuple({"person_id": x.person_id, "person_name": x.name,
                      "excluded_reason": _half(x.excluded, lang)}
                     for x in prob.persons if x.excluded)
    r = prob.rules
    notes = (_w(f"人才库 {len(prob.persons)} 人，本轮不可抽调 {len(excluded)} 人",
                f"{len(prob.persons)} people in the pool, {len(excluded)} unavailable this round",
                lang),
             _w(f"配备规则：{'默认' if r.source == 'default' else r.source}；每组 {r.min_size}–{r.max_size} 人；常规岗位特长 "
                f"{'、'.join(r.fixed) or '无'}；补位特长{'必须覆盖' if r.needs_hard else '尽量覆盖'}；"
                f"连续参加不超过 {r.max_consecutive_rounds} 轮",
                f"staffing rules: {'shipped' if r.source == 'default' else r.source}; {r.min_size}–{r.max_size} per team; fixed "
                f"specialties {', '.join(r.fixed) or 'none'}; needs "
                f"{'hard' if r.needs_hard else 'soft'}; at most {r.max_consecutive_rounds} "
                "rounds in a row", lang))
    return Roster(prob.round_id, tuple(members), tuple(uncovered), tuple(soft), alternatives,
                  best.cost, best.optimal, round(best.gap, 6), best.solver, seconds, excluded,
                  notes)


ROLE_EN = {"leader": "leader", "deputy": "deputy leader", "member": "member",
           "liaison": "liaison officer"}


def _w(zh: str, en: str, lang: str) -> str:
    return en if lang == "en" else zh


def _tags(tags: Sequence[str], sep: str, lang: str) -> str:
    """Specialty tags as the reader's language names them (unknown tags as written)."""
    return sep.join(label("specialty", tag, lang) for tag in tags)


def _member(prob: StaffProblem, p: int, t: int, role: str, team: list[int],
            lang: str = "zh") -> dict[str, Any]:
    person, slot = prob.persons[p], prob.teams[t]
    covers = sorted(tag for tag in (*prob.rules.fixed, *slot.needs) if tag in person.tags)
    sep = ", " if lang == "en" else "、"
    parts = []
    if covers:
        parts.append(_w("覆盖特长：", "covers ", lang) + sep.join(
            label("specialty", tag, lang) + (f"（{w}）" if lang != "en" else f" ({w})")
            if (w := need_why(prob, slot, tag, lang)) else label("specialty", tag, lang)
            for tag in covers))
    n = len(slot.unit_ids)
    parts.append(_w(f"与{n}个被巡察单位均无回避", f"no hard conflict with any of the {n} units",
                    lang))
    score = prob.soft.get((p, t), 0.0)
    if score:
        k = len(prob.soft_detail.get((p, t), ()))
        parts.append(_w(f"有提示性关系 {k} 条（分值 {score:g}）",
                        f"{k} soft conflicts (score {score:g})", lang))
    if person.experienced:
        parts.append(_w(f"有经验（已参加 {person.served} 轮）",
                        f"experienced ({person.served} rounds served)", lang))
    elif person.new:
        mentors = sep.join(prob.persons[q].name for q in sorted(team)
                           if prob.persons[q].experienced)
        parts.append(_w("新人以干代训" + (f"，与{mentors}同组" if mentors else ""),
                        "new, learning on the job" + (f", with {mentors}" if mentors else ""), lang))
    else:
        parts.append(_w(f"已参加 {person.served} 轮", f"{person.served} rounds served", lang))
    parts.append(_w("上一轮参加过", "served in the previous round", lang)
                 if person.last_served == 1 else
                 _w("上一轮未参加", "did not serve in the previous round", lang))
    if (p, t) in prob.fixed:
        parts.insert(0, _w("按指定人选（--fix）", "fixed (--fix)", lang))
    return {"team_id": slot.team_id, "team_name": slot.name,
            "role": ROLE_EN[role] if lang == "en" else ROLE_ZH[role],
            "person_id": person.person_id, "person_name": person.name,
            "source_unit": prob.unit_names.get(person.source_unit_id or "", "") or "",
            "specialties": _tags(sorted(person.tags), sep, lang), "rounds_served": person.served,
            "soft_score": round(score, 4),
            "staff_reason": ("; " if lang == "en" else "；").join(parts)}


NEED_SOURCE_ZH = {"kind": "单位类型为", "sector": "所属系统为", "category": "以往巡察发现",
                  "name": "名称含"}
NEED_SOURCE_EN = {"kind": "unit kind", "sector": "sector", "category":
                  "earlier rounds found problems in", "name": "name contains"}


def need_why(prob: StaffProblem, slot: TeamSlot, tag: str, lang: str = "zh") -> str:
    """Why the team's targets need ``tag``: each unit with the rule that gave
    it (石桥镇：单位类型为乡镇 / 石桥镇: unit kind “乡镇”)."""
    parts = []
    for u, source, key in slot.need_reasons.get(tag, ()):
        unit = prob.unit_names.get(u, u)
        if lang == "en":
            parts.append(f"{unit}: {NEED_SOURCE_EN[source]} “{key}”")
        else:
            tail = "问题" if source == "category" else ""
            parts.append(f"{unit}：{NEED_SOURCE_ZH[source]}{key}{tail}")
    return ("; " if lang == "en" else "；").join(parts)


def _uncovered(prob: StaffProblem, team_people: Mapping[int, list[int]],
               lang: str = "zh") -> list[dict[str, Any]]:
    out = []
    for t, slot in enumerate(prob.teams):
        have = set().union(*(prob.persons[p].tags for p in team_people.get(t, [])))
        for tag, units in slot.needs.items():
            if tag in have:
                continue
            holders = [p for p, x in enumerate(prob.persons) if tag in x.tags]
            open_ = [p for p in holders if prob.open_pair(p, t)]
            why = (_w("人才库中没有该专长人员", "no one in the pool has it", lang) if not holders
                   else _w("该专长人员均有回避或不可用",
                           "everyone who has it is conflicted or unavailable", lang)
                   if not open_ else
                   _w("该专长人员已配到其他组或与其他约束冲突",
                      "those who have it went to other teams or break another rule", lang))
            out.append({"team_id": slot.team_id, "team_name": slot.name,
                        "need_specialty": label("specialty", tag, lang),
                        "need_units": (", " if lang == "en" else "、").join(
                            prob.unit_names.get(u, u) for u in units),
                        "need_reason": need_why(prob, slot, tag, lang),
                        "uncovered_reason": why})
    return out


def _alternative(prob: StaffProblem, model: LinearModel, best: StaffSolution,
                 sol: StaffSolution, rank: int, lang: str = "zh") -> dict[str, Any]:
    def placed(s: StaffSolution) -> dict[str, str]:
        return {prob.persons[p].person_id: (f"{prob.teams[t].name} {ROLE_EN[r]}" if lang == "en"
                                             else f"{prob.teams[t].name}{ROLE_ZH[r]}")
                for p, t, r in (model.options[k] for k in s.chosen(model))}
    a, b = placed(best), placed(sol)
    names = {x.person_id: x.name for x in prob.persons}
    out = _w("未入选", "not chosen", lang)
    moves = [f"{names[pid]}{': ' if lang == 'en' else '：'}{a.get(pid, out)} → {b.get(pid, out)}"
             for pid in sorted(set(a) | set(b)) if a.get(pid) != b.get(pid)]
    return {"rotation_rank": rank, "objective": sol.cost, "optimal": sol.optimal,
            "differs": ("; " if lang == "en" else "；").join(moves)}


def _half(text: str | None, lang: str) -> str | None:
    """The Chinese or the English half of a bilingual ``zh / en`` sentence."""
    if text is None or " / " not in text:
        return text
    zh, en = text.split(" / ", 1)
    return en if lang == "en" else zh
