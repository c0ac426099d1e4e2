"""``linkgraph import``: office ledgers into a DATA folder (the write step).

``import_ledgers(sources, out)`` reads every sheet (``read.read_office``),
resolves names to units and people (``resolve.resolve``, with the office's
crosswalk of earlier decisions, updated from ``decisions`` — a review.xlsx
the office filled in), then writes into ``out``:

* the contract tables as UTF-8 CSV, one per table, named by the canonical
  English table name (``write.py``), so every command runs on DATA unchanged;
* ``import-report.json``: per sheet what it was read as and where its rows
  went (records / non-data rows by kind / rejected), every rejected row with
  file, sheet, row, column, value and reason, the office's own totals against
  the import, the completion figures under both 持续整改 conventions;
* ``review.xlsx``: every match left to the office, and the same report.

The library never exits: the CLI reads ``ImportResult.report.complete``.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from linkgraph.output import plain
from loaders.office.records import Resolution, SheetRead
from loaders.office.report import ImportReport, build_report
from loaders.office.review_book import write_review_book
from loaders.office.totals import check_totals
from loaders.office.wording import t
from loaders.office.write import REPORT_FILE, REVIEW_FILE, prepare_out, write_tables


@dataclass
class ImportResult:
    out: Path
    sheets: list[SheetRead]
    resolution: Resolution
    report: ImportReport

    @property
    def report_path(self) -> Path:
        return self.out / REPORT_FILE

    @property
    def review_path(self) -> Path:
        return self.out / REVIEW_FILE


def _inputs(paths: Sequence[SheetRead]) -> list[dict[str, Any]]:
    """Each source file once, with its SHA-256 (what the import was made from)."""
    seen: dict[str, dict[str, Any]] = {}
    for s in paths:
        p = Path(s.file)
        if s.file in seen or not p.is_file():
            continue
        seen[s.file] = {"path": p.name, "sha256": hashlib.sha256(p.read_bytes()).hexdigest(),
                        "size": p.stat().st_size}
    return list(seen.values())


def _crosswalk(out: Path, decisions: str | Path | None):
    """The office's crosswalk kept in DATA, with ``decisions`` added to it."""
    from loaders.office.crosswalk import FILE_NAME, Crosswalk, read_decisions

    crosswalk = Crosswalk.load(out / FILE_NAME)
    if decisions is not None:
        crosswalk = crosswalk.with_decisions(read_decisions(Path(decisions)))
    return crosswalk


def _save_crosswalk(crosswalk, out: Path) -> None:
    from loaders.office.crosswalk import FILE_NAME

    if len(crosswalk) or (out / FILE_NAME).exists():
        crosswalk.save(out / FILE_NAME)


def _review(resolution: Resolution, lang: str) -> tuple[list[dict[str, Any]], tuple[str, ...]]:
    """The review rows and their columns (one definition: crosswalk.py)."""
    from loaders.office.crosswalk import (
        REVIEW_COLUMNS_EN,
        REVIEW_COLUMNS_ZH,
        review_rows,
    )

    return (review_rows(resolution, lang),
            REVIEW_COLUMNS_EN if lang == "en" else REVIEW_COLUMNS_ZH)


def import_ledgers(sources: Sequence[str | Path], out: str | Path, *,
                   decisions: str | Path | None = None, lang: str = "zh") -> ImportResult:
    """Read every sheet of ``sources``, resolve and write; see the module docstring."""
    from loaders.office.read import read_office

    return import_sheets(read_office([Path(p) for p in sources]), out, decisions=decisions,
                         lang=lang)


def import_sheets(sheets: Sequence[SheetRead], out: str | Path, *,
                  decisions: str | Path | None = None, lang: str = "zh") -> ImportResult:
    """Resolve what the reader gave and write DATA (tables, report, review)."""
    from loaders.office.resolve import resolve

    out = Path(out)
    sheets = list(sheets)
    crosswalk = _crosswalk(out, decisions)
    resolution = resolve(sheets, crosswalk=crosswalk)
    prepare_out(out)
    written = write_tables(resolution.tables, out)
    _save_crosswalk(crosswalk, out)
    totals = check_totals([x for s in sheets for x in s.totals], resolution)
    report = build_report(sheets, resolution, written, totals,
                          no_table_reason=t("no_table_reason", lang),
                          unaccounted_reason=t("unaccounted_reason", lang))
    report.inputs = _inputs(sheets)
    (out / REPORT_FILE).write_text(
        json.dumps(plain(report.as_record()), ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8")
    review, columns = _review(resolution, lang)
    write_review_book(out / REVIEW_FILE, review, columns, report, lang)
    return ImportResult(out, sheets, resolution, report)
