"""Rectification tracking (整改 / 销号): completion rate, overdue and reopened
(回炉) measures, as the ledgers stood on ``as_of``.

* A measure is completed when its status is 已完成/已销号 (done) — and, when
  ``ongoing_done`` (default ``[limits] ongoing_counts_as_done``), 长期坚持/持续
  整改 (ongoing).  基本完成 (partly) is not completed.  A done measure whose
  ``completed_date`` is after ``as_of`` was not yet completed then.
* A measure's due date is its ``due_date``, else its problem's feedback date
  (the round's end; the problem's ``found_date`` when the round has none) +
  ``[limits] rectification_report_months``.  Overdue = not completed and the
  due date before ``as_of``.
* A problem is rectified when it has measures and all are completed.  A
  problem with no measure is rectified only if it was marked 立行立改
  (``immediate``): fixed on the spot, so the ledger holds no measure for it;
  any other problem without a measure has no record of being fixed, so it
  counts as not rectified (``no_measures`` says how many).
* The completion rate (整改完成率) = rectified problems / problems.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from linkgraph.analysis.ledger import (Limits, Tables, add_months, add_workdays, days_between,
                                       label, names, timestamp)
from linkgraph.rules import Rules
from linkgraph.vocab import LABELS_ZH

UNSPECIFIED = "（未填写）"
GROUPINGS = ("unit", "round", "category", "department")
COUNTS = ("problems", "rectified", "rate", "measures", "measures_done", "overdue_measures",
          "reopened", "no_measures")
MEASURE_COLUMNS = ("measure_id", "problem_id", "unit_id", "unit_name", "round_id", "category",
                   "description", "owner_person_id", "owner_name", "owner_dept_id",
                   "owner_dept_name", "status", "due_date", "due_source", "completed_date",
                   "completed", "overdue", "overdue_days", "reopened")


def _problems(tables: Tables, as_of: pd.Timestamp) -> pd.DataFrame:
    p = tables["problems"]
    p = p[~(p["found_date"] > as_of)]
    rounds = tables["rounds"].set_index("round_id")
    feedback = p["round_id"].map(rounds["end"]).astype("datetime64[ns]")
    return p.assign(feedback=feedback.fillna(p["found_date"]))


def measure_status(tables: Tables, rules: Rules, as_of: dt.date | str,
                   ongoing_done: bool | None = None) -> pd.DataFrame:
    """One row per measure of a problem found by ``as_of`` (MEASURE_COLUMNS)."""
    as_of = timestamp(as_of)
    limits = Limits.from_rules(rules)
    if ongoing_done is None:
        ongoing_done = limits.ongoing_counts_as_done
    problems = _problems(tables, as_of).set_index("problem_id")
    m = tables["measures"]
    m = m[m["problem_id"].isin(problems.index)]
    default_due = add_months(m["problem_id"].map(problems["feedback"]),
                             limits.rectification_report_months)
    has_due = m["due_date"].notna()
    due = m["due_date"].where(has_due, default_due)
    done_by_then = (m["status"] == "done") & ~(m["completed_date"] > as_of)
    completed = done_by_then | ((m["status"] == "ongoing") & ongoing_done)
    overdue = ~completed & (as_of > due)
    out = pd.DataFrame({"measure_id": m["measure_id"], "problem_id": m["problem_id"]})
    out["unit_id"] = m["problem_id"].map(problems["unit_id"])
    out["unit_name"] = label(out["unit_id"], names(tables, "units"))
    out["round_id"] = m["problem_id"].map(problems["round_id"])
    out["category"] = m["problem_id"].map(problems["category"])
    out["description"] = m["description"]
    out["owner_person_id"] = m["owner_person_id"]
    out["owner_name"] = label(m["owner_person_id"], names(tables, "people"))
    out["owner_dept_id"] = m["owner_dept_id"]
    out["owner_dept_name"] = label(m["owner_dept_id"], names(tables, "departments"))
    out["status"] = m["status"].map(LABELS_ZH["status"]).astype(object) \
                               .where(m["status"].notna(), None)
    out["due_date"] = due
    out["due_source"] = np.where(has_due, "台账", np.where(
        default_due.notna(), f"默认（反馈后{limits.rectification_report_months}个月）", None))
    out["completed_date"] = m["completed_date"].where(~(m["completed_date"] > as_of))
    out["completed"] = completed
    out["overdue"] = overdue
    out["overdue_days"] = days_between(due, pd.Series(as_of, index=m.index)).where(overdue)
    out["reopened"] = m["reopened"]
    return out.sort_values("measure_id", kind="stable").reset_index(drop=True)


def problem_status(tables: Tables, measures: pd.DataFrame, as_of: dt.date | str) -> pd.DataFrame:
    """One row per problem found by ``as_of``: its measures and whether it is
    rectified (see the module docstring for a problem with no measure)."""
    p = _problems(tables, timestamp(as_of))
    g = measures.groupby("problem_id")
    counts = pd.DataFrame({"measures": g.size(), "measures_done": g["completed"].sum(),
                           "overdue_measures": g["overdue"].sum(),
                           "reopened": g["reopened"].sum()})
    out = p[["problem_id", "unit_id", "round_id", "category", "immediate", "feedback"]] \
        .join(counts, on="problem_id")
    for c in ("measures", "measures_done", "overdue_measures", "reopened"):
        out[c] = out[c].fillna(0).astype("int64")
    out["no_measures"] = out["measures"] == 0
    out["rectified"] = np.where(out["no_measures"], out["immediate"],
                                out["measures_done"] == out["measures"])
    return out.reset_index(drop=True)


def _tally(problems: pd.DataFrame, measures: pd.DataFrame, key: str) -> pd.DataFrame:
    gp = problems.groupby(key, dropna=False)
    gm = measures.groupby(key, dropna=False)
    out = pd.DataFrame({"problems": gp.size(), "rectified": gp["rectified"].sum(),
                        "no_measures": gp["no_measures"].sum()})
    mcounts = pd.DataFrame({"measures": gm.size(), "measures_done": gm["completed"].sum(),
                            "overdue_measures": gm["overdue"].sum(),
                            "reopened": gm["reopened"].sum()})
    out = out.join(mcounts, how="outer").fillna(0).astype("int64")
    out["rate"] = _rate(out["rectified"], out["problems"])
    return out[list(COUNTS)]


def _rate(rectified: pd.Series | int, problems: pd.Series | int):
    if isinstance(problems, pd.Series):
        return (rectified / problems.where(problems > 0)).round(4)
    return round(rectified / problems, 4) if problems else None


def _keyed(tables: Tables, problems: pd.DataFrame, measures: pd.DataFrame,
           by: str) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """The problem and measure frames with the grouping column ``key``."""
    if by == "department":
        pairs = measures[["problem_id", "owner_dept_id"]].drop_duplicates()
        return (pairs.merge(problems, on="problem_id"), measures, "owner_dept_id")
    key = {"unit": "unit_id", "round": "round_id", "category": "category"}[by]
    return problems, measures, key


def _describe(tables: Tables, out: pd.DataFrame, by: str, limits: Limits) -> pd.DataFrame:
    if by == "unit":
        units = tables["units"].set_index("unit_id")
        for col in ("name", "region_id", "sector"):
            out.insert(1 + ("name", "region_id", "sector").index(col),
                       "unit_name" if col == "name" else col, out["unit_id"].map(units[col]))
    elif by == "round":
        rounds = tables["rounds"].set_index("round_id")
        out.insert(1, "round_name", out["round_id"].map(rounds["name"]))
        out.insert(2, "kind", out["round_id"].map(rounds["kind"]).map(LABELS_ZH["round_kind"]))
        end = out["round_id"].map(rounds["end"]).astype("datetime64[ns]")
        out.insert(3, "feedback", end)
        out.insert(4, "plan_due", add_workdays(end, limits.rectification_plan_workdays))
        out.insert(5, "report_due", add_months(end, limits.rectification_report_months))
    elif by == "department":
        out = out.rename(columns={"owner_dept_id": "dept_id"})
        out.insert(1, "dept_name", label(out["dept_id"], names(tables, "departments")))
    return out


def completion(tables: Tables, rules: Rules, as_of: dt.date | str, by: str = "round",
               ongoing_done: bool | None = None) -> pd.DataFrame:
    """The completion table grouped ``by`` unit | round | category |
    department (the measure's owner department; a problem counts under every
    department that owns one of its measures), with a totals row ("合计")."""
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {GROUPINGS}")
    measures = measure_status(tables, rules, as_of, ongoing_done)
    problems = problem_status(tables, measures, as_of)
    measures = measures.merge(problems[["problem_id"]], on="problem_id")
    kp, km, key = _keyed(tables, problems, measures, by)
    out = _tally(kp, km, key).reset_index().rename(columns={"index": key})
    out = out.sort_values(key, na_position="last", kind="stable").reset_index(drop=True)
    out = _describe(tables, out, by, Limits.from_rules(rules))
    out.iloc[:, 0] = out.iloc[:, 0].astype(object).where(out.iloc[:, 0].notna(), UNSPECIFIED)
    first = out.columns[0]
    total = {first: "合计", "problems": len(problems), "rectified": int(problems["rectified"].sum()),
             "rate": _rate(int(problems["rectified"].sum()), len(problems)),
             "measures": len(measures), "measures_done": int(measures["completed"].sum()),
             "overdue_measures": int(measures["overdue"].sum()),
             "reopened": int(measures["reopened"].sum()),
             "no_measures": int(problems["no_measures"].sum())}
    out = pd.concat([out, pd.DataFrame([total])], ignore_index=True)
    for c in COUNTS:
        if c != "rate":
            out[c] = out[c].astype("int64")
    return out


def overdue_measures(measures: pd.DataFrame) -> pd.DataFrame:
    """Overdue measures with their owners, most overdue first."""
    f = measures[measures["overdue"]]
    return f.sort_values(["overdue_days", "measure_id"], ascending=[False, True]) \
            .reset_index(drop=True)


def reopened_measures(measures: pd.DataFrame) -> pd.DataFrame:
    """Reopened (回炉整改) measures with their owners."""
    return measures[measures["reopened"]].reset_index(drop=True)
