"""Systemic problem clusters (共性问题): three detectors and their merge.

``stats`` (over-represented categories), ``text`` (near-duplicate
descriptions) and ``profile`` (communities of similar units) each find
candidates; ``scope`` says who owns the fix and who should check itself;
``find`` runs them all, merges and ranks (see its docstring).
"""
from linkgraph.analysis.clusters.find import (
    KIND_ZH,
    KINDS,
    Cluster,
    cluster_params,
    find_clusters,
)

__all__ = ["KINDS", "KIND_ZH", "Cluster", "cluster_params", "find_clusters"]
