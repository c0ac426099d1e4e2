"""Entity-resolution scores of ``linkgraph import``: pairwise precision and
recall for units and people against a truth mapping, how many pairs went
to review, and whether every same-name pair is right or in review; plus
the resolve step's time and peak memory.

    python bench/score_import.py [--scale county|city|both] [--seed N]
    python bench/score_import.py --office OUT   # OUT from generate --style office

``score(resolution, truth)`` is the function a round-trip scorer calls: the
truth maps (file, sheet, row, item, column) of each mention to the true
entity (any label), the resolution's ``links`` give the entity each mention
became.  Pairwise: every two mentions of one true entity is a true pair;
precision = true pairs found / pairs found, recall = true pairs found /
true pairs.  An unresolved mention (left for review) is a cluster of its own.

Without truth files at hand the script builds office ledgers' mentions
(``SheetRead``) from a seeded synthetic county or city: units written in
their party, plain and 中共…委员会 forms and the 政府 form; officials with
names drawn by real surname frequency (so namesakes occur), named with and
without unit, with and without birth month; a 干部名册 for most of them.
Goal (issue 14): ≥ 99 % precision, ≥ 98 % recall, every same-name pair right
or in review; a city (≈ 500k rows) in ≤ 60 s.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loaders.generator.naming import person_names
from loaders.office.records import (
    OfficeRecord,
    Origin,
    PersonMention,
    Resolution,
    SheetRead,
    UnitMention,
)
from loaders.office.resolve import resolve

Key = tuple[str, str, int, int, str]


def _pairs(counts: Counter) -> int:
    return sum(n * (n - 1) // 2 for n in counts.values())


def pairwise(pred: dict[Key, Any], truth: dict[Key, Any]) -> dict[str, float]:
    """Pairwise precision and recall of ``pred`` against ``truth`` over the
    mentions both know (None in ``pred``: a cluster of its own)."""
    keys = [k for k in truth if k in pred]
    p = [(pred[k] if pred[k] is not None else ("solo", k)) for k in keys]
    t = [truth[k] for k in keys]
    found = _pairs(Counter(p))
    true = _pairs(Counter(t))
    both = _pairs(Counter(zip(p, t)))
    return {"mentions": len(keys), "pairs_found": found, "true_pairs": true,
            "precision": both / found if found else 1.0,
            "recall": both / true if true else 1.0}


def _link_key(link) -> Key:
    o = link.origin
    return (o.file, o.sheet, o.row, o.item, link.column)


def score(res: Resolution, truth: dict[str, dict[Key, Any]],
          names: dict[Any, str] | None = None) -> dict[str, dict[str, float]]:
    """Scores per kind (``unit``, ``person``): precision, recall, review pairs,
    and same-name pairs that are wrong and not in review."""
    out = {}
    reviewed = {(o.file, o.sheet, o.row, o.item) for item in res.review for o in item.origins}
    for kind in ("unit", "person"):
        pred = {_link_key(link): link.entity_id for link in res.links if link.kind == kind}
        row = pairwise(pred, truth.get(kind, {}))
        row["review_pairs"] = sum(len(i.candidates) for i in res.review if i.kind == kind)
        if kind == "person" and names:
            row["namesake_wrong"] = _namesakes_wrong(pred, truth[kind], names, reviewed)
        out[kind] = row
    return out


def _namesakes_wrong(pred: dict[Key, Any], truth: dict[Key, Any], names: dict[Any, str],
                     reviewed: set) -> int:
    """True people sharing a name whose mentions were joined, or one of
    theirs split off, outside review."""
    by_entity: dict[Any, set] = defaultdict(set)
    for k, t in truth.items():
        if k in pred and k[:4] not in reviewed:
            by_entity[pred[k]].add(t)
    return sum(1 for ts in by_entity.values()
               if len(ts) > 1 and len({names.get(t) for t in ts}) < len(ts))


# --- ledgers written by ``linkgraph generate OUT --style office`` ------------


def office_truth(truth_path: Path, res: Resolution,
                 sheet_units: dict[tuple[str, str], Any] | None = None
                 ) -> tuple[dict[str, dict[Key, Any]], dict[Any, str], dict[str, int]]:
    """The truth of each of ``res.links`` from ``OUT/truth.json`` (``office``
    → ``sheets`` → ``mentions`` ``[row, column, text, kind, id]``).

    A person link is paired with the person mention of its row whose text
    holds its name (exactly one, else it is not scored); a unit link with the
    unit mention of its row with the same text, else with the sheet's own
    ``unit_id`` (a 整改台账 names its unit in the title).  ``coverage`` says
    how many links could be paired."""
    import json

    sheets = json.loads(truth_path.read_text(encoding="utf-8"))["office"]["sheets"]
    by_row: dict[tuple[str, str, int], list[list]] = defaultdict(list)
    own_unit: dict[tuple[str, str], Any] = {}
    for sh in sheets:
        name = (Path(sh["file"]).name, sh["sheet"] or "")
        own_unit[name] = sh.get("unit_id")
        for m in sh["mentions"]:
            by_row[(*name, m[0])].append(m)
    truth: dict[str, dict[Key, Any]] = {"unit": {}, "person": {}}
    names: dict[Any, str] = {}
    coverage = Counter()
    for link in res.links:
        o = link.origin
        sheet = (Path(o.file).name, o.sheet or "")
        if (*sheet, o.row) not in by_row and sheet not in own_unit:
            sheet = (sheet[0], "")  # a CSV file is one sheet named ""
        row = by_row.get((*sheet, o.row), [])
        coverage[f"{link.kind}_links"] += 1
        if link.kind == "person":
            name = link.text.split("（")[0].split("(")[0].strip()
            hits = {m[4] for m in row if m[3] == "person" and name and name in m[2]}
            if len(hits) == 1:
                found = hits.pop()
                truth["person"][_link_key(link)] = found
                names[found] = name
                coverage["person_scored"] += 1
        else:
            hits = {m[4] for m in row if _names_unit(m, link.text)}
            if not hits and any(m[3] == "unit+title" for m in row):
                continue  # a post of the 工作简历: the truth does not name its unit
            found = hits.pop() if len(hits) == 1 else own_unit.get(sheet)
            if found:
                truth["unit"][_link_key(link)] = found
                coverage["unit_scored"] += 1
    return truth, names, dict(coverage)


def _names_unit(mention: list, text: str) -> bool:
    """Whether the truth's ``mention`` is the one a unit link's ``text`` came
    from: a unit cell written with more words after the name (党委, 人民政府);
    a post cell (``福泽镇中心小学党支部书记``) only by the unit it begins with,
    so a 工作简历 post at ``福泽镇`` on the same row is not taken for it."""
    from loaders.office.mentions import split_unit_title
    from loaders.office.unitnames import clean

    if not text or mention[3] not in ("unit", "unit+title"):
        return False
    if mention[3] == "unit+title":
        unit, _title = split_unit_title(mention[2])
        if unit is not None:
            return clean(unit.text) == clean(text)
    return clean(mention[2]).startswith(clean(text))


def run_office(out: Path) -> dict[str, Any]:
    """Read ``OUT/office``, resolve, score against ``OUT/truth.json``."""
    from loaders.office.read import read_office

    start = time.perf_counter()
    sheets = read_office([out / "office"])
    read_s = time.perf_counter() - start
    start, cpu = time.perf_counter(), time.process_time()
    res = resolve(sheets)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    truth, names, coverage = office_truth(out / "truth.json", res)
    return {"scale": out.name, "rows": sum(len(s.records) for s in sheets), "read": read_s,
            "seconds": seconds, "cpu": cpu, "scores": score(res, truth, names),
            "coverage": coverage,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "load": os.getloadavg()[0]}


# --- a synthetic office, for when no truth files are at hand ------------------

BUREAUS = ("农业农村局", "财政局", "教育局", "卫生健康局", "自然资源局", "住房和城乡建设局",
           "交通运输局", "民政局", "审计局", "水务局", "市场监督管理局", "统计局")
TOWNS = tuple(f"{a}{b}镇" for a in "白青黄石东西南北" for b in "沙山河桥")


def _forms(region: str, core: str, township: bool) -> list[str]:
    if township:
        return [core, f"{core}党委", f"中共{region}{core}委员会", f"{region}{core}",
                f"{core}人民政府"]
    return [f"县{core}", f"中共{region}{core}党组", f"县{core}党组", f"{region}{core}"]


def synthetic(scale: str, seed: int, counties: int | None = None
              ) -> tuple[list[SheetRead], dict[str, dict], dict]:
    rng = np.random.default_rng(seed)
    counties = counties or (1 if scale == "county" else 12)
    rows_per_unit = 120 if scale == "county" else 1800
    sheets: list[SheetRead] = []
    truth: dict[str, dict[Key, Any]] = {"unit": {}, "person": {}}
    names: dict[Any, str] = {}
    for c in range(counties):
        region = f"{'青白黄石东西南北云林'[c % 10]}{'岚河江山'[c // 10 % 4]}县"
        units = [(u, False) for u in BUREAUS] + [(t, True) for t in TOWNS[: 8 + c % 8]]
        staff = 25
        genders = rng.choice(np.array(["男", "女"], dtype=object), size=len(units) * staff)
        pnames = person_names(rng, genders)
        births = [f"{y}.{m:02d}" for y, m in zip(rng.integers(1965, 1995, len(pnames)),
                                                rng.integers(1, 13, len(pnames)))]
        roster: list[OfficeRecord] = []
        for j, (core, town) in enumerate(units):
            for s in range(staff):
                n = j * staff + s
                pid = (c, n)
                names[pid] = pnames[n]
                if rng.random() < 0.85:
                    title = "党委书记" if town and s == 0 else ("党组书记、局长" if s == 0 else "干部")
                    o = Origin(f"{region}干部名册.xlsx", "名册", len(roster) + 3)
                    roster.append(OfficeRecord("people", f"{region}r{n}", o,
                                               {"name": pnames[n], "gender": genders[n]},
                                               {"person_id": PersonMention(
                                                   pnames[n], pnames[n],
                                                   UnitMention(_forms(region, core, town)[0]),
                                                   title, births[n], genders[n])}))
                    truth["person"][(o.file, o.sheet, o.row, 0, "person_id")] = pid
        sheets.append(SheetRead(f"{region}干部名册.xlsx", "名册", "people", (2,),
                                len(roster) + 2, records=roster))
        for j, (core, town) in enumerate(units):
            file = f"{region}{core}.xlsx"
            forms = _forms(region, core, town)
            recs = []
            for r in range(rows_per_unit):
                o = Origin(file, "整改台账", r + 5)
                form = forms[int(rng.integers(len(forms)))]
                s = int(rng.integers(staff))
                n = j * staff + s
                how = rng.random()
                unit = None if how < 0.5 else UnitMention(forms[int(rng.integers(len(forms)))])
                if rng.random() < 0.15:  # an official of another unit, named with it
                    other = int(rng.integers(len(units)))
                    n = other * staff + s
                    unit = UnitMention(_forms(region, *units[other])[0])
                birth = births[n] if how > 0.9 else None
                who = PersonMention(pnames[n], pnames[n], unit, None, birth)
                recs.append(OfficeRecord("problems", f"{file}{r}", o,
                                         {"category": "党的建设", "description": f"问题{r}"},
                                         {"unit_id": UnitMention(form), "person_ids": [who]},
                                         key=(str(r + 1),)))
                truth["unit"][(file, "整改台账", r + 5, 0, "unit_id")] = (c, core)
                truth["person"][(file, "整改台账", r + 5, 0, "person_ids")] = (c, n)
            sheets.append(SheetRead(file, "整改台账", "problems", (3,), rows_per_unit + 4,
                                    records=recs, unit=UnitMention(
                                        f"{forms[1]}巡察整改台账", "title"),
                                    round_text="县委第一轮巡察"))
    return sheets, truth, names


def run(scale: str, seed: int) -> dict[str, Any]:
    sheets, truth, names = synthetic(scale, seed)
    rows = sum(len(s.records) for s in sheets)
    start, cpu = time.perf_counter(), time.process_time()
    res = resolve(sheets)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    scores = score(res, truth, names)
    return {"scale": scale, "rows": rows, "seconds": seconds, "cpu": cpu, "scores": scores,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "load": os.getloadavg()[0]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", choices=("county", "city", "both"), default="county")
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--office", type=Path, action="append", default=[],
                    help="OUT of `linkgraph generate OUT --style office`: score its ledgers")
    args = ap.parse_args()
    scales = ("county", "city") if args.scale == "both" else (args.scale,)
    if args.office:
        scales = ()
    print("| scale | rows | resolve s (wall) | CPU s | peak MB | load | kind | precision | "
          "recall | review pairs | namesakes wrong |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    results = [run(scale, args.seed) for scale in scales] + [run_office(o) for o in args.office]
    for r in results:
        scale = r["scale"]
        for kind, s in r["scores"].items():
            print(f"| {scale} | {r['rows']:,} | {r['seconds']:.1f} | {r['cpu']:.1f} | "
                  f"{r['peak_mb']:.0f} | "
                  f"{r['load']:.1f} | {kind} | {s['precision']:.4f} | {s['recall']:.4f} | "
                  f"{s['review_pairs']} | {s.get('namesake_wrong', '-')} |")
        if "coverage" in r:
            print(f"\n{scale}: read {r['read']:.1f} s; mentions scored {r['coverage']}")


if __name__ == "__main__":
    main()
