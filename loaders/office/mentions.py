"""People, units and items as ledgers write them in one cell.

``杨光（党委书记）``, ``县农业农村局党组书记、局长`` (a unit and a title in one
cell), ``陈明、赵伟`` (two people), ``（1）……；（2）……`` (two measures).  The
functions here only take the text apart; they never decide which unit or
person is meant (that is the resolver's work).
"""
from __future__ import annotations

import datetime as dt
import functools
import re

from loaders.office.records import PersonMention, UnitMention
from loaders.office.values import EMPTY, ValueProblem, clean

# --- several items in one cell ---------------------------------------------

_NUMBERED = [
    re.compile(r"[(（]\s*(\d{1,2})\s*[)）]"),             # （1） (1)
    re.compile(r"(?:^|(?<=[\n；;。]))\s*(\d{1,2})\s*[.、．](?!\d)"),  # 1. 1、 at a line/clause start
    re.compile(r"([①②③④⑤⑥⑦⑧⑨⑩])"),
]
_CIRCLED_MARK = re.compile("[①②③④⑤⑥⑦⑧⑨⑩]")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"


def split_items(value: object) -> list[str]:
    return list(_split_items(value))


@functools.lru_cache(maxsize=1 << 18, typed=True)
def _split_items(value: object) -> tuple[str, ...]:
    """A cell holding numbered items → the items (``（1）A；（2）B`` → A, B).

    Only a run numbered 1, 2, 3 … from its first marker counts, so a
    sentence that merely mentions ``（2）`` or a date ``2023.6`` stays one item;
    text before the first marker (a lead-in) stays with the first item."""
    if isinstance(value, str):  # NFKC would turn ① into 1: mark it first
        value = _CIRCLED_MARK.sub(lambda m: f"（{'①②③④⑤⑥⑦⑧⑨⑩'.index(m[0]) + 1}）", value)
    text = clean(value)
    if not text:
        return ()
    for pattern in _NUMBERED:
        marks = list(pattern.finditer(text))
        numbers = [(_CIRCLED.index(m[1]) + 1) if m[1] in _CIRCLED else int(m[1]) for m in marks]
        if len(marks) < 2 or numbers != list(range(1, len(marks) + 1)):
            continue
        lead_in = text[: marks[0].start()].strip()
        items = []
        for i, m in enumerate(marks):
            stop = marks[i + 1].start() if i + 1 < len(marks) else len(text)
            items.append(_trim_item(text[m.end():stop]))
        if lead_in and not re.fullmatch(r"[：:]*", lead_in):
            items[0] = f"{lead_in}{items[0]}"
        return tuple(x for x in items if x)
    return (text,)


def _trim_item(text: str) -> str:
    return text.strip().strip("；;，,、\n ").strip()


_NAME_SPLIT = re.compile(r"[、，,；;/\n]")


def split_names(value: object) -> list[str]:
    return list(_split_names(value))


@functools.lru_cache(maxsize=1 << 18, typed=True)
def _split_names(value: object) -> tuple[str, ...]:
    """``陈明、赵伟`` / ``陈明，赵伟`` / ``陈明 赵伟`` → the parts as written."""
    text = clean(value)
    if text.lower() in EMPTY:
        return ()
    parts: list[str] = []
    depth = 0
    current = ""
    for ch in text:  # separators inside brackets belong to the part (杨光（书记、镇长）)
        depth += ch in "(（[【"
        depth -= ch in ")）]】"
        if depth <= 0 and _NAME_SPLIT.fullmatch(ch):
            parts.append(current)
            current = ""
            depth = 0
        else:
            current += ch
    parts.append(current)
    out: list[str] = []
    for part in (p.strip() for p in parts):
        pieces = part.split()
        if len(pieces) > 1 and all(len(x) >= 2 and "(" not in x for x in pieces):
            if any(_unit_or_post(x) for x in pieces):
                out.append(" ".join(pieces))  # 周八 白沙镇, 县财政局副局长 王五: one person
            else:
                out += pieces  # 陈明 赵伟
        elif part:
            out.append(re.sub(r"\s+", "", part) if "(" not in part else part)  # 王 磊 (padded)
    return tuple(out)


#: Endings that make a word a unit, not a name, beside a name (周八 白沙镇).
_PLACE_ENDINGS = ("镇", "乡", "街道", "村", "社区", "局", "委", "办", "政府", "党组", "党委", "党工委",
                  "委员会", "公司", "中心", "医院", "学校", "所", "站")


def _unit_or_post(word: str) -> bool:
    """Whether a word a space sets apart is a unit or a post, not a second name."""
    return (len(word) >= 3 and word.endswith(_PLACE_ENDINGS)) or \
        split_unit_title(word)[1] is not None


# --- units and titles -------------------------------------------------------

#: Posts as ledgers write them, longest first where one contains another.
TITLE_WORDS = tuple(sorted({
    "党组书记", "党组副书记", "党组成员", "党委书记", "党委副书记", "党委委员", "党委成员",
    "党工委书记", "党工委副书记", "党总支书记", "党支部书记", "支部书记", "总支书记",
    "纪委书记", "纪检组长", "纪检监察组长", "纪工委书记", "组织委员", "宣传委员",
    "书记", "副书记", "局长", "副局长", "主任", "副主任", "镇长", "副镇长", "乡长", "副乡长",
    "县长", "副县长", "市长", "副市长", "区长", "副区长", "主席", "副主席", "院长", "副院长",
    "校长", "副校长", "站长", "副站长", "所长", "副所长", "科长", "副科长", "股长", "副股长",
    "处长", "副处长", "部长", "副部长", "经理", "副经理", "总经理", "董事长", "会计", "出纳",
    "报账员", "文书", "委员", "干部", "职工", "工作人员", "办事员", "科员", "四级主任科员",
    "三级主任科员", "一级科员", "二级科员", "村委会主任", "村主任", "监委会主任", "主任科员",
    "队长", "副队长", "组长", "副组长", "秘书长", "副秘书长", "调研员", "馆长", "行长",
    "副总经理", "财务总监", "总监", "监委主任", "村委委员", "村委会副主任", "党支部副书记",
    "支部委员", "常委", "理事长", "会长", "社长", "专干", "网格员", "驻村第一书记", "第一书记",
}, key=len, reverse=True))
#: How a unit's written name ends (so a title is not cut out of a unit).
UNIT_ENDINGS = ("人民政府", "政府", "党组", "党委", "党工委", "党总支", "党支部", "委员会", "管委会",
                "局", "委", "办", "镇", "乡", "街道", "村", "社区", "中心", "站", "所", "院", "校",
                "公司", "厂", "会", "队", "室", "馆", "部", "处", "科", "股", "行", "社", "场", "园",
                "学", "院", "局党组", "组")


#: Words that stand for "this unit" rather than name one.
GENERIC_UNITS = frozenset({"村", "社区", "镇", "乡", "街道", "局", "委", "办", "本单位", "单位", "村委会",
                           "居委会", "本村", "本社区", "本局", "该单位", "所", "站", "中心", "学校", "校"})


#: Bodies inside a place a title may name before the post (村党支部书记, 村委会主任).
TITLE_BODIES = ("街道办事处", "村务监督委员会", "党支部", "党总支", "党工委", "党委", "党组", "村委会", "居委会",
                "监委会")


@functools.cache
def _titles_pattern(place: bool) -> re.Pattern[str]:
    """A run of posts and nothing else: ``党支部书记、村委会主任``; with
    ``place`` a post may start with its place word (``村党支部书记``)."""
    post = "|".join(map(re.escape, TITLE_WORDS))
    body = "|".join(map(re.escape, TITLE_BODIES))
    one = (r"(?:(?:村|社区)(?!村|社区|居))?" if place else "") + rf"(?:{body})?(?:{post})"
    return re.compile(rf"{one}(?:[、，,兼]{one})*")


def _split_at(text: str) -> int | None:
    """Where the posts begin: the first cut after a unit's ending (or at the
    start) after which the text is posts and nothing else — first without a
    place word before the post (``和场村党支部书记`` is 和场村's, not 和场's),
    then with one; failing that, the first title word right after a unit's
    ending."""
    for place in (False, True):
        titles = _titles_pattern(place)
        for cut in range(len(text)):
            if (cut == 0 or text[:cut].endswith(UNIT_ENDINGS)) and titles.fullmatch(text, cut):
                return cut
    best: int | None = None
    for word in TITLE_WORDS:
        start = text.find(word)
        while start != -1:
            prefix = text[:start]
            if start == 0 or prefix.endswith(UNIT_ENDINGS) or prefix.endswith(("、", "兼")):
                if best is None or start < best:
                    best = start
                break
            start = text.find(word, start + 1)
    return best


@functools.lru_cache(maxsize=1 << 18, typed=True)
def split_unit_title(value: object) -> tuple[UnitMention | None, str | None]:
    """``县农业农村局党组书记、局长`` → (县农业农村局, 党组书记、局长);
    ``白沙镇人民政府副镇长`` → (白沙镇人民政府, 副镇长); ``白沙村村党支部书记`` →
    (白沙村, 村党支部书记); a title alone → (None, title); a unit alone →
    (unit, None)."""
    text = re.sub(r"\s+", "", clean(value))
    if text.lower() in EMPTY:
        return None, None
    best = _split_at(text)
    if best is None:
        return UnitMention(text), None
    unit, title = text[:best].rstrip("、，,兼"), text[best:]
    for place in ("村", "社区"):  # 白沙村村党支部书记: the post is 村党支部书记
        if unit.endswith(place * 2):
            unit, title = unit[: -len(place)], place + title
    if unit in GENERIC_UNITS:  # 村党支部书记: the row's own unit, not a unit named 村
        return None, unit + title
    return (UnitMention(unit) if unit else None), title


# --- people -----------------------------------------------------------------

_NAME = r"[\u4e00-\u9fff·•]{2,5}"
_PERSON = re.compile(rf"^(?P<name>{_NAME}?)\s*(?:[(（](?P<inside>[^()（）]*)[)）])?\s*"
                     rf"(?:[，,:：\s]\s*(?P<after>.+))?$")
_GENDER = {"男": "男", "女": "女"}


@functools.lru_cache(maxsize=1 << 18, typed=True)
def person(value: object, *, unit: UnitMention | None = None, title: str | None = None,
           birth: str | None = None) -> PersonMention:
    """One person cell: ``杨光``, ``杨光（党委书记）``, ``杨光（县农业农村局党组书记）``,
    ``杨光，女，1971.03``.  ``unit``/``title``/``birth`` come from the row's
    other columns (单位及职务, 出生年月) and win over what the cell adds."""
    text = clean(value)
    m = _PERSON.match(re.sub(r"\s+", " ", text))
    if m and m["name"] and _post_first(text):  # 局长张三, 党委书记 李四
        m = None
    if not m or not m["name"]:
        titled = _titled_name(text)
        if titled is None:
            raise ValueProblem(f"看不出姓名：{text} / no person's name in the cell")
        post_unit, post, name = titled
        return PersonMention(name, text, unit or post_unit, title or post, birth)
    gender = None
    name = m["name"].removesuffix("同志") if len(m["name"]) >= 4 else m["name"]
    extra = [x for x in (m["inside"], m["after"]) if x]
    for part in extra:
        for bit in re.split(r"[，,、\s]+", part):
            if bit in _GENDER:
                gender = _GENDER[bit]
            elif _PERSON_NOTE.fullmatch(bit):
                continue  # 已调离, 已退休: a note on the person, not a unit
            elif bit.startswith("原") and len(bit) > 2:
                # 原白沙镇镇长: a former post; its unit helps find the person (when
                # the row names none), the post is not a current one
                unit = unit or split_unit_title(bit[1:])[0]
            elif re.fullmatch(r"(19|20)\d{2}([.年/-]\d{1,2}月?)?(生)?", bit):
                birth = birth or parse_birth(bit.removesuffix("生"))
            elif bit and not unit and not title:
                unit_here, title_here = split_unit_title(bit)
                unit, title = unit or unit_here, title or title_here
            elif bit and title is None:
                title = bit
    return PersonMention(name, text, unit, title, birth, gender)


#: What a bracket after a name may say of the person that is no unit or post.
_PERSON_NOTE = re.compile(r"(?:现|已经|已)?(?:调离|调出|退休|离任|离职|辞职|免职|去世|病故|故|转岗)(?:本单位)?")


#: Posts that begin with a common surname (文书华 is a name): before a name
#: only with a space between (``文书 张华``).
_SURNAME_POSTS = ("文书", "会计", "会长")


@functools.lru_cache(maxsize=1 << 18)
def _post_first(text: str) -> bool:
    """Whether the cell is a post and then a name (``局长张三``, ``党委书记 李四``,
    ``县农业农村局局长杨光``) rather than a name (``文书华``) or a name and a post."""
    spaced = re.match(r"^(\S+)\s+[\u4e00-\u9fff·]{2,4}$", text.strip())
    if spaced:
        return split_unit_title(spaced[1])[1] is not None
    flat = re.sub(r"\s+", "", text)
    return not flat.startswith(_SURNAME_POSTS) and _titled_name(flat) is not None


#: GENERIC_UNITS, longest first (a post's place word: 村委会 before 村).
_GENERIC_LONGEST = tuple(sorted(GENERIC_UNITS, key=len, reverse=True))


@functools.lru_cache(maxsize=1 << 18)
def _titled_name(text: str) -> tuple[UnitMention | None, str, str] | None:
    """``村党支部书记王国东``, ``县农业农村局局长杨光``: a post, then the name."""
    flat = re.sub(r"\s+", "", text)
    unit, title = split_unit_title(flat)
    if not title:
        return None
    prefix = next((g for g in _GENERIC_LONGEST if unit is None
                   and title.startswith(g) and any(title[len(g):].startswith(w) for w in TITLE_WORDS)),
                  "")
    title = title[len(prefix):]
    for word in TITLE_WORDS:  # the longest post the title starts with
        if title.startswith(word):
            rest = title[len(word):]
            while True:  # 党组书记、局长杨光: further posts before the name
                more = next((w for w in TITLE_WORDS if rest.lstrip("、，,兼").startswith(w)), None)
                if more is None:
                    break
                word = title[: len(title) - len(rest.lstrip("、，,兼")) + len(more)]
                rest = title[len(word):]
            if re.fullmatch(r"[\u4e00-\u9fff·]{2,4}", rest):
                return unit, prefix + word, rest
            break
    m = _POST_THEN_NAME.fullmatch(flat)  # a post not in TITLE_WORDS: 副总经理李娜
    if m:
        post_unit, post = split_unit_title(m["post"])
        return post_unit, post or m["post"], m["name"]
    return None


_POST_THEN_NAME = re.compile(r"(?P<post>[\u4e00-\u9fff、]+?(?:长|员|书记|主任|经理|总监|委员|会计|出纳|"
                             r"干部|主席|秘书|专干|助理|总工|科员|职工))(?P<name>[\u4e00-\u9fff·]{2,3})")


def people(value: object, *, unit: UnitMention | None = None, title: str | None = None,
           birth: str | None = None) -> list[PersonMention]:
    """A cell naming one or several people (``陈明、赵伟``)."""
    return [person(part, unit=unit, title=title, birth=birth) for part in split_names(value)]


@functools.lru_cache(maxsize=1 << 18, typed=True)
def parse_birth(value: object) -> str | None:
    """出生年月 → ``1971`` or ``1971.03``.  The number 1971.1 (Excel's form of a
    typed 1971.10) is ambiguous: its month is left out, the year kept."""
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value.year}.{value.month:02d}"
    if isinstance(value, bool):
        raise ValueProblem(f"不是出生年月：{value} / not a birth date")
    if isinstance(value, (int, float)):
        year = int(value)
        if not 1900 <= year <= dt.date.today().year:
            raise ValueProblem(f"不是出生年月：{value} / not a birth year")
        digits = f"{float(value):.6f}".split(".")[1].rstrip("0")
        if not digits:
            return str(year)
        if digits == "1" or len(digits) > 2 or not 1 <= int(digits) <= 12:
            return str(year)
        return f"{year}.{int(digits):02d}"
    text = re.sub(r"\s+", "", clean(value))
    if text.lower() in EMPTY:
        return None
    m = re.fullmatch(r"((?:19|20)\d{2})(?:[.年/-](\d{1,2})月?(?:[.月/-]?\d{1,2}日?)?)?(?:生)?",
                     text)
    if not m or not 1900 <= int(m[1]) <= dt.date.today().year:
        raise ValueProblem(f"不是出生年月：{text}（应如 1971.03） / not a birth year and month")
    if m[2] is None:
        return m[1]
    if not 1 <= int(m[2]) <= 12:
        raise ValueProblem(f"不是有效月份：{text} / not a valid month")
    return f"{m[1]}.{int(m[2]):02d}"


# --- 工作简历 -------------------------------------------------------------------

_DATE_PART = r"(?:19|20)\d{2}\s*[.\-/年]\s*\d{1,2}\s*(?:[.\-/月]\s*\d{1,2}\s*日?|月)?"
_RESUME_ITEM = re.compile(rf"^\s*(?P<start>{_DATE_PART})\s*(?:[—–\-~～至到]+|——)\s*"
                          rf"(?P<end>{_DATE_PART}|至今|今)?\s*[，,:：\s]*(?P<post>.+?)\s*[；;。]?\s*$")


def parse_resume(value: object) -> list[tuple[str, str | None, str]]:
    """工作简历 → (start, end or None, post as written) per line; lines that are
    not ``START—END POST`` (a school, a note) are left out."""
    text = clean(value)
    if not text:
        return []
    out = []
    for line in re.split(r"[\n；;]+", text):
        m = _RESUME_ITEM.match(line)
        if not m or not m["post"]:
            continue
        end = m["end"] if m["end"] not in (None, "至今", "今") else None
        out.append((m["start"].strip(), end.strip() if end else None, m["post"].strip()))
    return out
