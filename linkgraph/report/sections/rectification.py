"""Report section: rectification (整改落实) by round."""
from __future__ import annotations

from linkgraph.report.model import Bar, Chart, Section, Table
from linkgraph.report.options import ReportOptions
from linkgraph.report.sections.common import columns
from linkgraph.report.words import pct, t
from linkgraph.session import Session

RECT_COLUMNS = (("round_id", ("轮次", "Round")), ("round_name", ("轮次名称", "Name")),
                ("problems", ("问题", "Problems")), ("rectified", ("已整改", "Rectified")),
                ("problems_closed", ("销号问题", "Closed after review")),
                ("rate_text", ("完成率", "Rate")), ("measures", ("措施", "Measures")),
                ("measures_done", ("已完成措施", "Measures done")),
                ("measures_closed", ("销号措施", "Measures closed after review")),
                ("overdue_measures", ("超期措施", "Overdue measures")),
                ("reopened", ("回炉", "Reopened")))


def rectification(session: Session, options: ReportOptions) -> Section:
    lang = options.lang
    summary = session.rectification
    rows = [dict(r) for r in summary.rounds] + ([dict(summary.total)] if summary.total else [])
    for r in rows:
        r["rate_text"] = pct(r.get("rate"))
    rounds = [dict(r) for r in summary.rounds if r.get("problems")]
    rounds = sorted(rounds, key=lambda r: str(r["round_id"]))[-15:]
    chart = Chart(t("各轮次整改完成率（最近 15 轮）", "Rectification rate by round (latest 15)", lang),
                  tuple(Bar(f"{r['round_id']} {r.get('round_name') or ''}".strip(),
                            float(r["rate"] or 0), pct(r["rate"])) for r in rounds), max_value=1.0)
    tot = summary.total
    return Section(
        "rectification", t("整改落实", "Rectification", lang),
        paragraphs=(t(f"问题的全部整改措施完成即为整改完成；整改完成率 {pct(tot.get('rate'))}"
                      f"（{int(tot.get('rectified', 0)):,}/{int(tot.get('problems', 0)):,}）；"
                      f"经审核销号问题 {int(tot.get('problems_closed', 0)):,} 个、措施 "
                      f"{int(tot.get('measures_closed', 0)):,} 项（已完成措施 "
                      f"{int(tot.get('measures_done', 0)):,} 项）；超期措施 "
                      f"{int(tot.get('overdue_measures', 0)):,} 项，回炉整改 {int(tot.get('reopened', 0)):,} 项。",
                      f"A problem is rectified when all its measures are done; rate "
                      f"{pct(tot.get('rate'))} ({int(tot.get('rectified', 0)):,}/"
                      f"{int(tot.get('problems', 0)):,}); closed after review: "
                      f"{int(tot.get('problems_closed', 0)):,} problems, "
                      f"{int(tot.get('measures_closed', 0)):,} measures (measures done: "
                      f"{int(tot.get('measures_done', 0)):,}); "
                      f"{int(tot.get('overdue_measures', 0)):,} "
                      f"measures overdue, {int(tot.get('reopened', 0)):,} reopened.", lang),),
        charts=(chart,) if chart.bars else (),
        tables=(Table("rectification_by_round", t("按轮次", "By round", lang),
                      columns(RECT_COLUMNS, lang), tuple(rows), limit=200),))
