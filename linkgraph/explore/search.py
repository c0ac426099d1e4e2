"""Search every node by name, id or pinyin initials (张伟 / P0012 / zw).

Three small indexes over the whole graph, built once with whole-array numpy
passes, so a query touches only its candidates:

* names: an inverted index character -> entries (CSR); a query's rarest
  character gives the candidates, which are checked with ``in``;
* ids: the sorted lower-case ids, matched by prefix with ``searchsorted``;
* pinyin initials of names (``pypinyin``, one reading per character, computed
  once per distinct character), matched exactly or by prefix.

Results are ranked exact id, exact name, name prefix, exact initials, name
contains, initials prefix, id prefix; then by label, then by key.  People
are never merged by name: every 张伟 is its own result.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from linkgraph.explore.index import LABEL_TABLES, GraphIndex, _arrow_text, fixed_bytes

#: The column holding a label's searchable name (ids are always searchable).
NAME_COLUMNS: dict[str, str] = {
    "Region": "name", "Unit": "name", "Person": "name", "Round": "name", "Team": "name",
    "Department": "name", "Category": "name",
}
#: Order of labels among equally good matches.
LABEL_RANK = ("Person", "Unit", "Department", "Team", "Round", "Region", "Problem", "Lead",
              "AuditFinding", "Petition", "Measure", "Category", "Result", "Review", "Talk",
              "Visit", "SupervisionInfo", "SelfCheck")
MAX_INDEXED_CHARS = 40

EXACT_ID, EXACT_NAME, NAME_PREFIX, EXACT_INITIALS, NAME_CONTAINS, INITIALS_PREFIX, ID_PREFIX = (
    range(7))


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


def _as_matrix(texts: list[str]) -> np.ndarray:
    """(n, L) uint32 code points, zero padded."""
    if not texts:
        return np.zeros((0, 1), dtype=np.uint32)
    arr = np.asarray([t[:MAX_INDEXED_CHARS] for t in texts], dtype=str)
    width = max(arr.dtype.itemsize // 4, 1)
    arr = arr.astype(f"<U{width}")
    return np.ascontiguousarray(arr).view(np.uint32).reshape(len(texts), width)


def _as_strings(matrix: np.ndarray) -> np.ndarray:
    """Rows of code points (zeros dropped, order kept) as numpy strings."""
    if matrix.size == 0:
        return np.asarray([""] * len(matrix), dtype=str)
    order = np.argsort(matrix == 0, axis=1, kind="stable")
    packed = np.ascontiguousarray(np.take_along_axis(matrix, order, axis=1))
    return packed.view(f"<U{matrix.shape[1]}").ravel()


@cache
def _readings() -> dict[str, str]:
    """pypinyin's character table (code point -> readings, the usual one first), read
    from its data file: importing pypinyin itself loads its phrase dictionary and trains
    its segmenter (≈ 2 s of a start-up), which a character's initial does not need."""
    import importlib.util
    import json
    from pathlib import Path

    spec = importlib.util.find_spec("pypinyin")
    assert spec is not None and spec.submodule_search_locations
    path = Path(list(spec.submodule_search_locations)[0]) / "pinyin_dict.json"
    return json.loads(path.read_text("utf-8"))


def _initial(cp: int) -> int:
    """The pinyin initial of a Han character (the first letter of its usual reading, as
    ``lazy_pinyin(ch, style=FIRST_LETTER)`` gives it); an ASCII letter or digit itself."""
    ch = chr(cp)
    if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf":
        reading = _readings().get(str(cp), "").split(",")[0]
        first = unicodedata.normalize("NFD", reading)[:1].lower()
        return ord(first) if first else 0
    return cp if ch.isascii() and ch.isalnum() else 0


@dataclass(frozen=True, eq=False)
class SearchIndex:
    node: np.ndarray          # int32 node code of each entry
    names: np.ndarray         # object: normalised name ('' when none)
    char_keys: np.ndarray     # uint32 sorted distinct code points
    char_ptr: np.ndarray      # int64 CSR pointers into char_entries
    char_entries: np.ndarray  # int32 entries
    ids: np.ndarray           # sorted normalised ids (UTF-8 bytes, numpy S)
    id_entries: np.ndarray
    initials: np.ndarray      # sorted initials (numpy str)
    initial_entries: np.ndarray

    def _prefix(self, sorted_values: np.ndarray, entries: np.ndarray,
                q: str) -> tuple[np.ndarray, np.ndarray]:
        """(entries whose value equals q, entries whose value starts with q)."""
        if sorted_values.dtype.kind == "S":      # UTF-8 bytes (ids): 0xff is no UTF-8 byte
            width = sorted_values.dtype.itemsize
            qb = q.encode("utf-8")
            if len(qb) > width:
                return entries[:0], entries[:0]
            key = np.array([qb], dtype=sorted_values.dtype)
            lo = int(np.searchsorted(sorted_values, key, side="left")[0])
            eq_hi = int(np.searchsorted(sorted_values, key, side="right")[0])
            hi = eq_hi if len(qb) == width else int(np.searchsorted(
                sorted_values, np.array([qb + b"\xff"], dtype=sorted_values.dtype))[0])
            return entries[lo:eq_hi], entries[lo:hi]
        lo_, hi_ = np.searchsorted(sorted_values, [q, q + "\U0010ffff"], side="left")
        eq_hi_ = np.searchsorted(sorted_values, q, side="right")
        return entries[lo_:eq_hi_], entries[lo_:hi_]

    def _name_candidates(self, q: str) -> np.ndarray:
        """Entries whose name holds every character of ``q``: the rarest character's
        posting, narrowed by the others' (postings are sorted by entry)."""
        postings = []
        for ch in sorted(set(q[:MAX_INDEXED_CHARS])):
            i = np.searchsorted(self.char_keys, ord(ch))
            if i >= len(self.char_keys) or self.char_keys[i] != ord(ch):
                return np.empty(0, dtype=np.int32)
            postings.append(self.char_entries[self.char_ptr[i]:self.char_ptr[i + 1]])
        if not postings:
            return np.empty(0, dtype=np.int32)
        postings.sort(key=len)
        best = postings[0]
        for other in postings[1:]:
            if len(best) < 64:          # few enough to check as text
                break
            at = np.minimum(np.searchsorted(other, best), len(other) - 1)
            best = best[other[at] == best]
        return best

    def search(self, query: str, cap: int = 5000) -> tuple[list[tuple[int, int]], bool]:
        """Matches as (rank, entry), best first (see the module docstring), and
        whether some were left out (more than ``cap`` from one source)."""
        q = normalise(query)
        if not q:
            return [], False
        rank: dict[int, int] = {}
        more = False

        def offer(entries: np.ndarray, r: int) -> None:
            nonlocal more
            if len(entries) > cap:
                more, entries = True, entries[:cap]
            for e in entries.tolist():
                if r < rank.get(e, 99):
                    rank[e] = r

        exact_id, id_prefix = self._prefix(self.ids, self.id_entries, q)
        offer(exact_id, EXACT_ID)
        offer(id_prefix, ID_PREFIX)
        if q.isascii() and q.isalpha():
            exact_ini, ini_prefix = self._prefix(self.initials, self.initial_entries, q)
            offer(exact_ini, EXACT_INITIALS)
            offer(ini_prefix, INITIALS_PREFIX)
        names = self.names
        candidates = self._name_candidates(q)
        if len(candidates) > 20 * cap:
            more, candidates = True, candidates[:20 * cap]
        if len(candidates):
            texts = np.asarray(names[candidates].tolist(), dtype=str)
            exact = texts == q
            prefix = np.char.startswith(texts, q) & ~exact
            inside = (np.char.find(texts, q) >= 0) & ~exact & ~prefix
            offer(candidates[exact], EXACT_NAME)
            offer(candidates[prefix], NAME_PREFIX)
            offer(candidates[inside], NAME_CONTAINS)
        return sorted((r, e) for e, r in rank.items()), more


def _lower(values: pa.Array) -> np.ndarray:
    """NFKC (the loaders already normalise) and lower-case, as Python strings."""
    return pc.utf8_lower(values).fill_null("").to_numpy(zero_copy_only=False).astype(object)


def build_search(index: GraphIndex) -> SearchIndex:
    """The search index of every node of ``index``."""
    n = index.n_nodes
    names = np.full(n, "", dtype=object)
    lowered = []                                       # in code order (by_label's)
    for label, (offset, label_ids) in index.by_label.items():
        lowered.append(pc.cast(pc.utf8_lower(label_ids).fill_null(""), pa.large_string()))
        column = NAME_COLUMNS.get(label)
        if column is None or not len(label_ids):
            continue
        if label == "Category":
            values = label_ids
        else:
            values = _arrow_text(index.tables[LABEL_TABLES[label]][column])
        names[offset:offset + len(label_ids)] = _lower(values)
    # entries in (label rank, key) order, so equal ranks come out in that order; a label's
    # keys share their prefix, so its ids' order is its keys' (Arrow sorts UTF-8 bytes,
    # which is code point order, as numpy compares strings; both sorts are stable)
    parts = [offset + pc.sort_indices(label_ids).to_numpy().astype(np.int64)
             for offset, label_ids in (index.by_label[lab] for lab in
                                       sorted(index.by_label, key=LABEL_RANK.index))]
    order = (np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)).astype(np.int32)
    names = names[order]
    ids_all = (pa.concat_arrays(lowered) if lowered else pa.array([], type=pa.large_string()))
    ids_text = ids_all.take(pa.array(order))
    id_order = pc.sort_indices(ids_text).to_numpy().astype(np.int64)
    ids = fixed_bytes(ids_text.take(pa.array(id_order)))
    named = np.flatnonzero(names != "")                # only these have characters
    matrix = _as_matrix(names[named].tolist())
    rows, cols = np.nonzero(matrix)
    cps = matrix[rows, cols].astype(np.int64)
    entries = named[rows].astype(np.int64)
    pair = np.unique(cps * max(n, 1) + entries)       # (code point, entry), sorted, distinct
    pair_cp, pair_entry = pair // max(n, 1), pair % max(n, 1)
    char_keys, starts = np.unique(pair_cp, return_index=True)
    char_ptr = np.append(starts, len(pair)).astype(np.int64)
    lookup = np.asarray([_initial(int(c)) for c in char_keys], dtype=np.uint32)
    initial_matrix = np.zeros_like(matrix)
    nz = matrix != 0
    initial_matrix[nz] = lookup[np.searchsorted(char_keys, matrix[nz])]
    initials = _as_strings(initial_matrix)
    has = np.char.str_len(initials) > 0
    ini_entries = named[has].astype(np.int32)
    by_initials = np.argsort(initials[has], kind="stable")
    initials, ini_order = initials[has][by_initials], ini_entries[by_initials]
    return SearchIndex(
        node=order, names=names, char_keys=char_keys.astype(np.uint32), char_ptr=char_ptr,
        char_entries=pair_entry.astype(np.int32), ids=ids,
        id_entries=id_order.astype(np.int32), initials=initials,
        initial_entries=ini_order)
