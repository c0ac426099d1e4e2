"""Posts with a blank end date although a later post elsewhere began (任职结束时间空缺).

Real 干部名册 often leave the end of an earlier post empty once the person has
moved on.  A share of the posts that have a later post of the same person in
another unit lose their end date; the truth keeps it (the day before the
later post starts) in ``blank_end_posts``.  Some of these people are made the
relatives of cross-round members, so a reader who takes a blank end as "still
in post" finds false hard conflicts: those pairs are ``hard_decoys``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from loaders.generator.realism import kinlaw as K
from loaders.generator.realism.context import cross_round
from loaders.generator.realism.kinship import fits
from loaders.generator.util import stream

SHARE = 0.12
TRAPS_PER_TEAM = 1
_TRAP_WORDS = ("哥哥", "表弟", "妻弟", "姐夫", "堂哥", "舅舅", "姐姐", "表妹", "嫂子", "姑姑")
DAY = pd.Timedelta(days=1)


def _later_elsewhere(posts: pd.DataFrame) -> pd.DataFrame:
    """Each ended post with the next post of the same person in another unit."""
    p = posts.reset_index().rename(columns={"index": "row"})
    p = p.sort_values(["person_id", "start", "row"], kind="stable")
    nxt = p.groupby("person_id")[["unit_id", "start"]].shift(-1)
    p = p.assign(next_unit_id=nxt["unit_id"], next_start=nxt["start"])
    ok = p["end"].notna() & p["next_start"].notna() & (p["next_unit_id"] != p["unit_id"]) \
        & (p["next_start"] > p["start"] + DAY)
    return p[ok]


def blank_end_dates(gen):
    """The transform: blank ends, their truth, and the traps they set."""
    rng = stream(gen.seed, "realism/blank_ends")
    t = gen.tables
    posts = t["posts"].copy()
    cand = _later_elsewhere(posts)
    cr = cross_round(t, gen.truth["conflict_round_id"])
    traps = _traps(cand, cr, rng)
    pick = cand[(rng.random(len(cand)) < SHARE) | cand["row"].isin([r["row"] for r in traps])]
    rows = pick["row"].to_numpy()
    true_end = (pick["next_start"] - DAY).to_numpy()
    posts.loc[rows, "end"] = pd.NaT
    t["posts"] = posts
    gen.truth["blank_end_posts"] = [
        {"person_id": p, "unit_id": u, "start": _d(s), "true_end": _d(e), "next_unit_id": nu,
         "next_start": _d(ns)}
        for p, u, s, e, nu, ns in zip(pick["person_id"], pick["unit_id"], pick["start"],
                                      true_end, pick["next_unit_id"], pick["next_start"])]
    _tie_traps(gen, traps, rng)
    return gen


def _d(v) -> str:
    return pd.Timestamp(v).date().isoformat()


def _traps(cand: pd.DataFrame, cr, rng) -> list[dict]:
    """Posts in a round unit that ended before the round, by people now elsewhere
    (in a unit outside the round), each paired with a member of another region."""
    round_units = set(cr.units)
    c = cand[cand["unit_id"].isin(round_units) & (cand["next_start"] <= cr.start)
             & ~cand["next_unit_id"].isin(round_units)]
    c = c.drop_duplicates("person_id")
    officials = set(cr.officials["person_id"])
    c = c[~c["person_id"].isin(officials)]
    order = rng.permutation(len(c))
    members = cr.members[["team_id", "person_id"]].drop_duplicates("person_id")
    out, used = [], set()
    for team in sorted(members["team_id"].unique()):
        mine = members.loc[members["team_id"] == team, "person_id"].tolist()
        for j in order:
            row = c.iloc[int(j)]
            if row["row"] in used or (team, row["unit_id"]) in cr.home_units:
                continue
            used.add(row["row"])
            out.append({"row": int(row["row"]), "team_id": team,
                        "member": mine[int(rng.integers(0, len(mine)))],
                        "person_id": row["person_id"], "unit_id": row["unit_id"]})
            break
        if len(out) >= TRAPS_PER_TEAM * members["team_id"].nunique():
            break
    return out


def _tie_traps(gen, traps: list[dict], rng) -> None:
    if not traps:
        return
    people = gen.tables["people"]
    gender = dict(zip(people["person_id"], people["gender"]))
    pool = [K.BY_WORD[w] for w in _TRAP_WORDS]
    words = []
    for r in traps:  # a word that fits both genders (the ages are left loose)
        ok = [w.word for w in pool if fits(w, gender[r["member"]], gender[r["person_id"]], 0, 0)]
        words.append(ok[int(rng.integers(0, len(ok)))])
    new = pd.DataFrame({"person_a": [r["member"] for r in traps],
                        "person_b": [r["person_id"] for r in traps],
                        "relation": [K.relation_of(w) for w in words],
                        "since": pd.Series([pd.NaT] * len(traps), dtype="datetime64[ns]"),
                        "source": "个人有关事项报告"})
    t = gen.tables
    t["ties"] = pd.concat([t["ties"], new], ignore_index=True)
    gen.zh["ties"]["relation"] = np.concatenate(
        [gen.zh["ties"]["relation"], np.array(words, dtype=object)])
    decoys = [{"team_id": r["team_id"], "person_id": r["member"], "unit_id": r["unit_id"],
               "why": "blank end date, later post elsewhere"} for r in traps]
    gen.truth["hard_decoys"] = sorted(gen.truth["hard_decoys"] + decoys,
                                      key=lambda d: (d["team_id"], d["person_id"], d["unit_id"]))
