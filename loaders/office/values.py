"""Cell values as offices write them, parsed into the contract's vocabulary.

Pure functions of one cell (and, where the ledger's habit needs it, of what
the same row or header says).  A value that holds something but cannot be
read raises ``ValueProblem`` with the reason in words; the reader turns that
into a rejected row naming the cell.  Nothing here guesses: a value that can
be read two ways (``2019.1`` typed for 2019年10月 and stored as 2019.1) is a
problem, not a choice.

Reasons are written Chinese first, then English after `` / `` (as the rest
of linkgraph writes them).
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import math
import re
import unicodedata
from dataclasses import dataclass

_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Cells that mean "nothing here".
EMPTY = frozenset({"", "无", "/", "-", "—", "——", "--", "n/a", "na", "nan", "null",
                   "none", "空", "暂无", "\\"})
#: Cells that repeat the cell above (同上 / 〃 / "ditto").
DITTO = frozenset({"同上", "〃", "\"", "''", "同前", "同上。"})


class ValueProblem(ValueError):
    """A cell that holds something unreadable; ``str(exc)`` is the reason."""


class NoStatusWord(ValueProblem):
    """整改情况 that describes the work done without saying whether it is done."""


def clean(value: object) -> str:
    """A cell as text: NFKC, invisible characters removed, spaces trimmed.
    Line breaks inside the cell are kept (items are split on them)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _clean_text(value)
    if isinstance(value, float) and math.isnan(value):
        return ""
    return _clean_text(str(value))


@functools.lru_cache(maxsize=1 << 18)
def _clean_text(value: str) -> str:
    text = unicodedata.normalize("NFKC", value)
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if "\n" not in text:
        return text.strip()
    return "\n".join(part.strip() for part in text.split("\n")).strip()


def is_blank(value: object) -> bool:
    return value is None or clean(value).lower() in EMPTY


def is_ditto(value: object) -> bool:
    return value is not None and clean(value) in DITTO


# --- statuses -------------------------------------------------------------

#: Status words, longest first within each reading.  The contract's
#: vocabulary (linkgraph/vocab.py STATUS_WORDS) is done / closed (销号) /
#: partly / open / ongoing; offices write far more forms.
STATUS_FORMS: dict[str, tuple[str, ...]] = {
    "open": ("尚未整改", "未整改", "未完成整改", "未完成", "未开始", "正在整改", "整改中",
             "推进中", "正在推进", "进行中", "未销号", "整改未完成"),
    "partly": ("基本完成整改", "基本完成", "基本整改", "部分整改", "部分完成", "基本到位"),
    "ongoing": ("长期坚持", "持续整改", "持续推进", "长期整改", "常态化推进", "持续落实",
                "长期推进"),
    "done": ("已完成整改", "已整改完成", "已整改到位", "整改到位", "已整改", "整改完成",
             "已完成", "已办结", "已落实", "完成", "已解决"),
    "closed": ("已完成销号", "已销号", "销号"),
}
_STATUS_ORDER = sorted(((w, s) for s, ws in STATUS_FORMS.items() for w in ws),
                       key=lambda ws: -len(ws[0]))
_CANONICAL_STATUS = {"done", "closed", "partly", "open", "ongoing"}


@functools.lru_cache(maxsize=1 << 18, typed=True)
def parse_status(value: object) -> str | None:
    """整改情况 → ``done`` / ``closed`` (已销号) / ``partly`` / ``open`` / ``ongoing``.

    The cell may be one word (``已整改``), two (``已整改，长期坚持``: done and
    kept up → ``ongoing``, which the completion rate counts as done by
    default) or a sentence that starts with or contains status words
    (``已完成。制定《…》制度``).  A forecast (``正在整改，预计年底前完成``) says
    when the work will be done, not that it is; progress in per cent
    (``整改中（已完成70%）``) is progress: ``partly`` when it is all the cell
    says, 100 % ``done``.  Contradictory words (``已整改`` and ``未整改``)
    and text with no status word are problems."""
    text = clean(value)
    if text.lower() in EMPTY:
        return None
    if text.lower() in _CANONICAL_STATUS:
        return text.lower()
    found: list[str] = []
    rest = _FORECAST.sub("#", text)  # 预计年底前完成: when it will be done, not that it is
    shares = [float(m[1]) for m in _SHARE_DONE.finditer(rest)]
    rest = _SHARE_DONE.sub("#", rest)
    if shares and not _has_status_word(rest):  # 已完成80%: progress, not completion
        return "done" if min(shares) >= 100 else "partly"
    for word, status in _STATUS_ORDER:
        if word in rest:
            found.append(status)
            rest = rest.replace(word, "#")
    kinds = set(found)
    if not kinds:
        raise NoStatusWord("看不出整改状态（应为 已整改/正在整改/持续整改/未整改 等）"
                           " / no rectification status in the text")
    if kinds == {"done"}:
        return "done"
    if "closed" in kinds and kinds <= {"done", "closed", "ongoing"}:
        return "closed"   # 已完成，已销号: closed after review says more than done
    if kinds <= {"done", "ongoing"}:
        return "ongoing"
    if kinds <= {"partly", "ongoing", "done"}:
        return "partly"
    if len(kinds) == 1:
        return kinds.pop()
    raise ValueProblem("整改状态自相矛盾（同时写了完成和未完成）"
                       " / contradictory statuses in one cell")


#: A date or plan the work is to be done by (预计2023年底前完成, 力争6月底前整改到位).
_FORECAST = re.compile(r"(?:预计|力争|争取|确保|拟于|拟在|计划于|计划在|预期)[^，,；;。]{0,20}?"
                       r"(?:完成整改|整改完成|完成|整改到位|到位|办结|销号)")
#: Progress in per cent (已完成70%, 完成60％ after NFKC).
_SHARE_DONE = re.compile(r"(?:已|基本)?完成\s*(\d+(?:\.\d+)?)\s*%")


def _has_status_word(text: str) -> bool:
    return any(word in text for word, _ in _STATUS_ORDER)


#: Fill colours offices use as status, named by the legend (红/黄/绿/蓝 …).
COLOUR_WORDS = {"红": "red", "黄": "yellow", "绿": "green", "蓝": "blue", "橙": "orange",
                "灰": "grey", "紫": "purple"}
_LEGEND_ITEM = re.compile(r"(红|黄|绿|蓝|橙|灰|紫)色?(?:底色|标注|填充|标记|底纹|字体)?"
                          r"(?:表示|代表|为|是|:|=)?[“\"']?([^，,；;。、\n“”\"'()（）]{2,12})")


@functools.lru_cache(maxsize=1 << 18, typed=True)
def parse_legend(value: object) -> dict[str, str]:
    """A colour legend (``注：红色表示未整改，黄色表示正在整改，绿色表示已完成``)
    → colour → status.  Empty when the text names no colour with a status."""
    text = clean(value)
    out: dict[str, str] = {}
    for colour, words in _LEGEND_ITEM.findall(text):
        try:
            status = parse_status(words)
        except ValueProblem:
            continue
        if status:
            out[COLOUR_WORDS[colour]] = status
    return out


@functools.lru_cache(maxsize=1 << 18, typed=True)
def colour_name(rgb: str | None) -> str | None:
    """An ``AARRGGBB`` / ``RRGGBB`` fill → the colour word a legend uses,
    by hue; white, black and unfilled give None."""
    if not rgb or not re.fullmatch(r"[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?", rgb):
        return None
    rgb = rgb[-6:]
    r, g, b = (int(rgb[i:i + 2], 16) / 255 for i in (0, 2, 4))
    hi, lo = max(r, g, b), min(r, g, b)
    if hi - lo < 0.12:
        return "grey" if 0.2 < hi < 0.85 else None
    d = hi - lo
    if hi == r:
        hue = (60 * ((g - b) / d)) % 360
    elif hi == g:
        hue = 60 * ((b - r) / d) + 120
    else:
        hue = 60 * ((r - g) / d) + 240
    for upto, name in ((15, "red"), (50, "orange"), (70, "yellow"), (165, "green"),
                       (255, "blue"), (300, "purple"), (345, "purple"), (360, "red")):
        if hue < upto:
            return name
    return "red"


# --- dates and deadlines --------------------------------------------------

_FULL_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*"
                        r"(?P<d>\d{1,2})\s*[日号]?")
_MONTH = re.compile(r"(?P<y>(?:19|20)\d{2})\s*(?:[-/.年])\s*(?P<m>\d{1,2})(?!\d)\s*月?")
_YEARLESS = re.compile(r"(?<!\d)(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]")
_COMPACT = re.compile(r"^(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})$")
_YEAR_END = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?:底|末|年底|年末|12月底)")
_HALF = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<h>上半年|下半年|一季度|二季度|三季度|"
                   r"四季度|第一季度|第二季度|第三季度|第四季度)")
_HALF_END = {"上半年": 6, "下半年": 12, "一季度": 3, "二季度": 6, "三季度": 9, "四季度": 12}
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_XUN = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<x>上旬|中旬|下旬)")
_XUN_DAY = {"上旬": 10, "中旬": 20}
_YEARLESS_MONTH = re.compile(r"(?<![\d.])(?P<m>\d{1,2})\s*月\s*(?:底|末|前|份|以前|之前)?(?!\s*\d)")


@dataclass(frozen=True)
class DateValue:
    """A date read from a cell; ``note`` says what the import inferred."""

    date: dt.date
    note: str | None = None


def _ymd(y: int, m: int, d: int, text: str) -> dt.date:
    try:
        return dt.date(y, m, d)
    except ValueError:
        raise ValueProblem(f"不是有效日期：{text} / not a valid date") from None


def month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def _excel_year_month(number: float, text: str, *, end: bool) -> DateValue:
    """A number typed as YYYY.MM (2019.10 is stored as 2019.1)."""
    year = int(number)
    digits = f"{number:.6f}".split(".")[1].rstrip("0")
    if not digits or not 1900 <= year <= 2100:
        raise ValueProblem(f"不是日期：{text} / not a date")
    if digits == "1":
        raise ValueProblem(f"“{text}”可能是 {year}年1月，也可能是输入 {year}.10 后被 Excel 存成"
                           f" {year}.1，无法判断，请改为文本或完整日期 / ambiguous: "
                           f"{year}-01 or {year}-10 (Excel stores 2019.10 as 2019.1)")
    if len(digits) > 2 or not 1 <= int(digits) <= 12:
        raise ValueProblem(f"不是年月：{text} / not a year and month")
    month = int(digits)
    day = month_end(year, month) if end else dt.date(year, month, 1)
    return DateValue(day, f"数值 {text} 按 {year}年{month}月 读取")


@functools.lru_cache(maxsize=1 << 18, typed=True)
def parse_date(value: object, *, years: tuple[int, ...] = (), end: bool = False,
               typed: bool = True, after: dt.date | None = None,
               before: dt.date | None = None) -> DateValue | None:
    """A date cell: Excel dates, ``2023-10-15``, ``2023/10/15``, ``2023.10.15``,
    ``2023年10月15日``, ``20231015``, ``2023年10月`` (first day of the month,
    or its last with ``end``), an Excel serial, the number 2019.12 typed as a
    year and month, and ``6月12日`` with the year from ``years`` (the row's
    other dates; several different years there is a problem).

    ``typed=False`` says the text may be a number Excel wrote out (a CSV
    export): then ``2019.1`` is as ambiguous as the stored number.
    ``after``/``before`` are dates the row says this one cannot precede or
    follow (签收 not before 移交): when the row's years disagree, the one year
    that keeps that order is taken, and the note says so."""
    if isinstance(value, dt.datetime):
        return DateValue(value.date())
    if isinstance(value, dt.date):
        return DateValue(value)
    if isinstance(value, bool):
        raise ValueProblem(f"不是日期：{value} / not a date")
    if isinstance(value, (int, float)):
        return _number_date(float(value), clean(value), end=end)
    text = clean(value)
    if text.lower() in EMPTY:
        return None
    flat = re.sub(r"\s+", "", text)
    if not typed and re.fullmatch(r"\d{4}\.1", flat):  # 2019.10 written out by Excel
        return _number_date(float(flat), text, end=end)
    if m := _COMPACT.match(flat):
        return DateValue(_ymd(int(m["y"]), int(m["m"]), int(m["d"]), text))
    if m := _FULL_DATE.search(flat):
        return DateValue(_ymd(int(m["y"]), int(m["m"]), int(m["d"]), text))
    if m := _MONTH.search(flat):
        y, mo = int(m["y"]), int(m["m"])
        if not 1 <= mo <= 12:
            raise ValueProblem(f"不是有效月份：{text} / not a valid month")
        return DateValue(month_end(y, mo) if end else dt.date(y, mo, 1))
    if m := _YEARLESS.search(flat):
        return _yearless(int(m["m"]), int(m["d"]), text, years, after, before)
    if re.fullmatch(r"\d+(\.\d+)?", flat):
        return _number_date(float(flat), text, end=end, typed=typed)
    raise ValueProblem(f"无法识别的日期：{text} / unreadable date")


def _fits(year: int, month: int, day: int, after: dt.date | None, before: dt.date | None) -> bool:
    try:
        d = dt.date(year, month, day)
    except ValueError:
        return False
    return (after is None or d >= after) and (before is None or d <= before)


def _number_date(number: float, text: str, *, end: bool, typed: bool = False) -> DateValue:
    if 1900 <= number < 2101 and not number.is_integer():
        if typed:  # text "2019.1" as typed: January; a stored number is ambiguous
            year, month = text.split(".")
            if len(month) <= 2 and 1 <= int(month) <= 12:
                y, mo = int(year), int(month)
                return DateValue(month_end(y, mo) if end else dt.date(y, mo, 1))
            raise ValueProblem(f"不是年月：{text} / not a year and month")
        return _excel_year_month(number, text, end=end)
    if 10000 <= number <= 73050:  # an Excel serial: 1927-05-18 .. 2099-12-31
        return DateValue(_EXCEL_EPOCH + dt.timedelta(days=int(number)))
    raise ValueProblem(f"不是日期：{text} / not a date")


def _yearless(month: int, day: int, text: str, years: tuple[int, ...],
              after: dt.date | None = None, before: dt.date | None = None) -> DateValue:
    distinct = sorted(set(years))
    if len(distinct) > 1 and (after or before):
        fits = [y for y in distinct if _fits(y, month, day, after, before)]
        if len(fits) == 1:
            bounds = "、".join(b for b in (f"不早于{after}" if after else "",
                                          f"不晚于{before}" if before else "") if b)
            return DateValue(_ymd(fits[0], month, day, text),
                             f"“{text}”未写年份，同行日期有{'、'.join(map(str, distinct))}年，"
                             f"按先后（{bounds}）只能是 {fits[0]} 年")
    if len(distinct) != 1:
        why = ("同行没有其他带年份的日期" if not distinct
               else f"同行日期的年份不一（{'、'.join(map(str, distinct))}）")
        raise ValueProblem(f"“{text}”没有年份，{why}，无法推定 / date without a year and "
                           "no single year in the row's other dates")
    year = distinct[0]
    return DateValue(_ymd(year, month, day, text), f"“{text}”未写年份，按同行其他日期取 {year} 年")


#: Deadline words that are flags, not dates.
DEADLINE_FLAGS: dict[str, tuple[str, ...]] = {
    "ongoing": ("长期坚持", "长期", "持续整改", "持续推进", "常态化", "长期整改"),
    "immediate": ("立行立改", "立即整改", "即知即改", "立查立改", "马上就办", "立即"),
}


@dataclass(frozen=True)
class Deadline:
    """整改时限: a date (the last day the words allow) and/or flags."""

    date: dt.date | None = None
    ongoing: bool = False
    immediate: bool = False
    note: str | None = None


@functools.lru_cache(maxsize=1 << 18, typed=True)
def parse_deadline(value: object, *, years: tuple[int, ...] = (),
                   typed: bool = True) -> Deadline | None:
    """``2023年6月底前`` → 2023-06-30; ``2023.8`` → 2023-08-31; ``2023年底`` →
    12-31; ``2023年上半年`` → 06-30; ``长期坚持`` / ``立行立改`` / ``立即整改``
    → flags, possibly with a date (``立行立改，2023年6月底前``)."""
    if isinstance(value, (dt.date, int, float)) and not isinstance(value, bool):
        got = parse_date(value, end=True)
        return Deadline(got.date, note=got.note) if got else None
    text = clean(value)
    if text.lower() in EMPTY:
        return None
    flat = re.sub(r"\s+", "", text)
    flags = {flag for flag, words in DEADLINE_FLAGS.items() if any(w in flat for w in words)}
    date: dt.date | None = None
    note = None
    if m := _YEAR_END.search(flat):
        date = dt.date(int(m["y"]), 12, 31)
    elif m := _XUN.search(flat):
        y, mo = int(m["y"]), int(m["m"])
        if not 1 <= mo <= 12:
            raise ValueProblem(f"不是有效月份：{text} / not a valid month")
        date = month_end(y, mo) if m["x"] == "下旬" else dt.date(y, mo, _XUN_DAY[m["x"]])
    elif (m := _YEARLESS_MONTH.search(flat)) and not re.search(r"(?:19|20)\d{2}", flat):
        got = _yearless(int(m["m"]), 1, text, years)
        date = month_end(got.date.year, got.date.month)
        note = got.note
    elif m := _HALF.search(flat):
        date = month_end(int(m["y"]), _HALF_END[m["h"].removeprefix("第")])
    elif re.search(r"\d", flat):
        try:
            got = parse_date(flat, years=years, end=True, typed=typed)
        except ValueProblem as exc:
            if not flags:
                raise ValueProblem(f"无法识别的整改时限：{exc}") from None
            got = None
        if got:
            date, note = got.date, got.note
    elif not flags:
        raise ValueProblem(f"无法识别的整改时限：{text}（应为日期、长期坚持或立行立改）"
                           " / unreadable deadline")
    return Deadline(date, "ongoing" in flags, "immediate" in flags, note)


def years_in(values: list[object]) -> tuple[int, ...]:
    """The years the row's other date cells name (for year-less dates)."""
    out: tuple[int, ...] = ()
    for v in values:
        if v is not None:
            out += _years_of(v)
    return out


_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=\s*[-/.年]|\d{4}$)")


@functools.lru_cache(maxsize=1 << 18, typed=True)
def _years_of(v: object) -> tuple[int, ...]:
    """The years one cell names (a column repeats its dates: each read once)."""
    if isinstance(v, (dt.date, dt.datetime)):
        return (v.year,)
    if isinstance(v, float) and 1900 <= v < 2101:
        return (int(v),)
    return tuple(int(y) for y in _YEAR.findall(clean(v)))


# --- leads: dispositions and outcomes --------------------------------------

#: 处置方式 as written → the contract's disposition (vocab.py), longest first.
DISPOSITION_FORMS: dict[str, tuple[str, ...]] = {
    "investigate": ("立案审查调查", "立案审查", "审查调查", "立案调查", "立案"),
    "verify": ("初步核实", "初核", "核实", "核查"),
    "talk": ("谈话函询", "函询", "谈话"),
    "hold": ("暂存待查", "暂存"),
    "close": ("予以了结", "了结"),
}
_DISPOSITION_ORDER = sorted(((w, d) for d, ws in DISPOSITION_FORMS.items() for w in ws),
                            key=lambda wd: -len(wd[0]))
#: Words that expand an office's abbreviation to the full term (初核 → 初步核实).
ABBREVIATIONS = {"初核": "初步核实", "函询": "谈话函询", "暂存": "暂存待查", "了结": "予以了结"}


@functools.lru_cache(maxsize=1 << 18, typed=True)
def parse_disposition(value: object) -> str | None:
    """处置方式 → talk / verify / hold / close / investigate (``初核`` → verify)."""
    text = clean(value)
    if text.lower() in EMPTY:
        return None
    if text.lower() in DISPOSITION_FORMS:
        return text.lower()
    for word, disposition in _DISPOSITION_ORDER:
        if word in text:
            return disposition
    raise ValueProblem(f"无法识别的处置方式：{text}（应为谈话函询/初步核实/暂存待查/予以了结/"
                       "立案审查） / unknown disposition")


#: Outcome words found in free text; the stage order is 立案 → 处分 → 移送司法.
OUTCOME_FORMS: dict[str, tuple[str, ...]] = {
    "case_filed": ("立案审查", "立案调查", "予以立案", "立案"),
    "sanctioned": ("党纪政务处分", "党纪处分", "政务处分", "处分", "警告", "严重警告",
                   "撤销党内职务", "留党察看", "开除党籍", "记过", "记大过", "降级", "撤职",
                   "开除公职"),
    "judicial": ("移送司法", "移送检察", "移送公安", "移送审查起诉", "移送起诉", "追究刑事责任"),
}
OUTCOME_STAGES = ("case_filed", "sanctioned", "judicial")
_NO_OUTCOME = ("了结", "批评教育", "诫勉", "提醒谈话", "谈话提醒", "组织处理", "澄清", "不属实",
               "查无实据", "暂存", "函询", "谈话", "问责", "通报", "责令", "检查", "转办",
               "办理中", "核查中", "正在办理", "待查")


@functools.lru_cache(maxsize=1 << 18, typed=True)
def parse_outcomes(value: object) -> tuple[str, ...]:
    """处理结果 in free text → the outcome stages it names, in stage order
    (``立案审查，给予党内严重警告处分`` → case_filed, sanctioned;
    ``移送检察机关`` → judicial).  Text that names a handling without any of
    the three stages (``批评教育``, ``予以了结``) gives ``()``; text that
    names none of them gives ``()`` too (the reader notes it); a cell with
    no words at all (``123``) is a problem."""
    text = clean(value)
    if text.lower() in EMPTY:
        return ()
    if text.lower() in OUTCOME_STAGES:
        return (text.lower(),)
    found = {stage for stage, words in OUTCOME_FORMS.items() if any(w in text for w in words)}
    if re.search(r"不予立案|未立案|不立案", text):
        found.discard("case_filed")
    if not found and not any(w in text for w in _NO_OUTCOME) \
            and not re.search(r"[\u4e00-\u9fff]{2}", text):
        raise ValueProblem(f"无法识别的处理结果：{text}（应写明立案、处分或移送司法等）"
                           " / unknown outcome")
    return tuple(s for s in OUTCOME_STAGES if s in found)


def outcome_stage(outcomes: tuple[str, ...]) -> str | None:
    """The furthest stage a lead reached (the contract keeps one outcome)."""
    return outcomes[-1] if outcomes else None


# --- amounts ----------------------------------------------------------------

_UNITS = (("亿元", 1e8), ("万元", 1e4), ("千元", 1e3), ("亿", 1e8), ("万", 1e4), ("元", 1.0))


def header_scale(header: object) -> float:
    """The unit a header names (``涉及金额（万元）`` → 10,000; none → 1)."""
    text = clean(header)
    for word, factor in _UNITS:
        if re.search(rf"[(（\[【]\s*{word}\s*[)）\]】]|单位\s*[:：]?\s*{word}", text):
            return factor
    return 1.0


@functools.lru_cache(maxsize=1 << 18, typed=True)
def parse_amount(value: object, scale: float = 1.0) -> float | None:
    """An amount in yuan: the column's ``scale`` (from its header) applies
    unless the cell names its own unit (``2860元``, ``12.5万元``)."""
    if isinstance(value, bool):
        raise ValueProblem(f"不是金额：{value} / not an amount")
    if isinstance(value, (int, float)):
        number = float(value)
        if not math.isfinite(number):
            raise ValueProblem(f"不是金额：{value} / not an amount")
        return round(number * scale, 2)
    text = clean(value)
    if text.lower() in EMPTY:
        return None
    flat = re.sub(r"[\s,，]", "", text).removeprefix("约").removeprefix("¥").removeprefix("￥")
    factor = scale
    for word, unit in _UNITS:
        if flat.endswith(word):
            flat, factor = flat[: -len(word)], unit
            break
    if not re.fullmatch(r"[+-]?\d+(\.\d+)?", flat):
        raise ValueProblem(f"不是金额：{text} / not an amount")
    return round(float(flat) * factor, 2)


# --- relation words (回避申报 与本人关系) ------------------------------------


@functools.lru_cache(maxsize=1 << 18, typed=True)
def parse_relation(value: object) -> tuple[str, str | None]:
    """与本人关系 → (canonical relation, note), read by the kinship grammar
    (``linkgraph.relations``, 公务员法 第七十四条): ``哥哥`` → sibling, ``表弟`` →
    collateral, ``大学同学`` → classmate, ``爱人`` → spouse, ``岳父`` → in_law;
    an unknown word → ``other`` with a note naming it (a soft tie for review)."""
    from linkgraph.relations import read_relation

    text = re.sub(r"\s+", "", clean(value))
    if text.lower() in EMPTY:
        raise ValueProblem("没有写与本人关系 / relation missing")
    read = read_relation(text)
    if not read.known:
        return read.relation, f"关系“{text}”无法归类，按其他关系（提示，非回避）读取，请复核"
    return read.relation, None
