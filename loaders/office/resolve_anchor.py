"""What tells apart two namesakes named with no unit at all."""
from __future__ import annotations

from loaders.office.records import OfficeRecord, PersonMention
from loaders.office.refs import as_person, items, text_of
from loaders.office.resolve_people import normal_name


def anchor(rec: OfficeRecord, col: str, mention: PersonMention) -> str | None:
    """A tie's other person as written (name and unit), which tells apart two
    namesakes both named with no unit: the relatives of different people."""
    other = {"person_a": "person_b", "person_b": "person_a"}.get(col)
    if rec.table != "ties" or other is None or mention.unit is not None:
        return None
    them = [as_person(m) for m in items(rec.refs.get(other))]
    return "|".join(f"{normal_name(p.name)}@{text_of(p.unit) if p.unit else ''}"
                    for p in them) or None
