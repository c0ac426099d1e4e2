"""The ``cypher/`` query library: one question per ``.cypher`` file.

Each file starts with a comment: its name, a title (Chinese / English), the
purpose, the parameters (``$name  type  default  help``) and the columns it
returns.  ``queries()`` reads them from the installed package, so a
non-editable install finds them; ``run_query`` fills defaults, converts the
values and runs the file with the values as ``$parameters``.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from linkgraph.errors import LinkgraphError

TYPES = ("string", "int", "float", "bool", "date", "list")
_PARAM = re.compile(r"^//\s+\$(\w+)\s+(\w+)\s+(\S+)\s+(.*)$")
SCHEMA = "schema"


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: str  # as written: a value, "required", "today" or "null"
    help: str

    @property
    def required(self) -> bool:
        return self.default == "required"


@dataclass(frozen=True)
class Query:
    name: str
    title: str
    purpose: str
    parameters: tuple[Parameter, ...]
    returns: str
    text: str

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.parameters) or "（无 / none）"
        raise LinkgraphError(f"{self.name} 没有参数 {name!r} / no parameter {name!r}; "
                             f"可用 / known: {known}")


def _section(lines: list[str], head: str) -> list[str]:
    """The comment lines of one header section (``// Purpose: …`` and on)."""
    out: list[str] = []
    inside = False
    for line in lines:
        body = line[2:].strip()
        if re.match(r"^(Purpose|Parameters|Returns):", body):
            inside = body.startswith(head + ":")
            rest = body.split(":", 1)[1].strip()
            if inside and rest:
                out.append(rest)
            continue
        if inside:
            out.append(line if head == "Parameters" else body)
    return out


def parse(name: str, text: str) -> Query:
    """A query file's header and body; LinkgraphError if the header is incomplete."""
    lines = text.splitlines()
    header = [ln for ln in lines[:next((i for i, ln in enumerate(lines)
                                        if not ln.startswith("//")), len(lines))]]
    if len(header) < 3 or header[0][2:].strip() != f"{name}.cypher":
        raise LinkgraphError(f"cypher/{name}.cypher: 文件应以注释开头（文件名、标题、用途、参数、返回列）"
                             " / must start with a comment: name, title, purpose, "
                             "parameters, returns")
    params = []
    for line in _section(header, "Parameters"):
        found = _PARAM.match(line)
        if found:
            pname, ptype, default, help_text = found.groups()
            if ptype not in TYPES:
                raise LinkgraphError(f"cypher/{name}.cypher: 参数 {pname} 的类型 {ptype} 未知"
                                     f" / unknown type; use {', '.join(TYPES)}")
            params.append(Parameter(pname, ptype, default, help_text.strip()))
    purpose = " ".join(_section(header, "Purpose"))
    returns = " ".join(_section(header, "Returns"))
    if not purpose or not returns:
        raise LinkgraphError(f"cypher/{name}.cypher: 注释缺少 Purpose 或 Returns"
                             " / header lacks Purpose or Returns")
    return Query(name, header[1][2:].strip(), purpose, tuple(params), returns, text)


def queries(include_schema: bool = False) -> dict[str, Query]:
    """Every query file shipped in the ``cypher`` package, by name."""
    folder = resources.files("cypher")
    out = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".cypher"):
            name = entry.name[:-len(".cypher")]
            if name == SCHEMA and not include_schema:
                continue
            out[name] = parse(name, entry.read_text(encoding="utf-8"))
    return out


def get_query(name: str) -> Query:
    found = queries(include_schema=True)
    name = name.removesuffix(".cypher")
    if name not in found:
        raise LinkgraphError(f"没有查询 {name!r} / no query {name!r}; 可用 / known: "
                             f"{', '.join(n for n in found if n != SCHEMA)} "
                             "（linkgraph cypher list）")
    return found[name]


def convert(param: Parameter, raw: str | None, today: dt.date | None = None) -> Any:
    """A parameter's value from its text (``raw``) or its default."""
    text = param.default if raw is None else raw
    if raw is None and text == "null":
        return None
    if raw is None and text == "today":
        return today or dt.date.today()
    try:
        if param.type == "int":
            return int(text)
        if param.type == "float":
            return float(text)
        if param.type == "bool":
            low = text.strip().lower()
            if low not in ("true", "false", "1", "0", "yes", "no", "是", "否"):
                raise ValueError(text)
            return low in ("true", "1", "yes", "是")
        if param.type == "date":
            return dt.date.fromisoformat(text)
        if param.type == "list":
            return [v.strip() for v in text.split(",") if v.strip()]
    except ValueError:
        raise LinkgraphError(f"参数 {param.name} 应为 {param.type}，得到 {text!r}"
                             f" / parameter {param.name} must be a {param.type}, got "
                             f"{text!r}") from None
    return text


def parameters(query: Query, given: Mapping[str, str],
               today: dt.date | None = None) -> dict[str, Any]:
    """Every parameter of ``query``: the given ones converted, defaults for the rest."""
    for name in given:
        query.parameter(name)
    missing = [p.name for p in query.parameters if p.required and p.name not in given]
    if missing:
        raise LinkgraphError(f"{query.name} 需要参数 / needs --param "
                             + ", ".join(f"{m}=…" for m in missing))
    return {p.name: convert(p, given.get(p.name), today) for p in query.parameters}


def plain(value: Any) -> Any:
    """A value from the driver as plain Python: dates as ISO text, lists kept."""
    if isinstance(value, list):
        return [plain(v) for v in value]
    iso = getattr(value, "iso_format", None)
    if iso is not None:
        return iso()
    return value


def run_query(conn, name: str, given: Mapping[str, str] | None = None,
              today: dt.date | None = None) -> list[dict[str, Any]]:
    """Run one library query; the records with plain values."""
    query = get_query(name)
    if query.name == SCHEMA:
        raise LinkgraphError("schema 由 push 执行 / schema.cypher is applied by "
                             "`linkgraph neo4j push` (--schema-only)")
    values = parameters(query, given or {}, today)
    return [{k: plain(v) for k, v in r.items()} for r in conn.run(query.text, values)]
