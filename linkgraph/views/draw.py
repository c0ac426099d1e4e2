"""Draw a :class:`ViewSpec` as one self-contained HTML page.

The only module of linkgraph that touches pyvis.  From pyvis 0.3.2 we use its
``Network`` as the container that turns our records into vis-network node and
edge objects, and the vis-network 9.1.2 standalone build that ships inside
the pyvis package, inlined.  We do **not** use pyvis's ``template.html``: it
loads Bootstrap (and, with ``cdn_resources='local'``, vis-network itself) from
CDNs whatever ``cdn_resources`` says (pyvis #228, #229), and it switches every
tooltip to ``innerHTML`` as soon as one title contains ``href``.  Our template
(``static/view.html.j2``) loads nothing from anywhere, carries its data as
JSON escaped for a ``<script>`` block, renders tooltips with ``textContent``,
and sets a Content-Security-Policy that only allows its own inline scripts
(by hash), so even markup that slipped into the page could not run or fetch.
"""
from __future__ import annotations

import base64
import hashlib
import importlib.resources
import io
import json
import os
from functools import cache
from pathlib import Path
from typing import IO, Any

from linkgraph.views.spec import ViewEdge, ViewNode, ViewSpec
from linkgraph.views.style import EDGE_COLOR, FONT_STACK, HIGHLIGHT
from linkgraph.views.text import pick, ui

#: Edge labels are drawn only on views with at most this many edges.
EDGE_LABEL_LIMIT = 80
VIS_VERSION = "9.1.2"

_UI_KEYS = ("found", "not_found", "no_more", "expanded", "expanded_omitted", "collapsed")


def write_html(spec: ViewSpec, target: str | os.PathLike[str] | IO[Any]) -> None:
    """Write the page for ``spec`` as UTF-8 to a path or an open file."""
    data = render_html(spec).encode("utf-8")
    if isinstance(target, (str, os.PathLike)):
        from linkgraph.output import write_bytes

        write_bytes(data, Path(target))
    elif isinstance(target, io.TextIOBase):
        target.write(data.decode("utf-8"))
    else:
        target.write(data)


def render_html(spec: ViewSpec) -> str:
    """The page as a string (same spec -> same string, byte for byte)."""
    vis_js = _script_safe(_vis_bundle())
    view_js = _script_safe(_static("view.js"))
    nodes, edges = _through_pyvis(spec)
    payload = _payload(spec, nodes, edges)
    template = _environment().get_template("view.html.j2")
    return template.render(
        spec=spec, html_lang="en" if spec.lang == "en" else "zh-CN",
        ui={k: ui(k, spec.lang) for k in ("search", "search_btn", "filter", "filter_all",
                                          "legend", "dblclick", "folded", "provenance")},
        node_legend=[e for e in spec.legend if e.kind == "node"],
        edge_legend=[e for e in spec.legend if e.kind == "edge"],
        css=_static("view.css").replace("__FONT_STACK__", FONT_STACK),
        data_json=json_for_script(payload), vis_js=vis_js, view_js=view_js,
        csp=_csp(vis_js, view_js),
    )


def json_for_script(obj: Any) -> str:
    """JSON that cannot end its ``<script type="application/json">`` block.

    ``<``, ``>`` and ``&`` only occur inside JSON strings, where their
    ``\\uXXXX`` forms mean the same, so ``</script>`` or ``<!--`` in the data
    can never reach the HTML parser.  U+2028/2029 are escaped for old JS.
    """
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False)
    for raw, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                     ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, esc)
    return text


def _through_pyvis(spec: ViewSpec) -> tuple[list[dict], list[dict]]:
    """Initial vis node/edge objects, assembled by a pyvis ``Network``."""
    from pyvis.network import Network  # imported late: pulls in IPython

    net = Network(directed=True, cdn_resources="in_line")
    for n in spec.nodes:
        opts = vis_node(n)
        net.add_node(opts.pop("id"), label=opts.pop("label"), shape=opts.pop("shape"),
                     color=opts.pop("color"), **opts)
    labels = len(spec.edges) <= EDGE_LABEL_LIMIT
    for e in spec.edges:
        opts = vis_edge(e, labels)
        net.add_edge(opts.pop("from"), opts.pop("to"), **opts)
    nodes, edges, *_ = net.get_network_data()
    return nodes, edges


def vis_node(n: ViewNode) -> dict[str, Any]:
    """A vis-network node object; options equal to the defaults are left out."""
    opts: dict[str, Any] = {"id": n.id, "label": n.text, "shape": n.shape, "size": n.size,
                            "color": n.color}
    if n.highlight:
        opts["color"] = {"background": n.color, "border": HIGHLIGHT}
        opts["borderWidth"] = 3
    if n.is_summary:
        opts["color"] = {"background": n.color, "border": "#666666"}
        opts["borderWidth"] = 2
        opts["shapeProperties"] = {"borderDashes": [3, 2]}
    if n.x is not None and n.y is not None:
        opts["x"], opts["y"] = n.x, n.y
    return opts


def vis_edge(e: ViewEdge, labels: bool) -> dict[str, Any]:
    """A vis-network edge object; options equal to the defaults are left out."""
    opts: dict[str, Any] = {"id": e.id, "from": e.source, "to": e.target, "arrows": "to"}
    if e.color != EDGE_COLOR:
        opts["color"] = e.color
    if e.width != 1.0:
        opts["width"] = e.width
    if e.dashed:
        opts["dashes"] = True
    if labels and e.text:
        opts["label"] = e.text
    if e.curve:
        opts["smooth"] = {"enabled": True, "type": "curvedCW" if e.curve > 0 else "curvedCCW",
                          "roundness": abs(e.curve)}
    return opts


def _payload(spec: ViewSpec, nodes: list[dict], edges: list[dict]) -> dict[str, Any]:
    """Everything the page's script reads, as one JSON object."""
    meta = {n.id: [n.label, n.search, [list(r) for r in n.tooltip]]
            for n in spec.nodes + spec.extra_nodes}
    return {
        "lang": spec.lang, "physics": spec.physics and bool(spec.nodes),
        "nodes": nodes, "edges": edges, "meta": meta,
        "etip": {e.id: [list(r) for r in e.tooltip] for e in spec.edges + spec.extra_edges},
        "extraNodes": {n.id: vis_node(n) for n in spec.extra_nodes},
        "extraEdges": {e.id: vis_edge(e, False) for e in spec.extra_edges},
        "expand": {x.node: {"n": list(x.nodes), "e": list(x.edges), "o": x.omitted}
                   for x in spec.expansions},
        "ui": {k: ui(k, spec.lang) for k in _UI_KEYS},
        "sep": pick(("：", ": "), spec.lang),
        "options": _options(spec),
    }


def _options(spec: ViewSpec) -> dict[str, Any]:
    physics: dict[str, Any] = {"enabled": False}
    if spec.physics and spec.nodes:
        physics = {
            "enabled": True, "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 90,
                                 "avoidOverlap": 1.0},
            "stabilization": {"enabled": True, "iterations": spec.stabilization_iterations,
                              "updateInterval": 50, "fit": True},
        }
    return {
        "autoResize": True,
        "layout": {"randomSeed": spec.seed, "improvedLayout": False},
        "physics": physics,
        "nodes": {"font": {"face": FONT_STACK, "size": 14, "color": "#222222",
                           "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "scaling": {"label": {"drawThreshold": 6}}},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}, "smooth": False,
                  "color": {"color": EDGE_COLOR, "highlight": "#111111", "hover": "#111111",
                            "inherit": False},
                  "font": {"face": FONT_STACK, "size": 10, "color": "#555555",
                           "strokeWidth": 2, "align": "middle"}},
        "interaction": {"hover": True, "multiselect": True, "tooltipDelay": 200,
                        "hideEdgesOnDrag": len(spec.edges) > 3000,
                        "hideEdgesOnZoom": len(spec.edges) > 3000},
    }


def _csp(*scripts: str) -> str:
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
        for s in scripts)
    return ("default-src 'none'; script-src " + hashes + "; style-src 'unsafe-inline'; "
            "img-src data:; font-src data:; base-uri 'none'; form-action 'none'")


def _script_safe(js: str) -> str:
    """Inline JS that cannot close its ``<script>`` element early."""
    return js.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT").replace("<!--", "<\\!--")


@cache
def _vis_bundle() -> str:
    import pyvis

    path = Path(pyvis.__file__).parent / "templates" / "lib" / f"vis-{VIS_VERSION}" / "vis-network.min.js"
    if not path.is_file():
        raise RuntimeError(f"vis-network {VIS_VERSION} not found in the pyvis package at {path}; "
                           "linkgraph views need pyvis 0.3.2")
    return path.read_text(encoding="utf-8")


@cache
def _static(name: str) -> str:
    return (importlib.resources.files("linkgraph.views") / "static" / name).read_text(encoding="utf-8")


@cache
def _environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FunctionLoader(lambda name: _static(name)),
        autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
    )
