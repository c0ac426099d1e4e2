"""Report section: systemic problem clusters (共性问题)."""
from __future__ import annotations

from linkgraph.report.model import Bar, Chart, Section, Table
from linkgraph.report.options import ReportOptions
from linkgraph.report.sections.common import columns, view_link
from linkgraph.report.words import t
from linkgraph.session import Session

CLUSTER_COLUMNS = (("cluster_id", ("编号", "Id")), ("kind_zh", ("类型", "Kind")),
                   ("category", ("问题类别", "Category")), ("sector", ("系统", "Sector")),
                   ("n_units", ("单位数", "Units")), ("n_problems", ("问题数", "Problems")),
                   ("score", ("得分", "Score")), ("departments", ("应牵头整改部门", "Owning departments")),
                   ("n_self_check", ("应自查单位（未巡先改）", "Should self-check")),
                   ("label", ("说明", "Description")))


#: Units listed per cluster as "self-check first" (the workbook has them all).
SELF_CHECK_SHOWN = 10
SELF_CHECK_COLUMNS = (("cluster_id", ("问题群", "Cluster")), ("rank", ("序", "Rank")),
                      ("unit_name", ("单位", "Unit")), ("likeness", ("相似度", "Likeness")),
                      ("self_check_reason", ("理由", "Why")))


def clusters(source: Session, options: ReportOptions) -> Section:
    from linkgraph.analysis.clusters import KIND_ZH

    lang = options.lang
    clusters = source.clusters
    depts = source.tables["departments"].set_index("dept_id")["name"].to_dict()
    from linkgraph.analysis.clusters.scope import rank_self_check

    rows, first = [], []
    for c in clusters:
        for r in rank_self_check(source.tables, c.unit_ids, c.self_check_unit_ids,
                                 SELF_CHECK_SHOWN, lang):
            first.append({"cluster_id": c.cluster_id, **r})
        rec = c.as_record()
        rec["kind_zh"] = KIND_ZH.get(c.kind, c.kind) if lang != "en" else c.kind
        rec["departments"] = "、".join(depts.get(d, d) for d in c.dept_ids)
        rec.setdefault("n_units", len(c.unit_ids))
        rec.setdefault("n_problems", len(c.problem_ids))
        rec.setdefault("n_self_check", len(c.self_check_unit_ids))
        rows.append(rec)
    chart = Chart(t("各问题群涉及单位数", "Units per cluster", lang),
                  tuple(Bar(f"{c.cluster_id} {c.category}", len(c.unit_ids), f"{len(c.unit_ids)}")
                        for c in clusters[:12]))
    links = tuple(view_link(t(f"{c.cluster_id} 关系图", f"{c.cluster_id} graph", lang),
                            "cluster", c.cluster_id)
                  for c in clusters[: options.views_per_section]) if options.views else ()
    return Section(
        "clusters", t("共性问题（普遍性、倾向性问题）", "Systemic problem clusters", lang),
        paragraphs=(t(f"发现 {len(clusters)} 个共性问题群：某类问题在一个系统或区域明显高发、不同单位的"
                      "问题表述雷同，或一批单位同类问题组合偏高。每个问题群列出应牵头整改的职能部门和"
                      "尚未巡察、应先行自查的单位（未巡先改）。",
                      f"{len(clusters)} systemic clusters: a category over-represented in a sector "
                      "or region, the same failing written alike across units, or units sharing a "
                      "profile of elevated categories; each with the departments that should own "
                      "the fix and the not-yet-inspected units that should self-check.", lang),),
        charts=(chart,) if chart.bars else (),
        tables=(Table("clusters", t("共性问题群", "Clusters", lang),
                      columns(CLUSTER_COLUMNS, lang), tuple(rows)),
                Table("self_check", t(f"应先行自查的单位（每个问题群最像的 {SELF_CHECK_SHOWN} 个，"
                                      "全部名单见 report.xlsx）",
                                      f"Units to self-check first (the {SELF_CHECK_SHOWN} most "
                                      "like each cluster; the full list is in report.xlsx)", lang),
                      columns(SELF_CHECK_COLUMNS, lang), tuple(first), limit=60)),
        links=links, note="" if clusters else t("未发现共性问题群。", "No cluster found.", lang))
