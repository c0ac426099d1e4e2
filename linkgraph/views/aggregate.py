"""Keep a view under its node cap by folding nodes into summary nodes.

Works on node keys and an undirected neighbour map only (no graph, no
drawing), so the counts are easy to test.  Two steps, in order:

1. **Fold records into their home.**  Every node of a foldable label
   (``style.FOLD_ORDER``: 整改措施, 信访, 审计发现, 问题, 线索, 人员) has a
   *home*: follow the neighbour one level up (``LabelStyle.level``; a measure
   goes to its problem, a problem to its unit) until a unit, team or hub is
   reached.  Records are grouped by (home, label) and folded group by group
   into one summary node each (``+37 个问题`` beside its unit): labels early in
   FOLD_ORDER first, larger groups first.  The last group may be folded only
   in part, so the cap is met exactly.  Nodes with no neighbour at all in the
   selection are grouped by label the same way.
2. **Drop.**  If folding is not enough, the remaining nodes are ranked
   (protected first, then most neighbours, then label order, then key) and
   kept while they fit; the rest are counted in one detached summary node per
   label (``+120 个单位（未显示）``).

Protected nodes (highlighted ones and the ends of highlighted edges) are
never folded or dropped, and a home chain stops at them.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from linkgraph.views.style import fold_priority, label_level, label_rank

#: Smallest cap accepted: room for a few nodes plus one summary per label.
MIN_CAP = 20


@dataclass(frozen=True)
class Group:
    """Graph nodes drawn as one summary node.

    ``kind`` is ``"folded"`` (beside ``anchor``, their home), ``"isolated"``
    (no neighbour in the selection) or ``"dropped"`` (cut by the cap).
    """

    kind: str
    label: str
    anchor: Any
    members: tuple[Any, ...]

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

    def hidden(self, *kinds: str) -> int:
        return sum(len(g.members) for g in self.groups if not kinds or g.kind in kinds)


def select(
    nodes: Sequence[str],
    neighbours: Mapping[str, Collection[str]],
    label_of: Callable[[str], str],
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
    need = len(nodes) - max_nodes
    groups: list[Group] = []
    folded: set[str] = set()
    for g in _fold_groups(nodes, neighbours, label_of, prot):
        if need <= 0:
            break
        take = len(g.members) if len(g.members) - 1 <= need else need + 1
        members = g.members[len(g.members) - take:]
        groups.append(Group(g.kind, g.label, g.anchor, members))
        folded.update(members)
        need -= take - 1
    visible = [n for n in nodes if n not in folded]
    if need > 0:
        return _drop(visible, groups, neighbours, label_of, prot, max_nodes)
    return Selection(tuple(visible), tuple(groups))


def homes(nodes: Sequence[str], neighbours: Mapping[str, Collection[str]],
          label_of: Callable[[str], str], protected: Collection[str] = ()) -> dict[str, str | None]:
    """Each foldable node's home (see the module doc); None if it has none."""
    level = {n: label_level(label_of(n)) for n in nodes}

    def parent(n: str) -> str | None:
        up = [v for v in neighbours.get(n, ()) if v in level and level[v] < level[n]]
        return min(up, key=lambda v: (-level[v], label_rank(label_of(v)), str(v)), default=None)

    out: dict[str, str | None] = {}
    for n in nodes:
        if n in protected or fold_priority(label_of(n)) is None:
            continue
        cur = parent(n)
        while cur is not None and level[cur] > 1 and cur not in protected:
            nxt = parent(cur)
            if nxt is None:
                break
            cur = nxt
        out[n] = cur
    return out


def _fold_groups(nodes, neighbours, label_of, prot) -> list[Group]:
    """Foldable groups (two or more members), in folding order."""
    buckets: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for n in nodes:
        if n not in prot and not neighbours.get(n):
            buckets[("isolated", "", label_of(n))].append(n)
    for n, home in homes(nodes, neighbours, label_of, prot).items():
        if home is not None:
            buckets[("folded", home, label_of(n))].append(n)
    groups = [Group(kind, label, anchor or None, tuple(sorted(ms, key=str)))
              for (kind, anchor, label), ms in buckets.items() if len(ms) >= 2]

    def order(g: Group) -> tuple:
        prio = fold_priority(g.label)
        return (prio if prio is not None else -1, -len(g.members), str(g.anchor or ""), g.label)

    return sorted(groups, key=order)


def _drop(visible, groups, neighbours, label_of, prot, max_nodes) -> Selection:
    """Step 2: keep the best-ranked visible nodes that fit, count the rest."""
    hanging: dict[str, list[Group]] = defaultdict(list)
    fixed = [g for g in groups if g.anchor is None]
    for g in groups:
        if g.anchor is not None:
            hanging[g.anchor].append(g)
    ranked = sorted(visible, key=lambda n: (n not in prot, -len(neighbours.get(n, ())),
                                            label_rank(label_of(n)), str(n)))
    reserve = len({label_of(n) for n in visible if n not in prot} | {g.label for g in groups})
    used = len(fixed)
    kept: list[str] = []
    kept_groups = list(fixed)
    dropped: dict[str, list[str]] = defaultdict(list)
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
    for label in sorted(dropped, key=lambda lb: (label_rank(lb), lb)):
        kept_groups.append(Group("dropped", label, None, tuple(sorted(dropped[label], key=str))))
    return Selection(tuple(sorted(kept, key=str)), tuple(kept_groups))
