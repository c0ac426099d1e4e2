"""Report section: inspection and audit (巡审联动)."""
from __future__ import annotations

from linkgraph.analysis.ledger import to_records
from linkgraph.report.model import Bar, Chart, Figure, Section, Table
from linkgraph.report.sections.common import columns
from linkgraph.report.words import t

AUDIT_ONLY_COLUMNS = (("finding_id", ("审计编码", "Finding")), ("unit_name", ("单位", "Unit")),
                      ("category", ("问题类别", "Category")), ("description", ("描述", "Description")),
                      ("amount", ("金额", "Amount")), ("last_inspection", ("最近巡察", "Last inspected")))
RED_FLAG_COLUMNS = (("unit_name", ("单位", "Unit")), ("sector", ("系统", "Sector")),
                    ("findings", ("审计发现", "Findings")), ("amount", ("金额", "Amount")),
                    ("categories", ("问题类别", "Categories")),
                    ("latest_audit_date", ("最近审计", "Latest audit")))


def audit(tables, rules, options, found: dict) -> Section:
    from linkgraph.analysis.audit import audit_report

    lang = options.lang
    rep = audit_report(tables, rules, options.as_of)
    found["audit_only"] = len(rep.audit_only)
    found["red_flag_units"] = len(rep.red_flag_units)
    by_cat = rep.audit_only["category"].fillna("—").value_counts()
    bars = tuple(Bar(str(k), int(v), str(int(v)))
                 for k, v in sorted(by_cat.items(), key=lambda kv: (-kv[1], str(kv[0])))[:12])
    figs = (Figure("corroborated", t("相互印证", "Corroborated", lang), f"{len(rep.corroborated):,}"),
            Figure("audit_only", t("审计发现、巡察未发现", "Audit only", lang), f"{len(rep.audit_only):,}"),
            Figure("inspection_only", t("仅巡察发现", "Inspection only", lang),
                   f"{len(rep.inspection_only):,}"),
            Figure("red_flag_units", t("有审计发现、尚未巡察的单位", "Audited, not yet inspected", lang),
                   f"{len(rep.red_flag_units):,}"))
    return Section(
        "audit", t("巡审联动：审计发现与巡察问题", "Inspection and audit", lang),
        paragraphs=(t("审计发现与同一单位的巡察问题比对（同类别或描述相似）。审计发现而巡察未发现的，"
                      "是下一轮巡察的重点；有审计发现而尚未巡察的单位应优先安排。",
                      "Audit findings compared with the same unit's inspection problems (same "
                      "category or similar wording). What audit found and inspection missed, and "
                      "audited units not yet inspected, come first in the next round.", lang),),
        figures=figs,
        charts=(Chart(t("审计发现而巡察未发现：按类别", "Audit-only findings by category", lang),
                      bars),) if bars else (),
        tables=(Table("audit_only", t("审计发现、巡察未发现", "Audit-only findings", lang),
                      columns(AUDIT_ONLY_COLUMNS, lang), tuple(to_records(rep.audit_only))),
                Table("red_flag_units", t("有审计发现、尚未巡察的单位", "Audited units not yet inspected",
                                          lang),
                      columns(RED_FLAG_COLUMNS, lang), tuple(to_records(rep.red_flag_units)))))
