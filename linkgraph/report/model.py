"""The report as plain frozen records (no HTML here).

``content.build_report`` fills them from the analyses; ``render`` draws
them as one HTML page and ``write_xlsx`` as one sheet per table.  Every
string is plain text, escaped only where it enters HTML.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Figure:
    """A key figure: ``label`` and ``value`` as text, ``detail`` under it."""

    key: str
    label: str
    value: str
    detail: str = ""


@dataclass(frozen=True)
class Table:
    """Rows of one analysis.  ``columns`` = (field, heading) pairs shown in
    the page (the workbook gets every field); ``limit`` rows are shown."""

    sheet: str
    caption: str
    columns: tuple[tuple[str, str], ...]
    rows: tuple[Mapping[str, Any], ...]
    limit: int = 30

    @property
    def shown(self) -> tuple[Mapping[str, Any], ...]:
        return self.rows[: self.limit]


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as printed beside the bar


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart (drawn as inline SVG)."""

    title: str
    bars: tuple[Bar, ...]
    max_value: float | None = None  # e.g. 1.0 for rates; None = the largest bar


@dataclass(frozen=True)
class Link:
    """A link to a view written beside index.html (``focus`` as in
    ``linkgraph view --focus``; None = the overview)."""

    text: str
    href: str
    focus: str | None = None
    round_id: str | None = None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    paragraphs: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()
    charts: tuple[Chart, ...] = ()
    tables: tuple[Table, ...] = ()
    links: tuple[Link, ...] = ()
    note: str = ""  # e.g. why the section is empty or skipped


@dataclass(frozen=True)
class ViewJob:
    """A view to write beside the report: ``linkgraph view --focus focus``."""

    href: str
    focus: str | None
    round_id: str | None = None


@dataclass(frozen=True)
class Report:
    title: str
    lang: str
    as_of: str
    figures: tuple[Figure, ...]
    sections: tuple[Section, ...]
    views: tuple[ViewJob, ...] = ()
    provenance: tuple[tuple[str, str], ...] = ()

    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]
