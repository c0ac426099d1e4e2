"""One entry point for every kind of view: ``view_request(session, focus)``.

The views take what they draw from a :class:`linkgraph.session.Session`,
which builds the graph and runs each analysis only once and only when asked,
so the report can write many views from one load.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from linkgraph.errors import InputError
from linkgraph.session import Session
from linkgraph.views import kinds
from linkgraph.views.kinds import ViewRequest


#: The views' former name for the session (kept for existing callers).
ViewSource = Session


def check_round(tables: Mapping[str, pd.DataFrame], round_id: str | None) -> str:
    if not round_id:
        raise InputError("此视图需要 --round / this view needs --round R")
    if not (tables["rounds"]["round_id"] == round_id).any():
        from linkgraph.analysis.ledger import unknown_round

        raise InputError(unknown_round(tables["rounds"], round_id))
    return round_id


def view_request(source: Session, focus: str | None, *, round_id: str | None = None,
                 hops: int | None = None, lang: str = "zh",
                 plan: Mapping[str, Any] | None = None) -> ViewRequest:
    """The request for ``focus`` (``None`` = overview; ``unit:U``,
    ``person:P``, ``portrait:P`` (一把手画像), ``cluster:C``, ``lead-network:N``, ``team:T``
    (巡察组), ``conflicts``,
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

        p = source.portrait(ident)
        return kinds.portrait_view(pt.portrait_graph(source.tables, p, source.rules), p,
                                   lang=lang)
    if kind == "cluster":
        found = [c for c in source.clusters if c.cluster_id == ident]
        if not found:
            ids = ", ".join(c.cluster_id for c in source.clusters[:10]) or "—"
            raise InputError(f"没有共性问题群 {ident} / no cluster {ident!r} (有 / found: {ids})")
        return kinds.cluster_view(source.graph, found[0], lang=lang)
    if kind == "team":
        from linkgraph.views.kinds_team import team_view

        return team_view(source.graph, ident, lang=lang)
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
        plan = source.rotation_plan(round_id).as_record()
    return rotation_view(source.tables, plan, round_id, lang=lang)
