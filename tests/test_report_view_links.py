"""The views the report writes link back to the report (index.html)."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from linkgraph.dataset import load_dataset
from linkgraph.report import ReportOptions, build_report, write_report
from linkgraph.session import Session

TINY = Path(__file__).parent / "data" / "tiny"


def test_every_view_of_the_report_links_back_to_it(tmp_path):
    session = Session(load_dataset(TINY).tables, as_of=dt.date(2025, 1, 1))
    report = build_report(session, ReportOptions(as_of=dt.date(2025, 1, 1), round_id="X2"))
    write_report(report, tmp_path, session=session)
    index = (tmp_path / "index.html").read_text("utf-8")
    views = sorted(set(re.findall(r'href="([^"#/]+\.html)"', index)) - {"index.html"})
    assert views
    for name in views:
        page = (tmp_path / name).read_text("utf-8")
        assert '<a class="lg-back" href="index.html">← 返回报告</a>' in page, name
    # a view written on its own has no such link
    from linkgraph.views.focus import view_request
    from linkgraph.views.kinds import request_spec
    from linkgraph.views.draw import render_html

    alone = render_html(request_spec(view_request(session, "unit:U1"), max_nodes=100, seed=0,
                                     lang="zh"))
    assert "lg-back" not in alone.split("</style>", 1)[-1]
