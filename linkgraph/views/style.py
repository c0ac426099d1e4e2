"""Fixed colours, shapes and sizes: one look per node label and edge type.

The same label always gets the same colour and shape in every view, so an
analyst who learnt that 问题 is a pink diamond does not relearn it per page.
Each (colour, shape) pair is distinct; colours alone are distinct too.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

#: CJK-capable font stack that needs no download (Linux, Windows, macOS).
FONT_STACK = ('"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", '
              '"PingFang SC", "WenQuanYi Micro Hei", "SimHei", sans-serif')


@dataclass(frozen=True)
class LabelStyle:
    color: str
    shape: str  # a vis-network shape with the label drawn below the symbol
    size: float  # base size before the degree bonus
    rank: int  # order in legends and tie-breaks (lower = more central)
    level: int  # folding level: 0 context hubs, 1 units/teams, 2 records, 3 sub-records


#: Label -> style.  Order = legend order.
LABEL_STYLES: dict[str, LabelStyle] = {
    "Region": LabelStyle("#8c564b", "hexagon", 20, 0, 0),
    "Unit": LabelStyle("#1f77b4", "square", 16, 1, 1),
    "Person": LabelStyle("#2ca02c", "dot", 12, 2, 2),
    "Round": LabelStyle("#9467bd", "triangleDown", 18, 3, 0),
    "Team": LabelStyle("#ff7f0e", "triangle", 16, 4, 1),
    "Problem": LabelStyle("#e377c2", "diamond", 10, 5, 2),
    "Category": LabelStyle("#bcbd22", "hexagon", 16, 6, 0),
    "Lead": LabelStyle("#d62728", "star", 14, 7, 3),
    "Department": LabelStyle("#17becf", "square", 16, 8, 0),
    "Measure": LabelStyle("#7fbf7b", "dot", 9, 9, 3),
    "AuditFinding": LabelStyle("#393b79", "diamond", 11, 10, 2),
    "Petition": LabelStyle("#c49c94", "triangleDown", 10, 11, 2),
    # not a graph label: the overview's sector-within-region hubs (系统)
    "Sector": LabelStyle("#6b6ecf", "dot", 14, 12, 0),
    # the 成果 and review records (issue 19)
    "Review": LabelStyle("#8c6d31", "square", 9, 13, 3),
    "Result": LabelStyle("#e7ba52", "star", 11, 14, 2),
    "Talk": LabelStyle("#6baed6", "dot", 9, 15, 2),
    "Visit": LabelStyle("#74c476", "triangle", 9, 16, 2),
    "SupervisionInfo": LabelStyle("#9e9ac8", "diamond", 9, 17, 2),
    "SelfCheck": LabelStyle("#fd8d3c", "square", 9, 18, 2),
}

UNKNOWN_STYLE = LabelStyle("#9e9e9e", "dot", 10, 99, 1)

#: Colour of highlighted (evidence-path) edges and node borders.
HIGHLIGHT = "#e41a1c"
EDGE_COLOR = "#9aa0a6"
SUMMARY_EDGE_COLOR = "#b0b0b0"

#: Edge types drawn dashed: ties and links between records of two sources.
DASHED_TYPES = frozenset({"TIE", "CORROBORATES", "ABOUT", "CONFLICT"})
EDGE_COLORS: dict[str, str] = {
    "TIE": "#8e6c8a",
    "MEMBER_OF": "#d9a066",
    "INSPECTS": "#d9a066",
    "TRANSFERRED_TO": "#c0706e",
    "CORROBORATES": "#5b6abf",
    "CROSS_INSPECTS": "#ff7f0e",
    "CONFLICT": "#e41a1c",
}


def label_style(label: str) -> LabelStyle:
    """The fixed style of a node label; unknown labels get a neutral grey dot."""
    return LABEL_STYLES.get(label, UNKNOWN_STYLE)


def label_rank(label: str) -> int:
    return label_style(label).rank


def label_level(label: str) -> int:
    return label_style(label).level


#: Labels that may be folded into summary nodes, first folded first: the
#: sub-records go before the records, and people go last.
FOLD_ORDER = ("Review", "Visit", "Talk", "SelfCheck", "SupervisionInfo", "Measure", "Petition",
              "AuditFinding", "Result", "Problem", "Lead", "Person")


def fold_priority(label: str) -> int | None:
    """Position in FOLD_ORDER, or None for labels never folded (hubs, units)."""
    return FOLD_ORDER.index(label) if label in FOLD_ORDER else None


def node_size(label: str, degree: int) -> float:
    """Base size per label, growing slowly (log) with the node's degree."""
    base = label_style(label).size
    return round(min(base + 3.0 * math.log2(1 + max(degree, 0)), base * 2.5), 1)


def edge_color(edge_type: str, highlight: bool) -> str:
    if highlight:
        return HIGHLIGHT
    return EDGE_COLORS.get(edge_type, EDGE_COLOR)


def lighten(color: str, amount: float = 0.6) -> str:
    """Mix a ``#rrggbb`` colour with white (summary nodes' fill)."""
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    mix = [round(c + (255 - c) * amount) for c in (r, g, b)]
    return "#" + "".join(f"{c:02x}" for c in mix)
