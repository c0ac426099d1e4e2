"""Report section: acquaintance-society conflicts (回避 / 提示) of a round."""
from __future__ import annotations

import pandas as pd

from linkgraph.catalogue import label, relation_label
from linkgraph.report.model import Bar, Chart, Section, Table
from linkgraph.report.options import ReportOptions
from linkgraph.report.sections.common import columns, view_link
from linkgraph.report.words import t
from linkgraph.session import Session

CONFLICT_COLUMNS = (("team_name", ("巡察组", "Team")), ("person_name", ("组员", "Inspector")),
                    ("role", ("角色", "Role")), ("unit_name", ("被巡察单位", "Unit")),
                    ("level_zh", ("等级", "Level")), ("relation_zh", ("关系", "Relation")),
                    ("score", ("分值", "Score")), ("explanation", ("证据", "Evidence")))


def conflicts(source: Session, options: ReportOptions, round_id: str | None) -> Section:
    lang = options.lang
    title = t("熟人社会：回避与提示", "Acquaintance conflicts", lang)
    if round_id is None:
        return Section("conflicts", title, note=t("没有已开始、且有巡察组的轮次。",
                                                  "No round with teams has started.", lang))
    conflicts = source.conflicts(round_id)
    hard = sum(c.level == "hard" for c in conflicts)
    rows = [c.as_record() for c in conflicts]
    if lang == "en":
        for r in rows:
            r["level_zh"] = label("conflict_level", str(r["level"]), "en")
            r["relation_zh"] = relation_label(str(r["relation"]), "en")
    counts = pd.Series([t(f"{r['relation_zh']}（{r['level_zh']}）",
                          f"{r['relation_zh']}: {label('conflict_level', str(r['level']), 'en')}",
                          lang) for r in rows],
                       dtype=object)
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
