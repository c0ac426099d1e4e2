"""Neo4j I/O: push a dataset into a server, pull it back, bulk export for
``neo4j-admin database import``, and the ``cypher/`` query library.

The same labels, relationship types and property names as the networkx graph
(``linkgraph.model``).  Every Cypher statement is either a ``.cypher`` file or
built in ``statements.py`` from ``linkgraph.model``'s fixed lists; values are
always ``$parameters``.
"""
from __future__ import annotations

from linkgraph.neo4j.connection import Connection, Settings, connect

__all__ = ["Connection", "Settings", "connect"]
