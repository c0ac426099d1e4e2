"""The workbooks print sensibly: checked with a real LibreOffice (headless
``--convert-to pdf``, Debian's ``libreoffice-calc``, installed by
``scripts/setup --test``), by counting the printed A4 pages and reading the
scale each page prints at (``tests/office_print.py``)."""
from __future__ import annotations

import math
import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from linkgraph.cli import cli
from tests.office_print import pages, printed_pages, to_pdf

#: Smallest print scale a handed-over page may have: 10-pt cells print at
#: 6 pt or more (the issue's "readable scale").
READABLE = 0.6


def _run(*args: str) -> None:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def county(generated) -> Path:
    return generated("county", 1)     # the session's (tests/conftest.py)


def _cross_round(data: Path) -> str:
    from linkgraph.dataset import load_dataset

    rounds = load_dataset(data).tables["rounds"]
    return str(rounds.loc[rounds["kind"] == "cross", "round_id"].iloc[-1])


def test_ten_pairs_of_a_real_plan_print_on_one_a4_page(county, tmp_path):
    from linkgraph.dataset import load_dataset
    from linkgraph.output import write_xlsx
    from linkgraph.rotation import RotationOptions, plan_rotation
    from linkgraph.rotation.files import plan_workbook

    data = load_dataset(county)
    plan = plan_rotation(data, _cross_round(county), RotationOptions())
    assert len(plan.pairs) >= 10
    sheets, columns, _ = plan_workbook(plan, data.tables["units"])
    ten = tmp_path / "ten.xlsx"
    write_xlsx({"plan": sheets["plan"][:10]}, ten, {"plan": columns["plan"]},
               title="交叉巡察方案", as_of="2026-06-30")
    assert printed_pages(ten, tmp_path) == 1
    everything = tmp_path / "all.xlsx"
    write_xlsx({"plan": sheets["plan"]}, everything, {"plan": columns["plan"]})
    assert printed_pages(everything, tmp_path) <= math.ceil(len(plan.pairs) / 10)


def test_rotation_workbook_prints_in_few_pages_with_its_setup(county, tmp_path):
    out = tmp_path / "plan.xlsx"
    _run("rotate", county, "--round", _cross_round(county), "--alternatives", "2", "--out", out)
    wb = openpyxl.load_workbook(out)
    for ws in wb.worksheets:
        assert ws.page_setup.paperSize == 9                       # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage          # fitted …
        assert ws.page_setup.fitToWidth in (None, 1)   # … one page wide (1 is the default)
        assert ws.page_setup.fitToHeight == 0                     # … as many tall as needed
        assert ws.print_title_rows == "$1:$1"                      # header on every page
        assert "&P" in ws.oddFooter.center.text                   # page numbers
    plan = wb["交叉巡察方案"]
    assert plan.page_setup.orientation == "landscape"             # the wide one
    assert plan.freeze_panes == "A2" and plan.auto_filter.ref
    empty = wb["成员调换"]
    assert [c.value for c in empty[2]][:2] == ["无", "没有成员因回避需要调换"]
    # 7 sheets; the plan (17 pairs) 2 pages, 80-odd units 2–3; the rest one each
    assert printed_pages(out, tmp_path) <= 11


@pytest.fixture(scope="module")
def report_books(county, tmp_path_factory) -> list[tuple[Path, Path]]:
    """report.xlsx in Chinese and in English, each with the PDF LibreOffice prints."""
    tmp = tmp_path_factory.mktemp("report-print")
    books = []
    for lang in ("zh", "en"):
        rep = tmp / f"rep-{lang}"
        _run("report", county, "--out", rep, "--as-of", "2026-06-30", "--no-views",
             "--lang", lang)
        books.append((rep / "report.xlsx").rename(tmp / f"report-{lang}.xlsx"))
    return list(zip(books, to_pdf(books, tmp)))


def test_report_workbook_prints_every_sheet_one_page_wide_and_readable(report_books):
    for xlsx, pdf in report_books:
        wb = openpyxl.load_workbook(xlsx)
        assert not any(re.fullmatch(r"[a-z_]+", name) for name in wb.sheetnames)
        bound = 0
        for ws in wb.worksheets:
            assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
            assert "2026-06-30" in ws.oddHeader.right.text
            heads = [c.value for c in ws[1]]
            assert not any(isinstance(h, str) and re.fullmatch(r"[a-z_0-9]+", h)
                           for h in heads), (ws.title, heads)
            for row in ws.iter_rows(min_row=2, values_only=True):
                assert not any(isinstance(v, str) and v.startswith(("{", "[{")) for v in row)
            bound += math.ceil(ws.max_row / 12)   # one page wide: at least 12 rows a page
        printed = pages(pdf.read_bytes())
        # it printed 279 pages at first, then 48 with the clusters at 23 %
        assert len(printed) <= bound and len(printed) < 70, (len(printed), bound)
        small = [(k + 1, p.scale) for k, p in enumerate(printed) if p.scale < READABLE]
        assert not small, (xlsx.name, small)      # (page, scale) printed too small


def test_a_wide_report_sheet_prints_the_catalogues_columns_and_keeps_the_rest(report_books):
    from linkgraph.catalogue import catalogue

    ws = openpyxl.load_workbook(report_books[0][0])["共性问题群"]
    chosen = [catalogue().header(c) for c in catalogue().print_columns("clusters")]
    heads = [c.value for c in ws[1]]
    assert heads[:len(chosen)] == chosen                  # the printed columns first …
    letter = openpyxl.utils.get_column_letter(len(chosen))
    assert ws.print_area == f"'共性问题群'!$A$1:${letter}${ws.max_row}"   # … and only they print
    assert len(heads) > len(chosen) + 10                  # the full table stays in the sheet
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(heads)).column_letter}{ws.max_row}"
    assert f"{len(chosen)} 列" in ws.oddFooter.left.text and f"全部 {len(heads)} 列" \
        in ws.oddFooter.left.text


def test_a_wide_sheet_without_a_choice_prints_its_leading_columns(tmp_path):
    from linkgraph.output import write_xlsx
    from linkgraph.workbook import PRINT_BUDGET

    # 40 columns of five CJK characters: 10 wide + 2 = 12 each; the budget is
    # a landscape page (111) at 70 %, 158.6, so 13 columns (156) print: A to M
    assert PRINT_BUDGET == pytest.approx(111 / 0.7)
    records = [{f"c{j:02d}": "甲乙丙丁戊" for j in range(40)} for _ in range(3)]
    out = tmp_path / "wide.xlsx"
    write_xlsx({"表": records}, out)
    ws = openpyxl.load_workbook(out)["表"]
    assert ws.print_area == "'表'!$A$1:$M$4"
    assert ws.max_column == 40 and ws["AN1"].value == "c39"
    assert "13 列" in ws.oddFooter.left.text and "全部 40 列" in ws.oddFooter.left.text
    narrow = tmp_path / "narrow.xlsx"
    write_xlsx({"表": [{k: v for k, v in r.items() if k < "c05"} for r in records]}, narrow)
    assert not openpyxl.load_workbook(narrow)["表"].print_area
    assert printed_pages(out, tmp_path) == 1 and pages((tmp_path / "wide.pdf").read_bytes())[
        0].scale >= READABLE
