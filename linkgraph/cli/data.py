"""Commands about the data itself: generate, validate, stats."""
from __future__ import annotations

import click

from linkgraph.cli.options import (_as_of, data_argument, emit, format_options, load_data,
                                   pass_dataset, refuse_overwriting_inputs, resolve_format)


def _scale(value: str) -> str | int:
    if value in ("county", "city", "province"):
        return value
    try:
        n = int(value)
    except ValueError:
        raise click.BadParameter("应为 county、city、province 或单位数量 / "
                                 "county, city, province or a number of units") from None
    if n < 20:
        raise click.BadParameter("单位数量至少 20 / at least 20 units")
    return n


def scale_option(default: str):
    return click.option("--scale", default=default, show_default=True,
                        callback=lambda c, p, v: _scale(v),
                        help="county | city | province | 单位数量 (number of units)")


AS_OF = "2026-06-30"


@click.command()
@click.argument("out", type=click.Path(file_okay=False))
@scale_option("county")
@click.option("--seed", type=int, default=0, show_default=True, help="随机种子 / random seed")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv",
              show_default=True, help="每表一个 CSV，或一个 XLSX 工作簿 / one CSV per table or "
              "one workbook")
@click.option("--encoding", type=click.Choice(["utf-8", "gb18030"]), default="utf-8",
              show_default=True, help="CSV 编码 / CSV encoding")
@click.option("--headers", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="中文或英文表名列名 / Chinese or English table and column names")
@click.option("--messy", is_flag=True,
              help="模仿手工台账：日期格式混杂、全角编码、多余空格 / imitate hand-made ledgers")
@click.option("--as-of", "as_of", metavar="DATE", default=AS_OF, callback=_as_of,
              show_default=True, help="数据的“今天”（台账的日期写法均可） / the data's "
              "reference date (any date form the ledgers use)")
@click.option("--realism", type=click.Choice(["tidy", "high"]), default="tidy",
              show_default=True,
              help="high：像真实台账一样（类别写法不一、长文本套话、口语亲属称谓、任职结束时间空缺）"
                   " / high: read like real ledgers")
@click.option("--style", type=click.Choice(["contract", "office"]), default="contract",
              show_default=True,
              help="office：按巡察办实际台账的样式写（OUT/office 台账、OUT/contract 对照数据、"
                   "OUT/truth.json） / office: ledgers as offices keep them, plus the contract "
                   "twin and the truth")
def generate(out: str, scale, seed: int, fmt: str, encoding: str, headers: str, messy: bool,
             as_of, realism: str, style: str) -> None:
    """生成合成台账（含埋设的真值 truth.json） / write a synthetic dataset.

    Writes a realistic dataset in the data contract's format with the planted
    truth (systemic clusters, conflicts, overdue leads, audit-only findings)
    in OUT/truth.json.  Deterministic for a seed.  With --style office the
    same data is written as an office keeps it (OUT/office: 整改台账, 线索台账,
    干部名册 … naming units and people, laid out for printing), with its
    contract-format twin in OUT/contract; --format, --encoding, --headers and
    --messy then do not apply.

    \b
    Example:
      linkgraph generate city-data --scale city --seed 7 --format xlsx --encoding gb18030
      linkgraph generate county-ledgers --style office --realism high
    """
    from loaders.generator import generate as make, write_dataset

    from linkgraph.cli.options import StderrProgress

    click.echo(f"生成 / generating {scale} (seed {seed}) …", err=True)
    data = make(scale, seed=seed, as_of=as_of, realism=realism)
    if style == "office":
        from loaders.generator.office import write_office

        write_office(data, out, progress=StderrProgress("写入 / writing"))
    else:
        write_dataset(data, out, fmt=fmt, encoding=encoding, headers=headers, messy=messy,
                      progress=StderrProgress("写入 / writing"))
    rows = sum(len(t) for t in data.tables.values())
    click.echo(f"已写入 / written: {out}（{rows} 行 / rows）", err=True)


@click.command()
@data_argument
@format_options()
@click.option("--rules", type=click.Path(dir_okay=False), default=None,
              help="规则文件（扩展关系用语） / rules file (extra relation words)")
@click.option("--all", "show_all", is_flag=True, help="在屏幕上列出全部问题 / list every problem")
def validate(data: str, fmt: str | None, out: str | None, rules: str | None,
             show_all: bool) -> None:
    """检查台账是否符合数据约定 / check ledgers against the data contract.

    Reports every problem (file, row, column, value, reason), not just the
    first; exits 0 when the data is clean, 1 otherwise.

    \b
    Example:
      linkgraph validate ledgers/ --out problems.xlsx
    """
    from linkgraph.cli.errors import violation_table

    from linkgraph.errors import InputError

    refuse_overwriting_inputs(data, {"--out": out})
    try:
        dataset = load_data(data, lenient=True, rejects="", rules=rules, quiet=True)
    except InputError as exc:
        hint = _office_hint(data)
        if hint is None:
            raise
        raise InputError(f"{exc}\n{hint}") from None
    errors, warnings = dataset.errors, dataset.warnings
    counts = [{"table": c.table, "file": c.file, "read": c.read, "loaded": c.loaded,
               "rejected": c.rejected} for c in dataset.counts]
    fmt = resolve_format(fmt, out)
    if fmt == "table" and not out:
        from linkgraph.cli.options import output_lang

        en = output_lang() == "en"
        click.echo(f"data: {data}" if en else f"数据：{data}")
        emit(counts, "table", None)
        if dataset.violations:
            click.echo(f"\nproblems: {len(errors)} errors, {len(warnings)} warnings" if en else
                       f"\n问题：{len(errors)} 处错误，{len(warnings)} 处提示")
            click.echo(violation_table(list(errors) + list(warnings),
                                       None if show_all else 50), nl=False)
    else:
        emit({"problems": [v.as_record() for v in dataset.violations], "counts": counts},
             fmt, out)
    verdict = ("通过 / clean" if not errors else
               f"未通过 / {len(errors)} errors in {dataset.rows_rejected} rows")
    click.echo(f"读取 {dataset.rows_read} 行，合格 {dataset.rows_loaded}，不合格 "
               f"{dataset.rows_rejected}：{verdict}", err=True)
    hint = _office_hint(data) if errors else None
    if hint:
        click.secho(hint, fg="yellow", err=True)
    click.get_current_context().exit(1 if errors else 0)


def _office_hint(data: str) -> str | None:
    """Office ledgers handed to validate: say what they are and what to run."""
    from loaders.office.detect import office_words

    words = office_words(data)
    if not words:
        return None
    return (f"提示：{data} 看起来是巡察办自己的台账（有“{'”“'.join(words[:5])}”等，"
            f"没有编码列），不是数据约定格式。请先导入：linkgraph import {data} --out DATA，"
            f"再对 DATA 运行各命令 / hint: {data} looks like office ledgers (no code "
            f"columns), not the data contract; run: linkgraph import {data} --out DATA")


@click.command()
@pass_dataset
@format_options()
def stats(dataset, rules_path, fmt: str | None, out: str | None) -> None:
    """各类节点与关系的数量 / nodes per label and relationships per type.

    \b
    Example:
      linkgraph stats ledgers/ --format json
    """
    from linkgraph.graph import graph_counts
    from linkgraph.model import LABEL_ZH, LABELS, REL_TYPES, REL_ZH
    from linkgraph.rules import load_rules

    labels, types = graph_counts(dataset, load_rules(rules_path))
    from linkgraph.cli.options import output_lang
    from linkgraph.views.text import edge_name, label_name

    lang = output_lang()   # the graph's labels and types as Neo4j knows them, and their names
    nodes = [{"label": k, "label_name": label_name(k, lang) if lang == "en" else LABEL_ZH[k],
              "count": labels[k]} for k in LABELS]
    rels = [{"type": k, "name": edge_name(k, lang) if lang == "en" else REL_ZH[k],
             "count": types[k]} for k in REL_TYPES]
    doc = {"nodes": {k: labels[k] for k in LABELS},
           "relationships": {k: types[k] for k in REL_TYPES}}
    emit({"nodes": nodes, "relationships": rels}, fmt, out, json_doc=doc)
