"""One entry point for every kind of view: ``view_request(source, focus)``.

``ViewSource`` holds the tables and builds what the views need only once and
only when asked (the property graph, the clusters, the lead networks), so
the report can write many views from one load.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pandas as pd

from linkgraph.errors import InputError
from linkgraph.rules import Rules
from linkgraph.views import kinds
from linkgraph.views.kinds import ViewRequest


@dataclass
class ViewSource:
    """Tables plus lazily computed graph and analyses (cached on first use)."""

    tables: Mapping[str, pd.DataFrame]
    rules: Rules | None = None
    as_of: dt.date | None = None
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def _get(self, name: str, make) -> Any:
        if name not in self._cache:
            self._cache[name] = make()
        return self._cache[name]

    @property
    def graph(self) -> nx.MultiDiGraph:
        from linkgraph.graph import build_graph

        return self._get("graph", lambda: build_graph(self.tables, self.rules))

    @property
    def clusters(self) -> list:
        from linkgraph.analysis.clusters import find_clusters

        return self._get("clusters", lambda: find_clusters(self.tables))

    @property
    def lead_networks(self) -> pd.DataFrame:
        from linkgraph.analysis.lead_networks import lead_networks

        return self._get("lead_networks", lambda: lead_networks(self.tables, as_of=self.as_of))

    def conflicts(self, round_id: str) -> list:
        from linkgraph.analysis.conflicts import find_conflicts

        return self._get(f"conflicts:{round_id}", lambda: find_conflicts(
            self.tables, round_id, rules=self.rules))

    def rotation_plan(self, round_id: str) -> dict:
        """The rotation plan's record (``plan_rotation(...).as_record()``)."""
        from linkgraph.rotation import RotationOptions, plan_rotation

        return self._get(f"rotation:{round_id}", lambda: plan_rotation(
            self.tables, round_id, RotationOptions()).as_record())

    def set(self, name: str, value: Any) -> None:
        """Provide a computed value (e.g. clusters the report already has)."""
        self._cache[name] = value


def check_round(tables: Mapping[str, pd.DataFrame], round_id: str | None) -> str:
    if not round_id:
        raise InputError("此视图需要 --round / this view needs --round R")
    if not (tables["rounds"]["round_id"] == round_id).any():
        from linkgraph.analysis.ledger import unknown_round

        raise InputError(unknown_round(tables["rounds"], round_id))
    return round_id


def view_request(source: ViewSource, focus: str | None, *, round_id: str | None = None,
                 hops: int | None = None, lang: str = "zh",
                 plan: Mapping[str, Any] | None = None) -> ViewRequest:
    """The request for ``focus`` (``None`` = overview; ``unit:U``,
    ``person:P``, ``portrait:P`` (一把手画像), ``cluster:C``, ``lead-network:N``, ``conflicts``,
    ``rotation``).  ``plan`` gives the rotation plan record directly."""
    if not focus:
        return kinds.overview(source.tables, lang=lang)
    kind, ident = kinds.parse_focus(focus)
    if kind == "unit":
        return kinds.unit_view(source.graph, ident, hops=hops, lang=lang)
    if kind == "person":
        return kinds.person_view(source.graph, ident, hops=hops, lang=lang)
    if kind == "portrait":
        from linkgraph.analysis import portrait as pt
        from linkgraph.rules import load_rules

        rules = source.rules if source.rules is not None else load_rules()
        p = pt.portrait(source.tables, rules, ident, source.as_of or dt.date.today())
        return kinds.portrait_view(pt.portrait_graph(source.tables, p, rules), p, lang=lang)
    if kind == "cluster":
        found = [c for c in source.clusters if c.cluster_id == ident]
        if not found:
            ids = ", ".join(c.cluster_id for c in source.clusters[:10]) or "—"
            raise InputError(f"没有共性问题群 {ident} / no cluster {ident!r} (有 / found: {ids})")
        return kinds.cluster_view(source.graph, found[0], lang=lang)
    if kind == "lead-network":
        nets = source.lead_networks
        row = nets[nets["network_id"] == ident]
        if row.empty:
            raise InputError(f"没有线索网络 {ident} / no lead network {ident!r} "
                             f"(如 / e.g. {', '.join(nets['network_id'].head(5)) or '—'})")
        return kinds.lead_network_view(source.graph, row.iloc[0].to_dict(), lang=lang)
    round_id = check_round(source.tables, round_id)
    if kind == "conflicts":
        return kinds.conflicts_view(source.graph, source.tables, round_id,
                                    source.conflicts(round_id), lang=lang)
    from linkgraph.views.kinds_rotation import rotation_view

    if plan is None:
        plan = source.rotation_plan(round_id)
    return rotation_view(source.tables, plan, round_id, lang=lang)
