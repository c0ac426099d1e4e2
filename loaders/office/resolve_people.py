"""Person mentions → people, in Splink's three separate steps.

* **Entities.** Every roster (干部名册) row is a person; rows of two rosters
  with the same name and birth month (or name, birth year and unit) are one.
  A person named in a ledger with a unit but absent from every roster
  becomes a person known by name and unit — never dropped.
* **Blocking and comparison** (``score_pairs``): Splink 5 on DuckDB links
  each distinct mention profile (name, unit, birth, gender) to the
  entities of the same name (blocking on the name), a Fellegi–Sunter model
  with fixed, documented m/u probabilities and a term-frequency adjustment
  on the name, so a match on 张伟 weighs less than one on a rare name.
* **Decisions** (``decide``): the office's crosswalk first; then a unit
  match (the mention's own unit, or the unit of the row it sits in) is a
  match; a birth or gender that differs rules a candidate out; two
  officials with the same name in different units are two people; a
  mention with no unit that fits one person is linked and sent to review,
  one that fits several is left unresolved and sent to review — except a
  tie's party named with no unit (a relative in a 社会关系 register), who is
  a person of their own, known by name and the tie, with the roster's
  namesakes in review.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from loaders.office.crosswalk import Crosswalk
from loaders.office.ids import IdRegistry
from loaders.office.records import Candidate, Origin, ReviewItem

#: Fellegi–Sunter parameters (m = P(level | same person), u = P(level | not)).
#: Set from the domain, not trained, so a small import scores like a big one.
NAME_M, NAME_U = 0.99, 0.001
UNIT_M = {"same": 0.90, "else": 0.10}
UNIT_U = {"same": 0.02, "else": 0.98}
BIRTH_M = {"month": 0.88, "year": 0.10, "else": 0.02}
BIRTH_U = {"month": 0.002, "year": 0.03, "else": 0.968}
GENDER_M = {"same": 0.99, "else": 0.01}
GENDER_U = {"same": 0.5, "else": 0.5}
#: Prior that a mention and a same-named entity are one person, before any
#: evidence: a unique name in a roster of a few thousand then scores ≈ 0.5.
PRIOR = 0.0003

#: A mention named with a unit the roster's only namesake never held is taken
#: as that person (moved) when the name is rare enough for the linkage to give
#: at least this (a name unique in a county's roster scores about 0.10 against
#: a unit that differs); otherwise two people.  Either way the pair is in review.
MOVED_LINK = 0.05

BIRTH_PATTERN = re.compile(r"(19\d\d|20\d\d)\D{0,2}(\d{1,2})?")


def normal_name(text: str) -> str:
    return re.sub(r"[\s·•]", "", unicodedata.normalize("NFKC", str(text)))


def normal_birth(value: object) -> str | None:
    """``1971.03`` / ``1971年3月`` / ``1971-03-05`` → ``1971-03``; ``1971`` → ``1971``."""
    if value is None or value == "":
        return None
    if hasattr(value, "year") and hasattr(value, "month"):
        return f"{value.year:04d}-{value.month:02d}"
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if re.fullmatch(r"\d{4}\.0", text):
        text = text[:4]
    m = BIRTH_PATTERN.search(text)
    if not m:
        return None
    month = m.group(2)
    if month and 1 <= int(month) <= 12:
        return f"{m.group(1)}-{int(month):02d}"
    return m.group(1)


@dataclass
class PersonEntity:
    person_id: str
    name: str
    birth: str | None = None
    gender: str | None = None
    units: list[str] = field(default_factory=list)
    from_roster: bool = False
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RosterRow:
    """One 干部名册 row as the resolver needs it."""

    name: str
    birth: str | None
    gender: str | None
    units: list[str]
    values: dict
    origin: Origin


@dataclass(frozen=True)
class Profile:
    """A distinct way a mention describes a person: what linkage compares."""

    name: str
    unit_id: str | None  # the mention's own unit
    context_unit: str | None  # the unit of the row the mention sits in
    birth: str | None
    gender: str | None
    alt_unit: str | None = None  # a unit the row suggests (责任单位), weaker than both
    no_post: bool = False  # the row says the person holds no post (工作单位：无)
    anchor: str | None = None  # a tie's other person, for someone named with no unit

    @property
    def key(self) -> str:
        tie = f"|{self.anchor}" if self.anchor else ""
        return f"person:{self.name}|{self.unit_id or ''}|{self.birth or ''}{tie}"


def births_differ(a: str | None, b: str | None) -> bool:
    """Two births that cannot be one person's (years differ, or months do)."""
    if not a or not b:
        return False
    return a[:4] != b[:4] or (len(a) == 7 and len(b) == 7 and a != b)


def _birth_level(a: str | None, b: str | None) -> str | None:
    if not a or not b:
        return None
    if len(a) == 7 and len(b) == 7:
        return "month" if a == b else ("year" if a[:4] == b[:4] else "else")
    return "year" if a[:4] == b[:4] else "else"


def score_pairs(profiles: pd.DataFrame, entities: pd.DataFrame) -> pd.DataFrame:
    """Splink link-only scoring of profiles × same-named entity rows.

    ``profiles``: pid, name, unit, birth, gender; ``entities``: eid, name,
    unit, birth, gender (one row per entity and unit).  Returns pid, eid and
    the match probability of every blocked pair, sorted."""
    cols = ["pid", "eid", "match_probability"]
    if profiles.empty or entities.empty:
        return pd.DataFrame(columns=cols)
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    def levels(col: str, m: dict, u: dict, same: Any) -> Any:
        return cl.CustomComparison(output_column_name=col, comparison_levels=[
            cll.NullLevel(col),
            (same.configure(m_probability=m[next(iter(m))], u_probability=u[next(iter(u))])),
            *([cll.CustomLevel(f"substr({col}_l, 1, 4) = substr({col}_r, 1, 4)")
               .configure(m_probability=m["year"], u_probability=u["year"])]
              if "year" in m else []),
            cll.ElseLevel().configure(m_probability=m["else"], u_probability=u["else"])])

    settings = SettingsCreator(
        link_type="link_only", unique_id_column_name="uid",
        probability_two_random_records_match=PRIOR,
        blocking_rules_to_generate_predictions=[block_on("name")],
        comparisons=[
            cl.CustomComparison(output_column_name="name", comparison_levels=[
                cll.NullLevel("name"),
                cll.ExactMatchLevel("name", term_frequency_adjustments=True)
                .configure(m_probability=NAME_M, u_probability=NAME_U),
                cll.ElseLevel().configure(m_probability=1 - NAME_M, u_probability=1 - NAME_U)]),
            levels("unit", UNIT_M, UNIT_U, cll.ExactMatchLevel("unit")),
            levels("birth", BIRTH_M, BIRTH_U, cll.ExactMatchLevel("birth")),
            levels("gender", GENDER_M, GENDER_U, cll.ExactMatchLevel("gender")),
        ])
    left = profiles.rename(columns={"pid": "uid"})[["uid", "name", "unit", "birth", "gender"]]
    right = entities.rename(columns={"eid": "uid"})[["uid", "name", "unit", "birth", "gender"]]
    left = left.assign(uid="p" + left["uid"].astype(str))
    right = right.assign(uid=right["uid"].astype(str))
    db = DuckDBAPI()
    linker = Linker([db.register(left, dataset_display_name="mentions"),
                     db.register(right, dataset_display_name="entities")],
                    settings, log_level="WARNING")
    out = linker.inference.predict().as_pandas_dataframe()
    left_is_p = out["uid_l"].astype(str).str.startswith("p")
    pid = out["uid_l"].where(left_is_p, out["uid_r"]).astype(str).str[1:].astype(int)
    eid = out["uid_r"].where(left_is_p, out["uid_l"]).astype(str)
    res = pd.DataFrame({"pid": pid, "eid": eid, "match_probability": out["match_probability"]})
    return res.sort_values(["pid", "eid"], kind="stable").reset_index(drop=True)


class PersonResolver:
    def __init__(self, ids: IdRegistry, crosswalk: Crosswalk | None = None) -> None:
        self.ids = ids
        self.crosswalk = crosswalk or Crosswalk()
        self.entities: dict[str, PersonEntity] = {}
        self._roster_key: dict[tuple[str, ...], str] = {}
        self._profiles: dict[Profile, list[Origin]] = defaultdict(list)
        self._answer: dict[Profile, str | None] = {}
        self._review: dict[str, ReviewItem] = {}
        #: name → people known only from ties, named with no unit
        self._tie_only: dict[str, list[str]] = {}
        #: unit id → name, for the candidates' descriptions in review
        self.unit_names: dict[str, str] = {}

    # -- entities -------------------------------------------------------
    def _key_parts(self, name: str, birth: str | None, unit: str | None) -> tuple[str, ...]:
        if birth and len(birth) == 7:
            return ("name+birth", name, birth)
        if unit:
            return ("name+unit", name, unit) + ((birth,) if birth else ())
        return ("name", name) + ((birth,) if birth else ())

    def add_rosters(self, rows: list[RosterRow]) -> list[str]:
        """干部名册 rows → their people, in order.

        Rows with one name and birth month are one person when they name one
        unit (the same person in two rosters).  When they name different
        units they may be namesakes (张伟 born 1971.03 is not rare in a
        city) or one person who moved: kept apart and sent to review, unless
        the office has said they are one."""
        units_of: dict[tuple[str, str], set[str]] = defaultdict(set)
        for r in rows:
            if r.birth and len(r.birth) == 7:
                units_of[(normal_name(r.name), r.birth)].add(r.units[0] if r.units else "")
        pids = [self.add_roster(r.name, r.birth, r.gender, r.units, r.values,
                                qualify=len(units_of.get((normal_name(r.name), r.birth or ""),
                                                         ())) > 1)
                for r in rows]
        merged: dict[str, str] = {}
        for (name, birth), units in sorted(units_of.items()):
            if len(units) < 2:
                continue
            ents = sorted({pid for pid, r in zip(pids, rows)
                           if normal_name(r.name) == name and r.birth == birth})
            first = self.entities[ents[0]]
            for other in ents[1:]:
                ent = self.entities[other]
                key = f"person:{name}|{ent.units[0] if ent.units else ''}|{birth}|roster"
                verdict = self.crosswalk.decided(key, first.person_id)
                if verdict is True:
                    merged[other] = first.person_id
                    first.units += [u for u in ent.units if u not in first.units]
                    del self.entities[other]
                elif verdict is None:
                    where = tuple(r.origin for pid, r in zip(pids, rows) if pid == other)
                    self._review[key] = ReviewItem(
                        "person", key, self.describe(other), where,
                        (Candidate(first.person_id, self.describe(first.person_id), 0.5,
                                   ("同名", f"出生年月一致 {birth}", "单位不同")),),
                        None, "两份名册中同名且出生年月相同、单位不同：是同一人（调任）还是两人？")
        return [merged.get(pid, pid) for pid in pids]

    def add_roster(self, name: str, birth: str | None, gender: str | None,
                   units: list[str], values: dict, qualify: bool = False) -> str:
        """One 干部名册 row → its person; ``qualify`` puts the unit in the key
        (namesakes with one birth month)."""
        name = normal_name(name)
        parts = self._key_parts(name, birth, units[0] if units else None)
        if qualify and units:
            parts = ("name+birth+unit", name, birth or "", units[0])
        pid = self._roster_key.get(parts)
        if pid is None:
            pid = self._roster_key[parts] = self.ids.get("P", *parts)
            self.entities[pid] = PersonEntity(pid, name, birth, gender, [], True, dict(values))
        ent = self.entities[pid]
        for u in units:
            if u not in ent.units:
                ent.units.append(u)
        ent.birth = ent.birth or birth
        ent.gender = ent.gender or gender
        return pid

    def _known_person(self, name: str, unit: str | None, anchor: str | None = None) -> str:
        """A person known only from the ledgers: by name and unit, or — named
        with no unit at all — by name and the person the row ties them to
        (``anchor``: 王春芳 the spouse of one official is not 王春芳 the
        classmate of another)."""
        parts = self._key_parts(name, None, unit)
        if unit is None and anchor:
            parts = ("name+tie", name, anchor)
        pid = self._roster_key.get(parts)
        if pid is None:
            pid = self._roster_key[parts] = self.ids.get("P", *parts)
            self.entities[pid] = PersonEntity(pid, name, units=[unit] if unit else [])
        return pid

    # -- mentions -------------------------------------------------------
    def add(self, profile: Profile, origin: Origin) -> None:
        self._profiles[profile].append(origin)

    def finish(self) -> None:
        profiles = sorted(self._profiles, key=lambda p: (p.key, p.context_unit or "",
                                                         p.gender or ""))
        roster = {(e.name, u) for e in self.entities.values() for u in e.units}
        born = {(e.name, e.birth) for e in self.entities.values()
                if e.birth and len(e.birth) == 7}
        for p in profiles:  # people known by name and unit, before linkage
            if p.unit_id and (p.name, p.unit_id) not in roster \
                    and (p.name, p.birth) not in born:
                self._known_person(p.name, p.unit_id)
        pairs = self._pairs(profiles)
        for i, p in enumerate(profiles):
            self._answer[p] = self._decide(p, pairs.get(i, {}))
        # a person made known before linkage whom every mention was linked
        # away from (to a roster namesake) is nobody: no row of its own
        used = set(self._answer.values()) | {c.entity_id for item in self._review.values()
                                             for c in item.candidates}
        self.entities = {pid: e for pid, e in self.entities.items()
                         if e.from_roster or pid in used}

    def _pairs(self, profiles: list[Profile]) -> dict[int, dict[str, float]]:
        left = pd.DataFrame([{"pid": i, "name": p.name, "unit": p.unit_id or p.context_unit,
                              "birth": p.birth, "gender": p.gender}
                             for i, p in enumerate(profiles)])
        right = pd.DataFrame([{"eid": e.person_id, "name": e.name, "unit": u,
                               "birth": e.birth, "gender": e.gender}
                              for e in self.entities.values()
                              for u in (e.units or [None])])  # type: ignore[list-item]
        scored = score_pairs(left, right)
        best: dict[int, dict[str, float]] = defaultdict(dict)
        for pid, eid, prob in scored.itertuples(index=False):
            best[pid][eid] = max(prob, best[pid].get(eid, 0.0))
        return best

    def _decide(self, p: Profile, scores: dict[str, float]) -> str | None:
        accepted = self.crosswalk.accepted(p.key)
        if accepted in self.entities:  # a decision about a person no longer here is moot
            return accepted
        rejected = self.crosswalk.rejected(p.key)
        cands = [self.entities[e] for e in sorted(scores) if e not in rejected]
        cands = [c for c in cands if not births_differ(p.birth, c.birth)
                 and not (p.gender and c.gender and p.gender != c.gender)]
        if p.no_post and not p.unit_id:  # not an official: not the roster's namesake
            cands = [c for c in cands if not c.from_roster and not c.units]
            if not p.anchor:
                return self._known_person(p.name, None)
        unit = p.unit_id or p.context_unit
        same = [c for c in cands if unit and unit in c.units]
        if len(same) > 1 and p.birth:
            same = [c for c in same if _birth_level(p.birth, c.birth) == "month"] or same
        if not same and p.alt_unit:
            same = [c for c in cands if p.alt_unit in c.units]
        if len(same) == 1 and (same[0].from_roster or not p.unit_id):
            return same[0].person_id
        if len(same) == 1:  # only the person this mention itself made known
            same = []
        if len(same) > 1:
            self._add_review(p, same, scores, None, "同一单位有多人同名，无法区分")
            return None
        if p.unit_id:  # named with a unit none of the candidates has
            moved = [c for c in cands if _birth_level(p.birth, c.birth) == "month"]
            own = self._known_person(p.name, p.unit_id)
            if len(moved) == 1:
                self._add_review(p, moved, scores, moved[0].person_id,
                                 "同名且出生年月一致，但单位不同（可能调任）")
                return moved[0].person_id
            elsewhere = [c for c in cands if c.from_roster and c.person_id != own]
            if len(elsewhere) == 1 and scores.get(elsewhere[0].person_id, 0.0) >= MOVED_LINK:
                self._add_review(p, elsewhere, scores, elsewhere[0].person_id,
                                 "名册中仅一人同名（少见姓名），单位不同：暂作同一人（可能调任）")
                return elsewhere[0].person_id
            if elsewhere:
                self._add_review(p, elsewhere, scores, None,
                                 "名册中有同名者，但单位不同：暂作两人")
            return own
        if p.anchor:  # a tie's party named with no unit: a person of their own meanwhile
            own = self._known_person(p.name, None, p.anchor)
            alike = [e for e in self._tie_only.get(p.name, []) if e != own]
            self._tie_only.setdefault(p.name, []).append(own)
            if cands or alike:
                self._add_review(p, cands + [self.entities[e] for e in dict.fromkeys(alike)],
                                 scores, None,
                                 "社会关系中未写单位，另有同名者：暂作另一人，是否同一人请确认")
            return own
        if not cands:
            return self._known_person(p.name, p.context_unit, p.anchor)
        if len(cands) == 1:
            self._add_review(p, cands, scores, cands[0].person_id, "未写单位，仅姓名相同")
            return cands[0].person_id
        self._add_review(p, cands, scores, None, f"未写单位，有 {len(cands)} 人同名")
        return None

    def _add_review(self, p: Profile, cands: list[PersonEntity], scores: dict[str, float],
                    chosen: str | None, reason: str) -> None:
        out = []
        for c in cands:
            ev = ["同名"]
            unit = p.unit_id or p.context_unit
            if unit and unit in c.units:
                ev.append("同单位")
            level = _birth_level(p.birth, c.birth)
            if level:
                ev.append({"month": "出生年月一致", "year": "出生年份一致"}.get(level, "出生不同")
                          + f" {c.birth}")
            if c.from_roster:
                ev.append("干部名册有此人")
            out.append(Candidate(c.person_id, self.describe(c.person_id),
                                 float(scores.get(c.person_id, 0.0)), tuple(ev)))
        text = p.name + (f"（{p.birth}）" if p.birth else "")
        self._review[p.key] = ReviewItem("person", p.key, text, tuple(self._profiles[p]),
                                         tuple(out), chosen, reason)

    def describe(self, pid: str) -> str:
        """``王磊（县农业农村局，1971-03）``."""
        e = self.entities[pid]
        about = [self.unit_names.get(u, u) for u in e.units[:2]] + ([e.birth] if e.birth else [])
        return e.name + (f"（{'，'.join(about)}）" if about else "")

    # -- answers --------------------------------------------------------
    def lookup(self, profile: Profile) -> str | None:
        return self._answer.get(profile)

    @property
    def review(self) -> list[ReviewItem]:
        return [self._review[k] for k in sorted(self._review)]
