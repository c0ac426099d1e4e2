"""The 成果 and review tables (issue 19), planted on the canonical tables.

* ``reviews``: each inspected unit's rectification plan (due 15 working days
  after feedback) and report (3 months), a share first sent back
  (退回重写) and passed on resubmission; a passed closing review (销号) for
  every measure written 已销号, some of them after a 再整改; a 退回重写
  closing review for some 已完成 measures, which therefore stay unclosed.
* ``results``: per unit and round, 追缴（退回）资金 / 挽回损失 in 元, 新建 and 修订制度,
  追责问责 by count; per sanctioned lead, the people held accountable.
* ``lead_people``: every lead's person, and a second person of the same
  unit on a share of the leads with an outcome (件 ≠ 人); on another share
  of them a person not on the roster (案外人: a briber, a contractor, a
  relative — named, no person id), who is 移送司法 on some of them.
* ``talks``: a 巡前 一对一 talk with the unit's 一把手, a 巡中 1+N talk on some.
* ``visits``, ``supervision_info``, ``self_checks``: a few per round / unit.

Everything is drawn from its own stream; ``outcome_truth`` counts the
planted figures straight from these tables for ``truth.json``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from linkgraph.schema import OUTCOME_TABLES, TABLE_BY_NAME
from loaders.generator.util import make_ids, stream

PLAN_SENT_BACK = 0.2
REPORT_SENT_BACK = 0.15
CLOSURE_REDO = 0.1  # of closed measures: a 再整改 before the pass
DONE_REWRITE = 0.05  # of done (not closed) measures: a 退回重写 closing review
SECOND_PERSON = 0.3  # of leads with an outcome
OUTSIDE_PERSON = 0.2  # of leads with an outcome naming an official: a 案外人 too
OUTSIDE_JUDICIAL = 0.3  # of those 案外人: their own outcome 移送司法 (else the lead's)
REVIEWERS = ("纪委监委;组织部;巡察办;巡察组", "纪委监委;组织部;巡察办", "纪委监委;巡察办;巡察组")
TRIGGERS = ("巡前听取汇报", "反映问题较多", "信访举报集中", "整改不力", "干部群众反映强烈",
            "班子不团结", "一把手履职存在问题", "巡察发现重要问题线索", "需要提醒")
KINDS = ("党纪政务处分", "组织处理", "诫勉", "批评教育")
DAY = np.timedelta64(1, "D")
NONE = np.array(None, dtype=object)


def table(name: str, cols: dict, n: int = 0) -> pd.DataFrame:
    """A canonical table of ``n`` rows: the schema's columns in order."""
    dtypes = {"date": "datetime64[ns]", "int": "Int64", "float": "float64", "bool": "bool"}
    data = {}
    for c in TABLE_BY_NAME[name].columns:
        v = cols.get(c.name)
        if v is None:
            data[c.name] = pd.Series([None] * n, dtype=dtypes.get(c.kind, object))
        else:
            col = pd.Series(np.asarray(v, dtype=object) if dtypes.get(c.kind) is None else v,
                            dtype=dtypes.get(c.kind, object)).reset_index(drop=True)
            if col.dtype == object:
                col = col.where(col.notna(), None)
            data[c.name] = col
    return pd.DataFrame(data)


def _capped(dates: np.ndarray, as_of: np.datetime64) -> np.ndarray:
    return np.minimum(dates.astype("datetime64[D]"), as_of).astype("datetime64[ns]")


def _unit_rounds(t: dict[str, pd.DataFrame], as_of: np.datetime64) -> pd.DataFrame:
    """(unit, round, feedback) of every unit with problems in a finished round."""
    p = t["problems"][["unit_id", "round_id"]].dropna().drop_duplicates()
    end = t["rounds"].set_index("round_id")["end"]
    p = p.assign(feedback=p["round_id"].map(end).to_numpy())
    p = p[p["feedback"].notna() & (p["feedback"].to_numpy() <= as_of)]
    return p.sort_values(["round_id", "unit_id"]).reset_index(drop=True)


def _process_reviews(rng, ur: pd.DataFrame, subject: str, months: int | None, workdays: int | None,
                     share: float, as_of: np.datetime64) -> pd.DataFrame:
    fb = ur["feedback"].to_numpy().astype("datetime64[D]")
    if workdays is not None:
        due = np.busday_offset(fb, workdays, roll="forward")
    else:
        due = (pd.DatetimeIndex(fb) + pd.DateOffset(months=months or 0)).to_numpy() \
            .astype("datetime64[D]")
    ok = due <= as_of
    u = ur[ok]
    due = due[ok]
    n = len(u)
    first = due - rng.integers(0, 6, n) * DAY
    back = rng.random(n) < share
    again = np.minimum(first + rng.integers(7, 21, n) * DAY, as_of)
    rows = pd.DataFrame({
        "unit_id": np.concatenate([u["unit_id"], u["unit_id"][back]]),
        "round_id": np.concatenate([u["round_id"], u["round_id"][back]]),
        "submitted_date": np.concatenate([first - 2 * DAY, again[back] - 2 * DAY]),
        "review_date": np.concatenate([first, again[back]]),
        "verdict": np.concatenate([np.where(back, "rewrite", "pass"),
                                   np.full(int(back.sum()), "pass")]).astype(object),
        "reason": np.concatenate([np.where(back, "问题原因剖析不深、措施不具体", NONE),
                                  np.full(int(back.sum()), None)]).astype(object)})
    return rows.assign(subject=subject)


def _closure_reviews(rng, t: dict[str, pd.DataFrame], as_of: np.datetime64) -> pd.DataFrame:
    m = t["measures"]
    closed = m[(m["status"] == "closed") & m["completed_date"].notna()]
    done = m[(m["status"] == "done") & m["completed_date"].notna()]
    done = done[rng.random(len(done)) < DONE_REWRITE]
    c_date = _capped(closed["completed_date"].to_numpy() + rng.integers(5, 31, len(closed)) * DAY,
                     as_of)
    redo = rng.random(len(closed)) < CLOSURE_REDO
    d_date = _capped(done["completed_date"].to_numpy() + rng.integers(5, 31, len(done)) * DAY, as_of)
    parts = [
        pd.DataFrame({"measure_id": closed["measure_id"][redo].to_numpy(),
                      "review_date": (c_date[redo] - np.timedelta64(10, "D")),
                      "verdict": "redo", "reason": "佐证材料不全,需继续整改"}),
        pd.DataFrame({"measure_id": closed["measure_id"].to_numpy(), "review_date": c_date,
                      "verdict": "pass", "reason": None}),
        pd.DataFrame({"measure_id": done["measure_id"].to_numpy(), "review_date": d_date,
                      "verdict": "rewrite", "reason": "整改不到位"})]
    out = pd.concat(parts, ignore_index=True)
    prob = m.set_index("measure_id")["problem_id"]
    p = t["problems"].set_index("problem_id")
    pid = out["measure_id"].map(prob)
    return out.assign(subject="closure", unit_id=pid.map(p["unit_id"]).to_numpy(),
                      round_id=pid.map(p["round_id"]).to_numpy(),
                      submitted_date=out["review_date"] - np.timedelta64(3, "D"))


def build_reviews(t: dict[str, pd.DataFrame], seed: int, as_of: np.datetime64) -> pd.DataFrame:
    rng = stream(seed, "outcomes/reviews")
    ur = _unit_rounds(t, as_of)
    r = pd.concat([_process_reviews(rng, ur, "plan", None, 15, PLAN_SENT_BACK, as_of),
                   _process_reviews(rng, ur, "report", 3, None, REPORT_SENT_BACK, as_of),
                   _closure_reviews(rng, t, as_of)], ignore_index=True)
    r = r.sort_values(["review_date", "unit_id", "subject"], kind="stable").reset_index(drop=True)
    reviewers = np.array(REVIEWERS, dtype=object)[rng.integers(0, len(REVIEWERS), len(r))]
    return table("reviews", {
        "review_id": make_ids("V", len(r)), "unit_id": r["unit_id"], "round_id": r["round_id"],
        "subject": r["subject"], "measure_id": r.get("measure_id"),
        "submitted_date": r["submitted_date"], "review_date": r["review_date"],
        "reviewers": reviewers, "verdict": r["verdict"], "reason": r["reason"]}, len(r))


def _people_of(t: dict[str, pd.DataFrame]) -> tuple[dict[str, list[str]], dict[str, str]]:
    """unit -> its officials (person ids, sorted), unit -> its 一把手 (last post)."""
    po = t["posts"].sort_values(["unit_id", "person_id"])
    staff = po.groupby("unit_id")["person_id"].agg(lambda s: sorted(set(s))).to_dict()
    top = po[po["is_top_leader"].astype(bool)].sort_values(["unit_id", "start"])
    return staff, top.drop_duplicates("unit_id", keep="last").set_index("unit_id")["person_id"] \
        .to_dict()


def build_lead_people(t: dict[str, pd.DataFrame], seed: int) -> pd.DataFrame:
    rng = stream(seed, "outcomes/lead_people")
    le = t["leads"]
    le = le[le["person_id"].notna()]
    staff, _ = _people_of(t)
    lead_ids, person_ids = le["lead_id"].tolist(), le["person_id"].tolist()
    second = (le["outcome"].notna().to_numpy()) & (rng.random(len(le)) < SECOND_PERSON)
    pick = rng.random(len(le))
    for lid, pid, unit, two, u in zip(le["lead_id"], le["person_id"], le["unit_id"], second, pick):
        others = [p for p in staff.get(unit, []) if p != pid]
        if two and others:
            lead_ids.append(lid)
            person_ids.append(others[int(u * len(others))])
    names: list[object] = [None] * len(lead_ids)
    outcomes: list[object] = [None] * len(lead_ids)
    for lid, name, outcome in _outside_people(t["leads"], seed):
        lead_ids.append(lid)
        person_ids.append(None)
        names.append(name)
        outcomes.append(outcome)
    order = np.lexsort((np.arange(len(lead_ids)), np.array(lead_ids, dtype=object)))
    return table("lead_people", {"lead_id": np.array(lead_ids, dtype=object)[order],
                                 "person_id": np.array(person_ids, dtype=object)[order],
                                 "name": np.array(names, dtype=object)[order],
                                 "outcome": np.array(outcomes, dtype=object)[order]},
                 len(lead_ids))


def _outside_people(leads: pd.DataFrame, seed: int) -> list[tuple[str, str, object]]:
    """(lead, name, own outcome) of the 案外人 planted: one on ``OUTSIDE_PERSON``
    of the leads with an outcome that name an official, 移送司法 on ``OUTSIDE_JUDICIAL`` of them (else
    no outcome of their own: the lead's counts).  Drawn from their own
    stream, so the other tables stay as they were."""
    from loaders.generator.naming import person_names

    rng = stream(seed, "outcomes/outside_people")
    le = leads[leads["outcome"].notna() & leads["person_id"].notna()]
    le = le.sort_values("lead_id", kind="stable")
    pick = rng.random(len(le)) < OUTSIDE_PERSON
    genders = np.where(rng.random(len(le)) < 0.8, "男", "女")
    judicial = rng.random(len(le)) < OUTSIDE_JUDICIAL
    names = person_names(rng, genders)
    return [(lid, str(name), "judicial" if j else None)
            for lid, name, j, p in zip(le["lead_id"].tolist(), names.tolist(), judicial, pick)
            if p]


def build_results(t: dict[str, pd.DataFrame], lead_people: pd.DataFrame, seed: int,
                  as_of: np.datetime64) -> pd.DataFrame:
    rng = stream(seed, "outcomes/results")
    ur = _unit_rounds(t, as_of)
    n = len(ur)
    rec = np.where(rng.random(n) < 0.3, np.round(rng.lognormal(10.5, 1.0, n), -2), np.nan)
    loss = np.where(rng.random(n) < 0.2, np.round(rng.lognormal(10.0, 1.0, n), -2), np.nan)
    date = _capped(ur["feedback"].to_numpy() + np.timedelta64(92, "D"), as_of)
    unit_rows = pd.DataFrame({
        "unit_id": ur["unit_id"], "round_id": ur["round_id"], "lead_id": None, "date": date,
        "recovered_amount": rec, "loss_recovered": loss,
        "rules_new": rng.poisson(1.5, n), "rules_revised": rng.poisson(1.0, n),
        "accountable": rng.poisson(0.4, n), "accountability_kind": None, "person_ids": None})
    unit_rows["accountability_kind"] = np.where(
        unit_rows["accountable"] > 0,
        np.array(KINDS[1:], dtype=object)[rng.integers(0, len(KINDS) - 1, n)], NONE)
    le = t["leads"]
    hit = le[le["outcome"].isin(["sanctioned", "judicial"]) & le["closed_date"].notna()]
    on_roster = lead_people[lead_people["person_id"].notna()]   # 案外人 are no Person
    who = on_roster.groupby("lead_id")["person_id"].agg(lambda s: ";".join(sorted(s)))
    lead_rows = pd.DataFrame({
        "unit_id": hit["unit_id"], "round_id": hit["round_id"], "lead_id": hit["lead_id"],
        "date": hit["closed_date"], "recovered_amount": np.nan, "loss_recovered": np.nan,
        "rules_new": None, "rules_revised": None, "accountable": None,
        "accountability_kind": KINDS[0], "person_ids": hit["lead_id"].map(who)})
    r = pd.concat([unit_rows, lead_rows], ignore_index=True)
    return table("results", {"result_id": make_ids("C", len(r)), **{c: r[c] for c in r}}, len(r))


def build_talks(t: dict[str, pd.DataFrame], seed: int, as_of: np.datetime64) -> pd.DataFrame:
    """A 巡前 一对一 talk with the 一把手 of each inspected unit, and on a third of
    them a 巡中 1+N talk with up to three of its officials."""
    rng = stream(seed, "outcomes/talks")
    a = t["assignments"].drop_duplicates(["round_id", "unit_id"])
    start = a["round_id"].map(t["rounds"].set_index("round_id")["start"])
    a = a[start.notna().to_numpy() & (start.to_numpy() <= as_of)]
    start = start[a.index].to_numpy()
    staff, top = _people_of(t)
    rows = []
    for (unit, rnd, day, u, k) in zip(a["unit_id"], a["round_id"], start, rng.random(len(a)),
                                      rng.integers(0, len(TRIGGERS), len(a))):
        leader = top.get(unit)
        if leader is not None:
            rows.append((unit, rnd, "before", "一对一", leader, day - 3 * DAY, TRIGGERS[0]))
        people = [p for p in staff.get(unit, []) if p != leader][:3]
        if u < 1 / 3 and people:
            rows.append((unit, rnd, "during", "1+N", ";".join(people), day + 10 * DAY,
                         TRIGGERS[1 + int(k) % (len(TRIGGERS) - 1)]))
    f = pd.DataFrame(rows, columns=["unit_id", "round_id", "stage", "form", "person_ids", "date",
                                    "trigger"])
    return table("talks", {"talk_id": make_ids("K", len(f)), **{c: f[c] for c in f}}, len(f))


def build_visits(t: dict[str, pd.DataFrame], seed: int, as_of: np.datetime64) -> pd.DataFrame:
    """回访 of a tenth of the units with closed measures: up to three of them
    checked, found 整改到位 or (one in five) 整改不到位."""
    rng = stream(seed, "outcomes/visits")
    m = t["measures"]
    m = m[m["status"] == "closed"]
    unit = m["problem_id"].map(t["problems"].set_index("problem_id")["unit_id"])
    groups = m.groupby(unit.to_numpy(), sort=True)
    rows = []
    for (u, g), x, y in zip(groups, rng.random(groups.ngroups), rng.random(groups.ngroups)):
        if x >= 0.1:
            continue
        checked = g.sort_values("measure_id")["measure_id"].tolist()[:3]
        day = min(g["completed_date"].max().to_datetime64() + np.timedelta64(60, "D"), as_of)
        ok = y >= 0.2
        rows.append((u, day, "体验式回访" if y < 0.5 else "回访", ";".join(checked),
                     "整改到位" if ok else "整改不到位", None if ok else "群众反映问题仍然存在"))
    f = pd.DataFrame(rows, columns=["unit_id", "date", "kind", "measure_ids", "verdict",
                                    "findings"])
    return table("visits", {"visit_id": make_ids("W", len(f)), **{c: f[c] for c in f}}, len(f))


def build_supervision_info(t: dict[str, pd.DataFrame], seed: int) -> pd.DataFrame:
    """巡前征集: one item from a discipline department about a fifth of the
    units inspected, dated a month before the round."""
    rng = stream(seed, "outcomes/supervision")
    d = t["departments"]
    source = d.loc[d["kind"] == "discipline", "dept_id"].sort_values().tolist()
    a = t["assignments"].drop_duplicates(["round_id", "unit_id"])
    a = a[rng.random(len(a)) < 0.2]
    start = a["round_id"].map(t["rounds"].set_index("round_id")["start"]).to_numpy()
    _, top = _people_of(t)
    n = len(a)
    return table("supervision_info", {
        "info_id": make_ids("S", n),
        "from_dept_id": np.array([source[i % len(source)] for i in range(n)], dtype=object)
        if source else None,
        "unit_id": a["unit_id"].to_numpy(), "person_id": a["unit_id"].map(top).to_numpy(),
        "date": start - np.timedelta64(30, "D"),
        "text": np.full(n, "日常监督中发现该单位落实主体责任不到位,信访举报反映较集中", dtype=object)},
        n)


def build_self_checks(t: dict[str, pd.DataFrame], seed: int, as_of: np.datetime64) -> pd.DataFrame:
    """未巡先改: a tenth of the units never inspected report a self-check."""
    rng = stream(seed, "outcomes/self_checks")
    inspected = set(t["assignments"]["unit_id"])
    units = t["units"].loc[~t["units"]["unit_id"].isin(inspected), "unit_id"].sort_values()
    units = units[rng.random(len(units)) < 0.1].to_numpy()
    n = len(units)
    cats = t["problems"]["category"].dropna().sort_values().unique()
    return table("self_checks", {
        "check_id": make_ids("Z", n), "unit_id": units,
        "category": cats[rng.integers(0, len(cats), n)] if len(cats) else None,
        "date": np.full(n, as_of - np.timedelta64(45, "D")).astype("datetime64[ns]"),
        "problems_found": rng.integers(0, 6, n)}, n)


def build_outcomes(t: dict[str, pd.DataFrame], seed: int,
                   as_of: np.datetime64) -> dict[str, pd.DataFrame]:
    """The outcome tables for the canonical tables ``t``."""
    lead_people = build_lead_people(t, seed)
    out = {"reviews": build_reviews(t, seed, as_of),
           "results": build_results(t, lead_people, seed, as_of), "lead_people": lead_people,
           "talks": build_talks(t, seed, as_of), "visits": build_visits(t, seed, as_of),
           "supervision_info": build_supervision_info(t, seed),
           "self_checks": build_self_checks(t, seed, as_of)}
    assert set(out) == set(OUTCOME_TABLES)
    return out


def _case_truth(t: dict[str, pd.DataFrame], as_of: np.datetime64) -> dict[str, int]:
    """立案 件 and 人 as planted: leads transferred by ``as_of`` with an outcome
    or 立案审查; their people are their lead_people (a person id, else the
    案外人's name), else the lead's person."""
    le = t["leads"]
    le = le[~(le["transfer_date"].to_numpy() > as_of)]
    cases = set(le.loc[le["outcome"].notna() | (le["disposition"] == "investigate"), "lead_id"])
    lp = t["lead_people"]
    people = {(lead, pid if isinstance(pid, str) else "name:" + str(name))
              for lead, pid, name in zip(lp["lead_id"], lp["person_id"], lp["name"])
              if lead in cases}
    listed = {lead for lead, _ in people}
    people |= {(lead, pid) for lead, pid in zip(le["lead_id"], le["person_id"])
               if lead in cases and lead not in listed and isinstance(pid, str)}
    outside = lp[lp["person_id"].isna()]
    return {"cases": len(cases), "case_people": len(people),
            "outside_people": int(len(outside)),
            "outside_case_people": int(outside["lead_id"].isin(cases).sum())}


def outcome_truth(t: dict[str, pd.DataFrame], as_of: np.datetime64) -> dict[str, object]:
    """What was planted, counted straight from the tables: send-backs per
    subject, measures closed by review, the 成果 sums, leads naming two people,
    立案 件/人 and the 案外人 (people not on the roster) among them."""
    r = t["reviews"]
    back = r[r["verdict"] != "pass"].groupby("subject").size()
    res = t["results"]
    people = res["person_ids"].map(lambda v: len(v.split(";")) if isinstance(v, str) else 0)
    per_lead = t["lead_people"].groupby("lead_id").size()
    return {
        "plans_sent_back": int(back.get("plan", 0)), "reports_sent_back": int(back.get("report", 0)),
        "closures_sent_back": int(back.get("closure", 0)),
        "measures_closed": int(((r["subject"] == "closure") & (r["verdict"] == "pass")).sum()),
        "recovered_amount": round(float(res["recovered_amount"].sum()), 2),
        "loss_recovered": round(float(res["loss_recovered"].sum()), 2),
        "rules": int(res["rules_new"].fillna(0).sum() + res["rules_revised"].fillna(0).sum()),
        "accountable": int(res["accountable"].fillna(0).sum() + people[res["accountable"].isna()]
                           .sum()),
        "leads_with_two_people": int((per_lead > 1).sum()),
        "talks": int(len(t["talks"])), "visits": int(len(t["visits"])),
        **_case_truth(t, as_of)}
