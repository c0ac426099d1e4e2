"""Which office ledger a sheet is, from its header words.

The header words are data: per ledger, each *field* (a canonical column,
or an office field such as ``seq`` 序号, ``measure`` 整改措施, ``unit_title``
单位及职务) with the words offices put in the header.  The contract's own
aliases (``linkgraph/schema.py``, matched by ``linkgraph.headers``) count
too, so a sheet already in the contract's words is recognised as well.

A ledger is recognised when its header names the fields it cannot do
without (``SIGNATURES``); among those, the one whose header names most
fields wins.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from linkgraph.headers import column_for
from linkgraph.normalize import header as normal_header

#: ledger → field → header words (normalised on use: NFKC, no spaces).
FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "measures": {  # 整改台账: a problem and its measures in one row
        "seq": ("序号", "编号", "问题序号", "问题编号"),
        "category": ("问题类型", "问题类别", "问题分类", "类别", "类型", "问题领域", "反馈问题类型"),
        "description": ("具体问题", "问题描述", "存在问题", "反馈问题", "问题表现", "问题内容",
                        "巡察反馈问题", "主要问题", "发现问题", "问题清单", "问题", "具体表现",
                        "反馈意见", "巡察反馈意见"),
        "measure": ("整改措施", "整改举措", "具体措施", "整改任务", "整改目标及措施",
                    "整改措施及目标", "措施", "具体整改措施", "整改目标和措施"),
        "leader": ("责任领导", "牵头领导", "分管领导", "领导责任人", "牵头责任领导"),
        "owner_dept": ("责任单位", "责任股室", "责任部门", "牵头单位", "责任股室/单位",
                       "责任科室", "牵头部门", "责任单位(股室)", "牵头股室"),
        "owner": ("责任人", "具体责任人", "直接责任人", "经办人"),
        "due_date": ("整改时限", "完成时限", "整改期限", "时限", "计划完成时间", "整改时间"),
        "status": ("整改情况", "整改进展", "完成情况", "整改状态", "进展情况", "整改进度",
                   "整改结果", "是否完成", "整改完成情况", "整改落实情况", "推进情况"),
        "completed_date": ("完成时间", "销号时间", "实际完成时间", "整改完成时间", "办结时间"),
        "remark": ("备注", "说明"),
        "unit": ("被巡察单位", "单位", "单位名称", "党组织", "被巡察党组织"),
        "found_date": ("发现时间", "反馈时间", "发现日期", "问题发现时间", "反馈日期"),
        "person_ids": ("涉及人员", "涉事人员", "相关责任人", "涉及人员姓名", "涉及干部"),
        "immediate": ("立行立改", "是否立行立改"),
        "reopened": ("回炉整改", "是否回炉"),
        "focus": ("对应四聚焦", "对应四落实", "四个聚焦"),
    },
    "problems": {},  # filled below: the problem half of the 整改台账
    "leads": {
        "seq": ("序号", "编号", "线索编号"),
        "person": ("被反映人", "反映对象", "涉及人员", "被反映人姓名", "涉及对象", "姓名",
                   "涉嫌违纪人员", "问题线索涉及人员"),
        "unit_title": ("单位及职务", "工作单位及职务", "职务", "所在单位及职务", "现任职务",
                       "单位职务", "被反映人单位及职务"),
        "unit": ("被巡察单位", "所在单位", "单位"),
        "description": ("问题线索", "主要问题", "线索内容", "反映问题", "问题线索摘要", "主要内容",
                        "线索摘要", "问题线索内容", "主要问题线索"),
        "source": ("线索来源", "来源"),
        "transfer_date": ("移交时间", "移交日期"),
        "transferred_to": ("承办单位", "承办部门", "移交单位", "移交部门", "移交对象", "接收单位",
                           "承办机关", "移交至"),
        "received_date": ("签收时间", "接收时间", "签收日期"),
        "due_date": ("办结时限", "反馈时限", "报告时限", "办理时限", "办结期限", "办理期限"),
        "disposition": ("处置方式", "处置类型", "办理方式", "处置方式(四种形态)"),
        "closed_date": ("办结时间", "办结日期", "反馈时间"),
        "outcome": ("处理结果", "办理结果", "处置结果", "办理情况", "处理情况", "查处情况"),
        "signed_by": ("签字", "签收人", "签收人签字", "双签字", "经办人签字", "签收", "签收人员",
                      "签字确认", "签收确认", "双签字确认"),
        "sign_office": ("纪检监察室签字", "室签字", "监督检查室签字", "纪检监察室签收人",
                        "纪检监察室负责人签字", "审查调查室签字"),
        "sign_team": ("巡察组签字", "组签字", "巡察组签收人", "巡察组组长签字", "巡察组负责人签字"),
        "discipline": ("涉及纪律", "违反纪律类型"),
        "remark": ("备注",),
    },
    "people": {  # 干部名册
        "seq": ("序号",),
        "name": ("姓名",),
        "gender": ("性别",),
        "birth": ("出生年月", "出生年份", "出生日期", "出生时间"),
        "hometown": ("籍贯", "出生地"),
        "post": ("现任职务", "现任职务(职级)", "工作单位及职务", "职务", "现任职务及职级",
                 "单位及职务", "现工作单位及职务"),
        "post_since": ("任现职时间", "任职时间", "任现职务时间", "任现职级时间"),
        "unit": ("单位", "所在单位", "工作单位", "单位名称"),
        "is_top_leader": ("是否一把手", "是否主要负责人"),
        "resume": ("工作简历", "简历", "主要工作经历", "工作经历", "任职经历", "个人简历", "主要简历"),
        "remark": ("备注",),
    },
    "ties": {  # 回避申报 / 社会关系
        "seq": ("序号",),
        "inspector": ("巡察干部", "本人姓名", "干部姓名", "巡察组成员", "申报人", "姓名"),
        "relative": ("关系人姓名", "亲属姓名", "关系人", "社会关系人姓名", "亲属", "关系人员姓名"),
        "relation": ("与本人关系", "关系", "称谓", "关系类型", "与申报人关系"),
        "relative_unit_title": ("工作单位及职务", "单位及职务", "工作单位", "关系人单位及职务",
                                "关系人工作单位及职务"),
        "inspector_unit_title": ("本人工作单位及职务", "本人单位及职务", "申报人工作单位及职务",
                                 "申报人单位及职务"),
        "since": ("起始时间",),
        "remark": ("备注",),
    },
    "audits": {
        "seq": ("序号",),
        "description": ("审计发现问题", "审计问题", "审计发现", "问题描述", "具体问题", "问题内容"),
        "category": ("问题类别", "问题类型"),
        "amount": ("涉及金额", "金额", "问题金额", "涉及资金"),
        "audit_date": ("审计时间", "审计日期"),
        "unit": ("被审计单位", "单位", "被审计对象"),
        "remark": ("备注",),
    },
    "petitions": {
        "seq": ("序号",),
        "person": ("被反映人", "被举报人", "反映对象"),
        "unit_title": ("单位及职务", "工作单位及职务", "职务"),
        "unit": ("被反映单位", "所在单位", "单位"),
        "channel": ("信访来源", "渠道", "信访渠道", "反映方式", "来源", "举报方式"),
        "date": ("来信时间", "信访时间", "受理时间", "收件时间", "时间", "举报时间"),
        "topic": ("反映问题", "主要问题", "反映内容", "信访内容", "举报内容", "反映的主要问题"),
        "remark": ("备注",),
    },
    "units": {
        "seq": ("序号",),
        "name": ("单位名称", "被巡察单位", "单位", "党组织名称"),
        "region": ("所属区域", "所属乡镇", "区域", "地区", "所在乡镇", "所属地区"),
        "sector": ("系统", "行业", "领域", "所属系统"),
        "kind": ("单位类型", "单位性质", "类型"),
        "parent": ("上级单位", "主管部门", "上级党组织"),
        "level": ("层级", "级别"),
    },
    "assignments": {  # 巡察安排: rounds, their teams and the units each inspects
        "seq": ("序号",),
        "round": ("轮次", "巡察轮次", "轮次名称", "巡察轮次名称"),
        "kind": ("巡察类型", "巡察方式", "巡察形式"),
        "start": ("开始时间", "进驻时间", "巡察开始时间"),
        "end": ("结束时间", "撤离时间", "巡察结束时间"),
        "team": ("巡察组", "组别", "巡察组别", "派出巡察组"),
        "home_region": ("派出区域", "派出地区"),
        "cross_mode": ("交叉方式", "交叉巡察方式"),
        "unit": ("被巡察单位", "巡察对象", "被巡察党组织", "巡察单位"),
        "remark": ("备注",),
    },
    "regions": {  # 区划
        "seq": ("序号",),
        "name": ("区域名称", "区划名称", "地区名称", "行政区划", "区划"),
        "level": ("层级", "级别", "区划层级"),
        "parent": ("上级区域", "上级区划", "所属上级", "上级地区"),
    },
    "departments": {  # 职能部门
        "seq": ("序号",),
        "name": ("部门名称", "职能部门", "部门"),
        "kind": ("部门类型", "部门性质"),
        "region": ("所属区域", "区域"),
        "supervises": ("负责问题类别", "主管问题类别", "负责领域", "牵头负责问题"),
    },
    "team_members": {
        "seq": ("序号",),
        "round": ("轮次", "巡察轮次"),
        "specialty": ("业务特长", "特长"),
        "team": ("巡察组", "组别", "所在组", "巡察组别"),
        "name": ("姓名", "巡察干部"),
        "role": ("组内职务", "角色", "担任职务", "组内分工", "职务"),
        "seconded_from": ("原单位", "抽调单位", "工作单位", "派出单位", "所在单位"),
    },
}
FIELDS["problems"] = {k: v for k, v in FIELDS["measures"].items()
                      if k not in ("measure", "leader", "owner_dept", "owner", "due_date",
                                   "status", "completed_date", "reopened")}

#: Fields a ledger must have to be recognised as that ledger (any one set).
SIGNATURES: dict[str, tuple[frozenset[str], ...]] = {
    "measures": (frozenset({"description", "measure"}), frozenset({"description", "status"})),
    "problems": (frozenset({"description", "category"}), frozenset({"description", "seq"})),
    "leads": tuple(frozenset({p, q}) for p in ("person", "description")
                   for q in ("transferred_to", "transfer_date", "disposition")),
    "people": tuple(frozenset({"name", q}) for q in ("birth", "post", "hometown")),
    "ties": (frozenset({"relative", "relation"}),),
    "audits": (frozenset({"description", "amount"}), frozenset({"description", "audit_date"})),
    "petitions": (frozenset({"topic", "channel"}), frozenset({"person", "channel"})),
    "units": tuple(frozenset({"name", q}) for q in ("region", "sector", "kind", "parent")),
    "team_members": (frozenset({"team", "name"}),),
    "assignments": (frozenset({"team", "unit"}), frozenset({"round", "unit"})),
    "regions": (frozenset({"name", "parent"}), frozenset({"name", "level"})),
    "departments": (frozenset({"name", "kind"}), frozenset({"name", "supervises"})),
}
#: When two ledgers score alike, the earlier wins.
ORDER = ("measures", "leads", "ties", "people", "team_members", "assignments", "audits",
         "petitions", "problems", "units", "departments", "regions")


def norm(text: object) -> str:
    """A header cell as matched: NFKC, no spaces, no trailing ``*`` or notes."""
    return normal_header(text).strip("*:：")


def strip_note(text: str) -> str:
    """``涉及金额(万元)`` → ``涉及金额``; ``整改时限(年月)`` → ``整改时限``."""
    return re.sub(r"[(\[【<（].*?[)\]】>）]", "", text).strip() or text


@cache
def _lookup(table: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for fld, words in FIELDS[table].items():
        for word in words:
            out.setdefault(norm(word), fld)
    return out


#: Header cells are short; longer cells (descriptions, titles) name no field.
MAX_HEADER_CHARS = 40
#: Joins the two halves of a grouped header cell (``整改情况`` over ``已完成``).
GROUP = "›"
#: Column headers that are a status themselves (``整改情况`` over ``已完成 | 未完成``,
#: a mark such as √ in the cell says which): field ``status_mark:<status>``.
STATUS_MARK_HEADERS = {"已完成": "done", "已整改": "done", "完成": "done", "已销号": "closed",
                       "基本完成": "partly", "正在整改": "open", "整改中": "open",
                       "未完成": "open", "未整改": "open", "持续整改": "ongoing",
                       "长期坚持": "ongoing", "推进中": "open"}


@lru_cache(maxsize=1 << 18)
def field_for(table: str, cell: str) -> str | None:
    """The field a header cell names in ledger ``table``, if any: exact words,
    then without a bracketed note, then the contract's aliases, then the
    longest header word (3+ characters) the cell contains.  A grouped cell
    (``签字›巡察组``) is tried as its lower half, then both halves joined."""
    raw = str(cell)
    if len(raw) > MAX_HEADER_CHARS:  # a description, not a header word
        return None
    if GROUP in raw:
        upper, lower = raw.split(GROUP, 1)
        if table == "measures" and norm(lower) in STATUS_MARK_HEADERS:
            return f"status_mark:{STATUS_MARK_HEADERS[norm(lower)]}:{norm(lower)}"
        for text in (lower, lower + upper, upper + lower, upper):
            found = field_for(table, text)
            if found:
                return found
        return None
    text = norm(cell)
    if not text:
        return None
    if table == "measures" and len(text) >= 3 and text in STATUS_MARK_HEADERS:
        return f"status_mark:{STATUS_MARK_HEADERS[text]}:{text}"
    lookup = _lookup(table)
    for key in (text, strip_note(text)):
        if key in lookup:
            return lookup[key]
    canon = column_for(table, text) if table != "measures" else None
    if canon and not canon.endswith("_id") and canon in FIELDS[table]:
        return canon
    best = max((w for w in lookup if len(w) >= 3 and w in text), key=len, default=None)
    return lookup[best] if best else None


@dataclass(frozen=True)
class HeaderMatch:
    table: str
    fields: dict[int, str]  # column → field
    labels: dict[int, str]  # column → header text as written (both rows joined)

    @property
    def score(self) -> int:
        return len(set(self.fields.values()))


def match_header(labels: dict[int, str]) -> HeaderMatch | None:
    """The ledger a header row (column → text) is, or None.  Sheets made from
    one template share their header rows, so each distinct row is scored once."""
    found = _match_header(tuple(labels.items()))
    if found is None:
        return None
    return HeaderMatch(found.table, dict(found.fields), dict(found.labels))


@lru_cache(maxsize=1 << 15)
def _match_header(items: tuple[tuple[int, str], ...]) -> HeaderMatch | None:
    labels = dict(items)
    best: HeaderMatch | None = None
    for table in ORDER:
        fields: dict[int, str] = {}
        for col, text in labels.items():
            fld = field_for(table, text)
            if fld and fld not in fields.values():
                fields[col] = fld
        if table == "ties":
            _own_unit_titles(fields, labels)
        have = set(fields.values())
        if not any(sig <= have for sig in SIGNATURES[table]):
            continue
        found = HeaderMatch(table, fields, labels)
        if best is None or found.score > best.score:
            best = found
    return best


def _own_unit_titles(fields: dict[int, str], labels: dict[int, str]) -> None:
    """A 社会关系 register has a 工作单位及职务 column after each name
    (``姓名 | 工作单位及职务 | 关系人姓名 | … | 关系人工作单位及职务``): each
    belongs to the name column nearest on its left, the declarer's or the
    relative's; a 回避申报 with one such column after the relative's name
    keeps it the relative's."""
    names = sorted((c, f) for c, f in fields.items() if f in ("inspector", "relative"))
    for col, text in labels.items():
        if field_for("ties", text) not in ("relative_unit_title", "inspector_unit_title"):
            continue
        owner = next((f for c, f in reversed(names) if c < col), None)
        if owner is None:
            continue
        want = "inspector_unit_title" if owner == "inspector" else "relative_unit_title"
        if want not in (f for c, f in fields.items() if c != col):
            fields[col] = want
