"""The workbooks print sensibly: checked with a real LibreOffice (headless
``--convert-to pdf``, Debian's ``libreoffice-calc``, installed by
``scripts/setup --test``) and by counting the printed A4 pages."""
from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from linkgraph.cli import cli

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _office() -> str:
    if SOFFICE is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is missing: scripts/setup --test installs libreoffice-calc")
        pytest.skip("LibreOffice not installed (scripts/setup --test installs it)")
    return SOFFICE


def printed_pages(xlsx: Path, tmp: Path) -> int:
    """Pages of ``xlsx`` printed to PDF by LibreOffice."""
    profile = tmp / "lo-profile"
    subprocess.run([_office(), f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp), str(xlsx)],
                   check=True, capture_output=True, timeout=300)
    pdf = (tmp / xlsx.with_suffix(".pdf").name).read_bytes()
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


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


def test_report_workbook_prints_every_sheet_one_page_wide(county, tmp_path):
    rep = tmp_path / "rep"
    _run("report", county, "--out", rep, "--as-of", "2026-06-30", "--no-views")
    xlsx = rep / "report.xlsx"
    wb = openpyxl.load_workbook(xlsx)
    assert not any(re.fullmatch(r"[a-z_]+", name) for name in wb.sheetnames)
    bound = 0
    for ws in wb.worksheets:
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
        assert "2026-06-30" in ws.oddHeader.right.text
        heads = [c.value for c in ws[1]]
        assert not any(isinstance(h, str) and re.fullmatch(r"[a-z_0-9]+", h) for h in heads), \
            (ws.title, heads)
        for row in ws.iter_rows(min_row=2, values_only=True):
            assert not any(isinstance(v, str) and v.startswith(("{", "[{")) for v in row)
        bound += math.ceil(ws.max_row / 25)   # one page wide: at least 25 rows a page
    pages = printed_pages(xlsx, tmp_path)
    assert pages <= bound and pages < 60, (pages, bound)   # it printed 279 pages before
