"""The office's decisions on category labels: a crosswalk file (CSV, XLSX or
JSON) with one row per decided label, reapplied on every later run.

Columns (Chinese or English headers):

| canonical | aliases | meaning |
|---|---|---|
| ``kind`` | 类型, 对象类型 | ``category`` (问题类别); rows of other kinds — the import's ``unit`` and ``person`` rows — are skipped, so one crosswalk holds them all |
| ``text`` | 原文, 书写形式, 原类别 | the label as written |
| ``target`` | 归并为, 对应, 规范名称 | the taxonomy's name it means |
| ``decision`` | 决定, 审核意见 | 接受/同意/是/Y/accept, or 拒绝/不同意/否/N/reject; blank rows are undecided and skipped |

The review list ``linkgraph categories DATA --out review.xlsx`` writes is
itself such a file: fill in the decision column (and correct ``target``
where the suggestion is wrong) and pass it back with ``--decisions``.
"""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pandas as pd

from linkgraph.categories import Decision
from linkgraph.errors import InputError

HEADERS = {
    "kind": ("kind", "类型", "对象类型"),
    "text": ("text", "原文", "书写形式", "原类别", "written"),
    "target": ("target", "归并为", "对应", "规范名称", "category"),
    "decision": ("decision", "决定", "审核意见"),
}
ACCEPT = {"接受", "同意", "是", "y", "yes", "accept", "accepted", "true", "1", "√", "✓"}
REJECT = {"拒绝", "不同意", "否", "n", "no", "reject", "rejected", "false", "0", "×", "✗"}
KIND_WORDS = {"category": "category", "问题类别": "category", "类别": "category"}


def _frame(path: Path) -> pd.DataFrame:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xls", ".xlsm"):
        return pd.read_excel(path, dtype=str, engine="calamine")
    if suffix == ".json":
        doc = json.loads(path.read_text("utf-8-sig"))
        return pd.DataFrame(doc.get("decisions", doc) if isinstance(doc, dict) else doc,
                            dtype=str)
    from loaders.text import decode_text

    text = decode_text(path.read_bytes(), str(path))
    from io import StringIO
    return pd.read_csv(StringIO(text), dtype=str, keep_default_na=False)


def read_decisions(path: str | Path) -> list[Decision]:
    """The category decisions in ``path`` (other kinds skipped)."""
    path = Path(path)
    try:
        frame = _frame(path)
    except (OSError, ValueError) as exc:
        raise InputError(f"无法读取决定文件 {path} / cannot read the decisions file: {exc}") from exc
    names = {unicodedata.normalize("NFKC", str(c)).strip().lower(): c for c in frame.columns}
    cols = {}
    for canon, aliases in HEADERS.items():
        hit = next((names[a.lower()] for a in aliases if a.lower() in names), None)
        if hit is None and canon != "kind":
            raise InputError(f"{path}: 缺少列 {canon}（可用列名：{'、'.join(aliases)}）"
                             f" / missing column {canon} (accepted: {', '.join(aliases)})")
        cols[canon] = hit
    out, bad = [], []
    for i, row in enumerate(frame.fillna("").to_dict("records"), start=2):
        kind = str(row[cols["kind"]]).strip().lower() if cols["kind"] else "category"
        if KIND_WORDS.get(kind, kind) != "category":
            continue
        value = unicodedata.normalize("NFKC", str(row[cols["decision"]])).strip().lower()
        text, target = str(row[cols["text"]]).strip(), str(row[cols["target"]]).strip()
        if not value:
            continue
        if value not in ACCEPT | REJECT:
            bad.append(f"第 {i} 行 决定={value!r}：应为 接受 或 拒绝 / row {i}: decision "
                       f"{value!r} is neither accept nor reject")
        elif not text or not target:
            bad.append(f"第 {i} 行：原文和归并为都必须填写 / row {i}: text and target are required")
        else:
            out.append(Decision(text, target, value in ACCEPT))
    if bad:
        raise InputError(f"{path}: " + "；".join(bad))
    return out
