"""The team view (巡察组): a team, its members, the units it inspects and the
members' ties and posts — to check a roster by eye (``view DATA --focus team:T``)."""
from __future__ import annotations

from collections.abc import Sequence

import networkx as nx

from linkgraph.model import node_key
from linkgraph.views.kinds import ViewRequest, _need, _t


def _neighbours(G: nx.Graph, key, types: set[str]) -> list:
    out = []
    for _, other, data in G.out_edges(key, data=True) if G.is_directed() else G.edges(key,
                                                                                       data=True):
        if data.get("type") in types:
            out.append(other)
    if G.is_directed():
        out += [other for other, _, data in G.in_edges(key, data=True)
                if data.get("type") in types]
    return sorted(set(out), key=str)


def team_view(G: nx.Graph, team_id: str, *, members: Sequence[str] | None = None,
              lang: str = "zh") -> ViewRequest:
    """Team ``team_id`` with its members (the graph's, or ``members`` — e.g. a
    roster ``linkgraph staff`` proposes), its units, the members' ties and the
    units they held posts in; members and units highlighted."""
    key = node_key("Team", team_id)
    _need(G, key, "该巡察组")
    people = ([node_key("Person", p) for p in members] if members is not None
              else [n for n in _neighbours(G, key, {"MEMBER_OF"})
                    if G.nodes[n].get("label") == "Person"])
    people = [p for p in people if p in G]
    units = [n for n in _neighbours(G, key, {"INSPECTS"}) if G.nodes[n].get("label") == "Unit"]
    around = []
    for p in people:
        around += _neighbours(G, p, {"TIE", "HOLDS_POST"})
    nodes = tuple(dict.fromkeys([key, *people, *units, *around]))
    name = G.nodes[key].get("name") or team_id
    title = _t(f"巡察组：{name}（{team_id}）· 成员、社会关系、被巡察单位",
               f"Team {name} ({team_id}) · members, ties, units inspected", lang)
    return ViewRequest("team", title, G, nodes, highlight_nodes=tuple([key, *people, *units]))
