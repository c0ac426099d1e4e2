"""The office's own totals against what was imported.

A ledger often states totals about itself: a 合计 row, a 统计 sheet, a title
saying ``15件16人``.  Each ``OfficeTotal`` is compared with the same figure
counted over what the import made of that sheet; a mismatch is a warning the
office must see (a row lost, a row read twice, or a total written by hand).

Completion figures (``what`` = ``done`` or ``rate``) depend on how the office
counts 持续整改/长期坚持 (ongoing): some count it as done, some not (昆明's
688 of 697 = 98.71 % counts it as not done).  The import computes both and
says which convention the office's own figure follows.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from loaders.office.records import MentionLink, OfficeTotal, Origin, Resolution, SheetRead

#: Conventions for measures whose status is ongoing (持续整改/长期坚持).
ONGOING_DONE = "ongoing_done"
ONGOING_OPEN = "ongoing_open"

#: Tolerance when comparing a rate the office wrote (98.71) with ours.
RATE_TOLERANCE = 0.006


@dataclass(frozen=True)
class TotalCheck:
    """One office total, what the import counted, and whether they agree."""

    total: OfficeTotal
    counted: float | None  # None: the import cannot count this figure
    matches: bool | None
    convention: str | None = None  # the convention the office's figure follows

    def as_record(self) -> dict[str, Any]:
        o = self.total.origin
        return {"file": o.file, "sheet": o.sheet, "row": o.row, "table": self.total.table,
                "what": self.total.what, "text": self.total.text,
                "office": self.total.value, "imported": self.counted,
                "matches": self.matches, "convention": self.convention}


class SheetIndex:
    """The resolved rows, their origins and the person links of each sheet,
    gathered once: a ledger states thousands of totals, and looking each
    one's sheet up among all rows made the check quadratic."""

    def __init__(self, resolution: Resolution) -> None:
        self.tables = resolution.tables
        self._rows: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        self._origins: dict[tuple[str, str, str], list[Origin]] = {}
        for table, rows in resolution.tables.items():
            for r, o in zip(rows, resolution.origins.get(table, [])):
                self._rows.setdefault((table, o.file, o.sheet), []).append(r)
        for table, origins in resolution.origins.items():
            for o in origins:
                self._origins.setdefault((table, o.file, o.sheet), []).append(o)
        self._links: dict[tuple[str, str], list[MentionLink]] = {}
        for link in resolution.links:
            if link.kind == "person" and link.column in PERSON_REFS:
                self._links.setdefault((link.origin.file, link.origin.sheet), []).append(link)

    def rows(self, table: str, total: OfficeTotal) -> list[dict[str, Any]]:
        """The resolved rows of ``table`` that came from the total's sheet."""
        return self._rows.get((table, total.origin.file, total.origin.sheet), [])

    def origins(self, table: str, total: OfficeTotal) -> list[Origin]:
        return self._origins.get((table, total.origin.file, total.origin.sheet), [])

    def person_links(self, total: OfficeTotal) -> list[MentionLink]:
        return self._links.get((total.origin.file, total.origin.sheet), [])


#: Statuses an office counts as 已完成 in its totals: done, and closed (已销号,
#: completed and then passed by review).
DONE = ("done", "closed")


def completion(measures: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Measures done (已销号 among them), ongoing and the rest; the rate under
    each convention."""
    done = sum(1 for m in measures if m.get("status") in DONE)
    ongoing = sum(1 for m in measures if m.get("status") == "ongoing")
    n = len(measures)
    return {"measures": n, "done": done, "ongoing": ongoing, "not_done": n - done - ongoing,
            ONGOING_DONE: round((done + ongoing) / n, 4) if n else None,
            ONGOING_OPEN: round(done / n, 4) if n else None}


def _as_fraction(value: float) -> float:
    return value / 100 if value > 1 else value


def _completion_check(total: OfficeTotal, measures: list[dict[str, Any]]) -> TotalCheck:
    c = completion(measures)
    if total.what == "done":
        options = {ONGOING_OPEN: c["done"], ONGOING_DONE: c["done"] + c["ongoing"]}
        hit = [k for k, v in options.items() if v == total.value]
    else:
        if not c["measures"]:
            return TotalCheck(total, None, False)
        options = {k: c[k] for k in (ONGOING_OPEN, ONGOING_DONE)}
        hit = [k for k, v in options.items()
               if abs(v - _as_fraction(total.value)) <= RATE_TOLERANCE]
    if not hit:
        return TotalCheck(total, options[ONGOING_DONE], False)
    convention = hit[0] if len(hit) == 1 else None  # no ongoing measure: both agree
    return TotalCheck(total, options[hit[0]], True, convention)


def _distinct(rows: list[dict[str, Any]], column: str) -> int:
    seen: set[str] = set()
    for r in rows:
        v = r.get(column)
        if isinstance(v, (list, tuple)):
            seen.update(str(x) for x in v if x)
        elif v:
            seen.add(str(v))
    return len(seen)


def _match(total: OfficeTotal, options: dict[str, float]) -> TotalCheck:
    """Agree when one of the ways of counting gives the office's figure;
    ``options`` maps a label (a table, a convention) to its count, the
    preferred one first."""
    if not options:
        return TotalCheck(total, None, None)
    hit = [k for k, v in options.items() if abs(v - total.value) < 1e-6]
    if not hit:  # say the count closest to the office's figure
        closest = min(options.values(), key=lambda v: abs(v - total.value))
        return TotalCheck(total, closest, False)
    conventions = [k for k in hit if k in (ONGOING_DONE, ONGOING_OPEN)]
    # both conventions agree when nothing is ongoing: then the figure states none
    convention = conventions[0] if len(conventions) == 1 and hit[0] == conventions[0] \
        else None
    return TotalCheck(total, options[hit[0]], True, convention)


def _items(total: OfficeTotal, index: SheetIndex) -> TotalCheck:
    """The ledger's entries (件/个/项, or a count under 序号): the records of
    the total's table, or of another table the sheet gave (an 整改台账 numbers
    its problems, though each row is also a measure)."""
    tables = [total.table] if total.table in index.tables else []
    tables += sorted(t for t in index.tables if t not in tables and index.rows(t, total))
    return _match(total, {t: float(len(index.rows(t, total))) for t in tables})


#: Section numbering by level: 一、 / （一） / 1. / （1）; anything else counts as level 1.
_LEVELS = (re.compile(r"^[一二三四五六七八九十百]+\s*[、.．]"),
           re.compile(r"^[（(]\s*[一二三四五六七八九十百]+\s*[)）]"),
           re.compile(r"^\d+\s*[、.．](?!\d)"),
           re.compile(r"^[（(]\s*\d+\s*[)）]"))


def section_level(text: str) -> int:
    t = unicodedata.normalize("NFKC", text).strip()
    return next((i + 1 for i, p in enumerate(_LEVELS) if p.match(t)), 1)


@dataclass(frozen=True)
class SheetLayout:
    """Where a sheet's section rows are (row, level) and its 合计 / 签字 rows."""

    sections: tuple[tuple[int, int], ...]
    stops: tuple[int, ...]
    last: int


def sheet_layouts(sheets: Sequence[SheetRead]) -> dict[tuple[str, str], SheetLayout]:
    out = {}
    for s in sheets:
        sections = tuple(sorted((r.origin.row, section_level(r.text)) for r in s.non_data
                                if r.kind == "section"))
        stops = tuple(sorted(r.origin.row for r in s.non_data
                             if r.kind in ("total", "signature")))
        out[(s.file, s.sheet)] = SheetLayout(sections, stops, s.rows_read + 1)
    return out


def _section(total: OfficeTotal, index: SheetIndex,
             layout: SheetLayout | None) -> TotalCheck:
    """``一、…方面（4个）``: the problems between this section row and the next
    section row, or — when the ledger nests （一） under 一、 — the next section
    of the same or a higher level (numbering styles are mixed in practice:
    四、 （五） 六、 is one list, so both readings are tried)."""
    if layout is None:
        return TotalCheck(total, None, None)
    rows = [o.row for o in index.origins("problems", total)]
    start = total.origin.row
    level = next((lv for r, lv in layout.sections if r == start), 1)
    stop = min([r for r in layout.stops if r > start] + [layout.last])
    flat = min([r for r, _ in layout.sections if r > start] + [stop])
    nested = min([r for r, lv in layout.sections if r > start and lv <= level] + [stop])
    return _match(total, {"problems": float(sum(1 for r in rows if start < r < flat)),
                          "problems_nested": float(sum(1 for r in rows if start < r < nested))})


def _status(total: OfficeTotal, status: str, index: SheetIndex) -> TotalCheck:
    """``已整改20个``: measures with that status, or problems all of whose
    measures have it; for done also with 持续整改 counted as done."""
    measures = index.rows("measures", total)
    if not measures:
        return TotalCheck(total, None, None)
    by_problem: dict[Any, list[str]] = {}
    for m in measures:
        by_problem.setdefault(m.get("problem_id"), []).append(str(m.get("status")))
    wanted = set(DONE) if status == "done" else {status}
    options = {"measures": float(sum(1 for m in measures if m.get("status") in wanted)),
               "problems": float(sum(1 for v in by_problem.values() if set(v) <= wanted))}
    if status == "done":
        options = {ONGOING_OPEN: options["measures"], "problems": options["problems"],
                   ONGOING_DONE: float(sum(1 for m in measures
                                           if m.get("status") in (*DONE, "ongoing")))}
    return _match(total, options)


def _people(total: OfficeTotal, index: SheetIndex) -> TotalCheck:
    """``15件16人``: the people the sheet names — each resolved person once,
    and each mention still in review (no id yet) once by its text."""
    links = index.person_links(total)
    if links:
        people = {link.entity_id or f"?{link.text}" for link in links}
    else:
        tables = [total.table] if total.table else sorted(index.tables)
        people = {str(p) for t in tables for r in index.rows(t, total)
                  for c in PERSON_REFS for p in _listed(r.get(c))}
    if not people:
        return TotalCheck(total, None, None)
    return _match(total, {"people": float(len(people))})


#: The columns that name the people a ledger entry is about.
PERSON_REFS = ("person_id", "person_ids", "owner_person_id")


def check_total(total: OfficeTotal, resolution: Resolution | SheetIndex,
                layout: SheetLayout | None = None) -> TotalCheck:
    index = resolution if isinstance(resolution, SheetIndex) else SheetIndex(resolution)
    what = total.what
    if what in ("done", "rate"):
        return _completion_check(total, index.rows("measures", total))
    if what in ("items", "records"):
        return _items(total, index)
    if what.startswith("section:"):
        return _section(total, index, layout)
    if what.startswith("status:"):
        return _status(total, what.split(":", 1)[1], index)
    rows = index.rows(total.table, total)
    if what == "people":
        return _people(total, index)
    if what in ("units", "unit_id"):
        return _match(total, {"units": float(_distinct(rows, "unit_id"))})
    numbers = [float(v) for r in rows for v in [r.get(what)]
               if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if not numbers:
        return TotalCheck(total, None, None)
    return _match(total, {what: round(sum(numbers), 4)})


def _listed(value: Any) -> list[Any]:
    if isinstance(value, (list, tuple)):
        return [v for v in value if v]
    return [value] if value else []


def check_totals(sheets: Sequence[SheetRead], resolution: Resolution) -> list[TotalCheck]:
    """Every total the sheets state, each distinct one once (a line can state
    one figure twice), against the resolved tables."""
    layouts = sheet_layouts(sheets)
    index = SheetIndex(resolution)
    seen: set[tuple[Any, ...]] = set()
    out = []
    for t in (x for s in sheets for x in s.totals):
        key = (t.origin, t.table, t.what, t.value)
        if key in seen:
            continue
        seen.add(key)
        out.append(check_total(t, index, layouts.get((t.origin.file, t.origin.sheet))))
    return out
