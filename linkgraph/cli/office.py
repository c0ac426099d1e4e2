"""``linkgraph import``: office ledgers (台账 as offices keep them) into DATA."""
from __future__ import annotations

from pathlib import Path

import click

from linkgraph.output import to_table

SHOW_AT_MOST = 50
#: The report's columns on a terminal (review.xlsx has them all).
TERMINAL_COLUMNS = ("file", "sheet", "table", "rows_read", "record_rows", "records", "non_data",
                    "rejected", "unaccounted")


def _pct(x) -> str:
    return "—" if x is None else f"{x:.2%}"


def _summary_lines(result, lang: str) -> list[str]:
    from loaders.office.wording import number, t, what_name

    report = result.report
    lines = []
    for s in report.sheets:
        if s.table is None and s.unaccounted_rows:
            lines.append(t("unmatched_sheet", lang).format(file=s.file, sheet=s.sheet,
                                                           rows=s.unaccounted_rows))
    for c in report.totals:
        rec = c.as_record()
        if c.matches is False:
            lines.append(t("mismatch", lang).format(**{
                **rec, "what": what_name(c.total.what, lang),
                "office": number(c.total.value), "imported": number(c.counted)}))
        elif c.convention:
            lines.append(t("convention_line", lang).format(
                **{**rec, "convention": t(c.convention, lang)}))
    comp = report.completion
    if comp.get("measures"):
        lines.append(t("completion_line", lang).format(
            **comp, rate_done=_pct(comp["ongoing_done"]), rate_open=_pct(comp["ongoing_open"])))
    review = result.review_path
    lines.append(t("review_items", lang).format(n=report.review, review=review)
                 if report.review else t("no_review", lang))
    return lines


@click.command("import")
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...",
                type=click.Path(exists=True))
@click.option("--out", "-o", "out", required=True, type=click.Path(file_okay=False),
              help="写入 DATA 文件夹（数据约定格式） / the DATA folder to write")
@click.option("--decisions", type=click.Path(exists=True, dir_okay=False), default=None,
              help="填好接受/拒绝的 review.xlsx：决定记入对照表，以后每次导入沿用 / a filled-in "
                   "review.xlsx: its decisions go into the crosswalk later imports reapply")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="报告语言 / language of the report")
def import_(sources: tuple[str, ...], out: str, decisions: str | None, lang: str) -> None:
    """把巡察办台账导入为数据文件夹 / turn office ledgers into a DATA folder.

    \b
    SOURCE is a workbook, a CSV or a folder of them, as the office keeps
    them: title rows, merged headers, section rows, 合计 and 签字 rows,
    units and people named rather than coded.  Each sheet is recognised by
    its header words.  Writes the contract tables (units.csv, problems.csv …)
    into DATA, so every command runs on it; DATA/import-report.json and
    DATA/review.xlsx say per sheet what was read as what and where every row
    went, and list every match left to the office (接受/拒绝).  Exits 1 when
    any row was rejected: the import is then incomplete.

    \b
    Example:
      linkgraph import 台账/ --out data
      linkgraph import 台账/ 干部名册.xlsx --out data --decisions data/review.xlsx
    """
    from loaders.office.importer import import_ledgers
    from loaders.office.review_book import rejected_rows, report_rows
    from loaders.office.wording import t

    click.echo(t("reading", lang), err=True)
    result = import_ledgers([Path(s) for s in sources], out, decisions=decisions, lang=lang)
    report = result.report
    shown = [t(k, lang) for k in TERMINAL_COLUMNS]
    click.echo(to_table(report_rows(report, lang), shown), nl=False)
    rejected = rejected_rows(report, lang)
    if rejected:
        click.echo("")
        click.echo(to_table(rejected[:SHOW_AT_MOST]), nl=False)
        if len(rejected) > SHOW_AT_MOST:
            click.echo(t("more_rejected", lang).format(n=len(rejected) - SHOW_AT_MOST,
                                                       report=result.report_path))
    for line in _summary_lines(result, lang):
        click.echo(line, err=True)
    rows = sum(report.written.values())
    if report.complete:
        click.secho(t("done_ok", lang).format(read=report.rows_read, tables=len(report.written),
                                              rows=rows, out=out), fg="green", err=True)
        click.echo(t("next_step", lang).format(out=out), err=True)
        return
    click.secho(t("done_partial", lang).format(read=report.rows_read,
                                               rejected=report.rows_rejected, out=out,
                                               report=result.report_path,
                                               review=result.review_path), fg="red", err=True)
    click.get_current_context().exit(1)
