"""Soft conflicts derived from the data rather than declared as ties:
former colleagues (overlapping posts in one unit; superior–subordinate within
the look-back window weighs more), fellow townsmen (same hometown) and the
same system (the inspector's own unit is in the target's sector).

A weight of 0 in the rules file switches a derived rule off.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from linkgraph.analysis.conflicts.index import ConflictIndex, RoundContext
from linkgraph.analysis.conflicts.rules import ConflictRules, evidence_frame


def colleague_evidence(index: ConflictIndex, ctx: RoundContext, inspectors: np.ndarray,
                       offs: pd.DataFrame, rules: ConflictRules) -> pd.DataFrame:
    """An inspector and a target's official held posts in one unit at the same
    time (before the round starts)."""
    if rules.colleague_weight <= 0 and rules.superior_weight <= 0:
        return evidence_frame(0)
    posts = index.posts.assign(post=index.posts.index)
    mine = posts[posts["person"].isin(inspectors) & posts["start"].notna()]
    theirs = posts[posts["person"].isin(offs["official"]) & posts["start"].notna()]
    pair = mine.merge(theirs, on="unit", suffixes=("_i", "_x"))
    pair = pair[pair["person_i"] != pair["person_x"]]
    cap = ctx.start
    first = pair[["start_i", "start_x"]].max(axis=1)
    last = pd.concat([pair["end_i"].fillna(cap).clip(upper=cap),
                      pair["end_x"].fillna(cap).clip(upper=cap)], axis=1).min(axis=1)
    pair = pair.assign(first=first, last=last)[first < last]
    recent = pair["last"] >= ctx.start - pd.DateOffset(years=rules.lookback_years)
    superior = (pair["top_i"] != pair["top_x"]) & recent & (rules.superior_weight > 0)
    pair = pair.assign(relation=np.where(superior, "superior", "colleague"))
    pair = pair[(pair["relation"] == "superior") | (rules.colleague_weight > 0)]
    hit = pair.merge(offs.rename(columns={"official": "person_x"}), on="person_x",
                     suffixes=("", "_target"))
    weight = {"superior": rules.superior_weight, "colleague": rules.colleague_weight}
    return evidence_frame(len(hit), person=hit["person_i"].to_numpy(),
                          unit=hit["unit_target"].to_numpy(),
                          relation=hit["relation"].to_numpy(), level="soft",
                          score=hit["relation"].map(weight).to_numpy(dtype=float),
                          via1=hit["person_x"].to_numpy(), post=hit["post"].to_numpy(),
                          aux_post=hit["post_i"].to_numpy())


def townsman_evidence(index: ConflictIndex, people: pd.DataFrame, inspectors: np.ndarray,
                      offs: pd.DataFrame, rules: ConflictRules) -> pd.DataFrame:
    """An inspector and a target's official share a hometown (同乡)."""
    if rules.townsman_weight <= 0:
        return evidence_frame(0)
    home = pd.DataFrame({"person": index.people_rows,
                         "home": people["hometown_region_id"].to_numpy(dtype=object)}).dropna()
    mine = home[home["person"].isin(inspectors)]
    theirs = home.merge(offs.rename(columns={"official": "person"}), on="person")
    hit = mine.merge(theirs, on="home", suffixes=("", "_x"))
    hit = hit[hit["person"] != hit["person_x"]]
    return evidence_frame(len(hit), person=hit["person"].to_numpy(), unit=hit["unit"].to_numpy(),
                          relation="townsman", level="soft", score=rules.townsman_weight,
                          via1=hit["person_x"].to_numpy(), post=hit["post"].to_numpy())


def same_system_evidence(index: ConflictIndex, ctx: RoundContext, units: pd.DataFrame,
                         inspectors: np.ndarray, rules: ConflictRules) -> pd.DataFrame:
    """The inspector's unit at the round's start — a post held then, or the
    unit they are seconded (抽调) from — is in the target's sector (系统回避,
    soft by default)."""
    if rules.same_system_weight <= 0:
        return evidence_frame(0)
    posts = index.posts
    mine = posts[posts["person"].isin(inspectors)
                 & (posts["start"].isna() | (posts["start"] <= ctx.start))
                 & (posts["end"].isna() | (posts["end"] >= ctx.start))]
    own = pd.DataFrame({"person": mine["person"].to_numpy(), "unit": mine["unit"].to_numpy(),
                        "aux_post": mine.index.to_numpy()})
    sec = ctx.members[ctx.members["seconded_from_unit_id"].notna()]
    sec_units = index.unit_codes(sec["seconded_from_unit_id"])
    known = sec_units >= 0
    own = pd.concat([own, pd.DataFrame({
        "person": index.person_codes(sec["person_id"])[known], "unit": sec_units[known],
        "aux_post": -1})], ignore_index=True)
    # one piece of evidence per (person, own unit): a post there explains it best
    own = own.sort_values(["person", "unit", "aux_post"], ascending=[True, True, False],
                          kind="stable").drop_duplicates(["person", "unit"])
    sector = np.full(len(index.units), None, dtype=object)
    sector[index.unit_rows] = units["sector"].to_numpy(dtype=object)
    own = own.assign(sector=sector[own["unit"].to_numpy()])
    targets = pd.DataFrame({"unit_t": index.unit_codes(ctx.units["unit_id"]),
                            "sector": ctx.units["sector"].to_numpy(dtype=object)}).dropna()
    hit = own.dropna(subset=["sector"]).merge(targets, on="sector")
    hit = hit[hit["unit"] != hit["unit_t"]]
    return evidence_frame(len(hit), person=hit["person"].to_numpy(), unit=hit["unit_t"].to_numpy(),
                          relation="same_system", level="soft", score=rules.same_system_weight, hops=0,
                          aux_post=hit["aux_post"].to_numpy(), aux_unit=hit["unit"].to_numpy())
