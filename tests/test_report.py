"""The report's content (figures by hand on tests/data/tiny), its HTML (escaped,
no script, no external host), its workbook (one sheet per analysis,
neutralised cells, provenance) and `linkgraph report`.

The pages in a real browser: test_report_browser.py.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from linkgraph.dataset import load_dataset
from linkgraph.report import ReportOptions, build_report
from linkgraph.report.model import Bar, Chart
from linkgraph.report.options import default_round
from linkgraph.report.render import render_html, xlsx_sheets
from linkgraph.report.sections.common import view_link
from linkgraph.report.sections.rotation import plan_section
from linkgraph.report.svg import bar_chart
from tests.hostile_ledger import BREAKOUT, FORMULA, HOSTILE, hostile_ledger
from tests.tiny_plan import PLAN

TINY = Path(__file__).parent / "data" / "tiny"
AS_OF = dt.date(2025, 1, 1)
@pytest.fixture(scope="module")
def tiny():
    return load_dataset(TINY).tables


@pytest.fixture(scope="module")
def report(tiny):
    return build_report(tiny, ReportOptions(as_of=AS_OF, round_id="X2"))


def figures(rep) -> dict[str, tuple[str, str]]:
    return {f.key: (f.value, f.detail) for f in rep.figures}


def test_key_figures_by_hand(report):
    f = figures(report)
    # rounds X1, X2 started by 2025-01-01; assigned U1, U3, U2 -> 3 of 4 units
    assert f["units_inspected"] == ("3", "共 4 个单位，占 75.00%")
    assert f["problems"] == ("4", "3 个单位")  # Q1 Q2 in U1, Q3 in U3, Q4 in U2
    # L1 closed in time; L2 received late (14 days) and still open after its due date
    assert f["leads"] == ("2", "办结 1（50.00%），超期 1")
    # Q1: M1 done; Q2: M2 open -> not; Q3: M3 ongoing -> done; Q4: no measure, not 立行立改
    assert f["rectification"][0] == "50.00%"
    assert f["rectification"][1].startswith("2/4 个问题，超期措施 1 项")
    assert f["clusters"][0] == "0"
    assert f["audit_only"] == ("0", "尚未巡察而有审计发现的单位 1 个")  # A2 in U4, never inspected
    assert f["conflicts"] == ("1 / 1", "轮次 X2")


def test_sections_in_order_with_tables(report):
    keys = [s.key for s in report.sections]
    assert keys == ["clusters", "conflicts", "rotation", "roster", "leads", "audit", "rectification",
                    "results", "warnings", "priorities"]
    by = {s.key: s for s in report.sections}
    conflicts = by["conflicts"].tables[0].rows
    assert {(r["person_id"], r["unit_id"], r["level"]) for r in conflicts} == {
        ("P1", "U3", "hard"), ("P3", "U2", "soft")}
    leads = by["leads"].tables[0].rows
    assert [r["dept_id"] for r in leads] == ["合计", "D1"]  # the total first
    assert leads[0]["dept_name"] == "合计（1个部门）" and leads[1]["overdue"] == 1
    red = by["audit"].tables[1].rows
    assert [r["unit_id"] for r in red] == ["U4"]
    prio = by["priorities"].tables[0].rows
    assert prio[0]["unit_id"] == "U4" and "从未被巡察" in prio[0]["reasons"]
    assert [r["unit_id"] for r in prio] == ["U4", "U1"]
    assert "近 12 个月内已巡察的 2 个单位未列入" in by["priorities"].paragraphs[0]
    rect = by["rectification"].tables[0].rows
    assert [(r["round_id"], r["problems"], r["rectified"]) for r in rect] == [
        ("X1", 2, 1), ("X2", 2, 1), ("合计", 4, 2)]
    # the 成果 paragraph counts the same four problems
    assert "共发现问题4个" in by["results"].paragraphs[0]


def test_rotation_section_says_why_there_is_no_plan(report, tiny):
    rot = next(s for s in report.sections if s.key == "rotation")
    assert not rot.tables and not rot.links
    # the planner's own reason: T2 can go nowhere
    assert rot.note.startswith("轮次 X2 排不出轮换方案：") and "T2" in rot.note
    none = build_report(tiny, ReportOptions(as_of=AS_OF, views=False))
    rot = next(s for s in none.sections if s.key == "rotation")
    assert "--round" in rot.note


def test_rotation_with_the_real_planner_on_a_generated_county(tmp_path, generated):
    """Integration with linkgraph.rotation: section, workbook sheet and ring view."""
    pytest.importorskip("linkgraph.rotation")
    from linkgraph.report.options import demo_round
    from linkgraph.session import Session
    from linkgraph.views.focus import view_request
    tables = load_dataset(generated("county", 3)).tables   # as of 2026-06-30, the default
    round_id = demo_round(tables, dt.date(2026, 6, 30))
    teams = tables["teams"][tables["teams"]["round_id"] == round_id]
    rep = build_report(tables, ReportOptions(as_of=dt.date(2026, 6, 30), round_id=round_id))
    rot = next(s for s in rep.sections if s.key == "rotation")
    pairs = rot.tables[0].rows
    assert sorted(r["team_id"] for r in pairs) == sorted(teams["team_id"])
    assert all(r["from_region_id"] != r["to_region_id"] and r["reason"] for r in pairs)
    assert rot.links[0].href == f"rotation-{round_id}.html"
    assert "rotation" in xlsx_sheets(rep)
    req = view_request(Session(tables), "rotation", round_id=round_id)
    regions = {n for n in req.nodes if n.startswith("Region:")}
    assert regions == {f"Region:{r['to_region_id']}" for r in pairs}
    assert len([n for n in req.nodes if n.startswith("Team:")]) == len(teams)


def test_rotation_section_from_a_plan_record(tiny):
    s = plan_section(tiny, PLAN, "X2", "zh")
    rows = s.tables[0].rows
    assert [(r["team_name"], r["from_region"], r["to_region"], r["units"]) for r in rows] == [
        ("青白江区交叉巡察组", "金堂县", "新津区", 1), ("新津区交叉巡察组", "新津区", "金堂县", 1)]
    assert "已证明最优" in s.paragraphs[0]
    assert s.links[0].href == "rotation-X2.html" and s.links[0].focus == "rotation"


def test_views_listed_for_the_links(report):
    hrefs = [v.href for v in report.views]
    assert hrefs[0] == "overview.html"
    assert "conflicts-X2.html" in hrefs
    # the priorities: U4 and U1; U2 and U3 were inspected in X2 (2024-04-01),
    # less than 12 months before 2025-01-01, so they are left out
    assert {"unit-U4.html", "unit-U1.html"} <= set(hrefs)
    assert "unit-U3.html" not in hrefs and "unit-U2.html" not in hrefs
    assert "portrait-P4.html" in hrefs  # top leader of the first-ranked unit
    assert view_link("x", "unit", "U/1 <b>").href == "unit-U_1__b_.html"
    assert view_link("x", "unit", "U/1 <b>").focus == "unit:U/1 <b>"


def test_default_round_is_the_latest_started_with_teams(tiny):
    assert default_round(tiny, AS_OF) == "X2"
    assert default_round(tiny, dt.date(2023, 12, 31)) == "X1"
    assert default_round(tiny, dt.date(2020, 1, 1)) is None


def test_bar_chart_scales_and_escapes():
    svg = bar_chart(Chart("t", (Bar(HOSTILE, 10, "10"), Bar("一半", 5, "5"))))
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([0-9.]+)"', svg)]
    assert widths == [410.0, 205.0]
    assert HOSTILE not in svg and "&lt;img src=x" in svg
    rate = bar_chart(Chart("t", (Bar("a", 0.5, "50%"),), max_value=1.0))
    assert 'width="205.0"' in rate
    assert bar_chart(Chart("t", ())) == ""


def test_html_is_escaped_and_local_and_runs_only_its_sorting_script(tmp_path):
    import base64
    import hashlib

    tables = load_dataset(hostile_ledger(tmp_path / "data")).tables
    rep = build_report(tables, ReportOptions(as_of=AS_OF, round_id="X2"))
    page = render_html(rep)
    assert HOSTILE not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert BREAKOUT not in page and page.lower().count("<script") == 1
    script = re.search(r"<script>(.*?)</script>", page, re.S).group(1)
    assert "sort" in script and "http" not in script
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}';" in page   # that script, nothing else
    assert "default-src 'none'" in page
    # nothing that loads from a URL (the hostile round name's URL is text, escaped)
    assert re.findall(r"(?:src|href|action|xlink:href)\s*=\s*[\"']?\s*(?:https?:|//)", page) == []
    assert "url(" not in page and "@import" not in page
    assert [h for h in re.findall(r'href="([^"#][^"]*)"', page) if h != "report.xlsx"] == [
        v.href for v in rep.views if v.href in page]


def test_english_report(tiny):
    rep = build_report(tiny, ReportOptions(as_of=AS_OF, round_id="X2", lang="en"))
    assert rep.title.startswith("Inspection linkage report")
    page = render_html(rep)
    assert '<html lang="en">' in page and "Key figures" in page and "关键数字" not in page


def test_xlsx_sheets_every_analysis_and_neutralises(tmp_path):
    from python_calamine import CalamineWorkbook

    from linkgraph.report.render import write_xlsx

    tables = load_dataset(hostile_ledger(tmp_path / "data")).tables
    rep = build_report(tables, ReportOptions(as_of=AS_OF, round_id="X2"))
    path = tmp_path / "report.xlsx"
    write_xlsx(rep, path)
    wb = CalamineWorkbook.from_path(str(path))
    assert list(xlsx_sheets(rep)) == [
        "key_figures", "clusters", "self_check", "conflicts", "leads_by_department", "lead_networks",
        "audit_only", "red_flag_units", "rectification_by_round", "results", "warnings",
        "priorities", "provenance"]
    # Chinese sheet names from the catalogue; long id lists sit on sheets of their own
    main = ["关键数字", "共性问题群", "应先行自查单位", "冲突", "线索按接收部门", "线索网络", "审计发现巡察未发现",
            "审计红旗未巡察单位", "整改按轮次", "巡察成果", "红黄绿预警", "下一轮巡察建议", "来源"]
    assert [n for n in wb.sheet_names if "·" not in n] == main
    cells = [str(c) for name in wb.sheet_names for row in wb.get_sheet_by_name(name).to_python()
             for c in row]
    assert "'@SUM(A1)" in cells  # unit name
    # text cells only: a number cell (the warnings' negative days left) is no formula
    text = [c for name in wb.sheet_names for row in wb.get_sheet_by_name(name).to_python()
            for c in row if isinstance(c, str)]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in text)
    # the round name (the ledger writes FORMULA with single quotes), in the rectification sheet
    assert "'" + FORMULA.replace('"', "'") in cells


def test_cli_report_writes_page_workbook_and_views(invoke, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    out = tmp_path / "rep"
    r = invoke("report", TINY, "--out", out, "--as-of", "2025-01-01", "--round", "X2")
    assert r.exit_code == 0, r.output
    assert r.stdout.strip().endswith(str(out / "index.html"))
    files = sorted(p.name for p in out.iterdir())
    # unit views of the priorities: U4 and U1 (U2, U3 inspected in X2, too recently)
    assert files == ["conflicts-X2.html", "index.html", "overview.html", "portrait-P4.html",
                     "report.xlsx", "unit-U1.html", "unit-U4.html"]
    page = (out / "index.html").read_text("utf-8")
    for href in files:
        if href.endswith(".html") and href != "index.html":
            assert f'href="{href}"' in page
            view = (out / href).read_text("utf-8")
            assert "<td>2023-11-14T22:13:20Z</td>" in view
            assert re.search(r"<th>命令</th><td>[^<]* report</td>", view)
    assert "2023-11-14T22:13:20Z" in page
    assert len(re.findall(r"sha256:[0-9a-f]{64}", page)) == 15  # one per input table
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    r = invoke("report", TINY, "--out", out, "--as-of", "2025-01-01", "--round", "X2")
    again = {p.name: p.read_bytes() for p in out.iterdir()}
    assert {k for k in first if first[k] != again[k]} <= {"report.xlsx"}  # zip timestamps


def test_cli_report_bad_round_and_no_views(invoke, tmp_path):
    r = invoke("report", TINY, "--out", tmp_path / "a", "--round", "NOPE")
    assert r.exit_code == 1 and "NOPE" in r.output
    r = invoke("report", TINY, "--out", tmp_path / "b", "--as-of", "2025-01-01", "--no-views")
    assert r.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == ["index.html", "report.xlsx"]
    assert 'href="overview.html"' not in (tmp_path / "b" / "index.html").read_text("utf-8")


def test_cli_report_pseudonymised_names_no_one(invoke, tmp_path):
    out = tmp_path / "p"
    r = invoke("report", TINY, "--out", out, "--as-of", "2025-01-01", "--round", "X2",
               "--pseudonymize")
    assert r.exit_code == 0, r.output
    pages = {p.name: p.read_text("utf-8") for p in out.glob("*.html")}
    assert len(pages) >= 6 and "index.html" in pages
    for name, page in pages.items():
        for real in ("陈明", "何娟", "王伟"):
            assert real not in page, (name, real)
    assert "陈某1" in pages["index.html"]


def test_a_cut_table_links_to_its_whole_sheet_in_the_workbook(tiny):
    from linkgraph.report.model import Section, Table

    rows = tuple({"unit_name": f"单位{i}", "score": i} for i in range(5))
    table = Table("priorities", "排序", (("unit_name", "单位"), ("score", "分值")), rows, limit=2)
    for lang, sheet in (("zh", "下一轮巡察建议"), ("en", "Who to inspect next")):
        rep = build_report(tiny, ReportOptions(as_of=AS_OF, lang=lang))
        rep = type(rep)(**{**rep.__dict__, "sections": (Section("x", "x", tables=(table,)),)})
        page = render_html(rep)
        caption = re.search(r"<caption>(.*?)</caption>", page, re.S).group(1)
        assert '<a href="report.xlsx">report.xlsx</a>' in caption and sheet in caption
        assert caption.count("<tr>") == 0 and page.count("<td") == 2 * 2   # first 2 rows
        assert '<table class="sortable"' in page
    whole = Table("priorities", "排序", table.columns, rows[:2], limit=2)
    rep = type(rep)(**{**rep.__dict__, "sections": (Section("x", "x", tables=(whole,)),)})
    assert 'href="report.xlsx"' not in render_html(rep)   # nothing cut: no link


def test_print_css_hides_navigation_and_repeats_table_headings():
    from linkgraph.report.render import _static

    css = _static("report.css")
    printed = css[css.index("@media print"):]
    assert re.search(r"nav[^{]*\{[^}]*display:\s*none", printed)
    assert re.search(r"thead\s*\{[^}]*display:\s*table-header-group", printed)
    assert re.search(r"tr[^{]*\{[^}]*break-inside:\s*avoid", printed)
    assert "@page { size: A4" in css
