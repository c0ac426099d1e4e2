"""Systemic problem clusters (共性问题 / 普遍性、倾向性问题 / 行业性、系统性问题).

Three detectors, each a function of the problems table that can be run and
tested on its own:

* ``stats.overrepresented`` — a category concentrated in a sector or
  region well beyond its base rate (hypergeometric test, BH-corrected);
* ``text.near_duplicates`` — descriptions that say the same thing in
  different words across units (character n-gram TF-IDF cosine);
* ``profile.profiles`` — communities of units sharing an unusual
  combination of elevated categories (Poisson test, BH-corrected).

``find_clusters`` runs them, merges clusters that overlap (same category,
unit sets with Jaccard ≥ ``merge_overlap``: the stronger one is kept and
remembers the other detectors that found it), ranks them by score, and adds
who should own the fix (``dept_ids``: departments whose ``supervises`` covers
the category and whose region covers the cluster) and who should check
themselves before being inspected (``self_check_unit_ids``, 未巡先改: units
of the same sector or region that no round has inspected yet).

Score = number of units × strength, where strength is 1 − 1/lift for the two
tested kinds and the mean cosine similarity for near-duplicates: broad and
clear-cut clusters first.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


from linkgraph.analysis.clusters.profile import profiles
from linkgraph.analysis.clusters.scope import (dept_owners, never_inspected, scope_of,
                                               self_check_units)
from linkgraph.analysis.clusters.stats import Candidate, overrepresented
from linkgraph.analysis.clusters.text import near_duplicates
from linkgraph.analysis.conflicts.index import region_ancestors
from linkgraph.schema import Tables


KINDS = ("overrepresented", "near_duplicate", "profile")
KIND_ZH = {"overrepresented": "高发", "near_duplicate": "雷同", "profile": "画像相似"}


@dataclass(frozen=True)
class ClusterParams:
    """Thresholds, with the defaults the CLI shows."""

    min_units: int = 5
    alpha: float = 0.01
    min_lift: float = 1.5
    unit_alpha: float = 0.01
    similarity: float = 0.15
    common_share: float = 0.005
    common_min: int = 8
    max_common: float = 0.5
    profile_size: int = 3
    profile_ratio: float = 1.4
    merge_overlap: float = 0.5
    kinds: tuple[str, ...] = KINDS


@dataclass(frozen=True)
class Cluster:
    """One systemic problem cluster, ranked."""

    cluster_id: str
    label: str
    kind: str
    category: str
    sector: str | None
    region_id: str | None
    unit_ids: tuple[str, ...]
    problem_ids: tuple[str, ...]
    score: float
    p_value: float | None
    dept_ids: tuple[str, ...]
    self_check_unit_ids: tuple[str, ...]
    also_found_by: tuple[str, ...] = ()
    detail: Mapping[str, object] = field(default_factory=dict)

    def as_record(self) -> dict[str, object]:
        record = {f: getattr(self, f) for f in self.__dataclass_fields__ if f != "detail"}
        record.update({"n_units": len(self.unit_ids), "n_problems": len(self.problem_ids),
                       "n_self_check": len(self.self_check_unit_ids)})
        record.update(self.detail)
        return record


def merge_candidates(found: list[Candidate], overlap: float) -> list[tuple[Candidate, tuple]]:
    """Drop a cluster that overlaps a stronger one (same category, unit-set
    Jaccard ≥ ``overlap``); the kept one lists the other detectors."""
    ranked = sorted(found, key=lambda c: (-c.score, KINDS.index(c.kind), c.category,
                                          c.sector or "", c.region_id or "", c.unit_ids))
    kept: list[tuple[Candidate, set[str], frozenset[str]]] = []
    for cand in ranked:
        units = frozenset(cand.unit_ids)
        for k, (other, kinds, other_units) in enumerate(kept):
            if other.category == cand.category and \
                    len(units & other_units) >= overlap * len(units | other_units):
                kinds.add(cand.kind)
                break
        else:
            kept.append((cand, set(), units))
    return [(c, tuple(sorted(k - {c.kind}))) for c, k, _ in kept]


def label_for(c: Candidate, unit_names: Mapping[str, str], region_names: Mapping[str, str]) -> str:
    n = len(c.unit_ids)
    if c.kind == "overrepresented":
        where = f"{c.sector}系统" if c.sector else region_names.get(c.region_id, c.region_id)
        return f"{where}「{c.category}」问题高发：{n}个单位，为基准的{c.detail['lift']:.1f}倍"
    if c.kind == "near_duplicate":
        return f"「{c.detail['phrase']}」等{c.detail['variants']}种表述在{n}个单位重复出现"
    cats = "、".join(c.detail["categories"][:4])
    return f"{n}个单位问题画像相似：{cats}"


def find_clusters(tables: Tables, params: ClusterParams | None = None) -> list[Cluster]:
    """The ranked, merged clusters of all problems in ``tables``."""
    tables = getattr(tables, "tables", tables)
    params = params or ClusterParams()
    problems, units, regions = tables["problems"], tables["units"], tables["regions"]
    ancestors = region_ancestors(regions)
    found: list[Candidate] = []
    if "overrepresented" in params.kinds:
        found += overrepresented(problems, units, ancestors, min_units=params.min_units,
                                 alpha=params.alpha, min_lift=params.min_lift,
                                 unit_alpha=params.unit_alpha)
    if "near_duplicate" in params.kinds:
        found += near_duplicates(problems, similarity=params.similarity,
                                 common_share=params.common_share,
                                 common_min=params.common_min,
                                 max_common=params.max_common, min_units=params.min_units)
    if "profile" in params.kinds:
        found += profiles(problems, min_units=params.min_units, alpha=params.alpha,
                          size=params.profile_size, min_ratio=params.profile_ratio)
    merged = merge_candidates(found, params.merge_overlap)
    unit_names = dict(zip(units["unit_id"], units["name"]))
    region_names = dict(zip(regions["region_id"], regions["name"]))
    fresh = never_inspected(tables)
    out = []
    width = max(3, len(str(len(merged))))
    for rank, (c, others) in enumerate(merged, start=1):
        sector, region = scope_of(c, units, ancestors)
        out.append(Cluster(
            f"C{rank:0{width}d}", label_for(c, unit_names, region_names), c.kind, c.category,
            sector, region, c.unit_ids, c.problem_ids, round(float(c.score), 4), c.p_value,
            dept_owners(tables["departments"], c, units, ancestors),
            self_check_units(tables, sector, region, ancestors, fresh), others, dict(c.detail)))
    return out
