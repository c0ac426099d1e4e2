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
kept only when at least half of the category's extra problems are extra
problems of its area.  Both excesses are counted against the cell's
problems of the *other* areas, which neither explanation changes: other
labels for the same findings give the area no excess at all, more findings
give it all of the category's; half is the midpoint between the two.  The
shares are taken within each unit's stratum (villages and the rest, as in
``stats``).  This is a check on cells already found, not a new test, so it
takes no correction: it can only remove clusters.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd


def area_matrix(area_problems: pd.DataFrame, unit_ids: pd.Index) -> tuple[np.ndarray, pd.Index]:
    """units × areas problem counts for ``unit_ids`` (problems whose area is known)."""
    known = area_problems[area_problems["unit_id"].isin(unit_ids)
                          & area_problems["category_area"].notna()]
    areas = pd.Index(np.sort(known["category_area"].unique()))
    B = np.zeros((len(unit_ids), len(areas)), dtype=np.int64)
    np.add.at(B, (unit_ids.get_indexer(known["unit_id"]),
                  areas.get_indexer(known["category_area"])), 1)
    return B, areas


#: how much of a category's extra problems must be extra problems of its
#: area: the midpoint between the two explanations — other labels for the
#: same findings (none of the extra is the area's) and more findings (all is)
AREA_SHARE_OF_EXCESS = 0.5


def area_confirmed(hits: pd.DataFrame, member: pd.DataFrame, unit_ids: pd.Index,
                   area_problems: pd.DataFrame, area_of: Mapping[str, str],
                   shares: Callable[[np.ndarray], np.ndarray]) -> pd.DataFrame:
    """``hits`` (dim, group, category, …) without the cells whose category's
    extra problems are not extra problems of its area.  Both are counted
    against the cell's problems of *other* areas, which neither relabelling
    nor more findings of the area change: per unit, the area's expected
    count is its problems outside the area × b_a / (1 − b_a), the
    category's × b_c / (1 − b_a), with b the shares in the unit's stratum
    (``shares(B)``: per unit × area, ``stats.stratum_rates``).  The kept
    cells gain ``area_excess`` and ``category_excess`` (not shown to users;
    NaN where the
    category has no area of its own: outside the taxonomy, or a thin one
    already tested at its area)."""
    hits = hits.assign(area_excess=np.nan, category_excess=np.nan)
    if hits.empty:
        return hits
    B, areas = area_matrix(area_problems, unit_ids)
    b = shares(B.astype(float))
    known = area_problems[area_problems["unit_id"].isin(unit_ids)
                          & area_problems["category_area"].notna()]
    rows_of = member.assign(row=unit_ids.get_indexer(member["unit_id"])).groupby(
        ["dim", "group"])["row"].agg(np.array)
    keep = np.ones(len(hits), dtype=bool)
    d_area = hits["area_excess"].to_numpy(copy=True)
    d_cat = hits["category_excess"].to_numpy(copy=True)
    for i, h in enumerate(hits.itertuples(index=False)):
        area = area_of.get(h.category)
        if area is None or area == h.category or area not in areas:
            continue
        j = areas.get_loc(area)
        c = np.zeros(len(unit_ids))
        np.add.at(c, unit_ids.get_indexer(known.loc[known["category"] == h.category,
                                                    "unit_id"]), 1)
        b_c = shares(np.column_stack([c, B.sum(axis=1) - c]))[:, 0]   # c among all known
        rows = rows_of[(h.dim, h.group)]
        rest = B[rows].sum(axis=1) - B[rows, j]
        odds = 1.0 / np.maximum(1.0 - b[rows, j], 1e-12)
        d_area[i] = float((B[rows, j] - rest * b[rows, j] * odds).sum())
        d_cat[i] = float((c[rows] - rest * b_c[rows] * odds).sum())
        keep[i] = d_area[i] >= AREA_SHARE_OF_EXCESS * d_cat[i]
    return hits.assign(area_excess=d_area, category_excess=d_cat)[keep]
