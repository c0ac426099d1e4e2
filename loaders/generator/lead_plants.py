"""What is planted among the leads: overdue, received late, one signature, networks.

Before planting, the background is made clean: every lead names a different
person, no two lead persons are tied, and a lead's problem names the lead's
person only — so the only networks of leads are the planted ones: a married
couple in two units, each with a lead, and one person named by two leads.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from linkgraph.rules import load_rules
from loaders.generator.leads import _plus_months
from loaders.generator.ties import describe_ties
from loaders.generator.util import NAT, days, stream


def clean_lead_people(leads: pd.DataFrame, ties: pd.DataFrame) -> pd.DataFrame:
    person = leads["person"].to_numpy().copy()
    dup = pd.Series(person).duplicated().to_numpy() & (person >= 0)
    person[dup] = -1
    named = person[person >= 0]
    a, b = ties["a"].to_numpy(), ties["b"].to_numpy()
    both = np.isin(a, named) & np.isin(b, named)
    person[np.isin(person, b[both])] = -1
    return leads.assign(person=person)


def _pick(rng, mask: np.ndarray, n: int, taken: np.ndarray) -> np.ndarray:
    cands = np.flatnonzero(mask & ~taken)
    chosen = np.sort(rng.choice(cands, size=min(n, len(cands)), replace=False))
    taken[chosen] = True
    return chosen


def plant_lead_anomalies(leads: pd.DataFrame, problems: pd.DataFrame, people: pd.DataFrame,
                         ties: pd.DataFrame, touched: set, cross_round: int, n_networks: int,
                         seed: int, as_of: np.datetime64):
    """Returns (leads, problems, ties, networks) with ``network`` ids on the leads."""
    rng = stream(seed, "lead-plants")
    leads = clean_lead_people(leads, ties).reset_index(drop=True)
    leads["network"] = -1
    leads, ties, networks = _networks(rng, leads, problems, people, ties, touched, cross_round,
                                      n_networks)
    taken = leads["network"].to_numpy() >= 0
    n = len(leads)
    transfer = leads["transfer"].to_numpy().astype("datetime64[D]")
    due = leads["due"].to_numpy().astype("datetime64[D]")
    closed = leads["closed"].to_numpy().astype("datetime64[D]")
    months = load_rules().limits.lead_report_months   # the analysis' own limit
    deadline = np.where(np.isnat(due), _plus_months(transfer, months), due)
    recent = transfer >= as_of - np.timedelta64(460, "D")
    overdue = _pick(rng, ~np.isnat(closed) & (deadline < as_of - np.timedelta64(20, "D"))
                    & recent, max(3, round(0.015 * n)), taken)
    closed[overdue] = NAT
    drop_due = overdue[(rng.random(len(overdue)) < 0.5) & (
        _plus_months(transfer[overdue], months) < as_of - np.timedelta64(20, "D"))]
    due[drop_due] = NAT
    disp = leads["disposition"].to_numpy().copy()
    outcome = leads["outcome"].to_numpy().copy()
    disp[overdue] = np.where(rng.random(len(overdue)) < 0.5, "verify", np.array(None, dtype=object))
    outcome[overdue] = None
    room = np.where(np.isnat(closed), (as_of - transfer).astype(np.int64),
                    (closed - transfer).astype(np.int64)) - 3
    late = _pick(rng, room >= 14, max(3, round(0.015 * n)), taken)
    received = leads["received"].to_numpy().astype("datetime64[D]")
    hi = np.minimum(room[late], 40)
    received[late] = transfer[late] + days(10 + np.floor(rng.random(len(late)) * (hi - 9)))
    single = _pick(rng, np.ones(n, bool), max(3, round(0.01 * n)), taken)
    signed = leads["signed_by"].to_numpy().copy()
    signed[single] = np.where(rng.random(len(single)) < 0.5, "巡察组", "纪检监察室")
    leads = leads.assign(due=due, closed=closed, received=received, disposition=disp,
                         outcome=outcome)
    leads["signed_by"] = pd.Series(signed, dtype=object)
    problems = _sync_problem_people(problems, leads)
    return leads, problems, ties, networks


def _sync_problem_people(problems: pd.DataFrame, leads: pd.DataFrame) -> pd.DataFrame:
    """A lead's problem names exactly the lead's person (or nobody)."""
    p1 = problems["p1"].to_numpy().copy()
    p2 = problems["p2"].to_numpy().copy()
    p1[leads["problem"].to_numpy()] = leads["person"].to_numpy()
    p2[leads["problem"].to_numpy()] = -1
    return problems.assign(p1=p1, p2=p2)


def _networks(rng, leads, problems, people, ties, touched, cross_round, n_networks):
    person = leads["person"].to_numpy()
    spouses = set(ties["a"].to_numpy()[ties["relation"].to_numpy() == "spouse"].tolist()) | set(
        ties["b"].to_numpy()[ties["relation"].to_numpy() == "spouse"].tolist())
    ok = (person >= 0) & (leads["round"].to_numpy() != cross_round)
    ok &= ~np.isin(person, list(touched | spouses))
    cands = np.flatnonzero(ok)[rng.permutation(int(ok.sum()))].tolist()
    gender = people["gender"].to_numpy()
    unit = leads["unit"].to_numpy()
    networks, new_ties, new_leads = [], [], []
    used: set = set()
    for _ in range(n_networks):
        pair = next(((i, j) for i in cands if i not in used for j in cands
                     if j not in used and j != i and unit[i] != unit[j]
                     and gender[person[i]] != gender[person[j]]), None)
        if pair is None:
            break
        used.update(pair)
        new_ties.append((int(person[pair[0]]), int(person[pair[1]]), "spouse"))
        networks.append((list(pair), "spouse"))
    for _ in range(n_networks):
        i = next((i for i in cands if i not in used), None)
        if i is None:
            break
        used.add(i)
        same = np.flatnonzero((problems["unit"].to_numpy() == unit[i])
                              & (problems["round"].to_numpy() == leads["round"].iat[i]))
        same = same[~np.isin(same, leads["problem"].to_numpy())]
        if not len(same):
            continue
        row = leads.iloc[[i]].copy()
        row["problem"] = int(same[int(rng.integers(0, len(same)))])
        new_leads.append(row)
        networks.append(([i, len(leads) + len(new_leads) - 1], "shared_person"))
    if new_leads:
        leads = pd.concat([leads] + new_leads, ignore_index=True)
    network = leads["network"].to_numpy().copy()
    for k, (rows, _) in enumerate(networks):
        network[rows] = k
    leads["network"] = network
    if new_ties:
        planted = pd.DataFrame(new_ties, columns=["a", "b", "relation"]).astype(
            {"relation": object})
        ties = pd.concat([ties, describe_ties(rng, planted, people)], ignore_index=True)
    return leads, ties, [why for _, why in networks]
