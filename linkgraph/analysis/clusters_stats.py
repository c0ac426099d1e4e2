"""Over-representation: a problem category concentrated in one sector or
region well beyond its base rate (行业性、系统性问题 / 区域性问题).

Every sector × category and region × category cell is tested with the
hypergeometric upper tail (drawing the group's problems from all problems,
how likely is at least the observed number of this category?), and the
p-values are corrected for all the cells tried with Benjamini–Hochberg.  A
cell is reported when its q-value is at most ``alpha``, its lift (observed ÷
expected) is at least ``min_lift`` and at least ``min_units`` of its units
have improbably many problems of the category for their size (binomial
tail ≤ ``unit_alpha``; those units are the cluster).  Cells are sectors,
regions at every level (a town's units also count for its county) and
sectors within a region, except a group holding every problem.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import binom, hypergeom


#: joins sector and region in the key of a sector-within-region cell
SEP = "\x1f"


def excess_units(counts: np.ndarray, totals: np.ndarray, base: np.ndarray,
                 unit_alpha: float) -> np.ndarray:
    """Whether a unit's count of a category is improbably high for its size
    (binomial upper tail at the overall base rate ≤ ``unit_alpha``)."""
    return (counts >= 2) & (binom.sf(counts - 1, totals, base) <= unit_alpha)


@dataclass(frozen=True)
class Candidate:
    """One cluster found by one detector, before merging and ranking."""

    kind: str                       # overrepresented | near_duplicate | profile
    category: str
    unit_ids: tuple[str, ...]
    problem_ids: tuple[str, ...]
    score: float
    sector: str | None = None
    region_id: str | None = None
    p_value: float | None = None
    detail: Mapping[str, object] = field(default_factory=dict)


def benjamini_hochberg(p: np.ndarray, m: int | None = None) -> np.ndarray:
    """BH q-values of ``p`` when ``m`` tests were made in all (untested
    cells count as p = 1)."""
    p = np.asarray(p, dtype=float)
    m = max(m or len(p), len(p))
    if not len(p):
        return p
    order = np.argsort(p, kind="stable")
    ranked = p[order] * m / np.arange(1, len(p) + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1].clip(max=1.0)
    out = np.empty_like(q)
    out[order] = q
    return out


def _problem_groups(problems: pd.DataFrame, units: pd.DataFrame,
                    ancestors: Mapping[str, tuple[str, ...]]) -> pd.DataFrame:
    """problem_id, unit_id, category, dim, group: one row per (problem,
    sector) and per (problem, region at every level)."""
    p = problems[["problem_id", "unit_id", "category"]].dropna()
    info = units[["unit_id", "sector", "region_id"]].drop_duplicates("unit_id")
    p = p.merge(info, on="unit_id", how="left")
    by_sector = p.dropna(subset=["sector"]).assign(dim="sector", group=lambda f: f["sector"])
    rows = [(r, a) for r in p["region_id"].dropna().unique() for a in ancestors.get(r, (r,))]
    up = pd.DataFrame(rows, columns=["region_id", "group"])
    by_region = p.merge(up, on="region_id").assign(dim="region")
    both = by_region.dropna(subset=["sector"])
    both = both.assign(dim="sector_region", group=both["sector"] + SEP + both["group"])
    cols = ["problem_id", "unit_id", "category", "dim", "group"]
    return pd.concat([by_sector[cols], by_region[cols], both[cols]], ignore_index=True)


def overrepresented(problems: pd.DataFrame, units: pd.DataFrame,
                    ancestors: Mapping[str, tuple[str, ...]], *, min_units: int = 5,
                    alpha: float = 0.01, min_lift: float = 1.5,
                    unit_alpha: float = 0.01) -> list[Candidate]:
    """Sector × category and region × category cells well above base rate."""
    rows = _problem_groups(problems, units, ancestors)
    total = problems["category"].notna().sum()
    if rows.empty or total == 0:
        return []
    per_cat = problems["category"].value_counts()
    group_n = rows.groupby(["dim", "group"]).size().rename("n")
    cells = rows.groupby(["dim", "group", "category"]).size().rename("k").reset_index()
    cells = cells.join(group_n, on=["dim", "group"])
    cells = cells[cells["n"] < total]   # a region holding everything is no cell
    cells["K"] = per_cat.reindex(cells["category"]).to_numpy()
    cells["p"] = hypergeom.sf(cells["k"] - 1, total, cells["K"], cells["n"])
    tried = int((group_n < total).sum()) * len(per_cat)
    cells["q"] = benjamini_hochberg(cells["p"].to_numpy(), tried)
    cells["lift"] = (cells["k"] / cells["n"]) / (cells["K"] / total)
    hits = cells[(cells["q"] <= alpha) & (cells["lift"] >= min_lift) & (cells["k"] >= min_units)]
    if hits.empty:
        return []
    return _cell_clusters(rows, hits, per_cat / total, min_units, unit_alpha)


def _cell_clusters(rows: pd.DataFrame, hits: pd.DataFrame, base: pd.Series,
                   min_units: int, unit_alpha: float) -> list[Candidate]:
    """The units that drive each significant cell: those whose own count of
    the category is improbably high for their size (``excess_units``)."""
    cell = ["dim", "group", "category"]
    keyed = rows.merge(hits[["dim", "group"]].drop_duplicates(), on=["dim", "group"])
    per_unit = keyed.groupby(["dim", "group", "unit_id"]).size().rename("unit_n")
    in_cat = keyed.merge(hits[cell], on=cell)
    counts = in_cat.groupby([*cell, "unit_id"]).size().rename("c").reset_index()
    counts = counts.join(per_unit, on=["dim", "group", "unit_id"])
    above = counts[excess_units(counts["c"].to_numpy(), counts["unit_n"].to_numpy(),
                                base.reindex(counts["category"]).to_numpy(), unit_alpha)]
    drivers = in_cat.merge(above[[*cell, "unit_id"]], on=[*cell, "unit_id"])
    units_of = above.groupby(cell)["unit_id"].agg(lambda s: tuple(sorted(s)))
    problems_of = drivers.groupby(cell)["problem_id"].agg(lambda s: tuple(sorted(s)))
    out = []
    for h in hits.itertuples(index=False):
        unit_ids = units_of.get((h.dim, h.group, h.category), ())
        if len(unit_ids) < min_units:
            continue
        sector, _, region = (h.group.partition(SEP) if h.dim == "sector_region" else
                             (h.group, "", None) if h.dim == "sector" else (None, "", h.group))
        out.append(Candidate(
            "overrepresented", h.category, unit_ids, problems_of[(h.dim, h.group, h.category)],
            len(unit_ids) * (1.0 - 1.0 / h.lift), sector=sector, region_id=region or None,
            p_value=float(h.q),
            detail={"lift": round(float(h.lift), 3), "observed": int(h.k),
                    "expected": round(float(base[h.category] * h.n), 1), "raw_p": float(h.p)}))
    return out
