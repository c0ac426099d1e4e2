"""One analysis session: a loaded dataset, its rule set and an as-of date,
with every analysis run at most once and its result kept.

The CLI, the report, the views (and the explorer to come) ask the session,
not the analysis modules, for what they show, so a report that draws the
clusters in a section, ranks units by cluster membership and writes a view
per cluster finds the clusters once::

    session = Session(dataset.tables, load_rules(path), as_of=date(2026, 6, 30))
    session.clusters            # tuple[Cluster, ...], computed on first use
    session.conflicts("R3")     # tuple[Conflict, ...] of round R3
    session.rotation_plan("R3") # RotationPlan
    session.runs                # Counter: how often each analysis ran (once)

Results are frozen dataclasses (or tuples of them); the DataFrames some of
them carry belong to the session and are not to be changed by callers.
Everything is computed lazily and the analysis modules are imported only
when asked for, so building a session costs nothing.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from linkgraph.errors import LinkgraphError
from linkgraph.rules import Rules, load_rules
from linkgraph.schema import Tables

if TYPE_CHECKING:
    import networkx as nx

    from linkgraph.analysis.audit import AuditReport
    from linkgraph.analysis.clusters import Cluster
    from linkgraph.analysis.conflicts import Conflict
    from linkgraph.analysis.portrait import Portrait
    from linkgraph.categories import Decision, Taxonomy
    from linkgraph.dataset import Dataset
    from linkgraph.rotation import RotationPlan
    from linkgraph.staffing.plan import Roster

T = TypeVar("T")
Record = Mapping[str, Any]


@dataclass(frozen=True)
class LeadSummary:
    """The 室组办 lead figures: one record per receiving department, and the
    totals row (``leads``, ``closed``, ``overdue``, ``single_signature`` …)."""

    lifecycle: pd.DataFrame
    departments: tuple[Record, ...]
    total: Record


@dataclass(frozen=True)
class RectificationSummary:
    """整改 completion by round (one record each, sorted by round) and in total."""

    rounds: tuple[Record, ...]
    total: Record


@dataclass(frozen=True)
class _Failed:
    error: LinkgraphError


class Session:
    """The dataset's tables, the rules and the as-of date, plus every
    analysis result computed so far (see the module docstring)."""

    def __init__(self, tables: Tables, rules: Rules | None = None,
                 as_of: dt.date | None = None, *, dataset: Dataset | None = None,
                 taxonomy: Taxonomy | None = None, decisions: Sequence[Decision] = ()):
        self.raw_tables = tables
        self.rules = rules if rules is not None else load_rules()
        self.as_of = as_of if as_of is not None else dt.date.today()
        self.dataset = dataset
        self.taxonomy = taxonomy
        self.decisions = tuple(decisions)
        self.runs: Counter[str] = Counter()
        self._results: dict[Hashable, Any] = {}

    @classmethod
    def of(cls, dataset: Dataset, rules: Rules | None = None,
           as_of: dt.date | None = None, *, taxonomy: Taxonomy | None = None,
           decisions: Sequence[Decision] = ()) -> Session:
        """A session over a loaded dataset (kept for its files and counts)."""
        return cls(dataset.tables, rules, as_of, dataset=dataset, taxonomy=taxonomy,
                   decisions=decisions)

    @property
    def tables(self) -> Tables:
        """The tables with problem and audit categories harmonised onto the
        taxonomy (``category``; the label as written in ``category_written``),
        once: every analysis, the graph, the report and the views read these."""
        from linkgraph.categories import harmonise_tables

        return self._once("categories", None, lambda: harmonise_tables(
            self.raw_tables, self.taxonomy, self.decisions))

    def _once(self, name: str, key: Hashable, make: Callable[[], T]) -> T:
        """``make()``'s result the first time; the same result (or the same
        LinkgraphError, e.g. a round with no possible plan) every time after."""
        if (name, key) not in self._results:
            self.runs[name] += 1
            try:
                self._results[(name, key)] = make()
            except LinkgraphError as exc:
                self._results[(name, key)] = _Failed(exc)
        result = self._results[(name, key)]
        if isinstance(result, _Failed):
            raise result.error
        return result

    # -- the graph -----------------------------------------------------------

    @property
    def graph(self) -> nx.MultiDiGraph:
        from linkgraph.graph import build_graph

        return self._once("graph", None, lambda: build_graph(self.tables, self.rules))

    # -- analyses ------------------------------------------------------------

    @property
    def clusters(self) -> tuple[Cluster, ...]:
        """Systemic problem clusters with the thresholds of the rules' ``[clusters]``, ranked."""
        from linkgraph.analysis.clusters import find_clusters

        return self._once("clusters", None, lambda: tuple(find_clusters(
            self.tables, self.rules.clusters, taxonomy=self.taxonomy,
            decisions=self.decisions)))

    @property
    def cluster_unit_ids(self) -> frozenset[str]:
        return frozenset(u for c in self.clusters for u in c.unit_ids)

    def conflicts(self, round_id: str) -> tuple[Conflict, ...]:
        """The hard and soft conflicts of the round's assigned pairs."""
        from linkgraph.analysis.conflicts import find_conflicts

        return self._once("conflicts", round_id, lambda: tuple(find_conflicts(
            self.tables, round_id, rules=self.rules)))

    def rotation_plan(self, round_id: str) -> RotationPlan:
        """The cross-inspection plan of the round with the default options
        (raises the planner's LinkgraphError when there is none)."""
        from linkgraph.rotation import RotationOptions, plan_rotation

        return self._once("rotation", round_id, lambda: plan_rotation(
            self.tables, round_id, RotationOptions()))

    def roster(self, round_id: str, lang: str = "zh") -> Roster:
        """The rosters of the round's teams from the pool with the shipped
        staffing rules, reasons in ``lang`` (raises the staffing
        LinkgraphError when there is none)."""
        from linkgraph.staffing.plan import StaffOptions, staff_teams

        return self._once("roster", (round_id, lang), lambda: staff_teams(
            self.tables, round_id, StaffOptions(lang=lang), rules=self.rules))

    @property
    def leads(self) -> LeadSummary:
        from linkgraph.analysis import leads as la
        from linkgraph.analysis.ledger import to_records

        def make() -> LeadSummary:
            lifecycle = la.lead_lifecycle(self.tables, self.rules, self.as_of)
            rows = to_records(la.department_summary(lifecycle))
            return LeadSummary(lifecycle, tuple(rows[:-1]), rows[-1] if rows else {})
        return self._once("leads", None, make)

    @property
    def lead_networks(self) -> pd.DataFrame:
        from linkgraph.analysis.lead_networks import lead_networks

        return self._once("lead_networks", None,
                          lambda: lead_networks(self.tables, as_of=self.as_of))

    @property
    def audit(self) -> AuditReport:
        from linkgraph.analysis.audit import audit_report

        return self._once("audit", None, lambda: audit_report(self.tables, self.rules,
                                                              self.as_of))

    @property
    def rectification(self) -> RectificationSummary:
        from linkgraph.analysis import rectification as rect
        from linkgraph.analysis.ledger import to_records

        def make() -> RectificationSummary:
            rows = to_records(rect.completion(self.tables, self.rules, self.as_of, "round"))
            return RectificationSummary(tuple(rows[:-1]), rows[-1] if rows else {})
        return self._once("rectification", None, make)

    @property
    def priorities(self) -> pd.DataFrame:
        """Every unit ranked for the next round, with the shipped weights and
        membership in this session's clusters."""
        from linkgraph.analysis.priorities import load_weights, priorities

        return self._once("priorities", None, lambda: priorities(
            self.tables, self.rules, self.as_of, weights=load_weights(None),
            cluster_unit_ids=self.cluster_unit_ids))

    def portrait(self, person_id: str) -> Portrait:
        """The top-leader portrait (一把手画像) of ``person_id``."""
        from linkgraph.analysis import portrait as pt

        return self._once("portrait", person_id, lambda: pt.portrait(
            self.tables, self.rules, person_id, self.as_of))
