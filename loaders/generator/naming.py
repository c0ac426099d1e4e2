"""People's names: a surname drawn by its real frequency and a given name.

Names are taken from a pool of shared string objects, so a million people
cost a million pointers, not a million strings.  Common given names carry
most of the weight, which makes duplicate names (two 王伟) occur naturally.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from loaders.generator.words import (GIVEN_FEMALE_COMMON, GIVEN_FEMALE_FIRST,
                                     GIVEN_FEMALE_SECOND, GIVEN_MALE_COMMON, GIVEN_MALE_FIRST,
                                     GIVEN_MALE_SECOND, SURNAMES)

COMMON_SHARE = 0.2


@lru_cache(maxsize=None)
def _given(gender: str) -> tuple[np.ndarray, np.ndarray]:
    """Given names of one gender and their probabilities."""
    if gender == "男":
        common, first, second = GIVEN_MALE_COMMON, GIVEN_MALE_FIRST, GIVEN_MALE_SECOND
    else:
        common, first, second = GIVEN_FEMALE_COMMON, GIVEN_FEMALE_FIRST, GIVEN_FEMALE_SECOND
    combos = tuple(dict.fromkeys(a + b for a in first for b in second if a != b))
    combos = tuple(c for c in combos if c not in common)
    zipf = 1.0 / np.arange(1, len(common) + 1) ** 0.8
    p = np.concatenate((COMMON_SHARE * zipf / zipf.sum(),
                        np.full(len(combos), (1 - COMMON_SHARE) / len(combos))))
    names = np.empty(len(common) + len(combos), dtype=object)
    names[:] = list(common) + list(combos)
    return names, p


@lru_cache(maxsize=None)
def _surnames() -> tuple[np.ndarray, np.ndarray]:
    names = np.empty(len(SURNAMES), dtype=object)
    names[:] = [s for s, _ in SURNAMES]
    w = np.array([w for _, w in SURNAMES])
    return names, w / w.sum()


@lru_cache(maxsize=None)
def _full_names(gender: str) -> np.ndarray:
    """Every surname × given name of a gender, as shared string objects."""
    given, _ = _given(gender)
    sur, _ = _surnames()
    out = np.empty(len(sur) * len(given), dtype=object)
    out[:] = [s + g for s in sur.tolist() for g in given.tolist()]
    return out


def draw_surnames(rng: np.random.Generator, n: int) -> np.ndarray:
    """Surname indices (into ``SURNAMES``) drawn by frequency."""
    _, p = _surnames()
    return rng.choice(len(p), size=n, p=p)


def person_names(rng: np.random.Generator, genders: np.ndarray,
                 surnames: np.ndarray | None = None) -> np.ndarray:
    """A name for each person; ``surnames`` (indices) keep a family's surname."""
    n = len(genders)
    sur = draw_surnames(rng, n) if surnames is None else surnames
    out = np.empty(n, dtype=object)
    for gender in ("男", "女"):
        mask = genders == gender
        if not mask.any():
            continue
        given, p = _given(gender)
        g = rng.choice(len(given), size=int(mask.sum()), p=p)
        out[mask] = _full_names(gender)[sur[mask] * len(given) + g]
    return out


def surname_index(names: np.ndarray) -> np.ndarray:
    """The ``SURNAMES`` index of each name (longest matching surname)."""
    lookup = {s: i for i, (s, _) in enumerate(SURNAMES)}
    return np.array([lookup.get(n[:2], lookup.get(n[:1], 0)) for n in names.tolist()])
