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


def parse_as_of(value: str):
    """A date typed as the ledgers write them (2023-10-15, 2023/10/15,
    2023.10.15, 2023年10月15日, 20231015); a month alone (2023年10月,
    2023-10) means its last day — "as of October" is the state at its end.
    None when the text is no date."""
    import re

    import pandas as pd

    from linkgraph.normalize import dates

    text = value.strip()
    parsed, _ = dates(pd.Series([text], dtype=object))
    when = parsed.iloc[0]
    if pd.isna(when):
        return None
    month_only = re.fullmatch(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*月?", text)
    if month_only:
        when = when + pd.offsets.MonthEnd(0)
    return when.date()


def _as_of(ctx: click.Context, param: click.Parameter, value: Any):
    import datetime as dt

    if value is None:
        return dt.date.today()
    parsed = parse_as_of(str(value))
    if parsed is None:
        raise click.BadParameter(
            f"{value!r} 不是日期；可写 2026-06-30、2026/6/30、2026.6.30、2026年6月30日、"
            f"20260630 或 2026年6月（月末） / not a date: write 2026-06-30, 2026/6/30, "
            f"2026年6月30日, 20260630 or 2026年6月 (its last day)", ctx=ctx, param=param)
    return parsed


as_of_option = click.option(
    "--as-of", "as_of", metavar="DATE", default=None, callback=_as_of,
    help="按此日期计算期限（默认今天；写明日期可复现结果；台账的日期写法均可，只写年月按月末）"
         " / judge time limits as of this date (default today; any date form the ledgers "
         "use; a month alone means its last day)")


def out_file(ctx: click.Context, param: click.Parameter, value: Any):
    """``--out FILE``: its folder made now, before the work, so a path that
    cannot be written fails at once and not after minutes of analysis."""
    if value is None:
        return None
    from linkgraph.errors import LinkgraphError

    try:
        output.target_path(value)
    except LinkgraphError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None
    return value


def _keep(name: str):
    def store(ctx: click.Context, param: click.Parameter, value: Any):
        if value is not None:
            ctx.meta[name] = value
        return value
    return store


def output_lang() -> str:
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get("linkgraph.lang", "zh") if ctx is not None else "zh"


lang_output_option = click.option(
    "--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
    expose_value=False, is_eager=True, callback=_keep("linkgraph.lang"),
    help="输出语言：表头、工作表名与取值 / language of headers, sheet names and values")

headers_option = click.option(
    "--headers", type=click.Choice(["zh", "en", "id"]), default=None, expose_value=False,
    callback=_keep("linkgraph.headers"),
    help="列名：中文、英文或字段名（默认：屏幕与 XLSX 用 --lang，CSV 用字段名）/ column "
         "names: Chinese, English or field ids (default: --lang on screen and in XLSX, "
         "field ids in CSV)")


def format_options(formats: Sequence[str] = ("table", "csv", "json", "xlsx")) -> Decorator:
    return _compose(
        lang_output_option,
        headers_option,
        click.option("--format", "-f", "fmt", type=click.Choice(list(formats)), default=None,
                     help="输出格式 / output format (default: table, or by --out suffix)"),
        click.option("--out", "-o", type=click.Path(dir_okay=False), default=None,
                     callback=out_file, expose_value=True,
                     help="写入文件而不是屏幕（文件夹不存在时自动创建）/ write to this file "
                          "instead of the screen (its folder is created)"),
    )


load_options = _compose(
    click.option("--lenient", is_flag=True,
                 help="只载入合格的行，拒收的行及原因写入 --rejects 文件"
                      " / load the valid rows, write the rejected ones to --rejects"),
    click.option("--rejects", type=click.Path(dir_okay=False), default="rejected.csv",
                 show_default=True, help="--lenient 时拒收行的去处 / where --lenient writes "
                 "rejected rows"),
    click.option("--allow-partial", "allow_partial", is_flag=True,
                 help="--lenient 时即使某表丢失过半的行也继续 / with --lenient, go on even "
                      "when a table lost more than half its rows"),
    click.option("--rules", type=click.Path(dir_okay=False), default=None,
                 help="规则文件（TOML），只替换其中写出的键，其余用 linkgraph/data/rules.toml 的默认值"
                      " / rules file: the keys it sets replace those of the shipped "
                      "linkgraph/data/rules.toml, whose defaults the help quotes"),
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


def _command_title(lang: str) -> str:
    """The running command's one-line help in ``lang`` (its "中文 / English")."""
    ctx = click.get_current_context(silent=True)
    if ctx is None or not ctx.command.help:
        return "linkgraph"
    first = ctx.command.help.strip().splitlines()[0]
    import re

    zh, en = (re.split(r"\s*/\s+", first, maxsplit=1) + [""])[:2]
    return (en or zh).strip().rstrip(".") if lang == "en" else zh.strip()


def workbook_names() -> dict[str, dict[str, str]]:
    """id -> name of the loaded dataset's units, people, teams … (for
    workbooks: names beside ids)."""
    from linkgraph.workbook import names_of

    ctx = click.get_current_context(silent=True)
    dataset = ctx.meta.get("linkgraph.dataset") if ctx is not None else None
    return {} if dataset is None else names_of(dataset.tables)


def write_workbook(sheets: Mapping[str, Sequence[Mapping[str, Any]]], out: str,
                   columns: Mapping[str, Sequence[str]] | None = None, *,
                   reasons: Mapping[str, str] | None = None) -> None:
    """The command's sheets as a printable workbook in the output language,
    with the provenance sheet last."""
    lang = output_lang()
    ctx = click.get_current_context(silent=True)
    as_of = ctx.params.get("as_of") if ctx is not None else None
    output.write_xlsx({**sheets, "provenance": current_provenance().rows(lang)}, out, columns,
                      lang=lang, title=_command_title(lang),
                      as_of=str(as_of) if as_of else None, reasons=reasons, names=workbook_names())


def emit(records: Sequence[Mapping[str, Any]] | Mapping[str, Sequence[Mapping[str, Any]]],
         fmt: str | None, out: str | None, *, columns: Sequence[str] | None = None,
         json_doc: Any = None, reasons: Mapping[str, str] | None = None) -> None:
    """Print or write records.  A mapping of sheet name -> records gives one
    section (or XLSX sheet) per entry; ``json_doc`` replaces the JSON body.
    JSON and XLSX carry the provenance (inputs' hashes, version, command)."""
    fmt = resolve_format(fmt, out)
    sheets = records if isinstance(records, Mapping) else {"records": records}
    share = _loaded_share()
    if share is not None:  # a --lenient result says how much of each table it rests on
        if fmt == "json":
            body = json_doc if json_doc is not None else records
            json_doc = ({**body, "loaded_share": share} if isinstance(body, Mapping)
                        else {"records": list(body), "loaded_share": share})
        sheets = {**sheets, SHARE_SHEET: share}
    lang = output_lang()
    if fmt == "xlsx":
        assert out is not None, "resolve_format gives xlsx only for an --out file"
        write_workbook(sheets, out, {name: columns for name in sheets if name != SHARE_SHEET}
                       if columns else None, reasons=reasons)
        click.echo(f"已写入 / written: {out}", err=True)
        return
    if fmt == "json":
        text = output.to_json(with_provenance(json_doc if json_doc is not None else records))
    else:
        from linkgraph.catalogue import catalogue

        ctx = click.get_current_context(silent=True)
        chosen = ctx.meta.get("linkgraph.headers") if ctx is not None else None
        heads = chosen or (lang if fmt == "table" else "id")
        parts = []
        for name, recs in sheets.items():
            body = output.render(recs, fmt, None if name == SHARE_SHEET else columns, headers=heads,
                                 lang=lang, names=workbook_names() if heads != "id" else None)
            if fmt == "table" and not recs:
                reason = (reasons or {}).get(name)
                if lang == "en":
                    body = f"(none{': ' + reason if reason else ''})\n"
                else:
                    body = f"（无{'：' + reason if reason else ''}）\n"
            if len(sheets) == 1:
                parts.append(body)
                continue
            title = catalogue().sheet(name, lang)
            parts.append(f"# {title}\n{body}" if fmt == "csv" else f"== {title} ==\n{body}")
        text = "\n".join(parts)
    if out:
        output.write_text(text, out, bom=(fmt == "csv"))
        click.echo(f"已写入 / written: {out}", err=True)
    else:
        click.echo(text, nl=False)


#: The section a --lenient result carries: rows read and loaded per table.
SHARE_SHEET = "载入比例 loaded share"
#: A table that kept less than this share of its rows stops a --lenient command.
MIN_LOADED_SHARE = 0.5


def loaded_share(dataset) -> list[dict[str, Any]]:
    """Per table: rows read, loaded, rejected and the share loaded."""
    return [{"table": c.table, "file": c.file, "read": c.read, "loaded": c.loaded,
             "rejected": c.rejected,
             "share": round(c.loaded / c.read, 4) if c.read else 1.0}
            for c in dataset.counts]


def _loaded_share() -> list[dict[str, Any]] | None:
    ctx = click.get_current_context(silent=True)
    return None if ctx is None else ctx.find_root().meta.get("linkgraph.loaded_share")


def loaded_share_text() -> str | None:
    """The loaded share after a --lenient load, as one line (views, the report)."""
    share = _loaded_share()
    if share is None:
        return None
    return "；".join(f"{r['table']} {r['loaded']}/{r['read']}（{r['share']:.2%}）" for r in share)


def check_partial(dataset, allow_partial: bool) -> None:
    """After a --lenient load: keep the shares for the result, print them, and
    stop (exit 1) when a table lost more than half its rows, unless
    ``allow_partial``.  A result resting on a fraction of a table must not
    look like one resting on all of it."""
    from linkgraph.errors import LinkgraphError

    share = loaded_share(dataset)
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.find_root().meta["linkgraph.loaded_share"] = share
    lost = [r for r in share if r["read"] and r["share"] < MIN_LOADED_SHARE]
    if not any(r["rejected"] for r in share):
        return
    click.echo("载入比例 / loaded share (--lenient):\n" + output.to_table(share), err=True,
               nl=False)
    if lost and not allow_partial:
        names = "、".join(f"{r['table']}（{r['loaded']}/{r['read']}）" for r in lost)
        raise LinkgraphError(f"--lenient 载入后以下表丢失过半的行：{names}；结果会严重失真。请修正"
                             f"数据（linkgraph validate 列出全部问题），或加 --allow-partial 仍然"
                             f"继续 / these tables lost more than half their rows: {names}; fix "
                             f"the data or add --allow-partial to go on anyway")


class StderrProgress:
    """A progress bar on stderr for the loader, shown only on a terminal."""

    def __init__(self, label: str):
        self.label = label
        self.bar: Any = None

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
        ctx.meta["linkgraph.dataset"] = dataset
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


def refuse_rejected_round(dataset, round_id: str | None) -> None:
    """``--round X2`` when X2's row was rejected (``--lenient``): say so,
    with the row and its reason, instead of "no round X2"."""
    import re

    from linkgraph.errors import InputError

    if not round_id or round_id in set(dataset.tables["rounds"]["round_id"]):
        return
    rows = {v.row for v in dataset.errors if v.table == "rounds"}
    if not rows:
        return
    row = None
    for v in dataset.errors:
        m = re.search(r"rounds 第 (\d+) 行", v.reason)
        if v.column == "round_id" and v.value == round_id and m:
            row = int(m.group(1))
            break
    if row is not None:
        why = "；".join(v.reason.split(" / ")[0] for v in dataset.errors
                       if v.table == "rounds" and v.row == row)
        where = next(v.file for v in dataset.errors if v.table == "rounds" and v.row == row)
        raise InputError(f"轮次 {round_id} 在 {where} 第 {row} 行，但该行被拒收：{why}；请改正后重试"
                         f" / round {round_id} (row {row} of {where}) was rejected")
    raise InputError(f"没有载入轮次 {round_id}：轮次表有 {len(rows)} 行被拒收（第 "
                     f"{'、'.join(map(str, sorted(r for r in rows if r)[:10]))} 行），可能其中就有它；"
                     f"原因见拒收文件 / round {round_id} not loaded; {len(rows)} rounds rows were "
                     "rejected, it may be one of them")


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
                    allow_partial: bool, rules: str | None, from_neo4j: bool,
                    pseudonymize: bool, pseudonym_map: str | None, **kwargs: Any) -> Any:
            if allow_partial and not lenient:
                raise click.UsageError("--allow-partial 需要 --lenient / needs --lenient")
            refuse_overwriting_inputs(data, {"--rejects": rejects if lenient else None,
                                             "--out": kwargs.get("out"),
                                             "--pseudonym-map": pseudonym_map})
            dataset = load_data(data, lenient, rejects, rules, from_neo4j=from_neo4j,
                                pseudonymize=pseudonymize, pseudonym_map=pseudonym_map,
                                needs=needs)
            refuse_rejected_round(dataset, kwargs.get("round_id"))
            if lenient:
                check_partial(dataset, allow_partial)
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
    "staff": CONFLICT_TABLES + ("pool",),
    "leads": ("leads", "problems", "ties", "departments", "people", "units", "rounds"),
    "audit": ("audits", "problems", "units", "rounds", "assignments"),
    "rectification": ("measures", "problems", "rounds", "units", "departments", "people"),
    "coverage": ("units", "regions", "rounds", "assignments", "problems", "teams"),
    "results": ("problems", "measures", "rounds", "leads", "lead_people", "results", "reviews",
                "assignments", "units"),
    "yield": ("assignments", "rounds", "units", "problems", "leads", "teams"),
    "warnings": ("measures", "problems", "leads", "rounds", "posts", "people", "units",
                 "departments"),
    "priorities": ("units", "regions", "petitions", "posts", "people", "problems", "audits",
                   "measures", "leads", "rounds", "assignments", "departments"),
}


def round_or_latest(dataset, round_id: str | None) -> str | None:
    """The round a round command works on: the one given, else the latest
    round of the data (said on stderr); None when the data holds no rounds."""
    from linkgraph.analysis.ledger import latest_rounds

    if round_id:
        return round_id
    latest = latest_rounds(dataset.tables["rounds"], 1)
    if not latest:
        return None
    click.echo(f"未指定 --round，使用最近的轮次 {latest[0]} / no --round given: using the latest "
               f"round, {latest[0]}", err=True)
    return latest[0]


NO_ROUNDS = "数据中没有巡察轮次（rounds 表为空或缺失），无可分析的轮次 / the data holds no rounds"


def explain_empty(dataset, *tables: str) -> bool:
    """Say on stderr which of ``tables`` hold no rows — why an answer is
    empty ("无数据") — and return whether any of them is empty."""
    from linkgraph.schema import TABLE_BY_NAME

    empty = [t for t in tables if dataset.tables[t].empty]
    if empty:
        zh = "、".join(f"{TABLE_BY_NAME[t].aliases[0]}（{t}）" for t in empty)
        click.echo(f"无数据：{zh} 表为空或缺失，相关结果为空 / no data: the {', '.join(empty)} "
                   f"table{'s are' if len(empty) > 1 else ' is'} empty or missing, so the "
                   f"results that need {'them' if len(empty) > 1 else 'it'} are empty", err=True)
    return bool(empty)
