"""Closed vocabularies: canonical value -> the words ledgers actually use.

A value is matched after NFKC and trimming, case-insensitively for Latin
letters.  The canonical English value itself is always accepted.  Relation
words can be extended from the rules file (``[relations.words]``).
"""
from __future__ import annotations

from collections.abc import Mapping

RELATION_WORDS: dict[str, tuple[str, ...]] = {
    "spouse": ("夫妻", "配偶", "夫妇", "丈夫", "妻子", "爱人", "老公", "老婆"),
    "parent_child": (
        "直系血亲", "父子", "父女", "母子", "母女", "父母", "子女", "父亲", "母亲",
        "儿子", "女儿", "祖孙", "祖父", "祖母", "外祖父", "外祖母", "孙子", "孙女",
        "外孙", "外孙女", "爷孙",
    ),
    "sibling": (
        "兄弟姐妹", "兄弟", "姐妹", "兄妹", "姐弟", "哥哥", "弟弟", "姐姐", "妹妹",
        "同胞",
    ),
    "collateral": (
        "三代以内旁系血亲", "旁系血亲", "叔侄", "伯侄", "姑侄", "舅甥", "姨甥",
        "堂兄弟", "堂姐妹", "堂兄妹", "堂姐弟", "表兄弟", "表姐妹", "表兄妹",
        "表姐弟", "堂亲", "表亲", "叔叔", "伯父", "舅舅", "姑姑", "姨妈", "侄子",
        "侄女", "外甥", "外甥女",
    ),
    "in_law": (
        "近姻亲", "姻亲", "岳父", "岳母", "岳父母", "公公", "婆婆", "公婆", "女婿",
        "儿媳", "连襟", "妯娌", "姐夫", "妹夫", "嫂子", "弟媳", "大舅子", "小舅子",
        "小姨子", "大姑子", "小姑子", "配偶的兄弟姐妹", "亲家",
    ),
    "classmate": ("同学", "同班", "同班同学", "校友", "同届", "同窗"),
    "colleague": ("同事", "共事", "前同事", "原同事"),
    "townsman": ("同乡", "老乡", "同村", "同镇"),
    "mentor": ("师生", "师徒", "导师", "老师", "学生", "同一导师", "同门"),
    "secretary": ("秘书", "领导秘书"),
    "other": ("其他", "朋友", "战友", "邻居", "其它", "亲戚", "亲属", "远房亲戚", "好友"),
}

ROUND_KIND_WORDS: dict[str, tuple[str, ...]] = {
    "regular": ("常规巡察", "常规"),
    "special": ("专项巡察", "专项"),
    "flexible": ("机动巡察", "机动"),
    "elevated": ("提级巡察", "提级"),
    "cross": ("交叉巡察", "交叉"),
    "linked": ("上下联动巡察", "上下联动", "联动巡察"),
    "lookback": ('巡察"回头看"', "巡察回头看", "回头看", "巡察“回头看”"),
    "village": ("对村巡察", "村级巡察", "村(社区)巡察"),
}

ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "leader": ("组长",),
    "deputy": ("副组长",),
    "member": ("成员", "组员"),
    "liaison": ("联络员",),
}

STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "done": ("已完成", "完成"),
    "closed": ("已销号", "销号"),
    "partly": ("基本完成",),
    "open": ("未完成", "推进中", "正在整改", "整改中"),
    "ongoing": ("长期坚持", "持续整改"),
}

DISPOSITION_WORDS: dict[str, tuple[str, ...]] = {
    "talk": ("谈话函询", "谈话", "函询"),
    "verify": ("初步核实", "核实"),
    "hold": ("暂存待查", "暂存"),
    "close": ("予以了结", "了结"),
    "investigate": ("立案审查", "立案审查调查", "审查调查"),
}

OUTCOME_WORDS: dict[str, tuple[str, ...]] = {
    "case_filed": ("立案",),
    "sanctioned": ("党纪政务处分", "处分", "党纪处分", "政务处分"),
    "judicial": ("移送司法", "移送司法机关"),
}

DEPT_KIND_WORDS: dict[str, tuple[str, ...]] = {
    "discipline": ("纪委监委", "纪委", "监委", "纪委监察委"),
    "discipline_office": ("纪检监察室", "监督检查室", "审查调查室"),
    "stationed": ("派驻纪检组", "派驻纪检监察组", "派驻组"),
    "organization": ("组织部", "党委组织部", "县委组织部", "市委组织部"),
    "propaganda": ("宣传部",),
    "audit": ("审计", "审计局", "审计厅"),
    "finance": ("财政", "财政局", "财政厅"),
    "inspection_office": ("巡察办", "巡察工作领导小组办公室"),
    "other": ("其他",),
}

POOL_KIND_WORDS: dict[str, tuple[str, ...]] = {
    "leader": ("组长库", "组长", "正职"),
    "deputy": ("副组长库", "副组长", "副职"),
    "member": ("成员库", "成员", "组员", "人才库", "后备人才库"),
    "liaison": ("联络员库", "联络员", "联络员后备人才库"),
    "expert": ("专家库", "专家", "专家智库"),
}

#: What a review (整改审核 / 会审) looked at: the rectification plan, the
#: rectification report, or the closing (销号) of a measure or problem.
REVIEW_SUBJECT_WORDS: dict[str, tuple[str, ...]] = {
    "plan": ("整改方案", "方案"),
    "report": ("整改报告", "整改情况报告", "报告"),
    "closure": ("销号", "整改销号", "销号审核"),
}

REVIEW_VERDICT_WORDS: dict[str, tuple[str, ...]] = {
    "pass": ("通过", "审核通过", "同意", "同意销号"),
    "rewrite": ("退回重写", "退回", "打回重写", "退回修改"),
    "redo": ("再整改", "重新整改", "回炉整改", "继续整改"),
}

#: When a 巡察政治谈话 took place: before, during or after the inspection.
TALK_STAGE_WORDS: dict[str, tuple[str, ...]] = {
    "before": ("巡前", "巡察前"),
    "during": ("巡中", "巡察中"),
    "after": ("巡后", "巡察后"),
}

BOOL_WORDS: dict[str, tuple[str, ...]] = {
    "true": ("是", "y", "yes", "1", "1.0", "true", "t", "√", "✓", "对"),
    "false": ("否", "n", "no", "0", "0.0", "false", "f", "×", "不是"),
}

VOCABULARIES: dict[str, dict[str, tuple[str, ...]]] = {
    "relation": RELATION_WORDS,
    "round_kind": ROUND_KIND_WORDS,
    "role": ROLE_WORDS,
    "status": STATUS_WORDS,
    "disposition": DISPOSITION_WORDS,
    "outcome": OUTCOME_WORDS,
    "dept_kind": DEPT_KIND_WORDS,
    "pool_kind": POOL_KIND_WORDS,
    "review_subject": REVIEW_SUBJECT_WORDS,
    "review_verdict": REVIEW_VERDICT_WORDS,
    "talk_stage": TALK_STAGE_WORDS,
}

#: Vocabularies where an unknown value is kept as ``other`` with a warning
#: instead of rejecting the row.
LENIENT_VOCABULARIES: dict[str, str] = {"dept_kind": "other"}

#: How each canonical value reads in Chinese output.
LABELS_ZH: dict[str, dict[str, str]] = {
    name: {canon: (words[0] if words else canon) for canon, words in table.items()}
    for name, table in VOCABULARIES.items()
}
LABELS_ZH["round_kind"]["lookback"] = "巡察“回头看”"


def lookup_table(words: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """word (lower-cased) -> canonical value, including the canonical names."""
    table: dict[str, str] = {}
    for canon, aliases in words.items():
        table[canon.lower()] = canon
        for word in aliases:
            table[word.lower()] = canon
    return table


def vocabulary(name: str, extra_words: Mapping[str, str] | None = None) -> dict[str, str]:
    """The lookup for vocabulary ``name``, extended with ``extra_words``."""
    table = lookup_table(VOCABULARIES[name])
    for word, canon in (extra_words or {}).items():
        table[word.strip().lower()] = canon
    return table


def accepted_values(name: str) -> str:
    """A short human list of the accepted values, for error messages."""
    words = VOCABULARIES[name]
    return ", ".join(f"{canon}/{'/'.join(aliases[:2])}" if aliases else canon
                     for canon, aliases in words.items())
