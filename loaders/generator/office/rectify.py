"""整改台账: one sheet per inspected unit and round, a row per problem *and* measure.

Layout (varying by ``Profile``): a title naming the unit and the team, meta
lines, a one- or two-row header, section rows that carry the category or the
四个聚焦 area, one problem over several measure rows (merged vertically, 同上,
or all measures as items of one cell), statuses in words or by fill colour
with a legend, deadlines in words, year-less completion dates, a 合计 row
with correct totals, and 填表人/审核人 lines.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from loaders.generator.office.context import Office, cn_number, date_text, month_end
from loaders.generator.office.habits import GROUPS, Profile, header_word
from loaders.generator.office.names import with_title
from loaders.generator.office.sheet import Cell, Sheet

STATUS_WORDS = {"done": ("已整改", "已完成整改", "整改完成", "已完成"),
                "closed": ("已销号", "已完成销号"),
                "partly": ("基本完成",), "open": ("正在整改", "未整改", "推进中", "未完成"),
                "ongoing": ("持续整改", "已整改，长期坚持", "持续推进", "长期坚持")}
STATUS_FILL = {"done": "蓝", "closed": "紫", "partly": "黄", "open": "红", "ongoing": "绿"}
LEGEND = ("注：蓝色表示已完成整改，紫色表示已销号，黄色表示基本完成，红色表示未完成整改，"
          "绿色表示需长期坚持。")
#: What an office's 已完成 total counts: done, and closed (已销号) too
COUNTED_DONE = ("done", "closed")


def columns(p: Profile) -> list[str]:
    cols = ["seq"] + ([] if p.sections == "category" else ["category"]) + ["problem"]
    cols += (["persons"] if p.persons else []) + (["found"] if p.found else []) + ["measure"]
    cols += ["leader", "dept", "owner"] if p.leader_first else ["dept", "owner", "leader"]
    return cols + ["due", "status", "done", "note"]


def _header(sh: Sheet, p: Profile, cols: list[str]) -> None:
    words = [header_word(p, c) for c in cols]
    if not p.two_row_header:
        sh.add("header", [Cell(w, bold=True) for w in words])
        return
    top: list = []
    for c, w in zip(cols, words):
        group = next((g for g, members in GROUPS.items() if c in members), None)
        top.append(Cell(group or w, bold=True))
    r0 = sh.add("header", top)
    r1 = sh.add("header", [Cell(w, bold=True) for w in words])
    j = 0
    while j < len(cols):
        group = next((g for g, members in GROUPS.items() if cols[j] in members), None)
        if group is None:
            sh.merge(r0, j, r1, j)
            j += 1
            continue
        k = j
        while k + 1 < len(cols) and cols[k + 1] in GROUPS[group]:
            k += 1
        if k > j:
            sh.merge(r0, j, r0, k)
        else:  # a group of one: write the column word in both rows
            sh.rows[r0].cells[j] = Cell(words[j], bold=True)
            sh.merge(r0, j, r1, j)
        j = k + 1


class _Due:
    """Deadlines as offices write them; edits the twin where the words carry less."""

    def __init__(self, office: Office, rng: np.random.Generator):
        self.office, self.rng = office, rng

    def __call__(self, mid: str, due, status: str, immediate: bool) -> str:
        rng, o = self.rng, self.office
        if status == "ongoing" and rng.random() < 0.4:
            o.edit("measures", mid, "due_date", pd.NaT)
            return "长期坚持"
        if immediate and rng.random() < 0.5:
            o.edit("measures", mid, "due_date", pd.NaT)
            return ("立行立改", "立即整改")[int(rng.integers(0, 2))]
        if due is None or pd.isna(due):
            return ""
        if rng.random() < 0.45:
            end = month_end(due)
            o.edit("measures", mid, "due_date", end)
            return (f"{end.year}年{end.month}月底前" if rng.random() < 0.6
                    else f"{end.year}.{end.month}")
        return date_text(rng, due) + ("前" if rng.random() < 0.3 else "")


def _done_text(rng, done, due_text: str) -> str:
    if done is None or pd.isna(done):
        return ""
    if str(done.year) in due_text and rng.random() < 0.35:
        return f"{done.month}月{done.day}日"  # the year is the row's deadline year
    return date_text(rng, done)


class _Builder:
    def __init__(self, office: Office, rng, sheet: Sheet, p: Profile, cols: list[str],
                 unit: str, round_id: str):
        self.o, self.rng, self.sh, self.p, self.cols = office, rng, sheet, p, cols
        self.unit, self.round_id = unit, round_id
        self.due = _Due(office, rng)
        self.above: dict[str, str] = {}
        self.n_problems = self.n_measures = self.n_done = 0
        when = office.round_end.get(round_id) or office.round_start[round_id]
        self.leader = office.top_leader(unit, when)

    def col(self, key: str) -> int | None:
        return self.cols.index(key) if key in self.cols else None

    def at(self, key: str) -> int:
        """The column of a key every layout has (owner, dept, leader …)."""
        return self.cols.index(key)

    def person(self, row: int, key: str, pid: str | None) -> str:
        if pid is None:
            return ""
        title = self.o.title_in.get((pid, self.unit)) or self.o.post_of.get(pid, (None, None))[1]
        text = with_title(self.rng, self.o.person_name[pid], title)
        self.sh.mention(row, self.at(key), text, "person", pid)
        return text

    def problem_cells(self, seq: int, prob, label: str) -> dict[str, object]:
        cells: dict[str, object] = {"seq": seq, "problem": prob.description}
        if "category" in self.cols:
            cells["category"] = label
        note = []
        if prob.immediate:
            note.append("立行立改")
        if prob.key_concern:
            note.append("重点关注")
        cells["note"] = "；".join(note)
        if self.p.found:
            cells["found"] = date_text(self.rng, prob.found_date) if not pd.isna(
                prob.found_date) else ""
        return cells

    def measure_cells(self, row: int, m, immediate: bool) -> dict[str, object]:
        due = self.due(m.measure_id, m.due_date, m.status, immediate)
        status = STATUS_WORDS[m.status][int(self.rng.integers(0, len(STATUS_WORDS[m.status])))]
        dept = self.o.dept_form(self.rng, m.owner_dept_id) if m.owner_dept_id else ""
        if dept:
            self.sh.mention(row, self.at("dept"), dept, "department", m.owner_dept_id)
        cells: dict[str, object] = {
            "measure": m.description, "dept": dept,
            "owner": self.person(row, "owner", m.owner_person_id), "due": due,
            "status": Cell("", fill=STATUS_FILL[m.status]) if self.p.fill_status else status,
            "done": _done_text(self.rng, m.completed_date, due)}
        if m.reopened:
            cells["note"] = "回炉整改"
        self.n_measures += 1
        self.n_done += m.status in COUNTED_DONE
        return cells

    def leader_cell(self, row: int) -> str:
        if self.leader is None:
            return ""
        pid, _title = self.leader
        return self.person(row, "leader", pid)

    def emit(self, cells: dict[str, object], records: list[list[Any]]) -> int:
        row = self.sh.add("record", [cells.get(c) for c in self.cols], records)
        if self.p.same_above:
            for key in ("dept", "leader"):
                j = self.at(key)
                v = self.sh.rows[row].cells[j]
                if isinstance(v, str) and v and self.above.get(key) == v:
                    self.sh.rows[row].cells[j] = "同上"
                    for x in self.sh.mentions:
                        if x["row"] == row + 1 and x["column"] == j + 1:
                            x["text"] = "同上"
                elif isinstance(v, str) and v:
                    self.above[key] = v
        return row

    def problem(self, seq: int, prob, label: str, ms: pd.DataFrame) -> None:
        self.n_problems += 1
        pcells = self.problem_cells(seq, prob, label)
        base = [["problems", prob.problem_id, 0]]
        if prob.person_ids and "persons" in self.cols:
            pcells["persons"] = "PERSONS"
        if not len(ms):
            row = self.emit(pcells, base)
            self._persons(row, prob)
            return
        uniform = len(ms) > 1 and len({(m.owner_dept_id, str(m.due_date), m.status,
                                         str(m.completed_date)) for m in ms}) == 1
        mode = self.p.multi
        if mode == "items":
            if uniform:
                self._items(pcells, base, prob, ms)
                return
            mode = "repeat" if self.p.csv else "merge"
        first = None
        for k, m in enumerate(ms):
            row = len(self.sh.rows)
            cells = dict(pcells) if k == 0 or mode != "merge" else {}
            if k > 0 and mode == "repeat":
                cells = {key: ("同上" if key in ("problem", "category") and self.rng.random() < 0.6
                               else v) for key, v in pcells.items() if key != "seq"}
            mc = self.measure_cells(row, m, bool(prob.immediate))
            note = "；".join(str(x) for x in (cells.get("note"), mc.pop("note", None)) if x)
            cells.update(mc)
            cells["note"] = note
            cells["leader"] = self.leader_cell(row) if (k == 0 or mode != "merge") else None
            recs = (base if k == 0 else []) + [["measures", m.measure_id, 0]]
            row = self.emit(cells, recs)
            if k == 0:
                first = row
                self._persons(row, prob)
            elif mode == "repeat" and "persons" in self.cols:
                self._persons(row, prob)
        if mode == "merge" and len(ms) > 1 and first is not None:
            last = first + len(ms) - 1
            for key in ("seq", "category", "problem", "persons", "found", "leader"):
                j = self.col(key)
                if j is not None:
                    self.sh.merge(first, j, last, j)

    def _persons(self, row: int, prob) -> None:
        j = self.col("persons")
        if j is None:
            return
        cells = self.sh.rows[row].cells
        if not prob.person_ids:
            cells[j] = None
            return
        names = []
        for pid in prob.person_ids.split(";"):
            names.append(self.o.person_name[pid])
            self.sh.mention(row, j, self.o.person_name[pid], "person", pid)
        cells[j] = "、".join(names)

    def _items(self, pcells, base, prob, ms: pd.DataFrame) -> None:
        row = len(self.sh.rows)
        marks = ("（{k}）", "{k}.", "{k}、")[int(self.rng.integers(0, 3))]
        sep = "；\n" if self.rng.random() < 0.5 else "；"
        texts = [marks.format(k=k + 1) + m.description for k, m in enumerate(ms)]
        first = ms[0]
        mc = self.measure_cells(row, first, bool(prob.immediate))
        due = self.o.edited("measures", first.measure_id, "due_date", first.due_date)
        for m in ms[1:]:  # one deadline cell for every item
            self.o.edit("measures", m.measure_id, "due_date", due)
            self.n_measures += 1
            self.n_done += m.status in COUNTED_DONE
        owners = list(dict.fromkeys(m.owner_person_id for m in ms if m.owner_person_id))
        j = self.at("owner")
        self.sh.mentions = [x for x in self.sh.mentions
                            if not (x["row"] == row + 1 and x["column"] == j + 1)]
        for pid in owners:
            self.sh.mention(row, j, self.o.person_name[pid], "person", pid)
        mc["owner"] = "、".join(self.o.person_name[x] for x in owners)
        mc["measure"] = sep.join(texts)
        note = "；".join(str(x) for x in (pcells.get("note"), mc.pop("note", None)) if x)
        cells = {**pcells, **mc, "note": note, "leader": self.leader_cell(row)}
        recs = base + [["measures", m.measure_id, k + 1] for k, m in enumerate(ms)]
        self.emit(cells, recs)
        self._persons(row, prob)
        if any(m.reopened for m in ms):  # one 回炉整改 note for the row
            self.o.edit("measures", [m.measure_id for m in ms], "reopened", True)


def build_sheet(office: Office, rng, sheet_name: str, unit: str, round_id: str, team: str,
                p: Profile, problems: list, measures: dict[str, list]) -> Sheet:
    cols = columns(p)
    sh = Sheet(sheet_name, len(cols), table="problems+measures")
    unit_form = office.names.party(unit) if rng.random() < 0.7 else office.names.write(rng, unit)
    title = (f"{unit_form}落实{office.organizer(round_id)}{office.team_name.get(team, '')}"
             f"巡察反馈意见整改台账" if rng.random() < 0.6 else
             f"{unit_form}关于{office.round_name[round_id]}反馈问题整改落实情况台账")
    r = sh.line("title", title, bold=True)
    sh.mention(r, 0, unit_form, "unit", unit)
    end = office.round_end.get(round_id)
    if p.meta:
        form = office.names.write(rng, unit)
        when = (end + pd.Timedelta(days=int(rng.integers(20, 80)))) if end is not None else None
        meta = f"填报单位（盖章）：{form}"
        if when is not None:
            meta += f"        填报时间：{when.year}年{when.month}月{when.day}日"
        r = sh.line("meta", meta)
        sh.mention(r, 0, form, "unit", unit)
        if when is not None and rng.random() < 0.5:
            sh.line("meta", f"统计截止时间：{when.year}年{when.month}月{when.day}日")
    _header(sh, p, cols)
    b = _Builder(office, rng, sh, p, cols, unit, round_id)
    _body(b, rng, p, problems, measures)
    _tail(office, rng, sh, p, b, cols, unit)
    ids = [x.problem_id for x in problems]
    if p.sections != "focus":
        office.edit("problems", ids, "focus", None)
    if not p.found:
        office.edit("problems", ids, "found_date", pd.NaT)
    office.edit("problems", ids, "subcategory", None)
    return sh


def _body(b: _Builder, rng, p: Profile, problems: list, measures) -> None:
    if p.sections:
        key = "category" if p.sections == "category" else "focus"
        groups = list(dict.fromkeys(getattr(x, key) or "其他" for x in problems))
    else:
        key, groups = None, [None]
    seq = 0
    for k, g in enumerate(groups):
        rows = problems if key is None else [x for x in problems if (getattr(x, key) or "其他") == g]
        if key is not None:
            text = (f"{cn_number(k + 1)}、{g}方面（{len(rows)}个）" if rng.random() < 0.6
                    else f"（{cn_number(k + 1)}）{g}问题（{len(rows)}个）")
            b.sh.add("section", [Cell(text, bold=True)])
            b.sh.merge(len(b.sh.rows) - 1, 0, len(b.sh.rows) - 1, b.sh.width - 1)
        for prob in rows:
            seq += 1
            b.problem(seq, prob, prob.category, measures.get(prob.problem_id, []))
            blank = p.blank_rows and rng.random() < 0.08
            # a blank row as the sheet's last row is not stored in an XLSX file:
            # no reader can see it, so it is not written
            if blank and not (k == len(groups) - 1 and prob is rows[-1]):
                b.sh.add("blank", [])


def _tail(office: Office, rng, sh: Sheet, p: Profile, b: _Builder, cols, unit: str) -> None:
    if p.total:
        if p.total_line:
            text = (f"合计：共反馈问题{b.n_problems}个，制定整改措施{b.n_measures}条，"
                    f"已完成整改{b.n_done}条")
            r = sh.line("total", text)
        else:
            cells = {"seq": "合计", "problem": f"{b.n_problems}个问题",
                     "measure": f"{b.n_measures}条措施", "status": f"已完成{b.n_done}条"}
            r = sh.add("total", [cells.get(c) for c in cols])
        for what, v in (("problems", b.n_problems), ("measures", b.n_measures),
                        ("done", b.n_done)):
            sh.totals.append({"row": r + 1, "what": what, "value": int(v)})
    if p.fill_status:
        sh.line("legend", LEGEND)
    if p.signature:
        names = [office.person_name[x[2]] for x in office.tops.get(unit, [])][-3:] or ["王芳"]
        who = names[int(rng.integers(0, len(names)))]
        sh.line("signature", f"填表人：{who}        审核人：        单位主要负责人（签字）：")
        if rng.random() < 0.5:
            sh.line("signature", "（盖章）")
