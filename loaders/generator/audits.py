"""Audit findings (审计发现) and petitions (信访举报).

Audits cover about one unit in twelve.  In an inspected unit half of the
findings repeat a category the inspection found there (corroborated), the
other half name a category it did not (audit-only); in a unit not inspected
yet every finding is audit-only — the red flags of 未巡先改.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from loaders.generator.problems import TextMaker, involved
from loaders.generator.structure import Structure
from loaders.generator.taxonomy import (AUDIT_CATEGORIES, AUDIT_TEXTS, CATEGORY_NAMES,
                                        PETITION_CHANNELS, PETITION_TOPICS)
from loaders.generator.util import days, frame, stream

_AUDIT_CAT = np.array([CATEGORY_NAMES.index(c) for c in AUDIT_CATEGORIES])


def build_audits(st: Structure, problems: pd.DataFrame, seed: int,
                 as_of: np.datetime64) -> pd.DataFrame:
    rng = stream(seed, "audits")
    units = np.flatnonzero(~st.units["exempt"].to_numpy())
    audited = np.sort(units[rng.random(len(units)) < 1 / 12])
    unit = np.repeat(audited, rng.integers(1, 5, len(audited)))
    found = set(zip(problems["unit"].tolist(), problems["category"].tolist()))
    cat = np.empty(len(unit), np.int64)
    want_match = rng.random(len(unit)) < 0.5
    for k, (u, match) in enumerate(zip(unit.tolist(), want_match.tolist())):
        present = [c for c in _AUDIT_CAT.tolist() if (u, c) in found]
        absent = [c for c in _AUDIT_CAT.tolist() if (u, c) not in found]
        options = present if (match and present) or not absent else absent
        cat[k] = options[int(rng.integers(0, len(options)))]
    when = as_of - days(rng.integers(10, 5 * 365, len(unit)))
    year = when.astype("datetime64[Y]").astype(np.int64) + 1970
    maker = TextMaker(st, rng)
    templates = np.array([AUDIT_TEXTS[CATEGORY_NAMES[c]][int(rng.integers(0, len(AUDIT_TEXTS[
        CATEGORY_NAMES[c]])))] for c in cat.tolist()], dtype=object)
    text = maker.fill(templates, maker.values(unit, year + 1))
    amount = np.round(np.exp(rng.normal(11.5, 1.4, len(unit))), 2)
    return frame({"unit": unit, "category": cat, "description": text, "amount": amount,
                  "date": when})


def build_petitions(st: Structure, posts: pd.DataFrame, seed: int,
                    as_of: np.datetime64) -> pd.DataFrame:
    rng = stream(seed, "petitions")
    units = np.flatnonzero(~st.units["exempt"].to_numpy())
    n = int(len(units) * 0.4)
    hot = rng.choice(units, size=max(2, len(units) // 100), replace=False)
    unit = np.where(rng.random(n) < 0.35, hot[rng.integers(0, len(hot), n)],
                    units[rng.integers(0, len(units), n)])
    when = as_of - days(rng.integers(1, 5 * 365, n))
    order = np.lexsort((unit, when))
    unit, when = unit[order], when[order]
    person = involved(rng, posts, unit, when, rng.random(n) < np.where(np.isin(unit, hot), 0.7,
                                                                      0.35))
    topic = np.array(PETITION_TOPICS, dtype=object)[rng.integers(0, len(PETITION_TOPICS), n)]
    names = st.units["name"].to_numpy()[unit]
    topic = np.array([t.replace("{u}", u) for t, u in zip(topic.tolist(), names.tolist())],
                     dtype=object)
    channel = np.array(PETITION_CHANNELS, dtype=object)[rng.integers(0, len(PETITION_CHANNELS), n)]
    return frame({"unit": unit, "person": person, "channel": channel, "date": when,
                  "topic": topic})
