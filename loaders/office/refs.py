"""How the reader's references look, and the small helpers every resolve
module shares: a reference is a mention (``UnitMention``, ``PersonMention``),
plain text, or a list of them."""
from __future__ import annotations

import re
import unicodedata
from typing import Any

from linkgraph.vocab import DEPT_KIND_WORDS
from loaders.office.records import PersonMention, UnitMention

UNIT_COLUMNS = frozenset({"unit_id", "seconded_from_unit_id"})
PERSON_COLUMNS = ("person_id", "person_ids", "owner_person_id", "person_a", "person_b")
PERSON_COLUMN_SET = frozenset(PERSON_COLUMNS)
DEPT_COLUMNS = ("transferred_to", "owner_dept_id")


def text_of(value: Any) -> str:
    if isinstance(value, UnitMention):
        return value.text
    if isinstance(value, PersonMention):
        return value.text
    return "" if value is None else str(value)


def items(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return [v for v in value if v is not None and v != ""]
    return [value]


def as_person(value: Any) -> PersonMention:
    if isinstance(value, PersonMention):
        return value
    return PersonMention(name=str(value), text=str(value))


def normal(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def dept_kind(name: str) -> str:
    words = sorted(((w, k) for k, ws in DEPT_KIND_WORDS.items() for w in ws),
                   key=lambda x: -len(x[0]))
    return next((k for w, k in words if w in name), "other")
