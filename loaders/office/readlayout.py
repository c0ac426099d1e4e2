"""Taking a printed ledger's layout apart: where the header is, and what
every other row is (title, 填报单位 lines, section, 合计, 签字, legend, blank).

A sheet is read as a reader of the printed page would: the header is the
row (or pair of rows, for ``巡察反馈问题`` merged over ``问题类型 | 具体问题``)
among the top rows that names most fields of one ledger; rows above it are
title and meta lines; below it every row is data unless it reads as a
section, a total, a signature line, a legend or a note.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.office.mentions import UNIT_ENDINGS
from loaders.office.readgrid import Grid
from loaders.office.readheaders import GROUP, HeaderMatch, match_header
from loaders.office.records import UnitMention
from loaders.office.values import clean, is_blank, parse_legend

HEADER_SEARCH_ROWS = 30
#: Rows looked at below the best header found so far (a second header row, or
#: a fuller header under a partial one).
HEADER_LOOKAHEAD = 3

_SIGNATURE = re.compile(r"^(填表人|填报人|制表人|制表|审核人|审核|审批人|负责人|主要负责人|单位负责人|"
                        r"分管领导|联系人|联系电话|经办人|签字|签名|签发|[(（]?\s*盖章|单位\s*[(（]\s*盖章|"
                        r"填报日期|填表日期|报送日期|日期)\s*[:：(（]?")
_META = re.compile(r"^(填报单位|报送单位|填报时间|填报日期|统计截止时间|截止时间|截至|统计时间|"
                   r"单位\s*[(（]\s*盖章\s*[)）]|报送时间|时间)\s*[:：]?")
_TOTAL = re.compile(r"^(合\s*计|总\s*计|小\s*计|共\s*计|汇\s*总)")
_NOTE = re.compile(r"^(注|说明|备注|填表说明|附注)\s*[0-9一二三]*\s*[:：.、]")
SECTION = re.compile(r"^(?P<num>[一二三四五六七八九十百]+\s*[、.．]|[(（]\s*[一二三四五六七八九十]+\s*[)）]|"
                     r"第[一二三四五六七八九十\d]+(?:部分|类|方面|项)\s*[:：、]?)")
_SECTION_NUMBER = re.compile(r"^([一二三四五六七八九十百]+|[(（]\s*[一二三四五六七八九十]+\s*[)）])[、.．]?$")
_COUNT = re.compile(r"[(（]\s*(?:共|计)?\s*(\d+)\s*(?:个|项|条|件|类)(?:问题)?\s*[)）]\s*[:：]?$"
                    r"|[，,]?\s*共\s*(\d+)\s*(?:个|项|条|件)(?:问题)?\s*[:：]?$")


@dataclass(frozen=True)
class Layout:
    header_rows: tuple[int, ...]  # 0-based
    match: HeaderMatch

    @property
    def first_data_row(self) -> int:
        return self.header_rows[-1] + 1


def texts(grid: Grid, r: int) -> list[tuple[int, str]]:
    """(column, text) of the row's non-blank cells, merged cells once."""
    cache = grid.texts_cache
    if r in cache:
        return cache[r]
    out = []
    for c, v in enumerate(grid.rows[r] if r < len(grid.rows) else []):
        t = clean(v) if v is not None else ""
        if t:
            out.append((c, t))
    cache[r] = out
    return out


def _labels(grid: Grid, r: int, below: int | None) -> dict[int, str]:
    labels: dict[int, str] = {}
    for c in range(grid.width):
        upper = clean(grid.filled(r, c))
        lower = clean(grid.filled(below, c)) if below is not None else ""
        merged_down = below is not None and grid.merge_of(r, c) == grid.merge_of(below, c) \
            and grid.merge_of(r, c) is not None
        if merged_down or not lower or lower == upper:
            text = upper
        elif upper and grid.merge_of(r, c) is not None:
            text = f"{upper}{GROUP}{lower}"  # 整改情况 › 已完成, 签字 › 巡察组
        else:
            text = lower
        if text:
            labels[c] = text
    return labels


def find_layout(grid: Grid) -> Layout | None:
    """The header row(s) and the ledger they name; None when no row of the
    top ``HEADER_SEARCH_ROWS`` names any ledger."""
    best: Layout | None = None
    scored: dict[tuple[int, int | None], HeaderMatch | None] = {}

    def score(r: int, below: int | None) -> HeaderMatch | None:
        """Row ``r`` (with row ``below`` under it) as a header, once a sheet."""
        if (r, below) not in scored:
            scored[(r, below)] = match_header(_labels(grid, r, below))
        return scored[(r, below)]

    for r in range(min(HEADER_SEARCH_ROWS, len(grid.rows))):
        if best is not None and r > best.header_rows[-1] + HEADER_LOOKAHEAD:
            break  # a header sits above its data: rows further down are data
        if len(texts(grid, r)) < 2:
            continue
        one = score(r, None)
        two = None
        if r + 1 < len(grid.rows) and len(texts(grid, r)) >= 3:
            two = score(r, r + 1)
            below = score(r + 1, None)
            if two and below and (two.score < below.score
                                  or (two.score == below.score and not _joined(grid, r))):
                two = None  # the lower row is the header on its own
        for rows, match in (((r,), one), ((r, r + 1), two)):
            if match is None:
                continue
            if best is None or match.score > best.match.score:
                best = Layout(rows, match)
    return best


def _joined(grid: Grid, r: int) -> bool:
    """Whether row ``r`` is the upper half of a two-row header: a cell of it
    is merged down into the next row, or across columns the next row names."""
    for r1, c1, r2, c2 in grid.merged:
        if r1 != r:
            continue
        if r2 > r or (c2 > c1 and any(grid.cell(r + 1, c) not in (None, "")
                                      for c in range(c1, c2 + 1))):
            return True
    return False


def column_numbers(items: list[tuple[int, str]]) -> bool:
    """A row numbering the columns (1 2 3 … under the header), printed forms have it."""
    values = [t for _, t in items]
    return len(values) >= 3 and values == [str(i) for i in range(1, len(values) + 1)]


def classify(grid: Grid, r: int, layout: Layout | None) -> str | None:
    """What kind of non-data row ``r`` is (records.NonDataRow kinds), or None
    for a data row."""
    items = texts(grid, r)
    if not items:
        return "blank"
    first = items[0][1]
    joined = " ".join(t for _, t in items)
    if _SIGNATURE.match(first) and not _is_data(items, layout):
        return "signature"
    if any(_TOTAL.match(t) for _, t in items[:3]):
        return "total"
    if _NOTE.match(first):
        return "legend" if parse_legend(joined) else "note"
    if parse_legend(joined) and not _is_data(items, layout):
        return "legend"
    distinct = {t for _, t in items}
    if layout is not None and len(items) == 2 and _SECTION_NUMBER.match(items[0][1]) \
            and layout.match.fields.get(items[0][0]) == "seq":
        return "section"  # 一 | 贯彻落实……方面, the number under 序号
    if len(distinct) == 1:
        (col, text), = items[:1]
        if SECTION.match(text):
            return "section"
        merge = grid.merge_of(r, col)
        wide = merge is not None and merge[3] - merge[1] + 1 >= max(2, grid.width // 2)
        fld = layout.match.fields.get(col) if layout is not None else None
        if wide or (layout is not None and fld is None):
            return "section" if len(text) <= 40 else "note"
        if fld in ("seq", "category") and len(text) <= 40 and not re.fullmatch(r"[\d.]+", text):
            return "section"  # a category written once above its rows
    if layout is not None and r > layout.header_rows[-1] and column_numbers(items):
        return "header"
    return None


def _is_data(items: list[tuple[int, str]], layout: Layout | None) -> bool:
    """A row whose cells sit under three or more header columns is data, even
    if it starts with a word like 负责人."""
    if layout is None:
        return False
    return sum(c in layout.match.fields for c, _ in items) >= 3


def classify_above(grid: Grid, r: int) -> str:
    items = texts(grid, r)
    if not items:
        return "blank"
    first = items[0][1]
    if _META.match(first) or any(_META.match(t) for _, t in items[1:]):
        return "meta"
    if parse_legend(" ".join(t for _, t in items)):
        return "legend"
    if _NOTE.match(first):
        return "note"
    return "title"


def section_name(text: str) -> tuple[int, str, int | None]:
    """``一、贯彻落实……方面（4个）`` → (1, ``贯彻落实……``, 4); ``（二）党的建设缺失方面``
    → (2, ``党的建设缺失``, None); ``（三）违反中央八项规定精神问题`` → ``违反中央八项规定精神``.  Level 1 for 一、, 2 for （一）, 3 otherwise."""
    text = re.sub(r"^([一二三四五六七八九十百]+)\s+", r"\1、", text)
    m = SECTION.match(text)
    level = 3
    rest = text
    if m:
        num = m["num"]
        level = 2 if num.startswith(("(", "（")) else 1
        rest = text[m.end():]
    count = None
    if c := _COUNT.search(rest):
        count = int(c[1] or c[2])
        rest = rest[: c.start()]
    rest = rest.strip(" ：:、。")
    # the heading's own words (……方面, ……问题) are not part of the category
    name = re.sub(r"(?:方面(?:的)?问题|方面|问题)$", "", rest).strip(" ：:、。") or rest
    return level, name, count


# --- the unit and round a title names ---------------------------------------

_TITLE_UNIT = (
    re.compile(r"^(?P<unit>.+?)(?:落实|关于|贯彻|对照|针对|认领|巡察(?!组|办)|反馈意见|整改|问题清单|"
               r"问题台账|干部名册|移交|[县市区州]委第)"),
    re.compile(r"(?<!县委|市委|区委|州委)巡察(?!组|办|工作)(?P<unit>[^，,。]+?)(?:的)?(?:反馈|发现|问题|整改)"),
)
_ROUND = re.compile(r"((?:\d{4}年(?:度)?)?(?:[十二三四五六七八九一]+届)?[县市区州省]?委?第[一二三四五六七八九十\d]+轮"
                    r"(?:巡察|巡视)?|[县市区州]委第[一二三四五六七八九十\d]+巡察组|\d{4}年(?:度)?第?"
                    r"[一二三四五六七八九十\d]*轮?(?:常规|专项|机动|交叉|提级)?巡察)")
_GENERIC = re.compile(r"^(sheet\d*|工作表\d*|表\d*|附件\d*|.*(台账|清单|名册|汇总|统计|明细|一览表|"
                      r"登记表|情况表|表格|线索|问题|措施|关系|申报|数据).*)$", re.IGNORECASE)


def title_unit(text: str) -> str | None:
    """The unit a title names: ``中共XX县农业农村局党组落实县委第一巡察组…`` →
    ``中共XX县农业农村局党组``; ``县委第二巡察组巡察白沙镇党委反馈问题清单`` → ``白沙镇党委``."""
    flat = re.sub(r"\s+", "", text)
    if flat.startswith(("县委", "市委", "区委", "州委")) or re.match(r"^[十二三四五六七八九一]+届", flat):
        m = _TITLE_UNIT[1].search(flat)
    else:
        m = _TITLE_UNIT[0].search(flat) or _TITLE_UNIT[1].search(flat)
    if not m:
        return None
    unit = re.sub(r"^\d{4}年(?:度)?", "", m["unit"]).strip("“”\"《》")
    if _KEEPER.search(unit) or _KEEPER.match(flat, m.end("unit")):
        return None  # 县委巡察办移交问题线索台账: the office keeping the ledger
    return unit if 2 <= len(unit) <= 40 and unit.endswith(UNIT_ENDINGS + ("党组", "党委")) else None


#: An inspection body that keeps a ledger (巡察办, 巡察组, 巡察工作领导小组办公室):
#: a title naming it names no inspected unit.
_KEEPER = re.compile(r"巡察(?:办|组|机构|工作领导小组(?:办公室)?)")


def meta_unit(text: str) -> str | None:
    """``填报单位（盖章）：白沙镇党委   填报时间：…`` → ``白沙镇党委``."""
    m = re.search(r"(?:填报单位|报送单位|单位)\s*(?:[(（]\s*盖章\s*[)）])?\s*[:：]\s*"
                  r"(?P<unit>[^\s:：]+?)(?=\s|填报|报送|统计|时间|日期|$)", text)
    return m["unit"] if m and not is_blank(m["unit"]) else None


def round_text(text: str) -> str | None:
    m = _ROUND.search(re.sub(r"\s+", "", text))
    return m[1] if m else None


def name_unit(name: str, context: str) -> UnitMention | None:
    """A sheet or file named after a unit (``农业农村局``, ``白沙镇``), not a
    generic name (``Sheet1``, ``线索台账``, ``02_巡察移交问题线索处置台账``)."""
    text = re.sub(r"^[\d_\-\s.、]+", "", clean(name))
    if not text or _GENERIC.match(text) or not text.endswith(UNIT_ENDINGS):
        return None
    return UnitMention(text, context)
