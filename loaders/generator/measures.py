"""Rectification measures (整改措施): one to five per problem.

Old rounds are mostly done (已销号); recent ones are open or under way.  The
owner is the unit's top leader (一把手) at the round's end and the department
that owns the category's system-wide fix in the organizer's region.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from loaders.generator.leads import _plus_months
from loaders.generator.rounds import Rounds
from loaders.generator.taxonomy import CATEGORIES, MEASURE_GENERIC
from loaders.generator.util import NAT, days, frame, stream

_COUNT_P = np.array([0.3, 0.3, 0.2, 0.12, 0.08])
_OLD = (("done", 0.85), ("ongoing", 0.08), ("partly", 0.04), ("open", 0.03))
_RECENT = (("done", 0.3), ("partly", 0.2), ("open", 0.4), ("ongoing", 0.1))


def _status(rng, table, n):
    names = np.array([k for k, _ in table], dtype=object)
    p = np.array([w for _, w in table])
    return names[rng.choice(len(names), size=n, p=p)]


def top_leaders(posts: pd.DataFrame, units: np.ndarray, when: np.ndarray) -> np.ndarray:
    """The top leader (一把手) of each unit on each date, or -1."""
    tops = posts[posts["top"].to_numpy()]
    q = pd.DataFrame({"unit": units, "day": when.astype("datetime64[D]").astype(np.int64),
                      "i": np.arange(len(units))}).sort_values("day", kind="stable")
    t = pd.DataFrame({"unit": tops["unit"].to_numpy(), "person": tops["person"].to_numpy(),
                      "day": tops["start"].to_numpy().astype("datetime64[D]").astype(np.int64),
                      "end": tops["end"].to_numpy().astype("datetime64[D]")})
    t = t.sort_values("day", kind="stable")
    m = pd.merge_asof(q, t, on="day", by="unit", direction="backward")
    day = m["day"].to_numpy().astype("datetime64[D]")
    end = m["end"].to_numpy().astype("datetime64[D]")
    ok = m["person"].notna().to_numpy() & (np.isnat(end) | (end >= day))
    out = np.full(len(units), -1, np.int64)
    out[m["i"].to_numpy()[ok]] = m["person"].to_numpy()[ok].astype(np.int64)
    return out


def owner_departments(depts: pd.DataFrame) -> np.ndarray:
    """[region, category] -> the department owning the category's fix (-1 if none)."""
    n_regions = int(depts["region"].max()) + 1
    out = np.full((n_regions, len(CATEGORIES)), -1, np.int64)
    key = {(r, k): i for i, (r, k) in enumerate(zip(depts["region"].tolist(),
                                                    depts["key"].tolist()))}
    for r in np.unique(depts["region"].to_numpy()).tolist():
        for c, cat in enumerate(CATEGORIES):
            out[r, c] = key[(r, cat.owner)]
    return out


def build_measures(problems: pd.DataFrame, rounds: Rounds, posts: pd.DataFrame,
                   depts: pd.DataFrame, seed: int, as_of: np.datetime64) -> pd.DataFrame:
    rng = stream(seed, "measures")
    count = rng.choice(5, size=len(problems), p=_COUNT_P) + 1
    prob = np.repeat(np.arange(len(problems)), count)
    n = len(prob)
    cat = problems["category"].to_numpy()[prob]
    rr = problems["round"].to_numpy()[prob]
    unit = problems["unit"].to_numpy()[prob]
    end = rounds.rounds["end"].to_numpy().astype("datetime64[D]")[rr]
    feedback = end + np.timedelta64(20, "D")
    u = rng.random(n)
    three = _plus_months(feedback, 3)
    due = np.where(u < 0.7, three, np.where(u < 0.9, _plus_months(feedback, 6), NAT))
    deadline = np.where(np.isnat(due), three, due)
    old = deadline < as_of - np.timedelta64(30, "D")
    status = np.where(old, _status(rng, _OLD, n), _status(rng, _RECENT, n))
    immediate = problems["immediate"].to_numpy()[prob]
    status = np.where(immediate, "done", status)
    span = np.maximum((deadline - feedback).astype(np.int64) + 30, 10)
    completed = feedback + days(10 + np.floor(rng.random(n) * span))
    found = problems["found"].to_numpy().astype("datetime64[D]")[prob]
    completed = np.where(immediate, found + days(rng.integers(1, 8, n)), completed)
    completed = np.minimum(completed, as_of - np.timedelta64(1, "D"))
    has_date = (status == "done") | ((status == "partly") & (rng.random(n) < 0.5))
    completed = np.where(has_date, completed, NAT)
    reopened = (status == "done") & old & (rng.random(n) < 0.03)
    status = np.where(reopened & (rng.random(n) < 0.5), "open", status)
    completed = np.where(reopened & (status == "open"), NAT, completed)
    texts = [c.measures + MEASURE_GENERIC for c in CATEGORIES]
    size = np.array([len(t) for t in texts])
    offset = np.concatenate(([0], np.cumsum(size)[:-1]))
    pool = np.empty(int(size.sum()), dtype=object)
    pool[:] = [x for t in texts for x in t]
    desc = pool[offset[cat] + np.floor(rng.random(n) * size[cat]).astype(np.int64)]
    region = rounds.rounds["organizer"].to_numpy()[rr]
    dept = owner_departments(depts)[region, cat]
    return frame({
        "problem": prob, "description": desc, "owner": top_leaders(posts, unit, end),
        "dept": dept, "due": due, "status": status.astype(object), "completed": completed,
        "reopened": reopened,
    })
