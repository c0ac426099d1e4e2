"""A printed ledger sheet as rows of cells, and its writers (XLSX, GBK CSV).

A ``Sheet`` is built row by row; each row has a *kind* (``title``, ``meta``,
``header``, ``section``, ``record``, ``total``, ``signature``, ``legend``,
``blank``) and, for records, what it holds (the truth).  Merged ranges and
cell fills are kept; the CSV writer drops both, as Excel does when it saves a
sheet as CSV (a merged range keeps its value in the top-left cell only).
"""
from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FILLS = {"红": "#FF0000", "黄": "#FFFF00", "蓝": "#00B0F0", "绿": "#92D050", "紫": "#7030A0"}


@dataclass
class Cell:
    value: Any
    fill: str | None = None  # a key of FILLS
    bold: bool = False


@dataclass
class Row:
    kind: str
    cells: list[Any]
    records: list[list[Any]] = field(default_factory=list)  # [[table, id, item], ...]


@dataclass
class Sheet:
    name: str
    width: int
    rows: list[Row] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # 0-based r0 c0 r1 c1
    table: str | None = None  # the contract table(s) the sheet's records go to
    mentions: list[dict] = field(default_factory=list)  # filled by the builders
    totals: list[dict] = field(default_factory=list)  # what the ledger's own totals say
    habits: list[str] = field(default_factory=list)

    def add(self, kind: str, cells: list[Any], records: list[list[Any]] | None = None) -> int:
        cells = list(cells) + [None] * (self.width - len(cells))
        self.rows.append(Row(kind, cells[:self.width], records or []))
        return len(self.rows) - 1

    def line(self, kind: str, text: str, bold: bool = False) -> int:
        """A row with one text across the whole width (title, meta, signature …)."""
        r = self.add(kind, [Cell(text, bold=bold)])
        if self.width > 1:
            self.merges.append((r, 0, r, self.width - 1))
        return r

    def merge(self, r0: int, c0: int, r1: int, c1: int) -> None:
        if (r0, c0) != (r1, c1):
            self.merges.append((r0, c0, r1, c1))

    def mention(self, row: int, col: int, text: str, kind: str, entity: str) -> None:
        self.mentions.append({"row": row + 1, "column": col + 1, "text": text, "kind": kind,
                              "id": entity})


def _value(c: Any) -> Any:
    return c.value if isinstance(c, Cell) else c


def write_xlsx(path: Path, sheets: list[Sheet]) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False,
                                         "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"created": dt.datetime(2000, 1, 1), "author": "linkgraph"})
    formats: dict[tuple, Any] = {}

    def fmt(c: Any):
        key = (c.fill, c.bold) if isinstance(c, Cell) else (None, False)
        if key not in formats:
            spec: dict[str, Any] = {"text_wrap": True, "valign": "vcenter"}
            if key[0]:
                spec.update(bg_color=FILLS[key[0]], pattern=1)
            if key[1]:
                spec["bold"] = True
            formats[key] = wb.add_format(spec)
        return formats[key]

    for sh in sheets:
        ws = wb.add_worksheet(sh.name)
        merged = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in sh.merges}
        covered = {(r, c) for r0, c0, r1, c1 in sh.merges for r in range(r0, r1 + 1)
                   for c in range(c0, c1 + 1)} - set(merged)
        for r, row in enumerate(sh.rows):
            for c, cell in enumerate(row.cells):
                if (r, c) in covered:
                    continue
                v = _value(cell)
                if (r, c) in merged:
                    r1, c1 = merged[(r, c)]
                    ws.merge_range(r, c, r1, c1, "" if v is None else v, fmt(cell))
                elif v is None or v == "":
                    if isinstance(cell, Cell) and cell.fill:
                        ws.write_blank(r, c, None, fmt(cell))
                elif isinstance(v, str):
                    ws.write_string(r, c, v, fmt(cell))
                else:
                    ws.write_number(r, c, v, fmt(cell))
    wb.close()


def write_csv(path: Path, sheet: Sheet, encoding: str = "gbk") -> None:
    """One sheet as CSV the way Excel saves it: merged ranges keep the top-left value."""
    covered = {(r, c) for r0, c0, r1, c1 in sheet.merges for r in range(r0, r1 + 1)
               for c in range(c0, c1 + 1)} - {(r0, c0) for r0, c0, _, _ in sheet.merges}
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        for r, row in enumerate(sheet.rows):
            out = []
            for c, cell in enumerate(row.cells):
                v = None if (r, c) in covered else _value(cell)
                out.append("" if v is None else (f"{v:g}" if isinstance(v, float) else str(v)))
            w.writerow(out)
