"""``push``: a dataset into Neo4j — schema first, then nodes label by label
and relationships type by type in ``UNWIND $rows`` batches.

Idempotent: nodes are MERGEd on their constrained ``id`` (properties
replaced), property-less relationships MERGEd between matched endpoints, and
relationships with properties created only when the pair lacks that exact
property map.  Each batch is one transaction, so a push stopped halfway and
run again completes the graph with no duplicates.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources

import pandas as pd

from linkgraph.neo4j import DEFAULT_BATCH, DEFAULT_WORKERS
from linkgraph.neo4j import statements as st
from linkgraph.neo4j.connection import Connection
from linkgraph.neo4j.rows import NodeRows, RelRows, node_rows, rel_rows
from linkgraph.rules import Rules

#: (what is being written, rows done so far, rows in total)
Progress = Callable[[str, int, int], None]


def schema_statements() -> list[str]:
    """The statements of ``cypher/schema.cypher`` (comments dropped)."""
    text = resources.files("cypher").joinpath("schema.cypher").read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    return [s.strip() for s in re.split(r";\s*(?:\n|$)", body) if s.strip()]


def apply_schema(conn: Connection) -> int:
    """Create the constraints and indexes (IF NOT EXISTS) and wait for them."""
    statements = schema_statements()
    for statement in statements:
        conn.run(statement, write=True)
    conn.run("CALL db.awaitIndexes(300)", write=True)
    return len(statements)


@dataclass
class PushReport:
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)
    seconds_nodes: float = 0.0
    seconds_relationships: float = 0.0

    @property
    def node_total(self) -> int:
        return sum(self.nodes.values())

    @property
    def relationship_total(self) -> int:
        return sum(self.relationships.values())


def _batches(rows: list[dict], size: int) -> Iterator[list[dict]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def plan(tables: Mapping[str, pd.DataFrame], rules: Rules | None = None
         ) -> tuple[list[NodeRows], list[RelRows]]:
    """Everything a push sends, before any connection is made: the tables
    with their categories harmonised (``graph.for_graph``: Problem and
    AuditFinding ``category`` harmonised beside ``category_written``,
    ``category_area``, ``category_branch``; Category nodes with their area and
    branch; SUPERVISES to the harmonised categories)."""
    from linkgraph.graph import for_graph

    tables = for_graph(tables)
    return list(node_rows(tables)), list(rel_rows(tables, rules))


def _run_batches(conn: Connection, jobs: Iterable[tuple[str, str, list[dict]]], workers: int,
                 done: Callable[[str, int], None]) -> None:
    """Run ``(name, query, rows)`` jobs, each one write transaction, with at
    most ``workers`` in flight; ``done(name, len(rows))`` after each, in the
    caller's thread.  An exception (a failed batch, or one raised by ``done``)
    stops the submission, lets the batches in flight finish and propagates."""
    if workers <= 1:
        for name, query, rows in jobs:
            conn.run(query, {"rows": rows}, write=True)
            done(name, len(rows))
        return
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="neo4j-push") as pool:
        running: dict = {}
        it = iter(jobs)
        try:
            while True:
                while len(running) < workers:
                    job = next(it, None)
                    if job is None:
                        break
                    name, query, rows = job
                    future = pool.submit(conn.run, query, {"rows": rows}, write=True)
                    running[future] = (name, len(rows))
                if not running:
                    return
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    name, n = running.pop(future)
                    future.result()
                    done(name, n)
        finally:
            wait(running)


def push(conn: Connection, tables: Mapping[str, pd.DataFrame], *, rules: Rules | None = None,
         batch_size: int = DEFAULT_BATCH, workers: int = DEFAULT_WORKERS,
         progress: Progress | None = None) -> PushReport:
    """Write ``tables`` (a dataset's tables) into the connection's database,
    ``workers`` batches at a time (nodes first, then relationships: every
    node is in before the first relationship is sent).  Each batch is one
    transaction the driver retries on a transient error (a deadlock between
    two batches included), so parallel batches never half-apply."""
    import time

    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    if workers < 1:
        raise ValueError("workers must be at least 1")
    nodes, rels = plan(tables, rules)
    apply_schema(conn)
    total = sum(len(n.rows) for n in nodes) + sum(len(r.rows) for r in rels)
    done = 0
    report = PushReport()
    t0 = time.perf_counter()
    # A label or type the database holds nothing of is CREATEd (no lookup per
    # row); anything already there — a rerun, a push stopped halfway — is
    # MERGEd, so pushing again never doubles anything.
    empty_labels = {g.label for g in nodes if conn.run(st.count_nodes(g.label))[0]["n"] == 0}
    empty_types = {g.type for g in rels
                   if conn.run(st.count_relationships(g.type))[0]["n"] == 0}

    def count(name: str, n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(name, done, total)

    def node_jobs() -> Iterator[tuple[str, str, list[dict]]]:
        for group in nodes:
            query = (st.create_nodes(group.label) if group.label in empty_labels
                     else st.merge_nodes(group.label))
            for batch in _batches(group.rows, batch_size):
                yield group.label, query, batch

    def rel_jobs() -> Iterator[tuple[str, str, list[dict]]]:
        for group in rels:
            if group.type in empty_types:
                make = st.create_relationships if group.with_props else st.create_plain
            else:
                make = st.add_relationships if group.with_props else st.merge_relationships
            query = make(group.type, group.start, group.end)
            for batch in _batches(group.rows, batch_size):
                yield group.type, query, batch

    _run_batches(conn, node_jobs(), workers, count)
    for group in nodes:
        report.nodes[group.label] = report.nodes.get(group.label, 0) + len(group.rows)
    t1 = time.perf_counter()
    _run_batches(conn, rel_jobs(), workers, count)
    for rel in rels:
        report.relationships[rel.type] = report.relationships.get(rel.type, 0) + rel.count
    report.seconds_nodes, report.seconds_relationships = t1 - t0, time.perf_counter() - t1
    return report


def wipe(conn: Connection) -> None:
    """Delete every node and relationship of the database (in batches)."""
    from linkgraph.neo4j.connection import driver_errors

    with driver_errors(conn.settings), conn.driver.session(database=conn.database) as s:
        s.run(st.WIPE_RELATIONSHIPS).consume()
        s.run(st.WIPE).consume()


def database_counts(conn: Connection) -> tuple[dict[str, int], dict[str, int]]:
    """Nodes per linkgraph label and relationships per type in the database."""
    from linkgraph.model import LABELS, REL_TYPES

    labels = {lb: conn.run(st.count_nodes(lb))[0]["n"] for lb in LABELS}
    types = {t: conn.run(st.count_relationships(t))[0]["n"] for t in REL_TYPES}
    return labels, types
