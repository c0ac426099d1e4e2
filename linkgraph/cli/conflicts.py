"""``linkgraph conflicts``: acquaintance-society conflicts of a round."""
from __future__ import annotations

import click

from linkgraph.cli.options import (NEEDS, NO_ROUNDS, emit, format_options, pass_dataset,
                                   round_or_latest)

TABLE_COLUMNS = ["team_id", "person_name", "role", "unit_name", "level_zh", "relation_zh", "score",
                 "explanation"]


@click.command()
@pass_dataset(needs=NEEDS["conflicts"])
@click.option("--round", "round_id", default=None, metavar="R",
              help="轮次编码（默认最近一轮）/ the round (rounds.round_id; default the latest)")
@click.option("--candidates", is_flag=True,
              help="每名组员 × 本轮每个被巡察单位，而不只是已分配的 / every team member × every "
                   "unit of the round, not only the assigned pairs")
@click.option("--level", type=click.Choice(["hard", "soft"]), default=None,
              help="只列回避(hard)或提示(soft) / only hard or only soft conflicts")
@click.option("--costs", is_flag=True,
              help="输出巡察组 × 区域 / 单位代价矩阵（交叉巡察排组用）/ emit the team × region "
                   "and team × unit cost matrices for the rotation planner")
@click.option("--hints", is_flag=True,
              help="提示汇总：每名组员 × 每个单位一行，软关联合并打分（有上限）并排序，不含回避的组合"
                   " / planner's soft hints: one ranked, capped combined score per member × "
                   "unit (pairs with a hard conflict left out); implies --candidates")
@format_options()
def conflicts(dataset, rules_path, round_id: str, candidates: bool, level: str | None,
              costs: bool, hints: bool, fmt: str | None, out: str | None) -> None:
    """熟人社会：巡察组成员与被巡察单位的回避与提示 / acquaintance conflicts of a round.

    For the round's teams and their assigned units (or, with --candidates,
    every member × every unit of the round): hard conflicts (回避: kinship in
    either direction, a post in the unit within the look-back window or
    long-term, seconded from it, 本地巡本地 in a cross-inspection) and soft
    ones (提示: other ties at distance one and two, former colleagues,
    townsmen, same system), each with its evidence path and a sentence.
    The rules come from the rules file (--rules FILE overrides them): which
    relation is hard or soft and its weight, [relations]; windows, weights
    and hops, [conflicts].

    \b
    Example:
      linkgraph conflicts ledgers/ --round R2024-2 --candidates --level hard
      linkgraph conflicts ledgers/ --round R2024-2 --costs --out costs.xlsx
      linkgraph conflicts ledgers/ --round R2024-2 --hints --out hints.xlsx
    """
    from linkgraph.analysis.conflicts import conflict_costs, find_conflicts
    from linkgraph.rules import load_rules

    rules = load_rules(rules_path)
    round_id = round_or_latest(dataset, round_id)  # type: ignore[assignment]
    if round_id is None:
        click.echo(NO_ROUNDS, err=True)
        emit([], fmt, out, columns=TABLE_COLUMNS)
        return
    review_relation_words(dataset)
    if hints:
        _hints(dataset, round_id, rules, fmt, out)
        return
    if costs:
        result = conflict_costs(dataset, round_id, rules=rules, candidates=True)
        found = [c for c in result.conflicts if level is None or c.level == level]
        sheets = {"team_region": _matrix(result.team_ids, result.region_ids,
                                         result.team_region_hard, result.team_region_soft,
                                         "region_id"),
                  "team_unit": _matrix(result.team_ids, result.unit_ids, result.team_unit_hard,
                                       result.team_unit_soft, "unit_id"),
                  "conflicts": [c.as_record() for c in found]}
        _summary(found)
        emit(sheets, fmt, out)
        return
    found = find_conflicts(dataset, round_id, rules=rules, candidates=candidates, level=level)
    _summary(found)
    records = [c.as_record() for c in found]
    emit(records, fmt, out, columns=TABLE_COLUMNS if (fmt or "table") == "table" and not out
         else None)


def _matrix(teams, targets, hard, soft, key: str) -> list[dict]:
    return [{"team_id": t, key: g, "hard": bool(hard[i, j]), "soft": float(soft[i, j])}
            for i, t in enumerate(teams) for j, g in enumerate(targets)]


def _summary(found) -> None:
    n_hard = sum(c.level == "hard" for c in found)
    click.echo(f"回避（硬冲突）{n_hard} 条，提示（软冲突）{len(found) - n_hard} 条 / "
               f"{n_hard} hard, {len(found) - n_hard} soft conflicts", err=True)


HINT_COLUMNS = ["rank", "team_id", "person_name", "role", "unit_name", "score", "n_links",
                "reasons"]


def _hints(dataset, round_id: str, rules, fmt: str | None, out: str | None) -> None:
    from linkgraph.analysis.conflicts import find_conflicts, hint_share, soft_hints
    from linkgraph.analysis.conflicts.index import round_context
    from linkgraph.analysis.conflicts.rules import conflict_rules

    crules = conflict_rules(rules)
    found = soft_hints(find_conflicts(dataset, round_id, rules=crules, candidates=True),
                       crules.soft_cap)
    ctx = round_context(dataset.tables, round_id)
    share = hint_share(found, ctx.members.groupby("team_id").size().to_dict(), len(ctx.units))
    click.echo(f"有提示的组员 × 单位组合 {len(found)} 个，占全部组合 {100 * share:.1f}% / "
               f"{len(found)} member × unit pairs with a soft hint, {100 * share:.1f}% of all",
               err=True)
    emit([h.as_record() for h in found], fmt, out,
         columns=HINT_COLUMNS if (fmt or "table") == "table" and not out else None)


def review_relation_words(dataset) -> None:
    """Name the relation words nobody could read: kept as soft 其他关系, to review."""
    from collections import Counter

    words = Counter(v.value for v in dataset.warnings
                    if v.table == "ties" and v.column == "relation")
    if words:
        shown = "、".join(f"{w}（{n}条）" for w, n in sorted(words.items())[:10])
        more = f" 等 {len(words)} 种" if len(words) > 10 else ""
        click.echo(f"注意：以下关系用语未能识别，已按其他关系（提示，非回避）处理，请核实：{shown}{more}"
                   f" / relation words not understood, kept as soft 'other' ties for review: "
                   f"{', '.join(sorted(words)[:10])}", err=True)
