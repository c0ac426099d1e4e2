"""Unit names as offices write them, reduced to one key per inspected unit.

The rules (data, below) follow how 党组织 and 政府 names are built:

* ``中共`` / ``中国共产党`` before a name and ``党组`` / ``党委`` / ``党工委`` /
  ``党总支`` / ``党支部`` after it name the unit's party body, which is the
  unit: ``县农业农村局``, ``中共青岚县农业农村局党组`` and ``县农业农村局党组``
  are one unit; so are ``白沙镇``, ``白沙镇党委`` and ``中共青岚县白沙镇委员会``
  (``委员会`` counts as a party suffix only after a place: 镇/乡/街道/村/社区).
* ``人民政府`` after a township (and ``街道办事处``, ``村民委员会``, ``居民委员会``
  after a street or village) names the *government* of a place whose party
  committee is the inspected unit.  They are usually one unit, but that is
  the office's decision: the form is kept (``form="gov"``) so the resolver
  can send it to review.
* A region before the name (``青岚县``, ``XX市``) is kept apart as
  ``region``; a bare ``县`` / ``市`` / ``区`` ("the county's …") is kept as
  ``level`` and resolved from the ledger's context.

``parse_unit("中共青岚县白沙镇委员会")`` → ``UnitName(region="青岚县",
core="白沙镇", form="party")``.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

#: Words before a name that say "the party body of".
PARTY_PREFIXES = ("中国共产党", "中共")
#: Suffixes naming a unit's party body (longest first).
PARTY_SUFFIXES = ("机关党委", "党总支部委员会", "党支部委员会", "总支部委员会",
                  "支部委员会", "党工委", "党总支", "党支部", "党委", "党组")
#: Places after which ``委员会`` names the party committee (镇委员会 = 镇党委).
PLACE_ENDINGS = ("镇", "乡", "街道", "村", "社区")
#: Suffixes naming a place's government (the 政府 of a 党委's place).
GOV_SUFFIXES = ("人民政府", "办事处", "村务监督委员会", "村民委员会", "居民委员会", "村委会",
                "居委会", "村委")
#: Government words of a village or community (the core keeps its 村 / 社区).
VILLAGE_GOV = ("村民委员会", "居民委员会", "村委会", "居委会", "村委")
#: A place word repeated after a party or government word.
DANGLING = ("村委会", "村委", "居委会", "社区", "街道", "村")
#: Notes a cell may carry that are not part of the name.
NOTE_PATTERN = re.compile(r"[（(](?:盖章|公章|章|签章|单位盖章)[）)]")
#: Label before a name: ``填报单位：`` ``被巡察单位:``.
LABEL_PATTERN = re.compile(r"^[^：:]{0,8}单位[：:]")
#: Words that end the unit in a title (``…党组落实县委第一巡察组…整改台账``).
TITLE_CUT = re.compile(r"(?:关于|落实|贯彻|对照|巡察反馈|巡察整改|整改|问题|台账|情况|清单|名册)")
#: A named region at the start of a name (two or more characters).
REGION_PATTERN = re.compile(
    r"^([\u4e00-\u9fffA-Za-z]{1,7}?(?:自治州|自治县|自治旗|省|市|县|区|旗|州|盟))")
#: What a region's name must not end with (these are places inside a unit).
NOT_REGION = ("社区", "小区", "园区", "校区", "景区", "片区", "城区", "新区管委会")
#: An office inside a township (its 党政办, 纪委 …), with a title some rosters leave on.
PLACE_SECTION = re.compile(
    r"^(.+?(?:镇|乡|街道))(?:党委|党工委|工作委员会|委员会|人民政府|街道办事处|办事处)?"
    r"(?:党政办|党建办|党政综合办公室|综治办|综治中心|纪委|纪工委|组织办|宣传办|经发办|社会事务办|"
    r"社事办|办公室)?(?:组织干事|宣传干事|纪检干事|干事)?$")
#: A section inside a bureau or the 纪委监委 (its 办公室, 纪检监察室, 巡察组): the
#: bureau.  县委办公室 and 县政府办公室 are units of their own, so 办公室 only
#: after 局 or a party body.
BUREAU_SECTION = re.compile(
    r"^(.*?(?:局|纪委监委|巡察办))(?:党组|党委|机关党委)?(?:办公室|纪检监察室|巡察组)$")

#: A bare level word: ``县农业农村局`` = the county's 农业农村局.
LEVEL_WORDS = ("县", "市", "区", "省")


@dataclass(frozen=True)
class UnitName:
    """A unit name taken apart: ``core`` is the name without region and
    party/government words; ``form`` is ``party``, ``gov`` or ``plain``."""

    written: str
    region: str | None
    level: str | None
    core: str
    form: str

    @property
    def display(self) -> str:
        return f"{self.region or ''}{self.core}"


@cache
def clean(text: str) -> str:
    """NFKC, no spaces, no ``（盖章）`` note, no ``填报单位：`` label."""
    text = unicodedata.normalize("NFKC", str(text))
    text = re.sub(r"\s+", "", text)
    text = NOTE_PATTERN.sub("", text)
    text = LABEL_PATTERN.sub("", text)
    return text.strip("，,。.;；:：、")


@cache
def from_title(text: str) -> str:
    """The unit a title names: ``中共青岚县农业农村局党组落实…台账`` →
    ``中共青岚县农业农村局党组``."""
    text = clean(text)
    cut = TITLE_CUT.search(text)
    return text[: cut.start()] if cut and cut.start() > 1 else text


#: Region levels, highest first: a region inside another names a lower level.
_REGION_RANK = (("省", "自治区"), ("市", "州", "盟", "自治州"), ("县", "区", "旗", "自治县", "自治旗"))
#: Place words a region's name never holds (黄州村 is a village, not 黄州).
_IN_PLACE_WORD = re.compile("(?:镇|乡|街道|村|社区).")  # 西林镇黄州 (牛镇市 is a city)


def _rank(region: str) -> int:
    return max(i for i, ends in enumerate(_REGION_RANK) if region.endswith(ends))


def _township(rest: str) -> bool:
    """Whether what follows a would-be region makes it a township's name:
    马州街道 and 黄州镇 are places named 马州 and 黄州, not 街道 and 镇 in a
    region 马州 (乡村振兴局 and 乡镇企业局 after a county are bureaus)."""
    return rest.startswith(("街道", "镇")) or (
        rest.startswith("乡") and rest[1:2] not in ("村", "镇"))


def _strip_regions(text: str) -> tuple[str | None, str | None, str]:
    """Regions before the name: 青岚县…, XX省XX市…; each nested region is of a
    lower level than the one before (``大池县城市建设…``: no 城市 after a
    county), holds no place word and is not a village's or a township's first
    characters (黄州村, 马州街道)."""
    region = level = None
    rank = -1
    while text[:1] not in LEVEL_WORDS:
        m = REGION_PATTERN.match(text)
        if not m:
            break
        found, rest = m.group(1), text[m.end():]
        if (len(found) < 2 or found.endswith(NOT_REGION) or not rest
                or rest.startswith(("村", "社区")) or _township(rest)
                or _IN_PLACE_WORD.search(found[:-1]) or _rank(found) <= rank):
            break
        region, text, rank = found, rest, _rank(found)
    if region is None and len(text) > 1 and text[0] in LEVEL_WORDS:
        level, text = text[0], text[1:]
    return region, level, text


def _strip_once(text: str) -> tuple[str, str]:
    for suffix in GOV_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            core = text[: -len(suffix)]
            if suffix in VILLAGE_GOV and not core.endswith(("村", "社区")):
                core += "社区" if suffix.startswith("居") else "村"  # 石桥村委会 = 石桥村's
            return core, "gov"
    for suffix in PARTY_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)], "party"
    if text.endswith("工作委员会") and text[:-5].endswith(PLACE_ENDINGS):
        return text[:-5], "party"  # 街道工作委员会 = 街道党工委
    if text.endswith("委员会") and text[:-3].endswith(PLACE_ENDINGS):
        return text[:-3], "party"
    if text.endswith("支部") and text[:-2].endswith(("村", "社区")):
        return text[:-2], "party"
    return text, "plain"


def _strip_form(text: str) -> tuple[str, str]:
    """Party and government words off the end, repeatedly (``…村党支部村委会``
    is the village's 两委), with the place word some ledgers repeat after
    them (``…社区党委社区``, ``…村党支部村``)."""
    form = "plain"
    for _ in range(3):
        core, found = _strip_once(text)
        if found == "plain":
            for fragment in DANGLING:
                if text.endswith(fragment) and len(text) > len(fragment):
                    core, found = _strip_once(text[: -len(fragment)])
                    if found != "plain":
                        break
        if found == "plain":
            break
        text, form = core, ("party" if "party" in (form, found) else found)
    return text, form


@cache
def parse_unit(text: str) -> UnitName:
    """``text`` as written → its region, level word, core and form."""
    written = clean(text)
    body = written
    party = False
    if body.startswith("原") and len(body) > 3:  # 原东关乡…村: its former township's name
        body = body[1:]
    for prefix in PARTY_PREFIXES:
        if body.startswith(prefix) and len(body) > len(prefix):
            body, party = body[len(prefix):], True
            break
    region, level, body = _strip_regions(body)
    core, form = _strip_form(body)
    for place in ("社区", "街道"):  # 光岭社区社区, 彭铺街道街道(办事处)
        if core.endswith(place * 2):
            core = core[: -len(place)]
    inside = PLACE_SECTION.match(core) or BUREAU_SECTION.match(core)
    if inside:  # 宁场镇党政办, 龙岸镇纪委: an office of the township, the township
        core = inside.group(1)
    if party and form == "plain":
        form = "party"
    if not core:
        core, form = body, "plain"
    return UnitName(written, region, level, core, form)


def region_level(region: str) -> str | None:
    """The level word a region's name ends with (``青岚县`` → ``县``)."""
    for word in LEVEL_WORDS:
        if region.endswith(word):
            return word
    return None


#: How an office inside a unit ends (责任股室: 办公室, 财务股, 项目建设科 …).
SECTION_PATTERN = re.compile(r"^[\u4e00-\u9fff]{1,8}(?:办公室|股|科|室|组|中队|站|所)$")
PLACE_WORDS = ("镇", "乡", "街道", "村", "社区", "县", "市", "区")


@cache
def is_section(text: str) -> bool:
    """A section inside a unit (``办公室``, ``财务股``), not a unit of its own:
    no region, no place, no party or government word."""
    name = parse_unit(text)
    return (name.region is None and name.level is None and name.form == "plain"
            and bool(SECTION_PATTERN.match(name.core))
            and not any(w in name.core for w in PLACE_WORDS))
