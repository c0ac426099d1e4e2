"""届内全覆盖: which units have been inspected in the current term, by which
round and team, which have not, and the share covered — villages and
communities (村/社区) counted separately.

The term's rounds: those whose ``term`` (届次) is ``term``; by default the
term of the latest round started by ``as_of``; when no round carries a term,
the rounds started within ``[coverage] term_years`` years before ``as_of``.
Only rounds started by ``as_of`` count.  提级巡察 (elevated) rounds started
within the term's span count for it whatever term they are filed under (the
upper committee's): the units they inspected are covered.  A unit is inspected in the term when
an assignment (巡察安排) of one of those rounds names it, or, for ledgers
without assignments, a problem of one of those rounds was found in it.  A unit
is a village or community when its ``kind`` or ``level`` contains one of
``[coverage] village_words``.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from linkgraph.analysis.ledger import label, lookup, names, timestamp
from linkgraph.errors import InputError
from linkgraph.rules import Rules
from linkgraph.schema import Tables

DIMENSIONS = ("level", "sector", "region")
SCOPE_UNITS, SCOPE_VILLAGES = "单位", "村（社区）"
UNIT_COLUMNS = ("unit_id", "unit_name", "level", "sector", "region_id", "region_name", "kind",
                "village", "inspected", "round_ids", "team_ids", "first_inspection")


@dataclass(frozen=True)
class Coverage:
    term: str  # how the term was chosen, in words
    round_ids: tuple[str, ...]
    units: pd.DataFrame  # UNIT_COLUMNS, one row per unit


def _village_words(rules: Rules) -> tuple[str, ...]:
    return rules.coverage.village_words


def term_rounds(tables: Tables, rules: Rules, as_of: pd.Timestamp,
                term: str | None) -> tuple[str, tuple[str, ...]]:
    """(description of the term, its round ids)."""
    rounds = tables["rounds"]
    started = rounds[~(rounds["start"] > as_of)]
    if term is not None:
        chosen = started[started["term"] == term]
        if chosen.empty:
            known = sorted(set(rounds["term"].dropna()))
            raise InputError(f"没有届次为 {term!r} 的巡察轮次 / no round of term {term!r}; "
                             f"已有 / known: {', '.join(known) or '（无 / none）'}")
        return f"届次 {term}", tuple(sorted(chosen["round_id"]))
    with_term = started[started["term"].notna()]
    if len(with_term):
        latest = with_term.sort_values(["start", "round_id"], na_position="first").iloc[-1]
        chosen = started[started["term"] == latest["term"]]
        return f"届次 {latest['term']}（最近一轮所属届次）", tuple(sorted(chosen["round_id"]))
    years = rules.coverage.term_years
    since = as_of - pd.DateOffset(years=years)
    chosen = started[started["start"] > since]
    return (f"{since.date()} 之后开始的轮次（近{years}年，轮次未填届次）",
            tuple(sorted(chosen["round_id"])))


def _elevated_in_span(tables: Tables, round_ids: tuple[str, ...],
                      as_of: pd.Timestamp) -> tuple[str, ...]:
    """提级巡察 rounds (an upper committee inspecting units the term's own
    rounds would cover) started within the term's span — from its first
    round's start to ``as_of`` — whatever term they are filed under: a unit
    they inspected is covered."""
    r = tables["rounds"]
    mine = r[r["round_id"].isin(round_ids)]
    if mine.empty or mine["start"].isna().all():
        return ()
    first = mine["start"].min()
    extra = r[(r["kind"] == "elevated") & ~r["round_id"].isin(round_ids)
              & (r["start"] >= first) & ~(r["start"] > as_of)]
    return tuple(sorted(extra["round_id"]))


def _inspections(tables: Tables, round_ids: tuple[str, ...]) -> pd.DataFrame:
    a = tables["assignments"]
    a = a.loc[a["round_id"].isin(round_ids), ["unit_id", "round_id", "team_id"]]
    p = tables["problems"]
    p = p.loc[p["round_id"].isin(round_ids) & ~p["unit_id"].isin(set(a["unit_id"])),
              ["unit_id", "round_id"]].drop_duplicates()
    both = pd.concat([a, p.assign(team_id=None)], ignore_index=True)
    return both.assign(start=lookup(both["round_id"],
                                    tables["rounds"].set_index("round_id")["start"]))


def coverage(tables: Tables, rules: Rules, as_of: dt.date | str,
             term: str | None = None, scope: tuple[str, ...] | None = None) -> Coverage:
    """Every unit with whether, when and by whom it was inspected in the term;
    with ``scope`` (unit ids: the units the term must cover, e.g. without the
    committee's own organs), only those units."""
    as_of = timestamp(as_of)
    if scope is not None:
        unknown = sorted(set(scope) - set(tables["units"]["unit_id"]))
        if unknown:
            raise InputError(f"范围文件中的单位不在 units 表中 / scope units not in the units "
                             f"table: {', '.join(unknown[:10])}"
                             f"{' …' if len(unknown) > 10 else ''}")
        tables = {**tables, "units": tables["units"][tables["units"]["unit_id"].isin(scope)]}
    description, round_ids = term_rounds(tables, rules, as_of, term)
    round_ids = round_ids + _elevated_in_span(tables, round_ids, as_of)
    seen = _inspections(tables, round_ids)
    g = seen.sort_values(["unit_id", "start", "round_id"]).groupby("unit_id")
    per_unit = pd.DataFrame({
        "round_ids": g["round_id"].agg(lambda s: tuple(dict.fromkeys(s))),
        "team_ids": g["team_id"].agg(lambda s: tuple(dict.fromkeys(s.dropna()))),
        "first_inspection": g["start"].min()})
    u = tables["units"]
    pattern = "|".join(re.escape(w) for w in _village_words(rules)) or r"(?!)"
    village = (u["kind"].fillna("").str.contains(pattern)
               | u["level"].fillna("").str.contains(pattern))
    out = pd.DataFrame({"unit_id": u["unit_id"], "unit_name": u["name"], "level": u["level"],
                        "sector": u["sector"], "region_id": u["region_id"],
                        "region_name": label(u["region_id"], names(tables, "regions")),
                        "kind": u["kind"], "village": village.to_numpy()})
    out = out.join(per_unit, on="unit_id")
    out["inspected"] = out["unit_id"].isin(per_unit.index)
    for col in ("round_ids", "team_ids"):
        out[col] = out[col].map(lambda v: v if isinstance(v, tuple) else ())
    out = out.sort_values("unit_id", kind="stable").reset_index(drop=True)
    return Coverage(description, round_ids, out[list(UNIT_COLUMNS)])


def _share(inspected: pd.Series | int, units: pd.Series | int) -> Any:
    share: Any = inspected / units
    return share.round(4)


def coverage_summary(units: pd.DataFrame, by: str = "level") -> pd.DataFrame:
    """Units, inspected, not inspected and share per ``by`` (level | sector |
    region), villages/communities in their own rows and subtotal, and a
    grand total."""
    if by not in DIMENSIONS:
        raise ValueError(f"by must be one of {DIMENSIONS}")
    key = "region_name" if by == "region" else by
    f = units.assign(scope=units["village"].map({False: SCOPE_UNITS, True: SCOPE_VILLAGES}),
                     _key=units[key].astype(object).where(units[key].notna(), "（未填写）"))
    rows = []
    for scope in (SCOPE_UNITS, SCOPE_VILLAGES):
        part = f[f["scope"] == scope]
        if part.empty:
            continue
        g = part.groupby("_key", sort=True)["inspected"]
        block = pd.DataFrame({"units": g.size(), "inspected": g.sum()}).reset_index()
        block.insert(0, "scope", scope)
        rows.append(block.rename(columns={"_key": by}))
        rows.append(pd.DataFrame([{"scope": scope, by: "小计", f"{by}_en": "Subtotal",
                                   "units": len(part),
                                   "inspected": int(part["inspected"].sum())}]))
    rows.append(pd.DataFrame([{"scope": "合计", by: "合计", f"{by}_en": "Total", "units": len(f),
                               "inspected": int(f["inspected"].sum())}]))
    out = pd.concat(rows, ignore_index=True)
    out["units"] = out["units"].astype("int64")
    out["inspected"] = out["inspected"].astype("int64")
    out["not_inspected"] = out["units"] - out["inspected"]
    out["share"] = _share(out["inspected"], out["units"].where(out["units"] > 0))
    return out
