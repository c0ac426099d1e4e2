"""``linkgraph demo``: the main job on generated city-scale data."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from linkgraph.cli.data import AS_OF, generate, scale_option
from linkgraph.cli.progress import Steps


@click.command()
@click.option("--out", type=click.Path(file_okay=False), default="linkgraph-demo",
              show_default=True, help="输出目录 / output folder")
@scale_option("city")
@click.option("--seed", type=int, default=1, show_default=True, help="随机种子 / random seed")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="报告语言 / report language")
@click.pass_context
def demo(ctx: click.Context, out: str, scale, seed: int, lang: str) -> None:
    """演示：生成市级数据，写出完整报告与关系图 / the whole job on generated city-scale data.

    Generates a synthetic city (OUT/data, with the planted truth in
    truth.json), loads and checks it, runs every analysis and writes the
    report (OUT/report/index.html — open it in a browser, no network
    needed — with report.xlsx and the graph views beside it).  The round is
    the latest cross-inspection round; dates are judged as of the data's
    reference date.  Prints the path to open.

    \b
    Example:
      linkgraph demo --out /tmp/demo
    """
    from linkgraph.cli.options import current_provenance, load_data
    from linkgraph.cli.view import provenance_rows
    from linkgraph.report import ReportOptions, build_report, write_report
    from linkgraph.report.options import demo_round
    from linkgraph.rules import load_rules
    from linkgraph.session import Session
    from linkgraph.workbook import names_of

    data, folder = Path(out) / "data", Path(out) / "report"
    as_of = dt.date.fromisoformat(AS_OF)
    steps = Steps(5)
    with steps(f"生成数据 / generating the data ({scale}, seed {seed})"):
        ctx.invoke(generate, out=str(data), scale=scale, seed=seed, fmt="csv",
                   encoding="utf-8", headers="zh", messy=False, as_of=as_of, realism="tidy")
    with steps("读取与检查 / loading and checking"):
        dataset = load_data(str(data))
    rules = load_rules()
    round_id = demo_round(dataset.tables, as_of)
    session = Session.of(dataset, rules, as_of)
    with steps("分析（共性问题、冲突、轮换、线索、巡审、整改、建议）/ analyses"):
        report = build_report(session, ReportOptions(as_of=as_of, round_id=round_id, lang=lang))
    with steps("构建属性图 / building the graph"):
        graph = session.graph
    click.echo(f"    {graph.number_of_nodes():,} 个节点 / nodes, {graph.number_of_edges():,} "
               f"条关系 / edges", err=True)
    with steps("写出报告与关系图 / writing the report and its views"):
        write_report(report, folder, session=session,
                     provenance=provenance_rows(current_provenance(), lang),
                     progress=lambda name, s: steps.add(name, s),
                     names=names_of(dataset.tables))
    click.echo(f"合计 / total: {steps.seconds:.1f} s", err=True)
    click.echo(f"\n数据 / data: {data}\n报告 / report（在浏览器中打开 / open in a browser）:",
               err=True)
    click.echo(str((folder / "index.html").resolve()))
    click.echo(f"\n关系探索（搜索、展开、路径）/ explore the whole graph in the browser:\n"
               f"    linkgraph explore {data}", err=True)
