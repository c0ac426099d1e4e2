"""--pseudonymize: names become stable aliases, person ids keyed hashes, and
no real name or id leaves the tool in any output format."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from linkgraph.privacy import NameScrubber, make_pseudonyms, pseudonymize_tables, surname
from tests.conftest import DATA

REAL = {"P1": "陈明", "P2": "何娟", "P3": "王伟", "P4": "王伟", "P5": "李强"}


@pytest.fixture
def ledgers(tmp_path) -> Path:
    """tests/data/tiny with real names written into free text, as clerks do."""
    folder = tmp_path / "ledgers"
    shutil.copytree(DATA / "tiny", folder)
    problems = folder / "problems.csv"
    problems.write_text(problems.read_text("utf-8").replace(
        "公务接待超标准", "王伟公务接待超标准，陈明知情"), "utf-8")
    petitions = folder / "petitions.csv"
    petitions.write_text(petitions.read_text("utf-8").replace(
        "反映局长违规插手工程", "反映局长何娟违规插手工程"), "utf-8")
    return folder


def _texts(path: Path) -> str:
    if path.suffix == ".xlsx":
        wb = openpyxl.load_workbook(path, read_only=True)
        return "\n".join(str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
                         for c in row if c is not None)
    return path.read_text("utf-8-sig")


def _assert_no_leak(text: str) -> None:
    for name in set(REAL.values()):
        assert name not in text, f"real name {name} leaked"
    for pid in REAL:
        assert not re.search(rf"(?<![0-9A-Za-z]){pid}(?![0-9A-Za-z])", text), \
            f"real id {pid} leaked"


COMMANDS = [
    ("conflicts", "--round", "X1", "--candidates"),
    ("portrait", "--person", "P3"),
    ("leads", "--all"),
    ("rectification", "--by", "unit"),
    ("audit",),
    ("priorities", "--no-clusters"),
]


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_no_real_name_or_id_in_any_output(invoke, ledgers, tmp_path, command, fmt):
    out = tmp_path / f"out.{fmt}"
    result = invoke(command[0], ledgers, *command[1:], "--as-of", "2025-06-30",
                    "--pseudonymize", "--out", out) if command[0] not in ("conflicts", "audit") \
        else invoke(command[0], ledgers, *command[1:], "--pseudonymize", "--out", out)
    assert result.exit_code == 0, result.output
    _assert_no_leak(_texts(out))
    _assert_no_leak(result.output)
    # the key is written only when asked for: nothing else appeared
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["ledgers", out.name])


def test_without_the_flag_the_names_are_there(invoke, ledgers, tmp_path):
    """The leak check above can fail: the same output names people unpseudonymised."""
    out = tmp_path / "c.json"
    assert invoke("conflicts", ledgers, "--round", "X1", "--candidates", "--out", out
                  ).exit_code == 0
    text = out.read_text("utf-8")
    assert "王伟" in text and "P5" in text


def test_aliases_stable_and_analysis_unchanged(invoke, ledgers, tmp_path):
    plain, pseudo, again = (tmp_path / n for n in ("a.json", "b.json", "c.json"))
    invoke("conflicts", ledgers, "--round", "X1", "--candidates", "--out", plain)
    invoke("conflicts", ledgers, "--round", "X1", "--candidates", "--pseudonymize",
           "--pseudonym-map", tmp_path / "key.csv", "--out", pseudo)
    invoke("conflicts", ledgers, "--round", "X1", "--candidates", "--pseudonymize", "--out", again)
    a = json.loads(plain.read_text("utf-8"))["records"]
    b = json.loads(pseudo.read_text("utf-8"))["records"]
    assert json.loads(again.read_text("utf-8"))["records"] == b
    key = pd.read_csv(tmp_path / "key.csv", encoding="utf-8-sig", dtype=str)
    real_of = dict(zip(key["pseudonym_id"], key["person_id"]))
    name_of = dict(zip(key["alias"], key["name"]))
    # the same conflicts, person by person, once the key is applied
    assert [(real_of[r["person_id"]], r["unit_id"], r["level"], r["relation"]) for r in b] == \
        [(r["person_id"], r["unit_id"], r["level"], r["relation"]) for r in a]
    assert all(name_of[r["person_name"]] == REAL[real_of[r["person_id"]]] for r in b)
    # the two 王伟 are two aliases
    wang = key[key["name"] == "王伟"]
    assert sorted(wang["alias"]) == ["王某1", "王某2"]
    assert len(set(key["pseudonym_id"])) == 5
    assert all(re.fullmatch(r"P[0-9a-f]{12}", p) for p in key["pseudonym_id"])


def test_free_text_names_replaced_and_quasi_identifiers_dropped():
    from linkgraph.dataset import load_dataset

    tables = load_dataset(DATA / "tiny").tables
    people = tables["people"]
    pseudo = make_pseudonyms(people, salt=b"s")
    out, _ = pseudonymize_tables(tables, pseudo)
    assert out["people"]["birth_year"].isna().all()
    assert out["people"]["gender"].isna().all()
    assert (out["people"]["hometown_region_id"].tolist()
            == tables["people"]["hometown_region_id"].tolist())   # regions are not people
    scrub = NameScrubber(pseudo)
    assert scrub("陈明知情") == pseudo.names["P1"] + "知情"
    # one name, two people: the text cannot say which, so neither alias is given
    assert scrub("王伟签字") == "王某签字"
    # the input tables are not modified
    assert tables["people"]["name"].tolist()[:1] == ["陈明"]


def test_salt_changes_the_hashes_not_the_shape(monkeypatch):
    people = pd.DataFrame({"person_id": ["A", "B"], "name": ["欧阳修文", "张三"]})
    one = make_pseudonyms(people, salt=b"one")
    two = make_pseudonyms(people, salt=b"two")
    assert one.ids != two.ids
    assert one.names["A"] == "欧阳某1" and one.names["B"] == "张某1"
    monkeypatch.setenv("LINKGRAPH_PSEUDONYM_SALT", "office-secret")
    assert make_pseudonyms(people).ids == make_pseudonyms(people).ids
    assert make_pseudonyms(people).ids != make_pseudonyms(people, salt=b"one").ids
    assert surname("John Smith") == "X"


def test_map_needs_the_flag(invoke, ledgers, tmp_path):
    result = invoke("conflicts", ledgers, "--round", "X1", "--pseudonym-map", tmp_path / "k.csv")
    assert result.exit_code == 2
    assert not (tmp_path / "k.csv").exists()


@pytest.mark.parametrize("args", [
    ("view", "--focus", "person:P3"),
    ("view", "--focus", "unit:U1"),
    ("view",),
    ("view", "--focus", "conflicts", "--round", "X1"),
], ids=lambda a: "-".join(a[1:3]) or "overview")
def test_views_pseudonymised(invoke, ledgers, tmp_path, args):
    out = tmp_path / "v.html"
    result = invoke(args[0], ledgers, *args[1:], "--pseudonymize", "--out", out)
    assert result.exit_code == 0, result.output
    html = out.read_text("utf-8")
    _assert_no_leak(html)
    assert "某" in html


def test_report_pseudonymised(invoke, ledgers, tmp_path):
    out = tmp_path / "report"
    result = invoke("report", ledgers, "--round", "X1", "--as-of", "2025-06-30",
                    "--pseudonymize", "--out", out)
    assert result.exit_code == 0, result.output
    files = sorted(out.iterdir())
    assert any(f.suffix == ".html" for f in files) and (out / "report.xlsx").exists()
    for f in files:
        _assert_no_leak(_texts(f))
    _assert_no_leak(result.output)


def test_lead_people_and_outcome_texts_pseudonymised():
    """A lead's people: the roster's get their alias; 案外人 (not on the roster,
    no alias) get 案外人 + ordinal; names in review reasons, talk triggers and
    supervision information are replaced."""
    from linkgraph.dataset import load_dataset
    from linkgraph.graph import build_graph

    tables = dict(load_dataset(DATA / "tiny").tables)
    tables["lead_people"] = pd.DataFrame({
        "lead_id": ["L1", "L1", "L2", "L2"], "person_id": ["P3", None, None, None],
        "name": ["王伟", "赵六", "孙七", "赵六"], "outcome": [None, "sanctioned", None, None]})
    tables["reviews"] = pd.DataFrame({
        "review_id": ["V1"], "unit_id": ["U1"], "round_id": ["X1"], "subject": ["report"],
        "measure_id": [None], "problem_id": [None], "submitted_date": [pd.NaT],
        "review_date": [pd.Timestamp("2024-05-01")], "reviewers": [("纪委监委",)],
        "verdict": ["rewrite"], "reason": ["李强签字不全"]})
    tables["supervision_info"] = pd.DataFrame({
        "info_id": ["S1"], "from_dept_id": ["D1"], "unit_id": ["U1"], "person_id": ["P2"],
        "date": [pd.NaT], "text": ["反映何娟违规报销"]})
    pseudo = make_pseudonyms(tables["people"], salt=b"s")
    out, _ = pseudonymize_tables(tables, pseudo)
    lp = out["lead_people"]
    assert lp["name"].tolist()[0] == pseudo.names["P3"]
    outside = lp["name"].tolist()[1:]
    # two people outside the roster: two ordinals, 赵六 the same in both leads
    assert sorted(set(outside)) == ["案外人1", "案外人2"] and outside[0] == outside[2]
    assert out["reviews"]["reason"].tolist() == [pseudo.names["P5"] + "签字不全"]
    assert out["supervision_info"]["text"].tolist() == [f"反映{pseudo.names['P2']}违规报销"]
    G = build_graph(out)
    text = json.dumps([d for _, d in G.nodes(data=True)] + [d for *_, d in G.edges(data=True)],
                      ensure_ascii=False, default=str)
    for name in ("王伟", "赵六", "孙七", "李强", "何娟"):
        assert name not in text
