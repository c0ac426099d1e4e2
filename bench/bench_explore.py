"""The explorer's start-up, memory and query latency (``linkgraph explore``).

    python bench/bench_explore.py [--scales county,city] [--queries 200]
                                  [--workdir .cache/bench-explore] [--seed 3]

For each scale: generate once (cached in --workdir; ``--data province=FOLDER`` uses a
dataset generated elsewhere), fill the Parquet cache in a process of its own, then in one
fresh process per scale:

* start-up: load the dataset from the cache + build the explorer's index
  (CSR arrays, search index) — what ``linkgraph explore`` does before it
  serves — and then the time until the derived CORROBORATES edges (audit
  matching, in a background thread while the page serves) are in; the baseline, measured in the same process first, is a plain
  ``pandas.read_parquet`` of the same cache files;
* peak RSS of that process (``ru_maxrss``);
* p50 / p95 of 200 random searches (names, name parts, ids, pinyin initials),
  expansions (random nodes of every label, aggregates opened) and shortest
  paths up to 4 hops (half inspector × random unit, half a person and the end
  of a 2-4 step walk through ties and posts), timed in-process around the
  same calls the web app makes.

Province scale is not run by default: generating it and holding it twice
(bench + machine neighbours) does not fit this shared 2-core machine's
budget; pass ``--scales province`` on a quiet machine with ≥ 16 GB free.
Prints markdown tables and the load average.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, os, random, resource, sys, time
from pathlib import Path
import numpy as np
from linkgraph.memory import keep_freed_memory
keep_freed_memory()
data, queries, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
import pandas as pd
from linkgraph.dataset import load_dataset
cache = Path(os.environ["LINKGRAPH_CACHE"]) / "datasets"
t = time.perf_counter()
for folder in cache.iterdir():
    for f in folder.glob("*.parquet"):
        pd.read_parquet(f)
baseline = time.perf_counter() - t
t0 = time.perf_counter()
from linkgraph.dataset import load_dataset
from linkgraph.explore.state import Explorer
from linkgraph.explore.expand import Filters
ds = load_dataset(data, use_cache=True)
t1 = time.perf_counter()
ex = Explorer(ds.tables)
t2 = time.perf_counter()
ex.complete.wait()        # CORROBORATES, derived in the background while the page serves
t3 = time.perf_counter()
rng = random.Random(seed)
ix = ex.index
people = ds.tables["people"]
units = ds.tables["units"]
def pick(frame, col):
    return str(frame[col].iloc[rng.randrange(len(frame))])
from pypinyin import lazy_pinyin, Style
def initials(name):
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()
kinds = [lambda: pick(people, "name"), lambda: pick(units, "name")[:4],
         lambda: pick(people, "person_id"), lambda: initials(pick(people, "name")),
         lambda: pick(units, "name")[2:6]]
qs = [kinds[i % len(kinds)]() for i in range(queries)]
def timed(fn, items):
    out = []
    for it in items:
        s = time.perf_counter(); fn(it); out.append((time.perf_counter() - s) * 1000)
    return out
search_ms = timed(lambda q: ex.search(q), qs)
codes = [rng.randrange(ix.n_nodes) for _ in range(queries)]
def expand_and_open(c):
    r = ex.expand(str(ix.keys[c]), Filters())
    if r["aggregates"]:
        a = r["aggregates"][0]
        ex.expand(a["center"], Filters(), label=a["label"], split=a["split"])
expand_ms = timed(expand_and_open, codes)
members = ds.tables["team_members"]["person_id"].astype(str).tolist()
def walk(code, steps):
    for _ in range(steps):
        lo, hi = ix.path_indptr[code], ix.path_indptr[code + 1]
        if hi == lo:
            break
        code = int(ix.path_neighbour[rng.randrange(lo, hi)])
    return str(ix.keys[code])
pairs = []
for i in range(queries):
    a = "Person:" + (rng.choice(members) if members and i % 2 else pick(people, "person_id"))
    if i % 2:     # an inspector and a random unit: mostly far apart or unconnected
        b = "Unit:" + pick(units, "unit_id")
    else:         # a person and the end of a 2-4 step walk through ties and posts
        b = walk(ix.code(a), rng.randint(2, 4))
    pairs.append((a, b))
import linkgraph.explore.paths as paths
path_ms = timed(lambda p: paths.shortest_paths(ix, p[0], p[1], ex.conflict_rules, k=4), pairs)
found = sum(1 for p in pairs[:100] if paths.shortest_paths(ix, p[0], p[1], ex.conflict_rules, k=4)["found"])
def pct(v, q):
    return float(np.percentile(v, q))
print(json.dumps({
    "rows": ds.rows_read, "nodes": ix.n_nodes, "edges": ix.n_edges,
    "baseline_s": baseline, "load_s": t1 - t0, "index_s": t2 - t1, "startup_s": t2 - t0, "derived_s": t3 - t2,
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "search": [pct(search_ms, 50), pct(search_ms, 95)],
    "expand": [pct(expand_ms, 50), pct(expand_ms, 95)],
    "path": [pct(path_ms, 50), pct(path_ms, 95)], "paths_found_of_100": found}))
"""


def _generate(scale: str, workdir: Path, seed: int, given: dict[str, str]) -> Path:
    if scale in given:        # a dataset generated elsewhere (read only, never modified)
        return Path(given[scale])
    target = workdir / f"{scale}-{seed}"
    if (target / "truth.json").exists():
        return target
    subprocess.run([sys.executable, "-m", "linkgraph", "generate", str(target), "--scale", scale,
                    "--seed", str(seed)], cwd=ROOT, check=True)
    return target


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--scales", default="county,city")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--workdir", default=str(ROOT / ".cache" / "bench-explore"))
    ap.add_argument("--data", action="append", default=[], metavar="SCALE=FOLDER",
                    help="use an already generated dataset for SCALE, e.g. "
                         "province=/work/bench-data/province")
    args = ap.parse_args()
    given = dict(d.split("=", 1) for d in args.data)
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    rows = []
    for scale in args.scales.split(","):
        data = _generate(scale, workdir, args.seed, given)
        cache = workdir / f"cache-{scale}"
        env = {**os.environ, "LINKGRAPH_CACHE": str(cache), "PYTHONPATH": str(ROOT)}
        # fill the Parquet cache in its own process, as a first explore or validate does, so the
        # measured process starts from the cache and its peak memory is the explorer's alone
        subprocess.run([sys.executable, "-c", "import sys; from linkgraph.dataset import "
                        "load_dataset; load_dataset(sys.argv[1], use_cache=True)", str(data)],
                       cwd=ROOT, env=env, check=True)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", CHILD, str(data), str(args.queries),
                               str(args.seed)], cwd=ROOT, env=env, capture_output=True, text=True)
        print(done.stderr[-2000:], file=sys.stderr)
        if done.returncode:
            raise SystemExit(done.stderr[-3000:])
        row = json.loads(done.stdout.strip().splitlines()[-1])
        row["scale"], row["wall_s"] = scale, time.perf_counter() - started
        rows.append(row)
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {os.cpu_count()} cores; "
          f"{args.queries} queries each\n")
    print("| scale | rows | nodes | edges | read Parquet cache s (baseline) | start-up s "
          "(load + index) | ratio | of which index s | then CORROBORATES in the background s |"
          " peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['scale']} | {r['rows']:,} | {r['nodes']:,} | {r['edges']:,} |"
              f" {r['baseline_s']:.2f} | {r['startup_s']:.2f} |"
              f" {r['startup_s'] / max(r['baseline_s'], 1e-9):.1f}× | {r['index_s']:.2f} |"
              f" {r['derived_s']:.2f} |"
              f" {r['rss_mb']:,.0f} |")
    print("\n| scale | search p50 / p95 ms | expand p50 / p95 ms | path p50 / p95 ms |"
          " paths found (of 100) |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['scale']} | {r['search'][0]:.1f} / {r['search'][1]:.1f} |"
              f" {r['expand'][0]:.1f} / {r['expand'][1]:.1f} |"
              f" {r['path'][0]:.1f} / {r['path'][1]:.1f} | {r['paths_found_of_100']} |")


if __name__ == "__main__":
    main()
