"""The import report: per sheet, what it was read as and where its rows went.

Every source row ends in exactly one place — records, a named non-data row,
or rejected.  A row the reader left in none of them is *unaccounted* and
counted with the rejected ones, so a partial import never looks complete.
A sheet that matched no table has all its rows unaccounted unless the reader
named them (a 说明 sheet's text as ``note`` rows, say).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from loaders.office.records import Origin, RejectedRow, Resolution, SheetRead
from loaders.office.totals import TotalCheck, completion


@dataclass(frozen=True)
class SheetAccount:
    """Where one sheet's rows went."""

    file: str
    sheet: str
    table: str | None
    header_rows: tuple[int, ...]
    rows_read: int
    record_rows: int
    records: dict[str, int]
    non_data: dict[str, int]
    rejected_rows: int
    unaccounted_rows: int
    unit: str | None
    round: str | None
    notes: tuple[str, ...]

    def as_record(self) -> dict[str, Any]:
        return {"file": self.file, "sheet": self.sheet, "table": self.table,
                "header_rows": list(self.header_rows), "rows_read": self.rows_read,
                "record_rows": self.record_rows, "records": self.records,
                "non_data": self.non_data, "rejected_rows": self.rejected_rows,
                "unaccounted_rows": self.unaccounted_rows, "unit": self.unit,
                "round": self.round, "notes": list(self.notes)}


def _key(o: Origin) -> tuple[str, str]:
    return (o.file, o.sheet)


def account(sheet: SheetRead, resolved_out: Sequence[RejectedRow] = ()) -> SheetAccount:
    """One sheet's account; ``resolved_out`` are the resolver's rejects for it
    (a record whose reference could not be resolved)."""
    rejected = {r.origin.row for r in sheet.rejected} | {r.origin.row for r in resolved_out}
    non_data_rows = {r.origin.row for r in sheet.non_data}
    record_rows = {r.origin.row for r in sheet.records} - rejected
    accounted = record_rows | non_data_rows | rejected
    dropped = {(x.origin.row, x.origin.item) for x in resolved_out}
    records = Counter(r.table for r in sheet.records
                      if (r.origin.row, r.origin.item) not in dropped)
    return SheetAccount(
        sheet.file, sheet.sheet, sheet.table, tuple(sheet.header_rows), sheet.rows_read,
        len(record_rows), dict(sorted(records.items())),
        dict(sorted(Counter(r.kind for r in sheet.non_data).items())),
        len(rejected), max(sheet.rows_read - len(accounted), 0),
        sheet.unit.text if sheet.unit else None, sheet.round_text, tuple(sheet.notes))


@dataclass
class ImportReport:
    """Everything ``import-report.json`` says."""

    sheets: list[SheetAccount]
    written: dict[str, int]
    rejected: list[RejectedRow]
    unaccounted: list[RejectedRow]
    totals: list[TotalCheck]
    review: int
    inputs: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    completion: dict[str, Any] = field(default_factory=dict)

    @property
    def rows_read(self) -> int:
        return sum(s.rows_read for s in self.sheets)

    @property
    def rows_rejected(self) -> int:
        return sum(s.rejected_rows + s.unaccounted_rows for s in self.sheets)

    @property
    def complete(self) -> bool:
        return self.rows_rejected == 0

    @property
    def mismatches(self) -> list[TotalCheck]:
        return [c for c in self.totals if c.matches is False]

    def as_record(self) -> dict[str, Any]:
        return {
            "complete": self.complete,
            "rows_read": self.rows_read,
            "rows_rejected": self.rows_rejected,
            "review_items": self.review,
            "tables_written": self.written,
            "sheets": [s.as_record() for s in self.sheets],
            "rejected": [rejected_record(r) for r in self.rejected + self.unaccounted],
            "totals": [c.as_record() for c in self.totals],
            "completion": self.completion,
            "notes": self.notes,
            "inputs": self.inputs,
        }


def rejected_record(r: RejectedRow) -> dict[str, Any]:
    o = r.origin
    return {"file": o.file, "sheet": o.sheet, "row": o.label if o.row else "", "column": r.column,
            "value": r.value, "reason": r.reason}


def _unaccounted(sheet: SheetRead, acc: SheetAccount, reason: str) -> list[RejectedRow]:
    """One line per sheet with rows the reader left nowhere (it gives their
    number, not which rows they were)."""
    if not acc.unaccounted_rows:
        return []
    return [RejectedRow(Origin(sheet.file, sheet.sheet, 0), "",
                        f"{acc.unaccounted_rows} 行 / rows", reason)]


def build_report(sheets: Sequence[SheetRead], resolution: Resolution,
                 written: dict[str, int], totals: list[TotalCheck], *,
                 no_table_reason: str, unaccounted_reason: str) -> ImportReport:
    by_sheet: dict[tuple[str, str], list[RejectedRow]] = {}
    for r in resolution.rejected:
        by_sheet.setdefault(_key(r.origin), []).append(r)
    accounts, rejected, unaccounted = [], [], []
    for s in sheets:
        acc = account(s, by_sheet.get((s.file, s.sheet), []))
        accounts.append(acc)
        rejected.extend(s.rejected)
        unaccounted.extend(_unaccounted(s, acc, no_table_reason if s.table is None
                                        else unaccounted_reason))
    rejected.extend(resolution.rejected)
    rejected.sort(key=lambda r: (r.origin.file, r.origin.sheet, r.origin.row, r.origin.item))
    return ImportReport(accounts, written, rejected, unaccounted, totals,
                        len(resolution.review), notes=list(resolution.notes),
                        completion=completion(resolution.tables.get("measures", [])))
