"""The explorer's state: one dataset's index, search index and rules, and
the conflicts found so far (per round, computed on first use).

Everything here is read-only once built; the web app (``app.py``) only asks.
"""
from __future__ import annotations

import threading
from typing import Any

from linkgraph.analysis.conflicts import Conflict, find_conflicts
from linkgraph.analysis.conflicts import rules as cr
from linkgraph.catalogue import relation_label
from linkgraph.explore import describe, paths
from linkgraph.explore.expand import Filters, expand, subgraph
from linkgraph.explore.index import GraphIndex, build_index, with_corroborations
from linkgraph.explore.search import SearchIndex, build_search
from linkgraph.rules import Rules, load_rules
from linkgraph.schema import Tables

SEARCH_LIMIT = 30


class Explorer:
    """Answers the page's questions about one dataset."""

    def __init__(self, tables: Tables, rules: Rules | None = None):
        tables = getattr(tables, "tables", tables)
        self.tables = tables
        self.rules = rules if rules is not None else load_rules()
        self.conflict_rules = cr.conflict_rules(self.rules)
        self.index: GraphIndex = build_index(tables, self.rules, corroborate=False)
        self.index.warm()
        self.search_index: SearchIndex = build_search(self.index)
        self._conflicts: dict[str, tuple[Conflict, ...]] = {}
        self._lock = threading.Lock()
        # the audit matching behind CORROBORATES is the slowest step of a start-up:
        # the page serves meanwhile, and the edges appear when it is done
        self.complete = threading.Event()
        self.derive_error: str | None = None
        threading.Thread(target=self._derive, name="linkgraph-corroborations",
                         daemon=True).start()

    def _derive(self) -> None:
        try:
            self.index = with_corroborations(self.index, self.rules)
        except Exception as exc:  # noqa: BLE001 - the page still serves without them
            self.derive_error = f"{type(exc).__name__}: {exc}"
        finally:
            self.complete.set()

    # -- questions -----------------------------------------------------------

    def search(self, query: str, limit: int = SEARCH_LIMIT, lang: str = "zh") -> dict[str, Any]:
        hits, more = self.search_index.search(query)
        results = [describe.summary(self.index, int(self.search_index.node[e]), lang)
                   for _, e in hits[:limit]]
        return {"query": query, "total": len(hits), "more": more or len(hits) > limit,
                "results": results}

    def node(self, key: str, lang: str = "zh") -> dict[str, Any] | None:
        code = self.index.code(key)
        if code < 0:
            return None
        return {**describe.summary(self.index, code, lang),
                "rows": describe.tooltip(self.index, code, lang),
                "timeline": describe.timeline(self.index, code, lang)}

    def expand(self, key: str, filters: Filters, lang: str = "zh", **how: Any) -> dict[str, Any]:
        return expand(self.index, key, filters, lang=lang, **how)

    def subgraph(self, keys: list[str], filters: Filters, lang: str = "zh") -> dict[str, Any]:
        return subgraph(self.index, keys, filters, lang)

    def path(self, a: str, b: str, k: int = 4, lang: str = "zh",
             verdict: bool = True) -> dict[str, Any]:
        """The shortest paths; with ``verdict`` also ``conflicts``' findings for
        the pair (the page asks for those separately: the first question about
        a round runs that round's conflicts, seconds at city scale)."""
        out = paths.shortest_paths(self.index, a, b, self.conflict_rules, k=k, lang=lang)
        out["verdict"] = bool(self._pair_rounds(a, b))
        if verdict:
            out["conflicts"] = self.verdict(a, b, lang)
        return out

    def verdict(self, a: str, b: str, lang: str = "zh") -> list[dict[str, Any]]:
        return [self._conflict_record(c, lang) for c in self.conflicts_between(a, b)]

    # -- the conflicts analysis, for an inspector and a unit -------------------

    def round_conflicts(self, round_id: str) -> tuple[Conflict, ...]:
        with self._lock:
            if round_id not in self._conflicts:
                self._conflicts[round_id] = tuple(find_conflicts(
                    self.tables, round_id, rules=self.rules, candidates=True))
            return self._conflicts[round_id]

    def _pair_rounds(self, a: str, b: str) -> list[str]:
        """The rounds in which ``conflicts`` judges this pair: an inspector's
        rounds, when the other end is a unit."""
        ends = sorted((a, b), key=lambda k: not k.startswith("Person:"))
        if not (ends[0].startswith("Person:") and ends[1].startswith("Unit:")):
            return []
        person = ends[0].partition(":")[2]
        members = self.tables["team_members"]
        teams = set(members.loc[members["person_id"] == person, "team_id"])
        team_rounds = self.tables["teams"]
        return sorted(set(team_rounds.loc[team_rounds["team_id"].isin(teams), "round_id"]))

    def conflicts_between(self, a: str, b: str) -> list[Conflict]:
        """``conflicts``' findings for an inspector and a unit (either order)."""
        rounds = self._pair_rounds(a, b)
        ends = sorted((a, b), key=lambda k: not k.startswith("Person:"))
        person, unit = ends[0].partition(":")[2], ends[1].partition(":")[2]
        found: list[Conflict] = []
        for round_id in rounds:
            found.extend(c for c in self.round_conflicts(round_id)
                         if c.person_id == person and c.unit_id == unit)
        return found

    def node_conflicts(self, key: str, lang: str = "zh", limit: int = 50) -> dict[str, Any]:
        """``conflicts``' findings of an inspector (its rounds) or of a unit
        (the rounds it is inspected in), hard first."""
        label, _, ident = key.partition(":")
        t = self.tables
        if label == "Person":
            teams = set(t["team_members"].loc[t["team_members"]["person_id"] == ident, "team_id"])
            rounds = set(t["teams"].loc[t["teams"]["team_id"].isin(teams), "round_id"])
        elif label == "Unit":
            rounds = set(t["assignments"].loc[t["assignments"]["unit_id"] == ident, "round_id"])
        else:
            rounds = set()
        found = [c for r in sorted(rounds) for c in self.round_conflicts(r)
                 if (c.person_id if label == "Person" else c.unit_id) == ident]
        found.sort(key=lambda c: (c.level != "hard", -c.score, c.round_id, c.person_id,
                                  c.unit_id))
        return {"total": len(found),
                "conflicts": [self._conflict_record(c, lang) for c in found[:limit]]}

    def portrait(self, key: str, lang: str = "zh") -> dict[str, Any] | None:
        """The top-leader portrait (一把手画像) of a person: its figures and
        the node keys of its subgraph."""
        import datetime as dt

        from linkgraph.analysis.portrait import portrait, portrait_nodes
        from linkgraph.errors import LinkgraphError

        label, _, ident = key.partition(":")
        if label != "Person":
            return None
        try:
            p = portrait(self.tables, self.rules, ident, dt.date.today())
        except LinkgraphError:
            return None
        words = {"posts": ("任职", "posts"), "tenure_problems": ("任内所在单位问题", "problems in units led"),
                 "problems_involving": ("涉及本人的问题", "problems naming them"),
                 "leads": ("问题线索", "leads"), "petitions": ("信访举报", "petitions"),
                 "measures": ("负责的整改措施", "measures owned"), "ties": ("社会关系", "ties")}
        figures = [[w[1] if lang == "en" else w[0], len(getattr(p, f))] for f, w in words.items()]
        return {"figures": figures, "keys": sorted(set(portrait_nodes(p)))}

    def _conflict_record(self, c: Conflict, lang: str) -> dict[str, Any]:
        level = {"hard": ("回避", "hard"), "soft": ("提示", "soft")}[c.level]
        return {"round": describe.name_of(self.index, "Round", c.round_id, lang),
                "team": c.team_name, "person": c.person_name, "unit": c.unit_name,
                "level": c.level, "level_name": level[1] if lang == "en" else level[0],
                "relation": c.relation_zh if lang == "zh" else relation_label(c.relation, "en"),
                "explanation": c.explanation_en if lang == "en" else c.explanation,
                "path": list(c.path)}
