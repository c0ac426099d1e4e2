"""What every section uses: column headings in the report's language, links to views."""
from __future__ import annotations

from collections.abc import Sequence

from linkgraph.report.model import Link
from linkgraph.report.words import t


def columns(spec: Sequence[tuple[str, tuple[str, str]]], lang: str) -> tuple[tuple[str, str], ...]:
    return tuple((field, t(zh, en, lang)) for field, (zh, en) in spec)


def view_link(text: str, kind: str, ident: str) -> Link:
    """A link to the view of ``kind`` (``unit``, ``cluster``, ``conflicts``...)
    for ``ident`` (an id, or the round of conflicts/rotation); the file name
    keeps only safe characters (``unit-U0001.html``)."""
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "_" for ch in ident)
    href = f"{kind}-{safe}.html"
    if kind in ("conflicts", "rotation"):
        return Link(text, href, kind, ident)
    return Link(text, href, f"{kind}:{ident}")
