"""Neo4j I/O: push a dataset into a server, pull it back, bulk export for
``neo4j-admin database import``, and the ``cypher/`` query library.

The same labels, relationship types and property names as the networkx graph
(``linkgraph.model``).  Every Cypher statement is either a ``.cypher`` file or
built in ``statements.py`` from ``linkgraph.model``'s fixed lists; values are
always ``$parameters``.
"""
from __future__ import annotations

from linkgraph.neo4j.connection import Connection, Settings, connect

#: rows per UNWIND batch (one transaction); 5k and 10k measure alike, 20k slower
DEFAULT_BATCH = 5_000
#: batches in flight at once: the server writes two transactions on two
#: cores (city push into an empty database 48 s with one, 40 s with two, 43 s
#: with three on this 2-CPU machine)
DEFAULT_WORKERS = 2

__all__ = ["DEFAULT_BATCH", "DEFAULT_WORKERS", "Connection", "Settings", "connect"]
