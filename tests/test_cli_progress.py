"""Long steps say what they are doing: numbered, timed steps and, in a log
(stderr not a terminal), a line per stage of a Neo4j push or pull."""
from __future__ import annotations

from tests.conftest import DATA


def test_bar_in_a_log_says_each_stage_and_the_end(capsys):
    from linkgraph.cli.progress import Bar

    bar = Bar("写入 Neo4j / pushing", every=3600)
    for item, done in (("Unit", 10), ("Unit", 20), ("Person", 30), ("Person", 40)):
        bar(item, done, 40)
    bar.close()
    lines = capsys.readouterr().err.splitlines()
    assert lines == ["写入 Neo4j / pushing: Unit 10/40", "写入 Neo4j / pushing: Person 30/40",
                     "写入 Neo4j / pushing: 40/40"]


def test_bar_that_never_started_says_nothing(capsys):
    from linkgraph.cli.progress import Bar

    Bar("读取 Neo4j / pulling").close()
    assert capsys.readouterr().err == ""


def test_report_numbers_and_times_its_steps(invoke, tmp_path):
    r = invoke("report", DATA / "tiny", "--out", tmp_path / "rep", "--as-of", "2025-01-01",
               "--no-views")
    assert r.exit_code == 0, r.output
    err = r.stderr
    assert "[1/2] 分析" in err and "[2/2] 写出报告" in err
    assert "[1/2] 完成 / done" in err and "[2/2] 完成 / done" in err
    assert err.index("[1/2] 完成") < err.index("[2/2] 写出报告")   # one after the other
