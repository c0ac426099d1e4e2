"""The kinship grammar: each word and chain with the degree the law gives it.

The expected degree of every case is written from 公务员法 第七十四条 and
《公务员回避规定》: 夫妻关系; 直系血亲 (祖父母、外祖父母、父母、子女、孙子女、外孙子女);
三代以内旁系血亲 (伯叔姑舅姨、兄弟姐妹、堂兄弟姐妹、表兄弟姐妹、侄子女、甥子女); 近姻亲
(配偶的父母、配偶的兄弟姐妹及其配偶、子女的配偶及子女配偶的父母、三代以内旁系血亲的配偶).
"""
from __future__ import annotations

import pytest

from linkgraph.kinship import (
    Degree,
    compose,
    degree,
    inverse,
    parse_relation,
    reading_degree,
    relation_of,
)

S, L, C, I, D = Degree.SPOUSE, Degree.LINEAL, Degree.COLLATERAL, Degree.IN_LAW, Degree.DISTANT  # noqa: E741

# word, the path in words (from the declaring person), the law's degree
WORDS = [
    # 夫妻关系
    ("配偶", "配偶", S), ("爱人", "配偶", S), ("老婆", "妻子", S), ("老公", "丈夫", S),
    ("妻子", "妻子", S), ("丈夫", "丈夫", S), ("夫妻", "配偶", S), ("媳妇", "妻子", S),
    # 直系血亲: parents, children, grandparents, grandchildren
    ("父亲", "父亲", L), ("母亲", "母亲", L), ("爸爸", "父亲", L), ("儿子", "儿子", L),
    ("女儿", "女儿", L), ("爷爷", "父亲的父亲", L), ("外婆", "母亲的母亲", L),
    ("姥爷", "母亲的父亲", L), ("孙子", "儿子的儿子", L), ("外孙女", "女儿的女儿", L),
    ("曾祖父", "父亲的父亲的父亲", L), ("养父", "父亲", L), ("继女", "女儿", L),
    # 三代以内旁系血亲: siblings
    ("哥哥", "兄弟", C), ("弟弟", "兄弟", C), ("姐姐", "姐妹", C), ("妹妹", "姐妹", C),
    ("二哥", "兄弟", C), ("大姐", "姐妹", C), ("亲弟弟", "兄弟", C), ("兄妹", "兄弟姐妹", C),
    # … parents' siblings (伯叔姑舅姨)
    ("叔叔", "父亲的兄弟", C), ("大伯", "父亲的兄弟", C), ("三叔", "父亲的兄弟", C),
    ("姑姑", "父亲的姐妹", C), ("舅舅", "母亲的兄弟", C), ("二姨", "母亲的姐妹", C),
    # … siblings' children (侄子女、甥子女)
    ("侄子", "兄弟的儿子", C), ("侄女", "兄弟的女儿", C), ("外甥", "姐妹的儿子", C),
    ("外甥女", "姐妹的女儿", C),
    # … cousins (堂兄弟姐妹、表兄弟姐妹)
    ("表哥", "父母的兄弟姐妹的儿子", C), ("表弟", "父母的兄弟姐妹的儿子", C),
    ("表姐", "父母的兄弟姐妹的女儿", C), ("堂弟", "父母的兄弟姐妹的儿子", C),
    ("堂妹", "父母的兄弟姐妹的女儿", C), ("姑表哥", "父母的兄弟姐妹的儿子", C),
    ("堂兄弟姐妹", "父亲的兄弟的子女", C),
    # 近姻亲: 配偶的父母
    ("岳父", "妻子的父亲", I), ("岳母", "妻子的母亲", I), ("老丈人", "妻子的父亲", I),
    ("公公", "丈夫的父亲", I), ("婆婆", "丈夫的母亲", I), ("配偶的父亲", "配偶的父亲", I),
    # … 配偶的兄弟姐妹
    ("妻弟", "妻子的兄弟", I), ("小舅子", "妻子的兄弟", I), ("大姨子", "妻子的姐妹", I),
    ("小叔子", "丈夫的兄弟", I), ("大伯子", "丈夫的兄弟", I), ("小姑子", "丈夫的姐妹", I),
    ("配偶的兄弟", "配偶的兄弟", I), ("夫兄", "丈夫的兄弟", I),
    # … 配偶的兄弟姐妹的配偶
    ("连襟", "妻子的姐妹的丈夫", I), ("妯娌", "丈夫的兄弟的妻子", I),
    ("老婆的姐夫", "妻子的姐妹的丈夫", I), ("配偶的姐夫", "配偶的姐妹的丈夫", I),
    ("丈夫的弟媳", "丈夫的兄弟的妻子", I),
    # … 子女的配偶, 子女配偶的父母
    ("女婿", "女儿的丈夫", I), ("儿媳", "儿子的妻子", I), ("儿媳妇", "儿子的妻子", I),
    ("亲家", "子女的配偶的父母", I), ("亲家母", "子女的配偶的母亲", I),
    # … 三代以内旁系血亲的配偶
    ("嫂子", "兄弟的妻子", I), ("弟媳", "兄弟的妻子", I), ("姐夫", "姐妹的丈夫", I),
    ("妹夫", "姐妹的丈夫", I), ("姑父", "父亲的姐妹的丈夫", I), ("舅妈", "母亲的兄弟的妻子", I),
    ("婶婶", "父亲的兄弟的妻子", I), ("姨父", "母亲的姐妹的丈夫", I),
    ("侄媳", "兄弟的儿子的妻子", I), ("侄女婿", "兄弟的女儿的丈夫", I),
    ("外甥媳妇", "姐妹的儿子的妻子", I), ("表嫂", "父母的兄弟姐妹的儿子的妻子", I),
    ("表兄弟的妻子", "父母的兄弟姐妹的儿子的妻子", I),
    ("表姐夫", "父母的兄弟姐妹的女儿的丈夫", I), ("堂弟媳", "父母的兄弟姐妹的儿子的妻子", I),
    # everyday forms: birth order, 家 households, colloquial in-laws
    ("长子", "儿子", L), ("次女", "女儿", L), ("老伴", "配偶", S), ("姊妹", "姐妹", C),
    ("舅舅家的表哥", "父母的兄弟姐妹的儿子", C), ("姨妈家表姐", "父母的兄弟姐妹的女儿", C),
    ("姑姑家儿子", "父亲的姐妹的儿子", C), ("大舅哥", "妻子的兄弟", I),
    ("大姑姐", "丈夫的姐妹", I), ("舅嫂", "妻子的兄弟的妻子", I),
    ("姑奶奶", "父亲的父亲的姐妹", D), ("舅爷", "父亲的母亲的兄弟", D),
    # kin the law does not name: beyond three generations, or in-laws further out
    ("表叔", "父亲的父母的兄弟姐妹的儿子", D),      # the father's cousin: 四代
    ("表侄", "父母的兄弟姐妹的儿子的儿子", D),       # a cousin's son
    ("侄孙", "兄弟的儿子的儿子", D),                # a sibling's grandchild
    ("配偶的祖父", "配偶的父亲的父亲", D),          # not among 配偶的父母
    ("孙女婿", "儿子的女儿的丈夫", D),              # not among 子女的配偶
    ("姐夫的弟弟", "姐妹的丈夫的兄弟", D),          # 兄弟姐妹的配偶的兄弟姐妹
    ("嫂子的父亲", "兄弟的妻子的父亲", D),
]


@pytest.mark.parametrize("word, described, expected", WORDS, ids=[w for w, _, _ in WORDS])
def test_word_degree_as_the_law_counts(word: str, described: str, expected: Degree) -> None:
    path = parse_relation(word)
    assert path is not None, word
    assert path.describe() == described
    assert degree(path) is expected
    assert degree(path).hard is (expected is not Degree.DISTANT)


@pytest.mark.parametrize("word", ["大学同学", "同学", "同事", "战友", "老乡", "朋友", "邻居",
                                  "师生", "师兄", "秘书", "前妻", "干儿子", "", "  ", "的",
                                  "配偶的", "王伟", "abc"])
def test_words_that_are_not_kinship(word: str) -> None:
    assert parse_relation(word) is None


@pytest.mark.parametrize("word, expected", [
    ("父子", L), ("母女", L), ("祖孙", L),                   # lineal either way round
    ("叔侄", C), ("舅甥", C), ("姑侄", C),                   # uncle ↔ nephew either way
    ("姑嫂", I), ("叔嫂", I),                                # 配偶的兄弟姐妹 ↔ 兄弟姐妹的配偶
    ("翁婿", I), ("婆媳", I),                                # 配偶的父母 ↔ 子女的配偶
    ("直系血亲", L), ("三代以内旁系血亲", C), ("近姻亲", I),   # the law's classes written out
])
def test_words_naming_a_pair_or_a_class(word: str, expected: Degree) -> None:
    path = parse_relation(word)
    assert path is not None and len(path.readings) >= 2
    assert degree(path) is expected


def test_a_recusal_relation_holds_between_the_two_whichever_side_declares() -> None:
    # 姑父 is 三代以内旁系血亲的配偶 of the nephew; the nephew is 配偶的侄子 of the
    # uncle — the same pair, so both sides are 近姻亲
    assert degree(parse_relation("配偶的侄子")) is I
    assert degree(parse_relation("配偶的表弟")) is I       # reverse of 表兄弟的妻子
    assert degree(parse_relation("配偶的外甥女")) is I
    for word in ("表哥", "妻弟", "姑父", "亲家", "岳父", "侄媳", "爷爷"):
        path = parse_relation(word)
        assert degree(inverse(path)) is degree(path), word


@pytest.mark.parametrize("first, second, expected", [
    ("表兄弟", "妻子", I),      # 三代以内旁系血亲的配偶
    ("配偶", "姐夫", I),        # 配偶的兄弟姐妹的配偶
    ("老婆", "哥哥", I),        # 配偶的兄弟姐妹
    ("爱人", "父亲", I),        # 配偶的父母
    ("女儿", "丈夫", I),        # 子女的配偶
    ("儿媳", "父亲", I),        # 子女配偶的父母
    ("哥哥", "儿子", C),        # 侄子
    ("父亲", "弟弟", C),        # 叔叔
    ("舅舅", "女儿", C),        # 表姐妹
    ("父亲", "父亲", L),        # 祖父
    ("哥哥", "哥哥", C),        # a sibling's sibling is a sibling
    ("配偶", "配偶", None),     # back to the person: no tie
    ("表哥", "儿子", D),        # a cousin's son: beyond three generations
    ("姐夫", "弟弟", D),        # 兄弟姐妹的配偶的兄弟姐妹
    ("岳父", "兄弟", I),        # the wife's uncle: he sees a 侄女婿 (旁系血亲的配偶)
])
def test_two_ties_in_a_row_follow_the_same_grammar(first: str, second: str,
                                                   expected: Degree | None) -> None:
    chain = compose(parse_relation(first), parse_relation(second))
    if expected is None:
        assert reading_degree(chain.path) is None
    else:
        assert degree(chain) is expected


def test_the_wife_s_uncle_is_an_in_law_by_the_reverse_reading() -> None:
    # 岳父的兄弟 (the wife's uncle) is 配偶的父母的兄弟姐妹, whose reverse is
    # 兄弟姐妹的子女的配偶 (侄女婿) — 三代以内旁系血亲的配偶 seen from the uncle
    path = compose(parse_relation("岳父"), parse_relation("兄弟"))
    assert path.path == "WFB"
    assert degree(parse_relation("配偶的叔叔")) is I


def test_relation_names_the_rules_weigh() -> None:
    assert relation_of(parse_relation("哥哥")) == "sibling"
    assert relation_of(parse_relation("表哥")) == "collateral"
    assert relation_of(parse_relation("爱人")) == "spouse"
    assert relation_of(parse_relation("外孙")) == "parent_child"
    assert relation_of(parse_relation("小叔子")) == "in_law"
    assert relation_of(parse_relation("表叔")) == "other"


def test_fullwidth_and_spaces_are_ignored() -> None:
    assert parse_relation(" 表 哥 ").path == "PGS"
    assert parse_relation("老婆　的　姐夫").path == "WZH"


def test_english_description() -> None:
    assert parse_relation("妻弟").describe("en") == "wife's brother"


@pytest.mark.parametrize("word, relation, path", [
    ("本人的哥哥", "sibling", "B"), ("其配偶", "spouse", "E"), ("表哥（已故）", "collateral", "PGS"),
    ("夫妻关系", "spouse", "E"), ("叔伯兄弟", "collateral", "FBS"), ("兄嫂", "in_law", "BBW"),
    ("大学同学", "classmate", None), ("同学(高中)", "classmate", None),
    ("原单位同事", "colleague", None), ("师生", "mentor", None), ("其他", "other", None),
    ("姑奶奶", "other", "FFZ"),              # kin, but not a recusal relation
    ("parent_child", "parent_child", "P|C|PP|CC"),   # the contract's own name: the class
])
def test_reading_a_relation_cell(word, relation, path):
    from linkgraph.relations import read_relation

    read = read_relation(word)
    assert (read.relation, read.kinship, read.known) == (relation, path, True)


def test_an_unknown_word_is_other_and_flagged():
    from linkgraph.relations import read_relation

    assert read_relation("拜把子") == read_relation("拜把子")
    read = read_relation("拜把子")
    assert (read.relation, read.kinship, read.known) == ("other", None, False)
    # the office's own words (rules file) win over everything
    assert read_relation("拜把子", {"拜把子": "other"}).known
    assert read_relation("表哥", {"表哥": "classmate"}).relation == "classmate"


def test_a_tie_tooltip_shows_the_path_in_words_not_the_code():
    from linkgraph.views.text import edge_rows

    rows = dict(edge_rows("TIE", {"type": "TIE", "relation": "in_law", "relation_word": "姑父",
                                  "kinship": "FZH"}, "王伟", "李强", "zh"))
    assert rows["亲属路径"] == "父亲的姐妹的丈夫"
    assert rows["关系（原文）"] == "姑父"
    assert "FZH" not in "".join(rows.values())
    rows = dict(edge_rows("TIE", {"relation": "in_law", "kinship": "FZH"}, "a", "b", "en"))
    assert rows["Kinship path"] == "father's sister's husband"
