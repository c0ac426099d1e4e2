"""Views in a real headless Chromium: offline, escaped, interactive.

Needs Debian's chromium (scripts/install-browser) and the playwright package.
Skipped when the browser cannot start, except under ``CI`` where that fails.
"""
from __future__ import annotations

import time
from pathlib import Path

import networkx as nx
import pytest

from linkgraph.views import build_view_spec, write_html
from linkgraph.views.sample import inspection_graph

pytestmark = pytest.mark.browser

HOSTILE = "<img src=x onerror=alert(1)>"
FETCHING = '<img src="https://example.invalid/pixel.png"><script>window.__pwned=1</script>'


def hostile_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    G.add_node("Region:R1", label="Region", id="R1", name="某县")
    G.add_node("Unit:U1", label="Unit", id="U1", name="县教育局")
    G.add_node("Unit:U2", label="Unit", id="U2", name="县卫健委")
    G.add_node("Person:P1", label="Person", id="P1", name=HOSTILE)
    G.add_node("Person:P2", label="Person", id="P2", name=FETCHING, title="</script><!--")
    for u in ("Unit:U1", "Unit:U2"):
        G.add_edge(u, "Region:R1", type="IN_REGION")
    G.add_edge("Person:P1", "Unit:U1", type="HOLDS_POST", title="局长")
    G.add_edge("Person:P2", "Unit:U2", type="HOLDS_POST", title="href=javascript:alert(2)")
    G.add_edge("Person:P1", "Person:P2", type="TIE", relation="spouse")
    for i in range(6):
        G.add_node(f"Problem:Q{i}", label="Problem", id=f"Q{i}", category="违规发放津补贴")
        G.add_edge(f"Problem:Q{i}", "Unit:U1" if i % 2 else "Unit:U2", type="FOUND_IN")
    return G


@pytest.fixture
def hostile_view(tmp_path) -> Path:
    G = hostile_graph()
    path = tmp_path / "hostile.html"
    write_html(build_view_spec(G, list(G), title=f"测试 {HOSTILE}"), path)
    return path


def assert_clean(watch) -> None:
    assert watch.remote_requests == []
    assert all(u.startswith("file://") for u in watch.requests), watch.requests
    assert watch.console_errors == []
    assert watch.page_errors == []
    assert watch.dialogs == []
    assert watch.page.evaluate("() => window.__pwned === undefined")


def test_view_loads_offline_draws_and_runs_nothing_foreign(browser_page, hostile_view):
    watch = browser_page
    watch.open_view(hostile_view)
    assert watch.canvas_ink() > 2000
    assert watch.page.locator("img").count() == 0
    assert watch.page.title() == f"测试 {HOSTILE}"
    assert_clean(watch)


def test_hostile_name_shows_as_text_in_the_tooltip(browser_page, hostile_view):
    watch = browser_page
    watch.open_view(hostile_view)
    for node, name in (("Person:P1", HOSTILE), ("Person:P2", FETCHING)):
        watch.page.mouse.move(*watch.node_point(node))
        tip = watch.page.locator("#lg-tooltip")
        tip.wait_for(state="visible", timeout=5000)
        assert name in tip.inner_text()
        assert tip.locator("img, script").count() == 0
        watch.page.mouse.move(5, 5)
    assert_clean(watch)


def test_legend_click_hides_and_shows_a_label(browser_page, hostile_view):
    watch = browser_page
    watch.open_view(hostile_view)
    button = watch.page.locator('.lg-legend-item[data-label="Problem"]')
    button.click()
    visible = watch.visible_node_ids()
    assert visible and not any(n.startswith("Problem:") for n in visible)
    assert button.get_attribute("aria-pressed") == "false"
    hidden_edges = watch.view("(lg) => lg.edges.get({filter: e => e.hidden}).length")
    assert hidden_edges == 6
    button.click()
    assert sum(n.startswith("Problem:") for n in watch.visible_node_ids()) == 6
    assert_clean(watch)


def test_filter_by_label_shows_only_that_label(browser_page, hostile_view):
    watch = browser_page
    watch.open_view(hostile_view)
    watch.page.select_option("#lg-filter", "Person")
    assert sorted(watch.visible_node_ids()) == ["Person:P1", "Person:P2"]
    watch.page.select_option("#lg-filter", "")
    assert len(watch.visible_node_ids()) == 11


def test_search_finds_a_node_by_name_and_by_id(browser_page, hostile_view):
    watch = browser_page
    watch.open_view(hostile_view)
    watch.page.fill("#lg-search", "卫健")
    watch.page.press("#lg-search", "Enter")
    assert watch.view("(lg) => lg.network.getSelectedNodes()") == ["Unit:U2"]
    assert "找到 1 个节点" in watch.page.inner_text("#lg-status")
    watch.page.fill("#lg-search", "q3")
    watch.page.press("#lg-search", "Enter")
    assert watch.view("(lg) => lg.network.getSelectedNodes()") == ["Problem:Q3"]
    watch.page.fill("#lg-search", "没有这个")
    watch.page.press("#lg-search", "Enter")
    assert "未找到" in watch.page.inner_text("#lg-status")
    assert_clean(watch)


def test_double_click_expands_then_collapses(browser_page, tmp_path):
    G = inspection_graph(3, seed=2)
    units = sorted(n for n in G if n.startswith("Unit:"))
    path = tmp_path / "units.html"
    spec = build_view_spec(G, units + ["Region:R0"], title="展开测试", expand_limit=10)
    write_html(spec, path)
    (x,) = [x for x in spec.expansions if x.node == units[0]]
    watch = browser_page
    watch.open_view(path)
    before = sorted(watch.node_ids())
    watch.page.mouse.dblclick(*watch.node_point(units[0]))
    watch.page.wait_for_function("(n) => window.linkgraphView.nodes.length > n", arg=len(before))
    after = watch.node_ids()
    assert len(after) == len(before) + len(x.nodes) and set(x.nodes) <= set(after)
    assert watch.view("(lg) => lg.expandedIds()") == [units[0]]
    assert "已展开 10 个邻居" in watch.page.inner_text("#lg-status")
    assert watch.canvas_ink() > 2000
    watch.page.mouse.dblclick(*watch.node_point(units[0]))
    watch.page.wait_for_function("(n) => window.linkgraphView.nodes.length === n", arg=len(before))
    assert sorted(watch.node_ids()) == before
    assert watch.view("(lg) => lg.edges.length") == len(spec.edges)
    assert_clean(watch)


def test_summary_node_expands_into_members_and_nested_collapse(browser_page, tmp_path):
    G = inspection_graph(6, seed=1)
    spec = build_view_spec(G, list(G), title="聚合", max_nodes=60)
    path = tmp_path / "agg.html"
    write_html(spec, path)
    summary = next(n for n in spec.nodes if n.is_summary and n.label == "Problem")
    watch = browser_page
    watch.open_view(path)
    n0, e0 = len(watch.node_ids()), watch.view("(lg) => lg.edges.length")
    assert watch.view("(lg, id) => lg.expand(id)", summary.id)
    member = watch.view("(lg, id) => lg.nodes.getIds().filter(n => n.startsWith('Problem:'))[0]",
                        summary.id)
    assert member
    watch.view("(lg, id) => lg.expand(id)", member)  # nested expansion (may add nothing)
    watch.page.mouse.dblclick(*watch.node_point(summary.id))
    assert len(watch.node_ids()) == n0
    assert watch.view("(lg) => lg.edges.length") == e0
    assert watch.view("(lg) => lg.expandedIds()") == []
    assert_clean(watch)


def test_english_view(browser_page, tmp_path):
    G = hostile_graph()
    path = tmp_path / "en.html"
    write_html(build_view_spec(G, list(G), title="English", lang="en"), path)
    watch = browser_page
    watch.open_view(path)
    watch.page.fill("#lg-search", "U1")
    watch.page.press("#lg-search", "Enter")
    assert "Found 1 nodes" in watch.page.inner_text("#lg-status")
    assert_clean(watch)


def test_1500_node_view_loads_and_settles_quickly(browser_page, tmp_path):
    G = inspection_graph(62, seed=0)
    nodes = sorted(G)[:1500]
    spec = build_view_spec(G, nodes, title="1,500 个节点")
    assert len(spec.nodes) == 1500 and not spec.physics
    path = tmp_path / "big.html"
    write_html(spec, path)
    watch = browser_page
    start = time.monotonic()
    ready_ms = watch.open_view(path, timeout_ms=60_000)
    wall = time.monotonic() - start
    size = path.stat().st_size
    print(f"\n1,500-node view: {size / 1024:.0f} KiB, ready after {ready_ms:.0f} ms "
          f"(page clock), {wall:.2f} s wall")
    assert wall < 20
    assert watch.canvas_ink() > 5000
    assert_clean(watch)


@pytest.mark.parametrize("keys", [[], ["Unit:U1"], ["Unit:U1", "Person:P1"]])
def test_tiny_and_empty_views_settle(browser_page, tmp_path, keys):
    G = hostile_graph()
    path = tmp_path / "tiny.html"
    write_html(build_view_spec(G, keys, title="小"), path)
    watch = browser_page
    watch.open_view(path, timeout_ms=15_000)
    assert sorted(watch.node_ids()) == sorted(keys)
    assert_clean(watch)
