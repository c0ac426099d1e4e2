"""``linkgraph import`` benchmark at county, city and province scale.

    python bench/bench_import.py [--scale county,city] [--repeat 1]
                                 [--against OTHER_CHECKOUT] [--together]
                                 [--workdir .cache/bench-import] [--limit-gb 18]

Writes each scale's office ledgers once (``linkgraph generate OUT --style
office``, cached in --workdir), then measures in fresh processes, so the
figures are whole-process ones:

* import: ``linkgraph import OUT/office --out DATA`` (read + resolve + write);
* baseline: reading every cell of the same ledgers and nothing else
  (python-calamine for workbooks, the CSV decoder for CSV), in the same run,
  so ``import ÷ read`` says what the import adds over opening the files;
* with ``--against DIR`` (another checkout, e.g. ``git worktree add`` of
  main), the same import with DIR's code, in the same run and interleaved
  with this one (``--together``: at the same time, two processes), so
  ``÷ against`` compares under the same load; the two
  DATA folders are compared file by file (``same DATA``);
* peak RSS of each process (sampled with psutil), its CPU time (user +
  system: on a shared machine the wall time mostly measures the others),
  the rows read, the rows per second, the review items and the load
  average while it ran.

The goal of issue 14 is a city's ledgers (≈ 500k rows) in ≤ 60 s on this
machine.  Prints a markdown table of medians.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

from harness import ROOT, generate, size_mb, watch

READ_ONLY = r"""
import json, sys
sys.path.insert(0, "bench")
from harness import read_all_cells
print(json.dumps({"cells": read_all_cells(sys.argv[1])}))
"""


OFF = {"LINKGRAPH_CACHE": "off"}


def _import(ledgers: Path, out: Path, limit_gb: float, code: Path) -> dict:
    """``linkgraph import`` with the code of checkout ``code``, into ``out``."""
    import shutil

    if out.exists():
        shutil.rmtree(out)
    return watch([sys.executable, "-m", "linkgraph", "import", str(ledgers), "--out", str(out)],
                 limit_gb, {**OFF, "PYTHONPATH": str(code)}, cwd=code)


def _same_data(a: Path, b: Path) -> bool:
    """Whether two DATA folders hold the same files, byte for byte."""
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    if files != sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file()):
        return False
    return all((a / f).read_bytes() == (b / f).read_bytes() for f in files)


def _one_scale(scale: str, workdir: Path, repeat: int, limit_gb: float,
               against: Path | None, together: bool = False) -> dict:
    data = generate(scale, workdir, "--style", "office")
    ledgers = data / "office"
    imports, reads, others = [], [], []
    out = workdir / f"{scale}-data"
    for _i in range(repeat):
        if against is not None and together:  # both at once: the same load for each
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(2) as pool:
                mine = pool.submit(_import, ledgers, out, limit_gb, ROOT)
                theirs = pool.submit(_import, ledgers, workdir / f"{scale}-against",
                                     limit_gb, against)
                imports.append(mine.result())
                others.append(theirs.result())
        else:
            imports.append(_import(ledgers, out, limit_gb, ROOT))
            if against is not None:
                others.append(_import(ledgers, workdir / f"{scale}-against", limit_gb, against))
        reads.append(watch([sys.executable, "-c", READ_ONLY, str(ledgers)], limit_gb, OFF))
    done = [r for r in imports if "killed_mb" not in r]
    row = {"scale": scale, "input_mb": size_mb(ledgers)}
    other = [r for r in others if "killed_mb" not in r]
    if other:
        row.update(against_s=statistics.median(r["wall_s"] for r in other),
                   against_cpu=statistics.median(r["cpu_s"] for r in other),
                   against_mb=statistics.median(r["rss_mb"] for r in other))
        if done:
            row["same"] = _same_data(out, workdir / f"{scale}-against")
    if not done:
        return {**row, "killed_mb": imports[0]["killed_mb"]}
    report = json.loads((workdir / f"{scale}-data" / "import-report.json").read_text("utf-8"))
    row.update(rows=report["rows_read"], rejected=report["rows_rejected"],
               review=report["review_items"], rc=done[-1]["rc"],
               import_s=statistics.median(r["wall_s"] for r in done),
               import_cpu=statistics.median(r["cpu_s"] for r in done),
               import_mb=statistics.median(r["rss_mb"] for r in done),
               read_s=statistics.median(r["wall_s"] for r in reads),
               read_mb=statistics.median(r["rss_mb"] for r in reads),
               load=max(r["load"] for r in done + reads + other))
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--scale", "--scales", dest="scales", default="county,city",
                    help="county, city or province, or several with commas")
    ap.add_argument("--against", type=Path, default=None,
                    help="another checkout whose import to time in the same run")
    ap.add_argument("--together", action="store_true",
                    help="run the --against import at the same time as this one"
                         " (on a busy machine both then see the same load)")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--workdir", default=str(ROOT / ".cache" / "bench-import"))
    ap.add_argument("--limit-gb", type=float, default=18.0)
    args = ap.parse_args()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    rows = [_one_scale(s, workdir, args.repeat, args.limit_gb, args.against, args.together)
            for s in args.scales.split(",")]
    extra = any("against_s" in r for r in rows)
    print("| scale | ledgers MB | rows read | rejected | review items | import wall s |"
          " import CPU s | import peak RSS MB | rows/s | read-only wall s | read-only peak RSS MB |"
          " import ÷ read | exit | load avg |"
          + (" against wall s | against CPU s | against peak RSS MB | import ÷ against (wall) |"
             " import ÷ against (CPU) | same DATA |" if extra else ""))
    print("|---" * (14 + 6 * extra) + "|")
    for r in rows:
        if "killed_mb" in r:
            print(f"| {r['scale']} | {r['input_mb']:,.0f} | stopped at {r['killed_mb']:,.0f} MB"
                  " | | | | | | | | | | | |" + " | | | | | |" * extra)
            continue
        line = (f"| {r['scale']} | {r['input_mb']:,.1f} | {r['rows']:,} | {r['rejected']:,} |"
                f" {r['review']:,} | {r['import_s']:.1f} | {r['import_cpu']:.1f} |"
                f" {r['import_mb']:,.0f} |"
                f" {r['rows'] / r['import_s']:,.0f} | {r['read_s']:.1f} | {r['read_mb']:,.0f} |"
                f" {r['import_s'] / r['read_s']:.1f}× | {r['rc']} | {r['load']:.1f} |")
        if "against_s" in r:
            line += (f" {r['against_s']:.1f} | {r['against_cpu']:.1f} | {r['against_mb']:,.0f} |"
                     f" {r['import_s'] / r['against_s']:.2f}× |"
                     f" {r['import_cpu'] / r['against_cpu']:.2f}× |"
                     f" {'yes' if r.get('same') else 'no'} |")
        elif extra:
            line += " | | | | | |"
        print(line)
    print(f"\nmedian of {args.repeat} run(s); python {sys.version.split()[0]}; "
          f"{os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
