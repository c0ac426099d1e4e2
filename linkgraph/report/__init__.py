"""The report analysts open: one self-contained ``index.html`` (Chinese by
default) with the key figures and each analysis as tables and inline SVG
charts, ``report.xlsx`` with one sheet per analysis, and the views it links
to written beside it.

    from linkgraph.report import ReportOptions, build_report, write_report

    report = build_report(dataset.tables, ReportOptions(as_of=date(2026, 6, 30)))
    write_report(report, "out/", source=...)   # index.html, report.xlsx, views

``build_report`` is pure (records, no HTML); ``render.render_html`` draws it.
"""
from __future__ import annotations

from linkgraph.report.build import build_report
from linkgraph.report.model import Report
from linkgraph.report.options import ReportOptions
from linkgraph.report.write import write_report

__all__ = ["Report", "ReportOptions", "build_report", "write_report"]
