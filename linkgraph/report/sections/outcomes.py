"""Report sections: the 成果 paragraph and figures, yield by mode, and the
红黄绿 early warnings."""
from __future__ import annotations

from linkgraph.analysis.ledger import to_records
from linkgraph.report.model import Figure, Section, Table
from linkgraph.report.options import ReportOptions
from linkgraph.report.sections.common import columns
from linkgraph.report.words import pct, t
from linkgraph.session import Session

KIND_COLUMNS = (("kind_text", ("巡察类型", "Round kind")), ("problems", ("问题", "Problems")),
                ("measures", ("措施", "Measures")),
                ("rate_in_period_text", ("集中整改期完成率", "Rate in the period")),
                ("problems_closed", ("销号", "Closed")), ("rules", ("制度", "Rules")),
                ("accountable", ("追责问责", "Held accountable")), ("leads", ("线索", "Leads")),
                ("cases", ("立案件", "Cases")), ("case_people", ("立案人", "People")))
YIELD_COLUMNS = (("kind_text", ("巡察类型", "Round kind")), ("figure_text", ("指标", "Figure")),
                 ("per_unit_a", ("户均", "Per unit")), ("per_unit_b", ("常规户均", "Ordinary")),
                 ("excess_text", ("高出", "Higher by")), ("ci_text", ("95% 区间", "95% CI")),
                 ("p_value", ("p 值", "p-value")))
WARNING_COLUMNS = (("level_text", ("预警", "Warning")), ("item_id", ("事项", "Item")),
                   ("unit_name", ("单位", "Unit")), ("deadline", ("时限", "Deadline")),
                   ("days_left", ("剩余天数", "Days left")), ("notify", ("预警对象", "Goes to")))


def _kind(value: object, lang: str) -> str:
    from linkgraph.catalogue import catalogue

    return catalogue().label("round_kind", str(value), lang) if value else "—"


def results_section(session: Session, options: ReportOptions) -> Section:
    """The 成果 paragraph of the report's scope (all rounds), by round kind."""
    from linkgraph.analysis.results import Scope, results
    from linkgraph.analysis.results_text import paragraph

    lang = options.lang
    res = results(session.tables, session.rules, options.as_of, Scope(), by="kind")
    rows = to_records(res.groups)
    for r in rows:
        r["kind_text"] = _kind(r["kind"], lang)
        r["rate_in_period_text"] = pct(r.get("rate_in_period"))
    f = res.total
    figures = (Figure("problems_closed", t("销号问题", "Closed after review", lang),
                      f"{int(f['problems_closed']):,}"),
               Figure("rate_in_period", t("集中整改期完成率", "Rate in the period", lang),
                      pct(f["rate_in_period"])),
               Figure("accountable", t("追责问责", "Held accountable", lang),
                      f"{int(f['accountable']):,}"))
    yields = _yield_rows(session, lang)
    tables = [Table("results", t("成果按巡察类型", "Results by round kind", lang),
                    columns(KIND_COLUMNS, lang), tuple(rows), limit=20)]
    if yields:
        tables.append(Table("yield_by_kind", t("交叉、提级、联动巡察与常规巡察户均发现比较",
                                               "Yield per unit against ordinary rounds", lang),
                            columns(YIELD_COLUMNS, lang), tuple(yields), limit=20))
    return Section("results", t("巡察成果", "Results", lang),
                   paragraphs=(paragraph(session.tables, res, lang),), figures=figures,
                   tables=tuple(tables))


def _yield_rows(session: Session, lang: str) -> list[dict]:
    from linkgraph.analysis.yields import yield_by_kind

    rows = to_records(yield_by_kind(session.tables))
    out = []
    for r in rows:
        if r["ratio"] is None:
            continue
        r["kind_text"] = f"{r['term']} {_kind(r['kind_a'], lang)}".strip()
        r["figure_text"] = t("问题" if r["figure"] == "problems" else "线索",
                             r["figure"], lang)
        r["excess_text"] = f"{r['excess']:+.0%}"
        r["ci_text"] = f"{r['ci_low']}–{r['ci_high']}"
        out.append(r)
    return out


def warnings_section(session: Session, options: ReportOptions) -> Section:
    """The 红黄绿 early warnings as of the report date, red first."""
    from linkgraph.analysis.warnings import early_warnings, thresholds
    from linkgraph.catalogue import catalogue

    lang = options.lang
    levels = thresholds(session.rules)
    w = early_warnings(session.tables, session.rules, options.as_of, levels, lang)
    # The report lists what can still be done in time; the items already past
    # their deadline (red) are counted here and listed whole by `linkgraph
    # warnings` and `rectification --overdue` (at county scale they are
    # thousands, years overdue, and would bury the warnings).
    past = int((w["days_left"] < 0).sum()) if len(w) else 0
    rows = [r for r in to_records(w) if not (r.get("days_left") is not None
                                             and r["days_left"] < 0)]
    for r in rows:
        r["level_text"] = catalogue().label("warning_level", r["warning_level"], lang)
    counts = w["warning_level"].value_counts() if len(w) else {}
    n = {lv: int(counts.get(lv, 0)) for lv in ("red", "yellow", "green")}
    text = t(f"距时限 {levels.green} 天内未完成的整改措施和未办结的问题线索：红色 {n['red']} 条"
             f"（到期或超期，报一把手）、黄色 {n['yellow']} 条（{levels.yellow} 天内，报分管领导）、"
             f"绿色 {n['green']} 条（提醒责任人）。其中已超期 {past} 条，完整清单见 linkgraph warnings；"
             f"下表列出尚未超期的 {len(rows)} 条。",
             f"Open measures and leads within {levels.green} days of their deadline: "
             f"{n['red']} red (due or past, to the top leader), {n['yellow']} yellow (within "
             f"{levels.yellow} days, to the leader in charge), {n['green']} green (to the owner). "
             f"{past} of them are already past their deadline (the whole list: linkgraph "
             f"warnings); the table lists the {len(rows)} not yet past it.",
             lang)
    return Section("warnings", t("红黄绿预警", "Early warnings", lang), paragraphs=(text,),
                   tables=(Table("warnings", t("预警清单", "Warnings", lang),
                                 columns(WARNING_COLUMNS, lang), tuple(rows), limit=50),),
                   note="" if rows else t("没有临近时限的事项。", "Nothing is near its deadline.",
                                          lang))
