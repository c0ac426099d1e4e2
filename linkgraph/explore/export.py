"""What the explorer exports: the table of what is shown (XLSX) and the
current picture as one offline HTML page (the static views' format, with
the explorer's positions).  PNG and SVG are drawn by the page itself.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, BinaryIO

from linkgraph.explore.expand import subgraph
from linkgraph.explore.state import Explorer
from linkgraph.views import text as vt


def table_records(explorer: Explorer, keys: list[str], lang: str = "zh"
                  ) -> dict[str, list[dict[str, Any]]]:
    """Two sheets: the nodes shown and the relationships among them."""
    shown = subgraph(explorer.index, keys, lang=lang)
    by_key = {n["key"]: n for n in shown["nodes"]}
    nodes = [{"node_label": n["label_name"], "node_name": n["text"],
              "node_id": n["key"].partition(":")[2], "node_context": " · ".join(n["context"])}
             for n in shown["nodes"]]
    edges = [{"link_from": by_key[e["source"]]["text"], "link_relation": e["text"],
              "link_to": by_key[e["target"]]["text"]} for e in shown["edges"]]
    return {"explore_nodes": nodes, "explore_links": edges}


def table_workbook(explorer: Explorer, keys: list[str], target: BinaryIO,
                   lang: str = "zh") -> None:
    """The table of what is shown as a workbook (headers from the catalogue)."""
    from linkgraph.catalogue import catalogue
    from linkgraph.output import write_xlsx

    sheets = table_records(explorer, keys, lang)
    columns = {"explore_nodes": ["node_label", "node_name", "node_id", "node_context"],
               "explore_links": ["link_from", "link_relation", "link_to"]}
    write_xlsx(sheets, target, columns, lang=lang,
               title=catalogue().sheet("explore_title", lang))


def offline_html(explorer: Explorer, keys: list[str], positions: Mapping[str, Any],
                 lang: str = "zh") -> str:
    """The shown nodes as one self-contained page (``linkgraph view``'s format)."""
    import networkx as nx

    from linkgraph.views import build_view_spec
    from linkgraph.views.draw import render_html

    index = explorer.index
    shown = subgraph(index, keys, lang=lang)
    G = nx.MultiDiGraph()
    for n in shown["nodes"]:
        G.add_node(n["key"], **index.attrs(index.code(n["key"])))
    for e in shown["edges"]:
        attrs = index.edge_attrs(int(e["id"][1:]))
        G.add_edge(e["source"], e["target"], **attrs)
    fixed = {}
    for key in G:
        p = positions.get(key)
        if isinstance(p, (list, tuple)) and len(p) == 2 and all(isinstance(v, (int, float))
                                                                for v in p):
            fixed[key] = (float(p[0]), float(p[1]))
    title = vt.clean(("关系图（导出）" if lang == "zh" else "Graph (exported)"))
    spec = build_view_spec(G, sorted(G), title=title, lang=lang, max_nodes=max(len(G), 20),
                           positions=fixed or None)
    return render_html(spec)
