"""Finding the ledger tables in a folder or a workbook.

DATA is either a folder with one file per table (CSV/TSV/TXT or Excel; file
names are table names or their Chinese aliases: ``units.csv``, ``单位.xlsx``),
or one Excel workbook with one sheet per table.  An Excel file in a folder
whose name is not a table is read as a workbook of tables.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from linkgraph.errors import InputError, Violation
from linkgraph.headers import table_for
from loaders.excel import EXCEL_SUFFIXES, open_workbook, read_sheet, sheet_names
from loaders.text import read_delimited_chunks, read_ragged_chunks

TEXT_SUFFIXES = (".csv", ".tsv", ".txt")


@dataclass(frozen=True)
class SourceFile:
    """One input file, with its hash for provenance."""

    path: str
    sha256: str
    size: int


@dataclass
class RawTable:
    """One table's cells as read, in chunks of rows, before the header is found.

    ``chunks()`` streams the grid (index = 0-based row); ``ragged()`` rereads
    a text file whose rows differ in length (see loaders.text.RaggedRows).
    """

    table: str
    file: str  # what the user calls it: "units.csv" or "ledgers.xlsx[单位]"
    chunks: Callable[[], Iterator[pd.DataFrame]]
    ragged: Callable[[], Iterator[pd.DataFrame]] | None = None


def _sheet_table(table: str, file: str, workbook, sheet: str) -> RawTable:
    """Excel sheets are read whole: a sheet holds at most 1,048,576 rows."""
    grid = read_sheet(workbook, sheet, file)
    return RawTable(table, file, lambda: iter([grid]))


def _text_table(table: str, path: Path) -> RawTable:
    return RawTable(table, path.name, lambda: read_delimited_chunks(str(path), path.name),
                    lambda: read_ragged_chunks(str(path), path.name))


@dataclass
class Sources:
    tables: list[RawTable] = field(default_factory=list)
    files: list[SourceFile] = field(default_factory=list)
    notes: list[Violation] = field(default_factory=list)


def max_file_bytes() -> int:
    """Largest input file accepted; LINKGRAPH_MAX_FILE_MB overrides (default 4 GiB)."""
    return int(float(os.environ.get("LINKGRAPH_MAX_FILE_MB", "4096")) * 2**20)


def _hash(path: Path) -> SourceFile:
    size = path.stat().st_size
    if size > max_file_bytes():
        raise InputError(f"{path.name}: 文件过大（{size / 2**20:,.0f} MB，上限 "
                         f"{max_file_bytes() / 2**20:,.0f} MB，可用 LINKGRAPH_MAX_FILE_MB 调整）"
                         f" / file too large ({size / 2**20:,.0f} MB, limit "
                         f"{max_file_bytes() / 2**20:,.0f} MB)")
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return SourceFile(str(path), digest.hexdigest(), path.stat().st_size)


def _workbook_tables(path: Path, out: Sources, only: str | None = None) -> None:
    wb = open_workbook(str(path), path.name)
    try:
        names = sheet_names(wb)
        matched = {s: table_for(s) for s in names}
        if only is not None:
            chosen = [s for s in names if matched[s] == only] or names[:1]
            for s in chosen[:1]:
                out.tables.append(_sheet_table(only, f"{path.name}[{s}]", wb, s))
            return
        for s in names:
            table = matched[s]
            if table is None:
                out.notes.append(Violation("", f"{path.name}[{s}]", None, "", s,
                                           "工作表名不是数据表名，已忽略 / sheet is not a "
                                           "table of the contract, ignored", "warning"))
                continue
            out.tables.append(_sheet_table(table, f"{path.name}[{s}]", wb, s))
    finally:
        close = getattr(wb, "close", None)
        if close:
            close()


def _candidates(path: Path) -> list[Path]:
    """The files of a folder that could hold tables, in name order."""
    entries = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith((".", "~$")))
    return [p for p in entries if p.suffix.lower() in TEXT_SUFFIXES + EXCEL_SUFFIXES]


def source_files(data: str | os.PathLike) -> list[SourceFile]:
    """The input files behind DATA with their SHA-256 (for provenance and caching)."""
    path = Path(data)
    if not path.exists():
        raise InputError(f"{path}: 路径不存在 / no such file or folder")
    if path.is_file():
        if path.suffix.lower() not in EXCEL_SUFFIXES:
            raise InputError(f"{path}: 请给出一个文件夹（每表一个文件）或一个 Excel 工作簿"
                             " / give a folder of table files or one Excel workbook")
        return [_hash(path)]
    return [_hash(p) for p in _candidates(path)]


def read_sources(data: str | os.PathLike, files: list[SourceFile] | None = None) -> Sources:
    """Every table found under ``data`` (a folder or a workbook)."""
    path = Path(data)
    out = Sources(files=list(files) if files is not None else source_files(data))
    if path.is_file():
        _workbook_tables(path, out)
        return out
    candidates = _candidates(path)
    for p in sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith((".", "~$"))):
        if p not in candidates and p.name != "truth.json":
            out.notes.append(Violation("", p.name, None, "", "", "不是表格文件，已忽略"
                                       " / not a table file, ignored", "warning"))
    for p in candidates:
        table = table_for(p.stem)
        if p.suffix.lower() in EXCEL_SUFFIXES:
            _workbook_tables(p, out, only=table)
        elif table is None:
            out.notes.append(Violation("", p.name, None, "", p.stem, "文件名不是数据表名，已忽略"
                                       " / file name is not a table of the contract, ignored",
                                       "warning"))
        else:
            out.tables.append(_text_table(table, p))
    if not out.tables:
        raise InputError(f"{path}: 没有找到任何数据表（如 units.csv / 单位.xlsx）"
                         " / no ledger tables found")
    return out
