"""Reading the ledgers as they stood on a date: time limits, lookups, dates.

Shared by the linkage analyses (leads, rectification, coverage, priorities,
portrait).  Every limit comes from the rules file's ``[limits]`` section, so
an office that uses other time limits edits data, not code.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from linkgraph.errors import ConfigError
from linkgraph.rules import Rules

Tables = Mapping[str, pd.DataFrame]


@dataclass(frozen=True)
class Limits:
    """The time limits of ``[limits]`` (see ``linkgraph/data/rules.toml``)."""

    lead_report_months: int = 3
    lead_receipt_days: int = 7
    rectification_plan_workdays: int = 15
    rectification_report_months: int = 3
    ongoing_counts_as_done: bool = True

    @classmethod
    def from_rules(cls, rules: Rules) -> "Limits":
        raw = rules.section("limits")
        values = {}
        for name, default in cls().__dict__.items():
            value = raw.get(name, default)
            if isinstance(default, bool):
                if not isinstance(value, bool):
                    raise ConfigError(f"{rules.source}: [limits] {name} 应为 true/false"
                                      f" / must be true or false, got {value!r}")
            elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ConfigError(f"{rules.source}: [limits] {name} 应为非负整数"
                                  f" / must be a whole number ≥ 0, got {value!r}")
            values[name] = value
        return cls(**values)


def timestamp(as_of: dt.date | str | pd.Timestamp) -> pd.Timestamp:
    """``as_of`` as a midnight timestamp."""
    return pd.Timestamp(as_of).normalize()


def by_as_of(dates: pd.Series, as_of: pd.Timestamp) -> pd.Series:
    """The dates with those after ``as_of`` blanked: as the ledger stood then."""
    return dates.where(dates <= as_of)


def add_months(dates: pd.Series, months: int) -> pd.Series:
    """``dates`` + ``months`` calendar months (Jan 31 + 1 month = Feb 28/29)."""
    out = dates + pd.DateOffset(months=months)
    return out.astype("datetime64[ns]")


def add_workdays(dates: pd.Series, days: int) -> pd.Series:
    """``dates`` + ``days`` working days (Monday–Friday; holidays not known)."""
    values = dates.to_numpy(dtype="datetime64[D]")
    ok = ~np.isnat(values)
    out = np.full(values.shape, np.datetime64("NaT"), dtype="datetime64[D]")
    out[ok] = np.busday_offset(values[ok], days, roll="forward")
    return pd.Series(out.astype("datetime64[ns]"), index=dates.index)


def days_between(start: pd.Series, end: pd.Series) -> pd.Series:
    """Whole days from ``start`` to ``end`` (nullable integers)."""
    return (end - start).dt.days.astype("Int64")


def names(tables: Tables, table: str) -> pd.Series:
    """key -> name of an entity table (units, people, departments, rounds)."""
    key = {"units": "unit_id", "people": "person_id", "departments": "dept_id",
           "rounds": "round_id", "regions": "region_id", "teams": "team_id"}[table]
    frame = tables[table]
    return pd.Series(frame["name"].to_numpy(), index=frame[key].to_numpy())


def label(ids: pd.Series, lookup: pd.Series) -> pd.Series:
    """The names of ``ids`` (None where unknown)."""
    out = ids.map(lookup)
    return out.astype(object).where(out.notna(), None)


def none_if_missing(frame: pd.DataFrame) -> pd.DataFrame:
    """Missing values as None, so records carry no NaN/NaT/<NA>."""
    return frame.astype(object).where(frame.notna(), None)


def to_records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain dicts (missing -> None, dates as Timestamps)."""
    return none_if_missing(frame).to_dict("records")
