"""Time `linkgraph demo` end to end, and views at the node cap.

    python bench/bench_demo.py [--scale city] [--seed 1] [--skip-demo] [--skip-browser]

1. ``demo``: `python -m linkgraph demo` as a fresh process with an empty
   dataset cache (so reading the ledgers is cold), its per-step timings
   (the lines it prints) and peak RSS.
2. ``views``: the biggest views of the demo's data (the overview and the
   unit with most neighbours) and a made-up graph folded to the 1,500-node
   cap — time to compute the spec, to write the page, the page's size and,
   with Chromium, the time until the page has settled (physics off or done).

Prints markdown tables.  No timing asserts: this is a measurement.
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def run_demo(scale: str, seed: int, work: Path) -> tuple[float, float, list[tuple[str, str]], Path]:
    env = {**os.environ, "LINKGRAPH_CACHE": str(work / "cache"), "PYTHONPATH": str(ROOT)}
    out = work / "demo"
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "linkgraph", "demo", "--out", str(out),
                           "--scale", scale, "--seed", str(seed)],
                          capture_output=True, text=True, env=env, check=True)
    wall = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    steps = re.findall(r"^  (.+?): ([0-9.]+ s)$", proc.stderr, re.M)
    return wall, rss, steps, out


def time_view(name: str, make, out: Path, chromium) -> dict:
    from linkgraph.views import write_html
    from linkgraph.views.kinds import request_spec

    start = time.perf_counter()
    req = make()
    spec = request_spec(req, max_nodes=1500, seed=0, lang="zh")
    t_spec = time.perf_counter() - start
    path = out / f"{name}.html"
    start = time.perf_counter()
    write_html(spec, path)
    t_write = time.perf_counter() - start
    row = {"view": name, "asked": len(req.nodes), "drawn": len(spec.nodes), "edges": len(spec.edges),
           "spec_s": t_spec, "write_s": t_write, "kib": path.stat().st_size / 1024,
           "physics": spec.physics, "ready_s": None}
    if chromium is not None:
        page = chromium.new_page(viewport={"width": 1280, "height": 800})
        start = time.perf_counter()
        page.goto(path.resolve().as_uri())
        page.wait_for_function("() => window.linkgraphView && window.linkgraphView.ready",
                               timeout=120_000)
        row["ready_s"] = time.perf_counter() - start
        page.close()
    return row


def views(data: Path | None, work: Path, use_browser: bool) -> list[dict]:
    import networkx as nx

    from linkgraph.views.kinds import ViewRequest, overview, unit_view
    from linkgraph.views.sample import inspection_graph

    browser = pw = None
    if use_browser:
        try:
            from playwright.sync_api import sync_playwright

            pw = sync_playwright().start()
            browser = pw.chromium.launch(executable_path=os.environ.get(
                "LINKGRAPH_CHROMIUM", "/usr/bin/chromium"), args=["--no-sandbox"])
        except Exception as exc:  # noqa: BLE001 - a measurement without the browser column
            print(f"(no browser: {exc})", file=sys.stderr)
    rows = []
    big = inspection_graph(100, seed=0)
    rows.append(time_view(f"sample {big.number_of_nodes():,} nodes → cap 1,500",
                          lambda: ViewRequest("sample", "cap", big, tuple(big)), work, browser))
    if data is not None:
        from linkgraph.dataset import load_dataset
        from linkgraph.session import Session

        source = Session(load_dataset(data).tables)
        rows.append(time_view("overview (demo data)", lambda: overview(source.tables), work,
                              browser))
        G = source.graph
        units = [n for n, d in G.nodes(data=True) if d.get("label") == "Unit"]
        busiest = max(units, key=lambda u: (nx.degree(G, u), u))
        rows.append(time_view(f"unit {busiest} (2 hops, demo data)",
                              lambda: unit_view(G, busiest.split(":", 1)[1]), work, browser))
    if browser is not None:
        browser.close()
        pw.stop()
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", default="city")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--skip-demo", action="store_true")
    ap.add_argument("--skip-browser", action="store_true")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-demo-") as tmp:
        work = Path(tmp)
        data = None
        if not args.skip_demo:
            wall, rss, steps, out = run_demo(args.scale, args.seed, work)
            data = out / "data"
            print(f"## linkgraph demo --scale {args.scale} --seed {args.seed} (cold cache)\n")
            print("| step | seconds |\n|---|---|")
            for name, secs in steps:
                print(f"| {name} | {secs.removesuffix(' s')} |")
            print(f"| **process wall clock** | **{wall:.1f}** |")
            print(f"\npeak RSS {rss:,.0f} MiB; report files: "
                  f"{len(list((out / 'report').iterdir()))}\n")
        rows = views(data, work, not args.skip_browser)
        print("## views at the cap (max 1,500 nodes)\n")
        print("| view | nodes asked | drawn | edges | spec s | write s | KiB | physics | "
              "Chromium ready s |\n|---|---|---|---|---|---|---|---|---|")
        for r in rows:
            ready = "—" if r["ready_s"] is None else f"{r['ready_s']:.2f}"
            print(f"| {r['view']} | {r['asked']:,} | {r['drawn']:,} | {r['edges']:,} | "
                  f"{r['spec_s']:.2f} | {r['write_s']:.2f} | {r['kib']:,.0f} | "
                  f"{'on' if r['physics'] else 'off'} | {ready} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
