"""What the report says: key figures, then one section per analysis.

``build_report(tables, options)`` runs the analyses (clusters, conflicts,
the rotation plan when a round is given and the planner is installed, the
室组办 lead summary and networks, the 巡审 gaps, rectification, priorities)
and returns a :class:`~linkgraph.report.model.Report`: plain records, no
HTML.  The views it links to are listed in ``Report.views``.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from linkgraph.analysis.ledger import to_records
from linkgraph.report import sections_more as more
from linkgraph.report.model import Bar, Chart, Figure, Link, Report, Section, Table, ViewJob
from linkgraph.report.words import pct, t
from linkgraph.rules import Rules, load_rules
from linkgraph.views.focus import ViewSource

Tables = Mapping[str, pd.DataFrame]

#: How many of the first clusters / lead networks / priority units get a view.
VIEWS_PER_SECTION = 3


@dataclass(frozen=True)
class ReportOptions:
    as_of: dt.date
    round_id: str | None = None
    lang: str = "zh"
    views: bool = True  # link to views (written beside index.html)
    views_per_section: int = VIEWS_PER_SECTION


def default_round(tables: Tables, as_of: dt.date) -> str | None:
    """The latest round (by start, not after ``as_of``) that has teams."""
    rounds = tables["rounds"]
    with_teams = rounds[rounds["round_id"].isin(set(tables["teams"]["round_id"]))]
    started = with_teams[~(with_teams["start"] > pd.Timestamp(as_of))]
    if started.empty:
        return None
    return str(started.sort_values(["start", "round_id"]).iloc[-1]["round_id"])


def build_report(tables: Tables, options: ReportOptions, rules: Rules | None = None,
                 source: ViewSource | None = None) -> Report:
    rules = rules if rules is not None else load_rules()
    source = source or ViewSource(tables, rules, options.as_of)
    lang = options.lang
    conflict_round = options.round_id or default_round(tables, options.as_of)
    found = {}
    sections = [
        _clusters(source, options, found),
        _conflicts(source, options, conflict_round, found),
        more.rotation(source, options),
        more.leads(source, rules, options, found),
        more.audit(tables, rules, options, found),
        more.rectification(tables, rules, options, found),
        more.priorities(tables, rules, options, found),
    ]
    views = [ViewJob("overview.html", None)] if options.views else []
    for s in sections:
        views += [ViewJob(link.href, link.focus, link.round_id) for link in s.links]
    title = t(f"巡察监督贯通分析报告（截至 {options.as_of}）",
              f"Inspection linkage report (as of {options.as_of})", lang)
    return Report(title=title, lang=lang, as_of=str(options.as_of),
                  figures=_key_figures(tables, options, found), sections=tuple(sections),
                  views=tuple(dict.fromkeys(views)))


def view_link(text: str, kind: str, ident: str) -> Link:
    """A link to the view of ``kind`` (``unit``, ``cluster``, ``conflicts``...)
    for ``ident`` (an id, or the round of conflicts/rotation); the file name
    keeps only safe characters (``unit-U0001.html``)."""
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "_" for ch in ident)
    href = f"{kind}-{safe}.html"
    if kind in ("conflicts", "rotation"):
        return Link(text, href, kind, ident)
    return Link(text, href, f"{kind}:{ident}")


def _key_figures(tables: Tables, options: ReportOptions, found: dict) -> tuple[Figure, ...]:
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


CLUSTER_COLUMNS = (("cluster_id", ("编号", "Id")), ("kind_zh", ("类型", "Kind")),
                   ("category", ("问题类别", "Category")), ("sector", ("系统", "Sector")),
                   ("n_units", ("单位数", "Units")), ("n_problems", ("问题数", "Problems")),
                   ("score", ("得分", "Score")), ("departments", ("应牵头整改部门", "Owning departments")),
                   ("n_self_check", ("应自查单位（未巡先改）", "Should self-check")),
                   ("label", ("说明", "Description")))


def columns(spec: Sequence[tuple[str, tuple[str, str]]], lang: str) -> tuple[tuple[str, str], ...]:
    return tuple((field, t(zh, en, lang)) for field, (zh, en) in spec)


def _clusters(source: ViewSource, options: ReportOptions, found: dict) -> Section:
    from linkgraph.analysis.clusters import KIND_ZH

    lang = options.lang
    clusters = source.clusters
    found["clusters"] = len(clusters)
    found["cluster_unit_ids"] = {u for c in clusters for u in c.unit_ids}
    depts = source.tables["departments"].set_index("dept_id")["name"].to_dict()
    rows = []
    for c in clusters:
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
                      columns(CLUSTER_COLUMNS, lang), tuple(rows)),),
        links=links, note="" if clusters else t("未发现共性问题群。", "No cluster found.", lang))


CONFLICT_COLUMNS = (("team_name", ("巡察组", "Team")), ("person_name", ("组员", "Inspector")),
                    ("role", ("角色", "Role")), ("unit_name", ("被巡察单位", "Unit")),
                    ("level_zh", ("等级", "Level")), ("relation_zh", ("关系", "Relation")),
                    ("score", ("分值", "Score")), ("explanation", ("证据", "Evidence")))


def _conflicts(source: ViewSource, options: ReportOptions, round_id: str | None,
               found: dict) -> Section:
    lang = options.lang
    title = t("熟人社会：回避与提示", "Acquaintance conflicts", lang)
    if round_id is None:
        return Section("conflicts", title, note=t("没有已开始、且有巡察组的轮次。",
                                                  "No round with teams has started.", lang))
    conflicts = source.conflicts(round_id)
    hard = sum(c.level == "hard" for c in conflicts)
    found["conflicts"] = (hard, len(conflicts) - hard)
    found["conflict_round"] = round_id
    rows = [c.as_record() for c in conflicts]
    if lang == "en":
        for r in rows:
            r["level_zh"] = r["level"]
            r["relation_zh"] = r["relation"]
    counts = pd.Series([f"{r['relation_zh']}（{r['level_zh']}）" for r in rows], dtype=object)
    bars = tuple(Bar(str(k), int(v), str(int(v)))
                 for k, v in sorted(counts.value_counts().items(), key=lambda kv: (-kv[1], kv[0])))
    how = t("（未指定 --round，取最近开始的轮次）" if not options.round_id else "",
            " (no --round given: the latest round started)" if not options.round_id else "", lang)
    return Section(
        "conflicts", title,
        paragraphs=(t(f"轮次 {round_id}{how}：巡察组成员与所分配被巡察单位之间，回避（硬冲突）{hard} 条、"
                      f"提示（软冲突）{len(conflicts) - hard} 条，每条附证据路径。",
                      f"Round {round_id}{how}: {hard} hard and {len(conflicts) - hard} soft "
                      "conflicts between team members and their assigned units, each with its "
                      "evidence path.", lang),),
        charts=(Chart(t("按关系统计", "By relation", lang), bars),) if bars else (),
        tables=(Table("conflicts", t("冲突清单", "Conflicts", lang),
                      columns(CONFLICT_COLUMNS, lang), tuple(rows), limit=50),),
        links=(view_link(t(f"轮次 {round_id} 冲突关系图（红线为证据路径）",
                           f"Conflict graph of round {round_id} (evidence in red)", lang),
                         "conflicts", round_id),) if options.views else (),
        note="" if conflicts else t("本轮未发现冲突。", "No conflict in this round.", lang))


def frame_rows(frame: pd.DataFrame) -> tuple[dict[str, Any], ...]:
    return tuple(to_records(frame))


def demo_round(tables: Tables, as_of: dt.date) -> str | None:
    """The latest cross-inspection round (交叉巡察) started by ``as_of`` that
    has teams, else :func:`default_round`."""
    rounds = tables["rounds"]
    cross = rounds[(rounds["kind"] == "cross") & rounds["round_id"].isin(
        set(tables["teams"]["round_id"])) & ~(rounds["start"] > pd.Timestamp(as_of))]
    if len(cross):
        return str(cross.sort_values(["start", "round_id"]).iloc[-1]["round_id"])
    return default_round(tables, as_of)
