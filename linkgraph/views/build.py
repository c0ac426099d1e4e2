"""``build_view_spec``: a subgraph -> a :class:`ViewSpec` (pure, no HTML).

Compute, then draw (STYLE.md item 8): this module picks nodes, folds what
does not fit, colours, sizes, tooltips and positions; ``draw.py`` only turns
the spec into a page.  The input graph is never changed.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace
from typing import Any

import networkx as nx

from linkgraph.views import text as tx
from linkgraph.views.aggregate import Selection, select
from linkgraph.views.expand import neighbourhoods
from linkgraph.views.layout import force_layout
from linkgraph.views.records import (
    edges_between,
    graph_edge,
    graph_node,
    is_highlighted,
    node_label,
    normalise_highlights,
    sort_key,
    summary_edges,
    summary_node,
)
from linkgraph.views.spec import LegendEntry, ViewEdge, ViewNode, ViewSpec
from linkgraph.views.style import EDGE_COLORS, HIGHLIGHT, label_rank, label_style

DEFAULT_MAX_NODES = 1500
#: Views up to this many drawn nodes settle with in-browser physics (bounded).
#: None by default: every view ships positions laid out with its labels
#: (layout.py), which vis-network's physics, blind to labels, would undo.
PHYSICS_LIMIT = 0


def build_view_spec(
    G: nx.Graph,
    nodes: Iterable[Any],
    *,
    title: str,
    highlight_edges: Iterable[tuple] = (),
    highlight_nodes: Iterable[Any] = (),
    max_nodes: int = DEFAULT_MAX_NODES,
    seed: int = 0,
    lang: str = "zh",
    expand_limit: int = 25,
    max_embedded: int = 2000,
    physics_limit: int = PHYSICS_LIMIT,
    sizes: Mapping[Any, float] | None = None,
    positions: Mapping[Any, tuple[float, float]] | None = None,
) -> ViewSpec:
    """The view of ``nodes`` (keys of ``G``) and the edges among them.

    ``highlight_edges`` holds ``(u, v)`` pairs (either direction) or exact
    ``(u, v, key)`` triples, drawn red and thick; their ends and
    ``highlight_nodes`` are never folded away.  Above ``max_nodes`` nodes,
    leaves are folded into summary nodes (see ``aggregate.py``) and the notes
    say what was left out.  Each drawn node embeds up to ``expand_limit``
    hidden neighbours (``max_embedded`` in all) for double-click expansion.
    ``sizes`` overrides the drawn size of some nodes (e.g. by problem
    count); ``positions`` fixes nodes' places (e.g. a ring): when every drawn
    node has one, no layout runs and physics stays off.
    Same graph, nodes and ``seed`` -> an equal spec (and byte-identical HTML).
    """
    if lang not in tx.LANGS:
        raise ValueError(f"lang must be one of {tx.LANGS}, got {lang!r}")
    keys = _checked_keys(G, nodes)
    pairs, triples = normalise_highlights(highlight_edges)
    hl_nodes = set(highlight_nodes) & set(keys)
    protected = hl_nodes | {x for p in pairs | triples for x in p[:2] if x in G}
    nbrs = _neighbour_map(G, keys)
    sel = select(keys, nbrs, lambda n: node_label(G, n), max_nodes=max_nodes, protected=protected)
    drawn = [graph_node(G, k, lang, highlight=k in hl_nodes) for k in sel.visible]
    if sizes:
        drawn = [replace(n, size=float(sizes[k])) if k in sizes else n
                 for n, k in zip(drawn, sel.visible)]
    texts = {n.id: n.text for n in drawn}
    summaries = [summary_node(g, texts.get(str(g.anchor), ""), lang) for g in sel.groups]
    edges = _edges(G, sel, lang, pairs, triples, texts)
    physics = len(drawn) + len(summaries) <= physics_limit
    fixed = {str(k): xy for k, xy in (positions or {}).items()}
    if fixed and all(n.id in fixed for n in drawn + summaries):
        all_nodes = tuple(replace(n, x=round(float(fixed[n.id][0]), 1),
                                  y=round(float(fixed[n.id][1]), 1)) for n in drawn + summaries)
        physics = False
    else:
        all_nodes = _place(drawn + summaries, edges, seed)

    def rank(k):
        return (label_rank(node_label(G, k)), str(k))

    extra_nodes, extra_edges, expansions = neighbourhoods(
        G, sel.visible, sel.groups, rank, texts, lang=lang, limit=expand_limit,
        budget=max_embedded)
    return ViewSpec(
        title=tx.clean(title), lang=lang, nodes=all_nodes, edges=edges,
        legend=_legend(all_nodes, extra_nodes, edges, lang),
        notes=_notes(len(keys), sel, sum(not e.summary for e in edges), expand_limit, lang),
        seed=seed, physics=physics, selected=len(keys), shown=len(sel.visible),
        extra_nodes=extra_nodes, extra_edges=extra_edges, expansions=expansions,
    )


def _checked_keys(G: nx.Graph, nodes: Iterable[Any]) -> list[Any]:
    keys = sorted(set(nodes), key=str)
    missing = [k for k in keys if k not in G]
    if missing:
        shown = ", ".join(repr(k) for k in missing[:5])
        raise ValueError(f"{len(missing)} node(s) not in the graph: {shown}")
    return keys


def _neighbour_map(G: nx.Graph, keys: Collection[Any]) -> dict[Any, set[Any]]:
    inside = set(keys)
    out: dict[Any, set[Any]] = {}
    for k in keys:
        around = nx.all_neighbors(G, k) if G.is_directed() else G.neighbors(k)
        out[k] = {v for v in around if v in inside and v != k}
    return out


def _edges(G: nx.Graph, sel: Selection, lang: str, pairs: set, triples: set,
           texts: dict[str, str]) -> tuple[ViewEdge, ...]:
    """Edges among drawn nodes (each once), then those of the summary nodes."""
    visible = set(sel.visible)
    found = {sort_key(e): e for u in sel.visible for e in edges_between(G, u, visible)}
    out = [graph_edge(G, found[k], f"e{i}", lang, is_highlighted(found[k], pairs, triples), texts)
           for i, k in enumerate(sorted(found))]
    folded = [e for g in sel.groups for e in summary_edges(G, g, visible, lang)]
    out += [replace(e, id=f"s{i}") for i, e in enumerate(folded)]
    return _curve_parallels(out)


def _curve_parallels(edges: list[ViewEdge]) -> tuple[ViewEdge, ...]:
    """Bend the 2nd, 3rd... edge between one pair so parallel edges show."""
    seen: Counter = Counter()
    out = []
    for e in edges:
        pair = tuple(sorted((e.source, e.target)))
        k = seen[pair]
        seen[pair] += 1
        if k:
            sign = 1 if k % 2 else -1
            bend = sign * 0.2 * ((k + 1) // 2)
            e = replace(e, curve=bend if e.source <= e.target else -bend)
        out.append(e)
    return tuple(out)


def _place(nodes: list[ViewNode], edges: tuple[ViewEdge, ...], seed: int) -> tuple[ViewNode, ...]:
    index = {n.id: i for i, n in enumerate(nodes)}
    pairs = [(index[e.source], index[e.target]) for e in edges]
    pos = force_layout(len(nodes), pairs, seed=seed, radii=[n.size for n in nodes],
                       labels=[n.text for n in nodes])
    return tuple(replace(n, x=x, y=y) for n, (x, y) in zip(nodes, pos))


def _legend(nodes: tuple[ViewNode, ...], extra: tuple[ViewNode, ...], edges: tuple[ViewEdge, ...],
            lang: str) -> tuple[LegendEntry, ...]:
    """One entry per label drawn or embedded (count = drawn graph nodes)."""
    counts: dict[str, int] = defaultdict(int)
    folded: dict[str, int] = defaultdict(int)
    for n in nodes + extra:
        counts[n.label] += 0
    for n in nodes:
        counts[n.label] += 0 if n.is_summary else 1
        folded[n.label] += n.members
    out = [LegendEntry(lb, tx.label_name(lb, lang), label_style(lb).color, label_style(lb).shape,
                       counts[lb], folded=folded[lb])
           for lb in sorted(counts, key=lambda lb: (label_rank(lb), lb))]
    if any(e.highlight for e in edges):
        out.append(LegendEntry("highlight", tx.ui("highlight", lang), HIGHLIGHT, "line",
                               sum(e.highlight for e in edges), "edge"))
    dashed = sorted({e.type for e in edges if e.dashed and e.type and not (e.highlight or e.summary)})
    for t in dashed:
        out.append(LegendEntry(t, tx.edge_name(t, lang), EDGE_COLORS.get(t, "#9aa0a6"), "dashed",
                               sum(e.type == t and not e.summary for e in edges), "edge"))
    return tuple(out)


def _notes(selected: int, sel: Selection, n_edges: int, limit: int, lang: str) -> tuple[str, ...]:
    c = tx.count
    shown = len(sel.visible)
    if lang == "en":
        notes = [f"Showing {c(shown)} / {c(selected)} nodes and {c(n_edges)} links"]
        if sel.groups:
            notes[0] += "; the rest are folded into summary nodes"
            notes.append(f"{c(sel.hidden('folded', 'isolated'))} nodes folded into "
                         f"{c(sum(g.kind != 'dropped' for g in sel.groups))} summary nodes")
        if sel.hidden("dropped"):
            notes.append(f"{c(sel.hidden('dropped'))} nodes left out by the cap "
                         f"(kept the best-connected ones)")
        notes.append(f"Double-click a node to add up to {limit} hidden neighbours; again to remove them")
        return tuple(notes)
    notes = [f"显示 {c(shown)} / {c(selected)} 个节点、{c(n_edges)} 条关系"]
    if sel.groups:
        notes[0] += "，其余已聚合"
        notes.append(f"已将 {c(sel.hidden('folded', 'isolated'))} 个节点聚合为 "
                     f"{c(sum(g.kind != 'dropped' for g in sel.groups))} 个汇总节点")
    if sel.hidden("dropped"):
        notes.append(f"另有 {c(sel.hidden('dropped'))} 个节点超出上限未显示（保留关系最多的节点）")
    notes.append(f"双击节点可展开最多 {limit} 个未显示的邻居，再次双击收起")
    return tuple(notes)

