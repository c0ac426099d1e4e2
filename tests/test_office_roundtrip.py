"""The county round trip: ``generate --style office`` writes the planted data
as an office keeps it (``OUT/office``) with its contract twin
(``OUT/contract``) and the truth of every row; ``linkgraph import`` of the
office ledgers must account for every row as the truth says, and give the
twin's analysis figures."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest


pytestmark = pytest.mark.slow
AS_OF = "2026-06-30"


@pytest.fixture(scope="module")
def county(tmp_path_factory, office_county) -> dict:
    """The session's county office ledgers (seed 3, as of AS_OF, the
    generator's default), imported once; the result (its resolution is what
    the office reviews) is shared by the tests below."""
    from loaders.generator.build import DEFAULT_AS_OF
    from loaders.office.importer import import_ledgers

    assert DEFAULT_AS_OF.isoformat() == AS_OF
    data = tmp_path_factory.mktemp("roundtrip") / "data"
    return {"out": office_county, "data": data,
            "result": import_ledgers([office_county / "office"], data)}


def _figures(invoke, data: Path) -> dict[str, object]:
    stats = json.loads(invoke("stats", data, "-f", "json").stdout)["nodes"]
    rect = json.loads(invoke("rectification", data, "--as-of", AS_OF, "-f", "json")
                      .stdout)["records"][-1]
    leads = json.loads(invoke("leads", data, "--as-of", AS_OF, "--summary", "-f", "json")
                       .stdout)["records"][-1]
    return {**{f"nodes.{k}": v for k, v in stats.items()},
            **{f"rectification.{k}": rect[k] for k in ("problems", "rectified", "measures",
                                                       "measures_done", "overdue_measures")},
            **{f"leads.{k}": leads[k] for k in ("leads", "closed", "overdue", "case_filed")}}


def test_imported_data_validates_and_every_row_is_where_the_truth_says(county, invoke):
    data = county["data"]
    assert invoke("validate", data).exit_code == 0  # whatever was rejected, DATA is clean
    doc = json.loads((data / "import-report.json").read_text("utf-8"))
    truth = json.loads((county["out"] / "truth.json").read_text("utf-8"))["office"]["sheets"]
    written = {(t["file"].removeprefix("office/"), t["sheet"]): len(t["rows"]) for t in truth}
    read = {}
    for s in doc["sheets"]:
        assert s["record_rows"] + sum(s["non_data"].values()) + s["rejected_rows"] \
            + s["unaccounted_rows"] == s["rows_read"], s
        read[(s["file"], s["sheet"])] = s["rows_read"]
    assert sum(read.values()) == sum(written.values())
    assert doc["rows_read"] == sum(written.values())


def _name(text: str) -> str:
    """The name in a person cell as the ledgers write it (杨光（党委书记）)."""
    from loaders.office.mentions import person
    from loaders.office.values import ValueProblem

    try:
        return person(text).name
    except ValueProblem:
        return text


def _truth_of_links(resolution, sheets: list[dict]) -> dict[tuple, str]:
    """The true person of each person link: the one person mention of its row
    in the truth whose text holds the link's name."""
    by_row: dict[tuple, list[list]] = {}
    for sh in sheets:
        file = sh["file"].removeprefix("office/")
        for m in sh["mentions"]:
            if m[3] == "person":
                by_row.setdefault((file, sh["sheet"], m[0]), []).append(m)
    out = {}
    for link in resolution.links:
        if link.kind != "person":
            continue
        o = link.origin
        row = by_row.get((o.file, o.sheet, o.row)) or by_row.get((o.file, "", o.row), [])
        name = _name(link.text)
        hits = {m[4] for m in row if name and name in m[2]}
        if len(hits) == 1:
            out[(o, link.column)] = hits.pop()
    return out


def _decide_as_the_truth_says(data: Path, out: Path, resolution) -> Path:
    """The office's review, done right: every person pair in review.xlsx
    accepted when the truth says the mention is that candidate, else rejected."""
    import openpyxl

    from loaders.office.crosswalk import DECISION_COLUMN, KEY_COLUMN, pair_key

    sheets = json.loads((out / "truth.json").read_text("utf-8"))["office"]["sheets"]
    truth = _truth_of_links(resolution, sheets)
    of_entity: dict[str, Counter] = {}
    of_origin: dict[object, Counter] = {}
    for link in resolution.links:
        t = truth.get((link.origin, link.column))
        if t is None:
            continue
        of_origin.setdefault((link.origin, _name(link.text)), Counter())[t] += 1
        if link.entity_id:
            of_entity.setdefault(link.entity_id, Counter())[t] += 1
    answers = {}
    for item in resolution.review:
        if item.kind != "person":
            continue
        name = _name(item.mention.split("（")[0])
        seen = sum((of_origin.get((o, name), Counter()) for o in item.origins), Counter())
        for cand in item.candidates:
            who = of_entity.get(cand.entity_id, Counter())
            same = bool(seen) and bool(who) and who.most_common(1)[0][0] == seen.most_common(1)[0][0]
            answers[pair_key(item.key, cand.entity_id)] = "接受" if same else "拒绝"
    book = openpyxl.load_workbook(data / "review.xlsx")
    for ws in book.worksheets:
        rows = ws.iter_rows()
        header = {str(c.value): c.column for c in next(rows, ()) if c.value is not None}
        if DECISION_COLUMN["zh"] not in header:
            continue
        for row in rows:
            key = row[header[KEY_COLUMN["zh"]] - 1].value
            if key in answers:
                row[header[DECISION_COLUMN["zh"]] - 1].value = answers[key]
    path = out / "decisions.xlsx"
    book.save(path)
    return path


def test_import_then_the_offices_review_gives_the_twins_figures(county, invoke):
    """Every figure of the twin: node counts, rectification and lead figures.
    The office decides the review list (here as the truth says); the
    re-import with ``--decisions`` reapplies them."""
    first = county["result"]
    decisions = _decide_as_the_truth_says(county["data"], county["out"], first.resolution)
    again = invoke("import", county["out"] / "office", "--out", county["data"],
                   "--decisions", decisions)
    assert again.exit_code == 0, again.output
    assert _figures(invoke, county["data"]) == _figures(invoke, county["out"] / "contract")
