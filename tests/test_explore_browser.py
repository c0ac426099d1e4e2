"""The explorer in a real headless Chromium against the real server
(uvicorn in a thread): search, expand, path, filters, exports, permalink,
offline, escaping, the token.

Needs Debian's chromium (scripts/install-browser) and the playwright package.
Skipped when the browser cannot start, except under ``CI`` where that fails.
"""
from __future__ import annotations

import io
import json
import threading
import time
from pathlib import Path

import pytest

from linkgraph.dataset import load_dataset
from linkgraph.explore.app import create_app
from linkgraph.explore.serve import bind
from linkgraph.explore.state import Explorer
from tests.browser import count_ink, decode_png
from tests.hostile_ledger import HOSTILE, hostile_ledger

pytestmark = pytest.mark.browser

TINY = Path(__file__).parent / "data" / "tiny"
TOKEN = "another-long-secret-token"


class LiveServer:
    """The explorer app served by uvicorn on a free loopback port."""

    def __init__(self, explorer: Explorer, **options):
        import uvicorn

        self.sock = bind("127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/"
        config = uvicorn.Config(create_app(explorer, **options), log_level="warning",
                                access_log=False, lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]},
                                       daemon=True)
        self.thread.start()
        deadline = time.time() + 30
        while not self.server.started and time.time() < deadline:
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


class Watch:
    """A page that records every request and error; other hosts are aborted."""

    def __init__(self, chromium, origin: str):
        self.context = chromium.new_context(viewport={"width": 1280, "height": 800},
                                            service_workers="block", accept_downloads=True)
        self.page = self.context.new_page()
        self.origin = origin
        self.requests: list[str] = []
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []

        def route(r):
            url = r.request.url
            if url.startswith(origin) or url.startswith(("data:", "blob:")):
                r.continue_()
            else:
                self.foreign.append(url)
                r.abort()

        self.context.route("**/*", route)
        self.page.on("request", lambda req: self.requests.append(req.url))
        self.page.on("websocket", lambda ws: self.foreign.append(ws.url))
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

        def on_dialog(d):
            self.dialogs.append(d.message)
            d.dismiss()

        self.page.on("dialog", on_dialog)

    def open(self, url: str | None = None) -> None:
        self.page.goto(url or self.origin)
        self.page.wait_for_function("() => window.linkgraphExplore && window.linkgraphExplore.ready",
                                    timeout=30_000)
        assert self.js("(x) => x.error") is None

    def js(self, expression: str, arg=None):
        return self.page.evaluate(
            f"([a]) => {{ const x = window.linkgraphExplore; return ({expression})(x, a); }}", [arg])

    def nodes(self) -> list[str]:
        return sorted(self.js("(x) => x.graph.nodes()"))

    def search(self, q: str) -> None:
        self.page.fill("#lg-search", q)
        self.page.click("#lg-search-btn")
        self.page.wait_for_function("(q) => document.querySelector('#lg-results-count')"
                                    ".textContent !== ''", arg=q)

    def result(self, key: str):
        return self.page.locator(f'#lg-results li[data-key="{key}"]')

    def settle(self, n_before: int | None = None) -> None:
        if n_before is not None:
            self.page.wait_for_function("(n) => window.linkgraphExplore.graph.order > n",
                                        arg=n_before, timeout=30_000)
        self.page.wait_for_timeout(300)

    def point(self, key: str) -> tuple[float, float]:
        box = self.page.locator("#lg-graph").bounding_box()
        p = self.js("(x, k) => x.viewportOf(k)", key)
        return box["x"] + p["x"], box["y"] + p["y"]

    def show_and_expand(self, key: str) -> None:
        """Put ``key`` in the picture and expand it once (through the page's own calls)."""
        self.js("(x, k) => x.show(k)", key)
        self.settle(0)
        self.js("(x, k) => x.expand(k)", key)
        self.settle(1)

    def under_panel(self) -> list[str]:
        """The nodes whose drawn circle reaches into the open details panel."""
        return self.js("""(x) => {
            const panel = document.querySelector('#lg-details');
            if (panel.hidden) return [];
            const p = panel.getBoundingClientRect();
            const g = document.querySelector('#lg-graph').getBoundingClientRect();
            return x.graph.nodes().filter(k => {
                const a = x.graph.getNodeAttributes(k);
                const c = x.renderer.graphToViewport({x: a.x, y: a.y});
                const e = x.renderer.graphToViewport({x: a.x + a.size, y: a.y});
                const r = Math.hypot(e.x - c.x, e.y - c.y);
                const cx = g.left + c.x, cy = g.top + c.y;
                return cx + r > p.left && cx - r < p.right && cy + r > p.top && cy - r < p.bottom;
            });
        }""")

    def clean(self) -> None:
        assert self.foreign == [], self.foreign
        assert all(u.startswith((self.origin, "data:", "blob:")) for u in self.requests)
        assert self.errors == [], self.errors
        assert self.dialogs == []
        assert self.page.evaluate("() => window.__pwned === undefined")

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def county_explorer(tmp_path_factory) -> Explorer:
    from loaders.generator.build import generate
    from loaders.generator.writer import write_dataset

    folder = tmp_path_factory.mktemp("county")
    write_dataset(generate("county", seed=5), folder)
    return Explorer(load_dataset(folder).tables)


@pytest.fixture(scope="module")
def county(county_explorer):
    server = LiveServer(county_explorer)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def tiny():
    server = LiveServer(Explorer(load_dataset(TINY).tables))
    yield server
    server.stop()


@pytest.fixture
def watch(chromium):
    made: list[Watch] = []

    def make(server: LiveServer) -> Watch:
        w = Watch(chromium, server.url)
        made.append(w)
        return w
    yield make
    for w in made:
        w.close()


def test_search_a_shared_name_and_pick_the_right_person(watch, tiny):
    w = watch(tiny)
    w.open()
    assert w.page.inner_text("#lg-status").startswith("全图 ")
    w.search("王伟")
    assert w.page.inner_text("#lg-results-count") == "共 2 个结果"
    p4 = w.result("Person:P4")
    assert "1982 · 新津区教育局局长 · 新津区" in p4.inner_text()
    assert "1980 · 金堂县教育局局长" in w.result("Person:P3").inner_text()
    p4.locator(".lg-add").click()
    w.settle(0)
    assert w.nodes() == ["Person:P4"]
    assert "P4" in w.page.inner_text("#lg-details")
    w.clean()


def test_expand_twice_by_mouse_without_overlap(watch, county, county_explorer):
    w = watch(county)
    w.open()
    w.search("U0004")
    w.result("Unit:U0004").locator(".lg-add").click()
    w.settle(0)
    x, y = w.point("Unit:U0004")
    w.page.mouse.dblclick(x, y)
    w.settle(1)
    first = w.nodes()
    aggregates = [k for k in first if k.startswith("agg|")]
    assert aggregates, first
    # the details panel opened by the double click covers the picture's right: the camera
    # leaves room for it, so no node lies under it
    assert w.page.locator("#lg-details").is_visible()
    assert w.under_panel() == []
    want = county_explorer.expand("Unit:U0004", __import__(
        "linkgraph.explore.expand", fromlist=["Filters"]).Filters())
    assert {n["key"] for n in want["nodes"]} <= set(first)
    assert len(aggregates) == len(want["aggregates"])
    assert w.js("(x) => x.overlapShare()") <= 0.02
    # readable at the default zoom: 13 px labels, shown for (nearly) every node of a small picture
    assert w.js("(x) => x.renderer.getSetting('labelSize')") >= 12
    shown = w.js("(x) => x.renderer.getNodeDisplayedLabels().size")
    assert shown >= 0.8 * len(first), (shown, len(first))
    # the second expansion: open the biggest aggregate by clicking it
    agg = max(aggregates, key=lambda k: w.js("(x, k) => x.graph.getNodeAttribute(k, 'aggregate').count", k))
    count = w.js("(x, k) => x.graph.getNodeAttribute(k, 'aggregate').count", agg)
    x, y = w.point(agg)
    w.page.mouse.click(x, y)
    w.settle(len(first) - 1)
    second = w.nodes()
    opened = [k for k in second if k not in first]
    if count > 20:      # a page of 20 opened; the rest stays an aggregate, counted down
        assert len(opened) == 20
        assert w.js("(x, k) => x.graph.getNodeAttribute(k, 'aggregate').count", agg) == count - 20
    else:
        assert agg not in second and len(opened) == count
    assert w.js("(x) => x.overlapShare()") <= 0.02
    assert w.page.locator("#lg-details").is_visible() and w.under_panel() == []
    w.clean()


def _hard_conflict(explorer: Explorer):
    rounds = sorted(explorer.tables["rounds"]["round_id"])
    for round_id in reversed(rounds):
        for c in explorer.round_conflicts(round_id):
            if c.level == "hard" and c.relation in ("spouse", "sibling", "parent_child"):
                return c
    raise AssertionError("the county has no kinship conflict")


def test_find_a_path_and_it_agrees_with_conflicts(watch, county, county_explorer):
    c = _hard_conflict(county_explorer)
    w = watch(county)
    w.open()
    w.search(c.person_id)
    w.result(f"Person:{c.person_id}").locator(".lg-from").click()
    w.search(c.unit_id)
    w.result(f"Unit:{c.unit_id}").locator(".lg-to").click()
    w.page.click("#lg-path-btn")
    w.page.wait_for_selector("#lg-path-out .lg-path", timeout=30_000)
    levels = w.page.locator("#lg-path-out .lg-path").evaluate_all(
        "els => els.map(e => e.dataset.level)")
    assert "hard" in levels
    w.page.wait_for_selector("#lg-path-out .lg-conflict", timeout=60_000)
    verdicts = w.page.locator("#lg-path-out .lg-conflict")
    texts = verdicts.all_inner_texts()
    assert any(c.explanation in t and "回避" in t for t in texts), texts
    # the path's nodes are drawn, its hard edge thick and red
    assert f"Person:{c.person_id}" in w.nodes() and f"Unit:{c.unit_id}" in w.nodes()
    hard = w.js("(x) => x.graph.edges().filter(e => x.graph.getEdgeAttribute(e, 'level') === "
                "'hard').length")
    assert hard >= 1
    w.clean()


def test_date_filter_drops_records_outside_the_range(watch, county, county_explorer):
    problems_of = county_explorer.tables["problems"]["unit_id"].value_counts()
    unit = f"Unit:{sorted(problems_of[problems_of == problems_of.max()].index)[0]}"
    w = watch(county)
    w.open()
    w.js("(x, k) => x.show(k)", unit)
    w.settle(0)
    w.js("(x, k) => x.expand(k)", unit)
    w.settle(1)
    agg = next(k for k in w.nodes() if k.startswith(f"agg|{unit}|Problem"))
    w.js("(x, k) => x.expand(k)", agg)        # by category
    w.settle()
    for k in [k for k in w.nodes() if k.startswith(f"agg|{unit}|Problem|")][:3]:
        w.js("(x, k) => x.expand(k)", k)
        w.settle()
    problems = [k for k in w.nodes() if k.startswith("Problem:")]
    assert problems
    table = county_explorer.tables["problems"].set_index("problem_id")
    dates = sorted(str(table.loc[k.partition(":")[2], "found_date"])[:10] for k in problems)
    cut = dates[len(dates) // 2]
    w.page.fill("#lg-date-from", cut)
    w.page.click("#lg-apply")
    w.page.wait_for_timeout(800)
    left = {k for k in w.nodes() if k.startswith("Problem:")}
    want = {k for k in problems if str(table.loc[k.partition(":")[2], "found_date"])[:10] >= cut}
    assert left == want and 0 < len(left) < len(problems)
    assert unit in w.nodes()          # undated nodes stay
    w.clean()


def test_export_png_and_xlsx_of_the_current_picture(watch, tiny):
    import openpyxl

    w = watch(tiny)
    w.open()
    for key in ("Person:P1", "Person:P2", "Unit:U3"):
        w.js("(x, k) => x.show(k)", key)
    w.page.wait_for_function("() => window.linkgraphExplore.graph.order === 3")
    with w.page.expect_download() as png:
        w.page.click("#lg-export-png")
    data = Path(png.value.path()).read_bytes()
    width, height, _, _ = decode_png(data)
    assert width == 1600 and height >= 200 and count_ink(data) > 1000
    with w.page.expect_download() as svg:
        w.page.click("#lg-export-svg")
    text = Path(svg.value.path()).read_text("utf-8")
    assert text.count("<circle") == 3 and "何娟" in text and "<script" not in text
    with w.page.expect_download() as xlsx:
        w.page.click("#lg-export-xlsx")
    book = openpyxl.load_workbook(io.BytesIO(Path(xlsx.value.path()).read_bytes()))
    names = {c for row in book["图中节点"].iter_rows(values_only=True) for c in row if c}
    assert {"陈明", "何娟", "新津区住房和城乡建设局"} <= names
    w.clean()


def test_a_permalink_reopens_the_same_picture(watch, tiny):
    w = watch(tiny)
    w.open()
    w.show_and_expand("Unit:U1")
    w.page.click("#lg-permalink")
    url = w.page.url
    before = w.js("(x) => x.graph.nodes().map(k => [k, Math.round(x.graph.getNodeAttribute(k,'x')),"
                  " Math.round(x.graph.getNodeAttribute(k,'y'))]).sort()")
    edges = w.js("(x) => x.graph.size")
    again = watch(tiny)
    again.open(url)
    again.page.wait_for_function("(n) => window.linkgraphExplore.graph.order === n",
                                 arg=len(before))
    after = again.js("(x) => x.graph.nodes().map(k => [k, Math.round(x.graph.getNodeAttribute(k,'x')),"
                     " Math.round(x.graph.getNodeAttribute(k,'y'))]).sort()")
    assert after == before
    assert again.js("(x) => x.graph.size") == edges
    w.clean()
    again.clean()


def test_a_hostile_name_renders_as_text_and_runs_nothing(watch, tmp_path_factory):
    server = LiveServer(Explorer(load_dataset(hostile_ledger(
        tmp_path_factory.mktemp("h") / "h")).tables))
    try:
        w = watch(server)
        w.open()
        w.search("<img")
        li = w.page.locator("#lg-results li").first
        assert HOSTILE in li.inner_text()
        key = li.get_attribute("data-key")
        li.locator(".lg-add").click()
        w.settle(0)
        assert HOSTILE in w.page.inner_text("#lg-details")
        assert w.page.locator("#lg-side img, #lg-details img, #lg-results script").count() == 0
        assert w.js("(x, k) => x.graph.getNodeAttribute(k, 'label')", key).startswith("<img")
        w.clean()
    finally:
        server.stop()


def test_with_host_a_request_without_the_token_is_refused(watch, chromium):
    server = LiveServer(Explorer(load_dataset(TINY).tables), token=TOKEN, loopback=False)
    try:
        w = watch(server)
        w.page.goto(server.url)
        assert w.page.locator("input[type=password]").count() == 1
        status = w.page.evaluate("() => fetch('/api/search?q=' + encodeURIComponent('王伟'))"
                                 ".then(r => r.status)")
        assert status == 401
        w.page.fill("input[type=password]", "wrong-token-here")
        w.page.click("button[type=submit]")
        assert "令牌不正确" in w.page.inner_text("body")
        w.page.fill("input[type=password]", TOKEN)
        w.page.click("button[type=submit]")
        w.page.wait_for_function("() => window.linkgraphExplore && window.linkgraphExplore.ready")
        w.search("王伟")
        assert w.page.locator("#lg-results li").count() == 2
        assert w.foreign == []
        assert TOKEN not in json.dumps(w.requests)
    finally:
        server.stop()


def test_a_node_panel_offers_conflicts_timeline_and_portrait(watch, tiny):
    w = watch(tiny)
    w.open()
    w.js("(x) => x.show('Person:P1')")
    w.settle(0)
    w.page.click("#lg-details .lg-conflicts")
    w.page.wait_for_selector("#lg-details .lg-node-conflicts .lg-conflict")
    levels = w.page.locator("#lg-details .lg-node-conflicts .lg-conflict").evaluate_all(
        "els => els.map(e => e.dataset.level)")
    assert levels[0] == "hard"
    assert "配偶" in w.page.inner_text("#lg-details .lg-node-conflicts")
    w.js("(x) => x.show('Person:P3')")
    w.settle()
    assert "金堂县教育局 局长" in w.page.inner_text("#lg-details .lg-timeline")
    w.page.click("#lg-details .lg-portrait")
    w.page.wait_for_selector("#lg-details .lg-node-portrait button")
    before = w.js("(x) => x.graph.order")
    w.page.click("#lg-details .lg-node-portrait button")
    w.settle(before)
    assert {"Unit:U1", "Person:P5"} <= set(w.nodes())
    w.clean()


def _shown_texts(w: Watch) -> list[str]:
    """What a reader sees: the page's text, its tooltips and placeholders,
    and the labels drawn on the canvas."""
    texts = w.page.inner_text("body").split("\n")
    texts += w.page.evaluate(
        "() => [...document.querySelectorAll('[title],[placeholder],[aria-label]')].flatMap("
        "e => ['title', 'placeholder', 'aria-label'].map(a => e.getAttribute(a) || ''))")
    texts += w.js("(x) => x.graph.nodes().map(n => String(x.graph.getNodeAttribute(n, 'label')"
                  " || '')).concat(x.graph.edges().map(e => String(x.graph.getEdgeAttribute(e,"
                  " 'label') || '')))")
    return [t for t in texts if t]


def test_an_english_walk_shows_no_chinese_but_the_ledgers_free_text(watch, tmp_path_factory):
    """Names in pinyin: search, add, expand, a node's conflicts, timeline and
    portrait, and a path with the conflicts verdict, all under --lang en."""
    from tests.pinyin_ledger import free_text, han_leaks, pinyin_ledger

    folder = pinyin_ledger(tmp_path_factory.mktemp("pinyin") / "ledger")
    server = LiveServer(Explorer(load_dataset(folder).tables), lang="en")
    try:
        w = watch(server)
        w.open()
        seen = _shown_texts(w)
        w.search("Wang Wei")
        assert w.page.inner_text("#lg-results-count").startswith("2 ")
        seen += _shown_texts(w)
        w.result("Person:P4").locator(".lg-add").click()
        w.settle(0)
        x, y = w.point("Person:P4")
        w.page.mouse.dblclick(x, y)
        w.settle(1)
        seen += _shown_texts(w)
        w.js("(x) => x.show('Person:P1')")
        w.settle()
        w.page.click("#lg-details .lg-conflicts")
        w.page.wait_for_selector("#lg-details .lg-node-conflicts .lg-conflict")
        panel = w.page.inner_text("#lg-details .lg-node-conflicts")
        assert "'s spouse He Juan is now" in panel, panel
        seen += _shown_texts(w)
        w.page.click("#lg-details .lg-portrait")
        w.page.wait_for_selector("#lg-details .lg-node-portrait button")
        seen += _shown_texts(w)
        w.search("P1")
        w.result("Person:P1").locator(".lg-from").click()
        w.search("U3")
        w.result("Unit:U3").locator(".lg-to").click()
        w.page.click("#lg-path-btn")
        w.page.wait_for_selector("#lg-path-out .lg-conflict", timeout=60_000)
        assert "must recuse" in w.page.inner_text("#lg-path-out") or \
            "spouses" in w.page.inner_text("#lg-path-out")
        seen += _shown_texts(w)
        assert han_leaks(seen, free_text(folder)) == []
        w.clean()
    finally:
        server.stop()


def test_a_name_in_the_report_opens_that_node_in_the_explorer(watch, tiny):
    """The report written with the explorer's address (``report --explorer URL``): clicking
    a person's name opens the explorer on that person, details panel open."""
    import datetime as dt

    from linkgraph.report import ReportOptions, build_report
    from linkgraph.report.render import render_html

    rep = build_report(load_dataset(TINY).tables,
                       ReportOptions(as_of=dt.date(2025, 1, 1), round_id="X2", views=False))
    w = watch(tiny)
    w.page.set_content(render_html(rep, None, explorer=tiny.url, data=str(TINY)))
    w.page.locator('a.explore[href$="#k=Person%3AP1"]').first.click()
    w.page.wait_for_function("() => window.linkgraphExplore && window.linkgraphExplore.ready",
                             timeout=30_000)
    w.page.wait_for_function("() => window.linkgraphExplore.graph.order === 1")
    assert w.nodes() == ["Person:P1"]
    assert w.page.locator("#lg-details").is_visible()
    assert "陈明" in w.page.inner_text("#lg-details h3")
    assert w.under_panel() == []
    w.clean()
    # an id the data does not hold: said so, nothing drawn
    other = watch(tiny)
    other.open(tiny.url + "#k=Person%3ANOPE")
    other.page.wait_for_function("() => document.querySelector('#lg-status').textContent !== ''")
    assert other.page.inner_text("#lg-status") == "没有这个节点" and other.nodes() == []
    other.errors.clear()       # the browser logs the unknown node's 404
    other.clean()


def test_clicking_a_node_opens_its_panel_with_nothing_under_it(watch, tiny):
    w = watch(tiny)
    w.open()
    w.show_and_expand("Unit:U1")
    assert w.under_panel() == []
    # closed, the picture takes the whole width again: its right-most node is where the
    # panel opens
    w.page.click("#lg-details > button")
    w.page.wait_for_timeout(200)
    right = max(w.nodes(), key=lambda k: w.point(k)[0])
    panel_left = w.page.locator("#lg-graph").bounding_box()
    panel_left = panel_left["x"] + panel_left["width"] - 360
    assert w.point(right)[0] > panel_left
    x, y = w.point(right)
    w.page.mouse.click(x, y)
    w.page.wait_for_selector("#lg-details:not([hidden])")
    w.page.wait_for_timeout(300)
    assert w.under_panel() == []
    w.clean()
