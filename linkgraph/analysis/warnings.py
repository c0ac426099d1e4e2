"""红黄绿 early warnings (预警) before a deadline, not only after it.

An open item with a deadline — a measure not completed (its 整改时限, else
feedback + ``[limits] rectification_report_months``), a lead not 办结 (its
办结时限, else transfer + ``[limits] lead_report_months``) — is judged by the
days left on ``as_of``:

* green  (绿色): ``days_left <= green_days``   (default 20) — to the owner;
* yellow (黄色): ``days_left <= yellow_days``  (default 10) — also the 分管领导;
* red    (红色): ``days_left <= red_days``     (default 0, the deadline day,
  and every day past it) — also the unit's 一把手.

Who: a measure's owner is its 责任人 (else its 责任部门); the 分管领导 is a
deputy (a post whose title holds 副) of the problem's unit serving on
``as_of`` — the ledgers do not say which deputy is in charge of what, so
every such deputy is named; the 一把手 is the unit's top leader on
``as_of``.  A lead goes to its receiving department (承办部门), then that
department's 分管领导 and 主要负责人 (the ledgers hold no posts in departments).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from linkgraph.analysis.ledger import add_months, label, lookup, names, timestamp
from linkgraph.analysis.rectification import rectification_state
from linkgraph.errors import LinkgraphError
from linkgraph.rules import Rules
from linkgraph.schema import Tables

LEVELS = ("red", "yellow", "green")
COLUMNS = ("warning_level", "item_kind", "item_id", "unit_id", "unit_name", "description",
           "deadline", "days_left", "owner_name", "notify")


@dataclass(frozen=True)
class Thresholds:
    red: int
    yellow: int
    green: int


def thresholds(rules: Rules, *, red: int | None = None, yellow: int | None = None,
               green: int | None = None) -> Thresholds:
    """``[warnings]`` of the rules file, overridden by the values given."""
    raw = rules.section("warnings")
    try:
        t = Thresholds(int(raw["red_days"] if red is None else red),
                       int(raw["yellow_days"] if yellow is None else yellow),
                       int(raw["green_days"] if green is None else green))
    except (KeyError, TypeError, ValueError) as exc:
        raise LinkgraphError(f"{rules.source}: [warnings] 需要 red_days、yellow_days、green_days"
                             f" 三个整数 / needs three whole numbers ({exc})") from None
    if not t.red <= t.yellow <= t.green:
        raise LinkgraphError(f"预警天数应满足 红 ≤ 黄 ≤ 绿，现为 {t.red}/{t.yellow}/{t.green}"
                             f" / days must be red <= yellow <= green")
    return t


def level_of(days_left: pd.Series, t: Thresholds) -> pd.Series:
    """The warning level per item (None above green)."""
    out = pd.Series(None, index=days_left.index, dtype=object)
    out = out.where(~(days_left <= t.green), "green")
    out = out.where(~(days_left <= t.yellow), "yellow")
    return out.where(~(days_left <= t.red), "red")


def _unit_people(tables: Tables, as_of: pd.Timestamp) -> tuple[dict[str, list[str]],
                                                                  dict[str, list[str]]]:
    """unit -> deputies serving on ``as_of``, unit -> top leaders (names, sorted by id)."""
    po = tables["posts"]
    serving = po[~(po["start"] > as_of) & ~(po["end"] < as_of)]
    who = label(serving["person_id"], names(tables, "people")).fillna(serving["person_id"])
    serving = serving.assign(who=who).sort_values(["unit_id", "person_id"])
    top = serving[serving["is_top_leader"].astype(bool)]
    deputy = serving[~serving["is_top_leader"].astype(bool) &
                     serving["title"].fillna("").str.contains("副")]
    return (deputy.groupby("unit_id")["who"].agg(list).to_dict(),
            top.groupby("unit_id")["who"].agg(list).to_dict())


_WORDS = {"zh": {"owner": "责任人", "deputy": "分管领导", "top": "一把手", "none": "（未登记）",
                 "sep": "；", "colon": "：", "and": "、", "dept": "承办部门",
                 "dept_deputy": "承办部门分管领导", "dept_top": "承办部门主要负责人"},
          "en": {"owner": "owner", "deputy": "leader in charge", "top": "top leader",
                 "none": "(not recorded)", "sep": "; ", "colon": ": ", "and": ", ",
                 "dept": "receiving department",
                 "dept_deputy": "its leader in charge", "dept_top": "its head"}}


def _notify(level: str, owner: str, deputies: list[str] | None,
            tops: list[str] | None, lang: str = "zh") -> str:
    w = _WORDS[lang]
    parts = [f"{w['owner']}{w['colon']}{owner}"]
    if level in ("yellow", "red"):
        parts.append(f"{w['deputy']}{w['colon']}"
                     f"{w['and'].join(deputies) if deputies else w['none']}")
    if level == "red":
        parts.append(f"{w['top']}{w['colon']}{w['and'].join(tops) if tops else w['none']}")
    return w["sep"].join(parts)


def _measure_warnings(tables: Tables, rules: Rules, as_of: pd.Timestamp,
                      t: Thresholds, lang: str) -> pd.DataFrame:
    # no category and no 销号 stage is shown: both passes are left out
    state = rectification_state(tables, rules, as_of, categories=False, closing=False)
    m = state.measures[~state.measures["completed"] & state.measures["due_date"].notna()]
    days = (m["due_date"] - as_of).dt.days
    level = level_of(days, t)
    m, days, level = m[level.notna()], days[level.notna()], level[level.notna()]
    unit = lookup(m["problem_id"], tables["problems"].set_index("problem_id")["unit_id"])
    owner = label(m["owner_person_id"], names(tables, "people"))
    owner = owner.fillna(label(m["owner_dept_id"], names(tables, "departments")))
    owner = owner.fillna("（未填写）" if lang == "zh" else "(not given)")
    deputies, tops = _unit_people(tables, as_of)
    notify = [_notify(lv, o, deputies.get(u), tops.get(u), lang)
              for lv, o, u in zip(level, owner, unit)]
    return pd.DataFrame({
        "warning_level": level, "item_kind": "measure", "item_id": m["measure_id"],
        "unit_id": unit, "description": m["description"], "deadline": m["due_date"],
        "days_left": days.astype(int), "owner_name": owner, "notify": notify})


def _lead_warnings(tables: Tables, rules: Rules, as_of: pd.Timestamp,
                   t: Thresholds, lang: str) -> pd.DataFrame:
    le = tables["leads"]
    le = le[~(le["transfer_date"] > as_of) & ~(le["closed_date"] <= as_of)]
    due = le["due_date"].fillna(add_months(le["transfer_date"], rules.limits.lead_report_months))
    le, due = le[due.notna()], due[due.notna()]
    days = (due - as_of).dt.days
    level = level_of(days, t)
    keep = level.notna()
    le, due, days, level = le[keep], due[keep], days[keep], level[keep]
    dept = label(le["transferred_to"], names(tables, "departments")).fillna(le["transferred_to"])
    w = _WORDS[lang]
    notify = []
    for lv, d in zip(level, dept):
        parts = [f"{w['dept']}{w['colon']}{d}"]
        if lv in ("yellow", "red"):
            parts.append(w["dept_deputy"])
        if lv == "red":
            parts.append(w["dept_top"])
        notify.append(w["sep"].join(parts))
    return pd.DataFrame({
        "warning_level": level, "item_kind": "lead", "item_id": le["lead_id"],
        "unit_id": le["unit_id"], "description": None, "deadline": due,
        "days_left": days.astype(int), "owner_name": dept, "notify": notify})


def early_warnings(tables: Tables, rules: Rules, as_of: dt.date | str,
                   levels: Thresholds | None = None, lang: str = "zh") -> pd.DataFrame:
    """Every open measure and lead within the warning window, red first, then
    by days left and id (module docstring); ``notify`` worded in ``lang``."""
    as_of = timestamp(as_of)
    t = levels or thresholds(rules)
    out = pd.concat([f for f in (_measure_warnings(tables, rules, as_of, t, lang),
                                 _lead_warnings(tables, rules, as_of, t, lang)) if len(f)]
                    or [pd.DataFrame(columns=[c for c in COLUMNS if c != "unit_name"])],
                    ignore_index=True)
    out["unit_name"] = label(out["unit_id"], names(tables, "units"))
    rank = out["warning_level"].map({lv: i for i, lv in enumerate(LEVELS)})
    out = out.assign(_rank=rank).sort_values(["_rank", "days_left", "item_kind", "item_id"],
                                             kind="stable")
    return out[list(COLUMNS)].reset_index(drop=True)
