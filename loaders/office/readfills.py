"""Cell fill colours of an .xlsx sheet, read from the workbook's stylesheet.

calamine returns values only, so fills come from the XML: ``xl/styles.xml``
lists the fills and the cell formats (``cellXfs``, each naming a fill), and
each ``<c>`` of a sheet names its format (``s="N"``).  Reading just those
attributes is many times faster than openpyxl building a cell object per
cell, and gives the same answer as openpyxl's ``cell.fill``: a pattern fill
of type solid or grey, its foreground colour as ``rgb`` or an ``indexed``
palette entry (theme colours have no RGB and give no colour word).
"""
from __future__ import annotations

import re
import zipfile
from xml.etree import ElementTree

from linkgraph.errors import InputError
from loaders.office.values import colour_name
from loaders.xlsx_guard import sheet_parts

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
#: the pattern types openpyxl's reader counted as a fill
FILLED = ("solid", "gray125", "darkGray", "mediumGray", "lightGray")

_TAG = re.compile(rb"<(?:\w+:)?(row|c)\b([^>]*)>")
_ATTR = re.compile(rb"(?:^|\s)(r|s)\s*=\s*[\"']([^\"']*)[\"']")
_REF = re.compile(rb"([A-Za-z]+)(\d+)")


def _colour(element: ElementTree.Element | None) -> str | None:
    """A ``fgColor`` → its RGB (``AARRGGBB``), None for theme/auto colours."""
    if element is None:
        return None  # openpyxl's default: black, which names no colour
    indexed = element.get("indexed")
    if indexed is not None:
        from openpyxl.styles.colors import COLOR_INDEX  # only then: openpyxl loads slowly

        i = int(indexed)
        return COLOR_INDEX[i] if 0 <= i < len(COLOR_INDEX) else None
    if element.get("theme") is not None or element.get("auto") is not None:
        return None
    return element.get("rgb")


def _format_colours(styles: bytes) -> list[str | None]:
    """The colour word of each cell format (``cellXfs`` in order)."""
    root = ElementTree.fromstring(styles)
    fills: list[str | None] = []
    fills_el = root.find(f"{_MAIN}fills")
    for fill in (fills_el if fills_el is not None else []):
        pattern = fill.find(f"{_MAIN}patternFill")
        if pattern is None or pattern.get("patternType") not in FILLED:
            fills.append(None)
            continue
        fills.append(colour_name(_colour(pattern.find(f"{_MAIN}fgColor"))))
    out: list[str | None] = []
    xfs = root.find(f"{_MAIN}cellXfs")
    for xf in (xfs if xfs is not None else []):
        i = int(xf.get("fillId", "0") or 0)
        out.append(fills[i] if 0 <= i < len(fills) else None)
    return out


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n - 1


def sheet_fills(path: str, sheet: str, file: str) -> dict[tuple[int, int], str]:
    """(row, col) → colour word of each filled cell of ``sheet``, 0-based."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            colours = (_format_colours(zf.read("xl/styles.xml"))
                       if "xl/styles.xml" in names else [])
            member = sheet_parts(zf).get(sheet)
            if not any(colours) or member not in names:
                return {}
            xml = zf.read(member)
    except (zipfile.BadZipFile, OSError, ElementTree.ParseError, ValueError) as exc:
        raise InputError(f"{file}: 无法读取单元格颜色 / cannot read cell fills: {exc}") from exc
    out: dict[tuple[int, int], str] = {}
    r, c = -1, -1
    for m in _TAG.finditer(xml):
        attrs = dict(_ATTR.findall(m[2]))
        if m[1] == b"row":
            r = int(attrs[b"r"]) - 1 if b"r" in attrs else r + 1
            c = -1
            continue
        ref = _REF.fullmatch(attrs.get(b"r", b""))
        if ref:
            c = _column(ref[1])
            r = int(ref[2]) - 1
        else:
            c += 1
        s = int(attrs.get(b"s", b"0") or 0)
        name = colours[s] if 0 <= s < len(colours) else None
        if name:
            out[(r, c)] = name
    return out
