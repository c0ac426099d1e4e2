"""Keep a view under its node cap by folding nodes into summary nodes.

Works on node keys and an undirected neighbour map only (no graph, no
drawing), so the counts are easy to test.  Two steps, in order:

1. **Leaves.**  Nodes with a single neighbour in the selection are grouped by
   (that neighbour, their label); the largest groups are folded first into
   one summary node each (``+37 个问题`` hanging off their unit).  The last
   group folded may be folded only in part, so the cap is met exactly.
   Nodes with no neighbour at all are grouped by label the same way.
2. **Drop.**  If leaves alone are not enough, the remaining nodes are ranked
   (protected first, then most neighbours, then label order, then key) and
   kept while they fit; the rest are counted in one detached summary node
   per label (``+120 个人员（未显示）``).

Protected nodes (highlighted ones and the ends of highlighted edges) are never
folded or dropped.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

#: Smallest cap accepted: room for a few nodes plus one summary per label.
MIN_CAP = 20


@dataclass(frozen=True)
class Group:
    """Graph nodes drawn as one summary node.

    ``kind`` is ``"leaf"`` (hangs off ``anchor``), ``"isolated"`` (no
    neighbour in the selection) or ``"dropped"`` (cut by the cap).
    """

    kind: str
    label: str
    anchor: str | None
    members: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"agg:{self.kind}:{self.anchor or '*'}:{self.label}"


@dataclass(frozen=True)
class Selection:
    visible: tuple[str, ...]  # graph nodes drawn as themselves, sorted
    groups: tuple[Group, ...]

    @property
    def drawn(self) -> int:
        return len(self.visible) + len(self.groups)

    def hidden(self, kind: str | None = None) -> int:
        return sum(len(g.members) for g in self.groups if kind in (None, g.kind))


def select(
    nodes: Sequence[str],
    neighbours: Mapping[str, Collection[str]],
    label_of: Callable[[str], str],
    rank_of: Callable[[str], int],
    *,
    max_nodes: int,
    protected: Collection[str] = (),
) -> Selection:
    """Choose what to draw for ``nodes`` (sorted keys) under ``max_nodes``."""
    if max_nodes < MIN_CAP:
        raise ValueError(f"max_nodes must be at least {MIN_CAP}, got {max_nodes}")
    if len(nodes) <= max_nodes:
        return Selection(tuple(nodes), ())
    prot = set(protected)
    order = {n: (rank_of(n), n) for n in nodes}
    candidates = _leaf_groups(nodes, neighbours, label_of, order, prot)
    need = len(nodes) - max_nodes
    groups: list[Group] = []
    folded: set[str] = set()
    for g in candidates:
        if need <= 0:
            break
        take = len(g.members) if len(g.members) - 1 <= need else need + 1
        members = g.members[len(g.members) - take:]
        groups.append(Group(g.kind, g.label, g.anchor, members))
        folded.update(members)
        need -= take - 1
    visible = [n for n in nodes if n not in folded]
    if need > 0:
        return _drop(visible, groups, neighbours, label_of, order, prot, max_nodes)
    return Selection(tuple(visible), tuple(groups))


def _leaf_groups(nodes, neighbours, label_of, order, prot) -> list[Group]:
    """Foldable groups (two or more members), largest first."""
    buckets: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for n in nodes:
        if n in prot:
            continue
        nbrs = neighbours.get(n, ())
        if len(nbrs) == 0:
            buckets[("isolated", "", label_of(n))].append(n)
        elif len(nbrs) == 1:
            (a,) = tuple(nbrs)
            # two nodes with only each other: the more central one anchors
            if len(neighbours.get(a, ())) == 1 and a not in prot and order[a] > order[n]:
                continue
            buckets[("leaf", a, label_of(n))].append(n)
    groups = [Group(kind, label, anchor or None, tuple(sorted(ms)))
              for (kind, anchor, label), ms in buckets.items() if len(ms) >= 2]
    groups.sort(key=lambda g: (-len(g.members), g.anchor or "", g.label))
    return groups


def _drop(visible, groups, neighbours, label_of, order, prot, max_nodes) -> Selection:
    """Step 2: keep the best-ranked visible nodes that fit, count the rest."""
    hanging: dict[str, list[Group]] = defaultdict(list)
    fixed = [g for g in groups if g.anchor is None]
    for g in groups:
        if g.anchor is not None:
            hanging[g.anchor].append(g)
    ranked = sorted(visible, key=lambda n: (n not in prot, -len(neighbours.get(n, ())), order[n]))
    reserve = len({label_of(n) for n in visible if n not in prot})
    used = len(fixed)
    kept: list[str] = []
    dropped: dict[str, list[str]] = defaultdict(list)
    kept_groups = list(fixed)
    for n in ranked:
        cost = 1 + len(hanging[n])
        if n in prot or used + cost <= max_nodes - reserve:
            kept.append(n)
            kept_groups.extend(hanging[n])
            used += cost
        else:
            dropped[label_of(n)].append(n)
            for g in hanging[n]:
                dropped[g.label].extend(g.members)
    for label in sorted(dropped, key=lambda lb: (order_of_label(dropped[lb], order), lb)):
        kept_groups.append(Group("dropped", label, None, tuple(sorted(dropped[label]))))
    return Selection(tuple(sorted(kept)), tuple(kept_groups))


def order_of_label(members: Sequence[str], order: Mapping[str, tuple[int, str]]) -> int:
    return min((order[m][0] for m in members if m in order), default=99)
