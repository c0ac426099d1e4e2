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

from linkgraph.graph import tables_from_graph
from linkgraph.model import LABELS, RELATIONSHIPS, TABLE_LABELS, node_key
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


def pull_graph(conn: Connection, progress: Progress | None = None) -> nx.MultiDiGraph:
    """The database's linkgraph nodes and relationships as a MultiDiGraph
    shaped like ``build_graph``'s (nodes "Label:id" with ``label``; edges
    with ``type``)."""
    G = nx.MultiDiGraph()
    steps = len(LABELS) + len(rel_combinations())
    done = 0
    for label in LABELS:
        G.add_nodes_from((node_key(label, p["id"]), {**{k: plain(v) for k, v in p.items()},
                                                     "label": label})
                         for (p,) in conn.stream(st.pull_nodes(label)))
        done += 1
        if progress:
            progress(label, done, steps)
    for rel_type, start, end in rel_combinations():
        G.add_edges_from((node_key(start, s), node_key(end, e),
                          {**{k: plain(v) for k, v in p.items()}, "type": rel_type})
                         for s, e, p in conn.stream(st.pull_relationships(rel_type, start, end)))
        done += 1
        if progress:
            progress(rel_type, done, steps)
    return G


def pull_tables(conn: Connection, progress: Progress | None = None) -> dict[str, pd.DataFrame]:
    """The canonical tables of the database's graph (``tables_from_graph``)."""
    return tables_from_graph(pull_graph(conn, progress))


def _cell(value: object) -> str:
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
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
        frame = tables[spec.name]
        columns = [c.name for c in spec.columns]
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
        frame = tables[spec.name]
        h.update(spec.name.encode())
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
