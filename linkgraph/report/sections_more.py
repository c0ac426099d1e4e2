"""Report sections: rotation plan, leads, 巡审 gaps, rectification, priorities."""
from __future__ import annotations

from linkgraph.analysis.ledger import to_records
from linkgraph.report.model import Bar, Chart, Figure, Link, Section, Table  # noqa: F401
from linkgraph.report.words import pct, t
from linkgraph.views.kinds_rotation import soft_count


def _columns(spec, lang: str) -> tuple[tuple[str, str], ...]:
    return tuple((field, t(zh, en, lang)) for field, (zh, en) in spec)


def _link(text: str, kind: str, ident: str) -> Link:
    from linkgraph.report.content import view_link

    return view_link(text, kind, ident)


ROTATION_COLUMNS = (("team_name", ("巡察组", "Team")), ("from_region", ("派出区域", "From")),
                    ("to_region", ("巡察区域", "Inspects")), ("units", ("单位数", "Units")),
                    ("cost", ("代价", "Cost")), ("n_soft", ("软冲突", "Soft conflicts")),
                    ("swaps", ("调换组员", "Member swaps")), ("reason", ("理由", "Reason")))
SOFT_COLUMNS = (("team_name", ("巡察组", "Team")), ("person_name", ("组员", "Inspector")),
                ("unit_name", ("单位", "Unit")), ("relation_zh", ("关系", "Relation")),
                ("score", ("分值", "Score")), ("explanation", ("证据", "Evidence")))


def rotation(source, options) -> Section:
    """The cross-inspection plan of ``--round`` (linkgraph.rotation)."""
    from linkgraph.errors import LinkgraphError

    lang = options.lang
    title = t("交叉巡察轮换方案", "Cross-inspection rotation plan", lang)
    if not options.round_id:
        return Section("rotation", title, note=t(
            "未指定轮次（--round），不生成轮换方案。", "No round given (--round): no plan.", lang))
    try:
        import linkgraph.rotation  # noqa: F401
    except ImportError:
        return Section("rotation", title, note=t(
            "本版本未包含交叉巡察排组模块（linkgraph.rotation），此节从略。",
            "This build has no rotation planner (linkgraph.rotation); section skipped.", lang))
    try:
        plan = source.rotation_plan(options.round_id)
    except LinkgraphError as exc:
        return Section("rotation", title, note=t(f"轮次 {options.round_id} 排不出轮换方案：{exc}",
                                                 f"No plan for round {options.round_id}: {exc}",
                                                 lang))
    return plan_section(source.tables, plan, options.round_id, lang, options.views)


def plan_section(tables, plan: dict, round_id: str, lang: str, views: bool = True) -> Section:
    """The section for a plan record (``plan_rotation(...).as_record()``)."""
    regions = tables["regions"].set_index("region_id")["name"].to_dict()
    teams = tables["teams"].set_index("team_id")["name"].to_dict()
    rows, soft = [], []
    for p in sorted(plan.get("pairs") or [], key=lambda p: str(p["team_id"])):
        name = p.get("team_name") or teams.get(p["team_id"], p["team_id"])
        rows.append({**p, "team_name": name,
                     "from_region": p.get("from_region_name")
                     or regions.get(p.get("from_region_id"), p.get("from_region_id")),
                     "to_region": p.get("to_region_name")
                     or regions.get(p["to_region_id"], p["to_region_id"]),
                     "units": len(p.get("unit_ids") or ()),
                     "n_soft": soft_count(p.get("soft_conflicts"))})
        if isinstance(p.get("soft_conflicts"), (list, tuple)):
            soft += [{"team_id": p["team_id"], "team_name": name, **c} for c in p["soft_conflicts"]]
    optimal = plan.get("optimal")
    state = t("已证明最优" if optimal else f"可行解（与下界差距 {pct(plan.get('gap'))}）",
              "proven optimal" if optimal else f"feasible (gap {pct(plan.get('gap'))})", lang)
    swaps = [dict(s) for s in plan.get("member_swaps") or []]
    tables_out = [Table("rotation", t("配对", "Pairs", lang), _columns(ROTATION_COLUMNS, lang),
                        tuple(rows), limit=200)]
    if soft:
        tables_out.append(Table("rotation_soft_conflicts", t("配对中的软冲突", "Soft conflicts of "
                                                             "the pairs", lang),
                                _columns(SOFT_COLUMNS, lang), tuple(soft), limit=50))
    if swaps:
        tables_out.append(Table("rotation_member_swaps", t("建议调换的组员（回避）",
                                                           "Proposed member swaps", lang),
                                tuple((k, k) for k in swaps[0]), tuple(swaps), limit=50))
    return Section(
        "rotation", t("交叉巡察轮换方案", "Cross-inspection rotation plan", lang),
        paragraphs=(t(f"轮次 {round_id}：{len(rows)} 个巡察组，软冲突总分 {plan.get('objective')}，"
                      f"{state}；建议调换组员 {len(swaps)} 人。不巡本地，硬冲突（回避）不予配对，"
                      "软冲突之和最小。",
                      f"Round {round_id}: {len(rows)} teams, summed soft score "
                      f"{plan.get('objective')}, {state}; {len(swaps)} member swaps proposed. "
                      "No team inspects its home region, hard conflicts are never paired, soft "
                      "ones are minimised.", lang),),
        tables=tuple(tables_out),
        links=(_link(t("轮换环形图", "Rotation ring", lang), "rotation", round_id),)
        if views else ())


LEAD_COLUMNS = (("dept_name", ("接收部门", "Department")), ("leads", ("线索", "Leads")),
                ("received", ("已签收", "Received")), ("closed", ("已办结", "Closed")),
                ("overdue", ("超期", "Overdue")), ("open_overdue", ("超期未办结", "Open, overdue")),
                ("receipt_late", ("签收超时", "Received late")),
                ("case_filed", ("立案", "Cases filed")),
                ("median_days_to_close", ("办结天数中位数", "Median days to close")),
                ("overdue_rate", ("超期率", "Overdue rate")))
NETWORK_COLUMNS = (("network_id", ("编号", "Id")), ("leads", ("线索数", "Leads")),
                   ("why", ("关联说明", "Why they belong together")))


def _single_signature(tot: dict) -> int | None:
    """Leads lacking a signature; None when the ledger records none (未记录)."""
    try:
        return int(tot.get("single_signature", 0))
    except (TypeError, ValueError):  # None, NA or NaN
        return None


def _signatures_zh(tot: dict) -> str:
    n = _single_signature(tot)
    return "双签字情况台账未记录" if n is None else f"未经纪检监察室和巡察组双签字 {n:,} 条"


def _signatures_en(tot: dict) -> str:
    n = _single_signature(tot)
    return "signatures are not recorded" if n is None else f"{n:,} lack a signature"


def leads(source, rules, options, found: dict) -> Section:
    from linkgraph.analysis import leads as la

    lang = options.lang
    lifecycle = la.lead_lifecycle(source.tables, rules, options.as_of)
    summary = to_records(la.department_summary(lifecycle))
    total = summary[-1] if summary else {}
    found["lead_totals"] = dict(total)
    depts = sorted(summary[:-1], key=lambda r: (-int(r["overdue"]), str(r["dept_id"])))
    if total:
        total["dept_name"] = t(f"合计（{total['dept_name']}）", f"Total ({total['dept_name']})",
                               lang)
    rows = ([total] if total else []) + depts
    for r in rows:
        r["overdue_rate"] = pct(r.get("overdue_rate"))
    chart = Chart(t("各部门超期线索（前 15）", "Overdue leads by department (first 15)", lang),
                  tuple(Bar(str(r["dept_name"]), int(r["overdue"]), str(int(r["overdue"])))
                        for r in depts if int(r["overdue"]) > 0)[:15])
    # networks joined through ties first (二人是夫妻...), then the largest
    net_rows = sorted(to_records(source.lead_networks),
                      key=lambda n: (-len(n["ties"]), -int(n["leads"]), str(n["network_id"])))
    links = tuple(_link(t(f"线索网络 {n['network_id']}", f"Lead network {n['network_id']}", lang),
                        "lead-network", n["network_id"])
                  for n in net_rows[: options.views_per_section]) if options.views else ()
    tot = found["lead_totals"]
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
                      _columns(LEAD_COLUMNS, lang), tuple(rows), limit=25),
                Table("lead_networks", t("线索网络", "Lead networks", lang),
                      _columns(NETWORK_COLUMNS, lang), tuple(net_rows), limit=15)),
        links=links)


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
                      _columns(AUDIT_ONLY_COLUMNS, lang), tuple(to_records(rep.audit_only))),
                Table("red_flag_units", t("有审计发现、尚未巡察的单位", "Audited units not yet inspected",
                                          lang),
                      _columns(RED_FLAG_COLUMNS, lang), tuple(to_records(rep.red_flag_units)))))


RECT_COLUMNS = (("round_id", ("轮次", "Round")), ("round_name", ("轮次名称", "Name")),
                ("problems", ("问题", "Problems")), ("rectified", ("已整改", "Rectified")),
                ("rate_text", ("完成率", "Rate")), ("measures", ("措施", "Measures")),
                ("overdue_measures", ("超期措施", "Overdue measures")),
                ("reopened", ("回炉", "Reopened")))


def rectification(tables, rules, options, found: dict) -> Section:
    from linkgraph.analysis import rectification as rect

    lang = options.lang
    table = rect.completion(tables, rules, options.as_of, "round")
    rows = to_records(table)
    for r in rows:
        r["rate_text"] = pct(r.get("rate"))
    found["rect_total"] = rows[-1] if rows else {}
    rounds = [r for r in rows[:-1] if r.get("problems")]
    rounds = sorted(rounds, key=lambda r: str(r["round_id"]))[-15:]
    chart = Chart(t("各轮次整改完成率（最近 15 轮）", "Rectification rate by round (latest 15)", lang),
                  tuple(Bar(f"{r['round_id']} {r.get('round_name') or ''}".strip(),
                            float(r["rate"] or 0), pct(r["rate"])) for r in rounds), max_value=1.0)
    tot = found["rect_total"]
    return Section(
        "rectification", t("整改落实", "Rectification", lang),
        paragraphs=(t(f"问题的全部整改措施完成即为整改完成；整改完成率 {pct(tot.get('rate'))}"
                      f"（{int(tot.get('rectified', 0)):,}/{int(tot.get('problems', 0)):,}），超期措施 "
                      f"{int(tot.get('overdue_measures', 0)):,} 项，回炉整改 {int(tot.get('reopened', 0)):,} 项。",
                      f"A problem is rectified when all its measures are done; rate "
                      f"{pct(tot.get('rate'))} ({int(tot.get('rectified', 0)):,}/"
                      f"{int(tot.get('problems', 0)):,}), {int(tot.get('overdue_measures', 0)):,} "
                      f"measures overdue, {int(tot.get('reopened', 0)):,} reopened.", lang),),
        charts=(chart,) if chart.bars else (),
        tables=(Table("rectification_by_round", t("按轮次", "By round", lang),
                      _columns(RECT_COLUMNS, lang), tuple(rows), limit=200),))


PRIORITY_COLUMNS = (("rank", ("排名", "Rank")), ("unit_name", ("单位", "Unit")),
                    ("region_name", ("区域", "Region")), ("sector", ("系统", "Sector")),
                    ("score", ("得分", "Score")), ("reasons", ("理由", "Reasons")))


def priorities(tables, rules, options, found: dict) -> Section:
    from linkgraph.analysis.priorities import load_weights, priorities as rank

    lang = options.lang
    clusters = found.get("cluster_unit_ids")
    ranked = rank(tables, rules, options.as_of, weights=load_weights(None),
                  cluster_unit_ids=clusters)
    rows = to_records(ranked.head(200))
    chart = Chart(t("得分最高的单位", "Highest scores", lang),
                  tuple(Bar(str(r["unit_name"]), float(r["score"]), f"{float(r['score']):.2f}")
                        for r in rows[:12]))
    links: list[Link] = []
    if options.views:
        for r in rows[: options.views_per_section]:
            links.append(_link(t(f"{r['unit_name']} 关系图", f"{r['unit_name']} graph", lang),
                               "unit", r["unit_id"]))
        leaders = [r for r in rows[: options.views_per_section] if r.get("top_leader_id")]
        for r in leaders[:1]:
            links.append(_link(t(f"一把手画像：{r['top_leader_name']}（{r['unit_name']}）",
                                 f"Top-leader portrait: {r['top_leader_name']} ({r['unit_name']})",
                                 lang), "portrait", r["top_leader_id"]))
    return Section(
        "priorities", t("下一轮巡察对象建议", "Who to inspect next", lang),
        paragraphs=(t("按信访举报、未被印证的审计发现、未整改问题、超期措施、距上次巡察时间、一把手任职"
                      "年限和是否属于共性问题加权排序，理由逐条写明（权重见 priorities.toml）。",
                      "Ranked by petitions, audit findings no inspection corroborates, open "
                      "problems, overdue measures, time since the last inspection, a top leader "
                      "long in post and membership in a systemic cluster (weights in "
                      "priorities.toml), with the reasons in words.", lang),),
        charts=(chart,) if chart.bars else (),
        tables=(Table("priorities", t("排序（前 200）", "Ranking (first 200)", lang),
                      _columns(PRIORITY_COLUMNS, lang), tuple(rows), limit=20),),
        links=tuple(links))
