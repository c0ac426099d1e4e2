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


def table_file_suffixes() -> tuple[str, ...]:
    """Suffixes of the files a folder is read for (as tables or workbooks)."""
    return TEXT_SUFFIXES + EXCEL_SUFFIXES


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


def _sheet_table(table: str, file: str, workbook, sheet: str, path: str | None = None) -> RawTable:
    """Excel sheets are read whole: a sheet holds at most 1,048,576 rows."""
    grid = read_sheet(workbook, sheet, file, path)
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
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise InputError(f"{path.name}: 无法读取文件（{exc.strerror}）；请检查文件权限，或关闭正在"
                         f"使用它的程序 / cannot read the file: {exc.strerror}") from exc
    return SourceFile(str(path), digest.hexdigest(), path.stat().st_size)


def _workbook_tables(path: Path, out: Sources, only: str | None = None) -> None:
    wb = open_workbook(str(path), path.name)
    try:
        names = sheet_names(wb)
        matched = {s: table_for(s) for s in names}
        if only is not None:
            chosen = ([s for s in names if matched[s] == only] or names)[0]
            out.tables.append(_sheet_table(only, f"{path.name}[{chosen}]", wb, chosen, str(path)))
            for s in names:
                if s != chosen:
                    out.notes.append(_other_sheet(path, wb, s, chosen, only))
            return
        for s in names:
            if matched[s] is None:
                out.notes.append(Violation("", f"{path.name}[{s}]", None, "", s,
                                           "工作表名不是数据表名，已忽略 / sheet is not a "
                                           "table of the contract, ignored", "warning"))
                continue
            out.tables.append(_sheet_table(matched[s], f"{path.name}[{s}]", wb, s, str(path)))
    finally:
        close = getattr(wb, "close", None)
        if close:
            close()


def _other_sheet(path: Path, wb, sheet: str, chosen: str, table: str) -> Violation:
    """A further sheet of a table's workbook (units.xlsx with 2023年 and
    2024年): never dropped without a word.  A sheet with rows is an error —
    its rows were not read — and an empty one a warning."""
    grid = read_sheet(wb, sheet, f"{path.name}[{sheet}]")
    filled = int((grid.astype(str).apply(lambda c: c.str.strip() != "")).any(axis=1).sum()) \
        if not grid.empty else 0
    if not filled:
        return Violation(table, f"{path.name}[{sheet}]", None, "", sheet,
                         "空工作表，已忽略 / empty sheet, ignored", "warning")
    return Violation(table, f"{path.name}[{sheet}]", None, "", sheet,
                     f"{path.name} 是 {table} 表，只读了工作表“{chosen}”；工作表“{sheet}”还有 "
                     f"{filled} 行未读入。请把各工作表的行并到一张工作表里，或把它另存为单独的文件"
                     f" / only sheet {chosen!r} of this {table} workbook is read; sheet "
                     f"{sheet!r} holds {filled} rows that were not: put them in one sheet")


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


def _outside_links(path: Path) -> list[Violation]:
    """Files of DATA that are links to somewhere outside it: read, but said."""
    root = path.resolve()
    out = []
    for p in sorted(path.iterdir()):
        if p.is_symlink():
            target = p.resolve()
            if root not in target.parents:
                out.append(Violation("", p.name, None, "", str(target),
                                     f"是指向数据文件夹之外的链接（{target}），已按链接读入；如非"
                                     f"本意请删去该链接 / a link to a file outside DATA "
                                     f"({target}); read through the link", "warning"))
    return out


def found_instead(path: Path) -> str:
    """What a folder holds, for a "table missing" message: so the user sees
    why (a folder named units.csv, a workbook without sheets…)."""
    if not path.is_dir():
        return ""
    items = []
    for p in sorted(path.iterdir())[:12]:
        if p.name.startswith("."):
            continue
        kind = "文件夹" if p.is_dir() else ("链接" if p.is_symlink() else "文件")
        items.append(f"{p.name}（{kind}）")
    return "；该文件夹中有：" + ("、".join(items) if items else "（空）")


def read_sources(data: str | os.PathLike, files: list[SourceFile] | None = None) -> Sources:
    """Every table found under ``data`` (a folder or a workbook)."""
    path = Path(data)
    out = Sources(files=list(files) if files is not None else source_files(data))
    if path.is_dir():
        out.notes.extend(_outside_links(path))
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
                         f"{found_instead(path)} / no ledger tables found")
    return out
