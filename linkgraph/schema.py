"""The data contract: tables, columns, Chinese aliases, types and references.

This module is data, not logic: loaders map headers through it, the checker
validates against it, the graph builder reads labels and keys from it, and the
generator writes files that follow it.  See DESIGN.md, "The data contract".

Column kinds:

``id``      an identifier: NFKC, trimmed (``Ｐ０１ `` == ``P01``)
``text``    free text: NFKC, trimmed
``date``    any date format DESIGN.md lists, Excel serials included
``int``     whole number (``1975``, ``1975.0``)
``float``   amount (``1,234.5``, ``12.5万``)
``bool``    是/否, Y/N, 1/0, true/false; empty = false
``vocab:X`` closed vocabulary X (see ``vocab.py``), Chinese or English
``ids``     ``;``-separated identifiers
``list``    ``;``-separated text values
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

#: A dataset's tables by name (``units``, ``problems`` …), canonical columns.
Tables = Mapping[str, pd.DataFrame]


@dataclass(frozen=True)
class Column:
    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "text"
    required: bool = False
    ref: str | None = None  # referenced table name (its key column)


@dataclass(frozen=True)
class Table:
    name: str
    aliases: tuple[str, ...]
    columns: tuple[Column, ...]
    label: str | None = None  # graph node label for entity tables
    key: tuple[str, ...] = ()  # unique key (one column for entity tables)
    parent: str | None = None  # column naming a parent row of the same table

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _c(name: str, *aliases: str, kind: str = "text", required: bool = False,
       ref: str | None = None) -> Column:
    return Column(name, tuple(aliases), kind, required, ref)


TABLES: tuple[Table, ...] = (
    Table("regions", ("区域", "地区"), (
        _c("region_id", "区域编码", kind="id", required=True),
        _c("name", "区域名称", required=True),
        _c("level", "层级"),
        _c("parent_id", "上级区域编码", kind="id", ref="regions"),
    ), label="Region", key=("region_id",), parent="parent_id"),
    Table("units", ("单位", "被巡察单位", "党组织"), (
        _c("unit_id", "单位编码", kind="id", required=True),
        _c("name", "单位名称", required=True),
        _c("region_id", "所属区域编码", kind="id", ref="regions"),
        _c("sector", "系统", "行业", "领域"),
        _c("level", "层级"),
        _c("kind", "单位类型"),
        _c("parent_id", "上级单位编码", kind="id", ref="units"),
    ), label="Unit", key=("unit_id",), parent="parent_id"),
    Table("people", ("人员", "干部"), (
        _c("person_id", "人员编码", kind="id", required=True),
        _c("name", "姓名", required=True),
        _c("hometown_region_id", "籍贯区域编码", kind="id", ref="regions"),
        _c("birth_year", "出生年份", kind="int"),
        _c("gender", "性别"),
        _c("specialty", "业务特长"),
    ), label="Person", key=("person_id",)),
    Table("posts", ("任职", "任职经历"), (
        _c("person_id", "人员编码", kind="id", required=True, ref="people"),
        _c("unit_id", "单位编码", kind="id", required=True, ref="units"),
        _c("title", "职务"),
        _c("is_top_leader", "是否一把手", kind="bool"),
        _c("start", "任职开始", "起始时间", kind="date"),
        _c("end", "任职结束", "终止时间", kind="date"),
    )),
    Table("ties", ("社会关系", "关系"), (
        _c("person_a", "人员编码A", kind="id", required=True, ref="people"),
        _c("person_b", "人员编码B", kind="id", required=True, ref="people"),
        _c("relation", "关系", "关系类型", kind="vocab:relation", required=True),
        _c("since", "起始时间", kind="date"),
        _c("source", "来源"),
    )),
    Table("rounds", ("轮次", "巡察轮次"), (
        _c("round_id", "轮次编码", kind="id", required=True),
        _c("name", "轮次名称", required=True),
        _c("kind", "巡察类型", kind="vocab:round_kind"),
        _c("start", "开始时间", kind="date"),
        _c("end", "结束时间", kind="date"),
        _c("organizer_region_id", "组织区域编码", kind="id", ref="regions"),
        _c("term", "届次"),
    ), label="Round", key=("round_id",)),
    Table("teams", ("巡察组",), (
        _c("team_id", "巡察组编码", kind="id", required=True),
        _c("round_id", "轮次编码", kind="id", required=True, ref="rounds"),
        _c("name", "巡察组名称"),
        _c("home_region_id", "派出区域编码", kind="id", ref="regions"),
        _c("cross_mode", "交叉方式"),
    ), label="Team", key=("team_id",)),
    Table("team_members", ("巡察组成员",), (
        _c("team_id", "巡察组编码", kind="id", required=True, ref="teams"),
        _c("person_id", "人员编码", kind="id", required=True, ref="people"),
        _c("role", "角色", "职务", kind="vocab:role"),
        _c("seconded_from_unit_id", "抽调单位编码", kind="id", ref="units"),
    ), key=("team_id", "person_id")),
    Table("assignments", ("巡察对象", "巡察安排"), (
        _c("round_id", "轮次编码", kind="id", required=True, ref="rounds"),
        _c("team_id", "巡察组编码", kind="id", required=True, ref="teams"),
        _c("unit_id", "单位编码", kind="id", required=True, ref="units"),
    ), key=("round_id", "unit_id")),
    Table("problems", ("问题", "发现问题", "问题清单"), (
        _c("problem_id", "问题编码", kind="id", required=True),
        _c("unit_id", "单位编码", kind="id", required=True, ref="units"),
        _c("round_id", "轮次编码", kind="id", ref="rounds"),
        _c("category", "问题类别", "问题类型", required=True),
        _c("subcategory", "问题子类"),
        _c("description", "问题描述", "具体问题"),
        _c("found_date", "发现时间", kind="date"),
        _c("person_ids", "涉及人员", kind="ids", ref="people"),
        _c("immediate", "立行立改", kind="bool"),
        _c("focus", "对应四聚焦", "对应四落实"),
        _c("key_concern", "是否重点关注", kind="bool"),
    ), label="Problem", key=("problem_id",)),
    Table("leads", ("问题线索", "线索"), (
        _c("lead_id", "线索编码", kind="id", required=True),
        _c("unit_id", "单位编码", kind="id", ref="units"),
        _c("round_id", "轮次编码", kind="id", ref="rounds"),
        _c("problem_id", "问题编码", kind="id", ref="problems"),
        _c("person_id", "涉及人员编码", kind="id", ref="people"),
        _c("transferred_to", "移交单位", "移交部门", kind="id", required=True,
           ref="departments"),
        _c("transfer_date", "移交时间", kind="date"),
        _c("received_date", "签收时间", kind="date"),
        _c("due_date", "办结时限", kind="date"),
        _c("closed_date", "办结时间", kind="date"),
        _c("disposition", "处置方式", kind="vocab:disposition"),
        _c("outcome", "处理结果", kind="vocab:outcome"),
        _c("signed_by", "签字", kind="list"),
        _c("source", "线索来源"),
        _c("discipline", "涉及纪律"),
    ), label="Lead", key=("lead_id",)),
    Table("departments", ("部门", "职能部门"), (
        _c("dept_id", "部门编码", kind="id", required=True),
        _c("name", "部门名称", required=True),
        _c("kind", "部门类型", kind="vocab:dept_kind"),
        _c("region_id", "所属区域编码", kind="id", ref="regions"),
        _c("supervises", "负责问题类别", kind="list"),
    ), label="Department", key=("dept_id",)),
    Table("measures", ("整改措施", "整改台账"), (
        _c("measure_id", "措施编码", kind="id", required=True),
        _c("problem_id", "问题编码", kind="id", required=True, ref="problems"),
        _c("description", "整改措施"),
        _c("owner_person_id", "责任人编码", kind="id", ref="people"),
        _c("owner_dept_id", "责任部门编码", kind="id", ref="departments"),
        _c("due_date", "整改时限", kind="date"),
        _c("status", "整改状态", kind="vocab:status"),
        _c("completed_date", "完成时间", kind="date"),
        _c("reopened", "回炉整改", kind="bool"),
    ), label="Measure", key=("measure_id",)),
    Table("audits", ("审计发现", "审计问题"), (
        _c("finding_id", "审计编码", kind="id", required=True),
        _c("unit_id", "单位编码", kind="id", required=True, ref="units"),
        _c("category", "问题类别"),
        _c("description", "问题描述"),
        _c("amount", "金额", "涉及金额", kind="float"),
        _c("audit_date", "审计时间", kind="date"),
    ), label="AuditFinding", key=("finding_id",)),
    Table("petitions", ("信访举报", "信访"), (
        _c("petition_id", "信访编码", kind="id", required=True),
        _c("unit_id", "单位编码", kind="id", ref="units"),
        _c("person_id", "被反映人编码", kind="id", ref="people"),
        _c("channel", "渠道", "来源"),
        _c("date", "时间", kind="date"),
        _c("topic", "反映问题"),
    ), label="Petition", key=("petition_id",)),
    # 人才库 / 组长库: one row per person × pool, read by ``linkgraph staff``
    Table("pool", ("人才库", "组长库", "巡察人才库", "巡察干部库"), (
        _c("person_id", "人员编码", kind="id", required=True, ref="people"),
        _c("pool_kind", "人才库类别", "库别", "入库类别", kind="vocab:pool_kind", required=True),
        _c("specialties", "专业特长", "特长标签", kind="list"),
        _c("source_unit_id", "所在单位编码", "派出单位编码", "抽调单位编码", kind="id",
           ref="units"),
        _c("available_from", "可用开始", "可抽调起始", kind="date"),
        _c("available_to", "可用结束", "可抽调截止", kind="date"),
        _c("rounds_served", "参加巡察轮数", "已参加轮次", kind="int"),
        _c("is_new", "是否新人", "以干代训", kind="bool"),
    ), key=("person_id", "pool_kind")),
    Table("reviews", ("整改审核", "会审", "审核记录", "联审"), (
        _c("review_id", "审核编码", kind="id", required=True),
        _c("unit_id", "单位编码", kind="id", ref="units"),
        _c("round_id", "轮次编码", kind="id", ref="rounds"),
        _c("subject", "审核事项", "审核内容", kind="vocab:review_subject", required=True),
        _c("measure_id", "措施编码", kind="id", ref="measures"),
        _c("problem_id", "问题编码", kind="id", ref="problems"),
        _c("submitted_date", "报送时间", "提交时间", kind="date"),
        _c("review_date", "审核时间", "会审时间", kind="date"),
        _c("reviewers", "审核单位", "会审单位", "审核部门", kind="list"),
        _c("verdict", "审核结果", "审核意见", kind="vocab:review_verdict", required=True),
        _c("reason", "理由", "退回原因", "说明"),
    ), label="Review", key=("review_id",)),
    Table("results", ("成果", "巡察成果", "整改成果"), (
        _c("result_id", "成果编码", kind="id", required=True),
        _c("unit_id", "单位编码", kind="id", ref="units"),
        _c("round_id", "轮次编码", kind="id", ref="rounds"),
        _c("lead_id", "线索编码", kind="id", ref="leads"),
        _c("date", "时间", "取得时间", kind="date"),
        _c("recovered_amount", "追缴（退回）资金", "追缴退回资金", "追缴资金", "退回资金",
           kind="float"),
        _c("loss_recovered", "挽回损失", "挽回经济损失", kind="float"),
        _c("rules_new", "新建制度", "新建制度机制", kind="int"),
        _c("rules_revised", "修订制度", "修订完善制度", kind="int"),
        _c("accountable", "追责问责", "追责问责人数", kind="int"),
        _c("accountability_kind", "问责方式", "追责方式", "处理方式"),
        _c("person_ids", "追责人员", "问责人员", kind="ids", ref="people"),
    ), label="Result", key=("result_id",)),
    Table("lead_people", ("线索人员", "线索涉及人员"), (
        _c("lead_id", "线索编码", kind="id", required=True, ref="leads"),
        _c("person_id", "人员编码", "涉及人员编码", kind="id", ref="people"),
        _c("name", "姓名", "被反映人"),
        _c("outcome", "处理结果", kind="vocab:outcome"),
    )),
    Table("talks", ("政治谈话", "巡察政治谈话", "谈话记录"), (
        _c("talk_id", "谈话编码", kind="id", required=True),
        _c("unit_id", "单位编码", kind="id", required=True, ref="units"),
        _c("round_id", "轮次编码", kind="id", ref="rounds"),
        _c("stage", "谈话阶段", "阶段", kind="vocab:talk_stage"),
        _c("form", "谈话形式", "形式"),
        _c("person_ids", "谈话对象", kind="ids", ref="people"),
        _c("date", "谈话时间", "时间", kind="date"),
        _c("trigger", "启动情形", "谈话事由"),
    ), label="Talk", key=("talk_id",)),
    Table("visits", ("回访", "回访记录", "体验式回访"), (
        _c("visit_id", "回访编码", kind="id", required=True),
        _c("unit_id", "单位编码", kind="id", required=True, ref="units"),
        _c("date", "回访时间", "时间", kind="date"),
        _c("kind", "回访方式", "方式"),
        _c("measure_ids", "回访措施", "措施编码", kind="ids", ref="measures"),
        _c("verdict", "回访结论", "结论"),
        _c("findings", "发现问题", "回访发现"),
    ), label="Visit", key=("visit_id",)),
    Table("supervision_info", ("监督信息", "日常监督信息", "巡前征集信息"), (
        _c("info_id", "信息编码", kind="id", required=True),
        _c("from_dept_id", "提供部门", "来源部门", kind="id", ref="departments"),
        _c("unit_id", "单位编码", kind="id", ref="units"),
        _c("person_id", "人员编码", kind="id", ref="people"),
        _c("date", "时间", "提供时间", kind="date"),
        _c("text", "内容", "监督信息"),
    ), label="SupervisionInfo", key=("info_id",)),
    Table("self_checks", ("自查", "自查自纠", "未巡先改"), (
        _c("check_id", "自查编码", kind="id", required=True),
        _c("unit_id", "单位编码", kind="id", required=True, ref="units"),
        _c("cluster_id", "问题群"),
        _c("category", "问题类别"),
        _c("date", "自查时间", "时间", kind="date"),
        _c("problems_found", "自查发现问题数", "发现问题数", kind="int"),
    ), label="SelfCheck", key=("check_id",)),
)

TABLE_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}

#: Order in which tables must be checked so that a referenced row is judged
#: before the rows that refer to it (a rejected person rejects their posts).
LOAD_ORDER: tuple[str, ...] = (
    "regions", "units", "people", "departments", "rounds", "teams",
    "team_members", "assignments", "posts", "ties", "problems", "leads",
    "measures", "audits", "petitions", "pool", "reviews", "results", "lead_people", "talks",
    "visits", "supervision_info", "self_checks",
)

#: The optional tables of the 成果 and review process (issue 19).  All but
#: ``lead_people`` are graph nodes (Review, Result, Talk, Visit,
#: SupervisionInfo, SelfCheck); ``lead_people`` gives Lead-[:IMPLICATES]->Person
#: and keeps people not on the roster (案外人) on the Lead.
OUTCOME_TABLES: tuple[str, ...] = (
    "reviews", "results", "lead_people", "talks", "visits", "supervision_info", "self_checks",
)

#: Tables that are tables only, not in the graph: the staffing pool (人才库).
#: Its rows say who may be drawn into a team next (availability, rounds served,
#: the pool a person is in), a planning input of ``staff`` that changes between
#: rounds, not a fact of inspection; Person nodes describe the person.  A graph
#: pulled back from Neo4j gives it empty (docs/DATA.md, "Graph").
TABLE_ONLY: tuple[str, ...] = ("pool",)

#: The tables the property graph (and Neo4j) holds: every table but those.
GRAPH_TABLES: tuple[str, ...] = tuple(t.name for t in TABLES if t.name not in TABLE_ONLY)

#: Tables a dataset cannot do without.
REQUIRED_TABLES: tuple[str, ...] = ("units",)


def key_column(table: str) -> str:
    """The single key column of an entity table (``units`` -> ``unit_id``)."""
    spec = TABLE_BY_NAME[table]
    if len(spec.key) != 1:
        raise KeyError(f"{table} has no single key")
    return spec.key[0]

