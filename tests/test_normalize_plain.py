"""The text, blank and identifier readers skip, for many distinct values,
the cells they would return as written (found with Arrow compute): the
result is, value for value, what reading every cell on its own gives."""
from __future__ import annotations

import random

import numpy as np

from linkgraph import normalize as norm

CELLS = ["P0001", "U12", "1001.0", "1001.00", "1001", "1.05", "NA", "na", "N/A", "None",
         "null", "NaN", "nat", "-", "--", "/", "—", "无", "暂无", "空", "", " ", " P7 ", "P 7",
         "Ｐ０００１", "１００１.０", "١٢.0", "a\u200bb", "x\ty", "王芳", "R-3_b", "~!@#", "P8\n",
         None, float("nan"), "e\u0301", "ﬁ", "Ⅻ"]


def _values(rng: random.Random, n: int) -> list[object]:
    out: list[object] = []
    for _ in range(n):
        if rng.random() < 0.5:
            out.append(rng.choice(CELLS))
        else:
            out.append("".join(rng.choice("AZaz09._-/ 　Ｐ") for _ in range(rng.randint(0, 6))))
    return out


def _same(a: np.ndarray, b: list[object]) -> bool:
    return len(a) == len(b) and all(x == y or (x is None and y is None) for x, y in zip(a, b))


def test_readers_give_what_reading_each_cell_gives():
    rng = random.Random(11)
    values = _values(rng, norm.PLAIN_SCAN_MIN * 2) + CELLS
    for reader, one in ((norm.read_text, norm.text_value), (norm.read_blank, norm.blank_value),
                        (norm.read_identifiers, norm.identifier_value)):
        got, bad = reader(values)
        assert _same(got, [one(v) for v in values]), reader.__name__
        assert not bad.any()


def test_a_few_cells_by_hand():
    values = CELLS * (norm.PLAIN_SCAN_MIN // len(CELLS) + 1)
    ids, _ = norm.read_identifiers(values)
    read = dict(zip(map(repr, values), ids))
    assert read["'1001.0'"] == "1001" and read["'P0001'"] == "P0001"
    assert read["'NA'"] is None and read["'暂无'"] is None and read["' P7 '"] == "P7"
    assert read["'Ｐ０００１'"] == "P0001" and read["None"] is None and read["nan"] is None
    assert read["'1.05'"] == "1.05"
    text, _ = norm.read_text(values)
    assert dict(zip(map(repr, values), text))["'NA'"] == "NA"


def test_values_arrow_cannot_take_are_read_one_by_one():
    values = [1001, 2.0, "P1", None] * norm.PLAIN_SCAN_MIN
    ids, _ = norm.read_identifiers(values)
    assert _same(ids, [norm.identifier_value(v) for v in values])


def test_reference_look_up_agrees_with_a_set():
    import pandas as pd

    from linkgraph.check import _member

    rng = random.Random(5)
    keys = frozenset(f"P{i}" for i in range(0, 20000, 3))
    values = pd.Series([f"P{rng.randrange(20000)}" for _ in range(9000)] + ["Ｐ3", "p3", "P3 "])
    got = _member(values, keys)
    assert got.tolist() == [v in keys for v in values]
    assert got[:9000].any() and not got[9000:].any()
    mixed = pd.Series([3, "P3", "P4"] * 2000, dtype=object)   # not all text: one by one
    assert _member(mixed, keys).tolist() == [str(v) in keys for v in mixed]
