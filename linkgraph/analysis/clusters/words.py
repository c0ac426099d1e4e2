"""Word vectors of the few specific items the near-duplicate detector
compares, segmented with jieba (its dictionary ships in the wheel; nothing is
downloaded).

Two wordings of one failing share their content words more than their
characters: "私设小金库，将场地租金收入存放于账外" and "场地租金未纳入账内核算，形成
小金库" share 小金库 / 场地 / 租金 (cosine ≈ 0.5 on words) but few character
3-grams (≈ 0.2 on 2- and 3-grams).  Only the items already found specific
(a small share of all) are segmented, so jieba's speed (≈ 1 MB/s) is no
bottleneck.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np
from scipy import sparse

#: a token must have at least this many characters (drops 的, 将, 未 and the
#: placeholders)
MIN_CHARS = 2


@cache
def _tokenizer():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


def tokens(text: str) -> list[str]:
    return [w for w in _tokenizer().lcut(text) if len(w) >= MIN_CHARS and "#" not in w
            and "某" not in w]


def word_matrix(texts: Sequence[str], held: np.ndarray, n_units: int,
                common: float) -> sparse.csr_matrix:
    """Rows = texts, L2-normalised sublinear TF-IDF over their words.  A
    word's document frequency counts units (``held``: how many units wrote
    each text); words in at least ``common`` units are dropped."""
    rows, words = [], []
    for i, t in enumerate(texts):
        ws = tokens(t)
        rows.extend([i] * len(ws))
        words.extend(ws)
    if not words:
        return sparse.csr_matrix((len(texts), 0))
    vocab, cols = np.unique(np.array(words, dtype=object), return_inverse=True)
    r = np.asarray(rows, dtype=np.int64)
    tf = sparse.csr_matrix((np.ones(len(r)), (r, cols.ravel())), shape=(len(texts), len(vocab)))
    tf.sum_duplicates()
    present = tf.copy()
    present.data[:] = 1.0
    df = np.asarray(present.T @ np.asarray(held, dtype=np.float64)).ravel()
    idf = np.where(df < common, np.log((1 + n_units) / (1 + df)) + 1.0, 0.0)
    tf.data = (1.0 + np.log(tf.data)) * idf[tf.indices]
    tf.eliminate_zeros()
    norms = np.sqrt(np.asarray(tf.multiply(tf).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ tf)
