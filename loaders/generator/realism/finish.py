"""Recompute the truth that depends on what the transforms changed.

Conflicts are evaluated on the *true* tables: posts with their true end dates
(``blank_end_posts``), problems with canonical categories; kinship by the
law's degree of each tie's word and of every two-tie chain member → X →
official (``kinlaw``), never by linkgraph's rules.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from loaders.generator import truth as T
from loaders.generator.realism import kinlaw as K
from loaders.generator.realism.context import cross_round
from loaders.generator.realism.kinship import ties_law


def true_tables(gen) -> dict[str, pd.DataFrame]:
    t = dict(gen.tables)
    blank = gen.truth.get("blank_end_posts") or []
    if blank:
        posts = t["posts"].copy()
        fix = pd.DataFrame(blank)
        key = pd.MultiIndex.from_frame(posts[["person_id", "unit_id"]].assign(
            start=posts["start"].dt.date.astype(str)))
        want = dict(zip(zip(fix["person_id"], fix["unit_id"], fix["start"]),
                        pd.to_datetime(fix["true_end"])))
        ends = [want.get(k) for k in key]
        mask = np.array([e is not None for e in ends]) & posts["end"].isna().to_numpy()
        posts.loc[mask, "end"] = [e for e, m in zip(ends, mask) if m]
        t["posts"] = posts
    labels = gen.truth.get("category_labels")
    if labels:
        t["problems"] = t["problems"].assign(
            category=t["problems"]["category"].map(lambda c: labels.get(c, c)))
    return t


def _paths(tables, words: np.ndarray) -> pd.DataFrame:
    """Every kin tie in both directions with its path (read from p to q)."""
    ti = tables["ties"]
    rows = []
    for a, b, w in zip(ti["person_a"], ti["person_b"], words):
        word = K.BY_WORD.get(w)
        if word is None:
            continue
        rows.append((a, b, word.path, w))
        rows.append((b, a, K.inverse(word.path), w))
    return pd.DataFrame(rows, columns=["p", "q", "path", "word"])


def kin_chains(tables, words: np.ndarray, round_id: str, planted: list[dict]) -> list[dict]:
    """Every chain member → X → official (X not the member, not the official) whose
    composed path the law names, plus the planted chains it does not."""
    cr = cross_round(tables, round_id)
    edges = _paths(tables, words)
    first = edges[edges["p"].isin(set(cr.members["person_id"]))]
    two = first.merge(edges, left_on="q", right_on="p", suffixes=("", "_2"))
    two = two[two["q_2"] != two["p"]]
    two = two.merge(cr.officials, left_on="q_2", right_on="person_id", suffixes=("", "_o"))
    teams = cr.members[["team_id", "person_id"]]
    two = two.merge(teams, left_on="p", right_on="person_id", suffixes=("", "_m"))
    out = {}
    for r in two.itertuples(index=False):
        path = K.compose(r.path, r.path_2)
        deg = K.degree(path)
        if deg is None:
            continue
        key = (r.team_id, r.p, r.unit_id, r.q, r.q_2)
        out[key] = {"team_id": r.team_id, "person_id": r.p, "via": r.q, "official": r.q_2,
                    "unit_id": r.unit_id, "words": [r.word, r.word_2], "path": K.path_zh(path),
                    "degree": deg, "hard": True}
    for c in planted:
        key = (c["team_id"], c["person_id"], c["unit_id"], c["via"], c["official"])
        out.setdefault(key, c)
    return [out[k] for k in sorted(out)]


def refresh_truth(gen):
    t = true_tables(gen)
    words = gen.zh["ties"]["relation"]
    round_id = gen.truth["conflict_round_id"]
    chains = kin_chains(t, words, round_id, gen.truth.get("kin_chains", []))
    hard = T.hard_conflicts(t, round_id)
    extra = pd.DataFrame([{"team_id": c["team_id"], "person_id": c["person_id"],
                           "unit_id": c["unit_id"], "rule": K.RELATION_OF[c["degree"]]}
                          for c in chains if c["hard"]],
                         columns=["team_id", "person_id", "unit_id", "rule"])
    hard = pd.concat([hard, extra], ignore_index=True).drop_duplicates() \
        .sort_values(["team_id", "person_id", "unit_id", "rule"], ignore_index=True)
    soft = T.soft_conflicts(t, round_id, hard)
    tr = gen.truth
    tr["kin_chains"] = chains
    tr["hard_conflicts"] = [dict(round_id=round_id, **r) for r in hard.to_dict("records")]
    tr["soft_conflicts"] = [{**r, "hops": int(r["hops"])} for r in soft.to_dict("records")]
    hard_pairs = set(zip(hard["team_id"], hard["person_id"], hard["unit_id"]))
    tr["hard_decoys"] = [d for d in tr["hard_decoys"]
                         if (d["team_id"], d["person_id"], d["unit_id"]) not in hard_pairs]
    cr = cross_round(t, round_id)
    keep = set(cr.members["person_id"]) | set(cr.officials["person_id"])
    tr["ties_law"] = ties_law(t, words, keep)
    tr["relation_words"] = {w: {"path": K.path_zh(K.BY_WORD[w].path),
                                "degree": K.degree(K.BY_WORD[w].path)}
                            for w in sorted(set(words.tolist())) if w in K.BY_WORD}
    only, corroborated = T.audit_truth(t)
    tr["audit_only_findings"], tr["corroborated"] = only, corroborated
    tr["counts"] = {name: len(frame) for name, frame in gen.tables.items()}
    tr.update(T.lead_truth(t, pd.Timestamp(gen.as_of)))
    return gen
