"""``linkgraph report``: the report analysts open, with its views."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from linkgraph.cli.categories import category_options, load_category_options
from linkgraph.cli.options import as_of_option, pass_dataset, seed_option
from linkgraph.cli.view import lang_option, max_nodes_option


@click.command()
@pass_dataset
@click.option("--out", "-o", required=True, type=click.Path(file_okay=False),
              help="输出目录（index.html、report.xlsx 与关系图） / output folder")
@lang_option
@click.option("--round", "round_id", default=None, metavar="R",
              help="轮次：冲突分析与交叉巡察轮换方案 / the round for conflicts and the rotation "
                   "plan (default for conflicts: the latest round started)")
@as_of_option
@click.option("--no-views", is_flag=True, help="不写关系图 / write no graph views")
@click.option("--explorer", "explorer_url", default=None, metavar="URL",
              help="关系探索的地址（如 http://127.0.0.1:8800/）：表中的名称链接到该节点 / the "
                   "address of `linkgraph explore … --port N`: names in the tables link to "
                   "that node")
@max_nodes_option
@seed_option
@category_options
def report(dataset, rules_path, out: str, lang: str, round_id: str | None, as_of: dt.date,
           no_views: bool, explorer_url: str | None, max_nodes: int, seed: int,
           taxonomy_path: str | None, decisions_path: str | None) -> None:
    """分析报告：一个离线 HTML 页面 + report.xlsx + 关系图 / the report, its workbook and views.

    \b
    OUT/index.html (Chinese by default, --lang en for English; works
    offline, no script): the key figures (units inspected, problems, leads
    and closure, rectification rate, clusters, audit-only findings,
    conflicts), then each analysis as tables and inline SVG charts —
    systemic clusters, conflicts of the round, the rotation plan (when
    --round is given), leads overdue by
    department and lead networks, the 巡审 gaps, rectification by round,
    who to inspect next — with links to views written beside it (overview,
    clusters, conflicts, lead networks, top-priority units, a top leader's
    portrait) and a sentence on how to open `linkgraph explore` on DATA;
    with --explorer URL the unit, person and team names in the tables link
    to that node in the explorer at URL.  OUT/report.xlsx: one sheet per analysis plus provenance
    (cells beginning = + - @ neutralised).  Every page records the input
    files' SHA-256, the version, the command and the time.

    \b
    Example:
      linkgraph report ledgers/ --out report/ --round R2024-2 --as-of 2026-06-30
      linkgraph report ledgers/ --out report/ --explorer http://127.0.0.1:8800/
    """
    from linkgraph.cli.options import current_provenance, workbook_names
    from linkgraph.cli.progress import Steps
    from linkgraph.cli.view import provenance_rows
    from linkgraph.errors import LinkgraphError
    from linkgraph.report import ReportOptions, build_report, write_report
    from linkgraph.report.explorer import explorer_address
    from linkgraph.rules import load_rules
    from linkgraph.session import Session
    from linkgraph.views.focus import check_round

    ctx = click.get_current_context()
    if explorer_url and ctx.meta.get("linkgraph.pseudonyms") is not None:
        # a pseudonymised report is one to share: its links would only lead into an
        # explorer on the real data (where its hashed ids name no one)
        raise click.UsageError("--explorer 不能与 --pseudonymize 同用：脱敏报告不链接到关系探索"
                               " / --explorer cannot be used with --pseudonymize: a "
                               "pseudonymised report does not link into the explorer")
    try:
        address = explorer_address(explorer_url) if explorer_url else None
    except LinkgraphError as exc:
        raise click.BadParameter(str(exc), param_hint="--explorer") from None
    rules = load_rules(rules_path)
    if round_id:
        check_round(dataset.tables, round_id)
    tax, decisions = load_category_options(taxonomy_path, decisions_path)
    session = Session.of(dataset, rules, as_of, taxonomy=tax, decisions=decisions)
    steps = Steps(2)
    with steps("分析（共性问题、冲突、轮换、线索、巡审、整改、建议）/ analyses"):
        rep = build_report(session, ReportOptions(as_of=as_of, round_id=round_id, lang=lang,
                                                  views=not no_views))
    with steps("写出报告、工作簿与关系图 / writing the page, the workbook and the views"):
        timings = write_report(rep, out, session=None if no_views else session,
                               provenance=provenance_rows(current_provenance(), lang), seed=seed,
                               max_nodes=max_nodes, names=workbook_names(),
                               explorer=address, data=dataset.source,
                               progress=lambda name, s: steps.add(name, s))
    click.echo(f"已写入 / written: {out}（{len(timings) - 1} 个关系图 / views）", err=True)
    click.echo(str(Path(out) / "index.html"))
