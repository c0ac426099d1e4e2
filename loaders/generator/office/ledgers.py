"""The other ledgers an office keeps: 线索台账, 干部名册, 社会关系 and 回避申报,
and the lists behind a round (单位名录, 区划, 巡察安排, 巡察组成员, 职能部门, 审计发现,
信访举报) — all with names, never codes."""
from __future__ import annotations

import numpy as np
import pandas as pd

from loaders.generator.office.context import Office, date_text
from loaders.generator.office.sheet import Cell, Sheet

DISPOSITION = {"talk": ("谈话函询", "函询", "谈话提醒"), "verify": ("初步核实", "初核"),
               "hold": ("暂存待查",), "close": ("予以了结", "了结"),
               "investigate": ("立案审查", "立案审查调查")}
OUTCOME = {"case_filed": ("立案审查", "已立案", "立案调查"),
           "sanctioned": ("立案审查，给予党内严重警告处分", "给予党内警告处分", "给予政务记过处分",
                          "党纪处分"),
           "judicial": ("移送检察机关", "移送司法机关处理", "涉嫌犯罪移送司法")}
ROLE = {"leader": ("组长",), "deputy": ("副组长",), "member": ("成员", "组员"),
        "liaison": ("联络员",)}
KIND = {"regular": "常规巡察", "special": "专项巡察", "flexible": "机动巡察", "elevated": "提级巡察",
        "cross": "交叉巡察", "linked": "上下联动巡察", "lookback": "巡察“回头看”", "village": "对村巡察"}
DEPT_KIND = {"discipline": "纪委监委", "discipline_office": "纪检监察室", "stationed": "派驻纪检组",
             "organization": "组织部", "propaganda": "宣传部", "audit": "审计局", "finance": "财政局",
             "inspection_office": "巡察办", "other": "其他"}


def _pick(rng, options) -> str:
    return options[int(rng.integers(0, len(options)))]


def _header(sh: Sheet, words: list[str]) -> None:
    sh.add("header", [Cell(w, bold=True) for w in words])


def _unit_title(o: Office, rng, pid: str) -> tuple[str | None, str]:
    unit, title = o.post_of.get(pid, (None, None))
    if unit is None:
        return None, ""
    return unit, o.names.write(rng, unit) + (title or "")


# --- 线索台账 ----------------------------------------------------------------------
def leads_sheet(o: Office, rng, round_id: str, leads: pd.DataFrame, signed: bool) -> Sheet:
    cols = ["序号", "被巡察单位", "被反映人", "单位及职务", "线索来源", "问题线索摘要", "移交时间",
            "承办单位", "签收时间", "办理时限", "处置方式", "办结时间", "处理结果"]
    cols += ["签字确认"] if signed else []
    sh = Sheet("线索台账", len(cols), table="leads")
    people = leads["person_id"].dropna().nunique()
    count = f"（{len(leads)}件{people}人）"
    title = f"{o.organizer(round_id)}巡察办{o.round_name[round_id]}移交问题线索处置台账"
    in_title = rng.random() < 0.5
    r = sh.line("title", title + (count if in_title else ""), bold=True)
    if in_title:
        sh.totals += [{"row": r + 1, "what": "leads", "value": len(leads)},
                      {"row": r + 1, "what": "people", "value": int(people)}]
    _header(sh, cols)
    desc = dict(zip(o.t["problems"]["problem_id"], o.t["problems"]["description"]))
    for k, le in enumerate(leads.itertuples(index=False)):
        row = len(sh.rows)
        unit_text = o.names.write(rng, le.unit_id)
        sh.mention(row, 1, unit_text, "unit", le.unit_id)
        name, where = "", ""
        if le.person_id:
            name = o.person_name[le.person_id]
            sh.mention(row, 2, name, "person", le.person_id)
            unit, where = _unit_title(o, rng, le.person_id)
            if unit:
                sh.mention(row, 3, where, "unit+title", unit)
        transfer = le.transfer_date
        dept = o.dept_form(rng, le.transferred_to)
        sh.mention(row, 7, dept, "department", le.transferred_to)

        cells = [k + 1, unit_text, name, where, le.source, _summary(desc.get(le.problem_id, "")),
                 date_text(rng, transfer) if not pd.isna(transfer) else "", dept,
                 _when(rng, le.received_date, transfer), _when(rng, le.due_date, transfer),
                 _pick(rng, DISPOSITION[le.disposition]) if le.disposition else "",
                 _when(rng, le.closed_date, transfer), _pick(rng, OUTCOME[le.outcome]) if le.outcome else ""]
        if signed:
            cells.append("、".join(le.signed_by.split(";")) if le.signed_by else "")
        sh.add("record", cells, [["leads", le.lead_id, 0]])
    if not signed:
        o.edit("leads", list(leads["lead_id"]), "signed_by", None)
    o.edit("leads", list(leads["lead_id"]), "discipline", None)
    if not in_title:
        r = sh.line("total", f"合计：{len(leads)}件{people}人")
        sh.totals += [{"row": r + 1, "what": "leads", "value": len(leads)},
                      {"row": r + 1, "what": "people", "value": int(people)}]
    sh.habits = ["title", "seq", "total", "signature_column" if signed else "no_signature_column",
                 "abbreviations", "outcome_text", "yearless_dates"]
    return sh


def _when(rng, d, transfer) -> str:
    if d is None or pd.isna(d):
        return ""
    if transfer is not None and not pd.isna(transfer) and d.year == transfer.year \
            and rng.random() < 0.25:
        return f"{d.month}月{d.day}日"  # the year is the transfer's, written in the same row
    return date_text(rng, d)


def _summary(text: str) -> str:
    return text


# --- 干部名册 ----------------------------------------------------------------------
def roster_sheets(o: Office, rng) -> list[Sheet]:
    t = o.t
    posts = t["posts"].sort_values(["person_id", "start"], kind="stable")
    kind = dict(zip(t["units"]["unit_id"], t["units"]["kind"]))
    people = t["people"].set_index("person_id")
    home = o.region_name
    groups: dict[str, list] = {"县直单位": [], "乡镇村（社区）": []}
    for pid, g in posts.groupby("person_id", sort=True):
        last = g.iloc[-1]
        key = "乡镇村（社区）" if kind.get(last["unit_id"]) in ("乡镇", "村", "社区") else "县直单位"
        groups[key].append((pid, g))
    out = []
    cols = ["序号", "姓名", "性别", "出生年月", "籍贯", "现任职务", "任现职时间", "工作简历", "备注"]
    for name, members in groups.items():
        sh = Sheet(name, len(cols), table="people+posts")
        sh.line("title", f"干部名册（{name}）", bold=True)
        _header(sh, cols)
        for k, (pid, g) in enumerate(members):
            row = len(sh.rows)
            p = people.loc[pid]
            birth = ""
            if not pd.isna(p["birth_year"]):
                month = (hash_month(pid))
                birth = (f"{int(p['birth_year'])}.{month:02d}" if rng.random() < 0.7
                         else f"{int(p['birth_year'])}年{month}月")
            last = g.iloc[-1]
            current = pd.isna(last["end"])
            job = o.names.write(rng, last["unit_id"]) + last["title"]
            sh.mention(row, 1, p["name"], "person", pid)
            sh.mention(row, 5, job, "unit+title", last["unit_id"])
            history = []
            for s, e, u, ti in zip(g["start"], g["end"], g["unit_id"], g["title"]):
                history.append(f"{_dot(s)}—{_dot(e)} {o.names.write(rng, u)}{ti}")
            records = [["people", pid, 0]] + [
                ["posts", f"{pid}|{u}|{pd.Timestamp(s).date().isoformat()}", j + 1]
                for j, (u, s) in enumerate(zip(g["unit_id"], g["start"]))]
            tops = [ti for ti, top in zip(g["title"], g["is_top_leader"]) if top]
            note = "主要负责人" if current and bool(last["is_top_leader"]) else ""
            if tops and not note:
                note = "曾任主要负责人（" + "、".join(tops) + "）"
            cells = [k + 1, p["name"], p["gender"] or "", birth,
                     home.get(p["hometown_region_id"], "") if p["hometown_region_id"] else "",
                     job if current else f"原{job}", _dot(last["start"]),
                     "；\n".join(history), note]
            sh.add("record", cells, records)
        sh.habits = ["title", "seq", "birth_month", "unit_and_title", "multi_items"]
        out.append(sh)
    return out


def hash_month(pid: str) -> int:
    from loaders.generator.office.names import birth_month
    return birth_month(pid, 2000)[0]


def _dot(d) -> str:
    if d is None or pd.isna(d):
        return ""
    return f"{d.year}.{d.month:02d}.{d.day:02d}"


# --- 社会关系 and 回避申报 -------------------------------------------------------------
def ties_sheets(o: Office, rng, members: set[str]) -> list[Sheet]:
    ti = o.t["ties"]
    words = o.gen.zh["ties"]["relation"]
    decl = Sheet("回避申报", 5, table="ties")
    decl.line("title", "巡察干部回避事项申报表", bold=True)
    _header(decl, ["巡察干部", "关系人姓名", "与本人关系", "工作单位及职务", "申报时间"])
    reg = Sheet("社会关系", 7, table="ties")
    reg.line("title", "干部社会关系登记表", bold=True)
    _header(reg, ["序号", "姓名", "工作单位及职务", "关系人姓名", "与本人关系", "关系人工作单位及职务",
                  "信息来源"])
    n = 0
    for _i, (a, b, w, src) in enumerate(zip(ti["person_a"], ti["person_b"], words, ti["source"])):
        rec = [["ties", f"{a}|{b}", 0]]
        ua, wa = _unit_title(o, rng, a)
        ub, wb = _unit_title(o, rng, b)
        if a in members:
            row = len(decl.rows)
            decl.mention(row, 0, o.person_name[a], "person", a)
            decl.mention(row, 1, o.person_name[b], "person", b)
            if ub:
                decl.mention(row, 3, wb, "unit+title", ub)
            decl.add("record", [o.person_name[a], o.person_name[b], w, wb or "无"], rec)
            continue
        n += 1
        row = len(reg.rows)
        reg.mention(row, 1, o.person_name[a], "person", a)
        reg.mention(row, 3, o.person_name[b], "person", b)
        if ua:
            reg.mention(row, 2, wa, "unit+title", ua)
        if ub:
            reg.mention(row, 5, wb, "unit+title", ub)
        reg.add("record", [n, o.person_name[a], wa, o.person_name[b], w, wb or "无", src], rec)
    o.twin["ties"]["since"] = pd.NaT
    decl.habits = ["title", "relation_words"]
    reg.habits = ["title", "seq", "relation_words", "unit_and_title"]
    return [decl, reg]


# --- lists behind the rounds -----------------------------------------------------------
def unit_sheets(o: Office, rng) -> list[Sheet]:
    t = o.t
    reg = Sheet("区划", 3, table="regions")
    _header(reg, ["区域名称", "层级", "上级区域"])
    rname = o.region_name
    for r, level, parent in zip(t["regions"]["region_id"], t["regions"]["level"],
                                t["regions"]["parent_id"]):
        reg.add("record", [rname[r], level, rname.get(parent, "") if parent else ""],
                [["regions", r, 0]])
    units = Sheet("单位名录", 7, table="units")
    units.line("title", "被巡察单位名录", bold=True)
    _header(units, ["序号", "单位名称", "所属区域", "系统", "单位类型", "层级", "上级单位"])
    name = o.names.name
    for k, u in enumerate(t["units"].itertuples(index=False)):
        row = len(units.rows)
        units.mention(row, 1, u.name, "unit", u.unit_id)
        if u.parent_id:
            units.mention(row, 6, name[u.parent_id], "unit", u.parent_id)
        units.add("record", [k + 1, u.name, rname.get(u.region_id, ""), u.sector or "", u.kind or "",
                             u.level or "", name.get(u.parent_id, "") if u.parent_id else ""],
                  [["units", u.unit_id, 0]])
    reg.habits, units.habits = ["header_only"], ["title", "seq"]
    return [reg, units]


def round_sheets(o: Office, rng) -> list[Sheet]:
    t = o.t
    plan = Sheet("巡察安排", 8, table="rounds+teams+assignments")
    plan.line("title", "巡察工作安排表", bold=True)
    _header(plan, ["轮次", "巡察类型", "开始时间", "结束时间", "巡察组", "派出区域", "交叉方式",
                   "被巡察单位"])
    rounds = t["rounds"].set_index("round_id")
    a = t["assignments"]
    for team in t["teams"].itertuples(index=False):
        r = rounds.loc[team.round_id]
        units = a.loc[(a["team_id"] == team.team_id), "unit_id"].tolist()
        row = len(plan.rows)
        forms = [o.names.write(rng, u) for u in units]
        for u, f in zip(units, forms):
            plan.mention(row, 7, f, "unit", u)
        recs = [["rounds", team.round_id, 0], ["teams", team.team_id, 0]] + [
            ["assignments", f"{team.round_id}|{team.team_id}|{u}", j + 1]
            for j, u in enumerate(units)]
        plan.add("record", [r["name"], KIND[r["kind"]], date_text(rng, r["start"]),
                            date_text(rng, r["end"]) if not pd.isna(r["end"]) else "",
                            team.name, o.region_name[team.home_region_id], team.cross_mode or "",
                            "、".join(forms)], recs)
    mem = Sheet("巡察组成员", 6, table="team_members")
    _header(mem, ["轮次", "巡察组", "姓名", "组内职务", "原工作单位", "业务特长"])
    team_round = dict(zip(t["teams"]["team_id"], t["teams"]["round_id"]))
    spec = dict(zip(t["people"]["person_id"], t["people"]["specialty"]))
    for m in t["team_members"].itertuples(index=False):
        row = len(mem.rows)
        mem.mention(row, 2, o.person_name[m.person_id], "person", m.person_id)
        origin = ""
        if m.seconded_from_unit_id:
            origin = o.names.write(rng, m.seconded_from_unit_id)
            mem.mention(row, 4, origin, "unit", m.seconded_from_unit_id)
        mem.add("record", [o.round_name[team_round[m.team_id]], o.team_name[m.team_id],
                           o.person_name[m.person_id], _pick(rng, ROLE[m.role]), origin,
                           spec.get(m.person_id) or ""],
                [["team_members", f"{m.team_id}|{m.person_id}", 0]])
    plan.habits, mem.habits = ["title", "multi_items"], ["names_not_codes"]
    return [plan, mem]


def other_sheets(o: Office, rng) -> list[Sheet]:
    t = o.t
    dep = Sheet("职能部门", 4, table="departments")
    _header(dep, ["部门名称", "部门类型", "所属区域", "负责问题类别"])
    for d in t["departments"].itertuples(index=False):
        dep.add("record", [d.name, DEPT_KIND[d.kind], o.region_name[d.region_id],
                           "、".join(d.supervises.split(";")) if d.supervises else ""],
                [["departments", d.dept_id, 0]])
    au = Sheet("审计发现", 6, table="audits")
    au.line("title", "审计发现问题清单", bold=True)
    _header(au, ["序号", "被审计单位", "问题类别", "问题描述", "涉及金额（万元）", "审计时间"])
    for k, f in enumerate(t["audits"].itertuples(index=False)):
        row = len(au.rows)
        form = o.names.write(rng, f.unit_id)
        au.mention(row, 1, form, "unit", f.unit_id)
        amount = f.amount
        if amount is None or np.isnan(amount):
            cell = ""
        elif amount < 10000 or rng.random() < 0.1:
            cell = f"{round(amount)}元"  # a cell with its own unit overrides the header's
            o.edit("audits", f.finding_id, "amount", float(round(amount)))
        else:
            cell = round(amount / 10000, 2)
            o.edit("audits", f.finding_id, "amount", round(cell * 10000, 2))
        au.add("record", [k + 1, form, f.category, f.description, cell,
                          date_text(rng, f.audit_date)], [["audits", f.finding_id, 0]])
    pe = Sheet("信访举报", 6, table="petitions")
    _header(pe, ["序号", "被反映单位", "被反映人", "渠道", "时间", "反映问题"])
    for k, x in enumerate(t["petitions"].itertuples(index=False)):
        row = len(pe.rows)
        form = o.names.write(rng, x.unit_id) if x.unit_id else ""
        if x.unit_id:
            pe.mention(row, 1, form, "unit", x.unit_id)
        name = o.person_name[x.person_id] if x.person_id else ""
        if x.person_id:
            pe.mention(row, 2, name, "person", x.person_id)
        pe.add("record", [k + 1, form, name, x.channel, date_text(rng, x.date), x.topic],
               [["petitions", x.petition_id, 0]])
    dep.habits, au.habits, pe.habits = ["multi_items"], ["title", "seq", "amount_unit"], ["seq"]
    return [dep, au, pe]
