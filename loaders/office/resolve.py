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

import gc
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from loaders.office.crosswalk import Crosswalk
from loaders.office.ids import IdRegistry
from loaders.office.records import (
    MentionLink,
    OfficeRecord,
    Origin,
    PersonMention,
    Resolution,
    SheetRead,
    UnitMention,
)
from loaders.office.refs import (
    PERSON_COLUMN_SET,
    PERSON_COLUMNS,
    UNIT_COLUMNS,
    WEAK_UNIT_COLUMNS,
    as_person,
    items,
    text_of,
)
from loaders.office.resolve_people import (
    PersonResolver,
    Profile,
    RosterRow,
    normal_birth,
    normal_name,
)
from loaders.office.resolve_anchor import anchor
from loaders.office.resolve_tables import build_tables
from loaders.office.resolve_units import UnitResolver
from loaders.office.unitnames import clean, from_title, is_section, parse_unit


def _unit_mentions(rec: OfficeRecord) -> Iterator[UnitMention | str]:
    """The unit mentions of a record: its unit columns and the units its
    people are named with (a section such as 办公室 is not a unit)."""
    for col, value in rec.refs.items():
        if col in UNIT_COLUMNS:
            yield from items(value)
        elif col in PERSON_COLUMN_SET:
            for p in (value if isinstance(value, (list, tuple)) else (value,)):
                if isinstance(p, PersonMention) and p.unit is not None \
                        and not is_section(p.unit.text):
                    yield p.unit


def _unit_text(mention: UnitMention | str) -> str:
    if isinstance(mention, UnitMention) and mention.context == "title":
        return from_title(mention.text)
    return clean(mention.text if isinstance(mention, UnitMention) else str(mention))


class _Import:
    """One resolve run: the resolvers, the id registry and the sheets."""

    def __init__(self, sheets: list[SheetRead], crosswalk: Crosswalk | None,
                 rules: ResolveRules) -> None:
        self.sheets = sheets
        self.ids = IdRegistry()
        self.units = UnitResolver(self.ids, crosswalk, rules.government_joins_party)
        self.people = PersonResolver(self.ids, crosswalk)
        self.context: dict[int, str | None] = {}
        self._record_units: dict[tuple[int, Any], str | None] = {}
        self._profiles: dict[tuple[int, str | None, PersonMention, bool, str | None],
                            Profile] = {}
        self.out = Resolution()

    def records(self) -> Iterator[tuple[int, SheetRead, OfficeRecord]]:
        for i, sheet in enumerate(self.sheets):
            for rec in sheet.records:
                yield i, sheet, rec

    # -- units ----------------------------------------------------------
    def gather_units(self) -> None:
        """Every unit mention once, with the rows that carry it."""
        self._gathered: dict[tuple[int, Any], list[Origin]] = defaultdict(list)
        for i, sheet, rec in self.records():
            for m in _unit_mentions(rec):
                self._gathered[(i, m)].append(rec.origin)
            if sheet.unit:
                self._gathered[(i, sheet.unit)].append(rec.origin)

    def sheet_contexts(self) -> None:
        """The region each sheet's bare names (``县农业农村局``) belong to."""
        texts = {_unit_text(m) for _, m in self._gathered}
        texts |= {_unit_text(s.unit) for s in self.sheets if s.unit}
        regions = {parse_unit(t).region for t in texts}
        known = sorted((r for r in regions if r), key=lambda r: (-len(r), r))
        for i, sheet in enumerate(self.sheets):
            region = parse_unit(_unit_text(sheet.unit)).region if sheet.unit else None
            if region is None:
                where = f"{sheet.file}{sheet.sheet}{sheet.round_text or ''}"
                region = next((r for r in known if r in where), None)
            if region is None and len(known) == 1:  # a county's own ledgers
                region = known[0]
            self.context[i] = region

    def collect_units(self) -> None:
        for (i, m), origins in self._gathered.items():
            self.units.add_many(_unit_text(m), origins, self.context[i])
        self.units.finish()
        self.people.unit_names = {e.unit_id: e.name for e in self.units.entities.values()}

    def unit_of(self, i: int, mention: UnitMention | str | None) -> str | None:
        if mention is None or not text_of(mention).strip():
            return None
        return self.units.lookup(_unit_text(mention), self.context[i])

    def record_unit(self, i: int, sheet: SheetRead, rec: OfficeRecord) -> str | None:
        own = rec.refs.get("unit_id")
        if isinstance(own, (list, tuple)):
            own = own[0] if own else None
        mention = own if own else sheet.unit
        key = (i, mention)
        if key not in self._record_units:
            self._record_units[key] = self.unit_of(i, mention)
        return self._record_units[key]

    # -- people ---------------------------------------------------------
    def collect_roster(self) -> dict[str, str]:
        """Roster rows → people; returns record local id → person id."""
        posts: dict[str, list[tuple[int, OfficeRecord]]] = defaultdict(list)
        for i, _, rec in self.records():
            if rec.table == "posts" and rec.parent:
                posts[rec.parent].append((i, rec))
        rows: list[tuple[OfficeRecord, RosterRow]] = []
        for i, _, rec in self.records():
            if rec.table != "people":
                continue
            me = items(rec.refs.get("person_id"))
            mention = as_person(me[0]) if me else None
            name = rec.values.get("name") or (mention.name if mention else "")
            if not str(name).strip():
                continue
            birth = normal_birth((mention.birth if mention else None)
                                 or rec.values.get("birth") or rec.values.get("birth_year"))
            units = [u for u in (self.unit_of(i, m) for m in
                                 items(rec.refs.get("unit_id"))
                                 + ([mention.unit] if mention and mention.unit else [])
                                 + [m for _, p in posts.get(rec.local, [])
                                    for m in items(p.refs.get("unit_id"))]) if u]
            gender = rec.values.get("gender") or (mention.gender if mention else None)
            rows.append((rec, RosterRow(str(name), birth, gender, list(dict.fromkeys(units)),
                                        rec.values, rec.origin)))
        pids = self.people.add_rosters([r for _, r in rows])
        local: dict[str, str] = {}
        for (rec, row), pid in zip(rows, pids):
            local[rec.local] = pid
            self.out.links.append(MentionLink("person", rec.origin, "person_id", row.name, pid))
        return local

    def profile(self, i: int, sheet: SheetRead, rec: OfficeRecord,
                mention: PersonMention, col: str = "") -> Profile:
        return self.profile_in(i, self.record_unit(i, sheet, rec), mention, col,
                               anchor(rec, col, mention))

    def profile_in(self, i: int, context: str | None, mention: PersonMention,
                   col: str = "", anchor: str | None = None) -> Profile:
        """The profile linkage compares, for a mention in a record of unit
        ``context``.  A 责任人's unit as the reader gives it is the 责任单位
        cell, which may be the department leading the fix rather than the
        person's own unit: for ``owner_person_id`` it is a second guess
        (``alt_unit``) after the ledger's own unit, never a firm fact."""
        weak = col in WEAK_UNIT_COLUMNS
        key = (i, context, mention, weak, anchor)
        found = self._profiles.get(key)
        if found is None:
            own = None if mention.unit is None or is_section(text_of(mention.unit)) \
                else self.unit_of(i, mention.unit)
            found = self._profiles[key] = Profile(
                normal_name(mention.name), None if weak else own, context,
                normal_birth(mention.birth), mention.gender or None,
                own if weak and own != context else None, mention.no_post,
                anchor if mention.unit is None and context is None else None)
        return found

    def person_refs(self, roster_local: dict[str, str]) -> Iterator[
            tuple[int, SheetRead, OfficeRecord, str, PersonMention]]:
        for i, sheet, rec in self.records():
            if rec.local in roster_local or (rec.table == "posts" and rec.parent in roster_local):
                continue
            for col in PERSON_COLUMNS:
                for m in items(rec.refs.get(col)):
                    if normal_name(as_person(m).name):
                        yield i, sheet, rec, col, as_person(m)

    def collect_people(self, roster_local: dict[str, str]) -> None:
        for i, sheet, rec, col, m in self.person_refs(roster_local):
            self.people.add(self.profile(i, sheet, rec, m, col), rec.origin)
        self.people.finish()


@dataclass(frozen=True)
class ResolveRules:
    """Choices an office may make differently.

    ``government_joins_party``: a place's 人民政府 (办事处, 村委会) is taken as
    its 党委's unit while the office decides (DESIGN's default); False keeps
    it a unit of its own meanwhile.  Either way the pair is in review."""

    government_joins_party: bool = True


def resolve(sheets: list[SheetRead], *, crosswalk: Crosswalk | None = None,
            rules: ResolveRules | Mapping[str, Any] | None = None) -> Resolution:
    """Mentions → ids: the contract tables, the review list and what was
    rejected (see the module docstring)."""
    if not isinstance(rules, ResolveRules):
        rules = ResolveRules(**dict(rules or {}))
    with collector_paused():
        job = _Import(sheets, crosswalk, rules)
        job.gather_units()
        job.sheet_contexts()
        job.collect_units()
        roster_local = job.collect_roster()
        job.collect_people(roster_local)
        build_tables(job, roster_local)
        job.out.review = job.units.review + job.people.review
    return job.out


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while the block runs.

    An import builds millions of small objects (cells, records, mentions)
    and no reference cycles worth collecting; the collector would walk them
    all again and again as they pile up (measured: two thirds of the resolve
    step; 14 % of a county's whole import), so it waits until the end."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()

