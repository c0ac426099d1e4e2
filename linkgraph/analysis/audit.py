"""巡审 linkage: audit findings (审计发现) matched to inspection problems.

Each audit finding is compared with every problem of the same unit.  A pair
matches (印证) when

* both carry the same category (``same_category_matches``), or
* their descriptions are alike: the cosine of character 2–3-gram TF-IDF
  vectors (``ngrams.py``) is at least ``text_threshold`` — whatever the
  categories say, since an audit office files findings under its own
  categories.

The score ``w × [same category] + (1 − w) × similarity`` ranks the matches;
with ``best_only`` a finding keeps only its best-scoring problem(s), so the
edge points at the problem the finding most likely repeats.  All four knobs
are ``[audit]`` in the rules file.

Categories are compared and shown harmonised (``linkgraph.categories``: an
audit office's 违规发放津补贴 and a team's 违反中央八项规定精神 are both
八项规定), the labels as written beside them (``category_written``,
``finding_category_written``, ``problem_category_written``).

This is the one definition of ``CORROBORATES``: the graph builder, Neo4j and
``linkgraph audit`` all use ``match_findings``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from linkgraph.analysis import ngrams
from linkgraph.analysis.ledger import (codes, label, lookup, names, positions, take, timestamp,
                                       tuple_or_empty, tuples_by)
from linkgraph.categories import harmonise_tables
from linkgraph.rules import AuditRules, Rules, load_rules
from linkgraph.schema import Tables

MATCH_COLUMNS = ("finding_id", "problem_id", "unit_id", "same_category", "similarity",
                 "score")


#: ``[audit]`` of the rules (``rules.audit``)
MatchRule = AuditRules


def _same_unit_pairs(audit_units: pd.Series, problem_units: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Row positions (finding, problem) of every pair in the same unit."""
    unit, _ = codes(pd.concat([audit_units, problem_units], ignore_index=True))
    ua, up = unit[:len(audit_units)], unit[len(audit_units):]
    order = np.argsort(up, kind="stable")
    starts = np.searchsorted(up[order], ua, "left")
    counts = np.searchsorted(up[order], ua, "right") - starts
    fi = np.repeat(np.arange(len(ua)), counts)
    offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    return fi, order[np.repeat(starts, counts) + offsets]


def _similarity(desc_f: pd.Series, desc_p: pd.Series, fi: np.ndarray,
                pi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(both described, cosine) per pair; each distinct text pair computed once."""
    text, _ = codes(pd.concat([desc_f, desc_p], ignore_index=True))
    cf, cp = text[:len(desc_f)][fi], text[len(desc_f):][pi]
    both = (cf >= 0) & (cp >= 0)
    sim = np.zeros(len(fi))
    if both.any():
        n = int(text.max()) + 1
        keys, inverse = np.unique(cf[both].astype(np.int64) * n + cp[both], return_inverse=True)
        used, local = np.unique(np.concatenate([keys // n, keys % n]), return_inverse=True)
        texts = pd.concat([desc_f, desc_p], ignore_index=True).to_numpy()
        first = np.full(n, -1, dtype=np.int64)
        rows = np.flatnonzero(text >= 0)[::-1]
        first[text[rows]] = rows  # the first row holding each text
        x = ngrams.tfidf(texts[first[used]].tolist())
        sim[both] = ngrams.pair_cosine(x, local[:len(keys)], local[len(keys):])[inverse.ravel()]
    return both, sim


@dataclass(frozen=True)
class _Pairs:
    """Every (finding, problem of the same unit) pair, by row position."""

    finding: np.ndarray
    problem: np.ndarray
    same_category: np.ndarray
    similarity: np.ndarray  # NaN where a description is missing
    score: np.ndarray


def _pairs(audits: pd.DataFrame, problems: pd.DataFrame, rule: MatchRule) -> _Pairs:
    fi, pi = _same_unit_pairs(audits["unit_id"], problems["unit_id"])
    cat, _ = codes(pd.concat([audits["category"], problems["category"]], ignore_index=True))
    cf, cp = cat[:len(audits)][fi], cat[len(audits):][pi]
    same = (cf == cp) & (cf >= 0)
    both, sim = _similarity(audits["description"], problems["description"], fi, pi)
    w = rule.category_weight
    score = (w * same + (1 - w) * sim).round(4)
    return _Pairs(fi, pi, same, np.where(both, sim.round(4), np.nan), score)


def _selected(pairs: _Pairs, n_findings: int, rule: MatchRule) -> np.ndarray:
    """Which pairs match (same category, or descriptions alike), and with
    best_only only at the finding's best score."""
    keep = np.nan_to_num(pairs.similarity) >= rule.text_threshold - 1e-9
    if rule.same_category_matches:
        keep |= pairs.same_category
    if rule.best_only and keep.any():
        best = np.full(n_findings, -1.0)
        np.maximum.at(best, pairs.finding[keep], pairs.score[keep])
        keep &= pairs.score >= best[pairs.finding] - 1e-9
    return keep


def _audited_problems(tables: Tables) -> pd.DataFrame:
    problems = tables["problems"]
    return problems[problems["unit_id"].isin(set(tables["audits"]["unit_id"]))]


def _pair_frame(audits: pd.DataFrame, problems: pd.DataFrame, pairs: _Pairs,
                rows: np.ndarray | slice = slice(None)) -> pd.DataFrame:
    fi, pi = pairs.finding[rows], pairs.problem[rows]
    out = pd.DataFrame({
        "finding_id": pd.Series(audits["finding_id"].to_numpy()[fi], dtype=object),
        "problem_id": pd.Series(problems["problem_id"].to_numpy()[pi], dtype=object),
        "unit_id": pd.Series(audits["unit_id"].to_numpy()[fi], dtype=object),
        "same_category": pairs.same_category[rows], "similarity": pairs.similarity[rows],
        "score": pairs.score[rows]})
    return out.sort_values(["finding_id", "problem_id"]).reset_index(drop=True)


def candidate_scores(tables: Tables, rule: MatchRule) -> pd.DataFrame:
    """Every (finding, problem of the same unit) pair with its score."""
    tables = harmonise_tables(tables)
    problems = _audited_problems(tables)
    return _pair_frame(tables["audits"], problems, _pairs(tables["audits"], problems, rule))


def match_findings(tables: Tables, rules: Rules | None = None) -> pd.DataFrame:
    """The matching (finding, problem) pairs, sorted; columns MATCH_COLUMNS."""
    rule = (rules or load_rules()).audit
    tables = harmonise_tables(tables)
    audits, problems = tables["audits"], _audited_problems(tables)
    pairs = _pairs(audits, problems, rule)
    return _pair_frame(audits, problems, pairs, _selected(pairs, len(audits), rule))


@dataclass(frozen=True)
class AuditReport:
    """The 巡审 report: each part a DataFrame."""

    corroborated: pd.DataFrame  # matched pairs with both sides' details
    audit_only: pd.DataFrame  # findings in inspected units that no problem matches
    inspection_only: pd.DataFrame  # problems of audited units that no finding matches
    red_flag_units: pd.DataFrame  # audited units never inspected (by as_of)


def inspected_units(tables: Tables, as_of: pd.Timestamp) -> pd.DataFrame:
    """unit_id -> last_round_id, last_inspection (round start, else the
    problem's found_date; NaT if unknown), for units with an assignment in a
    round started by ``as_of`` or a problem found by then."""
    start = tables["rounds"].set_index("round_id")["start"]
    a = tables["assignments"][["unit_id", "round_id"]]
    p = tables["problems"]
    p = p[~(p["found_date"] > as_of)]
    with_round = p.loc[p["round_id"].notna(), ["unit_id", "round_id"]].drop_duplicates()
    no_round = p[p["round_id"].isna()].groupby("unit_id")["found_date"].max()
    both = pd.concat([a, with_round]).drop_duplicates()
    both = both.assign(when=lookup(both["round_id"], start).astype("datetime64[ns]"))
    both = both[~(both["when"] > as_of)]
    both = pd.concat([both, pd.DataFrame({"unit_id": no_round.index, "round_id": None,
                                          "when": no_round.to_numpy()})])
    both = both.sort_values(["unit_id", "when"], na_position="first", kind="stable")
    last = both.groupby("unit_id").agg(last_round_id=("round_id", "last"),
                                        last_inspection=("when", "max"))
    return last


def _as_of_tables(tables: Tables, as_of: pd.Timestamp) -> dict[str, pd.DataFrame]:
    out = dict(tables)
    out["audits"] = tables["audits"][~(tables["audits"]["audit_date"] > as_of)]
    out["problems"] = tables["problems"][~(tables["problems"]["found_date"] > as_of)]
    return out


def _best(pairs: _Pairs, n_findings: int) -> tuple[np.ndarray, np.ndarray]:
    """Per finding, the row of its best-scoring problem (the first such row on
    a tie; -1 if none) and the score."""
    score = np.full(n_findings, -np.inf)
    np.maximum.at(score, pairs.finding, pairs.score)
    top = pairs.score >= score[pairs.finding] - 1e-9
    row = np.full(n_findings, np.iinfo(np.int64).max)
    np.minimum.at(row, pairs.finding[top], pairs.problem[top])
    none = np.isinf(score)
    return np.where(none, -1, row), np.where(none, np.nan, score)


def audit_report(tables: Tables, rules: Rules, as_of: dt.date | str,
                 inspected: pd.DataFrame | None = None) -> AuditReport:
    """Corroborated problems, audit-only findings, inspection-only problems and
    audit red flags in units not yet inspected, as the ledgers stood on
    ``as_of`` (``inspected``: ``inspected_units`` if already computed)."""
    as_of = timestamp(as_of)
    t = _as_of_tables(harmonise_tables(tables), as_of)
    rule = rules.audit
    audits, problems = t["audits"], _audited_problems(t)
    pairs = _pairs(audits, problems, rule)
    chosen = _selected(pairs, len(audits), rule)
    units = names(t, "units")
    audits = audits.assign(unit_name=label(audits["unit_id"], units))
    inspected = inspected_units(t, as_of) if inspected is None else inspected
    corroborated = _corroborated(audits, problems, pairs, chosen)
    best_row, best_score = _best(pairs, len(audits))
    matched = np.zeros(len(audits), dtype=bool)
    matched[pairs.finding[chosen]] = True
    audits = audits.assign(best_problem_id=take(problems["problem_id"], best_row, audits.index),
                           best_score=best_score)
    unmatched = audits[~matched]
    in_inspected = unmatched["unit_id"].isin(inspected.index)
    audit_only = unmatched[in_inspected].join(inspected, on="unit_id")
    audit_only = audit_only[["finding_id", "unit_id", "unit_name", "category",
                             "category_written", "description", "amount", "audit_date", "last_round_id", "last_inspection",
                             "best_problem_id", "best_score"]]
    problem_matched = np.zeros(len(problems), dtype=bool)
    problem_matched[pairs.problem[chosen]] = True
    inspection_only = problems[~problem_matched]
    inspection_only = inspection_only.assign(unit_name=label(inspection_only["unit_id"], units))[
        ["problem_id", "unit_id", "unit_name", "round_id", "category", "category_written",
         "description", "found_date"]]
    return AuditReport(
        corroborated=corroborated.sort_values(["finding_id", "problem_id"]).reset_index(drop=True),
        audit_only=audit_only.sort_values("finding_id").reset_index(drop=True),
        inspection_only=inspection_only.sort_values("problem_id").reset_index(drop=True),
        red_flag_units=_red_flag_units(t, unmatched[~in_inspected]))


def _corroborated(audits: pd.DataFrame, problems: pd.DataFrame, pairs: _Pairs,
                  chosen: np.ndarray) -> pd.DataFrame:
    """The matched pairs with both sides' details."""
    out = _pair_frame(audits, problems, pairs, chosen)
    fpos = positions(audits["finding_id"], out["finding_id"])
    ppos = positions(problems["problem_id"], out["problem_id"])
    for col, source in (("unit_name", "unit_name"), ("finding_category", "category"),
                        ("finding_category_written", "category_written"),
                        ("finding_description", "description"), ("amount", "amount"),
                        ("audit_date", "audit_date")):
        out[col] = take(audits[source], fpos, out.index)
    for col, source in (("round_id", "round_id"), ("problem_category", "category"),
                        ("problem_category_written", "category_written"),
                        ("problem_description", "description"), ("found_date", "found_date")):
        out[col] = take(problems[source], ppos, out.index)
    return out


def _red_flag_units(tables: Tables, findings: pd.DataFrame) -> pd.DataFrame:
    """Audited units never inspected: findings, amount, categories, latest audit."""
    cols = ["unit_id", "unit_name", "region_id", "sector", "findings", "amount",
            "categories", "finding_ids", "latest_audit_date"]
    if findings.empty:
        return pd.DataFrame(columns=cols)
    g = findings.groupby("unit_id")
    out = pd.DataFrame({
        "findings": g.size(), "amount": g["amount"].sum(min_count=1),
        "latest_audit_date": g["audit_date"].max()})
    out["categories"] = tuple_or_empty(out.index.to_series().map(
        tuples_by(findings["unit_id"], findings["category"])))
    out["finding_ids"] = out.index.to_series().map(
        tuples_by(findings["unit_id"], findings["finding_id"]))
    out = out.reset_index()
    units = tables["units"].set_index("unit_id")
    out["unit_name"] = out["unit_id"].map(units["name"])
    out["region_id"] = out["unit_id"].map(units["region_id"])
    out["sector"] = out["unit_id"].map(units["sector"])
    out = out.sort_values(["findings", "amount", "unit_id"], ascending=[False, False, True],
                          na_position="last")
    return out[cols].reset_index(drop=True)
