"""Neo4j I/O benchmark: push throughput at city scale, pull time, and
export-import (CSV + neo4j-admin) at province scale.

    python bench/bench_neo4j.py [--city /work/bench-data/city]
                                [--province /work/bench-data/province]
                                [--batch-size 5000] [--workers 2]
                                [--heap 2g] [--pagecache 1g]

The server is the one in NEO4J_URI/NEO4J_USERNAME/NEO4J_PASSWORD when set
(its database is wiped!), else a LocalNeo4j started for the run.  The push
is timed on an empty database (constraints first), then once more on the
full one (the idempotent re-push).  The province step runs only when
PROVINCE/READY exists; it writes the bulk CSVs into a temporary directory
and imports them with neo4j-admin from the fetched jars into a fresh
database.  Prints a markdown table; no timing is asserted anywhere.
"""
from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _server(args):
    from linkgraph.neo4j.connection import Settings
    from scripts.neo4j.server import LocalNeo4j

    if os.environ.get("NEO4J_URI"):
        return None, Settings.from_env()
    server = LocalNeo4j(heap=args.heap, pagecache=args.pagecache, stop_with_parent=True)
    uri, user, password = server.start()
    return server, Settings(uri, user, password)


def bench_push_pull(path: Path, args, rows: list[tuple[str, str, str]]) -> None:
    from linkgraph.dataset import load_dataset
    from linkgraph.neo4j.connection import connect
    from linkgraph.neo4j.pull import pull_graph
    from linkgraph.neo4j.push import database_counts, plan, push, wipe
    from linkgraph.graph import tables_from_graph

    t = time.perf_counter()
    tables = load_dataset(path).tables
    rows.append(("city", "load ledgers", f"{time.perf_counter() - t:.1f} s"))
    t = time.perf_counter()
    nodes, rels = plan(tables)
    n_nodes = sum(len(n.rows) for n in nodes)
    n_rels = sum(r.count for r in rels)
    rows.append(("city", "rows for the driver (Python side)",
                 f"{time.perf_counter() - t:.1f} s for {n_nodes:,} nodes, {n_rels:,} rels"))
    server, settings = _server(args)
    try:
        with connect(settings) as conn:
            wipe(conn)
            t = time.perf_counter()
            r = push(conn, tables, batch_size=args.batch_size, workers=args.workers)
            total = time.perf_counter() - t
            labels, types = database_counts(conn)
            if (sum(labels.values()), sum(types.values())) != (n_nodes, n_rels):
                raise SystemExit(f"database holds {sum(labels.values()):,} nodes, "
                                 f"{sum(types.values()):,} relationships after the push")
            rows.append(("city", "push into an empty database",
                         f"{total:.1f} s in all; nodes {r.node_total / r.seconds_nodes:,.0f}/s, "
                         f"relationships {r.relationship_total / r.seconds_relationships:,.0f}/s"))
            t = time.perf_counter()
            r2 = push(conn, tables, batch_size=args.batch_size, workers=args.workers)
            rows.append(("city", "push again (nothing changes)",
                         f"{time.perf_counter() - t:.1f} s; nodes "
                         f"{r2.node_total / r2.seconds_nodes:,.0f}/s, relationships "
                         f"{r2.relationship_total / r2.seconds_relationships:,.0f}/s"))
            t = time.perf_counter()
            G = pull_graph(conn)
            t_pull = time.perf_counter() - t
            tables_from_graph(G)
            rows.append(("city", "pull (Neo4j → networkx → tables)",
                         f"{time.perf_counter() - t:.1f} s ({t_pull:.1f} s to networkx, "
                         f"{(G.number_of_nodes() + G.number_of_edges()) / t_pull:,.0f} "
                         "elements/s)"))
    finally:
        if server is not None:
            server.stop()


def bench_export_import(path: Path, rows: list[tuple[str, str, str]]) -> None:
    from linkgraph.dataset import load_dataset
    from linkgraph.neo4j.bulk import export
    from scripts.neo4j.server import fetch_jars, render_conf

    t = time.perf_counter()
    tables = load_dataset(path).tables
    rows.append(("province", "load ledgers", f"{time.perf_counter() - t:.1f} s"))
    with tempfile.TemporaryDirectory(prefix="lg-bulk-") as tmp:
        t = time.perf_counter()
        result = export(tables, Path(tmp) / "csv")
        del tables
        rows.append(("province", "export-import: write CSVs",
                     f"{time.perf_counter() - t:.1f} s for {result.nodes:,} nodes, "
                     f"{result.relationships:,} relationships"))
        jars = fetch_jars()
        home = Path(tmp) / "server"
        (home / "conf").mkdir(parents=True)
        (home / "conf" / "neo4j.conf").write_text(render_conf(home, jars, 7687), "utf-8")
        argv = shlex.split(result.command_line())
        t = time.perf_counter()
        done = subprocess.run(["java", "-Xmx4g", "-cp", f"{jars}/*", "org.neo4j.cli.AdminTool",
                               *argv[1:]], capture_output=True, text=True,
                              env={**os.environ, "NEO4J_HOME": str(home),
                                   "NEO4J_CONF": str(home / "conf")})
        seconds = time.perf_counter() - t
        if done.returncode != 0:
            rows.append(("province", "neo4j-admin import", "failed: "
                         + (done.stdout + done.stderr).strip().splitlines()[-1]))
            return
        total = result.nodes + result.relationships
        rows.append(("province", "neo4j-admin database import full",
                     f"{seconds:.1f} s ({total / seconds:,.0f} elements/s)"))


def main() -> None:
    from linkgraph.neo4j import DEFAULT_BATCH, DEFAULT_WORKERS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--city", type=Path, default=Path("/work/bench-data/city"))
    parser.add_argument("--province", type=Path, default=Path("/work/bench-data/province"))
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH)
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
    parser.add_argument("--heap", default="2g")
    parser.add_argument("--pagecache", default="1g")
    parser.add_argument("--skip-province", action="store_true")
    args = parser.parse_args()
    rows: list[tuple[str, str, str]] = []
    bench_push_pull(args.city, args, rows)
    if args.skip_province:
        pass
    elif (args.province / "READY").exists():
        bench_export_import(args.province, rows)
    else:
        rows.append(("province", "export-import", f"skipped: {args.province}/READY not found"))
    print(f"batch size {args.batch_size:,}, {args.workers} writers; server heap {args.heap}, page cache "
          f"{args.pagecache}; {os.cpu_count()} CPUs\n")
    print("| scale | step | result |\n|---|---|---|")
    for scale, step, result in rows:
        print(f"| {scale} | {step} | {result} |")


if __name__ == "__main__":
    main()
