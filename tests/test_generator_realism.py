"""``generate(realism="high")``: each transform changes what it claims, and the
truth comes from the law's definitions (公务员法 第七十四条, 《公务员回避规定》)."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from loaders.generator import generate
from loaders.generator.realism import kinlaw as K
from loaders.generator.realism import wording as W

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tidy():
    return generate("county", seed=4)


@pytest.fixture(scope="module")
def high():
    return generate("county", seed=4, realism="high")


# --- the law's table, written by hand from the definitions ---------------------
LAW = {
    "老婆": K.SPOUSE, "爱人": K.SPOUSE, "丈夫": K.SPOUSE,
    "父亲": K.LINEAL, "外孙女": K.LINEAL, "爷爷": K.LINEAL,
    "哥哥": K.COLLATERAL3, "表哥": K.COLLATERAL3, "堂弟": K.COLLATERAL3, "姑姑": K.COLLATERAL3,
    "舅舅": K.COLLATERAL3, "外甥女": K.COLLATERAL3, "侄子": K.COLLATERAL3,
    "岳父": K.IN_LAW, "公公": K.IN_LAW, "妻弟": K.IN_LAW, "小叔子": K.IN_LAW, "大姑子": K.IN_LAW,
    "嫂子": K.IN_LAW, "连襟": K.IN_LAW, "妯娌": K.IN_LAW, "女婿": K.IN_LAW, "亲家": K.IN_LAW,
    "姑父": K.IN_LAW, "舅妈": K.IN_LAW, "侄媳": K.IN_LAW, "表嫂": K.IN_LAW,
    "妻侄": K.IN_LAW,  # the inverse of 姑父 (三代以内旁系血亲的配偶), one relationship
    "表侄": None, "堂侄": None, "舅爷": None, "姑奶奶": None, "表叔": None,  # beyond 3 generations
    "配偶的祖父": None, "姐夫的父亲": None, "表哥的岳父": None,  # not in the 近姻亲 list
}


@pytest.mark.parametrize("word,expected", sorted(LAW.items()))
def test_each_word_has_the_degree_the_law_gives(word, expected):
    assert K.degree(K.BY_WORD[word].path) == expected


@pytest.mark.parametrize("w1,w2,expected", [
    ("表哥", "妻子", K.IN_LAW),     # 表兄弟的妻子 = 三代以内旁系血亲的配偶
    ("配偶", "姐夫", K.IN_LAW),     # 配偶的姐夫 = 配偶的兄弟姐妹的配偶
    ("老婆", "弟弟", K.IN_LAW),     # 妻弟 = 配偶的兄弟姐妹
    ("儿子", "老婆", K.IN_LAW),     # 儿媳 = 子女的配偶
    ("父亲", "哥哥", K.COLLATERAL3),  # 伯父
    ("表哥", "儿子", None),        # 表侄: beyond three generations
    ("姐夫", "父亲", None),        # 兄弟姐妹的配偶的父母: not named
    ("配偶", "爷爷", None),        # 配偶的祖父母: not named
    ("父亲", "父亲", K.LINEAL),     # 祖父
])
def test_two_tie_chains_follow_the_same_grammar(w1, w2, expected):
    path = K.compose(K.BY_WORD[w1].path, K.BY_WORD[w2].path)
    assert K.degree(path) == expected


def test_relation_follows_the_degree():
    assert K.relation_of("表哥") == "collateral"
    assert K.relation_of("小叔子") == "in_law"
    assert K.relation_of("表侄") == "other"
    assert K.relation_of("大学同学") == "classmate"


# --- kinship transform ------------------------------------------------------------
def test_relation_words_come_from_the_whole_grammar(tidy, high):
    before = set(tidy.zh["ties"]["relation"].tolist())
    after = Counter(high.zh["ties"]["relation"].tolist())
    new = {w for w in after if w not in before}
    assert {"表哥", "小叔子", "姑父", "妻弟"} & new, new
    assert len(new & set(K.BY_WORD)) >= 25
    assert any(K.degree(K.BY_WORD[w].path) is None for w in after if w in K.BY_WORD)


def test_every_kin_word_fits_genders_and_the_relation_column(high):
    t = high.tables
    gender = dict(zip(t["people"]["person_id"], t["people"]["gender"]))
    for a, b, rel, w in zip(t["ties"]["person_a"], t["ties"]["person_b"], t["ties"]["relation"],
                            high.zh["ties"]["relation"]):
        if w in K.BY_WORD:
            word = K.BY_WORD[w]
            assert word.b in (None, gender[b]), (w, a, b)
            assert word.a in (None, gender[a]), (w, a, b)
            assert rel == K.relation_of(w)


def _brute_hard_kin(gen) -> set[tuple[str, str, str]]:
    """(team, member, unit) with a tie or two-tie chain the law makes hard,
    evaluated pair by pair on the true post end dates."""
    t = gen.tables
    rid = gen.truth["conflict_round_id"]
    start = t["rounds"].set_index("round_id").loc[rid, "start"]
    teams = set(t["teams"].loc[t["teams"]["round_id"] == rid, "team_id"])
    members = t["team_members"][t["team_members"]["team_id"].isin(teams)]
    units = set(t["assignments"].loc[t["assignments"]["round_id"] == rid, "unit_id"])
    true_end = {(p["person_id"], p["unit_id"], p["start"]): pd.Timestamp(p["true_end"])
                for p in gen.truth["blank_end_posts"]}
    officials: dict[str, set[str]] = {}
    for p in t["posts"].itertuples():
        end = p.end if not pd.isna(p.end) else true_end.get(
            (p.person_id, p.unit_id, p.start.date().isoformat()))
        if p.unit_id in units and p.start <= start and (end is None or end >= start):
            officials.setdefault(p.person_id, set()).add(p.unit_id)
    out_edges: dict[str, list[tuple[str, tuple]]] = {}
    for a, b, w in zip(t["ties"]["person_a"], t["ties"]["person_b"], gen.zh["ties"]["relation"]):
        if w in K.BY_WORD:
            out_edges.setdefault(a, []).append((b, K.BY_WORD[w].path))
            out_edges.setdefault(b, []).append((a, K.inverse(K.BY_WORD[w].path)))
    hard = set()
    for team, m in zip(members["team_id"], members["person_id"]):
        for x, p1 in out_edges.get(m, []):
            if K.degree(p1):
                hard |= {(team, m, u) for u in officials.get(x, ())}
            for o, p2 in out_edges.get(x, []):
                if o != m and K.degree(K.compose(p1, p2)):
                    hard |= {(team, m, u) for u in officials.get(o, ())}
    return hard


def test_hard_kinship_truth_is_the_law_pair_by_pair(high):
    kin_rules = {"spouse", "parent_child", "collateral", "sibling", "in_law"}
    truth = {(r["team_id"], r["person_id"], r["unit_id"]) for r in high.truth["hard_conflicts"]
             if r["rule"] in kin_rules}
    assert truth == _brute_hard_kin(high)
    assert len(truth) >= 20


def test_planted_chains_and_decoys(high):
    chains = high.truth["kin_chains"]
    assert any(c["hard"] for c in chains) and any(not c["hard"] for c in chains)
    hard = {(r["team_id"], r["person_id"], r["unit_id"]) for r in high.truth["hard_conflicts"]}
    for c in chains:
        assert ((c["team_id"], c["person_id"], c["unit_id"]) in hard) == c["hard"]
    whys = Counter(d["why"].split(" (")[0] for d in high.truth["hard_decoys"])
    assert whys["kin the law does not name"] >= 3
    assert whys["chain the law does not name"] >= 1
    for d in high.truth["hard_decoys"]:
        assert (d["team_id"], d["person_id"], d["unit_id"]) not in hard


# --- blank end dates --------------------------------------------------------------
def test_blank_end_dates_hide_a_later_post_elsewhere(high):
    posts = high.tables["posts"]
    blank = high.truth["blank_end_posts"]
    assert len(blank) >= 50
    for b in blank[:200]:
        mine = posts[(posts["person_id"] == b["person_id"])]
        row = mine[(mine["unit_id"] == b["unit_id"]) &
                   (mine["start"] == pd.Timestamp(b["start"]))]
        assert len(row) == 1 and row["end"].isna().all()
        later = mine[(mine["unit_id"] == b["next_unit_id"]) &
                     (mine["start"] == pd.Timestamp(b["next_start"]))]
        assert len(later) == 1 and b["next_unit_id"] != b["unit_id"]
        assert pd.Timestamp(b["true_end"]) == pd.Timestamp(b["next_start"]) - pd.Timedelta(days=1)


def test_a_blank_end_read_as_current_gives_a_false_hard_conflict(high):
    """The trap: the member's relative left the unit before the round; read the
    blank end as "still in post" and the pair looks hard, by the law it is not."""
    t = high.tables
    traps = [d for d in high.truth["hard_decoys"] if d["why"].startswith("blank end")]
    assert len(traps) >= 3
    start = t["rounds"].set_index("round_id").loc[high.truth["conflict_round_id"], "start"]
    posts = t["posts"]
    blank = {(b["person_id"], b["unit_id"]) for b in high.truth["blank_end_posts"]}
    ties = t["ties"]
    for d in traps:
        rel = ties[(ties["person_a"] == d["person_id"])]
        naive = [p for p in rel["person_b"] if (p, d["unit_id"]) in blank and
                 ((posts["person_id"] == p) & (posts["unit_id"] == d["unit_id"]) &
                  posts["end"].isna() & (posts["start"] <= start)).any()]
        assert naive, d


# --- problems ----------------------------------------------------------------------
def test_some_inspected_units_have_no_problems(tidy, high):
    empty = high.truth["units_without_problems"]
    assert len(empty) >= 3
    assert not set(empty) & set(high.tables["problems"]["unit_id"])
    assert set(empty) <= set(high.tables["assignments"]["unit_id"])
    assert set(empty) & set(tidy.tables["problems"]["unit_id"])


def test_units_without_problems_leave_no_dangling_reviews(generated):
    """The reviews and visits of the measures that went with a unit's problems
    go too: ``validate`` accepts the realistic dataset as it is (before, every
    ``--realism high`` dataset was refused for 整改审核 rows naming measures
    the measures table no longer held)."""
    from linkgraph.dataset import load_dataset

    data = generated("county", 1, realism="high")
    ds = load_dataset(data)            # strict: raises on any rejected row
    measures = set(ds.tables["measures"]["measure_id"])
    assert set(ds.tables["reviews"]["measure_id"].dropna()) <= measures
    visited = {m for ids in ds.tables["visits"]["measure_ids"].dropna() for m in ids}
    assert visited <= measures
    assert json.loads((data / "truth.json").read_text("utf-8"))["outcomes"]["measures_closed"] \
        == int(((ds.tables["reviews"]["subject"] == "closure")
                & (ds.tables["reviews"]["verdict"] == "pass")).sum())


def test_category_mix_depends_on_the_unit_kind(high):
    t = high.tables
    labels = high.truth["category_labels"]
    kind = t["problems"]["unit_id"].map(dict(zip(t["units"]["unit_id"], t["units"]["kind"])))
    canon = t["problems"]["category"].map(labels)
    planted = {p for c in high.truth["clusters"] for p in c["problem_ids"]}
    free = ~t["problems"]["problem_id"].isin(planted)
    village = kind.isin(W.VILLAGE_KINDS)
    assert (canon[~village] == W.SANZI).sum() == 0
    assert (canon[village] == W.SANZI).sum() > 100
    for c in W.NOT_IN_VILLAGES:
        assert ((canon == c) & village & free).sum() == 0
        assert ((canon == c) & ~village).sum() > 0


def test_texts_are_long_with_stock_openings_and_items(high):
    t = high.tables["problems"]
    openers = high.truth["boilerplate"]["openers"]
    desc = t["description"]
    assert 75 <= desc.str.len().median() <= 110
    opened = desc.map(lambda s: any(s.startswith(o) for o in openers))
    assert opened.mean() > 0.6
    assert (desc[opened].str.contains("一是") & desc[opened].str.contains("二是")).all()
    # the stock openings recur across many units, which is what makes them boilerplate
    first = desc[opened].map(lambda s: next(o for o in openers if s.startswith(o)))
    per_unit = t[opened].assign(o=first).groupby("o")["unit_id"].nunique()
    assert per_unit.min() >= 30


def _grams(s: str, n: int = 3) -> set[str]:
    return {s[i:i + n] for i in range(len(s) - n + 1)}


def _mean_jaccard(texts: list[str]) -> float:
    g = [_grams(x) for x in texts]
    vals = [len(a & b) / len(a | b) for i, a in enumerate(g) for b in g[i + 1:]]
    return sum(vals) / len(vals)


def _item(text: str) -> str:
    return text.split("一是", 1)[-1].split(";二是")[0] if "一是" in text else text


def test_near_duplicates_share_meaning_but_few_phrases(tidy, high):
    for before, after in zip([c for c in tidy.truth["clusters"] if c["kind"] == "near_duplicate"],
                             high.truth["near_duplicates"]):
        assert before["problem_ids"] == after["problem_ids"]
        old = tidy.tables["problems"].set_index("problem_id").loc[before["problem_ids"],
                                                                  "description"].tolist()
        new = high.tables["problems"].set_index("problem_id").loc[after["problem_ids"],
                                                                  "description"].tolist()
        items = [_item(x) for x in new]
        assert len(set(items)) == len(items)
        assert all(x.startswith(tuple(high.truth["boilerplate"]["openers"])) for x in new)
        assert _mean_jaccard(items) < 0.5 * _mean_jaccard(old), (after["phrase"], items)
        assert not any(after["phrase"] in x for x in items)


def test_a_decoy_stock_sentence_in_most_units(high):
    t = high.tables["problems"]
    decoy = high.truth["boilerplate"]["decoy"]
    rows = t[t["problem_id"].isin(decoy["problem_ids"])]
    assert len(rows) == len(decoy["problem_ids"]) == len(decoy["unit_ids"])
    assert rows["description"].str.contains("对标对表上级要求还有差距").all()
    assert len(set(rows["unit_id"])) / t["unit_id"].nunique() > 0.6
    assert t["problem_id"].is_unique


def test_labels_vary_by_team_and_map_back(high):
    t = high.tables
    labels = high.truth["category_labels"]
    assert set(t["problems"]["category"]) <= set(labels)
    by_canon = Counter(labels.values())
    assert by_canon["违反中央八项规定精神"] >= 3
    assert {"八项规定", "作风问题"} & set(labels)
    a = t["assignments"].drop_duplicates(["round_id", "unit_id"])
    team = t["problems"].merge(a, on=["round_id", "unit_id"])
    per_team = team.assign(c=team["category"].map(labels)).groupby(["team_id", "c"])[
        "category"].nunique()
    assert (per_team == 1).all()  # one team, one wording per category
    for c in high.truth["clusters"]:  # the cluster truth stays canonical
        for part in c["category"].split(";"):
            assert part in W.LABELS


# --- truth and determinism ---------------------------------------------------------
def test_truth_is_json_and_counts_the_tables(high):
    json.dumps(high.truth, ensure_ascii=False)
    assert high.truth["realism"] == "high"
    assert high.truth["counts"] == {k: len(v) for k, v in high.tables.items()}
    ties = high.tables["ties"]
    law = high.truth["ties_law"]
    assert law and all(r["hard"] == (r["degree"] is not None) for r in law)
    assert {r["person_a"] for r in law} <= set(ties["person_a"])


def test_tidy_is_untouched(tidy):
    assert "realism" not in tidy.truth
    assert "ties_law" not in tidy.truth


_SCRIPT = """
import hashlib, sys, tempfile, pathlib
from loaders.generator import generate, write_dataset
with tempfile.TemporaryDirectory() as d:
    write_dataset(generate(60, seed=9, realism="high"), d)
    h = hashlib.sha256()
    for f in sorted(pathlib.Path(d).iterdir()):
        h.update(f.name.encode()); h.update(f.read_bytes())
    print(h.hexdigest())
"""


def test_high_is_byte_identical_across_processes():
    env = {"PYTHONPATH": str(ROOT), "PYTHONHASHSEED": "random"}
    runs = [subprocess.run([sys.executable, "-c", _SCRIPT], capture_output=True, text=True,
                           env=env, cwd=ROOT, check=True).stdout.strip() for _ in range(2)]
    assert runs[0] == runs[1] and len(runs[0]) == 64
    assert hashlib.sha256(b"").hexdigest() != runs[0]
