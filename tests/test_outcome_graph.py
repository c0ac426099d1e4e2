"""The 成果 and review tables in the property graph: their nodes, their
relationships, the people of a lead (案外人 on the Lead) and the round trip
back to tables, on the hand-built 成都 ledger (tests/chengdu_ledger.py)."""
from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest

from linkgraph.dataset import load_dataset
from linkgraph.graph import build_graph, graph_counts, tables_from_graph
from linkgraph.schema import OUTCOME_TABLES, TABLE_BY_NAME
from tests.chengdu_ledger import ledger
from tests.conftest import write_tables


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    return load_dataset(write_tables(tmp_path_factory.mktemp("chengdu"), ledger())).tables


@pytest.fixture(scope="module")
def G(tables):
    return build_graph(tables)


def typed(G, rel: str) -> list[tuple[str, str]]:
    return sorted((s, e) for s, e, d in G.edges(data=True) if d["type"] == rel)


def test_outcome_nodes_by_label(G):
    labels = Counter(d["label"] for _, d in G.nodes(data=True))
    # reviews: 20 sent back + 2361 passed closing reviews (the measures of
    # problems 0…520: 244 × 4 + 277 × 5) + 10 × 5 sent back (problems 531…540,
    # five measures each) + 4 reports sent back + 10 reports passed
    assert labels["Review"] == 20 + 2361 + 50 + 4 + 10
    # results: one row per unit and four more for U10's people
    assert labels["Result"] == 10 + 4
    assert labels["Talk"] == labels["Visit"] == labels["SelfCheck"] == 0


def test_outcome_relationships(G):
    reviews = typed(G, "REVIEWS")
    assert len([e for s, e in reviews if e.startswith("Measure:")]) == 20 + 2361 + 50
    assert len([e for s, e in reviews if e.startswith("Unit:")]) == 2445
    result_of = typed(G, "RESULT_OF")
    assert result_of[:2] == [("Result:C01", "Unit:U01"), ("Result:C02", "Unit:U02")]
    # U10's people: its own row and the four others, five each (P176…P200)
    held = typed(G, "HELD_ACCOUNTABLE")
    assert sorted(e for _, e in held) == [f"Person:P{i}" for i in range(176, 201)]
    in_round = [s for s, e in typed(G, "IN_ROUND") if s.startswith(("Review:", "Result:"))]
    assert len(in_round) == 2445 + 14


def test_people_of_a_lead_and_those_not_on_the_roster(G):
    # L001…L011 name P001…P011 in lead_people and one 案外人 each
    assert typed(G, "IMPLICATES") == [(f"Lead:L{i:03d}", f"Person:P{i:03d}")
                                      for i in range(1, 12)]
    assert G.nodes["Lead:L003"]["outside_people"] == ["案外人03"]
    assert "outside_outcomes" not in G.nodes["Lead:L003"]   # none given
    assert "outside_people" not in G.nodes["Lead:L012"]


def test_counts_without_the_graph_equal_the_graph(tables, G):
    labels, types = graph_counts(tables)
    assert +labels == Counter(d["label"] for _, d in G.nodes(data=True))
    assert +types == Counter(d["type"] for *_, d in G.edges(data=True))


def _rows(frame: pd.DataFrame, table: str) -> list[str]:
    cols = [c.name for c in TABLE_BY_NAME[table].columns]
    return sorted(repr([None if (v is None or v is pd.NA or v != v) else
                        (v.strftime("%Y-%m-%d") if isinstance(v, pd.Timestamp) else v)
                        for v in row]) for row in frame[cols].itertuples(index=False))


@pytest.mark.parametrize("table", [*OUTCOME_TABLES, "leads"])
def test_outcome_tables_round_trip_through_the_graph(tables, G, table):
    back = tables_from_graph(G)
    assert _rows(back[table], table) == _rows(tables[table], table)
    assert list(back[table].columns) == list(tables[table].columns)


def test_outside_people_keep_their_outcomes(tables):
    lp = tables["lead_people"].copy()
    lp.loc[lp["person_id"].isna() & (lp["lead_id"] == "L002"), "outcome"] = "sanctioned"
    changed = {**tables, "lead_people": lp}
    G = build_graph(changed)
    assert G.nodes["Lead:L002"]["outside_outcomes"] == ["sanctioned"]
    back = tables_from_graph(G)["lead_people"]
    row = back[(back["lead_id"] == "L002") & back["person_id"].isna()]
    assert row[["name", "outcome"]].values.tolist() == [["案外人02", "sanctioned"]]


def test_explorer_finds_and_dates_the_outcome_records(tables):
    """Search over the new labels (it once crashed on them) and their dates on
    a unit's timeline."""
    from linkgraph.explore.state import Explorer

    ex = Explorer(tables)
    found = ex.search("V00001")
    assert [r["key"] for r in found["results"]][:1] == ["Review:V00001"]
    node = ex.node("Review:V00001")
    assert node is not None and node["label"] == "Review"
    unit = ex.node("Unit:U01")
    assert unit is not None
    assert any("2024-08-20" in str(item) for item in unit["timeline"])
