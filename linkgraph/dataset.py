"""A loaded dataset: the canonical typed tables plus the account of every row.

``load_dataset(DATA)`` reads, maps, types and checks.  Strict by default: any
error raises ``ValidationError`` carrying every violation.  ``lenient=True``
keeps the valid rows; the rejected ones are in ``Dataset.rejected`` with
their reasons, and ``counts`` says, per table, rows read = loaded + rejected.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

import pandas as pd

from linkgraph import check
from linkgraph.errors import ValidationError, Violation
from linkgraph.headers import (apply_columns, map_columns, scale_amounts, stray_cells,
                               unmapped_rows)
from linkgraph.rules import Rules, load_rules
from linkgraph.schema import LOAD_ORDER, REQUIRED_TABLES, TABLE_BY_NAME, TABLES
from linkgraph import cache
from loaders.sources import SourceFile, read_sources, source_files
from loaders.text import RaggedRows

Progress = Callable[[str, int, int], None]

#: Inputs smaller than this load fast enough not to be cached.
CACHE_MIN_BYTES = 16 << 20


@dataclass(frozen=True)
class TableCount:
    table: str
    file: str
    read: int
    loaded: int
    rejected: int


@dataclass(frozen=True)
class Dataset:
    """Canonical tables (every contract table, empty when not given)."""

    tables: Mapping[str, pd.DataFrame]
    violations: tuple[Violation, ...]
    counts: tuple[TableCount, ...]
    files: tuple[SourceFile, ...]
    source: str

    def __getitem__(self, table: str) -> pd.DataFrame:
        return self.tables[table]

    def has(self, table: str) -> bool:
        """Whether the input held this table (even with zero rows)."""
        return any(c.table == table for c in self.counts)

    @property
    def errors(self) -> list[Violation]:
        return [v for v in self.violations if v.level == "error"]

    @property
    def warnings(self) -> list[Violation]:
        return [v for v in self.violations if v.level == "warning"]

    @property
    def rows_read(self) -> int:
        return sum(c.read for c in self.counts)

    @property
    def rows_loaded(self) -> int:
        return sum(c.loaded for c in self.counts)

    @property
    def rows_rejected(self) -> int:
        return sum(c.rejected for c in self.counts)

    def rejected_records(self) -> list[dict[str, object]]:
        """One record per error, rows in input order: what the rejects file holds."""
        return [v.as_record() for v in self.errors]


def empty_table(name: str) -> pd.DataFrame:
    frame = pd.DataFrame({c.name: pd.Series(dtype=_dtype(c.kind))
                          for c in TABLE_BY_NAME[name].columns})
    if name == "ties":
        for col in check.RELATION_EXTRA_COLUMNS:
            frame[col] = pd.Series(dtype=object)
    return frame


def _dtype(kind: str) -> str:
    return {"date": "datetime64[ns]", "int": "Int64", "float": "float64",
            "bool": "bool"}.get(kind, "object")


def _checked_tables(sources, rules: Rules, progress: Progress | None):
    checked: dict[str, check.Checked] = {}
    notes: list[Violation] = list(sources.notes)
    seen: dict[str, str] = {}
    total = len(sources.tables)
    for i, raw in enumerate(sources.tables):
        if progress:
            progress(raw.file, i, total)
        if raw.table in seen:
            notes.append(Violation(raw.table, raw.file, None, "", "",
                                   f"与 {seen[raw.table]} 是同一张表，只能提供一份"
                                   f" / table given twice (also {seen[raw.table]})"))
            continue
        seen[raw.table] = raw.file
        try:
            c, fatal = _read_table(raw, raw.chunks(), rules)
        except RaggedRows:
            c, fatal = _read_table(raw, raw.ragged(), rules)
        notes.extend(fatal)
        checked[raw.table] = c
    return checked, notes


def _read_table(raw, chunks, rules: Rules) -> tuple[check.Checked, tuple[Violation, ...]]:
    """Map, type and check one table chunk by chunk (memory stays bounded)."""
    pieces: list[check.Checked] = []
    mapped = None
    for grid in chunks:
        if mapped is None:
            mapped = map_columns(grid, raw.table, raw.file)
            frame, warnings = mapped.frame, list(mapped.violations)
        else:
            frame = (apply_columns(grid, mapped.positions, raw.table, mapped.extras)
                     if mapped.header_row else unmapped_rows(grid, raw.table))
            warnings = (list(stray_cells(grid, mapped.width, raw.table, raw.file))
                        if mapped.header_row else [])
        if mapped.fatal:
            piece = check.Checked(raw.table, raw.file, frame, None, typed=False)
            piece.reject(frame.index, "", "整表未载入 / table not loaded: "
                         f"{mapped.fatal[0].reason}", [""] * len(frame))
        else:
            frame = scale_amounts(frame, mapped.units)
            piece = check.type_rows(raw.table, raw.file, frame, rules.relation_words)
            piece.raw = None
        _reject_read_problems(piece, grid.attrs.get("problems", ()), mapped)
        piece.warnings.extend(warnings)
        pieces.append(piece)
    if mapped is None:  # no bytes at all
        mapped = map_columns(pd.DataFrame(), raw.table, raw.file)
        pieces.append(check.Checked(raw.table, raw.file, mapped.frame, None))
    c = check.merge(pieces)
    if not mapped.fatal:
        check.check_keys(c)
    return c, mapped.fatal


def _reject_read_problems(piece: check.Checked, problems, mapped) -> None:
    """Rows the reader could not take apart (an unterminated quote, a cell
    Excel stored lossily): rejected with the reader's reason, or, above the
    header, reported as an error of the table."""
    names = dict(mapped.positions)
    for p in problems:
        row = p.row + 1
        column = names.get(p.column, f"第{p.column + 1}列")
        if row in piece.frame.index:
            piece.reject([row], column, p.reason, [p.value])
        else:
            piece.warnings.append(Violation(piece.table, piece.file, row, column, p.value,
                                            p.reason))


def _cross_checks(checked: dict[str, check.Checked]) -> list[Violation]:
    notes: list[Violation] = []
    keys: dict[str, check.KeyIndex] = {}
    for name in LOAD_ORDER:
        c = checked.get(name)
        if c is not None and c.typed:   # an untyped table's text is not compared
            if name == "leads":
                check.resolve_department_names(c, "transferred_to", checked.get("departments"))
            if name == "measures":
                check.resolve_department_names(c, "owner_dept_id", checked.get("departments"))
            if name == "assignments":
                check.check_assignment_rounds(c, checked.get("teams"))
            check.check_rows(c)
            notes.extend(check.check_references(c, keys | _self_keys(c)))
            check.check_parent_cycles(c)
        if TABLE_BY_NAME[name].label is not None:
            keys[name] = check.key_index(c)
    return notes


def _teams_without_members(checked: dict[str, check.Checked]) -> list[Violation]:
    """A team with no member rows (when members are recorded at all)."""
    teams, members = checked.get("teams"), checked.get("team_members")
    if teams is None or members is None or not members.valid.any():
        return []
    staffed = set(members.frame.loc[members.valid, "team_id"])
    t = teams.frame[teams.valid]
    return [Violation("teams", teams.file, int(row), "team_id", str(tid),
                      f"巡察组“{name if isinstance(name, str) else tid}”没有成员（team_members 中没有它），"
                      f"交叉轮换时不参加 / team has no members; rotate leaves it out", "warning")
            for row, tid, name in zip(t.index, t["team_id"], t["name"]) if tid not in staffed]


def _twin_people(checked: dict[str, check.Checked]) -> list[Violation]:
    """One person under two ids: the same name and birth year, posted to the
    same unit.  A warning naming both rows, never a silent merge.

    Joins, not loops: the people sharing a name and birth year are paired by
    a self-merge (each pair once, in the table's order), each pair joined to
    the units both are posted to; groups in (name, birth year) order."""
    people, posts = checked.get("people"), checked.get("posts")
    if people is None or posts is None:
        return []
    p = people.frame[people.valid]
    p = p[p["name"].notna() & p["birth_year"].notna()]
    twins = p[p.duplicated(["name", "birth_year"], keep=False)]
    if twins.empty:
        return []
    twins = pd.DataFrame({"row": twins.index.to_numpy(), "person_id": twins["person_id"].to_numpy(),
                          "name": twins["name"].to_numpy(),
                          "birth_year": twins["birth_year"].to_numpy(),
                          "pos": range(len(twins))})
    q = posts.frame[posts.valid]
    q = q.loc[q["person_id"].isin(twins["person_id"]) & q["unit_id"].notna(),
              ["person_id", "unit_id"]].drop_duplicates()
    pairs = twins.merge(twins, on=["name", "birth_year"], suffixes=("_a", "_b"))
    pairs = pairs[pairs["pos_a"] < pairs["pos_b"]]
    shared = (pairs.merge(q.rename(columns={"person_id": "person_id_a"}), on="person_id_a")
              .merge(q.rename(columns={"person_id": "person_id_b"}),
                     on=["person_id_b", "unit_id"]))
    if shared.empty:
        return []
    shared = shared.sort_values(["name", "birth_year", "pos_a", "pos_b", "unit_id"],
                                kind="mergesort")
    out = []
    for (_, _, _, _), group in shared.groupby(["name", "birth_year", "pos_a", "pos_b"],
                                              sort=False):
        a = group.iloc[0]
        units = "、".join(group["unit_id"].tolist())
        out.append(Violation(
            "people", people.file, int(a.row_b), "person_id", str(a.person_id_b),
            f"与第 {int(a.row_a)} 行的 {a.person_id_a} 姓名（{a['name']}）、出生年份"
            f"（{int(a.birth_year)}）和任职单位（{units}）都相同，"
            f"可能是同一人录成了两个编码 / same name, birth year and unit as "
            f"{a.person_id_a} (row {int(a.row_a)}): one person under two ids?",
            "warning"))
    return out


def _found_instead(data, name: str) -> str:
    """Why a required table is missing, in terms of what was there."""
    from pathlib import Path

    from linkgraph.headers import table_for
    from loaders.sources import found_instead

    path = Path(data)
    if path.is_dir():
        for p in path.iterdir():
            if p.is_dir() and table_for(p.stem) == name:
                return f"；{p.name} 是文件夹，不是文件 / {p.name} is a folder, not a file"
        return found_instead(path)
    if path.is_file():
        from loaders.excel import open_workbook, sheet_names

        names = sheet_names(open_workbook(str(path), path.name))
        return (f"；工作簿中的工作表：{'、'.join(names)}（工作表名应为表名，如 units / 单位）"
                if names else "；工作簿里没有任何工作表")
    return ""


def _self_keys(c: check.Checked) -> dict[str, check.KeyIndex]:
    """A table's parent_id refers to its own rows (checked before cycles)."""
    if TABLE_BY_NAME[c.table].parent is None:
        return {}
    return {c.table: check.key_index(c)}


def needed_tables(tables: Collection[str]) -> frozenset[str]:
    """``tables`` and every table they refer to, recursively (problems →
    units, rounds, people …): an analysis that reads a table reads those too."""
    out: set[str] = set()
    todo = [t for t in tables if t in TABLE_BY_NAME]
    while todo:
        name = todo.pop()
        if name in out:
            continue
        out.add(name)
        todo.extend(c.ref for c in TABLE_BY_NAME[name].columns if c.ref and c.ref not in out)
    return frozenset(out)


def blocking_errors(errors: list[Violation], needs: Collection[str] | None) -> list[Violation]:
    """The errors that stop an analysis reading ``needs`` (None = every table):
    those in a needed table (or its references), and those not in any table."""
    if needs is None:
        return list(errors)
    tables = needed_tables(needs)
    return [v for v in errors if v.table in tables or v.table not in TABLE_BY_NAME]


def load_dataset(data: str | os.PathLike, *, lenient: bool = False, rules: Rules | None = None,
                 progress: Progress | None = None, use_cache: bool | None = None,
                 needs: Collection[str] | None = None) -> Dataset:
    """Read, map, type and check the ledgers at ``data`` (a folder or a workbook).

    ``use_cache``: None = cache inputs of CACHE_MIN_BYTES or more (see cache.py).
    ``needs``: the tables the caller reads (None = all).  Strict loading then
    refuses only for errors in those tables and the tables they refer to; rows
    rejected elsewhere are still counted and reported, never silently dropped.
    """
    rules = rules or load_rules()
    files = source_files(data)
    if use_cache is None:
        use_cache = sum(f.size for f in files) >= CACHE_MIN_BYTES
    key = cache.dataset_key([(os.path.basename(f.path), f.sha256) for f in files],
                            rules.relation_words) if use_cache else None
    hit = cache.load(key, [spec.name for spec in TABLES], empty_table) if key else None
    if hit is not None:
        tables, violations, counts = hit
        dataset = Dataset(tables, violations, tuple(TableCount(**c) for c in counts),
                          tuple(files), str(data))
    else:
        dataset = _load_uncached(data, files, rules, progress)
        if key:
            cache.store(key, {c.table: dataset.tables[c.table] for c in dataset.counts},
                        dataset.violations, [vars(c) for c in dataset.counts])
    blocking = [] if lenient else blocking_errors(dataset.errors, needs)
    if blocking:
        n_rows = dataset.rows_rejected if needs is None else sum(
            c.rejected for c in dataset.counts if c.table in needed_tables(needs))
        raise ValidationError(
            f"{data}: 数据不符合约定：{len(blocking)} 处错误，涉及 {n_rows} 行"
            f" / {len(blocking)} errors in {n_rows} rows", blocking)
    return dataset


def _load_uncached(data, files: list[SourceFile], rules: Rules,
                   progress: Progress | None) -> Dataset:
    sources = read_sources(data, files)
    checked, notes = _checked_tables(sources, rules, progress)
    notes.extend(_cross_checks(checked))
    notes.extend(_twin_people(checked))
    notes.extend(_teams_without_members(checked))
    for name in REQUIRED_TABLES:
        if name not in checked:
            spec = TABLE_BY_NAME[name]
            notes.append(Violation(name, str(data), None, "", "",
                                   f"缺少必需的数据表 {name}（文件名可用：{'/'.join((name, *spec.aliases))}）"
                                   f"{_found_instead(data, name)} / required table missing"))
    violations: list[Violation] = list(notes)
    tables: dict[str, pd.DataFrame] = {}
    counts: list[TableCount] = []
    for spec in TABLES:
        c = checked.get(spec.name)
        if c is None:
            tables[spec.name] = empty_table(spec.name)
            continue
        violations.extend(c.warnings)
        for row in sorted(c.errors):
            violations.extend(c.errors[row])
        frame = c.frame[c.valid]
        tables[spec.name] = frame if len(frame) else empty_table(spec.name)
        counts.append(TableCount(spec.name, c.file, len(c.frame), len(frame), len(c.errors)))
    if progress:
        progress("", len(sources.tables), len(sources.tables))
    return Dataset(tables, tuple(violations), tuple(counts), tuple(sources.files), str(data))
