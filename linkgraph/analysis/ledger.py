"""Reading the ledgers as they stood on a date: time limits, lookups, dates.

Shared by the linkage analyses (leads, rectification, coverage, priorities,
portrait).  Every limit comes from the rules file's ``[limits]`` section, so
an office that uses other time limits edits data, not code.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from linkgraph.rules import Limits, Rules  # noqa: F401  (Limits: re-exported)
from linkgraph.schema import Tables


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


def _arrow_text(values) -> pa.Array | None:
    """``values`` as an Arrow string array, or None if they are not text."""
    try:
        return pa.array(np.asarray(values, dtype=object), type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None


def positions(keys: pd.Index | pd.Series, wanted: pd.Series) -> np.ndarray:
    """Row position in ``keys`` of the first occurrence of each value of
    ``wanted`` (-1 if absent or missing): one hash join, reused for every
    column taken from the same table.  Arrow's hash join on text is several
    times faster than pandas' on object columns of millions of ids."""
    key_text, want_text = _arrow_text(keys), _arrow_text(wanted)
    if key_text is not None and want_text is not None:
        found = pc.index_in(want_text, value_set=key_text, skip_nulls=True)
        return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    index = pd.Index(keys)
    first = ~index.duplicated()
    pos = index[first].get_indexer(wanted)
    return np.where(pos >= 0, np.flatnonzero(first)[pos], -1)


def codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(code per value, -1 when missing; the distinct values in order of first
    appearance) — ``pd.factorize`` through Arrow for text."""
    text = _arrow_text(values)
    if text is None:
        return pd.factorize(values)
    encoded = text.dictionary_encode()
    return (encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64),
            np.asarray(encoded.dictionary.to_pylist(), dtype=object))


def take(values: pd.Series, pos: np.ndarray, index: pd.Index | None = None) -> pd.Series:
    """``values`` at positions ``pos``; missing where ``pos`` is -1."""
    arr = values.to_numpy()
    if len(arr) == 0:
        out = pd.Series([None] * len(pos), index=index, dtype=values.dtype
                        if values.dtype.kind == "M" else object)
        return out
    picked = arr[np.where(pos >= 0, pos, 0)]
    got = pd.Series(picked, index=index, dtype=object if picked.dtype == object else None)
    return got.where(pos >= 0)


def lookup(keys: pd.Series, by_key: pd.Series) -> pd.Series:
    """``by_key`` (a Series indexed by key) at each of ``keys``, missing where
    absent — ``keys.map(by_key)`` without pandas' failure on an empty
    ``keys`` mapped through dates ("Cannot cast DatetimeArray to float64")."""
    return take(by_key.reset_index(drop=True), positions(by_key.index, keys), keys.index)


def label(ids: pd.Series, lookup: pd.Series) -> pd.Series:
    """The names of ``ids`` (None where unknown)."""
    out = take(pd.Series(lookup.to_numpy(), dtype=object), positions(lookup.index, ids),
               ids.index)
    return out.astype(object).where(out.notna(), None)


def none_if_missing(frame: pd.DataFrame) -> pd.DataFrame:
    """Missing values as None, so records carry no NaN/NaT/<NA>."""
    return frame.astype(object).where(frame.notna(), None)


def to_records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain dicts: missing -> None, dates as ISO text ("2024-06-30"),
    whole numbers as int — what every output format shows, made once per
    column instead of once per cell."""
    out = pd.DataFrame(index=frame.index)
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            s = s.dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_integer_dtype(s) and s.isna().any():
            s = s.astype(object)
        out[col] = s.astype(object).where(s.notna(), None)
    return out.to_dict("records")


def tuples_by(keys: pd.Series, values: pd.Series, *, sort_values: bool = True) -> pd.Series:
    """key -> tuple of its distinct non-missing values (sorted, or in the
    order of the rows when ``sort_values`` is false).  Fast for many small
    groups, where ``groupby().agg(lambda ...)`` is not."""
    f = pd.DataFrame({"k": keys.to_numpy(), "v": values.to_numpy()})
    f = f[f["k"].notna() & f["v"].notna()].drop_duplicates()
    f = f.sort_values(["k", "v"] if sort_values else ["k"], kind="stable")
    k, v = f["k"].to_numpy(), f["v"].to_numpy()
    if len(k) == 0:
        return pd.Series([], dtype=object)
    bounds = np.flatnonzero(k[1:] != k[:-1]) + 1
    return pd.Series([tuple(g) for g in np.split(v, bounds)], index=k[np.r_[0, bounds]])


def tuple_or_empty(series: pd.Series) -> pd.Series:
    """Missing entries (from a map over ``tuples_by``) as empty tuples."""
    return series.map(lambda v: v if isinstance(v, tuple) else ())


def latest_rounds(rounds: pd.DataFrame, n: int = 10) -> list[str]:
    """The ``n`` most recent round ids: latest start (else end) first, rounds
    without dates last — what a user looks for when a round id is mistyped."""
    when = rounds["start"].fillna(rounds["end"]) if "end" in rounds else rounds["start"]
    order = pd.DataFrame({"id": rounds["round_id"].astype(str), "when": when})
    order = order[rounds["round_id"].notna().to_numpy()]
    order = order.sort_values(["when", "id"], ascending=False, na_position="last", kind="stable")
    return list(dict.fromkeys(order["id"]))[:n]


def unknown_round(rounds: pd.DataFrame, round_id: str) -> str:
    """The message for a round id the data does not hold: the latest rounds."""
    if rounds.empty:
        return (f"没有轮次 {round_id!r}：数据中没有巡察轮次（rounds 表为空或缺失） / no round "
                f"{round_id!r}: the data holds no rounds")
    latest = latest_rounds(rounds)
    more = len(rounds) - len(latest)
    tail = f" …（另有 {more} 轮 / {more} more）" if more > 0 else ""
    names = {}
    if "name" in rounds:
        known = rounds["round_id"].notna() & rounds["name"].notna()
        names = dict(zip(rounds["round_id"][known].astype(str),
                         rounds["name"][known].astype(str)))
    shown = [f"{r}（{names[r]}）" if names.get(r, "").strip() else r for r in latest]
    return (f"没有轮次 {round_id!r} / no round {round_id!r}; 最近的轮次 / latest rounds: "
            f"{', '.join(shown)}{tail}")
