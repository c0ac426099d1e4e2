"""The generator's own kinship table, written from the law (not from linkgraph's rules).

公务员法 第七十四条 names four relations that require 回避: 夫妻关系, 直系血亲关系,
三代以内旁系血亲关系 and 近姻亲关系.  《公务员回避规定》 defines them:

* 直系血亲: 祖父母、外祖父母、父母、子女、孙子女、外孙子女 (a line straight up or down);
* 三代以内旁系血亲: 伯叔姑舅姨、兄弟姐妹、堂兄弟姐妹、表兄弟姐妹、侄子女、甥子女 —
  relatives who share an ancestor within three generations counted from each
  side (oneself = 1, parents = 2, grandparents = 3);
* 近姻亲: 配偶的父母、配偶的兄弟姐妹及其配偶、子女的配偶及子女配偶的父母、
  三代以内旁系血亲的配偶.

A relation word is a *path* of steps from person_a to person_b — ``parent``,
``child``, ``sibling``, ``spouse`` (表哥 = parent, sibling, child: 父母的兄弟姐妹的儿子).
``degree(path)`` classifies it:

* ``("spouse",)`` → 夫妻;
* only ``parent`` steps or only ``child`` steps → 直系血亲;
* u ``parent`` steps then d ``child`` steps (a sibling is one of each), 1 ≤ u, d ≤ 2
  → 三代以内旁系血亲 (表侄 u=2, d=3 and 舅爷 u=3, d=1 are not);
* with a spouse step: the path is one of the four 近姻亲 shapes above — read from
  either end, since the law names a relationship between two people (妻侄 is the
  inverse of 姑父/舅妈 = 三代以内旁系血亲的配偶, so it is 近姻亲 too);
* anything else (表侄, 堂叔, 配偶的祖父母, 姐夫的父亲, 表哥的岳父) is kin the law does
  not name: no 回避 duty, a soft tie at most.
"""
from __future__ import annotations

from dataclasses import dataclass

SPOUSE, LINEAL, COLLATERAL3, IN_LAW = "夫妻", "直系血亲", "三代以内旁系血亲", "近姻亲"
DEGREES = (SPOUSE, LINEAL, COLLATERAL3, IN_LAW)
#: the contract's ``ties.relation`` for each legal degree (sibling is a kind of collateral)
RELATION_OF = {SPOUSE: "spouse", LINEAL: "parent_child", COLLATERAL3: "collateral",
               IN_LAW: "in_law"}
_ZH_STEP = {"parent": "父母", "child": "子女", "sibling": "兄弟姐妹", "spouse": "配偶"}
_INVERSE = {"parent": "child", "child": "parent", "sibling": "sibling", "spouse": "spouse"}

P, C, G, S = "parent", "child", "sibling", "spouse"


@dataclass(frozen=True)
class Word:
    """A relation word: person_b is person_a's ``word``.  ``b`` is person_b's
    gender (男/女/None for either), ``a`` person_a's gender where the word fixes it
    (小叔子 is a woman's husband's younger brother), ``older`` +1 when b is older
    than a, -1 younger, 0 either; ``gen`` b's generation relative to a."""

    word: str
    path: tuple[str, ...]
    b: str | None = None
    a: str | None = None
    older: int = 0

    @property
    def gen(self) -> int:
        return sum(1 if s == P else -1 if s == C else 0 for s in self.path)


def _w(word, path, b=None, a=None, older=0) -> Word:
    return Word(word, tuple(path), b, a, older)


M, F = "男", "女"
WORDS: tuple[Word, ...] = (
    # 夫妻
    _w("配偶", [S]), _w("爱人", [S]), _w("妻子", [S], F, M), _w("老婆", [S], F, M),
    _w("丈夫", [S], M, F), _w("老公", [S], M, F),
    # 直系血亲
    _w("父亲", [P], M), _w("母亲", [P], F), _w("儿子", [C], M), _w("女儿", [C], F),
    _w("爷爷", [P, P], M), _w("外婆", [P, P], F), _w("孙子", [C, C], M), _w("外孙女", [C, C], F),
    # 三代以内旁系血亲
    _w("哥哥", [G], M, older=1), _w("弟弟", [G], M, older=-1), _w("姐姐", [G], F, older=1),
    _w("妹妹", [G], F, older=-1), _w("表哥", [P, G, C], M, older=1),
    _w("表弟", [P, G, C], M, older=-1), _w("表姐", [P, G, C], F, older=1),
    _w("表妹", [P, G, C], F, older=-1), _w("堂哥", [P, G, C], M, older=1),
    _w("堂弟", [P, G, C], M, older=-1), _w("堂姐", [P, G, C], F, older=1),
    _w("叔叔", [P, G], M, older=1), _w("伯父", [P, G], M, older=1), _w("姑姑", [P, G], F, older=1),
    _w("舅舅", [P, G], M, older=1), _w("姨妈", [P, G], F, older=1),
    _w("侄子", [G, C], M, older=-1), _w("侄女", [G, C], F, older=-1),
    _w("外甥", [G, C], M, older=-1), _w("外甥女", [G, C], F, older=-1),
    # 近姻亲
    _w("岳父", [S, P], M, M, 1), _w("岳母", [S, P], F, M, 1), _w("公公", [S, P], M, F, 1),
    _w("婆婆", [S, P], F, F, 1), _w("妻弟", [S, G], M, M, -1), _w("小舅子", [S, G], M, M, -1),
    _w("大舅子", [S, G], M, M, 1), _w("小姨子", [S, G], F, M, -1), _w("小叔子", [S, G], M, F, -1),
    _w("大姑子", [S, G], F, F, 1), _w("姐夫", [G, S], M, older=1), _w("妹夫", [G, S], M, older=-1),
    _w("嫂子", [G, S], F, older=1), _w("弟媳", [G, S], F, older=-1),
    _w("连襟", [S, G, S], M, M), _w("妯娌", [S, G, S], F, F),
    _w("女婿", [C, S], M, older=-1), _w("儿媳", [C, S], F, older=-1), _w("亲家", [C, S, P], older=0),
    _w("姑父", [P, G, S], M, older=1), _w("姨父", [P, G, S], M, older=1),
    _w("舅妈", [P, G, S], F, older=1), _w("婶婶", [P, G, S], F, older=1),
    _w("侄媳", [G, C, S], F, older=-1), _w("表嫂", [P, G, C, S], F, older=1),
    _w("妻侄", [S, G, C], M, M, -1),
    # kin the law does not name (no 回避 duty)
    _w("表侄", [P, G, C, C], M, older=-1), _w("堂侄", [P, G, C, C], M, older=-1),
    _w("舅爷", [P, P, G], M, older=1), _w("姑奶奶", [P, P, G], F, older=1),
    _w("表叔", [P, P, G, C], M, older=1), _w("配偶的祖父", [S, P, P], M, older=1),
    _w("姐夫的父亲", [G, S, P], M, older=1), _w("表哥的岳父", [P, G, C, S, P], M, older=1),
)
BY_WORD = {w.word: w for w in WORDS}
#: words that are not kinship at all: the contract relation each one is
NON_KIN: dict[str, str] = {
    "大学同学": "classmate", "高中同学": "classmate", "同班同学": "classmate", "校友": "classmate",
    "原同事": "colleague", "老同事": "colleague", "老乡": "townsman", "同乡": "townsman",
    "师徒": "mentor", "老师": "mentor", "秘书": "secretary", "战友": "other", "发小": "other",
    "朋友": "other", "邻居": "other", "干亲": "other",
}


def _normal(path: tuple[str, ...]) -> tuple[str, ...]:
    """Siblings as parent + child, so a blood path reads parent^u child^d."""
    out: list[str] = []
    for s in path:
        out.extend((P, C) if s == G else (s,))
    return tuple(out)


def _blood(path: tuple[str, ...]) -> str | None:
    """The degree of a path without spouse steps, or None."""
    n = _normal(path)
    u = 0
    while u < len(n) and n[u] == P:
        u += 1
    d = len(n) - u
    if not n or any(s != C for s in n[u:]):
        return None
    if u == 0 or d == 0:
        return LINEAL
    return COLLATERAL3 if u <= 2 and d <= 2 else None


def _in_law_one_way(path: tuple[str, ...]) -> bool:
    if path in ((S, P), (S, G), (S, G, S), (C, S), (C, S, P)):
        return True  # 配偶的父母/兄弟姐妹(及其配偶), 子女的配偶, 子女配偶的父母
    return len(path) > 1 and path[-1] == S and S not in path[:-1] \
        and _blood(path[:-1]) == COLLATERAL3  # 三代以内旁系血亲的配偶


def inverse(path: tuple[str, ...]) -> tuple[str, ...]:
    """The same relationship read from person_b to person_a."""
    return tuple(_INVERSE[s] for s in reversed(path))


def degree(path: tuple[str, ...]) -> str | None:
    """The legal degree of a kinship path (see the module docstring), or None."""
    path = tuple(path)
    if path == (S,):
        return SPOUSE
    if S not in path:
        return _blood(path)
    return IN_LAW if _in_law_one_way(path) or _in_law_one_way(inverse(path)) else None


def compose(*paths: tuple[str, ...]) -> tuple[str, ...]:
    """A chain of ties (a → x → b) as one path; a step straight back cancels
    (child then parent is oneself or a spouse, which is ambiguous: kept as is)."""
    out: list[str] = []
    for p in paths:
        out.extend(p)
    return tuple(out)


def path_zh(path: tuple[str, ...]) -> str:
    """``配偶的兄弟姐妹`` — a path as the law's own words."""
    return "的".join(_ZH_STEP[s] for s in path)


def relation_of(word: str) -> str:
    """The contract relation a word is, by the law: hard kin by degree, other kin
    ``other``, non-kin words their soft relation."""
    if word in NON_KIN:
        return NON_KIN[word]
    deg = degree(BY_WORD[word].path)
    return RELATION_OF[deg] if deg else "other"
