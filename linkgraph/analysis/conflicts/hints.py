"""Soft hints a planner can use (提示): one combined score per member × unit.

``find_conflicts`` lists every soft link on its own (a classmate, a former
colleague, a townsman …).  A planner wants one line per inspector and unit:
``soft_hints`` sums the scores of a pair's distinct soft links, caps the sum
at ``[conflicts] soft_cap`` (many weak links never outweigh a strong one
unboundedly), keeps the reasons, and ranks the pairs, strongest first.  Pairs
with a hard conflict are left out: they are forbidden, not hinted.

``hint_share`` is the share of all member × unit pairs of the round that
carry any hint — a hint on most pairs tells a planner nothing.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from linkgraph.analysis.conflicts.find import Conflict, MemberUnit, capped_soft


@dataclass(frozen=True)
class SoftHint(MemberUnit):
    """The soft links between one team member and one unit, combined."""

    rank: int
    score: float          # capped sum of the links' scores
    n_links: int
    relations: tuple[str, ...]
    reasons: str          # the links' sentences, strongest first, joined by "；"

    def as_record(self) -> dict[str, object]:
        """Rank first, then the member and unit, then the combined links."""
        record: dict[str, object] = {"rank": self.rank, **self.member_unit()}
        record.update({f: getattr(self, f) for f in self.__dataclass_fields__
                       if f not in record})
        record["relations"] = ";".join(self.relations)
        return record


def soft_hints(conflicts: Iterable[Conflict], cap: float) -> list[SoftHint]:
    """One hint per (team, member, unit) with soft links and no hard conflict,
    ranked by combined score (ties by team, member, unit)."""
    groups: dict[tuple[str, str, str], list[Conflict]] = {}
    hard: set[tuple[str, str, str]] = set()
    for c in conflicts:
        key = (c.team_id, c.person_id, c.unit_id)
        if c.level == "hard":
            hard.add(key)
        else:
            groups.setdefault(key, []).append(c)
    rows = []
    for key, links in groups.items():
        if key in hard:
            continue
        links = sorted(links, key=lambda c: (-c.score, c.relation, c.hops))
        score = capped_soft(sum(c.score for c in links), cap)
        rows.append((score, key, links))
    rows.sort(key=lambda r: (-r[0], r[1]))
    out = []
    for rank, (score, _, links) in enumerate(rows, start=1):
        c = links[0]
        out.append(SoftHint(**c.member_unit(), rank=rank, score=round(float(score), 3),
                            n_links=len(links),
                            relations=tuple(dict.fromkeys(x.relation for x in links)),
                            reasons="；".join(x.explanation for x in links)))
    return out


def hint_share(hints: Iterable[SoftHint], members_by_team: Mapping[str, int],
               units: int) -> float:
    """Hinted pairs ÷ all member × unit pairs of the round (0 when none)."""
    pairs = sum(members_by_team.values()) * units
    return len(list(hints)) / pairs if pairs else 0.0
