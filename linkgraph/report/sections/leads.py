"""Report section: lead handling and overdue leads (室组办联动), and lead networks."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from linkgraph.analysis.ledger import to_records
from linkgraph.report.model import Bar, Chart, Section, Table
from linkgraph.report.options import ReportOptions
from linkgraph.report.sections.common import columns, view_link
from linkgraph.report.words import pct, t
from linkgraph.session import Session

LEAD_COLUMNS = (("dept_name", ("接收部门", "Department")), ("leads", ("线索", "Leads")),
                ("received", ("已签收", "Received")), ("closed", ("已办结", "Closed")),
                ("overdue", ("超期", "Overdue")), ("open_overdue", ("超期未办结", "Open, overdue")),
                ("receipt_late", ("签收超时", "Received late")),
                ("case_filed", ("立案", "Cases filed")),
                ("median_days_to_close", ("办结天数中位数", "Median days to close")),
                ("overdue_rate", ("超期率", "Overdue rate")))
NETWORK_COLUMNS = (("network_id", ("编号", "Id")), ("leads", ("线索数", "Leads")),
                   ("why", ("关联说明", "Why they belong together")))



def _single_signature(tot: Mapping[str, Any]) -> int | None:
    """Leads lacking a signature; None when the ledger records none (未记录)."""
    try:
        return int(tot.get("single_signature", 0))
    except (TypeError, ValueError):  # None, NA or NaN
        return None


def _signatures_zh(tot: Mapping[str, Any]) -> str:
    n = _single_signature(tot)
    return "双签字情况台账未记录" if n is None else f"未经纪检监察室和巡察组双签字 {n:,} 条"


def _signatures_en(tot: Mapping[str, Any]) -> str:
    n = _single_signature(tot)
    return "signatures are not recorded" if n is None else f"{n:,} lack a signature"


def leads(session: Session, options: ReportOptions) -> Section:
    lang = options.lang
    summary = session.leads
    tot = summary.total
    total = dict(tot)
    depts = sorted((dict(r) for r in summary.departments),
                   key=lambda r: (-int(r["overdue"]), str(r["dept_id"])))
    if total:
        total["dept_name"] = t(f"合计（{total['dept_name']}）",
                               f"Total ({total.get('dept_name_en') or total['dept_name']})", lang)
        total.pop("dept_name_en", None)
    rows = ([total] if total else []) + depts
    for r in rows:
        r["overdue_rate"] = pct(r.get("overdue_rate"))
    chart = Chart(t("各部门超期线索（前 15）", "Overdue leads by department (first 15)", lang),
                  tuple(Bar(str(r["dept_name"]), int(r["overdue"]), str(int(r["overdue"])))
                        for r in depts if int(r["overdue"]) > 0)[:15])
    # networks joined through ties first (二人是夫妻...), then the largest
    net_rows = sorted(to_records(session.lead_networks),
                      key=lambda n: (-len(n["ties"]), -int(n["leads"]), str(n["network_id"])))
    links = tuple(view_link(t(f"线索网络 {n['network_id']}", f"Lead network {n['network_id']}", lang),
                        "lead-network", n["network_id"])
                  for n in net_rows[: options.views_per_section]) if options.views else ()
    return Section(
        "leads", t("室组办联动：线索办理与超期", "Leads: handling and overdue", lang),
        paragraphs=(t(f"截至 {options.as_of}，移交线索 {int(tot.get('leads', 0)):,} 条，已办结 "
                      f"{int(tot.get('closed', 0)):,} 条，超期 {int(tot.get('overdue', 0)):,} 条"
                      f"（未在时限内办结或签收）；{_signatures_zh(tot)}。线索因同一人、社会关系或同一单位"
                      f"相关联，形成 {len(net_rows):,} 个线索网络。",
                      f"As of {options.as_of}: {int(tot.get('leads', 0)):,} leads transferred, "
                      f"{int(tot.get('closed', 0)):,} closed, {int(tot.get('overdue', 0)):,} "
                      f"overdue; {_signatures_en(tot)}. "
                      f"{len(net_rows):,} lead networks join leads through a person, a tie or "
                      "a unit (those joined by a tie first).", lang),),
        charts=(chart,) if chart.bars else (),
        tables=(Table("leads_by_department", t("按接收部门", "By receiving department", lang),
                      columns(LEAD_COLUMNS, lang), tuple(rows), limit=25),
                Table("lead_networks", t("线索网络", "Lead networks", lang),
                      columns(NETWORK_COLUMNS, lang), tuple(net_rows), limit=15)),
        links=links)
