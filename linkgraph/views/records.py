"""Graph nodes and edges -> ViewNode / ViewEdge records (pure).

Reads any networkx graph whose nodes carry ``label`` and whose edges carry
``type``; multigraphs and directed graphs are the usual case.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

import networkx as nx

from linkgraph.views import text as tx
from linkgraph.views.aggregate import Group
from linkgraph.views.spec import ViewEdge, ViewNode
from linkgraph.views.style import (
    DASHED_TYPES, SUMMARY_EDGE_COLOR, edge_color, label_style, lighten, node_size,
)

EdgeKey = tuple[Any, Any, Any]


def node_label(G: nx.Graph, key: Any) -> str:
    return str(G.nodes[key].get("label") or str(key).split(":", 1)[0])


def graph_node(G: nx.Graph, key: Any, lang: str, *, highlight: bool = False) -> ViewNode:
    attrs = G.nodes[key]
    label = node_label(G, key)
    st = label_style(label)
    degree = G.degree(key)
    return ViewNode(
        id=str(key), label=label,
        text=tx.display_text({**attrs, "label": label}, str(key)),
        color=st.color, shape=st.shape, size=node_size(label, degree),
        tooltip=tx.node_rows(attrs, label, degree, lang),
        search=tx.search_text(attrs, str(key)), group=label, highlight=highlight,
    )


def summary_node(group: Group, anchor_text: str, lang: str) -> ViewNode:
    st = label_style(group.label)
    n = len(group.members)
    text = tx.summary_text(n, group.label, lang)
    rows = [(tx.ui("summary", lang), text)]
    if group.anchor is not None:
        rows.append((tx.ui("attached", lang), anchor_text))
    note = _SUMMARY_NOTES[group.kind]
    rows.append((tx.ui("hint", lang), tx.pick(note, lang)))
    rows.append((tx.ui("hint", lang), tx.ui("hint_expand", lang)))
    shown_text = text if group.kind != "dropped" else text + tx.pick(("（未显示）", " (not shown)"), lang)
    return ViewNode(
        id=group.id, label=group.label, text=shown_text, color=lighten(st.color),
        shape="box", size=st.size, tooltip=tuple(rows), search="",
        group=group.label, members=n,
    )


_SUMMARY_NOTES = {
    "leaf": ("只与所属节点相连的节点已聚合", "nodes linked only to this one, folded"),
    "isolated": ("与其他显示节点无关系的节点已聚合", "nodes without links in this view, folded"),
    "dropped": ("超出节点上限，未显示", "left out by the node cap"),
}


def edges_between(G: nx.Graph, u: Any, others: set[Any]) -> Iterator[tuple[Any, Any, Any, Mapping]]:
    """Every edge between ``u`` and a node of ``others`` (either direction), once."""
    multi = G.is_multigraph()
    if G.is_directed():
        views = [G.out_edges(u, keys=True, data=True) if multi else G.out_edges(u, data=True),
                 G.in_edges(u, keys=True, data=True) if multi else G.in_edges(u, data=True)]
    else:
        views = [G.edges(u, keys=True, data=True) if multi else G.edges(u, data=True)]
    for view in views:
        for e in view:
            a, b, *rest = e
            k, d = (rest[0], rest[1]) if multi else (None, rest[0])
            other = b if a == u else a
            if other in others:
                yield a, b, k, d


def sort_key(e: tuple[Any, Any, Any, Mapping]) -> tuple[str, str, str]:
    return (str(e[0]), str(e[1]), str(e[2]))


def graph_edge(G: nx.Graph, e: tuple[Any, Any, Any, Mapping], edge_id: str, lang: str,
               highlighted: bool, texts: Mapping[str, str]) -> ViewEdge:
    a, b, _k, d = e
    etype = str(d.get("type") or "")
    attrs = {k: v for k, v in d.items() if k != "type"}
    return ViewEdge(
        id=edge_id, source=str(a), target=str(b), type=etype,
        text=tx.edge_label_text(etype, attrs, lang),
        color=edge_color(etype, highlighted), width=3.0 if highlighted else 1.0,
        dashed=etype in DASHED_TYPES, highlight=highlighted,
        tooltip=tx.edge_rows(etype, attrs, texts.get(str(a), str(a)), texts.get(str(b), str(b)), lang),
    )


def summary_edge(G: nx.Graph, group: Group, edge_id: str, lang: str) -> ViewEdge:
    """The one edge from an anchor to its leaf summary (most common type)."""
    assert group.anchor is not None
    members = set(group.members)
    types = Counter(str(d.get("type") or "") for *_ab, d in edges_between(G, group.anchor, members))
    etype = min(types.items(), key=lambda kv: (-kv[1], kv[0]))[0] if types else ""
    n = len(group.members)
    return ViewEdge(
        id=edge_id, source=str(group.anchor), target=group.id, type=etype,
        text=f"{tx.edge_name(etype, lang)} ×{n:,}", color=SUMMARY_EDGE_COLOR, width=1.0,
        dashed=True, highlight=False,
        tooltip=((tx.ui("relation", lang), f"{tx.edge_name(etype, lang)} ({etype})"),
                 (tx.ui("summary", lang), tx.summary_text(n, group.label, lang))),
    )


def is_highlighted(e: tuple[Any, Any, Any, Mapping], pairs: set, triples: set) -> bool:
    a, b, k, _d = e
    return (a, b, k) in triples or (a, b) in pairs or (b, a) in pairs


def normalise_highlights(highlight_edges) -> tuple[set, set]:
    """Split ``(u, v)`` (either direction) and ``(u, v, key)`` (exact) items."""
    pairs, triples = set(), set()
    for item in highlight_edges:
        t = tuple(item)
        if len(t) == 2:
            pairs.add(t)
        elif len(t) == 3:
            triples.add(t)
        else:
            raise ValueError(f"highlight edge must be (u, v) or (u, v, key), got {item!r}")
    return pairs, triples

