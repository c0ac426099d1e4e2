"""Report section: the cross-inspection rotation plan (交叉巡察轮换方案)."""
from __future__ import annotations

from linkgraph.report.model import Section, Table
from linkgraph.report.options import ReportOptions
from linkgraph.report.sections.common import columns, view_link
from linkgraph.report.words import one_language, pct, t
from linkgraph.session import Session
from linkgraph.views.kinds_rotation import soft_count

ROTATION_COLUMNS = (("team_name", ("巡察组", "Team")), ("from_region", ("派出区域", "From")),
                    ("to_region", ("巡察区域", "Inspects")), ("units", ("单位数", "Units")),
                    ("cost", ("代价", "Cost")), ("n_soft", ("软冲突", "Soft conflicts")),
                    ("swaps", ("调换组员", "Member swaps")), ("reason", ("理由", "Reason")))
SOFT_COLUMNS = (("team_name", ("巡察组", "Team")), ("person_name", ("组员", "Inspector")),
                ("unit_name", ("单位", "Unit")), ("relation_zh", ("关系", "Relation")),
                ("score", ("分值", "Score")), ("explanation", ("证据", "Evidence")))


def rotation(source: Session, options: ReportOptions) -> Section:
    """The cross-inspection plan of ``--round`` (linkgraph.rotation)."""
    from linkgraph.errors import LinkgraphError

    lang = options.lang
    title = t("交叉巡察轮换方案", "Cross-inspection rotation plan", lang)
    if not options.round_id:
        return Section("rotation", title, note=t(
            "未指定轮次（--round），不生成轮换方案。", "No round given (--round): no plan.", lang))
    try:
        plan = source.rotation_plan(options.round_id).as_record()
    except LinkgraphError as exc:
        why = one_language(str(exc), lang)
        return Section("rotation", title, note=t(f"轮次 {options.round_id} 排不出轮换方案：{why}",
                                                 f"No plan for round {options.round_id}: {why}",
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
    tables_out = [Table("rotation", t("配对", "Pairs", lang), columns(ROTATION_COLUMNS, lang),
                        tuple(rows), limit=200)]
    if soft:
        tables_out.append(Table("rotation_soft_conflicts", t("配对中的软冲突", "Soft conflicts of "
                                                             "the pairs", lang),
                                columns(SOFT_COLUMNS, lang), tuple(soft), limit=50))
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
        links=(view_link(t("轮换环形图", "Rotation ring", lang), "rotation", round_id),)
        if views else ())
