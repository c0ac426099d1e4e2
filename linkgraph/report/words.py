"""Small text helpers of the report: 中文 / English, percentages."""
from __future__ import annotations

import re


def t(zh: str, en: str, lang: str) -> str:
    """The Chinese text, or the English one when ``lang == "en"``."""
    return en if lang == "en" else zh


def pct(x: float | None, digits: int = 2) -> str:
    """A fraction as a percentage (``0.6926`` -> ``69.26%``); missing -> —."""
    if x is None or x != x:
        return "—"
    return f"{x * 100:.{digits}f}%"


_CJK = "\u3400-\u9fff\uf900-\ufaff"
_ZH_BEFORE = re.compile(rf"[^()（）/\n]*[{_CJK}][^()（）/\n]*?\s/\s")
_EN_AFTER = re.compile(rf"\s/\s[^()（）/\n{_CJK}]*")


def one_language(text: str, lang: str) -> str:
    """A bilingual message ("中文 / English", as errors are written) in one
    language: the English halves for ``en``, the Chinese ones otherwise."""
    if " / " not in text:
        return text
    return _ZH_BEFORE.sub("", text) if lang == "en" else _EN_AFTER.sub("", text)
