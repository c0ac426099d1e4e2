"""Start-up of the local Neo4j server: the default JVM settings against
``quick`` (C1 JIT only, smaller heap and page cache: what the tests use).

    python bench/bench_neo4j_start.py [--runs 3]

Each run starts a server in a fresh directory, waits until Bolt answers and
the driver logs in, runs one query and stops it; the two settings alternate,
so both see the same load.  CPU is the server process's user + system time
(it is this process's child).  Prints a markdown table of medians; no
timing is asserted anywhere.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def one_start(quick: bool) -> tuple[float, float]:
    """(wall seconds to ready, CPU seconds of the server's whole life)."""
    from neo4j import GraphDatabase

    from scripts.neo4j.server import LocalNeo4j

    with tempfile.TemporaryDirectory(prefix="bench-neo4j-") as folder:
        cpu0 = _children_cpu()
        began = time.perf_counter()
        server = LocalNeo4j(data_dir=Path(folder), stop_with_parent=True, quick=quick)
        uri, user, password = server.start()
        ready = time.perf_counter() - began
        try:
            with GraphDatabase.driver(uri, auth=(user, password)) as drv:
                drv.execute_query("CREATE (:Unit {id: 'x'}) WITH 1 AS one "
                                  "MATCH (u:Unit) RETURN count(u) AS n")
        finally:
            server.stop()
        return ready, _children_cpu() - cpu0


def main() -> None:
    from harness import load_average

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    results: dict[bool, list[tuple[float, float]]] = {False: [], True: []}
    loads = [load_average()]
    for _ in range(args.runs):
        for quick in (False, True):
            results[quick].append(one_start(quick))
            loads.append(load_average())
    print(f"load average {min(loads):.1f}–{max(loads):.1f}, {args.runs} runs each, medians\n")
    print("| settings | ready (wall) | server CPU (start, one query, stop) |")
    print("|---|---|---|")
    for quick, name in ((False, "default (512m heap, C1+C2)"),
                        (True, "quick (384m heap, C1 only)")):
        walls = [w for w, _ in results[quick]]
        cpus = [c for _, c in results[quick]]
        print(f"| {name} | {statistics.median(walls):.1f} s | {statistics.median(cpus):.1f} s |")
    ratio = statistics.median(c for _, c in results[True]) / statistics.median(
        c for _, c in results[False])
    print(f"\nquick ÷ default, CPU: {ratio:.2f}")


if __name__ == "__main__":
    main()
