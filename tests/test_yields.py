"""Yield by mode on a hand-built term, and on the generator's planted effect."""
from __future__ import annotations

import json
import math

import pytest

from linkgraph.analysis.yields import yield_by_kind, yield_by_team
from linkgraph.dataset import load_dataset
from tests.conftest import write_tables

# regular round X1: U1–U4 (局) find 10, 12, 8, 10 problems; U10 (企业) 30 — no
# 企业 in the cross round, so it is left out.  Cross round X2: U5–U8 (局) find
# 14, 16, 12, 14; U9 (村) 50 — no 村 in the ordinary rounds, left out.
COUNTS = {("X1", "U1"): 10, ("X1", "U2"): 12, ("X1", "U3"): 8, ("X1", "U4"): 10,
          ("X1", "U10"): 30, ("X2", "U5"): 14, ("X2", "U6"): 16, ("X2", "U7"): 12,
          ("X2", "U8"): 14, ("X2", "U9"): 50}
LEADS = {("X1", "U1"): 1, ("X2", "U5"): 2, ("X2", "U6"): 2}


def _ledger() -> dict[str, str]:
    kinds = {**{f"U{i}": "局" for i in range(1, 9)}, "U9": "村", "U10": "企业"}
    problems, leads = ["problem_id,unit_id,round_id,category"], \
        ["lead_id,unit_id,round_id,transferred_to"]
    for (r, u), n in COUNTS.items():
        problems += [f"Q{r}{u}{k},{u},{r},财务管理" for k in range(n)]
    for (r, u), n in LEADS.items():
        leads += [f"L{r}{u}{k},{u},{r},D1" for k in range(n)]
    return {
        "units.csv": "unit_id,name,kind\n" + "".join(f"{u},单位{u},{k}\n" for u, k in kinds.items()),
        "rounds.csv": "round_id,name,kind,start,end,term\n"
                      "X1,第一轮,常规巡察,2023-03-01,2023-05-31,第十五届\n"
                      "X2,第二轮,交叉巡察,2023-09-01,2023-11-30,第十五届\n",
        "teams.csv": "team_id,round_id,name\nT1,X1,第一巡察组\nT2,X2,第一巡察组\nT3,X2,第二巡察组\n",
        "assignments.csv": "round_id,team_id,unit_id\n" + "".join(
            f"{r},{'T1' if r == 'X1' else ('T2' if u in ('U5', 'U6') else 'T3')},{u}\n"
            for r, u in COUNTS),
        "departments.csv": "dept_id,name\nD1,县纪委监委\n",
        "problems.csv": "\n".join(problems) + "\n", "leads.csv": "\n".join(leads) + "\n"}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return write_tables(tmp_path_factory.mktemp("yield"), _ledger())


def test_ratio_interval_and_p_value_by_hand(folder):
    t = load_dataset(folder).tables
    row = yield_by_kind(t).query("figure == 'problems' and kind_a == 'cross'").iloc[0]
    assert (row["units_a"], row["units_b"]) == (4, 4)       # U9 and U10 left out
    assert (row["per_unit_a"], row["per_unit_b"], row["ratio"]) == (14.0, 10.0, 1.4)
    # both sides: sample variance (0 + 4 + 4 + 0) / 3 = 8/3, of the mean 8/3 / 4 = 2/3
    se = math.sqrt((2 / 3) / 14 ** 2 + (2 / 3) / 10 ** 2)
    assert row["ci_low"] == round(1.4 * math.exp(-1.959963984540054 * se), 4) == 1.1501
    assert row["ci_high"] == round(1.4 * math.exp(1.959963984540054 * se), 4) == 1.7043
    z = 4 / math.sqrt(2 / 3 + 2 / 3)
    assert row["p_value"] == float(f"{math.erfc(z / math.sqrt(2)):.3g}")
    leads = yield_by_kind(t).query("figure == 'leads' and kind_a == 'cross'").iloc[0]
    assert (leads["per_unit_a"], leads["per_unit_b"], leads["ratio"]) == (1.0, 0.25, 4.0)


def test_per_team(folder):
    teams = yield_by_team(load_dataset(folder).tables).set_index("team_id")
    assert teams.at["T2", "problems"] == 30 and teams.at["T2", "units"] == 2
    # the ordinary rounds' mean per unit over all their units: (10+12+8+10+30) / 5 = 14
    assert teams.at["T2", "problems_ratio"] == round(15 / 14, 4)


def test_the_planted_cross_effect_is_found(generation):
    """County scale: the cross round finds more problems and leads per unit,
    significantly.  (Recovery of the planted ratios within the interval at
    city scale: bench/score_yield.py.)"""
    gen = generation("county", 3)     # the session's (tests/conftest.py)
    y = yield_by_kind(gen.tables).query("kind_a == 'cross'").set_index("figure")
    planted = gen.truth["yield"]
    assert planted == {"problems": 1.397, "leads": 2.0, "kind": "cross", "baseline": "ordinary"}
    assert y.at["problems", "ci_low"] > 1 and y.at["problems", "p_value"] < 0.001
    assert y.at["leads", "ci_low"] > 1 and y.at["leads", "p_value"] < 0.01


def test_yield_command(folder, invoke):
    done = invoke("yield", folder, "--teams", "--format", "json")
    assert done.exit_code == 0, done.output
    doc = json.loads(done.stdout)
    assert doc["yield_by_kind"][0]["ratio"] == 1.4
    assert "交叉巡察 户均问题 14.0 vs 10.0：高出 +40%" in done.stderr


def test_units_only(tmp_path, invoke):
    write_tables(tmp_path, {"units.csv": "unit_id,name\nU1,甲局\n"})
    done = invoke("yield", tmp_path, "--format", "json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["records"] == []
