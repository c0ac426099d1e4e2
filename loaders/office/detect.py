"""Does a folder or workbook look like office ledgers rather than DATA?

``linkgraph validate`` asks this when the data contract refuses an input, so
it can say "these are 台账 as offices keep them: run ``linkgraph import``"
instead of listing a missing 单位编码 for every sheet.  The test is cheap and
reads only the top rows of each sheet: office words (序号, 具体问题, 被反映人,
填报单位, 合计 …) are there, and no code column (…编码, …_id) is.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from linkgraph.errors import InputError, LinkgraphError
from loaders.excel import EXCEL_SUFFIXES, open_workbook, read_sheet, sheet_names
from loaders.sources import TEXT_SUFFIXES, is_own_file
from loaders.text import decode_text

#: Words that office ledgers carry and the contract's tables do not need.
OFFICE_WORDS = ("序号", "台账", "具体问题", "问题表现", "整改措施", "整改情况", "整改时限",
                "责任领导", "责任人", "责任单位", "被反映人", "单位及职务", "承办单位", "填报单位",
                "填报时间", "填表人", "审核人", "盖章", "合计", "现任职务", "出生年月", "巡察反馈")
CODE_HEADER = re.compile(r"(编码|_id)$", re.IGNORECASE)
TOP_ROWS = 12
TOP_BYTES = 1 << 16  # of a text file: enough for its top rows
MIN_WORDS = 2


def _text_top(path: Path) -> list[list[str]]:
    try:
        text = decode_text(path.read_bytes()[:TOP_BYTES], path.name, complete=False)
    except InputError:
        return []
    lines = text.splitlines()[:TOP_ROWS]
    sep = "\t" if lines and lines[0].count("\t") > lines[0].count(",") else ","
    return [row for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=sep)]


def _sheets_top(path: Path) -> Iterator[list[list[str]]]:
    if path.suffix.lower() in TEXT_SUFFIXES:
        yield _text_top(path)
        return
    wb = open_workbook(str(path), path.name)
    try:
        for name in sheet_names(wb):
            grid = read_sheet(wb, name, f"{path.name}[{name}]")
            yield [[str(c) for c in row] for row in grid.head(TOP_ROWS).itertuples(index=False)]
    finally:
        close = getattr(wb, "close", None)
        if close:
            close()


def _files(data: Path) -> list[Path]:
    if data.is_file():
        return [data]
    suffixes = TEXT_SUFFIXES + EXCEL_SUFFIXES
    return sorted(p for p in data.iterdir() if p.is_file() and p.suffix.lower() in suffixes
                  and not p.name.startswith((".", "~$")) and not is_own_file(p.name))


def office_words(data: str | Path) -> list[str]:
    """The office words found in the top rows of DATA's sheets, when none of
    them carries a code column; [] when DATA does not look like office ledgers."""
    found: set[str] = set()
    try:
        for path in _files(Path(data)):
            for top in _sheets_top(path):
                cells = [c.strip() for row in top for c in row if c and c.strip()
                         and c.strip().lower() != "nan"]
                if any(CODE_HEADER.search(c) and len(c) <= 12 for c in cells):
                    return []
                found.update(w for w in OFFICE_WORDS if any(w in c for c in cells))
    except (OSError, LinkgraphError, ValueError):
        return []
    return sorted(found) if len(found) >= MIN_WORDS else []
