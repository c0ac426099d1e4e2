"""The planner's two small input lists: ``--targets`` (units) and ``--zones`` (片区).

CSV/TSV (any encoding the ledger reader accepts) or the first sheet of an
Excel file; headers English or Chinese.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

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
