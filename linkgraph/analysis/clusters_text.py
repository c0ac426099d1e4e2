"""Near-identical problems: Chinese descriptions that say the same thing in
different words across units ("公务接待超标准", "超标准公务接待", …).

Descriptions are compared as character 2- and 3-gram TF-IDF vectors (no word
segmenter and no model to download: Chinese has no spaces, and character
n-grams already capture the shared words).  The vectoriser is a few numpy
operations over all texts at once, so two million descriptions take seconds.
Pairs are only formed inside one category, from texts that share an n-gram
that is not common in that category; their exact cosine decides.  Texts
joined by a similarity of at least ``similarity`` form a cluster when their
problems span at least ``min_units`` units.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from linkgraph.analysis.clusters_stats import Candidate

#: code points kept: CJK ideographs, Latin letters and digits
_KEEP = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A))


def _codes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Flat array of kept code points and the text each belongs to."""
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    flat = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    doc = np.repeat(np.arange(len(texts)), lengths)
    keep = np.zeros(len(flat), dtype=bool)
    for lo, hi in _KEEP:
        keep |= (flat >= lo) & (flat <= hi)
    return flat[keep], doc[keep]


#: n-grams are hashed into 2**HASH_BITS columns (collisions among the few
#: million distinct n-grams of a province are negligible)
HASH_BITS = 24


def _hash(codes: np.ndarray) -> np.ndarray:
    """Multiplicative (Fibonacci) hashing of int64 n-gram codes to columns."""
    mixed = codes.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    return (mixed >> np.uint64(64 - HASH_BITS)).astype(np.int64)


def ngram_matrix(texts: Sequence[str], ns: tuple[int, ...] = (2, 3)) -> sparse.csr_matrix:
    """Rows = texts, L2-normalised sublinear TF-IDF over character n-grams."""
    flat, doc = _codes(texts)
    grams, owners = [], []
    for n in ns:
        if len(flat) < n:
            continue
        same = doc[: len(doc) - n + 1] == doc[n - 1:]
        code = np.zeros(len(flat) - n + 1, dtype=np.int64)
        for j in range(n):
            code |= flat[j: len(flat) - n + 1 + j] << (21 * j)
        grams.append(code[same])
        owners.append(doc[: len(doc) - n + 1][same])
    if not grams or not sum(len(g) for g in grams):
        return sparse.csr_matrix((len(texts), 0))
    cols = _hash(np.concatenate(grams))
    used = np.zeros(1 << HASH_BITS, dtype=bool)
    used[cols] = True
    compact = np.cumsum(used) - 1     # hashed column -> dense column number
    rows = np.concatenate(owners)
    X = sparse.csr_matrix((np.ones(len(rows)), (rows, compact[cols])),
                          shape=(len(texts), int(used.sum())))
    X.sum_duplicates()
    df = np.bincount(X.indices, minlength=X.shape[1])
    idf = np.log((1 + X.shape[0]) / (1 + df)) + 1.0
    X.data = (1.0 + np.log(X.data)) * idf[X.indices]
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms) @ X


def similar_pairs(X: sparse.csr_matrix, threshold: float, *, max_df: float = 0.01,
                  prefilter: float = 0.6, top_k: int = 30,
                  chunk: int = 2000) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(i, j, cosine) with i < j and cosine ≥ threshold.

    Candidates are found on the *rarer* n-grams only (held by at most
    max(20, max_df × rows) texts): their part of the cosine is a lower bound
    of the whole, and a pair is checked exactly when that part reaches
    ``prefilter × threshold`` (at most ``top_k`` per text).  Common n-grams
    carry little weight after IDF, so this loses little and keeps the work
    proportional to the texts, not to their square."""
    n = X.shape[0]
    empty = np.array([], dtype=np.int64)
    if n < 2:
        return empty, empty, np.array([])
    df = np.bincount(X.indices, minlength=X.shape[1])
    rare = sparse.diags((df <= max(20, max_df * n)).astype(float))
    P = (X @ rare).tocsr()
    P.eliminate_zeros()
    PT = P.T.tocsr()
    out_i, out_j = [], []
    for lo in range(0, n, chunk):
        S = sparse.triu(P[lo: lo + chunk] @ PT, k=lo + 1).tocsr()
        keep = S.data >= prefilter * threshold
        rows = np.repeat(np.arange(S.shape[0]), np.diff(S.indptr))[keep]
        i, j = _top_k(rows, S.indices[keep], S.data[keep], top_k)
        out_i.append(i + lo)
        out_j.append(j)
    i, j = np.concatenate(out_i), np.concatenate(out_j)
    cos = np.asarray(X[i].multiply(X[j]).sum(axis=1)).ravel() if len(i) else np.array([])
    keep = cos >= threshold - 1e-12
    return i[keep], j[keep], cos[keep]


def _top_k(rows: np.ndarray, cols: np.ndarray, values: np.ndarray,
           k: int) -> tuple[np.ndarray, np.ndarray]:
    """The (row, col) pairs of each row's ``k`` largest values (all if fewer)."""
    counts = np.bincount(rows) if len(rows) else np.array([], dtype=np.int64)
    if counts.max(initial=0) <= k:
        return rows, cols
    order = np.lexsort((-values, rows))
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    rank = np.arange(len(order)) - np.repeat(starts, counts)
    chosen = order[rank < k]
    return rows[chosen], cols[chosen]


def near_duplicates(problems: pd.DataFrame, *, similarity: float = 0.5,
                    min_units: int = 5) -> list[Candidate]:
    """Groups of near-identical descriptions within a category spanning at
    least ``min_units`` units."""
    p = problems[["problem_id", "unit_id", "category", "description"]].dropna()
    if p.empty:
        return []
    texts = p[["category", "description"]].drop_duplicates()
    texts = texts.sort_values(["category", "description"]).reset_index(drop=True)
    p = p.merge(texts.reset_index(names="text"), on=["category", "description"])
    X = ngram_matrix(texts["description"].tolist())
    label = np.full(len(texts), -1, dtype=np.int64)
    edges = []
    for _, block in texts.groupby("category", sort=True):
        idx = block.index.to_numpy()
        i, j, cos = similar_pairs(X[idx], similarity)
        n_comp, comp = connected_components(
            sparse.coo_matrix((np.ones(len(i)), (i, j)), shape=(len(idx), len(idx))),
            directed=False)
        label[idx] = comp + label.max() + 1
        edges.append(pd.DataFrame({"label": label[idx[i]], "cos": cos}))
    p["label"] = label[p["text"].to_numpy()]
    spread = p.groupby("label")["unit_id"].nunique()
    p = p[p["label"].isin(spread.index[spread >= min_units])]
    if p.empty:
        return []
    sims = pd.concat(edges).groupby("label")["cos"].mean()
    return _candidates(p, texts, sims)


def _candidates(p: pd.DataFrame, texts: pd.DataFrame, sims: pd.Series) -> list[Candidate]:
    """One candidate per component label, built with whole-frame group-bys."""
    p = p.sort_values(["label", "problem_id"])
    problem_ids = p.groupby("label", sort=True)["problem_id"].agg(tuple)
    units = p[["label", "unit_id"]].drop_duplicates().sort_values(["label", "unit_id"])
    unit_ids = units.groupby("label", sort=True)["unit_id"].agg(tuple)
    used = p.groupby(["label", "text"], sort=True).size().rename("n").reset_index()
    used["description"] = texts["description"].to_numpy()[used["text"].to_numpy()]
    used["length"] = used["description"].str.len()
    used = used.sort_values(["label", "n", "length", "description"],
                            ascending=[True, False, True, True])
    phrase = used.groupby("label", sort=True)["description"].first()
    wordings = used.sort_values(["label", "description"]).groupby("label", sort=True)[
        "description"].agg(lambda s: tuple(s)[:20])
    variants = used.groupby("label", sort=True).size()
    category = p.groupby("label", sort=True)["category"].first()
    out = []
    for lab in problem_ids.index:
        coherence = float(sims.get(lab, 1.0))
        out.append(Candidate("near_duplicate", category[lab], unit_ids[lab], problem_ids[lab],
                             len(unit_ids[lab]) * coherence,
                             detail={"phrase": phrase[lab], "variants": int(variants[lab]),
                                     "similarity": round(coherence, 3),
                                     "wordings": wordings[lab]}))
    return out
