"""The property graph: labels, types, directions and properties of DESIGN.md."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from linkgraph.dataset import load_dataset
from linkgraph.graph import build_graph, graph_counts, tables_from_graph
from linkgraph.model import LABELS, REL_TYPES

TINY = Path(__file__).parent / "data" / "tiny"


@pytest.fixture(scope="module")
def tiny():
    return load_dataset(TINY)


@pytest.fixture(scope="module")
def G(tiny):
    return build_graph(tiny)


def edges(G, rel):
    return sorted((s, e) for s, e, d in G.edges(data=True) if d["type"] == rel)


def test_only_design_labels_and_types(G):
    assert {d["label"] for _, d in G.nodes(data=True)} <= set(LABELS)
    assert {d["type"] for *_, d in G.edges(data=True)} <= set(REL_TYPES)


def test_node_counts_by_label(G):
    # 3 regions, 4 units, 5 people, 2 rounds, 3 teams, 4 problems, 3 categories
    # (八项规定, 财务管理, 工程项目), 2 leads, 3 departments, 3 measures, 2 audits, 2 petitions
    assert Counter(d["label"] for _, d in G.nodes(data=True)) == Counter({
        "Region": 3, "Unit": 4, "Person": 5, "Round": 2, "Team": 3, "Problem": 4,
        "Category": 3, "Lead": 2, "Department": 3, "Measure": 3, "AuditFinding": 2,
        "Petition": 2})


def test_relationships_and_directions(G):
    assert edges(G, "HOLDS_POST") == [("Person:P2", "Unit:U3"), ("Person:P3", "Unit:U1"),
                                      ("Person:P4", "Unit:U4"), ("Person:P5", "Unit:U2")]
    assert edges(G, "TIE") == [("Person:P2", "Person:P1"), ("Person:P3", "Person:P5")]
    assert edges(G, "PART_OF") == [("Region:R1", "Region:C1"), ("Region:R2", "Region:C1"),
                                   ("Unit:U2", "Unit:U1")]
    assert edges(G, "INSPECTS") == [("Team:T1", "Unit:U1"), ("Team:T2", "Unit:U3"),
                                    ("Team:T3", "Unit:U2")]
    # Q3 involves two people; L1 and L2 one each
    assert edges(G, "INVOLVES") == [("Lead:L1", "Person:P3"), ("Lead:L2", "Person:P2"),
                                    ("Problem:Q1", "Person:P3"), ("Problem:Q3", "Person:P2"),
                                    ("Problem:Q3", "Person:P5")]
    # L2 named its department "成都市纪委监委": resolved to D1
    assert edges(G, "TRANSFERRED_TO") == [("Lead:L1", "Department:D1"),
                                          ("Lead:L2", "Department:D1")]
    assert edges(G, "SUPERVISES") == [
        ("Department:D1", "Category:违反中央八项规定精神"),
        ("Department:D3", "Category:财务管理不规范"),
        ("Department:D3", "Category:违反中央八项规定精神")]
    assert edges(G, "OWNED_BY") == [("Measure:M1", "Person:P3"), ("Measure:M2", "Department:D3"),
                                    ("Measure:M2", "Person:P3"), ("Measure:M3", "Person:P2")]
    # A1 (U1, 财务管理不规范) matches Q2; A2 is in U4 where nothing was found
    assert edges(G, "CORROBORATES") == [("AuditFinding:A1", "Problem:Q2")]
    assert edges(G, "ABOUT") == [("Petition:F1", "Person:P4"), ("Petition:F1", "Unit:U4"),
                                 ("Petition:F2", "Unit:U3")]


def test_properties_use_canonical_names_and_plain_values(G):
    assert G.nodes["Unit:U2"] == {"id": "U2", "label": "Unit", "name": "金堂县第一中学",
                                  "region_id": "R1", "sector": "教育", "level": "县级",
                                  "kind": "事业单位", "parent_id": "U1"}
    post = next(d for s, e, d in G.edges(data=True) if (s, e) == ("Person:P5", "Unit:U2"))
    assert post == {"type": "HOLDS_POST", "title": "校长", "is_top_leader": True,
                    "start": "2015-09-01", "end": "2022-08-31"}
    assert G.nodes["Lead:L1"]["signed_by"] == ["纪检监察室", "巡察组"]
    assert G.nodes["AuditFinding:A1"]["amount"] == 125000.0
    assert G.nodes["Measure:M3"]["status"] == "ongoing"
    json.dumps(dict(G.nodes(data=True)), ensure_ascii=False)  # Neo4j-storable values


def test_counts_without_the_graph_equal_the_graph(tiny, G):
    labels, types = graph_counts(tiny)
    assert +labels == Counter(d["label"] for _, d in G.nodes(data=True))
    assert +types == Counter(d["type"] for *_, d in G.edges(data=True))


def test_tables_round_trip_through_the_graph(tiny, G):
    back = tables_from_graph(G)
    for name, frame in tiny.tables.items():
        got = back[name].reset_index(drop=True)
        want = frame.reset_index(drop=True)
        key = list(want.columns[:2])
        pd.testing.assert_frame_equal(got.sort_values(key).reset_index(drop=True),
                                      want.sort_values(key).reset_index(drop=True),
                                      check_dtype=False)
