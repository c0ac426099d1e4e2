"""Find text in the wrong language, and internal codes, in what a user reads.

An output in English may quote the ledgers (names, units, categories,
descriptions, titles — all Chinese) but nothing else in Chinese; an output
in Chinese may carry ids, file paths, option names and a few format words,
but no English words and no internal code (``talk``, ``done``, ``leader``,
``self_check_unit_ids``).  "Quotes the ledgers" is decided against the data
itself: a run of Chinese characters is a quote when the dataset's text
holds it.
"""
from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
#: What may stand in a Chinese output in Latin letters: format and product
#: names, units of measure — never a word of a sentence or a code.
LATIN_ALLOWED = frozenset({
    "linkgraph", "sha256", "xlsx", "csv", "json", "html", "excel", "neo4j", "cypher", "id",
    "report", "index", "svg", "pdf", "utf", "gbk", "gb18030", "bom", "p", "yyyy", "mm", "dd",
    "ctrl", "cpsat", "highs", "milp",  # solver names are product names, shown as such
    "zh", "en",                         # the values of --lang, in the provenance
})
_STRIP = re.compile(r"(?:[A-Za-z]:)?[\w.\-]*/[\w./\-~]*|--[\w-]+|https?://\S+|"
                    r"\b[A-Za-z]+-[A-Za-z]*\d[\w-]*|"
                    r"\b[\w.-]+\.(?:csv|xlsx|html|json|toml|cypher)\b")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_SNAKE = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")


def dataset_corpus(folder: Path) -> str:
    """Every text cell of the dataset, the category taxonomy and the rules'
    relation words, one per line: what an output may quote."""
    from linkgraph.categories import load_taxonomy
    from linkgraph.dataset import load_dataset

    from linkgraph.catalogue import catalogue

    data = load_dataset(folder)
    codes = {code for table in catalogue().values.values() for code in table}
    parts: list[str] = []
    for frame in data.tables.values():
        for col in frame.columns:   # the ledgers' text, not the codes closed columns hold
            if frame[col].dtype == object:
                parts += [v for v in frame[col].dropna().unique()
                          if isinstance(v, str) and v not in codes]
    import dataclasses

    for name, node in load_taxonomy().nodes.items():
        parts += [name, *_strings(dataclasses.asdict(node))]
    return "\n".join(sorted(set(parts)))


def _strings(value) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for v in value:
            yield from _strings(v)


def chinese_leaks(texts: Iterable[str], corpus: str) -> list[str]:
    """Runs of Chinese in an English output that quote nothing in the data."""
    bad = []
    for text in texts:
        for run in CJK_RUN.findall(_STRIP.sub(" ", text)):
            if run not in corpus:
                bad.append(f"{run!r} in {text[:160]!r}")
    return bad


@cache
def public_words() -> frozenset[str]:
    """Latin words (lower case) a Chinese output may show because the user
    types them: the values of the CLI's choice options (``--by department``,
    ``--lang zh``, shown in the provenance) and the command names.  The
    graph's labels and relationship types are ``graph_names``."""
    import click

    from linkgraph.cli import cli

    words: set[str] = set()
    ctx = click.Context(cli)

    def walk(cmd: click.Command) -> None:
        for p in cmd.params:
            if isinstance(p.type, click.Choice):
                words.update(str(c).lower() for c in p.type.choices)
        if isinstance(cmd, click.Group):
            for name in cmd.list_commands(ctx):
                sub = cmd.get_command(ctx, name)
                if sub is not None:
                    walk(sub)
    walk(cli)   # and below: the command names, as the provenance's command line has them
    from linkgraph.analysis.lead_networks import JOINS   # --join person,tie,unit

    from linkgraph.catalogue import catalogue

    # the codes of the value vocabularies stay leaks even where an option accepts them
    # (``--level hard``): a reader must see 回避, 谈话函询, 组长, never hard, talk, leader
    codes = {code.lower() for name, table in catalogue().values.items()
             if name in CODED for code in table}
    choices = words | set(JOINS)
    return frozenset((choices - codes) | set(cli.list_commands(ctx)))


@cache
def graph_names() -> frozenset[str]:
    """The graph's labels and relationship types as Cypher spells them
    (``Talk``, ``IN_ROUND``): public in that spelling only, so the coded value
    ``talk`` stays a leak although a label ``Talk`` exists."""
    from linkgraph.model import LABELS, REL_TYPES

    return frozenset((*LABELS, *REL_TYPES))


#: The catalogue's vocabularies of coded values a reader must never see raw.
CODED = ("disposition", "outcome", "status", "role", "round_kind", "dept_kind",
         "conflict_level", "relation", "stage", "overdue_reason", "cluster_kind")


def english_leaks(texts: Iterable[str], corpus: str) -> list[str]:
    """Latin words (English text or internal codes) in a Chinese output that
    are not ids, paths, options, format names or quotes of the data."""
    bad = []
    for text in texts:
        for word in _LATIN_WORD.findall(_STRIP.sub(" ", text)):
            if any(ch.isdigit() for ch in word) and "_" not in word:
                continue   # an id: U0001, RD0007, L0018
            if word in graph_names() or word.lower() in LATIN_ALLOWED | public_words() or \
                    len(word) < 2 and "_" not in word:
                continue
            if re.search(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", corpus):
                continue   # the ledgers' own Latin text (KTV, PPP)
            bad.append(f"{word!r} in {text[:160]!r}")
    return bad


def code_leaks(texts: Iterable[str], corpus: str) -> list[str]:
    """snake_case identifiers (field names, rule names) in any output."""
    bad = []
    for text in texts:
        for word in _SNAKE.findall(_STRIP.sub(" ", text)):
            if word not in corpus and word.upper() not in graph_names() and \
                    word.lower() not in public_words():
                bad.append(f"{word!r} in {text[:160]!r}")
    return bad


# ------------------------------------------------------------------ readers

_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)
_STYLE = re.compile(r"<style\b[^>]*>.*?</style>", re.S)
_TAG = re.compile(r"<[^>]+>")
_SHOWN_ATTR = re.compile(r'\b(?:title|aria-label|placeholder|alt)="([^"]*)"')
_DATA = re.compile(r'<script type="application/json" id="lg-data">(.*?)</script>', re.S)


def html_texts(page: str) -> list[str]:
    """What a reader of an HTML page sees: its text, its tooltips
    (``title``, SVG ``<title>``), and for a view the node, edge and tooltip
    words and the page's messages from the embedded data."""
    texts = [html_lib.unescape(m) for m in _SHOWN_ATTR.findall(page)]
    body = _TAG.sub("\n", _STYLE.sub("", _SCRIPT.sub("", page)))
    texts += [t.strip() for t in html_lib.unescape(body).split("\n") if t.strip()]
    m = _DATA.search(page)
    if m:
        texts += view_texts(json.loads(m.group(1)))
    return texts


def view_texts(data: dict) -> list[str]:
    out: list[str] = []
    for n in list(data.get("nodes", [])) + list(data.get("extraNodes", {}).values()):
        out.append(str(n.get("label", "")))
    for e in list(data.get("edges", [])) + list(data.get("extraEdges", {}).values()):
        out.append(str(e.get("label", "")))
    for _label, _search, rows in data.get("meta", {}).values():
        out += [str(x) for row in rows for x in row]
    for rows in data.get("etip", {}).values():
        out += [str(x) for row in rows for x in row]
    out += [str(v) for v in data.get("ui", {}).values()]
    return [t for t in out if t]


def xlsx_texts(path: Path) -> list[str]:
    """Sheet names, every text cell, and the print header/footer of a workbook."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    out: list[str] = []
    for ws in wb.worksheets:
        out.append(ws.title)
        for row in ws.iter_rows(values_only=True):
            out += [v for v in row if isinstance(v, str)]
        for part in (ws.oddHeader, ws.oddFooter):
            for side in (part.left, part.center, part.right):
                if side.text:
                    out.append(re.sub(r"&[A-Z]|&\"[^\"]*\"|&\d+", " ", side.text))
    return out
