"""The synthetic generator: determinism, sizes, integrity, planted truth, files.

Expected answers are recomputed here by brute force (plain loops over the
tables), never copied from the generator's own truth code.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import unicodedata
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from linkgraph.check import FREE_TEXT_COLUMNS
from linkgraph.errors import LinkgraphError
from linkgraph.schema import TABLE_BY_NAME, TABLES
from linkgraph.vocab import VOCABULARIES, lookup_table
from loaders.generator import SCALES, generate, write_dataset
from loaders.generator.presets import resolve
from loaders.generator.structure import build_structure

HARD_KIN = {"spouse", "parent_child", "sibling", "collateral", "in_law"}
SOFT_RELATIONS = {"classmate", "colleague", "townsman", "mentor", "secretary", "other"}


@pytest.fixture(scope="module")
def gen():
    return generate("county", seed=0)


@pytest.fixture(scope="module")
def t(gen):
    return gen.tables


@pytest.fixture(scope="module")
def small():
    """A smaller dataset for the slow XLSX writer."""
    return generate(300, seed=2)


@pytest.fixture(scope="module")
def messy_xlsx(small, tmp_path_factory):
    folder = tmp_path_factory.mktemp("xlsx")
    write_dataset(small, folder, fmt="xlsx", headers="zh", messy=True)
    return folder


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


# ---------------------------------------------------------------------------
# Determinism
# ---------------------------------------------------------------------------
def test_same_seed_gives_the_same_data(gen):
    again = generate("county", seed=0)
    assert again.truth == gen.truth
    for name, frame in gen.tables.items():
        pd.testing.assert_frame_equal(frame, again.tables[name])


def test_same_seed_gives_the_same_bytes(tmp_path):
    one, two = generate(137, seed=5), generate(137, seed=5)
    for name, opts in {"csv": dict(encoding="gb18030", headers="zh", messy=True),
                       "xlsx": dict(fmt="xlsx", headers="en", messy=True)}.items():
        write_dataset(one, tmp_path / f"a-{name}", **opts)
        write_dataset(two, tmp_path / f"b-{name}", **opts)
        assert _digest(tmp_path / f"a-{name}") == _digest(tmp_path / f"b-{name}")


def test_another_seed_gives_other_data(gen):
    other = generate("county", seed=1)
    assert not gen.tables["people"]["name"].equals(other.tables["people"]["name"])
    assert gen.truth["hard_conflicts"] != other.truth["hard_conflicts"]


# ---------------------------------------------------------------------------
# Sizes and shape
# ---------------------------------------------------------------------------
def test_county_sizes(t):
    assert 400 <= len(t["units"]) <= 600
    assert 14 <= (t["regions"]["level"] == "乡").sum() <= 18
    assert 0.5 <= (t["units"]["kind"].isin(["村", "社区"])).mean() <= 0.9
    inspected = t["problems"]["unit_id"].nunique()
    assert 0.85 <= inspected / len(t["units"]) <= 0.97  # some not inspected yet
    counts = t["problems"].groupby(["unit_id", "round_id"]).size()
    kinds = t["rounds"].set_index("round_id")["kind"]
    regular = counts[~counts.index.get_level_values(1).map(kinds).isin(["lookback"])]
    assert regular.median() >= 15 and regular.quantile(0.02) >= 10
    leads = len(t["leads"]) / len(t["problems"])
    assert 0.03 <= leads <= 0.07
    per_problem = t["measures"].groupby("problem_id").size()
    assert per_problem.min() >= 1 and per_problem.max() <= 5


def test_presets_plan_realistic_sizes():
    assert set(SCALES) == {"county", "city", "province"}
    city = build_structure(resolve("city"), 0).units
    assert 4500 <= len(city) <= 5500
    province = build_structure(resolve("province"), 0)
    assert 90_000 <= len(province.units) <= 110_000
    assert 13 <= (province.regions["level"] == "市").sum() <= 17


@pytest.mark.parametrize("n", [20, 137, 1200])
def test_int_scale_gives_exactly_that_many_units(n):
    small = generate(n, seed=3)
    assert len(small.tables["units"]) == n
    assert small.truth["hard_conflicts"]


def test_units_look_like_real_bodies(t):
    names = set(t["units"]["name"])
    assert any(n.endswith("教育局") for n in names)
    assert any(n.endswith("住房和城乡建设局") for n in names)
    assert any("国有资产" in n for n in names) and any(n.endswith("有限公司") for n in names)
    assert any(n.endswith("中学") or n.endswith("小学") for n in names)
    assert any(n.endswith("医院") or n.endswith("卫生院") for n in names)
    u = t["units"].set_index("unit_id")
    schools = u[u["name"].str.endswith("中学")]
    assert (u.loc[schools["parent_id"], "name"].str.endswith("教育局")).all()
    villages = u[u["kind"] == "村"]
    assert (u.loc[villages["parent_id"], "kind"] == "乡镇").all()
    assert {"党政机关", "事业单位", "国有企业", "乡镇", "村", "社区"} <= set(u["kind"])


def test_people_and_careers(t):
    people = t["people"]
    dup = people[people.duplicated("name", keep=False)]
    assert len(dup) > 0 and dup["person_id"].is_unique  # same names, different people
    posts = t["posts"]
    ended = posts.dropna(subset=["end"])
    assert (ended["start"] < ended["end"]).all()
    per_person = posts.groupby("person_id")
    assert (per_person["unit_id"].nunique() >= 2).sum() > 100  # transfers happen
    srt = posts.sort_values(["person_id", "start"])
    same = srt["person_id"].to_numpy()[1:] == srt["person_id"].to_numpy()[:-1]
    prev_end = srt["end"].to_numpy()[:-1]
    assert not (same & (pd.isna(prev_end) | (prev_end > srt["start"].to_numpy()[1:]))).any()
    ties = t["ties"]
    pairs = pd.DataFrame({"a": np.minimum(ties["person_a"], ties["person_b"]),
                          "b": np.maximum(ties["person_a"], ties["person_b"])})
    assert not pairs.duplicated().any() and (pairs["a"] != pairs["b"]).all()  # one row a pair
    tops = posts[posts["is_top_leader"] & posts["end"].isna()]
    assert tops["unit_id"].is_unique  # one current top leader per unit
    long_top = tops[tops["start"] < pd.Timestamp("2018-06-30")]
    assert len(long_top) > 5  # some top leaders long in post


# ---------------------------------------------------------------------------
# Integrity
# ---------------------------------------------------------------------------
def test_every_reference_resolves(t):
    for spec in TABLES:
        frame = t[spec.name]
        assert list(frame.columns) == [c.name for c in spec.columns]
        for col in spec.columns:
            if col.ref is None:
                continue
            key = TABLE_BY_NAME[col.ref].key[0]
            known = set(t[col.ref][key])
            values = frame[col.name].dropna()
            if col.kind == "ids":
                values = values.str.split(";").explode()
            missing = set(values) - known
            assert not missing, (spec.name, col.name, sorted(missing)[:3])
        for key in spec.key[:1] if len(spec.key) == 1 else ():
            assert frame[key].is_unique
    assert not t["assignments"].duplicated(["round_id", "unit_id"]).any()
    assert not t["team_members"].duplicated(["team_id", "person_id"]).any()


def test_dates_are_consistent(t):
    le = t["leads"]
    assert (le["transfer_date"] <= le["received_date"]).all()
    closed = le.dropna(subset=["closed_date"])
    assert (closed["received_date"] <= closed["closed_date"]).all()
    pr = t["problems"].merge(t["rounds"], on="round_id")
    assert ((pr["found_date"] >= pr["start"]) & (pr["found_date"] <= pr["end"])).all()
    r = t["rounds"]
    assert (r["start"] < r["end"]).all()
    assert r.sort_values("start").iloc[-1]["kind"] == "cross"
    m = t["measures"].dropna(subset=["completed_date"])
    assert (m["completed_date"] <= pd.Timestamp("2026-06-30")).all()


def test_vocabulary_words_are_accepted(gen):
    names = {"relation": ("ties", "relation"), "role": ("team_members", "role"),
             "status": ("measures", "status"), "round_kind": ("rounds", "kind"),
             "disposition": ("leads", "disposition"), "outcome": ("leads", "outcome"),
             "dept_kind": ("departments", "kind")}
    for vocab, (table, column) in names.items():
        lookup = lookup_table(VOCABULARIES[vocab])
        words = gen.zh[table][column]
        canon = gen.tables[table][column].to_numpy()
        for w, c in zip(words.tolist(), canon.tolist()):
            assert (w is None and c is None) or lookup[w.lower()] == c, (vocab, w, c)
    assert {"配偶", "夫妻"} & set(gen.zh["ties"]["relation"].tolist())


# ---------------------------------------------------------------------------
# The planted truth
# ---------------------------------------------------------------------------
def _same(a, b) -> bool:
    """One cell as generated and as loaded: tuples, missing values (None,
    NaN, <NA>) and scalars compared without pandas' ambiguous NA."""
    if isinstance(a, tuple) or isinstance(b, tuple):
        return a == b
    if pd.isna(a) or pd.isna(b):
        return bool(pd.isna(a) and pd.isna(b))
    return bool(a == b)


def test_truth_has_the_agreed_keys(gen):
    keys = {"seed", "scale", "as_of", "conflict_round_id", "hard_conflicts", "hard_decoys",
            "soft_conflicts", "clusters", "overdue_leads", "late_receipt_leads",
            "single_signature_leads", "lead_networks", "audit_only_findings", "corroborated",
            "counts", "hard_conflicts_scope", "staffing", "yield", "outcomes"}
    assert set(gen.truth) == keys
    assert gen.truth["counts"] == {k: len(v) for k, v in gen.tables.items()}
    json.dumps(gen.truth)


def test_every_planted_id_exists(gen, t):
    ids = {name: set(t[name][TABLE_BY_NAME[name].key[0]]) for name in
           ("units", "people", "teams", "problems", "leads", "audits", "rounds", "regions")}
    tr = gen.truth
    assert tr["conflict_round_id"] in ids["rounds"]
    for row in tr["hard_conflicts"] + tr["hard_decoys"] + tr["soft_conflicts"]:
        assert row["team_id"] in ids["teams"] and row["person_id"] in ids["people"]
        assert row["unit_id"] in ids["units"]
    for c in tr["clusters"]:
        assert set(c["unit_ids"]) <= ids["units"] and set(c["problem_ids"]) <= ids["problems"]
        assert c["region_id"] is None or c["region_id"] in ids["regions"]
    for key in ("overdue_leads", "late_receipt_leads", "single_signature_leads"):
        assert tr[key] and set(tr[key]) <= ids["leads"]
    for n in tr["lead_networks"]:
        assert len(n["lead_ids"]) >= 2 and set(n["lead_ids"]) <= ids["leads"]
    assert set(tr["audit_only_findings"]) <= ids["audits"]
    for c in tr["corroborated"]:
        assert c["finding_id"] in ids["audits"] and c["problem_id"] in ids["problems"]


class _Brute:
    """The cross round, read with plain loops."""

    def __init__(self, t, round_id):
        r = t["rounds"].set_index("round_id")
        self.start = r.loc[round_id, "start"]
        teams = t["teams"][t["teams"]["round_id"] == round_id]
        self.home = dict(zip(teams["team_id"], teams["home_region_id"]))
        m = t["team_members"][t["team_members"]["team_id"].isin(self.home)]
        self.members = list(zip(m["team_id"], m["person_id"], m["seconded_from_unit_id"]))
        a = t["assignments"]
        self.units = sorted(set(a.loc[a["round_id"] == round_id, "unit_id"]))
        self.region = dict(zip(t["units"]["unit_id"], t["units"]["region_id"]))
        self.sector = dict(zip(t["units"]["unit_id"], t["units"]["sector"]))
        self.parent = dict(zip(t["regions"]["region_id"], t["regions"]["parent_id"]))
        self.hometown = dict(zip(t["people"]["person_id"], t["people"]["hometown_region_id"]))
        self.posts = defaultdict(list)
        for p, u, s, e in zip(t["posts"]["person_id"], t["posts"]["unit_id"], t["posts"]["start"],
                              t["posts"]["end"]):
            self.posts[p].append((u, s, None if pd.isna(e) else e))
        self.officials = defaultdict(set)
        for p, items in self.posts.items():
            for u, s, e in items:
                if s <= self.start and (e is None or e >= self.start):
                    self.officials[u].add(p)
        self.ties = defaultdict(list)
        for a_, b_, rel in zip(t["ties"]["person_a"], t["ties"]["person_b"],
                               t["ties"]["relation"]):
            self.ties[a_].append((b_, rel))
            self.ties[b_].append((a_, rel))

    def inside(self, region, home):
        while region is not None:
            if region == home:
                return True
            region = self.parent.get(region)
        return False

    def hard(self):
        out = set()
        window = self.start - pd.DateOffset(years=3)
        for team, person, seconded in self.members:
            for u in self.units:
                for other, rel in self.ties[person]:
                    if rel in HARD_KIN and other in self.officials[u]:
                        out.add((team, person, u, rel))
                for pu, s, e in self.posts[person]:
                    if pu != u:
                        continue
                    if s <= self.start and (e is None or e >= window):
                        out.add((team, person, u, "former_post"))
                    if (e if e is not None else self.start) >= s + pd.DateOffset(years=3):
                        out.add((team, person, u, "long_post"))
                if seconded == u:
                    out.add((team, person, u, "seconded"))
                if self.inside(self.region[u], self.home[team]):
                    out.add((team, person, u, "home_region"))
        return out

    def soft(self, hard_pairs):
        out = set()
        for team, person, seconded in self.members:
            mine_now = {u for u, s, e in self.posts[person]
                        if s <= self.start and (e is None or e >= self.start)}
            own_sectors = {self.sector[u] for u in mine_now | ({seconded} - {None})}
            for u in self.units:
                if (team, person, u) in hard_pairs:
                    continue
                one = set()
                for o in self.officials[u]:
                    one |= {rel for other, rel in self.ties[person]
                            if other == o and rel in SOFT_RELATIONS}
                    if self.hometown[o] is not None and self.hometown[o] == self.hometown[person]:
                        one.add("townsman")
                    for pu, s, e in self.posts[person]:
                        for ou, os_, oe in self.posts[o]:
                            if ou == pu and o != person and s <= (oe or pd.Timestamp.max) \
                                    and os_ <= (e or pd.Timestamp.max):
                                one.add("colleague")
                if self.sector[u] in own_sectors:
                    one.add("same_system")
                out |= {(team, person, u, rel, 1) for rel in one}
                if one:
                    continue
                for x, r1 in self.ties[person]:
                    for y, r2 in self.ties[x]:
                        if y != person and y in self.officials[u]:
                            out.add((team, person, u, r1 if r1 == r2 else f"{r1}>{r2}", 2))
        return out


def test_hard_conflicts_match_a_brute_force(gen, t):
    brute = _Brute(t, gen.truth["conflict_round_id"])
    truth = {(r["team_id"], r["person_id"], r["unit_id"], r["rule"])
             for r in gen.truth["hard_conflicts"]}
    assert truth == brute.hard()
    rules = {r[3] for r in truth}
    assert HARD_KIN | {"former_post", "long_post", "seconded", "home_region"} <= rules
    assert all(r["round_id"] == gen.truth["conflict_round_id"] for r in gen.truth["hard_conflicts"])


def test_soft_conflicts_and_decoys_match_a_brute_force(gen, t):
    brute = _Brute(t, gen.truth["conflict_round_id"])
    hard_pairs = {r[:3] for r in brute.hard()}
    truth = {(r["team_id"], r["person_id"], r["unit_id"], r["relation"], r["hops"])
             for r in gen.truth["soft_conflicts"]}
    assert truth == brute.soft(hard_pairs)
    assert {("classmate", 1), ("townsman", 1), ("mentor", 1), ("colleague", 1)} <= {
        (r[3], r[4]) for r in truth}
    assert any(r[4] == 2 for r in truth)
    whys = " ".join(d["why"] for d in gen.truth["hard_decoys"])
    assert "same name" in whys and "short post" in whys and "classmate" in whys
    for d in gen.truth["hard_decoys"]:
        assert (d["team_id"], d["person_id"], d["unit_id"]) not in hard_pairs


def test_same_name_decoy_is_another_person(gen, t):
    people = t["people"].set_index("person_id")
    for d in gen.truth["hard_decoys"]:
        if "same name" not in d["why"]:
            continue
        name = people.loc[d["person_id"], "name"]
        twins = people[(people["name"] == name)].index.difference([d["person_id"]])
        assert len(twins) >= 1
        ties = t["ties"]
        tied = ties[ties["person_a"].isin(twins) | ties["person_b"].isin(twins)]
        assert len(tied) >= 1
        mine = ties[(ties["person_a"] == d["person_id"]) | (ties["person_b"] == d["person_id"])]
        assert mine.empty


def test_inspectors_have_no_links_but_the_planted_ones(gen, t):
    """Every hard pair outside the team's own region comes from a plant (few)."""
    non_home = [r for r in gen.truth["hard_conflicts"] if r["rule"] != "home_region"]
    teams = t["teams"].set_index("team_id")["home_region_id"]
    units = t["units"].set_index("unit_id")["region_id"]
    parent = t["regions"].set_index("region_id")["parent_id"]
    foreign = [r for r in non_home if teams[r["team_id"]] not in
               (units[r["unit_id"]], parent.get(units[r["unit_id"]]))]
    assert 8 <= len(foreign) <= 12  # five kinships, former, long, seconded (county: once each)


def test_background_categories_are_independent_of_sector_and_region(gen, t):
    from scipy.stats import chi2_contingency

    planted = {u for c in gen.truth["clusters"] for u in c["unit_ids"]}
    pr = t["problems"][~t["problems"]["unit_id"].isin(planted)]
    units = t["units"].set_index("unit_id")
    pr = pr.assign(sector=pr["unit_id"].map(units["sector"]),
                   region=pr["unit_id"].map(units["region_id"]))
    for col in ("sector", "region"):
        big = pr[col].value_counts()
        sub = pr[pr[col].isin(big[big >= 150].index)]
        table = pd.crosstab(sub[col], sub["category"])
        assert table.shape[0] >= 3
        assert chi2_contingency(table.to_numpy())[1] > 0.001, col


def test_clusters_are_what_they_claim(gen, t):
    kinds = [c["kind"] for c in gen.truth["clusters"]]
    assert sorted(kinds) == ["near_duplicate", "overrepresented", "profile"]
    pr = t["problems"].set_index("problem_id")
    units = t["units"].set_index("unit_id")
    base = t["problems"]["category"].value_counts(normalize=True)
    for c in gen.truth["clusters"]:
        mine = pr.loc[c["problem_ids"]]
        assert set(mine["unit_id"]) == set(c["unit_ids"]) and len(c["unit_ids"]) >= 5
        if c["kind"] == "overrepresented":
            assert (mine["category"] == c["category"]).all()
            in_units = t["problems"][t["problems"]["unit_id"].isin(c["unit_ids"])]
            assert (in_units["category"] == c["category"]).mean() > 3 * base[c["category"]]
            if c["sector"]:
                assert (units.loc[c["unit_ids"], "sector"] == c["sector"]).all()
        elif c["kind"] == "near_duplicate":
            assert mine["description"].nunique() >= 6
            assert units.loc[c["unit_ids"], "sector"].is_unique
            assert all(c["phrase"][:2] in d or c["phrase"][-2:] in d for d in mine["description"])
        else:
            cats = c["category"].split(";")
            assert len(cats) == 3 and set(mine["category"]) == set(cats)


def test_background_descriptions_do_not_repeat_across_units(gen, t):
    planted = {p for c in gen.truth["clusters"] for p in c["problem_ids"]}
    pr = t["problems"][~t["problems"]["problem_id"].isin(planted)]
    per_text = pr.groupby("description")["unit_id"].nunique()
    assert (per_text >= 3).sum() == 0
    assert pr["description"].nunique() / len(pr) > 0.97


def test_lead_truth_follows_the_rules(gen, t):
    le = t["leads"].set_index("lead_id")
    as_of = pd.Timestamp("2026-06-30")
    for lid in gen.truth["overdue_leads"]:
        row = le.loc[lid]
        assert pd.isna(row["closed_date"])
        deadline = row["due_date"] if pd.notna(row["due_date"]) else \
            row["transfer_date"] + pd.DateOffset(months=3)
        assert deadline < as_of
    overdue = set(gen.truth["overdue_leads"])
    rest = le.drop(index=list(overdue))
    deadline = rest["due_date"].fillna(rest["transfer_date"] + pd.DateOffset(months=3))
    assert not (rest["closed_date"].isna() & (deadline < as_of)).any()
    late = (le["received_date"] - le["transfer_date"]).dt.days > 7
    assert set(le.index[late]) == set(gen.truth["late_receipt_leads"])
    single = le["signed_by"] != "纪检监察室;巡察组"
    assert set(le.index[single]) == set(gen.truth["single_signature_leads"])
    ties = t["ties"]
    whys = [n["why"] for n in gen.truth["lead_networks"]]
    assert any("spouse" in w for w in whys) and any("same person" in w for w in whys)
    for n in gen.truth["lead_networks"]:
        persons = le.loc[n["lead_ids"], "person_id"]
        if "spouse" in n["why"]:
            a, b = persons.tolist()
            pair = ties[((ties["person_a"] == a) & (ties["person_b"] == b)) |
                        ((ties["person_a"] == b) & (ties["person_b"] == a))]
            assert pair["relation"].tolist() == ["spouse"]
            assert le.loc[n["lead_ids"], "unit_id"].nunique() == 2
        else:
            assert persons.nunique() == 1


def test_audit_truth(gen, t):
    found = set(zip(t["problems"]["unit_id"], t["problems"]["category"]))
    au = t["audits"]
    only = {f for f, u, c in zip(au["finding_id"], au["unit_id"], au["category"])
            if (u, c) not in found}
    assert only == set(gen.truth["audit_only_findings"]) and only
    assert len(gen.truth["corroborated"]) > 0
    inspected = set(t["problems"]["unit_id"])
    assert any(u not in inspected for u in au["unit_id"])  # red flags in uninspected units


# ---------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------
def test_gb18030_is_really_gb18030(tmp_path, gen):
    write_dataset(gen, tmp_path, encoding="gb18030", headers="zh")
    raw = (tmp_path / "单位.csv").read_bytes()
    assert raw.decode("gb18030").startswith("单位编码,单位名称")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    truth = json.loads((tmp_path / "truth.json").read_text(encoding="utf-8"))
    assert truth == json.loads(json.dumps(gen.truth))


def test_xlsx_opens_with_openpyxl(messy_xlsx, small):
    import openpyxl

    wb = openpyxl.load_workbook(messy_xlsx / "ledgers.xlsx", read_only=True)
    assert wb.sheetnames == [spec.aliases[0] for spec in TABLES]
    ws = wb["单位"]
    rows = ws.iter_rows(values_only=True)
    assert next(rows)[:2] == ("单位编码", "单位名称")
    assert sum(1 for _ in rows) == len(small.tables["units"])
    cells = [c for row in wb["问题"].iter_rows(min_row=2, max_row=400, values_only=True)
             for c in row]
    assert any(isinstance(c, dt.datetime) for c in cells)  # real date cells
    assert any(isinstance(c, (int, float)) and 30000 < c < 60000 for c in cells)  # serials


@pytest.mark.parametrize("opts", [
    dict(fmt="csv", encoding="gb18030", headers="zh", messy=True),
    dict(fmt="csv", encoding="utf-8", headers="en", messy=False),
    None,
], ids=["csv-gb18030-zh-messy", "csv-utf8-en", "xlsx-zh-messy"])
def test_the_loader_reads_back_the_same_values(tmp_path, gen, opts, small, messy_xlsx):
    from linkgraph.dataset import load_dataset

    if opts is None:
        tmp_path, gen = messy_xlsx, small
    else:
        write_dataset(gen, tmp_path, **opts)
    ds = load_dataset(tmp_path)
    assert not ds.violations
    for name, frame in gen.tables.items():
        got = ds.tables[name]
        assert len(got) == len(frame), name
        for col in frame.columns:
            want = frame[col]
            if TABLE_BY_NAME[name].column(col).kind in ("ids", "list"):
                want = want.map(lambda s: tuple(s.split(";")) if isinstance(s, str) else ())
            values = got[col].tolist()
            if col in FREE_TEXT_COLUMNS:   # kept as written (full-width ，（）): NFKC matches
                values = [unicodedata.normalize("NFKC", v) if isinstance(v, str) else v
                          for v in values]
            same = [_same(a, b) for a, b in zip(want.tolist(), values)]
            assert all(same), (name, col, want[[not s for s in same]].head(3).tolist())


def test_messy_files_are_messy(tmp_path, gen):
    write_dataset(gen, tmp_path, encoding="utf-8", headers="zh", messy=True)
    raw = (tmp_path / "问题.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel's BOM
    text = raw.decode("utf-8-sig")
    assert "年" in text.split("\n")[5] or any("年" in line.split(",")[6]
                                              for line in text.split("\n")[1:200] if line)
    assert "/" in text and "．" not in text
    people = (tmp_path / "人员.csv").read_text(encoding="utf-8-sig")
    assert "Ｐ" in people or "\u3000" in people or " ," in people


def test_xlsx_refuses_a_sheet_that_is_too_big(tmp_path, gen):
    import copy

    big = copy.copy(gen)
    big.tables = dict(gen.tables)
    big.tables["measures"] = pd.DataFrame({c: np.full(1_048_576, None, dtype=object)
                                           for c in gen.tables["measures"].columns})
    with pytest.raises(LinkgraphError, match="--format csv"):
        write_dataset(big, tmp_path / "x", fmt="xlsx")
    assert not (tmp_path / "x" / "ledgers.xlsx").exists()


def test_progress_and_bad_options(tmp_path, gen):
    seen = []
    write_dataset(gen, tmp_path, progress=lambda *a: seen.append(a))
    assert {s[0] for s in seen} == {spec.name for spec in TABLES}
    assert all(done == total for name, done, total in seen if name == "regions")
    with pytest.raises(LinkgraphError):
        write_dataset(gen, tmp_path, encoding="latin-1")
    with pytest.raises(LinkgraphError):
        generate("galaxy")


def _tfidf(texts: list[str]):
    """Sublinear TF-IDF over character 2- and 3-grams, rows L2-normalised."""
    from scipy import sparse

    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, text in enumerate(texts):
        grams: dict[str, int] = {}
        for n in (2, 3):
            for j in range(len(text) - n + 1):
                grams[text[j:j + n]] = grams.get(text[j:j + n], 0) + 1
        for gram, count in grams.items():
            rows.append(i)
            cols.append(vocab.setdefault(gram, len(vocab)))
            vals.append(1 + np.log(count))
    X = sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(vocab)))
    df = np.bincount(X.indices, minlength=X.shape[1])
    X = X @ sparse.diags(np.log((1 + len(texts)) / (1 + df)) + 1)
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    return sparse.diags(1 / norms) @ X


def test_planted_wordings_are_alike_and_the_background_is_not(gen, t):
    pr = t["problems"].reset_index(drop=True)
    X = _tfidf(pr["description"].tolist())
    planted = set()
    for c in gen.truth["clusters"]:
        if c["kind"] != "near_duplicate":
            continue
        rows = np.flatnonzero(pr["problem_id"].isin(c["problem_ids"]).to_numpy())
        planted.update(rows.tolist())
        sims = (X[rows] @ X[rows].T).toarray()[np.triu_indices(len(rows), 1)]
        assert np.median(sims) >= 0.45, c["phrase"]
    unit = pr["unit_id"].to_numpy()
    close = 0
    for _, block in pr.groupby("category"):  # pairs in one category, across units
        rows = np.array([r for r in block.index if r not in planted])
        S = (X[rows] @ X[rows].T).toarray()
        S[unit[rows][:, None] == unit[rows][None, :]] = 0
        close += int((S.max(axis=1) >= 0.6).sum())
    assert close / len(pr) < 0.01
