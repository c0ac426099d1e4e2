"""The review process (整改审核 / 四方会审 / 三方联审): plans and reports
submitted, passed and sent back, and which measures are closed (销号).

* A review looks at a unit's rectification plan (整改方案) or report
  (整改报告) of a round, or at the closing (销号) of a measure or a problem;
  its verdict is 通过 (pass), 退回重写 (rewrite) or 再整改 (redo).
* 销号 follows a passed review, and only that: when the dataset holds
  reviews, a measure is closed when its latest closing review (by review
  date, as of ``as_of``) passed it, and a problem is closed when a passed
  closing review names the problem, or every measure of it is closed.
  A ledger status 已销号 without such a review is reported, not counted.
  Without any review rows (older datasets) the ledger status 已销号 is taken
  as written: the office kept no review record, and its word is all there is.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from linkgraph.analysis.ledger import add_months, add_workdays, lookup, timestamp
from linkgraph.rules import Rules
from linkgraph.schema import Tables

SENT_BACK = ("rewrite", "redo")


@dataclass(frozen=True)
class Closure:
    """Which measures and problems are closed (销号) as of a date."""

    measure_closed: pd.Series  # bool, indexed like tables["measures"]
    problem_closed: pd.Series  # bool, indexed like tables["problems"]
    by_review: bool  # True when reviews decided it, False when the ledger status did
    unreviewed: pd.DataFrame  # measures marked 已销号 that no passed review closes


def _latest(reviews: pd.DataFrame, key: str) -> pd.DataFrame:
    """The last closing review of each ``key`` (measure or problem), by date then row."""
    r = reviews[(reviews["subject"] == "closure") & reviews[key].notna()]
    r = r.assign(_row=range(len(r))).sort_values(["review_date", "_row"], kind="stable",
                                                 na_position="first")
    return r.drop_duplicates(key, keep="last")


def closure(tables: Tables, as_of: dt.date | str) -> Closure:
    """Closed (销号) measures and problems as of ``as_of`` (module docstring)."""
    as_of = timestamp(as_of)
    m, p = tables["measures"], tables["problems"]
    reviews = tables["reviews"]
    reviews = reviews[~(reviews["review_date"] > as_of)]
    status_closed = (m["status"] == "closed") & ~(m["completed_date"] > as_of)
    if reviews.empty:
        measure_closed = status_closed
        by_review = False
    else:
        last = _latest(reviews, "measure_id").set_index("measure_id")["verdict"]
        measure_closed = lookup(m["measure_id"], last).eq("pass").fillna(False).astype(bool)
        by_review = True
    open_measures = set(m.loc[~measure_closed, "problem_id"])
    has_measures = set(m["problem_id"])
    closed = p["problem_id"].isin(has_measures) & ~p["problem_id"].isin(open_measures)
    if by_review:
        last_p = _latest(reviews, "problem_id").set_index("problem_id")["verdict"]
        named = lookup(p["problem_id"], last_p)
        closed = (closed & ~named.isin(SENT_BACK)) | named.eq("pass").fillna(False)
    closed = closed & ~(p["found_date"] > as_of)
    unreviewed = m[status_closed & ~measure_closed] if by_review else m.iloc[:0]
    return Closure(measure_closed.astype(bool), closed.astype(bool), by_review,
                   unreviewed[["measure_id", "problem_id", "status", "completed_date"]]
                   .reset_index(drop=True))


REVIEW_STATE_COLUMNS = (
    "unit_id", "unit_name", "round_id", "plan_due", "plan_submitted", "plan_passed",
    "plan_sent_back", "report_due", "report_submitted", "report_passed", "report_sent_back",
    "closure_reviews", "closure_sent_back", "history")


def _unit_rounds(tables: Tables) -> pd.DataFrame:
    """(unit, round) pairs that owe a plan and a report: the inspected units
    with problems, and any pair a review names."""
    p = tables["problems"][["unit_id", "round_id"]].dropna()
    r = tables["reviews"][["unit_id", "round_id"]].dropna()
    return pd.concat([p, r]).drop_duplicates().sort_values(["unit_id", "round_id"]) \
        .reset_index(drop=True)


def _history(group: pd.DataFrame) -> str:
    """``2024-03-01 整改方案 退回重写（理由）；2024-03-20 整改方案 通过`` — the 回炉
    history of one unit and round, in date order."""
    from linkgraph.vocab import LABELS_ZH

    parts = []
    for row in group.sort_values(["review_date", "review_id"], na_position="first").itertuples():
        when = row.review_date.strftime("%Y-%m-%d") if pd.notna(row.review_date) else "日期未填"
        reason = f"（{row.reason}）" if isinstance(row.reason, str) and row.reason else ""
        parts.append(f"{when} {LABELS_ZH['review_subject'][row.subject]} "
                     f"{LABELS_ZH['review_verdict'][row.verdict]}{reason}")
    return "；".join(parts)


def review_state(tables: Tables, rules: Rules, as_of: dt.date | str) -> pd.DataFrame:
    """Per unit and round: plan and report due (15 working days and 3 months
    after feedback, ``[limits]``), submitted, passed, sent back (how often),
    closing reviews, and the dated history of every review."""
    as_of = timestamp(as_of)
    from linkgraph.analysis.ledger import label, names

    pairs = _unit_rounds(tables)
    reviews = tables["reviews"]
    reviews = reviews[~(reviews["review_date"] > as_of)]
    measures = tables["measures"]
    problem_of = tables["problems"].set_index("problem_id")
    located = reviews.assign(
        unit_id=reviews["unit_id"].fillna(lookup(reviews["problem_id"].fillna(
            lookup(reviews["measure_id"], measures.set_index("measure_id")["problem_id"])),
            problem_of["unit_id"])),
        round_id=reviews["round_id"].fillna(lookup(reviews["problem_id"].fillna(
            lookup(reviews["measure_id"], measures.set_index("measure_id")["problem_id"])),
            problem_of["round_id"])))
    end = lookup(pairs["round_id"], tables["rounds"].set_index("round_id")["end"]) \
        .astype("datetime64[ns]")
    out = pairs.copy()
    out.insert(1, "unit_name", label(out["unit_id"], names(tables, "units")))
    out["plan_due"] = add_workdays(end, rules.limits.rectification_plan_workdays)
    out["report_due"] = add_months(end, rules.limits.rectification_report_months)
    groups = dict(tuple(located.groupby(["unit_id", "round_id"], sort=True)))
    rows = []
    for u, r in zip(out["unit_id"], out["round_id"]):
        g = groups.get((u, r), located.iloc[:0])
        row: dict[str, object] = {}
        for subject in ("plan", "report"):
            s = g[g["subject"] == subject]
            row[f"{subject}_submitted"] = bool(len(s))
            row[f"{subject}_passed"] = bool((s["verdict"] == "pass").any())
            row[f"{subject}_sent_back"] = int(s["verdict"].isin(SENT_BACK).sum())
        c = g[g["subject"] == "closure"]
        row["closure_reviews"] = len(c)
        row["closure_sent_back"] = int(c["verdict"].isin(SENT_BACK).sum())
        row["history"] = _history(g) if len(g) else ""
        rows.append(row)
    extra = [c for c in REVIEW_STATE_COLUMNS if c not in out and not c.endswith("_due")]
    out = pd.concat([out, pd.DataFrame(rows, index=out.index, columns=extra)], axis=1)
    return out[list(REVIEW_STATE_COLUMNS)]
