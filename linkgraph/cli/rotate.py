"""``linkgraph rotate``: the cross-inspection rotation of a round (交叉巡察)."""
from __future__ import annotations

import click

from linkgraph.cli.options import (NEEDS, NO_ROUNDS, emit, format_options, output_lang, pass_dataset,
                                   resolve_format, round_or_latest, write_workbook)

TABLE_COLUMNS = ["team_id", "team_name", "from_region_name", "to_region_name", "n_units", "cost",
                 "n_soft", "swaps", "workload_ratio"]
PLAN_COLUMNS = ["team_id", "team_name", "from_region_id", "from_region_name", "to_region_id",
                "to_region_name", "unit_ids", "n_units", "cost", "n_soft", "swaps",
                "workload_ratio", "reason"]


def _pair(text: str) -> tuple[str, str]:
    a, sep, b = text.partition(":")
    if not sep:
        a, sep, b = text.partition("：")
    if not sep or not a.strip() or not b.strip():
        raise click.BadParameter(f"应为 A:B / expected A:B, got {text!r}")
    return a.strip(), b.strip()


def _pairs(ctx, param, values) -> tuple[tuple[str, str], ...]:
    return tuple(_pair(v) for v in values)


@click.command()
@pass_dataset(needs=NEEDS["rotate"])
@click.option("--round", "round_id", default=None, metavar="R",
              help="轮次编码（待排的交叉巡察轮次，默认最近一轮）/ the round to plan "
                   "(rounds.round_id; default the latest)")
@click.option("--targets", type=click.Path(dir_okay=False), default=None,
              help="被巡察单位清单（列：单位编码），代替本轮巡察对象 / units to inspect "
                   "instead of the round's assignments")
@click.option("--no-reciprocal", is_flag=True,
              help="不允许互派（甲巡乙且乙巡甲）/ forbid A↔B pairs")
@click.option("--single-cycle", is_flag=True,
              help="所有组连成一个推磨环 / one ring (推磨) through all teams")
@click.option("--avoid-recent", type=click.IntRange(min=0), default=0, show_default=True,
              metavar="K", help="近 K 轮用过的派出→被巡配对不再使用 / no pair used in the "
              "last K rounds")
@click.option("--zones", type=click.Path(dir_okay=False), default=None,
              help="片区文件（列：区域编码、片区），只在片区内交叉 / zones file (region_id, "
                   "zone): pair only within a zone")
@click.option("--fix", multiple=True, callback=_pairs, metavar="A:B",
              help="指定配对：巡察组编码或派出区域 : 被巡察区域（可重复）/ fix team (or home "
                   "region) A to region B (repeatable)")
@click.option("--forbid", multiple=True, callback=_pairs, metavar="A:B",
              help="禁止配对（可重复）/ forbid A to B (repeatable)")
@click.option("--capacity-tolerance", type=click.FloatRange(min=0), default=None,
              metavar="X", help="力量与工作量份额之比偏离 1 不超过 X（如 0.3）/ a team's "
                   "workload share may differ from its capacity share by at most X")
@click.option("--workload", type=click.Choice(["units", "problems"]), default="units",
              show_default=True, help="工作量口径：单位数或历史问题数 / workload measure")
@click.option("--no-swaps", is_flag=True,
              help="成员回避不调换，整组不去该区域 / no member swaps: a member's hard "
                   "conflict excludes the whole pair")
@click.option("--max-swaps", type=click.IntRange(min=0), default=1, show_default=True,
              help="每组最多调换成员数 / most members swapped per team")
@click.option("--swap-cost", type=click.FloatRange(min=0), default=10.0, show_default=True,
              help="每次调换计入的代价 / cost of one swap in the objective")
@click.option("--alternatives", type=click.IntRange(min=0), default=0, show_default=True,
              metavar="K", help="另给出 K 个次优方案 / also give the next K best plans")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="每次求解的时限（秒）/ time limit per solve, seconds")
@click.option("--solver", type=click.Choice(["assignment", "milp", "cp-sat"]), default=None,
              help="求解器（默认自动）/ solver (default: chosen by the constraints)")
@click.option("--seed", type=int, default=0, show_default=True,
              help="随机种子：同分方案中选哪一个 / random seed (picks among equal plans)")
@click.option("--staff", "with_staff", is_flag=True,
              help="同时从人才库为各组配备人员（见 linkgraph staff）；排组不计各组现有成员 / also "
                   "staff the teams from the pool (as linkgraph staff does); the teams' current "
                   "members are not weighed")
@click.option("--pool", "pool_file", type=click.Path(dir_okay=False), default=None,
              help="与 --staff 同用：人才库文件 / with --staff: a pool file")
@click.option("--staffing-rules", "staffing_rules", type=click.Path(dir_okay=False),
              default=None, help="与 --staff 同用：配备规则文件 / with --staff: staffing rules")
@format_options()
def rotate(dataset, rules_path, round_id: str, targets: str | None, no_reciprocal: bool,
           single_cycle: bool, avoid_recent: int, zones: str | None, fix, forbid,
           capacity_tolerance: float | None, workload: str, no_swaps: bool, max_swaps: int,
           swap_cost: float, alternatives: int, time_limit: float, solver: str | None,
           seed: int, with_staff: bool, pool_file: str | None, staffing_rules: str | None,
           fmt: str | None, out: str | None) -> None:
    """交叉巡察排组（推磨式）/ plan the cross-inspection rotation of a round.

    Every team of the round goes to one target region (the regions of the
    round's units, or of --targets), never its own; hard conflicts (回避)
    exclude a pair — a member's own hard conflict is removed by swapping him
    with a same-role member of another team when possible; the summed soft
    conflicts (提示) are minimised, then the workload/capacity imbalance
    (a member × unit pair's soft score is capped at [conflicts] soft_cap).
    Exact solvers: the assignment algorithm, or a MILP (HiGHS) with lazy
    cuts handing over to CP-SAT; the answer says whether it is proven
    optimal and the gap if not.  An impossible plan is explained with the
    constraint to relax (exit 1).  --format xlsx writes the sheets a planner
    hands over: the plan with a reason per pair, residual soft conflicts,
    member swaps, alternatives.

    \b
    Example:
      linkgraph rotate ledgers/ --round R2026-1 --single-cycle --avoid-recent 2
      linkgraph rotate ledgers/ --round R2026-1 --no-reciprocal --alternatives 3 --out plan.xlsx
    """
    from linkgraph.rotation import RotationOptions, plan_rotation
    from linkgraph.rotation.files import plan_workbook, read_targets, read_zones
    from linkgraph.rules import load_rules

    round_id = round_or_latest(dataset, round_id)  # type: ignore[assignment]
    if round_id is None:
        click.echo(NO_ROUNDS, err=True)
        emit([], fmt, out, columns=TABLE_COLUMNS)
        return
    options = RotationOptions(
        no_reciprocal=no_reciprocal, single_cycle=single_cycle, avoid_recent=avoid_recent,
        zones=read_zones(zones) if zones else None, fix=fix, forbid=forbid,
        capacity_tolerance=capacity_tolerance, workload=workload, member_swaps=not no_swaps,
        max_swaps=max_swaps, swap_cost=swap_cost, time_limit=time_limit, seed=seed,
        alternatives=alternatives, targets=read_targets(targets) if targets else None,
        solver=solver, without_members=with_staff)
    plan = plan_rotation(dataset, round_id, options, rules=load_rules(rules_path))
    _summary(plan)
    roster = _staff(dataset, plan, pool_file, staffing_rules, rules_path, time_limit, seed) \
        if with_staff else None
    fmt = resolve_format(fmt, out)
    if fmt == "json":
        doc = plan.as_record()
        emit([], fmt, out, json_doc=doc if roster is None else {**doc,
                                                                 "roster": roster.as_record()})
    elif fmt == "xlsx":
        rounds = dataset.tables["rounds"]
        name = rounds.loc[rounds["round_id"] == round_id, "name"]
        sheets, columns, reasons = plan_workbook(plan, dataset.tables["units"], output_lang(),
                                                 str(name.iloc[0]) if len(name) else None)
        if roster is not None:
            from linkgraph.staffing.files import roster_workbook

            more, more_columns, more_reasons = roster_workbook(roster, output_lang())
            more.pop("solve_summary")
            sheets, columns = {**sheets, **more}, {**columns, **more_columns}
            reasons = {**reasons, **more_reasons}
        assert out is not None
        write_workbook(sheets, out, columns, reasons=reasons)
        click.echo(f"已写入 / written: {out}", err=True)
    elif roster is not None:
        emit({"plan": pair_rows(plan), "roster": list(roster.members)}, fmt, out)
    else:
        emit(pair_rows(plan), fmt, out,
             columns=TABLE_COLUMNS if fmt == "table" and not out else PLAN_COLUMNS)


def _staff(dataset, plan, pool_file: str | None, staffing_rules: str | None,
           rules_path: str | None, time_limit: float, seed: int):
    """The rosters of the plan's teams for the units the plan gives them."""
    from linkgraph.rules import load_rules
    from linkgraph.staffing.files import with_pool_file
    from linkgraph.staffing.plan import StaffOptions, staff_teams
    from linkgraph.staffing.rules import load_staffing_rules

    tables = with_pool_file(dataset.tables, pool_file) if pool_file else dataset.tables
    options = StaffOptions(targets={p.team_id: p.unit_ids for p in plan.pairs},
                           team_names={p.team_id: p.team_name for p in plan.pairs},
                           seed=seed, time_limit=time_limit, lang=output_lang())
    roster = staff_teams(tables, plan.round_id, options, rules=load_rules(rules_path),
                         staffing=load_staffing_rules(staffing_rules))
    for line, warn in roster.summary_lines():
        click.secho(line, fg="yellow" if warn else None, err=True)
    return roster


def pair_rows(plan) -> list[dict]:
    rows = []
    for p in plan.pairs:
        rec = p.as_record()
        rec["n_units"] = len(p.unit_ids)
        rec["n_soft"] = len(p.soft_conflicts)
        rows.append(rec)
    return rows


def _summary(plan) -> None:
    state = "已证明最优 / proven optimal" if plan.optimal else \
        f"未证明最优，差距 / not proven optimal, gap {plan.gap:.2%}"
    click.echo(f"{len(plan.pairs)} 组配对，目标值 {plan.objective:g}，{state}，成员调换 "
               f"{len(plan.member_swaps)} 人 / {len(plan.pairs)} pairs, objective "
               f"{plan.objective:g}, {len(plan.member_swaps)} member swaps ({plan.solver})",
               err=True)
    for note in plan.notes:
        click.secho(f"注意 / note: {note}", fg="yellow", err=True)
