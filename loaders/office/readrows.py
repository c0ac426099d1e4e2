"""One data row of a ledger → its records (or a rejection).

``Row`` gives a row's cells by field, as a reader of the printed page sees
them: a cell inside a merged range has the range's value, ``同上`` has the
value above.  The builders turn rows into ``OfficeRecord``s, one per ledger
kind; a cell that cannot be read raises ``CellProblem``, which rejects the
row with the cell's column, value and reason.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from loaders.office.readgrid import Cell, Grid
from loaders.office.readheaders import GROUP
from loaders.office.readlayout import Layout
from loaders.office.records import OfficeRecord, Origin, UnitMention
from loaders.office.values import ValueProblem, clean, is_blank, is_ditto, years_in


class CellProblem(Exception):
    def __init__(self, column: str, value: str, reason: str):
        super().__init__(reason)
        self.column, self.value, self.reason = column, value, reason


@dataclass
class Sheet:
    """What every row of one sheet shares."""

    grid: Grid
    layout: Layout
    unit: UnitMention | None = None
    round_text: str | None = None
    legend: dict[str, str] = field(default_factory=dict)  # colour → status
    fills: dict[tuple[int, int], str] = field(default_factory=dict)
    sections: list[tuple[int, str]] = field(default_factory=list)  # (level, name)
    previous: dict[int, tuple[int, Cell]] = field(default_factory=dict)  # col → (row, value)
    state: dict[str, Any] = field(default_factory=dict)  # the builder's memory
    #: row → columns of the cells the file holds lossily (Grid.problems)
    problem_columns: dict[int, list[int]] = field(default_factory=dict)
    counter: int = 0

    def __post_init__(self) -> None:
        self.columns: dict[str, int] = {f: c for c, f in self.layout.match.fields.items()}
        self._views: dict[int, ColumnView] = {}

    def view(self, col: int) -> ColumnView:
        """Column ``col`` read once for every row (``ColumnView``)."""
        got = self._views.get(col)
        if got is None:
            got = self._views[col] = ColumnView.of(self.grid, col)
        return got

    def label(self, fld: str) -> str:
        col = self.columns.get(fld)
        if col is None:
            return fld
        return self.layout.match.labels.get(col, fld).replace(GROUP, "/")

    def local(self, table: str, origin: Origin) -> str:
        return f"{origin.file}[{origin.sheet}]:{table}:{origin.label}"

    def section_path(self) -> tuple[str | None, str | None]:
        """(top section, innermost section) the current row sits under."""
        if not self.sections:
            return None, None
        return self.sections[0][1], self.sections[-1][1]


@dataclass(frozen=True)
class ColumnView:
    """One column of a sheet for all its rows at once: the value a reader of
    the printed page sees (a merged range's value inside the range), that
    value as text (None when blank), whether it is blank and whether it says
    同上.  Each distinct value is cleaned once (a column repeats few values),
    so a row's cells are list lookups, not a chain of calls per cell."""

    filled: list[Cell]
    text: list[str | None]
    blank: list[bool]
    ditto: list[bool]

    @classmethod
    def of(cls, grid: Grid, col: int) -> ColumnView:
        rows = grid.rows
        filled: list[Cell] = [row[col] if col < len(row) else None for row in rows]
        last = len(rows) - 1
        # the first range listed wins where ranges overlap (Grid.merge_of)
        for r1, c1, r2, c2 in reversed(grid.merged):
            if c1 <= col <= c2:
                value = grid.cell(r1, c1)
                for r in range(r1, min(r2, last) + 1):
                    filled[r] = value
        seen: dict[tuple[type, Cell], tuple[str | None, bool, bool]] = {}
        for v in filled:
            key = (type(v), v)
            if key not in seen:
                t = clean(v)
                seen[key] = (None if is_blank(t) else t, is_blank(v), is_ditto(v))
        read = [seen[(type(v), v)] for v in filled]
        return cls(filled, [x[0] for x in read], [x[1] for x in read], [x[2] for x in read])


class Row:
    def __init__(self, sheet: Sheet, r: int):
        self.sheet, self.r = sheet, r
        self.notes: list[str] = []
        self._cache: dict[str, Cell] = {}
        self._years: dict[tuple[str, ...], tuple[int, ...]] = {}

    def origin(self, item: int = 0) -> Origin:
        return Origin(self.sheet.grid.file, self.sheet.grid.sheet, self.r + 1, item)

    def has(self, fld: str) -> bool:
        return fld in self.sheet.columns

    def own(self, fld: str) -> Cell:
        """The cell as written in this row (no merge, no 同上)."""
        col = self.sheet.columns.get(fld)
        return None if col is None else self.sheet.grid.cell(self.r, col)

    def merged_from_above(self, fld: str) -> bool:
        col = self.sheet.columns.get(fld)
        if col is None:
            return False
        m = self.sheet.grid.merge_of(self.r, col)
        return m is not None and m[0] < self.r

    def raw(self, fld: str) -> Cell:
        if fld in self._cache:
            return self._cache[fld]
        col = self.sheet.columns.get(fld)
        value: Cell = None
        if col is not None:
            view = self.sheet.view(col)
            value = view.filled[self.r]
            if view.ditto[self.r]:
                above = self.sheet.previous.get(col)
                if above is None or is_blank(above[1]):
                    raise CellProblem(self.sheet.label(fld), clean(value),
                                      "“同上”但上方没有可沿用的内容 / 同上 with nothing above")
                self.notes.append(f"{self.sheet.label(fld)}“同上”，取第{above[0] + 1}行")
                value = above[1]
        self._cache[fld] = value
        return value

    def text(self, fld: str) -> str | None:
        key = "\0" + fld
        if key not in self._cache:
            col = self.sheet.columns.get(fld)
            if col is not None and not self.sheet.view(col).ditto[self.r]:
                self._cache[key] = self.sheet.view(col).text[self.r]
            else:
                t = clean(self.raw(fld))
                self._cache[key] = None if is_blank(t) else t
        return self._cache[key]  # type: ignore[return-value]

    def parse(self, fld: str, parser: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``parser(cell)``; a ValueProblem becomes a CellProblem naming the cell."""
        value = self.raw(fld)
        try:
            return parser(value, *args, **kwargs)
        except ValueProblem as exc:
            raise CellProblem(self.sheet.label(fld), clean(value), str(exc)) from None

    def years(self, *fields: str) -> tuple[int, ...]:
        if fields not in self._years:
            self._years[fields] = years_in([self.raw(f) for f in fields if self.has(f)])
        return self._years[fields]

    def colour(self, *fields: str) -> str | None:
        """The status the row's fill colour gives under the sheet's legend."""
        if not self.sheet.legend:
            return None
        cols = [self.sheet.columns[f] for f in fields if f in self.sheet.columns]
        cols += range(self.sheet.grid.width)
        for c in cols:
            colour = self.sheet.fills.get((self.r, c))
            if colour in self.sheet.legend:
                self.notes.append(f"整改状态按单元格颜色（{colour}）读取")
                return self.sheet.legend[colour]
        return None

    def remember(self) -> None:
        """Keep this row's values for 同上 in the rows below."""
        r, previous = self.r, self.sheet.previous
        for fld, col in self.sheet.columns.items():
            view = self.sheet.view(col)
            if view.ditto[r]:
                try:
                    value = self.raw(fld)
                except CellProblem:
                    continue
                if not is_blank(value):
                    previous[col] = (r, value)
            elif not view.blank[r]:
                previous[col] = (r, view.filled[r])


def record(row: Row, table: str, item: int, values: dict[str, Any], refs: dict[str, Any],
           key: tuple[str, ...], parent: str | None = None, notes: tuple[str, ...] = ()
           ) -> OfficeRecord:
    origin = row.origin(item)
    return OfficeRecord(table, row.sheet.local(table, origin), origin, dict(values),
                        {k: v for k, v in refs.items()
                         if v is not None and (v or type(v) not in (list, tuple))},
                        tuple(str(k) for k in key), parent, tuple(row.notes) + notes)


def date_of(value: Any) -> dt.date | None:
    return value.date if value is not None else None
