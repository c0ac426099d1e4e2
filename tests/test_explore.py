"""The explorer's index, search, expansion, filters and paths, by hand on
tests/data/tiny and a small built ledger, and against brute force on a
generated county."""
from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import networkx as nx
import pytest

from linkgraph.dataset import load_dataset
from linkgraph.explore.expand import PAGE, Filters, expand, subgraph
from linkgraph.explore.state import Explorer
from tests.conftest import write_tables

TINY = Path(__file__).parent / "data" / "tiny"


def day(text: str) -> int:
    return (dt.date.fromisoformat(text) - dt.date(1970, 1, 1)).days


@pytest.fixture(scope="module")
def tiny() -> Explorer:
    return Explorer(load_dataset(TINY).tables)


@pytest.fixture(scope="module")
def crowded(tmp_path_factory) -> Explorer:
    """U1 with 30 problems (甲 14, 乙 10, 丙 6; one a day from 2023-01-01)
    and 45 officials; U2 with 3 problems."""
    folder = tmp_path_factory.mktemp("crowded")
    cats = ["甲类问题"] * 14 + ["乙类问题"] * 10 + ["丙类问题"] * 6
    problems = ["problem_id,unit_id,category,found_date"]
    start = dt.date(2023, 1, 1)
    for i, cat in enumerate(cats):
        problems.append(f"Q{i:02d},U1,{cat},{start + dt.timedelta(days=i)}")
    problems += ["Q90,U2,甲类问题,2024-01-01", "Q91,U2,甲类问题,2024-01-02",
                 "Q92,U2,乙类问题,2024-01-03"]
    people = ["person_id,name,birth_year"] + [f"P{i:02d},官员{i:02d},{1960 + i % 30}"
                                              for i in range(45)]
    posts = ["person_id,unit_id,title,start,end"]
    posts += [f"P{i:02d},U1,科员,2010-01-01,{'2015-12-31' if i < 5 else ''}" for i in range(45)]
    write_tables(folder, {
        "units.csv": "unit_id,name\nU1,某县财政局\nU2,某县审计局\n",
        "people.csv": "\n".join(people) + "\n",
        "posts.csv": "\n".join(posts) + "\n",
        "problems.csv": "\n".join(problems) + "\n",
    })
    return Explorer(load_dataset(folder).tables)


# -- the index ------------------------------------------------------------------

def test_index_holds_every_node_and_relationship_of_the_graph(tiny):
    from linkgraph.graph import build_graph

    G = build_graph(tiny.tables)
    assert tiny.complete.wait(60) and tiny.derive_error is None
    ix = tiny.index
    assert sorted(ix.keys.tolist()) == sorted(G.nodes)
    assert ix.n_edges == G.number_of_edges()
    got = sorted((ix.keys[s], ix.keys[d]) for s, d in zip(ix.src, ix.dst))
    assert got == sorted((u, v) for u, v in G.edges())
    # CSR: every node's neighbours are exactly its graph neighbours, both ways
    for key in G.nodes:
        nbr, _ = ix.neighbours(ix.code(key))
        want = sorted([v for _, v in G.out_edges(key)] + [u for u, _ in G.in_edges(key)])
        assert sorted(ix.keys[nbr].tolist()) == want


def test_node_codes_found_by_key_and_near_misses_not_found(tiny):
    ix = tiny.index
    assert [ix.code(k) for k in ix.keys] == list(range(ix.n_nodes))
    category = next(k for k in ix.keys if k.startswith("Category:"))     # a Chinese id
    assert not category.isascii() and ix.keys[ix.code(category)] == category
    # a prefix of an id, an id with more after it, longer than every id, another label's id
    misses = ["Unit:U", "Unit:U11", "Unit:U1" + "x" * 80, "Person:U1", "Nope:U1",
              category[:-1], category + "类", "Unit:", "U1"]
    assert [ix.code(k) for k in misses] == [-1] * len(misses)
    assert ix.codes(misses + ["Unit:U2"]).tolist() == [-1] * len(misses) + [ix.code("Unit:U2")]


def test_index_of_an_empty_optional_table_and_units_only(tmp_path):
    folder = write_tables(tmp_path / "units", {"units.csv": "unit_id,name\nU1,某局\n"})
    ex = Explorer(load_dataset(folder).tables)
    assert ex.index.n_nodes == 1 and ex.index.n_edges == 0
    assert ex.search("某局")["total"] == 1
    alone = expand(ex.index, "Unit:U1")
    assert (alone["nodes"], alone["edges"], alone["aggregates"]) == ([], [], [])
    assert alone["node"]["text"] == "某局"
    assert ex.path("Unit:U1", "Unit:U1")["hops"] == 0
    assert ex.path("Unit:U1", "Unit:U9")["missing"] == ["Unit:U9"]


# -- search ----------------------------------------------------------------------

def test_two_people_of_one_name_are_two_results_told_apart(tiny):
    found = tiny.search("王伟")
    assert found["total"] == 2
    by_key = {r["key"]: r for r in found["results"]}
    assert by_key["Person:P3"]["context"][:3] == ["1980", "金堂县教育局局长", "金堂县"]
    assert by_key["Person:P4"]["context"][:3] == ["1982", "新津区教育局局长", "新津区"]
    assert "巡察组 新津区交叉巡察组" in by_key["Person:P3"]["context"]


def test_search_by_id_initials_and_part_of_a_name(tiny):
    assert [r["key"] for r in tiny.search("P3")["results"]][:1] == ["Person:P3"]
    # ww = 王伟 ×2 first (exact initials), then nothing else has initials ww
    assert [r["key"] for r in tiny.search("ww")["results"]] == ["Person:P3", "Person:P4"]
    # 教育局: two units and no department of that name in tiny; units before departments
    keys = [r["key"] for r in tiny.search("教育局")["results"]]
    assert keys[:2] == ["Unit:U1", "Unit:U4"]
    assert tiny.search("  ")["total"] == 0
    assert tiny.search("不存在的名字")["total"] == 0


def test_search_agrees_with_a_scan_of_every_name(crowded):
    ex = crowded
    names = {k: str(ex.index.attrs(c).get("name", "")) for c, k in enumerate(ex.index.keys)}
    for q in ("官员1", "官员0", "财政", "某县", "官员44"):
        want = {k for k, n in names.items() if q in n}
        got = {r["key"] for r in ex.search(q, limit=1000)["results"]}
        assert got == want, q


# -- expansion ---------------------------------------------------------------------

def test_large_neighbourhoods_arrive_as_aggregates_that_split_by_category(crowded):
    ix = crowded.index
    first = expand(ix, "Unit:U1")
    assert first["nodes"] == []
    texts = sorted(a["text"] for a in first["aggregates"])
    assert texts == ["+30 个问题 · 按类别", "+45 个人员"]
    split = expand(ix, "Unit:U1", label="Problem", split=True)
    groups = {a["group"]: a["count"] for a in split["aggregates"]}
    assert groups == {"甲类问题": 14, "乙类问题": 10, "丙类问题": 6}
    one = expand(ix, "Unit:U1", label="Problem", group="丙类问题")
    assert sorted(n["key"] for n in one["nodes"]) == [f"Problem:Q{i}" for i in range(24, 30)]
    assert one["aggregates"] == []


def test_aggregates_open_page_by_page_until_nothing_is_left(crowded):
    ix = crowded.index
    seen: list[str] = []
    offset, pages = 0, 0
    while True:
        page = expand(ix, "Unit:U1", label="Person", offset=offset)
        seen += [n["key"] for n in page["nodes"]]
        pages += 1
        if not page["aggregates"]:
            break
        (rest,) = page["aggregates"]
        assert rest["count"] == 45 - len(seen)
        offset = rest["offset"]
    assert pages == 3 and len(seen) == 45 == len(set(seen))
    assert len(seen[:PAGE]) == PAGE
    assert all(e["type"] == "HOLDS_POST" for e in page["edges"])


def test_date_filter_keeps_dated_records_in_range_and_posts_that_overlap(crowded):
    ix = crowded.index
    f = Filters(date_from=day("2023-01-05"), date_to=day("2023-01-14"))
    split = expand(ix, "Unit:U1", f, label="Problem", split=True)
    # days 4..13 are Q04..Q13, all 甲类问题 (Q00..Q13): one category, so one page
    assert split["aggregates"] == []
    assert sorted(n["key"] for n in split["nodes"]) == [f"Problem:Q{i:02d}" for i in range(4, 14)]
    # posts ending 2015-12-31 (P00..P04) do not overlap 2023
    people = expand(ix, "Unit:U1", f, label="Person")
    assert people["aggregates"][0]["count"] == 40 - PAGE
    late = Filters(date_from=day("2024-01-02"))
    assert sorted(n["key"] for n in expand(ix, "Unit:U2", late)["nodes"]) == [
        "Problem:Q91", "Problem:Q92"]


def test_label_and_round_filters(tiny):
    ix = tiny.index
    only_people = Filters(labels=frozenset({"Person"}))
    assert {n["label"] for n in expand(ix, "Unit:U1", only_people)["nodes"]} == {"Person"}
    rounds = tiny.tables["rounds"]["round_id"].tolist()
    x2 = Filters(rounds=frozenset({rounds.index("X2")}))
    keys = {n["key"] for n in expand(ix, "Round:X1", x2)["nodes"]}
    assert "Team:T1" not in keys and "Region:C1" in keys   # T1 is of X1; a region has no round
    teams_x1 = {n["key"] for n in expand(ix, "Round:X1")["nodes"] if n["label"] == "Team"}
    assert teams_x1 == {"Team:T1"}


def test_subgraph_has_every_edge_among_the_nodes(tiny):
    got = subgraph(tiny.index, ["Person:P1", "Person:P2", "Unit:U3", "Nope:1"])
    assert [n["key"] for n in got["nodes"]] == ["Unit:U3", "Person:P1", "Person:P2"]
    assert sorted((e["source"], e["target"], e["type"]) for e in got["edges"]) == [
        ("Person:P2", "Person:P1", "TIE"), ("Person:P2", "Unit:U3", "HOLDS_POST")]
    tie = next(e for e in got["edges"] if e["type"] == "TIE")
    assert tie["text"] == "配偶"


# -- paths -------------------------------------------------------------------------

def test_path_from_an_inspector_to_a_unit_by_hand_and_as_conflicts_rules_it(tiny):
    # 陈明 (T2, X2) is the spouse of 何娟, 副局长 of 新津区住建局 (U3), which T2 inspects
    found = tiny.path("Person:P1", "Unit:U3")
    assert found["hops"] == 2
    (path,) = found["paths"]
    assert [n["key"] for n in path["nodes"]] == ["Person:P1", "Person:P2", "Unit:U3"]
    assert [e["level"] for e in path["edges"]] == ["hard", None]
    assert path["level"] == "hard"
    assert path["steps"][0] == "陈明 与 何娟：配偶〔回避〕"
    assert path["steps"][1].startswith("何娟 在 新津区住房和城乡建设局 任副局长")
    from linkgraph.analysis.conflicts import find_conflicts

    want = [(c.level, c.relation) for c in find_conflicts(tiny.tables, "X2", candidates=True)
            if c.person_id == "P1" and c.unit_id == "U3"]
    assert [(c["level"], "spouse") for c in found["conflicts"]] == want == [("hard", "spouse")]


def test_classmate_path_is_soft_and_two_people_need_no_unit(tiny):
    found = tiny.path("Person:P3", "Unit:U2")     # 王伟 — 同学 — 李强, 校长 of U2 until 2022
    (path,) = found["paths"]
    assert [n["key"] for n in path["nodes"]] == ["Person:P3", "Person:P5", "Unit:U2"]
    assert path["edges"][0]["level"] == "soft" and path["level"] == "soft"
    people = tiny.path("Person:P3", "Person:P5")
    assert people["hops"] == 1 and people["conflicts"] == []
    assert tiny.path("Person:P1", "Person:P4", k=6)["found"] is False   # no tie, no shared unit


@pytest.fixture(scope="module")
def county(generated) -> Explorer:
    return Explorer(load_dataset(generated("county", 5)).tables)   # the session's county


def test_shortest_paths_agree_with_networkx_on_a_county(county):
    ix = county.index
    G = nx.MultiGraph()
    G.add_nodes_from(range(ix.n_nodes))
    for s, d, t in zip(ix.src.tolist(), ix.dst.tolist(), ix.etype.tolist()):
        from linkgraph.model import REL_TYPES

        if REL_TYPES[t] in ("TIE", "HOLDS_POST"):
            G.add_edge(s, d)
    people = [c for c in range(ix.n_nodes) if ix.label_of(c) == "Person" and G.degree(c)]
    units = [c for c in range(ix.n_nodes) if ix.label_of(c) == "Unit" and G.degree(c)]
    rng = random.Random(7)
    checked = 0
    for trial in range(60):
        a = rng.choice(people)
        if trial % 3:      # a random walk's end: near, so most of these have a path
            b = a
            for _ in range(rng.randint(1, 6)):
                b = rng.choice(sorted(G[b]))
        else:
            b = rng.choice(people + units)
        try:
            want = nx.shortest_path_length(G, a, b)
        except nx.NetworkXNoPath:
            want = None
        got = county.path(str(ix.keys[a]), str(ix.keys[b]), k=6)
        if want is None or want > 6:
            assert not got["found"]
            continue
        checked += 1
        assert got["hops"] == want
        all_paths = {tuple(p) for p in nx.all_shortest_paths(G, a, b)}
        for p in got["paths"]:
            codes = tuple(ix.code(n["key"]) for n in p["nodes"])
            assert codes in all_paths
        assert len(got["paths"]) == min(len(all_paths), 10)
    assert checked >= 30


def test_a_node_offers_its_conflicts_and_portrait(tiny):
    from linkgraph.analysis.conflicts import find_conflicts

    got = tiny.node_conflicts("Person:P1")
    want = [c for c in find_conflicts(tiny.tables, "X2", candidates=True) if c.person_id == "P1"]
    assert got["total"] == len(want) > 0
    assert got["conflicts"][0]["level"] == "hard"
    unit = tiny.node_conflicts("Unit:U3")
    assert {c["person"] for c in unit["conflicts"]} >= {"陈明"}
    assert tiny.node_conflicts("Region:R1")["total"] == 0
    p3 = tiny.portrait("Person:P3")
    figures = dict(p3["figures"])
    assert figures["任职"] == 1 and "Unit:U1" in p3["keys"] and "Person:P5" in p3["keys"]
    assert tiny.portrait("Unit:U1") is None


def test_corroborations_arrive_after_start_up_without_changing_codes(tiny):
    from linkgraph.explore.index import build_index

    assert tiny.complete.wait(60)
    early = build_index(tiny.tables, corroborate=False)
    assert early.n_edges == tiny.index.n_edges - 1          # tiny: A1 corroborates Q2
    assert (early.keys == tiny.index.keys).all()
    linked = {n["key"] for n in expand(tiny.index, "AuditFinding:A1")["nodes"]}
    assert "Problem:Q2" in linked
    assert "Problem:Q2" not in {n["key"] for n in expand(early, "AuditFinding:A1")["nodes"]}


def test_an_empty_optional_table(tmp_path):
    import shutil

    folder = tmp_path / "no-ties"
    shutil.copytree(TINY, folder)
    (folder / "ties.csv").write_text("person_a,person_b,relation\n", "utf-8")
    ex = Explorer(load_dataset(folder).tables)
    assert ex.complete.wait(60)
    assert ex.search("王伟")["total"] == 2
    # without the classmate tie 王伟 (P3) and 李强 (P5) share no tie and no unit
    assert ex.path("Person:P3", "Person:P5", k=6)["found"] is False
    assert ex.path("Person:P1", "Unit:U3")["found"] is False        # the spouse tie is gone


def test_pinyin_initials_are_those_of_pypinyin_for_every_han_character():
    """Search reads pypinyin's character table without importing pypinyin (whose import
    costs seconds of a start-up); every Han character it knows gets the initial that
    ``lazy_pinyin(ch, style=FIRST_LETTER)`` gives, and an unknown one none."""
    from pypinyin import Style, lazy_pinyin

    from linkgraph.explore.search import _initial, _readings

    checked = 0
    for cp in map(int, _readings()):
        ch = chr(cp)
        if not ("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"):
            continue
        letters = lazy_pinyin(ch, style=Style.FIRST_LETTER, errors="ignore")
        want = ord(letters[0][0].lower()) if letters and letters[0] else 0
        assert _initial(cp) == want, ch
        checked += 1
    assert checked > 20_000
    assert _initial(ord("Z")) == ord("Z") and _initial(ord("·")) == 0
    unknown = next(cp for cp in range(0x3400, 0x4DBF) if str(cp) not in _readings())
    assert _initial(unknown) == 0
