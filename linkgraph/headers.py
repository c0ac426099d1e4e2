"""Matching file/sheet names to tables and header cells to canonical columns.

The aliases themselves live in ``schema.py``; this module only looks them up.
A ledger may carry a title row (or several) above the header, so the header
row is the first of the top rows that names the most columns of the table.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from linkgraph.errors import Violation
from linkgraph.normalize import header, strip_header_note
from linkgraph.schema import TABLE_BY_NAME, TABLES

HEADER_SEARCH_ROWS = 10


@lru_cache(maxsize=None)
def _table_aliases() -> dict[str, str]:
    names: dict[str, str] = {}
    for t in TABLES:
        for alias in (t.name, *t.aliases):
            names[header(alias)] = t.name
    return names


def table_for(name: str) -> str | None:
    """The canonical table a file stem or sheet name stands for, if any."""
    key = header(name)
    aliases = _table_aliases()
    return aliases.get(key) or aliases.get(strip_header_note(key))


@lru_cache(maxsize=None)
def column_aliases(table: str) -> dict[str, str]:
    """normalised header text -> canonical column, for one table."""
    names: dict[str, str] = {}
    for col in TABLE_BY_NAME[table].columns:
        for alias in (col.name, *col.aliases):
            names[header(alias)] = col.name
    return names


def column_for(table: str, cell: object) -> str | None:
    aliases = column_aliases(table)
    key = header(cell)
    return aliases.get(key) or aliases.get(strip_header_note(key))


@dataclass(frozen=True)
class Mapped:
    """A table's data rows under canonical column names.

    ``frame`` is indexed by the row number the user sees (header row = its
    own number, first data row = header + 1).  ``fatal`` holds violations
    that reject every row (a required column missing, a column twice).
    """

    frame: pd.DataFrame
    header_row: int | None
    violations: tuple[Violation, ...]
    fatal: tuple[Violation, ...]
    positions: tuple[tuple[int, str], ...] = ()  # (grid column, canonical column)
    width: int = 0  # cells in the header row; data beyond it has no column
    #: (canonical column, unit word) of amount columns whose header names a
    #: unit: ``追缴资金（万元）`` -> ("recovered_amount", "万元")
    units: tuple[tuple[str, str], ...] = ()
    #: (grid column, name) of columns the contract does not know, kept as
    #: extra text properties under their header as written (NFKC, trimmed)
    extras: tuple[tuple[int, str], ...] = ()


#: Names an extra column cannot take: graph keys and the loader's own columns.
RESERVED_EXTRA_NAMES = frozenset({"id", "label", "type", "relation_word", "kinship",
                                  "outside_people", "outside_outcomes"})


def extra_name(table: str, cell: object) -> str | None:
    """The property name of an unknown column's header, or None when it
    cannot be one (blank, a canonical or reserved name, ``:`` or a backtick,
    which Neo4j's import headers and Cypher would misread)."""
    import unicodedata

    text = unicodedata.normalize("NFKC", str(cell)).strip()
    if not text or text.lower() == "nan" or text.startswith("_") or any(c in text for c in ":`"):
        return None
    if text in RESERVED_EXTRA_NAMES or text in {c.name for c in TABLE_BY_NAME[table].columns}:
        return None
    return text


#: Units an amount header may name; a bare number under it is in that unit.
AMOUNT_UNITS = ("亿元", "万元", "元")


def header_unit(cell: object) -> str | None:
    """The money unit a header names in its note: ``金额(万元)`` -> ``万元``."""
    key = header(cell)
    note = key[len(strip_header_note(key)):]
    return next((u for u in AMOUNT_UNITS if u in note), None)


def scale_amounts(frame: pd.DataFrame, units: tuple[tuple[str, str], ...]) -> pd.DataFrame:
    """Bare numbers under a header in 万元/亿元 get the unit written after
    them, so the amount parser reads ``1570.83`` as 15,708,300 元.  A cell
    that names its own unit (``300元``) keeps it."""
    if not units:
        return frame
    frame = frame.copy()
    for column, unit in units:
        if unit == "元":
            continue
        cells = frame[column]
        text = cells.map(lambda v: None if v is None or v != v else str(v).strip())
        bare = text.str.fullmatch(r"[-+]?[\d,]*\.?\d+", na=False)
        frame[column] = cells.where(~bare, text + unit)
    return frame


def stray_cells(grid: pd.DataFrame, width: int, table: str, file: str,
                first_data_row: int = 0) -> list[Violation]:
    """Warnings for cells right of the header: nothing is dropped silently."""
    extra = grid.iloc[first_data_row:, width:]
    if extra.empty:
        return []
    filled = extra.apply(lambda s: s.notna() & (s.astype(str).str.strip() != ""))
    out = []
    for row in extra.index[filled.any(axis=1)]:
        values = [str(v) for v in extra.loc[row] if str(v).strip() and v is not None]
        out.append(Violation(table, file, int(row) + 1, f"第{width + 1}列之后", ";".join(values),
                             "表头之外的单元格，已忽略 / cells beyond the header, ignored",
                             "warning"))
    return out


def _find_header(grid: pd.DataFrame, table: str) -> int | None:
    best, best_score = None, 0
    for i in range(min(HEADER_SEARCH_ROWS, len(grid))):
        score = sum(column_for(table, c) is not None for c in grid.iloc[i] if str(c).strip())
        if score > best_score:
            best, best_score = i, score
    return best


def map_columns(grid: pd.DataFrame, table: str, file: str) -> Mapped:
    """Find the header row of ``grid`` and rename its columns to canonical names."""
    spec = TABLE_BY_NAME[table]
    expected = "、".join(f"{c.name}（{'/'.join(c.aliases)}）" if c.aliases else c.name
                        for c in spec.columns if c.required)
    if grid.empty:
        v = Violation(table, file, None, "", "", "文件为空，没有表头 / empty file, no header")
        return Mapped(pd.DataFrame(columns=[c.name for c in spec.columns]), None, (), (v,))
    hrow = _find_header(grid, table)
    if hrow is None:
        v = Violation(table, file, 1, "", "", f"找不到表头：应包含 {expected} / no header row found")
        return Mapped(unmapped_rows(grid, table), None, (), (v,))
    warnings: list[Violation] = []
    fatal: list[Violation] = []
    keep: dict[int, str] = {}
    extras: dict[int, str] = {}
    for pos, cell in enumerate(grid.iloc[hrow]):
        raw = str(cell).strip()
        canon = column_for(table, raw) if raw else None
        if canon is None:
            name = extra_name(table, raw) if raw else None
            if name is not None and name not in extras.values():
                extras[pos] = name
                warnings.append(Violation(table, file, hrow + 1, raw, name,
                                          "不属于数据约定的列，作为附加属性原样保留（文本）"
                                          " / column not in the contract, kept as an extra "
                                          "(text) property", "warning"))
                continue
            if raw or (grid.iloc[hrow + 1:, pos].astype(str).str.strip() != "").any():
                warnings.append(Violation(table, file, hrow + 1, raw or f"第{pos + 1}列", "",
                                          "不属于数据约定的列，已忽略 / column not in the "
                                          "contract, ignored", "warning"))
            continue
        if canon in keep.values():
            first = next(grid.iloc[hrow, p] for p, c in keep.items() if c == canon)
            fatal.append(Violation(table, file, hrow + 1, raw, canon,
                                   f"与列“{first}”重复，都表示 {canon} / duplicate column "
                                   f"for {canon}"))
            continue
        keep[pos] = canon
    for col in spec.columns:
        if col.required and col.name not in keep.values():
            names = "/".join((col.name, *col.aliases))
            fatal.append(Violation(table, file, hrow + 1, col.name, "",
                                   f"缺少必填列 {col.name}（可用列名：{names}）"
                                   f" / required column missing; accepted names: {names}"))
    positions = tuple(keep.items())
    header_cells = [str(c).strip() for c in grid.iloc[hrow]]
    width = max((i + 1 for i, c in enumerate(header_cells) if c and c != "nan"), default=0)
    extra_positions = tuple(extras.items())
    data = apply_columns(grid.iloc[hrow + 1:], positions, table, extra_positions)
    warnings += stray_cells(grid, width, table, file, hrow + 1)
    units = tuple((canon, unit) for pos, canon in positions
                  if spec.column(canon).kind == "float"
                  and (unit := header_unit(grid.iloc[hrow, pos])) is not None)
    return Mapped(data, hrow + 1, tuple(warnings), tuple(fatal), positions, width, units,
                  extra_positions)


def apply_columns(grid: pd.DataFrame, positions: tuple[tuple[int, str], ...],
                  table: str, extras: tuple[tuple[int, str], ...] = ()) -> pd.DataFrame:
    """Data rows of a grid chunk under canonical names, indexed by row number.

    A row counts when any of its cells holds something — also a cell under
    an ignored column — so that no written row goes unaccounted for.  The
    cells stay as the reader gave them (Arrow strings from the CSV readers):
    turning them into Python objects cost more than parsing the file."""
    names = [c.name for c in TABLE_BY_NAME[table].columns]
    keep = _nonblank_columns(grid)
    index = grid.index[keep] + 1
    given = {canon: grid.iloc[keep, pos].set_axis(index)
             for pos, canon in (*positions, *extras) if pos < grid.shape[1]}
    names += [name for _, name in extras]
    return pd.DataFrame({name: given[name] if name in given
                         else pd.Series(None, index=index, dtype=object) for name in names},
                        index=index)


def _nonblank_columns(grid: pd.DataFrame) -> np.ndarray:
    """``_nonblank_rows`` of a grid, column by column: a column of Arrow
    strings is tested on its distinct values only."""
    from linkgraph.check import arrow_strings

    filled = np.zeros(len(grid), dtype=bool)
    for pos in range(grid.shape[1]):
        todo = np.flatnonzero(~filled)
        if not len(todo):
            break
        column = grid.iloc[:, pos]
        array = arrow_strings(column) if column.dtype != object else None
        if array is None:
            filled[todo] = _nonblank_rows(column.to_numpy(dtype=object)[todo, None])
            continue
        import pyarrow.compute as pc

        encoded = pc.dictionary_encode(array.take(todo) if len(todo) < len(filled) else array)
        words = np.asarray([v.strip() != "" for v in encoded.dictionary.to_pylist()] + [False],
                           dtype=bool)
        filled[todo] = words[encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)]
    return filled


def unmapped_rows(grid: pd.DataFrame, table: str) -> pd.DataFrame:
    """Rows of a table whose header was not found: counted, not read."""
    rows = grid.index[_nonblank_rows(grid.to_numpy(dtype=object))] + 1
    return pd.DataFrame(None, index=rows, columns=[c.name for c in TABLE_BY_NAME[table].columns])


def _nonblank_rows(cells: np.ndarray) -> np.ndarray:
    """Rows (of a grid's cells) with content in any cell; blank rows are not
    rows of the ledger."""
    filled = np.zeros(len(cells), dtype=bool)
    for pos in range(cells.shape[1] if cells.ndim == 2 else 0):
        todo = np.flatnonzero(~filled)
        if not len(todo):
            break
        filled[todo] = [v is not None and v == v and str(v).strip() != ""
                        for v in cells[todo, pos]]
    return filled
