"""The office's own totals against what was imported.

A ledger often states totals about itself: a 合计 row, a 统计 sheet, a title
saying ``15件16人``.  Each ``OfficeTotal`` is compared with the same figure
counted over what the import made of that sheet; a mismatch is a warning the
office must see (a row lost, a row read twice, or a total written by hand).

Completion figures (``what`` = ``done`` or ``rate``) depend on how the office
counts 持续整改/长期坚持 (ongoing): some count it as done, some not (昆明's
688 of 697 = 98.71 % counts it as not done).  The import computes both and
says which convention the office's own figure follows.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from loaders.office.records import OfficeTotal, Origin, Resolution

#: Conventions for measures whose status is ongoing (持续整改/长期坚持).
ONGOING_DONE = "ongoing_done"
ONGOING_OPEN = "ongoing_open"

#: Tolerance when comparing a rate the office wrote (98.71) with ours.
RATE_TOLERANCE = 0.006


@dataclass(frozen=True)
class TotalCheck:
    """One office total, what the import counted, and whether they agree."""

    total: OfficeTotal
    counted: float | None  # None: the import cannot count this figure
    matches: bool | None
    convention: str | None = None  # the convention the office's figure follows

    def as_record(self) -> dict[str, Any]:
        o = self.total.origin
        return {"file": o.file, "sheet": o.sheet, "row": o.row, "table": self.total.table,
                "what": self.total.what, "text": self.total.text,
                "office": self.total.value, "imported": self.counted,
                "matches": self.matches, "convention": self.convention}


def _same_sheet(origin: Origin, total: OfficeTotal) -> bool:
    return origin.file == total.origin.file and origin.sheet == total.origin.sheet


def sheet_rows(resolution: Resolution, table: str, total: OfficeTotal) -> list[dict[str, Any]]:
    """The resolved rows of ``table`` that came from the total's sheet."""
    rows = resolution.tables.get(table, [])
    origins = resolution.origins.get(table, [])
    return [r for r, o in zip(rows, origins) if _same_sheet(o, total)]


def completion(measures: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Measures done, ongoing and the rest; the rate under each convention."""
    done = sum(1 for m in measures if m.get("status") == "done")
    ongoing = sum(1 for m in measures if m.get("status") == "ongoing")
    n = len(measures)
    return {"measures": n, "done": done, "ongoing": ongoing, "not_done": n - done - ongoing,
            ONGOING_DONE: round((done + ongoing) / n, 4) if n else None,
            ONGOING_OPEN: round(done / n, 4) if n else None}


def _as_fraction(value: float) -> float:
    return value / 100 if value > 1 else value


def _completion_check(total: OfficeTotal, measures: list[dict[str, Any]]) -> TotalCheck:
    c = completion(measures)
    if total.what == "done":
        options = {ONGOING_OPEN: c["done"], ONGOING_DONE: c["done"] + c["ongoing"]}
        hit = [k for k, v in options.items() if v == total.value]
    else:
        if not c["measures"]:
            return TotalCheck(total, None, False)
        options = {k: c[k] for k in (ONGOING_OPEN, ONGOING_DONE)}
        hit = [k for k, v in options.items()
               if abs(v - _as_fraction(total.value)) <= RATE_TOLERANCE]
    if not hit:
        return TotalCheck(total, options[ONGOING_DONE], False)
    convention = hit[0] if len(hit) == 1 else None  # no ongoing measure: both agree
    return TotalCheck(total, options[hit[0]], True, convention)


def _distinct(rows: list[dict[str, Any]], column: str) -> int:
    seen: set[str] = set()
    for r in rows:
        v = r.get(column)
        if isinstance(v, (list, tuple)):
            seen.update(str(x) for x in v if x)
        elif v:
            seen.add(str(v))
    return len(seen)


def check_total(total: OfficeTotal, resolution: Resolution) -> TotalCheck:
    if total.what in ("done", "rate"):
        return _completion_check(total, sheet_rows(resolution, "measures", total))
    rows = sheet_rows(resolution, total.table, total)
    if total.what == "records":
        counted: float | None = len(rows)
    elif total.what == "people":
        column = "person_ids" if total.table == "problems" else "person_id"
        counted = _distinct(rows, column)
    elif total.what in ("units", "unit_id"):
        counted = _distinct(rows, "unit_id")
    elif any(total.what in r for r in rows) or rows:
        values = [r.get(total.what) for r in rows]
        numbers = [float(v) for v in values if isinstance(v, (int, float))
                   and not isinstance(v, bool)]
        counted = round(sum(numbers), 4) if numbers else None
    else:
        counted = None
    matches = None if counted is None else abs(counted - total.value) < 1e-6
    return TotalCheck(total, counted, matches)


def check_totals(totals: Sequence[OfficeTotal], resolution: Resolution) -> list[TotalCheck]:
    return [check_total(t, resolution) for t in totals]
