"""``generate OUT --style office``: the planted dataset as an office keeps it.

``write_office(gen, out)`` writes

* ``OUT/office/`` — the ledgers, laid out for printing and naming units and
  people instead of coding them (see ``rectify.py`` and ``ledgers.py``)::

      整改台账/<round>/NN_<unit>.xlsx | <unit>整改台账.csv (GBK) | <round>整改台账.xlsx (a sheet per unit)
      线索台账/<round>移交问题线索处置台账.xlsx
      干部名册.xlsx (县直单位, 乡镇村（社区）), 社会关系.xlsx (回避申报, 社会关系),
      基础信息.xlsx (区划, 单位名录, 巡察安排, 巡察组成员, 职能部门), 审计发现.xlsx, 信访举报.csv (GBK)

  Habits vary per ledger (``habits.Profile``): title and meta rows, merged
  two-row headers, 序号, section rows with the category or the 四个聚焦 area,
  合计 rows with correct totals, 签字 rows, the unit only in the title, blank
  rows, 同上 cells, one problem over several measure rows (merged vertically) or
  several measures in one cell, names in several spellings, people with
  titles, unit and title in one cell, birth months ``1971.03``, statuses in
  words or by fill colour with a legend, deadlines in words (``2023年6月底前``,
  ``2023.8``, 长期坚持, 立行立改), year-less dates, outcomes as free text,
  ``（万元）`` headers with cells in 元, relation words, a 干部名册, and officials
  of the same name in different units (the generator's names repeat).
* ``OUT/contract/`` — the contract-format twin: the same data as tidy tables,
  holding exactly what the ledgers say (a deadline written 长期坚持 has no
  date; a column a ledger does not have is empty).  ``linkgraph import`` of
  ``OUT/office`` should give the twin's analysis figures.
* ``OUT/truth.json`` — the planted truth of the dataset plus ``office``:
  ``{"sheets": [...]}``, one entry per sheet written (a CSV file is one sheet
  named ``""``):

  ``file, sheet``  the path under OUT and the sheet's name;
  ``table``        the contract table(s) its records go to (``problems+measures``);
  ``unit_id, round_id``  the unit and round a 整改台账 is about (else null);
  ``encoding``     ``gbk`` / ``gb18030`` for a CSV, null for a workbook;
  ``habits``       the habits the sheet shows (``sections_category``, ``multi_merge`` …);
  ``rows``         one ``[kind, records]`` per row written, row 1 first; ``kind``
                   is title / meta / header / section / record / total /
                   signature / legend / blank; ``records`` lists
                   ``[table, id, item]`` (item 0 for a row's only record of that
                   table; 1, 2 … for the items of a multi-item cell);
  ``mentions``     ``[row, column, text, kind, id]`` (1-based): every unit
                   (``unit``, ``unit+title``), person and department mention
                   with the entity it is — what import's resolution is scored on;
  ``totals``       ``[{row, what, value}]``: the ledger's own totals (合计 rows,
                   ``15件16人``), which are correct.

  Record ids are the twin's ids; tables without an id use a key:
  posts ``person_id|unit_id|start``, ties ``person_a|person_b``, assignments
  ``round_id|team_id|unit_id``, team_members ``team_id|person_id``.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from loaders.generator.office import ledgers as L
from loaders.generator.office.context import Office, safe_sheet_name
from loaders.generator.office.habits import draw_profile
from loaders.generator.office.rectify import build_sheet
from loaders.generator.office.sheet import Sheet, write_csv, write_xlsx
from loaders.generator.util import stream

__all__ = ["write_office"]


class _Files:
    """Collects sheets into files, then writes them and their truth."""

    def __init__(self, root: Path):
        self.root = root
        self.books: dict[str, list[Sheet]] = {}
        self.meta: dict[tuple[str, str], dict] = {}

    def add(self, rel: str, sheet: Sheet, **meta) -> None:
        self.books.setdefault(rel, []).append(sheet)
        self.meta[(rel, sheet.name)] = meta

    def write(self) -> dict:
        sheets = []
        for rel in sorted(self.books):
            path = self.root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            books = self.books[rel]
            encoding = _write_csv(path, books[0]) if rel.endswith(".csv") else None
            if encoding is None:
                write_xlsx(path, books)
            for sh in books:
                sheets.append({
                    "file": "office/" + rel, "sheet": "" if encoding else sh.name,
                    "table": sh.table, "encoding": encoding, "habits": sh.habits,
                    **self.meta[(rel, sh.name)],
                    "rows": [[row.kind, row.records] for row in sh.rows],
                    "mentions": [[m["row"], m["column"], m["text"], m["kind"], m["id"]]
                                 for m in sh.mentions],
                    "totals": sh.totals})
        return {"sheets": sheets}


def _write_csv(path: Path, sheet: Sheet) -> str:
    try:
        write_csv(path, sheet, "gbk")
        return "gbk"
    except UnicodeEncodeError:  # a character GBK lacks: GB18030 holds every one
        write_csv(path, sheet, "gb18030")
        return "gb18030"


def _rectification(o: Office, files: _Files, seed: int) -> None:
    t = o.t
    problems = t["problems"].sort_values("problem_id", kind="stable")
    by_unit_round: dict[tuple[str, str], list] = {}
    for x in problems.itertuples(index=False):
        by_unit_round.setdefault((x.unit_id, x.round_id), []).append(x)
    measures: dict[str, list] = {}
    for m in t["measures"].itertuples(index=False):
        measures.setdefault(m.problem_id, []).append(m)
    rounds = t["rounds"].sort_values(["start", "round_id"])
    a = t["assignments"].drop_duplicates(["round_id", "unit_id"])
    for r in rounds.itertuples(index=False):
        rng = stream(seed, f"office/round/{r.round_id}")
        one_book = rng.random() < 0.35
        folder = f"{_org_folder(o, r.round_id)}整改台账/{_clean(r.name)}/"
        taken: set[str] = set()
        mine = a[a["round_id"] == r.round_id]
        for k, (unit, team) in enumerate(zip(mine["unit_id"], mine["team_id"])):
            probs = by_unit_round.get((unit, r.round_id))
            if probs is None:
                continue
            urng = stream(seed, f"office/rectify/{unit}/{r.round_id}")
            p = draw_profile(urng)
            short = _short(o, unit)
            if p.csv:
                rel, sheet_name = f"{folder}{short}整改台账.csv", short
            elif one_book:
                rel, sheet_name = f"{folder}{_clean(r.name)}整改台账.xlsx", short
            else:
                form = o.names.write(urng, unit)
                rel = f"{folder}{k + 1:02d}_{_clean(form)}.xlsx" if urng.random() < 0.6 else \
                    f"{folder}{_clean(form)}整改台账.xlsx"
                sheet_name = "Sheet1" if urng.random() < 0.4 else short
            sheet_name = safe_sheet_name(sheet_name, taken if one_book and not p.csv else set())
            sh = build_sheet(o, urng, sheet_name, unit, r.round_id, team, p, probs, measures)
            sh.habits = p.names()
            files.add(rel, sh, unit_id=unit, round_id=r.round_id)


def _org_folder(o: Office, round_id: str) -> str:
    return "" if o.names.one_county else f"{o.region_name[o.round_org[round_id]]}/"


def _clean(text: str) -> str:
    return "".join("_" if c in '\\/:*?"<>|' else c for c in text)


def _short(o: Office, unit: str) -> str:
    """农业农村局 for 昌峰区农业农村局: the name without its county, as sheet tabs read."""
    name, county = o.names.name[unit], o.names.county.get(unit, "")
    for prefix in ("中共" + county, county):
        if county and name.startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix):]
    return name


def _leads(o: Office, files: _Files, seed: int) -> None:
    le = o.t["leads"]
    for k, (rid, g) in enumerate(le.groupby("round_id", sort=True)):
        rng = stream(seed, f"office/leads/{rid}")
        signed = k % 4 != 1  # some offices keep no 签字 column
        sh = L.leads_sheet(o, rng, rid, g.sort_values("lead_id"), signed)
        ext = ".csv" if k % 5 == 3 else ".xlsx"
        rel = f"{_org_folder(o, rid)}线索台账/{_clean(o.round_name[rid])}移交问题线索处置台账{ext}"
        files.add(rel, sh, unit_id=None, round_id=rid)


def _twin_people(o: Office) -> None:
    """What the ledgers say about people: relatives without a post are known by
    name only; 业务特长 is in the team list only."""
    pe = o.twin["people"]
    with_post = set(o.t["posts"]["person_id"])
    members = set(o.t["team_members"]["person_id"])
    nobody = ~pe["person_id"].isin(with_post)
    pe.loc[nobody, ["hometown_region_id", "gender"]] = None
    pe.loc[nobody, "birth_year"] = pd.NA
    pe.loc[~pe["person_id"].isin(members), "specialty"] = None


def write_office(gen, out, *, progress=None) -> list[Path]:
    """Write OUT/office, OUT/contract and OUT/truth.json (see the module docstring)."""
    from loaders.generator.build import Generated
    from loaders.generator.writer import write_dataset

    root = Path(out)
    o = Office(gen)
    files = _Files(root / "office")
    _rectification(o, files, gen.seed)
    _leads(o, files, gen.seed)
    rng = stream(gen.seed, "office/lists")
    for sh in L.roster_sheets(o, rng):
        files.add("干部名册.xlsx", sh, unit_id=None, round_id=None)
    cross = gen.truth.get("conflict_round_id")
    teams = set(o.t["teams"].loc[o.t["teams"]["round_id"] == cross, "team_id"])
    members = set(o.t["team_members"].loc[o.t["team_members"]["team_id"].isin(teams),
                                          "person_id"])
    for sh in L.ties_sheets(o, rng, members):
        files.add("社会关系.xlsx", sh, unit_id=None, round_id=None)
    for sh in L.unit_sheets(o, rng) + L.round_sheets(o, rng):
        files.add("基础信息.xlsx", sh, unit_id=None, round_id=None)
    dep, au, pe = L.other_sheets(o, rng)
    files.add("基础信息.xlsx", dep, unit_id=None, round_id=None)
    files.add("审计发现.xlsx", au, unit_id=None, round_id=None)
    files.add("信访举报.csv", pe, unit_id=None, round_id=None)
    _twin_people(o)
    office_truth = files.write()
    twin = Generated(_mentioned_people_only(o.twin_tables()), dict(gen.truth), gen.seed,
                     gen.scale, gen.as_of, _twin_words(gen, o))
    written = write_dataset(twin, root / "contract", progress=progress)
    truth = dict(gen.truth, office=office_truth)
    path = root / "truth.json"
    path.write_text(json.dumps(truth, ensure_ascii=False, sort_keys=True, indent=1) + "\n",
                    encoding="utf-8")
    return sorted(root.joinpath("office").rglob("*.*")) + written + [path]


#: Where a ledger names a person (people elsewhere are in no ledger).
_PERSON_REFS = {"posts": ("person_id",), "ties": ("person_a", "person_b"),
                "team_members": ("person_id",), "leads": ("person_id",),
                "measures": ("owner_person_id",), "petitions": ("person_id",)}


def _mentioned_people_only(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The twin holds what the ledgers say: a person no ledger names (no post,
    tie, team, problem, lead, measure or petition) is not in it."""
    named: set[str] = set()
    for table, cols in _PERSON_REFS.items():
        for col in cols:
            if table in tables and col in tables[table]:
                named |= set(tables[table][col].dropna())
    for ids in tables["problems"]["person_ids"].dropna():
        named |= set(str(ids).split(";")) - {""}
    pe = tables["people"]
    return {**tables, "people": pe[pe["person_id"].isin(named)].reset_index(drop=True)}


def _twin_words(gen, o: Office) -> dict:
    """The Chinese words of the twin's closed columns: the ledgers' own words."""
    zh = {k: dict(v) for k, v in gen.zh.items()}
    zh.pop("measures", None)  # statuses are written afresh by the contract writer
    zh.pop("leads", None)
    return zh
