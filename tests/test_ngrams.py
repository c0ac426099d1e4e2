"""Cleaning texts for character n-grams once per distinct character gives
exactly what cleaning each text with the regular expression gives."""
from __future__ import annotations

import random

import numpy as np

from linkgraph.analysis import ngrams


def _by_text(texts, max_chars):
    return ngrams._points([ngrams.clean(t) for t in texts], max_chars)


def _same(texts, max_chars=200):
    flat, doc = ngrams._clean_points(texts, max_chars)
    flat0, doc0 = _by_text(texts, max_chars)
    assert np.array_equal(flat, flat0) and np.array_equal(doc, doc0)
    return flat, doc


def test_a_hand_made_text():
    flat, doc = _same(["违规，发放 AB_c！", "", "  ", "Ｘ1"], max_chars=4)
    # punctuation, spaces and "_" go, Latin letters are lower-cased, the
    # first text is cut after 4 characters; the full-width Ｘ stays itself
    assert "".join(map(chr, flat)) == "违规发放" + "ｘ1"
    assert doc.tolist() == [0, 0, 0, 0, 3, 3]


def test_random_texts_agree_with_cleaning_each_text():
    alphabet = list("违规发放津补贴公款吃喝整改不到位ABCdefXYZ０１２ａＢ，。；：、（）!?_- \t\n·…😀")
    rng = random.Random(3)
    for _ in range(20):
        texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
                 for _ in range(rng.randint(1, 80))]
        _same(texts, max_chars=rng.choice([1, 5, 30, 200]))


def test_characters_whose_lower_case_is_not_one_character_fall_back():
    # İ lower-cases to two characters; a final Σ to ς, a Σ elsewhere to σ
    flat, _ = _same(["İstanbul", "ΟΔΟΣ", "ΣΑ"])
    assert "".join(map(chr, flat)) == "i̇stanbulοδοςσα"


def test_the_tfidf_vectors_do_not_change():
    texts = ["违规发放津补贴", "违规发放补贴。", "公款吃喝", "整改不到位ABC", "", "ab"]
    x = ngrams.tfidf(texts).toarray()
    cosine = x @ x.T
    assert cosine[0, 1] > 0.5 and cosine[0, 2] == 0.0
    assert np.allclose(np.diag(cosine)[:4], 1.0) and not x[4].any() and x[5].any()
