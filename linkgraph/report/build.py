"""What the report says: key figures, then one section per analysis.

``build_report(session, options)`` takes the analyses from the session
(clusters, conflicts, the rotation plan when a round is given, the 室组办
lead summary and networks, the 巡审 gaps, rectification, priorities) and
returns a :class:`~linkgraph.report.model.Report`: plain records, no HTML.
Each section is one module of ``linkgraph.report.sections``; the views it
links to are listed in ``Report.views`` and are written from the same
session, so nothing is computed twice.
"""
from __future__ import annotations

from linkgraph.report.model import Report, ViewJob
from linkgraph.report.options import ReportOptions, default_round
from linkgraph.report.sections import (audit, clusters, conflicts, leads, outcomes, priorities,
                                       rectification, roster, rotation)
from linkgraph.report.sections.figures import key_figures
from linkgraph.report.words import t
from linkgraph.rules import Rules
from linkgraph.schema import Tables
from linkgraph.session import Session


def build_report(data: Session | Tables, options: ReportOptions,
                 rules: Rules | None = None) -> Report:
    """The report of ``data``: a session (whose as-of date must be the
    options'), or the tables, for which a session is made with ``rules``."""
    session = data if isinstance(data, Session) else Session(data, rules, options.as_of)
    if session.as_of != options.as_of:
        raise ValueError(f"the session is as of {session.as_of}, the report as of "
                         f"{options.as_of}")
    lang = options.lang
    conflict_round = options.round_id or default_round(session.tables, options.as_of)
    sections = [
        clusters.clusters(session, options),
        conflicts.conflicts(session, options, conflict_round),
        rotation.rotation(session, options),
        roster.roster(session, options),
        leads.leads(session, options),
        audit.audit(session, options),
        rectification.rectification(session, options),
        outcomes.results_section(session, options),
        outcomes.warnings_section(session, options),
        priorities.priorities(session, options),
    ]
    views = [ViewJob("overview.html", None)] if options.views else []
    for s in sections:
        views += [ViewJob(link.href, link.focus, link.round_id) for link in s.links]
    title = t(f"巡察监督贯通分析报告（截至 {options.as_of}）",
              f"Inspection linkage report (as of {options.as_of})", lang)
    return Report(title=title, lang=lang, as_of=str(options.as_of),
                  figures=key_figures(session, options, conflict_round),
                  sections=tuple(sections), views=tuple(dict.fromkeys(views)))
