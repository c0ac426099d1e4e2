"""Horizontal bar charts as inline SVG text (no script, no font download).

Text is drawn with the page's CJK font stack, so Chinese labels render with
whatever CJK font the machine has (Noto CJK, Microsoft YaHei, PingFang…).
Every label goes through ``html.escape``; long labels are shortened on the
bar and given whole in a ``<title>`` (the browser's tooltip).
"""
from __future__ import annotations

import html

from linkgraph.report.model import Chart

WIDTH = 720
LABEL_WIDTH = 230
VALUE_WIDTH = 80
ROW = 24
BAR_COLOR = "#3b6ea8"
MAX_LABEL = 16


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def bar_chart(chart: Chart, lang: str = "zh") -> str:
    """The chart as an ``<svg>`` element (empty string for no bars); a bar's
    tooltip reads "label：value" (English: "label: value")."""
    if not chart.bars:
        return ""
    top = chart.max_value or max((b.value for b in chart.bars), default=0) or 1.0
    area = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    colon = ": " if lang == "en" else "："
    height = ROW * len(chart.bars) + 8
    parts = [f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
             f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
             f'aria-label="{_e(chart.title)}">']
    for i, b in enumerate(chart.bars):
        y = 4 + i * ROW
        w = max(0.0, min(1.0, b.value / top)) * area
        parts.append(
            f'<g><title>{_e(b.label)}{colon}{_e(b.text)}</title>'
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end">{_e(_short(b.label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{w:.1f}" height="{ROW - 8}" '
            f'fill="{BAR_COLOR}"/>'
            f'<text x="{LABEL_WIDTH + w + 6:.1f}" y="{y + 16}">{_e(b.text)}</text></g>')
    parts.append("</svg>")
    return "".join(parts)
