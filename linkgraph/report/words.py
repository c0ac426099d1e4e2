"""Small text helpers of the report: 中文 / English, percentages."""
from __future__ import annotations


def t(zh: str, en: str, lang: str) -> str:
    """The Chinese text, or the English one when ``lang == "en"``."""
    return en if lang == "en" else zh


def pct(x: float | None, digits: int = 2) -> str:
    """A fraction as a percentage (``0.6926`` -> ``69.26%``); missing -> —."""
    if x is None or x != x:
        return "—"
    return f"{x * 100:.{digits}f}%"
