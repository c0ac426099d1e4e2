"""Planted systemic problems (共性问题): the clusters the analyses must find.

overrepresented  one category far above its base rate in several units of one
                 sector (within the scope region) or of one region;
near_duplicate   one specific failing (超标准公务接待 …) written in six or more
                 different ways in at least five units of different sectors;
profile          at least five units of different sectors that share an
                 unusual combination of three categories.

Every planted problem is an extra problem of a unit in one of its earlier
(non-cross, non-回头看) rounds; its ``cluster`` column says which cluster it
belongs to.  The background stays independent of sector and region.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from loaders.generator.presets import Preset
from loaders.generator.problems import N_SUBS, SUB_OFFSET, TextMaker, problem_rows
from loaders.generator.rounds import Rounds
from loaders.generator.structure import Structure
from loaders.generator.taxonomy import CATEGORIES, CATEGORY_NAMES, FAILINGS
from loaders.generator.util import stream

_ELIGIBLE_KINDS = ("regular", "special", "village", "linked", "elevated")


@dataclass(frozen=True)
class Cluster:
    kind: str
    category: str
    sector: str | None
    region: int  # -1 when the cluster has no region
    units: tuple[int, ...]
    phrase: str | None


class _Picker:
    def __init__(self, st: Structure, preset: Preset, rounds: Rounds, rng: np.random.Generator):
        self.st, self.preset, self.rng = st, preset, rng
        a = rounds.assignments
        kind = rounds.rounds["kind"].to_numpy()[a["round"].to_numpy()]
        ok = np.isin(kind, _ELIGIBLE_KINDS)
        first = a[ok].sort_values(["round"], kind="stable").drop_duplicates("unit")
        self.round_of = dict(zip(first["unit"].tolist(), first["round"].tolist()))
        self.units = np.array(sorted(self.round_of))
        self.used: set = set()
        reg = st.units["region"].to_numpy()
        self.county = st.regions["county"].to_numpy()[reg]
        self.city = st.regions["city"].to_numpy()[reg]
        self.cross_region = reg if preset.cross_level == "乡" else self.county
        self.sector = st.units["sector"].to_numpy()

    def free(self, mask: np.ndarray | None = None) -> np.ndarray:
        u = self.units[~np.isin(self.units, list(self.used))]
        return u if mask is None else u[mask[u]]

    def take(self, cands: np.ndarray, k: int, distinct_sectors: bool = False) -> list[int]:
        cands = cands[self.rng.permutation(len(cands))]
        out, seen = [], set()
        for u in cands.tolist():
            if distinct_sectors and self.sector[u] in seen:
                continue
            out.append(u)
            seen.add(self.sector[u])
            if len(out) == k:
                break
        self.used.update(out)
        return out

    def scope(self) -> tuple[int, np.ndarray]:
        """The region a sector cluster lives in, and the mask of units inside it."""
        if self.preset.cities > 1:
            cities = np.unique(self.city[self.units])
            c = int(cities[int(self.rng.integers(0, len(cities)))])
            return c, self.city == c
        level = "县" if self.preset.cities == 0 else "市"
        r = int(np.flatnonzero(self.st.regions["level"].to_numpy() == level)[0])
        return r, np.ones(len(self.sector), bool)


def _rows(st, rounds, posts, rng, pick, units, cats_per_unit, texts=None):
    unit = np.repeat(np.array(units), [len(c) for c in cats_per_unit])
    cat = np.concatenate([np.array(c) for c in cats_per_unit]).astype(np.int64)
    sub = SUB_OFFSET[cat] + np.floor(rng.random(len(cat)) * N_SUBS[cat]).astype(np.int64)
    rnd = np.array([pick.round_of[u] for u in unit.tolist()])
    return problem_rows(st, rounds, posts, rng, unit, rnd, cat, sub, texts)


def _uncommon_category(rng: np.random.Generator) -> int:
    """A category that is not among the three most frequent ones."""
    order = np.argsort([-c.weight for c in CATEGORIES], kind="stable")
    return int(order[3 + int(rng.integers(0, len(order) - 3))])


def _overrepresented(pick: _Picker, i: int, st, rounds, posts, rng):
    """Even clusters: a sector of the scope region; odd ones: a township.

    The sector is a middle-sized one (not 村(社区)), and about 40 % of its
    units get 5-9 extra problems of an uncommon category, so the category's
    rate in the sector is well above its base rate (lift about 2-4).
    """
    cat = _uncommon_category(rng)
    if i % 2 == 0:
        region, inside = pick.scope()
        free = pick.free(inside)
        sectors, counts = np.unique(pick.sector[free], return_counts=True)
        ok = (counts >= 20) & (counts <= 80) & (sectors != "村(社区)")
        if not ok.any():
            ok = (counts >= 5) & (sectors != "村(社区)")
        if not ok.any():
            return None
        j = np.flatnonzero(ok)[int(rng.integers(0, int(ok.sum())))]
        sector = str(sectors[j])
        n_units = int(min(14, max(5, np.ceil(0.4 * counts[j]))))
        units = pick.take(free[pick.sector[free] == sector], n_units)
    else:
        # a township: small enough for the extra problems to stand out
        n_units = int(rng.integers(7, 11))
        town = pick.st.units["region"].to_numpy()
        regions, counts = np.unique(town[pick.free()], return_counts=True)
        at_level = pick.st.regions["level"].to_numpy()[regions] == "乡"
        big = regions[(counts >= 2 * n_units) & at_level]
        if not len(big):
            return None
        region = int(big[int(rng.integers(0, len(big)))])
        sector = None
        units = pick.take(pick.free(town == region), n_units)
    extra = [[cat] * int(rng.integers(5, 10)) for _ in units]
    return Cluster("overrepresented", CATEGORY_NAMES[cat], sector, region, tuple(units), None), \
        _rows(st, rounds, posts, rng, pick, units, extra)


def _near_duplicate(pick: _Picker, i: int, st, rounds, posts, rng, failing: int):
    phrase, cat_name, paraphrases = FAILINGS[failing]
    units = pick.take(pick.free(), int(rng.integers(5, 8)), distinct_sectors=True)
    if len(units) < 5:
        return None
    n_problems = min(len(paraphrases), len(units) + int(rng.integers(1, 3)))
    owner = units + [units[int(j)] for j in rng.integers(0, len(units), n_problems - len(units))]
    order = rng.permutation(len(paraphrases))[:n_problems]
    cat = CATEGORY_NAMES.index(cat_name)
    maker = TextMaker(st, rng)
    year = np.array([int(str(rounds.rounds["start"].iat[pick.round_of[u]])[:4]) for u in owner])
    values = maker.values(np.array(owner), year)
    texts = maker.fill(np.array([paraphrases[j] + "。" for j in order.tolist()], dtype=object),
                       values)
    rows = []
    for u in units:
        mine = [k for k, o in enumerate(owner) if o == u]
        rows.append((u, mine))
    unit_arr = [u for u, mine in rows for _ in mine]
    text_arr = np.array([texts[k] for _, mine in rows for k in mine], dtype=object)
    frame = _rows(st, rounds, posts, rng, pick, unit_arr, [[cat] for _ in unit_arr], text_arr)
    return Cluster("near_duplicate", cat_name, None, -1, tuple(units), phrase), frame


def _profile(pick: _Picker, i: int, st, rounds, posts, rng):
    rare = np.argsort([c.weight for c in CATEGORIES], kind="stable")[:7]
    cats = sorted(rng.choice(rare, size=3, replace=False).tolist())
    units = pick.take(pick.free(), int(rng.integers(5, 8)), distinct_sectors=True)
    if len(units) < 5:
        return None
    extra = [[c for c in cats for _ in range(int(rng.integers(5, 8)))] for _ in units]
    name = ";".join(CATEGORY_NAMES[c] for c in cats)
    return Cluster("profile", name, None, -1, tuple(units), None), \
        _rows(st, rounds, posts, rng, pick, units, extra)


def plant_clusters(st: Structure, preset: Preset, rounds: Rounds, posts: pd.DataFrame,
                   problems: pd.DataFrame, seed: int) -> tuple[pd.DataFrame, list[Cluster]]:
    rng = stream(seed, "clusters")
    pick = _Picker(st, preset, rounds, rng)
    n_over, n_dup, n_prof = preset.clusters
    failings = rng.permutation(len(FAILINGS))
    clusters: list[Cluster] = []
    frames = [problems]
    plan = [("o", i) for i in range(n_over)] + [("d", i) for i in range(n_dup)] + \
        [("p", i) for i in range(n_prof)]
    for kind, i in plan:  # a tiny dataset may not have room for every cluster
        if kind == "o":
            made = _overrepresented(pick, i, st, rounds, posts, rng)
        elif kind == "d":
            made = _near_duplicate(pick, i, st, rounds, posts, rng,
                                   int(failings[i % len(failings)]))
        else:
            made = _profile(pick, i, st, rounds, posts, rng)
        if made is None:
            continue
        c, f = made
        f["cluster"] = len(clusters)
        clusters.append(c)
        frames.append(f)
    return pd.concat(frames, ignore_index=True), clusters
