"""``generate --style office``: the ledgers show every habit somewhere, their own
totals are right, the truth maps every row and mention, and reruns are
byte-identical.  The files are read back with openpyxl and the csv module, not
through the generator."""
from __future__ import annotations

import csv
import hashlib
import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from loaders.generator.office.rectify import STATUS_FILL
from loaders.generator.office.sheet import FILLS

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def out(office_county):
    return office_county   # county, seed 3: shared with tests/test_office_roundtrip.py


@pytest.fixture(scope="module")
def truth(out):
    return json.loads((out / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def twin(out):
    from linkgraph.dataset import load_dataset

    return load_dataset(str(out / "contract")).tables


class _Cells:
    """Every sheet as a grid of values (merged ranges: top-left only), with fills."""

    def __init__(self, out: Path):
        self.out, self.grid, self.fill, self.merges = out, {}, {}, {}

    def sheet(self, file: str, sheet: str):
        key = (file, sheet)
        if key not in self.grid:
            path = self.out / file
            if path.suffix == ".csv":
                with open(path, encoding="gbk", newline="") as f:
                    self.grid[key] = [list(r) for r in csv.reader(f)]
                self.fill[key], self.merges[key] = {}, []
            else:
                wb = openpyxl.load_workbook(path)
                for ws in wb.worksheets:
                    k = (file, ws.title)
                    self.grid[k] = [[c.value for c in row] for row in ws.iter_rows()]
                    self.fill[k] = {(c.row, c.column): c.fill.fgColor.rgb for row in ws.iter_rows()
                                    for c in row if c.fill is not None and c.fill.fill_type}
                    self.merges[k] = [(m.min_row, m.min_col, m.max_row, m.max_col)
                                      for m in ws.merged_cells.ranges]
        return self.grid[key]

    def value(self, file: str, sheet: str, row: int, col: int):
        g = self.sheet(file, sheet)
        if row > len(g) or col > len(g[row - 1]):
            return None
        return g[row - 1][col - 1]


@pytest.fixture(scope="module")
def cells(out):
    return _Cells(out)


def _texts(cells: _Cells, truth) -> list[str]:
    out = []
    for s in truth["office"]["sheets"]:
        for row in cells.sheet(s["file"], s["sheet"]):
            out += [str(v) for v in row if v not in (None, "")]
    return out


@pytest.fixture(scope="module")
def texts(cells, truth):
    return _texts(cells, truth)


# --- layout ---------------------------------------------------------------------
def test_every_habit_is_somewhere_and_layouts_differ(truth):
    sheets = truth["office"]["sheets"]
    habits = Counter(h for s in sheets for h in s["habits"])
    for h in ("title", "meta", "two_row_header", "sections_category", "sections_focus", "total",
              "signature", "blank_rows", "same_above", "multi_merge", "multi_items",
              "multi_repeat", "fill_status", "csv", "persons", "signature_column",
              "no_signature_column", "amount_unit", "birth_month", "relation_words"):
        assert habits[h] >= 1, h
    rect = [tuple(s["habits"]) for s in sheets if s["table"] == "problems+measures"]
    assert len(set(rect)) > 20  # not every ledger has every habit
    assert all(0 < habits[h] < len(rect) for h in ("meta", "total", "two_row_header"))


def test_the_files_show_the_habits(out, cells, truth, texts):
    files = {s["file"] for s in truth["office"]["sheets"]}
    assert any(re.search(r"^\d\d_", Path(f).name) for f in files)  # unit-named files
    assert any("Sheet1" == s["sheet"] for s in truth["office"]["sheets"])
    joined = "\n".join(texts)
    for needle in ("整改台账", "填报单位（盖章）", "统计截止时间", "巡察反馈问题", "责任落实", "合计",
                   "填表人", "同上", "长期坚持", "月底前", "立行立改", "（万元）", "件", "人）",
                   "初核", "给予党内严重警告处分", "移送", "主要负责人"):
        assert needle in joined, needle
    assert any(re.fullmatch(r"[一二三四五六七八九十]+、.+方面（\d+个）", t) for t in texts)
    assert any(re.fullmatch(r"（[一二三四五六七八九十]+）.+问题（\d+个）", t) for t in texts)
    assert any(re.fullmatch(r"\d{1,2}月\d{1,2}日", t) for t in texts)       # year-less dates
    assert any(re.fullmatch(r"20\d\d\.\d{1,2}", t) for t in texts)         # 2023.8 deadlines
    assert any(re.fullmatch(r"19\d\d\.\d\d", t) for t in texts)            # 1971.03 births
    assert any(re.fullmatch(r"\d+元", t) for t in texts)                   # a cell in 元
    assert any(re.search(r"（1）.+；\n?（2）", t) or re.search(r"^1\..+；\n?2\.", t) for t in texts)
    assert any(re.fullmatch(r"[一-龥]{2,3}、[一-龥]{2,3}(、[一-龥]{2,3})*", t) for t in texts)
    assert any(re.fullmatch(r"[一-龥]{2,3}（[^）]+）", t) for t in texts)       # 杨光（党委书记）


def test_two_row_headers_and_vertical_merges_are_real_merges(cells, truth):
    two_row = vertical = 0
    for s in truth["office"]["sheets"]:
        if s["encoding"] or s["table"] != "problems+measures":
            continue
        cells.sheet(s["file"], s["sheet"])
        kinds = [k for k, _ in s["rows"]]
        for r0, _c0, r1, _c1 in cells.merges[(s["file"], s["sheet"])]:
            if r1 > r0 and kinds[r0 - 1] == "header":
                two_row += 1
            if r1 > r0 and kinds[r0 - 1] == "record":
                vertical += 1
                assert all(k == "record" for k in kinds[r0 - 1:r1])
    assert two_row > 50 and vertical > 200


def test_statuses_by_fill_follow_the_legend(cells, truth, twin):
    status = dict(zip(twin["measures"]["measure_id"], twin["measures"]["status"]))
    rgb = {v.lstrip("#").upper(): k for k, v in FILLS.items()}
    colour_of = {c: s for s, c in STATUS_FILL.items()}
    checked = 0
    for s in truth["office"]["sheets"]:
        if "fill_status" not in s["habits"]:
            continue
        grid = cells.sheet(s["file"], s["sheet"])
        assert any("蓝色表示已完成整改" in str(v) for row in grid for v in row if v)
        fills = cells.fill[(s["file"], s["sheet"])]
        for r, (kind, records) in enumerate(s["rows"], start=1):
            ms = [i for t, i, _ in records if t == "measures"]
            if kind != "record" or not ms:
                continue
            colours = {rgb[v[-6:].upper()] for (rr, _), v in fills.items() if rr == r}
            assert len(colours) == 1, (s["file"], r)
            assert {status[m] for m in ms} == {colour_of[colours.pop()]}
            checked += 1
    assert checked > 100


def test_gbk_csv_is_really_gbk(out, truth):
    csvs = [s for s in truth["office"]["sheets"] if s["encoding"]]
    assert len(csvs) >= 10
    for s in csvs[:20]:
        raw = (out / s["file"]).read_bytes()
        raw.decode(s["encoding"])
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")


# --- names ------------------------------------------------------------------------
def test_units_are_written_in_several_spellings(truth, twin):
    forms = defaultdict(set)
    for s in truth["office"]["sheets"]:
        for _, _, text, kind, uid in s["mentions"]:
            if kind in ("unit", "unit+title"):
                forms[uid].add(text)
    units = twin["units"].set_index("unit_id")
    bureau = next(u for u, n in units["name"].items() if n.endswith("农业农村局"))
    county = units.loc[bureau, "name"][:-len("农业农村局")]
    written = forms[bureau]
    for form in (county + "农业农村局", f"中共{county}农业农村局党组", county[-1] + "农业农村局"):
        assert any(t.startswith(form) for t in written), (form, written)
    town = next(u for u, k in units["kind"].items() if k == "乡镇"
                and units.loc[u, "name"].endswith("镇") and len(forms[u]) >= 3)
    name = units.loc[town, "name"]
    assert forms[town] & {name[:-1] + "镇党委", name[:-1] + "镇人民政府",
                          f"中共{county}{name}委员会"}
    assert sum(len(v) >= 3 for v in forms.values()) > 100


def test_same_name_officials_in_different_units(twin):
    people = twin["people"].set_index("person_id")["name"]
    posts = twin["posts"][twin["posts"]["end"].isna()]
    named = posts.assign(name=posts["person_id"].map(people))
    same = named.groupby("name").agg(people=("person_id", "nunique"), units=("unit_id", "nunique"))
    assert ((same["people"] >= 2) & (same["units"] >= 2)).sum() >= 5


# --- truth --------------------------------------------------------------------------
def test_every_row_of_every_file_is_in_the_truth(cells, truth):
    kinds = Counter()
    for s in truth["office"]["sheets"]:
        grid = cells.sheet(s["file"], s["sheet"])
        # openpyxl drops trailing empty rows; the truth keeps every written row
        assert len(grid) <= len(s["rows"]) and all(k == "blank" for k, _ in s["rows"][len(grid):])
        for (kind, records), row in zip(s["rows"], grid):
            kinds[kind] += 1
            empty = all(v in (None, "") for v in row)
            assert empty == (kind == "blank"), (s["file"], s["sheet"], kind, row)
            assert bool(records) == (kind == "record")
    assert {"title", "meta", "header", "section", "record", "total", "signature", "legend",
            "blank"} <= set(kinds)


def _keys(twin) -> dict[str, set[str]]:
    t = twin
    return {
        "problems": set(t["problems"]["problem_id"]), "measures": set(t["measures"]["measure_id"]),
        "leads": set(t["leads"]["lead_id"]), "people": set(t["posts"]["person_id"]),
        "posts": {f"{p}|{u}|{pd.Timestamp(s).date().isoformat()}" for p, u, s in
                  zip(t["posts"]["person_id"], t["posts"]["unit_id"], t["posts"]["start"])},
        "ties": {f"{a}|{b}" for a, b in zip(t["ties"]["person_a"], t["ties"]["person_b"])},
        "units": set(t["units"]["unit_id"]), "regions": set(t["regions"]["region_id"]),
        "rounds": set(t["rounds"]["round_id"]), "teams": set(t["teams"]["team_id"]),
        "assignments": {"|".join(x) for x in zip(t["assignments"]["round_id"],
                                                 t["assignments"]["team_id"],
                                                 t["assignments"]["unit_id"])},
        "team_members": {f"{a}|{b}" for a, b in zip(t["team_members"]["team_id"],
                                                     t["team_members"]["person_id"])},
        "departments": set(t["departments"]["dept_id"]), "audits": set(t["audits"]["finding_id"]),
        "petitions": set(t["petitions"]["petition_id"]),
    }


def test_every_record_is_written_once(truth, twin):
    seen = defaultdict(list)
    for s in truth["office"]["sheets"]:
        for _kind, records in s["rows"]:
            for table, rid, _item in records:
                seen[table].append(rid)
    keys = _keys(twin)
    for table, ids in keys.items():
        got = seen[table]
        if table == "rounds":  # a round is named on each of its teams' rows
            assert set(got) == ids
            continue
        assert len(got) == len(set(got)), table
        assert set(got) == ids, (table, len(ids - set(got)), len(set(got) - ids))


def test_every_mention_is_in_its_cell_and_names_an_entity(cells, truth, twin):
    ids = {"unit": set(twin["units"]["unit_id"]), "unit+title": set(twin["units"]["unit_id"]),
           "person": set(twin["people"]["person_id"]),
           "department": set(twin["departments"]["dept_id"])}
    names = dict(zip(twin["people"]["person_id"], twin["people"]["name"]))
    n = 0
    for s in truth["office"]["sheets"]:
        for row, col, text, kind, eid in s["mentions"]:
            assert eid in ids[kind], (kind, eid)
            cell = cells.value(s["file"], s["sheet"], row, col)
            assert cell is not None and text in str(cell), (s["file"], row, col, text, cell)
            if kind == "person" and text != "同上":
                assert names[eid] in text
            n += 1
    assert n > 20000


def test_the_ledgers_own_totals_are_right(truth, twin):
    problems = twin["problems"]
    measures = twin["measures"]
    leads = twin["leads"]
    n = 0
    for s in truth["office"]["sheets"]:
        for t in s["totals"]:
            if s["table"] == "problems+measures":
                mine = problems[(problems["unit_id"] == s["unit_id"]) &
                                (problems["round_id"] == s["round_id"])]
                ms = measures[measures["problem_id"].isin(mine["problem_id"])]
                want = {"problems": len(mine), "measures": len(ms),
                        # an office's 已完成 counts 已销号 (closed) too
                        "done": int(ms["status"].isin(["done", "closed"]).sum())}[t["what"]]
            else:
                mine = leads[leads["round_id"] == s["round_id"]]
                want = {"leads": len(mine), "people": mine["person_id"].nunique()}[t["what"]]
            assert t["value"] == want, (s["file"], t)
            n += 1
    assert n > 300


def test_the_twin_holds_what_the_words_say(cells, truth, twin):
    m = twin["measures"].set_index("measure_id")
    checked = Counter()
    for s in truth["office"]["sheets"]:
        if s["table"] != "problems+measures":
            continue
        grid = cells.sheet(s["file"], s["sheet"])
        header = [str(v) for v in grid[next(i for i, (k, _) in enumerate(s["rows"]) if k == "header")]]
        due_col = next(j for j, h in enumerate(header) if h in ("整改时限", "完成时限"))
        for (_kind, records), row in zip(s["rows"], grid):
            ms = [i for t, i, _ in records if t == "measures"]
            if not ms:
                continue
            word = row[due_col]
            due = m.loc[ms[0], "due_date"]
            if word in ("长期坚持", "立行立改", "立即整改"):
                assert pd.isna(due)
                checked["flag"] += 1
            elif word and "月底前" in word:
                y, mo = re.match(r"(\d{4})年(\d{1,2})月底前", word).groups()
                assert due == pd.Timestamp(int(y), int(mo), 1) + pd.offsets.MonthEnd(0)
                checked["month_end"] += 1
    assert checked["flag"] > 50 and checked["month_end"] > 50


def test_roster_gives_birth_months_and_top_leaders(cells, truth, twin):
    posts = twin["posts"]
    top = set(posts.loc[posts["is_top_leader"] & posts["end"].isna(), "person_id"])
    rows = 0
    for s in truth["office"]["sheets"]:
        if s["table"] != "people+posts":
            continue
        grid = cells.sheet(s["file"], s["sheet"])
        for (kind, records), row in zip(s["rows"], grid):
            if kind != "record":
                continue
            pid = records[0][1]
            assert re.fullmatch(r"(19|20)\d\d(\.\d\d|年\d{1,2}月)", str(row[3]))
            assert (row[8] == "主要负责人") == (pid in top)
            rows += 1
    assert rows == twin["posts"]["person_id"].nunique()


_SCRIPT = """
import hashlib, sys, tempfile, pathlib
from loaders.generator import generate
from loaders.generator.office import write_office
with tempfile.TemporaryDirectory() as d:
    write_office(generate(40, seed=11, realism=sys.argv[1]), d)
    h = hashlib.sha256()
    for f in sorted(pathlib.Path(d).rglob("*")):
        if f.is_file():
            h.update(str(f.relative_to(d)).encode()); h.update(f.read_bytes())
    print(h.hexdigest())
"""


@pytest.mark.parametrize("realism", ["tidy", "high"])
def test_byte_identical_across_processes(realism):
    env = {"PYTHONPATH": str(ROOT), "PYTHONHASHSEED": "random"}
    runs = [subprocess.run([sys.executable, "-c", _SCRIPT, realism], capture_output=True,
                           text=True, env=env, cwd=ROOT, check=True).stdout.strip()
            for _ in range(2)]
    assert runs[0] == runs[1] and len(runs[0]) == 64
    assert hashlib.sha256(b"").hexdigest() != runs[0]


def test_cli_writes_office_contract_and_truth(tmp_path, invoke):
    res = invoke("generate", tmp_path / "o", "--style", "office", "--scale", "40", "--seed", "2")
    assert res.exit_code == 0, res.output
    o = tmp_path / "o"
    assert (o / "truth.json").exists() and (o / "contract" / "问题.csv").exists()
    assert any((o / "office").rglob("*.xlsx")) and any((o / "office").rglob("*.csv"))
    assert "office" in json.loads((o / "truth.json").read_text(encoding="utf-8"))
