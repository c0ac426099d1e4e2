"""Graph nodes and edges -> ViewNode / ViewEdge records (pure).

Reads any networkx graph whose nodes carry ``label`` and whose edges carry
``type``; multigraphs and directed graphs are the usual case.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

import networkx as nx

from linkgraph.views import text as tx
from linkgraph.views.aggregate import Group
from linkgraph.views.spec import ViewEdge, ViewNode
from linkgraph.views.style import (
    DASHED_TYPES,
    SUMMARY_EDGE_COLOR,
    edge_color,
    label_style,
    lighten,
    node_size,
)

EdgeKey = tuple[Any, Any, Any]


def node_label(G: nx.Graph, key: Any) -> str:
    return str(G.nodes[key].get("label") or str(key).split(":", 1)[0])


#: Properties that hold another node's id, and that node's label.
REFERENCES = {"region_id": "Region", "hometown_region_id": "Region",
              "organizer_region_id": "Region", "home_region_id": "Region", "unit_id": "Unit",
              "seconded_from_unit_id": "Unit", "person_id": "Person", "owner_person_id": "Person",
              "dept_id": "Department", "owner_dept_id": "Department",
              "transferred_to": "Department", "round_id": "Round", "team_id": "Team"}


def with_names(G: nx.Graph, label: str, attrs: Mapping[str, Any]) -> dict[str, Any]:
    """``attrs`` with every id of another node shown as its name (and id):
    a tooltip reads 所属区域 = 昌峰区（R0011）, not R0011."""
    out = dict(attrs)
    whole = G.graph.get("names_from", G)   # a view drawn on a graph of its own names from its source
    for k, v in attrs.items():
        target = REFERENCES.get(k) or (label if k == "parent_id" else None)
        if target is None or not isinstance(v, str):
            continue
        ref = f"{target}:{v}"
        source = G if ref in G else whole
        name = source.nodes[ref].get("name") if ref in source else None
        if isinstance(name, str) and name and name != v:
            out[k] = f"{name}（{v}）"
    return out


def graph_node(G: nx.Graph, key: Any, lang: str, *, highlight: bool = False) -> ViewNode:
    label = node_label(G, key)
    attrs = with_names(G, label, G.nodes[key])
    st = label_style(label)
    degree = G.degree(key)
    return ViewNode(
        id=str(key), label=label,
        text=tx.display_text({**attrs, "label": label}, str(key), lang=lang),
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
        shape=st.shape, size=st.size + 4, tooltip=tuple(rows), search="",
        group=group.label, members=n,
    )


_SUMMARY_NOTES = {
    "folded": ("隶属于所连节点的记录已聚合", "records belonging to the linked node, folded"),
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


#: Links drawn from one summary node to drawn nodes other than its home.
SUMMARY_LINKS = 12


def summary_edges(G: nx.Graph, group: Group, visible: set[Any], lang: str) -> list[ViewEdge]:
    """A folded group's edge to its home, then (``×k``) to other drawn nodes.

    ``+15 个问题`` beside a unit keeps a link to each category its problems
    belong to, labelled with how many of them do.  Ids are filled in later.
    """
    per_node: dict[Any, Counter] = defaultdict(Counter)
    for m in group.members:
        for a, b, _k, d in edges_between(G, m, visible):
            other = b if a == m else a
            per_node[other][str(d.get("type") or "")] += 1
    n = len(group.members)
    out = []
    if group.anchor is not None:
        types = per_node.pop(group.anchor, Counter())
        out.append(_summary_edge(group.anchor, group, _top(types), n, lang, home=True))
    links = sorted(per_node.items(), key=lambda kv: (-sum(kv[1].values()), str(kv[0])))
    for other, types in links[:SUMMARY_LINKS]:
        out.append(_summary_edge(other, group, _top(types), sum(types.values()), lang, home=False))
    return out


def _top(types: Counter) -> str:
    return min(types.items(), key=lambda kv: (-kv[1], kv[0]))[0] if types else ""


def _summary_edge(other: Any, group: Group, etype: str, k: int, lang: str, *, home: bool) -> ViewEdge:
    name = tx.edge_name(etype, lang) if etype else ""
    rows = [(tx.ui("summary", lang), tx.summary_text(len(group.members), group.label, lang))]
    if etype:
        rows.insert(0, (tx.ui("relation", lang), f"{name} ({etype})"))
    if not home:
        rows.append((tx.ui("linked", lang), f"{k:,}"))
    return ViewEdge(
        id="", source=group.id if not home else str(other), target=str(other) if not home else group.id,
        type=etype, text=f"{name} ×{k:,}".strip(), color=SUMMARY_EDGE_COLOR, width=1.0,
        dashed=True, highlight=False, tooltip=tuple(rows), summary=True,
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

