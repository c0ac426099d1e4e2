"""``linkgraph view``: one interactive HTML view of the data."""
from __future__ import annotations

import click

from linkgraph.cli.categories import category_options, load_category_options
from linkgraph.cli.options import as_of_option, out_file, pass_dataset, person_arg, seed_option

FOCUS_HELP = ("视图焦点 / what to show: unit:U（单位邻域）, person:P（人员：任职、关系、巡察组）, "
              "portrait:P（一把手画像子图）, "
              "cluster:C（共性问题群）, lead-network:N（线索网络）, team:T（巡察组：成员及其社会关系）, conflicts（熟人社会，需 --round）, "
              "rotation（交叉巡察轮换环，需 --round）；省略 = 总览 / omit for the overview")

lang_option = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh",
                           show_default=True, help="页面语言 / page language")
max_nodes_option = click.option(
    "--max-nodes", type=click.IntRange(min=20), default=1500, show_default=True,
    help="节点上限，超出则聚合并注明 / node cap; above it records fold into summary nodes")


@click.command()
@pass_dataset
@click.option("--out", "-o", required=True, type=click.Path(dir_okay=False), callback=out_file,
              help="输出的 HTML 文件（文件夹不存在时自动创建）/ the HTML file to write (its "
                   "folder is created)")
@click.option("--focus", default=None, metavar="KIND[:ID]", help=FOCUS_HELP,
              callback=lambda c, p, v: _focus(v))
@click.option("--round", "round_id", default=None, metavar="R",
              help="轮次编码（conflicts、rotation 需要） / the round (for conflicts, rotation)")
@click.option("--hops", type=click.IntRange(0, 4), default=None,
              help="邻域步数（unit 默认 2，person 默认 1） / neighbourhood radius (unit 2, "
                   "person 1 by default)")
@max_nodes_option
@seed_option
@lang_option
@as_of_option
@category_options
def view(dataset, rules_path, out: str, focus: str | None, round_id: str | None,
         hops: int | None, max_nodes: int, seed: int, lang: str, as_of,
         taxonomy_path: str | None, decisions_path: str | None) -> None:
    """交互式关系图（单个离线 HTML 文件） / an interactive graph view in one offline HTML file.

    \b
    Without --focus: an overview — regions, then one node per sector of each
    region, then the units with most problems (sized by problem counts;
    double-click a sector to show more of its units).  With --focus: a
    unit's neighbourhood (officials, problems, categories, leads, measures,
    audit findings, petitions), a person's posts, ties and teams, a top
    leader's portrait (一把手画像: the subgraph of `linkgraph portrait`), a
    systemic cluster (units, problems, the departments that should own the
    fix), a lead network, a round's conflicts (evidence paths in red) or
    its cross-inspection rotation as a ring.  The page needs no network:
    legend, search, filter, tooltips and double-click expansion work offline;
    its footer records the input files' SHA-256, the version, the command
    and the time (SOURCE_DATE_EPOCH honoured).

    \b
    Example:
      linkgraph view ledgers/ --out overview.html
      linkgraph view ledgers/ --focus unit:U0001 --hops 2 --out u1.html
      linkgraph view ledgers/ --focus conflicts --round R2024-2 --out conflicts.html
    """
    from linkgraph.cli.options import current_provenance
    from linkgraph.cli.progress import Steps
    from linkgraph.rules import load_rules
    from linkgraph.views import write_html
    from linkgraph.session import Session
    from linkgraph.views.focus import view_request
    from linkgraph.views.kinds import request_spec

    if focus and focus.split(":")[0].strip().lower() in ("conflicts", "rotation") and not round_id:
        raise click.UsageError("--focus conflicts/rotation 需要 --round R / needs --round R")
    if focus and ":" in focus:   # with --pseudonymize a person may be named by the real id
        kind, ident = focus.split(":", 1)
        if kind.strip().lower() in ("person", "portrait"):
            focus = f"{kind}:{person_arg(ident)}"
    tax, decisions = load_category_options(taxonomy_path, decisions_path)
    session = Session.of(dataset, load_rules(rules_path), as_of, taxonomy=tax,
                         decisions=decisions)
    kind = focus.split(":")[0].strip().lower() if focus else "overview"
    on_graph = kind in ("unit", "person", "cluster", "lead-network", "team", "conflicts")
    # a long view says where it stands: the analyses behind its nodes (a
    # round's conflicts, the clusters) and the layout are steps of their own
    steps = Steps(4 if on_graph else 3, lang=lang if lang == "en" else None)
    if on_graph:
        with steps("构建属性图 / building the graph"):
            _ = session.graph
    with steps("选取节点 / picking the nodes"):
        req = view_request(session, focus, round_id=round_id, hops=hops, lang=lang)
    with steps(f"计算布局（{len(req.nodes):,} 个节点） / laying out {len(req.nodes):,} nodes"):
        spec = request_spec(req, max_nodes=max_nodes, seed=seed, lang=lang,
                            provenance=provenance_rows(current_provenance(), lang))
    with steps("写出页面 / writing the page"):
        write_html(spec, out)
    click.echo(f"{spec.title}\n{spec.notes[0]}", err=True)
    click.echo(f"已写入 / written: {out}", err=True)


def _focus(value: str | None) -> str | None:
    from linkgraph.errors import LinkgraphError
    from linkgraph.views.kinds import parse_focus

    if value is None:
        return None
    try:
        parse_focus(value)
    except LinkgraphError as exc:
        raise click.BadParameter(str(exc)) from None
    return value


def provenance_rows(prov, lang: str | None = None) -> list[tuple[str, str]]:
    """The provenance as (item, value) pairs, in ``lang`` (both languages
    without); after a --lenient load also the share of each table loaded, so
    a view or report says what it rests on."""
    from linkgraph.cli.options import loaded_share_text

    if lang is not None:
        rows = [(r["item"], r["value"]) for r in prov.rows(lang)]
    else:
        rows = [(r["项目 / item"], r["值 / value"]) for r in prov.rows()]
    share = loaded_share_text()
    if share:
        rows.append(({"en": "loaded share (--lenient)", "zh": "载入比例（--lenient）"}.get(
            lang or "", "载入比例（--lenient） / loaded share"), share))
    return rows
