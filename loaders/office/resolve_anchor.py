"""What tells apart two namesakes named with no unit at all (in ties)."""
from __future__ import annotations

from loaders.office.records import OfficeRecord, PersonMention
from loaders.office.refs import as_person, items, text_of
from loaders.office.resolve_people import normal_name


def anchor(rec: OfficeRecord, col: str, mention: PersonMention) -> str | None:
    """What tells apart two namesakes named with no unit in ties: a relative
    (``person_b``) by the person they are the relative of, as written (name
    and unit); a register's declarer (``person_a``) by the run of rows they
    declare in (one official, several relatives, consecutive rows).  A 回避申报's 巡察干部 is an official on a team and
    is found as one (no anchor)."""
    if rec.table != "ties" or col not in ("person_a", "person_b") or mention.unit is not None:
        return None
    if col == "person_a":
        if rec.values.get("declared_by_inspector"):
            return None
        return f"register:{rec.origin.file}|{rec.origin.sheet}|{rec.values.get('declarer_rows')}"
    them = [as_person(m) for m in items(rec.refs.get("person_a"))]
    return "|".join(f"{normal_name(p.name)}@{text_of(p.unit) if p.unit else ''}"
                    for p in them) or None
