"""The report leads into `linkgraph explore`: it says how to start the explorer on its
data, and, written with ``--explorer URL``, the names in its tables link to that node.

The link's click in a real browser (the explorer opening that node): test_explore_browser.py.
"""
from __future__ import annotations

import datetime as dt
import re
from html import unescape
from pathlib import Path
from urllib.parse import unquote

import pytest

from linkgraph.dataset import load_dataset
from linkgraph.errors import LinkgraphError
from linkgraph.report import ReportOptions, build_report
from linkgraph.report.explorer import explorer_address
from linkgraph.report.render import render_html

TINY = Path(__file__).parent / "data" / "tiny"
AS_OF = dt.date(2025, 1, 1)
ADDRESS = "http://127.0.0.1:8800/"
LINK = re.compile(r'<a class="explore" href="([^"]*)">([^<]*)</a>')


@pytest.fixture(scope="module")
def tiny():
    return load_dataset(TINY).tables


@pytest.fixture(scope="module")
def report(tiny):
    return build_report(tiny, ReportOptions(as_of=AS_OF, round_id="X2", views=False))


def _links(page: str) -> list[tuple[str, str]]:
    return [(unescape(h), unescape(text)) for h, text in LINK.findall(page)]


def test_names_link_to_their_node_in_the_explorer(report, tiny):
    page = render_html(report, None, explorer=ADDRESS, data="tests/data/tiny")
    links = _links(page)
    assert links
    names = {"Person": dict(zip(tiny["people"]["person_id"], tiny["people"]["name"])),
             "Unit": dict(zip(tiny["units"]["unit_id"], tiny["units"]["name"])),
             "Team": dict(zip(tiny["teams"]["team_id"], tiny["teams"]["name"])),
             "Region": dict(zip(tiny["regions"]["region_id"], tiny["regions"]["name"])),
             "Department": dict(zip(tiny["departments"]["dept_id"], tiny["departments"]["name"]))}
    for href, text in links:
        assert href.startswith(ADDRESS + "#k=")
        label, _, ident = unquote(href.partition("#k=")[2]).partition(":")
        # each link names the entity it opens: the text is that node's name in the ledger
        assert names[label][ident] == text, (href, text)
    # round X2's hard conflict (tests/data/tiny: 陈明 P1 of 青白江区交叉巡察组 T2, whose spouse
    # 何娟 works in 新津区住房和城乡建设局 U3) names all three as links
    assert (ADDRESS + "#k=Person%3AP1", "陈明") in links
    assert (ADDRESS + "#k=Unit%3AU3", "新津区住房和城乡建设局") in links
    assert (ADDRESS + "#k=Team%3AT2", "青白江区交叉巡察组") in links
    assert "linkgraph explore tests/data/tiny --port 8800" in page


def test_without_an_address_the_page_says_how_to_start_the_explorer(report):
    page = render_html(report, None, data="tests/data/tiny")
    assert _links(page) == [] and "#k=" not in page
    assert "交互探索：运行 linkgraph explore tests/data/tiny" in page
    english = build_report(load_dataset(TINY).tables,
                           ReportOptions(as_of=AS_OF, round_id="X2", views=False, lang="en"))
    page = render_html(english, None, data="my ledgers", explorer="http://10.0.0.5:8800/")
    assert ("start it first with linkgraph explore 'my ledgers' --port 8800 --host 10.0.0.5"
            in unescape(page))
    assert ("http://10.0.0.5:8800/#k=Person%3AP1", "陈明") in _links(page)


def test_a_neo4j_address_loses_its_password_in_the_sentence(report):
    page = render_html(report, None, data="neo4j://neo4j:s3cret@db.local:7687")
    assert "s3cret" not in page and "linkgraph explore neo4j://db.local:7687" in page


@pytest.mark.parametrize("bad", ["127.0.0.1:8800", "ftp://127.0.0.1/", "http://127.0.0.1:8800/x",
                                 "http://127.0.0.1:99999/", "http:///", "javascript:alert(1)"])
def test_a_bad_explorer_address_is_refused(bad):
    with pytest.raises(LinkgraphError, match="http://"):
        explorer_address(bad)


def test_an_explorer_address_gets_one_slash():
    assert explorer_address(" http://127.0.0.1:8800 ") == ADDRESS
    assert explorer_address("https://explore.intra:443/") == "https://explore.intra:443/"


def test_cli_report_with_the_explorers_address(invoke, tmp_path):
    out = tmp_path / "rep"
    r = invoke("report", TINY, "--out", out, "--as-of", "2025-01-01", "--round", "X2",
               "--no-views", "--explorer", "http://127.0.0.1:8800")
    assert r.exit_code == 0, r.output
    page = (out / "index.html").read_text("utf-8")
    assert ("http://127.0.0.1:8800/#k=Person%3AP1", "陈明") in _links(page)
    r = invoke("report", TINY, "--out", tmp_path / "bad", "--no-views", "--explorer", "8800")
    assert r.exit_code == 2 and "--explorer" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "bad").exists()



def test_a_pseudonymised_report_is_refused_links_into_the_explorer(tmp_path, invoke):
    # a pseudonymised report is for sharing; its links could only lead into an explorer
    # on the real data, so the two options together are refused before anything is written
    out = tmp_path / "report"
    result = invoke("report", TINY, "--out", out, "--no-views", "--pseudonymize",
                    "--explorer", ADDRESS)
    assert result.exit_code != 0
    assert "--pseudonymize" in result.output and "--explorer" in result.output
    assert "Traceback" not in result.output
    assert not (out / "index.html").exists()
