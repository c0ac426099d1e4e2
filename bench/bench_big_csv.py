"""Memory on a 1 GB CSV: streamed within a bound, or refused with a message.

    python bench/bench_big_csv.py --province /work/bench-data/province [--gb 1.0]
                                  [--workdir .cache/bench-big]

Builds a ledger folder whose problems.csv is about --gb gigabytes (the
province's problems, repeated with fresh problem ids until the size is
reached; the units/regions/rounds/people it refers to copied over), then runs
in fresh processes:

* ``linkgraph validate`` with the dataset cache off: whole-process time and
  peak RSS (the loader streams CSV in 200k-row chunks);
* the same with ``LINKGRAPH_MAX_FILE_MB`` below the file's size: it must
  refuse with a message naming the file and the limit, exit 1, quickly.

Prints a markdown table.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEEP = ("regions.csv", "units.csv", "rounds.csv", "people.csv")


def build(province: Path, target: Path, gb: float) -> Path:
    if (target / "READY").exists():
        return target
    target.mkdir(parents=True, exist_ok=True)
    for name in KEEP:
        shutil.copyfile(province / name, target / name)
    goal = int(gb * 2**30)
    src = province / "problems.csv"
    # streamed line by line, so this process stays small: a child's peak RSS
    # (wait4) starts from its parent's at fork
    with open(target / "problems.csv", "wb") as out:
        written, copy = 0, 0
        while written < goal:
            with open(src, "rb") as f:
                header = f.readline()
                if copy == 0:
                    out.write(header)
                    written += len(header)
                suffix = b"" if copy == 0 else b"-%d" % copy
                for line in f:
                    comma = line.index(b",")
                    row = line[:comma] + suffix + line[comma:]
                    out.write(row)
                    written += len(row)
                    if written >= goal:
                        break
            copy += 1
    (target / "READY").touch()
    return target


def measured(args: list[str], env: dict[str, str]) -> tuple[float, float, int, str]:
    """Run a child and read its peak RSS from wait4."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "linkgraph", *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return (time.perf_counter() - t0, usage.ru_maxrss / 2**20, proc.returncode,
            err.decode("utf-8", "replace"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--province", type=Path, required=True)
    ap.add_argument("--gb", type=float, default=1.0)
    ap.add_argument("--workdir", type=Path, default=ROOT / ".cache" / "bench-big")
    args = ap.parse_args()
    data = build(args.province, args.workdir / f"big-{args.gb:g}gb", args.gb)
    size = (data / "problems.csv").stat().st_size
    rows = sum(1 for _ in open(data / "problems.csv", "rb")) - 1
    env = {**os.environ, "LINKGRAPH_CACHE": "off"}
    t, rss, code, err = measured(["validate", str(data)], env)
    limit_mb = max(1, int(size / 2**20) - 100)
    t2, rss2, code2, err2 = measured(["validate", str(data)],
                                     {**env, "LINKGRAPH_MAX_FILE_MB": str(limit_mb)})
    message = next((line for line in err2.splitlines() if "problems.csv" in line), err2[:200])
    print(f"problems.csv: {size / 2**30:.2f} GiB, {rows:,} rows "
          f"(+ units, regions, rounds, people of the province)\n")
    print("| run | exit | whole process s | peak RSS GiB | RSS ÷ file size |")
    print("|---|---|---|---|---|")
    print(f"| validate (streamed, cache off) | {code} | {t:.1f} | {rss:.2f} | "
          f"{rss * 2**30 / size:.2f} |")
    print(f"| validate, LINKGRAPH_MAX_FILE_MB={limit_mb} | {code2} | {t2:.1f} | {rss2:.2f} | "
          f"— |")
    print(f"\nrefusal message: {message.strip()}")
    if code not in (0, 1):
        print(f"\nvalidate failed ({code}):\n{err[-2000:]}")


if __name__ == "__main__":
    main()
