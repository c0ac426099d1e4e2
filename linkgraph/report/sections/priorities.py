"""Report section: who to inspect next (下一轮巡察对象建议)."""
from __future__ import annotations

from linkgraph.analysis.ledger import to_records
from linkgraph.report.model import Bar, Chart, Link, Section, Table
from linkgraph.report.options import ReportOptions
from linkgraph.report.sections.common import columns, view_link
from linkgraph.report.words import t
from linkgraph.session import Session

PRIORITY_COLUMNS = (("rank", ("排名", "Rank")), ("unit_name", ("单位", "Unit")),
                    ("region_name", ("区域", "Region")), ("sector", ("系统", "Sector")),
                    ("score", ("得分", "Score")), ("reasons", ("理由", "Reasons")))


def _left_out(session: Session, lang: str) -> str:
    """The sentence on the units too recently inspected to be ranked."""
    from linkgraph.analysis.priorities import load_weights

    n = len(session.tables["units"]) - len(session.priorities)
    months = int(load_weights()("recently_inspected", "months"))
    if n <= 0:
        return ""
    return t(f"近 {months} 个月内已巡察的 {n} 个单位未列入。",
             f" {n} units inspected in the last {months} months are left out.", lang)


def priorities(session: Session, options: ReportOptions) -> Section:
    lang = options.lang
    rows = to_records(session.priorities.head(200))
    chart = Chart(t("得分最高的单位", "Highest scores", lang),
                  tuple(Bar(str(r["unit_name"]), float(r["score"]), f"{float(r['score']):.2f}")
                        for r in rows[:12]))
    links: list[Link] = []
    if options.views:
        for r in rows[: options.views_per_section]:
            links.append(view_link(t(f"{r['unit_name']} 关系图", f"{r['unit_name']} graph", lang),
                               "unit", r["unit_id"]))
        leaders = [r for r in rows[: options.views_per_section] if r.get("top_leader_id")]
        for r in leaders[:1]:
            links.append(view_link(t(f"一把手画像：{r['top_leader_name']}（{r['unit_name']}）",
                                 f"Top-leader portrait: {r['top_leader_name']} ({r['unit_name']})",
                                 lang), "portrait", r["top_leader_id"]))
    return Section(
        "priorities", t("下一轮巡察对象建议", "Who to inspect next", lang),
        paragraphs=(t("按信访举报、未被印证的审计发现、未整改问题、超期措施、距上次巡察时间、一把手任职"
                      "年限和是否属于共性问题加权排序，理由逐条写明（权重见 priorities.toml）。",
                      "Ranked by petitions, audit findings no inspection corroborates, open "
                      "problems, overdue measures, time since the last inspection, a top leader "
                      "long in post and membership in a systemic cluster (weights in "
                      "priorities.toml), with the reasons in words.", lang)
                    + _left_out(session, lang),),
        charts=(chart,) if chart.bars else (),
        tables=(Table("priorities", t("排序（前 200）", "Ranking (first 200)", lang),
                      columns(PRIORITY_COLUMNS, lang), tuple(rows), limit=20),),
        links=tuple(links))
