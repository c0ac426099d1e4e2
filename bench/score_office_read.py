"""How well ``read_office`` takes apart office ledgers, scored on a generated set.

    python bench/score_office_read.py OUT

OUT is a folder written by ``linkgraph generate OUT --style office``: the
ledgers in ``OUT/office`` and, in ``OUT/truth.json`` (key ``office``), what
every written row is (title / meta / header / section / record / total /
signature / legend / blank) and which records it holds.  The reader runs in a
fresh process; the script prints markdown tables:

* per sheet kind: sheets, how many the reader read as that ledger;
* per row kind: rows, how many the reader named the same, and where the rest went;
* per table: records in the truth and records read;
* whole-process time, peak RSS and the load average at the start and end.

The truth counts a 巡察安排 round on every row that names it; the reader gives
each round once per sheet, so ``rounds`` is compared against distinct rounds.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = r"""
import json, sys
from loaders.office.read import read_office
out = []
for s in read_office([sys.argv[1]]):
    kinds = {}
    for r in s.records:
        kinds.setdefault(r.origin.row, "record")
    for r in s.non_data:
        kinds[r.origin.row] = r.kind
    for r in s.rejected:
        kinds[r.origin.row] = "rejected"
    out.append({"file": s.file, "sheet": s.sheet, "table": s.table, "kinds": kinds,
                "records": collections_count([r.table for r in s.records]),
                "rounds": sorted({r.values.get("name") for r in s.records if r.table == "rounds"})})
json.dump(out, sys.stdout, ensure_ascii=False)
"""


def _read(office: Path) -> tuple[list[dict], float, float]:
    code = "from collections import Counter as collections_count\n" + _CHILD
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code, str(office)], capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode:
        sys.exit(proc.stderr)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return json.loads(proc.stdout), elapsed, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    truth = json.loads((args.out / "truth.json").read_text(encoding="utf-8"))["office"]
    load_before = os.getloadavg()[0]
    sheets, elapsed, peak = _read(args.out / "office")
    load_after = os.getloadavg()[0]

    files = {(f["file"].removeprefix("office/"), f["sheet"]): f for f in truth["files"]}
    mine = {}
    for s in sheets:
        key = (s["file"], s["sheet"]) if (s["file"], s["sheet"]) in files else (s["file"], "")
        mine[key] = s
    by_kind = collections.Counter()
    for key, f in files.items():
        got = mine.get(key)
        by_kind[(str(f["table"]), got["table"] if got else "(not read)")] += 1
    rows = collections.Counter()
    for r in truth["rows"]:
        got = mine.get((r["file"].removeprefix("office/"), r["sheet"]))
        kind = got["kinds"].get(str(r["row"]), "(missing)") if got else "(sheet not read)"
        rows[(r["kind"], kind)] += 1
    want = collections.Counter(rec[0] for r in truth["rows"] for rec in r["records"])
    rounds_named = {rec[1] for r in truth["rows"] for rec in r["records"] if rec[0] == "rounds"}
    want["rounds"] = len(rounds_named)
    read = collections.Counter()
    for s in sheets:
        read.update(s["records"])

    print("| sheets of the truth | read as | sheets |\n|---|---|---:|")
    for (t, g), n in sorted(by_kind.items()):
        print(f"| {t} | {g} | {n} |")
    print("\n| row kind | rows | named the same | elsewhere |\n|---|---:|---:|---|")
    for kind in sorted({k for k, _ in rows}):
        total = sum(n for (k, _), n in rows.items() if k == kind)
        same = rows[(kind, "record" if kind == "record" else kind)]
        other = ", ".join(f"{g} {n}" for (k, g), n in sorted(rows.items()) if k == kind and g != kind)
        print(f"| {kind} | {total} | {same} ({same / total:.1%}) | {other} |")
    print("\n| table | records (truth) | records read |\n|---|---:|---:|")
    for table in sorted(set(want) | set(read)):
        print(f"| {table} | {want[table]} | {read[table]} |")
    written = len(truth["rows"])
    print(f"\nrows {written:,}; whole process {elapsed:.1f} s ({written / elapsed:,.0f} rows/s); "
          f"peak RSS {peak:,.0f} MB; load average {load_before:.1f} → {load_after:.1f}")


if __name__ == "__main__":
    main()
