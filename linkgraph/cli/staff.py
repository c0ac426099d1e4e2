"""``linkgraph staff``: team rosters from the 组长库 / 人才库 (巡察组配备)."""
from __future__ import annotations

import click

from linkgraph.cli.options import (NEEDS, NO_ROUNDS, emit, format_options, output_lang, pass_dataset,
                                   resolve_format, round_or_latest, write_workbook)
from linkgraph.cli.rotate import _pairs

TABLE_COLUMNS = ["team_name", "role", "person_name", "source_unit", "specialties",
                 "rounds_served", "soft_score"]


@click.command()
@pass_dataset(needs=NEEDS["staff"])
@click.option("--round", "round_id", default=None, metavar="R",
              help="轮次编码（默认最近一轮）/ the round to staff (default the latest)")
@click.option("--targets", type=click.Path(dir_okay=False), default=None,
              help="巡察组与被巡察单位清单（列：巡察组编码、单位编码）/ teams and their units "
                   "(team_id, unit_id) instead of the round's assignments")
@click.option("--from-rotation", "from_rotation", type=click.Path(dir_okay=False), default=None,
              metavar="PLAN.json", help="rotate --format json 的方案作为各组巡察对象 / the "
              "teams' units from a rotation plan (rotate --format json)")
@click.option("--pool", "pool_file", type=click.Path(dir_okay=False), default=None,
              help="人才库文件（代替数据中的 pool 表）/ a pool file replacing DATA's pool table")
@click.option("--staffing-rules", "staffing_rules", type=click.Path(dir_okay=False),
              default=None, help="配备规则文件（覆盖 linkgraph/data/staffing_rules.toml 中的项）"
              " / staffing rules overlaying the shipped ones")
@click.option("--fix", multiple=True, callback=_pairs, metavar="PERSON:TEAM",
              help="指定某人进某组（编码或姓名，可重复）/ put a person on a team (repeatable)")
@click.option("--forbid", multiple=True, callback=_pairs, metavar="PERSON:TEAM",
              help="禁止某人进某组（可重复）/ keep a person off a team (repeatable)")
@click.option("--alternatives", type=click.IntRange(min=0), default=0, show_default=True,
              metavar="K", help="另给出 K 个次优名单 / also give the next K best rosters")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=None,
              help="配备全过程的时限（秒，默认见配备规则）：读入数据之后的冲突检查、建模和求解都"
                   "计在内，求解器只用剩下的时间（至少 1 秒）；有 --alternatives 时各名单平分 / "
                   "time limit of the whole staffing run after the data is read, seconds "
                   "(conflict check, model building and solving; the solver gets what is left, "
                   "at least 1 s; with --alternatives each roster an equal share)")
@click.option("--solver", type=click.Choice(["auto", "pricing", "cp-sat", "milp"]),
              default=None,
              help="求解器（默认 auto：列生成加拉格朗日下界，仍有差距时转 CP-SAT）/ solver "
                   "(default auto: column generation with a proven Lagrangian bound, then "
                   "CP-SAT if a gap is left)")
@click.option("--seed", type=int, default=0, show_default=True,
              help="随机种子 / random seed")
@click.option("--views", "views_dir", type=click.Path(file_okay=False), default=None,
              help="每组写一个交互页面（成员、其社会关系与任职、被巡察单位）/ write one "
                   "interactive page per team (members, their ties and posts, the units)")
@format_options()
def staff(dataset, rules_path, round_id: str | None, targets: str | None,
          from_rotation: str | None, pool_file: str | None, staffing_rules: str | None,
          fix, forbid, alternatives: int, time_limit: float | None, solver: str | None,
          seed: int, views_dir: str | None, fmt: str | None, out: str | None) -> None:
    """巡察组配备：从组长库、人才库为各组配齐人员 / staff the teams from the pool.

    Each team of the round (or of --targets / --from-rotation) gets its 组长,
    副组长 and members from the pool (the pool table, or --pool): every role
    filled, no one on two teams, no member with a hard conflict (回避) towards
    any unit the team inspects — kinship chains, posts, the unit seconded
    from — availability and the consecutive-rounds limit respected, every
    new member (以干代训) with an experienced one.  Then the specialties the
    targets need (补位) are covered, soft conflicts, recent service and
    missing experience minimised — by column generation over the merged
    model with a proven bound (then CP-SAT if a gap is left; --solver),
    proven optimal or with the gap, within --time-limit for the whole run.  An impossible roster names its cause and what to relax
    (exit 1).  --format xlsx writes the hand-over: the roster with a reason
    per member, specialties not covered, soft conflicts, alternatives.

    \b
    Example:
      linkgraph staff ledgers/ --round R2026-1 --alternatives 2 --out roster.xlsx
      linkgraph rotate ledgers/ --format json --out plan.json
      linkgraph staff ledgers/ --from-rotation plan.json --pool 人才库.xlsx
    """
    from linkgraph.rules import load_rules
    from linkgraph.staffing.files import (read_rotation, read_team_targets, roster_workbook,
                                          with_pool_file)
    from linkgraph.staffing.plan import StaffOptions, staff_teams
    from linkgraph.staffing.rules import load_staffing_rules

    if targets and from_rotation:
        raise click.UsageError("--targets 与 --from-rotation 只能选一个 / give one of --targets "
                               "and --from-rotation")
    pairs, names = None, None
    if from_rotation:
        plan_round, pairs, names = read_rotation(from_rotation)
        round_id = round_id or plan_round
    elif targets:
        pairs = read_team_targets(targets)
    round_id = round_or_latest(dataset, round_id)
    if round_id is None:
        click.echo(NO_ROUNDS, err=True)
        emit([], fmt, out, columns=TABLE_COLUMNS)
        return
    tables = dataset.tables
    if pool_file:
        tables = with_pool_file(tables, pool_file)
    options = StaffOptions(targets=pairs, team_names=names, fix=fix, forbid=forbid,
                           alternatives=alternatives, seed=seed, time_limit=time_limit,
                           solver=solver, lang=output_lang())
    roster = staff_teams(tables, round_id, options, rules=load_rules(rules_path),
                         staffing=load_staffing_rules(staffing_rules))
    _summary(roster)
    if views_dir:
        _views(tables, roster, views_dir, seed)
    fmt = resolve_format(fmt, out)
    if fmt == "json":
        emit([], fmt, out, json_doc=roster.as_record())
    elif fmt == "xlsx":
        rounds = tables["rounds"]
        name = rounds.loc[rounds["round_id"] == round_id, "name"]
        sheets, columns, reasons = roster_workbook(roster, output_lang(),
                                                   str(name.iloc[0]) if len(name) else None)
        assert out is not None
        write_workbook(sheets, out, columns, reasons=reasons)
        click.echo(f"已写入 / written: {out}", err=True)
    else:
        from linkgraph.staffing.files import ROSTER_COLUMNS

        emit(list(roster.members), fmt, out,
             columns=TABLE_COLUMNS if fmt == "table" and not out else list(ROSTER_COLUMNS))


def _views(tables, roster, folder: str, seed: int) -> None:
    """One team view per roster (the proposed members, not the ledger's)."""
    from pathlib import Path

    from linkgraph.cli.options import current_provenance
    from linkgraph.cli.view import provenance_rows
    from linkgraph.graph import build_graph
    from linkgraph.views import write_html
    from linkgraph.views.kinds import request_spec
    from linkgraph.views.kinds_team import team_view

    import pandas as pd

    from linkgraph.staffing.diagnose import ROLE_ZH

    by_team: dict[str, list[str]] = {}
    for m in roster.members:
        by_team.setdefault(m["team_id"], []).append(m["person_id"])
    from linkgraph.staffing.plan import ROLE_EN

    role = {**{zh: en for en, zh in ROLE_ZH.items()}, **{w: en for en, w in ROLE_EN.items()}}
    old = tables["team_members"]
    proposed = pd.DataFrame({"team_id": [m["team_id"] for m in roster.members],
                             "person_id": [m["person_id"] for m in roster.members],
                             "role": [role[m["role"]] for m in roster.members],
                             "seconded_from_unit_id": None})
    G = build_graph({**tables, "team_members": pd.concat(
        [old[~old["team_id"].isin(by_team)], proposed], ignore_index=True)})
    Path(folder).mkdir(parents=True, exist_ok=True)
    lang = output_lang()
    for team in sorted(by_team):
        if ("Team:" + team) not in G:
            click.echo(f"注意 / note: 巡察组 {team} 不在巡察组表中，未画页面 / team not in the teams "
                       "table: no page", err=True)
            continue
        req = team_view(G, team, lang=lang)
        spec = request_spec(req, max_nodes=1500, seed=seed, lang=lang,
                            provenance=provenance_rows(current_provenance()))
        path = Path(folder) / f"team-{team}.html"
        write_html(spec, path)
        click.echo(f"已写入 / written: {path}", err=True)


def _summary(roster) -> None:
    for line, warn in roster.summary_lines():
        click.secho(line, fg="yellow" if warn else None, err=True)
