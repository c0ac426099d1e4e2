"""Commands of the 巡审 linkage, rectification, coverage, priorities and the
一把手 portrait."""
from __future__ import annotations

import datetime as dt

import click

from linkgraph.cli.categories import category_options, harmonised_tables
from linkgraph.cli.leads import frame_records
from linkgraph.cli.options import (NEEDS, as_of_option, emit, explain_empty, format_options, pass_dataset,
                                   person_arg, resolve_format)

AUDIT_SECTIONS = ("corroborated", "audit_only", "inspection_only", "red_flag_units")


def _pct(x) -> str:
    return "—" if x is None or x != x else f"{x * 100:.2f}%"


@click.command()
@pass_dataset(needs=NEEDS["audit"])
@as_of_option
@click.option("--only", "only", multiple=True, type=click.Choice(AUDIT_SECTIONS),
              help="只输出这些部分（可重复） / only these sections (repeatable)")
@category_options
@format_options()
def audit(dataset, rules_path, as_of: dt.date, only: tuple[str, ...],
          taxonomy_path: str | None, decisions_path: str | None, fmt, out) -> None:
    """巡审联动：审计发现与巡察问题比对 / audit findings matched to inspection problems.

    Each audit finding is compared with the problems of the same unit; a
    pair matches (印证) when both carry the same category ([audit]
    same_category_matches) or their descriptions are alike (character
    2–3-gram TF-IDF cosine ≥ [audit] text_threshold), and a finding keeps
    its best-scoring problem ([audit] best_only): score = w × [same
    category] + (1 − w) × similarity, w = [audit] category_weight.  The
    graph's CORROBORATES edges use the same rule.

    \b
    Sections:
      corroborated     matched pairs (印证) with their score
      audit_only       findings in inspected units that no problem matches (巡察未发现)
      inspection_only  problems of audited units that no finding matches
      red_flag_units   audited units not inspected by --as-of (审计红旗、尚未巡察)

    \b
    Example:
      linkgraph audit ledgers/ --as-of 2026-06-30 --out audit.xlsx
      linkgraph audit ledgers/ --as-of 2026-06-30 --only audit_only
    """
    from linkgraph.analysis.audit import audit_report
    from linkgraph.rules import load_rules

    explain_empty(dataset, "audits", "problems")
    tables = harmonised_tables(dataset, taxonomy_path, decisions_path)
    report = audit_report(tables, load_rules(rules_path), as_of)
    chosen = only or AUDIT_SECTIONS
    table = resolve_format(fmt, out) == "table"
    narrow = {"corroborated": ("finding_id", "problem_id", "unit_name", "finding_category",
                               "finding_description", "problem_description", "score"),
              "inspection_only": ("problem_id", "unit_name", "category", "description")}
    sheets = {name: frame_records(getattr(report, name), narrow.get(name) if table else None)
              for name in chosen}
    emit(sheets if len(sheets) > 1 else sheets[chosen[0]], fmt, out)
    click.echo(f"截至 {as_of}：印证 {len(report.corroborated)} 对，审计发现而巡察未发现 "
               f"{len(report.audit_only)} 条，仅巡察发现 {len(report.inspection_only)} 个，"
               f"有审计发现但尚未巡察的单位 {len(report.red_flag_units)} 个", err=True)


@click.command()
@pass_dataset(needs=NEEDS["rectification"])
@as_of_option
@click.option("--by", "by", type=click.Choice(["unit", "round", "category", "department"]),
              default="round", show_default=True, help="分组 / group by")
@click.option("--ongoing-open", is_flag=True,
              help="长期坚持/持续整改的措施算未完成 / count ongoing measures as not completed")
@click.option("--overdue", is_flag=True, help="并列出超期措施及责任人 / also list overdue "
              "measures with their owners")
@click.option("--reopened", is_flag=True, help="并列出回炉整改措施及责任人 / also list "
              "reopened measures with their owners")
@click.option("--reviews", is_flag=True, help="并列出整改方案、报告的审核情况（报送、通过、退回次数"
              "及记录） / also the review state of plans and reports by unit")
@category_options
@format_options()
def rectification(dataset, rules_path, as_of: dt.date, by: str, ongoing_open: bool,
                  overdue: bool, reopened: bool, reviews: bool, taxonomy_path: str | None,
                  decisions_path: str | None, fmt, out) -> None:
    """整改跟踪：完成率、超期与回炉 / rectification completion, overdue and reopened measures.

    \b
    A problem is rectified when all its measures are completed: status done
    (已完成) or closed (已销号), and ongoing (长期坚持) when [limits] ongoing_counts_as_done
    and not --ongoing-open; 基本完成 is not completed.  A problem without any measure counts as rectified only
    if it was 立行立改 (immediate); otherwise it is not (no_measures says how
    many).  rate = rectified / problems (整改完成率).  A measure is overdue
    when not completed and past its due date (整改时限; without one, the
    round's end + [limits] rectification_report_months months).  --by
    department groups by the measures' owner department.  A measure written
    已销号 (closed) counts as completed; 销号 is a stage of its own:
    problems_closed / measures_closed count what a passed closing review
    closed (reviews table; the status 已销号 only when there is no review at
    all), beside rectified / measures_done.  --reviews lists, per unit and round,
    the plan (due 15 working days after feedback) and report (3 months):
    submitted, passed, sent back how often, closing reviews, and the dated
    history of every review (回炉) from the reviews table.

    \b
    Example:
      linkgraph rectification ledgers/ --by round --as-of 2026-06-30
      linkgraph rectification ledgers/ --by unit --overdue --reopened --out rect.xlsx
    """
    from linkgraph.analysis import rectification as rect
    from linkgraph.rules import load_rules

    rules = load_rules(rules_path)
    explain_empty(dataset, "problems", "measures")
    ongoing_done = False if ongoing_open else None
    tables = harmonised_tables(dataset, taxonomy_path, decisions_path)
    table = rect.completion(tables, rules, as_of, by, ongoing_done)
    sheets = {"completion": frame_records(table)}
    if overdue or reopened:
        measures = rect.rectification_state(tables, rules, as_of, ongoing_done).measures
        narrow = None if resolve_format(fmt, out) != "table" else (
            "measure_id", "problem_id", "unit_name", "description", "owner_name",
            "owner_dept_name", "status", "due_date", "overdue_days", "reopened")
        if overdue:
            sheets["overdue_measures"] = frame_records(rect.overdue_measures(tables, measures), narrow)
        if reopened:
            sheets["reopened_measures"] = frame_records(rect.reopened_measures(tables, measures), narrow)
    if reviews:
        from linkgraph.analysis.reviews import review_state

        sheets["review_state"] = frame_records(review_state(dataset.tables, rules, as_of))
    emit(sheets if len(sheets) > 1 else sheets["completion"], fmt, out)
    total = table.iloc[-1]
    counted_done = rules.limits.ongoing_counts_as_done and not ongoing_open
    convention = "持续整改/长期坚持计为已完成" if counted_done else "持续整改/长期坚持计为未完成"
    click.echo(f"截至 {as_of}：整改完成率 {_pct(total['rate'])}（{total['rectified']}/"
               f"{total['problems']}，口径：{convention}），经审核销号问题 {total['problems_closed']} 个、"
               f"措施 {total['measures_closed']} 项（已完成措施 {total['measures_done']} 项），"
               f"超期措施 {total['overdue_measures']} 项，"
               f"回炉 {total['reopened']} 项", err=True)


@click.command()
@pass_dataset(needs=NEEDS["coverage"])
@as_of_option
@click.option("--term", default=None, help="届次（rounds.term）；默认最近一轮所属届次 / the term "
              "(default: the latest round's)")
@click.option("--by", "by", type=click.Choice(["level", "sector", "region"]), default="level",
              show_default=True, help="汇总维度 / summarise by")
@click.option("--units", "list_units", is_flag=True, help="并列出每个单位的巡察情况 / also list "
              "every unit with its rounds and teams")
@click.option("--uncovered", is_flag=True, help="并列出尚未巡察的单位 / also list the units "
              "not yet inspected")
@click.option("--scope", "scope_file", type=click.Path(dir_okay=False), default=None,
              help="应覆盖的单位清单（CSV/XLSX，列 unit_id/单位编码）：只统计这些单位，如不含党委"
                   "自身机关 / a list of the units the term must cover; only those count")
@format_options()
def coverage(dataset, rules_path, as_of: dt.date, term: str | None, by: str, list_units: bool,
             uncovered: bool, scope_file: str | None, fmt, out) -> None:
    """届内全覆盖进度 / how much of the term's inspection coverage is done.

    \b
    Which units have been inspected in the term (by which round and team),
    which have not, and the share covered per level, sector or region;
    villages and communities (kind or level contains a [coverage]
    village_words word) in their own rows.  The term: rounds whose term
    (届次) is --term; by default the latest round's term; if rounds carry no
    term, those started within [coverage] term_years years of --as-of.

    \b
    Example:
      linkgraph coverage ledgers/ --term 第十四届 --by region
      linkgraph coverage ledgers/ --as-of 2026-06-30 --uncovered --out coverage.xlsx
    """
    from linkgraph.analysis.coverage import coverage as compute, coverage_summary
    from linkgraph.rules import load_rules

    explain_empty(dataset, "rounds", "assignments")
    from linkgraph.rotation.files import read_targets

    listed = read_targets(scope_file) if scope_file else None
    result = compute(dataset.tables, load_rules(rules_path), as_of, term, listed)
    summary = coverage_summary(result.units, by)
    sheets = {"summary": frame_records(summary)}
    if list_units:
        sheets["units"] = frame_records(result.units)
    if uncovered:
        sheets["uncovered"] = frame_records(result.units[~result.units["inspected"]])
    emit(sheets if len(sheets) > 1 else sheets["summary"], fmt, out)
    parts = []
    for scope in ("单位", "村（社区）"):
        row = summary[(summary["scope"] == scope) & (summary[by] == "小计")]
        if len(row):
            r = row.iloc[0]
            parts.append(f"{scope} {r['inspected']}/{r['units']}（{_pct(r['share'])}）")
    click.echo(f"{result.term}：{len(result.round_ids)} 轮；已覆盖 " + "，".join(parts), err=True)


@click.command()
@pass_dataset(needs=NEEDS["priorities"])
@as_of_option
@click.option("--weights", type=click.Path(dir_okay=False), default=None,
              help="因素权重文件（TOML），覆盖 linkgraph/data/priorities.toml / factor weights")
@click.option("--top", type=click.IntRange(min=0), default=30, show_default=True,
              help="只列前 N 个（0 = 全部） / list the first N units (0 = all)")
@click.option("--no-clusters", is_flag=True,
              help="不计“属于共性问题”因素（省去聚类计算） / skip the systemic-cluster factor")
@click.option("--recent-months", type=click.IntRange(min=0), default=None,
              help="近 N 个月内已巡察的单位不列入（0 = 全部列入；默认见 priorities.toml "
                   "[recently_inspected]，12） / leave out units inspected in the last N "
                   "months (0 = keep all; default 12)")
@category_options
@format_options()
def priorities(dataset, rules_path, as_of: dt.date, weights: str | None, top: int,
               no_clusters: bool, recent_months: int | None, taxonomy_path: str | None,
               decisions_path: str | None, fmt, out) -> None:
    """下一轮巡察对象建议 / who to inspect next, ranked, with the reasons.

    \b
    score = Σ weight × factor value (0–1).  Factors: petitions (信访举报) about
    the unit or its people in post, audit findings no inspection
    corroborates, open problems, overdue measures, years since the last
    inspection (never = full), a top leader (一把手) long in post, and
    membership in a systemic cluster (共性问题, from `linkgraph clusters` with
    its default thresholds; --no-clusters skips that factor).  Weights and
    thresholds are in linkgraph/data/priorities.toml; --weights FILE
    overrides keys of it.  Units inspected in the last 12 months
    ([recently_inspected] months) are left out: too soon to inspect again
    (--recent-months 0 keeps them).

    \b
    Example:
      linkgraph priorities ledgers/ --as-of 2026-06-30 --top 20
      linkgraph priorities ledgers/ --weights my-weights.toml --out next-round.xlsx
    """
    from linkgraph.analysis.priorities import load_weights, priorities as rank
    from linkgraph.rules import load_rules

    explain_empty(dataset, "problems", "petitions", "audits", "rounds")
    rules = load_rules(rules_path)
    cluster_units = None
    if not no_clusters:
        from linkgraph.analysis.clusters import find_clusters

        from linkgraph.cli.categories import load_category_options

        tax, decisions = load_category_options(taxonomy_path, decisions_path)
        cluster_units = {u for c in find_clusters(dataset.tables, rules.clusters, taxonomy=tax,
                                                  decisions=decisions) for u in c.unit_ids}
    w = load_weights(weights)
    ranked = rank(dataset.tables, rules, as_of, weights=w, cluster_unit_ids=cluster_units,
                  recent_months=recent_months)
    shown = ranked if top == 0 else ranked.head(top)
    narrow = None if resolve_format(fmt, out) != "table" else (
        "rank", "unit_id", "unit_name", "region_name", "score", "reasons")
    emit(frame_records(shown, narrow), fmt, out)
    left_out = len(dataset.tables["units"]) - len(ranked)
    months = int(w("recently_inspected", "months") if recent_months is None else recent_months)
    recent = (f"；{left_out} 个单位近 {months} 个月内已巡察，未列入 / {left_out} units inspected "
              f"in the last {months} months left out" if left_out else "")
    click.echo(f"截至 {as_of}：{len(ranked)} 个单位排序，列出前 {len(shown)} 个{recent}", err=True)


@click.command()
@pass_dataset
@as_of_option
@click.option("--person", "who", default=None, help="人员编码（或唯一的姓名） / person_id "
              "(or a name only one person has)")
@click.option("--round", "round_id", default=None, help="政治画像批量：该轮每个被巡察单位的一把手"
              " / the batch: the 一把手 of every unit inspected in this round")
@click.option("--views-dir", "views_dir", type=click.Path(file_okay=False), default=None,
              help="与 --round 同用：每人一个视图写入此文件夹 / with --round: one view per "
                   "person written into this folder")
@click.option("--nodes", is_flag=True, help="只输出画像子图的节点（供视图使用） / print the "
              "node keys of the portrait's subgraph (for a view)")
@click.option("--view", "--html", "html", type=click.Path(dir_okay=False), default=None,
              help="并把画像子图写成交互式 HTML 视图 / also write the portrait's subgraph as "
                   "an interactive HTML view")
@category_options
@format_options()
def portrait(dataset, rules_path, as_of: dt.date, who: str | None, round_id: str | None,
             views_dir: str | None, nodes: bool, html: str | None, taxonomy_path: str | None,
             decisions_path: str | None, fmt, out) -> None:
    """一把手政治画像素材 / a top leader's portrait.

    \b
    Problems found in the units the person led as top leader (一把手) during
    their tenure, problems, leads and petitions about them, measures they
    own, and their ties to other leaders.  JSON gives one record; the table
    and XLSX one section each.  --nodes gives the node keys ("Label:id") of
    the portrait's subgraph; --view FILE.html (or --html) draws that subgraph
    as a self-contained interactive view (works offline, with provenance).

    --round R instead of --person: the 政治画像 batch — the portraits of the
    一把手 of every unit inspected in round R (the top leader when the round
    started), as one workbook (one summary row per person, then each
    section with the person's id) and, with --views-dir DIR, one view each
    (DIR/portrait-<person>.html).  The portrait includes the 巡察政治谈话 the
    person took part in and the supervision info (巡前征集) about them.

    \b
    Example:
      linkgraph portrait ledgers/ --person P000123 --as-of 2026-06-30 --view p123.html
      linkgraph portrait ledgers/ --person P000123 --format json --out p123.json
      linkgraph portrait ledgers/ --round RD0011 --out portraits.xlsx --views-dir portraits/
    """
    from linkgraph.analysis import portrait as pt
    from linkgraph.errors import LinkgraphError
    from linkgraph.rules import load_rules

    rules = load_rules(rules_path)
    if (who is None) == (round_id is None):
        raise LinkgraphError("请给 --person 或 --round 之一 / give --person or --round (one of them)")
    tables = harmonised_tables(dataset, taxonomy_path, decisions_path)
    if round_id is not None:
        _portrait_batch(tables, rules, round_id, as_of, views_dir, fmt, out)
        return
    p = pt.portrait(tables, rules, person_arg(who or ""), as_of)
    if html:
        _portrait_view(tables, p, rules, html)
    if nodes:
        keys = pt.portrait_nodes(p)
        emit([{"node": k} for k in keys], fmt, out, json_doc=list(keys))
        return
    doc = pt.as_document(p)
    from linkgraph.catalogue import catalogue
    from linkgraph.cli.options import output_lang

    lang = output_lang()
    summary = [{"item": catalogue().header(k, lang),
                "value": catalogue().show(k, v, lang) if isinstance(v, str) else v}
               for k, v in doc["summary"].items()]
    sheets = {"summary": summary, **{k: v for k, v in doc.items() if k != "summary"}}
    emit(sheets, fmt, out, json_doc=doc)


def _portrait_batch(tables, rules, round_id: str, as_of: dt.date, views_dir: str | None,
                    fmt, out) -> None:
    """The portraits of a round's 一把手: one workbook, and a view each."""
    from pathlib import Path

    from linkgraph.analysis import portrait as pt
    from linkgraph.errors import LinkgraphError

    if round_id not in set(tables["rounds"]["round_id"]):
        raise LinkgraphError(f"没有轮次 {round_id} / no round {round_id}")
    leaders = pt.round_leaders(tables, round_id)
    sheets: dict[str, list[dict]] = {"summary": []}
    for unit_id, pid in zip(leaders["unit_id"], leaders["person_id"]):
        one = pt.portrait(tables, rules, pid, as_of)
        doc = pt.as_document(one)
        sheets["summary"].append({"unit_id": unit_id, **doc["summary"]})
        for name, rows in doc.items():
            if name != "summary":
                sheets.setdefault(name, []).extend({"person_id": pid, **r} for r in rows)
        if views_dir:
            Path(views_dir).mkdir(parents=True, exist_ok=True)
            _portrait_view(tables, one, rules, str(Path(views_dir) / f"portrait-{_safe(pid)}.html"))
    emit(sheets, fmt, out)
    click.echo(f"{round_id}：{len(leaders)} 位一把手的政治画像 / portraits", err=True)


def _safe(ident: str) -> str:
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "_" for ch in ident)


def _portrait_view(tables, p, rules, path: str) -> None:
    from linkgraph.analysis import portrait as pt
    from linkgraph.cli.options import current_provenance
    from linkgraph.cli.view import provenance_rows
    from linkgraph.views import write_html
    from linkgraph.views.kinds import portrait_view, request_spec

    from linkgraph.cli.options import output_lang

    lang = output_lang()
    req = portrait_view(pt.portrait_graph(tables, p, rules), p)
    spec = request_spec(req, max_nodes=1500, seed=0, lang=lang,
                        provenance=provenance_rows(current_provenance(), lang))
    write_html(spec, path)
    click.echo(f"已写入视图 / view written: {path}", err=True)
