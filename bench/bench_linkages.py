"""Whole-process time and peak memory of each linkage command.

    python bench/bench_linkages.py [--scales province] [--repeat 1]
                                   [--workdir .cache/bench] [--data DIR]
                                   [--only priorities]

Runs every command as a fresh ``python -m linkgraph ...`` process writing CSV
to a temporary file, so the figures include reading the ledgers (the first
run of a scale fills the dataset cache; a ``load`` row measures reading
alone, after that).  Peak RSS comes from the child's own rusage (``wait4``).
The goal is ≤ 60 s per command at province scale.  Prints a markdown table
of medians.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from score_linkages import dataset_folder  # noqa: E402

LOAD = ("from linkgraph.memory import keep_freed_memory; keep_freed_memory(); "  # as the CLI
        "from linkgraph.dataset import load_dataset; import sys; load_dataset(sys.argv[1])")
PICK_PERSON = r"""
import sys
from linkgraph.dataset import load_dataset
posts = load_dataset(sys.argv[1]).tables["posts"]
top = posts[posts["is_top_leader"]]
print(top.groupby("person_id").size().sort_values(ascending=False, kind="stable").index[0])
"""


def commands(data: Path, as_of: str, person: str) -> list[tuple[str, list[str]]]:
    base = ["--as-of", as_of]
    return [
        ("leads", ["leads", str(data), *base]),
        ("leads --summary", ["leads", str(data), *base, "--summary"]),
        ("leads --all (networks too)", ["leads", str(data), *base, "--all"]),
        ("audit", ["audit", str(data), *base]),
        ("rectification --by round", ["rectification", str(data), *base, "--by", "round"]),
        ("rectification --by unit --overdue --reopened",
         ["rectification", str(data), *base, "--by", "unit", "--overdue", "--reopened"]),
        ("coverage --units", ["coverage", str(data), *base, "--units"]),
        ("priorities --top 0", ["priorities", str(data), *base, "--top", "0"]),
        ("portrait", ["portrait", str(data), *base, "--person", person]),
    ]


def run(argv: list[str]) -> dict:
    """Wall time and peak RSS of one child process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if status != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{err.decode('utf-8', 'replace')[-3000:]}")
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
            "rss_mb": usage.ru_maxrss / 1024, "load1": os.getloadavg()[0]}


def bench(data: Path, repeat: int, only: str | None = None) -> list[dict]:
    truth = data / "truth.json"
    as_of = json.loads(truth.read_text("utf-8"))["as_of"] if truth.exists() else "2026-06-30"
    py = [sys.executable]
    run(py + ["-c", LOAD, str(data)])  # fill the dataset cache
    person = subprocess.run(py + ["-c", PICK_PERSON, str(data)], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip()
    rows = [{"command": "load (read ledgers only)",
             **_median([run(py + ["-c", LOAD, str(data)]) for _ in range(repeat)])}]
    with tempfile.TemporaryDirectory() as tmp:
        for name, args in commands(data, as_of, person):
            if only and not name.startswith(only):
                continue
            out = ["--format", "csv", "--out", str(Path(tmp) / "out.csv")]
            runs = [run(py + ["-m", "linkgraph", *args, *out]) for _ in range(repeat)]
            rows.append({"command": name, **_median(runs)})
            print(f"{data.name}: {name}: {rows[-1]['wall_s']:.1f} s", file=sys.stderr)
    return rows


def _median(runs: list[dict]) -> dict:
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--scales", default="province")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--workdir", default=str(ROOT / ".cache" / "bench"))
    ap.add_argument("--data", default=None, help="benchmark this folder instead")
    ap.add_argument("--only", default=None, help="only the commands starting with this")
    args = ap.parse_args()
    folders = ([Path(args.data)] if args.data else
               [dataset_folder(s, Path(args.workdir)) for s in args.scales.split(",")])
    print("| data | command | wall s (whole process) | peak RSS MB | ≤ 60 s |")
    print("|---|---|---|---|---|")
    for folder in folders:
        for r in bench(folder, args.repeat, args.only):
            ok = "yes" if r["wall_s"] <= 60 else "NO"
            print(f"| {folder.name} | {r['command']} | {r['wall_s']:.1f} | {r['rss_mb']:,.0f} |"
                  f" {ok} |")
    print(f"\nmedian of {args.repeat} run(s); python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
