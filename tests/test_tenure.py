"""Blank post ends (任职结束时间空缺) read the way a 干部名册 means them."""
from __future__ import annotations

import pandas as pd

from linkgraph.tenure import with_inferred_ends


def _posts(rows):
    frame = pd.DataFrame(rows, columns=["person_id", "unit_id", "title", "start", "end"])
    frame["start"] = pd.to_datetime(frame["start"])
    frame["end"] = pd.to_datetime(frame["end"])
    return frame


def test_each_blank_end_is_ended_by_the_next_post_elsewhere():
    posts = _posts([
        ("P1", "U1", "科员", "2010-01-01", None),         # → ended 2015-03-01 (U2)
        ("P1", "U2", "副局长", "2015-03-01", None),       # → ended 2019-06-01 (U3)
        ("P1", "U3", "局长", "2019-06-01", None),         # nothing after: current
        ("P2", "U1", "科员", "2012-01-01", None),         # only a promotion in U1 after
        ("P2", "U1", "副局长", "2016-01-01", None),
        ("P3", "U1", "科员", "2012-01-01", None),         # a 挂职 elsewhere ends nothing
        ("P3", "U4", "挂职副镇长", "2014-01-01", "2015-12-31"),
        ("P4", "U1", "科员", None, None),                 # no start: cannot be ordered
        ("P4", "U2", "科员", "2018-01-01", None),
        ("P5", "U1", "科员", "2011-01-01", "2013-01-01"),  # an end written stays
        ("P5", "U2", "科员", "2012-06-01", None),
    ])
    out = with_inferred_ends(posts)
    ends = [None if pd.isna(e) else str(e.date()) for e in out["end"]]
    assert ends == ["2015-03-01", "2019-06-01", None, None, None, None, "2015-12-31", None, None,
                    "2013-01-01", None]
    assert out["end_inferred"].tolist() == [True, True] + [False] * 9


def test_no_posts():
    out = with_inferred_ends(_posts([]))
    assert out.empty and "end_inferred" in out
