"""Problems found by the rounds (发现问题), with descriptions built from fragments.

A description is opener + subject + core + one or two details + tail, with
years, counts, amounts, project and unit names filled in, so two problems of
the same subcategory rarely read alike.  The category of every problem is
drawn from one distribution, the same in every sector and region: the only
systemic patterns in the data are the planted ones (``clusters.py``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from loaders.generator.rounds import Rounds
from loaders.generator.structure import Structure
from loaders.generator.taxonomy import CATEGORIES, OPENERS, PROJECT_KINDS, SUBJECTS, TAILS
from loaders.generator.util import days, frame, group_starts, stream

WEIGHTS = np.array([c.weight for c in CATEGORIES]) / sum(c.weight for c in CATEGORIES)
N_SUBS = np.array([len(c.subs) for c in CATEGORIES])
SUB_OFFSET = np.concatenate(([0], np.cumsum(N_SUBS)[:-1]))
_SUBS = [s for c in CATEGORIES for s in c.subs]
PER_UNIT = {"lookback": (3, 9)}
DEFAULT_PER_UNIT = (10, 26)


def draw_categories(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(category, global subcategory index) for ``n`` background problems."""
    cat = rng.choice(len(WEIGHTS), size=n, p=WEIGHTS)
    sub = SUB_OFFSET[cat] + np.floor(rng.random(n) * N_SUBS[cat]).astype(np.int64)
    return cat, sub


class TextMaker:
    """Fills description templates; shared by background and planted problems."""

    def __init__(self, st: Structure, rng: np.random.Generator):
        self.st, self.rng = st, rng
        region = st.units["region"].to_numpy()
        self.unit_name = st.units["name"].to_numpy()
        self.region_name = st.regions["name"].to_numpy()[region]
        self.group = st.units["group"].to_numpy()

    def values(self, units: np.ndarray, year: np.ndarray) -> dict[str, np.ndarray]:
        rng, n = self.rng, len(units)
        y = year - rng.integers(1, 5, n)
        amt = np.round(np.exp(rng.normal(2.3, 1.2, n)), 2).clip(0.3, 5000)
        proj = np.char.add(self.region_name[units].astype(str),
                           np.array(PROJECT_KINDS)[rng.integers(0, len(PROJECT_KINDS), n)])
        return {"y": y, "y2": np.minimum(y + rng.integers(1, 3, n), year), "m": rng.integers(1, 13, n),
                "n": rng.integers(2, 31, n), "n2": rng.integers(10, 81, n), "amt": amt,
                "p": rng.integers(10, 61, n), "proj": proj, "u": self.unit_name[units]}

    @staticmethod
    def fill(templates: list[str], v: dict[str, np.ndarray]) -> np.ndarray:
        cols = {k: (np.char.mod("%.2f", a) if k == "amt" else a.astype(str)).tolist()
                for k, a in v.items()}
        keys = list(cols)
        out = np.empty(len(templates), dtype=object)
        out[:] = [t.format(**dict(zip(keys, row))) if "{" in t else t
                  for t, row in zip(templates, zip(*cols.values()))]
        return out

    def background(self, units: np.ndarray, sub: np.ndarray, year: np.ndarray) -> np.ndarray:
        rng, n = self.rng, len(units)
        parts = []
        op = np.array(OPENERS, dtype=object)
        parts.append(op[rng.integers(0, len(op), n)])
        subj = np.empty(n, dtype=object)
        g = self.group[units]
        for key, words in SUBJECTS.items():
            m = g == key
            subj[m] = np.array(words, dtype=object)[rng.integers(0, len(words), int(m.sum()))]
        parts.append(subj)
        cores = [s.cores for s in _SUBS]
        dets = [s.details for s in _SUBS]
        ci = np.floor(rng.random(n) * np.array([len(c) for c in cores])[sub]).astype(int)
        nd = np.array([len(d) for d in dets])[sub]
        d1 = np.floor(rng.random(n) * nd).astype(int)
        d2 = (d1 + 1 + np.floor(rng.random(n) * (nd - 1))).astype(int) % nd
        two = rng.random(n) < 0.35
        core = [cores[s][c] + dets[s][a] + (dets[s][b] if t else "") for s, c, a, b, t in
                zip(sub.tolist(), ci.tolist(), d1.tolist(), d2.tolist(), two.tolist())]
        tails = np.array(TAILS, dtype=object)[rng.integers(0, len(TAILS), n)]
        templates = [a + b + c + d + "。" for a, b, c, d in
                     zip(parts[0].tolist(), parts[1].tolist(), core, tails.tolist())]
        return self.fill(templates, self.values(units, year))


def build_problems(st: Structure, rounds: Rounds, posts: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Background problems of every assignment (internal frame, int references)."""
    rng = stream(seed, "problems")
    a = rounds.assignments
    r = rounds.rounds
    kind = r["kind"].to_numpy()[a["round"].to_numpy()]
    lo = np.array([PER_UNIT.get(k, DEFAULT_PER_UNIT)[0] for k in kind])
    hi = np.array([PER_UNIT.get(k, DEFAULT_PER_UNIT)[1] for k in kind])
    count = rng.integers(lo, hi)
    unit = np.repeat(a["unit"].to_numpy(), count)
    rnd = np.repeat(a["round"].to_numpy(), count)
    cat, sub = draw_categories(rng, len(unit))
    return problem_rows(st, rounds, posts, rng, unit, rnd, cat, sub, None)


def found_dates(rng: np.random.Generator, rounds: Rounds, rnd: np.ndarray) -> np.ndarray:
    start = rounds.rounds["start"].to_numpy().astype("datetime64[D]")[rnd]
    end = rounds.rounds["end"].to_numpy().astype("datetime64[D]")[rnd]
    span = (end - start).astype(np.int64)
    return start + days(7 + np.floor(rng.random(len(rnd)) * np.maximum(span - 9, 1)))


def problem_rows(st: Structure, rounds: Rounds, posts: pd.DataFrame, rng: np.random.Generator,
                 unit: np.ndarray, rnd: np.ndarray, cat: np.ndarray, sub: np.ndarray,
                 text: np.ndarray | None) -> pd.DataFrame:
    found = found_dates(rng, rounds, rnd)
    year = found.astype("datetime64[Y]").astype(np.int64) + 1970
    if text is None:
        text = TextMaker(st, rng).background(unit, sub, year)
    n = len(unit)
    p1 = involved(rng, posts, unit, found, rng.random(n) < 0.27)
    p2 = involved(rng, posts, unit, found, (rng.random(n) < 0.2) & (p1 >= 0))
    p2 = np.where(p2 == p1, -1, p2)
    return frame({
        "unit": unit, "round": rnd, "category": cat, "sub": sub, "description": text,
        "found": found, "p1": p1, "p2": p2, "immediate": rng.random(n) < 0.12,
        "key_concern": rng.random(n) < 0.06, "cluster": np.full(n, -1),
    })


def involved(rng: np.random.Generator, posts: pd.DataFrame, unit: np.ndarray,
             when: np.ndarray, want: np.ndarray) -> np.ndarray:
    """An official of ``unit`` in post on ``when`` (three tries), else -1."""
    pu = posts["unit"].to_numpy()
    order = np.argsort(pu, kind="stable")
    starts, counts = group_starts(pu[order], int(max(pu.max(), unit.max())) + 1)
    s = posts["start"].to_numpy().astype("datetime64[D]")[order]
    e = posts["end"].to_numpy().astype("datetime64[D]")[order]
    person = posts["person"].to_numpy()[order]
    out = np.full(len(unit), -1, np.int64)
    idx = np.flatnonzero(want)
    for _ in range(3):
        if not len(idx):
            break
        c = counts[unit[idx]]
        pos = starts[unit[idx]] + np.floor(rng.random(len(idx)) * np.maximum(c, 1)).astype(int)
        pos = np.minimum(pos, len(order) - 1)
        ok = (c > 0) & (s[pos] <= when[idx]) & (np.isnat(e[pos]) | (e[pos] >= when[idx]))
        out[idx[ok]] = person[pos[ok]]
        idx = idx[~ok]
    return out
