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


def label_rects(spec) -> np.ndarray:
    """Each node's label as vis-network draws it below a dot at zoom 1: one
    line of the 14 px font (a CJK character 14 px wide, others 8.4), 5 px
    under the circle."""
    import unicodedata

    rects = []
    for n in spec.nodes:
        w = sum(14 if unicodedata.east_asian_width(c) in "WF" else 8.4 for c in n.text)
        top = n.y + n.size + 5
        rects.append((n.x - w / 2, top, n.x + w / 2, top + 17.5))
    return np.array(rects, dtype=float).reshape(-1, 4)


def label_collisions(spec) -> tuple[int, int]:
    """(pairs of labels that intersect, (label, other node's circle) pairs that do)."""
    r = label_rects(spec)
    if len(r) < 2:
        return 0, 0
    both = ((r[:, None, 0] < r[None, :, 2]) & (r[None, :, 0] < r[:, None, 2])
            & (r[:, None, 1] < r[None, :, 3]) & (r[None, :, 1] < r[:, None, 3]))
    np.fill_diagonal(both, False)
    xy = np.array([(n.x, n.y) for n in spec.nodes], dtype=float)
    size = np.array([n.size for n in spec.nodes], dtype=float)
    near_x = np.clip(xy[None, :, 0], r[:, None, 0], r[:, None, 2])
    near_y = np.clip(xy[None, :, 1], r[:, None, 1], r[:, None, 3])
    covers = (near_x - xy[None, :, 0]) ** 2 + (near_y - xy[None, :, 1]) ** 2 < size[None, :] ** 2
    np.fill_diagonal(covers, False)
    return int(np.triu(both, 1).sum()), int(covers.sum())


def test_label_collisions_by_hand():
    from types import SimpleNamespace as N

    # two 2-character labels 20 px apart side by side: 28 px wide each, so they meet
    spec = N(nodes=[N(x=0, y=0, size=5, text="甲乙"), N(x=20, y=0, size=5, text="丙丁")])
    assert label_collisions(spec) == (1, 0)
    # 40 px apart they do not; a node drawn just under the first label is covered by it
    spec = N(nodes=[N(x=0, y=0, size=5, text="甲乙"), N(x=40, y=0, size=5, text="丙丁"),
                    N(x=0, y=20, size=3, text="")])
    assert label_collisions(spec) == (0, 1)


def test_separate_boxes_by_hand():
    from linkgraph.views.layout import label_boxes, separate_boxes

    # two nodes at one spot with 4-character labels end up with disjoint boxes
    half, top, bottom = label_boxes(["甲乙丙丁", "戊己庚辛"], [5, 5])
    assert half.tolist() == [31.0, 31.0] and top.tolist() == [-5, -5]
    assert bottom.tolist() == [5 + 5 + 17.5] * 2
    (ax, ay), (bx, by) = separate_boxes([(0, 0), (0, 0)], half, top, bottom, padding=2)
    assert abs(ax - bx) >= 64 or abs(ay - by) >= 29.5


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


def test_county_views_have_no_colliding_labels(county_session):
    """At zoom 1 no label covers another label, and hardly any covers a node."""
    tables = county_session.tables
    unit = tables["problems"]["unit_id"].value_counts().index[0]
    person = tables["posts"]["person_id"].value_counts().index[0]
    rounds = sorted(tables["rounds"]["round_id"])
    found = {}
    for focus, round_id in ((None, None), (f"unit:{unit}", None), (f"person:{person}", None),
                            ("conflicts", rounds[-1]),
                            (f"cluster:{county_session.clusters[0].cluster_id}", None)):
        spec = request_spec(view_request(county_session, focus, round_id=round_id),
                            max_nodes=1500, seed=0, lang="zh")
        labels, covered = label_collisions(spec)
        n = len(spec.nodes)
        found[focus] = (labels, covered, n)
    assert all(labels == 0 for labels, _, _ in found.values()), found
    assert all(covered <= 0.01 * n for _, covered, n in found.values()), found
