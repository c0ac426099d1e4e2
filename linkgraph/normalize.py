"""Cell normalisation, vectorised over pandas Series of raw strings.

Every parser returns ``(values, bad)`` where ``bad`` is a boolean mask of the
cells that held something but could not be read, so the checker can report
each of them with its row, column and value.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

#: Cells ledgers use to mean "nothing here" in non-text columns.
EMPTY_MARKERS = frozenset({"", "无", "/", "-", "—", "——", "--", "n/a", "na", "nan",
                           "null", "none", "nat", "空", "暂无"})

#: removed from text: zero-width space/word joiner/BOM and C0 controls.
#: ZWJ and ZWNJ (U+200C/D) stay: they belong to emoji and some names.
#: NUL is not here: a cell holding one is rejected (check.suspicious_cells).
_INVISIBLE = re.compile(r"[\u200b\u2060\ufeff\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: what must not hide in an id: every invisible, control or direction mark
ID_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f"
                          r"\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
#: Excel's number 2019.1 may be 2019年1月 or 2019.10 that lost its zero
AMBIGUOUS_YEAR_MONTH = re.compile(r"^\s*(19|20)\d\d\.1\s*$")
_DATE = re.compile(
    r"^(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*月?\s*"
    r"(?:[-/.]?\s*(?P<d>\d{1,2})\s*[日号]?)?"
    r"(?:[ T]+(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d*)?)?)?$"
)
_COMPACT_DATE = re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$")
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_LIST_SPLIT = re.compile(r"[;,、，；\n|]+")


def _per_unique(parser: Callable) -> Callable:
    """Run ``parser`` once per distinct cell value, then spread the results.

    Ledger columns repeat themselves (ids, dates, categories, 是/否), so a
    2M-row column usually has a few thousand distinct values.
    """
    @functools.wraps(parser)
    def run(raw: pd.Series, *args, **kwargs):
        codes, uniques = pd.factorize(raw, use_na_sentinel=True)
        if len(uniques) * 2 > len(raw):
            return parser(raw, *args, **kwargs)
        keys = pd.Series(list(uniques) + [None], dtype=object)
        result = parser(keys, *args, **kwargs)
        take = np.where(codes < 0, len(uniques), codes)

        def spread(s: pd.Series) -> pd.Series:
            out = s.iloc[take]
            out.index = raw.index
            return out
        return tuple(spread(r) for r in result) if isinstance(result, tuple) else spread(result)
    return run


def _text(raw: pd.Series) -> pd.Series:
    """NFKC, invisible characters removed, trimmed; empty -> None."""
    s = raw.astype(object).where(raw.notna(), None)
    present = s.notna()
    if not present.any():
        return pd.Series([None] * len(s), index=s.index, dtype=object)
    out = pd.Series(None, index=s.index, dtype=object)
    values = s[present].astype(str)
    # printable ASCII without spaces needs nothing: NFKC leaves it as it is
    work = values.str.contains(r"[^\x21-\x7e]", regex=True)
    out[present] = values.astype(object)
    if work.any():
        cleaned = (values[work].str.normalize("NFKC")
                   .str.replace(_INVISIBLE, "", regex=True).str.strip())
        out[work[work].index] = cleaned.astype(object)
    return _none_for_missing(out.where(out != "", None))


def _none_for_missing(s: pd.Series) -> pd.Series:
    """Object Series whose missing cells are ``None`` (never NaN)."""
    s = s.astype(object)
    s[s.isna()] = None
    return s


text = _per_unique(_text)


def _free_text(raw: pd.Series) -> pd.Series:
    """Free text kept as written — descriptions, names: invisible characters
    removed and trimmed, but no NFKC, so ``，（）；`` stay the ledger's own and
    an output quotes the ledger exactly; empty -> None."""
    s = raw.astype(object).where(raw.notna(), None)
    present = s.notna()
    out = pd.Series(None, index=s.index, dtype=object)
    if present.any():
        cleaned = s[present].astype(str).str.replace(_INVISIBLE, "", regex=True).str.strip()
        out[present] = cleaned.astype(object)
    return _none_for_missing(out.where(out != "", None))


free_text = _per_unique(_free_text)


def _blank(s: pd.Series) -> pd.Series:
    """Text with the empty markers ("无", "/", ...) turned into None."""
    t = _text(s)
    return _none_for_missing(t.where(~t.fillna("").str.lower().isin(EMPTY_MARKERS), None))


@_per_unique
def identifier(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """IDs: NFKC + trimmed; ``1001.0`` (an Excel number) -> ``1001``."""
    t = _blank(raw)
    integral = t.fillna("").str.fullmatch(r"\d+\.0+")
    t = t.where(~integral, t.fillna("").str.replace(r"\.0+$", "", regex=True))
    return _none_for_missing(t), pd.Series(False, index=t.index)


@_per_unique
def dates(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Every date form DESIGN.md lists; Excel serials; ``20231015``."""
    t = _blank(raw)
    present = t.notna()
    s = t.fillna("")
    parts = s.str.extract(_DATE)
    compact = s.str.extract(_COMPACT_DATE)
    for col in ("y", "m", "d"):
        parts[col] = parts[col].fillna(compact[col])
    parts["d"] = parts["d"].where(parts["y"].isna() | parts["d"].notna(), "1")
    y = pd.to_numeric(parts["y"], errors="coerce")
    ok_year = y.between(1900, 2100)
    built = pd.to_datetime(
        {"year": y.where(ok_year, 2000), "month": pd.to_numeric(parts["m"], errors="coerce"),
         "day": pd.to_numeric(parts["d"], errors="coerce")},
        errors="coerce",
    ).where(ok_year)
    numeric = s.str.fullmatch(_NUMBER) & built.isna()
    serial = pd.to_numeric(s.where(numeric), errors="coerce")
    serial = serial.where(serial.between(10000, 73050))  # 1927-05-18 .. 2099-12-31
    from_serial = _EXCEL_EPOCH + pd.to_timedelta(np.floor(serial), unit="D")
    out = built.fillna(from_serial).astype("datetime64[ns]")
    bad = present & out.isna()
    return out, bad


@_per_unique
def integers(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    t = _blank(raw)
    num = pd.to_numeric(_thousands(t.fillna("")), errors="coerce")
    whole = num.where(num.notna() & (num == np.floor(num)) & (num.abs() < 2**53))
    bad = t.notna() & whole.isna()
    return whole.astype("Int64"), bad


_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?:[^\d.,]*)$")
_DECIMAL_COMMA = re.compile(r"^([+-]?\d+),(\d+)([^\d.,]*)$")


def _thousands(s: pd.Series) -> pd.Series:
    """``1,234.5`` -> ``1234.5`` (a thousands separator), ``12,5`` -> ``12.5``
    (a decimal comma, as semicolon CSVs write it); anything else with a
    comma stays as it is, and does not parse."""
    has = s.str.contains(",", regex=False)
    if not has.any():
        return s
    out = s.copy()
    grouped = has & s.str.match(_GROUPED)
    out[grouped] = s[grouped].str.replace(",", "", regex=False)
    decimal = has & ~grouped & s.str.match(_DECIMAL_COMMA)
    out[decimal] = s[decimal].str.replace(_DECIMAL_COMMA, r"\1.\2\3", regex=True)
    return out


_SCALE = (("亿元", 1e8), ("亿", 1e8), ("万元", 1e4), ("万", 1e4), ("元", 1.0))


@_per_unique
def amounts(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Money: ``1,234.5``, ``12.5万``, ``300元``."""
    t = _blank(raw)
    s = _thousands(t.fillna("").str.replace(" ", "", regex=False))
    factor = pd.Series(1.0, index=s.index)
    for suffix, mult in _SCALE:
        hit = s.str.endswith(suffix) & (factor == 1.0)
        factor = factor.where(~hit, mult)
        s = s.where(~hit, s.str.slice(0, -len(suffix)))
    num = pd.to_numeric(s, errors="coerce") * factor
    num = num.where(np.isfinite(num))  # inf, 1e400: not an amount (nor valid JSON)
    bad = t.notna() & num.isna()
    return num.astype(float), bad


@_per_unique
def booleans(raw: pd.Series, table: Mapping[str, str]) -> tuple[pd.Series, pd.Series]:
    """是/否, Y/N, 1/0, true/false; empty = false."""
    t = _blank(raw)
    low = t.fillna("").str.lower()
    mapped = low.map(table)
    bad = t.notna() & mapped.isna()
    return mapped.eq("true"), bad


@_per_unique
def vocabulary(raw: pd.Series, table: Mapping[str, str]) -> tuple[pd.Series, pd.Series]:
    """Map Chinese or English words to the canonical value; unknown -> bad."""
    t = _blank(raw)
    low = t.fillna("").str.lower().str.replace(r"\s+", "", regex=True)
    mapped = low.map(table)
    bad = t.notna() & mapped.isna()
    return _none_for_missing(mapped), bad


@_per_unique
def split_list(raw: pd.Series, *, ids: bool) -> tuple[pd.Series, pd.Series]:
    """``a;b；c、d`` -> ``("a", "b", "c", "d")``; empty -> ``()``."""
    t = _blank(raw) if ids else _text(raw)

    def split(cell: object) -> tuple[str, ...]:
        if cell is None or cell != cell:  # None or NaN
            return ()
        items = [x for x in (part.strip() for part in _LIST_SPLIT.split(str(cell))) if x]
        if ids:
            items = [re.sub(r"^(\d+)\.0+$", r"\1", x) for x in items]
        return tuple(dict.fromkeys(items))

    return t.map(split).astype(object), pd.Series(False, index=t.index)


def header(name: object) -> str:
    """A header cell as it is matched against the aliases."""
    s = re.sub(r"\s+", "", _INVISIBLE.sub("", str(name)))
    s = unicodedata.normalize("NFKC", s).strip().lower()
    return s.lstrip("*").rstrip("*")


def strip_header_note(name: str) -> str:
    """``单位编码(必填)`` -> ``单位编码``: drop a trailing bracketed note."""
    return re.sub(r"[(\[【<][^(\[【<]*[)\]】>]$", "", name).rstrip("*")
