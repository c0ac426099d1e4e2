"""``DATA/review.xlsx``: the workbook the office opens after an import.

Sheets: 待核对 (every match left to the office, with score, evidence,
candidates and a 接受/拒绝 column to fill in — the rows come from the
resolver's ``review_rows()``, so one definition serves writing and reading
back), 导入报告 (per sheet: read as what, rows to records / non-data rows by
kind / rejected), 拒收 (every rejected row with file, sheet, row, column,
value, reason), 合计核对 (the office's own totals against the import) and
写入的表 (rows written per table).  Every text cell is written as text and
neutralised (a cell beginning with ``= + - @`` cannot run as a formula).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from linkgraph.output import cell_text, neutralise
from loaders.office.report import ImportReport, rejected_record
from loaders.office.wording import kind_name, t, table_name, what_name

#: Words that mark the decision column of the review sheet (a dropdown is added).
DECISION_WORDS = ("接受", "决定", "decision", "accept")
DECISION_CHOICES = ("接受", "拒绝")
FIXED_CREATED = dt.datetime(2000, 1, 1)


def _counts_text(counts: Mapping[str, int], name) -> str:
    return "；".join(f"{name(k)} {v}" for k, v in counts.items())


def report_rows(report: ImportReport, lang: str) -> list[dict[str, Any]]:
    rows = []
    for s in report.sheets:
        rows.append({
            t("file", lang): s.file, t("sheet", lang): s.sheet,
            t("table", lang): table_name(s.table, lang),
            t("header_rows", lang): ",".join(str(h) for h in s.header_rows),
            t("rows_read", lang): s.rows_read, t("record_rows", lang): s.record_rows,
            t("records", lang): _counts_text(s.records, lambda k: table_name(k, lang)),
            t("non_data", lang): _counts_text(s.non_data, lambda k: kind_name(k, lang)),
            t("rejected", lang): s.rejected_rows, t("unaccounted", lang): s.unaccounted_rows,
            t("unit", lang): s.unit or "", t("round", lang): s.round or "",
            t("notes", lang): "；".join(s.notes)})
    return rows


def rejected_rows(report: ImportReport, lang: str) -> list[dict[str, Any]]:
    out = []
    for r in report.rejected + report.unaccounted:
        rec = rejected_record(r)
        out.append({t(k, lang): rec[k] for k in ("file", "sheet", "row", "column", "value",
                                                  "reason")})
    return out


def totals_rows(report: ImportReport, lang: str) -> list[dict[str, Any]]:
    out = []
    for c in report.totals:
        rec = c.as_record()
        agrees = {True: t("yes", lang), False: t("no", lang), None: t("unknown", lang)}
        out.append({t("file", lang): rec["file"], t("sheet", lang): rec["sheet"],
                    t("row", lang): rec["row"], t("table", lang): table_name(rec["table"], lang),
                    t("what", lang): what_name(rec["what"], lang), t("text", lang): rec["text"],
                    t("office", lang): rec["office"], t("imported", lang): rec["imported"],
                    t("matches", lang): agrees[rec["matches"]],
                    t("convention", lang): t(rec["convention"], lang) if rec["convention"]
                    else ""})
    return out


def written_rows(report: ImportReport, lang: str) -> list[dict[str, Any]]:
    return [{t("table", lang): table_name(k, lang), t("written", lang): v}
            for k, v in report.written.items()]


def _write_sheet(wb, title: str, rows: Sequence[Mapping[str, Any]],
                 columns: Sequence[str] | None = None) -> None:
    ws = wb.add_worksheet(title[:31])
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    cols = list(columns) if columns is not None else list(dict.fromkeys(
        k for r in rows for k in r))
    for j, c in enumerate(cols):
        ws.write_string(0, j, neutralise(str(c)), bold)
    for i, r in enumerate(rows, start=1):
        for j, c in enumerate(cols):
            v = r.get(c)
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                ws.write_number(i, j, v)
            else:
                ws.write_string(i, j, neutralise(cell_text(v)))
    for j, c in enumerate(cols):
        if any(w in str(c).lower() for w in DECISION_WORDS) and rows:
            ws.data_validation(1, j, len(rows), j, {"validate": "list",
                                                    "source": list(DECISION_CHOICES),
                                                    "ignore_blank": True})
        width = max([len(str(c))] + [len(cell_text(r.get(c))) for r in rows[:200]])
        ws.set_column(j, j, min(max(8, width * 1.6), 60))
    if cols:
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(len(rows), 1), len(cols) - 1)


def write_review_book(path: Path, review: Sequence[Mapping[str, Any]],
                      review_columns: Sequence[str], report: ImportReport,
                      lang: str = "zh") -> None:
    """Write review.xlsx; ``review`` are the resolver's review rows."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                         "strings_to_urls": False,
                                         "strings_to_numbers": False})
    wb.set_properties({"created": FIXED_CREATED})  # same input, same bytes
    try:
        _write_sheet(wb, t("sheet_review", lang), review, review_columns)
        _write_sheet(wb, t("sheet_report", lang), report_rows(report, lang))
        _write_sheet(wb, t("sheet_rejected", lang), rejected_rows(report, lang),
                     [t(k, lang) for k in ("file", "sheet", "row", "column", "value", "reason")])
        _write_sheet(wb, t("sheet_totals", lang), totals_rows(report, lang))
        _write_sheet(wb, t("sheet_tables", lang), written_rows(report, lang))
    finally:
        wb.close()
