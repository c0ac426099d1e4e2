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
    # every step says when it starts and ends, numbered, so a long demo is never silent
    for n, step in enumerate(("生成数据 / generating the data", "读取与检查 / loading",
                              "/ analyses", "构建属性图 / building the graph",
                              "写出报告与关系图"), start=1):
        started = re.search(rf"^\[{n}/5\] [^\n]*{re.escape(step)}[^\n]* …$", r.stderr, re.M)
        ended = re.search(rf"^\[{n}/5\] 完成 / done: [^\n]*{re.escape(step)}[^\n]*（\d+\.\d s）$",
                          r.stderr, re.M)
        assert started and ended and started.start() < ended.start(), (step, r.stderr)
    assert "合计 / total" in r.stderr
