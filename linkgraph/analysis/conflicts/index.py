"""A compact index of people, units, ties and posts for the conflict analysis.

People and units become integer codes; the ties (symmetrised: a tie listed
as A→B also reads B→A) and the posts become CSR adjacency arrays.  Expanding
a whole set of inspectors by one hop is then a few numpy gathers instead of
one graph search per (inspector, unit) pair, which is what lets the analysis
cover every candidate of a province-wide round at once.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from linkgraph import kinship
from linkgraph.analysis.ledger import unknown_round
from linkgraph.errors import InputError
from linkgraph.relations import class_path
from linkgraph.schema import Tables
from linkgraph.tenure import infer_ends


@dataclass(frozen=True)
class Csr:
    """Rows 0..n-1 → (column, data) lists; duplicates are kept."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray

    @classmethod
    def from_edges(cls, src: np.ndarray, dst: np.ndarray, data: np.ndarray, n: int) -> Csr:
        order = np.argsort(src.astype(np.int64) * max(n, 1) + dst, kind="stable")
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

    people: pd.Index          # code -> person_id (object dtype)
    units: pd.Index           # code -> unit_id (object dtype)
    relations: tuple[str, ...]  # tie data code -> canonical relation
    kin: tuple[str, ...]    # tie data code -> kinship path from the row's person (or "")
    words: tuple[str, ...]  # tie data code -> the relation word as written (or "")
    forward: tuple[bool, ...]   # tie data code -> the word is the neighbour's side
    ties: Csr                 # person -> person (both directions)
    posts: pd.DataFrame       # person, unit (codes), title, top, start, end, end_from (row of
                              # the later post a blank end is inferred from, -1); by person
    post_rows: Csr            # person -> row numbers of ``posts``
    people_rows: np.ndarray   # code of each row of the people table
    unit_rows: np.ndarray     # code of each row of the units table

    def person_codes(self, ids: pd.Series) -> np.ndarray:
        return self.people.get_indexer(ids)

    def unit_codes(self, ids: pd.Series) -> np.ndarray:
        return self.units.get_indexer(ids)


def encode(*columns: pd.Series) -> tuple[pd.Index, list[np.ndarray]]:
    """Sorted distinct ids over all ``columns`` and each column as codes
    (-1 for missing), in one pass of Arrow's dictionary encoding."""
    arrays = [pa.array(c.to_numpy(dtype=object), type=pa.large_string(), from_pandas=True)
              for c in columns]
    encoded = pa.concat_arrays(arrays).dictionary_encode()
    order = np.asarray(pc.array_sort_indices(encoded.dictionary))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    raw = np.asarray(encoded.indices.fill_null(-1), dtype=np.int64)
    codes = np.where(raw >= 0, rank[np.maximum(raw, 0)], -1)
    ids = pd.Index(np.asarray(encoded.dictionary.take(pa.array(order)), dtype=object),
                   dtype=object)
    bounds = np.cumsum([0] + [len(c) for c in columns])
    return ids, [codes[lo:hi] for lo, hi in zip(bounds[:-1], bounds[1:])]


def build_index(tables: Tables, temporary_words: Sequence[str] | None = None) -> ConflictIndex:
    """The compact index of a dataset's people, units, ties and posts.
    ``temporary_words``: post titles that do not end an earlier post (tenure.py)."""
    people_t, posts_t, ties_t = tables["people"], tables["posts"], tables["ties"]
    people, (people_rows, post_person, a, b, _) = encode(
        people_t["person_id"], posts_t["person_id"], ties_t["person_a"], ties_t["person_b"],
        tables["team_members"]["person_id"])
    units, (unit_rows, post_unit) = encode(tables["units"]["unit_id"], posts_t["unit_id"])
    relation = ties_t["relation"].to_numpy(dtype=object)
    keep = (a >= 0) & (b >= 0) & (a != b) & pd.notna(relation)
    rel_codes, uniques = tie_labels(ties_t[keep])
    n = len(uniques)
    src = np.concatenate([a[keep], b[keep]])
    dst = np.concatenate([b[keep], a[keep]])
    data = np.concatenate([rel_codes, rel_codes + n]).astype(np.int32)
    tie_csr = Csr.from_edges(src, dst, data, len(people))
    both = [(rel, path, word, True) for rel, path, word in uniques]
    both += [(rel, _inverse(path), word, False) for rel, path, word in uniques]
    relations, kin, words, forward = (tuple(col) for col in zip(*both)) if both \
        else ((), (), (), ())
    posts = pd.DataFrame({
        "person": post_person, "unit": post_unit,
        "title": posts_t["title"].to_numpy(dtype=object),
        "top": posts_t["is_top_leader"].to_numpy(dtype=bool),
        "start": posts_t["start"].to_numpy(), "end": posts_t["end"].to_numpy(),
    })
    posts = posts[(posts["person"] >= 0) & (posts["unit"] >= 0)]
    order = np.lexsort((posts["start"].to_numpy(), posts["unit"].to_numpy(),
                        posts["person"].to_numpy()))
    posts = posts.iloc[order].reset_index(drop=True)
    # a blank end is ended by the person's next post elsewhere (tenure.py)
    end, end_from = infer_ends(posts["person"].to_numpy(), posts["unit"].to_numpy(),
                               posts["start"].to_numpy(), posts["end"].to_numpy(),
                               posts["title"].to_numpy(dtype=object), temporary_words)
    posts["end"], posts["end_from"] = end, end_from
    post_row = np.arange(len(posts))
    post_csr = Csr.from_edges(posts["person"].to_numpy(), post_row, post_row, len(people))
    return ConflictIndex(people, units, relations, kin, words, forward, tie_csr, posts,
                         post_csr, people_rows, unit_rows)


def tie_labels(ties: pd.DataFrame) -> tuple[np.ndarray, list[tuple[str, str, str]]]:
    """Each tie row's code into the sorted distinct (relation, kinship path,
    word as written).  A kinship relation without a path (given as a class,
    or pulled from Neo4j) takes the class's readings; no word reads "".
    Columns are factorised one by one: string operations on millions of
    object cells would take seconds."""
    n = len(ties)
    cols = [ties[c].to_numpy(dtype=object) if c in ties else np.full(n, None, dtype=object)
            for c in ("relation", "kinship", "relation_word")]
    codes, values = zip(*(pd.factorize(c, use_na_sentinel=True) for c in cols))
    key = np.zeros(n, dtype=np.int64)
    for c, v in zip(codes, values):
        key = key * (len(v) + 1) + (c + 1)
    combos, inverse = np.unique(key, return_inverse=True)
    labels = []
    for k in combos.tolist():
        parts = []
        for v in reversed(values):
            k, c = divmod(k, len(v) + 1)
            parts.append(v[c - 1] if c else None)
        rel, path, word = reversed(parts)
        labels.append((str(rel), path if isinstance(path, str) and path
                       else (class_path(str(rel)) or ""), word if isinstance(word, str) else ""))
    order = sorted(range(len(labels)), key=labels.__getitem__)
    rank = np.empty(len(order), dtype=np.int32)
    rank[order] = np.arange(len(order), dtype=np.int32)
    return rank[inverse.reshape(-1)] if n else np.zeros(0, np.int32), [labels[i] for i in order]


def _inverse(path: str) -> str:
    return kinship.inverse(kinship.stored(path)).encode() if path else ""


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
        raise InputError(unknown_round(rounds, round_id))
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


def round_tables(tables: Tables, ctx: RoundContext, max_hops: int) -> dict[str, pd.DataFrame]:
    """The part of a dataset a round's conflicts can reach: ties within
    ``max_hops`` of its members, the posts of its members and of everyone who
    ever held a post in its units, and those people.  Indexing only this keeps
    a province-wide round to a few seconds."""
    members = set(ctx.members["person_id"].dropna())
    ties = tables["ties"]
    reach, kept = set(members), ties.iloc[:0]
    for _ in range(max_hops):
        kept = ties[ties["person_a"].isin(reach) | ties["person_b"].isin(reach)]
        reach |= set(kept["person_a"]) | set(kept["person_b"])
    posts = tables["posts"]
    holders = set(posts.loc[posts["unit_id"].isin(ctx.units["unit_id"]), "person_id"])
    posts = posts[posts["person_id"].isin(members | holders)]
    people = tables["people"]
    people = people[people["person_id"].isin(reach | holders)]
    return {**tables, "ties": kept, "posts": posts, "people": people}


def rotation_regions(regions: pd.DataFrame, homes) -> dict[str, str]:
    """region_id -> the region a cross-inspection rotates over: the nearest
    region, itself or above, that is some team's home region.  Teams sent
    by counties inspect counties, so a township's units count as their
    county's; a region under no home region stays itself."""
    homes = {h for h in homes if isinstance(h, str)}
    return {rid: next((r for r in chain if r in homes), rid)
            for rid, chain in region_ancestors(regions).items()}


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
