"""``results`` (成果 figures and paragraph), ``warnings`` (红黄绿 early warnings)
and ``yield`` (problems and leads per unit by round kind and team)."""
from __future__ import annotations

import datetime as dt

import click

from linkgraph.cli.leads import frame_records
from linkgraph.cli.options import (NEEDS, as_of_option, emit, format_options, output_lang,
                                   pass_dataset)


def _total_row(res, label: str) -> dict:
    from linkgraph.analysis.results import GROUP_COLUMN

    return {GROUP_COLUMN[res.by]: label, **res.total}


@click.command()
@pass_dataset(needs=NEEDS["results"])
@as_of_option
@click.option("--round", "round_id", default=None, help="只算这一轮 / one round only")
@click.option("--term", default=None, help="只算这一届（rounds.term，如 第十五届） / one term only")
@click.option("--by", "by", type=click.Choice(["round", "unit", "team", "kind"]), default=None,
              help="并按轮次、单位、巡察组或巡察类型分列 / also per round, unit, team or kind")
@click.option("--ongoing-open", is_flag=True,
              help="长期坚持/持续整改的措施算未完成 / count ongoing measures as not completed")
@format_options()
def results(dataset, rules_path, as_of: dt.date, round_id: str | None, term: str | None,
            by: str | None, ongoing_open: bool, fmt, out) -> None:
    """巡察成果：通报口径的数字与一段文字 / the 成果 figures and paragraph of a round summary.

    \b
    Counts, as a round summary reports them: problems (立行立改, 重点关注),
    measures; 整改完成 and its rate within the concentrated period (feedback
    + [limits] rectification_report_months months) and as of --as-of, the
    rate's convention stated with it; 销号 after review (reviews table: a
    passed closing review; without reviews, the ledger status 已销号);
    制度 new + revised, 追缴（退回）资金, 挽回损失 and 追责问责 (results table);
    leads transferred, 办结, 立案 件/人 (lead_people: many people per lead),
    处分 人, 移送司法 人.  The paragraph follows the table (stdout); JSON and
    XLSX carry it too.

    \b
    Example:
      linkgraph results ledgers/ --round RD0003 --as-of 2026-06-30
      linkgraph results ledgers/ --term 第十五届 --by kind --out results.xlsx
    """
    from linkgraph.analysis.results import Scope
    from linkgraph.analysis.results import results as compute
    from linkgraph.analysis.results_text import paragraph
    from linkgraph.errors import LinkgraphError
    from linkgraph.rules import load_rules

    if round_id and term:
        raise LinkgraphError("--round 与 --term 只能给一个 / give --round or --term, not both")
    res = compute(dataset.tables, load_rules(rules_path), as_of, Scope(round_id, term), by,
                  False if ongoing_open else None)
    lang = output_lang()
    text = paragraph(dataset.tables, res, lang)
    figures = [res.total] if by is None else (
        frame_records(res.groups) + [_total_row(res, "合计" if lang == "zh" else "total")])
    emit({"figures": figures, "paragraph": [{"text": text}]}, fmt, out,
         json_doc={"figures": figures, "paragraph": text, "as_of": str(as_of)})


@click.command(name="warnings")
@pass_dataset(needs=NEEDS["warnings"])
@as_of_option
@click.option("--red", "red", type=int, default=None,
              help="距时限天数不超过此值为红色（默认 rules.toml [warnings] red_days） / red at "
                   "this many days or fewer before the deadline")
@click.option("--yellow", "yellow", type=int, default=None, help="黄色 / yellow threshold")
@click.option("--green", "green", type=int, default=None, help="绿色 / green threshold")
@format_options()
def warnings(dataset, rules_path, as_of: dt.date, red: int | None, yellow: int | None,
             green: int | None, fmt, out) -> None:
    """红黄绿预警：整改措施与问题线索临近时限 / early warnings before deadlines.

    \b
    Every open measure (not completed) and every open lead (not 办结) with a
    deadline is judged by the days left until it on --as-of: green at
    [warnings] green_days or fewer (default 20), yellow at yellow_days (10),
    red at red_days (0, the deadline day) or past it.  A warning names who
    it goes to: the owner at green, also the 分管领导 (the owner's superior in
    the unit: a deputy 副职 post) at yellow, also the unit's 一把手 at red.

    \b
    Example:
      linkgraph warnings ledgers/ --as-of 2026-06-30
      linkgraph warnings ledgers/ --as-of 2026-06-30 --out warnings.xlsx
    """
    from linkgraph.analysis.warnings import early_warnings, thresholds
    from linkgraph.rules import load_rules

    rules = load_rules(rules_path)
    levels = thresholds(rules, red=red, yellow=yellow, green=green)
    table = early_warnings(dataset.tables, rules, as_of, levels, output_lang())
    emit(frame_records(table), fmt, out)
    counts = table["warning_level"].value_counts() if len(table) else {}
    click.echo(f"截至 {as_of}：红色 {int(counts.get('red', 0))} 条，黄色 "
               f"{int(counts.get('yellow', 0))} 条，绿色 {int(counts.get('green', 0))} 条"
               f"（距时限 ≤{levels.red}/{levels.yellow}/{levels.green} 天）", err=True)


@click.command(name="yield")
@pass_dataset(needs=NEEDS["yield"])
@click.option("--term", default=None, help="只比较这一届 / one term only")
@click.option("--teams", is_flag=True, help="并列出每个巡察组的户均发现 / also per team")
@format_options()
def yield_(dataset, rules_path, term: str | None, teams: bool, fmt, out) -> None:
    """发现率比较：交叉、提级、联动巡察与常规巡察 / yield by round kind and team.

    \b
    Problems and leads per inspected unit of 交叉 (cross), 提级 (elevated) and
    联动 (linked) rounds against the ordinary rounds (常规, and 对村巡察 for
    villages) of the same term, the baseline standardised to the same mix of
    unit kinds (units.kind).  Gives the ratio (高出 = ratio − 1), its 95 %
    confidence interval (delta method on the log ratio) and a two-sided
    p-value, so a leading group sees whether 交叉 really finds more.
    --teams adds each team's problems and leads per unit and its ratio to
    the ordinary rounds' mean.

    \b
    Example:
      linkgraph yield ledgers/ --term 第十五届
      linkgraph yield ledgers/ --teams --out yield.xlsx
    """
    from linkgraph.analysis.yields import yield_by_kind, yield_by_team

    tables = dataset.tables
    by_kind = yield_by_kind(tables)
    if term is not None:
        by_kind = by_kind[by_kind["term"] == term]
    sheets = {"yield_by_kind": frame_records(by_kind)}
    if teams:
        by_team = yield_by_team(tables)
        if term is not None:
            by_team = by_team[by_team["term"] == term]
        sheets["yield_by_team"] = frame_records(by_team)
    emit(sheets if teams else sheets["yield_by_kind"], fmt, out)
    from linkgraph.catalogue import catalogue

    for r in sheets["yield_by_kind"]:
        if r["ratio"] is not None:
            word = "问题" if r["figure"] == "problems" else "线索"
            click.echo(f"{r['term']} {catalogue().label('round_kind', r['kind_a'])} 户均{word} {r['per_unit_a']} vs "
                       f"{r['per_unit_b']}：高出 {r['excess']:+.0%}（95% 区间 {r['ci_low']}–"
                       f"{r['ci_high']} 倍，p={r['p_value']}）", err=True)
