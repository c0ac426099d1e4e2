"""Near-duplicate problems: one specific failing written in different words
in several units.

Steps (``near_duplicates``):

1. **Clauses** (``clauses.py``): every description is cut into items
   (。；, 一是/二是, （一）, 1、) and each item into pieces (，：); the text's own
   unit's names (unit, its regions, its people), numbers and dates are
   masked.
2. **Boilerplate**: a masked piece written in at least ``boiler_share`` of
   the units (and ``boiler_min``), whatever its category, is set aside — the
   stock 四个聚焦 openings and a stock sentence in most units never reach
   the comparison.  An item's *specific remainder* is what is left.
3. **Specific items**: character 2- and 3-grams of every remainder are
   counted by *units* (hashed n-grams, a few numpy operations over all
   texts; a province's two million descriptions take seconds).  An item
   whose n-grams are mostly (> ``max_common``) common across units
   (≥ ``common_min`` units and ``common_share`` of them) is routine wording
   and set aside; a remainder written in ``boiler_min`` units or more too.
4. **Comparison** (``words.py``): the few specific items are segmented with
   jieba; their rare words (in fewer units than the common threshold), those
   words' 同义词词林 groups and the items' Chinese characters are TF-IDF
   weighted by unit frequency; cosine ≥ ``similarity`` links two items of
   one harmonised area.
5. **Clusters**: communities of the links — a densely linked group as it
   is, a sparse one split by Louvain (chained components join unrelated
   failings through stock phrases) — with at least ``min_units`` units, at
   most ``max_unit_share`` of all units, at least ``min_wordings`` different
   wordings and a density (mean similarity over all pairs) of at least
   ``min_density``.  A cluster that shares only one copied phrase (its core,
   ``stock.py``: 某报账员 / 某村干部 + 超天数报销补助) is dropped.
6. **Reworded**: a second pass links at ``paraphrase_similarity`` and keeps
   the communities (density ≥ ``paraphrase_density``, at least
   ``whole_linked`` of their pairs linked: a Louvain community of one
   category's vocabulary is linked only in part) whose wordings share
   no phrase longer than a word on average (< ``paraphrase_lcs``
   characters) and are long enough to judge (``paraphrase_chars``): one
   failing in genuinely different words (干部在外面公司挂职领钱 / 公职人员在民营
   企业领薪兼职 / 在职人员受聘于企业获取报酬).

bench/score_analyses.py measures it on tidy and realistic generated data.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property

import numpy as np
import pandas as pd
from scipy import sparse

from linkgraph.analysis.clusters.clauses import Masker, explode
from linkgraph.analysis.clusters.stats import Candidate
from linkgraph.analysis.clusters.stock import copied, reworded_only
from linkgraph.analysis.clusters.words import word_matrix
from linkgraph.rules import ClusterRules

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

    def template_share(self, common_share: float, common_min: int,
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
                   common_min: int) -> np.ndarray:
    """Per text: the share of its distinct n-grams that are *common* in the
    block (held by at least max(common_min, common_share × texts) texts)."""
    if not X.has_canonical_format:
        X = X.copy()
        X.sum_duplicates()
    rows = np.repeat(np.arange(X.shape[0], dtype=np.int64), np.diff(X.indptr))
    keys = (rows << HASH_BITS) | X.indices
    return Grams(X.shape[0], keys, X.indptr, X.data).template_share(common_share, common_min)


def link_seeds(Xs: sparse.csr_matrix, seeds: np.ndarray, n: int,
               similarity: float, whole_linked: float, block: np.ndarray | None = None
               ) -> tuple[np.ndarray, pd.Series, pd.Series]:
    """Component label per text of a block of ``n`` (-1 = none), the mean
    link similarity per component and the share of its pairs that are
    linked: the unusual texts ``seeds`` (their TF-IDF rows ``Xs``) linked
    where their cosine ≥ ``similarity`` (and, with ``block`` — one code per
    seed, -1 for any — only within one block)."""
    label = np.full(n, -1, dtype=np.int64)
    if len(seeds) < 2:
        return label, pd.Series(dtype=float), pd.Series(dtype=float)
    S = (Xs @ Xs.T).tocoo()
    i, j, v = seeds[S.row], seeds[S.col], S.data
    keep = (i < j) & (v >= similarity)
    if block is not None:     # -1: no area known, compared with every block
        a, b = block[S.row], block[S.col]
        keep &= (a == b) | (a < 0) | (b < 0)
    i, j, v = i[keep], j[keep], v[keep]
    comp = communities(i, j, v, n, whole_linked)
    touched = comp >= 0
    label[touched] = comp[touched]
    # density: the mean similarity over all pairs of a community's texts
    # (pairs below the threshold count 0), not only over its links
    same = comp[i] == comp[j]
    sums = pd.Series(v[same]).groupby(comp[i][same]).sum()
    size = pd.Series(comp[touched]).value_counts()
    pairs = size * (size - 1) / 2
    means = (sums / pairs.reindex(sums.index)).fillna(0.0)
    links = pd.Series(comp[i][same]).value_counts()
    linked = (links / pairs.reindex(links.index)).fillna(0.0)
    return label, means, linked


def communities(i: np.ndarray, j: np.ndarray, v: np.ndarray, n: int,
                whole_linked: float) -> np.ndarray:
    """Community per text (-1 = unlinked): each connected group of the
    similarity graph with at least ``whole_linked`` of its pairs linked is
    one community as it is (Louvain would split even a complete graph, whose
    modularity as one community is 0), the
    others split by Louvain (networkx, seed 0), so that a chain of pairwise
    links through stock phrases does not make one cluster of unrelated
    failings."""
    import networkx as nx

    out = np.full(n, -1, dtype=np.int64)
    if not len(i):
        return out
    G = nx.Graph()
    G.add_weighted_edges_from(zip(i.tolist(), j.tolist(), v.tolist()))
    found: list[list[int]] = []
    for part in nx.connected_components(G):
        sub = G.subgraph(part)
        k = len(part)
        if sub.number_of_edges() >= whole_linked * k * (k - 1) / 2:
            found.append(sorted(part))
        else:
            found += [sorted(c) for c in nx.community.louvain_communities(
                sub, weight="weight", seed=0)]
    for k, members in enumerate(sorted(found, key=lambda c: c[0])):
        out[members] = k
    return out


def gram_units(words: Sequence[str], df: np.ndarray) -> np.ndarray:
    """In how many units each word occurs, read off the n-gram counts ``df``
    (units holding each hashed n-gram): a two- or three-character word's own
    n-gram, a longer word's rarest 3-gram."""
    out = np.zeros(len(words))
    for size in (2, 3):
        pick = [i for i, w in enumerate(words) if (len(w) == 2) == (size == 2)]
        if not pick:
            continue
        g = grams([words[i] for i in pick], ns=(size,), counts=False)
        lengths = np.diff(g.bounds)
        vals = df[g.cols].astype(np.float64)
        starts = g.bounds[:-1]
        has = lengths > 0
        best = np.zeros(len(pick))
        best[has] = np.minimum.reduceat(vals, starts[has]) if len(vals) else 0.0
        out[pick] = best
    return out


def specific_items(problems: pd.DataFrame, masker: Masker,
                   params: ClusterRules) -> tuple[pd.DataFrame, int]:
    """(row, item, unit_id, text, raw) per item with something specific left
    once boilerplate pieces are set aside, and the number of units."""
    f = explode(problems, masker)
    n_units = int(problems["unit_id"].nunique())
    if f.empty:
        return f.assign(text=pd.Series(dtype=object)), n_units
    boiler = max(params.boiler_min, params.boiler_share * n_units)
    spread = f.drop_duplicates(["piece", "unit_id"]).groupby("piece").size()
    f = f[~f["piece"].isin(spread.index[spread >= boiler])]
    grouped = f.groupby(["row", "item"], sort=True)
    out = pd.DataFrame({"text": grouped["piece"].agg(",".join),
                        "raw": grouped["raw"].agg("，".join),
                        "unit_id": grouped["unit_id"].first()}).reset_index()
    return out[out["text"].str.len() >= 4].reset_index(drop=True), n_units


def _areas(p: pd.DataFrame, items: pd.DataFrame) -> np.ndarray:
    """Per wording: a code of the area most of its items belong to — two
    wordings are compared only within one area.  -1 when the label named no
    area (a vague or unresolved label, 作风问题): such a wording is compared
    with every area, since its label says how a team writes, not what it
    found.  Without harmonised columns, the category is the area."""
    area = p["category_area"] if "category_area" in p.columns else p["category"]
    code, _ = pd.factorize(area.to_numpy()[items["row"].to_numpy()])
    top = pd.DataFrame({"w": items["wording"].to_numpy(), "a": code}).value_counts() \
        .reset_index().sort_values(["w", "count", "a"], ascending=[True, False, True]) \
        .drop_duplicates("w")
    return top.set_index("w")["a"].reindex(range(items["wording"].max() + 1)).to_numpy()


def near_duplicates(problems: pd.DataFrame, params: ClusterRules,
                    names: Mapping[str, Iterable[str]] | None = None) -> list[Candidate]:
    """The same specific failing written in different words in at least
    ``min_units`` units (see the module docstring)."""
    cols = ["problem_id", "unit_id", "category", "description"]
    p = problems[cols + (["category_area"] if "category_area" in problems.columns else [])]
    p = p.dropna(subset=["unit_id", "description"]).reset_index(drop=True)
    if p.empty:
        return []
    items, n_units = specific_items(p, Masker(names or {}), params)
    if items.empty:
        return []
    wording, texts = pd.factorize(items["text"])
    items["wording"] = wording
    spread = items.drop_duplicates(["wording", "unit_id"]).groupby("wording").size()
    held = spread.reindex(range(len(texts)), fill_value=0).to_numpy()
    g = grams(list(texts), counts=False)
    # in how many units each n-gram occurs (units of the wordings holding it)
    df = np.bincount(g.cols, weights=np.repeat(held, np.diff(g.bounds)),
                     minlength=1 << HASH_BITS)
    common = df >= max(params.common_min, params.common_share * n_units)
    hits = np.add.reduceat(np.append(common[g.cols], 0).astype(np.int64), g.bounds[:-1])
    share = np.where(np.diff(g.bounds) > 0, hits / np.maximum(np.diff(g.bounds), 1), 1.0)
    boiler = max(params.boiler_min, params.boiler_share * n_units)
    seeds = np.flatnonzero((share <= params.max_common) & (held < boiler))
    del g
    rare = max(params.common_min, params.common_share * n_units)
    seed_texts = [texts[i] for i in seeds]

    def featurize(extra: list[str]) -> sparse.csr_matrix:
        """Rows for ``seed_texts + extra``, weighted by the seeds alone."""
        return word_matrix(seed_texts + extra, lambda words: gram_units(words, df), n_units,
                           rare, np.concatenate([held[seeds], np.zeros(len(extra))]))

    Xs = featurize([])
    areas = _areas(p, items)[seeds]
    comp, sims, _ = link_seeds(Xs, seeds, len(texts), params.similarity,
                                params.whole_linked, areas)
    phrased = _communities(items, comp, sims, params, n_units, params.min_density)
    groups = {int(lab): ([texts[w] for w in ws], [float(held[w]) for w in ws])
              for lab, ws in phrased.groupby("label")["wording"].agg(
                  lambda s: sorted(set(s))).items()}
    gone = copied(groups, lambda extra: featurize(extra)[len(seeds):], params,
                  specific=lambda phrase: gram_units([phrase], df)[0] < rare)
    kept = [phrased[~phrased["label"].isin(gone)]]
    if params.paraphrase_similarity:
        comp2, sims2, linked = link_seeds(Xs, seeds, len(texts), params.paraphrase_similarity,
                                          params.whole_linked, areas)
        # one failing in other words: most of its wordings' pairs are linked
        # (a Louvain community of one category's vocabulary — 任前公示不规范,
        # 民主推荐欠规范, 动议环节程序不严谨 … — is linked only in part)
        whole = linked.index[linked >= params.whole_linked]
        reworded = _communities(items, np.where(np.isin(comp2, whole), comp2, -1), sims2,
                                params, n_units, params.paraphrase_density)
        reworded = reworded[reworded["label"].isin(reworded_only(
            reworded, texts, kept[0], params.paraphrase_lcs, params.paraphrase_chars))]
        offset = int(comp.max()) + 1
        kept.append(reworded.assign(label=reworded["label"] + offset))
        sims = pd.concat([sims, sims2.set_axis(sims2.index + offset)])
    items = pd.concat(kept, ignore_index=True)
    if items.empty:
        return []
    hit = items.drop_duplicates(["row", "label"])
    found = p.iloc[hit["row"].to_numpy()].assign(label=hit["label"].to_numpy(),
                                                  raw=hit["raw"].to_numpy(),
                                                  text=hit["wording"].to_numpy())
    return _candidates(found, sims)


def _communities(items: pd.DataFrame, comp: np.ndarray, sims: pd.Series, params: ClusterRules,
                 n_units: int, min_density: float) -> pd.DataFrame:
    """The items of the communities ``comp`` (per wording) that are broad
    enough (units, wordings), not too broad and dense enough."""
    items = items.assign(label=comp[items["wording"].to_numpy()])
    items = items[items["label"] >= 0]
    per = items.groupby("label").agg(units=("unit_id", "nunique"), wordings=("wording", "nunique"))
    per["density"] = sims.reindex(per.index).fillna(0.0)
    ok = per[(per["units"] >= params.min_units) & (per["wordings"] >= params.min_wordings)
             & (per["units"] <= params.max_unit_share * n_units)
             & (per["density"] >= min_density)].index
    return items[items["label"].isin(ok)]


def _candidates(p: pd.DataFrame, sims: pd.Series) -> list[Candidate]:
    """One candidate per component label, built with whole-frame group-bys."""
    p = p.sort_values(["label", "problem_id"])
    problem_ids = p.groupby("label", sort=True)["problem_id"].agg(tuple)
    units = p[["label", "unit_id"]].drop_duplicates().sort_values(["label", "unit_id"])
    unit_ids = units.groupby("label", sort=True)["unit_id"].agg(tuple)
    used = p.groupby(["label", "text"], sort=True).agg(n=("raw", "size"), raw=("raw", "min"))
    used = used.reset_index()
    used["length"] = used["raw"].str.len()
    used = used.sort_values(["label", "n", "length", "raw"], ascending=[True, False, True, True])
    phrase = used.groupby("label", sort=True)["raw"].first()
    wordings = used.sort_values(["label", "raw"]).groupby("label", sort=True)[
        "raw"].agg(lambda s: tuple(s)[:20])
    variants = used.groupby("label", sort=True).size()
    cats = p.groupby(["label", "category"]).size().rename("n").reset_index()
    cats = cats.sort_values(["label", "n", "category"], ascending=[True, False, True])
    category = cats.groupby("label", sort=True)["category"].first()
    out = []
    for lab in problem_ids.index:
        coherence = float(sims.get(lab, 1.0))
        out.append(Candidate("near_duplicate", category[lab], unit_ids[lab], problem_ids[lab],
                             len(unit_ids[lab]) * coherence,
                             detail={"phrase": phrase[lab], "variants": int(variants[lab]),
                                     "similarity": round(coherence, 3),
                                     "wordings": wordings[lab]}))
    return out
