"""A dataset as rows for Neo4j: nodes per label, relationships per
(type, start label, end label), de-duplicated, with Neo4j value types
(dates as ``datetime.date``, lists as lists, missing values left out).

The nodes and relationships are exactly ``linkgraph.graph.build_graph``'s:
the same ``model.RELATIONSHIPS`` and the same ``CORROBORATES`` rule.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import pandas as pd

from linkgraph.graph import _edge_frame, category_nodes, corroborations, edge_properties, node_frame
from linkgraph.model import RELATIONSHIPS, TABLE_LABELS, RelSpec
from linkgraph.rules import Rules
from linkgraph.schema import Tables, key_column


@dataclass(frozen=True)
class NodeRows:
    label: str
    rows: list[dict]


@dataclass(frozen=True)
class RelRows:
    """``rows`` are ``{s, e}``, or ``{s, e, props: [map, …]}`` when the type
    carries properties (every relationship of one pair in one row)."""

    type: str
    start: str
    end: str
    rows: list[dict]
    count: int  # relationships (a row with props holds several)
    with_props: bool


def neo4j_values(series: pd.Series, kind: str) -> list:
    """A column as values the driver sends: None where missing."""
    if kind == "date" or pd.api.types.is_datetime64_any_dtype(series):
        dates = pd.to_datetime(series, errors="coerce")
        return [None if v is pd.NaT or v != v else v.date() for v in dates.tolist()]
    if kind == "int":
        return [None if v is pd.NA or v is None or v != v else int(v)
                for v in series.astype("Int64").tolist()]
    if kind == "float":
        return [None if v is None or v != v else float(v) for v in series.tolist()]
    if kind == "bool":
        return [bool(v) for v in series.fillna(False).tolist()]
    if kind in ("ids", "list"):
        return [list(v) if isinstance(v, (list, tuple)) and len(v) else None
                for v in series.tolist()]
    return [None if v is None or v != v else str(v) for v in series.tolist()]


def records(frame: pd.DataFrame, columns: Mapping[str, str],
            rename: Mapping[str, str] | None = None) -> list[dict]:
    """Rows of ``frame`` as dicts of the given columns (name -> kind), with
    missing values left out."""
    rename = rename or {}
    names = [rename.get(c, c) for c in columns]
    values = [neo4j_values(frame[c], kind) for c, kind in columns.items()]
    return [{n: v for n, v in zip(names, row) if v is not None} for row in zip(*values)]


def node_rows(tables: Tables) -> Iterator[NodeRows]:
    """Every node, label by label (entity tables, then Category)."""
    for table, label in TABLE_LABELS.items():
        frame, kinds = node_frame(tables, table)
        key = key_column(table)
        frame = frame.drop_duplicates(key)
        yield NodeRows(label, records(frame, kinds, {key: "id"}))
    yield NodeRows("Category", category_nodes(tables))


def _ends(spec: RelSpec) -> tuple[str, str]:
    start = spec.start_label or TABLE_LABELS[spec.table]
    return start, spec.end_label


def _strip(keys: pd.Series, label: str) -> pd.Series:
    return keys.astype(str).str.slice(len(label) + 1)


def rel_rows(tables: Tables, rules: Rules | None = None) -> Iterator[RelRows]:
    """Every relationship, grouped by (type, start label, end label)."""
    groups: dict[tuple[str, str, str], list[pd.DataFrame]] = {}
    kinds_of: dict[tuple[str, str, str], dict[str, str]] = {}
    for spec in RELATIONSHIPS:
        start, end = _ends(spec)
        f = _edge_frame(tables, spec)
        f = f.assign(_start=_strip(f["_start"], start), _end=_strip(f["_end"], end))
        groups.setdefault((spec.type, start, end), []).append(f)
        kinds_of.setdefault((spec.type, start, end), {}).update(edge_properties(tables, spec))
    c = corroborations(tables, rules)
    groups[("CORROBORATES", "AuditFinding", "Problem")] = [
        pd.DataFrame({"_start": c["finding_id"].astype(str), "_end": c["problem_id"].astype(str)})]
    for (rel_type, start, end), frames in groups.items():
        f = pd.concat(frames, ignore_index=True)
        kinds = kinds_of.get((rel_type, start, end), {})
        if kinds:
            yield _grouped(rel_type, start, end, f, kinds)
            continue
        pairs = f[["_start", "_end"]].drop_duplicates()
        rows = [{"s": s, "e": e} for s, e in zip(pairs["_start"].tolist(),
                                                  pairs["_end"].tolist())]
        yield RelRows(rel_type, start, end, rows, len(rows), False)


def _grouped(rel_type: str, start: str, end: str, f: pd.DataFrame,
             kinds: Mapping[str, str]) -> RelRows:
    """One row per pair with the pair's distinct property maps, sorted."""
    maps = records(f, kinds)
    by_pair: dict[tuple[str, str], list[dict]] = {}
    for s, e, m in zip(f["_start"].tolist(), f["_end"].tolist(), maps):
        found = by_pair.setdefault((s, e), [])
        if m not in found:
            found.append(m)
    rows = [{"s": s, "e": e, "props": ms} for (s, e), ms in by_pair.items()]
    return RelRows(rel_type, start, end, rows, sum(len(r["props"]) for r in rows), True)
