"""The floor: how fast the same files can be read at all, against
``linkgraph validate`` cold (cache off) and warm (the Parquet cache), whole
processes, in one run, with the load average.

    python bench/bench_floor.py                     # a generated city, 3 repeats
    python bench/bench_floor.py --scale county --repeat 5
    python bench/bench_floor.py --data /tmp/province --repeat 1
    python bench/bench_floor.py --tree ../main      # also validate with another checkout

The floor rows read every CSV of the dataset (GB18030 files transcoded to
UTF-8 first where the reader cannot) and nothing else: polars (when it can
be imported: it is no dependency of linkgraph; ``--extra-path`` adds a folder
with it), ``pyarrow.csv``, the pandas C engine, and a pyarrow read of the
Parquet files of the dataset's cache entry.  Each row is the median of
``--repeat`` fresh processes; the ratios are linkgraph's median ÷ the floor's
median of the same run.  Prints a markdown table.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import ROOT, generate, load_average, size_mb, watch  # noqa: E402

_POLARS = """
import io, json, sys, polars as pl
for path, enc in json.loads(sys.argv[1]):
    if enc in ("utf-8", "utf-8-sig"):
        pl.read_csv(path, infer_schema=False, has_header=False)
    else:
        data = open(path, "rb").read().decode(enc).encode("utf-8")
        pl.read_csv(io.BytesIO(data), infer_schema=False, has_header=False)
"""
_PYARROW = """
import json, sys, pyarrow.csv as pc
for path, enc in json.loads(sys.argv[1]):
    pc.read_csv(path, read_options=pc.ReadOptions(encoding=enc.replace("-sig", ""),
                                                  autogenerate_column_names=True))
"""
_PANDAS = """
import json, sys, pandas as pd
for path, enc in json.loads(sys.argv[1]):
    pd.read_csv(path, header=None, dtype=str, keep_default_na=False, na_filter=False,
                engine="c", encoding=enc)
"""
_PARQUET = """
import json, sys, pyarrow.parquet as pq
for path in json.loads(sys.argv[1]):
    pq.read_table(path)
"""


def _csvs(data: Path) -> list[tuple[str, str]]:
    sys.path.insert(0, str(ROOT))
    from loaders.text import detect_encoding

    out = []
    for p in sorted(data.rglob("*.csv")):
        with open(p, "rb") as fh:
            head = fh.read(1 << 20)
        out.append((str(p), detect_encoding(head, p.name, complete=False)))
    return out


def _timed(cmd: list[str], limit_gb: float, env: dict[str, str]) -> dict:
    """``watch`` plus the CPU seconds (user + system) the process used: under
    load, CPU time says more than wall time.  The process runs in the
    checkout its PYTHONPATH names: ``python -m`` puts the working folder
    first on sys.path, so another folder's code would shadow it."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    r = watch(cmd, limit_gb, env=env, cwd=Path(env["PYTHONPATH"].split(os.pathsep)[-1]))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    r["cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return r


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", default="city")
    ap.add_argument("--data", type=Path, default=None, help="a dataset folder instead of --scale")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "linkgraph-bench")
    ap.add_argument("--extra-path", default="", help="a folder on PYTHONPATH for the floor "
                    "readers only (e.g. where polars is installed)")
    ap.add_argument("--limit-gb", type=float, default=16.0)
    ap.add_argument("--cache", type=Path, default=None,
                    help="the dataset cache folder to use and keep (default: a temporary one)")
    ap.add_argument("--tree", type=Path, default=None,
                    help="another checkout: its validate cold and warm as well (before/after)")
    args = ap.parse_args()

    args.work.mkdir(parents=True, exist_ok=True)
    data = args.data or generate(args.scale, args.work)
    files = _csvs(data)
    listing = json.dumps(files)
    py = sys.executable
    floor_env = {"PYTHONPATH": os.pathsep.join(p for p in (args.extra_path, str(ROOT)) if p)}
    cache = args.cache or Path(tempfile.mkdtemp(prefix="floor-cache-", dir=args.work))
    lg_env = {"PYTHONPATH": str(ROOT), "LINKGRAPH_CACHE": str(cache)}
    validate = [py, "-m", "linkgraph", "validate", str(data)]

    prime = _timed(validate, args.limit_gb, lg_env)   # writes the cache entry
    if prime.get("rc") not in (0, 1):
        print(prime.get("stderr", "")[-2000:], file=sys.stderr)
        return 1
    parquet = sorted(str(p) for p in cache.rglob("*.parquet"))

    steps: list[tuple[str, list[str], dict[str, str]]] = []
    has_polars = watch([py, "-c", "import polars"], 2, env=floor_env).get("rc") == 0
    if has_polars:
        steps.append(("polars read_csv", [py, "-c", _POLARS, listing], floor_env))
    steps += [("pyarrow.csv read_csv", [py, "-c", _PYARROW, listing], floor_env),
              ("pandas read_csv (C engine)", [py, "-c", _PANDAS, listing], floor_env)]
    if parquet:
        steps.append(("pyarrow read of the Parquet cache", [py, "-c", _PARQUET,
                                                            json.dumps(parquet)], floor_env))
    steps += [("linkgraph validate, cold (cache off)", validate,
               {**lg_env, "LINKGRAPH_CACHE": "off"}),
              ("linkgraph validate, warm (Parquet cache)", validate, lg_env)]
    if args.tree:
        other = Path(tempfile.mkdtemp(prefix="floor-cache-tree-", dir=args.work))
        tree_env = {"PYTHONPATH": str(args.tree.resolve()), "LINKGRAPH_CACHE": str(other)}
        _timed(validate, args.limit_gb, tree_env)
        steps += [(f"{args.tree.name}: validate, cold (cache off)", validate,
                   {**tree_env, "LINKGRAPH_CACHE": "off"}),
                  (f"{args.tree.name}: validate, warm (Parquet cache)", validate, tree_env)]

    results: dict[str, list[dict]] = {name: [] for name, _, _ in steps}
    loads = [load_average()]
    for _ in range(args.repeat):           # interleaved, so load drifts hit every row
        for name, cmd, env in steps:
            r = _timed(cmd, args.limit_gb, env)
            if "killed_mb" in r or r["rc"] not in (0, 1):
                print(f"{name}: failed {r.get('stderr', '')[-1500:]}", file=sys.stderr)
                return 1
            results[name].append(r)
            loads.append(r["load"])
    if args.cache is None:
        shutil.rmtree(cache, ignore_errors=True)
    if args.tree:
        shutil.rmtree(other, ignore_errors=True)

    med = {name: _median(rs, "wall_s") for name, rs in results.items()}
    cpu = {name: _median(rs, "cpu_s") for name, rs in results.items()}
    cold_floor = "polars read_csv" if has_polars else "pyarrow.csv read_csv"
    print(f"\n{data} ({size_mb(data):.0f} MB, {len(files)} CSV files); median of "
          f"{args.repeat}; load average {min(loads):.1f}–{max(loads):.1f}\n")
    print("| step | wall s (median) | min–max s | CPU s (median) | peak RSS MB | ratio (wall) |"
          " ratio (CPU) |")
    print("|---|---|---|---|---|---|---|")
    for name, rs in results.items():
        walls = [r["wall_s"] for r in rs]
        ratio = ratio_cpu = ""
        base = (cold_floor if name.endswith("cold (cache off)") else
                "pyarrow read of the Parquet cache" if name.endswith("warm (Parquet cache)")
                and parquet else None)
        if base:
            what = f"{cold_floor.split()[0]}" if base == cold_floor else "parquet read"
            ratio = f"{med[name] / med[base]:.1f}× {what}"
            ratio_cpu = f"{cpu[name] / cpu[base]:.1f}× {what}"
        print(f"| {name} | {med[name]:.2f} | {min(walls):.2f}–{max(walls):.2f} | "
              f"{cpu[name]:.2f} | {_median(rs, 'rss_mb'):.0f} | {ratio} | {ratio_cpu} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
