"""Typing and checking the mapped tables against the data contract.

Every problem is collected (never only the first): unreadable cells, missing
required values, duplicate keys, references that do not resolve, cycles in
``parent_id``, self-ties and dates out of order.  A row with any error is
rejected; a row referring to a rejected row is rejected too, which is why
tables are checked in ``schema.LOAD_ORDER``.
"""
from __future__ import annotations

import os
import re
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
    #: False for a table rejected whole before typing (a required column
    #: missing): its cells are text as read, so no rule compares them
    typed: bool = True

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


#: Text columns kept as written (no NFKC): names and free text.  NFKC is for
#: ids and vocabularies (categories, sectors, levels …), where ``Ａ１`` and
#: ``A1`` must be one value.
FREE_TEXT_COLUMNS = frozenset({"name", "description", "topic", "text", "reason", "findings"})


def _typed_column(col: Column, raw: pd.Series, relation_words: Mapping[str, str]):
    kind = col.kind
    if kind == "id":
        return norm.identifier(raw) + (None,)
    if kind == "text":
        parse = norm.free_text if col.name in FREE_TEXT_COLUMNS else norm.text
        return parse(raw), pd.Series(False, index=raw.index), None
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
    merged = Checked(first.table, first.file, frame, None, typed=first.typed)
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
    suspicious_cells(checked)
    for col in spec.columns:
        if col.kind == "vocab:relation":
            _type_relation(checked, col.name, raw[col.name], relation_words)
            continue
        values, bad, reason = _typed_column(col, raw[col.name], relation_words)
        if col.kind == "text":
            _check_normalised_length(checked, col.name, values)
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
    extras = [c for c in RELATION_EXTRA_COLUMNS if c in typed]
    if extras:  # after the contract's columns
        checked.frame = typed[[c for c in typed if c not in extras] + extras]
    return checked


#: Columns the checker adds to ``ties`` beside the canonical relation: the
#: word as written and its kinship path (``kinship.KinPath.encode()``).
RELATION_EXTRA_COLUMNS = ("relation_word", "kinship")


def _type_relation(checked: Checked, column: str, raw: pd.Series,
                   relation_words: Mapping[str, str]) -> None:
    """Relation words through the kinship grammar; an unknown word is kept as
    ``other`` (a soft tie) with a warning naming it, never rejected."""
    from linkgraph.relations import UNKNOWN, read_relations

    words = norm.text(raw)
    words = words.where(~words.fillna("").str.lower().isin(norm.EMPTY_MARKERS), None)
    relation, path, unknown = read_relations(words, relation_words)
    for row in unknown[unknown].index:
        checked.warnings.append(Violation(
            checked.table, checked.file, int(row), column, str(words[row]),
            f"未识别的关系用语「{words[row]}」，暂按其他关系（提示，非回避）处理，请核实"
            f" / unknown relation word {words[row]!r}, kept as {UNKNOWN} (soft) for review",
            "warning"))
    empty = relation.isna()
    checked.reject(empty[empty].index, column, "必填项为空 / required value missing")
    checked.frame[column] = relation
    checked.frame["relation_word"] = words
    checked.frame["kinship"] = path


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


_INVISIBLE_NAMES = {0x0: "空字符 NUL", 0x200b: "零宽空格", 0x200c: "零宽不连字",
                    0x200d: "零宽连字", 0x200e: "从左到右标记", 0x200f: "从右到左标记",
                    0x202a: "从左到右嵌入", 0x202b: "从右到左嵌入", 0x202c: "方向格式结束",
                    0x202d: "从左到右覆盖", 0x202e: "从右到左覆盖", 0x2066: "从左到右隔离",
                    0x2067: "从右到左隔离", 0x2068: "方向隔离", 0x2069: "方向隔离结束",
                    0xfeff: "字节顺序标记 BOM", 0x00ad: "软连字符", 0x2060: "字连接符"}


def _invisible_name(ch: str) -> str:
    name = _INVISIBLE_NAMES.get(ord(ch), "控制字符")
    return f"{name} U+{ord(ch):04X}"


def _shown_raw(value: str) -> str:
    return norm.ID_INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", value)


def suspicious_cells(checked: Checked) -> None:
    """Cells that would otherwise change without a word: a NUL anywhere, an
    invisible or direction character inside an id (``U3`` would not match
    ``U\u200b3``), and an Excel number like ``2019.1`` in a date column
    (January, or 2019.10 that lost its zero?).  Each is rejected, naming what
    was found."""
    spec = TABLE_BY_NAME[checked.table]
    kinds = {c.name: c.kind for c in spec.columns}
    raw = checked.raw
    assert raw is not None, "suspicious cells are looked for while typing"
    for col in raw.columns:
        cells = raw[col]
        present = cells.notna()
        if not present.any():
            continue
        text = cells[present].astype(str)
        kind = kinds.get(col, "text")
        pattern = norm.ID_INVISIBLE if kind in ("id", "ids") else "\x00"
        hit = text.str.contains(pattern, regex=kind in ("id", "ids"))
        for row in hit[hit].index:
            value = text[row]
            found = norm.ID_INVISIBLE.search(value) or re.search("\x00", value)
            ch = found.group() if found else "\x00"
            checked.reject([row], col, f"含有看不见的字符：{_invisible_name(ch)}，请删去后重新输入"
                           f" / contains an invisible character U+{ord(ch):04X}; delete it",
                           [_shown_raw(value)])
        if kind == "date":
            amb = text.str.match(norm.AMBIGUOUS_YEAR_MONTH)
            for row in amb[amb].index:
                year = text[row].strip()[:4]
                checked.reject([row], col, f"{text[row].strip()} 可能是 {year} 年 1 月，也可能是 "
                               f"Excel 把 {year}.10 存成了数字；请写成 {year}-01 或 {year}-10"
                               f" / ambiguous: {year}-01, or {year}.10 stored as a number? "
                               f"write {year}-01 or {year}-10", [text[row]])
        if col == "birth_year":
            years = pd.to_numeric(text, errors="coerce")
            odd = years.notna() & ~years.between(1900, pd.Timestamp.now().year)
            for row in odd[odd].index:
                checked.reject([row], col, "出生年份不合理（应在 1900 年到今年之间） / birth year "
                               "out of range (1900 to this year)", [text[row]])


def _check_normalised_length(checked: Checked, column: str, values: pd.Series) -> None:
    """NFKC can lengthen text (``㍿`` is four characters): a cell that fits as
    written but not once normalised would be cut on export."""
    limit = max_cell_chars()
    present = values.notna()
    if not present.any():
        return
    lengths = values[present].astype(str).str.len()
    for row, n in lengths[lengths > limit].items():
        if row not in checked.errors:
            checked.reject([row], column, f"单元格规范化后过长（{n} 字符，上限 {limit}） / cell "
                           f"too long once normalised ({n} characters, limit {limit})",
                           [str(checked.raw.at[row, column])[:80] + "…"
                            if checked.raw is not None else ""])


def max_cell_chars() -> int:
    """Excel's own limit per cell; LINKGRAPH_MAX_CELL_CHARS overrides."""
    return int(os.environ.get("LINKGRAPH_MAX_CELL_CHARS", "32767"))


def check_identical_rows(checked: Checked) -> None:
    """A table without a key (posts, ties): a row identical to an earlier one
    is the same fact entered twice.  It is rejected, naming the first, so the
    counts of stats, the graph and Neo4j agree."""
    frame = checked.frame
    if frame.empty:
        return
    dup = frame.duplicated(keep="first")
    if not dup.any():
        return
    cols = list(frame.columns)
    twins = frame[frame.duplicated(keep=False)]
    first: dict[tuple, int] = {}
    for row, values in zip(twins.index, twins.itertuples(index=False)):
        key = tuple(None if v is None or (not isinstance(v, tuple) and v != v) else v
                    for v in values)  # NaN and NaT equal themselves here
        where = first.setdefault(key, row)
        if where != row:
            checked.reject([row], cols[0], f"与第 {int(where)} 行完全相同（重复录入），已只算一次"
                           f" / identical to row {int(where)} (entered twice), counted once",
                           [_shown(frame.at[row, cols[0]])])


def check_keys(checked: Checked) -> None:
    key = TABLE_BY_NAME[checked.table].key
    if not key:
        check_identical_rows(checked)
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
    d = d.assign(name=norm.text(d["name"]))   # names as written; matched as normalised
    by_name = d.drop_duplicates("name", keep=False).set_index("name")["dept_id"]
    col = checked.frame[column]
    named = col.notna() & ~col.isin(set(d["dept_id"])) & col.isin(by_name.index)
    checked.frame.loc[named, column] = col[named].map(by_name)

