"""How each canonical cell is written in a ledger file (tidy or messy).

Every function takes a column's values and returns the text a Chinese ledger
would hold; a loader that applies NFKC, trims, and reads the contract's date
and boolean forms gets the canonical value back.  Messy choices come from a
random stream keyed by table and column, so they do not depend on the file
format, encoding or header language.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy as np
import pandas as pd

from linkgraph.vocab import LABELS_ZH

_WIDE = str.maketrans({",": "，", "(": "（", ")": "）", ":": "：", ";": "；"})
_FULLWIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})
_LEAD = ("", " ", "\u3000")
_TRAIL = ("", " ", "  ")
DATE_FORMATS = ("{y:04d}-{m:02d}-{d:02d}", "{y:04d}/{m:02d}/{d:02d}", "{y:04d}.{m:02d}.{d:02d}",
                "{y:04d}年{m}月{d}日", "{y:04d}/{m}/{d}")
_DATE_P = np.array([0.4, 0.2, 0.15, 0.15, 0.1])
_TRUE = ("是", "是", "是", "是", "Y", "√", "1")
_FALSE = ("否", "否", "否", "", "N", "0")
EXCEL_EPOCH = dt.date(1899, 12, 30).toordinal()


def text(values: np.ndarray) -> np.ndarray:
    """Free text as ledgers print it: full-width ，（）：； (NFKC gives them back)."""
    out = values.copy()
    ok = pd.notna(out)
    out[ok] = [v.translate(_WIDE) for v in out[ok].tolist()]
    return out


def untidy(values: np.ndarray, rng: np.random.Generator, share: float,
           fullwidth: bool) -> np.ndarray:
    """Some cells with stray spaces (and, for ids, full-width characters)."""
    out = values.copy()
    ok = np.flatnonzero(pd.notna(out) & (rng.random(len(out)) < share))
    lead = rng.integers(0, 3, len(ok))
    trail = rng.integers(0, 3, len(ok))
    wide = fullwidth & (rng.random(len(ok)) < 0.6)
    for k, i in enumerate(ok.tolist()):
        v = out[i].translate(_FULLWIDTH) if wide[k] else out[i]
        out[i] = _LEAD[lead[k]] + v + _TRAIL[trail[k]]
    return out


_BASE = dt.date(1900, 1, 1).toordinal()
_LAST = dt.date(2100, 12, 31).toordinal()


@lru_cache(maxsize=None)
def _date_pool(fmt: int) -> np.ndarray:
    """Text of every day from 1900 to 2100 in one format (shared strings)."""
    f = DATE_FORMATS[fmt]
    out = np.empty(_LAST - _BASE + 1, dtype=object)
    out[:] = [f.format(y=d.year, m=d.month, d=d.day) for d in
              map(dt.date.fromordinal, range(_BASE, _LAST + 1))]
    return out


class DatePool:
    """Dates as text in the ledger formats."""

    @staticmethod
    def write(values: np.ndarray, fmt: np.ndarray | None = None) -> np.ndarray:
        """Dates as text; ``fmt`` picks a format per cell (default ISO)."""
        d = values.astype("datetime64[D]")
        ok = ~np.isnat(d)
        day = d.astype(np.int64) + dt.date(1970, 1, 1).toordinal() - _BASE
        out = np.full(len(values), None, dtype=object)
        fmt = np.zeros(len(values), np.int64) if fmt is None else fmt
        for f in np.unique(fmt[ok]).tolist():
            m = ok & (fmt == f)
            out[m] = _date_pool(f)[day[m]]
        return out


def messy_date_formats(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.choice(len(DATE_FORMATS), size=n, p=_DATE_P)


def booleans(values: np.ndarray, rng: np.random.Generator | None) -> np.ndarray:
    v = values.astype(bool)
    if rng is None:
        return np.where(v, "是", "否").astype(object)
    t = np.array(_TRUE, dtype=object)[rng.integers(0, len(_TRUE), len(v))]
    f = np.array(_FALSE, dtype=object)[rng.integers(0, len(_FALSE), len(v))]
    return np.where(v, t, f)


def vocabulary(values: np.ndarray, vocab: str, words: np.ndarray | None) -> np.ndarray:
    """Closed-vocabulary cells in Chinese: the chosen words, else the usual label."""
    if words is not None:
        return words
    labels = LABELS_ZH[vocab]
    out = np.empty(len(values), dtype=object)
    out[:] = [None if v is None else labels[v] for v in values.tolist()]
    return out


def lists(values: np.ndarray, rng: np.random.Generator | None) -> np.ndarray:
    """``a;b`` lists; messy ones use 、 or ； as separators."""
    if rng is None:
        return values
    out = values.copy()
    sep = np.array([";", "、", "；"], dtype=object)[rng.integers(0, 3, len(out))]
    ok = np.flatnonzero(pd.notna(out))
    out[ok] = [v.replace(";", s) for v, s in zip(out[ok].tolist(), sep[ok].tolist())]
    return out


def amounts(values: np.ndarray, rng: np.random.Generator | None) -> np.ndarray:
    out = np.full(len(values), None, dtype=object)
    ok = ~np.isnan(values)
    out[ok] = np.char.mod("%.2f", values[ok])
    if rng is not None:
        comma = np.flatnonzero(ok & (rng.random(len(values)) < 0.3))
        out[comma] = [f"{values[i]:,.2f}" for i in comma.tolist()]
    return out


def integers(values) -> np.ndarray:
    s = pd.Series(values)
    out = np.full(len(s), None, dtype=object)
    ok = s.notna().to_numpy()
    out[ok] = s[ok].astype(np.int64).astype(str).to_numpy(dtype=object)
    return out
