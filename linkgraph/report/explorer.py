"""The report's way into ``linkgraph explore``: how to start it, and, when the
report is written with the explorer's address (``--explorer URL``), links from
the names in its tables to that entity in the explorer.

A report is a static page and cannot know whether an explorer runs or on which
port; the address is therefore given when the report is written, and the page
says how to start the explorer at it.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlsplit

from linkgraph.cells import PLACEHOLDERS_EN
from linkgraph.errors import LinkgraphError
from linkgraph.report.words import t

#: A table column showing a name -> (the explorer's node label, the row's id column).
ENTITY_FIELDS: dict[str, tuple[str, str]] = {
    "unit_name": ("Unit", "unit_id"),
    "person_name": ("Person", "person_id"),
    "team_name": ("Team", "team_id"),
    "region_name": ("Region", "region_id"),
    "dept_name": ("Department", "dept_id"),
}


def explorer_address(url: str) -> str:
    """``url`` checked as an explorer's address (``http(s)://host[:port]/``), with one
    trailing slash; a path, query or fragment is refused."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or (
            parts.path not in ("", "/")) or parts.query or parts.fragment:
        raise LinkgraphError(
            f"关系探索地址无效：{url!r}（应为 http://主机:端口/，如 http://127.0.0.1:8800/）"
            f" / not an explorer address: {url!r} (expected http://host:port/, e.g. "
            "http://127.0.0.1:8800/)")
    try:
        _ = parts.port         # urllib checks the port only when asked
    except ValueError as exc:
        raise LinkgraphError(f"关系探索地址的端口无效：{url!r} / bad port in {url!r}") from exc
    return f"{parts.scheme}://{parts.netloc}/"


def entity_href(address: str | None, row: Mapping[str, Any], field: str) -> str | None:
    """The explorer's link for the entity ``row`` names in ``field`` (None when the
    report has no explorer address, the field names no entity or the row has no id)."""
    if not address or field not in ENTITY_FIELDS:
        return None
    label, id_column = ENTITY_FIELDS[field]
    ident = row.get(id_column)
    if ident is None or (isinstance(ident, float) and ident != ident) or str(ident) == "" or (
            str(ident) in PLACEHOLDERS_EN):      # a totals row (合计) or an empty cell names none
        return None
    return f"{address}#k={quote(f'{label}:{ident}', safe='')}"


def how_to_explore(lang: str, data: str | None, address: str | None) -> str:
    """The sentence that tells a reader how to open the explorer on the report's data."""
    data_arg = _shell_word(data) if data else "DATA"
    if address is None:
        return t(f"交互探索：运行 linkgraph explore {data_arg}，在浏览器中搜索全图、按需展开、"
                 "查找两者之间的路径（回避 / 提示）。",
                 f"To explore interactively, run linkgraph explore {data_arg}: search the whole "
                 "graph, expand on demand and find the paths between two entities (hard / soft "
                 "conflicts).", lang)
    parts = urlsplit(address)
    start = f"linkgraph explore {data_arg} --port {parts.port or (443 if parts.scheme == 'https' else 80)}"
    if parts.hostname not in ("127.0.0.1", "localhost"):
        start += f" --host {parts.hostname}"
    return t(f"表中的单位、人员、巡察组名称链接到关系探索（{address}）中的该节点；"
             f"先运行 {start}，再点击名称。",
             f"Unit, person and team names in the tables link to that node in the explorer "
             f"({address}); start it first with {start}, then click a name.", lang)


def _shell_word(text: str) -> str:
    """DATA as a shell word; a ``neo4j://user:password@host`` address loses its user part."""
    import shlex

    parts = urlsplit(text) if "://" in text else None
    if parts is not None and "@" in parts.netloc:
        text = parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()
    return shlex.quote(text)
