"""Neighbourhood data embedded in a view for expand-on-double-click.

For each drawn node: its neighbours that the view does not draw (up to
``limit`` each, and ``budget`` distinct extra nodes in all), with the edges
joining them.  For each summary node: some of its members and their edges to
the anchor (or to drawn nodes).  The page needs no server to expand.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from linkgraph.views.aggregate import Group
from linkgraph.views.records import edges_between, graph_edge, graph_node, sort_key
from linkgraph.views.spec import Expansion, ViewEdge, ViewNode

#: Parallel edges embedded per (node, neighbour) pair.
EDGES_PER_PAIR = 4


@dataclass
class _Embedded:
    lang: str
    budget: int
    nodes: dict[str, ViewNode] = field(default_factory=dict)
    edges: list[ViewEdge] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)

    def room(self, key: Any) -> bool:
        return str(key) in self.nodes or len(self.nodes) < self.budget

    def add_node(self, G: nx.Graph, key: Any) -> None:
        if str(key) not in self.nodes:
            vn = graph_node(G, key, self.lang)
            self.nodes[str(key)] = vn
            self.texts[str(key)] = vn.text

    def add_edges(self, G: nx.Graph, u: Any, v: Any) -> list[str]:
        ids = []
        found = sorted(edges_between(G, u, {v}), key=sort_key)[:EDGES_PER_PAIR]
        for e in found:
            eid = f"x{len(self.edges)}"
            self.edges.append(graph_edge(G, e, eid, self.lang, False, self.texts))
            ids.append(eid)
        return ids


def neighbourhoods(
    G: nx.Graph,
    drawn: Sequence[Any],
    groups: Sequence[Group],
    rank_of: Callable[[Any], tuple],
    texts: dict[str, str],
    *,
    lang: str,
    limit: int,
    budget: int,
) -> tuple[tuple[ViewNode, ...], tuple[ViewEdge, ...], tuple[Expansion, ...]]:
    """Extra nodes, extra edges and one Expansion per expandable node."""
    emb = _Embedded(lang, budget, texts=dict(texts))
    drawn_set = set(drawn)
    folded: dict[Any, set[Any]] = {}
    for g in groups:
        if g.anchor is not None:
            folded.setdefault(g.anchor, set()).update(g.members)
    expansions = []
    for u in sorted(drawn, key=rank_of):
        hidden = set(nx.all_neighbors(G, u)) if G.is_directed() else set(G.neighbors(u))
        hidden -= drawn_set | folded.get(u, set()) | {u}
        expansions.append(_expand(G, u, sorted(hidden, key=rank_of), emb, limit))
    for g in groups:
        expansions.append(_expand_group(G, g, drawn_set, emb, rank_of, limit))
    kept = tuple(x for x in expansions if x.nodes or x.omitted)
    return tuple(emb.nodes.values()), tuple(emb.edges), kept


def _expand(G: nx.Graph, u: Any, hidden: list[Any], emb: _Embedded, limit: int) -> Expansion:
    nodes: list = []
    edges: list = []
    for v in hidden:
        if len(nodes) >= limit or not emb.room(v):
            break
        emb.add_node(G, v)
        nodes.append(str(v))
        edges.extend(emb.add_edges(G, u, v))
    return Expansion(str(u), tuple(nodes), tuple(edges), len(hidden) - len(nodes))


def _expand_group(G: nx.Graph, g: Group, drawn: set[Any], emb: _Embedded,
                  rank_of: Callable[[Any], tuple], limit: int) -> Expansion:
    """Members of a summary node, joined to its anchor or to drawn nodes."""
    nodes: list = []
    edges: list = []
    for m in g.members:
        if len(nodes) >= limit or not emb.room(m):
            break
        emb.add_node(G, m)
        nodes.append(str(m))
        if g.anchor is not None:
            edges.extend(emb.add_edges(G, g.anchor, m))
            continue
        nbrs = set(nx.all_neighbors(G, m)) if G.is_directed() else set(G.neighbors(m))
        for v in sorted(nbrs & drawn, key=rank_of)[:EDGES_PER_PAIR]:
            edges.extend(emb.add_edges(G, v, m))
    return Expansion(g.id, tuple(nodes), tuple(edges), len(g.members) - len(nodes))
