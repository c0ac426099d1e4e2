"""Reading Excel workbooks (xlsx, xlsm, xls, ods) with python-calamine.

calamine is several times faster than openpyxl and uses far less memory
(NOTES.md).  Cells come back as strings: dates as ``YYYY-MM-DD``, integral
numbers without ``.0``; merged ranges are filled with their top-left value,
as a reader of the printed ledger would.
"""
from __future__ import annotations

import datetime as dt
from typing import BinaryIO

import pandas as pd

from linkgraph.errors import InputError

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")


def _cell(value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def open_workbook(source: str | BinaryIO, name: str):
    from python_calamine import CalamineWorkbook

    if isinstance(source, str):
        from loaders.xlsx_guard import check_workbook

        check_workbook(source, name)
    try:
        if isinstance(source, str):
            return CalamineWorkbook.from_path(source)
        return CalamineWorkbook.from_filelike(source)
    except Exception as exc:  # calamine raises several unrelated types for a bad file
        raise InputError(f"{name}: 无法打开 Excel 文件（文件损坏或不是 Excel）"
                         f" / cannot open workbook (corrupt or not Excel): {exc}") from exc


def sheet_names(workbook) -> list[str]:
    return list(workbook.sheet_names)


#: Excel keeps 15 significant digits of a number: a longer id typed as a
#: number (an 18-digit 身份证号) has already lost its last digits
EXACT_DIGITS = 15


def _lossy_numbers(rows) -> list:
    """Cells holding whole numbers too long for Excel to have kept exactly."""
    from loaders.text import ReadProblem

    out = []
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if type(v) is float and abs(v) >= 10 ** EXACT_DIGITS and v.is_integer():
                digits = str(int(v))
                lost = len(digits) - EXACT_DIGITS
                out.append(ReadProblem(r, c, digits,
                                       f"Excel 把这个 {len(digits)} 位的编号存成了数字，只保留 15 位有效"
                                       f"数字，末 {lost} 位已丢失（{digits[:EXACT_DIGITS]}"
                                       f"{'?' * lost}）；请把该列设为文本后重新输入 / Excel stored this "
                                       f"{len(digits)}-digit id as a number and kept 15 significant "
                                       f"digits: the last {lost} are lost; format the column as text "
                                       "and type it again"))
    return out


def _formula_problems(path: str | None, sheet: str) -> list:
    from loaders.text import ReadProblem
    from loaders.xlsx_guard import uncached_formulas

    if not path:
        return []
    return [ReadProblem(f.row, f.column, f.formula,
                        f"公式 {f.formula} 没有保存计算结果（文件不是在 Excel 里保存的），读出为空；"
                        "请在 Excel 中打开后保存，或填入数值 / the formula was saved without its "
                        "value and reads as empty; open and save the file in Excel, or type the "
                        "value")
            for f in uncached_formulas(path, sheet)]


def read_sheet(workbook, sheet: str, name: str, path: str | None = None) -> pd.DataFrame:
    """All cells of one sheet as strings; row 0 is the sheet's row 1.

    Cells the workbook holds lossily (an id Excel stored as a 15-digit
    number, a formula saved without its value) are listed in the grid's
    ``attrs["problems"]`` (loaders.text.ReadProblem); ``path`` lets the
    formulas be found."""
    try:
        ws = workbook.get_sheet_by_name(sheet)
        rows = ws.to_python(skip_empty_area=False)
        merged = ws.merged_cell_ranges or []
    except Exception as exc:
        raise InputError(f"{name}: 无法读取工作表 / cannot read sheet: {exc}") from exc
    problems = _lossy_numbers(rows) + _formula_problems(path, sheet)
    grid = [[_cell(v) for v in row] for row in rows]
    for (r1, c1), (r2, c2) in merged:
        if r1 >= len(grid) or c1 >= len(grid[r1]):
            continue
        value = grid[r1][c1]
        for r in range(r1, min(r2, len(grid) - 1) + 1):
            for c in range(c1, min(c2, len(grid[r]) - 1) + 1):
                grid[r][c] = value
    width = max((len(r) for r in grid), default=0)
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in grid], dtype=object)
    frame.attrs["problems"] = problems
    return frame
