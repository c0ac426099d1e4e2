"""The corpus of broken ledgers: each gets a clear message, exit 1, no traceback."""
from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest

BROKEN = Path(__file__).parent / "data" / "broken"
CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())


def _data_path(case: Path) -> Path:
    marker = case / "DATA"
    return case / marker.read_text().strip() if marker.exists() else case


def test_corpus_is_large_enough():
    hostile_files = [f for c in CASES for f in (BROKEN / c).iterdir()
                     if f.name not in ("expected.txt", "exit.txt", "DATA")]
    assert len(CASES) >= 30 and len(hostile_files) >= 30


@pytest.mark.parametrize("name", CASES)
def test_validate_reports_the_problem(invoke, name):
    case = BROKEN / name
    result = invoke("validate", _data_path(case))
    text = result.output + (result.stderr if result.stderr_bytes is not None else "")
    code = int((case / "exit.txt").read_text()) if (case / "exit.txt").exists() else 1
    assert result.exit_code == code, text
    for expected in (case / "expected.txt").read_text("utf-8").splitlines():
        assert expected in text
    assert "Traceback" not in text


@pytest.mark.parametrize("name", ["corrupt_xlsx", "binary_named_csv", "empty_file"])
def test_real_process_exits_1_without_traceback(name):
    case = BROKEN / name
    proc = subprocess.run([sys.executable, "-m", "linkgraph", "validate", str(_data_path(case))],
                          capture_output=True, text=True, encoding="utf-8")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    expected = (case / "expected.txt").read_text("utf-8").splitlines()[0]
    assert expected in proc.stderr + proc.stdout


def test_analysis_command_refuses_broken_data_with_the_table(invoke):
    result = invoke("stats", BROKEN / "duplicate_key")
    assert result.exit_code == 1
    assert "重复的unit_id" in result.output
    assert "--lenient" in result.output


COUNTS = re.compile(r"读取 (\d+) 行：载入 (\d+)，拒收 (\d+)")


@pytest.mark.parametrize("name", CASES + ["../tiny"])
def test_every_row_is_loaded_or_reported_rejected(invoke, name, tmp_path):
    """Nothing lost: a --lenient command either stops at a file it cannot read
    (exit 1, said why) or reports rows read = loaded + rejected, and the
    rejects file names every rejected row."""
    case = BROKEN / name
    rejects = tmp_path / "rejected.csv"
    result = invoke("stats", _data_path(case), "--lenient", "--rejects", rejects)
    text = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert "Traceback" not in text
    found = COUNTS.search(text)
    if result.exit_code == 1:   # unreadable input: nothing was loaded, and it says why
        assert found is None and ("错误" in text or "error" in text), text
        return
    assert result.exit_code == 0, text
    read, loaded, rejected = map(int, found.groups())
    assert read == loaded + rejected
    if rejected:
        rows = list(csv.DictReader(rejects.read_text("utf-8-sig").splitlines()))
        # data rows named; row 1 is the header unless no header was found and it
        # was rejected with its table
        named = {(r["file"], r["row"]) for r in rows if r["row"] not in ("", None)
                 and (r["row"] != "1" or r["reason"].startswith("整表未载入"))}
        assert len(named) == rejected, (named, rejected)
    else:
        assert not rejects.exists()


def _tiny_with_a_bad_problem(tmp_path):
    import shutil

    data = tmp_path / "tiny"
    shutil.copytree(Path(__file__).parent / "data" / "tiny", data)
    with open(data / "problems.csv", "a", encoding="utf-8") as f:
        f.write("Q99,U1,X1,八项规定,,超标准接待,2023-13-45,,否\n")   # no such date
    return data


def test_an_error_in_a_table_an_analysis_does_not_read_does_not_stop_it(invoke, tmp_path):
    data = _tiny_with_a_bad_problem(tmp_path)
    rejects = tmp_path / "rejected.csv"
    result = invoke("conflicts", data, "--round", "X2", "--candidates", "--rejects", rejects)
    assert result.exit_code == 0, result.output
    assert "problems 表有错误的行已拒收" in result.output
    assert "拒收 1" in result.output                        # still counted …
    assert "2023-13-45" in rejects.read_text("utf-8-sig")   # … and written out


def test_an_error_in_a_table_an_analysis_reads_still_stops_it(invoke, tmp_path):
    data = _tiny_with_a_bad_problem(tmp_path)
    result = invoke("clusters", data)
    assert result.exit_code == 1
    assert "2023-13-45" in result.output and "无法识别的日期" in result.output
    # a table that refers to the broken one is read through it: leads → problems
    assert invoke("leads", data, "--as-of", "2024-01-01").exit_code == 1


def test_commands_name_the_tables_they_read(invoke):
    text = invoke("conflicts", "--help").output
    assert "读取的表 / reads: assignments, people, posts, regions, rounds, team_members," in text
