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
