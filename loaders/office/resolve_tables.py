"""The contract tables of a resolve run: every record with its stable id and
its references as ids, plus the entity tables (units, regions, people,
posts, rounds, teams, departments) the mentions became.

A record's id is its table's prefix (``ids.PREFIX``) and a digest of
(table, unit id, round id, the reader's ``key``: 序号 and item number); a
record without a key uses its values instead.  Two records with one key in
one import are told apart by their order (``#2``).
"""
from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from typing import TYPE_CHECKING, Any

from linkgraph.schema import TABLE_BY_NAME
from loaders.office.ids import PREFIX
from loaders.office.records import MentionLink, OfficeRecord, Origin, RejectedRow, SheetRead
from loaders.office.refs import (
    DEPT_COLUMNS,
    PERSON_COLUMNS,
    as_person,
    dept_kind,
    items,
    normal,
    text_of,
)
from loaders.office.unitnames import is_section, parse_unit

from loaders.office.resolve_anchor import anchor

from loaders.office.entity_facts import FACT_TABLES, fact_values, merge_regions
from loaders.office.rounds import round_key

if TYPE_CHECKING:
    from loaders.office.resolve import _Import

REQUIRED_UNIT = {"problems", "audits", "posts", "assignments"}
#: References the contract requires that the resolver fills, per table.
REQUIRED_REFS: dict[str, tuple[str, ...]] = {
    "leads": ("transferred_to",), "measures": ("problem_id",), "posts": ("person_id",),
    "ties": ("person_a", "person_b"), "team_members": ("team_id", "person_id"),
    "assignments": ("round_id", "team_id"), "teams": ("round_id",)}
MISSING = {
    "transferred_to": "没有移交单位（承办单位） / no receiving department",
    "problem_id": "整改措施找不到所属问题 / measure without its problem",
    "person_id": "人员未能确定（无姓名，或同名多人待核对） / person not resolved",
    "person_a": "人员未能确定（同名多人待核对） / person not resolved",
    "person_b": "关系人未能确定（同名多人待核对） / related person not resolved",
    "team_id": "没有巡察组 / no team", "round_id": "没有巡察轮次 / no round"}
TOP_LEADER = re.compile(r"(党组|党委|党工委|党总支|党支部|总支|支部|县委|市委|区委)?书记$")
NOT_TOP = re.compile(r"副|纪委|纪工委|纪检|纪律检查|第一书记|驻村")


def is_top_leader(title: str | None) -> bool:
    """一把手: a 党组/党委 (or 党工委, 党总支, 党支部) 书记; a 副书记, a 纪委书记
    and a 驻村第一书记 are not."""
    if not title:
        return False
    parts = re.split(r"[、，,/；;\s]+", str(title))
    return any(TOP_LEADER.search(p) and not NOT_TOP.search(p) for p in parts if p)


@cache
def _columns(table: str) -> frozenset[str]:
    return frozenset(c.name for c in TABLE_BY_NAME[table].columns)


class _Tables:
    def __init__(self, job: _Import, roster_local: dict[str, str]) -> None:
        self.job = job
        self.roster_local = roster_local
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.origins: dict[str, list[Origin]] = {}
        self.local_ids: dict[str, tuple[str, str]] = {}
        self.seen_keys: Counter = Counter()
        self.rounds: dict[str, set[str]] = {}
        self.facts: dict[str, dict[str, dict[str, Any]]] = {}
        self.teams: dict[str, tuple[str, str | None]] = {}
        self.depts: dict[str, str] = {}
        self.posts: dict[tuple, dict[str, Any]] = {}
        self.position: dict[str, tuple[str, int]] = {}
        self.unit_extra: dict[str, dict[str, Any]] = {}
        self.pending: list[tuple[OfficeRecord, dict[str, Any]]] = []
        self._round_of: dict[tuple[str, str | None], str | None] = {}

    def add(self, table: str, row: dict[str, Any], origin: Origin, local: str) -> None:
        self.position[local] = (table, len(self.rows.get(table, [])))
        self.rows.setdefault(table, []).append(row)
        self.origins.setdefault(table, []).append(origin)

    # -- named things ---------------------------------------------------
    def round_id(self, i: int, sheet: SheetRead, rec: OfficeRecord) -> str | None:
        """The round a record is in: the one it names (a team's name such as
        县委第一巡察组 is not a round), else its ledger's; one id per round
        however it is written (``rounds.round_key``)."""
        given = rec.refs.get("round_id")
        if isinstance(given, (list, tuple)):
            given = given[0] if given else None
        region = self.job.context.get(i)
        for written in (text_of(given) if given else "", sheet.round_text or ""):
            if (written, region) not in self._round_of:
                key = round_key(normal(written), region) if normal(written) else None
                rid = self.job.ids.get("R", *key) if key else None
                if rid:
                    names = self.rounds.setdefault(rid, set())
                    names.add(normal(written))
                self._round_of[(written, region)] = rid
            if self._round_of[(written, region)]:
                return self._round_of[(written, region)]
        return None

    def team_id(self, value: Any, round_id: str | None) -> str | None:
        text = normal(text_of(value))
        if not text:
            return None
        tid = self.job.ids.get("T", round_id or "", text)
        self.teams.setdefault(tid, (text, round_id))
        return tid

    def dept_id(self, value: Any, unit: str | None, i: int | None = None) -> str | None:
        """A department by its name, as units are (``县委组织部`` and
        ``中共大池县委组织部`` are one: region, or the ledger's, and the name
        without party words); a section named without its unit (``办公室``,
        ``财务股``) is that unit's: one per unit."""
        text = normal(text_of(value))
        if not text:
            return None
        inside = unit if unit and is_section(text) else None
        if inside:
            did = self.job.ids.get("D", inside, text)
        else:
            name = parse_unit(text)
            region = name.region or (self.job.context.get(i) if i is not None else None)
            did = self.job.ids.get("D", region or "", name.core)
        if did not in self.depts:
            self.depts[did] = text if inside is None else f"{self.job.units.name_of(inside)}{text}"
        elif inside is None and len(text) > len(self.depts[did]):
            self.depts[did] = text  # the fullest form names it
        return did

    # -- records --------------------------------------------------------
    def record_id(self, rec: OfficeRecord, unit: str | None, round_id: str | None) -> str:
        if rec.key:
            parts = (rec.table, unit or "", round_id or "", *map(str, rec.key))
        else:
            body = json.dumps(rec.values, sort_keys=True, ensure_ascii=False, default=str)
            parts = (rec.table, unit or "", round_id or "", body)
        self.seen_keys[parts] += 1
        if self.seen_keys[parts] > 1:
            parts = (*parts, f"#{self.seen_keys[parts]}")
        return self.job.ids.get(PREFIX[rec.table], *parts)

    def person_ids(self, i: int, sheet: SheetRead, rec: OfficeRecord, col: str,
                   unit: str | None) -> list[str]:
        out = []
        for m in items(rec.refs.get(col)):
            mention = as_person(m)
            pid = self.job.people.lookup(self.job.profile_in(i, unit, mention, col,
                                                             anchor(rec, col, mention)))
            self.job.out.links.append(MentionLink("person", rec.origin, col, mention.text, pid))
            if pid:
                out.append(pid)
                self._mention_post(pid, mention, i)
        return out

    def _mention_post(self, pid: str, mention: Any, i: int) -> None:
        ent = self.job.people.entities[pid]
        unit = self.job.unit_of(i, mention.unit) if mention.unit else None
        if ent.from_roster or not unit or not mention.title:
            return
        self.posts.setdefault((pid, unit, mention.title), {
            "person_id": pid, "unit_id": unit, "title": mention.title,
            "is_top_leader": is_top_leader(mention.title)})

    def record(self, i: int, sheet: SheetRead, rec: OfficeRecord) -> None:
        spec = TABLE_BY_NAME.get(rec.table)
        if spec is None:
            return
        cols = _columns(rec.table)
        row: dict[str, Any] = {k: v for k, v in rec.values.items() if k in cols}
        unit = self.job.record_unit(i, sheet, rec)
        if rec.table == "units":  # a 单位名册 row: facts about a unit, not a new one
            self.unit_facts(i, rec, unit)
            return
        round_id = self.round_id(i, sheet, rec)
        if rec.table in FACT_TABLES:  # a list of rounds, teams, departments, regions
            self.entity_facts(i, rec, round_id)
            return
        if "unit_id" in cols:
            text = text_of((items(rec.refs.get("unit_id")) or [sheet.unit])[0])
            self.job.out.links.append(MentionLink("unit", rec.origin, "unit_id", text, unit))
            if unit is None and rec.table in REQUIRED_UNIT:
                self.job.out.rejected.append(RejectedRow(
                    rec.origin, "unit_id", text,
                    "无法确定所属单位（单元格与表头均未写明，或有多个同名单位待核对）"))
                return
            row["unit_id"] = unit
        if "seconded_from_unit_id" in cols:
            row["seconded_from_unit_id"] = next(
                (self.job.unit_of(i, m) for m in items(rec.refs.get("seconded_from_unit_id"))),
                None)
        if "round_id" in cols:
            row["round_id"] = round_id
        if "team_id" in cols:
            row["team_id"] = next((self.team_id(t, round_id)
                                   for t in items(rec.refs.get("team_id"))), None)
        for col in DEPT_COLUMNS:
            if col in cols:
                row[col] = next((self.dept_id(d, None if col == "transferred_to" else unit, i)
                                 for d in items(rec.refs.get(col))), None)
        roster_post = rec.table == "posts" and rec.parent in self.roster_local
        for col in PERSON_COLUMNS:
            if col not in cols or roster_post:
                continue
            pids = self.person_ids(i, sheet, rec, col, unit)
            row[col] = ";".join(pids) if col == "person_ids" else (pids[0] if pids else None)
        if rec.table == "posts" and rec.parent in self.roster_local:
            row["person_id"] = self.roster_local[rec.parent]
        if rec.table == "posts" and "is_top_leader" not in rec.values:
            row["is_top_leader"] = is_top_leader(row.get("title"))
        if len(spec.key) == 1 and rec.table in PREFIX:
            row[spec.key[0]] = self.record_id(rec, unit, round_id)
            self.local_ids[rec.local] = (rec.table, row[spec.key[0]])
        self.add(rec.table, row, rec.origin, rec.local)
        self.pending.append((rec, row))

    def reject_unresolved(self) -> None:
        """A record whose required reference stayed empty (no such column in
        the sheet, or a name left for review) is rejected, with the reason."""
        bad: set[int] = set()
        for rec, row in self.pending:
            for col in REQUIRED_REFS.get(rec.table, ()):
                if row.get(col) in (None, ""):
                    mention = rec.refs.get(col)
                    self.job.out.rejected.append(RejectedRow(
                        rec.origin, col, text_of(items(mention)[0]) if items(mention) else "",
                        MISSING[col]))
                    bad.add(id(row))
                    break
        if not bad:
            return
        for table in list(self.rows):
            keep = [n for n, row in enumerate(self.rows[table]) if id(row) not in bad]
            self.rows[table] = [self.rows[table][n] for n in keep]
            self.origins[table] = [self.origins[table][n] for n in keep]

    def entity_facts(self, i: int, rec: OfficeRecord, round_id: str | None) -> None:
        """What a 巡察安排, 职能部门 or 区划 row says about a round, team,
        department or region: kept beside the entity (one row per entity)."""
        regions = self.job.units.region_id
        if rec.table == "rounds":
            key: str | None = round_id
        elif rec.table == "teams":
            key = next((self.team_id(x, round_id) for x in items(rec.refs.get("team_id"))), None)
        elif rec.table == "departments":
            key = next((self.dept_id(x, None, i) for x in items(rec.refs.get("dept_id"))),
                       None)
        else:
            key = regions(text_of(rec.refs.get("region_id")) or rec.values.get("name") or "")
        if key is None:
            return
        self.facts.setdefault(rec.table, {}).setdefault(key, {}).update(
            fact_values(rec, regions))

    def unit_facts(self, i: int, rec: OfficeRecord, unit: str | None) -> None:
        self.job.out.links.append(MentionLink("unit", rec.origin, "unit_id",
                                              text_of(rec.refs.get("unit_id")), unit))
        if unit is None:
            return
        facts = {k: rec.values[k] for k in ("sector", "kind", "level") if rec.values.get(k)}
        parent = items(rec.refs.get("parent_id"))
        if parent:
            facts["parent_id"] = self.job.unit_of(i, parent[0])
        self.unit_extra.setdefault(unit, {}).update(facts)

    # -- entity tables --------------------------------------------------
    def roster_posts(self) -> None:
        """A roster row's current post, unless the reader gave it as a
        ``posts`` record of its own (then that record is the post)."""
        has_posts = {rec.parent for _, _, rec in self.job.records() if rec.table == "posts"}
        for i, _sheet, rec in self.job.records():
            pid = self.roster_local.get(rec.local)
            if pid is None or rec.local in has_posts:
                continue
            me = items(rec.refs.get("person_id"))
            mention = as_person(me[0]) if me else None
            title = rec.values.get("title") or (mention.title if mention else None)
            units = items(rec.refs.get("unit_id")) or (
                [mention.unit] if mention and mention.unit else [])
            for m in units:
                unit = self.job.unit_of(i, m)
                self.job.out.links.append(MentionLink("unit", rec.origin, "unit_id", text_of(m),
                                                      unit))
                if unit:
                    self.posts.setdefault((pid, unit, title), {
                        "person_id": pid, "unit_id": unit, "title": title,
                        "is_top_leader": bool(rec.values.get("is_top_leader"))
                        or is_top_leader(title),
                        "start": rec.values.get("start")})

    def entity_tables(self) -> None:
        job = self.job
        regions = job.units.regions()
        out = job.out.tables
        out["regions"] = job.units.region_rows()
        out["units"] = [{**u, **{k: v for k, v in self.unit_extra.get(u["unit_id"], {}).items()
                                 if v is not None}} for u in job.units.unit_rows()]
        people = []
        for e in sorted(job.people.entities.values(), key=lambda e: e.person_id):
            home = str(e.values.get("hometown") or "")
            people.append({
                "person_id": e.person_id, "name": e.name,
                "birth_year": int(e.birth[:4]) if e.birth else None, "gender": e.gender,
                "hometown_region_id": next((rid for r, rid in regions.items() if r in home),
                                           None),
                "specialty": e.values.get("specialty")})
        out["people"] = people
        out["posts"] = [self.posts[k] for k in sorted(self.posts, key=str)] + \
            out.get("posts", [])
        facts = self.facts
        out["rounds"] = [{"round_id": r, "name": max(n, key=lambda x: (len(x), x)),
                          **facts.get("rounds", {}).get(r, {})}
                         for r, n in sorted(self.rounds.items())]
        out["teams"] = [{"team_id": t, "round_id": r, "name": n,
                         **facts.get("teams", {}).get(t, {})}
                        for t, (n, r) in sorted(self.teams.items())]
        out["departments"] = [{"dept_id": d, "name": n, "kind": dept_kind(n),
                               **facts.get("departments", {}).get(d, {})}
                              for d, n in sorted(self.depts.items())]
        out["regions"] = merge_regions(out["regions"], facts.get("regions", {}))


def build_tables(job: _Import, roster_local: dict[str, str]) -> None:
    t = _Tables(job, roster_local)
    t.roster_posts()
    recs = []
    for i, sheet, rec in job.records():
        if rec.table != "people":
            t.record(i, sheet, rec)
            recs.append((rec.local, rec))
    _link_parents(t, recs)
    t.reject_unresolved()
    for table, rows in t.rows.items():
        job.out.tables[table] = rows
        job.out.origins[table] = t.origins[table]
    t.entity_tables()


def _link_parents(t: _Tables, recs: list[tuple[str, OfficeRecord]]) -> None:
    """A measure's problem, a lead's problem: the parent record's id."""
    for local, rec in recs:
        if not rec.parent or rec.parent not in t.local_ids or local not in t.position:
            continue
        parent_table, parent_id = t.local_ids[rec.parent]
        key = TABLE_BY_NAME[parent_table].key[0]
        table, n = t.position[local]
        if key in _columns(table):
            t.rows[table][n][key] = parent_id
