"""``export-import``: CSV files and the command line for
``neo4j-admin database import full`` — the way to load a province at once.

One file per label (``id:ID(Label)`` and typed property columns) and per
relationship (type, start label, end label) (``:START_ID(Start)``,
``:END_ID(End)``); arrays are ``;``-separated.  The nodes and relationships
are those ``push`` sends (the same de-duplication), written straight from
the tables with pandas so a province does not pass through Python dicts.
"""
from __future__ import annotations

import shlex
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd

from linkgraph.graph import (CATEGORY_LEVELS, _edge_frame, category_nodes, corroborations,
                             edge_properties, for_graph, node_frame)
from linkgraph.model import RELATIONSHIPS, TABLE_LABELS
from linkgraph.rules import Rules
from linkgraph.schema import Tables, key_column


#: column kind -> neo4j-admin type suffix
ADMIN_TYPES = {"int": ":long", "float": ":double", "bool": ":boolean", "date": ":date",
               "ids": ":string[]", "list": ":string[]"}
ARRAY_DELIMITER = ";"


def _text(series: pd.Series, kind: str) -> pd.Series:
    """A column as the text neo4j-admin reads ('' = no property)."""
    if kind == "date" or pd.api.types.is_datetime64_any_dtype(series):
        return pd.to_datetime(series, errors="coerce").dt.strftime("%Y-%m-%d").fillna("")
    if kind == "bool":
        return series.fillna(False).astype(bool).map({True: "true", False: "false"})
    if kind == "int":
        return series.astype("Int64").astype(str).replace("<NA>", "")
    if kind == "float":
        return series.map(lambda v: "" if v is None or v != v else repr(float(v)))
    if kind in ("ids", "list"):
        return series.map(lambda v: ARRAY_DELIMITER.join(v) if isinstance(v, (list, tuple))
                          else "")
    return series.astype(object).where(series.notna(), "").astype(str)


@dataclass(frozen=True)
class ExportResult:
    out_dir: Path
    database: str
    node_files: tuple[tuple[str, str], ...]  # (label, file name)
    rel_files: tuple[tuple[str, str], ...]  # (type, file name)
    nodes: int
    relationships: int

    @property
    def script(self) -> Path:
        return self.out_dir / "import.sh"

    def arguments(self, base: Path | None = None) -> list[str]:
        """The arguments after ``neo4j-admin``; files under ``base`` (default DIR)."""
        base = (base or self.out_dir).resolve()
        args = ["database", "import", "full", self.database, "--overwrite-destination=true",
                f"--array-delimiter={ARRAY_DELIMITER}", "--multiline-fields=true",
                "--skip-bad-relationships=false", f"--report-file={base / 'import.report'}"]
        args += [f"--nodes={label}={base / name}" for label, name in self.node_files]
        args += [f"--relationships={t}={base / name}" for t, name in self.rel_files]
        return args

    def command_line(self, admin: str = "neo4j-admin") -> str:
        return shlex.join([admin, *self.arguments()])


def _write(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def _node_frames(tables: Tables):
    for table, label in TABLE_LABELS.items():
        frame, kinds = node_frame(tables, table)
        key = key_column(table)
        frame = frame.drop_duplicates(key)
        out = pd.DataFrame(index=frame.index)
        out[f"id:ID({label})"] = frame[key].astype(str)
        for name, kind in kinds.items():
            if name != key:
                out[name + ADMIN_TYPES.get(kind, "")] = _text(frame[name], kind)
        yield label, out
    cats = pd.DataFrame(category_nodes(tables), columns=["id", "name", *CATEGORY_LEVELS])
    yield "Category", cats.rename(columns={"id": "id:ID(Category)"}).fillna("")


def _rel_frames(tables: Tables, rules: Rules | None):
    groups: dict[tuple[str, str, str], list[pd.DataFrame]] = {}
    for spec in RELATIONSHIPS:
        start, end = spec.start_label or TABLE_LABELS[spec.table], spec.end_label
        f = _edge_frame(tables, spec)
        out = pd.DataFrame({f":START_ID({start})": f["_start"].astype(str).str.slice(len(start) + 1),
                            f":END_ID({end})": f["_end"].astype(str).str.slice(len(end) + 1)})
        for c, kind in edge_properties(tables, spec).items():  # extra columns are text
            out[c + ADMIN_TYPES.get(kind, "")] = _text(f[c], kind)
        groups.setdefault((spec.type, start, end), []).append(out)
    c = corroborations(tables, rules)
    groups[("CORROBORATES", "AuditFinding", "Problem")] = [pd.DataFrame(
        {":START_ID(AuditFinding)": c["finding_id"].astype(str),
         ":END_ID(Problem)": c["problem_id"].astype(str)})]
    for (rel_type, start, end), frames in sorted(groups.items()):
        yield rel_type, start, end, pd.concat(frames, ignore_index=True).drop_duplicates()


def export(tables: Tables, out_dir: str | Path, *, database: str = "neo4j",
           rules: Rules | None = None) -> ExportResult:
    """Write the CSVs, ``import.sh`` and ``schema.cypher`` into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tables = for_graph(tables)     # categories harmonised, as ``push`` writes them
    node_files, rel_files, n_nodes, n_rels = [], [], 0, 0
    for label, frame in _node_frames(tables):
        name = f"nodes_{label}.csv"
        _write(frame, out / name)
        node_files.append((label, name))
        n_nodes += len(frame)
    for rel_type, start, end, frame in _rel_frames(tables, rules):
        name = f"rels_{rel_type}_{start}_{end}.csv"
        _write(frame, out / name)
        rel_files.append((rel_type, name))
        n_rels += len(frame)
    result = ExportResult(out, database, tuple(node_files), tuple(rel_files), n_nodes, n_rels)
    schema = resources.files("cypher").joinpath("schema.cypher").read_text(encoding="utf-8")
    (out / "schema.cypher").write_text(schema, encoding="utf-8")
    args = [shlex.quote(a) for a in result.arguments()]
    script = ("#!/bin/sh\n# Written by `linkgraph neo4j export-import`. Run with the Neo4j "
              "server stopped;\n# it creates (or overwrites) the database "
              f"{shlex.quote(database)}.\n# Then start the server and run: "
              "linkgraph neo4j push --schema-only\nset -e\n"
              '"${NEO4J_ADMIN:-neo4j-admin}" ' + " ".join(args[:4]) + " \\\n  "
              + " \\\n  ".join(args[4:]) + "\n")
    result.script.write_text(script, encoding="utf-8")
    result.script.chmod(0o755)
    return result
