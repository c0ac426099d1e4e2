"""Rectification tracking (整改 / 销号): completion rate, overdue and reopened
(回炉) measures, as the ledgers stood on ``as_of``.

* A measure is completed when its status is 已完成 (done) or 已销号 (closed) — and, when
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
* 完成 and 销号 are separate stages: a measure or problem is closed (销号) only
  as ``linkgraph.analysis.reviews.closure`` decides (a passed closing review;
  the ledger status 已销号 only when the dataset holds no review at all), and
  ``measures_closed`` / ``problems_closed`` count them beside the completed.
* Categories are the harmonised ones (``linkgraph.categories``); grouped by
  category, each row also lists the labels as teams wrote them
  (``category_written``).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from linkgraph.categories import harmonise_tables, written_labels
from linkgraph.analysis.ledger import (Limits, add_months, add_workdays, days_between,
                                       codes, label, lookup, names, positions, take,
                                       timestamp)
from linkgraph.analysis.reviews import closure
from linkgraph.rules import Rules
from linkgraph.schema import Tables
from linkgraph.vocab import LABELS_ZH

UNSPECIFIED = "（未填写）"
#: Statuses of a completed measure: 已完成 (done) and 已销号 (closed, which a
#: review passed — see ``linkgraph.analysis.reviews``).
DONE_STATUSES = ("done", "closed")
GROUPINGS = ("unit", "round", "category", "department")
COUNTS = ("problems", "rectified", "problems_closed", "rate", "measures", "measures_done",
          "measures_closed", "overdue_measures", "reopened", "no_measures")
MEASURE_COLUMNS = ("measure_id", "problem_id", "unit_id", "unit_name", "round_id", "category",
                   "description", "owner_person_id", "owner_name", "owner_dept_id",
                   "owner_dept_name", "status", "due_date", "due_source", "completed_date",
                   "completed", "overdue", "overdue_days", "reopened")


def _problems(tables: Tables, as_of: pd.Timestamp) -> pd.DataFrame:
    p = tables["problems"]
    p = p[~(p["found_date"] > as_of)]
    rounds = tables["rounds"].set_index("round_id")
    feedback = lookup(p["round_id"], rounds["end"]).astype("datetime64[ns]")
    return p.assign(feedback=feedback.fillna(p["found_date"]))


@dataclass(frozen=True)
class Rectification:
    """The rectification ledger as of a date, ready to count."""

    problems: pd.DataFrame  # one row per problem found by as_of, with counts
    measures: pd.DataFrame  # one row per measure of those problems (canonical status)
    problem_row: np.ndarray  # each measure's row in ``problems``


def rectification_state(tables: Tables, rules: Rules, as_of: dt.date | str,
                        ongoing_done: bool | None = None, *,
                        categories: bool = True, closing: bool = True) -> Rectification:
    """Every measure judged (completed, due, overdue) and every problem
    counted (rectified or not) as of ``as_of``; one join of measures to
    problems, shared by every figure.  ``categories=False`` leaves the
    problems' categories as written (no harmonisation: a caller that never
    shows or groups a category, such as the warnings, saves that pass);
    ``closing=False`` leaves out the 销号 stage (``review_closed``,
    ``measures_closed``, ``problems_closed``) for a caller that never shows it."""
    as_of = timestamp(as_of)
    if categories:
        tables = harmonise_tables(tables)
    limits = rules.limits
    if ongoing_done is None:
        ongoing_done = limits.ongoing_counts_as_done
    problems = _problems(tables, as_of)
    closed = closure(tables, as_of) if closing else None
    m = tables["measures"]
    pos = positions(problems["problem_id"], m["problem_id"])
    keep = pos >= 0
    m, pos = m[keep], pos[keep]
    default_due = add_months(take(problems["feedback"], pos, m.index),
                             limits.rectification_report_months)
    has_due = m["due_date"].notna()
    due = m["due_date"].where(has_due, default_due)
    done_by_then = m["status"].isin(DONE_STATUSES) & ~(m["completed_date"] > as_of)
    completed = done_by_then | ((m["status"] == "ongoing") & ongoing_done)
    overdue = ~completed & (as_of > due)
    source = pd.Categorical.from_codes(
        np.where(has_due, 0, np.where(default_due.notna(), 1, -1)),
        ["台账", f"默认（反馈后{limits.rectification_report_months}个月）"])
    out = pd.DataFrame({
        "measure_id": m["measure_id"], "problem_id": m["problem_id"],
        "description": m["description"], "owner_person_id": m["owner_person_id"],
        "owner_dept_id": m["owner_dept_id"], "status": m["status"], "due_date": due,
        "due_source": source,
        "completed_date": m["completed_date"].where(~(m["completed_date"] > as_of)),
        "completed": completed, "overdue": overdue,
        "overdue_days": days_between(due, pd.Series(as_of, index=m.index)).where(overdue),
        "reopened": m["reopened"]}).reset_index(drop=True)
    if closed is None:
        return Rectification(_problem_counts(problems, out, pos, None), out, pos)
    out.insert(out.columns.get_loc("completed") + 1, "review_closed",
               closed.measure_closed.to_numpy()[keep])
    problem_closed = closed.problem_closed.to_numpy()[~(tables["problems"]["found_date"] > as_of)]
    return Rectification(_problem_counts(problems, out, pos, problem_closed), out, pos)


def _located(tables: Tables, measures: pd.DataFrame, problems: pd.DataFrame | None = None,
             pos: np.ndarray | None = None) -> pd.DataFrame:
    """``measures`` with their problem's unit, round and category."""
    if problems is None or pos is None:
        problems = harmonise_tables(tables)["problems"]
        pos = positions(problems["problem_id"], measures["problem_id"])
    out = measures.copy()
    for i, col in enumerate(("unit_id", "round_id", "category")):
        out.insert(2 + i, col, take(problems[col], pos, measures.index))
    return out


def measure_status(tables: Tables, rules: Rules, as_of: dt.date | str,
                   ongoing_done: bool | None = None) -> pd.DataFrame:
    """One row per measure of a problem found by ``as_of``, in ledger order,
    with its problem's unit, round and category (``with_names`` adds names)."""
    state = rectification_state(tables, rules, as_of, ongoing_done)
    return _located(tables, state.measures, problems=state.problems, pos=state.problem_row)


def problem_status(tables: Tables, measures: pd.DataFrame, as_of: dt.date | str) -> pd.DataFrame:
    """One row per problem found by ``as_of``: its measures and whether it is
    rectified (see the module docstring for a problem with no measure)."""
    as_of = timestamp(as_of)
    tables = harmonise_tables(tables)
    p = _problems(tables, as_of)
    closed = closure(tables, as_of).problem_closed.to_numpy()[~(tables["problems"]["found_date"]
                                                                > as_of)]
    return _problem_counts(p, measures, positions(p["problem_id"], measures["problem_id"]),
                           closed)


def _problem_counts(p: pd.DataFrame, measures: pd.DataFrame, pos: np.ndarray,
                    problem_closed: np.ndarray | None) -> pd.DataFrame:
    """``p`` with its measures counted; ``problem_closed`` (销号, in ``p``'s
    order) from ``reviews.closure``, None to leave the 销号 stage out."""
    out = p[["problem_id", "unit_id", "round_id", "category", "immediate", "feedback"]].copy()
    if problem_closed is not None:
        out["problems_closed"] = problem_closed.astype(bool)
    ok = pos >= 0
    for c, weights in (("measures", None), ("measures_done", "completed"),
                       ("measures_closed", "review_closed"),
                       ("overdue_measures", "overdue"), ("reopened", "reopened")):
        if weights is not None and weights not in measures:
            continue
        w = None if weights is None else measures[weights].to_numpy()[ok].astype(np.int64)
        out[c] = np.bincount(pos[ok], weights=w, minlength=len(p)).astype("int64")
    out["no_measures"] = out["measures"] == 0
    out["rectified"] = np.where(out["no_measures"], out["immediate"],
                                out["measures_done"] == out["measures"])
    return out.reset_index(drop=True)


def _tally(problems: pd.DataFrame, measures: pd.DataFrame, pos: np.ndarray,
           by: str) -> pd.DataFrame:
    """The counts per group key, from integer codes (no string group-by)."""
    if by == "department":
        mcode, keys = _codes_with_missing(measures["owner_dept_id"])
        pairs = np.unique(pos.astype(np.int64) * (len(keys) + 1) + mcode)
        pcode, prow = pairs % (len(keys) + 1), pairs // (len(keys) + 1)
    else:
        column = {"unit": "unit_id", "round": "round_id", "category": "category"}[by]
        prow = np.arange(len(problems))
        pcode, keys = _codes_with_missing(problems[column])
        mcode = pcode[pos]
    n = len(keys)

    def count(codes: np.ndarray, flags: np.ndarray | None = None) -> np.ndarray:
        w = None if flags is None else flags.astype(np.int64)
        return np.bincount(codes, weights=w, minlength=n).astype(np.int64)

    out = pd.DataFrame({
        "key": keys, "problems": count(pcode),
        "rectified": count(pcode, problems["rectified"].to_numpy()[prow]),
        "problems_closed": count(pcode, problems["problems_closed"].to_numpy()[prow]),
        "measures": count(mcode), "measures_done": count(mcode, measures["completed"].to_numpy()),
        "measures_closed": count(mcode, measures["review_closed"].to_numpy()),
        "overdue_measures": count(mcode, measures["overdue"].to_numpy()),
        "reopened": count(mcode, measures["reopened"].to_numpy()),
        "no_measures": count(pcode, problems["no_measures"].to_numpy()[prow])})
    out["rate"] = _rate(out["rectified"], out["problems"])
    return out[["key", *COUNTS]]


def _codes_with_missing(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Group codes where a missing value is a group of its own (key None)."""
    c, keys = codes(values)
    if (c < 0).any():
        c = np.where(c < 0, len(keys), c)
        keys = np.append(keys, np.array([None], dtype=object))
    return c, keys


def _rate(rectified: pd.Series | int, problems: pd.Series | int):
    if isinstance(problems, pd.Series):
        return (rectified / problems.where(problems > 0)).round(4)
    return round(rectified / problems, 4) if problems else None


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
        end = lookup(out["round_id"], rounds["end"]).astype("datetime64[ns]")
        out.insert(3, "feedback", end)
        out.insert(4, "plan_due", add_workdays(end, limits.rectification_plan_workdays))
        out.insert(5, "report_due", add_months(end, limits.rectification_report_months))
    elif by == "department":
        out = out.rename(columns={"owner_dept_id": "dept_id"})
        out.insert(1, "dept_name", label(out["dept_id"], names(tables, "departments")))
    elif by == "category":
        problems = harmonise_tables(tables)["problems"]
        area = problems.dropna(subset=["category"]).drop_duplicates("category").set_index(
            "category")["category_area"]
        out.insert(1, "category_area", out["category"].map(area))
        out.insert(2, "category_written", out["category"].map(
            written_labels(problems, "category")))
    return out


def completion(tables: Tables, rules: Rules, as_of: dt.date | str, by: str = "round",
               ongoing_done: bool | None = None) -> pd.DataFrame:
    """The completion table grouped ``by`` unit | round | category |
    department (the measure's owner department; a problem counts under every
    department that owns one of its measures), with a totals row ("合计")."""
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {GROUPINGS}")
    state = rectification_state(tables, rules, as_of, ongoing_done)
    problems, measures, pos = state.problems, state.measures, state.problem_row
    key = {"unit": "unit_id", "round": "round_id", "category": "category",
           "department": "owner_dept_id"}[by]
    out = _tally(problems, measures, pos, by).rename(columns={"key": key})
    out = out.sort_values(key, na_position="last", kind="stable").reset_index(drop=True)
    out = _describe(tables, out, by, rules.limits)
    out.iloc[:, 0] = out.iloc[:, 0].astype(object).where(out.iloc[:, 0].notna(), UNSPECIFIED)
    first = out.columns[0]
    total = {first: "合计", f"{first}_en": "Total", "problems": len(problems), "rectified": int(problems["rectified"].sum()),
             "problems_closed": int(problems["problems_closed"].sum()),
             "rate": _rate(int(problems["rectified"].sum()), len(problems)),
             "measures": len(measures), "measures_done": int(measures["completed"].sum()),
             "measures_closed": int(measures["review_closed"].sum()),
             "overdue_measures": int(measures["overdue"].sum()),
             "reopened": int(measures["reopened"].sum()),
             "no_measures": int(problems["no_measures"].sum())}
    out = pd.concat([out, pd.DataFrame([total])], ignore_index=True)
    for c in COUNTS:
        if c != "rate":
            out[c] = out[c].astype("int64")
    return out


def with_names(tables: Tables, measures: pd.DataFrame) -> pd.DataFrame:
    """``measures`` with the names of their unit, owner and owner department
    (columns in MEASURE_COLUMNS order)."""
    if "unit_id" not in measures:
        measures = _located(tables, measures)
    out = measures.assign(
        status=measures["status"].map(LABELS_ZH["status"]),
        unit_name=label(measures["unit_id"], names(tables, "units")),
        owner_name=label(measures["owner_person_id"], names(tables, "people")),
        owner_dept_name=label(measures["owner_dept_id"], names(tables, "departments")))
    return out[list(MEASURE_COLUMNS)]


def overdue_measures(tables: Tables, measures: pd.DataFrame) -> pd.DataFrame:
    """Overdue measures with their owners, most overdue first."""
    f = measures[measures["overdue"]]
    f = f.sort_values(["overdue_days", "measure_id"], ascending=[False, True])
    return with_names(tables, f.reset_index(drop=True))


def reopened_measures(tables: Tables, measures: pd.DataFrame) -> pd.DataFrame:
    """Reopened (回炉整改) measures with their owners."""
    f = measures[measures["reopened"]].sort_values("measure_id")
    return with_names(tables, f.reset_index(drop=True))
