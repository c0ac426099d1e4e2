"""Canonical tables <-> the networkx property graph.

``build_graph`` turns a dataset into a ``MultiDiGraph`` following
``model.RELATIONSHIPS``; ``tables_from_graph`` reads one back (for a graph
pulled from Neo4j).  ``graph_counts`` gives the node and relationship counts
straight from the tables, so ``stats`` need not build a province-scale graph.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence

import networkx as nx
import pandas as pd

from linkgraph.check import RELATION_EXTRA_COLUMNS, extra_columns
from linkgraph.model import OUTSIDE_PEOPLE, RELATIONSHIPS, TABLE_LABELS, RelSpec, node_key
from linkgraph.rules import Rules
from linkgraph.schema import TABLE_BY_NAME, TABLE_ONLY, Tables, key_column


def _python_values(series: pd.Series) -> list:
    """A column as plain Python values; missing -> None, dates -> ISO text."""
    if pd.api.types.is_datetime64_any_dtype(series):
        text = series.dt.strftime("%Y-%m-%d")
        return [None if v is None or v != v else v for v in text.tolist()]
    if isinstance(series.dtype, pd.Int64Dtype):
        return [None if v is pd.NA else int(v) for v in series.tolist()]
    if series.dtype == bool:
        return [bool(v) for v in series.tolist()]
    out = series.tolist()
    if series.dtype == float:
        return [None if v != v else v for v in out]
    return [list(v) if isinstance(v, tuple) else (None if _missing(v) else v) for v in out]


def _missing(v: object) -> bool:
    """None, NaN, pd.NA or NaT (``pd.NA != pd.NA`` cannot be asked)."""
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v)


def _records(frame: pd.DataFrame, columns: list[str], rename: Mapping[str, str]) -> Iterator[dict]:
    names = [rename.get(c, c) for c in columns]
    values = [_python_values(frame[c]) for c in columns]
    for row in zip(*values):
        yield {n: v for n, v in zip(names, row) if v is not None and v != []}


#: Columns the session's category harmonisation adds that only say how a label
#: was matched (``categories.COLUMNS``): bookkeeping, not facts of the problem.
#: The written label, its area and branch stay on the node.
_NOT_PROPERTIES = frozenset({"category_level", "category_match"})


def node_frame(tables: Tables, table: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """An entity table's rows as node properties: the frame and its columns
    (name -> kind).  Columns the contract does not know are kept as text
    (``extra_columns``); leads also carry the people of ``lead_people`` who
    are not on the roster (案外人, ``model.OUTSIDE_PEOPLE``)."""
    frame = tables[table]
    kinds = {c.name: c.kind for c in TABLE_BY_NAME[table].columns}
    kinds.update({c: "text" for c in extra_columns(frame, table) if c not in _NOT_PROPERTIES})
    if table == "leads" and "lead_people" in tables:
        names, outcomes = _outside_people(tables["lead_people"], frame["lead_id"])
        frame = frame.assign(**{OUTSIDE_PEOPLE[0]: names, OUTSIDE_PEOPLE[1]: outcomes})
        kinds.update({OUTSIDE_PEOPLE[0]: "list", OUTSIDE_PEOPLE[1]: "list"})
    return frame, kinds


def _outside_people(lead_people: pd.DataFrame, lead_ids: pd.Series) -> tuple[list, list]:
    """Per lead (in ``lead_ids`` order): the names and outcomes ("" = none) of
    its lead_people rows without a person id, in row order."""
    outside = lead_people[lead_people["person_id"].isna()]
    names: dict[str, list[str]] = {}
    outcomes: dict[str, list[str]] = {}
    for lead, name, outcome in zip(outside["lead_id"].tolist(), outside["name"].tolist(),
                                   outside["outcome"].tolist()):
        names.setdefault(lead, []).append("" if _missing(name) else str(name))
        outcomes.setdefault(lead, []).append("" if _missing(outcome) else str(outcome))
    ids = lead_ids.tolist()
    return ([tuple(names.get(i, ())) for i in ids],
            [tuple(outcomes.get(i, ())) if any(outcomes.get(i, ())) else () for i in ids])


def _entity_nodes(tables: Tables) -> Iterator[tuple[str, dict]]:
    for table, label in TABLE_LABELS.items():
        frame, kinds = node_frame(tables, table)
        if frame.empty:
            continue
        key = key_column(table)
        for props in _records(frame, list(kinds), {key: "id"}):
            props["label"] = label
            yield node_key(label, props["id"]), props


def categories(tables: Tables) -> list[str]:
    """Every problem category named anywhere, sorted."""
    seen = set(tables["problems"]["category"].dropna())
    seen.update(tables["audits"]["category"].dropna())
    for items in tables["departments"]["supervises"]:
        seen.update(items)
    return sorted(seen)


#: what a Category node of harmonised tables carries besides id and name:
#: the taxonomy's levels above it (the same property names as on Problem nodes)
CATEGORY_LEVELS = ("category_area", "category_branch")
#: a department's ``supervises`` as written, ";"-joined, beside the harmonised
#: list (``for_graph``), so that a pulled dataset is the one loaded
SUPERVISES_WRITTEN = "supervises_written"


def category_nodes(tables: Tables) -> list[dict]:
    """The Category nodes: one per category named anywhere (``categories``),
    with its area (四个聚焦, level 2) and branch (level 1) when the tables
    are harmonised and the shipped taxonomy places it."""
    from linkgraph.categories import is_harmonised, load_taxonomy

    names = categories(tables)
    if not is_harmonised(tables):
        return [{"id": c, "name": c} for c in names]
    tax = load_taxonomy()
    out = []
    for c in names:
        up = dict(zip(CATEGORY_LEVELS, (tax.area_of(c), tax.branch_of(c))))
        out.append({"id": c, "name": c, **{k: v for k, v in up.items() if v}})
    return out


def for_graph(tables: Tables, decisions: Sequence = (), tax=None) -> dict[str, pd.DataFrame]:
    """The tables as a stored graph holds them (``neo4j push``, bulk export):
    categories harmonised onto the taxonomy (``category`` harmonised; the
    written label, area and branch beside it; departments' ``supervises``
    harmonised with the written list in ``supervises_written``), by ``tax``
    (the shipped taxonomy when None) and the office's ``decisions``.  Tables
    a session already harmonised are taken as they are."""
    from linkgraph.categories import harmonise_tables, is_harmonised

    tables = getattr(tables, "tables", tables)
    if is_harmonised(tables):
        return dict(tables)
    out = harmonise_tables(tables, tax, decisions=decisions)
    depts = tables.get("departments")
    if depts is not None and "supervises" in depts.columns and len(depts):
        written = depts["supervises"].map(
            lambda v: ";".join(v) if isinstance(v, (list, tuple)) and len(v) else None)
        out["departments"] = out["departments"].assign(**{SUPERVISES_WRITTEN: written})
    return out


def as_written(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """``for_graph`` undone: categories and ``supervises`` as written, the
    harmonised columns gone (what ``tables_from_graph`` gives back)."""
    for name in ("problems", "audits"):
        f = tables.get(name)
        if f is not None and "category_written" in f.columns:
            cat = f["category_written"].where(f["category_written"].notna(), f["category"])
            tables[name] = f.assign(category=cat).drop(
                columns=[c for c in ("category_written", *CATEGORY_LEVELS) if c in f.columns])
    d = tables.get("departments")
    if d is not None and SUPERVISES_WRITTEN in d.columns:
        back = d[SUPERVISES_WRITTEN].map(lambda v: tuple(v.split(";")) if isinstance(v, str)
                                         else None)
        tables["departments"] = d.assign(supervises=back.where(back.notna(), d["supervises"])) \
            .drop(columns=[SUPERVISES_WRITTEN])
    return tables


def edge_properties(tables: Tables, spec: RelSpec) -> dict[str, str]:
    """The properties of one relationship spec's edges (name -> column kind):
    the spec's own, then — for a relationship table (posts, ties,
    team_members, assignments, lead_people: rows without a node of their
    own) — the columns the contract does not know, kept as text
    (``extra_columns``), as a node table's are kept on its nodes."""
    table = TABLE_BY_NAME[spec.table]
    known = {c.name for c in table.columns}  # derived properties (relation_word) are text
    kinds = {c: table.column(c).kind if c in known else "text" for c in spec.properties}
    if spec.table not in TABLE_LABELS and spec.table in tables:
        kinds.update({c: "text" for c in extra_columns(tables[spec.table], spec.table)
                      if c not in kinds})
    return kinds


def _edge_frame(tables: Tables, spec: RelSpec) -> pd.DataFrame:
    """start key, end key and properties (``edge_properties``) of one
    relationship spec's edges."""
    frame = tables[spec.table]
    properties = list(edge_properties(tables, spec))
    if frame.empty:
        return pd.DataFrame(columns=["_start", "_end", *properties])
    if spec.start_label is None or spec.start_column is None:
        start_label, start_col = TABLE_LABELS[spec.table], key_column(spec.table)
    else:
        start_label, start_col = spec.start_label, spec.start_column
    sub = frame[[start_col, spec.end_column, *properties]].copy()
    sub.columns = ["_start", "_end", *properties]
    if TABLE_BY_NAME[spec.table].column(spec.end_column).kind in ("ids", "list"):
        sub = sub.explode("_end")
    sub = sub[sub["_end"].notna() & sub["_start"].notna()]
    sub["_start"] = start_label + ":" + sub["_start"].astype(str)
    sub["_end"] = spec.end_label + ":" + sub["_end"].astype(str)
    return sub


def corroborations(tables: Tables, rules: Rules | None = None) -> pd.DataFrame:
    """(finding_id, problem_id) where an audit finding corroborates (印证) an
    inspection problem: same unit, and category and description alike enough
    (``linkgraph.analysis.audit.match_findings``, tuned in ``[audit]`` of the
    rules file)."""
    from linkgraph.analysis.audit import match_findings

    return match_findings(tables, rules)[["finding_id", "problem_id"]]


def build_graph(tables: Tables, rules: Rules | None = None) -> nx.MultiDiGraph:
    """The property graph of a dataset (``Dataset`` or its ``tables``);
    ``rules`` tunes the derived CORROBORATES edges."""
    tables = getattr(tables, "tables", tables)
    G = nx.MultiDiGraph()
    G.add_nodes_from(_entity_nodes(tables))
    G.add_nodes_from((node_key("Category", c["id"]), {**c, "label": "Category"})
                     for c in category_nodes(tables))
    for spec in RELATIONSHIPS:
        edges = _edge_frame(tables, spec)
        props = list(edge_properties(tables, spec))
        for attrs, (s, e) in zip(_records(edges, props, {}) if props else
                                 ({} for _ in range(len(edges))),
                                 zip(edges["_start"].tolist(), edges["_end"].tolist())):
            attrs["type"] = spec.type
            G.add_edge(s, e, **attrs)
    for f, p in corroborations(tables, rules).itertuples(index=False):
        G.add_edge(node_key("AuditFinding", f), node_key("Problem", p), type="CORROBORATES")
    return G


def graph_counts(tables: Tables, rules: Rules | None = None) -> tuple[Counter, Counter]:
    """Nodes per label and relationships per type, without building the graph."""
    tables = getattr(tables, "tables", tables)
    labels: Counter = Counter()
    for table, label in TABLE_LABELS.items():
        labels[label] += len(tables[table])
    labels["Category"] = len(categories(tables))
    types: Counter = Counter()
    for spec in RELATIONSHIPS:
        types[spec.type] += len(_edge_frame(tables, spec))
    types["CORROBORATES"] = len(corroborations(tables, rules))
    return labels, types


def _typed(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Restore the canonical dtypes of a table rebuilt from graph properties."""
    out = pd.DataFrame(index=frame.index)
    for col in TABLE_BY_NAME[table].columns:
        s = frame[col.name] if col.name in frame else pd.Series(None, index=frame.index, dtype=object)
        if col.kind == "date":
            s = pd.to_datetime(s, errors="coerce").astype("datetime64[ns]")
        elif col.kind == "int":
            s = pd.to_numeric(s, errors="coerce").astype("Int64")
        elif col.kind == "float":
            s = pd.to_numeric(s, errors="coerce").astype(float)
        elif col.kind == "bool":
            s = s.fillna(False).astype(bool)
        elif col.kind in ("ids", "list"):
            s = s.map(lambda v: tuple(v) if isinstance(v, (list, tuple)) else ())
        else:
            s = s.astype(object).where(s.notna(), None)
        out[col.name] = s
    if table == "ties":  # the word as written and its kinship path (check.py)
        for extra in RELATION_EXTRA_COLUMNS:
            s = frame[extra] if extra in frame else pd.Series(None, index=frame.index,
                                                              dtype=object)
            out[extra] = s.astype(object).where(s.notna(), None)
    return out


def _with_extras(typed: pd.DataFrame, frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """``typed`` plus the node properties the contract does not know (extra
    columns as loaded), sorted by name: a graph or Neo4j keeps no column order."""
    reserved = {"id", "label", *OUTSIDE_PEOPLE}
    extras = sorted(c for c in extra_columns(frame, table) if c not in reserved)
    for c in extras:
        typed[c] = frame[c].astype(object).where(frame[c].notna(), None)
    return typed


def tables_from_graph(G: nx.MultiDiGraph) -> dict[str, pd.DataFrame]:
    """The canonical tables of a graph built by ``build_graph`` (or pulled),
    categories as written (``as_written``): analyses harmonise them again."""
    by_label: dict[str, list[dict]] = {}
    for _, data in G.nodes(data=True):
        by_label.setdefault(data.get("label"), []).append(data)
    tables: dict[str, pd.DataFrame] = {}
    for table, label in TABLE_LABELS.items():
        rows = sorted(by_label.get(label, []), key=lambda d: str(d["id"]))
        frame = pd.DataFrame([{**d, key_column(table): d["id"]} for d in rows])
        tables[table] = _with_extras(_typed(frame, table), frame, table)
    link_tables = {"posts": "HOLDS_POST", "ties": "TIE", "team_members": "MEMBER_OF",
                   "assignments": "INSPECTS", "lead_people": "IMPLICATES"}
    for table, rel in link_tables.items():
        spec = next(s for s in RELATIONSHIPS if s.type == rel and s.table == table)
        rows = []
        for s, e, data in G.edges(data=True):
            if data.get("type") != rel:
                continue
            row = {k: v for k, v in data.items() if k != "type"}  # extra columns too
            row.update({k: data.get(k) for k in spec.properties})
            row[spec.start_column or key_column(table)] = G.nodes[s]["id"]
            row[spec.end_column] = G.nodes[e]["id"]
            rows.append(row)
        if table == "lead_people":
            rows += _outside_rows(by_label.get("Lead", []))
        frame = pd.DataFrame(rows)
        if not frame.empty:
            order = ([spec.start_column, spec.end_column, "name"] if table == "lead_people"
                     else [spec.start_column, spec.end_column])
            frame = frame.sort_values(order, kind="stable",
                                      na_position="last").reset_index(drop=True)
        tables[table] = _with_extras(_typed(frame, table), frame, table)
    for table in TABLE_ONLY:   # not in the graph (schema.GRAPH_TABLES)
        tables[table] = _typed(pd.DataFrame(), table)
    return as_written(tables)


def _outside_rows(leads: list[dict]) -> list[dict]:
    """The lead_people rows of people not on the roster, from their Leads."""
    rows = []
    for lead in leads:
        names = list(lead.get(OUTSIDE_PEOPLE[0]) or ())
        outcomes = list(lead.get(OUTSIDE_PEOPLE[1]) or ())
        outcomes += [""] * (len(names) - len(outcomes))
        rows += [{"lead_id": lead["id"], "person_id": None, "name": n or None,
                  "outcome": o or None} for n, o in zip(names, outcomes)]
    return rows
