"""Units with similar problem profiles: communities of units that share
several distinctive problem categories (a group of units with the same
"problem portrait", whatever their sector or region).

A unit's category is *distinctive* when the unit has improbably many problems
of it for its size (binomial upper tail at the overall base rate ≤
``unit_alpha``).  Units sharing two or more distinctive categories are
linked (weight = how many they share), and Leiden communities of that graph
(igraph, seeded: deterministic) propose groups.  A community's signature is
the categories distinctive in at least half of its units; its core, the
units holding two or more of them.  How many units anywhere hold two or more
of the signature is compared with what independent categories would give
(binomial upper tail, Benjamini–Hochberg over all communities); significant
communities with at least ``min_units`` core units are reported.
"""
from __future__ import annotations

import random

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.stats import binom

from linkgraph.analysis.clusters_stats import Candidate, benjamini_hochberg, excess_units


def distinctive(problems: pd.DataFrame, unit_alpha: float) -> tuple[sparse.csr_matrix,
                                                                     pd.Index, pd.Index]:
    """units × categories, 1 where the unit has improbably many problems of
    the category for its size (``excess_units``)."""
    p = problems[["unit_id", "category"]].dropna()
    units = pd.Index(np.sort(p["unit_id"].unique()))
    cats = pd.Index(np.sort(p["category"].unique()))
    A = sparse.csr_matrix((np.ones(len(p)), (units.get_indexer(p["unit_id"]),
                                             cats.get_indexer(p["category"]))),
                          shape=(len(units), len(cats)))
    A.sum_duplicates()
    base = np.asarray(A.sum(axis=0)).ravel() / max(A.sum(), 1)
    size = np.asarray(A.sum(axis=1)).ravel()
    rows = np.repeat(np.arange(A.shape[0]), np.diff(A.indptr))
    keep = excess_units(A.data, size[rows], base[A.indices], unit_alpha)
    D = sparse.csr_matrix((np.ones(int(keep.sum())), (rows[keep], A.indices[keep])),
                          shape=A.shape)
    return D, units, cats


def _unit_graph(D: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edges (u, v, shared) between units sharing two or more distinctive
    categories."""
    many = np.flatnonzero(np.diff(D.indptr) >= 2)
    shared = (D[many] @ D[many].T).tocoo()
    keep = (shared.row < shared.col) & (shared.data >= 2)
    return many[shared.row[keep]], many[shared.col[keep]], shared.data[keep]


def _communities(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray, seed: int) -> np.ndarray:
    """Leiden (modularity) communities of the unit graph, seeded."""
    import igraph as ig

    g = ig.Graph(n=n, edges=list(zip(u.tolist(), v.tolist())))
    g.es["weight"] = w.astype(float).tolist()
    ig.set_random_number_generator(random.Random(seed))
    try:
        parts = g.community_leiden(objective_function="modularity", weights="weight",
                                   n_iterations=-1)
    finally:
        ig.set_random_number_generator(random)
    return np.asarray(parts.membership)


def _at_least_two(p: np.ndarray) -> float:
    """P(at least two of independent events with probabilities p)."""
    none = np.prod(1 - p)
    one = sum(p[i] * np.prod(np.delete(1 - p, i)) for i in range(len(p)))
    return float(max(0.0, 1.0 - none - one))


def profiles(problems: pd.DataFrame, *, min_units: int = 5, alpha: float = 0.01,
             unit_alpha: float = 0.001, seed: int = 0) -> list[Candidate]:
    """Communities of units sharing two or more distinctive categories."""
    D, units, cats = distinctive(problems, unit_alpha)
    u, v, w = _unit_graph(D)
    if not len(u):
        return []
    label = _communities(D.shape[0], u, v, w, seed)
    linked = np.unique(np.concatenate([u, v]))
    rate = np.asarray(D.sum(axis=0)).ravel() / D.shape[0]
    held_by = D.tocsc()
    tests = []
    for comp in np.unique(label[linked]):
        members = linked[label[linked] == comp]
        if len(members) < min_units:
            continue
        share = np.asarray(D[members].sum(axis=0)).ravel() / len(members)
        signature = np.flatnonzero(share >= 0.5)
        if len(signature) < 2:
            continue
        core = members[np.asarray(D[members][:, signature].sum(axis=1)).ravel() >= 2]
        everywhere = int((np.asarray(held_by[:, signature].sum(axis=1)).ravel() >= 2).sum())
        expect = D.shape[0] * _at_least_two(rate[signature])
        p = binom.sf(everywhere - 1, D.shape[0], expect / D.shape[0])
        tests.append((signature, core, share, expect, everywhere, p))
    q = benjamini_hochberg(np.array([t[-1] for t in tests]))
    return [_candidate(problems, units, cats, sig, core, share, float(qv), n / max(e, 1e-12))
            for (sig, core, share, e, n, _), qv in zip(tests, q)
            if qv <= alpha and len(core) >= min_units]


def _candidate(problems: pd.DataFrame, units: pd.Index, cats: pd.Index, signature: np.ndarray,
               core: np.ndarray, share: np.ndarray, q: float, lift: float) -> Candidate:
    order = signature[np.lexsort((np.asarray(cats[signature]), -share[signature]))]
    names = tuple(cats[order])
    unit_ids = tuple(units[core])
    mask = problems["unit_id"].isin(unit_ids) & problems["category"].isin(names)
    return Candidate("profile", names[0], unit_ids, tuple(sorted(problems.loc[mask, "problem_id"])),
                     len(unit_ids) * (1.0 - 1.0 / lift) if lift > 1 else 0.0, p_value=q,
                     detail={"categories": names, "lift": round(float(min(lift, 1e6)), 3)})
