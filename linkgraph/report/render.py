"""Draw a :class:`Report` as one self-contained HTML page, and as XLSX.

The page's one script sorts a table by the column clicked; the
Content-Security-Policy allows that script (by its hash) and nothing else,
and no connection; charts are inline SVG, styles inline, and every
name or description is escaped by Jinja's autoescape (or ``html.escape``
in ``svg.py``).
"""
from __future__ import annotations

import importlib.resources
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import IO, Any

from linkgraph import output
from linkgraph.cells import localised
from linkgraph.report.explorer import entity_href, how_to_explore
from linkgraph.report.model import Report
from linkgraph.report.svg import bar_chart
from linkgraph.report.words import t
from linkgraph.views.style import FONT_STACK


class _Words:
    def __init__(self, lang: str):
        self.lang = lang
        self.key_figures = t("关键数字", "Key figures", lang)
        self.provenance = t("来源（输入文件、版本、命令、生成时间）",
                            "Provenance (input files, version, command, time)", lang)
        self.views = t("关系图", "Graph views", lang)
        self.overview = t("总览（区域 → 系统 → 单位）", "Overview (regions → sectors → units)", lang)

        self.open, self.close = t("（", " (", lang), t("）", ")", lang)
        self.full_before = t("，完整数据见 ", "; all of them in ", lang)

    def rows(self, total: int, shown: int) -> str:
        if shown < total:
            return t(f"共 {total:,} 行，显示前 {shown:,} 行", f"{total:,} rows, first {shown:,} shown",
                     self.lang)
        return t(f"共 {total:,} 行", f"{total:,} rows", self.lang)

    def full_after(self, sheet: str) -> str:
        """After the workbook's link: which sheet holds the whole table."""
        from linkgraph.catalogue import catalogue

        name = catalogue().sheet(sheet, self.lang)
        return t(f" 的「{name}」表", f", sheet “{name}”", self.lang)


def cell(value: Any, lang: str, field: str = "") -> str:
    """One table cell as the reader sees it: coded values named from the
    catalogue (``hard`` -> 回避 / hard (recusal)), true/false in words."""
    v = output.plain(value)
    if isinstance(v, str) and field:
        from linkgraph.catalogue import catalogue

        return catalogue().show(field, v, lang)
    if isinstance(v, bool):
        return t("是" if v else "否", "yes" if v else "no", lang)
    if isinstance(v, list):
        return "、".join(cell(x, lang) for x in v) if lang != "en" else "; ".join(
            cell(x, lang) for x in v)
    return output.cell_text(v)


def render_html(report: Report, overview: str | None = "overview.html", *,
                explorer: str | None = None, data: str | None = None) -> str:
    """The page; with ``explorer`` (the explorer's address) names in tables link into
    it; ``data`` is the dataset as the reader passes it to ``linkgraph explore``."""
    template = _environment().get_template("report.html.j2")
    return template.render(
        explore_note=how_to_explore(report.lang, data, explorer),
        xlink=lambda row, f: entity_href(explorer, row, f),
        report=report, html_lang="en" if report.lang == "en" else "zh-CN",
        css=_static("report.css").replace("__FONT_STACK__", FONT_STACK),
        w=_Words(report.lang), svg=lambda c: bar_chart(c, report.lang), cell=lambda v, f="": cell(v, report.lang, f),
        loc=lambda r: localised(r, report.lang),
        is_num=lambda v: isinstance(output.plain(v), (int, float))
        and not isinstance(output.plain(v), bool),
        overview=overview, script=_static("sort.js"), script_hash=_script_hash())


def write_html(report: Report, target: str | Path | IO[bytes],
               overview: str | None = "overview.html", *, explorer: str | None = None,
               data: str | None = None) -> None:
    page = render_html(report, overview, explorer=explorer, data=data).encode("utf-8")
    if isinstance(target, (str, Path)):
        output.write_bytes(page, target)
    else:
        target.write(page)


def xlsx_sheets(report: Report) -> dict[str, list[Mapping[str, Any]]]:
    """One sheet per table (every field), the key figures first, provenance
    last; sheet names and headers come from the presentation catalogue."""
    sheets: dict[str, list[Mapping[str, Any]]] = {
        "key_figures": [{"item": f.label, "value": f.value, "detail": f.detail}
                        for f in report.figures]}
    for tb in report.tables():
        sheets[tb.sheet] = [dict(r) for r in tb.rows]
    sheets["provenance"] = [{"item": k, "value": v} for k, v in report.provenance]
    return sheets


def _empty_reasons(report: Report) -> dict[str, str]:
    """Why a table of the report is empty: its section's note, else "no rows"."""
    return {tb.sheet: s.note or t("本项结果为空", "this result has no rows", report.lang)
            for s in report.sections for tb in s.tables if not tb.rows}


def write_xlsx(report: Report, target: str | Path | IO[bytes],
               names: Mapping[str, Mapping[str, str]] | None = None) -> None:
    """The workbook; ``names`` (kind -> id -> name) names the ids of lists and paths."""
    output.write_xlsx(xlsx_sheets(report), target,  # type: ignore[arg-type]
                      lang=report.lang, title=report.title, as_of=report.as_of,
                      reasons=_empty_reasons(report), names=names)


@cache
def _script_hash() -> str:
    """The Content-Security-Policy source that lets the page's one inline
    script (column sorting) run, and nothing else."""
    import base64
    import hashlib

    digest = hashlib.sha256(_static("sort.js").encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@cache
def _static(name: str) -> str:
    return (importlib.resources.files("linkgraph.report") / "static" / name).read_text("utf-8")


@cache
def _environment():
    import jinja2

    return jinja2.Environment(loader=jinja2.FunctionLoader(lambda name: _static(name)),
                              autoescape=True, undefined=jinja2.StrictUndefined,
                              keep_trailing_newline=True)
