"""Units with similar problem profiles: groups of units, whatever their
sector or region, that share an unusual *combination* of categories (the same
"problem portrait": e.g. 工程项目 + 国有资产 + 整改落实 all high together).

A unit's category is *elevated* when the unit has at least ``min_count``
problems of it and at least ``min_ratio`` times what its size predicts from
the overall category mix.  For every set of ``size`` categories (three by
default: "many categories"), the units elevated in all of them whose pooled
count over the set is also improbably high (binomial tail ≤ ``joint_alpha``)
form a community.  Its evidence is how many such units there are against what
chance gives: each unit's chance of being elevated in each category is
binomial (its size, the category's share), combined as if the categories were
independent, and scaled by how far that over-estimates the observed counts
across all the sets tried (categories compete within a unit, so independence
is pessimistic).  Poisson upper tail, Benjamini–Hochberg over all the sets
tried that could hold ``min_units`` units (every category elevated in at
least that many units: ``testable_q``); significant communities with at
least ``min_units`` units are reported.  Everything is sparse/vectorised: thirty categories give ~4,000
sets, each a few array operations over all units.
"""
from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
from scipy.stats import binom, poisson

from linkgraph.analysis.clusters.stats import (Candidate, benjamini_hochberg, stratum_rates,
                                               unit_matrix, unit_strata)
from linkgraph.rules import ClusterRules


def elevated(A: np.ndarray, min_count: int, min_ratio: float,
             base: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(elevated: bool units × categories, chance: the binomial probability
    of being elevated for a unit of that size).  ``base``: each unit's
    expected share of each category (default: the overall mix)."""
    size = A.sum(axis=1, keepdims=True)
    if base is None:
        base = A.sum(axis=0) / max(A.sum(), 1)
    need = np.maximum(min_count, np.ceil(min_ratio * size * base)).astype(np.int64)
    return A >= need, binom.sf(need - 1, size, base)


def _members(A: np.ndarray, E: np.ndarray, cols: list[int], base: np.ndarray,
             joint_alpha: float) -> np.ndarray:
    """Units elevated in every category of ``cols`` whose pooled count over
    them is also improbably high (binomial tail ≤ ``joint_alpha``, at the
    unit's own base shares: rows of ``base``)."""
    every = np.flatnonzero(E[:, cols].all(axis=1))
    pooled = A[np.ix_(every, np.asarray(cols, dtype=np.int64))].sum(axis=1)
    share = base[np.ix_(every, np.asarray(cols, dtype=np.int64))].sum(axis=1)
    joint = binom.sf(pooled - 1, A[every].sum(axis=1), np.clip(share, 0.0, 1.0))
    return every[joint <= joint_alpha]


def profiles(problems: pd.DataFrame, params: ClusterRules, *,
             units: pd.DataFrame | None = None) -> list[Candidate]:
    """Communities of units elevated in the same ``profile_size`` categories
    (``params``: a unit's category is elevated at ``profile_ratio`` × its
    expected count and ``profile_min_count`` problems; joint excess at
    ``profile_alpha``; ``min_units`` units; BH ``alpha``).  With
    ``units``, each unit is measured against the mix of its stratum
    (villages and communities vs the rest: ``stats.unit_strata``), so that
    a category villages never have is not "elevated" in every office."""
    size, joint_alpha = params.profile_size, params.profile_alpha
    min_units, alpha = params.min_units, params.alpha
    A, unit_ids, cats = unit_matrix(problems)
    if A.shape[1] < size:
        return []
    if units is not None:
        base = stratum_rates(A.astype(float), unit_strata(units, unit_ids), share=True)
    else:
        base = np.tile(A.sum(axis=0) / max(A.sum(), 1), (len(A), 1))
    E, chance = elevated(A, params.profile_min_count, params.profile_ratio, base)
    sets = list(combinations(range(A.shape[1]), size))
    independent = _chance_of_all(chance, sets)
    many = np.flatnonzero(E.sum(axis=1) >= size)      # only these can be in a community
    A_m, E_m, base_m = A[many], E[many], base[many]
    observed = np.array([len(_members(A_m, E_m, list(s), base_m, joint_alpha)) for s in sets],
                        dtype=np.int64)
    scale = min(1.0, observed.sum() / max(independent.sum(), 1e-12))
    expected = np.maximum(independent * scale, 1e-12)
    p = poisson.sf(observed - 1, expected)
    q = testable_q(p, E, sets, min_units)
    keep = np.flatnonzero((q <= alpha) & (observed >= min_units))
    return [_candidate(problems, A, many[_members(A_m, E_m, list(sets[k]), base_m,
                                                  joint_alpha)],
                       unit_ids, cats, list(sets[k]), float(q[k]), observed[k] / expected[k])
            for k in keep]


def testable_q(p: np.ndarray, E: np.ndarray, sets: list[tuple[int, ...]],
               min_units: int) -> np.ndarray:
    """BH q-values over the *testable* sets only (Tarone's rule for discrete
    tests): a set with a category in which fewer than ``min_units`` units
    are elevated can never hold a community of ``min_units`` units, so it is
    no test and does not count among those tried (its q is 1).  Otherwise a
    finer taxonomy — more categories, most of them too thin to be elevated
    anywhere — would raise the bar for every real profile."""
    elevated_units = E.sum(axis=0)
    ok = np.array([elevated_units[list(s)].min() >= min_units for s in sets], dtype=bool)
    q = np.ones(len(sets))
    if ok.any():
        q[ok] = benjamini_hochberg(p[ok])
    return q


def _chance_of_all(chance: np.ndarray, sets: list[tuple[int, ...]],
                   chunk: int = 20000) -> np.ndarray:
    """Σ over units of Π over the set's categories of the unit's chance of
    being elevated, for every set: products over each set's first k-1
    categories, times the last one, as one matrix product per unit chunk."""
    heads = sorted({s[:-1] for s in sets})
    where = {h: i for i, h in enumerate(heads)}
    totals = np.zeros((len(heads), chance.shape[1]))
    for lo in range(0, chance.shape[0], chunk):
        part = chance[lo: lo + chunk]
        prod = np.stack([np.prod(part[:, list(h)], axis=1) for h in heads], axis=1)
        totals += prod.T @ part
    return np.array([totals[where[s[:-1]], s[-1]] for s in sets])


def _candidate(problems: pd.DataFrame, A: np.ndarray, members: np.ndarray, units: pd.Index,
               cats: pd.Index, cols: list[int], q: float, lift: float) -> Candidate:
    weight = A[np.ix_(members, np.asarray(cols, dtype=np.int64))].sum(axis=0)
    order = [cols[i] for i in np.lexsort((np.asarray(cats[cols]), -weight))]
    names = tuple(cats[order])
    unit_ids = tuple(units[members])
    mask = problems["unit_id"].isin(unit_ids) & problems["category"].isin(names)
    return Candidate("profile", names[0], unit_ids, tuple(sorted(problems.loc[mask, "problem_id"])),
                     len(unit_ids) * (1.0 - 1.0 / lift) if lift > 1 else 0.0, p_value=q,
                     detail={"categories": names, "lift": round(float(min(lift, 1e6)), 3)})
