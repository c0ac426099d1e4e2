"""Deterministic node positions (a vectorised Fruchterman–Reingold), then
a collision pass that moves overlapping nodes apart by their drawn radius —
or, given the labels, by the box of circle and label together, so that no
label covers another label or a node at the scale the positions are drawn.

networkx's ``spring_layout`` takes about 5 s for 1,500 nodes here; this
float32 version of the same force model takes well under a second, so large
views can ship precomputed positions and the browser never runs physics on
them.  Same nodes, edges and seed -> the same integer coordinates.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import numpy as np
from scipy.spatial import cKDTree

#: vis-network's node label: the font size draw.py sets, the line it takes
#: and how far below a dot's circle it starts (canvas units at zoom 1).
FONT_SIZE = 14
LINE_HEIGHT = 1.25 * FONT_SIZE
LABEL_GAP = 5.0


def force_layout(
    n: int,
    edges: Sequence[tuple[int, int]],
    *,
    seed: int = 0,
    iterations: int = 60,
    spacing: float = 45.0,
    radii: Sequence[float] | None = None,
    padding: float = 6.0,
    labels: Sequence[str] | None = None,
) -> list[tuple[int, int]]:
    """Positions for nodes ``0..n-1`` joined by ``edges`` (index pairs).

    Returns integer ``(x, y)`` pairs in vis-network canvas units, centred on
    the origin, about ``spacing`` apart on average.  With ``radii`` (drawn
    sizes), nodes are then pushed apart until no two circles (plus
    ``padding``) overlap — or as near as 200 rounds get; with ``labels``
    too, no two boxes of circle and label beneath it (:func:`label_boxes`).
    """
    if n == 0:
        return []
    if n == 1:
        return [(0, 0)]
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2), dtype=np.float32) * np.float32(2.0) - np.float32(1.0)
    src, dst = _edge_arrays(edges, n)
    k = np.float32(2.0 / np.sqrt(n))  # ideal distance in a 2 x 2 box
    temp = np.float32(0.2)
    cool = temp / np.float32(iterations + 1)
    for _ in range(iterations):
        disp = _repulsion(pos, k) + _attraction(pos, src, dst, k, n)
        disp -= pos * np.float32(0.05) * k  # weak gravity keeps parts together
        length = np.sqrt((disp * disp).sum(axis=1))
        np.maximum(length, np.float32(1e-6), out=length)
        pos += disp * (np.minimum(length, temp) / length)[:, None]
        temp -= cool
    placed = _to_canvas(pos, n, spacing)
    if radii is None:
        return placed
    if labels is not None:
        return separate_boxes(placed, *label_boxes(labels, radii), padding=padding)
    return separate(placed, radii, padding)


def text_width(text: str, font: float = FONT_SIZE) -> float:
    """The drawn width of one line: a wide (CJK) character takes the font
    size, any other about 0.6 of it."""
    return sum(font if unicodedata.east_asian_width(ch) in "WF" else 0.6 * font for ch in text)


def label_boxes(labels: Sequence[str], radii: Sequence[float]
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each node's box around its centre as (half width, top, bottom): the
    circle, and the label one line high below it (3 px of the label's white
    stroke on each side)."""
    r = np.asarray(radii, dtype=np.float64)
    width = np.asarray([text_width(t) + 6 if t else 0.0 for t in labels], dtype=np.float64)
    half = np.maximum(r, width / 2)
    bottom = np.where(width > 0, r + LABEL_GAP + LINE_HEIGHT, r)
    return half, -r, bottom


def box_start(pos: np.ndarray, half_width: np.ndarray, top: np.ndarray, bottom: np.ndarray,
              padding: float, rounds: int | None
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """``separate_boxes``' start: the positions spread until the boxes could
    fit, each box's half width, half height and centre below its point, and
    the rounds."""
    n = len(pos)
    if rounds is None:
        rounds = max(600, min(3000, int(7.2e8 / (n * n))))
    hw = np.asarray(half_width, dtype=np.float64) + padding / 2
    hh = (np.asarray(bottom, dtype=np.float64) - np.asarray(top, dtype=np.float64)) / 2 \
        + padding / 2
    mid = (np.asarray(bottom, dtype=np.float64) + np.asarray(top, dtype=np.float64)) / 2
    # first spread the picture until the boxes could fit in it, so the pushes
    # settle in few rounds instead of crowding one another
    span = np.ptp(pos, axis=0) + 1.0
    fill = float((4 * hw * hh).sum()) / float(span[0] * span[1])
    if fill > 0.3:
        centre = np.median(pos, axis=0)
        pos = centre + (pos - centre) * np.sqrt(fill / 0.3)
    return pos, hw, hh, mid, rounds


def separate_boxes(points: Sequence[tuple[float, float]], half_width: np.ndarray,
                   top: np.ndarray, bottom: np.ndarray, padding: float = 6.0,
                   rounds: int | None = None) -> list[tuple[int, int]]:
    """Move boxes (``half_width`` either side of a point, ``top``..``bottom``
    below it) apart until none overlap: each overlapping pair is pushed
    apart half the overlap each, along the axis where it is smaller.
    Deterministic; near O(n log n) per round.  Crowded
    pictures of a few hundred nodes need up to ~1,500 rounds to settle, so
    the rounds follow a fixed work budget: up to 3,000 for small pictures,
    never fewer than 600."""
    pos = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    n = len(pos)
    if n < 2:
        return [(round(float(x)), round(float(y))) for x, y in pos]
    pos, hw, hh, mid, rounds = box_start(pos, half_width, top, bottom, padding, rounds)
    angle = np.arange(n) * 2.399963
    cos, sin = np.cos(angle), np.sin(angle)
    # Two boxes can overlap only if their centres are closer than the widest
    # (tallest) pair of boxes, so a k-d tree finds the pairs to test.  Each
    # row of pushes is then summed over all n columns, zeros included, so the
    # sums (and the positions) are those of the dense n x n computation.
    reach = np.array([2 * hw.max(), 2 * hh.max()])
    for _ in range(rounds):
        cy = pos[:, 1] + mid
        near = cKDTree(np.column_stack([pos[:, 0], cy]) / reach).query_pairs(
            1.0 + 1e-9, p=np.inf, output_type="ndarray")
        i = np.concatenate([near[:, 0], near[:, 1]])
        j = np.concatenate([near[:, 1], near[:, 0]])
        dx = pos[i, 0] - pos[j, 0]
        dy = cy[i] - cy[j]
        ox = (hw[i] + hw[j]) - np.abs(dx)
        oy = (hh[i] + hh[j]) - np.abs(dy)
        hit = (ox > 0) & (oy > 0)
        if not hit.any():
            break
        i, j, dx, dy, ox, oy = i[hit], j[hit], dx[hit], dy[hit], ox[hit], oy[hit]
        along_x = ox <= oy
        sx = np.where(dx != 0, np.sign(dx), np.sign(cos[i] - cos[j]))
        sy = np.where(dy != 0, np.sign(dy), np.sign(sin[i] - sin[j]))
        rows, row = np.unique(i, return_inverse=True)
        push = np.zeros((2, len(rows), n))
        push[0, row[along_x], j[along_x]] = sx[along_x] * (ox[along_x] / 2 + 0.5)
        push[1, row[~along_x], j[~along_x]] = sy[~along_x] * (oy[~along_x] / 2 + 0.5)
        sums = push.sum(axis=2)
        pos[rows, 0] += sums[0]
        pos[rows, 1] += sums[1]
    return [(round(float(x)), round(float(y))) for x, y in pos]


def separate(points: Sequence[tuple[float, float]], radii: Sequence[float],
             padding: float = 6.0, rounds: int = 200) -> list[tuple[int, int]]:
    """Move circles apart until none overlap (each pair pushed half the
    overlap each, along the line between them; coincident ones along a fixed
    direction).  Deterministic; O(n²) per round, for views of a few thousand."""
    pos = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    r = np.asarray(radii, dtype=np.float64) + padding / 2
    n = len(pos)
    if n < 2:
        return [(round(float(x)), round(float(y))) for x, y in pos]
    need = r[:, None] + r[None, :]
    golden = np.stack([np.cos(np.arange(n) * 2.399963), np.sin(np.arange(n) * 2.399963)], axis=1)
    for _ in range(rounds):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.sqrt((delta ** 2).sum(axis=2))
        overlap = need - dist
        np.fill_diagonal(overlap, 0.0)
        overlap[overlap < 0.5] = 0.0
        if not overlap.any():
            break
        safe = np.where(dist > 1e-9, dist, 1.0)
        unit = np.where((dist > 1e-9)[:, :, None], delta / safe[:, :, None],
                        golden[:, None, :] - golden[None, :, :])
        push = (unit * (overlap / 2 + 0.5)[:, :, None] * (overlap > 0)[:, :, None]).sum(axis=1)
        pos += push
    return [(round(float(x)), round(float(y))) for x, y in pos]


def _edge_arrays(edges: Sequence[tuple[int, int]], n: int) -> tuple[np.ndarray, np.ndarray]:
    pairs = {(min(a, b), max(a, b)) for a, b in edges if a != b and 0 <= a < n and 0 <= b < n}
    arr = np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2)
    return arr[:, 0], arr[:, 1]


def _repulsion(pos: np.ndarray, k: np.float32) -> np.ndarray:
    dx = pos[:, 0, None] - pos[None, :, 0]
    dy = pos[:, 1, None] - pos[None, :, 1]
    d2 = dx * dx + dy * dy
    np.maximum(d2, np.float32(1e-6), out=d2)
    f = (k * k) / d2  # |F| = k^2 / d along the unit vector -> k^2 * dvec / d^2
    np.fill_diagonal(f, 0.0)
    return np.stack(((dx * f).sum(axis=1), (dy * f).sum(axis=1)), axis=1)


def _attraction(pos: np.ndarray, src: np.ndarray, dst: np.ndarray,
                k: np.float32, n: int) -> np.ndarray:
    out = np.zeros((n, 2), dtype=np.float32)
    if len(src) == 0:
        return out
    vec = pos[src] - pos[dst]
    dist = np.sqrt((vec * vec).sum(axis=1))
    pull = vec * (dist / k)[:, None]  # |F| = d^2 / k
    for axis in (0, 1):
        out[:, axis] -= np.bincount(src, weights=pull[:, axis], minlength=n).astype(np.float32)
        out[:, axis] += np.bincount(dst, weights=pull[:, axis], minlength=n).astype(np.float32)
    return out


def _to_canvas(pos: np.ndarray, n: int, spacing: float) -> list[tuple[int, int]]:
    """Centre, scale by the 90th-percentile radius and pull far outliers in
    (detached nodes would otherwise make the fitted view tiny)."""
    pos = pos - np.median(pos, axis=0)
    radii = np.sqrt((pos * pos).sum(axis=1))
    typical = float(np.percentile(radii, 90)) or 1.0
    limit = 1.2 * typical
    far = radii > limit
    pos[far] *= (limit / radii[far])[:, None]
    scale = spacing * np.sqrt(n) / 2.0 / typical * 1.4
    return [(round(float(x) * scale), round(float(y) * scale)) for x, y in pos]
