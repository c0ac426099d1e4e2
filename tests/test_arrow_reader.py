"""The Arrow CSV reader (large quote-free files) gives, chunk for chunk and
cell for cell, what pandas' C engine gives — on generated ledgers in UTF-8
and in messy GB18030, and on files with odd lines, where it must either
agree or step aside (a short row, a blank line, a lone CR)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from loaders import text

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("arrow-reader")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = {}
    for name, extra in (("utf8", []), ("gb18030", ["--messy", "--encoding", "gb18030",
                                                   "--realism", "high"])):
        subprocess.run([sys.executable, "-m", "linkgraph", "generate", str(base / name),
                        "--scale", "300", "--seed", "2", *extra], env=env, check=True,
                       capture_output=True, timeout=600)
        out[name] = base / name
    return out


def _read(source, monkeypatch, arrow: bool, chunk_rows: int = 997):
    monkeypatch.setattr(text, "ARROW_READER", arrow)
    taken = []
    real = text._arrow_table

    def spy(*args):
        table = real(*args)
        taken.append(table is not None)
        return table

    monkeypatch.setattr(text, "_arrow_table", spy)
    try:
        chunks = list(text.read_delimited_chunks(source, "t.csv", chunk_rows))
    except text.RaggedRows:
        chunks = None
    return chunks, any(taken)


def _same(a, b) -> None:
    assert (a is None) == (b is None)
    if a is None:
        return
    assert len(a) == len(b)
    for x, y in zip(a, b):
        assert list(x.columns) == list(y.columns)
        assert list(x.index) == list(y.index)
        assert x.to_numpy(dtype=object).tolist() == y.to_numpy(dtype=object).tolist()


def test_generated_ledgers_read_the_same(ledgers, monkeypatch):
    took = []
    for folder in ledgers.values():
        for path in sorted(folder.glob("*.csv")):
            if path.stat().st_size < text.SMALL_FILE_BYTES:
                continue
            fast, used = _read(str(path), monkeypatch, True)
            slow, _ = _read(str(path), monkeypatch, False)
            _same(fast, slow)
            took.append((folder.name, path.name, used))
    # the large files of both encodings went through Arrow
    assert {f for f, _, used in took if used} == {"utf8", "gb18030"}
    assert sum(used for *_, used in took) >= 4


def _big(lines: list[str], repeat: int = 12000) -> list[str]:
    return lines[:1] + lines[1:] * repeat


ODD = {
    "crlf": ("utf-8", "\r\n", ["编码,名称,备注", "U1,甲单位,", "U2,乙单位,说明"]),
    "bom": ("utf-8-sig", "\n", ["编码,名称,备注", "U1,甲单位,x"]),
    "trailing empty columns": ("utf-8", "\n", ["编码,名称,,,", "U1,甲,,,", "U2,乙,,,"]),
    "tabs": ("utf-8", "\n", ["编码\t名称", "U1\t甲 单位 ", "U2\t"]),
    "gb18030 beyond gbk": ("gb18030", "\n", ["编码,名称", "P1,𠀀𠀁芳", "P2,王 芳"]),
    "one column": ("utf-8", "\n", ["编码", "U1", "", "U200"]),
    "blank line": ("utf-8", "\n", ["编码,名称", "U1,甲", "", "U2,乙"]),
}
#: files Arrow must leave to pandas: the answer is still the same
STEP_ASIDE = {
    "short row": ("utf-8", "\n", ["编码,名称,备注", "U1,甲", "U2,乙,x"]),
    "long row": ("utf-8", "\n", ["编码,名称", "U1,甲,多,余", "U2,乙"]),
    "lone cr": ("utf-8", "\n", ["编码,名称", "U1,甲\r乙", "U2,丙"]),
    "title line": ("gb18030", "\n", ["2024年巡察问题台账", "编码,名称", "U1,甲"]),
}


@pytest.mark.parametrize("case", sorted(ODD) + sorted(STEP_ASIDE))
def test_odd_files_read_the_same(case, monkeypatch):
    encoding, end, lines = {**ODD, **STEP_ASIDE}[case]
    data = end.join(_big(lines)).encode(encoding) + end.encode()
    assert len(data) >= text.SMALL_FILE_BYTES
    fast, used = _read(data, monkeypatch, True, chunk_rows=1000)
    slow, _ = _read(data, monkeypatch, False, chunk_rows=1000)
    _same(fast, slow)
    assert used == (case in ODD)
    if fast is not None:   # every physical line is a row, numbered from 0
        assert sum(len(c) for c in fast) == len(text.physical_lines(data.decode(encoding)))


def test_a_hand_made_file_cell_by_cell(monkeypatch):
    lines = _big(["编码,名称,备注,", "U1, 甲单位 ,,", "U2,乙单位,说明,"], repeat=3000)
    data = "\r\n".join(lines).encode("gb18030")
    chunks, used = _read(data, monkeypatch, True, chunk_rows=4000)
    assert used and [len(c) for c in chunks] == [4000, 2001]
    first = chunks[0]
    assert list(first.columns) == [0, 1, 2]          # the empty fourth column is cut
    assert first.iloc[0].tolist() == ["编码", "名称", "备注"]
    assert first.iloc[1].tolist() == ["U1", " 甲单位 ", ""]
    assert first.iloc[2].tolist() == ["U2", "乙单位", "说明"]
    assert chunks[1].index[0] == 4000 and chunks[1].index[-1] == 6000


def test_a_dataset_loads_the_same_with_either_reader(ledgers, monkeypatch):
    from linkgraph.dataset import load_dataset

    loaded = {}
    for arrow in (True, False):
        monkeypatch.setattr(text, "ARROW_READER", arrow)
        loaded[arrow] = load_dataset(ledgers["gb18030"], lenient=True, use_cache=False)
    a, b = loaded[True], loaded[False]
    assert a.counts == b.counts and a.violations == b.violations
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name])
    assert a.rows_read == a.rows_loaded + a.rows_rejected
