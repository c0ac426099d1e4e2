"""``linkgraph neo4j …`` (push, pull, export-import, query) and ``linkgraph cypher list``."""
from __future__ import annotations


import click

from linkgraph.cli.categories import category_options, load_category_options
from linkgraph.cli.progress import Bar

from linkgraph.cli.options import (
    _compose,
    check_partial,
    emit,
    format_options,
    load_data,
    load_options,
    optional_data_argument,
    pass_dataset,
    privacy_options,
    refuse_overwriting_inputs,
)
from linkgraph.cli.usage import BilingualGroup
from linkgraph.neo4j import DEFAULT_BATCH, DEFAULT_WORKERS

connection_options = _compose(
    click.option("--uri", default=None, metavar="URI",
                 help="服务器地址（默认 NEO4J_URI，否则 bolt://localhost:7687） / server URI "
                      "(default: NEO4J_URI)"),
    click.option("--user", default=None, help="用户名（默认 NEO4J_USERNAME，否则 neo4j）"
                 " / user name (default: NEO4J_USERNAME)"),
    click.option("--password", "neo4j_password", default=None, hidden=True,
                 help="密码：请用环境变量 NEO4J_PASSWORD / use NEO4J_PASSWORD instead"),
    click.option("--database", default=None,
                 help="数据库（默认 NEO4J_DATABASE，否则服务器默认库） / database (default: "
                      "NEO4J_DATABASE, else the server's default)"),
)


def _settings(uri, user, neo4j_password, database):
    from linkgraph.neo4j.connection import Settings

    return Settings.from_env(uri=uri, user=user, password=neo4j_password, database=database)


@click.group(cls=BilingualGroup)
def neo4j() -> None:
    """Neo4j：推送、读取、批量导入与查询 / push to, pull from and query Neo4j.

    \b
    The server: NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD (and NEO4J_DATABASE)
    or --uri/--user/--database; the password only from NEO4J_PASSWORD.  Every
    analysis command reads a graph in Neo4j too: `--from-neo4j`, or DATA
    given as a neo4j:// URI.

    \b
    Example:
      linkgraph neo4j push ledgers/
      linkgraph neo4j query overdue_leads --param as_of=2026-06-30
    """


def _count_rows(pushed: dict, in_db: dict, kind: str) -> list[dict]:
    return [{"kind": kind, "name": k, "pushed": pushed.get(k, 0), "in_database": in_db[k]}
            for k in in_db]


@neo4j.command()
@optional_data_argument
@load_options
@privacy_options
@connection_options
@click.option("--batch-size", type=click.IntRange(min=1), default=DEFAULT_BATCH,
              show_default=True,
              help="每批（一个事务）写入的行数 / rows per UNWIND batch (one transaction)")
@click.option("--workers", type=click.IntRange(min=1), default=DEFAULT_WORKERS,
              show_default=True, help="同时写入的批数（服务器的 CPU 核数为宜） / batches "
              "written at once (about the server's CPU cores)")
@click.option("--wipe", is_flag=True, help="先清空数据库中的全部节点和关系（需确认） / delete "
              "every node and relationship first (asks to confirm)")
@click.option("--yes", is_flag=True, help="不再询问，直接清空 / do not ask before --wipe")
@click.option("--schema-only", is_flag=True, help="只建约束和索引（cypher/schema.cypher） / "
              "only create the constraints and indexes")
@category_options
@format_options(("table", "csv", "json"))
def push(data, lenient, rejects, allow_partial, rules, from_neo4j, pseudonymize, pseudonym_map,
         uri, user, neo4j_password, database, batch_size: int, workers: int, wipe: bool,
         yes: bool, schema_only: bool, taxonomy_path: str | None, decisions_path: str | None,
         fmt, out) -> None:
    """把数据推送到 Neo4j / push a dataset into Neo4j.

    \b
    Constraints and indexes first (cypher/schema.cypher), then nodes label
    by label and relationships type by type in UNWIND $rows batches, two
    at a time (--workers): nodes MERGEd on their id, relationships
    de-duplicated and never doubled.  Problem categories are written
    harmonised onto the taxonomy (--taxonomy, and the office's --decisions),
    with the label as written beside them (category_written).
    Pushing the same data again changes nothing; a push that was stopped
    halfway completes when run again.  --wipe deletes everything first.
    Prints nodes and relationships pushed and now in the database.
    --schema-only needs no DATA (e.g. after neo4j-admin import).

    \b
    Example:
      export NEO4J_URI=bolt://localhost:7687 NEO4J_USERNAME=neo4j NEO4J_PASSWORD=…
      linkgraph neo4j push ledgers/ --database neo4j --batch-size 20000
      linkgraph neo4j push --schema-only
    """
    from linkgraph.graph import for_graph
    from linkgraph.neo4j import push as pusher
    from linkgraph.neo4j.connection import connect
    from linkgraph.rules import load_rules

    settings = _settings(uri, user, neo4j_password, database)
    dataset = None
    if not schema_only:
        refuse_overwriting_inputs(data, {"--rejects": rejects if lenient else None, "--out": out,
                                         "--pseudonym-map": pseudonym_map})
        dataset = load_data(data, lenient, rejects, rules, from_neo4j=from_neo4j,
                            pseudonymize=pseudonymize, pseudonym_map=pseudonym_map)
        if lenient:
            check_partial(dataset, allow_partial)
    with connect(settings) as conn:
        if wipe:
            if not yes:
                click.confirm(f"确定清空 {settings.where} 中的全部节点和关系？ / delete every "
                              f"node and relationship in {settings.where}?", abort=True,
                              err=True)
            pusher.wipe(conn)
            click.echo(f"已清空 / wiped: {settings.where}", err=True)
        if schema_only:
            n = pusher.apply_schema(conn)
            click.echo(f"已建约束和索引 {n} 条 / {n} schema statements applied", err=True)
            return
        bar = Bar("写入 Neo4j / pushing")
        assert dataset is not None   # loaded unless --schema-only, which returned above
        tables = for_graph(dataset.tables, *_categories(taxonomy_path, decisions_path))
        try:
            report = pusher.push(conn, tables, rules=load_rules(rules),
                                 batch_size=batch_size, workers=workers, progress=bar)
        finally:
            bar.close()
        labels, types = pusher.database_counts(conn)
    records = _count_rows(report.nodes, labels, "node") + \
        _count_rows(report.relationships, types, "relationship")
    emit(records, fmt, out)
    rate_n = report.node_total / max(report.seconds_nodes, 1e-9)
    rate_r = report.relationship_total / max(report.seconds_relationships, 1e-9)
    click.echo(f"已推送到 {settings.where}：节点 {report.node_total}（{rate_n:,.0f}/s），关系 "
               f"{report.relationship_total}（{rate_r:,.0f}/s） / pushed {report.node_total} "
               f"nodes, {report.relationship_total} relationships", err=True)


@neo4j.command()
@click.argument("out_dir", metavar="OUT_DIR")
@connection_options
def pull(out_dir: str, uri, user, neo4j_password, database) -> None:
    """从 Neo4j 读回数据，写成台账文件夹 / pull the graph back as a DATA folder.

    Reads linkgraph's nodes and relationships into networkx, turns them
    back into the canonical tables and writes one UTF-8 CSV per table into
    OUT_DIR, which every command reads as DATA.  To analyse what is in
    Neo4j without a copy, give any command --from-neo4j (or DATA as a
    neo4j:// URI).

    \b
    Example:
      linkgraph neo4j pull from-neo4j/ && linkgraph leads from-neo4j/ --summary
      linkgraph leads neo4j://localhost:7687/neo4j --as-of 2026-06-30 --summary
    """
    from linkgraph.neo4j.connection import connect
    from linkgraph.neo4j.pull import pull_tables, write_tables

    settings = _settings(uri, user, neo4j_password, database)
    bar = Bar("读取 Neo4j / pulling")
    try:
        with connect(settings) as conn:
            tables = pull_tables(conn, bar)
    finally:
        bar.close()
    write_tables(tables, out_dir)
    rows = sum(len(t) for t in tables.values())
    click.echo(f"已写入 / written: {out_dir}（{rows} 行 / rows，{settings.where}）", err=True)


@neo4j.command("export-import")
@pass_dataset
@click.argument("out_dir", metavar="DIR")
@click.option("--database", default="neo4j", show_default=True,
              help="导入的目标数据库 / the database neo4j-admin creates")
@category_options
def export_import(dataset, rules_path, out_dir: str, database: str, taxonomy_path: str | None,
                  decisions_path: str | None) -> None:
    """写出 neo4j-admin 批量导入用的 CSV 与命令 / CSVs and the command for neo4j-admin import.

    \b
    The way to load a province at once: one CSV per label and per
    relationship (type, start, end) with neo4j-admin headers (id:ID(Label),
    :START_ID(Label), typed columns, arrays split on ;), DIR/import.sh with
    the exact `neo4j-admin database import full` command line (run it with
    the server stopped; the database must be new or is overwritten), and
    DIR/schema.cypher.  Afterwards start the server and run
    `linkgraph neo4j push --schema-only` for the constraints and indexes.

    \b
    Example:
      linkgraph neo4j export-import ledgers/ bulk/ && sh bulk/import.sh
    """
    from linkgraph.graph import for_graph
    from linkgraph.neo4j.bulk import export
    from linkgraph.rules import load_rules

    tables = for_graph(dataset.tables, *_categories(taxonomy_path, decisions_path))
    result = export(tables, out_dir, database=database, rules=load_rules(rules_path))
    click.echo(result.command_line())
    click.echo(f"已写入 / written: {out_dir}（节点 {result.nodes}，关系 {result.relationships}；"
               f"命令见 / command in {result.script}）", err=True)


def _categories(taxonomy_path: str | None, decisions_path: str | None) -> tuple:
    """(decisions, taxonomy) for ``for_graph`` from --decisions and --taxonomy."""
    tax, decisions = load_category_options(taxonomy_path, decisions_path)
    return decisions, tax


def _params(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict:
    out = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"应写成 k=v / use k=v, got {item!r}")
        out[key.strip()] = value
    return out


@neo4j.command()
@click.argument("name", metavar="NAME")
@click.option("--param", "-p", "params", multiple=True, callback=_params, metavar="K=V",
              help="查询参数（可重复），见 linkgraph cypher list / a query parameter "
                   "(repeatable)")
@connection_options
@format_options(("table", "csv", "json"))
def query(name: str, params: dict, uri, user, neo4j_password, database, fmt, out) -> None:
    """运行 cypher/ 中的一个查询 / run one query of the cypher/ library.

    NAME is a file of cypher/ without .cypher (`linkgraph cypher list`
    shows them with their parameters and defaults).  Values are passed as
    $parameters, never pasted into the query.

    \b
    Example:
      linkgraph neo4j query overdue_leads --param as_of=2026-06-30 --format csv
      linkgraph neo4j query conflict_paths -p team_id=T0055 -p unit_id=U0519
    """
    from linkgraph.neo4j.connection import connect
    from linkgraph.neo4j.library import get_query, parameters, run_query

    q = get_query(name)
    parameters(q, params)  # bad names and values fail before connecting
    with connect(_settings(uri, user, neo4j_password, database)) as conn:
        records = run_query(conn, q.name, params)
    emit(records, fmt, out)
    click.echo(f"{q.name}：{len(records)} 行 / rows", err=True)


@click.group(cls=BilingualGroup)
def cypher() -> None:
    """cypher/ 查询库 / the Cypher query library.

    \b
    Example:
      linkgraph cypher list
    """


@cypher.command("list")
@format_options(("table", "csv", "json"))
def list_queries(fmt, out) -> None:
    """列出查询及其参数 / list the queries with their parameters and columns.

    \b
    Example:
      linkgraph cypher list --format json
    """
    from linkgraph.neo4j.library import queries

    records = [{"name": q.name, "title": q.title,
                "parameters": "; ".join(f"{p.name} ({p.type}, {p.default})"
                                        for p in q.parameters),
                "returns": q.returns} for q in queries().values()]
    emit(records, fmt, out)

