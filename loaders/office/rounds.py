"""Rounds as ledgers name them, reduced to one key per round.

One round is written ``大池县委2021年第一轮巡察`` in the 巡察安排,
``2021年第一轮巡察`` in a 整改台账's title, ``2023年第六轮`` in a team list
and ``大池县委2022年第三轮对村（社区）巡察`` as a folder name.  A county numbers
its rounds within a year (第一轮, 第二轮 …), so the organiser's region, the
year and the ordinal are the round; the region is the one the text names
(``大池县委``) or the ledger's own.  ``县委第一巡察组`` names a team, not a
round.
"""
from __future__ import annotations

import re
import unicodedata
from functools import cache

_ORDINAL = re.compile(
    r"(?:(?P<org>(?:(?!届)[\u4e00-\u9fff]){2,12}?(?:省|市|县|区|旗|州))委)?(?:[\u4e00-\u9fff]{1,4}届)?"
    r"(?P<year>(?:19|20)\d{2})年(?:度)?(?:[\u4e00-\u9fff]{1,4}届)?第(?P<n>[一二三四五六七八九十\d]+)轮")
_TEAM = re.compile(r"第[一二三四五六七八九十\d]+巡察组$")
_NUMERALS = "零一二三四五六七八九"


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _NUMERALS.index(text[1])
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _NUMERALS.index(tens) * 10 + (_NUMERALS.index(ones) if ones else 0)
    return _NUMERALS.index(text)


@cache
def is_team_name(text: str) -> bool:
    """``县委第一巡察组``: a team, where a round was expected."""
    flat = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return bool(_TEAM.search(flat)) and "轮" not in flat


@cache
def round_key(text: str, region: str | None) -> tuple[str, ...] | None:
    """``("大池县", "2021", "1")`` for every way one round is written; the
    normalised text when it carries no year and ordinal; None for a team."""
    flat = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    if not flat or is_team_name(flat):
        return None
    m = _ORDINAL.search(flat)
    if m is None:
        return ("name", flat)
    org = m["org"]
    if org and region and (region.endswith(org) or org.endswith(region)):
        org = region
    return (org or region or "", m["year"], str(_number(m["n"])))
