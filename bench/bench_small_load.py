"""How long a small ledger set takes to load, against reading its cells.

    python bench/bench_small_load.py [--repeat 15] [--tree DIR ...]

Issue 13's goal: a small ledger set loads in well under 100 ms.  For each
dataset — ``tests/data/tiny`` (15 CSVs, 45 rows), the same tables re-encoded
as GB18030 and as one XLSX workbook — a fresh process imports linkgraph, loads
once to warm up, then times ``load_dataset`` (read + map + type + check, no
cache) ``--repeat`` times.  The baseline, in the same process and run, reads
every cell of the same files and nothing else (the csv module, or
python-calamine for the workbook), so ``load ÷ read`` says what the checks
add.  ``--tree DIR`` also measures another checkout of linkgraph (e.g. the
commit before a change) in the same run, so before and after share a
machine state.  Prints a markdown table of medians (wall and CPU time: on a shared machine
the CPU time is the steadier figure), with the load average.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from harness import ROOT, load_average, watch

CHILD = r"""
import json, sys, time
from linkgraph.dataset import load_dataset
sys.path.insert(0, sys.argv[3])
from harness import read_all_cells as read_cells

data, repeat = sys.argv[1], int(sys.argv[2])
ds = load_dataset(data, use_cache=False)
read_cells(data)
loads, cpus, reads = [], [], []
for _ in range(repeat):
    t, c = time.perf_counter(), time.process_time()
    load_dataset(data, use_cache=False)
    loads.append(time.perf_counter() - t)
    cpus.append(time.process_time() - c)
    t = time.perf_counter(); read_cells(data); reads.append(time.perf_counter() - t)
print(json.dumps({"rows": ds.rows_read, "loads": loads, "cpus": cpus, "reads": reads,
                  "module": __import__("linkgraph").__file__}))
"""


def _datasets(work: Path) -> dict[str, Path]:
    tiny = ROOT / "tests" / "data" / "tiny"
    gbk = work / "tiny-gb18030"
    gbk.mkdir(exist_ok=True)
    for f in tiny.glob("*.csv"):
        (gbk / f.name).write_bytes(f.read_text("utf-8").encode("gb18030"))
    import csv

    import xlsxwriter

    book = work / "tiny.xlsx"
    wb = xlsxwriter.Workbook(str(book))
    for f in sorted(tiny.glob("*.csv")):
        ws = wb.add_worksheet(f.stem)
        for i, row in enumerate(csv.reader(f.read_text("utf-8").splitlines())):
            for j, value in enumerate(row):
                ws.write_string(i, j, value)
    wb.close()
    return {"tiny CSV (UTF-8)": tiny, "tiny CSV (GB18030)": gbk, "tiny XLSX workbook": book}


def _measure(tree: Path, data: Path, repeat: int) -> dict:
    run = watch([sys.executable, "-c", CHILD, str(data), str(repeat), str(ROOT / "bench")], 4.0,
                {"PYTHONPATH": str(tree), "LINKGRAPH_CACHE": "off"}, cwd=tree)
    if run.get("rc"):
        raise SystemExit(f"{tree} on {data} failed:\n{run['stderr'][-3000:]}")
    out = json.loads(run["stdout"].strip().splitlines()[-1])
    assert out["module"].startswith(str(tree)), f"{out['module']} is not from {tree}"
    return {"rows": out["rows"], "load_ms": 1000 * statistics.median(out["loads"]),
            "cpu_ms": 1000 * statistics.median(out["cpus"]), "read_ms": 1000 * statistics.median(out["reads"]),
            "wall_s": run["wall_s"], "load": run["load"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--tree", action="append", default=[], type=Path,
                    help="another linkgraph checkout to measure in the same run")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-small-load-"))
    try:
        datasets = _datasets(work)
        trees = [("this tree", ROOT)] + [(str(t), t.resolve()) for t in args.tree]
        print("| tree | dataset | rows | load ms (median) | load CPU ms (median) | read-only ms |"
              " load ÷ read | process wall s | load avg |")
        print("|---|---|---|---|---|---|---|---|---|")
        for label, tree in trees:
            for name, data in datasets.items():
                r = _measure(tree, data, args.repeat)
                print(f"| {label} | {name} | {r['rows']} | {r['load_ms']:.1f} | {r['cpu_ms']:.1f} |"
                      f" {r['read_ms']:.2f} | {r['load_ms'] / r['read_ms']:.0f}× |"
                      f" {r['wall_s']:.1f} | {r['load']:.1f} |", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nmedian of {args.repeat} loads per process after one warm-up; load average now "
          f"{load_average():.1f}; python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
