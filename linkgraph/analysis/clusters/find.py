"""Systemic problem clusters (共性问题 / 普遍性、倾向性问题 / 行业性、系统性问题).

Problem categories are first harmonised onto the shipped taxonomy
(``linkgraph.categories``; the written label stays in ``category_written``
and in each cluster's ``detail["written"]``).  Three detectors, each a
function of the problems table that can be run and tested on its own:

Problems whose label names only an area or a branch (党的建设), or is a
vague label the taxonomy cannot place (四风问题), count for near-duplicates
but not for the two tests below: such a label says how a team writes.

* ``stats.overrepresented`` — a category concentrated in a sector or
  region well beyond its base rate (binomial tests, BH-corrected; base rates
  within strata — villages and communities vs the rest; a category with
  fewer than ``thin_problems`` problems is tested at its area; a category
  whose extra problems are not extra problems of its area is a sibling
  label, no cluster: ``siblings``);
* ``text.near_duplicates`` — descriptions that say the same thing in
  different words across units (clauses, boilerplate set aside, jieba words
  and 同义词词林 groups; see ``text``);
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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from linkgraph.analysis.clusters.clauses import own_names
from linkgraph.analysis.clusters.profile import profiles
from linkgraph.analysis.clusters.scope import (
    dept_owners,
    never_inspected,
    scope_of,
    self_check_units,
)
from linkgraph.analysis.clusters.stats import Candidate, overrepresented
from linkgraph.analysis.clusters.text import near_duplicates
from linkgraph.analysis.conflicts.index import region_ancestors
from linkgraph.categories import Decision, Taxonomy, harmonise_tables, load_taxonomy, normal
from linkgraph.rules import ClusterRules, Rules, load_rules
from linkgraph.schema import Tables

KINDS = ("overrepresented", "near_duplicate", "profile")
KIND_ZH = {"overrepresented": "高发", "near_duplicate": "雷同", "profile": "画像相似"}


def cluster_params(rules: Rules | None = None, **changes: Any) -> ClusterRules:
    """The ``[clusters]`` thresholds of ``rules`` (the shipped rules when
    None: ``linkgraph/data/rules.toml`` holds every default), with
    ``changes`` (a command's options) replacing some."""
    base = (rules if rules is not None else load_rules()).clusters
    return replace(base, **changes) if changes else base


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
    label_en: str = ""   # the label in English (``--lang en``)

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
        for _k, (other, kinds, other_units) in enumerate(kept):
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
        region = c.region_id or ""
        place = region_names.get(region, region)    # a sector within a region names both
        where = f"{place}{c.sector}系统" if c.sector else place
        return f"{where}「{c.category}」问题高发：{n}个单位，为基准的{c.detail['lift']:.1f}倍"
    if c.kind == "near_duplicate":
        return f"「{c.detail['phrase']}」等{c.detail['variants']}种表述在{n}个单位重复出现"
    cats = "、".join(c.detail["categories"][:4])
    return f"{n}个单位问题画像相似：{cats}"


def label_en_for(c: Candidate, region_names: Mapping[str, str]) -> str:
    """The label of :func:`label_for` in English (categories and names as written)."""
    n = len(c.unit_ids)
    if c.kind == "overrepresented":
        region = c.region_id or ""
        place = region_names.get(region, region)
        where = (f"the {c.sector} sector" + (f" of {place}" if place else "")) if c.sector \
            else place
        return (f"「{c.category}」 over-represented in {where}: {n} units, "
                f"{c.detail['lift']:.1f} times the baseline")
    if c.kind == "near_duplicate":
        return (f"{c.detail['variants']} wordings such as 「{c.detail['phrase']}」 recur in "
                f"{n} units")
    cats = ", ".join(c.detail["categories"][:4])
    return f"{n} units with a similar problem profile: {cats}"


def rolled_up(problems: pd.DataFrame, tax: Taxonomy, thin: int) -> pd.DataFrame:
    """Harmonised problems with each *thin* category (fewer than ``thin``
    problems: too few for a test to find anything) replaced by its area, the
    next level up; the area's own problems, and categories outside the
    taxonomy, stay as they are."""
    counts = problems["category"].value_counts()
    small = [c for c, n in counts.items() if n < thin and tax.area_of(c) not in (None, c)]
    if not small:
        return problems
    up = problems["category"].isin(small)
    return problems.assign(category=problems["category"].where(
        ~up, problems["category_area"]))


def find_clusters(tables: Tables, params: ClusterRules | None = None, *,
                  kinds: Sequence[str] = KINDS, taxonomy: Taxonomy | None = None,
                  decisions: Sequence[Decision] = ()) -> list[Cluster]:
    """The ranked, merged clusters of all problems in ``tables``, on the
    harmonised categories (the written ones in ``detail["written"]``), found
    by the detectors ``kinds`` with the thresholds ``params`` (the shipped
    ``[clusters]`` rules when None: ``cluster_params``)."""
    tables = getattr(tables, "tables", tables)
    params = params if params is not None else cluster_params()
    taxonomy = taxonomy or load_taxonomy()
    tables = harmonise_tables(tables, taxonomy, decisions)
    problems, units, regions = tables["problems"], tables["units"], tables["regions"]
    ancestors = region_ancestors(regions)
    found: list[Candidate] = []
    # a label that names only an area or a branch (党的建设), or a vague one
    # (四风问题, 作风问题: [match].vague), and whose description did not say more is how a team writes, not what it found:
    # such problems are not counted for over-representation or profiles
    # (one team labelling every problem 党的建设 would make its region "high")
    vague = problems["category_match"].eq("unresolved") & problems["category_written"].map(
        lambda w: isinstance(w, str) and normal(w) in taxonomy.vague)
    specific = problems[~problems["category_level"].isin(["area", "branch"]) & ~vague]
    if "overrepresented" in kinds:
        found += overrepresented(rolled_up(specific, taxonomy, params.thin_problems), units,
                                 ancestors, params, area_problems=problems)
    if "near_duplicate" in kinds:
        names = own_names(tables, problems["unit_id"].dropna().unique())
        found += near_duplicates(problems, params, names)
    if "profile" in kinds:
        found += profiles(specific, params, units=units)
    merged = merge_candidates(found, params.merge_overlap)
    written = problems.set_index("problem_id")["category_written"]
    written = written[~written.index.duplicated()]
    unit_names = dict(zip(units["unit_id"], units["name"]))
    region_names = dict(zip(regions["region_id"], regions["name"]))
    fresh = never_inspected(tables)
    out = []
    width = max(3, len(str(len(merged))))
    for rank, (c, others) in enumerate(merged, start=1):
        sector, region = scope_of(c, units, ancestors)
        labels = written.reindex(list(c.problem_ids)).dropna()
        detail = {**c.detail, "written": tuple(sorted(set(labels)))[:20]}
        out.append(Cluster(
            f"C{rank:0{width}d}", label_for(c, unit_names, region_names), c.kind, c.category,
            sector, region, c.unit_ids, c.problem_ids, round(float(c.score), 4), c.p_value,
            dept_owners(tables["departments"], c, units, ancestors),
            self_check_units(tables, sector, region, ancestors, fresh), others, detail,
            label_en_for(c, region_names)))
    return out
