"""Every output a user reads, in both languages: no internal code, and no
text in the other language outside the names and words the ledgers hold.

Walks the terminal table, CSV (``--headers zh|en``) and XLSX of every
analysis command, the report page and workbook, and the views the report
links to, on small generated datasets (120 units for the commands; a
county, whose cross-inspection round has a plan, for the report and the
rotation), so conflicts, clusters, lead networks and a plan all have rows.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.language import (chinese_leaks, code_leaks, dataset_corpus, english_leaks,
                            html_texts, xlsx_texts)

ROUND = "RD0020"        # the latest round of the 120 units (seed 5): a cross round
CROSS = "RD0011"        # the county's (seed 1) cross round, which has a plan
AS_OF = "2026-06-30"
#: Commands whose CSV (--headers) is walked too; the others share its code
#: path with the terminal table.
CSV_TOO = ("conflicts", "leads", "priorities")

pytestmark = pytest.mark.slow   # a minute or more: many whole commands


@pytest.fixture(scope="module", autouse=True)
def _cached_loads(tmp_path_factory):
    """The walk runs some thirty commands on each dataset: after the first
    has read, mapped, typed and checked the ledgers, the others read that
    result from the dataset cache, as every command does for inputs of
    CACHE_MIN_BYTES or more (the outputs are what is walked here)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("linkgraph.dataset.CACHE_MIN_BYTES", 0)
        # the session's private cache (tests/conftest.py), for the module's fixtures too
        mp.setenv("LINKGRAPH_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))
        yield


@pytest.fixture(scope="module")
def data(generated) -> Path:
    return generated(120, 5, "high")     # the session's (tests/conftest.py)


@pytest.fixture(scope="module")
def county(generated) -> Path:
    return generated("county", 1)


@pytest.fixture(scope="module")
def corpus(data) -> str:
    return dataset_corpus(data)


@pytest.fixture(scope="module")
def county_corpus(county) -> str:
    return dataset_corpus(county)


@pytest.fixture(scope="module")
def top_leader(data) -> str:
    import pandas as pd

    posts = pd.read_csv(data / "任职.csv", dtype=str)
    return sorted(posts[posts["是否一把手"] == "是"]["人员编码"])[0]


def _commands(person: str) -> dict[str, list[str]]:
    return {
        "validate": ["validate"], "stats": ["stats"],
        "conflicts": ["conflicts", "--round", ROUND],
        "clusters": ["clusters"], "categories": ["categories"],
        "leads": ["leads", "--as-of", AS_OF, "--all"],
        "lead-networks": ["leads", "--as-of", AS_OF, "--networks"],
        "audit": ["audit", "--as-of", AS_OF],
        "rectification": ["rectification", "--as-of", AS_OF, "--by", "department"],
        "coverage": ["coverage", "--as-of", AS_OF],
        "priorities": ["priorities", "--as-of", AS_OF, "--top", "30"],
        "portrait": ["portrait", "--person", person, "--as-of", AS_OF],
    }


def _leaks(texts: list[str], lang: str, corpus: str) -> list[str]:
    wrong = chinese_leaks(texts, corpus) if lang == "en" else english_leaks(texts, corpus)
    return sorted(set(wrong + code_leaks(texts, corpus)))


def _run(args: list[str]):
    from click.testing import CliRunner

    from linkgraph.cli import cli

    return CliRunner().invoke(cli, args, catch_exceptions=False, prog_name="linkgraph")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_terminal_csv_and_workbook_of_every_command(data, corpus, top_leader, tmp_path, lang):
    """Each command's table, CSV with headers in the language, and XLSX."""
    found = _walk(data, corpus, _commands(top_leader), tmp_path, lang)
    assert not found, found


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rotation_plan_table_and_workbook(county, county_corpus, tmp_path, lang):
    found = _walk(county, county_corpus, {"rotate": ["rotate", "--round", CROSS,
                                                     "--alternatives", "2"]}, tmp_path, lang)
    assert not found, found


def _walk(data: Path, corpus: str, commands: dict[str, list[str]], tmp_path: Path,
          lang: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, args in commands.items():
        cmd, rest = args[0], args[1:]
        base = [cmd, str(data), *rest, "--lang", lang]
        table = _run(base)
        assert table.exit_code == 0, (name, table.output)
        texts = table.stdout.splitlines()
        if name in CSV_TOO:
            texts += _run([*base, "--format", "csv", "--headers", lang]).stdout.splitlines()
        if name != "validate":
            book = tmp_path / f"{name}-{lang}.xlsx"
            written = _run([*base, "--out", str(book)])
            assert written.exit_code == 0, (name, written.output)
            texts += xlsx_texts(book)
        bad = _leaks(texts, lang, corpus)
        if bad:
            found[name] = bad[:12]
    return found


@pytest.fixture(scope="module")
def reports(county, tmp_path_factory) -> dict[str, Path]:
    out = {}
    for lang in ("zh", "en"):
        folder = tmp_path_factory.mktemp(f"report-{lang}")
        r = _run(["report", str(county), "--out", str(folder), "--round", CROSS,
                  "--as-of", AS_OF, "--lang", lang])
        assert r.exit_code == 0, r.output
        out[lang] = folder
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_page_workbook_and_views(reports, county_corpus, lang):
    corpus = county_corpus
    folder = reports[lang]
    pages = sorted(folder.glob("*.html"))
    assert len(pages) >= 8   # index + overview, clusters, conflicts, rotation, networks …
    assert (folder / f"rotation-{CROSS}.html").exists()
    found = {}
    for page in pages:
        bad = _leaks(html_texts(page.read_text("utf-8")), lang, corpus)
        if bad:
            found[page.name] = bad[:12]
    bad = _leaks(xlsx_texts(folder / "report.xlsx"), lang, corpus)
    if bad:
        found["report.xlsx"] = bad[:12]
    assert not found, found


def test_the_checker_catches_what_it_is_for(corpus):
    """The leak finders fail on the leaks the issue names (so a clean walk means something)."""
    assert english_leaks(["L3941 talk"], corpus) and english_leaks(["整改状态：done"], corpus)
    assert english_leaks(["角色 leader"], corpus)
    assert code_leaks(["应自查 self_check_unit_ids"], corpus)
    assert chinese_leaks(["Evidence: 江敏曾与某人同在单位任职（同事）"], corpus)
    assert not chinese_leaks(["Unit: " + next(s for s in corpus.splitlines() if "局" in s)],
                             corpus)
    assert not english_leaks(["轮次 RD0020，见 report.xlsx，--round RD0020"], corpus)
