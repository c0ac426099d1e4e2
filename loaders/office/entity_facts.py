"""Facts the office's lists give about entities the resolver names.

A 巡察安排 row says a round's kind and dates and a team's 派出区域 and
交叉方式; a 职能部门 row a department's kind, region and the categories it
supervises; a 区划 row a region's level and parent.  They describe an
entity the ledgers also name (by the same key), so they are kept beside it,
never as a second row.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from loaders.office.records import OfficeRecord
from loaders.office.refs import items, text_of

#: The lists whose rows describe entities rather than add records.
FACT_TABLES = frozenset({"rounds", "teams", "departments", "regions"})
#: Per table: the values kept, and the references that name a region.
_VALUES = {"rounds": ("name", "kind", "start", "end"), "teams": ("cross_mode",),
           "departments": ("name", "kind", "supervises"), "regions": ("name", "level")}
_REGION_REFS = {"rounds": ("organizer_region_id",), "teams": ("home_region_id",),
                "departments": ("region_id",), "regions": ("parent_id",)}


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value) or None
    return value


def fact_values(rec: OfficeRecord, region_id: Callable[[str], str | None]) -> dict[str, Any]:
    """The facts of one list row, with regions as ids; empty ones left out."""
    out = {k: _plain(rec.values.get(k)) for k in _VALUES[rec.table]}
    for col in _REGION_REFS[rec.table]:
        named = next((text_of(x) for x in items(rec.refs.get(col))), None)
        if named is None and col == "parent_id":
            named = rec.values.get("parent")
        out[col] = region_id(str(named)) if named else None
    return {k: v for k, v in out.items() if v not in (None, "")}


def merge_regions(rows: list[dict[str, Any]], facts: dict[str, dict[str, Any]]
                  ) -> list[dict[str, Any]]:
    """The regions unit names carry, and those a 区划 lists, one row each."""
    by_id = {r["region_id"]: dict(r) for r in rows}
    for gid, found in facts.items():
        by_id.setdefault(gid, {"region_id": gid}).update(found)
    return [by_id[g] for g in sorted(by_id)]
