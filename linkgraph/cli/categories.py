"""``linkgraph categories``: how the problem categories as written map onto
the shipped taxonomy (问题类别归并), with the labels to review first."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from linkgraph.cli.options import emit, format_options, output_lang, pass_dataset, resolve_format

TABLE_COLUMNS = ["text", "target", "level", "method", "score", "n_problems", "candidates"]


def category_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--taxonomy FILE`` and ``--decisions FILE``, shared by every command
    that reads problem categories."""
    f = click.option("--decisions", "decisions_path", type=click.Path(exists=True,
                     dir_okay=False), default=None,
                     help="问题类别归并决定文件（CSV/XLSX/JSON：类型、原文、归并为、决定）"
                          " / category decisions file (kind, text, target, decision)")(f)
    return click.option("--taxonomy", "taxonomy_path", type=click.Path(exists=True,
                        dir_okay=False), default=None,
                        help="自定义问题类别表（默认 linkgraph/data/categories.toml）"
                             " / your own copy of the category taxonomy")(f)


def load_category_options(taxonomy_path: str | None, decisions_path: str | None):
    from linkgraph.categories import load_taxonomy
    from linkgraph.category_decisions import read_decisions

    return (load_taxonomy(taxonomy_path),
            tuple(read_decisions(decisions_path)) if decisions_path else ())


def harmonised_tables(dataset, taxonomy_path: str | None, decisions_path: str | None):
    """The dataset's tables with their categories harmonised by the shipped
    taxonomy (or --taxonomy) and the office's --decisions."""
    from linkgraph.categories import harmonise_tables

    tax, decisions = load_category_options(taxonomy_path, decisions_path)
    return harmonise_tables(dataset.tables, tax, decisions)


@click.command()
@pass_dataset
@category_options
@click.option("--review", is_flag=True,
              help="只列需要人工确认的类别 / only the labels to review (not exact matches)")
@format_options()
def categories(dataset, rules_path, taxonomy_path: str | None, decisions_path: str | None,
               review: bool, fmt: str | None, out: str | None) -> None:
    """问题类别归并：各组书写的类别对应到统一类别表 / categories as written → the taxonomy.

    Every written problem category, what it was harmonised to (category,
    area or branch of the 党的领导 / 党的建设 / 全面从严治党 taxonomy), how
    (别名一致 exact alias, 字面相近 similar, 包含别名 contains an alias, 按问题描述
    by the description, 人工确认 a decision, 未能归并 unresolved) and how many
    problems carry it — the labels to review first.  Fill the 决定 column of
    the XLSX (接受 / 拒绝, correct 归并为 if needed) and pass it back with
    --decisions to every command; later runs reapply it.

    \b
    Example:
      linkgraph categories ledgers/ --review --out category-review.xlsx
      linkgraph clusters ledgers/ --decisions category-review.xlsx
    """
    from linkgraph.categories import METHOD_ZH, label_summary

    tax, decisions = load_category_options(taxonomy_path, decisions_path)
    rows = label_summary(dataset.tables["problems"], tax, decisions)
    if review:
        rows = [r for r in rows if r["review"]]
    todo = sum(1 for r in rows if r["method"] == "unresolved")
    click.echo(f"书写类别 {len(rows)} 种，未能归并 {todo} 种 / {len(rows)} labels, {todo} "
               "unresolved", err=True)
    en = output_lang() == "en"
    shown = [{**r, "kind": "category" if en else "问题类别",   # both read back by --decisions
              "method": (METHOD_EN if en else METHOD_ZH)[str(r["method"])],
              "level": (LEVEL_EN if en else LEVEL_ZH).get(str(r["level"]), "")} for r in rows]
    columns = None
    kind = resolve_format(fmt, out)
    if kind != "json":   # the review file's headers, which --decisions reads back
        heads = HEADERS_EN if en else HEADERS_ZH
        shown = [{heads.get(k, k): v for k, v in r.items()} for r in shown]
        columns = [heads[c] for c in TABLE_COLUMNS] if kind == "table" else None
    emit(shown, fmt, out, columns=columns)


LEVEL_ZH = {"category": "具体类别", "area": "领域", "branch": "方面"}
LEVEL_EN = {"category": "category", "area": "area", "branch": "branch"}
METHOD_EN = {"decision": "decided by the office", "exact": "exact alias",
             "similar": "similar wording", "contains": "contains an alias",
             "description": "by the description", "unresolved": "unresolved"}
#: English headers of the review file: Kind, Text, Target and Decision are
#: what ``read_decisions`` accepts besides the Chinese ones
HEADERS_EN = {"kind": "Kind", "text": "Text", "target": "Target", "level": "Level",
              "area": "Area", "branch": "Branch", "method": "Method", "score": "Score",
              "candidates": "Candidates", "n_problems": "Problems", "review": "Review",
              "decision": "Decision"}

#: the review file's headers: the same words ``read_decisions`` accepts
HEADERS_ZH = {"kind": "类型", "text": "原文", "target": "归并为", "level": "层级",
              "area": "所属领域", "branch": "所属方面", "method": "归并方式", "score": "相似度",
              "candidates": "候选", "n_problems": "问题数", "review": "需确认",
              "decision": "决定"}
