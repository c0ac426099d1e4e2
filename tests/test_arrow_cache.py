"""The Parquet cache serves exactly the tables a cold load makes: same
columns, dtypes, values, and the same Python types cell by cell (text as
``str`` with ``None`` for empty, lists as tuples), whichever table a command
asks for first."""
from __future__ import annotations

import pandas as pd
import pytest

from linkgraph.dataset import load_dataset


def _cells(frame: pd.DataFrame) -> list[list[tuple[type, object]]]:
    return [[(type(v), v) for v in frame[c]] for c in frame.columns if frame[c].dtype == object]


@pytest.mark.parametrize("realism", ["tidy", "high"])
def test_a_warm_load_is_the_cold_load_cell_by_cell(generated, tmp_path, monkeypatch, realism):
    data = generated("county", 2, realism)
    monkeypatch.setenv("LINKGRAPH_CACHE", str(tmp_path / "cache"))
    cold = load_dataset(data, lenient=True, use_cache=True)      # fills the cache
    warm = load_dataset(data, lenient=True, use_cache=True)
    assert list(warm.tables) == list(cold.tables)
    assert warm.violations == cold.violations and warm.counts == cold.counts
    # asked in reverse order: a table's frame does not depend on what was read before
    for name in reversed(list(cold.tables)):
        pd.testing.assert_frame_equal(warm[name], cold[name], check_exact=True)
        assert list(warm[name].dtypes) == list(cold[name].dtypes), name
        assert _cells(warm[name]) == _cells(cold[name]), name
    assert warm.rows_loaded == sum(len(cold[n]) for n in cold.tables)


def test_the_warm_tables_hold_every_contract_table(generated, tmp_path, monkeypatch):
    from linkgraph.schema import TABLES

    data = generated("county", 2)
    monkeypatch.setenv("LINKGRAPH_CACHE", str(tmp_path / "cache"))
    load_dataset(data, lenient=True, use_cache=True)
    warm = load_dataset(data, lenient=True, use_cache=True)
    assert sorted(warm.tables) == sorted(spec.name for spec in TABLES)
    with pytest.raises(KeyError):
        warm.tables["no_such_table"]
