"""Social ties (社会关系): kinship, classmates, colleagues … and the relatives.

Each tie is listed once, in a random direction, with the Chinese word a
ledger would use for it (配偶, 父女, 兄弟, 连襟, 同班同学 …), chosen to fit the two
people's genders and ages.  Background ties stay inside one pool.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from loaders.generator.naming import person_names, surname_index, draw_surnames
from loaders.generator.util import NAT, days, group_starts, objectify, random_member, stream

#: relation -> (share of officials with such a tie, share of partners who are officials)
BACKGROUND: dict[str, tuple[float, float]] = {
    "spouse": (0.35, 0.12), "parent_child": (0.10, 0.10), "sibling": (0.10, 0.25),
    "in_law": (0.05, 0.20), "collateral": (0.04, 0.20), "classmate": (0.10, 1.0),
    "colleague": (0.03, 1.0), "townsman": (0.02, 1.0), "mentor": (0.03, 1.0),
    "secretary": (0.01, 1.0), "other": (0.02, 0.5),
}
KIN = ("spouse", "parent_child", "sibling", "in_law", "collateral")

_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "spouse": {"any": ("配偶", "夫妻", "配偶", "夫妻", "爱人")},
    "parent_child": {"MM": ("父子",), "MF": ("父女",), "FM": ("母子",), "FF": ("母女",),
                     "any": ("子女", "父母", "直系血亲")},
    "sibling": {"MM": ("兄弟",), "FF": ("姐妹",), "MF": ("兄妹",), "FM": ("姐弟",),
                "any": ("兄弟姐妹",)},
    "in_law": {"MM": ("连襟", "岳父", "女婿", "姐夫", "妹夫", "大舅子", "小舅子"),
               "FF": ("妯娌", "婆婆", "儿媳", "嫂子", "弟媳"),
               "MF": ("公公", "岳母", "女婿", "小姨子", "姐夫"),
               "FM": ("儿媳", "岳母", "嫂子", "大姑子", "弟媳"),
               "any": ("近姻亲", "姻亲", "亲家")},
    "collateral": {"MM": ("叔侄", "伯侄", "堂兄弟", "表兄弟"), "FF": ("堂姐妹", "表姐妹", "姑侄"),
                   "MF": ("舅甥", "表兄妹", "堂兄妹", "叔侄"), "FM": ("姑侄", "姨甥", "表姐弟"),
                   "any": ("旁系血亲", "表亲", "堂亲", "三代以内旁系血亲")},
    "classmate": {"any": ("同学", "同学", "同学", "同班同学", "校友", "同窗", "同届")},
    "colleague": {"any": ("同事", "原同事", "共事", "前同事")},
    "townsman": {"any": ("同乡", "老乡")},
    "mentor": {"any": ("师生", "师徒", "导师")},
    "secretary": {"any": ("秘书",)},
    "other": {"any": ("朋友", "战友", "邻居", "其他")},
}
_SOURCES = {"kin": ("个人有关事项报告", "个人有关事项报告", "干部人事档案", "巡察谈话了解"),
            "other": ("干部人事档案", "巡察谈话了解", "组织考察", "信访举报反映")}


def relation_words(rng: np.random.Generator, relation: str, gender_a: np.ndarray,
                   gender_b: np.ndarray, birth_a: np.ndarray, birth_b: np.ndarray) -> np.ndarray:
    """The word a ledger writes for each tie of one relation (older person first)."""
    table = _WORDS[relation]
    n = len(gender_a)
    older_a = birth_a <= birth_b
    g_old = np.where(older_a, gender_a, gender_b)
    g_young = np.where(older_a, gender_b, gender_a)
    combo = np.char.add(np.where(g_old == "男", "M", "F"), np.where(g_young == "男", "M", "F"))
    generic = rng.random(n) < (0.25 if len(table) > 1 else 1.0)
    out = np.empty(n, dtype=object)
    for key, words in table.items():
        mask = generic if key == "any" else (~generic & (combo == key))
        if mask.any():
            arr = np.array(words, dtype=object)
            out[mask] = arr[rng.integers(0, len(arr), int(mask.sum()))]
    return out


def _relatives(rng: np.random.Generator, relation: str, base: pd.DataFrame,
               anchor: np.ndarray) -> pd.DataFrame:
    """New people (no posts) who are the relatives of ``anchor`` officials."""
    n = len(anchor)
    g = base["gender"].to_numpy()[anchor]
    b = base["birth_year"].to_numpy()[anchor]
    if relation == "spouse":
        gender = np.where(g == "男", "女", "男").astype(object)
        birth = b + rng.integers(-3, 6, n) * np.where(g == "男", 1, -1)
    else:
        gender = np.where(rng.random(n) < 0.5, "男", "女").astype(object)
        shift = {"parent_child": np.where(rng.random(n) < 0.6, 1, -1) * rng.integers(24, 33, n),
                 "sibling": rng.integers(-8, 9, n)}.get(relation, rng.integers(-15, 16, n))
        birth = b + shift
    birth = np.minimum(birth, 2004)
    kin_name = relation in ("parent_child", "sibling", "collateral")
    same = kin_name & (rng.random(n) < 0.85)
    sur = np.where(same, surname_index(base["name"].to_numpy()[anchor]), draw_surnames(rng, n))
    return pd.DataFrame({
        "name": person_names(rng, gender, sur), "gender": gender, "birth_year": birth,
        "hometown": base["hometown"].to_numpy()[anchor], "pool": base["pool"].to_numpy()[anchor],
        "specialty": None,
    })


def build_ties(people: pd.DataFrame, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Background ties among the officials of each pool; returns (ties, people + relatives)."""
    rng = stream(seed, "ties")
    n_off = len(people)
    pool = people["pool"].to_numpy()
    order = np.argsort(pool, kind="stable")
    starts, counts = group_starts(pool[order], int(pool.max()) + 1)
    frames, extra, next_id = [], [], n_off
    for relation, (share, official) in BACKGROUND.items():
        a = np.flatnonzero(rng.random(n_off) < share)
        to_official = rng.random(len(a)) < official
        b = np.full(len(a), -1, np.int64)
        b[to_official] = random_member(rng, pool[a[to_official]], order, starts, counts)
        rel = _relatives(rng, relation, people, a[~to_official])
        b[~to_official] = np.arange(next_id, next_id + len(rel))
        next_id += len(rel)
        extra.append(rel)
        frames.append(pd.DataFrame({"a": a, "b": b, "relation": relation}))
    everyone = pd.concat([people] + extra, ignore_index=True)
    ties = pd.concat(frames, ignore_index=True)
    ties = _clean(ties, everyone)
    ties = _describe(rng, objectify(ties), objectify(everyone))
    return objectify(ties), everyone


def _clean(ties: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
    """No self ties, one tie per pair, one spouse each, spouses of opposite gender."""
    a, b = ties["a"].to_numpy(), ties["b"].to_numpy()
    ok = (b >= 0) & (a != b)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    ties = ties.assign(lo=lo, hi=hi)[ok]
    ties = ties.drop_duplicates(["lo", "hi"], keep="first")
    sp = ties["relation"].to_numpy() == "spouse"
    g = people["gender"].to_numpy()
    bad = sp & (g[ties["a"].to_numpy()] == g[ties["b"].to_numpy()])
    ties = ties[~bad]
    sp = ties["relation"].to_numpy() == "spouse"
    ends = np.concatenate((ties["a"].to_numpy()[sp], ties["b"].to_numpy()[sp]))
    uniq, cnt = np.unique(ends, return_counts=True)
    multi = uniq[cnt > 1]
    drop = sp & (np.isin(ties["a"].to_numpy(), multi) | np.isin(ties["b"].to_numpy(), multi))
    return ties[~drop].drop(columns=["lo", "hi"]).reset_index(drop=True)


def _describe(rng: np.random.Generator, ties: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
    """Random direction, the Chinese word, since (marriage / graduation) and source."""
    swap = rng.random(len(ties)) < 0.5
    a = np.where(swap, ties["b"].to_numpy(), ties["a"].to_numpy())
    b = np.where(swap, ties["a"].to_numpy(), ties["b"].to_numpy())
    ties = pd.DataFrame({"a": a, "b": b, "relation": ties["relation"].to_numpy()})
    return describe_ties(rng, ties, people)


def describe_ties(rng: np.random.Generator, ties: pd.DataFrame,
                  people: pd.DataFrame) -> pd.DataFrame:
    """Add word, since and source to ties given as (a, b, relation)."""
    g = people["gender"].to_numpy()
    by = people["birth_year"].to_numpy()
    a, b = ties["a"].to_numpy(), ties["b"].to_numpy()
    rel = ties["relation"].to_numpy()
    word = np.empty(len(ties), dtype=object)
    for relation in _WORDS:
        m = rel == relation
        if m.any():
            word[m] = relation_words(rng, relation, g[a[m]], g[b[m]], by[a[m]], by[b[m]])
    year = np.maximum(by[a], by[b])
    since = np.full(len(ties), NAT)
    sp = rel == "spouse"
    marry = (year[sp] + rng.integers(23, 31, sp.sum()) - 1970).astype("datetime64[Y]")
    since[sp] = marry.astype("datetime64[D]") + days(rng.integers(0, 365, sp.sum()))
    cm = rel == "classmate"
    grad = (np.minimum(by[a[cm]], by[b[cm]]) + 22 - 1970).astype("datetime64[Y]")
    since[cm] = grad.astype("datetime64[D]") + np.timedelta64(181, "D")
    kin = np.isin(rel, KIN)
    src = np.empty(len(ties), dtype=object)
    for key, mask in (("kin", kin), ("other", ~kin)):
        arr = np.array(_SOURCES[key], dtype=object)
        src[mask] = arr[rng.integers(0, len(arr), int(mask.sum()))]
    return objectify(ties.assign(word=word, since=since, source=src))
