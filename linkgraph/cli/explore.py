"""``linkgraph explore``: the local web explorer of the whole graph."""
from __future__ import annotations

import click

from linkgraph.cli.options import pass_dataset


@click.command()
@pass_dataset
@click.option("--host", default=None, metavar="ADDR",
              help="对内网开放的地址（需环境变量 LINKGRAPH_EXPLORE_TOKEN）；默认只在本机 "
                   "127.0.0.1 / address to serve an intranet on (needs LINKGRAPH_EXPLORE_TOKEN); "
                   "by default only this machine (127.0.0.1)")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="端口，0 = 任一空闲端口 / port, 0 = any free port")
@click.option("--no-browser", is_flag=True, help="不自动打开浏览器 / do not open the browser")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="页面语言 / page language")
def explore(dataset, rules_path, host: str | None, port: int, no_browser: bool,
            lang: str) -> None:
    """关系探索：在浏览器中搜索全图、按需展开、查找两者之间的路径 / explore the whole
    graph in the browser: search, expand on demand, paths between two entities.

    \b
    Loads the dataset once (from the cache after the first run), builds a
    compact index and serves a single page on 127.0.0.1 at a free port; the
    URL is printed and the browser opened.  Read-only.  Search people,
    units, problems, leads, departments and audit findings by name, id or
    pinyin initials; expand any node (large neighbourhoods come as "+N"
    nodes that open page by page); filter by label, round, 届次 and dates;
    find the shortest paths through ties and posts, marked 回避/提示 as
    `conflicts` rules them; export PNG, SVG, XLSX, an offline HTML page or
    a permalink.  With --host the page is served to the intranet and asks
    for the token in LINKGRAPH_EXPLORE_TOKEN (never on the command line).
    Ctrl+C stops it.

    \b
    Example:
      linkgraph explore ledgers/
      LINKGRAPH_EXPLORE_TOKEN=… linkgraph explore ledgers/ --host 10.0.0.5 --port 8800
    """
    import webbrowser

    from linkgraph.cli.progress import Steps
    from linkgraph.explore.app import create_app
    from linkgraph.explore.serve import LOOPBACK, bind, explore_token, serve, url_of
    from linkgraph.explore.state import Explorer
    from linkgraph.rules import load_rules

    token = explore_token(host)
    address = host or LOOPBACK
    sock = bind(address, port)
    with Steps(1)("建立索引 / building the index"):
        explorer = Explorer(dataset.tables, load_rules(rules_path))
    app = create_app(explorer, lang=lang, token=token, loopback=host is None)
    url = url_of(sock, address)
    click.echo(f"关系探索已启动 / explorer running: {url}", err=False)
    if token:
        click.echo("访问需输入令牌（LINKGRAPH_EXPLORE_TOKEN）/ visitors are asked for the token")
    click.echo("按 Ctrl+C 停止 / press Ctrl+C to stop")
    if not no_browser:
        webbrowser.open(url)
    serve(app, sock)
