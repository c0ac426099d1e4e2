"""``check.Cells`` on Arrow text: the same cells and the same answers as the
object path, and each Arrow twin of a cell test (``check.ARROW_TESTS``)
agrees with the Python test on every Unicode code point."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from linkgraph import check

_EVERY_CHAR = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]


def _twins():
    check._longer_than(3)     # registers the length test and its twin
    return list(check.ARROW_TESTS.items())


@pytest.mark.parametrize("test,twin", _twins(), ids=lambda f: getattr(f, "__name__", "?"))
def test_each_arrow_twin_answers_as_the_python_test_on_every_code_point(test, twin):
    texts = _EVERY_CHAR + [f"U{c}3" for c in _EVERY_CHAR[::7]] + ["", "abc", "abcd", "日本語の",
                                                                  "\x00", "a\x00b"]
    expected = np.asarray(test(texts), dtype=bool)
    got = np.asarray(twin(pa.array(texts, type=pa.large_string())), dtype=bool)
    assert expected.any() and not expected.all()
    assert (got == expected).all(), [t for t, g, e in zip(texts, got, expected) if g != e][:5]


def test_arrow_cells_hold_every_cell_and_flag_what_the_test_flags():
    frame = pd.DataFrame({"a": ["U1", "U2", "", None, "U1"],
                          "b": ["王伟", None, "U2", "王伟", "Ｕ１"],
                          "c": [None] * 5}, index=[2, 3, 4, 5, 6]).astype({"a": "str", "b": "str"})
    written = {"a": ["U1", "U2", "", None, "U1"], "b": ["王伟", None, "U2", "王伟", "Ｕ１"],
               "c": [None] * 5}
    cells = check.Cells(frame)
    assert cells.text_only
    for name, column in written.items():
        assert [None if c < 0 else cells.distinct[c] for c in cells.column(name)] == column
        for test in (check._nul, check._invisible_in_id, check._longer_than(1)):
            brute = [i for i, v in enumerate(column) if v is not None and test([v])[0]]
            assert list(cells.flagged(name, test)) == brute
    # 王伟, U2, 王伟, Ｕ１: two characters each, by hand
    assert list(cells.flagged("b", check._longer_than(1))) == [0, 2, 3, 4]
    assert cells.any(check._longer_than(1)) and not cells.any(check._nul)


def test_cells_of_excel_values_keep_them_as_read():
    frame = pd.DataFrame({"a": ["U1", 7, None], "b": [pd.Timestamp("2020-01-02"), "x", None]},
                         dtype=object)
    cells = check.Cells(frame)
    assert not cells.text_only
    assert [None if c < 0 else cells.distinct[c] for c in cells.column("a")] == ["U1", 7, None]
    assert list(cells.flagged("a", check._longer_than(1))) == [0]
