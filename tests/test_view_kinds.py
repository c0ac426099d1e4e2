"""The kinds of view (overview, focus views, rotation ring) and `linkgraph view`,
on tests/data/tiny and small hand-built graphs; expected answers by hand.

Browser behaviour of the written pages is in test_report_browser.py.
"""
from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pytest

from linkgraph.dataset import load_dataset
from linkgraph.errors import InputError
from linkgraph.views import render_html
from linkgraph.session import Session
from linkgraph.views.focus import view_request
from linkgraph.views.kinds import (ego, overview, overview_level, parse_focus, region_depths,
                                   request_spec, scaled_size)
from linkgraph.views.kinds_rotation import ring_order, rotation_view

from tests.tiny_plan import PLAN

TINY = Path(__file__).parent / "data" / "tiny"
HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def tiny():
    return load_dataset(TINY).tables


@pytest.fixture(scope="module")
def source(tiny):
    return Session(tiny)


def test_region_depths_and_overview_level():
    import pandas as pd

    regions = pd.DataFrame({"region_id": ["C", "A", "B", "a1", "a2", "x", "y"],
                            "parent_id": [None, "C", "C", "A", "A", "y", "x"]})
    d = region_depths(regions)
    assert d["C"] == 0 and d["A"] == d["B"] == 1 and d["a1"] == d["a2"] == 2
    assert {d["x"], d["y"]} == {0, 1}  # a cycle is cut, not looped over
    assert overview_level({"C": 0, "A": 1, "B": 1, "a1": 2, "a2": 2, "a3": 2}, max_regions=2) == 1
    assert overview_level({"C": 0, "A": 1}, max_regions=5) == 1


def test_overview_of_tiny_by_hand(tiny):
    req = overview(tiny)
    # regions C1 (depth 0), R1 and R2 (depth 1); sectors: R1/教育 (U1: Q1 Q2, U2: Q4),
    # R2/住建 (U3: Q3), R2/教育 (U4: none); all four units fit (3 per sector)
    assert sorted(req.nodes) == sorted([
        "Region:C1", "Region:R1", "Region:R2", "Sector:R1/教育", "Sector:R2/住建",
        "Sector:R2/教育", "Unit:U1", "Unit:U2", "Unit:U3", "Unit:U4"])
    G = req.G
    assert G.nodes["Sector:R1/教育"]["problems"] == 3 and G.nodes["Sector:R1/教育"]["units"] == 2
    assert G.nodes["Region:R1"]["problems"] == 3 and G.nodes["Region:R2"]["problems"] == 1
    assert G.nodes["Region:C1"]["problems"] == 0
    assert G.nodes["Unit:U1"]["problems"] == 2 and G.nodes["Unit:U4"]["problems"] == 0
    # sized by problems: the biggest sector and unit get the top size, none the smallest
    assert req.sizes["Sector:R1/教育"] == 48 and req.sizes["Sector:R2/教育"] == 12
    assert req.sizes["Unit:U1"] == 30 and req.sizes["Unit:U4"] == 8
    assert req.sizes["Unit:U3"] == scaled_size(1, 2, 8, 30)
    spec = request_spec(req, max_nodes=1500, seed=0, lang="zh")
    assert {n.id: n.size for n in spec.nodes}["Unit:U1"] == 30


def test_overview_shows_top_units_per_sector_and_keeps_the_rest_expandable(tiny):
    req = overview(tiny, units_per_sector=1)
    assert "Unit:U1" in req.nodes and "Unit:U2" not in req.nodes  # U1 has 2 problems, U2 1
    spec = request_spec(req, max_nodes=1500, seed=0, lang="zh")
    sector = next(x for x in spec.expansions if x.node == "Sector:R1/教育")
    assert "Unit:U2" in sector.nodes


def test_scaled_size_grows_with_the_square_root():
    assert scaled_size(0, 100) == 10 and scaled_size(100, 100) == 42
    assert scaled_size(25, 100) == pytest.approx(10 + 32 * 0.5)
    assert scaled_size(500, 100) == 42


def test_parse_focus():
    assert parse_focus("unit:U1") == ("unit", "U1")
    assert parse_focus("Lead-Network:LN-L1") == ("lead-network", "LN-L1")
    assert parse_focus("conflicts") == ("conflicts", "")
    for bad in ("unit", "unit:", "galaxy:1"):
        with pytest.raises(InputError):
            parse_focus(bad)


def test_ego_walk_stops_at_hubs():
    G = nx.MultiDiGraph()
    for k, lb in (("Unit:A", "Unit"), ("Unit:B", "Unit"), ("Region:R", "Region"),
                  ("Person:P", "Person"), ("Unit:C", "Unit"), ("Problem:Q", "Problem")):
        G.add_node(k, label=lb)
    G.add_node("Unit:ghost")  # a reference to a missing row: no label
    G.add_edge("Unit:A", "Region:R", type="IN_REGION")
    G.add_edge("Unit:B", "Region:R", type="IN_REGION")
    G.add_edge("Person:P", "Unit:A", type="HOLDS_POST")
    G.add_edge("Person:P", "Unit:C", type="HOLDS_POST")
    G.add_edge("Problem:Q", "Unit:A", type="FOUND_IN")
    G.add_edge("Problem:Q", "Unit:ghost", type="FOUND_IN")
    assert ego(G, "Unit:A", 1) == ["Person:P", "Problem:Q", "Region:R", "Unit:A"]
    # two hops: through the person to Unit:C, never through the region to Unit:B
    assert ego(G, "Unit:A", 2) == ["Person:P", "Problem:Q", "Region:R", "Unit:A", "Unit:C"]
    assert ego(G, "Region:R", 1) == ["Region:R", "Unit:A", "Unit:B"]  # a hub may be the start


def test_unit_view_of_tiny(source):
    one = view_request(source, "unit:U1", hops=1)
    assert sorted(one.nodes) == ["AuditFinding:A1", "Lead:L1", "Person:P3", "Problem:Q1",
                                 "Problem:Q2", "Region:R1", "Team:T1", "Unit:U1", "Unit:U2"]
    two = set(view_request(source, "unit:U1").nodes)  # default 2 hops
    # the session harmonises categories: 违反中央八项规定精神 is shown as 八项规定
    assert {"Measure:M1", "Measure:M2", "Category:八项规定", "Department:D1"} <= two
    assert "Unit:U4" not in two and "Unit:U3" not in two  # not through 金堂县 or 成都市
    assert one.highlight_nodes == ("Unit:U1",)
    with pytest.raises(InputError):
        view_request(source, "unit:NOPE")


def test_person_view_of_tiny(source):
    req = view_request(source, "person:P3")
    # 王伟 P3: post in U1, tie to P5 (classmate), member of T3, measures owned, problem Q1
    assert {"Unit:U1", "Person:P5", "Team:T3", "Person:P3"} <= set(req.nodes)
    assert "Person:P4" not in req.nodes  # the other 王伟: people join by id, never by name


def test_conflicts_view_draws_every_evidence_path_red(source):
    req = view_request(source, "conflicts", round_id="X2")
    # X2: hard P1 -spouse- P2 (official of U3); soft P3 -post- U1 -same sector- U2
    assert set(req.highlight_edges) == {("Person:P1", "Person:P2"), ("Person:P2", "Unit:U3"),
                                        ("Person:P3", "Unit:U1"), ("Unit:U1", "Unit:U2")}
    assert {"Team:T2", "Team:T3", "Person:P1", "Person:P3", "Unit:U3", "Unit:U2"} <= set(req.nodes)
    spec = request_spec(req, max_nodes=1500, seed=0, lang="zh")
    red = {(e.source, e.target) for e in spec.edges if e.highlight}
    assert len(red) >= 4
    assert "回避 1 条、提示 1 条" in spec.title
    with pytest.raises(InputError):
        view_request(source, "conflicts", round_id="NOPE")
    with pytest.raises(InputError):
        view_request(source, "conflicts")


def test_rotation_ring_from_a_hand_made_plan(tiny):
    assert ring_order(PLAN["pairs"]) == ["R1", "R2"]
    three = [{"from_region_id": a, "to_region_id": b} for a, b in (("C", "A"), ("A", "B"), ("B", "C"))]
    assert ring_order(three) == ["A", "B", "C"]  # the cycle, from its smallest id
    req = rotation_view(tiny, PLAN, "X2")
    G = req.G
    assert set(req.nodes) == {"Region:R1", "Region:R2", "Team:T2", "Team:T3"}
    edges = {(a, b, d["team_id"]): d for a, b, d in G.edges(data=True) if d["type"] == "CROSS_INSPECTS"}
    assert set(edges) == {("Region:R1", "Region:R2", "T2"), ("Region:R2", "Region:R1", "T3")}
    assert edges[("Region:R2", "Region:R1", "T3")]["cost"] == 1.5
    assert req.highlight_edges == (("Region:R2", "Region:R1", "T3"),)  # the pair with a soft conflict
    spec = request_spec(req, max_nodes=1500, seed=0, lang="zh")
    pos = {n.id: (n.x, n.y) for n in spec.nodes}
    assert pos["Region:R1"] == (0.0, -220.0) and pos["Region:R2"] == (0.0, 220.0)
    assert spec.physics is False
    assert [e for e in spec.edges if e.highlight][0].type == "CROSS_INSPECTS"
    with pytest.raises(InputError):
        rotation_view(tiny, {"pairs": []}, "X2")


def test_rotation_focus_uses_the_planner_or_says_why_not(source):
    from linkgraph.errors import LinkgraphError

    # tiny's X2: T2 (home 金堂县) may only go to 新津区, where its leader's wife works
    with pytest.raises(LinkgraphError, match="T2"):
        view_request(source, "rotation", round_id="X2")
    req = view_request(source, "rotation", round_id="X2", plan=PLAN)
    assert req.kind == "rotation"


def test_soft_count_takes_records_or_a_number():
    from linkgraph.views.kinds_rotation import soft_count

    assert soft_count(PLAN["pairs"][1]["soft_conflicts"]) == 1
    assert soft_count([]) == 0 and soft_count(3) == 3 and soft_count(None) == 0


def test_ring_for_a_team_without_a_home_region(tiny):
    plan = {"pairs": [{"team_id": "T9", "from_region_id": None, "to_region_id": "R1",
                       "unit_ids": ["U1"], "cost": 0.0, "soft_conflicts": []}]}
    req = rotation_view(tiny, plan, "X2")
    assert set(req.nodes) == {"Region:R1", "Team:T9"}
    assert [(a, b, d["type"]) for a, b, d in req.G.edges(data=True)] == [
        ("Team:T9", "Region:R1", "CROSS_INSPECTS")]


def test_cluster_and_lead_network_views_by_hand():
    from linkgraph.analysis.clusters import Cluster
    from linkgraph.views.kinds import cluster_view, lead_network_view

    G = nx.MultiDiGraph()
    for k in ("Unit:U1", "Unit:U2", "Problem:Q1", "Problem:Q2", "Department:D1",
              "Category:公务接待", "Lead:L1", "Lead:L2", "Person:P1", "Person:P2", "Unit:U9"):
        G.add_node(k, label=k.split(":")[0], id=k.split(":")[1])
    G.add_edge("Problem:Q1", "Unit:U1", type="FOUND_IN")
    G.add_edge("Problem:Q2", "Unit:U2", type="FOUND_IN")
    G.add_edge("Lead:L1", "Person:P1", type="INVOLVES")
    G.add_edge("Lead:L2", "Person:P2", type="INVOLVES")
    G.add_edge("Person:P1", "Person:P2", type="TIE", relation="spouse")
    c = Cluster("C001", "公务接待高发", "overrepresented", "公务接待", "教育", None,
                ("U1", "U2"), ("Q1", "Q2"), 3.0, 0.001, ("D1",), ("U9",))
    req = cluster_view(G, c)
    assert set(req.nodes) == {"Unit:U1", "Unit:U2", "Problem:Q1", "Problem:Q2",
                              "Department:D1", "Category:公务接待"}
    assert req.highlight_nodes == ("Department:D1",)
    net = {"network_id": "LN-L1", "lead_ids": ("L1", "L2"), "person_ids": ("P1", "P2"),
           "unit_ids": (), "why": "这2条线索涉及一对夫妻"}
    req = lead_network_view(G, net)
    assert set(req.nodes) == {"Lead:L1", "Lead:L2", "Person:P1", "Person:P2"}
    assert req.highlight_edges == (("Person:P1", "Person:P2"),)


def test_provenance_rows_are_in_the_page_escaped(tiny):
    req = overview(tiny)
    spec = request_spec(req, max_nodes=1500, seed=0, lang="zh",
                        provenance=[("命令 / command", HOSTILE), ("输入 / input a.csv", "sha256:ab")])
    page = render_html(spec)
    assert "<th>命令 / command</th><td>&lt;img src=x onerror=alert(1)&gt;</td>" in page
    assert HOSTILE not in page
    assert "sha256:ab" in page


def test_cli_view_every_kind_on_tiny(invoke, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    pages = {}
    for name, args in (("overview", ()), ("unit", ("--focus", "unit:U1")),
                       ("person", ("--focus", "person:P1")),
                       ("portrait", ("--focus", "portrait:P3", "--as-of", "2025-01-01")),
                       ("conflicts", ("--focus", "conflicts", "--round", "X2"))):
        out = tmp_path / f"{name}.html"
        r = invoke("view", TINY, "--out", out, *args)
        assert r.exit_code == 0, r.output
        pages[name] = out.read_text("utf-8")
    assert "金堂县教育局" in pages["unit"]
    assert "一把手画像 · 王伟(P3)" in pages["portrait"]
    for page in pages.values():
        assert "2023-11-14T22:13:20Z" in page  # SOURCE_DATE_EPOCH
        assert re.search(r"<th>命令</th><td>[^<]* view</td>", page)
        assert re.search(r"sha256:[0-9a-f]{64}", page)
    again = tmp_path / "again.html"
    invoke("view", TINY, "--out", again, "--focus", "unit:U1")
    assert again.read_text("utf-8").replace(str(again), "X") == \
        pages["unit"].replace(str(tmp_path / "unit.html"), "X")


def test_cli_view_bad_focus_is_a_usage_error(invoke, tmp_path):
    r = invoke("view", TINY, "--out", tmp_path / "x.html", "--focus", "galaxy:1")
    assert r.exit_code == 2
    r = invoke("view", TINY, "--out", tmp_path / "x.html", "--focus", "conflicts")
    assert r.exit_code == 2
    r = invoke("view", TINY, "--out", tmp_path / "x.html", "--focus", "unit:NOPE")
    assert r.exit_code == 1 and "NOPE" in r.output


def test_portrait_view_of_a_leader_whose_units_have_no_problem(source):
    # 王伟 P4 leads 新津区教育局 U4: no problem there, one petition about him
    req = view_request(source, "portrait:P4")
    assert set(req.nodes) == {"Person:P4", "Unit:U4", "Petition:F1"}
    assert req.highlight_nodes == ("Person:P4",)
