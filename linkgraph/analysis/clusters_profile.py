"""Units with similar problem profiles: communities of units that share
several distinctive problem categories (a group of units with the same
"problem portrait", whatever their sector or region).

A unit's category is *distinctive* when the unit has at least two problems of
it and at least ``min_lift`` times what its size predicts from the overall
category mix.  Units and categories form a bipartite graph (edge weight =
log of that ratio); Leiden communities of that graph (igraph, seeded) propose
groups of categories that go together.  For each proposal with two or more
categories, the units holding at least two of them distinctively are counted
and compared with what independent categories would give (binomial upper
tail, Benjamini–Hochberg over all proposals); the significant ones with at
least ``min_units`` units are reported.
"""
from __future__ import annotations

import random

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.stats import binom

from linkgraph.analysis.clusters_stats import Candidate, benjamini_hochberg


def distinctive(problems: pd.DataFrame, min_lift: float) -> tuple[sparse.csr_matrix,
                                                                  pd.Index, pd.Index]:
    """units × categories matrix of log(observed / expected) where distinctive."""
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
    expected = size[rows] * base[A.indices]
    ratio = A.data / expected
    keep = (A.data >= 2) & (ratio >= min_lift)
    W = sparse.csr_matrix((np.log(ratio[keep]), (rows[keep], A.indices[keep])), shape=A.shape)
    return W, units, cats


def _communities(W: sparse.csr_matrix, seed: int) -> np.ndarray:
    """Leiden (modularity) communities of the bipartite unit–category graph:
    one label per category."""
    import igraph as ig

    n_units, n_cats = W.shape
    coo = W.tocoo()
    g = ig.Graph(n=n_units + n_cats, edges=list(zip(coo.row.tolist(),
                                                     (coo.col + n_units).tolist())))
    g.es["weight"] = coo.data.tolist()
    rng = random.Random(seed)
    ig.set_random_number_generator(rng)
    try:
        parts = g.community_leiden(objective_function="modularity", weights="weight",
                                   n_iterations=-1)
    finally:
        ig.set_random_number_generator(random)
    return np.asarray(parts.membership[n_units:])


def _at_least_two(p: np.ndarray) -> float:
    """P(at least two of independent events with probabilities p)."""
    none = np.prod(1 - p)
    one = sum(p[i] * np.prod(np.delete(1 - p, i)) for i in range(len(p)))
    return float(max(0.0, 1.0 - none - one))


def profiles(problems: pd.DataFrame, *, min_units: int = 5, alpha: float = 0.01,
             min_lift: float = 2.0, seed: int = 0) -> list[Candidate]:
    """Communities of units sharing two or more distinctive categories."""
    W, units, cats = distinctive(problems, min_lift)
    if W.nnz == 0:
        return []
    label = _communities(W, seed)
    D = (W > 0).astype(np.int8).tocsc()
    rate = np.asarray(D.sum(axis=0)).ravel() / W.shape[0]
    tests = []
    for comp in np.unique(label):
        members = np.flatnonzero(label == comp)
        if len(members) < 2:
            continue
        held = np.asarray(D[:, members].sum(axis=1)).ravel()
        core = np.flatnonzero(held >= 2)
        expect = W.shape[0] * _at_least_two(rate[members])
        p = binom.sf(len(core) - 1, W.shape[0], expect / W.shape[0]) if len(core) else 1.0
        tests.append((members, core, expect, p))
    q = benjamini_hochberg(np.array([t[3] for t in tests]))
    out = []
    for (members, core, expect, p), qv in zip(tests, q):
        lift = len(core) / expect if expect > 0 else np.inf
        if qv > alpha or len(core) < min_units or lift < min_lift:
            continue
        out.append(_candidate(problems, W, units, cats, members, core, float(qv), lift))
    return out


def _candidate(problems: pd.DataFrame, W: sparse.csr_matrix, units: pd.Index, cats: pd.Index,
               members: np.ndarray, core: np.ndarray, q: float, lift: float) -> Candidate:
    weight = np.asarray(W[core][:, members].sum(axis=0)).ravel()
    order = members[np.lexsort((np.asarray(cats[members]), -weight))]
    names = tuple(cats[order])
    unit_ids = tuple(units[core])
    mask = problems["unit_id"].isin(unit_ids) & problems["category"].isin(names)
    return Candidate("profile", names[0], unit_ids, tuple(sorted(problems.loc[mask, "problem_id"])),
                     len(unit_ids) * (1.0 - 1.0 / lift), p_value=q,
                     detail={"categories": names, "lift": round(float(lift), 3)})
