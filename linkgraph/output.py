"""Writing records as a terminal table, CSV, JSON or XLSX.

Spreadsheet cells that begin with ``= + - @`` (or a tab / carriage return)
are neutralised with a leading apostrophe so that no formula runs when a
planner opens the file (CSV/formula injection).  CSV files are written as
UTF-8 with BOM, which is what Chinese Excel needs to show them correctly.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO

FORMATS = ("table", "csv", "json", "xlsx")
from linkgraph.cells import (  # noqa: E402,F401  (re-exported: output is their home for callers)
    _FORMULA_START, XLSX_CELL_CHARS, _columns, _created, fit_cell, neutralise, path_text, plain)

Record = Mapping[str, Any]


def cell_text(value: Any) -> str:
    """A value as one spreadsheet/terminal cell."""
    v = plain(value)
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, list):
        return ";".join(cell_text(x) for x in v)
    if isinstance(v, dict):
        return json.dumps(v, ensure_ascii=False, sort_keys=True)
    if isinstance(v, float):
        return f"{v:.4g}" if abs(v) < 1e-3 and v else (f"{v:.4f}".rstrip("0").rstrip("."))
    return str(v)


def to_json(records: Iterable[Record] | Mapping[str, Any]) -> str:
    data = plain(records if isinstance(records, Mapping) else list(records))
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def to_csv(records: Sequence[Record], columns: Sequence[str] | None = None) -> str:
    return csv_text(_columns(records, columns), records, _csv_cell)


def csv_text(columns: Sequence[str], rows: Iterable[Record], cell: Callable[[Any], str]) -> str:
    """CSV text (``\n`` line ends): the header, then each row's values under
    ``columns`` written by ``cell``."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow([cell(r.get(c)) for c in columns])
    return buf.getvalue()


def _csv_cell(value: Any) -> str:
    """Numbers stay numbers (-5 is not a formula); all text is neutralised."""
    kind = type(value)  # the common cells first, as the general path would give them
    if kind is str:
        return "'" + value if value.startswith(_FORMULA_START) else value
    if kind is int:
        return str(value)
    if value is None:
        return ""
    v = plain(value)
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return cell_text(v)
    return neutralise(cell_text(v))


#: control characters (C0, DEL, C1) and the bidirectional overrides and
#: isolates that reorder what a terminal shows; ZWJ/ZWNJ stay (emoji, names)
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e"
                              "\u2066-\u2069\ufeff\u200b]")


def terminal_safe(text: str) -> str:
    """Text for a terminal: control characters from the data are shown as
    escapes (``\\x1b``, ``\\u202e``) and never act on the terminal."""
    def shown(m: re.Match) -> str:
        code = ord(m.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return _TERMINAL_UNSAFE.sub(shown, text)


def wrap_cell(text: str, width: int) -> str:
    """``text`` broken into lines of at most ``width`` terminal columns (a
    Chinese character takes two): shown whole, never cut."""
    from wcwidth import wcwidth

    out: list[str] = []
    for para in text.split("\n"):
        line, used = "", 0
        for ch in para:
            w = max(wcwidth(ch), 0)
            if used + w > width and line:
                cut = line.rfind(" ")
                if cut > len(line) // 2:  # break English at a space
                    out.append(line[:cut])
                    line = line[cut + 1:]
                else:
                    out.append(line)
                    line = ""
                used = sum(max(wcwidth(c), 0) for c in line)
            line += ch
            used += w
        out.append(line)
    return "\n".join(out)


def to_table(records: Sequence[Record], columns: Sequence[str] | None = None,
             max_width: int = 60) -> str:
    """A terminal table; long cells are wrapped at ``max_width`` columns."""
    from tabulate import tabulate

    cols = _columns(records, columns)
    if not records:
        return "（无记录 / no records）\n"

    def clip(text: str) -> str:
        return wrap_cell(terminal_safe(text), max_width)

    rows = [[clip(cell_text(r.get(c))) for c in cols] for r in records]
    return tabulate(rows, headers=cols, tablefmt="simple", disable_numparse=True) + "\n"


def write_xlsx(sheets: Mapping[str, Sequence[Record]], target: str | Path | BinaryIO,
               columns: Mapping[str, Sequence[str]] | None = None, *, lang: str = "zh",
               title: str = "", as_of: str | None = None,
               reasons: Mapping[str, str] | None = None,
               names: Mapping[str, Mapping[str, str]] | None = None) -> None:
    """A workbook a planner can hand over and print (see ``linkgraph.workbook``)."""
    from linkgraph.workbook import Book

    book = Book(lang=lang, title=title, as_of=as_of, names=names or {})
    for key, records in sheets.items():
        book.add(key, records, (columns or {}).get(key), reason=(reasons or {}).get(key))
    if isinstance(target, (str, Path)):
        target = str(target_path(target))
    book.write(target)


def _sheet_name(name: str, used: set[str]) -> str:
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "sheet"
    title, n = base, 1
    while title.lower() in used:
        n += 1
        title = f"{base[:28]}~{n}"
    used.add(title.lower())
    return title


def render(records: Sequence[Record], fmt: str, columns: Sequence[str] | None = None, *,
           headers: str = "id", lang: str = "zh",
           names: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """Text output for table/csv/json; ``headers`` zh/en names the columns
    (and the coded values) from the presentation catalogue, ``id`` keeps the
    field names and values as they are; ``names`` (kind -> id -> name)
    writes an evidence path as the names along it."""
    if fmt in ("table", "csv") and headers in ("zh", "en"):
        records, columns = shown_records(records, columns, headers, names,
                                         percent=fmt == "table")
    if fmt == "table":
        return to_table(records, columns)
    if fmt == "csv":
        return to_csv(records, columns)
    if fmt == "json":
        return to_json(records)
    raise ValueError(f"render() cannot produce {fmt}")


def target_path(path: str | Path) -> Path:
    """``path`` with its folder created (``--out`` into a folder that does not
    exist yet); a folder that cannot be made, or a path that is a folder, is
    a clear error rather than a failure after the work is done."""
    from linkgraph.errors import InputError

    p = Path(path)
    if p.is_dir():
        raise InputError(f"{p}: 是文件夹，应为文件名 / is a folder, expected a file name")
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"无法创建文件夹 / cannot create the folder {p.parent}: "
                         f"{exc.strerror or exc}") from None
    return p


def write_bytes(data: bytes, path: str | Path) -> None:
    from linkgraph.errors import InputError

    p = target_path(path)
    try:
        p.write_bytes(data)
    except OSError as exc:
        raise InputError(f"无法写入 / cannot write {p}: {exc.strerror or exc}") from None


def shown_records(records: Sequence[Record], columns: Sequence[str] | None, lang: str,
                  names: Mapping[str, Mapping[str, str]] | None = None, *,
                  percent: bool = False) -> tuple[list[dict[str, Any]], list[str]]:
    """Records under their catalogue headers in ``lang``, coded values named,
    evidence paths (``path``: node keys) as the names along them; with
    ``percent`` (a terminal table, not CSV) a rate field reads 92.16%."""
    from linkgraph.catalogue import catalogue

    from linkgraph.cells import localised, localised_columns

    cat = catalogue()
    records = [localised(r, lang) for r in records]
    cols = _columns(records, localised_columns(columns))
    vocab = {c for c in cols if (f := cat.field(c)) is not None and f.vocabularies}
    rates = {c for c in cols if percent and cat.format(c) == "rate"}

    def shown(r: Record, c: str) -> Any:
        v = r.get(c)
        if c == "path" and isinstance(v, (list, tuple)):
            return path_text(v, names or {})
        if c in rates and isinstance(v, (int, float)) and not isinstance(v, bool) and v == v:
            return f"{v:.2%}"
        return cat.show(c, v, lang) if c in vocab and isinstance(v, str) else _yes_no(v, lang)
    rows = [[shown(r, c) for c in cols] for r in records]
    heads = [cat.header(c, lang) for c in cols]
    keep = list(range(len(cols)))
    for k in range(len(cols)):   # two fields under one header: the same words once
        first = heads.index(heads[k])
        if first < k and all(row[first] == row[k] for row in rows):
            keep.remove(k)
    heads = [heads[k] for k in keep]
    seen: dict[str, int] = {}
    for i, h in enumerate(heads):   # … and different words kept apart: 单位, 单位（2）
        seen[h] = seen.get(h, 0) + 1
        if seen[h] > 1:
            heads[i] = f"{h}（{seen[h]}）"
    return [dict(zip(heads, (row[k] for k in keep))) for row in rows], heads


def _yes_no(value: Any, lang: str) -> Any:
    """A true/false cell in the reader's words (是/否, yes/no)."""
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return ("yes" if value else "no") if lang == "en" else ("是" if value else "否")
    return value


def write_text(text: str, path: str | Path, *, bom: bool = False) -> None:
    write_bytes(text.encode("utf-8-sig" if bom else "utf-8"), path)
