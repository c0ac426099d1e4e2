"""``read_office(paths)``: every sheet of every office ledger given, read.

A file, a folder (searched recursively) or several of each; xlsx/xlsm/xls
and CSV/TSV in UTF-8 or GBK/GB18030.  Each sheet is recognised as a ledger
by its header words (``readheaders``), its layout is taken apart
(``readlayout``) and each data row becomes records (``readbuild``), so that
every row of the sheet ends in exactly one place: records, a named non-data
row, or a rejected row with its column, value and reason.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from loaders.office import readlayout as lay
from loaders.office.readbuild import BUILDERS
from loaders.office.readgrid import Grid, read_fills, read_grids, source_paths
from loaders.office.readrows import CellProblem, Row, Sheet
from loaders.office.records import NonDataRow, OfficeTotal, Origin, RejectedRow, SheetRead
from loaders.office.rounds import is_team_name
from loaders.office.values import clean, parse_legend

#: Ledger kinds the reader knows → the table a SheetRead reports (the
#: combined 整改台账 is read as ``measures``: it gives problems and measures).
LEDGERS = tuple(BUILDERS)


def read_office(paths: Sequence[str | Path]) -> list[SheetRead]:
    """Every sheet of every source, in file order then sheet order."""
    out: list[SheetRead] = []
    for path, name in source_paths(list(paths)):
        for grid in read_grids(path, name):
            out.append(read_grid(grid))
    return out


def read_grid(grid: Grid) -> SheetRead:
    """One sheet → its SheetRead (``table=None`` when it is no known ledger)."""
    last = len(grid.rows)  # every row the file holds, trailing blank rows too
    layout = lay.find_layout(grid)
    if layout is None:
        return _unmatched(grid, last)
    read = SheetRead(grid.file, grid.sheet, layout.match.table,
                     tuple(r + 1 for r in layout.header_rows), last)
    sheet = Sheet(grid, layout)
    for row, c in grid.problems:
        sheet.problem_columns.setdefault(row, []).append(c)
    sheet.legend = _legend(grid)
    if sheet.legend:
        sheet.fills = read_fills(grid)
    _above_header(grid, layout, read, sheet)
    for r in layout.header_rows:
        read.non_data.append(NonDataRow(_origin(grid, r), "header", _row_text(grid, r)))
    for r in range(layout.first_data_row, last):
        _body_row(grid, r, read, sheet)
    _sheet_notes(read, sheet)
    ignored = [t.replace("›", "/") for c, t in layout.match.labels.items()
               if c not in layout.match.fields]
    if ignored:
        read.notes.append(f"以下列不属于数据约定，未读取：{'、'.join(ignored)}"
                          f" / columns not read: {', '.join(ignored)}")
    return read


def _legend(grid: Grid) -> dict[str, str]:
    """The colour legend anywhere on the sheet (above the header or below
    the table), from lines of one or two cells."""
    legend: dict[str, str] = {}
    for r in range(len(grid.rows)):
        items = lay.texts(grid, r)
        if 0 < len({t for _, t in items}) <= 2:
            legend.update(parse_legend(" ".join(t for _, t in items)))
    return legend


def _origin(grid: Grid, r: int) -> Origin:
    return Origin(grid.file, grid.sheet, r + 1)


def _row_text(grid: Grid, r: int) -> str:
    return " ".join(t for _, t in lay.texts(grid, r))


def _unmatched(grid: Grid, last: int) -> SheetRead:
    read = SheetRead(grid.file, grid.sheet, None, (), last)
    for r in range(last):
        text = _row_text(grid, r)
        read.non_data.append(NonDataRow(_origin(grid, r), "note" if text else "blank", text))
        _totals_in_text(read, _origin(grid, r), None, text)
    _stat_sheet(grid, read)
    if last:
        read.notes.append("此表的表头不像任何台账（整改台账、线索台账、干部名册、回避申报……），"
                          "未读取 / the sheet matched no ledger and was not read")
    return read


_STAT_LABELS = (  # a 统计 sheet's labels → (table, what), first match wins
    (re.compile(r"线索.*人|涉及.*人数|人数"), "leads", "people"),
    (re.compile(r"线索"), "leads", "items"),
    (re.compile(r"措施"), "measures", "items"),
    (re.compile(r"基本完成"), "measures", "status:partly"),
    (re.compile(r"正在整改|未完成|未整改|整改中"), "measures", "status:open"),
    (re.compile(r"持续整改|长期坚持|持续推进"), "measures", "status:ongoing"),
    (re.compile(r"已销号|完成销号"), "measures", "status:closed"),
    (re.compile(r"已整改|已完成|完成整改"), "measures", "status:done"),
    (re.compile(r"问题.*(?:总|数|个)|反馈问题"), "problems", "items"),
)


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = re.sub(r"[个项条件人]$", "", clean(value))
    return float(text) if re.fullmatch(r"\d+(\.\d+)?", text) else None


def _stat_sheet(grid: Grid, read: SheetRead) -> None:
    """The office's own counts on a 统计 sheet: ``问题总数 | 45`` side by side,
    or a row of labels over a row of numbers (the first such row only: rows
    per unit are the units' own counts)."""
    def add(r: int, label: str, value: float) -> None:
        if re.search(r"率|%|％", label):
            return
        for pattern, table, what in _STAT_LABELS:
            if pattern.search(label):
                read.totals.append(OfficeTotal(_origin(grid, r), table, what, value,
                                               f"{label} {value:g}"))
                return
    labels_row: dict[int, str] | None = None
    for r in range(len(grid.rows)):
        cells = grid.rows[r]
        numbers = {c: _number(v) for c, v in enumerate(cells) if v is not None}
        texts_ = {c: clean(v) for c, v in enumerate(cells)
                  if v is not None and clean(v) and numbers.get(c) is None}
        if labels_row is not None and numbers and any(v is not None for v in numbers.values()):
            for c, value in numbers.items():
                if value is not None and c in labels_row:
                    add(r, labels_row[c], value)
            return
        for c, text in texts_.items():  # label | number side by side
            if numbers.get(c + 1) is not None:
                add(r, text, numbers[c + 1] or 0.0)
        labels_row = texts_ if len(texts_) >= 2 and not any(
            v is not None for v in numbers.values()) else None


def _above_header(grid: Grid, layout: lay.Layout, read: SheetRead, sheet: Sheet) -> None:
    unit = None
    for r in range(layout.header_rows[0]):
        kind = lay.classify_above(grid, r)
        text = _row_text(grid, r)
        read.non_data.append(NonDataRow(_origin(grid, r), kind, text))
        for (row, c), (value, reason) in sorted(grid.problems.items()):
            if row == r:
                read.notes.append(f"第{r + 1}行第{c + 1}列“{value}”：{reason}")
        if kind == "title":
            unit = unit or lay.title_unit(text)
            read.round_text = read.round_text or lay.round_text(text)
        elif kind == "meta":
            unit = unit or lay.meta_unit(text)
        _totals_in_text(read, _origin(grid, r), layout.match.table, text)
    if unit:
        read.unit = lay.UnitMention(unit, "title")
    else:
        read.unit = lay.name_unit(grid.sheet, "sheet") or lay.name_unit(Path(grid.file).stem, "file")
    if read.round_text is None or is_team_name(read.round_text):
        # a title naming the team only (落实县委第一巡察组反馈意见): the round is
        # the folder's or the file's (整改台账/大池县委2021年第一轮巡察/…)
        where = Path(grid.path or grid.file)
        named = [lay.round_text(part) for part in (grid.sheet, where.stem, *reversed(where.parts))]
        read.round_text = next((r for r in named if r and not is_team_name(r)), read.round_text)
    sheet.unit, sheet.round_text = read.unit, read.round_text


def _body_row(grid: Grid, r: int, read: SheetRead, sheet: Sheet) -> None:
    origin = _origin(grid, r)
    bad = sorted(sheet.problem_columns.get(r, ()))
    if bad:
        value, reason = grid.problems[(r, bad[0])]
        label = sheet.layout.match.labels.get(bad[0], f"第{bad[0] + 1}列").replace("›", "/")
        read.rejected.append(RejectedRow(origin, label, value, reason))
        return
    kind = lay.classify(grid, r, sheet.layout)
    text = _row_text(grid, r)
    if kind is not None:
        read.non_data.append(NonDataRow(origin, kind, text))
        if kind == "section":
            _enter_section(read, sheet, origin, text)
        elif kind in ("total", "note", "signature"):
            _totals_in_text(read, origin, sheet.layout.match.table, text)
            if kind == "total":
                _total_row(grid, r, read, sheet)
        return
    row = Row(sheet, r)
    try:
        records = BUILDERS[sheet.layout.match.table](row)
    except CellProblem as exc:
        read.rejected.append(RejectedRow(origin, exc.column, exc.value, exc.reason))
        row.remember()
        return
    row.remember()
    if not records:
        read.rejected.append(RejectedRow(origin, "", text, "此行没有可读的内容 / nothing to read"))
    read.records.extend(records)


def _enter_section(read: SheetRead, sheet: Sheet, origin: Origin, text: str) -> None:
    level, name, count = lay.section_name(text)
    sheet.sections = [s for s in sheet.sections if s[0] < level] + [(level, name)]
    if count is not None:
        read.totals.append(OfficeTotal(origin, "problems", f"section:{name}", float(count), text))


_COUNTS = (
    (re.compile(r"(\d+)\s*件\s*(\d+)\s*人"), (("items", 1), ("people", 2))),
    (re.compile(r"(?:共|合计|总计)[^0-9，,；;。]{0,12}?(\d+)\s*(?:个|项|条|件)"), (("items", 1),)),
)
_STATUS_COUNT = re.compile(r"(已整改|已完成整改|已完成|整改完成|正在整改|持续整改|长期坚持|未整改|未完成|基本完成)"
                           r"\s*(\d+)\s*(?:个|项|条)")


def _totals_in_text(read: SheetRead, origin: Origin, table: str | None, text: str) -> None:
    """The office's own counts in a line (``共移交问题线索15件16人``, ``合计：23个``,
    ``已整改20个，正在整改3个``) → OfficeTotal.  ``items`` counts the ledger's
    entries (件/个/项), ``people`` the people (人), a status its entries."""
    from loaders.office.values import parse_status

    flat = re.sub(r"\s+", "", text)
    seen = set()
    for pattern, groups in _COUNTS:
        for m in pattern.finditer(flat):
            for what, g in groups:
                if (what, m.start()) in seen:
                    continue
                seen.add((what, m.start()))
                read.totals.append(OfficeTotal(origin, table or "", what, float(m[g]), text))
            break
    for m in _STATUS_COUNT.finditer(flat):
        read.totals.append(OfficeTotal(origin, table or "", f"status:{parse_status(m[1])}",
                                       float(m[2]), text))


def _total_row(grid: Grid, r: int, read: SheetRead, sheet: Sheet) -> None:
    """Numbers a 合计 row puts under a column (a count under 序号, a sum of 金额)."""
    from loaders.office.values import header_scale

    for col, fld in sheet.layout.match.fields.items():
        value = grid.cell(r, col)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            text = clean(value)
            if not re.fullmatch(r"\d+(\.\d+)?", text):
                continue
            value = float(text)
        what = "items" if fld == "seq" else fld
        number = float(value) * (header_scale(sheet.label(fld)) if fld == "amount" else 1.0)
        read.totals.append(OfficeTotal(_origin(grid, r), sheet.layout.match.table, what,
                                       number, _row_text(grid, r)))


def _sheet_notes(read: SheetRead, sheet: Sheet) -> None:
    if sheet.legend and not sheet.fills and sheet.grid.path and \
            not sheet.grid.path.lower().endswith((".xlsx", ".xlsm")):
        read.notes.append("图例说明了颜色含义，但此格式的文件读不出单元格颜色（请另存为 xlsx）"
                          " / the legend gives colours a meaning, but this file format has no fills")
    if read.unit is None and read.table in ("measures", "problems", "audits") and not any(
            "unit_id" in rec.refs for rec in read.records):
        read.notes.append("标题、表名和文件名都没有写明被巡察单位，也没有单位列"
                          " / no unit named in title, sheet, file or a column")
