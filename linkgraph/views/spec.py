"""What a graph view shows, as plain frozen records (no drawing here).

``build_view_spec`` (in ``build.py``) computes a :class:`ViewSpec` from a
graph; ``write_html`` (in ``draw.py``) draws one.  Every string in a spec is
*plain text*: it is escaped where it enters HTML (``tooltip_html`` for markup,
``draw.json_for_script`` for the embedded data, ``textContent`` in the page's
script), never earlier, so nothing is escaped twice.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field

#: One tooltip row: (field name as the user reads it, value as text).
TooltipRow = tuple[str, str]


def rows_to_html(rows: tuple[TooltipRow, ...]) -> str:
    """Tooltip rows as escaped HTML (``<b>field</b>: value<br>``...)."""
    return "<br>".join(
        f"<b>{html.escape(k)}</b>: {html.escape(v)}" for k, v in rows
    )


@dataclass(frozen=True)
class ViewNode:
    """One node as drawn.

    ``id`` is the graph key (``"Unit:U001"``) or, for a summary node, a
    synthetic key starting with ``"agg:"``.  ``label`` is the graph label
    (``Unit``); ``text`` the short display text; ``tooltip`` the record's
    fields.  ``members`` > 0 marks a summary node standing for that many
    graph nodes (``"+37 个问题"``).
    """

    id: str
    label: str
    text: str
    color: str
    shape: str
    size: float
    tooltip: tuple[TooltipRow, ...]
    search: str = ""  # full name/id text the search box matches
    x: float | None = None
    y: float | None = None
    group: str = ""
    highlight: bool = False
    members: int = 0

    @property
    def is_summary(self) -> bool:
        return self.members > 0

    @property
    def tooltip_html(self) -> str:
        return rows_to_html(self.tooltip)


@dataclass(frozen=True)
class ViewEdge:
    """One edge as drawn; ``source``/``target`` are node ids (vis: from/to)."""

    id: str
    source: str
    target: str
    type: str
    text: str
    color: str
    width: float
    dashed: bool
    highlight: bool
    tooltip: tuple[TooltipRow, ...]
    curve: float = 0.0  # roundness for parallel edges (0 = straight)
    summary: bool = False  # joins a summary node (drawn grey and dashed)

    @property
    def tooltip_html(self) -> str:
        return rows_to_html(self.tooltip)


@dataclass(frozen=True)
class LegendEntry:
    """A legend line: a node label (clickable) or an edge style."""

    key: str  # node label ("Unit") or edge style key ("highlight", "TIE")
    text: str  # 单位 / Unit
    color: str
    shape: str  # vis shape for nodes, "line" / "dashed" for edges
    count: int = 0  # drawn as themselves
    kind: str = "node"  # "node" or "edge"
    folded: int = 0  # graph nodes of this label inside summary nodes


@dataclass(frozen=True)
class Expansion:
    """What double-clicking ``node`` adds; a second double-click removes it.

    ``nodes`` and ``edges`` are ids into ``ViewSpec.extra_nodes`` /
    ``extra_edges`` (an edge is added once both its ends are drawn);
    ``omitted`` counts neighbours that exist in the graph but were not
    embedded because of the caps.
    """

    node: str
    nodes: tuple[str, ...]
    edges: tuple[str, ...]
    omitted: int = 0


@dataclass(frozen=True)
class ViewSpec:
    title: str
    lang: str
    nodes: tuple[ViewNode, ...]
    edges: tuple[ViewEdge, ...]
    legend: tuple[LegendEntry, ...]
    notes: tuple[str, ...]
    seed: int = 0
    physics: bool = True  # bounded stabilisation in the browser, then off
    stabilization_iterations: int = 150
    selected: int = 0  # nodes asked for
    shown: int = 0  # graph nodes drawn (summary nodes not counted)
    extra_nodes: tuple[ViewNode, ...] = ()
    extra_edges: tuple[ViewEdge, ...] = ()
    expansions: tuple[Expansion, ...] = field(default_factory=tuple)
    #: Where the view came from (来源): (item, value) rows shown in the page's
    #: footer and embedded as JSON — input hashes, version, command, time.
    provenance: tuple[TooltipRow, ...] = ()
    #: (text, relative href) links in the header, e.g. back to the report
    links: tuple[tuple[str, str], ...] = ()

    def node(self, node_id: str) -> ViewNode:
        for n in self.nodes:
            if n.id == node_id:
                return n
        for n in self.extra_nodes:
            if n.id == node_id:
                return n
        raise KeyError(node_id)
