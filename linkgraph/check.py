"""Typing and checking the mapped tables against the data contract.

Every problem is collected (never only the first): unreadable cells, missing
required values, duplicate keys, references that do not resolve, cycles in
``parent_id``, self-ties and dates out of order.  A row with any error is
rejected; a row referring to a rejected row is rejected too, which is why
tables are checked in ``schema.LOAD_ORDER``.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from linkgraph import normalize as norm
from linkgraph.errors import Violation
from linkgraph.schema import TABLE_BY_NAME, Column, key_column
from linkgraph.vocab import (BOOL_WORDS, LENIENT_VOCABULARIES, accepted_values, lookup_table,
                             vocabulary)

_KIND_REASON = {
    "date": "无法识别的日期（可用 2023-10-15、2023/10/15、2023.10.15、2023年10月15日、"
            "2023年10月 或 Excel 日期） / not a date",
    "int": "不是整数 / not a whole number",
    "float": "不是金额数字 / not a number",
    "bool": "应为 是/否（Y/N、1/0） / not yes/no",
}


@dataclass
class Checked:
    """One table after typing: all rows read, and the errors per row."""

    table: str
    file: str
    frame: pd.DataFrame  # typed; index = row number the user sees
    raw: pd.DataFrame | None  # the cells as read, while typing (for quoting values)
    errors: dict[int, list[Violation]] = field(default_factory=dict)
    warnings: list[Violation] = field(default_factory=list)

    def reject(self, rows, column: str, reason: str, values=None) -> None:
        for i, row in enumerate(rows):
            if values is not None:
                value = values[i]
            elif self.raw is not None:
                value = self.raw.at[row, column]
            else:
                value = _shown(self.frame.at[row, column])
            v = Violation(self.table, self.file, int(row), column,
                          "" if value is None or value != value else str(value), reason)
            self.errors.setdefault(int(row), []).append(v)

    @property
    def valid(self) -> pd.Series:
        return ~self.frame.index.isin(list(self.errors))


def _typed_column(col: Column, raw: pd.Series, relation_words: Mapping[str, str]):
    kind = col.kind
    if kind == "id":
        return norm.identifier(raw) + (None,)
    if kind == "text":
        return norm.text(raw), pd.Series(False, index=raw.index), None
    if kind == "date":
        return norm.dates(raw) + (_KIND_REASON["date"],)
    if kind == "int":
        return norm.integers(raw) + (_KIND_REASON["int"],)
    if kind == "float":
        return norm.amounts(raw) + (_KIND_REASON["float"],)
    if kind == "bool":
        return norm.booleans(raw, lookup_table(BOOL_WORDS)) + (_KIND_REASON["bool"],)
    if kind in ("ids", "list"):
        return norm.split_list(raw, ids=kind == "ids") + (None,)
    if kind.startswith("vocab:"):
        name = kind.split(":", 1)[1]
        table = vocabulary(name, relation_words if name == "relation" else None)
        values, bad = norm.vocabulary(raw, table)
        reason = f"未知的取值，可用：{accepted_values(name)} / unknown value"
        return values, bad, reason
    raise ValueError(f"unknown column kind {kind}")


def _shown(value: object) -> str:
    """A typed value as the user would have written it."""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, tuple):
        return ";".join(value)
    return "" if value is None or value != value else str(value)


def type_table(table: str, file: str, raw: pd.DataFrame,
               relation_words: Mapping[str, str]) -> Checked:
    """Parse a whole table (canonical headers) and check its keys."""
    checked = type_rows(table, file, raw, relation_words)
    checked.raw = None
    check_keys(checked)
    return checked


def merge(pieces: list[Checked]) -> Checked:
    """One table from its typed chunks (in row order)."""
    first = pieces[0]
    if len(pieces) == 1:
        first.raw = None
        return first
    frame = pd.concat([p.frame for p in pieces])
    merged = Checked(first.table, first.file, frame, None)
    for p in pieces:
        merged.errors.update(p.errors)
        merged.warnings.extend(p.warnings)
    return merged


def type_rows(table: str, file: str, raw: pd.DataFrame,
              relation_words: Mapping[str, str]) -> Checked:
    """Parse every column of ``raw`` (canonical headers) to its type."""
    spec = TABLE_BY_NAME[table]
    typed = pd.DataFrame(index=raw.index)
    checked = Checked(table, file, typed, raw)
    _check_cell_lengths(checked)
    for col in spec.columns:
        values, bad, reason = _typed_column(col, raw[col.name], relation_words)
        vocab = col.kind.split(":", 1)[1] if col.kind.startswith("vocab:") else None
        if bad.any() and vocab in LENIENT_VOCABULARIES:
            fallback = LENIENT_VOCABULARIES[vocab]
            for row in bad[bad].index:
                checked.warnings.append(Violation(table, file, int(row), col.name,
                                                  str(raw.at[row, col.name]),
                                                  f"未知的取值，按 {fallback} 处理 / unknown "
                                                  f"value, kept as {fallback}", "warning"))
            values = values.where(~bad, fallback)
        elif bad.any():
            checked.reject(bad[bad].index, col.name, reason)
        if col.required:
            empty = values.isna() & ~bad
            if col.kind in ("ids", "list"):
                empty = values.map(len) == 0
            checked.reject(empty[empty].index, col.name, "必填项为空 / required value missing")
        typed[col.name] = values
    return checked


def _check_cell_lengths(checked: Checked) -> None:
    limit = max_cell_chars()
    raw = checked.raw
    assert raw is not None, "cell lengths are checked while typing"
    for col in raw.columns:
        cells = raw[col]
        present = cells.notna()
        if not present.any():
            continue
        lengths = cells[present].astype(str).str.len()
        long = lengths[lengths > limit]
        for row, n in long.items():
            checked.reject([row], col, f"单元格过长（{n} 字符，上限 {limit}） / cell too long "
                           f"({n} characters, limit {limit})", [str(cells[row])[:80] + "…"])


def max_cell_chars() -> int:
    """Excel's own limit per cell; LINKGRAPH_MAX_CELL_CHARS overrides."""
    return int(os.environ.get("LINKGRAPH_MAX_CELL_CHARS", "32767"))


def check_keys(checked: Checked) -> None:
    key = TABLE_BY_NAME[checked.table].key
    if not key:
        return
    frame = checked.frame
    present = frame[list(key)].notna().all(axis=1)
    sub = frame.loc[present, list(key)]
    dup = sub.duplicated(keep="first")
    if not dup.any():
        return
    first = sub.reset_index().drop_duplicates(list(key)).set_index(list(key))["index"]
    for row in dup[dup].index:
        k = tuple(sub.loc[row])
        where = first.loc[k if len(key) > 1 else k[0]]
        checked.reject([row], key[0], f"重复的{'/'.join(key)}（首次出现在第 {int(where)} 行）"
                       f" / duplicate key, first at row {int(where)}")


@dataclass(frozen=True)
class KeyIndex:
    """The keys of one table: which loaded, which rejected (and at which row)."""

    loaded: frozenset
    rejected: Mapping[str, int]
    present: bool


def key_index(checked: Checked | None) -> KeyIndex:
    if checked is None:
        return KeyIndex(frozenset(), {}, False)
    col = key_column(checked.table)
    ids = checked.frame[col]
    ok = checked.valid & ids.notna().to_numpy()
    bad = ~checked.valid & ids.notna().to_numpy()
    rejected = {k: int(r) for r, k in ids[bad].items()}
    return KeyIndex(frozenset(ids[ok]), rejected, True)


def _member(values: pd.Series, keys: frozenset) -> np.ndarray:
    """``values.isin(keys)`` through Arrow's hash set: pandas' isin on Arrow
    strings converts the whole key set to Python scalars first (20 s for a
    province's million people)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not keys:
        return np.zeros(len(values), dtype=bool)
    texts = values.map(lambda v: v if isinstance(v, str) else str(v)) \
        if values.dtype == object else values.astype(str)
    arr = pa.array(texts.to_numpy(dtype=object), type=pa.string())
    value_set = pa.array(list(keys), type=pa.string())
    return pc.is_in(arr, value_set=value_set).to_numpy(zero_copy_only=False)


def check_references(checked: Checked, keys: Mapping[str, KeyIndex]) -> list[Violation]:
    """Reject rows whose references do not resolve; returns table-level notes."""
    notes: list[Violation] = []
    spec = TABLE_BY_NAME[checked.table]
    for col in spec.columns:
        if col.ref is None:
            continue
        target = keys[col.ref]
        values = checked.frame[col.name]
        if col.kind == "ids":
            exploded = values.explode().dropna()
        else:
            exploded = values.dropna()
        if exploded.empty:
            continue
        if not target.present:
            notes.append(Violation(checked.table, checked.file, None, col.name, "",
                                   f"引用了 {col.ref} 表，但输入中没有该表 / refers to table "
                                   f"{col.ref}, which is missing"))
        unknown = exploded[~_member(exploded, target.loaded)]
        for row, value in unknown.items():
            if value in target.rejected:
                reason = (f"引用的 {col.ref} 第 {target.rejected[value]} 行已被拒收"
                          f" / refers to a rejected {col.ref} row")
            else:
                reason = (f"{col.ref} 表中没有此编码 / unknown {key_column(col.ref)} "
                          f"(not in {col.ref})")
            checked.reject([row], col.name, reason, [value])
    return notes


def check_parent_cycles(checked: Checked) -> None:
    """Reject rows whose ``parent_id`` chain loops back on itself."""
    spec = TABLE_BY_NAME[checked.table]
    if spec.parent is None:
        return
    key = key_column(checked.table)
    frame = checked.frame[checked.valid]
    parent = dict(zip(frame[key], frame[spec.parent]))
    state: dict[str, int] = {}  # 1 = on the current path, 2 = known acyclic
    on_cycle: set[str] = set()
    for start in parent:
        path, node = [], start
        while node is not None and node in parent and state.get(node) is None:
            state[node] = 1
            path.append(node)
            node = parent[node]
        if node is not None and state.get(node) == 1:
            on_cycle.update(path[path.index(node):])
        for n in path:
            state[n] = 2
    if on_cycle:
        rows = frame.index[frame[key].isin(on_cycle)]
        checked.reject(rows, spec.parent, "上级关系构成循环 / parent_id forms a cycle")


def check_rows(checked: Checked) -> None:
    """Row rules that are not about a single cell."""
    f = checked.frame
    if checked.table == "ties":
        same = f["person_a"].notna() & (f["person_a"] == f["person_b"])
        checked.reject(f.index[same], "person_b", "本人与本人的关系 / a tie from a person to "
                       "themselves")
    pairs = {
        "posts": [("start", "end")],
        "rounds": [("start", "end")],
        "leads": [("transfer_date", "received_date"), ("transfer_date", "closed_date")],
    }
    for first, then in pairs.get(checked.table, []):
        wrong = f[first].notna() & f[then].notna() & (f[then] < f[first])
        checked.reject(f.index[wrong], then, f"早于 {first} / earlier than {first}")


def check_assignment_rounds(assignments: Checked, teams: Checked | None) -> None:
    """An assignment's team must belong to the assignment's round."""
    if teams is None or assignments.frame.empty:
        return
    team_round = teams.frame.loc[teams.valid].set_index("team_id")["round_id"]
    f = assignments.frame
    theirs = f["team_id"].map(team_round)
    wrong = theirs.notna() & (theirs != f["round_id"])
    for row in f.index[wrong]:
        assignments.reject([row], "team_id", f"该巡察组属于轮次 {theirs[row]}，与本行轮次不符"
                           f" / the team belongs to round {theirs[row]}")


def resolve_department_names(checked: Checked, column: str,
                             departments: Checked | None) -> None:
    """Ledgers often name the department (移交单位) instead of giving its code."""
    if departments is None:
        return
    d = departments.frame.loc[departments.valid]
    by_name = d.drop_duplicates("name", keep=False).set_index("name")["dept_id"]
    col = checked.frame[column]
    named = col.notna() & ~col.isin(set(d["dept_id"])) & col.isin(by_name.index)
    checked.frame.loc[named, column] = col[named].map(by_name)

