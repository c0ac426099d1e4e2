"""Time the generator: ``python -m loaders.generator.bench [SCALE ...] [--xlsx]``.

Each scale runs in its own process (so its peak memory is its own): generate,
then write CSV (UTF-8, English headers) into a temporary folder; with
``--xlsx`` also the workbook where the scale fits in a sheet.  Prints a
markdown table: rows, seconds to generate, seconds to write, peak RSS.
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time

_CHILD = """
import json, resource, sys, time
from loaders.generator import generate, write_dataset
from loaders.generator.writer import XLSX_MAX_ROWS
scale, out, xlsx = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
scale = int(scale) if scale.isdigit() else scale
t0 = time.perf_counter(); gen = generate(scale, seed=1); t1 = time.perf_counter()
write_dataset(gen, out + "/csv", headers="en"); t2 = time.perf_counter()
t3 = t2
if xlsx and max(len(t) for t in gen.tables.values()) < XLSX_MAX_ROWS:
    write_dataset(gen, out + "/xlsx", fmt="xlsx", headers="zh", messy=True)
    t3 = time.perf_counter()
print(json.dumps({"rows": sum(len(t) for t in gen.tables.values()),
                  "units": len(gen.tables["units"]), "people": len(gen.tables["people"]),
                  "problems": len(gen.tables["problems"]), "generate": t1 - t0,
                  "csv": t2 - t1, "xlsx": (t3 - t2) if t3 > t2 else None}))
"""


def run(scale: str, xlsx: bool) -> dict:
    with tempfile.TemporaryDirectory() as out:
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        t = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", _CHILD, scale, out, "1" if xlsx else "0"],
                              capture_output=True, text=True, check=True)
        wall = time.perf_counter() - t
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    row = json.loads(done.stdout.strip().splitlines()[-1])
    row.update(scale=scale, wall=wall, peak_mb=max(peak, before) / 1024)
    return row


def main(argv: list[str]) -> None:
    xlsx = "--xlsx" in argv
    scales = [a for a in argv if not a.startswith("--")] or ["county", "city", "province"]
    print("| scale | units | people | problems | rows | generate s | write CSV s | "
          "write XLSX s | whole process s | peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for scale in scales:
        r = run(scale, xlsx)
        x = f"{r['xlsx']:.1f}" if r["xlsx"] is not None else "—"
        print(f"| {scale} | {r['units']:,} | {r['people']:,} | {r['problems']:,} | {r['rows']:,} "
              f"| {r['generate']:.1f} | {r['csv']:.1f} | {x} | {r['wall']:.1f} "
              f"| {r['peak_mb']:,.0f} |", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
