"""What every office ledger builder shares: the tables, the names, the twin.

``twin`` starts as a copy of the canonical tables and is edited wherever a
ledger writes something that carries less than the contract does (a deadline
written 长期坚持 has no date; a column a ledger does not have is empty), so
``OUT/contract`` holds exactly what the office ledgers say.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from linkgraph.schema import OUTCOME_TABLES
from loaders.generator.office.names import UnitNames

CN_NUM = "零一二三四五六七八九十"
KEYS = {"problems": "problem_id", "measures": "measure_id", "leads": "lead_id",
        "people": "person_id", "audits": "finding_id"}


def cn_number(n: int) -> str:
    """1 -> 一, 12 -> 十二, 21 -> 二十一 (enough for section and team numbers)."""
    if n <= 10:
        return CN_NUM[n]
    if n < 20:
        return "十" + (CN_NUM[n - 10] if n > 10 else "")
    tens, ones = divmod(n, 10)
    return CN_NUM[tens] + "十" + (CN_NUM[ones] if ones else "")


class Office:
    def __init__(self, gen):
        self.gen = gen
        t = dict(gen.tables)
        # office ledgers write 已销号 (closed) as its own status; the review
        # record behind it, like every 成果 table (results, talks, visits …),
        # is not part of them, so the twin holds none
        for name in OUTCOME_TABLES:
            if name in t:
                t[name] = t[name].iloc[:0]
        self.t = t
        self.twin = {k: v.copy() for k, v in t.items()}
        #: table -> column -> {id: value}: what the ledgers carry differently
        self.edits: dict[str, dict[str, dict[str, object]]] = {}
        self.names = UnitNames(t["units"], t["regions"])
        pe = t["people"]
        self.person_name = dict(zip(pe["person_id"], pe["name"]))
        po = t["posts"].sort_values(["person_id", "start"], kind="stable")
        last = po.drop_duplicates("person_id", keep="last")
        self.post_of = {p: (u, ti) for p, u, ti in zip(last["person_id"], last["unit_id"],
                                                       last["title"])}
        self.title_in = {(p, u): ti for p, u, ti in zip(po["person_id"], po["unit_id"],
                                                        po["title"])}  # the latest wins
        top = po[po["is_top_leader"]]
        self.tops = {u: list(zip(g["start"], g["end"], g["person_id"], g["title"]))
                     for u, g in top.groupby("unit_id")}
        d = t["departments"]
        self.dept_name = dict(zip(d["dept_id"], d["name"]))
        self.round_name = dict(zip(t["rounds"]["round_id"], t["rounds"]["name"]))
        self.round_start = dict(zip(t["rounds"]["round_id"], t["rounds"]["start"]))
        self.round_end = dict(zip(t["rounds"]["round_id"], t["rounds"]["end"]))
        self.round_org = dict(zip(t["rounds"]["round_id"], t["rounds"]["organizer_region_id"]))
        self.region_name = dict(zip(t["regions"]["region_id"], t["regions"]["name"]))
        self.team_name = dict(zip(t["teams"]["team_id"], t["teams"]["name"]))
        self.files: list[dict] = []
        self.mentions: list[dict] = []
        self.rows: dict[str, dict[str, list]] = {}
        self.totals: list[dict] = []

    def edit(self, table: str, ids, column: str, value) -> None:
        """Set ``column`` of the twin's rows ``ids`` (one id or several) to ``value``."""
        col = self.edits.setdefault(table, {}).setdefault(column, {})
        for i in ([ids] if isinstance(ids, str) else ids):
            col[i] = value

    def edited(self, table: str, id_: str, column: str, default):
        return self.edits.get(table, {}).get(column, {}).get(id_, default)

    def twin_tables(self) -> dict[str, pd.DataFrame]:
        out = dict(self.twin)
        for table, cols in self.edits.items():
            frame = out[table].copy()
            key = frame[KEYS[table]]
            for column, values in cols.items():
                hit = key.isin(values.keys()).to_numpy()
                new = key[hit].map(values)
                if frame[column].dtype.kind == "M":
                    new = pd.to_datetime(new)
                elif frame[column].dtype == object:
                    new = new.astype(object).where(new.notna(), None)
                frame.loc[hit, column] = new.to_numpy()
            out[table] = frame
        return out

    def top_leader(self, unit: str, when: pd.Timestamp) -> tuple[str, str] | None:
        best = None
        for s, e, p, title in self.tops.get(unit, ()):
            if s <= when and (pd.isna(e) or e >= when):
                best = (p, title)
        return best

    def dept_form(self, rng: np.random.Generator, dept: str) -> str:
        name = self.dept_name[dept]
        if self.names.one_county and rng.random() < 0.5:
            county = next((c for c in set(self.names.county.values()) if c), "")
            if county and name.startswith(county):
                return county[-1] + name[len(county):]
            if county and name.startswith("中共" + county):
                return county[-1] + name[len(county) + 2:]
        return name

    def organizer(self, round_id: str) -> str:
        """区委 (one county) or 昌峰区委 — how a title names the committee."""
        name = self.region_name[self.round_org[round_id]]
        return (name[-1] if self.names.one_county and len(name) > 1 else name) + "委"


def date_text(rng: np.random.Generator, d: pd.Timestamp, forms=(0, 1, 2)) -> str:
    form = forms[int(rng.integers(0, len(forms)))]
    if form == 0:
        return f"{d.year}年{d.month}月{d.day}日"
    if form == 1:
        return f"{d.year}-{d.month:02d}-{d.day:02d}"
    return f"{d.year}.{d.month:02d}.{d.day:02d}"


def month_end(d: pd.Timestamp) -> pd.Timestamp:
    return (d + pd.offsets.MonthEnd(0)).normalize()


def safe_sheet_name(name: str, taken: set[str]) -> str:
    bad = "[]:*?/\\"
    base = "".join("_" if c in bad else c for c in name)[:31]
    out, k = base, 2
    while out in taken:
        suffix = f"({k})"
        out, k = base[:31 - len(suffix)] + suffix, k + 1
    taken.add(out)
    return out


def iso(v) -> str | None:
    if v is None or pd.isna(v):
        return None
    return pd.Timestamp(v).date().isoformat() if not isinstance(v, dt.date) else v.isoformat()
