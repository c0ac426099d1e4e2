"""Where a cluster applies and who acts on it: its sector and region, the
departments that should own the system-wide fix, and the not-yet-inspected
units that should check themselves (未巡先改)."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

import pandas as pd

from linkgraph.analysis.clusters.stats import Candidate

Ancestors = Mapping[str, tuple[str, ...]]

#: a cluster's sector is the sector of at least this share of its units
SECTOR_SHARE = 0.8


def common_region(regions: Iterable[str], ancestors: Ancestors) -> str | None:
    """The smallest region containing all of ``regions`` (None if none)."""
    chains = [ancestors.get(r, (r,)) for r in dict.fromkeys(regions)]
    if not chains:
        return None
    shared = set(chains[0]).intersection(*map(set, chains[1:]))
    return next((r for r in chains[0] if r in shared), None)


def _unit_regions(units: pd.DataFrame, unit_ids: Iterable[str]) -> list[str]:
    where = units.set_index("unit_id")["region_id"]
    where = where[~where.index.duplicated()]
    return [r for r in where.reindex(list(unit_ids)).dropna()]


def scope_of(c: Candidate, units: pd.DataFrame, ancestors: Ancestors) -> tuple[str | None,
                                                                              str | None]:
    """(sector, region_id): the detector's own, else the sector shared by most
    units and the smallest region containing them all."""
    sector, region = c.sector, c.region_id
    if sector is None and c.region_id is None:
        sectors = units[units["unit_id"].isin(c.unit_ids)]["sector"].dropna()
        top = Counter(sectors).most_common(1)
        if top and top[0][1] >= SECTOR_SHARE * len(c.unit_ids):
            sector = top[0][0]
    if region is None:
        region = common_region(_unit_regions(units, c.unit_ids), ancestors)
    return sector, region


def dept_owners(departments: pd.DataFrame, c: Candidate, units: pd.DataFrame,
                ancestors: Ancestors) -> tuple[str, ...]:
    """Departments supervising the cluster's category (or, for a profile,
    any of its categories) whose region covers all the cluster's units; if
    none does, those whose region covers some of them."""
    cats = set(c.detail.get("categories", ())) | {c.category}
    supervising = departments[[bool(cats & set(s or ())) for s in departments["supervises"]]]
    if supervising.empty:
        return ()
    regions = _unit_regions(units, c.unit_ids)
    scope = common_region(regions, ancestors)
    covering = set(ancestors.get(scope, (scope,))) if scope else set()
    whole = supervising[supervising["region_id"].isna()
                        | supervising["region_id"].isin(covering)]
    if whole.empty:
        touched = {a for r in set(regions) for a in ancestors.get(r, (r,))}
        whole = supervising[supervising["region_id"].isin(touched)]
    return tuple(sorted(whole["dept_id"]))


def never_inspected(tables: Mapping[str, pd.DataFrame]) -> pd.Series:
    """unit_id -> True for units with no assignment and no problem in any round."""
    seen = set(tables["assignments"]["unit_id"].dropna()) | set(tables["problems"]["unit_id"])
    units = tables["units"]
    return pd.Series(~units["unit_id"].isin(seen).to_numpy(), index=units["unit_id"].to_numpy())


def self_check_units(tables: Mapping[str, pd.DataFrame], sector: str | None,
                     region: str | None, ancestors: Ancestors,
                     fresh: pd.Series | None = None) -> tuple[str, ...]:
    """Units of the cluster's sector (within its region) or of its region that
    no round has inspected yet."""
    if sector is None and region is None:
        return ()
    units = tables["units"]
    fresh = never_inspected(tables) if fresh is None else fresh
    mask = fresh.reindex(units["unit_id"]).fillna(False).to_numpy(dtype=bool).copy()
    if sector is not None:
        mask &= (units["sector"] == sector).to_numpy()
    if region is not None:
        inside = {r for r, chain in ancestors.items() if region in chain}
        mask &= units["region_id"].isin(inside).to_numpy()
    return tuple(sorted(units.loc[mask, "unit_id"]))


#: What makes an uninspected unit like a cluster's units, and how it reads.
LIKENESS = (("kind", "同为{v}", "also a {v}"), ("level", "同为{v}", "also {v}"),
            ("region_id", "同在{v}", "also in {v}"), ("sector", "同属{v}系统", "also in {v}"))


def rank_self_check(tables: Mapping[str, pd.DataFrame], cluster_unit_ids: Iterable[str],
                    candidate_ids: Iterable[str], top: int | None = 10,
                    lang: str = "zh") -> list[dict]:
    """The units that should self-check, most like the cluster's own first:
    likeness = mean over unit kind, level, region and sector of the share of
    the cluster's units that share the candidate's value; each with the
    reason in words.  ``top`` caps the list (None = all)."""
    units = tables["units"].drop_duplicates("unit_id").set_index("unit_id")
    region_names = tables["regions"].drop_duplicates("region_id").set_index(
        "region_id")["name"] if "regions" in tables else pd.Series(dtype=object)
    own = units.reindex([u for u in dict.fromkeys(cluster_unit_ids) if u in units.index])
    if own.empty:
        return []
    counts = {f: own[f].value_counts() for f, _, _ in LIKENESS if f in own}
    ranked = []
    for u in dict.fromkeys(candidate_ids):
        if u not in units.index:
            continue
        row, shares, words = units.loc[u], [], []
        for f, zh, en in LIKENESS:
            v = row.get(f)
            n = int(counts[f].get(v, 0)) if f in counts and isinstance(v, str) else 0
            shares.append(n / len(own))
            if n * 2 >= len(own) and n:
                shown = str(region_names.get(v, v)) if f == "region_id" else str(v)
                if f in ("level", "kind"):      # 县级 -> county-level, 事业单位 -> public institution
                    from linkgraph.catalogue import label

                    shown = label("unit_level" if f == "level" else "unit_kind", shown, lang)
                words.append((en if lang == "en" else zh).format(v=shown) +
                             (f" ({n}/{len(own)})" if lang == "en" else f"（{n}/{len(own)}）"))
        likeness = round(sum(shares) / len(shares), 4)
        reason = ("; ".join(words) if lang == "en" else "，".join(words)) or \
            ("same sector or region only" if lang == "en" else "仅同系统或同区域")
        ranked.append({"unit_id": u, "unit_name": row.get("name"), "likeness": likeness,
                       "self_check_reason": reason})
    ranked.sort(key=lambda r: (-r["likeness"], r["unit_id"]))
    ranked = [{"rank": k, **r} for k, r in enumerate(ranked, start=1)]
    return ranked if top is None else ranked[:top]
