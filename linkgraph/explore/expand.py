"""Expansion on demand from the full graph, with filters.

``expand(index, key)`` answers a node's neighbourhood: labels with few
neighbours come as nodes; a label with many comes as one aggregate node
(``+312 个问题 · 按类别``).  Opening an aggregate splits it by category
(problems, audit findings) or pages through it, ``PAGE`` at a time, most
connected first; what is left stays an aggregate with its count, so an
expansion never dead-ends.  ``Filters`` drop nodes by label, by round or
届次 and by date (problems, leads, findings, petitions, measures), and posts
whose term lies outside the date range.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from linkgraph.explore import describe
from linkgraph.explore.index import NO_DATE, GraphIndex
from linkgraph.model import LABELS, REL_TYPES
from linkgraph.views import text as vt

PAGE = 20
#: A label with at most this many neighbours comes as nodes, not an aggregate.
DIRECT = 12
#: Labels whose aggregates open by category first.
GROUPED = {"Problem": "category", "AuditFinding": "category"}
MAX_GROUPS = 30


@dataclass(frozen=True)
class Filters:
    labels: frozenset[str] | None = None     # None = every label
    rounds: frozenset[int] | None = None     # round codes; None = every round
    date_from: int = NO_DATE                 # days since 1970, inclusive
    date_to: int = NO_DATE

    def node_mask(self, index: GraphIndex, codes: np.ndarray) -> np.ndarray:
        keep = np.ones(len(codes), dtype=bool)
        if self.labels is not None:
            allowed = [LABELS.index(lab) for lab in self.labels if lab in LABELS]
            keep &= np.isin(index.label[codes], allowed)
        if self.rounds is not None:
            rnd = index.round[codes]
            keep &= (rnd < 0) | np.isin(rnd, list(self.rounds))
        day = index.date[codes]
        dated = day != NO_DATE
        if self.date_from != NO_DATE:
            keep &= ~dated | (day >= self.date_from)
        if self.date_to != NO_DATE:
            keep &= ~dated | (day <= self.date_to)
        return keep

    def edge_mask(self, index: GraphIndex, edges: np.ndarray) -> np.ndarray:
        """Posts whose term overlaps the date range (others always pass)."""
        if self.date_from == NO_DATE and self.date_to == NO_DATE:
            return np.ones(len(edges), dtype=bool)
        start, end = index.edge_dates(edges)
        keep = np.ones(len(edges), dtype=bool)
        if self.date_to != NO_DATE:
            keep &= (start == NO_DATE) | (start <= self.date_to)
        if self.date_from != NO_DATE:
            keep &= (end == NO_DATE) | (end >= self.date_from)
        return keep


def _group_values(index: GraphIndex, codes: np.ndarray, label: str) -> np.ndarray:
    column = GROUPED[label]
    table = index.tables["problems" if label == "Problem" else "audits"]
    picked = table[column].take(index.row[codes])          # only the members' rows
    return picked.astype(object).where(picked.notna(), "").to_numpy(dtype=object)


def _neighbourhood(index: GraphIndex, code: int, filters: Filters
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Distinct neighbours passing the filters and the first edge to each."""
    nbr, edges = index.neighbours(code)
    keep = filters.node_mask(index, nbr) & filters.edge_mask(index, edges) & (nbr != code)
    nbr, edges = nbr[keep], edges[keep]
    uniq, first = np.unique(nbr, return_index=True)
    return uniq, edges[first]


def _ranked(index: GraphIndex, codes: np.ndarray) -> np.ndarray:
    """Most connected first, then by key."""
    degree = index.indptr[codes + 1] - index.indptr[codes]
    order = np.lexsort((index.keys[codes].astype(str), -degree))
    return codes[order]


def _aggregate(center: str, label: str, group: str | None, count: int, offset: int,
               lang: str, grouped: bool) -> dict[str, Any]:
    text = vt.summary_text(count, label, lang)
    if group is not None:
        text += f" · {group or ('未分类' if lang == 'zh' else 'uncategorised')}"
    elif grouped:
        text += " · 按类别" if lang == "zh" else " · by category"
    key = f"agg|{center}|{label}|{group if group is not None else ''}|{int(grouped)}"
    return {"key": key, "center": center, "label": label, "group": group, "count": count,
            "offset": offset, "split": grouped, "text": text,
            "label_name": vt.label_name(label, lang)}


def expand(index: GraphIndex, key: str, filters: Filters = Filters(), *,
           label: str | None = None, group: str | None = None, split: bool = False,
           offset: int = 0, lang: str = "zh") -> dict[str, Any]:
    """The nodes, edges and aggregates that expanding ``key`` adds — or, with
    ``label``, that opening one of its aggregates adds: ``split`` breaks it
    down by category, else the next page (of ``group`` when given) from
    ``offset``."""
    code = index.code(key)
    if code < 0:
        return {"center": key, "nodes": [], "edges": [], "aggregates": [], "missing": True}
    nbr, edges = _neighbourhood(index, code, filters)
    labels = index.label[nbr]
    shown: list[int] = []
    aggregates: list[dict[str, Any]] = []
    if label is None:
        for lab in LABELS:
            members = nbr[labels == LABELS.index(lab)]
            if 0 < len(members) <= DIRECT:
                shown.extend(_ranked(index, members).tolist())
            elif len(members):
                aggregates.append(_aggregate(key, lab, None, len(members), 0, lang,
                                             lab in GROUPED))
    elif label in LABELS:
        members = nbr[labels == LABELS.index(label)]
        values = _group_values(index, members, label) if label in GROUPED else None
        kinds = sorted(set(values.tolist())) if values is not None else []
        if split and values is not None and 1 < len(kinds) <= MAX_GROUPS:
            for kind in kinds:
                aggregates.append(_aggregate(key, label, kind, int((values == kind).sum()), 0,
                                             lang, False))
        else:
            if values is not None and group is not None:
                members = members[values == group]
            ranked = _ranked(index, members)
            page = ranked[offset:offset + PAGE]
            shown.extend(page.tolist())
            rest = len(ranked) - offset - len(page)
            if rest > 0:
                aggregates.append(_aggregate(key, label, group, rest, offset + len(page), lang,
                                             False))
    edge_of = dict(zip(nbr.tolist(), edges.tolist()))
    return {"center": key, "node": describe.summary(index, code, lang),
            "nodes": [describe.summary(index, c, lang) for c in shown],
            "edges": [describe.edge_summary(index, edge_of[c], lang) for c in shown],
            "aggregates": aggregates}


def subgraph(index: GraphIndex, keys: Iterable[str], filters: Filters = Filters(),
             lang: str = "zh") -> dict[str, Any]:
    """The nodes named (that pass the filters) and every edge among them."""
    codes = index.codes(keys)
    codes = np.unique(codes[codes >= 0])
    codes = codes[filters.node_mask(index, codes)]
    inside = set(codes.tolist())
    seen: set[int] = set()
    out_edges = []
    for c in codes.tolist():
        nbr, edges = index.neighbours(c)
        mask = np.isin(nbr, codes) & filters.edge_mask(index, edges)
        for other, e in zip(nbr[mask].tolist(), edges[mask].tolist()):
            if e not in seen and other in inside and other != c:
                seen.add(e)
                out_edges.append(e)
    out_edges.sort()
    return {"nodes": [describe.summary(index, c, lang) for c in codes.tolist()],
            "edges": [describe.edge_summary(index, e, lang) for e in out_edges]}


def edge_type_name(etype: int, lang: str) -> str:
    return vt.edge_name(REL_TYPES[etype], lang)
