"""The only Cypher linkgraph writes in Python: push, pull and wipe statements.

Labels and relationship types are interpolated only through ``label_ref`` and
``type_ref``, which accept nothing but ``linkgraph.model``'s fixed lists;
every value is a ``$parameter``.  ``tests/test_cypher_safety.py`` scans the
code to keep it so.
"""
from __future__ import annotations

from linkgraph.model import LABELS, REL_TYPES


def label_ref(label: str) -> str:
    """A node label from ``model.LABELS`` (anything else is a bug)."""
    if label not in LABELS:
        raise ValueError(f"not a linkgraph label: {label!r}")
    return label


def type_ref(rel_type: str) -> str:
    """A relationship type from ``model.REL_TYPES`` (anything else is a bug)."""
    if rel_type not in REL_TYPES:
        raise ValueError(f"not a linkgraph relationship type: {rel_type!r}")
    return rel_type


def merge_nodes(label: str) -> str:
    """Rows ``{id, …properties}``: one node per id, properties replaced."""
    return (f"UNWIND $rows AS row MERGE (n:{label_ref(label)} {{id: row.id}}) "
            "SET n = row")


def create_nodes(label: str) -> str:
    """Rows ``{id, …properties}`` into a label that holds no node yet (the
    rows are distinct by id): no lookup per row, as fast as Cypher loads."""
    return f"UNWIND $rows AS row CREATE (n:{label_ref(label)}) SET n = row"


def create_relationships(rel_type: str, start: str, end: str) -> str:
    """Rows ``{s, e, props: [map, …]}`` of a type the database holds none of
    yet (rows are de-duplicated before sending)."""
    return (f"UNWIND $rows AS row "
            f"MATCH (a:{label_ref(start)} {{id: row.s}}) "
            f"MATCH (b:{label_ref(end)} {{id: row.e}}) "
            "UNWIND row.props AS p "
            f"CREATE (a)-[r:{type_ref(rel_type)}]->(b) SET r = p")


def create_plain(rel_type: str, start: str, end: str) -> str:
    """Rows ``{s, e}`` of a property-less type the database holds none of."""
    return (f"UNWIND $rows AS row "
            f"MATCH (a:{label_ref(start)} {{id: row.s}}) "
            f"MATCH (b:{label_ref(end)} {{id: row.e}}) "
            f"CREATE (a)-[:{type_ref(rel_type)}]->(b)")


def merge_relationships(rel_type: str, start: str, end: str) -> str:
    """Rows ``{s, e}``: at most one property-less relationship per pair."""
    return (f"UNWIND $rows AS row "
            f"MATCH (a:{label_ref(start)} {{id: row.s}}) "
            f"MATCH (b:{label_ref(end)} {{id: row.e}}) "
            f"MERGE (a)-[:{type_ref(rel_type)}]->(b)")


def add_relationships(rel_type: str, start: str, end: str) -> str:
    """Rows ``{s, e, props: [map, …]}`` (all of one pair's relationships):
    creates those whose exact property map the pair does not have yet, so a
    rerun or a resumed push adds nothing twice."""
    return (f"UNWIND $rows AS row "
            f"MATCH (a:{label_ref(start)} {{id: row.s}}) "
            f"MATCH (b:{label_ref(end)} {{id: row.e}}) "
            f"OPTIONAL MATCH (a)-[old:{type_ref(rel_type)}]->(b) "
            "WITH a, b, row, collect(properties(old)) AS existing "
            "FOREACH (p IN [x IN row.props WHERE NOT x IN existing] | "
            f"CREATE (a)-[r:{type_ref(rel_type)}]->(b) SET r = p)")


def pull_nodes(label: str) -> str:
    """One page of nodes: ``$page`` nodes with id after ``$after`` (in id
    order, from the constraint's index), as one record — a big message
    decodes far faster than one message per node."""
    return (f"MATCH (n:{label_ref(label)}) WHERE n.id > $after "
            "WITH n ORDER BY n.id LIMIT $page "
            "RETURN collect(properties(n)) AS batch, max(n.id) AS last")


def pull_relationships(rel_type: str, start: str, end: str) -> str:
    """The relationships of one page of start nodes (see ``pull_nodes``)."""
    return (f"MATCH (a:{label_ref(start)}) WHERE a.id > $after "
            "WITH a ORDER BY a.id LIMIT $page "
            "WITH collect(a) AS starts "
            "UNWIND starts AS a "
            f"OPTIONAL MATCH (a)-[r:{type_ref(rel_type)}]->(b:{label_ref(end)}) "
            "WITH starts, collect(CASE WHEN r IS NOT NULL THEN [a.id, b.id, properties(r)] END)"
            " AS batch "
            "RETURN batch, starts[-1].id AS last")


def count_nodes(label: str) -> str:
    return f"MATCH (n:{label_ref(label)}) RETURN count(n) AS n"


def count_relationships(rel_type: str) -> str:
    return f"MATCH ()-[r:{type_ref(rel_type)}]->() RETURN count(r) AS n"


#: Deletes everything in batches (``--wipe``); constraints and indexes stay.
#: Relationships go first, so that no single transaction has to delete a node
#: together with all of its (possibly millions of) relationships.
WIPE_RELATIONSHIPS = "MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS"
WIPE = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
