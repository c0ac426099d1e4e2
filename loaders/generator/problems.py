"""Problems found by the rounds (发现问题), with descriptions built from fragments.

A description is opener + subject + core + one or two details + tail, with
years, counts, amounts, project and unit names filled in, so two problems of
the same subcategory rarely read alike.  The category of every problem is
drawn from one distribution, the same in every sector and region: the only
systemic patterns in the data are the planted ones (``clusters.py``).
"""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from loaders.generator.rounds import Rounds
from loaders.generator.structure import Structure
from loaders.generator.taxonomy import (BRANDS_FIRST, BRANDS_SECOND, CATEGORIES, CATEGORY_NAMES,
                                        EXAMPLES_MONEY, EXAMPLES_RECORD, MONEY_CATEGORIES,
                                        OPENERS, PROJECT_KINDS, SUBJECTS, SYNONYMS, TAILS,
                                        TRADES, VENUES)
from loaders.generator.util import days, frame, group_starts, stream
from loaders.generator.yields import CROSS_PER_UNIT, REGULAR_PER_UNIT

WEIGHTS = np.array([c.weight for c in CATEGORIES]) / sum(c.weight for c in CATEGORIES)
N_SUBS = np.array([len(c.subs) for c in CATEGORIES])
SUB_OFFSET = np.concatenate(([0], np.cumsum(N_SUBS)[:-1]))
_SUBS = [s for c in CATEGORIES for s in c.subs]
_SUB_CATEGORY = np.array([i for i, c in enumerate(CATEGORIES) for _ in c.subs])
PER_UNIT = {"lookback": (3, 9), "cross": CROSS_PER_UNIT}   # cross: the planted yield effect
DEFAULT_PER_UNIT = REGULAR_PER_UNIT


def draw_categories(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(category, global subcategory index) for ``n`` background problems."""
    cat = rng.choice(len(WEIGHTS), size=n, p=WEIGHTS)
    sub = SUB_OFFSET[cat] + np.floor(rng.random(n) * N_SUBS[cat]).astype(np.int64)
    return cat, sub


KEYS = ("y", "y2", "m", "n", "n2", "amt", "p", "proj", "u", "d", "k", "k2", "k3", "co",
        "venue", "k4")
_BRANDS = np.array([a + b for a in BRANDS_FIRST for b in BRANDS_SECOND if a != b], dtype=object)
_INTS = np.array([str(i) for i in range(4000)], dtype=object)


def positional(fragment: str) -> tuple[str, int]:
    """A fragment with ``{y}`` … as ``{0}`` …, and the bit mask of what it uses."""
    mask = 0
    for i, k in enumerate(KEYS):
        if "{" + k + "}" in fragment:
            fragment = fragment.replace("{" + k + "}", "{%d}" % i)
            mask |= 1 << i
    return fragment, mask


def _pool(fragments) -> tuple[np.ndarray, np.ndarray]:
    pos = [positional(f) for f in fragments]
    text = np.empty(len(pos), dtype=object)
    text[:] = [t for t, _ in pos]
    return text, np.array([m for _, m in pos], dtype=np.int64)


def expand(fragment: str, synonyms: bool = True) -> list[str]:
    """Every reading of a fragment with ``[a|b|c]`` choices (in order).

    With ``synonyms``, the first two words of ``SYNONYMS`` found in a reading
    are varied too, so the same finding is worded in many ways.
    """
    out = [""]
    for part in re.split(r"(\[[^\]]*\])", fragment):
        options = part[1:-1].split("|") if part.startswith("[") else [part]
        out = [o + x for o in out for x in options]
    if synonyms:
        out = [v for reading in out for v in _vary(reading)]
    return list(dict.fromkeys(out))


def _vary(text: str) -> list[str]:
    out = [text]
    used = 0
    for words in SYNONYMS:
        if used == 2 or words[0] not in text or "{" + words[0] in text:
            continue
        used += 1
        out = [o.replace(words[0], w, 1) for o in out for w in words]
    return out


@lru_cache(maxsize=None)
def _flat_cached(groups: tuple[tuple[str, ...], ...]):
    expanded = [[e for f in g for e in expand(f)] for g in groups]
    text, mask = _pool([f for g in expanded for f in g])
    size = np.array([len(g) for g in expanded])
    return text, mask, np.concatenate(([0], np.cumsum(size)[:-1])), size


@lru_cache(maxsize=None)
def _origin(groups: tuple[tuple[str, ...], ...]) -> np.ndarray:
    """For each fragment of a ``_flat`` pool, which written template it came from."""
    return np.array([j for g in groups for j, f in enumerate(g) for _ in expand(f)])


def _flat(groups) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Fragments of many groups in one pool: (text, mask, offset, size) per group."""
    return _flat_cached(tuple(tuple(g) for g in groups))


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
        return {"y": y, "y2": np.minimum(y + rng.integers(1, 3, n), year),
                "m": rng.integers(1, 13, n), "n": rng.integers(2, 31, n),
                "n2": rng.integers(10, 81, n),
                "amt": np.round(np.exp(rng.normal(2.8, 1.3, n)), 2).clip(0.31, 9000),
                "p": rng.integers(10, 61, n), "proj": rng.integers(0, len(PROJECT_KINDS), n),
                "u": units, "d": rng.integers(1, 29, n), "k": rng.integers(2, 40, n),
                "k2": np.round(np.exp(rng.normal(2.2, 1.3, n)), 2).clip(0.31, 9000),
                "k3": rng.integers(40, 120, n), "k4": rng.integers(1, 10, n),
                "co": rng.integers(0, len(_BRANDS) * len(TRADES), n),
                "venue": rng.integers(0, len(_BRANDS) * len(VENUES), n)}

    def fill(self, templates: np.ndarray, v: dict[str, np.ndarray],
             mask: np.ndarray | None = None) -> np.ndarray:
        """Templates in positional form (see ``positional``) filled with ``v``."""
        if mask is None:
            pos = [positional(t) for t in templates.tolist()]
            templates = np.array([t for t, _ in pos] or [""], dtype=object)[:len(pos)]
            mask = np.array([m for _, m in pos], dtype=np.int64)
        n = len(templates)
        args = []
        for i, k in enumerate(KEYS):
            col = np.full(n, None, dtype=object)
            rows = np.flatnonzero(mask & (1 << i))
            val = v[k][rows]
            if k in ("amt", "k2"):
                col[rows] = [f"{x:.2f}" for x in val.tolist()]
            elif k == "proj":
                col[rows] = [a + b for a, b in zip(self.region_name[v["u"][rows]].tolist(),
                                                   np.array(PROJECT_KINDS)[val].tolist())]
            elif k == "u":
                col[rows] = self.unit_name[val]
            elif k in ("co", "venue"):
                trade = TRADES if k == "co" else VENUES
                place = [r[:2] for r in self.region_name[v["u"][rows]].tolist()]
                col[rows] = [p + _BRANDS[x // len(trade)] + trade[x % len(trade)]
                             for p, x in zip(place, val.tolist())]
            else:
                col[rows] = _INTS[val]
            args.append(col)
        out = templates.copy()
        rows = np.flatnonzero(mask)
        out[rows] = [t.format(*a) for t, a in zip(templates[rows].tolist(),
                                                  zip(*(c[rows].tolist() for c in args)))]
        return out

    def background(self, units: np.ndarray, sub: np.ndarray, year: np.ndarray) -> np.ndarray:
        rng, n = self.rng, len(units)
        op_t, op_m, _, _ = _flat([OPENERS])
        k = rng.integers(0, len(op_t), n)
        text, mask = op_t[k], op_m[k]
        g = self.group[units]
        for key, words in SUBJECTS.items():
            m = np.flatnonzero(g == key)
            s_t, s_m, _, _ = _flat([words])
            k = rng.integers(0, len(s_t), len(m))
            text[m] = text[m] + s_t[k]
            mask[m] |= s_m[k]
        c_t, c_m, c_off, c_n = _flat([s.cores for s in _SUBS])
        k = c_off[sub] + np.floor(rng.random(n) * c_n[sub]).astype(np.int64)
        text, mask = text + c_t[k], mask | c_m[k]
        d_t, d_m, d_off, d_n = _flat([s.details for s in _SUBS])
        origin = _origin(tuple(tuple(s.details) for s in _SUBS))
        nd = d_n[sub]
        d1 = np.floor(rng.random(n) * nd).astype(np.int64)
        d2 = np.floor(rng.random(n) * nd).astype(np.int64)
        two = (rng.random(n) < 0.5) & (origin[d_off[sub] + d1] != origin[d_off[sub] + d2])
        text, mask = text + d_t[d_off[sub] + d1], mask | d_m[d_off[sub] + d1]
        second = d_off[sub] + d2
        text[two] = text[two] + d_t[second[two]]
        mask[two] |= d_m[second[two]]
        e_t, e_m, e_off, e_n = _flat([EXAMPLES_RECORD, EXAMPLES_MONEY])
        money = np.isin(_SUB_CATEGORY[sub], [CATEGORY_NAMES.index(c) for c in MONEY_CATEGORIES])
        g_e = money.astype(np.int64)
        k = e_off[g_e] + np.floor(rng.random(n) * e_n[g_e]).astype(np.int64)
        text, mask = text + e_t[k], mask | e_m[k]
        t_t, t_m, _, _ = _flat([TAILS])
        k = rng.integers(0, len(t_t), n)
        text, mask = text + t_t[k] + "。", mask | t_m[k]
        return self.fill(text, self.values(units, year), mask)


def build_problems(st: Structure, rounds: Rounds, posts: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Background problems of every assignment (internal frame, int references)."""
    rng = stream(seed, "problems")
    a = rounds.assignments
    r = rounds.rounds
    kind = r["kind"].to_numpy()[a["round"].to_numpy()]
    lo = np.array([PER_UNIT.get(k, DEFAULT_PER_UNIT)[0] for k in kind])
    hi = np.array([PER_UNIT.get(k, DEFAULT_PER_UNIT)[1] for k in kind])
    # 10-25 per unit, more often near the top (about 20 on average)
    count = lo + np.floor((hi - lo) * np.sqrt(rng.random(len(a)))).astype(np.int64)
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
