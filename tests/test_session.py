"""The analysis session: one dataset, rules and as-of date; each analysis run
at most once however many sections and views use it; frozen results."""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from linkgraph.analysis.audit import audit_report
from linkgraph.analysis.clusters import find_clusters
from linkgraph.analysis.conflicts import find_conflicts
from linkgraph.dataset import load_dataset
from linkgraph.report import ReportOptions, build_report, write_report
from linkgraph.rules import load_rules
from linkgraph.session import Session

TINY = Path(__file__).parent / "data" / "tiny"
AS_OF = dt.date(2025, 1, 1)


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(TINY)


def test_nothing_runs_until_asked(dataset):
    session = Session.of(dataset, as_of=AS_OF)
    assert session.runs == {} and session.dataset is dataset
    assert session.rules == load_rules()   # the shipped rules by default


def test_report_and_its_views_run_each_analysis_once(dataset, tmp_path):
    # the report uses the clusters in their section, in the priorities
    # (cluster membership) and in the key figures, and writes a view per
    # cluster from the same session: still one run of each analysis
    session = Session.of(dataset, as_of=AS_OF)
    report = build_report(session, ReportOptions(as_of=AS_OF, round_id="X2"))
    write_report(report, tmp_path, session=session)
    assert report.views and (tmp_path / "index.html").is_file()
    assert set(session.runs) >= {"graph", "clusters", "conflicts", "rotation", "leads",
                                 "lead_networks", "audit", "rectification", "priorities"}
    assert max(session.runs.values()) == 1, session.runs
    # a second report from the session computes nothing new
    before = dict(session.runs)
    build_report(session, ReportOptions(as_of=AS_OF, round_id="X2", lang="en"))
    assert session.runs == before


def test_results_are_those_of_the_analyses(dataset):
    session = Session.of(dataset, as_of=AS_OF)
    assert session.conflicts("X2") == tuple(find_conflicts(dataset.tables, "X2"))
    assert session.clusters == tuple(find_clusters(dataset.tables))
    direct = audit_report(dataset.tables, load_rules(), AS_OF)
    assert session.audit.audit_only.equals(direct.audit_only)
    # tiny: leads L1 (to D1) and L2 (to 成都市纪委监委); the totals row apart
    assert session.leads.total["leads"] == 2
    assert sum(int(r["leads"]) for r in session.leads.departments) == 2


def test_each_round_is_its_own_result(dataset):
    session = Session.of(dataset, as_of=AS_OF)
    session.conflicts("X2")
    session.conflicts("X2")
    session.conflicts("X1")
    assert session.runs["conflicts"] == 2


def test_results_are_frozen(dataset):
    session = Session.of(dataset, as_of=AS_OF)
    assert isinstance(session.clusters, tuple) and isinstance(session.conflicts("X2"), tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        session.leads.total = {}  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        session.rectification.rounds = ()  # type: ignore[misc]


def test_a_report_is_as_of_its_session(dataset):
    session = Session.of(dataset, as_of=AS_OF)
    with pytest.raises(ValueError, match="as of"):
        build_report(session, ReportOptions(as_of=dt.date(2026, 1, 1)))
