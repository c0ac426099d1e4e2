"""What a report is asked for (as-of date, round, language, views) and which round it
takes when none is given."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from linkgraph.schema import Tables


#: How many of the first clusters / lead networks / priority units get a view.
VIEWS_PER_SECTION = 3


@dataclass(frozen=True)
class ReportOptions:
    as_of: dt.date
    round_id: str | None = None
    lang: str = "zh"
    views: bool = True  # link to views (written beside index.html)
    views_per_section: int = VIEWS_PER_SECTION


def default_round(tables: Tables, as_of: dt.date) -> str | None:
    """The latest round (by start, not after ``as_of``) that has teams."""
    rounds = tables["rounds"]
    with_teams = rounds[rounds["round_id"].isin(set(tables["teams"]["round_id"]))]
    started = with_teams[~(with_teams["start"] > pd.Timestamp(as_of))]
    if started.empty:
        return None
    return str(started.sort_values(["start", "round_id"]).iloc[-1]["round_id"])


def demo_round(tables: Tables, as_of: dt.date) -> str | None:
    """The latest cross-inspection round (交叉巡察) started by ``as_of`` that
    has teams, else :func:`default_round`."""
    rounds = tables["rounds"]
    cross = rounds[(rounds["kind"] == "cross") & rounds["round_id"].isin(
        set(tables["teams"]["round_id"])) & ~(rounds["start"] > pd.Timestamp(as_of))]
    if len(cross):
        return str(cross.sort_values(["start", "round_id"]).iloc[-1]["round_id"])
    return default_round(tables, as_of)
