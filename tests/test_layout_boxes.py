"""``separate_boxes`` finds the overlapping pairs with a k-d tree; its answer
must be the dense all-pairs computation's, to the coordinate."""
from __future__ import annotations

import numpy as np
import pytest

from linkgraph.views.layout import box_start, label_boxes, separate_boxes


def dense_separate_boxes(points, half_width, top, bottom, padding=6.0, rounds=None):
    """The all-pairs version (every pair tested every round), by brute force,
    from the same start (spread, box sizes, rounds)."""
    pos = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    n = len(pos)
    if n < 2:
        return [(round(float(x)), round(float(y))) for x, y in pos]
    pos, hw, hh, mid, rounds = box_start(pos, half_width, top, bottom, padding, rounds)
    need_x, need_y = hw[:, None] + hw[None, :], hh[:, None] + hh[None, :]
    angle = np.arange(n) * 2.399963
    tie_x = np.sign(np.cos(angle)[:, None] - np.cos(angle)[None, :])
    tie_y = np.sign(np.sin(angle)[:, None] - np.sin(angle)[None, :])
    off_diagonal = ~np.eye(n, dtype=bool)
    for _ in range(rounds):
        dx = pos[:, 0, None] - pos[None, :, 0]
        cy = pos[:, 1] + mid
        dy = cy[:, None] - cy[None, :]
        ox, oy = need_x - np.abs(dx), need_y - np.abs(dy)
        hit = (ox > 0) & (oy > 0) & off_diagonal
        if not hit.any():
            break
        along_x = hit & (ox <= oy)
        along_y = hit & ~along_x
        sx = np.where(dx != 0, np.sign(dx), tie_x)
        sy = np.where(dy != 0, np.sign(dy), tie_y)
        pos[:, 0] += (np.where(along_x, sx * (ox / 2 + 0.5), 0.0)).sum(axis=1)
        pos[:, 1] += (np.where(along_y, sy * (oy / 2 + 0.5), 0.0)).sum(axis=1)
    return [(round(float(x)), round(float(y))) for x, y in pos]


def _case(n: int, trial: int):
    rng = np.random.default_rng(1000 * n + trial)
    pts = rng.normal(size=(n, 2)) * [1, 30, 300][trial % 3]
    if trial % 2 == 0:
        pts = np.round(pts)                 # equal coordinates: the tie-breaks
    if trial == 1:
        pts[: n // 2] = pts[0]              # half the nodes on one spot
    radii = rng.uniform(3, 20, n)
    labels = ["" if k % 4 == 0 else "名" * int(rng.integers(1, 9)) for k in range(n)]
    return [tuple(p) for p in pts], label_boxes(labels, radii)


@pytest.mark.parametrize("n", [2, 3, 7, 40, 150])
@pytest.mark.parametrize("trial", range(4))
def test_the_same_coordinates_as_testing_every_pair(n, trial):
    points, boxes = _case(n, trial)
    assert separate_boxes(points, *boxes) == dense_separate_boxes(points, *boxes)


def test_boxes_no_longer_overlap():
    points, (half, top, bottom) = _case(150, 1)
    placed = np.array(separate_boxes(points, half, top, bottom, padding=0.0), dtype=float)
    for a in range(len(placed)):
        for b in range(a):
            apart_x = abs(placed[a, 0] - placed[b, 0]) >= half[a] + half[b] - 1
            lo_a, hi_a = placed[a, 1] + top[a], placed[a, 1] + bottom[a]
            lo_b, hi_b = placed[b, 1] + top[b], placed[b, 1] + bottom[b]
            apart_y = hi_a <= lo_b + 1 or hi_b <= lo_a + 1
            assert apart_x or apart_y, (a, b)
