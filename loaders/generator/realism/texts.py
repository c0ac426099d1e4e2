"""Problems as real ledgers write them: units with none, categories by unit kind,
long texts with stock openings, near-duplicates in other words, a decoy stock
sentence in most units, and category labels that vary by team.

Each function is one transform (``gen -> gen``); planted problems (the
``problem_ids`` of ``truth["clusters"]``) keep their category, so the cluster
truth stays true.  See the package docstring for the truth each one records.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from loaders.generator.realism import wording as W
from loaders.generator.taxonomy import CATEGORIES
from loaders.generator.util import stream

EMPTY_SHARE = 0.03
LONG_SHARE = 0.75
SANZI_FROM_FINANCE = 0.35
DECOY_SHARE = 0.75
FIRST_ITEM_CHARS = 40
CANONICAL_SHARE = 0.4  # a team writes the canonical wording of a category this often
_FOCUS = {c.name: c.focus for c in CATEGORIES} | {W.SANZI: W.SANZI_FOCUS}


def _planted(gen) -> set[str]:
    return {p for c in gen.truth["clusters"] for p in c["problem_ids"]}


def _pick(rng, options, n: int) -> np.ndarray:
    arr = np.array(options, dtype=object)
    return arr[rng.integers(0, len(arr), n)]


def _values(rng, n: int, years: np.ndarray) -> dict[str, np.ndarray]:
    y = years - rng.integers(0, 3, n)
    return {"y": y, "y2": y + rng.integers(1, 3, n), "m": rng.integers(1, 13, n),
            "d": rng.integers(1, 29, n), "n": rng.integers(2, 40, n),
            "amt": np.round(np.exp(rng.normal(2.0, 1.2, n)), 2).clip(0.2, 5000)}


def _fill(templates: np.ndarray, v: dict[str, np.ndarray], extra: dict[str, np.ndarray]) -> list:
    out = []
    for i, t in enumerate(templates.tolist()):
        out.append(t.format(y=v["y"][i], y2=v["y2"][i], m=v["m"][i], d=v["d"][i], n=v["n"][i],
                            amt=f"{v['amt'][i]:.2f}", **{k: e[i] for k, e in extra.items()}))
    return out


def _years(problems: pd.DataFrame) -> np.ndarray:
    return problems["found_date"].dt.year.fillna(2024).to_numpy(dtype=np.int64)


# ---------------------------------------------------------------------------
def units_without_problems(gen):
    """Some inspected units found nothing: their problems (and measures) go."""
    rng = stream(gen.seed, "realism/empty_units")
    t = gen.tables
    pr = t["problems"]
    busy = {u for c in gen.truth["clusters"] for u in c["unit_ids"]} | set(t["leads"]["unit_id"])
    cands = np.array(sorted(set(pr["unit_id"]) - busy), dtype=object)
    empty = set(cands[rng.random(len(cands)) < EMPTY_SHARE].tolist())
    gone = pr["unit_id"].isin(empty)
    lost = set(pr.loc[gone, "problem_id"])
    t["problems"] = pr[~gone].reset_index(drop=True)
    m = t["measures"]
    t["measures"] = m[~m["problem_id"].isin(lost)].reset_index(drop=True)
    if "measures" in gen.zh:
        keep = ~m["problem_id"].isin(lost).to_numpy()
        gen.zh["measures"] = {k: v[keep] for k, v in gen.zh["measures"].items()}
    _drop_outcomes_of(gen, lost, set(m.loc[m["problem_id"].isin(lost), "measure_id"]))
    assigned = set(t["assignments"]["unit_id"])
    gen.truth["units_without_problems"] = sorted(assigned - set(t["problems"]["unit_id"]))
    return gen


def _drop_outcomes_of(gen, problems: set, measures: set) -> None:
    """Reviews of the problems and measures that went are gone too, and
    visits no longer name those measures: a ledger never refers to a
    measure it does not hold."""
    from loaders.generator.outcomes import outcome_truth

    t = gen.tables
    if "reviews" in t:
        r = t["reviews"]
        t["reviews"] = r[~(r["measure_id"].isin(measures) | r["problem_id"].isin(problems))] \
            .reset_index(drop=True)
    if "visits" in t:
        def kept(ids):
            if not isinstance(ids, str):
                return ids
            left = [i for i in ids.split(";") if i not in measures]
            return ";".join(left) if left else None
        t["visits"] = t["visits"].assign(measure_ids=t["visits"]["measure_ids"].map(kept))
    if "outcomes" in gen.truth and {"reviews", "results", "lead_people", "talks",
                                    "visits"} <= set(t):
        gen.truth["outcomes"] = outcome_truth(t, np.datetime64(gen.as_of, "D"))


def category_mix(gen):
    """三资 only in villages; villages have no 选人用人 / 国有资产 findings."""
    rng = stream(gen.seed, "realism/category_mix")
    t = gen.tables
    pr = t["problems"].copy()
    kind = pr["unit_id"].map(dict(zip(t["units"]["unit_id"], t["units"]["kind"])))
    village = kind.isin(W.VILLAGE_KINDS).to_numpy()
    cat = pr["category"].to_numpy()
    free = ~pr["problem_id"].isin(_planted(gen)).to_numpy()
    move = village & free & (np.isin(cat, W.NOT_IN_VILLAGES) | (
        (cat == "财务管理不规范") & (rng.random(len(pr)) < SANZI_FROM_FINANCE)))
    rows = np.flatnonzero(move)
    v = _values(rng, len(rows), _years(pr.iloc[rows]))
    texts = _fill(_pick(rng, W.SANZI_CORES, len(rows)), v, {})
    pr.loc[pr.index[rows], "description"] = [x + "。" for x in texts]
    pr.loc[pr.index[rows], "category"] = W.SANZI
    pr.loc[pr.index[rows], "subcategory"] = _pick(rng, W.SANZI_SUBS, len(rows))
    pr.loc[pr.index[rows], "focus"] = W.SANZI_FOCUS
    t["problems"] = pr
    kinds = sorted(set(t["units"]["kind"].dropna()))
    gen.truth["category_mix"] = {
        W.SANZI: list(W.VILLAGE_KINDS),
        **{c: [k for k in kinds if k not in W.VILLAGE_KINDS] for c in W.NOT_IN_VILLAGES}}
    return gen


class _Places:
    """Where a second item happens: a village group, a village of the township,
    or an office of the unit."""

    def __init__(self, units: pd.DataFrame):
        self.name = dict(zip(units["unit_id"], units["name"]))
        self.kind = dict(zip(units["unit_id"], units["kind"]))
        kids: dict[str, list[str]] = {}
        for u, p, k in zip(units["unit_id"], units["parent_id"], units["kind"]):
            if p is not None and k in W.VILLAGE_KINDS:
                kids.setdefault(p, []).append(u)
        self.kids = kids

    def __call__(self, rng, unit: str) -> str:
        kind = self.kind.get(unit)
        if kind in W.VILLAGE_KINDS:
            return f"{self.name[unit]}第{int(rng.integers(1, 9))}村民小组"
        kids = self.kids.get(unit)
        if kids:
            return self.name[kids[int(rng.integers(0, len(kids)))]]
        return self.name[unit] + W.OFFICES[int(rng.integers(0, len(W.OFFICES)))]

    def rural(self, unit: str) -> bool:
        return self.kind.get(unit) in W.VILLAGE_KINDS or unit in self.kids


def _second_items(rng, units: np.ndarray, years: np.ndarray, places: _Places) -> list[str]:
    n = len(units)
    v = _values(rng, n, years)
    rural = np.array([places.rural(u) for u in units.tolist()], dtype=bool)
    things = np.where(rural, _pick(rng, W.THINGS_RURAL, n), _pick(rng, W.THINGS, n))
    extra = {"place": np.array([places(rng, u) for u in units.tolist()], dtype=object),
             "thing": things}
    return _fill(_pick(rng, W.SECOND_ITEMS, n), v, extra)


def _clauses(text: str, limit: int = FIRST_ITEM_CHARS) -> str:
    """The first clauses of a text, up to about ``limit`` characters (two at least)."""
    parts = text.rstrip("。").split(",")
    out = parts[0]
    for k, part in enumerate(parts[1:]):
        if k >= 1 and len(out) + len(part) > limit:
            break
        out += "," + part
    return out


def _long(rng, focus: np.ndarray, first: list[str], second: list[str]) -> list[str]:
    openers = [W.OPENERS[f][int(rng.integers(0, len(W.OPENERS[f])))] for f in focus.tolist()]
    return [f"{o}一是{_clauses(a)};二是{b}。" for o, a, b in zip(openers, first, second)]


def long_texts(gen):
    """≈80-character texts: a stock 四个聚焦 opening, then 一是/二是 items."""
    rng = stream(gen.seed, "realism/long_texts")
    t = gen.tables
    pr = t["problems"].copy()
    free = ~pr["problem_id"].isin(_planted(gen)).to_numpy()
    rows = np.flatnonzero(free & (rng.random(len(pr)) < LONG_SHARE))
    sub = pr.iloc[rows]
    second = _second_items(rng, sub["unit_id"].to_numpy(), _years(sub), _Places(t["units"]))
    focus = sub["category"].map(_FOCUS).to_numpy()
    pr.loc[pr.index[rows], "description"] = _long(rng, focus, sub["description"].tolist(), second)
    t["problems"] = pr
    gen.truth["boilerplate"] = {"openers": sorted({o for v in W.OPENERS.values() for o in v})}
    return gen


def near_duplicates(gen):
    """The planted near-duplicates re-said in other words, inside long texts."""
    rng = stream(gen.seed, "realism/near_duplicates")
    t = gen.tables
    pr = t["problems"].copy()
    pos = dict(zip(pr["problem_id"], range(len(pr))))
    places = _Places(t["units"])
    out = []
    for c in gen.truth["clusters"]:
        if c["kind"] != "near_duplicate":
            continue
        ids = sorted(c["problem_ids"])
        rows = np.array([pos[p] for p in ids])
        words = W.PARAPHRASES[c["phrase"]]
        order = rng.permutation(len(words))
        picks = np.array([words[order[i % len(words)]] for i in range(len(rows))], dtype=object)
        sub = pr.iloc[rows]
        first = _fill(picks, _values(rng, len(rows), _years(sub)), {})
        second = _second_items(rng, sub["unit_id"].to_numpy(), _years(sub), places)
        focus = np.array([_FOCUS[c["category"]]] * len(rows), dtype=object)
        pr.loc[pr.index[rows], "description"] = _long(rng, focus, first, second)
        out.append({"phrase": c["phrase"], "category": c["category"],
                    "unit_ids": c["unit_ids"], "problem_ids": ids})
    t["problems"] = pr
    gen.truth["near_duplicates"] = out
    return gen


def decoy_sentence(gen):
    """One stock sentence as a problem in most units (their latest round)."""
    rng = stream(gen.seed, "realism/decoy")
    t = gen.tables
    pr = t["problems"]
    start = dict(zip(t["rounds"]["round_id"], t["rounds"]["start"]))
    last = pr.assign(s=pr["round_id"].map(start)).sort_values(["unit_id", "s", "round_id"]) \
        .drop_duplicates("unit_id", keep="last")
    last = last[rng.random(len(last)) < DECOY_SHARE]
    n = len(last)
    width = max(len(str(p)) for p in pr["problem_id"]) - 1
    first = max(int(str(p)[1:]) for p in pr["problem_id"]) + 1
    ids = [f"Q{i:0{width}d}" for i in range(first, first + n)]
    sub = next(c.subs[0].name for c in CATEGORIES if c.name == W.DECOY_CATEGORY)
    rounds_start = last["round_id"].map(start)
    new = pd.DataFrame({
        "problem_id": ids, "unit_id": last["unit_id"].to_numpy(),
        "round_id": last["round_id"].to_numpy(), "category": W.DECOY_CATEGORY,
        "subcategory": sub, "description": _pick(rng, W.DECOY_FORMS, n),
        "found_date": (rounds_start + pd.Timedelta(days=10)).to_numpy(), "person_ids": None,
        "immediate": False, "focus": _FOCUS[W.DECOY_CATEGORY], "key_concern": False})
    new = new.astype({c: pr[c].dtype for c in pr.columns})
    t["problems"] = pd.concat([pr, new], ignore_index=True)
    gen.truth.setdefault("boilerplate", {})["decoy"] = {
        "text": W.DECOY, "unit_ids": sorted(new["unit_id"]), "problem_ids": ids}
    return gen


def team_labels(gen):
    """Each team writes each category its own way (违反中央八项规定精神 / 八项规定 / 作风问题)."""
    rng = stream(gen.seed, "realism/labels")
    t = gen.tables
    pr = t["problems"].copy()
    a = t["assignments"].drop_duplicates(["round_id", "unit_id"])
    team = pd.MultiIndex.from_frame(pr[["round_id", "unit_id"]]).map(
        dict(zip(zip(a["round_id"], a["unit_id"]), a["team_id"])))
    cats = sorted(W.LABELS)
    choice: dict[tuple[str, str], str] = {}
    for tm in sorted(set(t["assignments"]["team_id"])):
        for c in cats:
            words = W.LABELS[c]
            k = 0 if rng.random() < CANONICAL_SHARE else int(rng.integers(1, len(words)))
            choice[(tm, c)] = words[k]
    pr["category"] = [choice.get((tm, c), c) for tm, c in zip(team, pr["category"])]
    t["problems"] = pr
    used = set(pr["category"])
    gen.truth["category_labels"] = {w: c for c in cats for w in W.LABELS[c] if w in used}
    gen.truth["category_focus"] = {c: _FOCUS[c] for c in cats}
    return gen
