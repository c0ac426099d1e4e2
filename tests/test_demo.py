"""`linkgraph demo` (the README's first command) on a small generated city."""
from __future__ import annotations

import re
from pathlib import Path


def test_demo_writes_report_views_and_prints_the_page(invoke, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    out = tmp_path / "demo"
    r = invoke("demo", "--out", out, "--scale", "60", "--seed", "3")
    assert r.exit_code == 0, r.output
    page = Path(r.stdout.strip().splitlines()[-1])
    assert page == (out / "report" / "index.html").resolve() and page.is_file()
    assert (out / "data" / "truth.json").is_file()
    html = page.read_text("utf-8")
    hrefs = sorted(set(re.findall(r'href="([^"#]+\.html)"', html)))
    assert "overview.html" in hrefs and any(h.startswith("conflicts-") for h in hrefs)
    assert any(h.startswith("unit-") for h in hrefs)
    for h in hrefs:
        assert (page.parent / h).is_file(), h
    assert (page.parent / "report.xlsx").is_file()
    assert "<td>2023-11-14T22:13:20Z</td>" in html
    for step in ("生成数据 / generate", "分析 / analyses", "合计 / total"):
        assert step in r.stderr
