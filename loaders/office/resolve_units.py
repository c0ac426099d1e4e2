"""Unit mentions → unit entities (normalisation rules, context, review).

Two passes: ``add`` every mention first (so the whole import is known),
then ``finish`` builds the entities and the review list, and ``lookup``
answers for each mention.  An entity is keyed by (region, core name): the
party body, the plain name and — unless the office says otherwise — the
government of a place are one unit (see ``unitnames``).  What is not exact
goes to review:

* a government form (``白沙镇人民政府``) where the place's party committee or
  plain name also occurs: merged meanwhile (DESIGN: "one inspected unit
  unless the office says otherwise"), in review;
* a name without region (``县农业农村局``) that fits several regions' units:
  kept apart, in review with the candidates;
* a village written without its township (``石桥村`` for ``白沙镇石桥村``):
  merged when exactly one township has it, in review.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from loaders.office.crosswalk import Crosswalk
from loaders.office.ids import IdRegistry
from loaders.office.records import Candidate, Origin, ReviewItem
from loaders.office.unitnames import UnitName, parse_unit, region_level

TOWNSHIP_ENDINGS = ("镇", "乡", "街道")
#: Two names of one region this alike (rapidfuzz ratio, 0–100) go to review.
NEAR_NAME = 88
VILLAGE_ENDINGS = ("村", "社区")
KIND_BY_ENDING = (("街道", "街道"), ("社区", "社区"), ("镇", "乡镇"), ("乡", "乡镇"), ("村", "村"))


@dataclass
class UnitEntity:
    unit_id: str
    region: str | None
    core: str
    written: Counter = field(default_factory=Counter)

    @property
    def name(self) -> str:
        if self.region:
            return self.region + self.core
        return self.written.most_common(1)[0][0] if self.written else self.core


def _key_text(region: str | None, core: str, form: str = "") -> str:
    return f"unit:{region or ''}|{core}" + (f"|{form}" if form else "")


class UnitResolver:
    def __init__(self, ids: IdRegistry, crosswalk: Crosswalk | None = None,
                 government_joins_party: bool = True) -> None:
        self.ids = ids
        self.government_joins_party = government_joins_party
        self.crosswalk = crosswalk or Crosswalk()
        self._mentions: dict[tuple[str, str | None], list[Origin]] = defaultdict(list)
        self._answer: dict[tuple[str, str | None], str | None] = {}
        self.entities: dict[tuple[str | None, str], UnitEntity] = {}
        self._review_items: dict[str, ReviewItem] = {}

    # -- pass 1 ---------------------------------------------------------
    def add(self, text: str, origin: Origin, context_region: str | None) -> None:
        self._mentions[(text, context_region)].append(origin)

    def add_many(self, text: str, origins: list[Origin], context_region: str | None) -> None:
        self._mentions[(text, context_region)].extend(origins)

    @staticmethod
    def _region(name: UnitName, context: str | None) -> str | None:
        if name.region:
            return name.region
        if context and (name.level is None or region_level(context) == name.level):
            return context
        return None

    # -- pass 2 ---------------------------------------------------------
    def finish(self) -> None:
        parsed = {m: parse_unit(m[0]) for m in sorted(self._mentions, key=_sort_key)}
        placed: dict[tuple[str, str | None], tuple[str | None, UnitName]] = {
            m: (self._region(n, m[1]), n) for m, n in parsed.items()}
        non_gov = {(r, n.core) for r, n in placed.values() if n.form != "gov"}
        regioned: dict[str, list[str]] = defaultdict(list)
        for r, n in sorted(placed.values(), key=lambda x: (x[0] or "", x[1].core)):
            if r and r not in regioned[n.core]:
                regioned[n.core].append(r)
        for m, (region, name) in placed.items():
            self._answer[m] = self._place(m, region, name, non_gov, regioned)
        self._near_names()

    def _near_names(self) -> None:
        """Names of one region that differ by a character or two
        (``住房和城乡建设局`` / ``住房城乡建设局``): kept apart and sent to
        review, unless the office already said they are one unit."""
        from rapidfuzz import fuzz, process

        weight: Counter = Counter()
        for m, uid in self._answer.items():
            weight[uid] += len(self._mentions[m])
        by_region: dict[str | None, list[UnitEntity]] = defaultdict(list)
        for (region, core), ent in sorted(self.entities.items(), key=lambda x: x[1].unit_id):
            if "|" not in core:
                by_region[region].append(ent)
        remap: dict[str, str] = {}
        mentions_of: dict[str | None, list] = defaultdict(list)  # unit → its mentions, in order
        for m, uid in self._answer.items():
            mentions_of[uid].append(m)
        for region in sorted(by_region, key=lambda r: r or ""):
            ents = by_region[region]
            if len(ents) < 2:
                continue
            cores = [e.core for e in ents]
            scores = process.cdist(cores, cores, scorer=fuzz.ratio, score_cutoff=NEAR_NAME,
                                   workers=1)
            for i, j in zip(*scores.nonzero()):
                if i >= j or cores[i] in cores[j] or cores[j] in cores[i]:
                    continue
                a, b = sorted((ents[i], ents[j]), key=lambda e: (-weight[e.unit_id], e.core))
                key = _key_text(region, b.core, "near")
                verdict = self.crosswalk.decided(key, a.unit_id)
                if verdict is True:
                    remap[b.unit_id] = a.unit_id
                elif verdict is None:
                    origins = tuple(o for m in mentions_of[b.unit_id] for o in self._mentions[m])
                    self._review(key, b.name, origins, [(a.unit_id, a.name, ("名称相近",))],
                                 None, f"与「{a.name}」名称相近，是否同一单位？",
                                 score=float(scores[i, j]) / 100)
        if remap:
            self._answer = {m: remap.get(uid, uid) if uid else uid
                            for m, uid in self._answer.items()}
            self.entities = {k: e for k, e in self.entities.items() if e.unit_id not in remap}

    def _entity(self, region: str | None, core: str, written: str, form: str = "") -> str:
        key = (region, core if not form else f"{core}|{form}")
        ent = self.entities.get(key)
        if ent is None:
            unit_id = self.ids.get("U", region or "", core, *([form] if form else []))
            ent = self.entities[key] = UnitEntity(unit_id, region, core)
        ent.written[written] += 1
        return ent.unit_id

    def _place(self, m: tuple[str, str | None], region: str | None, name: UnitName,
               non_gov: set, regioned: dict[str, list[str]]) -> str | None:
        origins = tuple(self._mentions[m])
        if region is None:
            fits = [r for r in regioned.get(name.core, [])
                    if name.level is None or region_level(r) == name.level]
            key = _key_text(name.level and f"?{name.level}", name.core, name.form)
            decided = self.crosswalk.accepted(key)
            if decided and any(e.unit_id == decided for e in self.entities.values()):
                return decided
            if len(fits) == 1:
                region = fits[0]
            elif len(fits) > 1:
                own = self._entity(None, name.core, name.written)
                self._review(key, name.written, origins, [
                    (self._entity(r, name.core, name.written), r + name.core, ("同名单位",))
                    for r in fits], None if own is None else own,
                    f"未写明所属地区，{len(fits)} 个地区都有「{name.core}」")
                return own
        if name.form == "gov" and (region, name.core) in non_gov:
            return self._gov(region, name, origins)
        if name.core.endswith(VILLAGE_ENDINGS):
            village = self._village(region, name, origins)
            if village:
                return village
        return self._entity(region, name.core, name.written)

    def _gov(self, region: str | None, name: UnitName, origins: tuple[Origin, ...]) -> str:
        key = _key_text(region, name.core, "gov")
        party = self._entity(region, name.core, name.written)
        verdict = self.crosswalk.decided(key, party)
        if verdict is True:
            return party
        if verdict is False:
            return self._entity(region, name.core, name.written, form="gov")
        chosen = party if self.government_joins_party else \
            self._entity(region, name.core, name.written, form="gov")
        self._review(key, name.written, origins,
                     [(party, (region or "") + name.core, ("同一地方的党委与政府",))], chosen,
                     "政府与党委通常为同一被巡察单位，需确认" if chosen == party
                     else "政府暂作单独单位；若与党委为同一被巡察单位，请接受")
        return chosen

    def _village(self, region: str | None, name: UnitName,
                 origins: tuple[Origin, ...]) -> str | None:
        known = self._cores_in(region)
        longer = sorted(c for c in known if c.endswith(name.core) and c != name.core
                        and c[: -len(name.core)].endswith(TOWNSHIP_ENDINGS))
        if len(longer) != 1:
            return None
        key = _key_text(region, name.core, "village")
        target = self._entity(region, longer[0], longer[0])
        verdict = self.crosswalk.decided(key, target)
        if verdict is False:
            return None
        if verdict is None:
            self._review(key, name.written, origins, [(target, (region or "") + longer[0],
                                                       ("村名相同，未写乡镇",))], target,
                         "村（社区）未写所属乡镇")
        return target

    def _known_cores(self) -> set[tuple[str | None, str]]:
        if not hasattr(self, "_cores"):
            self._cores = {(self._region(parse_unit(t), c), parse_unit(t).core)
                           for t, c in self._mentions}
        return self._cores

    def _cores_in(self, region: str | None) -> set[str]:
        """The known cores of ``region`` (``_known_cores`` indexed once by region)."""
        if not hasattr(self, "_cores_by_region"):
            by_region: dict[str | None, set[str]] = {}
            for r, c in self._known_cores():
                by_region.setdefault(r, set()).add(c)
            self._cores_by_region = by_region
        return self._cores_by_region.get(region, set())

    def _review(self, key: str, mention: str, origins: tuple[Origin, ...],
                cands: list[tuple[str, str, tuple[str, ...]]], chosen: str | None,
                reason: str, score: float | None = None) -> None:
        """Unit candidates carry a rule's confidence, not a linkage probability:
        1/n among n equal fits, the name similarity for near names, 0.9 for a
        rule that usually holds (政府 = 党委's unit, a village's township)."""
        rejected = self.crosswalk.rejected(key)
        if score is None:
            score = 1 / len(cands) if len(cands) > 1 else 0.9
        kept = [Candidate(e, n, score, ev) for e, n, ev in cands if e not in rejected]
        if not kept:
            return
        earlier = self._review_items.get(key)
        if earlier is not None:
            origins = earlier.origins + origins
            mention = earlier.mention
        self._review_items[key] = ReviewItem("unit", key, mention, origins, tuple(kept),
                                             chosen, reason)

    @property
    def review(self) -> list[ReviewItem]:
        return [self._review_items[k] for k in sorted(self._review_items)]

    # -- answers --------------------------------------------------------
    def lookup(self, text: str, context_region: str | None) -> str | None:
        return self._answer.get((text, context_region))

    def name_of(self, unit_id: str) -> str:
        if len(getattr(self, "_names", ())) != len(self.entities):
            self._names = {e.unit_id: e.name for e in self.entities.values()}
        return self._names.get(unit_id, unit_id)

    def region_id(self, name: str) -> str | None:
        """A region's id by its name as written (the id units' regions get)."""
        from loaders.office.unitnames import clean

        text = clean(name) if name else ""
        return self.ids.get("G", text) if text else None

    def regions(self) -> dict[str, str]:
        """Region name → region id, for every region a unit name carries."""
        names = sorted({e.region for e in self.entities.values() if e.region})
        return {r: self.ids.get("G", r) for r in names}

    def unit_rows(self) -> list[dict[str, Any]]:
        regions = self.regions()
        by_core = {(e.region, e.core): e.unit_id for e in self.entities.values()}
        rows = []
        for ent in sorted(self.entities.values(), key=lambda e: e.unit_id):
            kind = next((k for end, k in KIND_BY_ENDING if ent.core.endswith(end)), None)
            parent = None
            if ent.core.endswith(VILLAGE_ENDINGS):
                parent = next((by_core[(ent.region, ent.core[:i])]
                               for i in range(len(ent.core) - 1, 1, -1)
                               if ent.core[:i].endswith(TOWNSHIP_ENDINGS)
                               and (ent.region, ent.core[:i]) in by_core), None)
            rows.append({"unit_id": ent.unit_id, "name": ent.name,
                         "region_id": regions.get(ent.region or ""), "kind": kind,
                         "parent_id": parent})
        return rows

    def region_rows(self) -> list[dict[str, Any]]:
        return [{"region_id": rid, "name": name, "level": region_level(name)}
                for name, rid in sorted(self.regions().items(), key=lambda x: x[1])]


def _sort_key(m: tuple[str, str | None]) -> tuple[str, str]:
    return (m[0], m[1] or "")
