"""Small data never crashes: every command of ``linkgraph --help`` on a
dataset holding only a valid ``units`` table (the contract's one required
table), on the tiny ledgers with one optional table empty, and with
``--lenient`` when no problem row loads.  Each answers with an empty result
and a sentence — exit 0, or 1 with a clear message where the question needs
data that is not there (a person's portrait) — never exit 70, never a
traceback."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from linkgraph.cli import COMMANDS, cli
from tests.conftest import DATA, write_tables

UNITS = ("unit_id,name,sector,level,kind,parent_id\n"
         "U1,金堂县教育局,教育,县级,党政机关,\n"
         "U2,金堂县第一中学,教育,县级,事业单位,U1\n"
         "U3,新津区住房和城乡建设局,住建,县级,党政机关,\n")

#: Commands that take no DATA: what each is given instead.
NO_DATA = {"generate": ["generate", "{tmp}/gen", "--scale", "20", "--seed", "1"],
           "cypher": ["cypher", "list"]}
#: Commands too slow for this file, and where they are tested.
ELSEWHERE = {"demo": "tests/test_demo.py (generates a whole city)",
             "import": "tests/test_office_import.py (reads office ledgers, not DATA)",
             "explore": "tests/test_explore.py (units only, an empty optional table; the "
                        "command serves until stopped: tests/test_explore_app.py starts it)"}

#: The argument list of each command on DATA ("{data}") with outputs under "{tmp}".
ON_DATA: dict[str, list[list[str]]] = {
    "validate": [["validate", "{data}"]],
    "stats": [["stats", "{data}"]],
    "conflicts": [["conflicts", "{data}"], ["conflicts", "{data}", "--costs"]],
    "clusters": [["clusters", "{data}"]],
    "categories": [["categories", "{data}"], ["categories", "{data}", "--review"]],
    "leads": [["leads", "{data}", "--as-of", "2024-06-30"]],
    "audit": [["audit", "{data}", "--as-of", "2024-06-30"]],
    "rectification": [["rectification", "{data}", "--as-of", "2024-06-30"],
                      ["rectification", "{data}", "--as-of", "2024-06-30", "--out",
                       "{tmp}/out/rect.xlsx"]],
    "coverage": [["coverage", "{data}", "--as-of", "2024-06-30"]],
    "results": [["results", "{data}", "--as-of", "2024-06-30"],
                ["results", "{data}", "--as-of", "2024-06-30", "--by", "team", "--out",
                 "{tmp}/out/results.xlsx"]],
    "warnings": [["warnings", "{data}", "--as-of", "2024-06-30"]],
    "yield": [["yield", "{data}", "--teams"]],
    "priorities": [["priorities", "{data}", "--as-of", "2024-06-30"]],
    "portrait": [["portrait", "{data}", "--person", "P1", "--as-of", "2024-06-30"],
                 ["portrait", "{data}", "--round", "X1", "--as-of", "2024-06-30"]],
    "rotate": [["rotate", "{data}"], ["rotate", "{data}", "--out", "{tmp}/out/plan.xlsx"]],
    "staff": [["staff", "{data}"], ["staff", "{data}", "--out", "{tmp}/out/roster.xlsx"]],
    "view": [["view", "{data}", "--out", "{tmp}/views/overview.html"]],
    "report": [["report", "{data}", "--out", "{tmp}/report", "--as-of", "2024-06-30",
                "--no-views"]],
    "neo4j": [["neo4j", "export-import", "{data}", "{tmp}/import"],
              ["neo4j", "push", "{data}", "--uri", "bolt://127.0.0.1:9"]],
}


def test_every_command_has_a_small_data_case():
    assert set(COMMANDS) == set(ON_DATA) | set(NO_DATA) | set(ELSEWHERE)


def _units_only(tmp: Path) -> Path:
    return write_tables(tmp / "units_only", {"units.csv": UNITS})


def _tiny_with_empty(tmp: Path, table: str) -> Path:
    folder = tmp / f"tiny_without_{table}"
    shutil.copytree(DATA / "tiny", folder)
    path = folder / f"{table}.csv"
    path.write_text(path.read_text("utf-8").splitlines()[0] + "\n", "utf-8")
    return folder


def _no_problem_row_loads(tmp: Path) -> Path:
    """Units, and a problems table whose every row is rejected."""
    return write_tables(tmp / "all_problems_rejected", {
        "units.csv": UNITS,
        "problems.csv": "problem_id,unit_id,category,description,found_date\n"
                        "W1,U9,八项规定,公车私用,2023-05-06\n"
                        "W2,U1,,超标准接待,2023-05-07\n"
                        "W3,U2,选人用人,程序不规范,2023年13月1日\n"})


DATASETS = {"units_only": (_units_only, ()),
            "empty_problems": (lambda t: _tiny_with_empty(t, "problems"), ()),
            "empty_rounds": (lambda t: _tiny_with_empty(t, "rounds"), ("--lenient",)),
            "empty_people": (lambda t: _tiny_with_empty(t, "people"), ("--lenient",)),
            "lenient_no_problem_loads": (_no_problem_row_loads, ("--lenient",))}

CASES = [(name, argv) for name in sorted(ON_DATA) for argv in ON_DATA[name]]


@pytest.fixture(scope="module")
def datasets(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("small")
    return {name: make(tmp) for name, (make, _) in DATASETS.items()}


def _run(argv: list[str], tmp: Path, data: Path | None = None):
    from click.testing import CliRunner

    args = [a.format(tmp=tmp, data=data) for a in argv]
    return CliRunner().invoke(cli, args, catch_exceptions=True)


def _check(result, argv) -> None:
    text = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        (argv, repr(result.exception))
    assert result.exit_code < 2, (argv, text)
    assert "Traceback" not in text and "internal error" not in text, (argv, text)


@pytest.mark.parametrize("dataset", sorted(DATASETS))
@pytest.mark.parametrize("argv", [a for _, a in CASES], ids=[" ".join(a[:2]) for _, a in CASES])
def test_command_on_small_data(datasets, dataset, argv, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)   # --lenient writes rejected.csv here
    extra = list(DATASETS[dataset][1]) if argv[0] != "validate" else []
    cut = 3 if argv[0] == "neo4j" else 2
    result = _run(argv[:cut] + extra + argv[cut:], tmp_path, datasets[dataset])
    _check(result, argv)


@pytest.mark.parametrize("name", sorted(NO_DATA))
def test_command_without_data(name, tmp_path):
    _check(_run(NO_DATA[name], tmp_path), NO_DATA[name])


def test_units_only_answers_say_why(datasets, tmp_path):
    data = datasets["units_only"]
    rect = _run(["rectification", "{data}", "--as-of", "2024-06-30"], tmp_path, data)
    assert rect.exit_code == 0
    assert "无数据：问题（problems）、整改措施（measures） 表为空或缺失" in rect.output
    rot = _run(["rotate", "{data}"], tmp_path, data)
    assert rot.exit_code == 0 and "没有巡察轮次" in rot.output
    pri = _run(["priorities", "{data}", "--as-of", "2024-06-30"], tmp_path, data)
    assert pri.exit_code == 0 and "从未被巡察" in pri.output   # all 3 units, never inspected
    assert pri.output.count("从未被巡察") == 3


def test_unknown_round_lists_the_latest_rounds_first(tmp_path):
    rounds = ["round_id,name,kind,start,end"] + [
        f"R{y}-{h},{y}年第{h}轮,regular,{y}-{'03' if h == 1 else '09'}-01,"
        f"{y}-{'05' if h == 1 else '11'}-30" for y in range(2012, 2026) for h in (1, 2)]
    data = write_tables(tmp_path / "d", {"units.csv": UNITS, "rounds.csv": "\n".join(rounds)})
    result = _run(["conflicts", "{data}", "--round", "R2026-1"], tmp_path, data)
    assert result.exit_code == 1
    listed = result.output.split("latest rounds: ")[1].strip().split(", ")
    # 28 rounds; the ten newest by start, newest first, each with its name,
    # then how many more
    assert listed[:10] == [
        "R2025-2（2025年第2轮）", "R2025-1（2025年第1轮）", "R2024-2（2024年第2轮）",
        "R2024-1（2024年第1轮）", "R2023-2（2023年第2轮）", "R2023-1（2023年第1轮）",
        "R2022-2（2022年第2轮）", "R2022-1（2022年第1轮）", "R2021-2（2021年第2轮）",
        "R2021-1（2021年第1轮） …（另有 18 轮 / 18 more）"]


def test_out_into_a_missing_folder_is_created_before_the_work(tmp_path):
    data = DATA / "tiny"
    view = _run(["view", "{data}", "--out", "{tmp}/a/b/overview.html"], tmp_path, data)
    assert view.exit_code == 0, view.output
    assert (tmp_path / "a" / "b" / "overview.html").read_text("utf-8").startswith("<!DOCTYPE")
    rect = _run(["rectification", "{data}", "--as-of", "2024-06-30", "--out",
                 "{tmp}/c/rect.csv"], tmp_path, data)
    assert rect.exit_code == 0 and (tmp_path / "c" / "rect.csv").exists()
    (tmp_path / "file").write_text("x")
    blocked = _run(["view", "{data}", "--out", "{tmp}/file/overview.html"], tmp_path, data)
    assert blocked.exit_code == 2 and "无法创建文件夹" in blocked.output
    assert "读取" not in blocked.output   # refused before the data was read


@pytest.mark.parametrize("typed, meant", [
    ("2024-06-30", "2024-06-30"), ("2024/6/30", "2024-06-30"), ("2024.06.30", "2024-06-30"),
    ("2024年6月30日", "2024-06-30"), ("20240630", "2024-06-30"),
    ("2024年2月", "2024-02-29"), ("2023-02", "2023-02-28")])   # a month: its last day
def test_as_of_takes_the_ledgers_date_forms(typed, meant, tmp_path):
    result = _run(["leads", "{data}", "--as-of", typed], tmp_path, DATA / "tiny")
    assert result.exit_code == 0, result.output
    assert f"截至 {meant}：" in result.output


def test_as_of_that_is_no_date_is_a_usage_error_naming_the_forms(tmp_path):
    result = _run(["leads", "{data}", "--as-of", "2024-13-01"], tmp_path, DATA / "tiny")
    assert result.exit_code == 2
    assert "'2024-13-01' 不是日期" in result.output and "2026年6月30日" in result.output


def test_view_says_each_step_as_it_goes(tmp_path):
    result = _run(["view", "{data}", "--focus", "unit:U1", "--out", "{tmp}/u1.html"], tmp_path,
                  DATA / "tiny")
    assert result.exit_code == 0, result.output
    lines = [ln for ln in result.output.splitlines() if ln.startswith("[")]
    assert [ln.split(" ")[0] for ln in lines] == ["[1/4]", "[1/4]", "[2/4]", "[2/4]",
                                                  "[3/4]", "[3/4]", "[4/4]", "[4/4]"]
    assert lines[0] == "[1/4] 构建属性图 / building the graph …"
    assert lines[4].startswith("[3/4] 计算布局（") and "个节点） / laying out " in lines[4]
    assert lines[-1].startswith("[4/4] 完成 / done: 写出页面")


def test_view_in_english_says_its_steps_in_english(tmp_path):
    result = _run(["view", "{data}", "--out", "{tmp}/o.html", "--lang", "en"], tmp_path,
                  DATA / "tiny")
    assert result.exit_code == 0, result.output
    lines = [ln for ln in result.output.splitlines() if ln.startswith("[")]
    assert lines[0] == "[1/3] picking the nodes …"
    assert lines[2].startswith("[2/3] laying out ") and lines[2].endswith(" nodes …")
    assert lines[-1].startswith("[3/3] done: writing the page (")
    assert not any("\u4e00" <= ch <= "\u9fff" for ln in lines for ch in ln)
