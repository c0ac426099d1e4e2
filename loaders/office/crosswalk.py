"""The office's match decisions: the review rows, reading them back, and the
crosswalk (单位别名表 / 人员对照表) that later imports reapply.

**Review rows.** ``review_rows(resolution)`` gives one row per (mention,
candidate) pair in review, with the columns of ``REVIEW_COLUMNS`` (Chinese
headers; ``lang="en"`` for English).  The writer puts them in
``DATA/review.xlsx``; the office fills the 决定（接受/拒绝） column with
接受 (this mention is this candidate) or 拒绝 (it is not), and leaves the
rest as it is.  The 核对键 column identifies the pair and must not be edited.

**Decisions.** ``read_decisions(path)`` reads that column back: 接受 / 是 / √
/ accept / yes and 拒绝 / 否 / × / reject / no; an empty cell is undecided;
anything else is an error naming file, sheet, row, column and value.

**Crosswalk.** ``DATA/crosswalk.json`` keeps every decision ever made::

    {"format": "linkgraph-crosswalk/1",
     "units":  [{"key": "unit:青岚县|白沙镇|gov", "mention": "白沙镇人民政府",
                 "entity_id": "U…", "entity_name": "青岚县白沙镇",
                 "decision": "accept"}, …],   # 单位别名表
     "people": [{"key": "person:王磊||", "mention": "王磊", "entity_id": "P…",
                 "entity_name": "王磊（县农业农村局）", "decision": "reject"}, …]}  # 人员对照表

``key`` names the mention as the resolver sees it (unit: region, core
name and form; person: name, unit id, birth), ``entity_id`` the candidate.
``Crosswalk.with_decisions`` adds new decisions (a later decision on the
same pair replaces the earlier one); ``resolve(…, crosswalk=…)`` applies
them before any automatic rule, so a pair decided once stays decided.
"""
from __future__ import annotations

import json
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from linkgraph.errors import InputError
from loaders.office.records import Resolution

FORMAT = "linkgraph-crosswalk/1"
FILE_NAME = "crosswalk.json"

REVIEW_COLUMNS_ZH = ("序号", "类型", "写法", "出处", "候选编码", "候选名称", "匹配概率",
                     "依据", "导入时采用", "原因", "决定（接受/拒绝）", "核对键")
REVIEW_COLUMNS_EN = ("No.", "kind", "as written", "where", "candidate id", "candidate",
                     "match probability", "evidence", "used by the import", "reason",
                     "decision (accept/reject)", "pair key")
REVIEW_COLUMNS = REVIEW_COLUMNS_ZH
DECISION_COLUMN = {"zh": REVIEW_COLUMNS_ZH[10], "en": REVIEW_COLUMNS_EN[10]}
KEY_COLUMN = {"zh": REVIEW_COLUMNS_ZH[11], "en": REVIEW_COLUMNS_EN[11]}
KIND_LABEL = {"zh": {"unit": "单位", "person": "人员", "category": "问题类别"},
              "en": {"unit": "unit", "person": "person", "category": "category"}}
YES_NO = {"zh": ("是", "否"), "en": ("yes", "no")}

ACCEPT_WORDS = frozenset({"接受", "是", "同意", "确认", "√", "✓", "✔", "y", "yes", "accept",
                          "true", "1", "对", "是同一"})
REJECT_WORDS = frozenset({"拒绝", "否", "不同意", "不是", "×", "✗", "✘", "n", "no", "reject",
                          "false", "0", "不对", "非同一"})
PAIR_SEPARATOR = " ⇒ "


@dataclass(frozen=True)
class Decision:
    """The office's answer for one pair: is ``mention`` (its ``key``) the
    entity ``entity_id``?"""

    kind: str
    key: str
    mention: str
    entity_id: str
    entity_name: str
    accept: bool


def pair_key(item_key: str, entity_id: str) -> str:
    return f"{item_key}{PAIR_SEPARATOR}{entity_id}"


def split_pair_key(text: str) -> tuple[str, str] | None:
    if PAIR_SEPARATOR not in text:
        return None
    key, _, entity = text.rpartition(PAIR_SEPARATOR)
    return key, entity


def review_rows(resolution: Resolution, lang: str = "zh") -> list[dict[str, Any]]:
    """One row per (mention, candidate) pair in review, headers in ``lang``."""
    cols = REVIEW_COLUMNS_ZH if lang == "zh" else REVIEW_COLUMNS_EN
    yes, no = YES_NO["zh" if lang == "zh" else "en"]
    rows: list[dict[str, Any]] = []
    for number, item in enumerate(resolution.review, start=1):
        where = "；".join(f"{o.file} / {o.sheet} / {o.label}" for o in item.origins[:5])
        if len(item.origins) > 5:
            where += f"；… 共 {len(item.origins)} 处" if lang == "zh" \
                else f"; … {len(item.origins)} places in all"
        for cand in item.candidates:
            rows.append(dict(zip(cols, (
                number, KIND_LABEL["zh" if lang == "zh" else "en"].get(item.kind, item.kind),
                item.mention, where, cand.entity_id, cand.name, round(cand.score, 4),
                "、".join(cand.evidence) if lang == "zh" else ", ".join(cand.evidence),
                yes if item.chosen == cand.entity_id else no, item.reason, "",
                pair_key(item.key, cand.entity_id)))))
    return rows


def _decision_word(text: str) -> bool | None:
    word = unicodedata.normalize("NFKC", text).strip().lower()
    if not word:
        return None
    if word in ACCEPT_WORDS:
        return True
    if word in REJECT_WORDS:
        return False
    raise ValueError(word)


def _nfkc(text: object) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip()


def _header_map(row: tuple[Any, ...]) -> dict[str, int]:
    return {_nfkc(v): i for i, v in enumerate(row) if v is not None}


def read_decisions(path: str | Path) -> list[Decision]:
    """The accept/reject column of a review workbook (``review.xlsx``)."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    path = Path(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise InputError(f"{path}: 无法读取核对表（{exc}） / cannot read the review workbook"
                         ) from None
    decisions: list[Decision] = []
    found = False
    for sheet in book.worksheets:
        rows = sheet.iter_rows(values_only=True)
        lang, header, header_row = None, {}, 0
        for header_row, row in enumerate(rows, start=1):
            header = _header_map(row)
            lang = next((lg for lg in ("zh", "en") if _nfkc(DECISION_COLUMN[lg]) in header
                         and _nfkc(KEY_COLUMN[lg]) in header), None)
            if lang is not None or header_row >= 5:
                break
        if lang is None:
            continue
        found = True
        cols = REVIEW_COLUMNS_ZH if lang == "zh" else REVIEW_COLUMNS_EN
        d_col, k_col = header[_nfkc(DECISION_COLUMN[lang])], header[_nfkc(KEY_COLUMN[lang])]
        m_col, n_col = header.get(_nfkc(cols[2])), header.get(_nfkc(cols[5]))
        for number, row in enumerate(rows, start=header_row + 1):
            cell = row[d_col] if d_col < len(row) else None
            try:
                accept = _decision_word("" if cell is None else str(cell))
            except ValueError:
                raise InputError(
                    f"{path.name} / {sheet.title} / 第 {number} 行 / {get_column_letter(d_col + 1)}"
                    f" 列「{DECISION_COLUMN[lang]}」: 值「{cell}」无法识别，应为 接受 或 拒绝"
                    f" / value not understood, expected accept or reject") from None
            if accept is None:
                continue
            pair = split_pair_key(str(row[k_col] or ""))
            if pair is None:
                raise InputError(
                    f"{path.name} / {sheet.title} / 第 {number} 行 / {get_column_letter(k_col + 1)}"
                    f" 列「{KEY_COLUMN[lang]}」: 值「{row[k_col]}」不是导入生成的核对键，请勿修改此列"
                    f" / not a pair key written by the import; do not edit this column")
            key, entity = pair
            decisions.append(Decision(
                key.split(":", 1)[0], key, str(row[m_col] or "") if m_col is not None else "",
                entity, str(row[n_col] or "") if n_col is not None else "", accept))
    book.close()
    if not found:
        raise InputError(f"{path}: 找不到「{DECISION_COLUMN['zh']}」列，这不是导入生成的核对表"
                         " / no decision column: not a review workbook written by the import")
    return decisions


@dataclass
class Crosswalk:
    """Every decision the office made, by (key, entity id)."""

    decisions: dict[tuple[str, str], Decision] = field(default_factory=dict)

    @classmethod
    def from_decisions(cls, decisions: Iterable[Decision]) -> Crosswalk:
        return cls().with_decisions(decisions)

    def with_decisions(self, decisions: Iterable[Decision]) -> Crosswalk:
        merged = dict(self.decisions)
        for d in decisions:
            merged[(d.key, d.entity_id)] = d
        return Crosswalk(merged)

    def accepted(self, key: str) -> str | None:
        """The entity the office said ``key`` is, if it said so."""
        chosen = sorted(e for (k, e), d in self.decisions.items() if k == key and d.accept)
        return chosen[0] if chosen else None

    def rejected(self, key: str) -> set[str]:
        return {e for (k, e), d in self.decisions.items() if k == key and not d.accept}

    def decided(self, key: str, entity_id: str) -> bool | None:
        d = self.decisions.get((key, entity_id))
        return None if d is None else d.accept

    def __len__(self) -> int:
        return len(self.decisions)

    @classmethod
    def load(cls, path: str | Path) -> Crosswalk:
        """Read ``crosswalk.json``; a missing file is an empty crosswalk."""
        path = Path(path)
        if not path.exists():
            return cls()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                raise ValueError(f"format {data.get('format')!r}")
            rows = [(kind, r) for kind, group in (("unit", "units"), ("person", "people"))
                    for r in data.get(group, [])]
            decisions = [Decision(kind, r["key"], r.get("mention", ""), r["entity_id"],
                                  r.get("entity_name", ""), r["decision"] == "accept")
                         for kind, r in rows]
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InputError(f"{path}: 对照表格式不对（{exc}） / not a crosswalk file") from None
        return cls.from_decisions(decisions)

    def save(self, path: str | Path) -> None:
        """Write ``crosswalk.json`` (sorted, so the file is byte-stable)."""
        groups: dict[str, list[dict[str, str]]] = {"units": [], "people": []}
        for (_, _), d in sorted(self.decisions.items()):
            row = asdict(d)
            row.pop("kind")
            row["decision"] = "accept" if row.pop("accept") else "reject"
            groups["units" if d.kind == "unit" else "people"].append(row)
        body = {"format": FORMAT, **groups}
        Path(path).write_text(json.dumps(body, ensure_ascii=False, indent=1, sort_keys=False)
                              + "\n", encoding="utf-8")
