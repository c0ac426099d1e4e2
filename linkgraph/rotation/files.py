"""The planner's two small input lists: ``--targets`` (units) and ``--zones`` (片区).

CSV/TSV (any encoding the ledger reader accepts) or the first sheet of an
Excel file; headers English or Chinese.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from linkgraph.errors import InputError
from linkgraph.normalize import header, strip_header_note

TARGET_COLUMNS = {"unit_id": ("unit_id", "单位编码", "被巡察单位编码")}
ZONE_COLUMNS = {"region_id": ("region_id", "区域编码"),
                "zone": ("zone", "片区", "片区名称", "协作区", "zone_id")}


def _grid(path: str | Path) -> pd.DataFrame:
    from loaders.excel import EXCEL_SUFFIXES, open_workbook, read_sheet, sheet_names
    from loaders.text import read_delimited

    path = Path(path)
    if not path.is_file():
        raise InputError(f"找不到文件 / no such file: {path}")
    if path.suffix.lower() in EXCEL_SUFFIXES:
        wb = open_workbook(str(path), path.name)
        return read_sheet(wb, sheet_names(wb)[0], path.name)
    return read_delimited(str(path), path.name)


def _columns(path: str | Path, wanted: Mapping[str, tuple[str, ...]]) -> pd.DataFrame:
    grid = _grid(path)
    if grid.empty:
        raise InputError(f"{Path(path).name}: 文件为空 / empty file")
    heads = [strip_header_note(header(c)) for c in grid.iloc[0]]
    body = grid.iloc[1:]
    out = {}
    for name, aliases in wanted.items():
        keys = {header(a) for a in aliases}
        pos = [k for k, h in enumerate(heads) if h in keys]
        if not pos:
            raise InputError(f"{Path(path).name}: 缺少列 {name}（可用列名 / accepted: "
                             f"{', '.join(aliases)}）/ missing column {name}")
        out[name] = [str(v).strip() for v in body.iloc[:, pos[0]]]
    frame = pd.DataFrame(out)
    return frame[(frame != "").all(axis=1)]


def read_targets(path: str | Path) -> tuple[str, ...]:
    """The unit ids of a targets list (sorted, distinct)."""
    return tuple(sorted(set(_columns(path, TARGET_COLUMNS)["unit_id"])))


def read_zones(path: str | Path) -> dict[str, str]:
    """region_id -> zone; a region listed in two zones is an error."""
    frame = _columns(path, ZONE_COLUMNS).drop_duplicates()
    twice = frame["region_id"][frame["region_id"].duplicated()]
    if len(twice):
        raise InputError(f"{Path(path).name}: 区域属于多个片区 / regions in two zones: "
                         f"{', '.join(sorted(set(twice))[:10])}")
    return dict(zip(frame["region_id"], frame["zone"]))


# --- the workbook a planner hands over ---------------------------------------

PLAN_COLUMNS = ("team_id", "team_name", "from_region_name", "to_region_name", "n_units",
                "cost", "n_soft", "swaps", "workload_ratio", "reason")
SOFT_COLUMNS = ("team_id", "to_region_name", "person_name", "role", "unit_name",
                "relation", "score", "explanation")
SWAP_COLUMNS = ("person_name", "role", "team_id", "to_team_id", "conflict",
                "with_person_name", "with_team_id")
ALTERNATIVE_COLUMNS = ("rotation_rank", "objective", "optimal", "differs")

_BOOL = {"zh": ("是", "否"), "en": ("yes", "no")}
_CONSTRAINTS = {   # option -> (zh, en): how the summary names it
    "no_reciprocal": ("不允许互派", "no reciprocal pairs"),
    "single_cycle": ("连成一个推磨环", "one single ring"),
    "avoid_recent": ("近 K 轮配对不再使用", "no pair of the last K rounds"),
    "zones": ("片区", "zones"), "fix": ("指定配对", "fixed pairs"),
    "forbid": ("禁止配对", "forbidden pairs"),
    "capacity_tolerance": ("力量工作量比允许偏差", "capacity tolerance"),
    "workload": ("工作量口径", "workload measure"),
    "member_swaps": ("成员回避调换", "member swaps"),
    "max_swaps": ("每组最多调换", "most swaps per team"),
    "swap_cost": ("每次调换代价", "cost of a swap"),
    "time_limit": ("求解时限（秒）", "time limit (s)"),
    "seed": ("随机种子", "seed"), "alternatives": ("备选方案数", "alternatives asked"),
    "targets": ("被巡察单位清单", "targets list"), "solver": ("指定求解器", "solver asked"),
    "without_members": ("不计各组现有成员（随后由 staff 配备）",
                        "teams' current members left out (staffed afresh by staff)"),
}
_WORKLOAD = {"units": ("单位数", "units"), "problems": ("历史问题数", "past problems")}


def _shown(value: Any, lang: str) -> str:
    """An option's value as a planner reads it (no JSON)."""
    yes, no = _BOOL[lang]
    if value is None or value == [] or value == {}:
        return "无" if lang == "zh" else "none"
    if isinstance(value, bool):
        return yes if value else no
    if isinstance(value, dict):
        return "；".join(f"{k}：{v}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return "；".join(":".join(map(str, v)) if isinstance(v, (list, tuple)) else str(v)
                        for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def plan_workbook(plan, units: pd.DataFrame | None = None, lang: str = "zh",
                  round_name: str | None = None) -> tuple[dict[str, list[dict[str, Any]]], dict[str, tuple[str, ...]],
                             dict[str, str]]:
    """(sheets, their columns, why an empty one is empty) of the rotation
    workbook: the plan with a reason per pair, the units each team inspects
    (names beside ids), remaining soft conflicts, member swaps, alternatives
    and a readable summary of how it was solved."""
    from linkgraph.catalogue import catalogue
    from linkgraph.rotation.problem import BLOCK_EN, BLOCK_ZH

    en = lang == "en"
    cat = catalogue()
    unit_names = ({} if units is None or units.empty else
                  dict(zip(units["unit_id"].astype(str), units["name"].astype(str))))
    team_names = {p.team_id: p.team_name for p in plan.pairs}
    region_names = {p.to_region_id: p.to_region_name for p in plan.pairs}
    region_names.update({p.from_region_id: p.from_region_name for p in plan.pairs
                         if p.from_region_id})
    rows = []
    for p in plan.pairs:
        rec = p.as_record()
        rec.update(n_units=len(p.unit_ids), n_soft=len(p.soft_conflicts))
        rows.append(rec)
    plan_units = [{"team_id": p.team_id, "team_name": p.team_name,
                   "to_region_name": p.to_region_name, "unit_id": u,
                   "unit_name": unit_names.get(u, "")}
                  for p in plan.pairs for u in p.unit_ids]
    soft = [{"team_id": p.team_id, "to_region_name": p.to_region_name, **c}
            for p in plan.pairs for c in p.soft_conflicts]
    swaps = [s.as_record() for s in plan.member_swaps]

    def move(team: str, a: str, b: str) -> str:
        name = team_names.get(team, team)
        colon = ": " if en else "："
        return f"{name}{colon}{region_names.get(a, a)} → {region_names.get(b, b)}"
    alts = [{"rotation_rank": a.rank, "objective": a.objective, "optimal": a.optimal,
             "differs": ("; " if en else "；").join(move(t, x, y) for t, x, y in a.differs)}
            for a in plan.alternatives]
    record = plan.as_record()
    constraints = dict(record["constraints"])
    excluded = constraints.pop("excluded_pairs", {}) or {}
    names = BLOCK_EN if en else BLOCK_ZH
    pairs: list[tuple[str, Any]] = [
        ("round_name", (f"{round_name} ({plan.round_id})" if en else
                        f"{round_name}（{plan.round_id}）") if round_name else plan.round_id),
        ("objective", f"{plan.objective:g}"),
        ("imbalance", f"{plan.workload_imbalance:g}"),
        ("optimal", _shown(plan.optimal, lang)),
        ("gap", f"{plan.gap:.2%}"),
        ("solver", plan.solver),
    ]
    summary = [{"item": cat.header(k, lang), "value": v} for k, v in pairs]
    for key, value in constraints.items():
        label = _CONSTRAINTS.get(key, (key, key))[1 if en else 0]
        if key == "workload":
            value = _WORKLOAD.get(value, (value, value))[1 if en else 0]
        summary.append({"item": label, "value": _shown(value, lang)})
    for key, n in excluded.items():
        if n:
            summary.append({"item": ("excluded pairs: " if en else "排除的配对：") + names[key],
                            "value": str(n)})
    none = {"soft_conflicts": ("各组与被巡察单位之间没有剩余的软冲突（提示）",
                               "no soft conflicts remain between the teams and their units"),
            "member_swaps": ("没有成员因回避需要调换", "no member had to be swapped"),
            "alternatives": ("未要求备选方案（--alternatives K 可给出 K 个次优方案）",
                             "no alternatives asked (--alternatives K gives K more plans)"),
            "plan_units": ("本轮没有被巡察单位", "the round has no units to inspect")}
    sheets = {"plan": rows, "plan_units": plan_units, "soft_conflicts": soft,
              "member_swaps": swaps, "alternatives": alts, "solve_summary": summary}
    columns = {"plan": PLAN_COLUMNS,
               "plan_units": ("team_id", "team_name", "to_region_name", "unit_id", "unit_name"),
               "soft_conflicts": SOFT_COLUMNS, "member_swaps": SWAP_COLUMNS,
               "alternatives": ALTERNATIVE_COLUMNS, "solve_summary": ("item", "value")}
    reasons = {k: v[1 if en else 0] for k, v in none.items()}
    return sheets, columns, reasons
