"""Officials and their career histories (任职经历).

Every unit has a set of posts (slots: 局长, 副局长, 村党支部书记 …).  Each slot
is held by a sequence of people over the years (tenures).  Tenures are then
chained into careers: a tenure that ends is joined to a tenure starting soon
after in another slot of the same pool (the county, or the township at
county scale), which is a transfer.  A chain of tenures is one person.

All of a person's posts stay in one pool; the conflict scenarios of the
cross-inspection round are the only links between pools, and they are planted.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from loaders.generator.naming import person_names
from loaders.generator.presets import Preset
from loaders.generator.structure import Structure
from loaders.generator.util import NAT, days, frame, stream
from loaders.generator.words import OFFICES, SPECIALTIES

YEAR = 365.25
HISTORY_YEARS = 12.5
TENURES_PER_SLOT = 9
TRANSFER_P = {"village": 0.25, "normal": 0.75, "top": 0.7}
MAX_WAIT = 120


@dataclass
class Staff:
    posts: pd.DataFrame  # person, unit, title, top, start, end (datetime64[D])
    people: pd.DataFrame  # name, gender, birth_year, hometown, pool, specialty


def _slots(st: Structure, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """One entry per post of every unit: unit, title, top, tenure kind."""
    office = st.units["office"].to_numpy()
    unit_parts, tmpl_parts, top_parts = [], [], []
    for name, template in OFFICES.items():
        idx = np.flatnonzero(office == name)
        if not len(idx):
            continue
        lo = np.array([t[2] for t in template])
        hi = np.array([t[3] for t in template])
        counts = rng.integers(lo, hi + 1, size=(len(idx), len(template))).ravel()
        entry = np.tile(np.arange(len(template)), len(idx))
        unit_parts.append(np.repeat(np.repeat(idx, len(template)), counts))
        tmpl_parts.append(np.repeat(np.array([t[0] for t in template], dtype=object)[entry],
                                    counts))
        top_parts.append(np.repeat(np.array([t[1] for t in template])[entry], counts))
    unit = np.concatenate(unit_parts)
    top = np.concatenate(top_parts)
    order = np.lexsort((~top, unit))
    unit, top, tmpl = unit[order], top[order], np.concatenate(tmpl_parts)[order]
    level = st.units["level"].to_numpy()[unit]
    head = st.units["head"].to_numpy()[unit]
    section = np.select([level == "市级", level == "省级"], ["科", "处"], "股")
    keys = list(zip(tmpl.tolist(), section.tolist(), head.tolist()))
    titles = {k: k[0].replace("{科}", k[1]).replace("副{长}", _deputy(k[2]))
              .replace("{长}", k[2]) for k in set(keys)}
    title = np.empty(len(keys), dtype=object)
    title[:] = [titles[k] for k in keys]
    group = st.units["group"].to_numpy()[unit]
    tenure = np.where(group == "village", "village", np.where(top, "top", "normal"))
    return {"unit": unit, "title": title, "top": top, "tenure": tenure}


def _deputy(head: str) -> str:
    return "街道办事处副主任" if head.startswith("街道") else "副" + head


def _tenures(slots: dict[str, np.ndarray], rng: np.random.Generator,
             as_of: np.datetime64) -> dict[str, np.ndarray]:
    """Successive holders of each slot from before the history window to ``as_of``."""
    kind = slots["tenure"]
    n, k = len(kind), TENURES_PER_SLOT
    u = rng.random((n, k))
    length = np.where(kind[:, None] == "village", 4 + 7 * u, 1.5 + 5 * u)
    long_top = (kind == "top") & (rng.random(n) < 0.2)
    length[long_top] = 7 + 6 * u[long_top]
    length = np.round(length * YEAR).astype(np.int64)
    gap = np.where(rng.random((n, k)) < 0.4, 0, rng.integers(1, 61, (n, k)))
    origin = as_of - days(round(HISTORY_YEARS * YEAR))
    first = origin - days(np.floor(rng.random(n) * length[:, 0]))
    offset = np.concatenate((np.zeros((n, 1), np.int64), np.cumsum(length + gap, 1)[:, :-1]), 1)
    start = first[:, None] + days(offset)
    end = start + days(length)
    keep = start <= as_of
    rows, cols = np.nonzero(keep)
    end = end[keep]
    end[end >= as_of] = NAT
    out = {"slot": rows, "seq": cols, "start": start[keep], "end": end}
    for col in ("unit", "title", "top", "tenure"):
        out[col] = slots[col][rows]
    return out


def _chain(t: dict[str, np.ndarray], pool: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Join tenures into careers; returns the chain head (first tenure) of each tenure."""
    p_move = np.select([t["tenure"] == k for k in TRANSFER_P], list(TRANSFER_P.values()))
    n = len(p_move)
    out_ok = ~np.isnat(t["end"]) & (rng.random(n) < p_move)
    in_ok = (t["seq"] > 0) & (rng.random(n) < p_move)
    prev = _match_transfers(t, pool, out_ok, in_ok)
    head = np.arange(n)
    while True:
        up = prev[head]
        if (up < 0).all():
            return head
        head = np.where(up >= 0, up, head)


def _match_transfers(t: dict[str, np.ndarray], pool: np.ndarray, out_ok: np.ndarray,
                     in_ok: np.ndarray) -> np.ndarray:
    """Pair each transfer-in with the earliest waiting transfer-out of its pool.

    A sweep over the events of each pool in time order; an exit waits at most
    ``MAX_WAIT`` days and never feeds the slot it left.  Returns, per tenure,
    the tenure its holder came from (-1 if none).
    """
    day = lambda a: a.astype("datetime64[D]").astype(np.int64)  # noqa: E731
    ex = np.flatnonzero(out_ok)
    en = np.flatnonzero(in_ok)
    ev_tenure = np.concatenate((ex, en))
    ev_day = np.concatenate((day(t["end"][ex]), day(t["start"][en])))
    ev_kind = np.concatenate((np.zeros(len(ex), np.int8), np.ones(len(en), np.int8)))
    ev_pool = pool[ev_tenure]
    order = np.lexsort((ev_kind, ev_day, ev_pool))
    slot = t["slot"]
    prev = np.full(len(slot), -1, np.int64)
    waiting: list[int] = []
    head_i = 0
    current_pool = -1
    for i in order.tolist():
        p = int(ev_pool[i])
        if p != current_pool:
            waiting, head_i, current_pool = [], 0, p
        d, tenure = int(ev_day[i]), int(ev_tenure[i])
        if ev_kind[i] == 0:
            waiting.append(i)
            continue
        while head_i < len(waiting) and ev_day[waiting[head_i]] < d - MAX_WAIT:
            head_i += 1
        if head_i < len(waiting):
            j = waiting[head_i]
            if slot[ev_tenure[j]] == slot[tenure]:
                continue
            head_i += 1
            prev[tenure] = ev_tenure[j]
    return prev


def build_staff(st: Structure, preset: Preset, seed: int, as_of: np.datetime64) -> Staff:
    rng = stream(seed, "staff")
    t = _tenures(_slots(st, rng), rng, as_of)
    pool = st.units["pool"].to_numpy()[t["unit"]]
    head = _chain(t, pool, rng)
    # people in order of pool, then of their first post
    heads = np.unique(head)
    order = np.lexsort((t["start"][heads], pool[heads]))
    person_of_head = np.empty(len(head), np.int64)
    person_of_head[heads[order]] = np.arange(len(heads))
    person = person_of_head[head]
    srt = np.lexsort((t["start"], person))
    posts = {"person": person[srt]}
    posts.update({c: t[c][srt] for c in ("unit", "title", "top", "start", "end")})
    people = _people(st, preset, posts, rng, as_of)
    return Staff(frame(posts), people)


def cross_level_regions(st: Structure, preset: Preset) -> np.ndarray:
    """Regions at the level whose teams inspect each other (counties or townships)."""
    return np.flatnonzero(st.regions["level"].to_numpy() == preset.cross_level)


def hometowns(st: Structure, preset: Preset, pools: np.ndarray,
              rng: np.random.Generator) -> np.ndarray:
    """籍贯 at the cross level: the pool itself, or a random one inside it."""
    regions = st.regions
    cross = cross_level_regions(st, preset)
    level = regions["level"].to_numpy()
    out = pools.copy()
    above = level[pools] != preset.cross_level
    if above.any():
        # the ancestor of each cross-level region that matches the pool's level
        anc = {lvl: regions[lvl].to_numpy()[cross] if lvl in ("county", "city") else
               np.zeros(len(cross), np.int64) for lvl in ("county", "city", "province")}
        key = np.select([level[pools] == "县", level[pools] == "市"], ["county", "city"],
                        "province")
        for k in ("county", "city", "province"):
            m = above & (key == k)
            if not m.any():
                continue
            owner = anc[k]
            order = np.argsort(owner, kind="stable")
            starts = np.searchsorted(owner[order], pools[m], "left")
            ends = np.searchsorted(owner[order], pools[m], "right")
            pick = starts + np.floor(rng.random(m.sum()) * np.maximum(ends - starts, 1))
            out[m] = cross[order][pick.astype(np.int64).clip(0, len(cross) - 1)]
    return out


def _people(st: Structure, preset: Preset, t: dict[str, np.ndarray], rng: np.random.Generator,
            as_of: np.datetime64) -> pd.DataFrame:
    person = t["person"]
    n = int(person.max()) + 1
    first = np.full(n, -1, np.int64)
    first[person[::-1]] = np.arange(len(person))[::-1]
    unit0 = t["unit"][first]
    pool = st.units["pool"].to_numpy()[unit0]
    village = st.units["group"].to_numpy()[unit0] == "village"
    gender = np.where(rng.random(n) < np.where(village, 0.78, 0.68), "男", "女").astype(object)
    current = np.zeros(n, bool)
    current[person[np.isnat(t["end"])]] = True
    start_year = t["start"][first].astype("datetime64[Y]").astype(int) + 1970
    year = int(str(as_of)[:4])
    birth = start_year - rng.integers(23, 43, n)
    lo = np.where(current, year - 59, year - 85)
    birth = np.minimum(np.maximum(birth, lo), start_year - 21)
    body = st.units["body"].to_numpy()[unit0]
    skilled = np.isin(body, ["discipline", "inspection", "audit", "finance", "organization"])
    specialty = np.where(skilled & (rng.random(n) < 0.6),
                         np.array(SPECIALTIES, dtype=object)[rng.integers(0, len(SPECIALTIES), n)],
                         np.array(None, dtype=object))
    return frame({
        "name": person_names(rng, gender), "gender": gender, "birth_year": birth,
        "hometown": hometowns(st, preset, pool, rng), "pool": pool, "specialty": specialty,
    })
