"""Writing the resolved contract tables into DATA as UTF-8 CSV.

One file per table, named by the canonical English table name
(``problems.csv``), columns by the canonical names of ``linkgraph.schema`` in
its order: every required column, and every optional one some row fills.
Values are written the way the contract loader reads them back unchanged:
dates ``2023-06-30``, booleans ``true``/``false``, lists ``;``-separated,
closed vocabularies in their canonical (English) form.  The files are data
for linkgraph, not a spreadsheet for people, so text is written as is (the
review workbook is the file people open, and it is neutralised).
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from linkgraph.errors import InputError
from linkgraph.output import csv_text
from linkgraph.schema import TABLE_BY_NAME, TABLES

#: The files an import writes besides the tables (the loader skips them).
REPORT_FILE = "import-report.json"
REVIEW_FILE = "review.xlsx"


def table_file(table: str) -> str:
    return f"{table}.csv"


def cell(value: Any) -> str:
    """One value as the contract's CSV writes it."""
    if type(value) is str:  # most cells: as is
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return ";".join(cell(v) for v in items if v is not None and cell(v) != "")
    return str(value)


def columns_for(table: str, rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """The schema's columns a table's file carries, in the schema's order."""
    spec = TABLE_BY_NAME[table]
    filled: set[str] = set()
    for r in rows:
        filled.update(k for k, v in r.items() if k not in filled and cell(v) != "")
    unknown = sorted({k for r in rows for k in r} - {c.name for c in spec.columns})
    if unknown:
        raise ValueError(f"{table}: columns not in the contract: {', '.join(unknown)}")
    return [c.name for c in spec.columns if c.required or c.name in filled]


def table_csv(table: str, rows: Sequence[Mapping[str, Any]]) -> str:
    return csv_text(columns_for(table, rows), rows, cell)


def prepare_out(out: Path) -> None:
    """Make ``out`` ready for an import: create it, or clear the tables an
    earlier import wrote.  A folder holding anything else is refused, so an
    import never mixes with (or overwrites) a user's own files."""
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: 不是文件夹 / not a folder")
    out.mkdir(parents=True, exist_ok=True)
    entries = [p for p in out.iterdir() if not p.name.startswith(".")]
    ours = {table_file(t.name) for t in TABLES} | {REPORT_FILE, REVIEW_FILE}
    if entries and not (out / REPORT_FILE).exists():
        raise InputError(f"{out}: 文件夹不是空的，也不是 linkgraph import 的输出；请换一个空文件夹"
                         f" / folder is not empty and not an earlier import; give an empty one")
    for p in entries:
        if p.name in ours and p.is_file():
            p.unlink()


def write_tables(tables: Mapping[str, Sequence[Mapping[str, Any]]], out: Path) -> dict[str, int]:
    """Write every table that has rows (in the schema's order); rows per table."""
    written: dict[str, int] = {}
    for spec in TABLES:
        rows = tables.get(spec.name) or []
        if not rows:
            continue
        (out / table_file(spec.name)).write_text(table_csv(spec.name, rows),
                                                 encoding="utf-8-sig", newline="")
        written[spec.name] = len(rows)
    return written
