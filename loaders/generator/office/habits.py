"""Which habits one office's ledger has: layouts differ between units.

``Profile`` is drawn once per (unit, round) from its own random stream, so a
ledger's layout does not change when another ledger's does.  Every habit is a
field; ``names()`` lists those a sheet shows (recorded in the truth so a test
can check that each habit occurs somewhere).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: header words each column may be written with (the first is the usual one)
HEADERS: dict[str, tuple[str, ...]] = {
    "seq": ("序号",),
    "category": ("问题类型", "问题类别", "问题分类"),
    "problem": ("具体问题", "问题表现", "存在问题", "问题描述"),
    "persons": ("涉及人员", "涉事人员"),
    "found": ("发现时间", "反馈时间"),
    "measure": ("整改措施", "整改举措"),
    "leader": ("责任领导", "牵头领导"),
    "dept": ("责任单位", "责任股室", "责任部门"),
    "owner": ("责任人", "具体责任人"),
    "due": ("整改时限", "完成时限"),
    "status": ("整改情况", "整改进展", "完成情况", "整改状态"),
    "done": ("完成时间", "整改完成时间"),
    "note": ("备注",),
}
GROUPS = {"巡察反馈问题": ("category", "problem"), "责任落实": ("leader", "dept", "owner")}


@dataclass(frozen=True)
class Profile:
    csv: bool            # a GBK CSV instead of a workbook
    meta: bool           # 填报单位/填报时间/统计截止时间 lines
    two_row_header: bool  # 巡察反馈问题 over 问题类型 | 具体问题
    sections: str        # "", "category" (一、…方面（4个）; no 问题类型 column) or "focus"
    total: bool          # 合计 row
    total_line: bool     # the 合计 as one sentence instead of cells
    signature: bool      # 填表人/审核人 rows
    blank_rows: bool
    same_above: bool     # 同上 for a repeated leader/department
    multi: str           # how a problem with several measures is laid out: merge | items | repeat
    fill_status: bool    # status by fill colour, with a legend
    persons: bool        # a 涉及人员 column
    found: bool          # a 发现时间 column
    leader_first: bool   # 责任领导 before 责任单位 (else after 责任人)
    words: tuple[int, ...]  # which header word each column uses

    def names(self) -> list[str]:
        out = ["title", "seq", "unit_in_title"]
        if self.sections:
            out.append(f"sections_{self.sections}")
        for habit in ("meta", "two_row_header", "total", "signature", "blank_rows",
                      "same_above", "fill_status", "persons", "csv"):
            if getattr(self, habit):
                out.append(habit)
        out.append(f"multi_{self.multi}")
        return out


def draw_profile(rng: np.random.Generator) -> Profile:
    csv = bool(rng.random() < 0.15)
    multi = ("repeat", "items")[int(rng.integers(0, 2))] if csv else \
        ("merge", "merge", "items", "repeat")[int(rng.integers(0, 4))]
    return Profile(
        csv=csv, meta=bool(rng.random() < 0.7), two_row_header=not csv and rng.random() < 0.5,
        sections=("", "category", "focus")[int(rng.integers(0, 3))], total=bool(rng.random() < 0.65),
        total_line=bool(rng.random() < 0.4), signature=bool(rng.random() < 0.7),
        blank_rows=bool(rng.random() < 0.3), same_above=bool(rng.random() < 0.4),
        multi=multi, fill_status=not csv and rng.random() < 0.25,
        persons=bool(rng.random() < 0.5), found=bool(rng.random() < 0.3),
        leader_first=bool(rng.random() < 0.5),
        words=tuple(int(rng.integers(0, len(v))) for v in HEADERS.values()))


def header_word(profile: Profile, key: str) -> str:
    words = HEADERS[key]
    return words[profile.words[list(HEADERS).index(key)] % len(words)]
