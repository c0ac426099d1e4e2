"""Builders: one data row of each ledger kind → its records.

Each builder takes a ``Row`` and returns the records it gives, or raises
``CellProblem``.  Several items in one cell (``（1）…；（2）…`` measures,
``陈明、赵伟``) become several records numbered 1, 2 … (provenance 6-1, 6-2).
"""
from __future__ import annotations


import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from loaders.office import mentions as mn
from loaders.office import values as vl
from loaders.office.readrows import CellProblem, Row, record
from loaders.office.records import OfficeRecord, PersonMention, UnitMention
from loaders.office.values import header_scale

Builder = Callable[[Row], list[OfficeRecord]]


def _unit(row: Row, fld: str = "unit") -> UnitMention | None:
    return _mention(row, fld) or row.sheet.unit


def _mention(row: Row, fld: str) -> UnitMention | None:
    """The unit a cell names, when the sheet has the column and the cell text."""
    text = row.text(fld) if row.has(fld) else None
    return UnitMention(text) if text else None


def _round(row: Row) -> dict[str, Any]:
    return {"round_id": row.sheet.round_text} if row.sheet.round_text else {}


def _people(row: Row, fld: str, **kw: Any) -> list[PersonMention]:
    if not row.has(fld) or row.text(fld) is None:
        return []
    return list(row.parse(fld, mn.people, **kw))


def _seq(row: Row) -> str:
    return row.text("seq") or "" if row.has("seq") else ""


# --- 整改台账 / 问题清单 ------------------------------------------------------


def _continues(row: Row) -> bool:
    """Whether this row is one more measure of the problem above."""
    current = row.sheet.state.get("problem")
    if current is None:
        return False
    if row.merged_from_above("description"):
        return True
    own = row.own("description")
    if vl.is_ditto(own):
        return True
    seq = clean_seq(row.own("seq")) if row.has("seq") else ""
    if vl.is_blank(own):
        return not seq or seq == current["seq"]
    return vl.clean(own) == current["description"] and (not seq or seq == current["seq"])


def clean_seq(value: object) -> str:
    t = vl.clean(value)
    return "" if vl.is_blank(t) else t


def _problem(row: Row) -> OfficeRecord:
    top, inner = row.sheet.section_path()
    written = row.text("category") if row.has("category") else None
    category = written or inner
    if not category:
        raise CellProblem(row.sheet.label("category") if row.has("category") else "问题类型",
                          "", "没有问题类别：本表无问题类型列，此行也不在分节标题（一、…方面）之下"
                          " / no category: no 问题类型 column and no section row above")
    description = row.text("description")
    if not description:
        raise CellProblem(row.sheet.label("description"), "", "具体问题为空 / problem text empty")
    values: dict[str, Any] = {"category": category, "description": description}
    if written and top or top and inner and top != inner:
        values["focus"] = top
    if row.has("focus") and row.text("focus"):
        values["focus"] = row.text("focus")
    if row.has("found_date"):
        values["found_date"] = _date(row, "found_date")
    if row.has("immediate"):
        values["immediate"] = row.text("immediate") is not None and row.parse(
            "immediate", _flag)
    remark = row.text("remark") if row.has("remark") else None
    if remark and re.search(r"立行立改|立即整改|即知即改", remark) and not values.get("immediate"):
        values["immediate"] = True
        row.notes.append(f"备注“{remark}”：立行立改")
    if remark and "重点关注" in remark:
        values["key_concern"] = True
    persons = _people(row, "person_ids", unit=_unit(row))
    refs = {"unit_id": _unit(row), "person_ids": persons, **_round(row)}
    key = (inner or "", _seq(row) or description)
    rec = record(row, "problems", 0, values, refs, key)
    row.sheet.state["problem"] = {"local": rec.local, "seq": _seq(row), "key": key,
                                  "description": description, "row": row.r, "measures": 0,
                                  "record": rec}
    return rec


def _flag(value: object) -> bool:
    text = vl.clean(value)
    if text in ("是", "√", "✓", "Y", "y", "1", "立行立改", "是（立行立改）"):
        return True
    if text in ("否", "×", "N", "n", "0"):
        return False
    raise vl.ValueProblem(f"应为 是/否：{text} / expected yes or no")


#: Which dates of a row a date cannot precede (签收 after 移交, 完成 after 发现)
#: and cannot follow: the order that settles a year-less date.
_AFTER = {"received_date": ("transfer_date",), "closed_date": ("received_date", "transfer_date"),
          "due_date": ("transfer_date",),
          "completed_date": ("found_date",), "end": ("start",)}
_BEFORE = {"transfer_date": ("received_date", "closed_date"), "received_date": ("closed_date",),
           "found_date": ("completed_date",), "start": ("end",)}


def _bound(row: Row, fields: tuple[str, ...], pick: Any) -> Any:
    found = []
    for fld in fields:
        if row.has(fld):
            try:
                got = vl.parse_date(row.raw(fld), typed=row.sheet.grid.typed)
            except vl.ValueProblem:
                continue
            if got:
                found.append(got.date)
    return pick(found) if found else None


def _date(row: Row, fld: str, *, end: bool = False, others: tuple[str, ...] = ()) -> Any:
    if not row.has(fld):
        return None
    years = row.years(*others) if others else ()
    after = _bound(row, _AFTER.get(fld, ()), max) if others else None
    before = _bound(row, _BEFORE.get(fld, ()), min) if others else None
    got = row.parse(fld, vl.parse_date, years=years, end=end, typed=row.sheet.grid.typed,
                    after=after, before=before)
    if got is None:
        return None
    if got.note:
        row.notes.append(f"{row.sheet.label(fld)}：{got.note}")
    return got.date


_DATE_FIELDS = ("found_date", "due_date", "completed_date", "transfer_date", "received_date",
                "closed_date", "audit_date", "date", "post_since", "since")


_LEAD_YEARS = tuple(f for f in _DATE_FIELDS if f != "due_date")


def _item_cells(row: Row, fld: str, n: int) -> list[str | None]:
    """The cell of ``fld`` spread over ``n`` items: one value for all, or one
    numbered item each (``（1）2023年6月底前；（2）长期坚持``)."""
    text = row.text(fld) if row.has(fld) else None
    if text is None or n == 1:
        return [text] * n
    parts = mn.split_items(text)
    if len(parts) == 1:
        return [text] * n
    if len(parts) != n:
        raise CellProblem(row.sheet.label(fld), text, f"分项数（{len(parts)}）与整改措施的项数（{n}）"
                          f"不一致，无法对应 / {len(parts)} items here but {n} measures")
    return list(parts)


def build_measures(row: Row) -> list[OfficeRecord]:
    out: list[OfficeRecord] = []
    if _continues(row):
        current = row.sheet.state["problem"]
        if current.get("rejected"):
            raise CellProblem(row.sheet.label("description"), current["description"] or "",
                              f"所属问题（第{current['row'] + 1}行）未能读取 / the problem this "
                              "measure belongs to was rejected")
    else:
        row.sheet.state["problem"] = {"rejected": True, "row": row.r,
                                      "description": row.text("description"), "seq": _seq(row)}
        out.append(_problem(row))
    current = row.sheet.state["problem"]
    try:
        made = _measures(row, current, bool(out))
    except CellProblem:
        if out:  # the problem was fine, its first measure not: the next row carries it
            current["pending"] = out[0]
        raise
    out += made
    if current.pop("immediate", False):
        _mark_immediate(out, current)
    return out


def _measures(row: Row, current: dict[str, Any], has_problem: bool) -> list[OfficeRecord]:
    out: list[OfficeRecord] = []
    if "pending" in current:  # the problem's first row was rejected for its measure
        problem = current.pop("pending")
        origin = row.origin(0)
        problem = replace(problem, origin=origin, local=row.sheet.local("problems", origin),
                          notes=(*problem.notes, f"问题首行（第{problem.origin.row}行）的措施未能读取"))
        current["local"] = problem.local
        out = [problem]
    if not row.has("measure"):  # 问题清单 with 整改情况 but no 整改措施 column
        if not has_problem:
            raise CellProblem(row.sheet.label("description"), "", "具体问题为空 / problem text empty")
        row.notes.append("台账未列整改措施，此问题的整改情况记为一条措施")
        items: list[str | None] = [None]
    else:
        text = row.text("measure")
        if text is None:
            if out or has_problem:
                return out  # a problem without measures (yet)
            raise CellProblem(row.sheet.label("measure"), "", "整改措施为空 / measure text empty")
        items = list(mn.split_items(text))
    n = len(items)
    dues, statuses = _item_cells(row, "due_date", n), _item_cells(row, "status", n)
    owners = _people(row, "owner", unit=_unit(row, "owner_dept")) if row.has("owner") else []
    if not owners and row.has("leader"):
        owners = _people(row, "leader", unit=_unit(row, "owner_dept"))
    completed = _date(row, "completed_date", others=_DATE_FIELDS)
    extra = (f"责任人另有：{'、'.join(p.name for p in owners[1:])}",) if len(owners) > 1 else ()
    for i, (item, due_text, status_text) in enumerate(zip(items, dues, statuses), 1):
        number = i if n > 1 else 0
        values: dict[str, Any] = {"description": item}
        if row.has("completed_date"):
            values["completed_date"] = completed
        notes: list[str] = []
        if row.has("due_date"):
            due = _deadline(row, due_text)
            values["due_date"] = due.date if due else None
            if due and due.ongoing:
                notes.append("整改时限为长期坚持（不是日期）")
            if due and due.immediate:
                notes.append("整改时限为立行立改（不是日期）")
                current["immediate"] = True
        status = _status(row, status_text)
        if row.has("status") or status is not None or any(
                f.startswith("status_mark:") for f in row.sheet.columns):
            values["status"] = status
        if row.has("reopened"):
            values["reopened"] = row.text("reopened") is not None and row.parse("reopened", _flag)
        elif row.has("remark") and re.search(r"回炉", row.text("remark") or ""):
            values["reopened"] = True  # 备注: 回炉整改
        refs = {"owner_person_id": owners[0] if owners else None,
                "owner_dept_id": _mention(row, "owner_dept")}
        current["measures"] += 1
        key = (*current["key"], "措施", item or "")
        out.append(record(row, "measures", number, values, refs, key, current["local"],
                          tuple(notes) + extra))
    return out


def _mark_immediate(out: list[OfficeRecord], current: dict[str, Any]) -> None:
    """立行立改 as a deadline marks the problem 立行立改 (problems.immediate)."""
    for i, rec in enumerate(out):
        if rec.table == "problems" and rec.local == current["local"]:
            values = dict(rec.values)
            values["immediate"] = True
            out[i] = type(rec)(rec.table, rec.local, rec.origin, values, rec.refs, rec.key,
                               rec.parent, rec.notes)


def _deadline(row: Row, text: str | None) -> vl.Deadline | None:
    value = row.raw("due_date") if text == row.text("due_date") else text
    try:
        got = vl.parse_deadline(value, years=row.years(*_DATE_FIELDS),
                                typed=row.sheet.grid.column_typed(row.sheet.columns["due_date"]))
    except vl.ValueProblem as exc:
        raise CellProblem(row.sheet.label("due_date"), vl.clean(value), str(exc)) from None
    if got and got.note:
        row.notes.append(f"{row.sheet.label('due_date')}：{got.note}")
    return got


def _status(row: Row, text: str | None) -> str | None:
    """整改情况 in words; else the fill colour under the sheet's legend; a
    yes/no column (``是否完成``) as done/open.  A sentence that says what was
    done but not whether it is done leaves the status empty, with a note."""
    if text is not None:
        label = row.sheet.label("status")
        if "是否" in label and text in ("是", "否", "√", "×"):
            return "done" if text in ("是", "√") else "open"
        try:
            return vl.parse_status(text)
        except vl.ValueProblem as exc:
            by_colour = row.colour("status", "measure")
            if by_colour:
                return by_colour
            if isinstance(exc, vl.NoStatusWord):
                row.notes.append(f"{label}未写明是否完成，整改状态留空：{text[:40]}")
                return None
            raise CellProblem(label, text, str(exc)) from None
    return _status_mark(row) or row.colour("status", "measure", "description", "seq")


_NO_MARK = ("否", "×", "0", "未", "无")


def _status_mark(row: Row) -> str | None:
    """``整改情况`` over ``已完成 | 正在整改 | 未完成`` with a mark (√) in one."""
    marked = []
    for fld in row.sheet.columns:
        if fld.startswith("status_mark:"):
            text = row.text(fld)
            if text and text not in _NO_MARK:
                marked.append((fld.split(":")[1], row.sheet.label(fld), text))
    if len(marked) > 1:
        raise CellProblem("、".join(m[1] for m in marked), "、".join(m[2] for m in marked),
                          "几个整改状态列都有标记，无法判断 / marks in several status columns")
    if marked:
        return marked[0][0]
    return None


def build_problems(row: Row) -> list[OfficeRecord]:
    if _continues(row) and not row.text("description"):
        raise CellProblem(row.sheet.label("description"), "", "具体问题为空 / problem text empty")
    return [_problem(row)]


# --- 线索台账 -----------------------------------------------------------------


def build_leads(row: Row) -> list[OfficeRecord]:
    unit_title = row.text("unit_title") if row.has("unit_title") else None
    unit_here, title = mn.split_unit_title(unit_title) if unit_title else (None, None)
    unit = _mention(row, "unit")
    persons = _people(row, "person", unit=unit_here or unit, title=title)
    values: dict[str, Any] = {}
    for fld in ("transfer_date", "received_date", "due_date", "closed_date"):
        if row.has(fld):  # a deadline (办理时限) is set from the transfer: no year source
            values[fld] = _date(row, fld, end=fld == "due_date", others=_LEAD_YEARS)
    if row.has("disposition"):
        values["disposition"] = row.parse("disposition", vl.parse_disposition)
        if row.text("disposition") in vl.ABBREVIATIONS:
            row.notes.append(f"处置方式“{row.text('disposition')}”即"
                             f"{vl.ABBREVIATIONS[row.text('disposition') or '']}")
    if row.has("outcome"):
        stages = row.parse("outcome", vl.parse_outcomes)
        values["outcome"] = vl.outcome_stage(stages)
        if not stages and row.text("outcome"):
            row.notes.append(f"处理结果“{row.text('outcome')}”未写立案、处分或移送司法")
        if len(stages) > 1:
            row.notes.append(f"处理结果含{len(stages)}个阶段，取最后一个：{'→'.join(stages)}")
        if values.get("disposition") is None and "case_filed" in stages and row.has("disposition"):
            values["disposition"] = "investigate"
    if row.has("signed_by") or row.has("sign_office") or row.has("sign_team"):
        values["signed_by"] = _signatures(row)
    for fld in ("source", "discipline"):
        if row.has(fld):
            values[fld] = row.text(fld)
    transferred = row.text("transferred_to") if row.has("transferred_to") else None
    refs: dict[str, Any] = {"unit_id": unit or unit_here or row.sheet.unit,
                            "transferred_to": UnitMention(transferred) if transferred else None,
                            **_round(row)}
    description = row.text("description") if row.has("description") else None
    base = (_seq(row) or description or "",)
    if not persons:
        return [record(row, "leads", 0, values, refs, base)]
    # the unit a person's own cell names (王磊 县农业农村局局长) before the sheet's
    return [record(row, "leads", i if len(persons) > 1 else 0, values,
                   {**refs, "person_id": p,
                    "unit_id": unit or unit_here or p.unit or row.sheet.unit}, (*base, p.name))
            for i, p in enumerate(persons, 1)]


_SIGNED_MARKS = ("√", "✓", "是", "已签", "已签字", "有", "已签收")
_UNSIGNED = ("否", "×", "未签", "未签字", "无", "未签收")


def _signatures(row: Row) -> tuple[str, ...]:
    """签字 as names (``刘洋、陈静``), or as one column per side of the
    dual-signature rule (纪检监察室签字 | 巡察组签字) holding names or a mark:
    each signature then names its side, as the leads analysis reads them."""
    out: list[str] = []
    text = row.text("signed_by") if row.has("signed_by") else None
    if text and text not in _UNSIGNED:
        out += mn.split_names(text)
    for fld, side in (("sign_office", "纪检监察室"), ("sign_team", "巡察组")):
        text = row.text(fld) if row.has(fld) else None
        if not text or text in _UNSIGNED:
            continue
        if text in _SIGNED_MARKS:
            out.append(f"{side}（已签）")
        else:
            out += [name if side in name else f"{side}：{name}" for name in mn.split_names(text)]
    return tuple(out)


# --- 干部名册 -----------------------------------------------------------------

TOP_TITLES = re.compile(r"^(?:党组|党委|党工委|党总支|党支部|总支|支部)?书记|(?<![副纪])(?:党组|党委|"
                        r"党工委|党总支|党支部)书记")


def is_top_leader(title: str | None) -> bool:
    """党组/党委书记 is the top leader; 副书记 and 纪委书记 are not."""
    if not title:
        return False
    for part in re.split(r"[、，,兼]", title):
        if re.fullmatch(r"(?:村|社区)?(?:党组|党委|党工委|党总支|党支部|总支|支部)?书记", part):
            return True
    return False


def build_people(row: Row) -> list[OfficeRecord]:
    """A 干部名册 row: the person, their current post (现任职务, unless it reads
    ``原…``, a former post) and the posts of their 工作简历 with start and end."""
    name_text = row.text("name")
    if not name_text:
        raise CellProblem(row.sheet.label("name"), "", "姓名为空 / name empty")
    post = row.text("post") if row.has("post") else None
    former = bool(post and post.startswith("原"))
    unit_here, title = mn.split_unit_title(post.removeprefix("原")) if post else (None, None)
    unit = unit_here or _unit(row)
    birth = row.parse("birth", mn.parse_birth) if row.has("birth") else None
    gender = row.text("gender") if row.has("gender") else None
    who = row.parse("name", mn.person, unit=unit, title=title, birth=birth)
    who = PersonMention(who.name, who.text, unit, title or who.title, birth or who.birth,
                        gender or who.gender)
    values: dict[str, Any] = {"name": who.name, "gender": who.gender,
                              "birth_year": int(who.birth[:4]) if who.birth else None}
    if row.has("hometown"):
        values["hometown"] = row.text("hometown")
    key = (who.name, who.birth or "", unit.text if unit else "")
    posts = _posts(row, who, unit, title, former)
    person = record(row, "people", 1 if posts else 0, values, {"person_id": who}, key)
    return [person, *(record(row, "posts", i, v, {"person_id": who, "unit_id": u},
                             (*key, v.get("title") or "", str(v.get("start") or "")), person.local)
                      for i, (v, u) in enumerate(posts, 2))]


def _posts(row: Row, who: PersonMention, unit: UnitMention | None, title: str | None,
           former: bool) -> list[tuple[dict[str, Any], UnitMention | None]]:
    remark = row.text("remark") if row.has("remark") else ""
    declared = None
    if row.has("is_top_leader") and row.text("is_top_leader"):
        declared = row.parse("is_top_leader", _flag)
    elif remark and "主要负责人" in remark and "曾任" not in remark:
        declared = True
    out: list[tuple[dict[str, Any], UnitMention | None]] = []
    open_post = False
    for start, end, written in mn.parse_resume(row.raw("resume")) if row.has("resume") else []:
        post_unit, post_title = mn.split_unit_title(written)
        values = {"title": post_title, "is_top_leader": is_top_leader(post_title),
                  "start": _resume_date(row, start), "end": _resume_date(row, end)}
        if end is None:
            open_post = True
            if declared is not None:
                values["is_top_leader"] = declared
        elif (m := re.search(r"曾任主要负责人\s*[(（]([^)）]+)[)）]", remark or "")) and \
                post_title == m[1]:
            values["is_top_leader"] = True  # 备注: 曾任主要负责人（书记、监委主任）
        out.append((values, post_unit or unit))
    if (unit or title) and not former and not open_post:
        top = is_top_leader(title) if declared is None else declared
        out.append(({"title": title, "is_top_leader": top, "start": _date(row, "post_since")},
                    unit))
    return out


def _resume_date(row: Row, text: str | None) -> Any:
    if text is None:
        return None
    try:
        got = vl.parse_date(text)
    except vl.ValueProblem as exc:
        raise CellProblem(row.sheet.label("resume"), text, str(exc)) from None
    return got.date if got else None


# --- 回避申报 / 社会关系 -------------------------------------------------------


#: What a 工作单位及职务 cell says of someone who holds no post.
NO_POST = frozenset({"无", "暂无", "无工作单位", "无业", "待业", "务农", "在家务农", "学生", "在读"})


def _no_post(people: list[PersonMention], row: Row, fld: str) -> list[PersonMention]:
    written = row.raw(fld) if row.has(fld) else None
    if written is None or re.sub(r"\s+", "", str(written)) not in NO_POST:
        return people
    return [replace(p, no_post=True) for p in people]


def build_ties(row: Row) -> list[OfficeRecord]:
    own = row.text("inspector_unit_title") if row.has("inspector_unit_title") else None
    own_unit, own_title = mn.split_unit_title(own) if own else (None, None)
    inspectors = _no_post(_people(row, "inspector", unit=own_unit, title=own_title), row,
                          "inspector_unit_title") \
        if row.has("inspector") else []
    inspector = inspectors[0] if inspectors else row.sheet.state.get("inspector")
    if inspectors:
        last = row.sheet.state.get("inspector")
        if last is None or last.name != inspectors[0].name or row.sheet.state.get("run") is None:
            row.sheet.state["run"] = row.r + 1  # a new declarer's rows begin here
        row.sheet.state["inspector"] = inspector
    if inspector is None:
        raise CellProblem(row.sheet.label("inspector"), "", "没有巡察干部姓名 / no inspector named")
    unit_title = row.text("relative_unit_title") if row.has("relative_unit_title") else None
    unit, title = mn.split_unit_title(unit_title) if unit_title else (None, None)
    relatives = _no_post(_people(row, "relative", unit=unit, title=title), row,
                         "relative_unit_title")
    if not relatives:
        raise CellProblem(row.sheet.label("relative"), "", "关系人姓名为空 / related person empty")
    relation, note = row.parse("relation", vl.parse_relation)
    # the word as written goes along: the contract's ties keep it beside the
    # canonical relation (linkgraph.check RELATION_EXTRA_COLUMNS) for evidence
    values: dict[str, Any] = {"relation": relation, "relation_word": row.text("relation"),
                              "source": "回避申报"}
    values["declarer_rows"] = row.sheet.state.get("run")  # one declarer over these rows
    if any(w in row.sheet.label("inspector") for w in ("巡察", "申报")):
        values["declared_by_inspector"] = True  # person_a is on a team, not a relative
    if row.has("since"):
        values["since"] = _date(row, "since")
    notes = (note,) if note else ()
    return [record(row, "ties", i if len(relatives) > 1 else 0, values,
                   {"person_a": inspector, "person_b": rel},
                   (inspector.name, rel.name, row.text("relation") or ""), notes=notes)
            for i, rel in enumerate(relatives, 1)]


# --- 审计, 信访, 单位, 巡察组成员 ----------------------------------------------


def build_audits(row: Row) -> list[OfficeRecord]:
    values: dict[str, Any] = {"description": row.text("description"),
                              "category": row.text("category") if row.has("category") else None}
    if row.has("amount"):
        scale = header_scale(row.sheet.label("amount"))
        values["amount"] = row.parse("amount", vl.parse_amount, scale)
    if row.has("audit_date"):
        values["audit_date"] = _date(row, "audit_date")
    key = (_seq(row) or values["description"] or "",)
    return [record(row, "audits", 0, values, {"unit_id": _unit(row)}, key)]


def build_petitions(row: Row) -> list[OfficeRecord]:
    unit_title = row.text("unit_title") if row.has("unit_title") else None
    unit_here, title = mn.split_unit_title(unit_title) if unit_title else (None, None)
    unit = _mention(row, "unit") or unit_here
    persons = _people(row, "person", unit=unit, title=title)
    values = {"channel": row.text("channel") if row.has("channel") else None,
              "date": _date(row, "date"), "topic": row.text("topic") if row.has("topic") else None}
    refs = {"unit_id": unit or row.sheet.unit, "person_id": persons[0] if persons else None}
    return [record(row, "petitions", 0, values, refs, (_seq(row) or values["topic"] or "",))]


def build_units(row: Row) -> list[OfficeRecord]:
    name = row.text("name")
    if not name:
        raise CellProblem(row.sheet.label("name"), "", "单位名称为空 / unit name empty")
    values = {f: row.text(f) for f in ("sector", "kind", "level") if row.has(f)}
    values["name"] = name
    refs = {"unit_id": UnitMention(name),
            "region_id": row.text("region") if row.has("region") else None,
            "parent_id": UnitMention(row.text("parent") or "") if row.has("parent")
            and row.text("parent") else None}
    return [record(row, "units", 0, values, refs, (name,))]


def _vocabulary_cell(row: Row, field: str, vocab: str) -> tuple[str | None, str | None]:
    """The text of ``field`` (None if absent or empty) and its canonical value
    in the closed vocabulary ``vocab`` (None when the word is not in it)."""
    from linkgraph.vocab import vocabulary

    text = row.text(field) if row.has(field) else None
    if not text:
        return None, None
    return text, vocabulary(vocab).get(re.sub(r"\s+", "", text).lower())


def build_team_members(row: Row) -> list[OfficeRecord]:
    team = row.text("team") or row.sheet.state.get("team")
    if not team:
        raise CellProblem(row.sheet.label("team"), "", "没有巡察组 / no team named")
    row.sheet.state["team"] = team
    seconded = row.text("seconded_from") if row.has("seconded_from") else None
    unit = UnitMention(seconded) if seconded else None
    persons = _people(row, "name", unit=unit)
    if not persons:
        raise CellProblem(row.sheet.label("name"), "", "姓名为空 / name empty")
    role_text, role = _vocabulary_cell(row, "role", "role")
    if role_text and role is None:
        raise CellProblem(row.sheet.label("role"), role_text, "无法识别的组内职务（应为 组长/副组长/"
                          "成员/联络员） / unknown team role")
    round_name = (row.text("round") if row.has("round") else None) or row.sheet.round_text
    values: dict[str, Any] = {"role": role}
    if row.has("specialty"):
        values["specialty"] = row.text("specialty")
    return [record(row, "team_members", i if len(persons) > 1 else 0, values,
                   {"team_id": team, "person_id": p, "seconded_from_unit_id": unit,
                    "round_id": round_name}, (round_name or "", team, p.name))
            for i, p in enumerate(persons, 1)]


# --- 巡察安排, 区划, 职能部门 ------------------------------------------------------


def build_assignments(row: Row) -> list[OfficeRecord]:
    """One row of a 巡察安排: a round (once per sheet), its team, the units it inspects
    (``县林业局、白沙镇`` → one assignment each)."""
    round_name = row.text("round") if row.has("round") else None
    round_name = round_name or row.sheet.round_text or row.sheet.state.get("round")
    team = row.text("team") if row.has("team") else None
    if not (round_name or team):
        raise CellProblem(row.sheet.label("round"), "", "没有轮次也没有巡察组 / no round and no team")
    out: list[OfficeRecord] = []
    seen = row.sheet.state.setdefault("rounds", set())
    if round_name and round_name not in seen:
        seen.add(round_name)
        row.sheet.state["round"] = round_name
        kind_text, kind = _vocabulary_cell(row, "kind", "round_kind")
        if kind_text and kind is None:
            raise CellProblem(row.sheet.label("kind"), kind_text, "无法识别的巡察类型（应为 常规巡察/"
                              "专项巡察/机动巡察/提级巡察/交叉巡察/回头看/对村巡察 等） / unknown round kind")
        values = {"name": round_name, "kind": kind, "start": _date(row, "start"),
                  "end": _date(row, "end")}
        out.append(record(row, "rounds", 1, values, {"round_id": round_name}, (round_name,)))
    if team:
        values = {"name": team}
        if row.has("cross_mode"):
            values["cross_mode"] = row.text("cross_mode")
        refs = {"team_id": team, "round_id": round_name,
                "home_region_id": row.text("home_region") if row.has("home_region") else None}
        out.append(record(row, "teams", 2, values, refs, (round_name or "", team)))
    units = mn.split_names(row.raw("unit")) if row.has("unit") else []
    for i, unit in enumerate(units, 3):
        out.append(record(row, "assignments", i, {},
                          {"round_id": round_name, "team_id": team, "unit_id": UnitMention(unit)},
                          (round_name or "", team or "", unit)))
    if len(out) == 1 and out[0].table != "assignments":  # one record: item 0
        out = [replace(out[0], origin=row.origin(0), local=row.sheet.local(out[0].table,
                                                                            row.origin(0)))]
    return out


def build_regions(row: Row) -> list[OfficeRecord]:
    name = row.text("name")
    if not name:
        raise CellProblem(row.sheet.label("name"), "", "区域名称为空 / region name empty")
    values = {"name": name, "level": row.text("level") if row.has("level") else None}
    refs = {"region_id": name, "parent_id": row.text("parent") if row.has("parent") else None}
    return [record(row, "regions", 0, values, refs, (name,))]


def build_departments(row: Row) -> list[OfficeRecord]:
    name = row.text("name")
    if not name:
        raise CellProblem(row.sheet.label("name"), "", "部门名称为空 / department name empty")
    kind_text, kind = _vocabulary_cell(row, "kind", "dept_kind")
    if kind_text and kind is None:
        kind = "other"
        row.notes.append(f"部门类型“{kind_text}”不在约定之内，按其他读取")
    values: dict[str, Any] = {"name": name, "kind": kind}
    if row.has("supervises"):
        values["supervises"] = tuple(mn.split_names(row.raw("supervises")))
    refs = {"dept_id": UnitMention(name),
            "region_id": row.text("region") if row.has("region") else None}
    return [record(row, "departments", 0, values, refs, (name,))]


BUILDERS: dict[str, Builder] = {
    "measures": build_measures, "problems": build_problems, "leads": build_leads,
    "people": build_people, "ties": build_ties, "audits": build_audits,
    "petitions": build_petitions, "units": build_units, "team_members": build_team_members,
    "assignments": build_assignments, "regions": build_regions, "departments": build_departments,
}
