"""A compact index of people, units, ties and posts for the conflict analysis.

People and units become integer codes; the ties (symmetrised: a tie listed
as A→B also reads B→A) and the posts become CSR adjacency arrays.  Expanding
a whole set of inspectors by one hop is then a few numpy gathers instead of
one graph search per (inspector, unit) pair, which is what lets the analysis
cover every candidate of a province-wide round at once.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from linkgraph.errors import InputError

Tables = Mapping[str, pd.DataFrame]


@dataclass(frozen=True)
class Csr:
    """Rows 0..n-1 → (column, data) lists; duplicates are kept."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray

    @classmethod
    def from_edges(cls, src: np.ndarray, dst: np.ndarray, data: np.ndarray, n: int) -> Csr:
        order = np.lexsort((data, dst, src))
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
        return cls(indptr, dst[order].astype(np.int64), data[order])

    def expand(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For every entry of ``rows``: (position in rows, column, data) of its
        neighbours, all at once."""
        rows = np.asarray(rows, dtype=np.int64)
        starts, stops = self.indptr[rows], self.indptr[rows + 1]
        counts = stops - starts
        pos = np.repeat(np.arange(len(rows)), counts)
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        flat = np.repeat(starts, counts) + offsets
        return pos, self.indices[flat], self.data[flat]


@dataclass(frozen=True)
class ConflictIndex:
    """People and units as codes, ties and posts as CSR arrays."""

    people: pd.Index          # code -> person_id
    units: pd.Index           # code -> unit_id
    relations: tuple[str, ...]  # tie data code -> canonical relation
    ties: Csr                 # person -> person (both directions)
    posts: pd.DataFrame       # person, unit (codes), title, top, start, end; sorted by person
    post_rows: Csr            # person -> row numbers of ``posts``

    def person_codes(self, ids: pd.Series) -> np.ndarray:
        return self.people.get_indexer(ids)

    def unit_codes(self, ids: pd.Series) -> np.ndarray:
        return self.units.get_indexer(ids)


def _ids(*columns: pd.Series) -> pd.Index:
    values = pd.concat([c.dropna().astype(str) for c in columns], ignore_index=True)
    return pd.Index(np.sort(values.unique()))


def build_index(tables: Tables) -> ConflictIndex:
    """The compact index of a dataset's people, units, ties and posts."""
    people_t, posts_t, ties_t = tables["people"], tables["posts"], tables["ties"]
    members = tables["team_members"]
    people = _ids(people_t["person_id"], posts_t["person_id"], ties_t["person_a"],
                  ties_t["person_b"], members["person_id"])
    units = _ids(tables["units"]["unit_id"], posts_t["unit_id"])
    ties = ties_t.dropna(subset=["person_a", "person_b", "relation"])
    a, b = people.get_indexer(ties["person_a"]), people.get_indexer(ties["person_b"])
    rel_codes, relations = pd.factorize(ties["relation"].astype(str), sort=True)
    keep = a != b
    src = np.concatenate([a[keep], b[keep]])
    dst = np.concatenate([b[keep], a[keep]])
    data = np.concatenate([rel_codes[keep], rel_codes[keep]]).astype(np.int16)
    tie_csr = Csr.from_edges(src, dst, data, len(people))
    posts = pd.DataFrame({
        "person": people.get_indexer(posts_t["person_id"]),
        "unit": units.get_indexer(posts_t["unit_id"]),
        "title": posts_t["title"].to_numpy(dtype=object),
        "top": posts_t["is_top_leader"].to_numpy(dtype=bool),
        "start": posts_t["start"].to_numpy(), "end": posts_t["end"].to_numpy(),
    })
    posts = posts[(posts["person"] >= 0) & (posts["unit"] >= 0)]
    posts = posts.sort_values(["person", "unit", "start"], kind="stable").reset_index(drop=True)
    rows = np.arange(len(posts))
    post_csr = Csr.from_edges(posts["person"].to_numpy(), rows, rows, len(people))
    return ConflictIndex(people, units, tuple(relations), tie_csr, posts, post_csr)


@dataclass(frozen=True)
class RoundContext:
    """One round: its dates, kind, teams, members and target units."""

    round_id: str
    name: str
    kind: str | None
    start: pd.Timestamp
    end: pd.Timestamp
    teams: pd.DataFrame        # team_id, name, home_region_id
    members: pd.DataFrame      # team_id, person_id, role, seconded_from_unit_id
    assignments: pd.DataFrame  # team_id, unit_id
    units: pd.DataFrame        # unit_id, name, region_id, sector (the round's units)

    @property
    def is_cross(self) -> bool:
        return self.kind == "cross"


def round_context(tables: Tables, round_id: str) -> RoundContext:
    """The round ``round_id`` with its teams, members and units."""
    rounds = tables["rounds"]
    row = rounds[rounds["round_id"] == round_id]
    if row.empty:
        known = ", ".join(sorted(rounds["round_id"].dropna().astype(str))[:20])
        raise InputError(f"没有轮次 {round_id!r} / no round {round_id!r}; 已有 / known: {known}")
    r = row.iloc[0]
    start = r["start"] if pd.notna(r["start"]) else r["end"]
    end = r["end"] if pd.notna(r["end"]) else start
    if pd.isna(start):
        raise InputError(f"轮次 {round_id} 没有开始和结束时间，无法判断任职回避期"
                         f" / round {round_id} has neither start nor end date")
    teams = tables["teams"][tables["teams"]["round_id"] == round_id]
    teams = teams[["team_id", "name", "home_region_id"]].sort_values("team_id")
    members = tables["team_members"]
    members = members[members["team_id"].isin(teams["team_id"])]
    members = members[["team_id", "person_id", "role", "seconded_from_unit_id"]]
    assign = tables["assignments"]
    assign = assign[(assign["round_id"] == round_id) & assign["team_id"].isin(teams["team_id"])]
    assign = assign[["team_id", "unit_id"]].drop_duplicates()
    units = tables["units"]
    units = units[units["unit_id"].isin(assign["unit_id"])]
    units = units[["unit_id", "name", "region_id", "sector"]].sort_values("unit_id")
    return RoundContext(str(round_id), str(r["name"]), r["kind"], pd.Timestamp(start),
                        pd.Timestamp(end), teams.reset_index(drop=True),
                        members.sort_values(["team_id", "person_id"]).reset_index(drop=True),
                        assign.sort_values(["team_id", "unit_id"]).reset_index(drop=True),
                        units.reset_index(drop=True))


def region_ancestors(regions: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """region_id -> (itself, parent, grandparent, ...)."""
    parent = dict(zip(regions["region_id"], regions["parent_id"]))
    out: dict[str, tuple[str, ...]] = {}
    for rid in parent:
        chain, seen, cur = [], set(), rid
        while cur is not None and cur == cur and cur not in seen:
            chain.append(cur)
            seen.add(cur)
            cur = parent.get(cur)
        out[rid] = tuple(chain)
    return out
