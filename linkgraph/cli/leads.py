"""``linkgraph leads``: the 室组办 linkage."""
from __future__ import annotations

import datetime as dt

import click

from linkgraph.cli.options import (
    NEEDS,
    as_of_option,
    emit,
    explain_empty,
    format_options,
    pass_dataset,
    resolve_format,
)

#: What the terminal table shows of each lead (files get every column).
TABLE_COLUMNS = ("lead_id", "unit_name", "person_name", "dept_name", "stage", "transfer_date",
                 "received_date", "due_date", "closed_date", "disposition", "outcome",
                 "overdue_reason", "missing_signatures")
OVERDUE_TABLE_COLUMNS = ("lead_id", "unit_name", "person_name", "dept_name", "stage",
                         "transfer_date", "received_date", "due_date", "due_source",
                         "closed_date", "overdue_days", "overdue_reason")


def frame_records(frame, columns=None) -> list[dict]:
    from linkgraph.analysis.ledger import to_records

    if columns is None:
        return to_records(frame)
    cols = list(columns)   # with the English twin (x_en) of each column chosen
    cols += [f"{c}_en" for c in columns if f"{c}_en" in frame.columns and f"{c}_en" not in cols]
    return to_records(frame[cols])


def _joins(value: str) -> tuple[str, ...]:
    from linkgraph.analysis.lead_networks import JOINS

    joins = tuple(j.strip() for j in value.split(",") if j.strip())
    bad = [j for j in joins if j not in JOINS]
    if bad or not joins:
        raise click.BadParameter(f"可用 / use any of: {','.join(JOINS)}")
    return joins


@click.command()
@pass_dataset(needs=NEEDS["leads"])
@as_of_option
@click.option("--summary", is_flag=True, help="按接收部门汇总（含合计） / one row per receiving "
              "department, plus totals")
@click.option("--overdue", is_flag=True, help="只列超期线索（超期未办结、超期办结、签收超时）"
              " / the overdue leads")
@click.option("--single-signature", "single", is_flag=True,
              help="列出未经纪检监察室和巡察组双签字的线索 / leads lacking either signature")
@click.option("--networks", is_flag=True, help="线索关联网络及说明 / lead networks, each "
              "with its explanation")
@click.option("--join", "join", default="person,tie,unit", show_default=True,
              callback=lambda c, p, v: _joins(v),
              help="关联方式 / how leads join: person（同一人）, tie（社会关系）, unit（同一单位）")
@click.option("--all", "everything", is_flag=True, help="以上全部（每项一个表） / every "
              "section above (one sheet each)")
@format_options()
def leads(dataset, rules_path, as_of: dt.date, summary: bool, overdue: bool, single: bool,
          networks: bool, join: tuple[str, ...], everything: bool, fmt, out) -> None:
    """室组办联动：问题线索全流程 / the life of every transferred lead.

    \b
    Lists every lead transferred by --as-of: 移交 → 签收 → 办结, disposition
    (谈话函询/初步核实/暂存待查/予以了结/立案审查) and outcome (立案/处分/移送司法).
    A lead is overdue when it is not closed by its due date (办结时限; without
    one, transfer + [limits] lead_report_months months of the rules file) —
    still open after it or closed after it — or not received (签收) within
    [limits] lead_receipt_days days.  Dates after --as-of count as not yet
    happened; leads transferred after it are left out.
    --summary: per department leads, received, closed, overdue, case_filed
    (立案, counting 处分 and 移送司法 too), median_days_to_close.

    The dual-signature rule (双签字): signed_by needs one signature holding a
    [signatures] discipline_office word and one holding a [signatures]
    inspection_team word.

    \b
    Example:
      linkgraph leads ledgers/ --as-of 2026-06-30 --summary
      linkgraph leads ledgers/ --as-of 2026-06-30 --all --out leads.xlsx
    """
    from linkgraph.analysis import lead_networks as ln
    from linkgraph.analysis import leads as la
    from linkgraph.rules import load_rules

    explain_empty(dataset, "leads")

    rules = load_rules(rules_path)
    lifecycle = la.lead_lifecycle(dataset.tables, rules, as_of)
    table = resolve_format(fmt, out) == "table"
    sheets: dict[str, list[dict]] = {}
    plain = not (summary or overdue or single or networks)
    if plain or everything:
        sheets["leads"] = frame_records(lifecycle, TABLE_COLUMNS if table else la.LIFECYCLE_COLUMNS)
    if summary or everything:
        sheets["summary"] = frame_records(la.department_summary(lifecycle))
    if overdue or everything:
        sheets["overdue"] = frame_records(la.overdue_leads(lifecycle),
                                          OVERDUE_TABLE_COLUMNS if table else la.LIFECYCLE_COLUMNS)
    if single or everything:
        sheets["single_signature"] = frame_records(la.single_signature_leads(lifecycle))
    n_networks = None
    if networks or everything:
        nets = ln.lead_networks(dataset.tables, joins=join, as_of=as_of)
        n_networks = len(nets)
        sheets["networks"] = frame_records(nets, ("network_id", "leads", "lead_ids", "why")
                                           if table else None)
    emit(sheets if len(sheets) > 1 else next(iter(sheets.values())), fmt, out)
    click.echo(_tally(lifecycle, as_of, n_networks), err=True)


def _signature_tally(lifecycle) -> str:
    if len(lifecycle) and not lifecycle["signatures_recorded"].any():
        return "双签字：未记录（台账没有签字栏或签字全空） / signatures not recorded"
    return f"未双签字 {int((~lifecycle['dual_signed']).sum())} 条"


def _tally(lifecycle, as_of: dt.date, n_networks: int | None) -> str:
    open_late = int((lifecycle["overdue_close"] & lifecycle["closed_date"].isna()).sum())
    closed_late = int((lifecycle["overdue_close"] & lifecycle["closed_date"].notna()).sum())
    text = (f"截至 {as_of}：线索 {len(lifecycle)} 条，超期 {int(lifecycle['overdue'].sum())} 条"
            f"（超期未办结 {open_late}，超期办结 {closed_late}，签收超时 "
            f"{int(lifecycle['receipt_late'].sum())}），" + _signature_tally(lifecycle))
    if n_networks is not None:
        text += f"，线索网络 {n_networks} 个"
    return text
