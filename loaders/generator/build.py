"""``generate()``: the stages of the build, in order, and the truth."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from linkgraph.schema import TABLES
from loaders.generator import truth as T
from loaders.generator.audits import build_audits, build_petitions
from loaders.generator.clusters import Cluster, plant_clusters
from loaders.generator.crossround import Cross, build_cross
from loaders.generator.lead_plants import plant_lead_anomalies
from loaders.generator.leads import build_leads, departments
from loaders.generator.measures import build_measures
from loaders.generator.outcomes import build_outcomes, outcome_truth
from loaders.generator.yields import expected_ratios
from loaders.generator.plants import Plants
from loaders.generator.pool import build_pool
from loaders.generator.scenarios import plant_conflicts
from loaders.generator.presets import Preset, resolve
from loaders.generator.problems import build_problems
from loaders.generator.realism import apply_realism
from loaders.generator.rounds import Rounds, build_rounds, cross_dates
from loaders.generator.staff import build_staff
from loaders.generator.structure import Structure, build_structure
from loaders.generator.tables import Ids, _labels, build_tables, make_ids_for
from loaders.generator.ties import build_ties

DEFAULT_AS_OF = dt.date(2026, 6, 30)


@dataclass
class Generated:
    """A synthetic dataset: canonical tables, the planted truth, and the words.

    ``zh[table][column]`` is the Chinese word written for each cell of a
    closed-vocabulary column (配偶, 组长, 已销号 …), row by row.
    """

    tables: dict[str, pd.DataFrame]
    truth: dict[str, Any]
    seed: int
    scale: str
    as_of: dt.date
    zh: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)


@dataclass
class World:
    preset: Preset
    seed: int
    as_of: np.datetime64
    st: Structure
    people: pd.DataFrame
    posts: pd.DataFrame
    ties: pd.DataFrame
    rounds: Rounds
    cross: Cross
    plants: Plants
    problems: pd.DataFrame = None
    clusters: list[Cluster] | None = None
    depts: pd.DataFrame = None
    leads: pd.DataFrame = None
    networks: list[str] | None = None
    measures: pd.DataFrame = None
    audits: pd.DataFrame = None
    petitions: pd.DataFrame = None


def _world(preset: Preset, seed: int, as_of: np.datetime64) -> World:
    st = build_structure(preset, seed)
    staff = build_staff(st, preset, seed, as_of)
    ties, people = build_ties(staff.people, seed)
    start, end = cross_dates(as_of)
    rounds = build_rounds(st, staff, seed, start)
    cross, rounds, people, posts = build_cross(st, preset, rounds, people, staff.posts, seed,
                                               start, end)
    plants, rounds, people, posts, ties = plant_conflicts(st, preset, cross, rounds, people,
                                                          posts, ties, seed)
    return World(preset, seed, as_of, st, people, posts, ties, rounds, cross, plants)


def _followup(w: World) -> None:
    problems = build_problems(w.st, w.rounds, w.posts, w.seed)
    w.problems, w.clusters = plant_clusters(w.st, w.preset, w.rounds, w.posts, problems, w.seed)
    organizers = np.unique(w.rounds.rounds["organizer"].to_numpy())
    w.depts = departments(w.st, organizers)
    leads = build_leads(w.problems, w.rounds, w.depts, w.seed, w.as_of)
    w.leads, w.problems, w.ties, w.networks = plant_lead_anomalies(
        leads, w.problems, w.people, w.ties, w.plants.touched, w.cross.round, w.preset.plants,
        w.seed, w.as_of)
    w.measures = build_measures(w.problems, w.rounds, w.posts, w.depts, w.seed, w.as_of)
    w.audits = build_audits(w.st, w.problems, w.seed, w.as_of)
    w.petitions = build_petitions(w.st, w.posts, w.seed, w.as_of)


def generate(scale: str | int = "county", seed: int = 0,
             as_of: dt.date | None = None, realism: str = "tidy") -> Generated:
    """Build a synthetic dataset and its planted truth (deterministic for a seed).

    ``realism="high"`` then applies the habits of real ledgers
    (``loaders.generator.realism``)."""
    preset = resolve(scale)
    as_of = as_of or DEFAULT_AS_OF
    w = _world(preset, int(seed), np.datetime64(as_of, "D"))
    _followup(w)
    ids = make_ids_for(w)
    tables, zh = build_tables(w, ids)
    round_id = str(ids.round[w.cross.round])
    tables["pool"], staffing = build_pool(tables, round_id, w.seed)
    zh["pool"] = {"pool_kind": _labels("pool_kind", tables["pool"]["pool_kind"].to_numpy())}
    tables.update(build_outcomes(tables, w.seed, w.as_of))
    truth = _truth(w, ids, tables, as_of)
    truth["staffing"] = staffing
    gen = Generated(tables, truth, int(seed), preset.name, as_of, zh)
    return apply_realism(gen, realism)


def _truth(w: World, ids: Ids, t: dict[str, pd.DataFrame], as_of: dt.date) -> dict[str, Any]:
    round_id = str(ids.round[w.cross.round])
    hard = T.hard_conflicts(t, round_id)
    soft = T.soft_conflicts(t, round_id, hard)
    decoys = [{"team_id": str(ids.team[d["team"]]), "person_id": str(ids.person[d["person"]]),
               "unit_id": str(ids.unit[d["unit"]]), "why": d["why"]} for d in w.plants.decoys]
    _check_plants(w, ids, hard, soft, decoys)
    only, corroborated = T.audit_truth(t)
    networks = T.lead_networks(t)
    planted = _planted_networks(w, ids)
    if sorted(sorted(n["lead_ids"]) for n in planted) != networks:
        raise RuntimeError(f"lead networks differ from the planted ones: {networks} / {planted}")
    truth: dict[str, Any] = {
        "seed": w.seed, "scale": w.preset.name, "as_of": as_of.isoformat(),
        "conflict_round_id": round_id,
        "hard_conflicts": [dict(round_id=round_id, **r) for r in hard.to_dict("records")],
        "hard_conflicts_scope": T.HARD_SCOPE,
        "hard_decoys": sorted(decoys, key=lambda d: (d["team_id"], d["person_id"], d["unit_id"])),
        "soft_conflicts": [{**r, "hops": int(r["hops"])} for r in soft.to_dict("records")],
        "clusters": _clusters(w, ids),
        "lead_networks": planted,
        "audit_only_findings": only, "corroborated": corroborated,
        "counts": {spec.name: int(len(t[spec.name])) for spec in TABLES},
        # the planted cross-round yield (loaders/generator/yields.py): expected
        # problems and leads per unit, cross ÷ ordinary rounds
        "yield": {**expected_ratios(), "kind": "cross", "baseline": "ordinary"},
        "outcomes": outcome_truth(t, np.datetime64(as_of, "D")),
    }
    truth.update(T.lead_truth(t, pd.Timestamp(as_of)))
    return truth


def _planted_networks(w: World, ids: Ids) -> list[dict]:
    net = w.leads["network"].to_numpy()
    out = []
    for k, why in enumerate(w.networks or ()):
        rows = np.flatnonzero(net == k)
        lead_ids = sorted(str(x) for x in ids.lead[rows])
        people = sorted({str(ids.person[p]) for p in w.leads["person"].to_numpy()[rows]})
        text = ("a married couple (spouse tie) " if why == "spouse" else "the same person ") + \
            "named by these leads: " + ", ".join(people)
        out.append({"lead_ids": lead_ids, "why": text})
    return sorted(out, key=lambda n: n["lead_ids"])


def _clusters(w: World, ids: Ids) -> list[dict]:
    cl = w.problems["cluster"].to_numpy()
    out = []
    for k, c in enumerate(w.clusters or ()):
        rows = np.flatnonzero(cl == k)
        out.append({"kind": c.kind, "category": c.category, "sector": c.sector,
                    "region_id": str(ids.region[c.region]) if c.region >= 0 else None,
                    "unit_ids": sorted(str(ids.unit[u]) for u in c.units),
                    "problem_ids": sorted(str(x) for x in ids.problem[rows]), "phrase": c.phrase})
    return out


def _check_plants(w: World, ids: Ids, hard: pd.DataFrame, soft: pd.DataFrame,
                  decoys: list[dict]) -> None:
    """Every plant shows up in the computed truth (a guard against generator bugs)."""
    def key(team, person, unit):
        return (str(ids.team[team]), str(ids.person[person]), str(ids.unit[unit]))

    hard_rules = set(zip(hard["team_id"], hard["person_id"], hard["unit_id"], hard["rule"]))
    hard_pairs = {k[:3] for k in hard_rules}
    soft_rows = set(zip(soft["team_id"], soft["person_id"], soft["unit_id"], soft["relation"],
                        soft["hops"]))
    missing = [e for e in w.plants.expected_hard if key(*e[:3]) + (e[3],) not in hard_rules]
    soft_pairs = {k[:3] for k in soft_rows}
    missing += [e for e in w.plants.expected_soft if key(*e[:3]) not in hard_pairs and (
        key(*e[:3]) + e[3:] not in soft_rows if e[4] == 1 else key(*e[:3]) not in soft_pairs)]
    wrong = [d for d in decoys if (d["team_id"], d["person_id"], d["unit_id"]) in hard_pairs]
    if missing or wrong:
        raise RuntimeError(f"planted conflicts not reproduced: missing {missing[:5]}, "
                           f"decoys that are hard {wrong[:5]}")
