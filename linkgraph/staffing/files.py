"""The staffing command's inputs beside DATA — ``--targets`` (team → units),
``--from-rotation`` (a ``rotate`` JSON plan), ``--pool`` (a 人才库 file) —
and the workbook a planner hands over."""
from __future__ import annotations

import json
from dataclasses import replace
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from linkgraph.errors import InputError, ValidationError
from linkgraph.headers import table_for
from linkgraph.rotation.files import _columns
from linkgraph.schema import Tables

TARGET_COLUMNS = {"team_id": ("team_id", "巡察组编码", "巡察组"),
                  "unit_id": ("unit_id", "单位编码", "被巡察单位编码")}


def read_team_targets(path: str | Path) -> dict[str, tuple[str, ...]]:
    """team_id -> unit ids of a targets file (CSV/Excel; 巡察组编码, 单位编码)."""
    frame = _columns(path, TARGET_COLUMNS)
    if frame.empty:
        raise InputError(f"{Path(path).name}: 没有巡察组与单位 / no team and unit rows")
    twice = frame.drop_duplicates()
    twice = twice["unit_id"][twice["unit_id"].duplicated()]
    if len(twice):
        raise InputError(f"{Path(path).name}: 单位被分给多个巡察组 / units given to two teams: "
                         f"{', '.join(sorted(set(twice))[:10])}")
    return {t: tuple(sorted(set(g["unit_id"]))) for t, g in frame.groupby("team_id", sort=True)}


def read_rotation(path: str | Path) -> tuple[str | None, dict[str, tuple[str, ...]],
                                             dict[str, str]]:
    """(round, team -> units, team names) from the JSON ``rotate --format json`` wrote."""
    name = Path(path).name
    try:
        doc = json.loads(Path(path).read_text("utf-8-sig"))
    except OSError as exc:
        raise InputError(f"{name}: 无法读取 / cannot read: {exc.strerror}") from exc
    except ValueError as exc:
        raise InputError(f"{name}: 不是 JSON / not JSON: {exc}") from exc
    pairs = doc.get("pairs") if isinstance(doc, dict) else None
    if not isinstance(pairs, list) or not all(isinstance(p, dict) and "team_id" in p
                                              and isinstance(p.get("unit_ids"), list)
                                              for p in pairs):
        raise InputError(f"{name}: 不是 linkgraph rotate 的方案（缺少 pairs / team_id / unit_ids）"
                         f" / not a rotation plan (pairs with team_id and unit_ids)")
    targets = {str(p["team_id"]): tuple(sorted(map(str, p["unit_ids"]))) for p in pairs}
    names = {str(p["team_id"]): str(p.get("team_name") or p["team_id"]) for p in pairs}
    rid = doc.get("round_id")
    return (str(rid) if rid else None), targets, names


def with_pool_file(tables: Tables, path: str | Path) -> dict[str, pd.DataFrame]:
    """``tables`` with the pool read from ``path`` (typed and checked like a
    DATA table; its people and units must be in DATA)."""
    from linkgraph.dataset import load_dataset

    path = Path(path)
    if not path.is_file():
        raise InputError(f"找不到文件 / no such file: {path}")
    with tempfile.TemporaryDirectory() as tmp:
        name = path.name if table_for(path.stem) == "pool" else f"pool{path.suffix}"
        shutil.copyfile(path, Path(tmp) / name)
        for table, key in (("people", "person_id"), ("units", "unit_id")):
            frame = tables[table][[key, "name"]]
            frame.to_csv(Path(tmp) / f"{table}.csv", index=False, encoding="utf-8")
        ds = load_dataset(tmp, lenient=True, use_cache=False)
    errors = [replace(v, file=path.name) for v in ds.errors if v.table == "pool"]
    pool = ds.tables["pool"]
    if errors:
        raise ValidationError(f"{path.name}: 人才库有 {len(errors)} 处错误 / {len(errors)} errors "
                              f"in the pool file", errors)
    if pool.empty:
        raise InputError(f"{path.name}: 人才库为空（表头需含 人员编码、人才库类别）/ empty pool "
                         f"(needs person_id and pool_kind columns)")
    return {**tables, "pool": pool}


# --- the workbook a planner hands over ---------------------------------------

ROSTER_COLUMNS = ("team_id", "team_name", "role", "person_id", "person_name", "source_unit",
                  "specialties", "rounds_served", "soft_score", "staff_reason")
UNCOVERED_COLUMNS = ("team_id", "team_name", "need_specialty", "need_units", "need_reason",
                     "uncovered_reason")
SOFT_COLUMNS = ("team_id", "team_name", "person_name", "unit_name", "relation_zh", "score",
                "explanation")
ALTERNATIVE_COLUMNS = ("rotation_rank", "objective", "optimal", "differs")
EXCLUDED_COLUMNS = ("person_id", "person_name", "excluded_reason")


def roster_workbook(roster, lang: str = "zh", round_name: str | None = None
                    ) -> tuple[dict[str, list[dict[str, Any]]], dict[str, tuple[str, ...]],
                               dict[str, str]]:
    """(sheets, their columns, why an empty one is empty) of the roster workbook."""
    from linkgraph.catalogue import catalogue

    en = lang == "en"
    cat = catalogue()
    yes, no = ("yes", "no") if en else ("是", "否")
    summary = [
        ("round_name", f"{round_name}（{roster.round_id}）" if round_name else roster.round_id),
        ("objective", f"{roster.objective:g}"), ("optimal", yes if roster.optimal else no),
        ("gap", f"{roster.gap:.2%}"), ("solver", roster.solver),
    ]
    rows = [{"item": cat.header(k, lang), "value": v} for k, v in summary]
    rows += [{"item": "note" if en else "说明", "value": n} for n in roster.notes]
    none = {
        "uncovered_needs": ("各组被巡察单位需要的特长均已覆盖",
                            "every specialty the targets need is covered"),
        "roster_soft_conflicts": ("名单中没有提示性关系（软冲突）",
                                  "no soft conflicts remain in the rosters"),
        "roster_alternatives": ("未要求备选名单（--alternatives K 可给出 K 个次优名单）",
                                "no alternatives asked (--alternatives K gives K more)"),
        "pool_excluded": ("人才库人员本轮均可抽调", "everyone in the pool is available"),
    }
    sheets = {"roster": list(roster.members), "uncovered_needs": list(roster.uncovered),
              "roster_soft_conflicts": list(roster.soft_conflicts),
              "roster_alternatives": list(roster.alternatives),
              "pool_excluded": list(roster.excluded), "solve_summary": rows}
    columns = {"roster": ROSTER_COLUMNS, "uncovered_needs": UNCOVERED_COLUMNS,
               "roster_soft_conflicts": SOFT_COLUMNS, "roster_alternatives": ALTERNATIVE_COLUMNS,
               "pool_excluded": EXCLUDED_COLUMNS, "solve_summary": ("item", "value")}
    return sheets, columns, {k: v[1 if en else 0] for k, v in none.items()}
