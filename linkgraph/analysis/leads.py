"""室组办 linkage: the life of every transferred lead (问题线索).

A lead is transferred (移交) by the inspection team to a department, received
(签收) there, and closed (办结) with a disposition (谈话函询 / 初步核实 / 暂存待查
/ 予以了结 / 立案审查) and perhaps an outcome (立案 → 党纪政务处分 → 移送司法).

Everything is judged as the ledger stood on ``as_of``: a date after it counts
as not yet happened, and a lead transferred after it is left out.

* due date: ``due_date``, else transfer + ``[limits] lead_report_months``;
* overdue to close (超期未办结/超期办结): not closed by the due date — still open
  after it, or closed after it;
* late receipt (签收超时): received more than ``lead_receipt_days`` days after
  transfer, or not received and that many days have passed;
* overdue = either of the two;
* the dual-signature rule (双签字): ``signed_by`` holds a 纪检监察室 signature
  and a 巡察组 signature (words in ``[signatures]`` of the rules file).  A
  ledger with no 签字 column (no lead has any signature) has signatures
  *not recorded* (未记录): no lead is said to lack one, and the counts of
  leads lacking a signature are empty rather than "every lead".
"""
from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from linkgraph.analysis.ledger import (Limits, add_months, by_as_of, days_between,
                                       label, names, timestamp)
from linkgraph.rules import Rules
from linkgraph.schema import Tables
from linkgraph.vocab import LABELS_ZH

#: The two sides of the dual-signature rule: rules key -> how users call it.
SIGNATURE_SIDES: dict[str, str] = {"discipline_office": "纪检监察室", "inspection_team": "巡察组"}

#: Outcomes that reached 立案 (the stages are cumulative: 处分 and 移送司法
#: come after 立案), and those that reached 处分.
CASE_FILED = ("case_filed", "sanctioned", "judicial")
SANCTIONED = ("sanctioned", "judicial")

LIFECYCLE_COLUMNS = (
    "lead_id", "unit_id", "unit_name", "person_id", "person_name", "dept_id", "dept_name",
    "round_id", "problem_id", "stage", "transfer_date", "receipt_due", "received_date",
    "due_date", "due_source", "due_source_en", "closed_date", "disposition", "outcome", "days_to_receive",
    "days_to_close", "receipt_late", "overdue_close", "overdue", "overdue_days",
    "overdue_reason", "signed_by", "dual_signed", "missing_signatures", "signatures_recorded",
)

#: What missing_signatures says when the ledger keeps no signatures at all.
NOT_RECORDED = "未记录"


def signatures_recorded(signed_by: pd.Series) -> bool:
    """Whether the ledger records signatures at all: some lead has one.
    (An empty 签字 column, or none, is not "every lead lacks a signature".)"""
    exploded = signed_by.explode()
    exploded = exploded[exploded.notna()].astype(str).str.strip()
    return bool((exploded != "").any())


def signature_words(rules: Rules) -> dict[str, tuple[str, ...]]:
    """side -> the words that make a signature count for it (``[signatures]``)."""
    return {side: getattr(rules.signatures, side) for side in SIGNATURE_SIDES}


def missing_signatures(signed_by: pd.Series, rules: Rules) -> pd.Series:
    """Per lead, the sides of the dual-signature rule it lacks ('' = none)."""
    exploded = signed_by.explode()
    exploded = exploded[exploded.notna()].astype(str)
    missing = pd.Series("", index=signed_by.index, dtype=object)
    for side, words in signature_words(rules).items():
        pattern = "|".join(re.escape(w) for w in words)
        hit = exploded.str.contains(pattern, regex=True)
        has = pd.Series(False, index=signed_by.index)
        has.loc[hit[hit].index.unique()] = True
        name = SIGNATURE_SIDES[side]
        missing = missing.where(has, missing.where(missing == "", missing + "、") + name)
    return missing


def _vocab_zh(values: pd.Series, vocabulary: str) -> pd.Series:
    return values.map(LABELS_ZH[vocabulary]).astype(object).where(values.notna(), None)


def _lead_units(tables: Tables) -> pd.Series:
    """A lead's unit, or its problem's unit when the lead names none."""
    leads = tables["leads"]
    problem_unit = leads["problem_id"].map(
        tables["problems"].set_index("problem_id")["unit_id"])
    return leads["unit_id"].where(leads["unit_id"].notna(), problem_unit)


def _dates(leads: pd.DataFrame, limits: Limits, as_of: pd.Timestamp) -> pd.DataFrame:
    out = pd.DataFrame(index=leads.index)
    out["transfer_date"] = leads["transfer_date"]
    out["received_date"] = by_as_of(leads["received_date"], as_of)
    out["closed_date"] = by_as_of(leads["closed_date"], as_of)
    out["receipt_due"] = leads["transfer_date"] + pd.Timedelta(days=limits.lead_receipt_days)
    default_due = add_months(leads["transfer_date"], limits.lead_report_months)
    has_due = leads["due_date"].notna()
    out["due_date"] = leads["due_date"].where(has_due, default_due)
    default_note = np.where(default_due.notna(), f"默认（移交后{limits.lead_report_months}个月）",
                            np.array(None, dtype=object))
    out["due_source"] = np.where(has_due, "台账", default_note)
    default_en = np.where(default_due.notna(),
                          f"default ({limits.lead_report_months} months after transfer)",
                          np.array(None, dtype=object))
    out["due_source_en"] = np.where(has_due, "ledger", default_en)
    return out


def _overdue(d: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    received, closed = d["received_date"].notna(), d["closed_date"].notna()
    late_receipt = np.where(received, d["received_date"] > d["receipt_due"],
                            as_of > d["receipt_due"])
    open_late = ~closed & (as_of > d["due_date"])
    closed_late = closed & (d["closed_date"] > d["due_date"])
    out = pd.DataFrame(index=d.index)
    out["receipt_late"] = pd.Series(late_receipt, index=d.index) & d["receipt_due"].notna()
    out["overdue_close"] = open_late | closed_late
    out["overdue"] = out["receipt_late"] | out["overdue_close"]
    late_days = days_between(d["due_date"], d["closed_date"].where(closed, as_of))
    out["overdue_days"] = late_days.where(out["overdue_close"])
    reason = pd.Series("", index=d.index, dtype=object)
    reason[open_late] = "超期未办结"
    reason[closed_late] = "超期办结"
    receipt_text = np.where(received, "签收超时", "超时未签收")
    both = out["receipt_late"] & out["overdue_close"]
    reason = reason.where(~both, reason + "；" + receipt_text)
    reason = reason.where(~(out["receipt_late"] & ~out["overdue_close"]), receipt_text)
    out["overdue_reason"] = reason.where(reason != "", None)
    return out


def lead_lifecycle(tables: Tables, rules: Rules, as_of: dt.date | str) -> pd.DataFrame:
    """One row per lead transferred by ``as_of``: its stage, dates, limits and
    whether it is overdue or lacks a signature (columns LIFECYCLE_COLUMNS)."""
    as_of = timestamp(as_of)
    limits = rules.limits
    leads = tables["leads"]
    units = _lead_units(tables)
    keep = ~(leads["transfer_date"] > as_of)
    leads, units = leads[keep], units[keep]
    d = _dates(leads, limits, as_of)
    out = pd.DataFrame(index=leads.index)
    out["lead_id"] = leads["lead_id"]
    out["unit_id"] = units
    out["unit_name"] = label(units, names(tables, "units"))
    out["person_id"] = leads["person_id"]
    out["person_name"] = label(leads["person_id"], names(tables, "people"))
    out["dept_id"] = leads["transferred_to"]
    dept_names = label(leads["transferred_to"], names(tables, "departments"))
    out["dept_name"] = dept_names.where(dept_names.notna(), leads["transferred_to"])
    out["round_id"] = leads["round_id"]
    out["problem_id"] = leads["problem_id"]
    out["stage"] = np.where(d["closed_date"].notna(), "已办结",
                            np.where(d["received_date"].notna(), "已签收", "已移交"))
    for col in ("transfer_date", "receipt_due", "received_date", "due_date", "due_source",
                "due_source_en", "closed_date"):
        out[col] = d[col]
    out["disposition"] = _vocab_zh(leads["disposition"], "disposition")
    out["outcome"] = _vocab_zh(leads["outcome"], "outcome")
    out["outcome_code"] = leads["outcome"]
    out["days_to_receive"] = days_between(d["transfer_date"], d["received_date"])
    out["days_to_close"] = days_between(d["transfer_date"], d["closed_date"])
    out = out.join(_overdue(d, as_of))
    out["signed_by"] = leads["signed_by"]
    recorded = signatures_recorded(leads["signed_by"])
    out["signatures_recorded"] = recorded
    if recorded:
        out["missing_signatures"] = missing_signatures(leads["signed_by"], rules)
        out["dual_signed"] = out["missing_signatures"] == ""
        out["missing_signatures"] = out["missing_signatures"].where(~out["dual_signed"], None)
    else:  # nothing to judge: neither signed nor said to lack a signature
        out["missing_signatures"] = NOT_RECORDED
        out["dual_signed"] = False
    return out.sort_values("lead_id", kind="stable").reset_index(drop=True)


def department_summary(lifecycle: pd.DataFrame) -> pd.DataFrame:
    """One row per receiving department, plus a totals row (dept_id "合计").

    ``case_filed`` counts leads whose outcome reached 立案 (so 处分 and 移送司法
    too); ``sanctioned`` those that reached 处分 (移送司法 too)."""
    f = lifecycle.assign(
        received=lifecycle["received_date"].notna(),
        closed=lifecycle["closed_date"].notna(),
        open_overdue=lifecycle["overdue_close"] & lifecycle["closed_date"].isna(),
        case_filed=lifecycle["outcome_code"].isin(CASE_FILED),
        sanctioned=lifecycle["outcome_code"].isin(SANCTIONED),
        judicial=lifecycle["outcome_code"] == "judicial",
        single_signature=~lifecycle["dual_signed"] & lifecycle["signatures_recorded"],
        close_days=lifecycle["days_to_close"].astype("float64"),
    )
    counted = ["received", "closed", "overdue", "overdue_close", "open_overdue",
               "receipt_late", "case_filed", "sanctioned", "judicial", "single_signature"]

    g = f.groupby("dept_id", sort=True)
    out = g[counted].sum()
    out.insert(0, "leads", g.size())
    out.insert(0, "dept_name", g["dept_name"].first())
    out["median_days_to_close"] = g["close_days"].median()
    out = out.reset_index()
    total = {"dept_id": "合计", "dept_name": f"{len(out)}个部门", "dept_id_en": "Total",
             "dept_name_en": f"{len(out)} departments", "leads": len(f),
             **{c: int(f[c].sum()) for c in counted},
             "median_days_to_close": f["close_days"].median()}
    out = pd.concat([out, pd.DataFrame([total])], ignore_index=True)
    out["overdue_rate"] = (out["overdue"] / out["leads"]).round(4)
    out["median_days_to_close"] = out["median_days_to_close"].astype("float64")
    for c in ["leads", *counted]:
        out[c] = out[c].astype("int64")
    if len(f) and not f["signatures_recorded"].any():  # 未记录, not "0 lack one"
        out["single_signature"] = pd.array([pd.NA] * len(out), dtype="Int64")
    return out


def single_signature_leads(lifecycle: pd.DataFrame) -> pd.DataFrame:
    """Leads that break the dual-signature rule, with the side(s) they lack."""
    cols = ["lead_id", "unit_id", "unit_name", "dept_id", "dept_name", "transfer_date",
            "signed_by", "missing_signatures"]
    lacking = ~lifecycle["dual_signed"] & lifecycle["signatures_recorded"]
    return lifecycle.loc[lacking, cols].reset_index(drop=True)


def overdue_leads(lifecycle: pd.DataFrame) -> pd.DataFrame:
    """The overdue leads (to close, or to receive), most overdue first."""
    f = lifecycle[lifecycle["overdue"]]
    order = f["overdue_days"].astype("float64").fillna(-1)
    return f.assign(_o=-order).sort_values(["_o", "lead_id"]).drop(columns="_o") \
            .reset_index(drop=True)
