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

from linkgraph.errors import InputError
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


def _inputs(files: Sequence[tuple[Path, str]]) -> list[dict[str, Any]]:
    """Each source file with its SHA-256 (what the import was made from)."""
    return [{"path": name, "sha256": hashlib.sha256(p.read_bytes()).hexdigest(),
             "size": p.stat().st_size} for p, name in files]


def source_files(sources: Sequence[str | Path], out: Path) -> list[tuple[Path, str]]:
    """The ledger files behind ``sources`` with the names the import calls
    them by, without anything inside ``out`` (DATA may sit in the ledgers'
    folder: its own tables are not ledgers)."""
    from loaders.office.readgrid import source_paths

    inside = out.resolve()
    return [(p, name) for p, name in source_paths(list(sources))
            if inside != p.resolve() and inside not in p.resolve().parents]


def _read(files: Sequence[tuple[Path, str]]) -> list[SheetRead]:
    """Every sheet of the files, as ``read.read_office`` reads them."""
    from loaders.office.read import read_grid
    from loaders.office.readgrid import read_grids

    return [read_grid(grid) for path, name in files for grid in read_grids(path, name)]


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
    from loaders.office.crosswalk import REVIEW_COLUMNS_EN, REVIEW_COLUMNS_ZH, review_rows

    return (review_rows(resolution, lang),
            REVIEW_COLUMNS_EN if lang == "en" else REVIEW_COLUMNS_ZH)


#: Rounds of "check the written DATA, drop what the contract refuses"; one
#: is enough (the checker also refuses the rows referring to a refused row).
CHECK_ROUNDS = 3


def _write_checked(resolution: Resolution, out: Path) -> dict[str, int]:
    """Write the tables; rows the contract's checker refuses become rejected
    rows of the import instead (see contract_check.py)."""
    from loaders.office.contract_check import contract_rejects, drop_refused

    written = write_tables(resolution.tables, out)
    for _ in range(CHECK_ROUNDS):
        refused = contract_rejects(out, resolution)
        if not refused:
            break
        drop_refused(resolution, refused)
        for name in written:
            (out / f"{name}.csv").unlink()
        written = write_tables(resolution.tables, out)
    return written


def import_ledgers(sources: Sequence[str | Path], out: str | Path, *,
                   decisions: str | Path | None = None, lang: str = "zh") -> ImportResult:
    """Read every sheet of ``sources``, resolve and write; see the module docstring."""
    from loaders.office.resolve import collector_paused

    files = source_files(sources, Path(out))
    if not files:
        raise InputError(f"{'、'.join(str(s) for s in sources)}: 没有找到台账文件（xlsx/xls/csv）"
                         " / no ledger files (xlsx/xls/csv) found")
    with collector_paused():  # reading, resolving and writing alike
        sheets = _read(files)
        if not any(s.rows_read for s in sheets):
            raise InputError(f"{'、'.join(str(s) for s in sources)}: 台账文件里没有任何内容"
                             " / the ledger files are empty")
        return import_sheets(sheets, out, decisions=decisions, lang=lang,
                             inputs=_inputs(files))


def import_sheets(sheets: Sequence[SheetRead], out: str | Path, *,
                  decisions: str | Path | None = None, lang: str = "zh",
                  inputs: Sequence[dict[str, Any]] = ()) -> ImportResult:
    """Resolve what the reader gave and write DATA (tables, report, review)."""
    from loaders.office.resolve import resolve

    out = Path(out)
    sheets = list(sheets)
    crosswalk = _crosswalk(out, decisions)
    resolution = resolve(sheets, crosswalk=crosswalk)
    prepare_out(out)
    written = _write_checked(resolution, out)
    _save_crosswalk(crosswalk, out)
    totals = check_totals(sheets, resolution)
    report = build_report(sheets, resolution, written, totals,
                          no_table_reason=t("no_table_reason", lang),
                          unaccounted_reason=t("unaccounted_reason", lang))
    report.inputs = list(inputs)
    (out / REPORT_FILE).write_text(
        json.dumps(plain(report.as_record()), ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8")
    review, columns = _review(resolution, lang)
    write_review_book(out / REVIEW_FILE, review, columns, report, lang)
    return ImportResult(out, sheets, resolution, report)
