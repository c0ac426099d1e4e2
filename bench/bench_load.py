"""Load and graph-build benchmark at county, city and province scale.

    python bench/bench_load.py [--scales county,city,province] [--repeat 3]
                               [--workdir .cache/bench] [--graph-limit-gb 18]

Generates each dataset once (cached in --workdir), then measures in fresh
processes, so the figures are whole-process ones:

* cold load: read + map + type + check every table (``load_dataset``, cache off);
* cached load: the same from the Parquet cache of checked tables (linkgraph/cache.py);
* graph: load, then ``build_graph`` (networkx MultiDiGraph);
* peak RSS of each process (``ru_maxrss``), and MB per 1k graph elements.

A graph build whose RSS passes --graph-limit-gb is stopped and reported as
not fitting; its size is then extrapolated from the smaller scales' bytes per
edge.  Prints a markdown table of medians.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

from harness import ROOT, generate, size_mb, watch

CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from linkgraph.dataset import load_dataset
ds = load_dataset(sys.argv[1])
t1 = time.perf_counter()
out = {"load_s": t1 - t0, "rows": ds.rows_read}
if sys.argv[2] == "graph":
    from linkgraph.graph import build_graph
    G = build_graph(ds)
    out["graph_s"] = time.perf_counter() - t1
    out["nodes"] = G.number_of_nodes()
    out["edges"] = G.number_of_edges()
else:
    from linkgraph.graph import graph_counts
    labels, types = graph_counts(ds)
    out["nodes"], out["edges"] = sum(labels.values()), sum(types.values())
out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def _run(data: Path, mode: str, limit_gb: float, cache: str = "off") -> dict:
    run = watch([sys.executable, "-c", CHILD, str(data), mode], limit_gb,
                {"LINKGRAPH_CACHE": cache}, every_s=0.2)
    if "killed_mb" in run:
        return {"killed_gb": run["killed_mb"] / 1024, "wall_s": run["wall_s"]}
    if run["rc"]:
        raise SystemExit(f"{mode} on {data} failed:\n{run['stderr'][-3000:]}")
    result = json.loads(run["stdout"].strip().splitlines()[-1])
    result["wall_s"] = run["wall_s"]
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--scales", default="county,city,province")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workdir", default=str(ROOT / ".cache" / "bench"))
    ap.add_argument("--graph-limit-gb", type=float, default=18.0)
    ap.add_argument("--bytes-per-element", type=float, default=None,
                    help="graph bytes per node+edge from an earlier run, to extrapolate a "
                         "graph build that was stopped when no smaller scale ran")
    args = ap.parse_args()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    rows = []
    bytes_per_edge = []
    for scale in args.scales.split(","):
        data = generate(scale, workdir, "--headers", "en")
        loads = [_run(data, "load", args.graph_limit_gb) for _ in range(args.repeat)]
        cache = str(workdir / "cache")
        _run(data, "load", args.graph_limit_gb, cache)  # fill the Parquet cache
        warm = [_run(data, "load", args.graph_limit_gb, cache) for _ in range(args.repeat)]
        graph_runs = args.repeat if scale != "province" else 1
        graphs = [_run(data, "graph", args.graph_limit_gb, cache) for _ in range(graph_runs)]
        load = {k: statistics.median(r[k] for r in loads) for k in ("load_s", "wall_s", "rss_mb")}
        row = {"scale": scale, "input_mb": size_mb(data), "rows": loads[0]["rows"],
               "nodes": loads[0]["nodes"], "edges": loads[0]["edges"], **load,
               "warm_wall_s": statistics.median(r["wall_s"] for r in warm),
               "warm_rss_mb": statistics.median(r["rss_mb"] for r in warm)}
        done = [g for g in graphs if "killed_gb" not in g]
        if done:
            row["graph_s"] = statistics.median(g["graph_s"] for g in done)
            row["graph_wall_s"] = statistics.median(g["wall_s"] for g in done)
            row["graph_rss_mb"] = statistics.median(g["rss_mb"] for g in done)
            extra = (row["graph_rss_mb"] - row["warm_rss_mb"]) * 2**20
            bytes_per_edge.append(extra / max(row["edges"] + row["nodes"], 1))
        else:
            row["killed_gb"] = graphs[0]["killed_gb"]
        rows.append(row)
    per_element = (statistics.median(bytes_per_edge) if bytes_per_edge
                   else args.bytes_per_element)
    print("| scale | input MB | rows | nodes | edges | cold load s (in-process) | cold load wall s |"
          " cold load peak RSS MB | cached load wall s | cached load peak RSS MB |"
          " graph build s | cached load+graph wall s | load+graph peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        if "killed_gb" in r:
            if per_element:
                estimate = r["warm_rss_mb"] + per_element * (r["nodes"] + r["edges"]) / 2**20
                guess = f"est. {estimate / 1024:.1f} GB ({per_element:.0f} B/element)"
            else:   # no smaller scale measured in this run to extrapolate from
                guess = "—"
            graph = f"stopped at {r['killed_gb']:.1f} GB | — | {guess}"
        else:
            graph = f"{r['graph_s']:.1f} | {r['graph_wall_s']:.1f} | {r['graph_rss_mb']:,.0f}"
        print(f"| {r['scale']} | {r['input_mb']:,.0f} | {r['rows']:,} | {r['nodes']:,} |"
              f" {r['edges']:,} | {r['load_s']:.1f} | {r['wall_s']:.1f} | {r['rss_mb']:,.0f} |"
              f" {r['warm_wall_s']:.1f} | {r['warm_rss_mb']:,.0f} | {graph} |")
    print(f"\nmedian of {args.repeat} runs (province graph: 1 run); python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
