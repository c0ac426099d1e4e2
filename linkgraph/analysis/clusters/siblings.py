"""The sibling rule of over-representation: a category is high in a cell
only when its area (the taxonomy's next level up) is high there too.

Teams choose between sibling categories in their own words: one writes
工程项目招投标不规范 (which the description then splits between 招投标 and 工程项目),
another 工程项目管理不规范; one writes 党的建设缺失 or 组织建设方面 (split between
党员教育管理 and 基层党组织建设), another 基层党组织建设薄弱.  Where one team's
habit fills one sibling, that sibling looks high in the team's region or
sector — yet the area holds no more problems than anywhere else: the same
findings were only labelled differently.  A real concentration is *more*
problems of the kind, so it raises the area as well.

So a significant cell × category whose category has an area of its own is
kept only when the cell's problems of that area (every problem harmonised
into the area: its categories and the labels that name only the area) are
also improbably many at the area's share in each unit's stratum (binomial
upper tail ≤ ``alpha``; villages and the rest as in ``stats``).  This is a
check on cells already found, not a new family of tests, so it takes no
correction: it can only remove clusters.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd
from scipy.stats import binom


def area_matrix(area_problems: pd.DataFrame, unit_ids: pd.Index) -> tuple[np.ndarray, pd.Index]:
    """units × areas problem counts for ``unit_ids`` (problems whose area is known)."""
    known = area_problems[area_problems["unit_id"].isin(unit_ids)
                          & area_problems["category_area"].notna()]
    areas = pd.Index(np.sort(known["category_area"].unique()))
    B = np.zeros((len(unit_ids), len(areas)), dtype=np.int64)
    np.add.at(B, (unit_ids.get_indexer(known["unit_id"]),
                  areas.get_indexer(known["category_area"])), 1)
    return B, areas


def area_confirmed(hits: pd.DataFrame, member: pd.DataFrame, unit_ids: pd.Index,
                   area_problems: pd.DataFrame, area_of: Mapping[str, str], alpha: float,
                   shares: Callable[[np.ndarray], np.ndarray]) -> pd.DataFrame:
    """``hits`` (dim, group, category, …) without the cells whose category's
    area is not high in the cell too; the kept ones gain ``area_lift`` and
    ``area_p`` (NaN where the category has no area of its own: a category
    outside the taxonomy, or a thin one already tested at its area).
    ``shares(B)`` gives, per unit × area, the area's share of the problems
    of the unit's stratum (``stats.stratum_rates``)."""
    hits = hits.assign(area_lift=np.nan, area_p=np.nan)
    if hits.empty:
        return hits
    B, areas = area_matrix(area_problems, unit_ids)
    expected = B.sum(axis=1, keepdims=True) * shares(B.astype(float))
    rows_of = member.assign(row=unit_ids.get_indexer(member["unit_id"])).groupby(
        ["dim", "group"])["row"].agg(np.array)
    keep = np.ones(len(hits), dtype=bool)
    lifts, ps = hits["area_lift"].to_numpy(copy=True), hits["area_p"].to_numpy(copy=True)
    for i, h in enumerate(hits.itertuples(index=False)):
        area = area_of.get(h.category)
        if area is None or area == h.category or area not in areas:
            continue
        rows, j = rows_of[(h.dim, h.group)], areas.get_loc(area)
        k, n, e = B[rows, j].sum(), B[rows].sum(), expected[rows, j].sum()
        ps[i] = float(binom.sf(k - 1, n, min(1.0, e / n))) if n and e else 1.0
        lifts[i] = k / e if e else np.inf
        keep[i] = ps[i] <= alpha
    return hits.assign(area_lift=lifts, area_p=ps)[keep]
