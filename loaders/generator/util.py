"""Small helpers shared by the generator's stages: random streams, ids, dates."""
from __future__ import annotations

import zlib
from typing import Any

import numpy as np
import pandas as pd

DAY = np.timedelta64(1, "D")
NAT = np.datetime64("NaT", "D")


def stream(seed: int, name: str) -> np.random.Generator:
    """An independent, reproducible random stream for one stage of the build.

    Each stage draws from its own stream, so changing how one stage uses
    randomness does not shift the numbers every later stage sees.
    """
    key = zlib.crc32(name.encode("utf-8"))
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, key])))


def make_ids(prefix: str, n: int, width: int | None = None) -> np.ndarray:
    """``P0001`` … as an object array; width grows with ``n`` (at least 4)."""
    width = width or max(4, len(str(n)))
    low = [f"{i:04d}" for i in range(10000)]
    high = [f"{prefix}{i:0{width - 4}d}" if width > 4 else prefix
            for i in range(n // 10000 + 1)]
    out = np.empty(n, dtype=object)
    out[:] = [h + lo for h in high for lo in low][1:n + 1]
    return out


def days(values: np.ndarray | int) -> np.ndarray:
    """Whole numbers of days as ``timedelta64[D]``."""
    return np.asarray(values).astype("int64").astype("timedelta64[D]")


def add_years(day: Any, years: int) -> np.datetime64:
    """The same calendar day ``years`` later (29 Feb -> 28 Feb)."""
    y, m, d = (int(x) for x in str(np.datetime64(day, "D")).split("-"))
    y += years
    if m == 2 and d == 29 and not (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)):
        d = 28
    return np.datetime64(f"{y:04d}-{m:02d}-{d:02d}", "D")


def add_years_array(values: np.ndarray, years: int) -> np.ndarray:
    """``add_years`` over an array of ``datetime64[D]`` (NaT stays NaT)."""
    out = np.full(values.shape, NAT)
    ok = ~np.isnat(values)
    months = values[ok].astype("datetime64[M]")
    day_of_month = (values[ok] - months.astype("datetime64[D]")).astype(int)
    shifted = (months + np.timedelta64(12 * years, "M")).astype("datetime64[D]")
    next_month = (months + np.timedelta64(12 * years + 1, "M")).astype("datetime64[D]")
    length = (next_month - shifted).astype(int)
    out[ok] = shifted + days(np.minimum(day_of_month, length - 1))
    return out


def pick(rng: np.random.Generator, options: tuple, size: int,
         weights: np.ndarray | None = None) -> np.ndarray:
    """``size`` draws from ``options`` as an object array (shared objects)."""
    arr = np.empty(len(options), dtype=object)
    arr[:] = list(options)
    if weights is None:
        return arr[rng.integers(0, len(options), size)]
    p = np.asarray(weights, dtype=float)
    return arr[rng.choice(len(options), size=size, p=p / p.sum())]


def group_starts(sorted_keys: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """For keys sorted ascending in 0..n_groups-1: first position and count per key."""
    counts = np.bincount(sorted_keys, minlength=n_groups)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    return starts, counts


def random_member(rng: np.random.Generator, groups: np.ndarray, order: np.ndarray,
                  starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """One random element of each requested group (-1 where a group is empty).

    ``order`` lists the elements sorted by group; ``starts``/``counts`` come
    from :func:`group_starts` over the sorted group keys.
    """
    c = counts[groups]
    offset = np.floor(rng.random(len(groups)) * np.maximum(c, 1)).astype(np.int64)
    out = order[np.minimum(starts[groups] + offset, len(order) - 1)] if len(order) else \
        np.full(len(groups), -1)
    return np.where(c > 0, out, -1)


def objectify(df: pd.DataFrame) -> pd.DataFrame:
    """Text columns as plain object arrays.

    pandas 3 stores text as Arrow strings; turning those back into Python
    objects costs time on every ``to_numpy()``.  Internal frames keep shared
    Python strings instead, so taking and indexing them is free.
    """
    for col in df.columns:
        if isinstance(df[col].dtype, pd.StringDtype):
            df[col] = df[col].astype(object)
    return df


def obj(values, index=None) -> pd.Series:
    """A column of Python objects (never inferred as Arrow strings)."""
    return pd.Series(values, index=index, dtype=object)


def frame(cols: dict) -> pd.DataFrame:
    """A DataFrame whose object arrays stay object columns."""
    return pd.DataFrame({k: pd.Series(v, dtype=object) if isinstance(v, np.ndarray)
                         and v.dtype == object else v for k, v in cols.items()})
