"""The sibling rule of over-representation (``clusters.siblings``): a
category high in a cell whose area is not high there is a team's choice of
label between sibling categories, not more problems.

A county K of three towns A, B, C, 20 units each.  招投标 and 工程项目 are
siblings (area 落实全面从严治党战略部署); 惠民资金 is of another area
(群众身边腐败和不正之风).  Everywhere a unit has 10 problems of the 工程 area and
10 of 惠民资金; B and C write 2 of the ten 招投标 and 8 工程项目, A's team 8 and 2.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from linkgraph.analysis.clusters.find import find_clusters
from linkgraph.analysis.clusters.siblings import area_confirmed
from linkgraph.analysis.clusters.stats import stratum_rates
from linkgraph.dataset import load_dataset
from tests.conftest import write_tables

TOWNS = "ABC"
AREA = {"招投标": "落实全面从严治党战略部署", "工程项目": "落实全面从严治党战略部署",
        "惠民资金": "群众身边腐败和不正之风"}


def ledger(tmp_path, per_unit):
    """``per_unit(unit_id) -> {category: count}`` (a unit's id starts with its town)."""
    units = ["unit_id,name,region_id,level"]
    rows = ["problem_id,unit_id,round_id,category,description"]
    for town in TOWNS:
        for i in range(20):
            uid = f"{town}{i:02d}"
            units.append(f"{uid},{town}镇单位{i},{town},乡级")
            for cat, n in per_unit(uid).items():
                for _ in range(n):
                    rows.append(f"Q{len(rows):05d},{uid},X1,{cat},")
    files = {
        "regions.csv": "region_id,name,level,parent_id\nM,某市,市,\nK,某县,县,M\n" +
                       "".join(f"{t},{t}镇,乡,K\n" for t in TOWNS),
        "units.csv": "\n".join(units) + "\n",
        "problems.csv": "\n".join(rows) + "\n",
        "rounds.csv": "round_id,name,kind,start,end\nX1,第一轮,常规巡察,2024-03-01,2024-05-31\n",
        "teams.csv": "team_id,round_id,name\nT1,X1,第一巡察组\n",
        "assignments.csv": "round_id,team_id,unit_id\nX1,T1,A00\n",
        "departments.csv": "dept_id,name,kind,region_id,supervises\nD1,某县住建局,其他,K,招投标\n",
    }
    return load_dataset(write_tables(tmp_path, files))


def over(clusters, category):
    return [c for c in clusters if c.kind == "overrepresented" and c.category == category]


def test_a_sibling_label_is_no_cluster(tmp_path):
    # A's 招投标 share is 8/20 against 160+80 of 1200 = 0.2 overall (lift
    # 2.0, p ≈ 1e-20 over 400 problems): high alone.  Against A's 200
    # problems of other areas (惠民资金), the 工程 area expects 200 × ½/(1−½) =
    # 200 and has 200: no excess; 招投标 expects 200 × 0.2/(1−½) = 80 and has
    # 160.  None of the extra 80 is the area's: the same findings, labelled
    # 招投标 rather than 工程项目 — no cluster
    def mix(uid):
        return {"招投标": 8, "工程项目": 2, "惠民资金": 10} if uid[0] == "A" else \
            {"招投标": 2, "工程项目": 8, "惠民资金": 10}
    clusters = find_clusters(ledger(tmp_path, mix), kinds=("overrepresented",))
    assert over(clusters, "招投标") == []
    assert clusters == []


def test_more_problems_of_the_kind_are_still_a_cluster(tmp_path):
    # A's units have 10 extra 招投标 problems: 12 of 30.  Overall the 工程 area
    # is 800/1400 = 4/7, 招投标 320/1400 = 8/35; against A's 200 problems of
    # other areas the area expects 200 × (4/7)/(3/7) = 800/3 and has 400,
    # 招投标 expects 200 × (8/35)/(3/7) = 320/3 and has 240: both 400/3 extra,
    # all of the category's excess is the area's — a real concentration
    def mix(uid):
        return {"招投标": 12, "工程项目": 8, "惠民资金": 10} if uid[0] == "A" else \
            {"招投标": 2, "工程项目": 8, "惠民资金": 10}
    found = over(find_clusters(ledger(tmp_path, mix), kinds=("overrepresented",)), "招投标")
    assert len(found) == 1
    c = found[0]
    assert c.region_id == "A"
    assert c.unit_ids == tuple(f"A{i:02d}" for i in range(20))


def test_both_excesses_by_hand():
    # the figures of the test above, straight from siblings.area_confirmed
    # (one stratum: every unit's shares are the overall ones)
    units = pd.Index([f"{t}{i:02d}" for t in TOWNS for i in range(20)])
    rows = []
    for u in units:
        mix = {"招投标": 12, "工程项目": 8, "惠民资金": 10} if u[0] == "A" else \
            {"招投标": 2, "工程项目": 8, "惠民资金": 10}
        rows += [(u, cat, AREA[cat]) for cat, n in mix.items() for _ in range(n)]
    problems = pd.DataFrame(rows, columns=["unit_id", "category", "category_area"])
    member = pd.DataFrame({"unit_id": units[:20], "dim": "region", "group": "A"})
    hits = pd.DataFrame({"dim": ["region"], "group": ["A"], "category": ["招投标"]})
    out = area_confirmed(hits, member, units, problems, AREA,
                         lambda B: stratum_rates(B, np.zeros(len(units), dtype=int), share=True))
    assert out["area_excess"].tolist() == pytest.approx([400 / 3])
    assert out["category_excess"].tolist() == pytest.approx([400 / 3])
    # the relabelled town of the first test: no area excess, 80 extra 招投标 — dropped
    relabelled = problems.copy()
    a_units = relabelled["unit_id"].str.startswith("A")
    relabelled = pd.concat([relabelled[~a_units], pd.DataFrame(
        [(u, cat, AREA[cat]) for u in units[:20]
         for cat, n in {"招投标": 8, "工程项目": 2, "惠民资金": 10}.items() for _ in range(n)],
        columns=relabelled.columns)])
    kept = area_confirmed(hits, member, units, relabelled, AREA,
                          lambda B: stratum_rates(B, np.zeros(len(units), dtype=int), share=True))
    assert kept.empty


def test_a_sector_within_a_region_is_labelled_with_both(tmp_path):
    # the real concentration in A's ten 住建 units only (every town has 住建
    # and 教育 units): the cell is 住建 within A, not all of 住建 — the label
    # names the town, or a reader takes it for the whole sector
    def mix(uid):
        return {"招投标": 12, "工程项目": 8, "惠民资金": 10} if uid < "A10" else \
            {"招投标": 2, "工程项目": 8, "惠民资金": 10}
    data = ledger(tmp_path, mix)
    t = dict(data.tables)
    t["units"] = t["units"].assign(
        sector=["住建" if int(u[1:]) < 10 else "教育" for u in t["units"]["unit_id"]])
    found = over(find_clusters(t, kinds=("overrepresented",)), "招投标")
    assert [(c.sector, c.region_id, c.unit_ids) for c in found] == \
        [("住建", "A", tuple(f"A{i:02d}" for i in range(10)))]
    assert found[0].label.startswith("A镇住建系统「招投标」问题高发：10个单位")
    assert found[0].label_en.startswith("「招投标」 over-represented in the 住建 sector of A镇:")
