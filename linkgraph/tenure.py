"""When a post ended, where the ledger leaves the end blank (任职结束时间空缺).

干部名册 and 任职经历 often leave 任职结束 empty on every post but the
current one was meant: a person who took a post elsewhere in 2019 no longer
holds the one before it.  ``infer_ends`` reads a blank end as ended on the
day the person's next open post *in another unit* started (the earliest such
post starting after this one); a blank end with no later post elsewhere stays
current.  Every inferred end names the post it comes from, so evidence can
say so ("任职结束时间空缺，按其2019年起任XX推定").

A later post in the same unit (a promotion, 兼任) does not end the earlier
one: the person is still in that unit either way.  Nor does a later post
elsewhere that has its own end date: a term with both dates written while the
earlier one is left open reads as a temporary posting (挂职, 借调) from it.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def infer_ends(person: np.ndarray, unit: np.ndarray, start: np.ndarray,
               end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For posts given as parallel arrays: (end with blanks inferred, row of
    the post each inferred end comes from, -1 where the end was given or
    stays blank)."""
    start = np.asarray(start, dtype="datetime64[ns]")
    end = np.asarray(end, dtype="datetime64[ns]").copy()
    source = np.full(len(end), -1, dtype=np.int64)
    blank = np.flatnonzero(np.isnat(end) & ~np.isnat(start))
    if not len(blank):
        return end, source
    posts = pd.DataFrame({"person": person, "unit": unit, "start": start})
    posts = posts[~np.isnat(start)]
    mine = posts.loc[blank].reset_index(names="row")
    later = posts.loc[blank].reset_index(names="next")   # open posts only
    pair = mine.merge(later, on="person", suffixes=("", "_next"))
    pair = pair[(pair["start_next"] > pair["start"]) & (pair["unit_next"] != pair["unit"])]
    if pair.empty:
        return end, source
    pair = pair.sort_values(["row", "start_next", "next"], kind="stable")
    first = pair.drop_duplicates("row")
    rows = first["row"].to_numpy()
    end[rows] = first["start_next"].to_numpy()
    source[rows] = first["next"].to_numpy()
    return end, source
