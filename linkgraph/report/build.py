"""What the report says: key figures, then one section per analysis.

``build_report(tables, options)`` runs the analyses (clusters, conflicts,
the rotation plan when a round is given, the 室组办 lead summary and
networks, the 巡审 gaps, rectification, priorities) and returns a
:class:`~linkgraph.report.model.Report`: plain records, no HTML.  Each
section is one module of ``linkgraph.report.sections``; the views it links
to are listed in ``Report.views``.
"""
from __future__ import annotations



from linkgraph.report.model import Report, ViewJob
from linkgraph.report.options import ReportOptions, default_round
from linkgraph.report.sections import (audit, clusters, conflicts, leads, priorities, rectification,
                                       rotation)
from linkgraph.report.sections.figures import key_figures
from linkgraph.report.words import t
from linkgraph.rules import Rules, load_rules
from linkgraph.schema import Tables
from linkgraph.views.focus import ViewSource


def build_report(tables: Tables, options: ReportOptions, rules: Rules | None = None,
                 source: ViewSource | None = None) -> Report:
    rules = rules if rules is not None else load_rules()
    source = source or ViewSource(tables, rules, options.as_of)
    lang = options.lang
    conflict_round = options.round_id or default_round(tables, options.as_of)
    found: dict = {}
    sections = [
        clusters.clusters(source, options, found),
        conflicts.conflicts(source, options, conflict_round, found),
        rotation.rotation(source, options),
        leads.leads(source, rules, options, found),
        audit.audit(tables, rules, options, found),
        rectification.rectification(tables, rules, options, found),
        priorities.priorities(tables, rules, options, found),
    ]
    views = [ViewJob("overview.html", None)] if options.views else []
    for s in sections:
        views += [ViewJob(link.href, link.focus, link.round_id) for link in s.links]
    title = t(f"巡察监督贯通分析报告（截至 {options.as_of}）",
              f"Inspection linkage report (as of {options.as_of})", lang)
    return Report(title=title, lang=lang, as_of=str(options.as_of),
                  figures=key_figures(tables, options, found), sections=tuple(sections),
                  views=tuple(dict.fromkeys(views)))
