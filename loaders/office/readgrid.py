"""The cells of one sheet (or CSV file) as written, with merges and fills.

Values keep their type (a number stays a float, so ``2019.1`` stored by
Excel is known to be a number, not text someone typed); merged ranges are
kept as ranges, so the reader can tell a problem cell merged over three
measure rows from three rows that happen to repeat it.  Fill colours are
read from the workbook's stylesheet (``readfills``; calamine returns values
only), and only for sheets whose legend says colour means something.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from linkgraph.errors import InputError
from loaders.excel import EXCEL_SUFFIXES, _formula_problems, _lossy_numbers, open_workbook
from loaders.text import RaggedRows, read_delimited_chunks, read_ragged_chunks

TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
Cell = str | float | int | bool | dt.date | dt.datetime | None


#: ``2022.10`` as a whole cell or a clause of one: text, never a printed number.
_TRAILING_ZERO_MONTH = re.compile(r"(?<![\d.])(?:19|20)\d{2}\.10(?![\d.])")


@dataclass
class Grid:
    """One sheet: ``rows[r][c]`` is the cell at spreadsheet row r+1, column c+1.

    ``merged`` holds (first row, first col, last row, last col), 0-based and
    inclusive.  ``typed`` is True when text cells are known to be text (an
    Excel sheet); a CSV cannot tell ``2019.1`` typed from a number written out.
    """

    file: str
    sheet: str
    rows: list[list[Cell]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    typed: bool = True
    path: str | None = None
    texts_cache: dict[int, list[tuple[int, str]]] = field(default_factory=dict, repr=False)
    #: cells the file holds lossily or could not be read: (row, col) → (value, reason)
    problems: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)

    @property
    def width(self) -> int:
        width: int | None = getattr(self, "_width", None)
        if width is None or getattr(self, "_width_rows", -1) != len(self.rows):
            width = max((len(r) for r in self.rows), default=0)
            self._width, self._width_rows = width, len(self.rows)
        return width

    def column_typed(self, c: int) -> bool:
        """Whether column ``c``'s text is as typed: always in a workbook; in a
        CSV when the column holds a year and month a number cannot print
        (``2022.10``: a number prints 2022.1), so its ``2023.1`` is January."""
        if self.typed:
            return True
        known: dict[int, bool] = self.__dict__.setdefault("_typed_columns", {})
        if c not in known:
            cells = (row[c] for row in self.rows if c < len(row))
            known[c] = any(isinstance(v, str) and bool(_TRAILING_ZERO_MONTH.search(v))
                           for v in cells)
        return known[c]

    def cell(self, r: int, c: int) -> Cell:
        row = self.rows[r] if r < len(self.rows) else []
        return row[c] if c < len(row) else None

    def merge_of(self, r: int, c: int) -> tuple[int, int, int, int] | None:
        for m in self._merge_index().get((r, c), ()):
            return m
        return None

    def _merge_index(self) -> dict[tuple[int, int], list[tuple[int, int, int, int]]]:
        index = getattr(self, "_index", None)
        if index is None:
            index = {}
            for m in self.merged:
                r1, c1, r2, c2 = m
                for r in range(r1, min(r2, len(self.rows) - 1) + 1):
                    for c in range(c1, c2 + 1):
                        index.setdefault((r, c), []).append(m)
            self._index = index
        return index

    def filled(self, r: int, c: int) -> Cell:
        """The cell's value, or the value of the merged range it lies in."""
        m = self.merge_of(r, c)
        return self.cell(m[0], m[1]) if m else self.cell(r, c)


def source_paths(paths: list[str | Path]) -> list[tuple[Path, str]]:
    """Files given and the table files inside folders given (searched through
    subfolders, in name order), each with the name the import calls it by:
    its path inside the folder given (``整改台账/第一轮/白沙镇.xlsx``), or its
    file name when given directly.  Office lock files (``~$``) and hidden
    files are skipped; a file given twice is read once."""
    out: dict[Path, str] = {}
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise InputError(f"{path}: 路径不存在 / no such file or folder")
        if path.is_dir():
            for p in sorted(path.rglob("*")):
                if (p.is_file() and not p.name.startswith((".", "~$"))
                        and p.suffix.lower() in TEXT_SUFFIXES + EXCEL_SUFFIXES):
                    out.setdefault(p.resolve(), p.relative_to(path).as_posix())
        elif path.suffix.lower() in TEXT_SUFFIXES + EXCEL_SUFFIXES:
            out.setdefault(path.resolve(), path.name)
        else:
            raise InputError(f"{path}: 不是表格文件（应为 xlsx/xls/csv） / not a spreadsheet "
                             "or CSV file")
    names = list(out.values())
    return [(p, name if names.count(name) == 1 else str(p)) for p, name in out.items()]


def read_grids(path: Path, name: str | None = None) -> Iterator[Grid]:
    """Every sheet of a workbook, or the one grid of a CSV file; ``name`` is
    what messages and provenance call the file (default: its name)."""
    name = name or path.name
    if path.suffix.lower() in TEXT_SUFFIXES:
        yield _text_grid(path, name)
        return
    workbook = open_workbook(str(path), name)
    try:
        for sheet in workbook.sheet_names:
            try:
                ws = workbook.get_sheet_by_name(sheet)
                rows = [list(row) for row in ws.to_python(skip_empty_area=False)]
                merged = [(r1, c1, r2, c2) for (r1, c1), (r2, c2) in (ws.merged_cell_ranges or [])]
            except Exception as exc:  # calamine raises several unrelated types
                raise InputError(f"{name}[{sheet}]: 无法读取工作表 / cannot read sheet: "
                                 f"{exc}") from exc
            grid = Grid(name, sheet, [[_value(v) for v in row] for row in rows], merged,
                        path=str(path))
            for p in _lossy_numbers(rows) + _formula_problems(str(path), sheet):
                grid.problems[(p.row, p.column)] = (p.value, p.reason)
            yield grid
    finally:
        close = getattr(workbook, "close", None)
        if close:
            close()


def _text_grid(path: Path, name: str) -> Grid:
    """A CSV/TSV, one row per record as Excel or WPS shows the file: a quoted
    cell that runs over several lines is one cell of one row."""
    try:
        chunks = list(read_delimited_chunks(str(path), name))
    except RaggedRows:
        chunks = list(read_ragged_chunks(str(path), name))
    grid = Grid(name, path.stem, [], typed=False, path=str(path))
    position: dict[int, int] = {}  # the line a record starts on → its row
    for chunk in chunks:
        for start, row in zip(chunk.index, chunk.itertuples(index=False, name=None)):
            position[int(start)] = len(grid.rows)
            grid.rows.append([v if isinstance(v, str) else "" for v in row])
        for p in chunk.attrs.get("problems", []):
            at = position.get(int(p.row), int(p.row))
            grid.problems[(at, int(p.column))] = (p.value, p.reason)
    return grid


def _value(v: object) -> Cell:
    if v is None or v == "":
        return None
    if isinstance(v, dt.time):
        return v.isoformat()
    if isinstance(v, dt.timedelta):
        return str(v)
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return int(v)
    return v  # type: ignore[return-value]


def read_fills(grid: Grid) -> dict[tuple[int, int], str]:
    """(row, col) → colour word of each filled cell, from the workbook's
    stylesheet (``readfills``).  Empty for CSV and .xls (no fills to read)."""
    if not grid.path or not grid.path.lower().endswith((".xlsx", ".xlsm")):
        return {}
    from loaders.office.readfills import sheet_fills

    return sheet_fills(grid.path, grid.sheet, grid.file)
