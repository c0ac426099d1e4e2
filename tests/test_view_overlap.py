"""The static views' layout: drawn nodes (circles of their drawn size) do not
overlap — at most 2 % of node pairs, the explorer's goal too — for every kind
of view, on tiny and on a generated county."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from linkgraph.dataset import load_dataset
from linkgraph.session import Session
from linkgraph.views.focus import view_request
from linkgraph.views.kinds import request_spec
from linkgraph.views.layout import separate

TINY = Path(__file__).parent / "data" / "tiny"
GOAL = 0.02


def overlap_share(spec) -> float:
    """Share of node pairs whose circles (x, y, size) intersect."""
    xy = np.array([(n.x, n.y) for n in spec.nodes], dtype=float)
    r = np.array([n.size for n in spec.nodes], dtype=float)
    if len(xy) < 2:
        return 0.0
    d = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    over = d < (r[:, None] + r[None, :])
    iu = np.triu_indices(len(xy), 1)
    return float(over[iu].mean())


def test_separate_by_hand():
    # two unit circles at the same spot and one far away: pushed 2 + padding apart
    out = separate([(0, 0), (0, 0), (100, 0)], [1, 1, 1], padding=2)
    (ax, ay), (bx, by), far = out
    assert ((ax - bx) ** 2 + (ay - by) ** 2) ** 0.5 >= 3.5 and far == (100, 0)
    assert separate([(0, 0)], [5]) == [(0, 0)]
    assert separate([(0, 0), (0, 0)], [3, 3]) == separate([(0, 0), (0, 0)], [3, 3])


@pytest.fixture(scope="module")
def tiny_session() -> Session:
    return Session(load_dataset(TINY).tables)


@pytest.fixture(scope="module")
def county_session(tmp_path_factory) -> Session:
    from loaders.generator.build import generate
    from loaders.generator.writer import write_dataset

    folder = tmp_path_factory.mktemp("county")
    write_dataset(generate("county", seed=2), folder)
    return Session(load_dataset(folder).tables)


@pytest.mark.parametrize("focus,round_id", [
    (None, None), ("unit:U1", None), ("person:P1", None), ("portrait:P3", None),
    ("conflicts", "X2")])
def test_every_view_kind_of_tiny_has_no_overlap(tiny_session, focus, round_id):
    spec = request_spec(view_request(tiny_session, focus, round_id=round_id), max_nodes=1500,
                        seed=0, lang="zh")
    assert overlap_share(spec) <= GOAL


def test_county_views_have_at_most_two_percent_overlapping_pairs(county_session):
    tables = county_session.tables
    unit = tables["problems"]["unit_id"].value_counts().index[0]
    person = tables["posts"]["person_id"].value_counts().index[0]
    rounds = sorted(tables["rounds"]["round_id"])
    shares = {}
    cluster = county_session.clusters[0].cluster_id
    network = county_session.lead_networks["network_id"].iloc[0]
    cross = tables["rounds"].loc[tables["rounds"]["kind"] == "cross", "round_id"]
    for focus, round_id in ((None, None), (f"unit:{unit}", None), (f"person:{person}", None),
                            ("conflicts", rounds[-1]), (f"cluster:{cluster}", None),
                            (f"lead-network:{network}", None),
                            ("rotation", sorted(cross)[-1])):
        spec = request_spec(view_request(county_session, focus, round_id=round_id),
                            max_nodes=1500, seed=0, lang="zh")
        shares[focus] = overlap_share(spec)
    assert all(s <= GOAL for s in shares.values()), shares
