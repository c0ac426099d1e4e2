"""What several transforms need to know about the cross round (the conflict round)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass
class CrossRound:
    """``members`` (team_id, person_id, home_region_id); ``units`` the round's
    units; ``officials`` (unit_id, person_id) in post on ``start``; ``regions``
    the region of each unit with its ancestors, to tell a team's own region."""

    round_id: str
    start: pd.Timestamp
    members: pd.DataFrame
    units: np.ndarray
    officials: pd.DataFrame
    home_units: set[tuple[str, str]]  # (team_id, unit_id) in the team's own region


def cross_round(tables: dict[str, pd.DataFrame], round_id: str) -> CrossRound:
    rounds = tables["rounds"]
    start = pd.Timestamp(rounds.loc[rounds["round_id"] == round_id, "start"].iloc[0])
    teams = tables["teams"][tables["teams"]["round_id"] == round_id]
    m = tables["team_members"]
    members = m[m["team_id"].isin(teams["team_id"])].merge(
        teams[["team_id", "home_region_id"]], on="team_id")
    a = tables["assignments"]
    units = np.sort(a.loc[a["round_id"] == round_id, "unit_id"].unique())
    p = tables["posts"]
    on = (p["start"] <= start) & (p["end"].isna() | (p["end"] >= start))
    officials = p.loc[on & p["unit_id"].isin(units), ["unit_id", "person_id"]].drop_duplicates()
    parent = dict(zip(tables["regions"]["region_id"], tables["regions"]["parent_id"]))
    region = dict(zip(tables["units"]["unit_id"], tables["units"]["region_id"]))
    home = set()
    for team, home_region in zip(teams["team_id"], teams["home_region_id"]):
        for u in units:
            r = region.get(u)
            while r is not None:
                if r == home_region:
                    home.add((team, u))
                    break
                r = parent.get(r)
    return CrossRound(round_id, start, members, units,
                      officials.sort_values(["unit_id", "person_id"], ignore_index=True), home)
