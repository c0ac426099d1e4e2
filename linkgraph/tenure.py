"""When a post ended, where the ledger leaves the end blank (任职结束时间空缺).

干部名册 and 任职经历 often leave 任职结束 empty on every post but the
current one was meant: a person who took a post elsewhere in 2019 no longer
holds the one before it.  ``infer_ends`` reads a blank end as ended on the
day the person's next post *in another unit* started (the earliest such
post starting after this one); a blank end with no later post elsewhere stays
current.  Every inferred end names the post it comes from, so evidence can
say so ("任职结束时间空缺，按其2019年起任XX推定").

A later post in the same unit (a promotion) does not end the earlier one: the
person is still in that unit either way.  Nor does a later post elsewhere
whose title says it is temporary or held alongside (挂职, 借调, 兼任 — the words
are ``[posts] temporary_title_words`` in the rules file).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def infer_ends(person: np.ndarray, unit: np.ndarray, start: np.ndarray, end: np.ndarray,
               title: np.ndarray | None = None,
               temporary_words: Sequence[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """For posts given as parallel arrays: (end with blanks inferred, row of
    the post each inferred end comes from, -1 where the end was given or
    stays blank).  ``temporary_words`` default to the shipped rules'."""
    if temporary_words is None:
        from linkgraph.rules import load_rules

        temporary_words = load_rules().section("posts").get("temporary_title_words", ())
    start = np.asarray(start, dtype="datetime64[ns]")
    end = np.asarray(end, dtype="datetime64[ns]").copy()
    source = np.full(len(end), -1, dtype=np.int64)
    blank = np.flatnonzero(np.isnat(end) & ~np.isnat(start))
    if not len(blank):
        return end, source
    titles = pd.Series(title if title is not None else [None] * len(end), dtype=object)
    temporary = titles.fillna("").astype(str).map(
        lambda t: any(w in t for w in temporary_words)).to_numpy(dtype=bool)
    posts = pd.DataFrame({"person": person, "unit": unit, "start": start})
    mine = posts.loc[blank].reset_index(names="row")
    later = posts[~np.isnat(start) & ~temporary].reset_index(names="next")
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


def with_inferred_ends(posts: pd.DataFrame,
                       temporary_words: Sequence[str] | None = None) -> pd.DataFrame:
    """A ``posts`` table (contract columns) with blank ends inferred as above;
    ``end_inferred`` says which ends were."""
    if posts.empty:
        return posts.assign(end_inferred=pd.Series(dtype=bool))
    end, source = infer_ends(posts["person_id"].to_numpy(dtype=object),
                             posts["unit_id"].to_numpy(dtype=object), posts["start"].to_numpy(),
                             posts["end"].to_numpy(), posts["title"].to_numpy(dtype=object),
                             temporary_words)
    return posts.assign(end=end, end_inferred=source >= 0)
