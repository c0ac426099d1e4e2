"""Interactive graph views: one self-contained HTML file per view.

Compute, then draw (STYLE.md item 8)::

    from linkgraph.views import build_view_spec, write_html

    spec = build_view_spec(G, nodes, title="某县第三轮巡察 · 单位与问题")
    write_html(spec, "view.html")

``build_view_spec`` is pure (no I/O, never changes ``G``); ``write_html`` is
the only code that touches pyvis.  ``label_style`` gives the fixed colour and
shape of each node label.
"""
from __future__ import annotations

from typing import Any

from linkgraph.views.build import DEFAULT_MAX_NODES, build_view_spec
from linkgraph.views.spec import Expansion, LegendEntry, ViewEdge, ViewNode, ViewSpec
from linkgraph.views.style import FONT_STACK, LABEL_STYLES, LabelStyle, label_style

__all__ = [
    "DEFAULT_MAX_NODES",
    "FONT_STACK",
    "LABEL_STYLES",
    "Expansion",
    "LabelStyle",
    "LegendEntry",
    "ViewEdge",
    "ViewNode",
    "ViewSpec",
    "build_view_spec",
    "label_style",
    "render_html",
    "write_html",
]


def write_html(spec: ViewSpec, target: Any) -> None:
    """Write ``spec`` as one self-contained UTF-8 HTML file (path or file object)."""
    from linkgraph.views.draw import write_html as _write

    _write(spec, target)


def render_html(spec: ViewSpec) -> str:
    """The HTML page for ``spec`` as a string."""
    from linkgraph.views.draw import render_html as _render

    return _render(spec)
