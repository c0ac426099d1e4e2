"""Which drawing library for the explorer: sigma.js (WebGL) or vis-network
(2D canvas), measured in headless Chromium at 1,500 and 20,000 nodes.

    python bench/bench_drawing.py [--sizes 1500,20000] [--repeat 3]

Both draw the same random graph (about 1.5 edges per node) at the same
precomputed positions, physics off, in a 1280 × 800 window: the time from
handing over the data to the first complete frame, and the mean time of a
frame while zooming (20 camera steps, each waited for).  Chromium runs with
--disable-gpu, as in the tests: WebGL falls back to SwiftShader (software),
which is what an intranet PC without a GPU driver gets too.  Prints a
markdown table with the load average.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "linkgraph" / "explore" / "static"

SIGMA_PAGE = """<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0">
<div id="g" style="width:1280px;height:800px"></div>
<script>{graphology}</script><script>{sigma}</script>
<script>
window.run = function (data) {{
  const t0 = performance.now();
  const g = new graphology.MultiGraph();
  data.nodes.forEach(n => g.addNode(n.id, {{x: n.x, y: n.y, size: 4, color: "#1f77b4", label: n.label}}));
  data.edges.forEach((e, i) => g.addEdgeWithKey("e" + i, e[0], e[1], {{size: 1, color: "#ccc"}}));
  const r = new Sigma(g, document.getElementById("g"), {{itemSizesReference: "positions",
    zoomToSizeRatioFunction: x => x, labelRenderedSizeThreshold: 5}});
  r.refresh();
  return new Promise(done => requestAnimationFrame(() => {{
    const first = performance.now() - t0;
    const cam = r.getCamera();
    let i = 0; const t1 = performance.now();
    function step() {{
      if (i === 20) {{ done({{first: first, frame: (performance.now() - t1) / 20}}); return; }}
      cam.setState({{ratio: cam.getState().ratio * (i < 10 ? 0.85 : 1 / 0.85)}});
      r.refresh(); i++; requestAnimationFrame(step);
    }}
    step();
  }}));
}};
</script></body></html>"""

VIS_PAGE = """<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0">
<div id="g" style="width:1280px;height:800px"></div>
<script>{vis}</script>
<script>
window.run = function (data) {{
  const t0 = performance.now();
  const nodes = new vis.DataSet(data.nodes.map(n => ({{id: n.id, x: n.x, y: n.y, label: n.label,
    shape: "dot", size: 4}})));
  const edges = new vis.DataSet(data.edges.map((e, i) => ({{id: i, from: e[0], to: e[1]}})));
  const net = new vis.Network(document.getElementById("g"), {{nodes, edges}},
    {{physics: {{enabled: false}}, layout: {{improvedLayout: false}},
      interaction: {{hideEdgesOnDrag: false}}}});
  return new Promise(done => net.once("afterDrawing", () => {{
    const first = performance.now() - t0;
    let i = 0; const t1 = performance.now();
    function step() {{
      if (i === 20) {{ done({{first: first, frame: (performance.now() - t1) / 20}}); return; }}
      net.moveTo({{scale: net.getScale() * (i < 10 ? 1 / 0.85 : 0.85), animation: false}});
      net.once("afterDrawing", () => {{ i++; requestAnimationFrame(step); }});
      net.redraw();
    }}
    step();
  }}));
}};
</script></body></html>"""


def graph(n: int, seed: int = 1) -> dict:
    rng = random.Random(seed)
    side = int(n ** 0.5) * 30
    nodes = [{"id": f"n{i}", "x": rng.uniform(0, side), "y": rng.uniform(0, side),
              "label": f"节点{i}"} for i in range(n)]
    edges = [[f"n{rng.randrange(n)}", f"n{rng.randrange(n)}"] for _ in range(int(n * 1.5))]
    return {"nodes": nodes, "edges": [e for e in edges if e[0] != e[1]]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", default="1500,20000")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    from linkgraph.views.draw import _vis_bundle

    pages = {
        "sigma.js 3 (WebGL)": SIGMA_PAGE.format(
            graphology=(STATIC / "graphology.umd.min.js").read_text("utf-8"),
            sigma=(STATIC / "sigma.min.js").read_text("utf-8")),
        "vis-network 9 (canvas)": VIS_PAGE.format(vis=_vis_bundle()),
    }
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=os.environ.get(
            "LINKGRAPH_CHROMIUM", "/usr/bin/chromium"), headless=True,
            args=["--no-sandbox", "--disable-gpu"])
        for name, html in pages.items():
            path = Path(tmp) / f"{len(rows)}.html"
            path.write_text(html, "utf-8")
            for n in (int(s) for s in args.sizes.split(",")):
                data = graph(n)
                firsts, frames = [], []
                for _ in range(args.repeat):
                    page = browser.new_page(viewport={"width": 1280, "height": 800})
                    page.goto(path.as_uri())
                    out = page.evaluate("(d) => window.run(d)", data)
                    firsts.append(out["first"])
                    frames.append(out["frame"])
                    page.close()
                rows.append((name, n, statistics.median(firsts), statistics.median(frames)))
        browser.close()
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; headless Chromium, "
          f"--disable-gpu (software WebGL); median of {args.repeat}\n")
    print("| library | nodes | first frame ms | zoom frame ms |")
    print("|---|---|---|---|")
    for name, n, first, frame in rows:
        print(f"| {name} | {n:,} | {first:,.0f} | {frame:,.1f} |")
    print(json.dumps([list(r) for r in rows]))


if __name__ == "__main__":
    main()
