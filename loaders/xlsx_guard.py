"""Looking inside an .xlsx before it is inflated.

A workbook is a zip of XML.  A few megabytes can hold millions of rows or a
shared string of hundreds of megabytes, and a reader that inflates them runs
out of memory.  Before calamine reads a workbook, ``check_workbook`` streams
its parts (bounded memory) and refuses one that is too large once expanded,
that holds more cells than LINKGRAPH_MAX_CELLS, or a string longer than any
Excel cell can hold.  ``uncached_formulas`` finds formula cells saved
without a value (calamine reads them as empty), so they can be reported.
"""
from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from linkgraph.errors import InputError

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_BLOCK = 1 << 20


def max_expanded_bytes() -> int:
    """Largest workbook once unzipped; LINKGRAPH_MAX_EXPANDED_MB (default 2048)."""
    return int(float(os.environ.get("LINKGRAPH_MAX_EXPANDED_MB", "2048")) * 2**20)


def max_cells() -> int:
    """Most cells in one workbook; LINKGRAPH_MAX_CELLS (default 12,000,000 —
    more than a full sheet of 1,048,576 rows by 11 columns)."""
    return int(os.environ.get("LINKGRAPH_MAX_CELLS", "12000000"))


def _stream(zf: zipfile.ZipFile, member: str):
    with zf.open(member) as fh:
        yield from iter(lambda: fh.read(_BLOCK), b"")


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip member holding its XML."""
    try:
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    out = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        out[sheet.get("name", "")] = os.path.normpath(target).replace(os.sep, "/")
    return out


def _mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB"


def check_workbook(path: str, name: str) -> None:
    """Raise InputError for a workbook that would not fit in memory once read."""
    if not zipfile.is_zipfile(path):
        return  # .xls (not a zip): calamine reads it as it is
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return  # calamine gives the "corrupt" message
    with zf:
        expanded = sum(i.file_size for i in zf.infolist())
        if expanded > max_expanded_bytes():
            raise InputError(f"{name}: 工作簿解压后有 {_mb(expanded)}，超过上限 "
                             f"{_mb(max_expanded_bytes())}（可用 LINKGRAPH_MAX_EXPANDED_MB 调整）；"
                             f"请另存为 CSV / workbook expands to {_mb(expanded)}, over the "
                             f"limit of {_mb(max_expanded_bytes())}")
        cells = 0
        for sheet, member in sheet_parts(zf).items():
            if member not in zf.namelist():
                continue
            rows = 0
            tail = b""
            for block in _stream(zf, member):
                both = tail + block
                cells += both.count(b"<c ") + both.count(b"<c>") - _count_c(tail)
                rows += both.count(b"<row") - tail.count(b"<row")
                tail = block[-4:]
                if rows > EXCEL_ROWS:
                    raise InputError(f"{name}[{sheet}]: 工作表超过 Excel 的 {EXCEL_ROWS:,} 行上限，不是 "
                                     f"Excel 保存的正常文件（单元格上限见 LINKGRAPH_MAX_CELLS）/ more "
                                     f"than Excel's {EXCEL_ROWS:,} rows: not a workbook Excel saved")
                if cells > max_cells():
                    raise InputError(f"{name}[{sheet}]: 单元格超过 {max_cells():,} 个（可用 "
                                     f"LINKGRAPH_MAX_CELLS 调整）；请拆分工作簿或另存为 CSV / more "
                                     f"than {max_cells():,} cells")
        if "xl/sharedStrings.xml" in zf.namelist():
            _check_shared_strings(zf, name)


#: rows of one Excel sheet at most
EXCEL_ROWS = 1_048_576


def _count_c(tail: bytes) -> int:
    return tail.count(b"<c ") + tail.count(b"<c>")


def _check_shared_strings(zf: zipfile.ZipFile, name: str) -> None:
    """No shared string longer than Excel allows in a cell (32,767
    characters, at most 4 bytes each): such a string is not Excel's, and
    each cell that refers to it would inflate it again."""
    limit = 32767 * 4 + 4096
    start = None
    pos = 0
    buf = b""
    for block in _stream(zf, "xl/sharedStrings.xml"):
        buf += block
        while True:
            if start is None:
                i = buf.find(b"<si")
                if i < 0:
                    pos += len(buf) - 3
                    buf = buf[-3:]
                    break
                start = pos + i
            j = buf.find(b"</si>")
            if j < 0:
                if pos + len(buf) - start > limit:
                    _too_long(name)
                pos += len(buf) - 5
                buf = buf[-5:]
                break
            if pos + j - start > limit:
                _too_long(name)
            pos += j + 5
            buf = buf[j + 5:]
            start = None


def _too_long(name: str) -> None:
    raise InputError(f"{name}: 工作簿含有超过 Excel 单元格上限（32767 字符）的文字，不是 Excel 保存的"
                     f"正常文件；请检查来源 / holds a string longer than any Excel cell "
                     f"(32,767 characters): not a workbook Excel saved")


@dataclass(frozen=True)
class Formula:
    row: int  # 0-based, like the grid
    column: int
    formula: str


_REF = re.compile(r"^([A-Z]+)(\d+)$")


def _position(ref: str) -> tuple[int, int] | None:
    m = _REF.match(ref or "")
    if not m:
        return None
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def uncached_formulas(path: str, sheet: str) -> list[Formula]:
    """Formula cells of ``sheet`` saved without a cached value (a workbook
    written by a program, never opened in Excel): they read as empty."""
    if not zipfile.is_zipfile(path):
        return []
    with zipfile.ZipFile(path) as zf:
        member = sheet_parts(zf).get(sheet)
        if not member or member not in zf.namelist():
            return []
        if not any(b"<f" in block for block in _stream(zf, member)):
            return []
        out = []
        with zf.open(member) as fh:
            for _, elem in ElementTree.iterparse(fh):
                if elem.tag != f"{_MAIN}c":
                    continue
                f = elem.find(f"{_MAIN}f")
                if f is not None:
                    v = elem.find(f"{_MAIN}v")
                    pos = _position(elem.get("r", ""))
                    if (v is None or not (v.text or "")) and pos:
                        out.append(Formula(pos[0], pos[1], "=" + (f.text or "")))
                elem.clear()
        return out
