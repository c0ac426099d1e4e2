"""Words a view shows: label, relation and field names (中文 / English),
value formatting, display text and tooltip rows.  Pure functions, no HTML.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from functools import cache

from linkgraph.catalogue import label as vocab_label
from linkgraph.catalogue import relation_label
from linkgraph.views.spec import TooltipRow

LANGS = ("zh", "en")

LABEL_NAMES: dict[str, tuple[str, str]] = {
    "Region": ("区域", "Region"),
    "Unit": ("单位", "Unit"),
    "Person": ("人员", "Person"),
    "Round": ("巡察轮次", "Round"),
    "Team": ("巡察组", "Team"),
    "Problem": ("问题", "Problem"),
    "Category": ("问题类别", "Category"),
    "Lead": ("问题线索", "Lead"),
    "Department": ("职能部门", "Department"),
    "Measure": ("整改措施", "Measure"),
    "AuditFinding": ("审计发现", "Audit finding"),
    "Petition": ("信访举报", "Petition"),
    "Review": ("整改审核", "Review"),
    "Result": ("巡察成果", "Result"),
    "Talk": ("政治谈话", "Talk"),
    "Visit": ("回访", "Visit"),
    "SupervisionInfo": ("监督信息", "Supervision information"),
    "SelfCheck": ("自查", "Self-check"),
    "Sector": ("系统", "Sector"),
}

EDGE_NAMES: dict[str, tuple[str, str]] = {
    "IN_REGION": ("所属区域", "in region"),
    "PART_OF": ("隶属", "part of"),
    "HOLDS_POST": ("任职", "holds post"),
    "TIE": ("社会关系", "tie"),
    "FROM_REGION": ("籍贯", "from region"),
    "IN_ROUND": ("所属轮次", "in round"),
    "MEMBER_OF": ("巡察组成员", "member of"),
    "INSPECTS": ("巡察", "inspects"),
    "FOUND_IN": ("发现于", "found in"),
    "OF_CATEGORY": ("问题类别", "of category"),
    "INVOLVES": ("涉及", "involves"),
    "ARISES_FROM": ("来源于", "arises from"),
    "CONCERNS": ("涉及单位", "concerns"),
    "TRANSFERRED_TO": ("移交", "transferred to"),
    "RECTIFIES": ("整改", "rectifies"),
    "OWNED_BY": ("责任主体", "owned by"),
    "AUDITS": ("审计", "audits"),
    "CORROBORATES": ("相互印证", "corroborates"),
    "ABOUT": ("反映", "about"),
    "SUPERVISES": ("主管", "supervises"),
    "REVIEWS": ("审核", "reviews"),
    "RESULT_OF": ("成果所属", "result of"),
    "HELD_ACCOUNTABLE": ("追责问责", "held accountable"),
    "TALK_AT": ("谈话单位", "talk at"),
    "TALKED_TO": ("谈话对象", "talked to"),
    "VISITS": ("回访", "visits"),
    "CHECKS": ("回访措施", "checks"),
    "PROVIDED_BY": ("提供部门", "provided by"),
    "SELF_CHECKS": ("自查单位", "self-check of"),
    "IMPLICATES": ("线索涉及人员", "implicates"),
    # edges of derived views (not in the graph model)
    "IN_SECTOR": ("所属系统", "in sector"),
    "CROSS_INSPECTS": ("交叉巡察", "cross-inspects"),
    "CONFLICT": ("冲突关联", "conflict link"),
}

#: Property names -> Chinese field names (data contract columns).
FIELD_NAMES_ZH: dict[str, str] = {
    "id": "编码", "name": "名称", "level": "层级", "parent_id": "上级编码",
    "region_id": "所属区域", "sector": "系统/行业", "kind": "类型",
    "hometown_region_id": "籍贯", "birth_year": "出生年份", "gender": "性别",
    "specialty": "业务特长", "title": "职务", "is_top_leader": "是否一把手",
    "start": "开始时间", "end": "结束时间", "relation": "关系",
    "since": "起始时间", "source": "来源", "organizer_region_id": "组织区域",
    "term": "届次", "round_id": "轮次", "team_id": "巡察组",
    "home_region_id": "派出区域", "cross_mode": "交叉方式", "role": "角色",
    "seconded_from_unit_id": "抽调单位", "unit_id": "单位",
    "category": "问题类别", "subcategory": "问题子类", "description": "描述",
    "found_date": "发现时间", "person_ids": "涉及人员", "immediate": "立行立改",
    "focus": "对应四聚焦", "key_concern": "重点关注", "problem_id": "问题",
    "person_id": "人员", "transferred_to": "移交部门",
    "transfer_date": "移交时间", "received_date": "签收时间",
    "due_date": "时限", "closed_date": "办结时间", "disposition": "处置方式",
    "outcome": "处理结果", "signed_by": "签字", "discipline": "涉及纪律",
    "dept_id": "部门", "supervises": "负责问题类别",
    "owner_person_id": "责任人", "owner_dept_id": "责任部门",
    "status": "整改状态", "completed_date": "完成时间", "reopened": "回炉整改",
    "amount": "金额", "audit_date": "审计时间", "channel": "渠道",
    "date": "时间", "topic": "反映问题", "weight": "权重",
    "problems": "问题数", "units": "单位数", "open_problems": "未整改问题",
    "leads": "线索数", "cost": "代价", "soft_conflicts": "软冲突",
    "unit_count": "巡察单位数", "explanation": "说明", "level_zh": "冲突等级",
    "relation_zh": "关系", "score": "分值", "relation_word": "关系（原文）",
    "kinship": "亲属路径", "reason": "配对理由", "sector_name": "系统/行业",
    "category_written": "问题类别（原文）", "category_area": "问题领域（四个聚焦）",
    "category_branch": "问题方面",
    # the 成果 and review records (issue 19)
    "subject": "审核事项", "measure_id": "措施", "submitted_date": "报送时间",
    "review_date": "审核时间", "reviewers": "审核单位", "verdict": "结论",
    "lead_id": "线索", "recovered_amount": "追缴（退回）资金（元）",
    "loss_recovered": "挽回损失（元）", "rules_new": "新建制度", "rules_revised": "修订制度",
    "accountable": "追责问责人数", "accountability_kind": "问责方式",
    "stage": "谈话阶段", "form": "谈话形式", "trigger": "启动情形",
    "measure_ids": "回访措施", "findings": "发现问题", "from_dept_id": "提供部门",
    "text": "内容", "cluster_id": "问题群", "problems_found": "自查发现问题数",
    "outside_people": "案外人", "outside_outcomes": "案外人处理结果",
}

#: Words of the page itself.
UI: dict[str, tuple[str, str]] = {
    "type": ("类型", "Type"),
    "degree": ("关系数", "Links"),
    "relation": ("关系类型", "Relation"),
    "from": ("从", "From"),
    "to": ("到", "To"),
    "summary": ("汇总", "Summary"),
    "attached": ("所属", "Attached to"),
    "linked": ("其中相连", "Of which linked"),
    "hint": ("提示", "Hint"),
    "hint_expand": ("双击展开部分成员", "Double-click to show some members"),
    "legend": ("图例（点击隐藏/显示）", "Legend (click to hide/show)"),
    "search": ("搜索名称或编码", "Search name or id"),
    "search_btn": ("搜索", "Search"),
    "filter_all": ("全部类型", "All labels"),
    "filter": ("按类型筛选", "Filter by label"),
    "found": ("找到 {n} 个节点", "Found {n} nodes"),
    "not_found": ("未找到“{q}”", "No node matches “{q}”"),
    "no_more": ("此节点没有嵌入更多邻居", "No further neighbours embedded for this node"),
    "expanded": ("已展开 {n} 个邻居", "Added {n} neighbours"),
    "expanded_omitted": ("已展开 {n} 个邻居（另有 {m} 个未嵌入）",
                         "Added {n} neighbours ({m} more not embedded)"),
    "collapsed": ("已收起", "Collapsed"),
    "highlight": ("重点关系", "Highlighted link"),
    "folded": ("已聚合在汇总节点中", "inside summary nodes"),
    "dblclick": ("双击节点展开/收起邻居；滚轮缩放，拖动平移",
                 "Double-click a node to expand/collapse; wheel zooms, drag pans"),
    "provenance": ("来源（输入文件、版本、命令、生成时间）",
                   "Provenance (input files, version, command, time)"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
}


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def ui(key: str, lang: str) -> str:
    return pick(UI[key], lang)


def label_name(label: str, lang: str) -> str:
    return pick(LABEL_NAMES[label], lang) if label in LABEL_NAMES else label


def edge_name(edge_type: str, lang: str) -> str:
    return pick(EDGE_NAMES[edge_type], lang) if edge_type in EDGE_NAMES else edge_type


#: Property names whose English header is not the catalogue's (or that it lacks).
FIELD_NAMES_EN: dict[str, str] = {
    "id": "ID", "hometown_region_id": "Hometown", "is_top_leader": "Top leader",
    "parent_id": "Parent ID", "organizer_region_id": "Organising region",
    "home_region_id": "Home region", "seconded_from_unit_id": "Seconded from",
    "transferred_to": "Transferred to", "level_zh": "Conflict level", "relation_zh": "Relation",
    "relation_word": "Relation (as written)", "kinship": "Kinship path",
    "unit_count": "Units inspected", "soft_conflicts": "Soft conflicts", "cost": "Cost",
    "weight": "Weight", "open_problems": "Open problems", "units": "Units",
    "supervises": "Categories supervised", "immediate": "Fixed on the spot",
    "key_concern": "Key concern", "focus": "Focus", "specialty": "Specialty",
    "cross_mode": "Cross mode", "term": "Term", "channel": "Channel", "topic": "Topic",
    "date": "Date", "since": "Since", "source": "Source", "title": "Title",
    "birth_year": "Birth year", "gender": "Gender", "subcategory": "Subcategory",
    "discipline": "Discipline", "explanation": "Evidence",
    "category_written": "Category as written", "category_area": "Category area",
    "category_branch": "Category branch",
}


def field_name(key: str, lang: str) -> str:
    """A property's name in a tooltip: the data contract's Chinese column,
    or an English header (catalogue, else ours, else the words of the key)."""
    if lang != "en":
        return FIELD_NAMES_ZH.get(key, key)
    if key in FIELD_NAMES_EN:
        return FIELD_NAMES_EN[key]
    from linkgraph.catalogue import catalogue

    header = catalogue().header(key, "en")
    return header if header != key else key.replace("_", " ").capitalize()


#: Coded properties and the catalogue vocabulary that names their values;
#: ``kind`` depends on the node's label (a unit's kind is as written).
VALUE_VOCABULARY = {"disposition": "disposition", "outcome": "outcome", "status": "status",
                    "role": "role", "stage": "stage", "level_zh": "conflict_level",
                    "specialty": "specialty", "level": "unit_level", "gender": "gender",
                    "channel": "petition_channel"}
KIND_VOCABULARY = {"Round": "round_kind", "Department": "dept_kind", "Unit": "unit_kind"}


@cache
def _schema_vocabularies() -> dict[tuple[str, str], str]:
    """(node label, property) -> vocabulary, for the entity tables' coded
    columns (``vocab:NAME`` in the schema), e.g. a talk's ``stage`` is
    ``talk_stage`` and a review's ``verdict`` is ``review_verdict``."""
    from linkgraph.catalogue import catalogue
    from linkgraph.model import TABLE_LABELS
    from linkgraph.schema import TABLE_BY_NAME

    known = catalogue().values
    found = {}
    for table, label in TABLE_LABELS.items():
        for column in TABLE_BY_NAME[table].columns:
            kind = str(column.kind)
            if kind.startswith("vocab:") and kind[6:] in known:
                found[(label, column.name)] = kind[6:]
    return found


def value_text(label: str | None, key: str, value: object, lang: str) -> object:
    """A coded value (``talk``, ``done``, ``leader``, a round's ``village``)
    in the reader's words; anything else unchanged."""
    if not isinstance(value, str):
        return value
    vocabulary = _schema_vocabularies().get((label or "", key)) or VALUE_VOCABULARY.get(key) or (
        KIND_VOCABULARY.get(label or "") if key == "kind" else None)
    if vocabulary is None:
        if key in ("relation", "relation_zh"):
            return relation_label(value, lang)
        return value
    from linkgraph.catalogue import label as catalogue_label

    return catalogue_label(vocabulary, value, lang)


def count(n: int) -> str:
    return f"{n:,}"


def summary_text(n: int, label: str, lang: str) -> str:
    """``+37 个问题`` / ``+37 × Problem``."""
    if lang == "en":
        return f"+{count(n)} × {label_name(label, lang)}"
    return f"+{count(n)} 个{label_name(label, lang)}"


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def clean(text: str) -> str:
    """Text safe to encode as UTF-8 and to draw on one line (no controls)."""
    text = _SURROGATE.sub("\ufffd", text)
    return _CONTROL.sub(" ", text)


def is_missing(value: object) -> bool:
    if value is None:
        return True
    if type(value).__name__ in ("NAType", "NaTType"):
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def format_value(value: object, lang: str, limit: int = 300) -> str:
    """A property value as the user reads it (dates ISO, bools 是/否, lists ``;``)."""
    if isinstance(value, bool):
        text = ui("yes" if value else "no", lang)
    elif isinstance(value, dt.datetime):
        text = value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    elif isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, float):
        text = f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value)}"
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        text = "; ".join(format_value(v, lang, limit) for v in items if not is_missing(v))
    else:
        text = str(value)
    text = clean(text).replace("\n", " ").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


#: Properties tried, in order, for a node's display text.
_TEXT_FIELDS = ("name", "topic", "description", "category", "title")
_TEXT_FIELDS_BY_LABEL = {
    "Problem": ("name", "category", "description"),
    "AuditFinding": ("name", "category", "description"),
    "Lead": ("name", "disposition", "outcome"),
}
#: Record-like labels whose display text starts with their id (P0001 违规…).
_ID_FIRST = frozenset({"Problem", "AuditFinding", "Lead", "Measure", "Petition"})


def display_text(attrs: Mapping[str, object], key: str, limit: int = 18,
                 lang: str = "zh") -> str:
    """Short text under a node: its name, else a describing field, else its id."""
    for f in _TEXT_FIELDS_BY_LABEL.get(str(attrs.get("label")), _TEXT_FIELDS):
        v = attrs.get(f)
        if f in ("disposition", "outcome") and isinstance(v, str):
            v = vocab_label(f, v, lang)      # 谈话函询, never the code ``talk``
        if not is_missing(v):
            v = value_text(str(attrs.get("label")), f, v, lang)
            if attrs.get("label") in _ID_FIRST and not is_missing(attrs.get("id")):
                return f"{format_value(attrs['id'], 'zh', limit)} {format_value(v, 'zh', limit=10)}"
            return format_value(v, "zh", limit=limit)
    ident = attrs.get("id")
    return format_value(ident if not is_missing(ident) else key, "zh", limit=limit + 8)


def search_text(attrs: Mapping[str, object], key: str) -> str:
    parts = [key] + [format_value(attrs[f], "zh") for f in ("id", "name") if not is_missing(attrs.get(f))]
    return " ".join(parts)


def node_rows(attrs: Mapping[str, object], label: str, degree: int, lang: str) -> tuple[TooltipRow, ...]:
    """Tooltip rows: type, id, name, then every other property by key."""
    rows: list[TooltipRow] = [(ui("type", lang), label_name(label, lang))]
    keys = [k for k in ("id", "name") if k in attrs]
    keys += sorted(k for k in attrs if k not in ("id", "name", "label"))
    for k in keys:
        v = value_text(label, str(k), attrs[k], lang)
        if not is_missing(v) and not (isinstance(v, (list, tuple, set, dict)) and not v):
            rows.append((field_name(clean(str(k)), lang), format_value(v, lang)))
    rows.append((ui("degree", lang), count(degree)))
    return tuple(rows)


def edge_label_text(edge_type: str, attrs: Mapping[str, object], lang: str) -> str:
    """Relation name; TIE edges say which tie (配偶, 同学, ... from the catalogue)."""
    if edge_type == "TIE" and not is_missing(attrs.get("relation")):
        rel = str(attrs["relation"])
        return format_value(relation_label(rel, lang), lang, 12)
    if edge_type == "HOLDS_POST" and not is_missing(attrs.get("title")):
        return format_value(attrs["title"], lang, 12)
    return edge_name(edge_type, lang)


def edge_rows(edge_type: str, attrs: Mapping[str, object], source_text: str,
              target_text: str, lang: str) -> tuple[TooltipRow, ...]:
    rows: list[TooltipRow] = [
        (ui("relation", lang), edge_name(edge_type, lang)),
        (ui("from", lang), source_text),
        (ui("to", lang), target_text),
    ]
    for k in sorted(attrs, key=str):
        if k == "type" or is_missing(attrs[k]):
            continue
        v = value_text(None, str(k), attrs[k], lang)
        if k == "kinship" and isinstance(v, str) and v:   # "PGS" -> 父母的兄弟姐妹的儿子
            from linkgraph.kinship import decode

            v = decode(v).describe(lang)
        rows.append((field_name(clean(str(k)), lang), format_value(v, lang)))
    return tuple(rows)
