"""Workbooks a planner hands over as they are: Chinese (or English) sheet
names and headers from the presentation catalogue, dates and figures as
typed cells with formats (rates as %), long lists on a sheet of their own
with names beside the ids, a frozen header with a filter, an empty sheet
that says "无" and why, no JSON in a cell — and a print setup: A4, landscape
where wide, fitted to the page width, the header row repeated on every
page, the title and as-of date in the page header, page numbers below.
A sheet too wide for one page at :data:`MIN_SCALE` prints only the columns
the catalogue's ``[print]`` list keeps (or, without a list, the leading
columns that fit): those come first, the others follow outside the print
area, under a grey header, and the page footer says how many are printed.

Every text cell is neutralised (``= + - @`` cannot start a formula).
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from linkgraph.catalogue import Catalogue, catalogue

#: A list with more items than this goes to a sheet of its own.
INLINE_ITEMS = 5
#: Characters (CJK count two) that fit across A4 portrait / landscape at 10 pt.
PORTRAIT_WIDTH = 95
#: Widest a column gets, in characters; longer text wraps.
MAX_WIDTH = {"wrap": 32, "text": 22, "id": 10, "list": 24, "date": 11}
LANDSCAPE_WIDTH = 140
#: Characters (as column widths count them) that LibreOffice prints across
#: landscape A4 at 100 % with these margins (measured: 236 → 47 %, 471 → 23 %).
LANDSCAPE_AT_FULL_SCALE = 111
#: The smallest print scale a handed-over sheet may need to be one page wide.
MIN_SCALE = 0.6
#: Widest the printed columns of a sheet may be: one landscape page at
#: 70 % (a margin above MIN_SCALE for the estimate's error).
PRINT_BUDGET = LANDSCAPE_AT_FULL_SCALE / 0.7
#: Printed text runs a little wider than its cell-count estimate: line estimates.
GLYPH_FACTOR = 1.2
#: Points per printed line of 10-pt text.
LINE_HEIGHT = 13.5
#: Page header/footer text at 9 pt; the font code ends the size, so a text
#: that starts with a digit ("13 of 21", "2026…") is not read as part of it.
SMALL = '&9&"-,Regular"'
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: Which names an id list is looked up in (``names`` given to the book).
LIST_NAMES = {"unit_ids": "unit", "self_check_unit_ids": "unit", "self_check": "unit",
              "person_ids": "person", "team_ids": "team", "dept_ids": "dept",
              "round_ids": "round", "lead_ids": "lead", "problem_ids": "problem",
              "finding_ids": "finding", "signed_by": "person"}

_WORDS = {"none": ("无", "None"), "empty": ("本项结果为空", "this result has no rows"),
          "as_of": ("截至", "As of"), "page": ("第 &P 页，共 &N 页", "Page &P of &N"),
          "see": ("{n} 项，见「{sheet}」表", "{n} items, see sheet “{sheet}”"),
          "item": ("明细", "Item"), "item_name": ("名称", "Name"), "note": ("说明", "Note"),
          "yes": ("是", "yes"), "no": ("否", "no"),
          "printed": ("本页打印 {k} 列，全部 {n} 列见电子表格",
                      "{k} of {n} columns printed; all of them in the spreadsheet")}


def names_of(tables: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """kind (unit, person, team, dept, round, region) -> id -> name, from
    the tables: what a workbook writes beside an id."""
    keys = {"unit": ("units", "unit_id"), "person": ("people", "person_id"),
            "team": ("teams", "team_id"), "dept": ("departments", "dept_id"),
            "round": ("rounds", "round_id"), "region": ("regions", "region_id")}
    out = {}
    for kind, (table, key) in keys.items():
        frame = tables.get(table)
        if frame is not None and len(frame) and "name" in frame:
            ok = frame[key].notna() & frame["name"].notna()
            out[kind] = dict(zip(frame[key][ok].astype(str), frame["name"][ok].astype(str)))
    return out


def display_width(text: str) -> int:
    """Width of ``text`` in character cells (CJK and full-width count two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def plain_value(value: Any) -> Any:
    from linkgraph.cells import plain

    return plain(value)


def _word(key: str, lang: str) -> str:
    return _WORDS[key][1 if lang == "en" else 0]


def _neutral(text: str) -> str:
    """Text that is inert in a spreadsheet and fits its cell (cut visibly)."""
    from linkgraph.cells import fit_cell, neutralise

    return fit_cell(neutralise(text))


@dataclass
class _Sheet:
    key: str
    name: str
    records: Sequence[Mapping[str, Any]]
    columns: list[str]
    reason: str | None = None
    list_sheets: dict[str, str] = field(default_factory=dict)   # column -> sheet name
    parent: str | None = None
    printed: int | None = None   # how many leading columns the catalogue prints


@dataclass
class Book:
    """Sheets collected with ``add``, then written with ``write``."""

    lang: str = "zh"
    title: str = ""
    as_of: str | None = None
    names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    sheets: list[_Sheet] = field(default_factory=list)
    _used: set[str] = field(default_factory=set)

    @property
    def cat(self) -> Catalogue:
        return catalogue()

    def _name(self, text: str) -> str:
        base = "".join("_" if ch in "[]:*?/\\'" else ch for ch in text).strip()[:31] or "sheet"
        name, n = base, 1
        while name.lower() in self._used:
            n += 1
            name = f"{base[:28]}~{n}"
        self._used.add(name.lower())
        return name

    def add(self, key: str, records: Sequence[Mapping[str, Any]],
            columns: Sequence[str] | None = None, *, reason: str | None = None) -> None:
        """A sheet of ``records`` (the key's catalogue name); long lists each
        get a sheet of their own right after it."""
        from linkgraph.cells import _columns, localised, localised_columns

        records = [localised(r, self.lang) for r in records]
        cols = self._once(records, _columns(records, localised_columns(columns)))
        chosen = [c for c in self.cat.print_columns(key) if c in cols]
        if chosen:
            cols = chosen + [c for c in cols if c not in chosen]
        sheet = _Sheet(key, self._name(self.cat.sheet(key, self.lang)), records, cols, reason,
                       printed=len(chosen) or None)
        self.sheets.append(sheet)
        for c in cols:
            if self.cat.format(c) == "list" or any(isinstance(r.get(c), (list, tuple, set))
                                                   for r in records[:50]):
                longest = max((len(r.get(c) or ()) for r in records
                               if isinstance(r.get(c), (list, tuple, set, frozenset))),
                              default=0)
                if longest > INLINE_ITEMS:
                    header = self.cat.header(c, self.lang)
                    sheet.list_sheets[c] = self._name(f"{sheet.name[:15]}·{header}")

    def _once(self, records: Sequence[Mapping[str, Any]], cols: list[str]) -> list[str]:
        """``cols`` without a column that repeats an earlier one under the same
        header (``relation`` named from the catalogue beside ``relation_zh``)."""
        heads = [self.cat.header(c, self.lang) for c in cols]
        kept = []
        for k, c in enumerate(cols):
            first = heads.index(heads[k])
            if first < k and all(
                    self.cat.show(c, str(r.get(c)), self.lang)
                    == self.cat.show(cols[first], str(r.get(cols[first])), self.lang)
                    for r in records):
                continue
            kept.append(c)
        return kept

    # -- writing ---------------------------------------------------------
    def write(self, target: Any) -> None:
        import xlsxwriter

        wb = xlsxwriter.Workbook(target, {"strings_to_formulas": False,
                                          "strings_to_urls": False,
                                          "strings_to_numbers": False, "in_memory": True})
        from linkgraph.cells import _created

        wb.set_properties({"created": _created()})   # reproducible bytes too
        styles = _Styles(wb)
        for sheet in self.sheets:
            self._write_sheet(wb, styles, sheet)
            for col, name in sheet.list_sheets.items():
                self._write_list_sheet(wb, styles, sheet, col, name)
        wb.close()

    def _title(self, sheet_name: str) -> str:
        parts = [p for p in (self.title, sheet_name) if p]
        return " — ".join(parts)

    def _print_setup(self, ws, widths: list[float], sheet_name: str,
                     columns: int | None = None) -> None:
        """A4, fitted one page wide; ``columns`` (fewer than the sheet's)
        limits the print area to the leading ones and says so below."""
        ws.set_paper(9)   # A4
        printed = widths[:columns] if columns else widths
        if sum(printed) > PORTRAIT_WIDTH:
            ws.set_landscape()
        ws.fit_to_pages(1, 0)   # one page wide, as many tall as it takes
        ws.repeat_rows(0)
        ws.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
        head = self._title(sheet_name).replace("&", "&&")
        as_of = (f"{_word('as_of', self.lang)} {self.as_of}".replace("&", "&&")
                 if self.as_of else "")
        ws.set_header(f"&L{SMALL}{head}&R{SMALL}{as_of}")
        note = ""
        if columns and columns < len(widths):
            note = "&L" + SMALL + _word("printed", self.lang).format(k=columns, n=len(widths))
        ws.set_footer(f"{note}&C{SMALL}{_word('page', self.lang)}")

    def _header_row(self, ws, styles, columns: list[str], printed: int | None = None) -> None:
        """The header row; columns past ``printed`` (not printed) in grey."""
        for j, c in enumerate(columns):
            style = styles.header if printed is None or j < printed else styles.unprinted
            ws.write_string(0, j, _neutral(self.cat.header(c, self.lang)), style)

    def _empty(self, ws, styles, sheet: _Sheet) -> list[float]:
        cols = sheet.columns or ["note"]
        self._header_row(ws, styles, cols)
        reason = sheet.reason or _word("empty", self.lang)
        ws.write_string(1, 0, _word("none", self.lang), styles.cell["text"])
        if len(cols) > 1:
            ws.merge_range(1, 1, 1, len(cols) - 1, _neutral(reason), styles.cell["wrap"])
        else:
            ws.write_string(1, 0, f"{_word('none', self.lang)}：{reason}", styles.cell["wrap"])
        widths = [max(8.0, display_width(self.cat.header(c, self.lang)) + 2) for c in cols]
        widths[-1] = max(widths[-1], min(60.0, display_width(reason) + 2))
        return widths

    def _write_sheet(self, wb, styles, sheet: _Sheet) -> None:
        ws = wb.add_worksheet(sheet.name)
        if not sheet.records:
            widths = self._empty(ws, styles, sheet)
            printed = None
        else:
            widths = []
            for j, c in enumerate(sheet.columns):
                fmt = "list" if c in sheet.list_sheets else self.cat.format(c)
                width = min(display_width(self.cat.header(c, self.lang)), 8) + 2
                for i, r in enumerate(sheet.records, start=1):
                    shown = self._cell(ws, styles, i, j, c, r.get(c), fmt, sheet)
                    if i <= 300:
                        width = max(width, shown + 2)
                widths.append(float(min(width, MAX_WIDTH.get(fmt, 16))))
            printed = self._printed(sheet, widths)
            self._header_row(ws, styles, sheet.columns,
                             printed if printed < len(widths) else None)
            ws.freeze_panes(1, 0)
            ws.autofilter(0, 0, len(sheet.records), len(sheet.columns) - 1)
            widths = self._fill_page(sheet, widths, printed)
            self._row_heights(ws, sheet, widths)
            if printed < len(widths):
                ws.print_area(0, 0, len(sheet.records), printed - 1)
        for j, w in enumerate(widths):
            ws.set_column(j, j, max(w, 6.0))
        self._print_setup(ws, widths, sheet.name, printed)

    @staticmethod
    def _printed(sheet: _Sheet, widths: list[float]) -> int:
        """How many leading columns print: all when they fit one page at a
        readable scale (:data:`PRINT_BUDGET`), else the catalogue's choice,
        cut to what fits (at least one)."""
        k = len(widths)
        if sum(max(w, 6.0) for w in widths) <= PRINT_BUDGET:
            return k
        k = sheet.printed or k
        while k > 1 and sum(max(w, 6.0) for w in widths[:k]) > PRINT_BUDGET:
            k -= 1
        return k

    def _fill_page(self, sheet: _Sheet, widths: list[float], printed: int) -> list[float]:
        """Wrapped-text columns widened into the room the page leaves
        (portrait or landscape), so long reasons take fewer lines."""
        wrap = [j for j, c in enumerate(sheet.columns[:printed])
                if c not in sheet.list_sheets and self.cat.format(c) == "wrap"]
        if not wrap:
            return widths
        used = sum(widths[:printed])
        page = PORTRAIT_WIDTH if used <= PORTRAIT_WIDTH else LANDSCAPE_WIDTH
        room = page - used
        if room <= 0:
            return widths
        out = list(widths)
        for j in wrap:
            c = sheet.columns[j]
            longest = max((display_width(self._text(c, plain_value(r.get(c))))
                           for r in sheet.records[:300] if r.get(c) is not None), default=0)
            grow = min(room / len(wrap), max(0.0, longest + 2 - out[j]), 70 - out[j])
            out[j] += max(0.0, grow)
        return out

    def _row_heights(self, ws, sheet: _Sheet, widths: list[float]) -> None:
        """Rows tall enough for their wrapped text: spreadsheet programs do
        not grow a row for wrapped text written by a library, so a printed
        reason would be cut to one line."""
        wrapped = [(j, c) for j, c in enumerate(sheet.columns)
                   if c not in sheet.list_sheets and self.cat.format(c) in ("wrap", "text")]
        header_lines = max((-(-display_width(self.cat.header(c, self.lang)) // max(1, int(w) - 1))
                            for c, w in zip(sheet.columns, widths)), default=1)
        if header_lines > 1:
            ws.set_row(0, LINE_HEIGHT * header_lines)
        for i, r in enumerate(sheet.records, start=1):
            lines = 1
            for j, c in wrapped:
                v = r.get(c)
                if v is None:
                    continue
                room = max(1, int(widths[j]) - 1)
                shown = display_width(self._text(c, plain_value(v)))
                if shown + 2 > widths[j]:   # text that fits its column stays one line
                    lines = max(lines, -(-int(shown * GLYPH_FACTOR) // room))
            if lines > 1:
                ws.set_row(i, LINE_HEIGHT * min(lines, 15))

    def _cell(self, ws, styles, i: int, j: int, key: str, value: Any, fmt: str,
              sheet: _Sheet) -> int:
        """Write one cell; returns its display width."""
        from linkgraph.cells import plain

        v = plain(value)
        if v is None:
            ws.write_blank(i, j, None, styles.cell["text"])
            return 0
        if key in sheet.list_sheets and isinstance(v, list):
            text = _word("see", self.lang).format(n=len(v), sheet=sheet.list_sheets[key])
            ws.write_url(i, j, f"internal:'{sheet.list_sheets[key]}'!A1", styles.link,
                         string=text)
            return display_width(text)
        if isinstance(v, bool):
            text = _word("yes" if v else "no", self.lang)
            ws.write_string(i, j, text, styles.cell["text"])
            return display_width(text)
        if isinstance(v, (int, float)):
            style = styles.number.get(fmt, styles.number["number"])
            ws.write_number(i, j, v, style)
            return 12 if fmt in ("rate", "amount") else len(f"{v:g}")
        if fmt == "date" and isinstance(v, str) and _ISO_DATE.match(v):
            ws.write_datetime(i, j, dt.datetime.strptime(v, "%Y-%m-%d"), styles.date)
            return 10
        text = self._text(key, v)
        style = styles.cell["wrap" if fmt in ("wrap", "list", "text") else "text"]
        ws.write_string(i, j, _neutral(text), style)
        return display_width(text)

    def _text(self, key: str, v: Any) -> str:
        if key == "path" and isinstance(v, list):   # an evidence path of node keys
            from linkgraph.cells import path_text

            return path_text(v, self.names)
        if isinstance(v, list):
            lookup = self.names.get(LIST_NAMES.get(key, ""), {})
            if any(isinstance(x, Mapping) for x in v):
                return "\n".join(self._text(key, x) for x in v)
            items = [self.cat.show(key, str(x), self.lang) for x in v]
            return "；".join(f"{x} {lookup[x]}" if x in lookup else x for x in items)
        if isinstance(v, Mapping):
            return "；".join(f"{self.cat.header(str(k), self.lang)}：{self._text(str(k), x)}"
                            for k, x in v.items())
        return self.cat.show(key, str(v), self.lang)

    def _write_list_sheet(self, wb, styles, parent: _Sheet, col: str, name: str) -> None:
        """One row per item of the list column ``col`` of ``parent``, keyed by
        the parent row's first column (and its name column when it has one)."""
        ws = wb.add_worksheet(name)
        key = parent.columns[0]
        label = next((c for c in parent.columns[1:4] if c.endswith("_name") or c == "label"),
                     None)
        lookup = self.names.get(LIST_NAMES.get(col, ""), {})
        heads = [self.cat.header(key, self.lang)]
        if label:
            heads.append(self.cat.header(label, self.lang))
        heads.append(self.cat.header(col, self.lang))
        if lookup:
            heads.append(_word("item_name", self.lang))
        for j, h in enumerate(heads):
            ws.write_string(0, j, _neutral(h), styles.header)
        widths = [display_width(h) + 2 for h in heads]
        i = 0
        for r in parent.records:
            items = r.get(col) or ()
            for item in (sorted(items) if isinstance(items, (set, frozenset)) else items):
                i += 1
                row = [str(r.get(key, ""))]
                if label:
                    row.append(self._text(label, r.get(label) or ""))
                row.append(self._text(col, item) if isinstance(item, Mapping)
                           else self.cat.show(col, str(item), self.lang))
                if lookup:
                    row.append(lookup.get(str(item), ""))
                for j, text in enumerate(row):
                    ws.write_string(i, j, _neutral(text), styles.cell["text"])
                    if i <= 300:
                        widths[j] = max(widths[j], display_width(text) + 2)
        widths = [float(min(w, 40)) for w in widths]  # type: ignore[misc]
        for j, w in enumerate(widths):
            ws.set_column(j, j, w)
        if i:
            ws.freeze_panes(1, 0)
            ws.autofilter(0, 0, i, len(heads) - 1)
        else:
            ws.write_string(1, 0, _word("none", self.lang), styles.cell["text"])
        self._print_setup(ws, widths, name)  # type: ignore[arg-type]


class _Styles:
    def __init__(self, wb):
        base = {"border": 1, "valign": "top", "font_size": 10}
        self.header = wb.add_format({**base, "bold": True, "bg_color": "#DDEBF7",
                                     "text_wrap": True, "valign": "vcenter"})
        self.unprinted = wb.add_format({**base, "bold": True, "bg_color": "#E7E6E6",
                                        "text_wrap": True, "valign": "vcenter"})
        self.cell = {"text": wb.add_format(base),
                     "wrap": wb.add_format({**base, "text_wrap": True})}
        self.link = wb.add_format({**base, "font_color": "#1F4E79", "underline": 1})
        self.date = wb.add_format({**base, "num_format": "yyyy-mm-dd", "align": "left"})
        self.number = {
            "int": wb.add_format({**base, "num_format": "0"}),
            "number": wb.add_format({**base, "num_format": "General"}),
            "rate": wb.add_format({**base, "num_format": "0.0%"}),
            "amount": wb.add_format({**base, "num_format": "#,##0.00"}),
        }
