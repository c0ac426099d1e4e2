"""What each kind of view shows: a :class:`ViewRequest` (a graph, the nodes
to draw, what to highlight) built from the tables or the property graph.

Pure functions, no drawing: ``linkgraph view``, the report and the demo turn
a request into a spec with :func:`request_spec` and write it with
``write_html``.  The kinds:

* ``overview``  regions → sectors → units, sized by problem counts
  (:func:`overview`, no property graph needed);
* ``unit`` / ``person``  a node's neighbourhood in the property graph,
  stopping at hubs (:func:`ego`);
* ``cluster``  a systemic cluster's units, problems, category and the
  departments that should own the fix (:func:`cluster_view`);
* ``lead-network``  a lead network's leads, people, units, problems and the
  ties that join them (:func:`lead_network_view`);
* ``conflicts``  a round's teams, inspectors, target units and every
  conflict's evidence path in red (:func:`conflicts_view`);
* ``rotation``  a cross-inspection plan as a ring of regions
  (:func:`rotation_view`, in ``kinds_rotation.py``).
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pandas as pd

from linkgraph.catalogue import label, relation_label
from linkgraph.errors import InputError
from linkgraph.model import node_key
from linkgraph.schema import Tables


#: Labels a neighbourhood walk does not pass through (it shows them but does
#: not continue from them): one region or category links thousands of nodes.
HUB_LABELS = frozenset({"Region", "Category", "Round", "Department", "Sector"})
DEFAULT_HOPS = {"unit": 2, "person": 1}


@dataclass(frozen=True)
class ViewRequest:
    """A view before layout: ``G`` and the keys of ``nodes`` to draw."""

    kind: str
    title: str
    G: nx.Graph
    nodes: tuple[Any, ...]
    highlight_edges: tuple[tuple, ...] = ()
    highlight_nodes: tuple[Any, ...] = ()
    sizes: Mapping[Any, float] = field(default_factory=dict)
    positions: Mapping[Any, tuple[float, float]] = field(default_factory=dict)


def request_spec(req: ViewRequest, *, max_nodes: int, seed: int, lang: str,
                 provenance: Sequence[tuple[str, str]] = ()):
    """The :class:`ViewSpec` of a request (with its provenance rows)."""
    from dataclasses import replace

    from linkgraph.views import build_view_spec

    spec = build_view_spec(req.G, req.nodes, title=req.title,
                           highlight_edges=req.highlight_edges,
                           highlight_nodes=req.highlight_nodes, max_nodes=max_nodes,
                           seed=seed, lang=lang, sizes=req.sizes or None,
                           positions=req.positions or None)
    return replace(spec, provenance=tuple((str(k), str(v)) for k, v in provenance))


def _t(zh: str, en: str, lang: str) -> str:
    return en if lang == "en" else zh


def scaled_size(value: float, top: float, low: float = 10.0, high: float = 42.0) -> float:
    """Drawn size growing with the square root of ``value`` (area ∝ value)."""
    if top <= 0 or value <= 0:
        return low
    return round(low + (high - low) * math.sqrt(min(value, top) / top), 1)


# ---- overview -----------------------------------------------------------------------

def region_depths(regions: pd.DataFrame) -> dict[str, int]:
    """Depth of every region in the parent_id tree (roots 0; cycles cut)."""
    parent = dict(zip(regions["region_id"], regions["parent_id"]))
    depth: dict[str, int] = {}
    for rid in sorted(parent):
        chain, cur = [], rid
        while cur in parent and cur not in depth and cur not in chain:
            chain.append(cur)
            cur = parent[cur]
        base = depth.get(cur, -1) if cur in depth else -1
        for i, r in enumerate(reversed(chain)):
            depth[r] = base + 1 + i
    return depth


def overview_level(depths: Mapping[str, int], max_regions: int = 40) -> int:
    """The deepest level with at most ``max_regions`` regions (at least 0)."""
    best = 0
    for d in sorted(set(depths.values())):
        if sum(1 for v in depths.values() if v == d) <= max_regions:
            best = d
        else:
            break
    return best


def overview(tables: Tables, *, lang: str = "zh", units_per_sector: int = 3,
             max_regions: int = 40) -> ViewRequest:
    """Regions down to the deepest level with at most ``max_regions`` regions,
    then one sector node per (region, sector), then the ``units_per_sector``
    units with most problems of each; every node sized by its problems.
    The other units are in the graph, so double-clicking a sector shows them."""
    regions, units = tables["regions"], tables["units"]
    depths = region_depths(regions)
    level = overview_level(depths, max_regions)
    parent = dict(zip(regions["region_id"], regions["parent_id"]))

    def anchor(rid: Any) -> str | None:
        seen = set()
        while isinstance(rid, str) and depths.get(rid, -1) > level and rid not in seen:
            seen.add(rid)
            rid = parent.get(rid)
        return rid if isinstance(rid, str) and rid in depths else None

    problems = tables["problems"]["unit_id"].value_counts()
    u = units.assign(problems=units["unit_id"].map(problems).fillna(0).astype(int),
                     anchor=units["region_id"].map(anchor),
                     sector_name=units["sector"].fillna(_t("未注明", "unspecified", lang)))
    G = nx.MultiDiGraph()
    shown_regions = sorted(r for r, d in depths.items() if d <= level)
    region_names = dict(zip(regions["region_id"], regions["name"]))
    region_problems = u.groupby("anchor")["problems"].sum()
    region_units = u.groupby("anchor").size()
    for r in shown_regions:
        row = regions[regions["region_id"] == r].iloc[0]
        G.add_node(node_key("Region", r), label="Region", id=r, name=row["name"],
                   level=row.get("level"), units=int(region_units.get(r, 0)),
                   problems=int(region_problems.get(r, 0)))
    for r in shown_regions:
        p = parent.get(r)
        if isinstance(p, str) and p in depths:
            G.add_edge(node_key("Region", r), node_key("Region", p), type="PART_OF")
    sizes: dict[str, float] = {}
    chosen: list[str] = [node_key("Region", r) for r in shown_regions]
    groups = u.dropna(subset=["anchor"]).groupby(["anchor", "sector_name"], sort=True)
    top = max([int(g["problems"].sum()) for _, g in groups] or [0])
    top_unit = int(u["problems"].max()) if len(u) else 0
    for (r, sector), g in groups:
        skey = f"Sector:{r}/{sector}"
        total = int(g["problems"].sum())
        G.add_node(skey, label="Sector", id=f"{r}/{sector}",
                   name=f"{sector} · {region_names.get(r, r)}", sector=sector,
                   region_id=r, units=len(g), problems=total)
        G.add_edge(skey, node_key("Region", r), type="IN_REGION")
        chosen.append(skey)
        sizes[skey] = scaled_size(total, top, 12, 48)
        ranked = g.sort_values(["problems", "unit_id"], ascending=[False, True])
        for i, row in enumerate(ranked.itertuples(index=False)):
            ukey = node_key("Unit", row.unit_id)
            G.add_node(ukey, label="Unit", id=row.unit_id, name=row.name, sector=row.sector,
                       region_id=row.region_id, level=row.level, problems=int(row.problems))
            G.add_edge(ukey, skey, type="IN_SECTOR")
            sizes[ukey] = scaled_size(row.problems, top_unit, 8, 30)
            if i < units_per_sector:
                chosen.append(ukey)
    title = _t(f"总览：{len(shown_regions)} 个区域、{len(units):,} 个单位（按问题数大小）",
               f"Overview: {len(shown_regions)} regions, {len(units):,} units (sized by "
               "problems)", lang)
    return ViewRequest("overview", title, G, tuple(chosen), sizes=sizes)


# ---- neighbourhoods in the property graph ------------------------------------------------

def parse_focus(text: str) -> tuple[str, str]:
    """``unit:U1`` -> ("unit", "U1"); ``conflicts`` -> ("conflicts", "")."""
    kind, _, ident = text.partition(":")
    kind = kind.strip().lower()
    kinds = ("unit", "person", "portrait", "cluster", "lead-network", "team", "conflicts",
             "rotation")
    if kind not in kinds:
        raise InputError(f"未知的视图焦点 / unknown focus {text!r}; 可用 / use: unit:U, "
                         "person:P, portrait:P, cluster:C, lead-network:N, team:T, conflicts, "
                         "rotation")
    if kind in ("unit", "person", "portrait", "cluster", "lead-network", "team") \
            and not ident.strip():
        raise InputError(f"{kind} 需要编码，如 {kind}:X1 / {kind} needs an id, e.g. {kind}:X1")
    return kind, ident.strip()


def ego(G: nx.Graph, start: Any, hops: int, *, stop: Iterable[str] = HUB_LABELS) -> list[Any]:
    """``start`` and every node within ``hops`` links of it, walking through
    neither hubs (``stop`` labels) nor nodes without a label."""
    stop = frozenset(stop)
    seen = {start: 0}
    frontier = [start]
    for d in range(1, hops + 1):
        nxt = []
        for u in frontier:
            if u != start and G.nodes[u].get("label") in stop:
                continue
            around = nx.all_neighbors(G, u) if G.is_directed() else G.neighbors(u)
            for v in sorted(set(around), key=str):
                if v not in seen and "label" in G.nodes[v]:
                    seen[v] = d
                    nxt.append(v)
        frontier = nxt
    return sorted(seen, key=str)


def _need(G: nx.Graph, key: str, what: str) -> None:
    if key not in G or "label" not in G.nodes[key]:
        raise InputError(f"数据中没有{what} / no {key} in the data")


def unit_view(G: nx.Graph, unit_id: str, *, hops: int | None = None,
              lang: str = "zh") -> ViewRequest:
    key = node_key("Unit", unit_id)
    _need(G, key, "该单位")
    name = G.nodes[key].get("name", unit_id)
    h = DEFAULT_HOPS["unit"] if hops is None else hops
    title = _t(f"单位：{name}（{unit_id}）· {h} 步以内", f"Unit {name} ({unit_id}) · {h} hops",
               lang)
    return ViewRequest("unit", title, G, tuple(ego(G, key, h)), highlight_nodes=(key,))


def person_view(G: nx.Graph, person_id: str, *, hops: int | None = None,
                lang: str = "zh") -> ViewRequest:
    key = node_key("Person", person_id)
    _need(G, key, "该人员")
    name = G.nodes[key].get("name", person_id)
    h = DEFAULT_HOPS["person"] if hops is None else hops
    title = _t(f"人员：{name}（{person_id}）· 任职、社会关系、巡察组",
               f"Person {name} ({person_id}) · posts, ties, teams", lang)
    return ViewRequest("person", title, G, tuple(ego(G, key, h)), highlight_nodes=(key,))


def portrait_view(G: nx.Graph, portrait: Any, *, lang: str = "zh") -> ViewRequest:
    """一把手 portrait (``linkgraph.analysis.portrait``) as a view; ``G`` is
    ``portrait_graph(...)`` or the whole property graph."""
    from linkgraph.analysis.portrait import portrait_nodes

    pid, name = portrait.person["person_id"], portrait.person["name"]
    me = node_key("Person", pid)
    title = _t(f"一把手画像 · {name}({pid})", f"Top-leader portrait · {name} ({pid})", lang)
    return ViewRequest("portrait", title, G, tuple(k for k in portrait_nodes(portrait) if k in G),
                       highlight_nodes=(me,) if me in G else ())


def cluster_view(G: nx.Graph, cluster: Any, *, lang: str = "zh") -> ViewRequest:
    """A ``linkgraph.analysis.clusters.Cluster``: its units and problems, the
    category, the departments that should own the fix (highlighted)."""
    keys = [node_key("Unit", u) for u in cluster.unit_ids]
    keys += [node_key("Problem", q) for q in cluster.problem_ids]
    keys += [node_key("Department", d) for d in cluster.dept_ids]
    if cluster.category:
        keys.append(node_key("Category", cluster.category))
    keys = [k for k in dict.fromkeys(keys) if k in G]
    depts = tuple(node_key("Department", d) for d in cluster.dept_ids
                  if node_key("Department", d) in G)
    title = _t(f"共性问题 {cluster.cluster_id}：{cluster.label}",
               f"Systemic cluster {cluster.cluster_id}: {cluster.label_en or cluster.label}", lang)
    return ViewRequest("cluster", title, G, tuple(keys), highlight_nodes=depts)


def lead_network_view(G: nx.Graph, network: Mapping[str, Any], *,
                      lang: str = "zh") -> ViewRequest:
    """A row of ``lead_networks``: the leads, their people, units, problems
    and receiving departments; the ties between the people drawn red."""
    leads = [node_key("Lead", x) for x in network["lead_ids"]]
    people = [node_key("Person", p) for p in network["person_ids"]]
    keys = leads + people + [node_key("Unit", u) for u in network["unit_ids"]]
    for lead in leads:
        if lead in G:
            for v in nx.all_neighbors(G, lead):
                if G.nodes[v].get("label") in ("Problem", "Department", "Person", "Unit"):
                    keys.append(v)
    keys = [k for k in dict.fromkeys(keys) if k in G]
    ties = [(a, b) for a in people for b in people if a < b and a in G and b in G
            and (G.has_edge(a, b) or G.has_edge(b, a))]
    title = _t(f"线索关联网络 {network['network_id']}：{network['why']}",
               f"Lead network {network['network_id']}: {network.get('why_en') or network['why']}",
               lang)
    return ViewRequest("lead-network", title, G, tuple(keys), highlight_edges=tuple(ties))


def conflicts_view(G: nx.Graph, tables: Tables, round_id: str, conflicts: Sequence[Any], *,
                   lang: str = "zh") -> ViewRequest:
    """The round's teams, their members, the assigned units and every
    conflict's evidence path (``Conflict.path``) in red.  A step of a path
    that is no edge of the graph (e.g. 本地巡本地: region → unit in a sub-region)
    is drawn as a CONFLICT link carrying the explanation."""
    teams = tables["teams"]
    teams = teams[teams["round_id"] == round_id]
    if teams.empty:
        raise InputError(f"轮次 {round_id} 没有巡察组 / round {round_id} has no teams")
    H = nx.MultiDiGraph(names_from=G)
    keys: list[str] = []
    team_keys = [node_key("Team", t) for t in teams["team_id"]]
    members = tables["team_members"]
    members = members[members["team_id"].isin(set(teams["team_id"]))]
    assigned = tables["assignments"]
    assigned = assigned[assigned["round_id"] == round_id]
    keys += team_keys + [node_key("Person", p) for p in members["person_id"]]
    keys += [node_key("Unit", u) for u in assigned["unit_id"]]
    for c in conflicts:
        keys += list(c.path)
    keys = [k for k in dict.fromkeys(keys) if k in G and "label" in G.nodes[k]]
    H.add_nodes_from((k, G.nodes[k]) for k in keys)
    inside = set(keys)
    for k in keys:
        for _a, b, ek, d in G.out_edges(k, keys=True, data=True):
            if b in inside:
                H.add_edge(k, b, key=ek, **d)
    red: list[tuple] = []
    for c in conflicts:
        steps = [s for s in c.path if s in inside]
        for a, b in zip(steps, steps[1:]):
            if not (H.has_edge(a, b) or H.has_edge(b, a)):
                en = lang == "en"
                H.add_edge(a, b, key=f"conflict:{c.person_id}:{c.unit_id}", type="CONFLICT",
                           level_zh=label("conflict_level", c.level, lang),
                           relation_zh=relation_label(c.relation, "en") if en else c.relation_zh,
                           explanation=(c.explanation_en or c.explanation) if en
                           else c.explanation)
            red.append((a, b))
    n_hard = sum(c.level == "hard" for c in conflicts)
    title = _t(f"熟人社会：轮次 {round_id} 的巡察组与被巡察单位（回避 {n_hard} 条、提示 "
               f"{len(conflicts) - n_hard} 条，红线为证据路径）",
               f"Conflicts of round {round_id}: {n_hard} hard, {len(conflicts) - n_hard} "
               "soft (evidence paths in red)", lang)
    return ViewRequest("conflicts", title, H, tuple(keys), highlight_edges=tuple(red))
