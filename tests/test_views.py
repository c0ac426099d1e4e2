"""Pure tests of the view engine: spec, escaping, caps, determinism, HTML text.

Browser behaviour is in test_views_browser.py.
"""
from __future__ import annotations

import base64
import copy
import hashlib
import io
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkgraph.views import (
    LABEL_STYLES,
    build_view_spec,
    label_style,
    render_html,
    write_html,
)
from linkgraph.views.aggregate import select
from linkgraph.views.draw import json_for_script
from linkgraph.views.layout import force_layout
from linkgraph.views.sample import inspection_graph

HOSTILE = "<img src=x onerror=alert(1)>"
BREAKOUT = "</script><script>window.__pwned=1</script><!--"
ROOT = Path(__file__).resolve().parents[1]


def small_graph() -> nx.MultiDiGraph:
    """某县 with two units, a hostile official, a tie and three problems."""
    G = nx.MultiDiGraph()
    G.add_node("Region:R1", label="Region", id="R1", name="某县")
    G.add_node("Unit:U1", label="Unit", id="U1", name="县教育局", sector="教育")
    G.add_node("Unit:U2", label="Unit", id="U2", name="县卫健委", sector="卫健")
    G.add_node("Person:P1", label="Person", id="P1", name=HOSTILE)
    G.add_node("Person:P2", label="Person", id="P2", name=BREAKOUT)
    for u in ("Unit:U1", "Unit:U2"):
        G.add_edge(u, "Region:R1", type="IN_REGION")
    G.add_edge("Person:P1", "Unit:U1", type="HOLDS_POST", title="局长")
    G.add_edge("Person:P2", "Unit:U2", type="HOLDS_POST", title="主任")
    G.add_edge("Person:P1", "Person:P2", type="TIE", relation="spouse")
    for i in range(3):
        G.add_node(f"Problem:Q{i}", label="Problem", id=f"Q{i}", category="违规发放津补贴",
                   description=f"描述{i} <b>加粗</b>")
        G.add_edge(f"Problem:Q{i}", "Unit:U1", type="FOUND_IN")
    return G


def unit_with_records(problems: int = 30) -> nx.MultiDiGraph:
    """One unit, ``problems`` problems, one measure per problem."""
    G = nx.MultiDiGraph()
    G.add_node("Unit:U", label="Unit", id="U", name="单位")
    for i in range(problems):
        G.add_node(f"Problem:Q{i:02d}", label="Problem", id=f"Q{i:02d}", category="c")
        G.add_edge(f"Problem:Q{i:02d}", "Unit:U", type="FOUND_IN")
        G.add_node(f"Measure:M{i:02d}", label="Measure", id=f"M{i:02d}", status="open")
        G.add_edge(f"Measure:M{i:02d}", f"Problem:Q{i:02d}", type="RECTIFIES")
    return G


# ---------------------------------------------------------------- styles

def test_every_label_has_its_own_colour_and_shape_pair():
    labels = ["Region", "Unit", "Person", "Round", "Team", "Problem", "Category", "Lead",
              "Department", "Measure", "AuditFinding", "Petition", "Sector",
              "Review", "Result", "Talk", "Visit", "SupervisionInfo", "SelfCheck"]
    assert sorted(LABEL_STYLES) == sorted(labels)
    colours = [label_style(lb).color for lb in labels]
    assert len(set(colours)) == 19
    assert len({(label_style(lb).color, label_style(lb).shape) for lb in labels}) == 19
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colours)


def test_unknown_label_gets_neutral_style():
    assert label_style("Alien").color == "#9e9e9e"


def test_spec_nodes_use_the_fixed_label_colour():
    spec = build_view_spec(small_graph(), list(small_graph()), title="t")
    for n in spec.nodes:
        assert n.color == label_style(n.label).color
        assert n.shape == label_style(n.label).shape
    legend = {e.key: e for e in spec.legend if e.kind == "node"}
    assert legend["Problem"].count == 3 and legend["Problem"].color == label_style("Problem").color


# ---------------------------------------------------------------- escaping

def test_spec_text_is_plain_and_tooltip_html_is_escaped():
    spec = build_view_spec(small_graph(), list(small_graph()), title="t")
    p1 = spec.node("Person:P1")
    assert ("名称", HOSTILE) in p1.tooltip
    assert "<img" not in p1.tooltip_html and "&lt;img src=x onerror=alert(1)&gt;" in p1.tooltip_html
    assert p1.text.startswith("<img")  # drawn on the canvas as text


def test_hostile_text_never_reaches_the_html_unescaped():
    G = small_graph()
    page = render_html(build_view_spec(G, list(G), title=f"标题 {HOSTILE}"))
    assert HOSTILE not in page
    assert "window.__pwned" not in page.replace("window.__pwned=1", "") or "\\u003c/script" in page
    assert "<title>标题 &lt;img src=x onerror=alert(1)&gt;</title>" in page
    assert "<b>加粗</b>" not in page


def test_json_for_script_cannot_break_out():
    data = {"name": BREAKOUT, "amp": "a & b", "sep": "\u2028\u2029", "k<": [HOSTILE]}
    text = json_for_script(data)
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == data


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts: list[tuple[dict, str]] = []
        self.attrs: list[tuple[str, str, str]] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        self.attrs += [(tag, k, v or "") for k, v in attrs]
        if tag == "script":
            self._open = dict(attrs)
            self.scripts.append((self._open, ""))

    def handle_data(self, data):
        if self._open is not None:
            attrs, body = self.scripts[-1]
            self.scripts[-1] = (attrs, body + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._open = None


def parse(page: str) -> _Scripts:
    p = _Scripts()
    p.feed(page)
    return p


def test_page_has_exactly_three_scripts_and_the_data_survives():
    G = small_graph()
    page = render_html(build_view_spec(G, list(G), title="t"))
    scripts = parse(page).scripts
    assert [a.get("type") for a, _ in scripts] == ["application/json", None, None]
    data = json.loads(scripts[0][1])
    assert data["meta"]["Person:P2"][2][2] == ["名称", BREAKOUT]
    assert any(n["label"].startswith("<img") for n in data["nodes"])


def test_csp_allows_only_the_inline_scripts_by_hash():
    G = small_graph()
    page = render_html(build_view_spec(G, list(G), title="t"))
    tree = parse(page)
    (csp,) = [v for t, k, v in tree.attrs if t == "meta" and k == "content" and "default-src" in v]
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("style-src")[0]
    for attrs, body in tree.scripts:
        if attrs.get("type") is None:
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in csp


# ---------------------------------------------------------------- self-contained

#: URLs inside vis-network's licence header and code: never fetched (comments,
#: an SVG namespace, an error-message link).  Checked in a browser too.
VIS_TEXT_URLS = {
    "http://almende.com", "http://opensource.org/licenses/MIT",
    "http://www.apache.org/licenses/LICENSE-2.0", "http://www.w3.org/2000/svg",
    "https://github.com/uuidjs/uuid#getrandomvalues-not-supported", "https://github.com/visjs",
    "https://github.com/zloirock/core-js", "https://github.com/zloirock/core-js/blob/v3.21.1/LICENSE",
    "https://visjs.github.io/vis-network/",
}
URL = re.compile(r"""(?:https?:)?//[A-Za-z0-9][\w.-]*\.[A-Za-z]{2,}[^\s"'<>)]*""")


def test_no_reference_a_browser_would_fetch():
    G = inspection_graph(4)
    page = render_html(build_view_spec(G, list(G), title="t"))
    tree = parse(page)
    fetchy = {"src", "href", "srcset", "action", "poster", "data", "background", "formaction"}
    assert [(t, k, v) for t, k, v in tree.attrs if k in fetchy] == []
    assert not re.search(r"@import|url\((?!\s*['\"]?data:)", page)
    vis_js = tree.scripts[1][1]
    assert set(URL.findall(vis_js)) <= VIS_TEXT_URLS
    rest = page.replace(vis_js, "")
    assert URL.findall(rest) == []
    assert "cdn" not in rest.lower() and "bootstrap" not in rest.lower()


def test_written_file_is_utf8_with_charset_and_same_bytes_everywhere(tmp_path):
    spec = build_view_spec(small_graph(), list(small_graph()), title="某县视图")
    path = tmp_path / "v.html"
    write_html(spec, path)
    raw = path.read_bytes()
    buf = io.BytesIO()
    write_html(spec, buf)
    sbuf = io.StringIO()
    write_html(spec, sbuf)
    assert buf.getvalue() == raw == sbuf.getvalue().encode("utf-8")
    assert raw.startswith(b"<!DOCTYPE html>") and b'<meta charset="utf-8">' in raw[:200]
    assert "某县视图".encode() in raw
    assert '"Noto Sans CJK SC"' in raw.decode()


# ---------------------------------------------------------------- caps

def test_cap_folds_measures_first_then_part_of_the_problems():
    G = unit_with_records(30)  # 61 nodes
    spec = build_view_spec(G, list(G), title="t", max_nodes=20)
    summaries = [n for n in spec.nodes if n.is_summary]
    assert len(spec.nodes) == 20 and spec.shown == 18 and spec.selected == 61
    assert sorted(n.text for n in summaries) == ["+13 个问题", "+30 个整改措施"]
    assert spec.notes[0] == "显示 18 / 61 个节点、17 条关系，其余已聚合"
    assert spec.notes[1] == "已将 43 个节点聚合为 2 个汇总节点"
    ids = {n.id for n in summaries}
    summary_edges = [e for e in spec.edges if e.summary]
    assert all(e.source in ids or e.target in ids for e in summary_edges)
    home = [(e.source, e.text) for e in summary_edges if e.target in ids]
    assert sorted(home) == [("Unit:U", "×30"), ("Unit:U", "发现于 ×13")]
    links = [e for e in summary_edges if e.source in ids]  # measures -> their drawn problems
    assert len(links) == 12 and all(e.text == "整改 ×1" for e in links)
    legend = {e.key: e for e in spec.legend if e.kind == "node"}
    assert (legend["Problem"].count, legend["Problem"].folded) == (17, 13)


def test_under_the_cap_nothing_is_folded():
    G = unit_with_records(5)
    spec = build_view_spec(G, list(G), title="t", max_nodes=20)
    assert spec.shown == 11 and not any(n.is_summary for n in spec.nodes)


def test_highlighted_nodes_and_edge_ends_are_never_folded():
    G = unit_with_records(30)
    spec = build_view_spec(G, list(G), title="t", max_nodes=20,
                           highlight_edges=[("Problem:Q29", "Measure:M29")],
                           highlight_nodes=["Problem:Q28"])
    ids = {n.id for n in spec.nodes}
    assert {"Problem:Q29", "Measure:M29", "Problem:Q28"} <= ids
    red = [e for e in spec.edges if e.highlight]
    assert [(e.source, e.target, e.color, e.width) for e in red] == [
        ("Measure:M29", "Problem:Q29", "#e41a1c", 3.0)]
    assert spec.node("Problem:Q28").highlight


def test_drop_step_when_folding_is_not_enough():
    G = nx.MultiDiGraph()  # a ring of 100 units: nothing to fold
    for i in range(100):
        G.add_node(f"Unit:{i:03d}", label="Unit", id=f"{i:03d}")
    for i in range(100):
        G.add_edge(f"Unit:{i:03d}", f"Unit:{(i + 1) % 100:03d}", type="PART_OF")
    spec = build_view_spec(G, list(G), title="t", max_nodes=30)
    assert len(spec.nodes) <= 30
    dropped = [n for n in spec.nodes if n.is_summary]
    assert len(dropped) == 1 and dropped[0].members + spec.shown == 100
    assert "超出上限未显示" in " ".join(spec.notes)


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=30, max_value=200), st.integers(min_value=20, max_value=120),
       st.integers(min_value=0, max_value=10**6))
def test_every_selected_node_is_drawn_or_counted_once(n, cap, seed):
    G = nx.gnm_random_graph(n, n, seed=seed, directed=True)
    labels = ["Unit", "Person", "Problem", "Measure", "Region"]
    keys = sorted(str(i) for i in G)
    nbrs = {str(u): {str(v) for v in nx.all_neighbors(G, u) if v != u} for u in G}
    sel = select(keys, nbrs, lambda k: labels[int(k) % 5], max_nodes=cap)
    counted = list(sel.visible) + [m for g in sel.groups for m in g.members]
    assert sorted(counted) == keys
    assert sel.drawn <= cap


def test_bad_arguments_are_errors():
    G = small_graph()
    with pytest.raises(ValueError, match="not in the graph"):
        build_view_spec(G, ["Unit:NOPE"], title="t")
    with pytest.raises(ValueError, match="lang"):
        build_view_spec(G, list(G), title="t", lang="fr")
    with pytest.raises(ValueError, match="at least 20"):
        build_view_spec(unit_with_records(30), list(unit_with_records(30)), title="t", max_nodes=5)


# ---------------------------------------------------------------- expansion data

def test_hidden_neighbours_are_embedded_up_to_the_limit():
    G = unit_with_records(30)
    spec = build_view_spec(G, ["Unit:U"], title="t", expand_limit=10)
    (x,) = [x for x in spec.expansions if x.node == "Unit:U"]
    assert len(x.nodes) == 10 and x.omitted == 20
    extra = {e.id: e for e in spec.extra_edges}
    assert all(extra[e].target == "Unit:U" for e in x.edges)


def test_summary_nodes_expand_into_their_members():
    G = unit_with_records(30)
    spec = build_view_spec(G, list(G), title="t", max_nodes=20)
    summary = next(n for n in spec.nodes if n.text == "+13 个问题")
    (x,) = [x for x in spec.expansions if x.node == summary.id]
    assert len(x.nodes) == 13 and x.omitted == 0
    assert all(n.startswith("Problem:") for n in x.nodes)


def test_embedding_budget_is_respected():
    G = inspection_graph(10)
    units = [n for n in G if n.startswith("Unit:")]
    spec = build_view_spec(G, units, title="t", max_embedded=50)
    assert len(spec.extra_nodes) == 50
    assert sum(len(x.nodes) for x in spec.expansions) >= 50


# ---------------------------------------------------------------- determinism

def test_same_input_and_seed_give_the_same_bytes_and_the_graph_is_untouched():
    G = inspection_graph(8, seed=3)
    before = copy.deepcopy((dict(G.nodes(data=True)), list(G.edges(keys=True, data=True))))
    a = render_html(build_view_spec(G, set(G), title="t", max_nodes=100, seed=7))
    b = render_html(build_view_spec(G, list(reversed(list(G))), title="t", max_nodes=100, seed=7))
    assert a == b
    assert (dict(G.nodes(data=True)), list(G.edges(keys=True, data=True))) == before
    c = render_html(build_view_spec(G, set(G), title="t", max_nodes=100, seed=8))
    assert c != a


_RENDER = """
import hashlib, sys
from linkgraph.views import build_view_spec, render_html
from linkgraph.views.sample import inspection_graph
G = inspection_graph(6, seed=1)
page = render_html(build_view_spec(G, set(G), title="t", max_nodes=80, seed=5))
sys.stdout.write(hashlib.sha256(page.encode()).hexdigest())
"""


def test_bytes_do_not_depend_on_the_hash_seed():
    digests = set()
    for hashseed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hashseed}
        out = subprocess.run([sys.executable, "-c", _RENDER], cwd=ROOT, env=env,
                             capture_output=True, text=True, check=True)
        digests.add(out.stdout)
    assert len(digests) == 1


def test_layout_is_deterministic_for_a_seed():
    edges = [(i, (i * 7) % 50) for i in range(50)]
    assert force_layout(50, edges, seed=1) == force_layout(50, edges, seed=1)
    assert force_layout(50, edges, seed=1) != force_layout(50, edges, seed=2)


def test_views_ship_positions_and_settle_in_the_browser_only_on_request():
    G = inspection_graph(20)
    big = build_view_spec(G, list(G), title="t")
    small = build_view_spec(small_graph(), list(small_graph()), title="t")
    assert not big.physics and not small.physics    # label-aware positions stay as laid out
    asked = build_view_spec(small_graph(), list(small_graph()), title="t", physics_limit=300)
    assert asked.physics
    assert all(isinstance(n.x, int) and isinstance(n.y, int) for n in big.nodes + small.nodes)


# ---------------------------------------------------------------- language, edges

def test_english_labels_and_notes():
    G = small_graph()
    spec = build_view_spec(G, list(G), title="t", lang="en")
    p1 = spec.node("Person:P1")
    assert p1.tooltip[0] == ("Type", "Person") and ("Name", HOSTILE) in p1.tooltip   # field names in English too
    assert spec.notes[0].startswith("Showing 8 / 8 nodes")
    assert {e.text for e in spec.legend if e.kind == "node"} >= {"Unit", "Person", "Problem"}
    assert '<html lang="en">' in render_html(spec)


def test_parallel_edges_are_curved_and_ties_dashed():
    G = small_graph()
    G.add_edge("Person:P1", "Person:P2", type="TIE", relation="classmate")
    spec = build_view_spec(G, list(G), title="t")
    ties = [e for e in spec.edges if e.type == "TIE"]
    assert len(ties) == 2 and all(e.dashed for e in ties)
    assert sorted(e.curve != 0 for e in ties) == [False, True]
    assert {e.text for e in ties} == {"配偶", "同学"}


def test_a_spouse_tie_reads_the_same_in_every_output():
    """One display name per relation (the catalogue): the view's edge, its
    tooltip, the conflict explanation and the portrait all say 配偶."""
    from linkgraph.analysis.conflicts.rules import conflict_rules
    from linkgraph.rules import load_rules
    from linkgraph.views.text import edge_label_text, edge_rows

    assert edge_label_text("TIE", {"relation": "spouse"}, "zh") == "配偶"
    assert ("关系", "配偶") in edge_rows("TIE", {"relation": "spouse"}, "a", "b", "zh")
    assert conflict_rules(load_rules()).zh("spouse") == "配偶"
    assert edge_label_text("TIE", {"relation": "spouse"}, "en") == "spouse"
    rows = edge_rows("TIE", {"relation": "spouse"}, "a", "b", "en")
    assert not any("TIE" in str(v) for _, v in rows)   # no internal code in a tooltip


def test_page_script_never_parses_data_as_html():
    js = (ROOT / "linkgraph" / "views" / "static" / "view.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                 "new Function", "setTimeout(\"", "srcdoc"):
        assert sink not in js, sink
    assert "textContent" in js


def test_tooltips_name_coded_values_and_the_ids_of_other_nodes():
    """L3941 talk, done, leader, R0011: what the issue saw in tooltips; now
    the catalogue's words and the name beside the id, in either language."""
    import networkx as nx

    G = nx.MultiDiGraph()
    G.add_node("Region:R11", label="Region", id="R11", name="金堂县")
    G.add_node("Unit:U1", label="Unit", id="U1", name="金堂县教育局", region_id="R11")
    G.add_node("Lead:L1", label="Lead", id="L1", disposition="talk", unit_id="U1")
    G.add_node("Round:X1", label="Round", id="X1", name="第一轮", kind="village")
    G.add_edge("Lead:L1", "Unit:U1", type="CONCERNS")
    zh = build_view_spec(G, list(G), title="t")
    lead = zh.node("Lead:L1")
    assert lead.text == "L1 谈话函询"
    assert ("处置方式", "谈话函询") in lead.tooltip and ("单位", "金堂县教育局（U1）") in lead.tooltip
    assert ("所属区域", "金堂县（R11）") in zh.node("Unit:U1").tooltip
    assert ("类型", "对村巡察") in zh.node("Round:X1").tooltip
    en = build_view_spec(G, list(G), title="t", lang="en")
    assert ("Disposition", "talk or written inquiry") in en.node("Lead:L1").tooltip
    assert ("Kind", "village inspection") in en.node("Round:X1").tooltip
