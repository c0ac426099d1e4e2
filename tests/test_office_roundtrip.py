"""The county round trip: ``generate --style office`` writes the planted data
as an office keeps it (``OUT/office``) with its contract twin
(``OUT/contract``) and the truth of every row; ``linkgraph import`` of the
office ledgers must account for every row as the truth says, and give the
twin's analysis figures."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from linkgraph.cli import cli

pytestmark = pytest.mark.slow
AS_OF = "2026-06-30"


@pytest.fixture(scope="module")
def county(tmp_path_factory, office_county) -> dict[str, Path]:
    """The session's county office ledgers (seed 3, as of AS_OF, the
    generator's default), imported once."""
    from click.testing import CliRunner

    from loaders.generator.build import DEFAULT_AS_OF

    assert DEFAULT_AS_OF.isoformat() == AS_OF
    data = tmp_path_factory.mktemp("roundtrip") / "data"
    imported = CliRunner().invoke(cli, ["import", str(office_county / "office"), "--out",
                                        str(data)])
    return {"out": office_county, "data": data, "exit": imported.exit_code}


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


@pytest.mark.xfail(strict=True, reason=(
    "issue 14 round trip not reached yet: at county seed 3 the import rejects rows the "
    "reader cannot parse (e.g. 责任人 '村党支部书记王卫林', '2023.1' deadlines), splits units "
    "and people (3149 units vs 400, 9675 people vs 4675) and reads no teams; "
    "see import-report.json of this test"))
def test_import_gives_the_twins_figures(county, invoke):
    assert county["exit"] == 0, "the import rejected rows"
    assert _figures(invoke, county["data"]) == _figures(invoke, county["out"] / "contract")
