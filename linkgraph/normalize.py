"""Cell normalisation: how each kind of cell is read.

A reader (``read_dates``, ``vocabulary_reader(table)`` …) takes distinct cell
values and returns ``(values, bad)``, where ``bad`` marks the cells that held
something but could not be read, so the checker can report each of them with
its row, column and value.  ``check.Cells`` reads all columns of one kind of a
table in one call; ``dates(series)`` and the like read one Series.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import Any

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
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_LIST_SPLIT = re.compile(r"[;,、，；\n|]+")
#: a cell made only of printable ASCII without spaces needs no NFKC nor trimming
_NEEDS_WORK = re.compile(r"[^\x21-\x7e]")
_INTEGRAL = re.compile(r"\d+\.0+")
_TRAILING_ZEROS = re.compile(r"\.0+$")
_SPACES = re.compile(r"\s+")

#: A reader takes the distinct cell values of a column (or of several columns
#: of one kind) and returns their typed values and whether each held
#: something that could not be read.  ``None`` stands for an empty cell.
#: One Python pass over distinct values: ledger columns repeat themselves
#: (ids, dates, categories, 是/否), and a Python loop over strings is faster
#: than pandas' string methods at every size (and has no per-call overhead,
#: which is what a small ledger's load is made of).
Reader = Callable[[Sequence[object]], tuple[Any, np.ndarray]]


def _objects(values: list) -> np.ndarray:
    """An object array of ``values`` (also when they are tuples)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _no(values: Sequence[object]) -> np.ndarray:
    return np.zeros(len(values), dtype=bool)


def text_value(cell: object) -> str | None:
    """NFKC, invisible characters removed, trimmed; empty -> None."""
    if cell is None or cell != cell:  # None, NaN, NaT
        return None
    s = cell if isinstance(cell, str) else str(cell)
    if _NEEDS_WORK.search(s):
        s = _INVISIBLE.sub("", unicodedata.normalize("NFKC", s)).strip()
    return s or None


def free_text_value(cell: object) -> str | None:
    """Free text kept as written — descriptions, names: invisible characters
    removed and trimmed, but no NFKC, so ``，（）；`` stay the ledger's own and
    an output quotes the ledger exactly; empty -> None."""
    if cell is None or cell != cell:
        return None
    s = _INVISIBLE.sub("", cell if isinstance(cell, str) else str(cell)).strip()
    return s or None


def blank_value(cell: object) -> str | None:
    """Text with the empty markers ("无", "/", ...) turned into None."""
    t = text_value(cell)
    return None if t is None or t.lower() in EMPTY_MARKERS else t


def identifier_value(cell: object) -> str | None:
    """IDs: NFKC + trimmed; ``1001.0`` (an Excel number) -> ``1001``."""
    t = blank_value(cell)
    if t is not None and _INTEGRAL.fullmatch(t):
        t = _TRAILING_ZEROS.sub("", t)
    return t


#: Above this many distinct values, the cells a reader would return as
#: written are found with Arrow compute first (ids are distinct per row: a
#: city's 875k ids were 30 % of its load one Python call chain at a time).
PLAIN_SCAN_MIN = 4096
_ASCII_MARKERS = sorted(m for m in EMPTY_MARKERS if m.isascii())


def _plain(values: Sequence[object], markers: bool, integral: bool) -> np.ndarray | None:
    """Which values are text of printable ASCII without spaces (what
    ``text_value`` returns unchanged), and with ``markers`` no empty marker,
    with ``integral`` no ``1001.0``; None when Arrow cannot take the values."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arr = pa.array(values, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    mask = pc.match_substring_regex(arr, r"^[\x21-\x7e]+$")
    if markers:
        mask = pc.and_(mask, pc.invert(pc.is_in(pc.utf8_lower(arr),
                                                value_set=pa.array(_ASCII_MARKERS))))
    if integral:
        mask = pc.and_(mask, pc.invert(pc.match_substring_regex(arr, r"^[0-9]+\.0+$")))
    return mask.fill_null(False).to_numpy(zero_copy_only=False)


def _read_each(values: Sequence[object], one: Callable[[object], object], markers: bool,
               integral: bool) -> np.ndarray:
    """``one`` of every value, skipping the values it would return as they are."""
    plain = _plain(values, markers, integral) if len(values) >= PLAIN_SCAN_MIN else None
    if plain is None:
        return _objects([one(v) for v in values])
    out = _objects(list(values))
    rest = np.flatnonzero(~plain)
    if len(rest):
        out[rest] = _objects([one(out[i]) for i in rest.tolist()])
    return out


def read_text(values: Sequence[object]) -> tuple[np.ndarray, np.ndarray]:
    return _read_each(values, text_value, False, False), _no(values)


def read_free_text(values: Sequence[object]) -> tuple[np.ndarray, np.ndarray]:
    return _objects([free_text_value(v) for v in values]), _no(values)


def read_blank(values: Sequence[object]) -> tuple[np.ndarray, np.ndarray]:
    return _read_each(values, blank_value, True, False), _no(values)


def read_identifiers(values: Sequence[object]) -> tuple[np.ndarray, np.ndarray]:
    return _read_each(values, identifier_value, True, True), _no(values)


def _ascii_int(digits: str | None) -> int | None:
    return int(digits) if digits is not None and digits.isascii() else None


def date_value(text: str) -> dt.date | None:
    """Every date form DESIGN.md lists; Excel serials; ``20231015``."""
    m = _DATE.search(text) or _COMPACT_DATE.search(text)
    if m is not None:
        year, month = _ascii_int(m.group("y")), _ascii_int(m.group("m"))
        day = _ascii_int(m.group("d") or "1")
        if year is not None and 1900 <= year <= 2100 and month is not None and day is not None:
            try:
                return dt.date(year, month, day)
            except ValueError:
                pass
    if _NUMBER.fullmatch(text) and text.isascii():
        serial = float(text)
        if 10000 <= serial <= 73050:  # 1927-05-18 .. 2099-12-31
            return _EXCEL_EPOCH + dt.timedelta(days=math.floor(serial))
    return None


def read_dates(values: Sequence[object]) -> tuple[np.ndarray, np.ndarray]:
    out = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[ns]")
    bad = _no(values)
    for i, cell in enumerate(values):
        t = blank_value(cell)
        if t is None:
            continue
        day = date_value(t)
        if day is None:
            bad[i] = True
        else:
            out[i] = np.datetime64(day, "ns")
    return out, bad


def _numbers(texts: list[str]) -> np.ndarray:
    """pandas' reading of numbers (one call for all), as float64; NaN if not one."""
    if not texts:
        return np.zeros(0)
    return np.asarray(pd.to_numeric(pd.Series(texts, dtype=object), errors="coerce"),
                      dtype=float)


def read_integers(values: Sequence[object]) -> tuple[Any, np.ndarray]:
    present = [blank_value(v) for v in values]
    num = _numbers([_thousands(t or "") for t in present])
    whole = np.isfinite(num) & (num == np.floor(num)) & (np.abs(num) < 2**53)
    ints = pd.arrays.IntegerArray(np.where(whole, num, 0).astype("int64"), ~whole)
    bad = np.array([t is not None for t in present], dtype=bool) & ~whole
    return ints, bad


_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?:[^\d.,]*)$")
_DECIMAL_COMMA = re.compile(r"^([+-]?\d+),(\d+)([^\d.,]*)$")


def _thousands(s: str) -> str:
    """``1,234.5`` -> ``1234.5`` (a thousands separator), ``12,5`` -> ``12.5``
    (a decimal comma, as semicolon CSVs write it); anything else with a
    comma stays as it is, and does not parse."""
    if "," not in s:
        return s
    if _GROUPED.match(s):
        return s.replace(",", "")
    if _DECIMAL_COMMA.match(s):
        return _DECIMAL_COMMA.sub(r"\1.\2\3", s)
    return s


_SCALE = (("亿元", 1e8), ("亿", 1e8), ("万元", 1e4), ("万", 1e4), ("元", 1.0))


def _scaled(s: str) -> tuple[str, float]:
    """``12.5万`` -> (``12.5``, 1e4): the number and its unit's factor."""
    for suffix, factor in _SCALE:
        if s.endswith(suffix):
            return s[:-len(suffix)], factor
    return s, 1.0


def read_amounts(values: Sequence[object]) -> tuple[np.ndarray, np.ndarray]:
    """Money: ``1,234.5``, ``12.5万``, ``300元``."""
    present = [blank_value(v) for v in values]
    scaled = [_scaled(_thousands((t or "").replace(" ", ""))) for t in present]
    num = _numbers([s for s, _ in scaled]) * np.array([f for _, f in scaled], dtype=float)
    num = np.where(np.isfinite(num), num, np.nan)  # inf, 1e400: not an amount (nor valid JSON)
    bad = np.array([t is not None for t in present], dtype=bool) & np.isnan(num)
    return num, bad


def _words_reader(table: Mapping[str, str], *,
                  spaces: bool) -> Callable[[Sequence[object]], tuple[list, np.ndarray]]:
    """Words looked up (lower-cased; ``spaces=False`` drops inner spaces) in ``table``."""
    def read(values: Sequence[object]) -> tuple[list, np.ndarray]:
        out, bad = [], _no(values)
        for i, cell in enumerate(values):
            t = blank_value(cell)
            low = "" if t is None else t.lower() if spaces else _SPACES.sub("", t.lower())
            word = table.get(low)
            out.append(word)
            bad[i] = t is not None and word is None
        return out, bad
    return read


def boolean_reader(table: Mapping[str, str]) -> Reader:
    """是/否, Y/N, 1/0, true/false; empty = false."""
    words = _words_reader(table, spaces=True)

    def read(values: Sequence[object]) -> tuple[np.ndarray, np.ndarray]:
        out, bad = words(values)
        return np.array([w == "true" for w in out], dtype=bool), bad
    return read


def vocabulary_reader(table: Mapping[str, str]) -> Reader:
    """Chinese or English words mapped to the canonical value; unknown -> bad."""
    words = _words_reader(table, spaces=False)

    def read(values: Sequence[object]) -> tuple[np.ndarray, np.ndarray]:
        out, bad = words(values)
        return _objects(out), bad
    return read


def list_reader(*, ids: bool) -> Reader:
    """``a;b；c、d`` -> ``("a", "b", "c", "d")``; empty -> ``()``."""
    first = blank_value if ids else text_value

    def split(cell: object) -> tuple[str, ...]:
        t = first(cell)
        if t is None:
            return ()
        items = [x for x in (part.strip() for part in _LIST_SPLIT.split(t)) if x]
        if ids:
            items = [_TRAILING_ZEROS.sub("", x) if _INTEGRAL.fullmatch(x) else x for x in items]
        return tuple(dict.fromkeys(items))

    def read(values: Sequence[object]) -> tuple[np.ndarray, np.ndarray]:
        return _objects([split(v) for v in values]), _no(values)
    return read


def read_series(raw: pd.Series, reader: Reader) -> tuple[pd.Series, pd.Series]:
    """``reader`` over a Series: each distinct cell read once, then spread."""
    codes, uniques = pd.factorize(raw.to_numpy(dtype=object), use_na_sentinel=True)
    values, bad = reader([*uniques, None])
    take = np.where(codes < 0, len(uniques), codes)
    typed = values[take]
    dtype = object if isinstance(typed, np.ndarray) and typed.dtype == object else None
    return pd.Series(typed, index=raw.index, dtype=dtype), pd.Series(bad[take], index=raw.index)


def text(raw: pd.Series) -> pd.Series:
    return read_series(raw, read_text)[0]


def free_text(raw: pd.Series) -> pd.Series:
    return read_series(raw, read_free_text)[0]


def identifier(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    return read_series(raw, read_identifiers)


def dates(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    return read_series(raw, read_dates)


def integers(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    return read_series(raw, read_integers)


def amounts(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    return read_series(raw, read_amounts)


def booleans(raw: pd.Series, table: Mapping[str, str]) -> tuple[pd.Series, pd.Series]:
    return read_series(raw, boolean_reader(table))


def vocabulary(raw: pd.Series, table: Mapping[str, str]) -> tuple[pd.Series, pd.Series]:
    return read_series(raw, vocabulary_reader(table))


def split_list(raw: pd.Series, *, ids: bool) -> tuple[pd.Series, pd.Series]:
    return read_series(raw, list_reader(ids=ids))


def header(name: object) -> str:
    """A header cell as it is matched against the aliases."""
    s = re.sub(r"\s+", "", _INVISIBLE.sub("", str(name)))
    s = unicodedata.normalize("NFKC", s).strip().lower()
    return s.lstrip("*").rstrip("*")


def strip_header_note(name: str) -> str:
    """``单位编码(必填)`` -> ``单位编码``: drop a trailing bracketed note."""
    return re.sub(r"[(\[【<][^(\[【<]*[)\]】>]$", "", name).rstrip("*")
