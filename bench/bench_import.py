"""``linkgraph import`` benchmark at county, city and province scale.

    python bench/bench_import.py [--scales county,city] [--repeat 1]
                                 [--workdir .cache/bench-import] [--limit-gb 18]

Writes each scale's office ledgers once (``linkgraph generate OUT --style
office``, cached in --workdir), then measures in fresh processes, so the
figures are whole-process ones:

* import: ``linkgraph import OUT/office --out DATA`` (read + resolve + write);
* baseline: reading every cell of the same ledgers and nothing else
  (python-calamine for workbooks, the CSV decoder for CSV), in the same run,
  so ``import ÷ read`` says what the import adds over opening the files;
* peak RSS of each process (sampled with psutil), the rows read, the rows
  per second, the review items and the load average while it ran.

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


def _one_scale(scale: str, workdir: Path, repeat: int, limit_gb: float) -> dict:
    data = generate(scale, workdir, "--style", "office")
    ledgers = data / "office"
    imports, reads = [], []
    for _i in range(repeat):
        out = workdir / f"{scale}-data"
        if out.exists():
            import shutil

            shutil.rmtree(out)
        imports.append(watch([sys.executable, "-m", "linkgraph", "import", str(ledgers),
                              "--out", str(out)], limit_gb, OFF))
        reads.append(watch([sys.executable, "-c", READ_ONLY, str(ledgers)], limit_gb, OFF))
    done = [r for r in imports if "killed_mb" not in r]
    row = {"scale": scale, "input_mb": size_mb(ledgers)}
    if not done:
        return {**row, "killed_mb": imports[0]["killed_mb"]}
    report = json.loads((workdir / f"{scale}-data" / "import-report.json").read_text("utf-8"))
    row.update(rows=report["rows_read"], rejected=report["rows_rejected"],
               review=report["review_items"], rc=done[-1]["rc"],
               import_s=statistics.median(r["wall_s"] for r in done),
               import_mb=statistics.median(r["rss_mb"] for r in done),
               read_s=statistics.median(r["wall_s"] for r in reads),
               read_mb=statistics.median(r["rss_mb"] for r in reads),
               load=max(r["load"] for r in done + reads))
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--scales", default="county,city")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--workdir", default=str(ROOT / ".cache" / "bench-import"))
    ap.add_argument("--limit-gb", type=float, default=18.0)
    args = ap.parse_args()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    rows = [_one_scale(s, workdir, args.repeat, args.limit_gb) for s in args.scales.split(",")]
    print("| scale | ledgers MB | rows read | rejected | review items | import wall s |"
          " import peak RSS MB | rows/s | read-only wall s | read-only peak RSS MB |"
          " import ÷ read | exit | load avg |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        if "killed_mb" in r:
            print(f"| {r['scale']} | {r['input_mb']:,.0f} | stopped at {r['killed_mb']:,.0f} MB"
                  " | | | | | | | | | | |")
            continue
        print(f"| {r['scale']} | {r['input_mb']:,.1f} | {r['rows']:,} | {r['rejected']:,} |"
              f" {r['review']:,} | {r['import_s']:.1f} | {r['import_mb']:,.0f} |"
              f" {r['rows'] / r['import_s']:,.0f} | {r['read_s']:.1f} | {r['read_mb']:,.0f} |"
              f" {r['import_s'] / r['read_s']:.1f}× | {r['rc']} | {r['load']:.1f} |")
    print(f"\nmedian of {args.repeat} run(s); python {sys.version.split()[0]}; "
          f"{os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
