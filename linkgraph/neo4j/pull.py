"""``pull``: the graph in Neo4j back into networkx and the canonical tables,
so every analysis runs on data that lives in Neo4j.

Only linkgraph's labels and the relationship (type, start, end) combinations
of ``linkgraph.model`` are read; values come back as the networkx graph holds
them (dates as ISO text, lists as lists).
"""
from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Mapping
from pathlib import Path

import networkx as nx
import pandas as pd
from neo4j.time import Date

from linkgraph.graph import tables_from_graph
from linkgraph.model import LABELS, RELATIONSHIPS, TABLE_LABELS
from linkgraph.neo4j import statements as st
from linkgraph.neo4j.connection import Connection
from linkgraph.neo4j.library import plain
from linkgraph.schema import TABLES

Progress = Callable[[str, int, int], None]


def rel_combinations() -> list[tuple[str, str, str]]:
    """(type, start label, end label) of every relationship the model makes."""
    combos = {(s.type, s.start_label or TABLE_LABELS[s.table], s.end_label)
              for s in RELATIONSHIPS}
    combos.add(("CORROBORATES", "AuditFinding", "Problem"))
    return sorted(combos)


def _props(p: dict) -> dict:
    """Driver values as build_graph holds them: dates as ISO text (the only
    temporal type push writes); strings, numbers, booleans and lists as they are."""
    for k, v in p.items():
        if isinstance(v, Date):
            p[k] = v.iso_format()
        elif isinstance(v, list) or hasattr(v, "iso_format"):
            p[k] = plain(v)
    return p


def _pages(conn: Connection, query: str, page: int):
    """The rows of a paged query (``$after``, ``$page``), page by page."""
    after = ""
    while True:
        rows = conn.run(query, {"after": after, "page": page})
        if not rows or rows[0]["last"] is None:
            return
        yield rows[0]["batch"]
        after = rows[0]["last"]


def pull_graph(conn: Connection, progress: Progress | None = None,
               page: int = 20_000) -> nx.MultiDiGraph:
    """The database's linkgraph nodes and relationships as a MultiDiGraph
    shaped like ``build_graph``'s (nodes "Label:id" with ``label``; edges
    with ``type``).  Read in pages of ``page`` nodes (ids are strings)."""
    G = nx.MultiDiGraph()
    steps = len(LABELS) + len(rel_combinations())
    done = 0
    for label in LABELS:
        prefix = label + ":"
        for batch in _pages(conn, st.pull_nodes(label), page):
            G.add_nodes_from((prefix + p["id"], {**_props(p), "label": label}) for p in batch)
        done += 1
        if progress:
            progress(label, done, steps)
    for rel_type, start, end in rel_combinations():
        a, b = start + ":", end + ":"
        for batch in _pages(conn, st.pull_relationships(rel_type, start, end), page):
            G.add_edges_from((a + s, b + e, {**_props(p), "type": rel_type})
                             for s, e, p in batch)
        done += 1
        if progress:
            progress(rel_type, done, steps)
    return G


def pull_tables(conn: Connection, progress: Progress | None = None) -> dict[str, pd.DataFrame]:
    """The canonical tables of the database's graph (``tables_from_graph``)."""
    return tables_from_graph(pull_graph(conn, progress))


def _cell(value: object) -> str:
    if (value is None or value is pd.NaT or value is pd.NA
            or (isinstance(value, float) and value != value)):
        return ""
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_tables(tables: Mapping[str, pd.DataFrame], out_dir: str | Path) -> list[Path]:
    """Write canonical tables as a DATA folder (UTF-8 CSV, English headers)
    that ``load_dataset`` reads back."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for spec in TABLES:
        from linkgraph.dataset import empty_table

        from linkgraph.check import extra_columns

        frame = tables[spec.name] if spec.name in tables else empty_table(spec.name)
        columns = [c.name for c in spec.columns] + extra_columns(frame, spec.name)
        path = out / f"{spec.name}.csv"
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(columns)
            for row in zip(*(frame[c].tolist() for c in columns)):
                w.writerow([_cell(v) for v in row])
        files.append(path)
    return files


def tables_digest(tables: Mapping[str, pd.DataFrame]) -> str:
    """SHA-256 of the tables' canonical CSV text: the same data, the same digest."""
    h = hashlib.sha256()
    for spec in TABLES:
        h.update(spec.name.encode())
        if spec.name not in tables:   # a table the graph does not hold (pool): no rows
            continue
        frame = tables[spec.name]
        for row in zip(*(frame[c.name].tolist() for c in spec.columns)):
            h.update("\x1f".join(_cell(v) for v in row).encode("utf-8") + b"\n")
    return h.hexdigest()


def dataset_from_neo4j(settings, progress: Progress | None = None):
    """A ``Dataset`` whose tables are pulled from the server in ``settings``
    (every row counts as read and loaded; nothing to reject)."""
    from linkgraph.dataset import Dataset, TableCount
    from linkgraph.neo4j.connection import connect

    with connect(settings) as conn:
        tables = pull_tables(conn, progress)
    counts = tuple(TableCount(name, settings.where, len(frame), len(frame), 0)
                   for name, frame in tables.items())
    return Dataset(tables, (), counts, (), settings.where)
