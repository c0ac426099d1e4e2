"""The cross-inspection plan (交叉巡察, "推磨式") as a ring view.

Reads the plain plan record of ``linkgraph.rotation`` —
``plan_rotation(tables, round_id, RotationOptions()).as_record()`` — so it
needs only its ``pairs``: ``{"team_id", "from_region_id", "to_region_id",
"unit_ids", "cost", "soft_conflicts"}``.  Regions sit on a circle in the
order of the plan's cycles (A → B → C → A), each pair is an arrow from the
team's home region to the region it inspects, and each team sits outside
its home region.  Pairs with soft conflicts are drawn red.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx

from linkgraph.errors import InputError
from linkgraph.model import node_key
from linkgraph.schema import Tables
from linkgraph.views.kinds import ViewRequest, _t


def soft_count(value: Any) -> int:
    """A pair's soft conflicts: a list of conflict records, or a number."""
    if isinstance(value, (list, tuple)):
        return len(value)
    return int(value or 0)


def ring_order(pairs: Sequence[Mapping[str, Any]]) -> list[str]:
    """Regions in the order of the plan's cycles, each cycle from its
    smallest region id (a team without a home region starts nowhere)."""
    nxt: dict[str, str] = {}
    for p in pairs:
        if p.get("from_region_id") is not None:
            nxt.setdefault(str(p["from_region_id"]), str(p["to_region_id"]))
    regions = sorted(set(nxt) | {str(p["to_region_id"]) for p in pairs})
    order: list[str] = []
    placed: set[str] = set()
    for start in regions:
        cur = start
        while cur not in placed:
            order.append(cur)
            placed.add(cur)
            if cur not in nxt:
                break
            cur = nxt[cur]
    return order


def ring_positions(order: Sequence[str], radius: float | None = None) -> dict[str, tuple[float, float]]:
    n = max(len(order), 1)
    r = radius if radius is not None else max(220.0, 45.0 * n)
    return {k: (round(r * math.sin(2 * math.pi * i / n), 1),
                round(-r * math.cos(2 * math.pi * i / n), 1)) for i, k in enumerate(order)}


def rotation_view(tables: Tables, plan: Mapping[str, Any], round_id: str, *,
                  lang: str = "zh") -> ViewRequest:
    pairs = list(plan.get("pairs") or [])
    if not pairs:
        raise InputError(f"轮次 {round_id} 的轮换方案为空 / the plan for {round_id} has no pairs")
    regions = tables["regions"].set_index("region_id")
    teams = tables["teams"].set_index("team_id")
    order = ring_order(pairs)
    pos = ring_positions(order)
    outer = ring_positions(order, radius=max(220.0, 45.0 * len(order)) + 110)
    G = nx.MultiDiGraph()
    for r in order:
        attrs = {"name": regions.at[r, "name"]} if r in regions.index else {}
        G.add_node(node_key("Region", r), label="Region", id=r, **attrs)
    positions = {node_key("Region", r): xy for r, xy in pos.items()}
    red, soft_total = [], 0
    seen_home: dict[str, int] = {}
    for p in sorted(pairs, key=lambda p: (str(p.get("from_region_id")), str(p["team_id"]))):
        team, b = str(p["team_id"]), str(p["to_region_id"])
        a = None if p.get("from_region_id") is None else str(p["from_region_id"])
        tkey = node_key("Team", team)
        name = p.get("team_name") or (teams.at[team, "name"] if team in teams.index else team)
        G.add_node(tkey, label="Team", id=team, name=name, round_id=round_id)
        soft = soft_count(p.get("soft_conflicts"))
        soft_total += soft
        attrs = dict(type="CROSS_INSPECTS", team_id=team, name=name,
                     unit_count=len(p.get("unit_ids") or ()), cost=p.get("cost"),
                     soft_conflicts=soft,
                     reason=(p.get("reason_en") or p.get("reason")) if lang == "en"
                     else p.get("reason"))
        attrs = {k: v for k, v in attrs.items() if v is not None}
        start = node_key("Region", a) if a is not None else tkey
        G.add_edge(start, node_key("Region", b), key=team, **attrs)
        if soft > 0:
            red.append((start, node_key("Region", b), team))
        home = a if a is not None else b
        if a is not None:
            G.add_edge(tkey, node_key("Region", a), type="FROM_REGION")
        k = seen_home.get(home, 0)
        seen_home[home] = k + 1
        x, y = outer[home]
        positions[tkey] = (round(x + 60 * k, 1), round(y + 25 * k, 1))
    title = _t(f"交叉巡察轮换：轮次 {round_id}，{len(pairs)} 个巡察组、{len(order)} 个区域"
               f"（红色：有软冲突的配对，共 {soft_total} 条软冲突）",
               f"Cross-inspection rotation of {round_id}: {len(pairs)} teams, {len(order)} "
               f"regions (red: pairs with soft conflicts, {soft_total} in all)", lang)
    return ViewRequest("rotation", title, G, tuple(G.nodes), highlight_edges=tuple(red),
                       positions=positions)
