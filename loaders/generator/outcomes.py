"""The 成果 and review tables (issue 19): reviews with send-backs, results
amounts, multi-person leads, talks, visits, supervision info, self-checks."""
from __future__ import annotations

import numpy as np
import pandas as pd

from linkgraph.schema import OUTCOME_TABLES, TABLE_BY_NAME


def empty(name: str) -> pd.DataFrame:
    """A canonical table with no rows."""
    dtypes = {"date": "datetime64[ns]", "int": "Int64", "float": "float64", "bool": "bool"}
    return pd.DataFrame({c.name: pd.Series(dtype=dtypes.get(c.kind, object))
                         for c in TABLE_BY_NAME[name].columns})


def build_outcomes(t: dict[str, pd.DataFrame], seed: int,
                   as_of: np.datetime64) -> dict[str, pd.DataFrame]:
    """The outcome tables for the canonical tables ``t``."""
    return {name: empty(name) for name in OUTCOME_TABLES}
