"""One phrase copied is no near-duplicate (套话 / 通用表述).

A ledger's stock phrases ("干部交流轮岗不到位", "超天数报销补助") recur in
several units with different surroundings: "某村委会超天数报销补助",
"某报账员超天数报销补助".  The masked wordings differ, so the
near-duplicate detector sees several wordings that are very alike — but all
they share is the one phrase, copied.  A failing written in different words
shares meaning without a long common phrase; a failing written with its
circumstances shares more than one.

So, for each cluster the detector found: its *core* is the longest phrase
(at least ``core_chars`` characters) written in at least ``core_share`` of
its units' wordings (``[clusters]`` rules).  Without the core — and
without every further phrase copied as widely once it is gone (a template
of copied phrases: 应收账款 + 催收不力) — are the wordings still alike (the
same similarity and density tests as before)?  If not, the cluster is a
copied phrase and is not reported — unless a second specific phrase, a
clause of its own, is copied *with* it, beside the core in ``core_share``
of the weight (涉密计算机违规连接互联网 … 存在泄密隐患: the failing and its
circumstances; a detail beside the core in only some wordings is not).  A
cluster with no core (paraphrases) is left as it is.

The other way round, ``reworded_only`` picks, among the communities linked
at a lower similarity, those whose wordings share meaning but no phrase: the
same failing written in genuinely different words (干部在外面公司挂职领钱 /
公职人员在民营企业领薪兼职 / 在职人员受聘于企业获取报酬).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from linkgraph.rules import ClusterRules

_PLAIN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbfA-Za-z0-9]+")


def _runs(text: str) -> list[str]:
    """The stretches of a masked wording with no placeholder or break."""
    return _PLAIN.findall(text.replace("某", " ").replace("#", " "))


def _coverage(phrase: str, texts: Sequence[str], weights: Sequence[float]) -> float:
    """The weight of the texts holding ``phrase`` (0 when fewer than two do:
    a phrase of one wording is not copied)."""
    held = [w for t, w in zip(texts, weights) if phrase in t]
    return sum(held) if len(held) >= 2 else 0.0


def core_phrase(texts: Sequence[str], weights: Sequence[float], share: float, chars: int,
                keep: Callable[[str], bool] = lambda _: True) -> str | None:
    """The longest phrase of ``chars`` characters or more written in at
    least ``share`` of the weight (units) of ``texts`` (and, grown from a
    first ``chars`` characters that ``keep`` accepts), or None."""
    need = share * sum(weights)
    grams: dict[str, float] = {}
    texts_with: Counter[str] = Counter()
    for t, w in zip(texts, weights):
        seen = {r[i:i + chars] for r in _runs(t) for i in range(len(r) - chars + 1)}
        for g in seen:
            grams[g] = grams.get(g, 0.0) + w
            texts_with[g] += 1
    common = sorted((g for g, c in grams.items() if c >= need and texts_with[g] >= 2
                     and keep(g)), key=lambda g: (-grams[g], g))
    if not common:
        return None
    best = common[0]
    grown = True
    while grown:        # extend the phrase while every text holding it still does
        grown = False
        options: set[str] = set()
        for t in texts:
            for r in _runs(t):
                at = r.find(best)
                while at >= 0:
                    if at > 0:
                        options.add(r[at - 1] + best)
                    if at + len(best) < len(r):
                        options.add(best + r[at + len(best)])
                    at = r.find(best, at + 1)
        scored = sorted(((_coverage(o, texts, weights), o) for o in options),
                        key=lambda x: (-x[0], x[1]))
        if scored and scored[0][0] >= _coverage(best, texts, weights):
            best = scored[0][1]
            grown = True
    return best


def other_clause(texts: Sequence[str], core: str, second: str) -> bool:
    """Whether ``second`` is a clause of its own: wherever a wording holds
    both, they are in different pieces (a stock phrase cut in two, 因私出国(境)
    证照 … 未集中保管, is one clause)."""
    both = [t for t in texts if core in t and second in t]
    return bool(both) and all(not any(core in piece and second in piece
                                      for piece in t.split(",")) for t in both)


def circumstance(texts: Sequence[str], weights: Sequence[float], core: str,
                 params: ClusterRules, specific: Callable[[str], bool]) -> str | None:
    """A second specific phrase (``second_chars`` characters or more), a
    clause of its own, copied *together with* ``core``: written beside it in
    ``core_share`` of the cluster's weight — the failing and its
    circumstances (涉密计算机违规连接互联网 … 存在泄密隐患).  A phrase that
    only some of the core's wordings carry, or wordings without the core
    (档案材料缺失 beside 出生日期认定依据不充分 in two of five units, and
    after another failing in a third), is a detail drawn with the category,
    not the failing's circumstance."""
    held = [(t, w) for t, w in zip(texts, weights) if core in t]
    total, with_core = sum(weights), sum(w for _, w in held)
    if not held or with_core < params.core_share * total:
        return None
    share = params.core_share * total / with_core
    second = core_phrase(without([t for t, _ in held], core), [w for _, w in held],
                         min(share, 1.0), params.second_chars, keep=specific)
    return second if second is not None and other_clause(texts, core, second) else None


def copied_away(texts: Sequence[str], weights: Sequence[float], core: str,
                params: ClusterRules) -> list[str]:
    """``texts`` without ``core`` and without every further phrase copied
    across ``core_share`` of the weight once it is gone *in the core's own
    clause*: 催收不力 (in all 8 units) and then 应收账款 (in 7), always written
    together — a template of copied phrases, not one failing in other words.
    A phrase that some wording writes as a clause apart from the core
    (陪餐人数超规定 beside 超标准公务接待) is the failing's circumstance and stays;
    so do shorter shared words (超标准 beside 公务接待)."""
    rest = without(texts, core)
    for _ in range(len(texts)):
        more = core_phrase(rest, weights, params.core_share, params.core_chars)
        if more is None or apart(texts, core, more):
            break
        rest = without(rest, more)
    return rest


def apart(texts: Sequence[str], core: str, phrase: str) -> bool:
    """Whether some wording writes ``phrase`` in another piece than ``core``."""
    return any(core in t and phrase in t and not any(
        core in piece and phrase in piece for piece in t.split(",")) for t in texts)


def without(texts: Sequence[str], phrase: str) -> list[str]:
    """``texts`` with ``phrase`` taken out (a break left in its place)."""
    return [t.replace(phrase, ",") for t in texts]


def copied(groups: Mapping[int, tuple[Sequence[str], Sequence[float]]],
           featurize: Callable[[list[str]], sparse.csr_matrix], params: ClusterRules,
           specific: Callable[[str], bool] = lambda _: True) -> set[int]:
    """The clusters (label → their wordings and the units writing each) that
    are one copied phrase: without their core, the wordings' density (mean
    similarity over all pairs, pairs below ``similarity`` counting 0) falls
    below ``min_density`` (``params``: also ``similarity``, ``core_chars``,
    ``core_share``, ``second_chars``).  ``featurize`` turns texts into L2-normalised
    rows weighted as the detector weighs them; ``specific(phrase)``: whether
    a phrase is rare across units (不到位 is not: a second phrase must be,
    and a clause of its own: ``other_clause``)."""
    similarity, min_density = params.similarity, params.min_density
    cores = {lab: core_phrase(texts, weights, params.core_share, params.core_chars)
             for lab, (texts, weights) in groups.items()}
    todo = []
    for lab, core in sorted(cores.items()):
        if core is None:
            continue
        if not circumstance(groups[lab][0], groups[lab][1], core, params, specific):
            todo.append(lab)
    if not todo:
        return set()
    rest = [t for lab in todo for t in copied_away(groups[lab][0], groups[lab][1],
                                                   str(cores[lab]), params)]
    X = featurize(rest)
    out, at = set(), 0
    for lab in todo:
        n = len(groups[lab][0])
        block = X[at:at + n]
        at += n
        S = (block @ block.T).toarray()
        pairs = n * (n - 1) / 2
        upper = S[np.triu_indices(n, 1)]
        density = float(upper[upper >= similarity].sum() / pairs) if pairs else 0.0
        if density < min_density:
            out.add(lab)
    return out


def shared_phrase(a: str, b: str) -> int:
    """The length of the longest phrase two masked wordings share."""
    best = 0
    ra, rb = _runs(a), "|".join(_runs(b))
    for r in ra:
        for i in range(len(r)):
            j = i + best + 1
            while j <= len(r) and r[i:j] in rb:
                best = j - i
                j += 1
    return best


def mean_shared_phrase(texts: Sequence[str]) -> float:
    """The mean, over all pairs of ``texts``, of the longest phrase they share."""
    lengths = [shared_phrase(a, b) for i, a in enumerate(texts) for b in texts[i + 1:]]
    return sum(lengths) / len(lengths) if lengths else 0.0


def plain_chars(texts: Sequence[str]) -> float:
    """The mean number of characters of ``texts`` outside placeholders."""
    return sum(len("".join(_runs(t))) for t in texts) / len(texts) if texts else 0.0


def reworded_only(found: pd.DataFrame, texts: Sequence[str], taken: pd.DataFrame,
                  max_shared: float, min_chars: float) -> list[int]:
    """The communities (``label``) of ``found`` items written in genuinely
    different words: two wordings (``texts[wording]``) share on average a
    phrase of fewer than ``max_shared`` characters (a word, not a clause),
    and they are long enough (``min_chars`` characters on average) for
    their words alone to say they mean the same — short stock phrases linked
    by a character or two are not; and not already a cluster of ``taken``
    (half their units or more)."""
    out = []
    taken_units = [set(u) for _, u in taken.groupby("label")["unit_id"]]
    for lab, block in found.groupby("label", sort=True):
        units = set(block["unit_id"])
        if any(len(units & t) >= 0.5 * min(len(units), len(t)) for t in taken_units):
            continue
        wordings = [texts[w] for w in sorted(set(block["wording"]))]
        if plain_chars(wordings) >= min_chars and mean_shared_phrase(wordings) < max_shared:
            out.append(int(lab))
    return out
