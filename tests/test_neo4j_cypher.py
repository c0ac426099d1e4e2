"""Every cypher/ query on a real Neo4j server gives the answer of the
networkx/pandas analysis of the same ledgers (marker ``neo4j``)."""
from __future__ import annotations

import datetime as dt
from collections import deque

import pytest

from linkgraph.graph import for_graph
from linkgraph.neo4j.library import queries, run_query
from linkgraph.rules import load_rules
from tests.neo4j_ledgers import AS_OF
from tests.test_neo4j_io import _canonical

pytestmark = pytest.mark.neo4j
TESTED: set[str] = set()


def q(conn, name: str, **params) -> list[dict]:
    TESTED.add(name)
    return run_query(conn, name, {k: str(v) for k, v in params.items()})


def test_overdue_leads_by_department(conn, tables):
    from linkgraph.analysis import leads as la

    lifecycle = la.lead_lifecycle(tables, load_rules(), AS_OF)
    summary = la.department_summary(lifecycle)
    summary = summary[summary["dept_id"] != "合计"]
    overdue = la.overdue_leads(lifecycle)
    got = q(conn, "overdue_leads", as_of=AS_OF)
    assert [r["dept_id"] for r in got] == summary["dept_id"].tolist()
    for r, (_, s) in zip(got, summary.iterrows()):
        assert (r["dept_name"], r["leads"], r["overdue"], r["receipt_late"]) == \
               (s["dept_name"], s["leads"], s["overdue"], s["receipt_late"])
        assert r["open_overdue"] == s["open_overdue"]
        assert r["open_overdue"] + r["closed_overdue"] == s["overdue_close"]
        assert r["overdue_lead_ids"] == sorted(overdue.loc[overdue["dept_id"] == r["dept_id"],
                                                           "lead_id"])
    assert sum(r["overdue"] for r in got) == len(overdue) > 0


@pytest.mark.parametrize("as_of", [AS_OF, dt.date(2024, 3, 31)])
def test_overdue_leads_as_of_an_earlier_day(conn, tables, as_of):
    from linkgraph.analysis import leads as la

    overdue = la.overdue_leads(la.lead_lifecycle(tables, load_rules(), as_of))
    got = q(conn, "overdue_leads", as_of=as_of, report_months=3, receipt_days=7)
    assert sorted(i for r in got for i in r["overdue_lead_ids"]) == sorted(overdue["lead_id"])


@pytest.mark.parametrize("ongoing_done", [True, False])
def test_rectification_rate_by_round(conn, tables, ongoing_done):
    from linkgraph.analysis.rectification import UNSPECIFIED, completion

    want = completion(tables, load_rules(), AS_OF, "round", ongoing_done)
    want = want[want["round_id"] != "合计"]
    got = q(conn, "rectification_rate", as_of=AS_OF, ongoing_done=ongoing_done)
    assert [r["round_id"] or UNSPECIFIED for r in got] == want["round_id"].tolist()
    for r, (_, w) in zip(got, want.iterrows()):
        for col in ("problems", "rectified", "measures", "measures_done", "reopened",
                    "no_measures"):
            assert r[col] == w[col], (r["round_id"], col)
        assert r["rate"] == pytest.approx(w["rate"], abs=1e-4)


@pytest.mark.parametrize("as_of", [AS_OF, dt.date(2025, 6, 30)])
def test_audit_only_findings(conn, tables, as_of):
    from linkgraph.analysis.audit import audit_report

    want = audit_report(tables, load_rules(), as_of).audit_only
    got = q(conn, "audit_only", as_of=as_of)
    if as_of == AS_OF:  # CORROBORATES is computed on the whole ledger: exact today
        assert [r["finding_id"] for r in got] == want["finding_id"].tolist()
        assert len(got) > 0
    else:
        assert {r["finding_id"] for r in got} >= set(want["finding_id"])
    stored = for_graph(tables)["audits"]     # push harmonises the categories
    for r in got[:5]:
        row = stored.set_index("finding_id").loc[r["finding_id"]]
        assert (r["unit_id"], r["category"]) == (row["unit_id"], row["category"])


def test_self_check_units_are_the_clusters_list(conn, tables):
    from linkgraph.analysis.clusters import find_clusters
    from linkgraph.analysis.clusters.scope import never_inspected

    clusters = [c for c in find_clusters(tables) if c.sector or c.region_id]
    assert clusters
    for c in clusters:
        params = {k: v for k, v in (("sector", c.sector), ("region_id", c.region_id)) if v}
        got = q(conn, "self_check_units", **params)
        assert tuple(r["unit_id"] for r in got) == c.self_check_unit_ids, c.cluster_id
    fresh = never_inspected(tables)
    units = tables["units"]
    for sector in sorted(units["sector"].dropna().unique())[:4]:
        want = sorted(units.loc[(units["sector"] == sector)
                                & fresh.reindex(units["unit_id"]).to_numpy(), "unit_id"])
        assert [r["unit_id"] for r in q(conn, "self_check_units", sector=sector)] == want


def test_systemic_clusters_by_category_and_sector(conn, tables):
    from linkgraph.analysis.clusters import find_clusters

    raw, tables = tables, for_graph(tables)    # Neo4j holds the harmonised categories
    p = tables["problems"].merge(tables["units"][["unit_id", "sector"]], on="unit_id")
    p = p[p["sector"].notna()]
    cell = p.groupby(["category", "sector"]).agg(units=("unit_id", "nunique"),
                                                 problems=("problem_id", "size")).reset_index()
    cell["sector_problems"] = cell["sector"].map(p.groupby("sector").size())
    cell["category_problems"] = cell["category"].map(p.groupby("category").size())
    cell["lift"] = (cell["problems"] / cell["sector_problems"]) / \
        (cell["category_problems"] / len(p))
    cell["sector_units"] = cell["sector"].map(tables["units"].groupby("sector").size())
    want = cell[(cell["units"] >= 3) & (cell["lift"] >= 1.5)]
    got = q(conn, "systemic_clusters")
    assert len(got) == len(want) > 0
    keyed = want.set_index(["category", "sector"])
    for r in got:
        w = keyed.loc[(r["category"], r["sector"])]
        assert (r["units"], r["problems"], r["sector_problems"], r["category_problems"],
                r["sector_units"]) == (w["units"], w["problems"], w["sector_problems"],
                                       w["category_problems"], w["sector_units"])
        assert r["lift"] == pytest.approx(w["lift"], abs=1e-4)
    assert [r["lift"] for r in got] == sorted((r["lift"] for r in got), reverse=True)
    supervises = tables["departments"].explode("supervises")
    for r in got:
        assert r["dept_ids"] == sorted(supervises.loc[supervises["supervises"] == r["category"],
                                                      "dept_id"])
    every = {(r["category"], r["sector"]): r["lift"]
             for r in q(conn, "systemic_clusters", min_units=1, min_lift=0)}
    for c in find_clusters(raw):
        if c.kind == "overrepresented" and c.sector:
            assert every[(c.category, c.sector)] > 1


@pytest.mark.parametrize("branch", [None, "全面从严治党"])
def test_category_counts_by_harmonised_category(conn, tables, branch):
    from linkgraph.categories import harmonise, load_taxonomy

    tax = load_taxonomy()
    p = harmonise(tables["problems"], tax)
    if branch:
        p = p[p["category_branch"] == branch]
    want = [{"branch": tax.branch_of(c), "area": tax.area_of(c), "category": c,
             "problems": len(g), "units": g["unit_id"].nunique(),
             "written": sorted(set(g["category_written"]))}
            for c, g in p.groupby("category")]
    want.sort(key=lambda r: (r["branch"] is None, r["branch"] or "", r["area"] or "",
                             r["category"]))
    got = q(conn, "category_counts", **({"branch": branch} if branch else {}))
    assert got == want and len(got) > 1
    # the tidy generator's 违反中央八项规定精神 is counted as 八项规定
    if branch:
        assert {r["category"] for r in got} >= {"八项规定"}


def _conflict_paths_nx(tables, team_id: str, unit_id: str) -> set[tuple]:
    """The paths conflict_paths.cypher defines, by brute force on the tables."""
    members = tables["team_members"]
    members = members[members["team_id"] == team_id]
    posts = tables["posts"]
    officials = set(posts.loc[posts["unit_id"] == unit_id, "person_id"])
    ties = tables["ties"]
    nbr: dict[str, set] = {}
    for a, b, rel in zip(ties["person_a"], ties["person_b"], ties["relation"]):
        if a != b:
            nbr.setdefault(a, set()).add((b, rel))
            nbr.setdefault(b, set()).add((a, rel))
    home = tables["people"].set_index("person_id")["hometown_region_id"].dropna()
    out = set()
    for m, seconded in zip(members["person_id"], members["seconded_from_unit_id"]):
        P, U = f"Person:{m}", f"Unit:{unit_id}"
        if m in officials:
            out.add(("post", 0, (P, U)))
        if seconded == unit_id:
            out.add(("seconded", 0, (P, U)))
        for o, _ in nbr.get(m, ()):
            if o in officials:
                out.add(("tie", 1, (P, f"Person:{o}", U)))
            for o2, _ in nbr.get(o, ()):
                if o2 in officials and o2 not in (m, o):
                    out.add(("tie", 2, (P, f"Person:{o}", f"Person:{o2}", U)))
        if m in home.index:
            for o in officials - {m}:
                if home.get(o) == home[m]:
                    out.add(("townsman", 1, (P, f"Region:{home[m]}", f"Person:{o}", U)))
    return out


DECLARED = ("spouse", "parent_child", "sibling", "collateral", "in_law", "classmate",
            "mentor", "secretary", "other")


def test_conflict_paths_between_teams_and_units(conn, tables):
    from linkgraph.analysis.conflicts import find_conflicts

    rounds = tables["rounds"].sort_values("start")["round_id"].tolist()[-3:]
    checked = 0
    for round_id in rounds:
        for c in find_conflicts(tables, round_id)[:12]:
            got = q(conn, "conflict_paths", team_id=c.team_id, unit_id=c.unit_id)
            found = {(r["kind"], r["hops"], tuple(r["path"])) for r in got}
            assert found == _conflict_paths_nx(tables, c.team_id, c.unit_id)
            # declared ties and the inspector's own posts are paths of the query
            # (townsman, colleague, superior, same system are derived by the rules)
            if c.relation.split("+")[0] in DECLARED or c.relation in ("former_post",
                                                                       "long_post"):
                assert tuple(c.path) in {p for _, _, p in found}, c.as_record()
                checked += 1
    assert checked >= 3
    one = q(conn, "conflict_paths", team_id=c.team_id, unit_id=c.unit_id, max_hops=1)
    assert all(r["hops"] <= 1 for r in one)
    assert {tuple(r["path"]) for r in one} == {
        p for _, h, p in _conflict_paths_nx(tables, c.team_id, c.unit_id) if h <= 1}


def _neighbourhood_nx(G, unit_id: str, hops: int, stop=("Category", "Region", "Round",
                                                         "Department")) -> list[tuple]:
    U = G.to_undirected(as_view=True)
    start = f"Unit:{unit_id}"
    dist = {start: 0}
    queue = deque([start])
    while queue:
        n = queue.popleft()
        if dist[n] >= hops or (n != start and G.nodes[n]["label"] in stop):
            continue
        for m in U.neighbors(n):
            if m not in dist:
                dist[m] = dist[n] + 1
                queue.append(m)
    del dist[start]
    return sorted((d, G.nodes[n]["label"], G.nodes[n]["id"]) for n, d in dist.items())


@pytest.mark.parametrize("hops", [1, 2])
def test_unit_neighbourhood(conn, tables, hops):
    from linkgraph.graph import build_graph

    G = build_graph(for_graph(tables))
    for unit_id in tables["units"]["unit_id"].iloc[[0, 7, 42]]:
        got = q(conn, "unit_neighbourhood", unit_id=unit_id, hops=hops)
        assert [(r["distance"], r["label"], r["id"]) for r in got] == \
            _neighbourhood_nx(G, unit_id, hops)


def test_leader_portrait(conn, tables):
    from collections import Counter

    from linkgraph.analysis.portrait import portrait

    posts = tables["posts"]
    leaders = posts.loc[posts["is_top_leader"], "person_id"].value_counts()
    rules = load_rules()
    seen = Counter()
    for pid in leaders.index[:6]:
        p = portrait(tables, rules, pid, AS_OF)
        got = q(conn, "leader_portrait", person_id=pid, as_of=AS_OF)
        by = {}
        for r in got:
            by.setdefault(r["section"], set()).add(r["item_id"])
        want = {"post": set(p.posts["unit_id"]),
                "tenure_problem": set(p.tenure_problems["problem_id"]),
                "problem_involving": set(p.problems_involving["problem_id"]),
                "lead": set(p.leads["lead_id"]), "petition": set(p.petitions["petition_id"]),
                "measure": set(p.measures["measure_id"]), "tie": set(p.ties["person_id"])}
        assert by == {k: v for k, v in want.items() if v}, pid
        seen.update(k for k, v in want.items() if v)
    assert {"post", "tenure_problem", "tie"} <= set(seen)


def _by_round(tables):
    from linkgraph.analysis.results import results

    got = results(tables, load_rules(), AS_OF, by="round").groups
    return {r["round_id"]: r for r in got.to_dict("records")}


def test_outcome_queries_equal_results_by_round(conn, tables):
    """On the generated ledgers: the three 成果 queries give `results --by round`."""
    want = _by_round(tables)
    closure = {r["round_id"]: r for r in q(conn, "closure_by_round", as_of=AS_OF)}
    leads = {r["round_id"]: r for r in q(conn, "lead_cases", as_of=AS_OF)}
    amounts = {r["round_id"]: r for r in q(conn, "outcome_amounts", as_of=AS_OF)}
    assert sum(w["problems_closed"] for w in want.values()) > 0
    assert sum(w["case_people"] for w in want.values()) > 0
    for rid, w in want.items():
        if w["problems"]:
            c = closure[rid]
            assert (c["problems"], c["completed_in_period"], c["completed"], c["closed"],
                    c["measures"]) == (w["problems"], w["rectified_in_period"],
                                       w["rectified"], w["problems_closed"], w["measures"]), rid
        if w["leads"]:
            le = leads[rid]
            assert (le["leads"], le["closed"], le["cases"], le["case_people"],
                    le["sanctioned_people"], le["judicial_people"]) == (
                w["leads"], w["leads_closed"], w["cases"], w["case_people"],
                w["sanctioned_people"], w["judicial_people"]), rid
        if rid in amounts:
            a = amounts[rid]
            assert (a["rules_new"], a["rules_revised"], a["accountable"]) == (
                w["rules_new"], w["rules_revised"], w["accountable"]), rid
            assert a["recovered_amount"] == pytest.approx(w["recovered_amount"], abs=0.01)
            assert a["loss_recovered"] == pytest.approx(w["loss_recovered"], abs=0.01)


@pytest.fixture(scope="module")
def chengdu(tmp_path_factory):
    from linkgraph.dataset import load_dataset
    from tests.chengdu_ledger import ledger
    from tests.conftest import write_tables

    files = ledger()
    # one column the contract does not know, kept as a property (备注)
    lines = files["units.csv"].splitlines()
    files["units.csv"] = "\n".join([lines[0] + ",备注"] + [
        line + (",重点单位" if i == 1 else ",") for i, line in enumerate(lines[1:], 1)]) + "\n"
    return load_dataset(write_tables(tmp_path_factory.mktemp("chengdu"), files)).tables


@pytest.fixture
def chengdu_conn(neo4j_driver, settings, chengdu):
    """The 成都 ledger alone in the database (the ``conn`` fixture pushes the
    generated ledgers back for any later test)."""
    from linkgraph.neo4j.connection import connect
    from linkgraph.neo4j.push import push
    from tests.neo4j_server_plugin import wipe

    wipe(neo4j_driver)
    with connect(settings) as c:
        push(c, chengdu, batch_size=5000)
        yield c


def test_chengdu_figures_from_neo4j(chengdu_conn, chengdu):
    """成都's paragraph from Cypher; the arithmetic is in tests/chengdu_ledger.py."""
    from tests.chengdu_ledger import AS_OF as CHENGDU_AS_OF

    [c] = q(chengdu_conn, "closure_by_round", as_of=CHENGDU_AS_OF)
    # problems 680; completed by as_of 471 + 50 + 30 = 551 (the ten written 已销号
    # count as completed); 销号 after a passed review 471 + 50 = 521; 471 in the period
    assert (c["round_id"], c["problems"], c["completed"], c["closed"]) == ("X1", 680, 551, 521)
    assert (c["completed_in_period"], c["rate_in_period"]) == (471, 0.6926)
    # measures 244 × 4 + 436 × 5 = 3156; open: the last measure of problems
    # 551…679 (129), so 3156 − 129 = 3027 completed; closed: those of problems
    # 0…520, 244 × 4 + 277 × 5 = 2361; written 已销号 without a review:
    # problems 521…530, five measures each = 50
    assert (c["measures"], c["measures_completed"], c["measures_closed"],
            c["measures_unreviewed"]) == (3156, 3027, 2361, 50)
    [le] = q(chengdu_conn, "lead_cases", as_of=CHENGDU_AS_OF)
    # 127 leads, 76 办结; 立案 40 + 处分 15 + 移送司法 2 = 57 件; people: L001…L011
    # two each (one on the roster, one 案外人) + 46 one each = 68 人; 处分 15 + 2 = 17;
    # 移送司法 L056, L057 = 2 人
    assert (le["leads"], le["closed"], le["cases"], le["case_people"],
            le["sanctioned_people"], le["judicial_people"]) == (127, 76, 57, 68, 17, 2)
    [a] = q(chengdu_conn, "outcome_amounts", as_of=CHENGDU_AS_OF)
    # 新建 40 × 10 + 修订 (24 × 9 + 29) = 400 + 245 = 645; 追缴 (157.08 × 9 + 157.11) 万元
    # = 1570.83 万元 = 15,708,300 元; 挽回 (39.05 × 9 + 39.07) 万元 = 3,905,200 元;
    # 追责 25 × 9 + U10's 25 people listed = 250 人
    assert (a["results"], a["rules_new"], a["rules_revised"], a["rules"]) == (14, 400, 245, 645)
    assert (a["recovered_amount"], a["loss_recovered"]) == (15_708_300.0, 3_905_200.0)
    assert a["accountable"] == 250


def test_chengdu_outcome_tables_round_trip_through_neo4j(chengdu_conn, chengdu):
    from linkgraph.neo4j.pull import pull_tables
    from linkgraph.schema import OUTCOME_TABLES

    pulled = pull_tables(chengdu_conn)
    for name in (*OUTCOME_TABLES, "leads"):
        assert _canonical(pulled[name], name) == _canonical(chengdu[name], name), name
    lp = pulled["lead_people"]
    assert sorted(lp.loc[lp["person_id"].isna(), "name"]) == [f"案外人{i:02d}"
                                                              for i in range(1, 12)]
    units = pulled["units"].set_index("unit_id")
    assert units["备注"].tolist() == ["重点单位"] + [None] * 9


def test_every_query_file_is_checked_here():
    # runs last in this module (pytest keeps file order)
    assert TESTED == set(queries()), set(queries()) - TESTED

