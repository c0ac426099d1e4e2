"""``ties.relation`` as ledgers write it → canonical relation + kinship path.

A relation cell is read, in this order, as:

1. a word of the rules file's ``[relations.words]`` (the office's own words win);
2. kinship, by the grammar (``kinship.parse_relation``): 表哥, 妻弟, 老婆的姐夫 …;
   its legal degree gives the relation (spouse, parent_child, sibling,
   collateral, in_law; kin the law does not name → other);
3. a word of the relation vocabulary (同学, 师生, classmate …);
4. a vocabulary word inside a longer one: 大学同学 → classmate, 原单位同事 →
   colleague;
5. otherwise unknown: kept as ``other`` (a soft tie) with a warning that names
   the word, for the office to review.  An unknown word never rejects the row.

The written word and the path (``KinPath.encode()``) are kept beside the
relation, so evidence can quote the word and two ties can be composed.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from linkgraph import kinship
from linkgraph.vocab import LABELS_ZH, RELATION_WORDS, vocabulary

#: Relations that are kinship: a tie of one without a path (the English
#: canonical name, or a class word) takes the class's readings.
KIN_RELATIONS = ("spouse", "parent_child", "sibling", "collateral", "in_law")
UNKNOWN = "other"


@dataclass(frozen=True)
class ReadRelation:
    relation: str            # canonical value
    kinship: str | None      # KinPath.encode(), or None when not kinship
    known: bool              # False: the word was not understood (kept as other)


def class_path(relation: str) -> str | None:
    """The readings of a kinship class (直系血亲 → P|C|PP|CC)."""
    if relation not in KIN_RELATIONS:
        return None
    path = kinship.parse_relation(LABELS_ZH["relation"][relation])
    return path.encode() if path else None


def _contained(word: str) -> str | None:
    """A non-kin vocabulary word inside ``word`` (longest first)."""
    best: tuple[int, str] | None = None
    for canon, aliases in RELATION_WORDS.items():
        if canon in KIN_RELATIONS:
            continue
        for alias in aliases:
            if len(alias) >= 2 and alias in word and (best is None or len(alias) > best[0]):
                best = (len(alias), canon)
    return best[1] if best else None


def read_relation(word: str, extra_words: Mapping[str, str] | None = None) -> ReadRelation:
    """The canonical relation and kinship path of one written relation word."""
    cleaned = kinship.clean_word(word).lower()
    extra = {kinship.clean_word(k).lower(): v for k, v in (extra_words or {}).items()}
    if cleaned in extra:
        rel = extra[cleaned]
        path = kinship.parse_relation(cleaned) if rel in KIN_RELATIONS else None
        return ReadRelation(rel, path.encode() if path else class_path(rel), True)
    path = kinship.parse_relation(cleaned)
    if path is not None:
        return ReadRelation(kinship.relation_of(path), path.encode(), True)
    table = vocabulary("relation")
    if cleaned in table:
        rel = table[cleaned]
        return ReadRelation(rel, class_path(rel), True)
    inside = _contained(cleaned)
    if inside is not None:
        return ReadRelation(inside, None, True)
    return ReadRelation(UNKNOWN, None, False)


def read_relations(words: pd.Series, extra_words: Mapping[str, str] | None = None
                   ) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Per cell: canonical relation, kinship path (None if not kin) and
    whether the word was unknown; missing cells give None and False."""
    codes, uniques = pd.factorize(words, use_na_sentinel=True)
    read = [read_relation(str(w), extra_words) for w in uniques]
    take = np.where(codes < 0, len(read), codes)

    def spread(values: list) -> pd.Series:
        return pd.Series(np.array(values + [None], dtype=object)[take], index=words.index,
                         dtype=object)
    unknown = np.array([not r.known for r in read] + [False], dtype=bool)[take]
    return (spread([r.relation for r in read]), spread([r.kinship for r in read]),
            pd.Series(unknown, index=words.index))
