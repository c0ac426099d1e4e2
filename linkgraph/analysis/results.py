"""The 成果 figures of a round or a term, as offices publish them.

A round summary reads: "发现问题680个 … 整改措施3156项 … 整改完成471个，整改完成率
69.26% … 新建、修订制度机制645项，追缴（退回）资金1570.83万元，挽回损失390.52万元，
追责问责250人 … 完成集中整改销号问题521项 … 移交的127件问题线索已办结76件，立案57件68人，
移送司法2人".  Every figure here is counted from the ledgers:

* problems, 立行立改 (``immediate``) and 重点关注 (``key_concern``) problems, measures;
* 整改完成 within the concentrated period: a problem whose measures were all
  completed by its feedback date (the round's end) + ``[limits]
  rectification_report_months``; and 整改完成 as of ``as_of``.  Completed as in
  ``rectification`` (已完成 / 已销号; 长期坚持 by ``ongoing_counts_as_done``); a
  measure marked completed without a date counts as completed in the period.
  A problem with no measure is completed only when 立行立改.  The rate is
  completed problems / problems — the convention is stated with it;
* 销号: problems closed after review (``reviews.closure``);
* 制度 (new + revised), 追缴（退回）资金, 挽回损失 and 追责问责 from ``results``
  (persons: the ``accountable`` count of a row, else its ``person_ids``);
* leads 件/人: transferred leads; 办结 (closed by ``as_of``); 立案 = outcome 立案,
  处分 or 移送司法, or disposition 立案审查; 处分 = outcome 处分 or 移送司法;
  移送司法.  The people of a lead are its ``lead_people`` rows (distinct
  person, else name), else its ``person_id``; a person's own outcome, when
  given, decides which of 立案 / 处分 / 移送司法 the person counts in.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from linkgraph.analysis.ledger import add_months, lookup, timestamp
from linkgraph.analysis.rectification import DONE_STATUSES
from linkgraph.analysis.reviews import Closure, closure
from linkgraph.errors import LinkgraphError
from linkgraph.rules import Rules
from linkgraph.schema import Tables

GROUPINGS = ("round", "unit", "team", "kind")
#: The column a group key is shown under.
GROUP_COLUMN = {"round": "round_id", "unit": "unit_id", "team": "team_id", "kind": "kind"}
CASE_OUTCOMES = ("case_filed", "sanctioned", "judicial")
SANCTION_OUTCOMES = ("sanctioned", "judicial")

FIGURES = (
    "problems", "immediate", "key_concern", "measures", "rectified_in_period",
    "rate_in_period", "rectified", "rate", "problems_closed", "rules_new", "rules_revised", "rules",
    "recovered_amount", "loss_recovered", "accountable", "leads", "leads_closed", "cases",
    "case_people", "sanctioned_people", "judicial_people")


@dataclass(frozen=True)
class Scope:
    """Which rounds count: one round, one term (届次), or all."""

    round_id: str | None = None
    term: str | None = None

    def rounds(self, tables: Tables) -> set[str] | None:
        r = tables["rounds"]
        if self.round_id is not None:
            if self.round_id not in set(r["round_id"]):
                raise LinkgraphError(f"没有轮次 {self.round_id} / no round {self.round_id}")
            return {self.round_id}
        if self.term is not None:
            chosen = set(r.loc[r["term"] == self.term, "round_id"])
            if not chosen:
                terms = "、".join(sorted(set(r["term"].dropna()))) or "（无）"
                raise LinkgraphError(f"没有届次为“{self.term}”的轮次（数据中的届次：{terms}）"
                                     f" / no round of term {self.term!r}")
            return chosen
        return None


def _in_scope(frame: pd.DataFrame, rounds: set[str] | None) -> pd.DataFrame:
    return frame if rounds is None else frame[frame["round_id"].isin(rounds)]


def problem_flags(tables: Tables, rules: Rules, as_of: pd.Timestamp,
                  ongoing_done: bool, closed: Closure | None = None) -> pd.DataFrame:
    """One row per problem found by ``as_of``: measures, completed in the
    concentrated period, completed by ``as_of``, closed (销号: ``closed``, the
    caller's ``reviews.closure`` as of ``as_of``, computed when not given)."""
    p = tables["problems"]
    found = ~(p["found_date"] > as_of)
    end = lookup(p["round_id"], tables["rounds"].set_index("round_id")["end"])
    feedback = end.astype("datetime64[ns]").fillna(p["found_date"])
    period_end = add_months(feedback, rules.limits.rectification_report_months)
    m = tables["measures"]
    done = m["status"].isin(DONE_STATUSES) | ((m["status"] == "ongoing") & ongoing_done)
    done_now = done & ~(m["completed_date"] > as_of)
    m_end = lookup(m["problem_id"], pd.Series(period_end.to_numpy(), index=p["problem_id"]))
    done_period = done_now & ~(m["completed_date"] > m_end.astype("datetime64[ns]"))
    per = pd.DataFrame({"problem_id": m["problem_id"], "n": 1, "now": done_now,
                        "period": done_period}).groupby("problem_id").sum()
    n = lookup(p["problem_id"], per["n"]).fillna(0).astype(int)

    def all_done(col: str) -> pd.Series:
        k = lookup(p["problem_id"], per[col]).fillna(0).astype(int)
        return np.where(n == 0, p["immediate"], k == n).astype(bool)
    problem_closed = (closed or closure(tables, as_of)).problem_closed
    out = pd.DataFrame({
        "problem_id": p["problem_id"], "unit_id": p["unit_id"], "round_id": p["round_id"],
        "immediate": p["immediate"].astype(bool), "key_concern": p["key_concern"].astype(bool),
        "measures": n, "rectified_in_period": all_done("period"),
        "rectified": all_done("now"), "problems_closed": problem_closed})
    return out[found].reset_index(drop=True)


def lead_flags(tables: Tables, as_of: pd.Timestamp) -> pd.DataFrame:
    """One row per lead transferred by ``as_of``: 办结, 立案 and the people
    counted in 立案 / 处分 / 移送司法 (module docstring)."""
    le = tables["leads"]
    le = le[~(le["transfer_date"] > as_of)]
    case = le["outcome"].isin(CASE_OUTCOMES) | (le["disposition"] == "investigate")
    lp = tables["lead_people"]
    lp = lp[lp["lead_id"].isin(set(le["lead_id"]))]
    who = lp["person_id"].where(lp["person_id"].notna(), "name:" + lp["name"].fillna(""))
    people = pd.DataFrame({"lead_id": lp["lead_id"], "who": who, "outcome": lp["outcome"]})
    listed = set(people["lead_id"])
    single = le[~le["lead_id"].isin(listed) & le["person_id"].notna()]
    people = pd.concat([people, pd.DataFrame({"lead_id": single["lead_id"],
                                              "who": single["person_id"], "outcome": None})])
    people = people.drop_duplicates(["lead_id", "who"])
    lead_outcome = lookup(people["lead_id"], le.set_index("lead_id")["outcome"])
    lead_case = lookup(people["lead_id"], pd.Series(case.to_numpy(), index=le["lead_id"]))
    own = people["outcome"].notna()
    outcome = people["outcome"].where(own, lead_outcome)
    people = people.assign(
        case=np.where(own, people["outcome"].isin(CASE_OUTCOMES), lead_case.astype(bool)),
        sanctioned=outcome.isin(SANCTION_OUTCOMES), judicial=outcome.eq("judicial"))
    per = people.groupby("lead_id")[["case", "sanctioned", "judicial"]].sum()
    out = pd.DataFrame({"lead_id": le["lead_id"], "unit_id": le["unit_id"],
                        "round_id": le["round_id"],
                        "closed": (le["closed_date"] <= as_of).fillna(False).astype(bool),
                        "case": case.astype(bool)})
    for col in ("case", "sanctioned", "judicial"):
        out[f"{col}_people"] = lookup(out["lead_id"], per[col]).fillna(0).astype(int)
    return out.reset_index(drop=True)


def result_rows(tables: Tables, as_of: pd.Timestamp) -> pd.DataFrame:
    """The ``results`` rows dated by ``as_of`` (or undated), with the unit
    and round of their lead where the row names none."""
    r = tables["results"]
    r = r[~(r["date"] > as_of)]
    leads = tables["leads"].set_index("lead_id")
    people = r["person_ids"].map(len)
    return pd.DataFrame({
        "unit_id": r["unit_id"].fillna(lookup(r["lead_id"], leads["unit_id"])),
        "round_id": r["round_id"].fillna(lookup(r["lead_id"], leads["round_id"])),
        "rules_new": r["rules_new"].fillna(0).astype(int),
        "rules_revised": r["rules_revised"].fillna(0).astype(int),
        "recovered_amount": r["recovered_amount"].fillna(0.0),
        "loss_recovered": r["loss_recovered"].fillna(0.0),
        "accountable": r["accountable"].astype("Int64").fillna(people).astype(int),
    }).reset_index(drop=True)


def _group_key(tables: Tables, frame: pd.DataFrame, by: str | None) -> pd.Series:
    """The group each row (with unit_id and round_id) falls in."""
    if by is None:
        return pd.Series("", index=frame.index, dtype=object)
    if by == "round":
        return frame["round_id"]
    if by == "unit":
        return frame["unit_id"]
    if by == "kind":
        return lookup(frame["round_id"], tables["rounds"].set_index("round_id")["kind"])
    a = tables["assignments"]
    team = pd.Series(a["team_id"].to_numpy(), index=a["round_id"] + "\x1f" + a["unit_id"])
    return lookup(frame["round_id"] + "\x1f" + frame["unit_id"], team)


def _rate(n: int, d: int) -> float | None:
    return round(n / d, 4) if d else None


def _sum_figures(p: pd.DataFrame, le: pd.DataFrame, r: pd.DataFrame) -> dict[str, Any]:
    rules_new, rules_revised = int(r["rules_new"].sum()), int(r["rules_revised"].sum())
    n = len(p)
    return {
        "problems": n, "immediate": int(p["immediate"].sum()),
        "key_concern": int(p["key_concern"].sum()), "measures": int(p["measures"].sum()),
        "rectified_in_period": int(p["rectified_in_period"].sum()),
        "rate_in_period": _rate(int(p["rectified_in_period"].sum()), n),
        "rectified": int(p["rectified"].sum()), "rate": _rate(int(p["rectified"].sum()), n),
        "problems_closed": int(p["problems_closed"].sum()), "rules_new": rules_new,
        "rules_revised": rules_revised, "rules": rules_new + rules_revised,
        "recovered_amount": round(float(r["recovered_amount"].sum()), 2),
        "loss_recovered": round(float(r["loss_recovered"].sum()), 2),
        "accountable": int(r["accountable"].sum()), "leads": len(le),
        "leads_closed": int(le["closed"].sum()), "cases": int(le["case"].sum()),
        "case_people": int(le["case_people"].sum()),
        "sanctioned_people": int(le["sanctioned_people"].sum()),
        "judicial_people": int(le["judicial_people"].sum())}


def _grouped(tables: Tables, p: pd.DataFrame, le: pd.DataFrame, r: pd.DataFrame,
             by: str) -> pd.DataFrame:
    """``_sum_figures`` per group, by one group-by of each frame."""
    def sums(frame: pd.DataFrame, cols: dict[str, str]) -> pd.DataFrame:
        key = _group_key(tables, frame, by)
        f = frame.assign(_n=1)[["_n", *cols]].rename(columns=cols)
        return f.groupby(key.to_numpy(), dropna=True).sum()
    parts = [
        sums(p, {"immediate": "immediate", "key_concern": "key_concern", "measures": "measures",
                 "rectified_in_period": "rectified_in_period", "rectified": "rectified",
                 "problems_closed": "problems_closed"}).rename(columns={"_n": "problems"}),
        sums(le, {"closed": "leads_closed", "case": "cases", "case_people": "case_people",
                  "sanctioned_people": "sanctioned_people",
                  "judicial_people": "judicial_people"}).rename(columns={"_n": "leads"}),
        sums(r, {"rules_new": "rules_new", "rules_revised": "rules_revised",
                 "recovered_amount": "recovered_amount", "loss_recovered": "loss_recovered",
                 "accountable": "accountable"}).drop(columns="_n")]
    g = pd.concat(parts, axis=1).sort_index()
    for col in FIGURES:
        if col not in g:
            g[col] = 0
    g = g.fillna(0)
    ints = [c for c in FIGURES if c not in ("rate_in_period", "rate", "recovered_amount",
                                             "loss_recovered")]
    g[ints] = g[ints].astype("int64")
    g["rules"] = g["rules_new"] + g["rules_revised"]
    for col in ("recovered_amount", "loss_recovered"):
        g[col] = g[col].astype(float).round(2)
    g["rate_in_period"] = (g["rectified_in_period"] / g["problems"].where(g["problems"] > 0)) \
        .round(4)
    g["rate"] = (g["rectified"] / g["problems"].where(g["problems"] > 0)).round(4)
    g = g.astype(object).where(g.notna(), None)
    return g[list(FIGURES)].rename_axis("key").reset_index()


@dataclass(frozen=True)
class Results:
    """The figures of a scope (``total``) and per group (``groups``)."""

    total: dict[str, Any]
    groups: pd.DataFrame  # one row per group key, FIGURES columns
    by: str | None
    scope: Scope
    as_of: pd.Timestamp
    ongoing_done: bool
    period_months: int
    closed_by_review: bool


def results(tables: Tables, rules: Rules, as_of: dt.date | str, scope: Scope = Scope(),
            by: str | None = None, ongoing_done: bool | None = None) -> Results:
    """The 成果 figures of ``scope`` as of ``as_of``, also per ``by`` group."""
    if by is not None and by not in GROUPINGS:
        raise ValueError(f"by must be one of {GROUPINGS}")
    as_of = timestamp(as_of)
    if ongoing_done is None:
        ongoing_done = rules.limits.ongoing_counts_as_done
    rounds = scope.rounds(tables)
    closed = closure(tables, as_of)   # once: the problems' 销号 and whether reviews say it
    p = _in_scope(problem_flags(tables, rules, as_of, ongoing_done, closed), rounds)
    le = _in_scope(lead_flags(tables, as_of), rounds)
    r = _in_scope(result_rows(tables, as_of), rounds)
    groups = pd.DataFrame(columns=["key", *FIGURES])
    if by is not None:
        groups = _grouped(tables, p, le, r, by).rename(columns={"key": GROUP_COLUMN[by]})
    return Results(_sum_figures(p, le, r), groups, by, scope, as_of, ongoing_done,
                   rules.limits.rectification_report_months,
                   closed.by_review)
