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
    vocab, cols = np.unique(np.concatenate(grams), return_inverse=True)
    rows = np.concatenate(owners)
    X = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(texts), len(vocab)))
    X.sum_duplicates()
    df = np.bincount(X.indices, minlength=X.shape[1])
    idf = np.log((1 + X.shape[0]) / (1 + df)) + 1.0
    X.data = (1.0 + np.log(X.data)) * idf[X.indices]
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms) @ X


def similar_pairs(X: sparse.csr_matrix, threshold: float, *, max_df: float = 0.05,
                  top_k: int = 50, chunk: int = 4000) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(i, j, cosine) with i < j and cosine ≥ threshold.  Candidates share an
    n-gram held by at most max(20, max_df × rows) texts; at most ``top_k``
    candidates per text are checked exactly."""
    n = X.shape[0]
    if n < 2:
        return np.array([], int), np.array([], int), np.array([])
    df = np.bincount(X.indices, minlength=X.shape[1])
    rare = sparse.diags((df <= max(20, max_df * n)).astype(float))
    P = (X @ rare).tocsr()
    P.eliminate_zeros()
    PT = P.T.tocsr()
    out_i, out_j = [], []
    for lo in range(0, n, chunk):
        S = (P[lo: lo + chunk] @ PT).tocsr()
        i, j = _top_k(S, top_k)
        i = i + lo
        mask = i < j
        out_i.append(i[mask])
        out_j.append(j[mask])
    i, j = np.concatenate(out_i), np.concatenate(out_j)
    cos = np.asarray(X[i].multiply(X[j]).sum(axis=1)).ravel()
    keep = cos >= threshold - 1e-12
    return i[keep], j[keep], cos[keep]


def _top_k(S: sparse.csr_matrix, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column of each row's ``k`` largest entries (all if fewer)."""
    counts = np.diff(S.indptr)
    rows = np.repeat(np.arange(S.shape[0]), counts)
    if counts.max(initial=0) <= k:
        return rows, S.indices.copy()
    order = np.lexsort((-S.data, rows))
    rank = np.arange(len(order)) - np.repeat(S.indptr[:-1], counts)
    chosen = order[rank < k]
    return rows[chosen], S.indices[chosen]


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
    wide = spread.index[spread >= min_units]
    sims = pd.concat(edges).groupby("label")["cos"].mean() if edges else pd.Series(dtype=float)
    return [_candidate(g, texts, sims.get(lab, 1.0))
            for lab, g in p[p["label"].isin(wide)].groupby("label", sort=True)]


def _candidate(group: pd.DataFrame, texts: pd.DataFrame, coherence: float) -> Candidate:
    units = tuple(sorted(group["unit_id"].unique()))
    used = group.groupby("text").size()
    wordings = texts.loc[used.index, "description"]
    phrase = min(zip(-used.to_numpy(), wordings.str.len(), wordings))[2]
    return Candidate("near_duplicate", group["category"].iloc[0], units,
                     tuple(sorted(group["problem_id"])), len(units) * float(coherence),
                     detail={"phrase": phrase, "variants": len(used),
                             "similarity": round(float(coherence), 3),
                             "wordings": tuple(sorted(wordings))[:20]})
