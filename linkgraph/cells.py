"""Cell values made safe and plain for every writer (CSV, JSON, XLSX).

Shared by ``linkgraph.output`` and ``linkgraph.workbook`` so that neither
imports the other.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Any

Record = Mapping[str, Any]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, made inert."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


_PLAIN_TYPES = (str, int, bool)


def plain(value: Any) -> Any:
    """A value as JSON can hold it: dates as ISO text, NaN/NaT as None."""
    if value is None or type(value) in _PLAIN_TYPES:  # the common case, fast
        return value
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        try:
            return value.strftime("%Y-%m-%d")
        except ValueError:  # NaT
            return None
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return [plain(v) for v in items]
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item):
        return plain(item())
    if value.__class__.__name__ in ("NAType", "NaTType"):
        return None
    return value



#: Excel's limit on the characters of one cell
XLSX_CELL_CHARS = 32767
_CUT = "…【超出 Excel 单元格上限，已截断；全文见 CSV/JSON 输出 / cut at Excel's cell limit】"


def fit_cell(text: str) -> str:
    """Text that fits an Excel cell; a longer one is cut *visibly*, never silently."""
    if len(text) <= XLSX_CELL_CHARS:
        return text
    return text[: XLSX_CELL_CHARS - len(_CUT)] + _CUT


def _columns(records: Sequence[Record], columns: Sequence[str] | None) -> list[str]:
    if columns is not None:
        return list(columns)
    seen: dict[str, None] = {}
    for r in records:
        seen.update(dict.fromkeys(r))
    return list(seen)


def _created() -> dt.datetime:
    """The workbook's creation time: SOURCE_DATE_EPOCH when set (byte-identical
    reports), else now."""
    from linkgraph.provenance import generated_at

    return dt.datetime.fromisoformat(generated_at().replace("Z", "")).replace(tzinfo=None)


#: A field ``x_en`` beside ``x`` holds the English text of ``x`` (a sentence
#: an analysis writes in both languages): outputs in English show it as
#: ``x``, outputs in Chinese leave it out.
EN_SUFFIX = "_en"


#: Whole cells an analysis writes in Chinese (a totals row, a blank key) and
#: how they read in English.
PLACEHOLDERS_EN = {"（未填写）": "(not given)", "合计": "Total", "小计": "Subtotal",
                   "（无姓名）": "(no name)", "（未知单位）": "(unknown unit)"}


def localised(record: Record, lang: str) -> dict[str, Any]:
    """``record`` as a reader of ``lang`` sees it: ``x_en`` replaces ``x`` in
    English, and is dropped in Chinese."""
    twins = [k for k in record if k.endswith(EN_SUFFIX) and k[: -len(EN_SUFFIX)] in record]
    if lang == "en" and any(type(v) is str and v in PLACEHOLDERS_EN for v in record.values()):
        record = {k: PLACEHOLDERS_EN.get(v, v) if type(v) is str else v
                  for k, v in record.items()}
    if not twins:
        return dict(record)
    out = {k: v for k, v in record.items() if k not in twins}
    if lang == "en":
        for k in twins:
            if plain(record[k]) not in (None, ""):
                out[k[: -len(EN_SUFFIX)]] = record[k]
    return out


def localised_columns(columns: Sequence[str] | None) -> list[str] | None:
    """``columns`` without the ``x_en`` twins of columns it lists."""
    if columns is None:
        return None
    cols = list(columns)
    return [c for c in cols if not (c.endswith(EN_SUFFIX) and c[: -len(EN_SUFFIX)] in cols)]


#: Node labels of an evidence path -> the kind of names (``workbook.names_of``) that names them.
NODE_NAMES = {"Person": "person", "Unit": "unit", "Team": "team", "Region": "region",
              "Department": "dept", "Round": "round"}


def path_text(keys: Sequence[Any], names: Mapping[str, Mapping[str, str]]) -> str:
    """``("Person:P1", "Unit:U3")`` as ``王伟 → 金堂县教育局`` (ids whose name is unknown)."""
    out = []
    for key in keys:
        label, _, ident = str(key).partition(":")
        if ident in ("", "None", "nan"):
            out.append("?")   # a step the ledger leaves blank (a hometown not given)
            continue
        out.append(names.get(NODE_NAMES.get(label, ""), {}).get(ident, ident))
    return " → ".join(out)
