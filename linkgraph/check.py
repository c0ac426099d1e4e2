"""Typing and checking the mapped tables against the data contract.

Every problem is collected (never only the first): unreadable cells, missing
required values, duplicate keys, references that do not resolve, cycles in
``parent_id``, self-ties and dates out of order.  A row with any error is
rejected; a row referring to a rejected row is rejected too, which is why
tables are checked in ``schema.LOAD_ORDER``.
"""
from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

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


def _reader_key(col: Column) -> str:
    """Columns read the same way share a key, and are read together."""
    if col.kind == "text" and col.name in FREE_TEXT_COLUMNS:
        return "free_text"
    return col.kind


@functools.cache
def _reader(key: str) -> norm.Reader:
    if key.startswith("vocab:"):
        return norm.vocabulary_reader(vocabulary(key.split(":", 1)[1]))
    return {"id": norm.read_identifiers, "text": norm.read_text,
            "free_text": norm.read_free_text, "date": norm.read_dates,
            "int": norm.read_integers, "float": norm.read_amounts,
            "bool": norm.boolean_reader(lookup_table(BOOL_WORDS)),
            "ids": norm.list_reader(ids=True), "list": norm.list_reader(ids=False),
            "blank": norm.read_blank}[key]


def _reason(kind: str) -> str:
    if kind.startswith("vocab:"):
        return f"未知的取值，可用：{accepted_values(kind.split(':', 1)[1])} / unknown value"
    return _KIND_REASON[kind]


def arrow_strings(column: pd.Series):
    """``column`` as one Arrow string array (no copy when it is Arrow-backed
    already), or None when it holds anything but text and empty cells."""
    import pyarrow as pa

    array = column.array
    chunked = getattr(array, "_pa_array", None)
    if chunked is not None and pa.types.is_large_string(chunked.type):
        return chunked.combine_chunks()
    if chunked is not None and pa.types.is_string(chunked.type):
        return chunked.combine_chunks().cast(pa.large_string())
    if column.dtype != object:
        return None
    try:
        return pa.array(column.to_numpy(), type=pa.large_string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None


class Cells:
    """Every cell of a table chunk, factorised once: ``codes[row, column]``
    indexes ``distinct`` (-1 = empty).  Columns of one kind are then read in
    one pass over the distinct values they hold, so the cost of typing
    follows the distinct values, not the number of columns or calls.

    Text cells (the CSV readers' Arrow strings) are dictionary-encoded by
    Arrow, column after column in one hash table, so no Python object is
    made per cell; other cells (Excel's numbers and dates) are factorised
    by pandas."""

    def __init__(self, raw: pd.DataFrame):
        arrays = [arrow_strings(raw.iloc[:, j]) for j in range(raw.shape[1])]
        if raw.shape[1] and len(raw) and all(a is not None for a in arrays):
            import pyarrow as pa
            import pyarrow.compute as pc

            encoded = pc.dictionary_encode(pa.concat_arrays(arrays))
            codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
            self.codes = codes.astype(np.intp, copy=False).reshape(raw.shape[1], len(raw)).T
            self.dictionary = encoded.dictionary
            self.distinct = np.asarray(encoded.dictionary.to_pylist() + [None],
                                       dtype=object)[:-1]
            self.text_only = True
        else:
            grid = raw.to_numpy(dtype=object)
            codes, distinct = pd.factorize(grid.ravel(), use_na_sentinel=True)
            self.codes = codes.reshape(grid.shape)
            self.distinct = np.asarray(distinct, dtype=object)
            self.dictionary = None
            self.text_only = False
        self.position = {name: i for i, name in enumerate(raw.columns)}
        self._used: dict[str, np.ndarray] = {}
        self._texts: np.ndarray | None = None
        self._tested: dict[Callable, np.ndarray] = {}

    def column(self, name: str) -> np.ndarray:
        return self.codes[:, self.position[name]]

    def used(self, name: str) -> np.ndarray:
        """The distinct values' numbers that occur in column ``name``."""
        if name not in self._used:
            codes = pd.unique(self.column(name))
            self._used[name] = codes[codes >= 0]
        return self._used[name]

    def texts(self) -> np.ndarray:
        """The distinct values as text (made once)."""
        if self._texts is None:
            self._texts = self.distinct if self.text_only else \
                np.asarray([str(v) for v in self.distinct] + [""], dtype=object)[:-1]
        return self._texts

    def tested(self, test: Callable[[list[str]], Any]) -> np.ndarray:
        """``test`` of every distinct value (asked once per test)."""
        if test not in self._tested:
            twin = ARROW_TESTS.get(test)
            if twin is not None and self.dictionary is not None:
                self._tested[test] = np.asarray(twin(self.dictionary), dtype=bool)
            else:
                texts = self.texts()
                self._tested[test] = np.asarray(test(list(texts)), dtype=bool) if len(texts) \
                    else np.zeros(0, dtype=bool)
        return self._tested[test]

    def any(self, test: Callable[[list[str]], Any]) -> bool:
        """Whether any distinct value of the whole table passes ``test``."""
        return bool(np.any(self.tested(test))) if len(self.distinct) else False

    def flagged(self, name: str, test: Callable[[list[str]], Any]) -> np.ndarray:
        """Row positions of column ``name`` whose value passes ``test`` (given
        the column's distinct values as text, it answers for each)."""
        used = self.used(name)
        if not len(used):
            return np.zeros(0, dtype=int)
        if test in self._tested or test in ARROW_TESTS or len(used) * 2 > len(self.distinct):
            passed = self.tested(test)[used]
        else:
            passed = np.asarray(test(list(self.texts()[used])), dtype=bool)
        hits = used[passed]
        if not len(hits):
            return np.zeros(0, dtype=int)
        return np.flatnonzero(np.isin(self.column(name), hits))

    def text(self, name: str, i: int) -> str:
        """The cell at row position ``i`` of column ``name``, as text."""
        return str(self.distinct[self.column(name)[i]])

    def read(self, names: list[str], reader: norm.Reader) -> list[tuple[Any, np.ndarray]]:
        """Columns ``names`` through ``reader``: (typed values, bad) for each."""
        sub = self.codes[:, [self.position[n] for n in names]]
        used = pd.unique(sub.ravel())
        used = used[used >= 0]
        values, bad = reader([*self.distinct[used], None])
        lookup = np.full(len(self.distinct) + 1, len(used))  # -1 (empty) -> the None slot
        lookup[used] = np.arange(len(used))
        take = lookup[sub]
        return [(values[take[:, j]], bad[take[:, j]]) for j in range(len(names))]


def _shown(value: object) -> str:
    """A typed value as the user would have written it."""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, tuple):
        return ";".join(value)
    return "" if value is None or value != value else str(value)


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
    """Parse every column of ``raw`` (canonical headers) to its type: the
    columns of each kind in one pass over their distinct cells."""
    spec = TABLE_BY_NAME[table]
    checked = Checked(table, file, pd.DataFrame(index=raw.index), raw)
    cells = Cells(raw)
    _check_cell_lengths(checked, cells)
    suspicious_cells(checked, cells)
    groups: dict[str, list[str]] = {}
    known = {c.name for c in spec.columns}
    # columns the contract does not know (headers.extra_name): kept as text
    columns = (*spec.columns, *(Column(c) for c in raw.columns if c not in known))
    for col in columns:
        key = "blank" if col.kind == "vocab:relation" else _reader_key(col)
        groups.setdefault(key, []).append(col.name)
    parsed: dict[str, tuple[Any, np.ndarray]] = {}
    for key, names in groups.items():
        parsed.update(zip(names, cells.read(names, _reader(key))))
    typed: dict[str, pd.Series] = {}
    for col in columns:
        values, bad = parsed[col.name]
        if col.kind == "vocab:relation":
            typed.update(_type_relation(checked, col.name, values, relation_words))
            continue
        typed[col.name] = _checked_column(checked, col, values, bad)
    extras = {c: typed.pop(c) for c in RELATION_EXTRA_COLUMNS if c in typed}
    unknown = {c: typed.pop(c) for c in list(typed) if c not in known}
    checked.frame = pd.DataFrame({**typed, **extras, **unknown}, index=raw.index)
    return checked


def _checked_column(checked: Checked, col: Column, values: Any, bad: np.ndarray) -> pd.Series:
    """One typed column: its unreadable and missing required cells rejected."""
    index = checked.frame.index
    if col.kind == "text":
        _check_normalised_length(checked, col.name, values)
    vocab = col.kind.split(":", 1)[1] if col.kind.startswith("vocab:") else None
    if bad.any() and vocab in LENIENT_VOCABULARIES:
        fallback = LENIENT_VOCABULARIES[vocab]
        assert checked.raw is not None, "columns are checked while typing"
        for row in index[bad]:
            checked.warnings.append(Violation(checked.table, checked.file, int(row), col.name,
                                              str(checked.raw.at[row, col.name]),
                                              f"未知的取值，按 {fallback} 处理 / unknown "
                                              f"value, kept as {fallback}", "warning"))
        values = np.where(bad, fallback, values)
        bad = np.zeros(len(bad), dtype=bool)
    elif bad.any():
        checked.reject(index[bad], col.name, _reason(col.kind))
    if col.required:
        if col.kind in ("ids", "list"):
            empty = np.array([len(v) == 0 for v in values], dtype=bool)
        else:
            empty = np.asarray(pd.isna(values)) & ~bad
        checked.reject(index[empty], col.name, "必填项为空 / required value missing")
    dtype = object if isinstance(values, np.ndarray) and values.dtype == object else None
    return pd.Series(values, index=index, dtype=dtype)


#: Columns the checker adds to ``ties`` beside the canonical relation: the
#: word as written and its kinship path (``kinship.KinPath.encode()``).
RELATION_EXTRA_COLUMNS = ("relation_word", "kinship")


def extra_columns(frame: pd.DataFrame, table: str) -> list[str]:
    """Columns of a loaded table beyond the contract's (and the loader's own
    ``RELATION_EXTRA_COLUMNS``): unknown columns kept as text properties
    (``headers.extra_name``)."""
    known = {c.name for c in TABLE_BY_NAME[table].columns} | set(RELATION_EXTRA_COLUMNS)
    return [c for c in frame.columns if c not in known]


def _type_relation(checked: Checked, column: str, words: np.ndarray,
                   relation_words: Mapping[str, str]) -> dict[str, pd.Series]:
    """Relation words through the kinship grammar; an unknown word is kept as
    ``other`` (a soft tie) with a warning naming it, never rejected."""
    from linkgraph.relations import UNKNOWN, read_relations

    index = checked.frame.index
    word_series = pd.Series(words, index=index, dtype=object)
    relation, path, unknown = read_relations(word_series, relation_words)
    for row in unknown[unknown].index:
        checked.warnings.append(Violation(
            checked.table, checked.file, int(row), column, str(word_series[row]),
            f"未识别的关系用语「{word_series[row]}」，暂按其他关系（提示，非回避）处理，请核实"
            f" / unknown relation word {word_series[row]!r}, kept as {UNKNOWN} (soft) for review",
            "warning"))
    empty = relation.isna()
    checked.reject(empty[empty].index, column, "必填项为空 / required value missing")
    return {column: relation, "relation_word": word_series, "kinship": path}


#: Tests of cell text (``Cells.any`` / ``flagged``) and their twins in Arrow
#: compute, which ``Cells`` runs on its dictionary of distinct text cells
#: instead (``tests/test_arrow_cells.py`` compares each pair)
ARROW_TESTS: dict[Callable, Callable[[Any], Any]] = {}


@functools.cache
def _longer_than(limit: int) -> Callable[[list[str]], list[bool]]:
    def too_long(texts: list[str]) -> list[bool]:
        return [len(t) > limit for t in texts]

    def arrow(texts):
        import pyarrow.compute as pc

        return pc.greater(pc.utf8_length(texts), limit).to_numpy(zero_copy_only=False)

    ARROW_TESTS[too_long] = arrow
    return too_long


def _check_cell_lengths(checked: Checked, cells: Cells) -> None:
    limit = max_cell_chars()
    too_long = _longer_than(limit)
    if not cells.any(too_long):
        return
    for col in cells.position:
        for i in cells.flagged(col, too_long):
            row = checked.frame.index[i]
            value = cells.text(col, i)
            checked.reject([row], col, f"单元格过长（{len(value)} 字符，上限 {limit}） / cell too "
                           f"long ({len(value)} characters, limit {limit})", [value[:80] + "…"])


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


def _odd_birth_years(texts: list[str]) -> np.ndarray:
    years = pd.to_numeric(pd.Series(texts, dtype=object), errors="coerce")
    return (years.notna() & ~years.between(1900, pd.Timestamp.now().year)).to_numpy()


def _invisible_in_id(texts: list[str]) -> list[bool]:
    return [norm.ID_INVISIBLE.search(t) is not None for t in texts]


def _nul(texts: list[str]) -> list[bool]:
    return ["\x00" in t for t in texts]


def _arrow_regex(pattern: re.Pattern) -> str:
    """A character class of Python's ``re`` as RE2 spells it (``\\uXXXX``
    -> ``\\x{XXXX}``)."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", r"\\x{\1}", pattern.pattern)


def _arrow_invisible_in_id(texts):
    import pyarrow.compute as pc

    return pc.match_substring_regex(texts, _arrow_regex(norm.ID_INVISIBLE)) \
        .to_numpy(zero_copy_only=False)


def _arrow_nul(texts):
    import pyarrow.compute as pc

    return pc.match_substring(texts, "\x00").to_numpy(zero_copy_only=False)


ARROW_TESTS.update({_invisible_in_id: _arrow_invisible_in_id, _nul: _arrow_nul})


def _ambiguous_year_month(texts: list[str]) -> list[bool]:
    return [norm.AMBIGUOUS_YEAR_MONTH.match(t) is not None for t in texts]


def suspicious_cells(checked: Checked, cells: Cells) -> None:
    """Cells that would otherwise change without a word: a NUL anywhere, an
    invisible or direction character inside an id (``U3`` would not match
    ``U\u200b3``), and an Excel number like ``2019.1`` in a date column
    (January, or 2019.10 that lost its zero?).  Each is rejected, naming what
    was found."""
    spec = TABLE_BY_NAME[checked.table]
    kinds = {c.name: c.kind for c in spec.columns}
    index = checked.frame.index
    any_nul = cells.any(_nul)
    for col in cells.position:
        kind = kinds.get(col, "text")
        test = _invisible_in_id if kind in ("id", "ids") else _nul if any_nul else None
        for i in cells.flagged(col, test) if test else ():
            value = cells.text(col, i)
            found = norm.ID_INVISIBLE.search(value) or re.search("\x00", value)
            ch = found.group() if found else "\x00"
            checked.reject([index[i]], col, f"含有看不见的字符：{_invisible_name(ch)}，请删去后重新输入"
                           f" / contains an invisible character U+{ord(ch):04X}; delete it",
                           [_shown_raw(value)])
        if kind == "date":
            for i in cells.flagged(col, _ambiguous_year_month):
                text = cells.text(col, i)
                year = text.strip()[:4]
                checked.reject([index[i]], col, f"{text.strip()} 可能是 {year} 年 1 月，也可能是 "
                               f"Excel 把 {year}.10 存成了数字；请写成 {year}-01 或 {year}-10"
                               f" / ambiguous: {year}-01, or {year}.10 stored as a number? "
                               f"write {year}-01 or {year}-10", [text])
        if col == "birth_year":
            for i in cells.flagged(col, _odd_birth_years):
                checked.reject([index[i]], col, "出生年份不合理（应在 1900 年到今年之间） / birth year "
                               "out of range (1900 to this year)", [cells.text(col, i)])


def _check_normalised_length(checked: Checked, column: str, values: np.ndarray) -> None:
    """NFKC can lengthen text (``㍿`` is four characters): a cell that fits as
    written but not once normalised would be cut on export."""
    limit = max_cell_chars()
    long = {v for v in pd.unique(values) if v is not None and len(v) > limit}
    if not long:
        return
    index = checked.frame.index
    for i in np.flatnonzero([v in long for v in values]):
        row = index[i]
        if row not in checked.errors:
            checked.reject([row], column, f"单元格规范化后过长（{len(values[i])} 字符，上限 {limit}）"
                           f" / cell too long once normalised ({len(values[i])} characters, "
                           f"limit {limit})", [str(checked.raw.at[row, column])[:80] + "…"
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
    if len(key) == 1:  # the common case: a quick look for any twin first
        codes, uniques = pd.factorize(frame[key[0]].to_numpy(dtype=object))
        if len(uniques) == int((codes >= 0).sum()):
            return
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


#: the Arrow array of each key set ``_member`` was given (kept beside the
#: set, so the id stays the set's while it is cached)
_KEY_ARRAYS: dict[int, tuple[frozenset, object]] = {}


def _member(values: pd.Series, keys: frozenset) -> np.ndarray:
    """``values.isin(keys)``: Arrow's hash look-up when every value is text
    (pandas' isin on Arrow strings converts the whole key set to Python
    scalars first: 20 s for a province's million people), else a set look-up
    per value (``str`` of a non-text value, as before)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(values) >= 4096:
        cached = _KEY_ARRAYS.get(id(keys))
        if cached is None or cached[0] is not keys:
            if len(_KEY_ARRAYS) > 64:
                _KEY_ARRAYS.clear()
            # whether every key is text is asked once per key set, not per call
            text_keys = all(isinstance(k, str) for k in keys)
            cached = _KEY_ARRAYS[id(keys)] = (
                keys, pa.array(list(keys), type=pa.string()) if text_keys else None)
        arr = None
        if cached[1] is not None:
            try:
                arr = pa.array(values, type=pa.string(), from_pandas=True)
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                arr = None
        if arr is not None and arr.null_count == 0:
            found = pc.is_in(arr, value_set=cached[1])
            return found.to_numpy(zero_copy_only=False).astype(bool, copy=False)
    return np.fromiter((v in keys if isinstance(v, str) else str(v) in keys for v in values),
                       dtype=bool, count=len(values))


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
        "pool": [("available_from", "available_to")],
    }
    if checked.table == "pool":
        served = pd.to_numeric(f["rounds_served"], errors="coerce")
        bad = served.notna() & (served < 0)
        checked.reject(f.index[bad], "rounds_served", "参加轮数不能为负 / rounds served "
                       "cannot be negative")
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
    col = checked.frame[column]
    codes = frozenset(d["dept_id"])
    if all(v is None or v != v or v in codes for v in col):  # every cell a code already
        return
    d = d.assign(name=norm.text(d["name"]))   # names as written; matched as normalised
    by_name = d.drop_duplicates("name", keep=False).set_index("name")["dept_id"]
    named = col.notna() & ~col.isin(codes) & col.isin(by_name.index)
    checked.frame.loc[named, column] = col[named].map(by_name)

