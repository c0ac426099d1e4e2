"""The key figures at the top of the report."""
from __future__ import annotations


import pandas as pd

from linkgraph.report.model import Figure
from linkgraph.report.options import ReportOptions
from linkgraph.report.words import pct, t
from linkgraph.schema import Tables


def key_figures(tables: Tables, options: ReportOptions, found: dict) -> tuple[Figure, ...]:
    lang = options.lang
    units = tables["units"]
    rounds = tables["rounds"]
    started = set(rounds.loc[~(rounds["start"] > pd.Timestamp(options.as_of)), "round_id"])
    a = tables["assignments"]
    inspected = a.loc[a["round_id"].isin(started), "unit_id"].nunique()
    leads = found.get("lead_totals", {})
    rect = found.get("rect_total", {})
    n_leads = int(leads.get("leads", 0))
    closed = int(leads.get("closed", 0))
    figs = [
        Figure("units_inspected", t("已巡察单位", "Units inspected", lang), f"{inspected:,}",
               t(f"共 {len(units):,} 个单位，占 {pct(inspected / len(units) if len(units) else None)}",
                 f"of {len(units):,} units ({pct(inspected / len(units) if len(units) else None)})",
                 lang)),
        Figure("problems", t("发现问题", "Problems found", lang), f"{len(tables['problems']):,}",
               t(f"{tables['problems']['unit_id'].nunique():,} 个单位",
                 f"in {tables['problems']['unit_id'].nunique():,} units", lang)),
        Figure("leads", t("移交线索", "Leads transferred", lang), f"{n_leads:,}",
               t(f"办结 {closed:,}（{pct(closed / n_leads if n_leads else None)}），超期 "
                 f"{int(leads.get('overdue', 0)):,}",
                 f"closed {closed:,} ({pct(closed / n_leads if n_leads else None)}), overdue "
                 f"{int(leads.get('overdue', 0)):,}", lang)),
        Figure("rectification", t("整改完成率", "Rectification rate", lang),
               pct(rect.get("rate")),
               t(f"{int(rect.get('rectified', 0)):,}/{int(rect.get('problems', 0)):,} 个问题，超期措施 "
                 f"{int(rect.get('overdue_measures', 0)):,} 项",
                 f"{int(rect.get('rectified', 0)):,}/{int(rect.get('problems', 0)):,} problems, "
                 f"{int(rect.get('overdue_measures', 0)):,} measures overdue", lang)),
        Figure("clusters", t("共性问题群", "Systemic clusters", lang),
               f"{found.get('clusters', 0):,}", ""),
        Figure("audit_only", t("审计发现、巡察未发现", "Audit-only findings", lang),
               f"{found.get('audit_only', 0):,}",
               t(f"尚未巡察而有审计发现的单位 {found.get('red_flag_units', 0):,} 个",
                 f"{found.get('red_flag_units', 0):,} audited units not yet inspected", lang)),
    ]
    if "conflicts" in found:
        hard, soft = found["conflicts"]
        figs.append(Figure("conflicts", t("回避 / 提示", "Hard / soft conflicts", lang),
                           f"{hard:,} / {soft:,}",
                           t(f"轮次 {found['conflict_round']}", f"round {found['conflict_round']}",
                             lang)))
    return tuple(figs)
