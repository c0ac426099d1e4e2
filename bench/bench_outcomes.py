"""Whole-process time and peak memory of ``results``, ``warnings`` and ``yield``.

    python bench/bench_outcomes.py [--scales city] [--repeat 1]
                                   [--workdir .cache/bench] [--data DIR]
                                   [--only results,warnings]

Province: the shared seed-3 province (``linkgraph generate DIR --scale
province --seed 3``, which writes every outcome table: reviews, results,
lead_people, talks, visits, supervision_info, self_checks) under the lock
every province run holds:

    flock /work/wt/province.lock python bench/bench_outcomes.py \
        --data /work/bench-data/province --only results,warnings

Each command runs as a fresh ``python -m linkgraph ...`` process writing CSV
to a temporary file, so the figures include reading the ledgers; the
``load`` row (reading alone, measured in the same run, after the dataset
cache is filled) is the baseline each command's time is divided by.  Peak
RSS and CPU (user + system) from the child's rusage, the 1-minute load
average when each command ended.  The goal is ≤ 60 s per command at province
scale.  Prints a markdown table of medians and the load average.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_linkages import LOAD, _median, run  # noqa: E402
from score_linkages import dataset_folder  # noqa: E402


def commands(data: Path, as_of: str) -> list[tuple[str, list[str]]]:
    base = ["--as-of", as_of]
    return [
        ("results", ["results", str(data), *base]),
        ("results --by kind", ["results", str(data), *base, "--by", "kind"]),
        ("results --by unit", ["results", str(data), *base, "--by", "unit"]),
        ("warnings", ["warnings", str(data), *base]),
        ("yield --teams", ["yield", str(data), "--teams"]),
    ]


def bench(data: Path, repeat: int, only: list[str] | None = None) -> list[dict]:
    import tempfile

    truth = data / "truth.json"
    as_of = json.loads(truth.read_text("utf-8"))["as_of"] if truth.exists() else "2026-06-30"
    py = [sys.executable]
    run(py + ["-c", LOAD, str(data)])  # fill the dataset cache
    rows = [{"command": "load (read ledgers only)",
             **_median([run(py + ["-c", LOAD, str(data)]) for _ in range(repeat)])}]
    with tempfile.TemporaryDirectory() as tmp:
        for name, args in commands(data, as_of):
            if only and name not in only:
                continue
            out = ["--format", "csv", "--out", str(Path(tmp) / "out.csv")]
            runs = [run(py + ["-m", "linkgraph", *args, *out]) for _ in range(repeat)]
            rows.append({"command": name, **_median(runs)})
            print(f"{data.name}: {name}: {rows[-1]['wall_s']:.1f} s", file=sys.stderr)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--scales", default="city")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--workdir", default=str(ROOT / ".cache" / "bench"))
    ap.add_argument("--data", default=None, help="benchmark this folder instead")
    ap.add_argument("--only", default=None,
                    help="comma-separated command names, e.g. 'results,warnings'")
    args = ap.parse_args()
    only = args.only.split(",") if args.only else None
    folders = ([Path(args.data)] if args.data else
               [dataset_folder(s, Path(args.workdir)) for s in args.scales.split(",")])
    print("| data | command | wall s (whole process) | CPU s | × load (wall) | × load (CPU) "
          "| peak RSS MB | load avg (1 min, at end) | ≤ 60 s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for folder in folders:
        rows = bench(folder, args.repeat, only)
        base, base_cpu = rows[0]["wall_s"], rows[0]["cpu_s"]
        for r in rows:
            ok = "yes" if r["wall_s"] <= 60 else "NO"
            print(f"| {folder.name} | {r['command']} | {r['wall_s']:.1f} | {r['cpu_s']:.1f} | "
                  f"{r['wall_s'] / base:.2f} | {r['cpu_s'] / base_cpu:.2f} | {r['rss_mb']:,.0f} | "
                  f"{r['load1']:.1f} | {ok} |")
    print(f"\nmedian of {args.repeat} run(s); load average {os.getloadavg()[0]:.1f} / "
          f"{os.getloadavg()[1]:.1f} / {os.getloadavg()[2]:.1f}; python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
