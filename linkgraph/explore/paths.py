"""Shortest paths between two entities through ties and posts (熟人社会).

A bidirectional breadth-first search on the index's tie/post CSR finds the
length of the shortest path (at most ``k`` hops) and every path of that
length (up to ``limit``).  Each step carries its relationship, a sentence
of evidence and, for a tie, its level under the conflict rules (回避 hard /
提示 soft, from the rules file, as ``conflicts`` reads it).  When one end is
an inspector (a team member) and the other a unit of that inspector's
round, the conflicts analysis's own findings for the pair are attached:
the binding verdict, with its explanation sentence.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from linkgraph.analysis.conflicts import rules as cr
from linkgraph.catalogue import relation_label
from linkgraph.explore import describe
from linkgraph.explore.index import GraphIndex
from linkgraph.model import REL_TYPES
from linkgraph.views import text as vt

MAX_HOPS = 6
TIE = REL_TYPES.index("TIE")


@dataclass(frozen=True)
class Step:
    source: int
    target: int
    edge: int
    level: str | None      # "hard", "soft" or None (a post)


def _layer(indptr: np.ndarray, neighbour: np.ndarray, frontier: np.ndarray) -> np.ndarray:
    """Every neighbour of the frontier (with repeats)."""
    starts, ends = indptr[frontier], indptr[frontier + 1]
    sizes = ends - starts
    if not sizes.sum():
        return np.empty(0, dtype=np.int32)
    offsets = np.repeat(starts - np.cumsum(sizes) + sizes, sizes)
    return neighbour[np.arange(int(sizes.sum())) + offsets]


def _distances(index: GraphIndex, s: int, t: int, k: int
               ) -> tuple[int, dict[int, int], dict[int, int]]:
    """Shortest length (or -1) and the two sides' distances."""
    ds, dt = {s: 0}, {t: 0}
    if s == t:
        return 0, ds, dt
    fs, ft = np.asarray([s]), np.asarray([t])
    depth_s = depth_t = 0
    while depth_s + depth_t < k and len(fs) and len(ft):
        grow_s = len(fs) <= len(ft)
        frontier, dist = (fs, ds) if grow_s else (ft, dt)
        depth = (depth_s if grow_s else depth_t) + 1
        nxt = np.unique(_layer(index.path_indptr, index.path_neighbour, frontier))
        nxt = np.asarray([v for v in nxt.tolist() if v not in dist], dtype=np.int64)
        for v in nxt.tolist():
            dist[v] = depth
        if grow_s:
            fs, depth_s = nxt, depth
        else:
            ft, depth_t = nxt, depth
        meet = [ds[v] + dt[v] for v in nxt.tolist() if v in ds and v in dt]
        if meet:
            return min(meet), ds, dt
    return -1, ds, dt


def _walks(index: GraphIndex, start: int, dist: dict[int, int], limit: int) -> list[list[int]]:
    """Paths from ``start`` down to the distance-0 node, each step one closer."""
    if dist.get(start) == 0:
        return [[start]]
    out: list[list[int]] = []
    lo, hi = index.path_indptr[start], index.path_indptr[start + 1]
    for v in sorted(set(index.path_neighbour[lo:hi].tolist())):
        if dist.get(v) == dist[start] - 1:
            for rest in _walks(index, v, dist, limit):
                out.append([start, *rest])
                if len(out) >= limit:
                    return out
    return out


def _best_edge(index: GraphIndex, a: int, b: int, rules: cr.ConflictRules) -> Step:
    lo, hi = index.path_indptr[a], index.path_indptr[a + 1]
    mask = index.path_neighbour[lo:hi] == b
    edges = sorted(set(index.path_edge[lo:hi][mask].tolist()))
    steps = []
    for e in edges:
        level = None
        if index.etype[e] == TIE:
            level = rules.level(str(index.edge_attrs(e).get("relation", "other")))
        steps.append(Step(a, b, e, level))
    order = {"hard": 0, "soft": 1, None: 2}
    return min(steps, key=lambda st: (order[st.level], st.edge))


def _sentence(index: GraphIndex, step: Step, lang: str) -> str:
    attrs = index.edge_attrs(step.edge)
    a, b = (describe.display(index, step.source, lang=lang),
            describe.display(index, step.target, lang=lang))
    if attrs["type"] == "TIE":
        rel = relation_label(str(attrs.get("relation", "other")), lang)
        word = attrs.get("relation_word")
        extra = f"（{word}）" if word and word != rel and lang == "zh" else ""
        level = vt.pick(("回避", "hard") if step.level == "hard" else ("提示", "soft"), lang)
        return (f"{a} 与 {b}：{rel}{extra}〔{level}〕" if lang == "zh"
                else f"{a} and {b}: {rel} [{level}]")
    person, unit = (a, b) if index.label_of(step.source) == "Person" else (b, a)
    title = str(attrs.get("title", ""))
    span = "–".join(vt.format_value(attrs[k], lang) if k in attrs else "" for k in ("start", "end"))
    if lang == "zh":
        return f"{person} 在 {unit} 任{title}（{span}）"
    return f"{person} held the post {title} at {unit} ({span})"


def _path_level(steps: list[Step]) -> str | None:
    ties = [s for s in steps if s.level is not None]
    if len(ties) == 1 and ties[0].level == "hard" and len(steps) <= 2:
        return "hard"
    if not ties:               # one's own post in the unit (its window is the rules'),
        return "hard" if len(steps) == 1 else ("soft" if len(steps) <= 3 else None)
    return "soft" if len(ties) <= 2 else None   # or former colleagues through a unit


def shortest_paths(index: GraphIndex, a: str, b: str, rules: cr.ConflictRules, *,
                   k: int = 4, limit: int = 10, lang: str = "zh") -> dict[str, Any]:
    """The shortest paths from ``a`` to ``b`` (keys) of at most ``k`` hops."""
    s, t = index.code(a), index.code(b)
    if s < 0 or t < 0:
        return {"found": False, "hops": None, "paths": [], "missing": [x for x, c in
                                                                      ((a, s), (b, t)) if c < 0]}
    length, ds, dt = _distances(index, s, t, min(k, MAX_HOPS))
    if length < 0:
        return {"found": False, "hops": None, "paths": [], "missing": []}
    meets = sorted(v for v in ds if v in dt and ds[v] + dt[v] == length)
    found: list[list[int]] = []
    for m in meets:
        for left in _walks(index, m, ds, limit):
            for right in _walks(index, m, dt, limit):
                path = list(reversed(left)) + right[1:]
                if path not in found:
                    found.append(path)
        if len(found) >= limit:
            break
    found = sorted(found)[:limit]
    paths = []
    for nodes in found:
        steps = [_best_edge(index, u, v, rules) for u, v in zip(nodes, nodes[1:])]
        level = _path_level(steps)
        paths.append({
            "nodes": [describe.summary(index, c, lang) for c in nodes],
            "edges": [{**describe.edge_summary(index, st.edge, lang), "level": st.level}
                      for st in steps],
            "steps": [_sentence(index, st, lang) for st in steps],
            "level": level,
            "level_name": _level_name(level, lang)})
    return {"found": True, "hops": length, "paths": paths, "missing": []}


def _level_name(level: str | None, lang: str) -> str:
    names = {"hard": ("回避", "hard (must not inspect)"), "soft": ("提示", "soft (notice)"),
             None: ("关联", "link")}
    return vt.pick(names[level], lang)
