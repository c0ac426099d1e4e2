"""Cypher queries shipped with linkgraph (one query per .cypher file)."""
