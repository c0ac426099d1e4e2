"""Report section: the rosters of the round's teams (巡察组人员配备), from the 人才库."""
from __future__ import annotations

from linkgraph.report.model import Section, Table
from linkgraph.report.options import ReportOptions
from linkgraph.report.sections.common import columns
from linkgraph.report.words import t
from linkgraph.session import Session

ROSTER_COLUMNS = (("team_name", ("巡察组", "Team")), ("role", ("角色", "Role")),
                  ("person_name", ("姓名", "Name")), ("source_unit", ("所在单位", "Comes from")),
                  ("specialties", ("专业特长", "Specialties")),
                  ("staff_reason", ("入选理由", "Why this member")))
UNCOVERED_COLUMNS = (("team_name", ("巡察组", "Team")), ("need_specialty", ("未覆盖特长",
                                                                            "Not covered")),
                     ("need_units", ("需要该特长的单位", "Units needing it")),
                     ("need_reason", ("需要的依据", "Why it is needed")),
                     ("uncovered_reason", ("原因", "Why")))


def roster(source: Session, options: ReportOptions) -> Section:
    """The rosters ``linkgraph staff`` gives for ``--round`` (when DATA has a pool)."""
    from linkgraph.errors import LinkgraphError

    lang = options.lang
    title = t("巡察组人员配备", "Team rosters", lang)
    if not options.round_id:
        return Section("roster", title, note=t("未指定轮次（--round），不生成人员配备。",
                                               "No round given (--round): no rosters.", lang))
    if source.tables.get("pool") is None or source.tables["pool"].empty:
        return Section("roster", title, note=t(
            "数据中没有人才库（pool 表），不生成人员配备。",
            "DATA has no pool table: no rosters.", lang))
    try:
        r = source.roster(options.round_id, lang)
    except LinkgraphError as exc:
        return Section("roster", title, note=t(f"轮次 {options.round_id} 配不出名单：{exc}",
                                               f"No roster for round {options.round_id}: {exc}",
                                               lang))
    teams = len({m["team_id"] for m in r.members})
    state = t("已证明最优" if r.optimal else f"可行解（差距 {r.gap:.2%}）",
              "proven optimal" if r.optimal else f"feasible (gap {r.gap:.2%})", lang)
    tables = [Table("roster", t("名单", "Rosters", lang), columns(ROSTER_COLUMNS, lang),
                    tuple(r.members), limit=300)]
    if r.uncovered:
        tables.append(Table("uncovered_needs", t("未覆盖的特长", "Specialties not covered", lang),
                            columns(UNCOVERED_COLUMNS, lang), tuple(r.uncovered), limit=100))
    return Section("roster", title, paragraphs=(t(
        f"轮次 {options.round_id}：{teams} 个巡察组共 {len(r.members)} 人，{state}；未覆盖特长 "
        f"{len(r.uncovered)} 项，名单中的提示性关系 {len(r.soft_conflicts)} 条。每名成员与本组"
        "所有被巡察单位均无回避。",
        f"Round {options.round_id}: {teams} teams, {len(r.members)} people, {state}; "
        f"{len(r.uncovered)} specialties not covered, {len(r.soft_conflicts)} soft conflicts "
        "left. No member has a hard conflict with a unit of their team.", lang),),
        tables=tuple(tables))
