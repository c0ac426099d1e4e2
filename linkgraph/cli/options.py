"""Options shared by the commands, and the two things every command does:
load the data (with the account of rows) and emit records."""
from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

import click

from linkgraph import output
from linkgraph.errors import redact_secrets

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def _compose(*decorators: Decorator) -> Decorator:
    def apply(f: Callable[..., Any]) -> Callable[..., Any]:
        for d in reversed(decorators):
            f = d(f)
        return f
    return apply


data_argument = click.argument("data", metavar="DATA")

#: DATA may be left out when --from-neo4j names the server instead.
optional_data_argument = click.argument("data", metavar="DATA", required=False)

seed_option = click.option("--seed", type=int, default=0, show_default=True,
                           help="随机种子：同样的输入和种子给出同样的结果 / random seed")


def _as_of(ctx: click.Context, param: click.Parameter, value: Any):
    import datetime as dt

    return value.date() if value is not None else dt.date.today()


as_of_option = click.option(
    "--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None, callback=_as_of,
    help="按此日期计算期限（默认今天；写明日期可复现结果） / judge time limits as of this "
         "date (default today; give one for reproducible output)")


def format_options(formats: Sequence[str] = ("table", "csv", "json", "xlsx")) -> Decorator:
    return _compose(
        click.option("--format", "-f", "fmt", type=click.Choice(list(formats)), default=None,
                     help="输出格式 / output format (default: table, or by --out suffix)"),
        click.option("--out", "-o", type=click.Path(dir_okay=False), default=None,
                     help="写入文件而不是屏幕 / write to this file instead of the screen"),
    )


load_options = _compose(
    click.option("--lenient", is_flag=True,
                 help="只载入合格的行，拒收的行及原因写入 --rejects 文件"
                      " / load the valid rows, write the rejected ones to --rejects"),
    click.option("--rejects", type=click.Path(dir_okay=False), default="rejected.csv",
                 show_default=True, help="--lenient 时拒收行的去处 / where --lenient writes "
                 "rejected rows"),
    click.option("--rules", type=click.Path(dir_okay=False), default=None,
                 help="规则文件（TOML），覆盖默认规则 / rules file overriding the defaults"),
    click.option("--from-neo4j", "from_neo4j", is_flag=True,
                 help="从 Neo4j 读取数据（NEO4J_URI/NEO4J_USERNAME/NEO4J_PASSWORD，"
                      "NEO4J_DATABASE）；DATA 也可直接写 neo4j://主机:端口/数据库 / read "
                      "the graph from Neo4j instead of files (DATA may also be a "
                      "neo4j:// or bolt:// URI)"),
)


def resolve_format(fmt: str | None, out: str | None) -> str:
    if fmt:
        if fmt == "xlsx" and not out:
            raise click.UsageError("--format xlsx 需要 --out FILE.xlsx / xlsx needs --out")
        return fmt
    if out:
        suffix = Path(out).suffix.lower().lstrip(".")
        if suffix in output.FORMATS:
            return suffix
    return "table"


SECRET_PARAMETERS = ("password", "passwd", "secret", "token")


def current_provenance():
    """Provenance of the running command: its path, parameters and inputs."""
    from linkgraph.provenance import Provenance

    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return Provenance("linkgraph")
    params = {k: v for k, v in ctx.params.items()
              if not any(word in k.lower() for word in SECRET_PARAMETERS)}
    pseudonyms = ctx.meta.get("linkgraph.pseudonyms")
    if pseudonyms is not None:  # a person named on the command line stays pseudonymous
        from linkgraph.privacy import NameScrubber

        import re

        scrub = NameScrubber(pseudonyms)

        def hide(v: str) -> str:   # "person:P3" too, not only "P3"
            return scrub(re.sub(r"[^\s:,;=]+", lambda m: pseudonyms.ids.get(m[0], m[0]), v))
        params = {k: (hide(v) if isinstance(v, str) else v) for k, v in params.items()}
    return Provenance(ctx.command_path, params, ctx.meta.get("linkgraph.inputs", ()))


def with_provenance(doc: Any) -> dict[str, Any]:
    """A JSON document with the provenance block: lists go under "records"."""
    prov = current_provenance().as_record()
    if isinstance(doc, Mapping):
        return {**doc, "provenance": prov}
    return {"records": list(doc), "provenance": prov}


def emit(records: Sequence[Mapping[str, Any]] | Mapping[str, Sequence[Mapping[str, Any]]],
         fmt: str | None, out: str | None, *, columns: Sequence[str] | None = None,
         json_doc: Any = None) -> None:
    """Print or write records.  A mapping of sheet name -> records gives one
    section (or XLSX sheet) per entry; ``json_doc`` replaces the JSON body.
    JSON and XLSX carry the provenance (inputs' hashes, version, command)."""
    fmt = resolve_format(fmt, out)
    sheets = records if isinstance(records, Mapping) else {"records": records}
    if fmt == "xlsx":
        output.write_xlsx({**sheets, "来源 provenance": current_provenance().rows()}, out,
                          {name: columns for name in sheets} if columns else None)
        click.echo(f"已写入 / written: {out}", err=True)
        return
    if fmt == "json":
        text = output.to_json(with_provenance(json_doc if json_doc is not None else records))
    elif len(sheets) == 1:
        text = output.render(next(iter(sheets.values())), fmt, columns)
    else:
        parts = []
        for name, recs in sheets.items():
            body = output.render(recs, fmt, columns)
            parts.append(f"# {name}\n{body}" if fmt == "csv" else f"== {name} ==\n{body}")
        text = "\n".join(parts)
    if out:
        output.write_text(text, out, bom=(fmt == "csv"))
        click.echo(f"已写入 / written: {out}", err=True)
    else:
        click.echo(text, nl=False)


class StderrProgress:
    """A progress bar on stderr for the loader, shown only on a terminal."""

    def __init__(self, label: str):
        self.label = label
        self.bar = None

    def __call__(self, item: str, done: int, total: int) -> None:
        if not sys.stderr.isatty() or total <= 1:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr,
                                         item_show_func=lambda x: x)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos, item)
        if done >= total:
            self.bar.__exit__(None, None, None)


privacy_options = _compose(
    click.option("--pseudonymize", is_flag=True,
                 help="脱敏：人名换成稳定化名（王某1），人员编码换成散列，正文中的姓名一并替换"
                      " / replace people's names by stable aliases and their ids by keyed "
                      "hashes, also inside free text"),
    click.option("--pseudonym-map", type=click.Path(dir_okay=False), default=None,
                 help="把化名与真实人员的对照表写到此文件（仅在指定时写出，注意保管）"
                      " / write the alias → real person key to this file (only when given)"),
)


def _neo4j_data(uri: str | None, quiet: bool):
    """DATA pulled from Neo4j: the URI given (or NEO4J_URI), password from
    NEO4J_PASSWORD; the input recorded with a digest of the pulled tables."""
    from linkgraph.neo4j.connection import Settings
    from linkgraph.neo4j.pull import dataset_from_neo4j, tables_digest

    settings = Settings.from_env(uri=uri)
    dataset = dataset_from_neo4j(settings, StderrProgress("读取 Neo4j / pulling"))
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.meta["linkgraph.inputs"] = [{"path": settings.where,
                                         "sha256": tables_digest(dataset.tables),
                                         "size": dataset.rows_loaded}]
    if not quiet:
        click.echo(f"从 Neo4j 读取 {dataset.rows_loaded} 行（{settings.where}） / pulled "
                   f"{dataset.rows_loaded} rows from {settings.where}", err=True)
    return dataset


def _pseudonymized(dataset, pseudonym_map: str | None):
    """The dataset with people replaced by aliases (the key written only to
    ``pseudonym_map``); the aliases are kept for person arguments."""
    from linkgraph.privacy import pseudonymize_dataset

    dataset, pseudonyms = pseudonymize_dataset(dataset)
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.meta["linkgraph.pseudonyms"] = pseudonyms
    if pseudonym_map:
        output.write_text(output.to_csv(pseudonyms.records()), pseudonym_map, bom=True)
        click.echo(f"化名对照表已写入 / alias key written: {pseudonym_map}", err=True)
    return dataset


def load_data(data: str | None, lenient: bool = False, rejects: str = "rejected.csv",
              rules: str | None = None, *, quiet: bool = False, from_neo4j: bool = False,
              pseudonymize: bool = False, pseudonym_map: str | None = None,
              needs: Collection[str] | None = None):
    """Load DATA for a command and say how many rows were read/loaded/rejected.

    DATA that is a ``neo4j://``/``bolt://`` URI, or ``from_neo4j`` (then DATA,
    if given, is the URI), pulls the graph from that Neo4j server instead.
    ``pseudonymize`` replaces people by aliases before anything else sees them.
    ``needs``: the tables the command reads; an error elsewhere does not stop it."""
    from linkgraph.dataset import load_dataset
    from linkgraph.neo4j.connection import is_neo4j_uri
    from linkgraph.rules import load_rules

    if pseudonym_map and not pseudonymize:
        raise click.UsageError("--pseudonym-map 需要 --pseudonymize / needs --pseudonymize")
    if from_neo4j or is_neo4j_uri(data):
        if data is not None and not is_neo4j_uri(data):
            raise click.UsageError(f"--from-neo4j 时 DATA 应为 neo4j:// 地址或省略 / with "
                                   f"--from-neo4j, DATA must be a neo4j:// URI or left out "
                                   f"(got {redact_secrets(data)!r})")
        dataset = _neo4j_data(data, quiet)
        return _pseudonymized(dataset, pseudonym_map) if pseudonymize else dataset
    if data is None:
        raise click.UsageError("缺少参数 DATA / missing argument DATA")

    dataset = load_dataset(data, lenient=lenient, rules=load_rules(rules),
                           progress=StderrProgress("读取 / reading"), needs=needs)
    if pseudonymize:
        dataset = _pseudonymized(dataset, pseudonym_map)
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.meta["linkgraph.inputs"] = [{"path": f.path, "sha256": f.sha256, "size": f.size}
                                        for f in dataset.files]
    if dataset.rows_rejected and rejects:
        output.write_text(output.to_csv(dataset.rejected_records()), rejects, bom=True)
    if not quiet:
        msg = (f"读取 {dataset.rows_read} 行：载入 {dataset.rows_loaded}，拒收 "
               f"{dataset.rows_rejected} / read {dataset.rows_read} rows: loaded "
               f"{dataset.rows_loaded}, rejected {dataset.rows_rejected}")
        if dataset.rows_rejected and rejects:
            msg += f"（原因见 / reasons in {rejects}）"
        click.echo(msg, err=True)
        _unread_errors(dataset, lenient, needs)
    return dataset


def _unread_errors(dataset, lenient: bool, needs: Collection[str] | None) -> None:
    """Say which tables had errors the command went on without."""
    if lenient or needs is None or not dataset.errors:
        return
    from linkgraph.dataset import needed_tables

    used = needed_tables(needs)
    skipped = sorted({v.table for v in dataset.errors if v.table not in used})
    if skipped:
        click.echo(f"注意：{'、'.join(skipped)} 表有错误的行已拒收；本命令不读取这些表，结果不受影响"
                   f" / note: rows with errors rejected in {', '.join(skipped)}; this command "
                   f"does not read those tables", err=True)


def person_arg(value: str) -> str:
    """A person id the user typed, as the (possibly pseudonymised) data knows it:
    with --pseudonymize the real id (or the alias id itself) is accepted."""
    ctx = click.get_current_context(silent=True)
    pseudonyms = ctx.meta.get("linkgraph.pseudonyms") if ctx is not None else None
    if pseudonyms is None:
        return value
    return pseudonyms.ids.get(value.strip(), value)


def refuse_overwriting_inputs(data: str | None, outputs: Mapping[str, str | None]) -> None:
    """No output may replace an input ledger or land where DATA would read it
    back as a table: ``--rejects DATA/units.csv`` must never replace units.csv.
    ``outputs`` maps an option name to the path it writes (a file, or a
    folder for report/view outputs)."""
    from linkgraph.neo4j.connection import is_neo4j_uri
    from loaders.sources import table_file_suffixes

    if not data or is_neo4j_uri(data):
        return
    root = Path(data).resolve()
    inputs = ({p.resolve() for p in root.iterdir() if p.is_file()} if root.is_dir()
              else {root})
    for option, target in outputs.items():
        if not target:
            continue
        path = Path(target).resolve()
        if path in inputs:
            raise click.UsageError(f"{option} {target} 是输入的数据文件，写入会覆盖它；请换一个路径"
                                   f" / {option} {target} is an input ledger and would be "
                                   "overwritten; choose another path")
        if root.is_dir() and (path == root or (path.parent == root
                                               and path.suffix.lower() in table_file_suffixes())):
            raise click.UsageError(f"{option} {target} 在数据文件夹 {data} 里，下次会被当作数据表"
                                   f"读入；请写到数据文件夹之外 / {option} {target} is inside DATA "
                                   "and would be read back as a table; write it outside DATA")


def pass_dataset(f: Callable[..., Any] | None = None, *,
                 needs: Collection[str] | None = None) -> Any:
    """Turn DATA + load options into a ``dataset`` argument.

    ``@pass_dataset(needs=("units", "problems"))`` names the tables the
    command reads: an error in another table does not stop it (the rejected
    rows are still counted and written to --rejects).  Bare ``@pass_dataset``
    reads every table."""
    from linkgraph.dataset import needed_tables

    def decorate(f: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(f)
        def wrapper(*args: Any, data: str | None, lenient: bool, rejects: str,
                    rules: str | None, from_neo4j: bool, pseudonymize: bool,
                    pseudonym_map: str | None, **kwargs: Any) -> Any:
            refuse_overwriting_inputs(data, {"--rejects": rejects if lenient else None,
                                             "--out": kwargs.get("out"),
                                             "--pseudonym-map": pseudonym_map})
            dataset = load_data(data, lenient, rejects, rules, from_neo4j=from_neo4j,
                                pseudonymize=pseudonymize, pseudonym_map=pseudonym_map,
                                needs=needs)
            return f(*args, dataset=dataset, rules_path=rules, **kwargs)
        wrapper.needs = needs  # type: ignore[attr-defined]
        if needs is not None and wrapper.__doc__ and "\n    \b\n    Example" in wrapper.__doc__:
            reads = ", ".join(sorted(needed_tables(needs)))
            wrapper.__doc__ = wrapper.__doc__.replace(
                "\n    \b\n    Example", f"\n    读取的表 / reads: {reads}.\n\n    \b\n    Example", 1)
        return optional_data_argument(load_options(privacy_options(wrapper)))
    return decorate(f) if f is not None else decorate


#: The tables each analysis reads (the tables they refer to are added by
#: ``dataset.needed_tables``).
CONFLICT_TABLES = ("units", "regions", "people", "posts", "ties", "rounds", "teams",
                   "team_members", "assignments")
NEEDS: dict[str, tuple[str, ...]] = {
    "clusters": ("problems", "units", "regions", "departments", "assignments", "rounds"),
    "conflicts": CONFLICT_TABLES,
    "rotate": CONFLICT_TABLES + ("problems",),
    "leads": ("leads", "problems", "ties", "departments", "people", "units", "rounds"),
    "audit": ("audits", "problems", "units", "rounds", "assignments"),
    "rectification": ("measures", "problems", "rounds", "units", "departments", "people"),
    "coverage": ("units", "regions", "rounds", "assignments", "problems", "teams"),
    "priorities": ("units", "regions", "petitions", "posts", "people", "problems", "audits",
                   "measures", "leads", "rounds", "assignments", "departments"),
}
