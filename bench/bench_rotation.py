"""The rotation solvers at 50, 100 and 200 regions, and the whole ``rotate``
command on generated ledgers.

    python bench/bench_rotation.py [--sizes 50 100 200] [--time-limit 30]
                                   [--data /work/bench-data/city ...]

Instances (seed 0): teams 0..n-1 with distinct home regions; 10 % of the
other pairs hard-excluded; costs as the planner builds them (soft score in
tenths × weight + workload imbalance in percent):

* conflicts: like real conflict matrices — 90 % of pairs without any soft
  conflict, the rest 0.5–60 points;
* random: uniform 0–999 per pair (the notes' CP-SAT figure);
* euclidean: distance between random points (structured, the hard case for
  single rings).

For each: plain derangement (assignment algorithm), no-reciprocal and single
ring (lazy-cut MILP, CP-SAT after 60 % of the time limit), with time, proven
optimal, gap.  With --data, ``linkgraph rotate DATA --round <cross round>``
(plain and --single-cycle) end to end in a fresh process, load included.
Prints markdown tables; no timing asserts.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from linkgraph.rotation.instance import Instance
from linkgraph.rotation.problem import IMBALANCE_CAP, SOFT_SCALE
from linkgraph.rotation.solvers import solve


def instance(n: int, kind: str, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    allowed = (rng.random((n, n)) >= 0.1) & ~np.eye(n, dtype=bool)
    weight = IMBALANCE_CAP * n + 1
    imbalance = rng.integers(0, IMBALANCE_CAP, (n, n))
    if kind == "conflicts":
        soft = np.where(rng.random((n, n)) < 0.9, 0.0, rng.uniform(0.5, 60, (n, n)))
        cost = np.rint(soft * SOFT_SCALE).astype(np.int64) * weight + imbalance
    elif kind == "random":
        cost = rng.integers(0, 1000, (n, n)).astype(np.int64)
    else:
        xy = rng.random((n, 2)) * 1000
        cost = np.rint(np.hypot(xy[:, None, 0] - xy[None, :, 0],
                                xy[:, None, 1] - xy[None, :, 1])).astype(np.int64)
    return cost, allowed


def bench_solvers(sizes: list[int], kinds: list[str], time_limit: float) -> list[str]:
    rows = ["| regions | costs | constraint | solver | seconds | optimal | gap | gap on the soft "
            "score |", "|---:|---|---|---|---:|---|---:|---:|"]
    warm = instance(5, "random")                  # imports outside the timings
    solve(Instance(*warm, np.arange(5)))
    for n in sizes:
        for kind in kinds:
            cost, allowed = instance(n, kind)
            for name, flags in (("plain derangement", {}), ("no reciprocal",
                                                            {"no_reciprocal": True}),
                                ("single cycle", {"single_cycle": True})):
                inst = Instance(cost, allowed, np.arange(n), **flags)
                t = time.perf_counter()
                try:
                    sol = solve(inst, time_limit=time_limit)
                    took = time.perf_counter() - t
                    cells = (sol.solver, f"{took:.2f}", "yes" if sol.optimal else "no",
                             f"{sol.gap:.2%}", _soft_gap(sol, n, kind))
                except Exception as exc:  # a timeout without a plan is a result too
                    took = time.perf_counter() - t
                    cells = ("—", f"{took:.2f}", f"no plan ({type(exc).__name__})", "—", "—")
                rows.append(f"| {n} | {kind} | {name} | " + " | ".join(cells) + " |")
                print(rows[-1], file=sys.stderr, flush=True)
    return rows


def _soft_gap(sol, n: int, kind: str) -> str:
    """For conflict-like costs: the gap on the soft score alone (the rest of
    the objective is the workload tie-break)."""
    if kind != "conflicts":
        return "—"
    weight = IMBALANCE_CAP * n + 1
    upper, lower = sol.cost // weight, int(np.ceil(sol.bound - 1e-6)) // weight
    return f"{(upper - lower) / max(upper, 1):.2%}"


def cross_round(data: Path) -> str:
    import csv

    with open(data / "rounds.csv", encoding="utf-8-sig") as f:
        rounds = [r for r in csv.DictReader(f) if r["kind"] in ("交叉巡察", "cross")]
    return sorted(rounds, key=lambda r: (r["start"], r["round_id"]))[-1]["round_id"]


def bench_command(folders: list[Path], time_limit: float) -> list[str]:
    import json

    rows = ["| data | round | regions | constraint | seconds (whole command) | optimal | gap | "
            "swaps |", "|---|---|---:|---|---:|---|---:|---:|"]
    exe = Path(sys.executable).with_name("linkgraph")
    for folder in folders:
        if not (folder / "READY").exists() and not (folder / "rounds.csv").exists():
            rows.append(f"| {folder.name} | not ready | | | | | | |")
            continue
        round_id = cross_round(folder)
        for name, extra in (("plain", []), ("single cycle", ["--single-cycle"])):
            t = time.perf_counter()
            run = subprocess.run([str(exe), "rotate", str(folder), "--round", round_id,
                                  "--time-limit", str(time_limit), "--format", "json", *extra],
                                 capture_output=True, text=True)
            took = time.perf_counter() - t
            if run.returncode:
                rows.append(f"| {folder.name} | {round_id} | | {name} | {took:.1f} | "
                            f"error: {run.stderr.strip().splitlines()[-1][:80]} | | |")
                continue
            doc = json.loads(run.stdout)
            rows.append(f"| {folder.name} | {round_id} | {len(doc['pairs'])} | {name} | "
                        f"{took:.1f} | {'yes' if doc['optimal'] else 'no'} | "
                        f"{doc['gap']:.2%} | {len(doc['member_swaps'])} |")
            print(rows[-1], file=sys.stderr, flush=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[50, 100, 200])
    ap.add_argument("--kinds", nargs="+", default=["conflicts", "random", "euclidean"])
    ap.add_argument("--time-limit", type=float, default=30.0)
    ap.add_argument("--data", type=Path, nargs="*", default=[])
    args = ap.parse_args()
    print("\n".join(bench_solvers(args.sizes, args.kinds, args.time_limit)))
    if args.data:
        print()
        print("\n".join(bench_command(args.data, args.time_limit)))


if __name__ == "__main__":
    main()
