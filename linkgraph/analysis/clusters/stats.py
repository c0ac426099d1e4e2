"""Over-representation: a problem category concentrated in one sector or
region well beyond its base rate (行业性、系统性问题 / 区域性问题).

First each unit: it has an *excess* of a category when its count is
improbably high for its size (binomial upper tail at the category's overall
share ≤ ``unit_alpha``).  Then each cell — a sector, a region at any level (a
town's units also count for its county), or a sector within a region — ×
category: how likely is it that at least the observed number of its units
have an excess, if units everywhere had one at the overall rate — or that
its units have at least the observed number of problems of the category,
at the category's overall share (binomial upper tails; the smaller, doubled,
is the cell's p-value: the first finds a few clear units in a large region,
the second a broad excess of a common category)?  The p-values are corrected with Benjamini–Hochberg over all the
cells tried in each family — sectors; regions of one level (all counties,
all towns, …); sectors within the regions of one level — cells with no
excess unit counting as p = 1.  (One family per administrative level, so
that the many towns do not drown a county-wide cluster.)  A cell is reported when its q-value is
at most ``alpha`` and its lift (observed ÷ expected, of the deciding test) at
least ``min_lift``.  Its units are those with an excess of their own (or,
if fewer than ``min_units``, within 5 × ``unit_alpha``); at least
``min_units`` of them.

Counting units rather than problems keeps one unit with thirty problems from
making a "systemic" cluster, and finds a handful of units with a clear
excess inside a large region where the extra problems alone would drown.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.stats import binom

from linkgraph.analysis.clusters.siblings import area_confirmed
from linkgraph.rules import ClusterRules

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
    detail: Mapping[str, Any] = field(default_factory=dict)


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


def _memberships(units: pd.DataFrame, unit_ids: pd.Index,
                 ancestors: Mapping[str, tuple[str, ...]]) -> pd.DataFrame:
    """unit_id, dim, group for the units with problems: its sector, its region
    at every level, and its sector within each of those regions.  Groups
    holding every unit, and sector-within-region groups holding the whole
    sector, are no cells."""
    info = units[["unit_id", "sector", "region_id"]].drop_duplicates("unit_id")
    info = info[info["unit_id"].isin(unit_ids)]
    rows = [(r, a) for r in info["region_id"].dropna().unique() for a in ancestors.get(r, (r,))]
    up = pd.DataFrame(rows, columns=["region_id", "group"])
    by_region = info.merge(up, on="region_id").assign(dim="region")
    by_sector = info.dropna(subset=["sector"]).assign(dim="sector", group=lambda f: f["sector"])
    both = by_region.dropna(subset=["sector"])
    both = both.assign(dim="sector_region", group=both["sector"] + SEP + both["group"])
    sector_n = by_sector.groupby("sector").size()
    both = both[both.groupby("group")["unit_id"].transform("size").to_numpy()
                < sector_n.reindex(both["sector"]).to_numpy()]
    out = pd.concat([by_sector, by_region, both], ignore_index=True)[["unit_id", "dim", "group"]]
    size = out.groupby(["dim", "group"])["unit_id"].transform("size")
    return out[size < len(unit_ids)]


def _families(groups: pd.MultiIndex, ancestors: Mapping[str, tuple[str, ...]]) -> pd.Series:
    """The family each (dim, group) cell is corrected in: sectors; regions of
    one depth in the hierarchy (all counties, all towns, …); sectors within
    the regions of one depth."""
    out = []
    for dim, group in groups:
        region = group.partition(SEP)[2] if dim == "sector_region" else group
        out.append(dim if dim == "sector" else f"{dim}@{len(ancestors.get(region, ()))}")
    return pd.Series(out, index=groups)


#: unit levels, kinds or sectors that make a unit a village or community
#: (对村巡察): their category mix differs from the offices' (三资 only there,
#: no 选人用人); compared as written, after NFKC (so 村（社区） = 村(社区))
VILLAGE_WORDS = frozenset({"村", "社区", "村级", "社区级", "村(社区)", "村社区", "行政村",
                           "居委会", "村委会", "社区居委会", "村民委员会", "居民委员会",
                           "村党组织", "村党支部", "社区党组织"})


def unit_strata(units: pd.DataFrame, unit_ids: pd.Index) -> np.ndarray:
    """Per unit of ``unit_ids``: 1 for a village or community (by its level,
    kind or sector), 0 otherwise.  Base rates are taken within each stratum,
    so that a category villages never have does not look over-represented
    in every office sector."""
    import unicodedata

    info = units.drop_duplicates("unit_id").set_index("unit_id").reindex(unit_ids)
    village = np.zeros(len(unit_ids), dtype=bool)
    for col in ("level", "kind", "sector"):
        if col in info.columns:
            village |= np.array([isinstance(v, str) and unicodedata.normalize("NFKC", v).strip()
                                 in VILLAGE_WORDS for v in info[col]], dtype=bool)
    return village.astype(np.int64)


def stratum_rates(M: np.ndarray, stratum: np.ndarray, *, share: bool) -> np.ndarray:
    """Per unit × category: the category's share of the problems of the
    unit's stratum (``share``), or the mean of ``M`` over the stratum.  A
    stratum too small to estimate from (fewer than 20 units) takes the
    overall figure."""
    def rates(rows: np.ndarray) -> np.ndarray:
        sub = M[rows]
        return sub.sum(axis=0) / max(sub.sum(), 1e-12) if share else sub.mean(axis=0)

    overall = rates(np.arange(len(M)))
    out = np.tile(overall, (len(M), 1))
    for s in np.unique(stratum):
        rows = np.flatnonzero(stratum == s)
        if 20 <= len(rows) < len(M):
            out[rows] = rates(rows)
    return out


def unit_matrix(problems: pd.DataFrame) -> tuple[np.ndarray, pd.Index, pd.Index]:
    """units × categories problem counts (dense: categories are few), for
    the units with problems, both axes sorted."""
    p = problems[["unit_id", "category"]].dropna()
    units = pd.Index(np.sort(p["unit_id"].unique()))
    cats = pd.Index(np.sort(p["category"].unique()))
    A = np.zeros((len(units), len(cats)), dtype=np.int64)
    np.add.at(A, (units.get_indexer(p["unit_id"]), cats.get_indexer(p["category"])), 1)
    return A, units, cats


def overrepresented(problems: pd.DataFrame, units: pd.DataFrame,
                    ancestors: Mapping[str, tuple[str, ...]],
                    params: ClusterRules,
                    area_problems: pd.DataFrame | None = None) -> list[Candidate]:
    """Sector, region and sector-within-region × category cells well above
    the base rate, by excess units or by problems (``params``: ``min_units``,
    ``alpha``, ``min_lift``, ``unit_alpha``).  With ``area_problems`` (every
    harmonised problem: ``unit_id``, ``category``, ``category_area``), a
    category is kept only where at least half its extra problems are extra
    problems of its area (``siblings``: otherwise the teams there only chose
    a sibling label for the same findings)."""
    min_units, alpha, unit_alpha = params.min_units, params.alpha, params.unit_alpha
    A, unit_ids, cats = unit_matrix(problems)
    if not A.size:
        return []
    size = A.sum(axis=1, keepdims=True)
    stratum = unit_strata(units, unit_ids)
    base = stratum_rates(A.astype(float), stratum, share=True)
    p_unit = binom.sf(A - 1, size, base)
    excess = excess_units(A, size, base, unit_alpha)
    rate = stratum_rates(excess.astype(float), stratum, share=False)
    member = _memberships(units, unit_ids, ancestors)
    member = member[member.groupby(["dim", "group"])["unit_id"].transform("size") >= min_units]
    groups = member[["dim", "group"]].drop_duplicates().sort_values(["dim", "group"])
    cells = _cell_stats(A, excess, base, rate, member, groups, unit_ids, cats)
    family = _families(pd.MultiIndex.from_frame(groups), ancestors)
    cells["family"] = family.reindex(pd.MultiIndex.from_frame(cells[["dim", "group"]])).to_numpy()
    tried = family.value_counts() * len(cats)
    cells["q"] = 1.0
    for fam, idx in cells.groupby("family").groups.items():   # BH within each family
        cells.loc[idx, "q"] = benjamini_hochberg(cells.loc[idx, "p"].to_numpy(),
                                                 int(tried[fam]))
    hits = cells[(cells["q"] <= alpha) & (cells["lift"] >= params.min_lift)]
    if area_problems is not None and "category_area" in problems.columns:
        area_of = dict(zip(problems["category"], problems["category_area"]))
        hits = area_confirmed(hits, member, unit_ids, area_problems, area_of,
                              lambda B: stratum_rates(B, stratum, share=True))
    rows = _hit_rows(A, p_unit, member, hits, unit_ids, cats)
    return _cell_clusters(problems, rows, hits, min_units, unit_alpha)


def _cell_stats(A: np.ndarray, excess: np.ndarray, base: np.ndarray, rate: np.ndarray,
                member: pd.DataFrame, groups: pd.DataFrame, unit_ids: pd.Index,
                cats: pd.Index) -> pd.DataFrame:
    """Per (dim, group, category): excess units e of n, problems k of N, and
    p = 2 × the smaller of the two binomial tails (units at the excess rate
    of their stratum; problems at the category's share in their stratum),
    with the matching lift.  ``base`` and ``rate`` are per unit × category."""
    g = pd.MultiIndex.from_frame(groups).get_indexer(
        pd.MultiIndex.from_frame(member[["dim", "group"]]))
    G = sparse.csr_matrix((np.ones(len(member)), (g, unit_ids.get_indexer(member["unit_id"]))),
                          shape=(len(groups), len(unit_ids)))
    e, k = G @ excess.astype(float), G @ A.astype(float)
    n = np.asarray(G.sum(axis=1)).ravel()
    N = G @ A.sum(axis=1).astype(float)
    expected_e = (G @ rate).ravel()
    expected_k = (G @ (A.sum(axis=1, keepdims=True) * base)).ravel()
    nn, NN = np.repeat(n, len(cats)), np.repeat(N, len(cats))
    ee, kk = e.ravel(), k.ravel()
    rr = np.clip(expected_e / np.maximum(nn, 1), 0.0, 1.0)
    bb = np.clip(expected_k / np.maximum(NN, 1), 0.0, 1.0)
    p_units = np.where(ee > 0, binom.sf(ee - 1, nn, rr), 1.0)
    p_problems = binom.sf(kk - 1, NN, bb)
    by_units = p_units <= p_problems
    # a category a stratum never has (三资 outside villages) has base 0 there:
    # its lift is 0/0 in cells without it (dropped below) — no warning for that
    with np.errstate(divide="ignore", invalid="ignore"):
        lift = np.where(by_units, ee / np.maximum(nn * rr, 1e-12), (kk / NN) / bb)
    cells = pd.DataFrame({
        "dim": np.repeat(groups["dim"].to_numpy(), len(cats)),
        "group": np.repeat(groups["group"].to_numpy(), len(cats)),
        "category": np.tile(cats.to_numpy(dtype=object), len(groups)),
        "e": ee.astype(int), "k": kk.astype(int), "n": nn.astype(int), "N": NN, "base": bb,
        "p": np.minimum(1.0, 2 * np.minimum(p_units, p_problems)),
        "lift": lift,
        "test": np.where(by_units, "units", "problems")})
    return cells[(cells["k"] > 0)].reset_index(drop=True)


def _hit_rows(A: np.ndarray, p_unit: np.ndarray, member: pd.DataFrame, hits: pd.DataFrame,
              unit_ids: pd.Index, cats: pd.Index) -> pd.DataFrame:
    """unit_id, dim, group, category, c, p_unit for the units of the hit cells."""
    rows = member.merge(hits[["dim", "group", "category"]], on=["dim", "group"])
    u, c = unit_ids.get_indexer(rows["unit_id"]), cats.get_indexer(rows["category"])
    return rows.assign(c=A[u, c], p_unit=p_unit[u, c])


def _drivers(rows: pd.DataFrame, unit_alpha: float, min_units: int) -> list[str]:
    """The units that make the cell: those with an excess of their own
    (per-unit tail ≤ ``unit_alpha``), or, if fewer than ``min_units`` do,
    those within five times that; none if still too few."""
    for level in (unit_alpha, 5 * unit_alpha):
        chosen = rows[(rows["p_unit"] <= level) & (rows["c"] >= 2)]
        if len(chosen) >= min_units:
            return chosen["unit_id"].tolist()
    return []


def _cell_clusters(problems: pd.DataFrame, rows: pd.DataFrame, hits: pd.DataFrame,
                   min_units: int, unit_alpha: float) -> list[Candidate]:
    """One candidate per significant cell: its driving units and their
    problems of the category."""
    cell = ["dim", "group", "category"]
    rows = rows.merge(hits[cell], on=cell)
    by_cell = dict(tuple(rows.groupby(cell, sort=True)))
    out = []
    for h in hits.sort_values(cell).itertuples(index=False):
        unit_ids = tuple(sorted(_drivers(by_cell[(h.dim, h.group, h.category)], unit_alpha,
                                         min_units)))
        if len(unit_ids) < min_units:
            continue
        mask = problems["unit_id"].isin(unit_ids) & (problems["category"] == h.category)
        sector, _, region = (h.group.partition(SEP) if h.dim == "sector_region" else
                             (h.group, "", None) if h.dim == "sector" else (None, "", h.group))
        out.append(Candidate(
            "overrepresented", h.category, unit_ids,
            tuple(sorted(problems.loc[mask, "problem_id"])),
            len(unit_ids) * (1.0 - 1.0 / h.lift), sector=sector, region_id=region or None,
            p_value=float(h.q),
            detail={"lift": round(float(h.lift), 3), "test": h.test,
                    "units_in_group": int(h.n), "excess_units": int(h.e),
                    "problems": int(h.k), "expected_problems": round(float(h.N * h.base), 1),
                    "raw_p": float(h.p)}))
    return out
