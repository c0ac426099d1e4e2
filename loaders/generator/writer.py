"""``write_dataset()``: the tables as ledger files, and ``truth.json``.

CSV: one file per table (``units.csv``, or ``单位.csv`` with Chinese headers),
UTF-8 (with a BOM when messy, as Excel saves it) or GB18030.  XLSX: one
workbook ``ledgers.xlsx`` with a sheet per table, written by xlsxwriter in
constant-memory mode.  Closed vocabularies are written in Chinese, booleans as
是/否, dates as ``2023-10-15``; ``messy=True`` imitates hand-made ledgers
(mixed date forms, Excel date cells and serials, full-width ids, stray spaces,
other separators).  Whatever the options, a loader that normalises (NFKC,
trim, the contract's date and boolean forms) reads back the same values.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from linkgraph.errors import LinkgraphError
from linkgraph.schema import TABLES, Column, Table
from loaders.generator import cells
from loaders.generator.util import stream

XLSX_MAX_ROWS = 1_048_576
CHUNK = 100_000
_NAME_COLUMNS = {("regions", "name"), ("units", "name"), ("people", "name"),
                 ("departments", "name"), ("teams", "name")}
Progress = Callable[[str, int, int], None]


def _check(fmt: str, encoding: str, headers: str) -> None:
    for value, allowed, what in ((fmt, ("csv", "xlsx"), "fmt"),
                                 (encoding, ("utf-8", "gb18030"), "encoding"),
                                 (headers, ("zh", "en"), "headers")):
        if value not in allowed:
            raise LinkgraphError(f"{what} must be one of {', '.join(allowed)}, not {value!r}")


def _title(spec: Table | Column, headers: str) -> str:
    return spec.aliases[0] if headers == "zh" and spec.aliases else spec.name


class _Cells:
    """Turns canonical columns into the cells of one output."""

    def __init__(self, gen, messy: bool, xlsx: bool):
        self.gen, self.messy, self.xlsx = gen, messy, xlsx
        self.dates = cells.DatePool()

    def rng(self, table: str, column: str) -> np.random.Generator | None:
        return stream(self.gen.seed, f"messy/{table}/{column}") if self.messy else None

    def column(self, table: str, col: Column, series: pd.Series) -> np.ndarray:
        values = series.to_numpy()
        rng = self.rng(table, col.name)
        kind = col.kind
        if kind == "date":
            return self._dates(values, rng)
        if kind == "bool":
            return cells.booleans(values, rng)
        if kind == "int":
            return series.to_numpy(dtype=object, na_value=None) if self.xlsx else \
                cells.integers(series)
        if kind == "float":
            return values.astype(object) if self.xlsx else cells.amounts(values, rng)
        if kind.startswith("vocab:"):
            words = self.gen.zh.get(table, {}).get(col.name)
            return cells.vocabulary(values, kind[6:], words)
        if kind in ("ids", "list"):
            return cells.lists(values, rng)
        if kind == "id":
            return cells.untidy(values, rng, 0.04, True) if rng is not None else values
        out = cells.text(values)
        if rng is not None and (table, col.name) in _NAME_COLUMNS:
            out = cells.untidy(out, rng, 0.05, False)
        return out

    def _dates(self, values: np.ndarray, rng) -> np.ndarray:
        if rng is None:
            return self.dates.write(values)
        fmt = cells.messy_date_formats(rng, len(values))
        out = self.dates.write(values, fmt)
        if self.xlsx:  # real date cells and Excel serial numbers as well
            day = values.astype("datetime64[D]")
            ok = ~np.isnat(day)
            u = rng.random(len(values))
            real = ok & (u < 0.4)
            serial = ok & (u >= 0.4) & (u < 0.55)
            ordinal = day.astype(np.int64) + dt.date(1970, 1, 1).toordinal()
            out[real] = [dt.date.fromordinal(o) for o in ordinal[real].tolist()]
            out[serial] = (ordinal[serial] - cells.EXCEL_EPOCH).astype(float).tolist()
        return out


def write_dataset(gen, out_dir, *, fmt: str = "csv", encoding: str = "utf-8",
                  headers: str = "zh", messy: bool = False,
                  progress: Progress | None = None) -> list[Path]:
    """Write every table and ``truth.json`` into ``out_dir``; returns the files."""
    _check(fmt, encoding, headers)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    maker = _Cells(gen, messy, xlsx=fmt == "xlsx")
    if fmt == "xlsx":
        too_big = [f"{t.name} ({len(gen.tables[t.name]):,} rows)" for t in TABLES
                   if len(gen.tables[t.name]) + 1 > XLSX_MAX_ROWS]
        if too_big:
            raise LinkgraphError(
                f"an XLSX sheet holds at most {XLSX_MAX_ROWS - 1:,} data rows, and "
                f"{', '.join(too_big)} do not fit: write this dataset with --format csv")
        files = [_write_xlsx(gen, maker, out / "ledgers.xlsx", headers, progress)]
    else:
        files = [_write_csv(gen, maker, spec, out, encoding, headers, progress)
                 for spec in TABLES]
    truth = out / "truth.json"
    truth.write_text(json.dumps(gen.truth, ensure_ascii=False, sort_keys=True, indent=1) + "\n",
                     encoding="utf-8")
    return files + [truth]


def _write_csv(gen, maker: _Cells, spec: Table, out: Path, encoding: str, headers: str,
               progress: Progress | None) -> Path:
    frame = gen.tables[spec.name]
    cols = [maker.column(spec.name, c, frame[c.name]) for c in spec.columns]
    path = out / f"{_title(spec, headers)}.csv"
    enc = "utf-8-sig" if (encoding == "utf-8" and maker.messy) else encoding
    n = len(frame)
    with open(path, "w", encoding=enc, newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow([_title(c, headers) for c in spec.columns])
        for i in range(0, max(n, 1), CHUNK):
            w.writerows(zip(*(c[i:i + CHUNK].tolist() for c in cols)))
            if progress:
                progress(spec.name, min(n, i + CHUNK), n)
    return path


def _write_xlsx(gen, maker: _Cells, path: Path, headers: str,
                progress: Progress | None) -> Path:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                         "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"created": dt.datetime(2000, 1, 1), "author": "linkgraph"})
    date_format = wb.add_format({"num_format": "yyyy-mm-dd"})
    for spec in TABLES:
        frame = gen.tables[spec.name]
        ws = wb.add_worksheet(_title(spec, headers))
        for j, c in enumerate(spec.columns):
            ws.write_string(0, j, _title(c, headers))
        cols = [maker.column(spec.name, c, frame[c.name]).tolist() for c in spec.columns]
        n = len(frame)
        for i in range(n):
            for j, col in enumerate(cols):
                v = col[i]
                if v is None or v == "":
                    continue
                if isinstance(v, str):
                    ws.write_string(i + 1, j, v)
                elif isinstance(v, dt.date):
                    ws.write_datetime(i + 1, j, dt.datetime(v.year, v.month, v.day), date_format)
                elif not (isinstance(v, float) and np.isnan(v)):
                    ws.write_number(i + 1, j, v)
            if progress and (i + 1) % CHUNK == 0:
                progress(spec.name, i + 1, n)
        if progress:
            progress(spec.name, n, n)
    wb.close()
    return path
