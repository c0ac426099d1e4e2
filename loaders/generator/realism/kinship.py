"""Relation words from the whole kinship grammar, and kin plants judged by the law.

Every kin tie gets an everyday word (表哥, 妻弟, 小叔子, 姑父 …) that fits the two
people's genders and ages, oriented "person_b is person_a's <word>", and its
canonical ``relation`` becomes what ``kinlaw`` says the law makes of it.  Then
the cross round gets plants: direct ties to officials of round units in words
of every degree, in words the law does not name (表侄, 舅爷 — decoys), and
two-tie chains through a relative without a post (表哥 then 妻子 is 近姻亲;
姐夫 then 父亲 is not).  ``ties_law`` and ``kin_chains`` record each judgement.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from loaders.generator.naming import person_names, surname_index
from loaders.generator.realism import kinlaw as K
from loaders.generator.realism.context import CrossRound, cross_round
from loaders.generator.util import stream

KIN = ("spouse", "parent_child", "sibling", "collateral", "in_law")
#: which words may stand for a tidy relation (by the law's degree and path)
_FOR_RELATION = {
    "spouse": [w for w in K.WORDS if K.degree(w.path) == K.SPOUSE],
    "parent_child": [w for w in K.WORDS if K.degree(w.path) == K.LINEAL],
    "sibling": [w for w in K.WORDS if w.path == (K.G,)],
    "collateral": [w for w in K.WORDS if K.degree(w.path) == K.COLLATERAL3 and w.path != (K.G,)],
    "in_law": [w for w in K.WORDS if K.degree(w.path) == K.IN_LAW],
}
_UNNAMED = [w for w in K.WORDS if K.degree(w.path) is None]
#: planted chains (w1, w2): hard by the law, and not
HARD_CHAINS = (("表哥", "妻子"), ("配偶", "姐夫"), ("哥哥", "妻子"), ("妻子", "弟弟"),
               ("堂弟", "老婆"), ("丈夫", "妹妹"))
SOFT_CHAINS = (("姐夫", "父亲"), ("表哥", "岳父"), ("表弟", "儿子"), ("配偶", "爷爷"))


def fits(w: K.Word, ga: str, gb: str, diff: int, gap: int = 12) -> bool:
    """Whether person_b (gender gb, born ``diff`` years after a) can be a's ``w``
    (a generation apart: at least ``gap`` years)."""
    if (w.b and w.b != gb) or (w.a and w.a != ga):
        return False
    gen = w.gen
    if gen > 0:
        return diff <= -gap * gen
    if gen < 0:
        return diff >= gap * -gen
    if gap and abs(diff) > 16:
        return False
    return w.older == 0 or (w.older > 0 and diff <= 0) or (w.older < 0 and diff >= 0)


def _choose(rng, words: list[K.Word], ga: str, gb: str, diff: int,
            gap: int = 12) -> K.Word | None:
    ok = [w for w in words if fits(w, ga, gb, diff, gap)]
    return ok[int(rng.integers(0, len(ok)))] if ok else None


def rewrite_words(rng: np.random.Generator, ties: pd.DataFrame, people: pd.DataFrame,
                  words: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """Give every kin tie a grammar word that fits; swap a/b where only the other
    direction fits; returns (ties, words)."""
    g = dict(zip(people["person_id"], people["gender"]))
    by = dict(zip(people["person_id"], people["birth_year"].astype("float")))
    a, b = ties["person_a"].to_numpy().copy(), ties["person_b"].to_numpy().copy()
    rel = ties["relation"].to_numpy().copy()
    words = words.copy()
    for i in np.flatnonzero(np.isin(rel, KIN)):
        pa, pb = a[i], b[i]
        pool = _FOR_RELATION[rel[i]]
        diff = int(by[pb] - by[pa]) if not (np.isnan(by[pa]) or np.isnan(by[pb])) else 0
        w = _choose(rng, pool, g[pa], g[pb], diff)
        if w is None:
            w = _choose(rng, pool, g[pb], g[pa], -diff)
            if w is not None:
                a[i], b[i] = pb, pa
        if w is None:  # ages the tidy data left close: only the order of birth counts
            w = _choose(rng, pool, g[pa], g[pb], diff, 0) or _choose(rng, pool, g[pb], g[pa],
                                                                        -diff, 0)
            if w is not None and not fits(w, g[pa], g[pb], diff, 0):
                a[i], b[i] = pb, pa
        if w is None:
            continue  # keep the tidy word: a pair word (父子) the law table also names
        words[i] = w.word
        rel[i] = K.relation_of(w.word)
    ties = ties.assign(person_a=a, person_b=b, relation=rel)
    return ties, words


class _Adder:
    """Collects new ties (and relatives) for the cross-round plants."""

    def __init__(self, gen, rng):
        self.gen, self.rng = gen, rng
        self.people = gen.tables["people"]
        self.ties: list[dict] = []
        self.words: list[str] = []
        self.new_people: list[dict] = []
        ids = self.people["person_id"].tolist()
        self.width = len(ids[0]) - 1 if ids else 4
        self.next = len(ids) + 1
        self.info = {p: (gdr, by) for p, gdr, by in
                     zip(self.people["person_id"], self.people["gender"], self.people["birth_year"])}

    def tie(self, a: str, b: str, word: str) -> None:
        self.ties.append({"person_a": a, "person_b": b, "relation": K.relation_of(word),
                          "since": pd.NaT, "source": "个人有关事项报告"})
        self.words.append(word)

    def relative(self, like: str, gender: str, birth: int) -> str:
        pid = f"P{self.next:0{self.width}d}"
        self.next += 1
        row = self.people.loc[self.people["person_id"] == like].iloc[0].to_dict()
        sur = surname_index(np.array([row["name"]], dtype=object))
        name = person_names(self.rng, np.array([gender], dtype=object), sur)[0]
        self.new_people.append({**row, "person_id": pid, "name": name,
                                "gender": gender, "birth_year": birth, "specialty": None})
        self.info[pid] = (gender, birth)
        return pid


def _pairs(cr: CrossRound, taken: set) -> list[tuple[str, str, str, str]]:
    """(team, member, unit, official) candidates outside the team's own region."""
    out = []
    off = cr.officials.groupby("unit_id")["person_id"].apply(list).to_dict()
    for team, member in zip(cr.members["team_id"], cr.members["person_id"]):
        for u in cr.units:
            if (team, u) in cr.home_units:
                continue
            for o in off.get(u, ()):
                if o not in taken and member not in taken:
                    out.append((team, member, u, o))
    return out


def _plant(gen, cr: CrossRound, add: _Adder, rng) -> tuple[list[dict], list[dict]]:
    taken: set = set(gen.tables["ties"]["person_a"]) | set(gen.tables["ties"]["person_b"])
    taken &= set(cr.members["person_id"])  # members already in a plant keep their story
    cands = _pairs(cr, taken)
    rng.shuffle(cands)
    used_pairs, used_officials, decoys, chains = set(), set(), [], []
    n_teams = cr.members["team_id"].nunique()
    plan = (["hard_chain"] * max(2, n_teams // 2) + ["soft_chain"] * max(2, n_teams // 3)
            + ["hard", "hard", "decoy"] * n_teams)
    k = 0
    for step, kind in enumerate(plan):
        while k < len(cands):
            team, m, u, o = cands[k]
            k += 1
            if (m, u) in used_pairs or o in used_officials:
                continue
            made = _plant_one(add, rng, kind, step, team, m, u, o)
            if made is None:
                continue
            decoy, chain = made
            decoys += decoy
            chains += chain
            used_pairs.add((m, u))
            used_officials.add(o)
            break
    return decoys, chains


def _plant_one(add: _Adder, rng, kind: str, step: int, team: str, m: str, u: str, o: str):
    """One plant on (member m, official o of unit u); None when the genders do not fit."""
    (gm, bm), (go, bo) = add.info[m], add.info[o]
    if kind in ("hard", "decoy"):
        if kind == "hard":
            deg = K.DEGREES[step % len(K.DEGREES)]
            pool = [w for w in K.WORDS if K.degree(w.path) == deg]
        else:
            pool = _UNNAMED
        w = _choose(rng, pool, gm, go, int(bo - bm)) or _choose(rng, pool, gm, go, 0, 0)
        if w is None:
            return None
        add.tie(m, o, w.word)
        why = f"kin the law does not name ({w.word})"
        return ([{"team_id": team, "person_id": m, "unit_id": u, "why": why}]
                if kind == "decoy" else []), []
    chains = HARD_CHAINS if kind == "hard_chain" else SOFT_CHAINS
    w1, w2 = chains[step % len(chains)]
    a1, a2 = K.BY_WORD[w1], K.BY_WORD[w2]
    if (a1.a and a1.a != gm) or (a2.b and a2.b != go):
        return None
    x_gender = a1.b or a2.a or ("男" if rng.random() < 0.5 else "女")
    x = add.relative(m, x_gender, int(bm) - 25 * a1.gen + int(rng.integers(-3, 4)))
    add.tie(m, x, w1)
    add.tie(x, o, w2)
    path = K.compose(a1.path, a2.path)
    deg = K.degree(path)
    chain = {"team_id": team, "person_id": m, "via": x, "official": o, "unit_id": u,
             "words": [w1, w2], "path": K.path_zh(path), "degree": deg, "hard": deg is not None}
    decoy = [] if deg else [{"team_id": team, "person_id": m, "unit_id": u,
                             "why": f"chain the law does not name ({w1}的{w2})"}]
    return decoy, [chain]


def realistic_kinship(gen):
    """The transform: grammar words for every kin tie, plus law-judged plants."""
    rng = stream(gen.seed, "realism/kinship")
    t = gen.tables
    ties, words = rewrite_words(rng, t["ties"], t["people"], gen.zh["ties"]["relation"])
    t["ties"] = ties
    gen.zh["ties"]["relation"] = words
    cr = cross_round(t, gen.truth["conflict_round_id"])
    add = _Adder(gen, rng)
    decoys, chains = _plant(gen, cr, add, rng)
    if add.new_people:
        new = pd.DataFrame(add.new_people).astype({"birth_year": "Int64"})
        t["people"] = pd.concat([t["people"], new[t["people"].columns]], ignore_index=True)
    if add.ties:
        new = pd.DataFrame(add.ties)
        new["since"] = new["since"].astype("datetime64[ns]")
        t["ties"] = pd.concat([t["ties"], new], ignore_index=True)
        gen.zh["ties"]["relation"] = np.concatenate(
            [gen.zh["ties"]["relation"], np.array(add.words, dtype=object)])
    gen.truth["hard_decoys"] = sorted(gen.truth["hard_decoys"] + decoys,
                                      key=lambda d: (d["team_id"], d["person_id"], d["unit_id"]))
    gen.truth["kin_chains"] = chains
    return gen


def ties_law(tables: dict[str, pd.DataFrame], words: np.ndarray,
             keep: set[str] | None = None) -> list[dict]:
    """The law's judgement of every kin tie (restricted to ties touching ``keep``)."""
    out = []
    t = tables["ties"]
    for a, b, word in zip(t["person_a"], t["person_b"], words):
        if word not in K.BY_WORD or (keep is not None and a not in keep and b not in keep):
            continue
        path = K.BY_WORD[word].path
        deg = K.degree(path)
        out.append({"person_a": a, "person_b": b, "word": word, "path": K.path_zh(path),
                    "degree": deg, "hard": deg is not None})
    return out
