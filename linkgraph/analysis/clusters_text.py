"""Near-identical problems: Chinese descriptions that say the same thing in
different words across units ("公务接待超标准", "超标准公务接待", …).

Descriptions are compared as character 2- and 3-gram TF-IDF vectors (no word
segmenter and no model to download: Chinese has no spaces, and character
n-grams already capture the shared words).  The vectoriser is a few numpy
operations over all texts at once (hashed n-grams, sparse matrices), so two
million descriptions take seconds, with no scikit-learn.

What is looked for is a *specific* failing written in several ways, not the
routine wording every ledger repeats ("会议记录不完整" in every category's
texts is the category itself, which the over-representation test covers).
So, inside each category: a text is *unusual* when at most ``max_common`` of
its n-grams are common in the category (held by ≥ ``common_share`` of its
texts); unusual texts whose cosine is at least ``similarity`` are linked,
and a connected group whose problems span at least ``min_units`` units is a
near-duplicate cluster.  On generated ledgers the paraphrases of a planted
failing have 10–50 % common n-grams while 99.9 % of routine texts have more
than 60 % (bench/score_analyses.py measures the result).
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
    """Flat array of kept code points (uint64) and the text each belongs to."""
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    flat = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
    keep = np.zeros(len(flat), dtype=bool)
    for lo, hi in _KEEP:
        keep |= (flat >= lo) & (flat <= hi)
    doc = np.repeat(np.arange(len(texts)), lengths)[keep]
    return flat[keep].astype(np.uint64), doc


#: n-grams are hashed into 2**HASH_BITS columns (collisions among the few
#: million distinct n-grams of a province are negligible)
HASH_BITS = 24


def _hash(codes: np.ndarray) -> np.ndarray:
    """Multiplicative (Fibonacci) hashing of uint64 n-gram codes to columns."""
    codes *= np.uint64(0x9E3779B97F4A7C15)
    codes >>= np.uint64(64 - HASH_BITS)
    return codes.view(np.int64)


def _grams(flat: np.ndarray, doc: np.ndarray, ns: tuple[int, ...]) -> tuple[np.ndarray,
                                                                          np.ndarray]:
    """(row, hashed column) of every n-gram, in row order: the n-grams
    starting at each position are interleaved, so no sort is needed."""
    L = len(flat)
    codes = np.zeros((L, len(ns)), dtype=np.uint64)
    valid = np.zeros((L, len(ns)), dtype=bool)
    for k, n in enumerate(ns):
        if L < n:
            continue
        m = L - n + 1
        code = flat[:m].copy()
        for j in range(1, n):
            code |= flat[j: m + j] << np.uint64(21 * j)
        codes[:m, k] = code
        valid[:m, k] = doc[:m] == doc[n - 1:]
    keep = valid.ravel()
    return np.repeat(doc, len(ns))[keep], _hash(codes.ravel()[keep])


def ngram_matrix(texts: Sequence[str], ns: tuple[int, ...] = (2, 3)) -> sparse.csr_matrix:
    """Rows = texts, L2-normalised sublinear TF-IDF over character n-grams."""
    flat, doc = _codes(texts)
    rows, cols = _grams(flat, doc, ns)
    if not len(rows):
        return sparse.csr_matrix((len(texts), 0))
    used = np.zeros(1 << HASH_BITS, dtype=bool)
    used[cols] = True
    compact = np.cumsum(used) - 1     # hashed column -> dense column number
    indptr = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=len(texts)), out=indptr[1:])
    X = sparse.csr_matrix((np.ones(len(rows)), compact[cols], indptr),
                          shape=(len(texts), int(used.sum())))
    X.sum_duplicates()
    df = np.bincount(X.indices, minlength=X.shape[1])
    idf = np.log((1 + X.shape[0]) / (1 + df)) + 1.0
    X.data = (1.0 + np.log(X.data)) * idf[X.indices]
    lengths = np.diff(X.indptr)
    sums = np.zeros(len(texts))
    nonempty = lengths > 0
    sums[nonempty] = np.add.reduceat(X.data ** 2, X.indptr[:-1][nonempty])
    X.data /= np.repeat(np.sqrt(np.where(sums > 0, sums, 1.0)), lengths)
    return X


#: an n-gram held by fewer texts than this is never *common*: the handful of
#: paraphrases of one failing (a cluster of 5 units has 5–10 texts) must not
#: make their own words common in a small category.  At 5 the planted
#: failings of 3 of 5 generated counties were missed; at 8 all were found
#: with no spurious cluster (bench/score_analyses.py, county seeds 1–5).
COMMON_MIN = 8


def template_share(X: sparse.csr_matrix, common_share: float,
                   common_min: int = COMMON_MIN) -> np.ndarray:
    """Per text: the share of its distinct n-grams that are *common* in the
    block (held by at least max(common_min, common_share × texts) texts)."""
    present = X.copy()
    present.data[:] = 1.0
    df = np.bincount(present.indices, minlength=X.shape[1])
    common = (df >= max(common_min, common_share * X.shape[0])).astype(float)
    hits = np.asarray((present @ sparse.diags(common)).sum(axis=1)).ravel()
    return hits / np.maximum(np.diff(present.indptr), 1)


def unusual_groups(X: sparse.csr_matrix, *, similarity: float, common_share: float,
                   max_common: float, common_min: int = COMMON_MIN
                   ) -> tuple[np.ndarray, pd.Series]:
    """Component label per text (-1 = none) and the mean link similarity per
    component: texts of unusual wording (at most ``max_common`` of their
    n-grams common in the block) linked where their cosine ≥ ``similarity``."""
    n = X.shape[0]
    seeds = np.flatnonzero(template_share(X, common_share, common_min) <= max_common)
    label = np.full(n, -1, dtype=np.int64)
    if len(seeds) < 2:
        return label, pd.Series(dtype=float)
    S = (X[seeds] @ X[seeds].T).tocoo()
    i, j, v = seeds[S.row], seeds[S.col], S.data
    keep = (i < j) & (v >= similarity)
    i, j, v = i[keep], j[keep], v[keep]
    graph = sparse.coo_matrix((np.ones(len(i)), (i, j)), shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    touched = np.zeros(n, dtype=bool)
    touched[i] = touched[j] = True
    label[touched] = comp[touched]
    means = pd.Series(v).groupby(comp[i]).mean() if len(i) else pd.Series(dtype=float)
    return label, means


def near_duplicates(problems: pd.DataFrame, *, similarity: float = 0.15,
                    common_share: float = 0.005, max_common: float = 0.5,
                    min_units: int = 5, common_min: int = COMMON_MIN) -> list[Candidate]:
    """Groups of near-identical descriptions within a category spanning at
    least ``min_units`` units."""
    p = problems[["problem_id", "unit_id", "category", "description"]].dropna()
    if p.empty:
        return []
    codes, _ = pd.factorize(p["category"] + "\x1f" + p["description"])
    _, first = np.unique(codes, return_index=True)      # texts in order of appearance
    texts = p.iloc[first][["category", "description"]].reset_index(drop=True)
    p = p.assign(text=codes)
    X = ngram_matrix(texts["description"].tolist())
    label = np.full(len(texts), -1, dtype=np.int64)
    sims, offset = {}, 0
    for _, block in texts.groupby("category", sort=True):
        idx = block.index.to_numpy()
        comp, means = unusual_groups(X[idx], similarity=similarity,
                                     common_share=common_share, max_common=max_common,
                                     common_min=common_min)
        label[idx] = np.where(comp >= 0, comp + offset, -1)
        sims.update({k + offset: float(m) for k, m in means.items()})
        offset += len(idx)
    p["label"] = label[p["text"].to_numpy()]
    p = p[p["label"] >= 0]
    spread = p.groupby("label")["unit_id"].nunique()
    p = p[p["label"].isin(spread.index[spread >= min_units])]
    if p.empty:
        return []
    return _candidates(p, texts, pd.Series(sims, dtype=float))


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
