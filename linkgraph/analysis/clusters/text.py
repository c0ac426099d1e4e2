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
from dataclasses import dataclass
from functools import cache, cached_property

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from linkgraph.analysis.clusters.stats import Candidate

#: code points kept: CJK ideographs, Latin letters and digits
_KEEP = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A))


@cache
def _kept() -> np.ndarray:
    """Per code point (all of Unicode): kept or not — one lookup per character."""
    table = np.zeros(0x110000, dtype=bool)
    for lo, hi in _KEEP:
        table[lo:hi + 1] = True
    return table


def _codes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Flat array of kept code points (uint64) and the text each belongs to."""
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    flat = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
    keep = _kept()[flat]
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


#: an n-gram held by fewer texts than this is never *common*: the handful of
#: paraphrases of one failing (a cluster of 5 units has 5–10 texts) must not
#: make their own words common in a small category.  At 5 the planted
#: failings of 3 of 5 generated counties were missed; at 8 all were found
#: with no spurious cluster (bench/score_analyses.py, county seeds 1–5).
COMMON_MIN = 8


@dataclass
class Grams:
    """The distinct hashed n-grams of each of ``n`` texts: ``keys`` sorted,
    ``row << HASH_BITS | column`` each, text ``i``'s in
    ``keys[bounds[i]:bounds[i + 1]]``; ``counts`` (how often each occurs in
    its text) only when asked for."""

    n: int
    keys: np.ndarray
    bounds: np.ndarray
    counts: np.ndarray | None

    @cached_property
    def cols(self) -> np.ndarray:
        return self.keys & ((1 << HASH_BITS) - 1)

    def presence(self) -> np.ndarray:
        """Per hashed n-gram: how many texts hold it (document frequency)."""
        return np.bincount(self.cols, minlength=1 << HASH_BITS)

    def template_share(self, common_share: float, common_min: int = COMMON_MIN,
                       presence: np.ndarray | None = None) -> np.ndarray:
        """See ``template_share``; ``presence`` if already counted."""
        df = self.presence() if presence is None else presence
        common = df >= max(common_min, common_share * self.n)
        running = np.zeros(len(self.keys) + 1, dtype=np.int64)
        np.cumsum(common[self.cols], out=running[1:])
        hits = running[self.bounds[1:]] - running[self.bounds[:-1]]
        return hits / np.maximum(np.diff(self.bounds), 1)

    def matrix(self) -> sparse.csr_matrix:
        """Counts as a CSR matrix (canonical: sorted, no duplicates)."""
        if self.counts is None:
            raise ValueError("grams(..., counts=True) for a matrix")
        X = sparse.csr_matrix((self.counts.astype(np.float64), self.cols.astype(np.int32),
                               self.bounds), shape=(self.n, 1 << HASH_BITS))
        X.has_canonical_format = True
        return X


def grams(texts: Sequence[str], ns: tuple[int, ...] = (2, 3), *, counts: bool = True) -> Grams:
    """Every text's distinct hashed character n-grams of sizes ``ns``.

    One key per n-gram, ``row << HASH_BITS | column``, one sort, and runs of
    equal keys are a text's repeated n-gram: no sparse matrix to sort row by
    row, no 2-D scratch arrays (a province's 1.9 M descriptions hold about
    275 M n-grams)."""
    flat, doc = _codes(texts)
    parts = []
    code = flat
    for size in range(2, max(ns, default=0) + 1):
        m = len(flat) - size + 1
        if m <= 0:
            break
        # the code of the n-gram starting at i: the (n-1)-gram's, plus one character
        code = code[:m] | (flat[size - 1:] << np.uint64(21 * (size - 1)))
        if size in ns:
            same = doc[:m] == doc[size - 1:]
            key = doc[:m][same] << HASH_BITS
            key |= _hash(code[same])
            parts.append(key)
    del code, flat, doc
    keys = np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)
    del parts
    keys.sort()
    first = np.ones(len(keys), dtype=bool)
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    found = None
    if counts:
        starts = np.flatnonzero(first)
        found = np.diff(starts, append=len(keys))
        keys = keys[starts]
    else:
        keys = keys[first]
    bounds = np.searchsorted(keys, np.arange(len(texts) + 1, dtype=np.int64) << HASH_BITS)
    return Grams(len(texts), keys, bounds, found)


def weigh(C: sparse.csr_matrix, df: np.ndarray, n_docs: int) -> sparse.csr_matrix:
    """Counts → L2-normalised sublinear TF-IDF, IDF from ``df`` over ``n_docs``."""
    X = C.astype(np.float64, copy=True)
    idf = np.log((1 + n_docs) / (1 + df[X.indices])) + 1.0
    X.data = (1.0 + np.log(X.data)) * idf
    lengths = np.diff(X.indptr)
    sums = np.zeros(X.shape[0])
    nonempty = lengths > 0
    sums[nonempty] = np.add.reduceat(X.data ** 2, X.indptr[:-1][nonempty])
    X.data /= np.repeat(np.sqrt(np.where(sums > 0, sums, 1.0)), lengths)
    return X


def ngram_matrix(texts: Sequence[str], ns: tuple[int, ...] = (2, 3)) -> sparse.csr_matrix:
    """Rows = texts, L2-normalised sublinear TF-IDF over character n-grams."""
    g = grams(texts, ns)
    return weigh(g.matrix(), g.presence(), len(texts))


def template_share(X: sparse.csr_matrix, common_share: float,
                   common_min: int = COMMON_MIN) -> np.ndarray:
    """Per text: the share of its distinct n-grams that are *common* in the
    block (held by at least max(common_min, common_share × texts) texts)."""
    if not X.has_canonical_format:
        X = X.copy()
        X.sum_duplicates()
    rows = np.repeat(np.arange(X.shape[0], dtype=np.int64), np.diff(X.indptr))
    keys = (rows << HASH_BITS) | X.indices
    return Grams(X.shape[0], keys, X.indptr, X.data).template_share(common_share, common_min)


def link_seeds(Xs: sparse.csr_matrix, seeds: np.ndarray, n: int,
               similarity: float) -> tuple[np.ndarray, pd.Series]:
    """Component label per text of a block of ``n`` (-1 = none) and the mean
    link similarity per component: the unusual texts ``seeds`` (their TF-IDF
    rows ``Xs``) linked where their cosine ≥ ``similarity``."""
    label = np.full(n, -1, dtype=np.int64)
    if len(seeds) < 2:
        return label, pd.Series(dtype=float)
    S = (Xs @ Xs.T).tocoo()
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
    # one code per distinct (category, description), in order of appearance
    category, _ = pd.factorize(p["category"])
    description, kinds = pd.factorize(p["description"])
    codes, _ = pd.factorize(category.astype(np.int64) * len(kinds) + description)
    _, first = np.unique(codes, return_index=True)      # texts in order of appearance
    texts = p.iloc[first][["category", "description"]].reset_index(drop=True)
    p = p.assign(text=codes)
    # One pass over the categories: each block's n-gram counts give the
    # global document frequencies and the block's unusual texts; only those
    # few are weighted and compared.  (The whole TF-IDF matrix of a
    # province's 1.9 M descriptions took 19 GB and a minute.)
    df = np.zeros(1 << HASH_BITS, dtype=np.int64)
    blocks = []
    for _, block in texts.groupby("category", sort=True):
        idx = block.index.to_numpy()
        descriptions = block["description"].tolist()
        g = grams(descriptions, counts=False)
        present = g.presence()
        df += present
        share = g.template_share(common_share, common_min, presence=present)
        del g
        seeds = np.flatnonzero(share <= max_common)
        blocks.append((idx, seeds, grams([descriptions[i] for i in seeds]).matrix()))
    label = np.full(len(texts), -1, dtype=np.int64)
    sims, offset = {}, 0
    for idx, seeds, Cs in blocks:
        comp, means = link_seeds(weigh(Cs, df, len(texts)), seeds, len(idx), similarity)
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
