"""Kinship as a grammar (亲属称谓): relation words → kinship paths → legal degree.

``parse_relation("表哥")`` reads the word into a path of steps from the
declaring person (本人) to the relative — 父母的兄弟姐妹的儿子 — and
``degree(path)`` says which recusal relation of 公务员法 第七十四条 and
《公务员回避规定》 it is:

* 夫妻关系 (spouse);
* 直系血亲 (lineal): parents and children at any number of generations;
* 三代以内旁系血亲 (collateral): relatives sharing a parent or grandparent —
  兄弟姐妹, 伯叔姑舅姨, 侄子女/甥子女, 堂/表兄弟姐妹;
* 近姻亲 (in_law): 配偶的父母、配偶的兄弟姐妹及其配偶、子女的配偶及子女配偶的父母、
  三代以内旁系血亲的配偶.

A recusal relation holds *between* two people, so a path counts when it or
its reverse is in the law's list: the law names 三代以内旁系血亲的配偶 (姑父 seen
from the nephew), and the same pair seen from the uncle's wife is 配偶的侄子.
Kin outside the four kinds (表叔, 配偶的祖父母, 侄孙) is ``DISTANT``.

Two ties in a row are one longer path (``compose``): 表兄弟 + 妻子 is
三代以内旁系血亲的配偶, 配偶 + 姐夫 is 配偶的兄弟姐妹的配偶 — both 近姻亲.

The words and the word-building rules are data (``linkgraph/data/kinship.toml``).
"""
from __future__ import annotations

import enum
import functools
import itertools
import re
import sys
import unicodedata
from dataclasses import dataclass
from importlib import resources

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

#: Each gendered step → its gender-neutral step: up, down, sibling, spouse.
NEUTRAL = {"F": "P", "M": "P", "P": "P", "S": "C", "D": "C", "C": "C",
           "B": "G", "Z": "G", "G": "G", "H": "E", "W": "E", "E": "E"}
STEP_ZH = {"F": "父亲", "M": "母亲", "P": "父母", "S": "儿子", "D": "女儿", "C": "子女",
           "B": "兄弟", "Z": "姐妹", "G": "兄弟姐妹", "H": "丈夫", "W": "妻子", "E": "配偶"}
STEP_EN = {"F": "father", "M": "mother", "P": "parent", "S": "son", "D": "daughter",
           "C": "child", "B": "brother", "Z": "sister", "G": "sibling", "H": "husband",
           "W": "wife", "E": "spouse"}
_INVERSE = {"P": "C", "C": "P", "G": "G", "E": "E"}


class Degree(str, enum.Enum):
    """The recusal relations the law names, and kin outside them."""

    SPOUSE = "spouse"          # 夫妻关系
    LINEAL = "lineal"          # 直系血亲
    COLLATERAL = "collateral"  # 三代以内旁系血亲
    IN_LAW = "in_law"          # 近姻亲
    DISTANT = "distant"        # 其他亲属: kin the law does not name

    @property
    def zh(self) -> str:
        return DEGREE_ZH[self]

    @property
    def hard(self) -> bool:
        """Whether 公务员法 第七十四条 makes it a recusal (回避) relation."""
        return self is not Degree.DISTANT


DEGREE_ZH = {Degree.SPOUSE: "夫妻关系", Degree.LINEAL: "直系血亲",
             Degree.COLLATERAL: "三代以内旁系血亲", Degree.IN_LAW: "近姻亲",
             Degree.DISTANT: "其他亲属"}

#: Neutral paths (after reduction) → degree, tried in order; either the path
#: or its reverse must match.
_SHAPES: tuple[tuple[re.Pattern[str], Degree], ...] = tuple(
    (re.compile(pattern), deg) for pattern, deg in (
        (r"E", Degree.SPOUSE),
        (r"P+|C+", Degree.LINEAL),
        (r"P?GC?", Degree.COLLATERAL),          # 兄弟姐妹, 伯叔姑舅姨, 侄甥, 堂表
        (r"EP", Degree.IN_LAW),                 # 配偶的父母
        (r"EGE?", Degree.IN_LAW),               # 配偶的兄弟姐妹及其配偶
        (r"CEP?", Degree.IN_LAW),               # 子女的配偶及子女配偶的父母
        (r"P?GC?E", Degree.IN_LAW),             # 三代以内旁系血亲的配偶
    ))

#: Steps that cancel or merge in an ordinary family (parent's spouse is the
#: other parent, a sibling's parent is one's own parent, ...).
_REDUCTIONS = (("EE", ""), ("GG", "G"), ("GP", "P"), ("CG", "C"), ("PE", "P"),
               ("EC", "C"), ("PC", "G"), ("CP", "E"))

#: Degrees from strongest to weakest, for words with several readings.
_ORDER = (Degree.SPOUSE, Degree.LINEAL, Degree.COLLATERAL, Degree.IN_LAW, Degree.DISTANT)


@dataclass(frozen=True)
class KinPath:
    """A relation word read as kinship: one path per reading.

    ``readings`` are strings of steps (``"PGS"`` = 父母的兄弟姐妹的儿子).  A word
    naming a pair (父子, 叔侄) or a class (直系血亲) has several readings."""

    word: str
    readings: tuple[str, ...]

    @property
    def path(self) -> str:
        """The first reading (the one meant when there is one)."""
        return self.readings[0]

    def describe(self, lang: str = "zh") -> str:
        """The readings in words: 父母的兄弟姐妹的儿子 (``/`` between readings)."""
        names, joiner = (STEP_EN, "'s ") if lang == "en" else (STEP_ZH, "的")
        return " / ".join(joiner.join(names[s] for s in r) or "本人" for r in self.readings)

    def encode(self) -> str:
        """``"F|S"``: the readings as one cell (see ``decode``)."""
        return "|".join(self.readings)


@dataclass(frozen=True)
class Grammar:
    terms: dict[str, tuple[str, ...]]
    longest: int
    joiners: tuple[str, ...]
    cousin_prefixes: tuple[str, ...]
    drop_prefixes: tuple[str, ...]
    drop_suffixes: tuple[str, ...]
    pair_words: frozenset[str]


@functools.lru_cache(maxsize=1)
def grammar() -> Grammar:
    """The shipped grammar (``data/kinship.toml``), read once."""
    text = resources.files("linkgraph").joinpath("data/kinship.toml").read_text("utf-8")
    data = tomllib.loads(text)
    terms = {clean_word(w): tuple(p.split("|")) for w, p in data["terms"].items()}
    bad = {w: p for w, p in terms.items() if any(set(r) - set(NEUTRAL) for r in p)}
    if bad:
        raise ValueError(f"kinship.toml: unknown steps in {bad}")
    g = data.get("grammar", {})
    return Grammar(terms, max(map(len, terms)), tuple(g.get("joiners", ("的",))),
                   tuple(sorted(g.get("cousin_prefixes", ()), key=len, reverse=True)),
                   tuple(sorted(g.get("drop_prefixes", ()), key=len, reverse=True)),
                   tuple(sorted(g.get("drop_suffixes", ()), key=len, reverse=True)),
                   frozenset(clean_word(w) for w in g.get("pair_words", ())))


def clean_word(word: str) -> str:
    """NFKC, without any whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", word))


def parse_relation(word: str) -> KinPath | None:
    """The kinship path of a relation word, or None when it is not kinship
    (大学同学, 战友) or not understood."""
    if not isinstance(word, str):
        return None
    g = grammar()
    text = clean_word(word)
    parts = [p for p in re.split("|".join(map(re.escape, g.joiners)), text)] if text else []
    if not parts or any(not p for p in parts):
        return None
    readings: list[tuple[str, ...]] = [("",)]
    for part in parts:
        options = _part(part, g)
        if options is None:
            return None
        readings.append(options)
    paths = tuple(dict.fromkeys("".join(combo) for combo in itertools.product(*readings)))
    if any(not p for p in paths):
        return None
    return KinPath(text, paths)


def _part(part: str, g: Grammar) -> tuple[str, ...] | None:
    """One part of a chain (between 的): a term, or terms one after another,
    with a cousin prefix and dropped prefixes/suffixes."""
    for suffix in ("",) + g.drop_suffixes:
        if suffix and not part.endswith(suffix):
            continue
        body = part[: len(part) - len(suffix)] if suffix else part
        found = _terms(body, g)
        if found is not None:
            return found
    return None


def _terms(text: str, g: Grammar) -> tuple[str, ...] | None:
    """Longest-match reading of ``text`` as a row of terms."""
    if not text:
        return None
    if text in g.terms:
        return g.terms[text]
    for prefix in g.cousin_prefixes:
        if text.startswith(prefix):
            rest = _terms(text[len(prefix):], g)
            return None if rest is None else tuple(_cousin(r) for r in rest)
    for n in range(min(len(text), g.longest), 0, -1):
        head = g.terms.get(text[:n])
        if head is None:
            continue
        tail = _terms(text[n:], g) if n < len(text) else ("",)
        if tail is not None:
            return tuple(a + b for a, b in itertools.product(head, tail))
    for prefix in g.drop_prefixes:
        if text.startswith(prefix) and len(text) > len(prefix):
            rest = _terms(text[len(prefix):], g)
            if rest is not None:
                return rest
    return None


def _cousin(reading: str) -> str:
    """The first sibling step made a cousin: 哥 → 父母的兄弟姐妹的儿子."""
    for i, step in enumerate(reading):
        if NEUTRAL[step] == "G":
            child = {"B": "S", "Z": "D"}.get(step, "C")
            return reading[:i] + "PG" + child + reading[i + 1:]
    return reading


def neutral(reading: str) -> str:
    """The reading without gender, reduced: 妻子的父亲的儿子 → 配偶的兄弟姐妹."""
    out = "".join(NEUTRAL[s] for s in reading)
    changed = True
    while changed:
        changed = False
        for old, new in _REDUCTIONS:
            if old in out:
                out = out.replace(old, new, 1)
                changed = True
    return out


def neutral_text(path: KinPath) -> str:
    """The first reading in gender-neutral words: 父母的兄弟姐妹的子女."""
    steps = "".join(NEUTRAL[s] for s in path.path)
    return "的".join(STEP_ZH[s] for s in steps) or "本人"


def is_pair_word(word: str) -> bool:
    """Whether the word names the pair (叔侄, 夫妻), not one side (叔叔)."""
    return clean_word(word) in grammar().pair_words


def short_text(path: KinPath) -> str:
    """A path for an evidence sentence: its readings in words when one or
    two (妻子的姐妹的丈夫), else the first in gender-neutral words."""
    if len(path.readings) <= 2:
        return path.describe()
    return neutral_text(path)


def reverse(reading: str) -> str:
    """The same relation seen from the relative (gender-neutral)."""
    return "".join(_INVERSE[NEUTRAL[s]] for s in reversed(reading))


def reading_degree(reading: str) -> Degree | None:
    """The degree of one reading; None when it leads back to the person."""
    steps = neutral(reading)
    if not steps:
        return None
    back = neutral(reverse(steps))
    for pattern, deg in _SHAPES:
        if pattern.fullmatch(steps) or pattern.fullmatch(back):
            return deg
    return Degree.DISTANT


def degree(path: KinPath) -> Degree:
    """The legal degree of a kinship path.  A word with several readings
    (父子, 叔侄) is a recusal relation only when every reading is one; it then
    counts as the weakest of them."""
    found = [reading_degree(r) for r in path.readings]
    degrees = [d for d in found if d is not None] or [Degree.DISTANT]
    return max(degrees, key=_ORDER.index)


def compose(first: KinPath, second: KinPath) -> KinPath:
    """The path of two ties in a row: the first's relative's ``second``."""
    readings = tuple(dict.fromkeys(a + b for a in first.readings for b in second.readings))
    return KinPath(f"{first.word}的{second.word}", readings)


def inverse(path: KinPath) -> KinPath:
    """The path seen from the relative (``A 的表哥 B`` → B's side: 父母的兄弟姐妹的子女)."""
    return KinPath(f"({path.word})⁻¹", tuple(dict.fromkeys(reverse(r) for r in path.readings)))


def decode(cell: str, word: str = "") -> KinPath | None:
    """A path stored as ``KinPath.encode()``; None for an empty cell."""
    if not isinstance(cell, str) or not cell:
        return None
    return KinPath(word or cell, tuple(cell.split("|")))


#: Degree → the canonical ``ties.relation`` value the rules file weighs.
RELATION_OF_DEGREE = {Degree.SPOUSE: "spouse", Degree.LINEAL: "parent_child",
                      Degree.COLLATERAL: "collateral", Degree.IN_LAW: "in_law",
                      Degree.DISTANT: "other"}


def relation_of(path: KinPath) -> str:
    """The canonical relation of a path: spouse, parent_child, sibling,
    collateral, in_law, or other (kin the law does not name)."""
    deg = degree(path)
    if deg is Degree.COLLATERAL and all(neutral(r) == "G" for r in path.readings):
        return "sibling"
    return RELATION_OF_DEGREE[deg]
