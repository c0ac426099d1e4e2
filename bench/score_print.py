"""How each sheet of ``report.xlsx`` prints: pages and print scale per sheet.

    python bench/score_print.py DATA [--as-of 2026-06-30] [--lang zh] [--tree DIR ...]

For this checkout (and each ``--tree``, e.g. the commit before a change,
in the same run) a fresh process runs ``linkgraph report DATA --no-views``;
the workbook is then split into one workbook per sheet (openpyxl keeps the
print setup) and all of them are printed to PDF by one headless LibreOffice
run.  For each sheet the table gives its columns (printed/all), the pages
and the smallest print scale on its pages, read from the PDF as
``tests/office_print.py`` reads it (9-pt page header → scale).  Prints a
markdown table with the load average.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from harness import ROOT, load_average

sys.path.insert(0, str(ROOT))
from tests.office_print import SOFFICE, pages, to_pdf  # noqa: E402


def _report(tree: Path, data: Path, out: Path, as_of: str, lang: str) -> Path:
    env = {**os.environ, "PYTHONPATH": str(tree),
           "LINKGRAPH_CACHE": str(out.parent / "cache")}
    subprocess.run([sys.executable, "-m", "linkgraph", "report", str(data), "--out", str(out),
                    "--as-of", as_of, "--no-views", "--lang", lang],
                   check=True, capture_output=True, env=env, cwd=tree)
    return out / "report.xlsx"


def _split(xlsx: Path, folder: Path) -> list[tuple[str, str, Path]]:
    """(sheet, printed/all columns, one-sheet workbook) per sheet of ``xlsx``."""
    import openpyxl

    names = openpyxl.load_workbook(xlsx).sheetnames
    out = []
    for k, name in enumerate(names):
        wb = openpyxl.load_workbook(xlsx)
        for other in [n for n in names if n != name]:
            del wb[other]
        ws = wb[name]
        area = ws.print_area
        printed = ws.max_column
        if area:
            last = area.split(":")[-1].strip("$").rstrip("0123456789").strip("$")
            printed = openpyxl.utils.column_index_from_string(last)
        target = folder / f"{k:02d}.xlsx"
        wb.save(target)
        out.append((name, f"{printed}/{ws.max_column}", target))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data", type=Path)
    ap.add_argument("--as-of", default="2026-06-30")
    ap.add_argument("--lang", default="zh")
    ap.add_argument("--tree", type=Path, action="append", default=[])
    args = ap.parse_args()
    if SOFFICE is None:
        sys.exit("LibreOffice is missing: scripts/setup --test installs libreoffice-calc")
    trees = [ROOT, *args.tree]
    rows: dict[str, dict[int, str]] = {}
    totals = {}
    with tempfile.TemporaryDirectory() as tmp:
        for t, tree in enumerate(trees):
            work = Path(tmp) / f"t{t}"
            work.mkdir()
            xlsx = _report(tree.resolve(), args.data.resolve(), work / "rep", args.as_of,
                           args.lang)
            sheets = _split(xlsx, work)
            pdfs = to_pdf([s[2] for s in sheets], work, SOFFICE)
            totals[t] = 0
            for (name, cols, _), pdf in zip(sheets, pdfs):
                ps = pages(pdf.read_bytes())
                totals[t] += len(ps)
                scale = min(p.scale for p in ps)
                rows.setdefault(name, {})[t] = f"{cols} | {len(ps)} | {scale:.0%}"
    print(f"report.xlsx of {args.data} ({args.lang}); load average {load_average():.1f}\n")
    head = " | ".join(f"{tree.name}: columns printed/all | pages | smallest scale"
                      for tree in trees)
    print(f"| sheet | {head} |")
    print("|---|" + "---|---|---|" * len(trees))
    for name, per in rows.items():
        print(f"| {name} | " + " | ".join(per.get(t, "– | – | –") for t in range(len(trees)))
              + " |")
    cells = [c for t in range(len(trees)) for c in ("", str(totals[t]), "")]
    print("| **total pages** | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
