"""The explorer's compact in-memory index of the whole graph.

Nodes are integer codes (``0 … n-1``) with a label code, the row of their
table and a date; relationships are parallel int arrays (start, end, type,
the spec they come from and the row of that spec's edge frame, which holds
their properties).  Adjacency is CSR — ``indptr``/``neighbour``/``edge`` —
over both directions, so a neighbourhood is one slice.  No networkx: a
province (≈ 3M nodes, 10M relationships) fits in well under a gigabyte of
arrays, built with a few whole-column pandas/numpy passes.

Node properties are read back from the tables on demand
(:meth:`GraphIndex.attrs`), so the index holds no per-node dicts.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from linkgraph.graph import categories, corroborations
from linkgraph.model import LABELS, REL_TYPES, RELATIONSHIPS, TABLE_LABELS, RelSpec
from linkgraph.rules import Rules
from linkgraph.schema import TABLE_BY_NAME, Tables, key_column

#: The table of each node label (Category nodes have none).
LABEL_TABLES: dict[str, str] = {label: table for table, label in TABLE_LABELS.items()}

#: The date of a record that the time filter reads.
NODE_DATES: dict[str, str] = {
    "problems": "found_date", "leads": "transfer_date", "audits": "audit_date",
    "petitions": "date", "measures": "due_date",
    "reviews": "review_date", "results": "date", "talks": "date", "visits": "date",
    "supervision_info": "date", "self_checks": "date",
}

#: The relationships a path may walk: ties and posts (as ``conflicts`` does).
PATH_TYPES = ("TIE", "HOLDS_POST")

NO_DATE = np.iinfo(np.int32).min


def _days(series: pd.Series) -> np.ndarray:
    """Dates as days since 1970 (int32); missing -> NO_DATE."""
    values = pd.to_datetime(series, errors="coerce")
    out = np.full(len(values), NO_DATE, dtype=np.int32)
    ok = values.notna().to_numpy()
    if ok.any():
        out[ok] = (values[ok].to_numpy().astype("datetime64[D]").astype(np.int64)).astype(np.int32)
    return out


def _csr(n: int, src: np.ndarray, dst: np.ndarray,
         keep: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Undirected CSR of the edges (``keep`` a mask): indptr, neighbour, edge id."""
    eid = np.arange(len(src), dtype=np.int32)
    if keep is not None:
        src, dst, eid = src[keep], dst[keep], eid[keep]
    a = np.concatenate([src, dst])
    b = np.concatenate([dst, src])
    e = np.concatenate([eid, eid])
    order = np.lexsort((e, a))
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(a, minlength=n), out=indptr[1:])
    return indptr, b[order].astype(np.int32), e[order].astype(np.int32)


def fixed_bytes(values: pa.Array) -> np.ndarray:
    """Arrow text as a numpy array of fixed-width UTF-8 bytes (``S``), null as b"":
    a few bytes a value where Python strings cost 50 or more, and compared as
    Arrow sorts text (byte order, which is code point order)."""
    values = values.fill_null("") if values.null_count else values
    if not pa.types.is_large_string(values.type):
        values = pc.cast(values, pa.large_string())
    n = len(values)
    bounds = np.frombuffer(values.buffers()[1], dtype=np.int64)[values.offset:values.offset + n + 1]
    data = np.frombuffer(values.buffers()[2], dtype=np.uint8) if n else np.empty(0, np.uint8)
    starts, lengths = bounds[:-1], np.diff(bounds)
    width = max(int(lengths.max()) if n else 0, 1)
    out = np.zeros((n, width), dtype=np.uint8)
    for j in range(width):
        has = np.flatnonzero(lengths > j)
        out[has, j] = data[starts[has] + j]
    return out.view(f"S{width}").reshape(n)


class SortedIds:
    """A label's ids sorted as fixed-width bytes, with their rows: ``find`` answers
    by binary search (the first row of a repeated id)."""

    def __init__(self, ids: pa.Array):
        order = pc.sort_indices(ids).to_numpy()
        self.values = fixed_bytes(ids.take(pa.array(order)))
        self.rows = order.astype(np.int32)

    def find(self, idents: list[str]) -> np.ndarray:
        """Rows of ``idents`` (-1 where there is none)."""
        out = np.full(len(idents), -1, dtype=np.int64)
        width = self.values.dtype.itemsize
        encoded = [s.encode("utf-8") for s in idents]
        fits = [i for i, b in enumerate(encoded) if 0 < len(b) <= width
                and not b.endswith(b"\0")]
        if not fits or not len(self.values):
            return out
        wanted = np.array([encoded[i] for i in fits], dtype=self.values.dtype)
        at = np.searchsorted(self.values, wanted, side="left")
        ok = at < len(self.values)
        ok[ok] = self.values[at[ok]] == wanted[ok]
        where = np.asarray(fits)
        out[where[ok]] = self.rows[at[ok]]
        return out


class NodeKeys:
    """The ``"Label:id"`` key of every node code, read from the labels' id arrays
    when asked (no Python string a node is held): ``keys[code]`` is a ``str``,
    ``keys[codes]`` an object array."""

    def __init__(self, label: np.ndarray, by_label: dict[str, tuple[int, pa.Array]]):
        self._label = label
        self._by_label = by_label

    def __len__(self) -> int:
        return len(self._label)

    def __getitem__(self, where: Any) -> Any:
        if isinstance(where, (int, np.integer)):
            code = int(where)
            if code < 0:
                code += len(self)
            label = LABELS[int(self._label[code])]
            offset, ids = self._by_label[label]
            return f"{label}:{ids[code - offset].as_py()}"
        if isinstance(where, slice):
            codes = np.arange(*where.indices(len(self)), dtype=np.int64)
        else:
            codes = np.asarray(where)
            codes = (np.flatnonzero(codes) if codes.dtype == bool
                     else codes.astype(np.int64).reshape(-1))
            codes = np.where(codes < 0, codes + len(self), codes)
        out = np.empty(len(codes), dtype=object)
        labels = self._label[codes]
        for lab in np.unique(labels).tolist():
            at = np.flatnonzero(labels == lab)
            label = LABELS[lab]
            offset, ids = self._by_label[label]
            part = ids.take(pa.array(codes[at] - offset))
            out[at] = pc.binary_join_element_wise(label, part, ":").to_numpy(
                zero_copy_only=False)
        return out

    def __iter__(self) -> Any:
        step = 1 << 16
        for lo in range(0, len(self), step):
            yield from self[lo:lo + step].tolist()

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        out = self[:]
        return out if dtype is None else out.astype(dtype)

    def __eq__(self, other: object) -> Any:
        return np.asarray(self) == (np.asarray(other) if isinstance(other, NodeKeys)
                                    else other)

    def tolist(self) -> list[str]:
        return list(self)


@dataclass(frozen=True, eq=False)
class GraphIndex:
    """The whole graph as arrays (see the module docstring)."""

    tables: Tables
    keys: NodeKeys            # "Unit:U0001" by code (made from by_label on demand)
    label: np.ndarray         # int8 index into LABELS
    row: np.ndarray           # int32 row of the label's table (-1 for Category)
    date: np.ndarray          # int32 days since 1970, NO_DATE when none
    round: np.ndarray         # int32 code of the node's round (-1 when none)
    by_label: dict[str, tuple[int, pa.Array]]   # label -> (first code, ids)
    src: np.ndarray
    dst: np.ndarray
    etype: np.ndarray         # int8 index into REL_TYPES
    espec: np.ndarray         # int16 index into specs (-1 = derived)
    erow: np.ndarray          # int32 row of that spec's edge frame
    specs: tuple[RelSpec, ...]
    eframes: tuple[pd.DataFrame | None, ...]
    indptr: np.ndarray
    neighbour: np.ndarray
    edge: np.ndarray
    path_indptr: np.ndarray
    path_neighbour: np.ndarray
    path_edge: np.ndarray
    category_names: tuple[str, ...]
    lookups: dict[str, Any] = field(default_factory=dict)   # caches, filled on first use

    @property
    def n_nodes(self) -> int:
        return len(self.keys)

    @property
    def n_edges(self) -> int:
        return len(self.src)

    def code(self, key: str) -> int:
        """The node's code, or -1 (one binary search in the label's sorted ids: a
        search's hits and a panel's references ask one key at a time)."""
        label, _, ident = str(key).partition(":")
        if label not in self.by_label:
            return -1
        return int(self.codes([key])[0])

    def codes(self, keys: Iterable[str]) -> np.ndarray:
        """Codes of ``"Label:id"`` keys (-1 where there is no such node)."""
        keys = list(keys)
        out = np.full(len(keys), -1, dtype=np.int64)
        groups: dict[str, list[int]] = {}
        for i, key in enumerate(keys):
            label, _, _ = str(key).partition(":")
            if label in self.by_label:
                groups.setdefault(label, []).append(i)
        for label, where in groups.items():
            found = self._lookup(label).find([str(keys[i]).partition(":")[2] for i in where])
            out[where] = np.where(found >= 0, found + self.by_label[label][0], -1)
        return out

    def warm(self) -> None:
        """Build the lookups and column caches now (start-up), not on a query."""
        for label in self.by_label:
            self._lookup(label)
            if label in LABEL_TABLES:
                self._columns(LABEL_TABLES[label])
        for spec, frame in enumerate(self.eframes):
            if frame is not None:
                self._edge_columns(spec)

    def _lookup(self, label: str) -> SortedIds:
        """The label's ids, sorted for binary search (built on first use, then kept)."""
        found = self.lookups.get(label)
        if found is None:
            found = self.lookups[label] = SortedIds(self.by_label[label][1])
        return found

    def label_of(self, code: int) -> str:
        return LABELS[int(self.label[code])]

    def attrs(self, code: int) -> dict[str, Any]:
        """The node's properties as the graph has them (``id``, ``label`` …)."""
        label = self.label_of(code)
        if label == "Category":
            name = self.category_names[int(self.row[code])]
            return {"id": name, "name": name, "label": "Category"}
        table = LABEL_TABLES[label]
        row = int(self.row[code])
        record = {name: column[row] for name, column in self._columns(table)}
        record["id"] = record.pop(key_column(table))
        record["label"] = label
        return {k: v for k, v in record.items() if not _missing(v)}

    def _columns(self, table: str) -> list[tuple[str, Any]]:
        """The table's columns as arrays (no copy), for one-row reads."""
        key = f"columns:{table}"
        found = self.lookups.get(key)
        if found is None:
            frame = self.tables[table]
            found = self.lookups[key] = [(str(c), frame[c].array) for c in frame.columns]
        return found

    def edge_attrs(self, e: int) -> dict[str, Any]:
        spec = int(self.espec[e])
        out: dict[str, Any] = {"type": REL_TYPES[int(self.etype[e])]}
        if spec >= 0 and self.eframes[spec] is not None:
            row = int(self.erow[e])
            for k, column in self._edge_columns(spec):
                v = column[row]
                if not _missing(v):
                    out[k] = v
        return out

    def _edge_columns(self, spec: int) -> list[tuple[str, Any]]:
        """An edge frame's shown columns as arrays (no copy), for one-row reads."""
        key = f"edge-columns:{spec}"
        found = self.lookups.get(key)
        if found is None:
            frame = self.eframes[spec]
            assert frame is not None
            found = self.lookups[key] = [(str(c), frame[c].array) for c in frame.columns
                                         if not str(c).startswith("_")]
        return found

    def edge_dates(self, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Start and end day of the edges (posts); NO_DATE where none."""
        start = np.full(len(e), NO_DATE, dtype=np.int32)
        end = np.full(len(e), NO_DATE, dtype=np.int32)
        for i, frame in enumerate(self.eframes):
            if frame is None or "start" not in frame:
                continue
            mask = self.espec[e] == i
            if mask.any():
                rows = self.erow[e[mask]]
                days = self.lookups.get(f"days:{i}")
                if days is None:
                    days = self.lookups[f"days:{i}"] = (frame["_start_day"].to_numpy(),
                                                        frame["_end_day"].to_numpy())
                start[mask] = days[0][rows]
                end[mask] = days[1][rows]
        return start, end

    def neighbours(self, code: int) -> tuple[np.ndarray, np.ndarray]:
        """(neighbour codes, edge ids) of a node, both directions."""
        lo, hi = self.indptr[code], self.indptr[code + 1]
        return self.neighbour[lo:hi], self.edge[lo:hi]


def _missing(v: object) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, float) and v != v:
        return True
    if isinstance(v, (tuple, list)) and not v:
        return True
    return isinstance(v, str) and not v.strip()


def _ids(tables: Tables, label: str, category_names: tuple[str, ...]) -> pa.Array:
    """A label's ids in node order, as an Arrow string array."""
    if label == "Category":
        return pa.array(list(category_names), type=pa.string())
    table = LABEL_TABLES[label]
    return _arrow_text(tables[table][key_column(table)])


def _arrow_text(series: pd.Series) -> pa.Array:
    arr = pa.array(series, from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr if pa.types.is_string(arr.type) else pc.cast(arr, pa.string())


def _nodes(tables: Tables, category_names: tuple[str, ...]
           ) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray], list[np.ndarray],
                      dict[str, tuple[int, pa.Array]]]:
    labels, rows, dates, rounds = [], [], [], []
    by_label: dict[str, tuple[int, pa.Array]] = {}
    round_ids = _arrow_text(tables["rounds"]["round_id"])
    offset = 0
    for label in LABELS:
        ids = _ids(tables, label, category_names)
        n = len(ids)
        by_label[label] = (offset, ids)
        offset += n
        if label == "Category":
            date = np.full(n, NO_DATE, dtype=np.int32)
            rnd = np.full(n, -1, dtype=np.int32)
        else:
            table = LABEL_TABLES[label]
            frame = tables[table]
            date = (_days(frame[NODE_DATES[table]]) if table in NODE_DATES
                    else np.full(n, NO_DATE, dtype=np.int32))
            if label == "Round":
                rnd = np.arange(n, dtype=np.int32)
            elif "round_id" in frame:
                found = pc.index_in(_arrow_text(frame["round_id"]), value_set=round_ids)
                rnd = found.fill_null(-1).to_numpy().astype(np.int32)
            else:
                rnd = np.full(n, -1, dtype=np.int32)
        labels.append(np.full(n, LABELS.index(label), dtype=np.int8))
        rows.append(np.arange(n, dtype=np.int32))
        dates.append(date)
        rounds.append(rnd)
    return labels, rows, dates, rounds, by_label


def _codes(by_label: dict[str, tuple[int, pa.Array]], label: str, values: pa.Array) -> np.ndarray:
    """Node codes of ``label`` for the ids ``values`` (-1 where unknown)."""
    offset, ids = by_label[label]
    found = pc.index_in(values, value_set=ids).fill_null(-1).to_numpy().astype(np.int64)
    return np.where(found >= 0, found + offset, -1)


@dataclass
class _Lookups:
    """Ids to turn into node codes, asked for by several relationship specs and
    answered with one hash look-up per label (a label's id set is hashed once, not
    once per spec that points at it)."""

    asked: dict[str, list[pa.Array]] = field(default_factory=dict)
    found: dict[tuple[str, int], np.ndarray] = field(default_factory=dict)

    def ask(self, label: str, values: pa.Array) -> tuple[str, int]:
        self.asked.setdefault(label, []).append(values)
        return label, len(self.asked[label]) - 1

    def resolve(self, by_label: dict[str, tuple[int, pa.Array]]) -> None:
        for label, arrays in self.asked.items():
            codes = _codes(by_label, label, pa.concat_arrays(arrays) if len(arrays) > 1
                           else arrays[0])
            bounds = np.cumsum([0] + [len(a) for a in arrays])
            for i in range(len(arrays)):
                self.found[(label, i)] = codes[bounds[i]:bounds[i + 1]]


def _spec_parts(tables: Tables, spec: RelSpec, by_label: dict[str, tuple[int, pa.Array]],
                texts: dict[tuple[str, str], pa.Array], lookups: _Lookups
                ) -> tuple[np.ndarray | tuple[str, int], tuple[str, int], np.ndarray]:
    """One relationship spec's start codes (or the look-up that gives them), the
    look-up of its end codes and its table rows (``texts`` caches the columns as
    Arrow text across the specs of one build)."""

    def text(column: str) -> pa.Array:
        if (spec.table, column) not in texts:
            texts[(spec.table, column)] = _arrow_text(frame[column])
        return texts[(spec.table, column)]

    frame = tables[spec.table]
    if spec.start_label is None or spec.start_column is None:
        start_label, start_col = TABLE_LABELS[spec.table], key_column(spec.table)
    else:
        start_label, start_col = spec.start_label, spec.start_column
    rows = np.arange(len(frame), dtype=np.int64)
    ends = frame[spec.end_column]
    if TABLE_BY_NAME[spec.table].column(spec.end_column).kind in ("ids", "list"):
        lengths = ends.map(lambda v: len(v) if isinstance(v, (tuple, list)) else 0).to_numpy()
        rows = np.repeat(rows, lengths.astype(np.int64))
        flat = [x for v in ends.tolist() if isinstance(v, (tuple, list)) for x in v]
        end_values = pa.array([str(x) for x in flat], type=pa.string())
    else:
        end_values = text(spec.end_column)
    start: np.ndarray | tuple[str, int]
    if start_label == TABLE_LABELS.get(spec.table) and start_col == key_column(spec.table):
        # the table's own rows: node i of the label is row i (keys are unique, check.py)
        start = rows + by_label[start_label][0]
    else:
        start = lookups.ask(start_label, text(start_col).take(pa.array(rows)))
    return start, lookups.ask(spec.end_label, end_values), rows


def _spec_edges(tables: Tables, by_label: dict[str, tuple[int, pa.Array]]
                ) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Start codes, end codes and table rows of every relationship spec."""
    texts: dict[tuple[str, str], pa.Array] = {}
    lookups = _Lookups()
    parts = [_spec_parts(tables, spec, by_label, texts, lookups) for spec in RELATIONSHIPS]
    lookups.resolve(by_label)
    out = []
    for start, end, rows in parts:
        s = start if isinstance(start, np.ndarray) else lookups.found[start]
        d = lookups.found[end]
        ok = (s >= 0) & (d >= 0)
        out.append((s[ok], d[ok], rows[ok]))
    return out


def _edge_props(frame: pd.DataFrame, spec: RelSpec) -> pd.DataFrame | None:
    """The spec's properties by table row (posts get their days, too)."""
    if not spec.properties or frame.empty:
        return None
    props = frame[list(spec.properties)].reset_index(drop=True)
    if "start" in props:
        props["_start_day"] = _days(props["start"])
        props["_end_day"] = _days(props["end"])
    return props


def build_index(tables: Tables, rules: Rules | None = None, *,
                corroborate: bool = True) -> GraphIndex:
    """The index of a dataset's tables (``Dataset`` or its ``tables``);
    without ``corroborate`` the derived CORROBORATES edges (audit matching)
    are left for :func:`with_corroborations`."""
    tables = getattr(tables, "tables", tables)
    category_names = tuple(categories(tables))
    labels, rows, dates, rounds, by_label = _nodes(tables, category_names)
    label = np.concatenate(labels) if labels else np.empty(0, dtype=np.int8)
    srcs, dsts, types, specs_idx, erows = [], [], [], [], []
    frames: list[pd.DataFrame | None] = []
    for i, (spec, (s, d, r)) in enumerate(zip(RELATIONSHIPS, _spec_edges(tables, by_label))):
        srcs.append(s)
        dsts.append(d)
        types.append(np.full(len(s), REL_TYPES.index(spec.type), dtype=np.int8))
        specs_idx.append(np.full(len(s), i, dtype=np.int16))
        erows.append(r.astype(np.int32))
        frames.append(_edge_props(tables[spec.table], spec))
    if corroborate:
        s, d = _corroboration_codes(tables, rules, by_label)
        srcs.append(s)
        dsts.append(d)
        types.append(np.full(len(s), REL_TYPES.index("CORROBORATES"), dtype=np.int8))
        specs_idx.append(np.full(len(s), -1, dtype=np.int16))
        erows.append(np.zeros(len(s), dtype=np.int32))
    src = np.concatenate(srcs).astype(np.int32)
    dst = np.concatenate(dsts).astype(np.int32)
    etype = np.concatenate(types)
    n = len(label)
    indptr, neighbour, edge = _csr(n, src, dst)
    path_mask = np.isin(etype, [REL_TYPES.index(t) for t in PATH_TYPES])
    p_indptr, p_neighbour, p_edge = _csr(n, src, dst, path_mask)
    return GraphIndex(
        tables=tables, keys=NodeKeys(label, by_label), label=label, row=np.concatenate(rows),
        date=np.concatenate(dates), round=np.concatenate(rounds), by_label=by_label,
        src=src, dst=dst, etype=etype, espec=np.concatenate(specs_idx),
        erow=np.concatenate(erows), specs=RELATIONSHIPS, eframes=tuple(frames),
        indptr=indptr, neighbour=neighbour, edge=edge, path_indptr=p_indptr,
        path_neighbour=p_neighbour, path_edge=p_edge, category_names=category_names)


def _corroboration_codes(tables: Tables, rules: Rules | None,
                         by_label: dict[str, tuple[int, pa.Array]]) -> tuple[np.ndarray, np.ndarray]:
    matches = corroborations(tables, rules)
    s = _codes(by_label, "AuditFinding", _arrow_text(matches["finding_id"]))
    d = _codes(by_label, "Problem", _arrow_text(matches["problem_id"]))
    ok = (s >= 0) & (d >= 0)
    return s[ok], d[ok]


def with_corroborations(index: GraphIndex, rules: Rules | None = None) -> GraphIndex:
    """``index`` plus the derived CORROBORATES edges (巡审印证: an audit
    finding matched to a problem of its unit), with the CSR rebuilt; nodes,
    codes and caches stay, so a search index built on ``index`` still holds."""
    from dataclasses import replace

    corr = REL_TYPES.index("CORROBORATES")
    if (index.etype == corr).any():
        return index
    s, d = _corroboration_codes(index.tables, rules, index.by_label)
    src = np.concatenate([index.src, s.astype(np.int32)])
    dst = np.concatenate([index.dst, d.astype(np.int32)])
    indptr, neighbour, edge = _csr(index.n_nodes, src, dst)
    return replace(
        index, src=src, dst=dst,
        etype=np.concatenate([index.etype, np.full(len(s), corr, dtype=np.int8)]),
        espec=np.concatenate([index.espec, np.full(len(s), -1, dtype=np.int16)]),
        erow=np.concatenate([index.erow, np.zeros(len(s), dtype=np.int32)]),
        indptr=indptr, neighbour=neighbour, edge=edge, lookups=index.lookups)
