"""Resolve: what the reader gave (mentions) → contract tables with ids.

``resolve(sheets, crosswalk=…)`` runs the unit resolver (``resolve_units``),
then the person resolver (``resolve_people``, Splink), then gives every
record its stable id (``ids``) and its references, and collects the review
list.  Departments (移交单位, 责任部门), rounds and teams are resolved by
their normalised names.

What it accepts from the reader, per table:

* ``people`` (干部名册): ``values`` name / gender / birth_year or birth /
  hometown / title; ``refs["person_id"]`` a ``PersonMention`` (its ``birth``
  ``1971.03``, ``unit`` and ``title``) and/or ``refs["unit_id"]`` the
  current post's unit.  ``posts`` records whose ``parent`` is a roster row
  add that person's posts.
* any table: a ``UnitMention`` (or text) under a unit column, a
  ``PersonMention`` (or text, or a list of them) under a person column,
  a mention or text under ``transferred_to`` / ``owner_dept_id``, text under
  ``round_id`` / ``team_id``; without ``refs["unit_id"]`` the sheet's own
  unit (title, sheet name) is the record's unit and the context for the
  people it names.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from linkgraph.vocab import DEPT_KIND_WORDS
from loaders.office.crosswalk import Crosswalk
from loaders.office.ids import IdRegistry
from loaders.office.records import (
    MentionLink,
    OfficeRecord,
    PersonMention,
    Resolution,
    SheetRead,
    UnitMention,
)
from loaders.office.resolve_people import (
    PersonResolver,
    Profile,
    normal_birth,
    normal_name,
)
from loaders.office.resolve_units import UnitResolver
from loaders.office.unitnames import clean, from_title, is_section, parse_unit

UNIT_COLUMNS = ("unit_id", "seconded_from_unit_id")
PERSON_COLUMNS = ("person_id", "person_ids", "owner_person_id", "person_a", "person_b")
DEPT_COLUMNS = ("transferred_to", "owner_dept_id")


def _text(value: Any) -> str:
    if isinstance(value, UnitMention):
        return value.text
    if isinstance(value, PersonMention):
        return value.text
    return "" if value is None else str(value)


def _items(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return [v for v in value if v is not None and v != ""]
    return [value]


def _person(value: Any) -> PersonMention:
    if isinstance(value, PersonMention):
        return value
    return PersonMention(name=str(value), text=str(value))


def _unit_text(mention: UnitMention | str) -> str:
    if isinstance(mention, UnitMention) and mention.context == "title":
        return from_title(mention.text)
    return clean(_text(mention))


class _Import:
    """One resolve run: the resolvers, the id registry and the sheets."""

    def __init__(self, sheets: list[SheetRead], crosswalk: Crosswalk | None) -> None:
        self.sheets = sheets
        self.ids = IdRegistry()
        self.units = UnitResolver(self.ids, crosswalk)
        self.people = PersonResolver(self.ids, crosswalk)
        self.context: dict[int, str | None] = {}
        self.out = Resolution()

    def records(self) -> Iterator[tuple[int, SheetRead, OfficeRecord]]:
        for i, sheet in enumerate(self.sheets):
            for rec in sheet.records:
                yield i, sheet, rec

    # -- units ----------------------------------------------------------
    def sheet_contexts(self) -> None:
        texts = [_unit_text(m) for _, _, r in self.records() for m in self._unit_mentions(r)]
        texts += [_unit_text(s.unit) for s in self.sheets if s.unit]
        known = sorted({parse_unit(t).region for t in texts if parse_unit(t).region} - {None},
                       key=lambda r: (-len(r or ""), r))
        for i, sheet in enumerate(self.sheets):
            region = parse_unit(_unit_text(sheet.unit)).region if sheet.unit else None
            if region is None:
                where = f"{sheet.file}{sheet.sheet}{sheet.round_text or ''}"
                region = next((r for r in known if r and r in where), None)
            self.context[i] = region

    @staticmethod
    def _unit_mentions(rec: OfficeRecord) -> Iterator[UnitMention | str]:
        for col in UNIT_COLUMNS:
            yield from _items(rec.refs.get(col))
        for col in PERSON_COLUMNS:
            for p in _items(rec.refs.get(col)):
                if isinstance(p, PersonMention) and p.unit is not None \
                        and not is_section(_text(p.unit)):
                    yield p.unit

    def collect_units(self) -> None:
        for i, sheet, rec in self.records():
            for m in self._unit_mentions(rec):
                self.units.add(_unit_text(m), rec.origin, self.context[i])
            if sheet.unit:
                self.units.add(_unit_text(sheet.unit), rec.origin, self.context[i])
        self.units.finish()

    def unit_of(self, i: int, mention: UnitMention | str | None) -> str | None:
        if mention is None or not _text(mention).strip():
            return None
        return self.units.lookup(_unit_text(mention), self.context[i])

    def record_unit(self, i: int, sheet: SheetRead, rec: OfficeRecord) -> str | None:
        own = _items(rec.refs.get("unit_id"))
        return self.unit_of(i, own[0] if own else sheet.unit)

    # -- people ---------------------------------------------------------
    def collect_roster(self) -> dict[str, str]:
        """Roster rows → people; returns record local id → person id."""
        posts: dict[str, list[tuple[int, OfficeRecord]]] = defaultdict(list)
        for i, _, rec in self.records():
            if rec.table == "posts" and rec.parent:
                posts[rec.parent].append((i, rec))
        local: dict[str, str] = {}
        for i, _, rec in self.records():
            if rec.table != "people":
                continue
            me = _items(rec.refs.get("person_id"))
            mention = _person(me[0]) if me else None
            name = rec.values.get("name") or (mention.name if mention else "")
            if not str(name).strip():
                continue
            birth = normal_birth((mention.birth if mention else None)
                                 or rec.values.get("birth") or rec.values.get("birth_year"))
            units = [u for u in (self.unit_of(i, m) for m in
                                 _items(rec.refs.get("unit_id"))
                                 + ([mention.unit] if mention and mention.unit else [])
                                 + [m for _, p in posts.get(rec.local, [])
                                    for m in _items(p.refs.get("unit_id"))]) if u]
            gender = rec.values.get("gender") or (mention.gender if mention else None)
            pid = self.people.add_roster(str(name), birth, gender, list(dict.fromkeys(units)),
                                         rec.values)
            local[rec.local] = pid
            self.out.links.append(MentionLink("person", rec.origin, "person_id", str(name), pid))
        return local

    def profile(self, i: int, sheet: SheetRead, rec: OfficeRecord,
                mention: PersonMention) -> Profile:
        own = None if mention.unit is None or is_section(_text(mention.unit)) \
            else self.unit_of(i, mention.unit)
        return Profile(normal_name(mention.name), own,
                       self.record_unit(i, sheet, rec), normal_birth(mention.birth),
                       mention.gender or None)

    def person_refs(self, roster_local: dict[str, str]) -> Iterator[
            tuple[int, SheetRead, OfficeRecord, str, PersonMention]]:
        for i, sheet, rec in self.records():
            if rec.local in roster_local or (rec.table == "posts" and rec.parent in roster_local):
                continue
            for col in PERSON_COLUMNS:
                for m in _items(rec.refs.get(col)):
                    if normal_name(_person(m).name):
                        yield i, sheet, rec, col, _person(m)

    def collect_people(self, roster_local: dict[str, str]) -> None:
        for i, sheet, rec, _, m in self.person_refs(roster_local):
            self.people.add(self.profile(i, sheet, rec, m), rec.origin)
        self.people.unit_names = {e.unit_id: e.name for e in self.units.entities.values()}
        self.people.finish()


def _normal(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _dept_kind(name: str) -> str:
    words = sorted(((w, k) for k, ws in DEPT_KIND_WORDS.items() for w in ws),
                   key=lambda x: -len(x[0]))
    return next((k for w, k in words if w in name), "other")


def resolve(sheets: list[SheetRead], *, crosswalk: Crosswalk | None = None,
            rules: Any = None) -> Resolution:
    """Mentions → ids: the contract tables, the review list and what was
    rejected (see the module docstring)."""
    job = _Import(sheets, crosswalk)
    job.sheet_contexts()
    job.collect_units()
    roster_local = job.collect_roster()
    job.collect_people(roster_local)
    from loaders.office.resolve_tables import build_tables

    build_tables(job, roster_local)
    job.out.review = job.units.review + job.people.review
    return job.out

