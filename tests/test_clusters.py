"""Systemic problem clusters on small hand-built ledgers.

The ledger: 60 units, 6 sectors × 10, alternating between two districts,
each with one problem in each of six background categories (A–F: a flat base
rate).  Two things are planted, each with its expected answer worked out here:

* 教育 units E0–E7 get four problems of category G (G exists nowhere else):
  sector 教育 × G is over-represented; region × G cells are not (4 of the 8
  in each district), and 教育 within a district has only 4 such units;
* five units of five sectors get four problems each of H, I and J: one
  profile cluster — too spread for any sector or region cell.

Near-duplicates are tested on their own frame (they need a corpus large
enough for "routine wording" to mean something).
"""
from __future__ import annotations

import json
import math
import random

import numpy as np
import pandas as pd
import pytest

from linkgraph.analysis.clusters.find import cluster_params, find_clusters, merge_candidates
from linkgraph.analysis.clusters.profile import profiles
from linkgraph.analysis.clusters.stats import Candidate, benjamini_hochberg, overrepresented
from linkgraph.analysis.clusters.text import near_duplicates, ngram_matrix, template_share
from linkgraph.analysis.conflicts.index import region_ancestors
from linkgraph.dataset import load_dataset
from tests.conftest import write_tables

SECTORS = {"E": "教育", "H": "卫健", "J": "交通", "N": "农业农村", "Z": "住建", "F": "财政"}
BACKGROUND = "ABCDEF"
PROFILE_UNITS = ["H1", "J2", "N1", "Z2", "F1"]   # 3 in 乙区, 2 in 甲区


def unit_ids() -> list[str]:
    return [f"{s}{i}" for s in SECTORS for i in range(10)]


def cluster_ledger(tmp_path):
    units = ["unit_id,name,region_id,sector"]
    for k, uid in enumerate(unit_ids()):
        units.append(f"{uid},{SECTORS[uid[0]]}单位{uid},{'RA' if k % 2 == 0 else 'RB'},"
                     f"{SECTORS[uid[0]]}")
    units += ["EA,教育单位EA,RA,教育", "EB,教育单位EB,RB,教育", "EZ,教育单位EZ,RB,教育",
              "ZX,住建单位ZX,RA,住建"]
    rows = ["problem_id,unit_id,round_id,category,description"]

    def add(uid, cat, text):
        rows.append(f"Q{len(rows):04d},{uid},X1,{cat},{text}")
    for uid in unit_ids():
        for cat in BACKGROUND:
            add(uid, cat, "")
    for uid in unit_ids()[:8]:
        for _ in range(4):
            add(uid, "G", "")
    for uid in PROFILE_UNITS:
        for cat in "HIJ" * 4:
            add(uid, cat, "")
    files = {
        "regions.csv": "region_id,name,level,parent_id\nC,成都市,市,\nRA,甲区,区,C\nRB,乙区,区,C\n",
        "units.csv": "\n".join(units) + "\n",
        "problems.csv": "\n".join(rows) + "\n",
        "rounds.csv": "round_id,name,kind,start,end\nX1,第一轮,常规巡察,2024-03-01,2024-05-31\n",
        "teams.csv": "team_id,round_id,name\nT1,X1,第一巡察组\n",
        # EZ was assigned (not yet reported): inspected, so no self-check
        "assignments.csv": "round_id,team_id,unit_id\nX1,T1,EZ\n",
        "departments.csv": "dept_id,name,kind,region_id,supervises\n"
                           "D1,成都市教育局,其他,C,G\nD2,乙区教育局,其他,RB,G\n"
                           "D3,成都市财政局,财政局,C,H;I\nD4,成都市纪委监委,纪委监委,C,A\n",
    }
    return load_dataset(write_tables(tmp_path / "ledger", files))


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return cluster_ledger(tmp_path_factory.mktemp("clusters"))


def binom_sf_by_hand(k: int, n: int, p: float) -> float:
    """P(X ≥ k), X ~ Binomial(n, p), by summing the pmf."""
    return sum(math.comb(n, x) * p ** x * (1 - p) ** (n - x) for x in range(k, n + 1))


def test_benjamini_hochberg_by_hand():
    # p sorted: .01 .02 .03 .5 with m = 4: q = .04 .04 .04 .5
    q = benjamini_hochberg(np.array([0.03, 0.01, 0.5, 0.02]))
    assert np.allclose(q, [0.04, 0.04, 0.5, 0.04])
    # two untested cells (p = 1) make m = 6
    assert np.allclose(benjamini_hochberg(np.array([0.01]), 6), [0.06])


def test_overrepresented_sector_cell(data):
    t = data.tables
    found = overrepresented(t["problems"], t["units"], region_ancestors(t["regions"]),
                            cluster_params())
    assert [(c.category, c.sector, c.region_id) for c in found] == [("G", "教育", None)]
    (c,) = found
    assert c.unit_ids == tuple(f"E{i}" for i in range(8))
    assert len(c.problem_ids) == 32
    # N = 60×6 + 8×4 + 5×12 problems; 教育 holds 10×6 + 32
    N, K, n = 360 + 32 + 60, 32, 92
    base = K / N
    # each E0–E7: 4 of its 10 problems are G — an excess at 0.01
    assert binom_sf_by_hand(4, 10, base) <= 0.01
    p_problems = binom_sf_by_hand(32, n, base)
    p_units = binom_sf_by_hand(8, 10, 8 / 60)     # 8 of the 60 units have an excess of G
    tried = 6 * 10                                 # 6 sectors × 10 categories
    assert c.p_value == pytest.approx(min(1.0, 2 * min(p_problems, p_units) * tried), rel=1e-6)
    assert c.detail["lift"] == pytest.approx((32 / n) / base, abs=1e-3)


WORDINGS = ["公务接待超标准", "超标准公务接待", "公务接待超出标准", "公务接待严重超标准",
            "公务接待超标准问题突出", "存在公务接待超标准现象"]


def routine_problems(n_units: int = 600, seed: int = 0) -> pd.DataFrame:
    """Category A in routine wording: a few stock phrases with stock details,
    as ledgers write most problems."""
    rng = random.Random(seed)
    cores = ["会议记录不完整", "制度执行不到位", "台账资料不规范", "审批程序不严格"]
    details = [",涉及{}笔", ",{}年以来未整改", ",共{}人次"]
    rows = []
    for u in range(n_units):
        for _ in range(4):
            text = (rng.choice(cores) + rng.choice(details).format(rng.randint(2, 30))
                    + f",金额{rng.randint(1, 99999) / 100:.2f}万元")
            rows.append((f"Q{len(rows):05d}", f"U{u:03d}", "A", text))
    return pd.DataFrame(rows, columns=["problem_id", "unit_id", "category", "description"])


def test_near_duplicate_wordings():
    routine = routine_problems()
    extra = pd.DataFrame([(f"W{i}", f"V{i}", "A", w) for i, w in enumerate(WORDINGS)],
                         columns=routine.columns)
    found = near_duplicates(pd.concat([routine, extra], ignore_index=True), cluster_params())
    assert len(found) == 1
    (c,) = found
    assert c.category == "A" and c.unit_ids == tuple(f"V{i}" for i in range(6))
    assert c.detail["variants"] == 6 and c.detail["phrase"] == "公务接待超标准"
    assert near_duplicates(routine, cluster_params()) == []     # routine wording is no cluster


def test_template_share_by_hand():
    # five texts share "ab"; "xy" is in one: with the threshold at 5 texts,
    # "ab" is common, so text 0 ("abxy": grams ab, bx, xy, abx, bxy) has 1/5
    X = ngram_matrix(["abxy", "ab", "ab", "ab", "ab"])
    assert template_share(X, 0.0, common_min=5).tolist() == [0.2, 1.0, 1.0, 1.0, 1.0]
    # with the threshold at 8 texts, five paraphrases of one failing do not
    # make their own words routine
    assert template_share(X, 0.0, common_min=8).tolist() == [0.0] * 5
    X8 = ngram_matrix(["abxy"] + ["ab"] * 7)
    assert template_share(X8, 0.0, common_min=8).tolist() == [0.2] + [1.0] * 7


def test_ngram_cosine_by_hand():
    # 2-grams {ab, bc} and {ab, bd}; 3-grams {abc} and {abd}; every gram is in
    # one text of two except ab: idf(ab) = ln(3/3)+1 = 1, others ln(3/2)+1;
    # tf = 1 everywhere, so cos = 1 / (1 + 2w²)
    X = ngram_matrix(["abc", "abd"])
    w = math.log(1.5) + 1
    assert (X @ X.T)[0, 1] == pytest.approx(1 / (1 + 2 * w * w))


def test_profile_community(data):
    found = profiles(data.tables["problems"], cluster_params(min_units=5))
    assert [(c.kind, c.unit_ids, c.detail["categories"]) for c in found] == [
        ("profile", tuple(sorted(PROFILE_UNITS)), ("H", "I", "J"))]


def test_thin_categories_do_not_hide_a_profile(generated):
    # the realistic county of seed 3: its harmonised taxonomy has 21
    # categories, 9 of them elevated in no unit at all (a unit needs four
    # problems of one), so 1,044 of the C(21, 3) = 1,330 sets can hold no
    # community of five units.  Counted among the sets tried they raised the
    # planted profile's q to 0.013 (p ≈ 1e-5 × 1,330); over the 286 sets
    # that can hold one it is found, with the five units planted.
    folder = generated("county", 3, realism="high")
    truth = json.loads((folder / "truth.json").read_text("utf-8"))
    (planted,) = [c for c in truth["clusters"] if c["kind"] == "profile"]
    found = find_clusters(load_dataset(folder), kinds=("profile",))
    assert any(set(planted["unit_ids"]) <= set(c.unit_ids)
               and {"意识形态", "主体责任", "巡察整改"} <= set(c.detail["categories"])
               for c in found)


def test_a_category_one_stratum_never_has_raises_no_warning():
    # 三资 only in the 20 villages: its base rate among the 20 offices is 0,
    # so an office cell without it is 0/0 — numpy's RuntimeWarning reached
    # the user's terminal on every realistic dataset
    import warnings

    rows = [(f"V{k:02d}", "三资" if i < 3 else "其他") for k in range(20) for i in range(10)]
    rows += [(f"O{k:02d}", "其他") for k in range(20) for _ in range(10)]
    problems = pd.DataFrame(rows, columns=["unit_id", "category"]).assign(
        problem_id=[f"Q{i:04d}" for i in range(len(rows))])
    units = pd.DataFrame({"unit_id": [f"V{k:02d}" for k in range(20)] +
                          [f"O{k:02d}" for k in range(20)],
                          "kind": ["村"] * 20 + ["党政机关"] * 20,
                          "sector": ["村(社区)"] * 20 + ["财政"] * 10 + ["教育"] * 10,
                          "region_id": ["R1"] * 40})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        found = overrepresented(problems, units, {"R1": ("R1",)}, cluster_params())
    assert found == []


def test_testable_q_by_hand():
    from linkgraph.analysis.clusters.profile import testable_q

    # 4 categories, min_units 2; category 3 is elevated in one unit only, so
    # the three pairs holding it are no test: BH over the other three
    E = np.array([[1, 1, 1, 1], [1, 1, 1, 0], [1, 1, 1, 0]], dtype=bool)
    sets = [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]
    p = np.array([0.01, 0.5, 0.001, 0.02, 0.002, 0.003])
    # tested p .01 .5 .02 → sorted .01 .02 .5, m = 3: q = .03 .03 .5
    assert np.allclose(testable_q(p, E, sets, 2), [0.03, 0.5, 1, 0.03, 1, 1])


def test_find_clusters_merged_ranked_with_owners_and_self_check(data):
    clusters = find_clusters(data)
    kinds = {c.kind: c for c in clusters}
    assert sorted(kinds) == ["overrepresented", "profile"]
    assert [c.cluster_id for c in clusters] == ["C001", "C002"]
    assert [c.score for c in clusters] == sorted((c.score for c in clusters), reverse=True)
    g = kinds["overrepresented"]
    assert g.dept_ids == ("D1",)                 # D2 covers 乙区 only
    assert g.self_check_unit_ids == ("EA", "EB")  # EZ was assigned; ZX is 住建
    assert g.label == "教育系统「G」问题高发：8个单位，为基准的4.9倍"
    assert kinds["profile"].dept_ids == ("D3",)
    assert kinds["profile"].sector is None and kinds["profile"].region_id == "C"


def test_merge_keeps_the_stronger_of_overlapping_clusters():
    a = Candidate("overrepresented", "G", ("U1", "U2", "U3", "U4"), (), 3.0)
    b = Candidate("near_duplicate", "G", ("U2", "U3", "U4", "U5"), (), 2.0)
    c = Candidate("near_duplicate", "H", ("U2", "U3", "U4", "U5"), (), 1.0)
    merged = merge_candidates([c, b, a], 0.5)
    assert [(m.kind, m.category, others) for m, others in merged] == [
        ("overrepresented", "G", ("near_duplicate",)), ("near_duplicate", "H", ())]


def test_thresholds_and_empty_input(data):
    assert find_clusters(data, cluster_params(min_units=9)) == []
    assert find_clusters(data, kinds=("near_duplicate",)) == []
    empty = {**data.tables, "problems": data.tables["problems"].iloc[:0]}
    assert find_clusters(empty) == []


def test_deterministic(data):
    assert find_clusters(data) == find_clusters(data)


def test_cli_json(tmp_path, invoke):
    cluster_ledger(tmp_path)
    result = invoke("clusters", tmp_path / "ledger", "--format", "json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)["records"]
    keys = {"cluster_id", "label", "kind", "category", "sector", "region_id", "unit_ids",
            "problem_ids", "score", "p_value", "dept_ids", "self_check_unit_ids"}
    assert len(records) == 2 and all(keys <= set(r) for r in records)
    bad = invoke("clusters", tmp_path / "ledger", "--alpha", "2")
    assert bad.exit_code == 2


def test_profile_measures_a_unit_against_its_stratum():
    # 20 offices with 6 国有资产 + 14 其他 each, 20 villages with 6 三资 + 14
    # 其他: 国有资产 is 15 % overall but 30 % of every office's problems, so an
    # office holding 6 of 20 is ordinary for an office (expected 6), though
    # twice the overall rate.  Measured within its stratum nobody is elevated.
    from linkgraph.analysis.clusters.profile import elevated
    from linkgraph.analysis.clusters.stats import stratum_rates, unit_strata, unit_matrix

    rows = []
    for k in range(40):
        village = k >= 20
        special = "三资" if village else "国有资产"
        rows += [(f"U{k:02d}", special)] * 6 + [(f"U{k:02d}", "其他")] * 14
    problems = pd.DataFrame(rows, columns=["unit_id", "category"])
    units = pd.DataFrame({"unit_id": [f"U{k:02d}" for k in range(40)],
                          "kind": ["党政机关"] * 20 + ["村"] * 20})
    A, unit_ids, cats = unit_matrix(problems)
    overall, _ = elevated(A, 4, 1.4)
    assert overall[:20, cats.get_loc("国有资产")].all()          # 6 ≥ 1.4 × 3
    base = stratum_rates(A.astype(float), unit_strata(units, unit_ids), share=True)
    within, _ = elevated(A, 4, 1.4, base)
    assert not within.any()


def test_a_label_naming_only_a_branch_is_no_overrepresentation(data):
    # the eight 教育 units' extra problems labelled only 党的建设 (a branch of
    # the taxonomy, no description to say more): how a team writes, not a
    # finding — no cluster of 党的建设; labelled G they are the 教育 cluster
    t = dict(data.tables)
    t["problems"] = t["problems"].assign(category=t["problems"]["category"].replace(
        {"G": "党的建设"}))
    assert not [c for c in find_clusters(t) if c.category == "党的建设"]
    # nor a vague label the taxonomy cannot place (四风问题: [match].vague)
    t["problems"] = t["problems"].assign(category=t["problems"]["category"].replace(
        {"党的建设": "四风问题"}))
    assert not [c for c in find_clusters(t) if c.category == "四风问题"]
    assert ("overrepresented", "G", "教育") in {(c.kind, c.category, c.sector)
                                              for c in find_clusters(data)}
