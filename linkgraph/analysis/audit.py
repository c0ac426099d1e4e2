"""巡审 linkage: audit findings (审计发现) matched to inspection problems.

Each audit finding is compared with every problem of the same unit:

    score = w × [same category] + (1 − w) × similarity of the descriptions

with similarity the cosine of character 2–3-gram TF-IDF vectors
(``ngrams.py``).  When either side has no category the score is the
similarity alone; when either has no description it is 1 for the same
category and 0 otherwise.  A pair at or above the threshold matches (印证); with
``best_only`` a finding keeps only its best-scoring problem(s).  ``w``, the
threshold and ``best_only`` are ``[audit]`` in the rules file.

This is the one definition of ``CORROBORATES``: the graph builder, Neo4j and
``linkgraph audit`` all use ``match_findings``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from linkgraph.analysis import ngrams
from linkgraph.analysis.ledger import Tables, label, names, timestamp
from linkgraph.errors import ConfigError
from linkgraph.rules import Rules, load_rules

MATCH_COLUMNS = ("finding_id", "problem_id", "unit_id", "same_category", "similarity",
                 "score")


@dataclass(frozen=True)
class MatchRule:
    category_weight: float = 0.4
    threshold: float = 0.55
    best_only: bool = True

    @classmethod
    def from_rules(cls, rules: Rules) -> "MatchRule":
        raw = rules.section("audit")
        w = raw.get("category_weight", cls.category_weight)
        t = raw.get("threshold", cls.threshold)
        best = raw.get("best_only", cls.best_only)
        for name, v in (("category_weight", w), ("threshold", t)):
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 1:
                raise ConfigError(f"{rules.source}: [audit] {name} 应在 0 到 1 之间"
                                  f" / must be a number from 0 to 1, got {v!r}")
        if not isinstance(best, bool):
            raise ConfigError(f"{rules.source}: [audit] best_only 应为 true/false, got {best!r}")
        return cls(float(w), float(t), best)


def candidate_scores(tables: Tables, rule: MatchRule) -> pd.DataFrame:
    """Every (finding, problem of the same unit) pair with its score."""
    audits = tables["audits"][["finding_id", "unit_id", "category", "description"]]
    problems = tables["problems"][["problem_id", "unit_id", "category", "description"]]
    problems = problems[problems["unit_id"].isin(set(audits["unit_id"]))]
    pairs = audits.merge(problems, on="unit_id", suffixes=("_f", "_p"))
    same = (pairs["category_f"] == pairs["category_p"]).to_numpy()
    has_categories = (pairs["category_f"].notna() & pairs["category_p"].notna()).to_numpy()
    df, dp = pairs["description_f"], pairs["description_p"]
    both = (df.notna() & dp.notna()).to_numpy()
    sim = np.zeros(len(pairs))
    if both.any():
        codes, uniques = pd.factorize(pd.concat([df[both], dp[both]], ignore_index=True))
        x = ngrams.tfidf(list(uniques))
        k = int(both.sum())
        sim[both] = ngrams.pair_cosine(x, codes[:k], codes[k:])
    w = rule.category_weight
    score = np.where(both, np.where(has_categories, w * same + (1 - w) * sim, sim),
                     same.astype(float))
    return pd.DataFrame({
        "finding_id": pairs["finding_id"].to_numpy(), "problem_id": pairs["problem_id"].to_numpy(),
        "unit_id": pairs["unit_id"].to_numpy(), "same_category": same,
        "similarity": np.where(both, sim.round(4), np.nan), "score": score.round(4)})


def match_findings(tables: Tables, rules: Rules | None = None,
                   scores: pd.DataFrame | None = None) -> pd.DataFrame:
    """The matching (finding, problem) pairs, sorted; columns MATCH_COLUMNS."""
    rule = MatchRule.from_rules(rules or load_rules())
    if scores is None:
        scores = candidate_scores(tables, rule)
    hit = scores[scores["score"] >= rule.threshold - 1e-9]
    if rule.best_only and len(hit):
        best = hit.groupby("finding_id")["score"].transform("max")
        hit = hit[hit["score"] >= best - 1e-9]
    return hit.sort_values(["finding_id", "problem_id"]).reset_index(drop=True)


@dataclass(frozen=True)
class AuditReport:
    """The 巡审 report: each part a DataFrame."""

    corroborated: pd.DataFrame  # matched pairs with both sides' details
    audit_only: pd.DataFrame  # findings in inspected units that no problem matches
    inspection_only: pd.DataFrame  # problems of audited units that no finding matches
    red_flag_units: pd.DataFrame  # audited units never inspected (by as_of)


def inspected_units(tables: Tables, as_of: pd.Timestamp) -> pd.DataFrame:
    """unit_id -> last inspection (round start; NaT if unknown), for units with
    an assignment in a round started by ``as_of`` or a problem found by then."""
    rounds = tables["rounds"].set_index("round_id")
    a = tables["assignments"][["unit_id", "round_id"]]
    a = a.assign(when=a["round_id"].map(rounds["start"]))
    a = a[~(a["when"] > as_of)]
    p = tables["problems"][["unit_id", "round_id", "found_date"]]
    p = p[~(p["found_date"] > as_of)]
    p = p.assign(when=p["round_id"].map(rounds["start"]).fillna(p["found_date"]))
    both = pd.concat([a[["unit_id", "round_id", "when"]], p[["unit_id", "round_id", "when"]]])
    both = both.sort_values(["unit_id", "when"], na_position="first")
    last = both.groupby("unit_id").agg(last_round_id=("round_id", "last"),
                                        last_inspection=("when", "max"))
    return last


def _as_of_tables(tables: Tables, as_of: pd.Timestamp) -> dict[str, pd.DataFrame]:
    out = dict(tables)
    out["audits"] = tables["audits"][~(tables["audits"]["audit_date"] > as_of)]
    out["problems"] = tables["problems"][~(tables["problems"]["found_date"] > as_of)]
    return out


def audit_report(tables: Tables, rules: Rules, as_of: dt.date | str) -> AuditReport:
    """Corroborated problems, audit-only findings, inspection-only problems and
    audit red flags in units not yet inspected, as the ledgers stood on ``as_of``."""
    as_of = timestamp(as_of)
    t = _as_of_tables(tables, as_of)
    rule = MatchRule.from_rules(rules)
    scores = candidate_scores(t, rule)
    matches = match_findings(t, rules, scores)
    units = names(t, "units")
    audits = t["audits"].assign(unit_name=label(t["audits"]["unit_id"], units))
    problems = t["problems"]
    inspected = inspected_units(t, as_of)
    corroborated = matches.merge(
        audits[["finding_id", "unit_name", "category", "description", "amount", "audit_date"]]
        .rename(columns={"category": "finding_category", "description": "finding_description"}),
        on="finding_id").merge(
        problems[["problem_id", "round_id", "category", "description", "found_date"]]
        .rename(columns={"category": "problem_category", "description": "problem_description"}),
        on="problem_id")
    best = scores.sort_values(["finding_id", "score", "problem_id"],
                              ascending=[True, False, True]).drop_duplicates("finding_id")
    best = best.set_index("finding_id")
    unmatched = audits[~audits["finding_id"].isin(set(matches["finding_id"]))]
    unmatched = unmatched.assign(
        best_problem_id=unmatched["finding_id"].map(best["problem_id"]),
        best_score=unmatched["finding_id"].map(best["score"]))
    in_inspected = unmatched["unit_id"].isin(inspected.index)
    audit_only = unmatched[in_inspected].join(inspected, on="unit_id")
    audit_only = audit_only[["finding_id", "unit_id", "unit_name", "category", "description",
                             "amount", "audit_date", "last_round_id", "last_inspection",
                             "best_problem_id", "best_score"]]
    audited = set(audits["unit_id"])
    inspection_only = problems[problems["unit_id"].isin(audited)
                               & ~problems["problem_id"].isin(set(matches["problem_id"]))]
    inspection_only = inspection_only.assign(unit_name=label(inspection_only["unit_id"], units))[
        ["problem_id", "unit_id", "unit_name", "round_id", "category", "description",
         "found_date"]]
    return AuditReport(
        corroborated=corroborated.sort_values(["finding_id", "problem_id"]).reset_index(drop=True),
        audit_only=audit_only.sort_values("finding_id").reset_index(drop=True),
        inspection_only=inspection_only.sort_values("problem_id").reset_index(drop=True),
        red_flag_units=_red_flag_units(t, unmatched[~in_inspected]))


def _red_flag_units(tables: Tables, findings: pd.DataFrame) -> pd.DataFrame:
    """Audited units never inspected: findings, amount, categories, latest audit."""
    cols = ["unit_id", "unit_name", "region_id", "sector", "findings", "amount",
            "categories", "finding_ids", "latest_audit_date"]
    if findings.empty:
        return pd.DataFrame(columns=cols)
    g = findings.groupby("unit_id")
    out = pd.DataFrame({
        "findings": g.size(), "amount": g["amount"].sum(min_count=1),
        "categories": g["category"].agg(lambda s: tuple(sorted(set(s.dropna())))),
        "finding_ids": g["finding_id"].agg(lambda s: tuple(sorted(s))),
        "latest_audit_date": g["audit_date"].max()}).reset_index()
    units = tables["units"].set_index("unit_id")
    out["unit_name"] = out["unit_id"].map(units["name"])
    out["region_id"] = out["unit_id"].map(units["region_id"])
    out["sector"] = out["unit_id"].map(units["sector"])
    out = out.sort_values(["findings", "amount", "unit_id"], ascending=[False, False, True],
                          na_position="last")
    return out[cols].reset_index(drop=True)
