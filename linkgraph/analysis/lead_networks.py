"""Lead networks (线索关联): leads joined through the same person, a tie between
their people, or the same unit, as connected groups with an explanation.

"这3条线索涉及2个单位，涉及一对夫妻：何娟(P2)与陈明(P1)" — the kind of join an
office makes by hand when two bureaus' leads turn out to concern a married
couple.  Groups are the connected components of the graph whose nodes are
leads and whose edges are the chosen joins; only groups of two or more leads
are returned.  A group's id is ``LN-`` + its smallest lead id, so it stays
the same when unrelated leads are added.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from linkgraph.analysis.ledger import names, timestamp
from linkgraph.catalogue import relation_label
from linkgraph.errors import ConfigError
from linkgraph.schema import Tables

JOINS = ("person", "tie", "unit")

#: How a tie reads in an explanation: "一对夫妻".
def _pair_word(relation: str) -> str:
    """How a pair of people with ``relation`` is counted (一对夫妻): the
    catalogue's ``relation_pair`` words, else its relation label."""
    from linkgraph.catalogue import catalogue

    words = catalogue().labels("relation_pair")
    return words.get(relation) or relation_label(relation)

_NUMERALS = "零一两三四五六七八九十"

NETWORK_COLUMNS = ("network_id", "leads", "lead_ids", "units", "unit_ids", "person_ids",
                   "ties", "ties_en", "why", "why_en")


def _count_zh(n: int) -> str:
    return _NUMERALS[n] if n <= 10 else str(n)


def _chain_edges(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Edges joining consecutive rows that share a (non-negative) code."""
    rows = np.flatnonzero(codes >= 0)
    order = rows[np.argsort(codes[rows], kind="stable")]
    same = codes[order[1:]] == codes[order[:-1]]
    return order[:-1][same], order[1:][same]


def _lead_frame(tables: Tables, as_of: pd.Timestamp | None) -> pd.DataFrame:
    leads = tables["leads"]
    if as_of is not None:
        leads = leads[~(leads["transfer_date"] > as_of)]
    leads = leads.sort_values("lead_id", kind="stable").reset_index(drop=True)
    problem_unit = leads["problem_id"].map(
        tables["problems"].set_index("problem_id")["unit_id"])
    unit = leads["unit_id"].where(leads["unit_id"].notna(), problem_unit)
    return pd.DataFrame({"lead_id": leads["lead_id"], "unit_id": unit,
                         "person_id": leads["person_id"]})


def _lead_ties(tables: Tables, people: pd.Series) -> pd.DataFrame:
    """Ties whose two people both appear on leads (either direction)."""
    ties = tables["ties"][["person_a", "person_b", "relation"]]
    on_leads = set(people.dropna())
    ties = ties[ties["person_a"].isin(on_leads) & ties["person_b"].isin(on_leads)]
    low = ties["person_a"].where(ties["person_a"] < ties["person_b"], ties["person_b"])
    high = ties["person_b"].where(ties["person_a"] < ties["person_b"], ties["person_a"])
    once = ~pd.DataFrame({"l": low, "h": high, "r": ties["relation"]}).duplicated()
    return ties[once].reset_index(drop=True)


def _components(f: pd.DataFrame, ties: pd.DataFrame, joins: Sequence[str]) -> np.ndarray:
    n = len(f)
    starts, ends = [np.arange(n)], [np.arange(n)]
    person_codes, person_index = pd.factorize(f["person_id"])
    if "person" in joins:
        s, e = _chain_edges(person_codes)
        starts.append(s)
        ends.append(e)
    if "unit" in joins:
        s, e = _chain_edges(pd.factorize(f["unit_id"])[0])
        starts.append(s)
        ends.append(e)
    if "tie" in joins and len(ties):
        # a tie joins every lead of one person with every lead of the other,
        # so all leads of a tied person belong together
        tied = pd.Index(person_index).isin(set(ties["person_a"]) | set(ties["person_b"]))
        s, e = _chain_edges(np.where((person_codes >= 0) & tied[person_codes], person_codes, -1))
        starts.append(s)
        ends.append(e)
        first_lead = pd.Series(np.arange(n)).groupby(person_codes).first()
        first_lead = first_lead[first_lead.index >= 0]
        by_person = pd.Series(first_lead.to_numpy(), index=person_index[first_lead.index])
        starts.append(by_person[ties["person_a"]].to_numpy())
        ends.append(by_person[ties["person_b"]].to_numpy())
    s, e = np.concatenate(starts), np.concatenate(ends)
    graph = coo_matrix((np.ones(len(s), dtype=np.int8), (s, e)), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def _who(pid: str, people: Mapping[str, str]) -> str:
    return f"{people.get(pid, pid)}({pid})"


def _facts(unit_ids: Sequence, person_ids: Sequence, ties: Iterable[tuple[str, str, str]]
           ) -> tuple[list[str], list[tuple[str, int]], dict[str, list[tuple[str, str]]]]:
    """What a network's explanation says, in any language: its distinct units,
    the people more than one of its leads names (with how many), and its ties
    by relation."""
    distinct_units = sorted({u for u in unit_ids if isinstance(u, str)})
    counts = Counter(p for p in person_ids if isinstance(p, str))
    repeated = sorted((p, k) for p, k in counts.items() if k > 1)
    by_relation: dict[str, list[tuple[str, str]]] = {}
    for a, b, rel in ties:
        by_relation.setdefault(rel, []).append((a, b))
    return distinct_units, repeated, by_relation


def _explain(lead_ids: Sequence[str], unit_ids: Sequence, person_ids: Sequence,
             ties: Iterable[tuple[str, str, str]], units: Mapping[str, str],
             people: Mapping[str, str]) -> str:
    distinct_units, repeated, by_relation = _facts(unit_ids, person_ids, ties)
    parts = []
    if distinct_units:
        shown = "、".join(units.get(u, u) for u in distinct_units[:5])
        more = "等" if len(distinct_units) > 5 else ""
        parts.append(f"涉及{len(distinct_units)}个单位（{shown}{more}）"
                     if len(distinct_units) > 1 else f"同属{shown}")
    for pid, k in repeated:
        parts.append(f"{k}条线索同涉{_who(pid, people)}")
    for rel in sorted(by_relation):
        pairs = [f"{_who(a, people)}与{_who(b, people)}" for a, b in by_relation[rel]]
        parts.append(f"涉及{_count_zh(len(pairs))}对{_pair_word(rel)}："
                     + "；".join(pairs))
    return f"这{len(lead_ids)}条线索" + "，".join(parts)


def _explain_en(lead_ids: Sequence[str], unit_ids: Sequence, person_ids: Sequence,
                ties: Iterable[tuple[str, str, str]], units: Mapping[str, str],
                people: Mapping[str, str]) -> str:
    """The explanation of :func:`_explain` in English (names as written)."""
    from linkgraph.catalogue import label

    distinct_units, repeated, by_relation = _facts(unit_ids, person_ids, ties)
    parts = []
    if distinct_units:
        shown = ", ".join(units.get(u, u) for u in distinct_units[:5])
        more = " …" if len(distinct_units) > 5 else ""
        parts.append(f"concern {len(distinct_units)} units ({shown}{more})"
                     if len(distinct_units) > 1 else f"all concern {shown}")
    for pid, k in repeated:
        parts.append(f"{k} of them concern {_who(pid, people)}")
    for rel in sorted(by_relation):
        pairs = [f"{_who(a, people)} and {_who(b, people)}" for a, b in by_relation[rel]]
        word = label("relation_pair", rel, "en")
        word = word if word != rel else relation_label(rel, "en")
        parts.append(f"{len(pairs)} pair(s) of {word}: " + "; ".join(pairs))
    return f"These {len(lead_ids)} leads " + ", ".join(parts)


def _lookup(tables: Tables, table: str, wanted: pd.Series) -> dict[str, str]:
    lookup = names(tables, table)
    return lookup[lookup.index.isin(set(wanted.dropna()))].to_dict()


def _split_groups(f: pd.DataFrame) -> Iterable[tuple[int, list, list, list]]:
    """(group, lead ids, unit ids, person ids) of ``f`` sorted by group."""
    groups = f["group"].to_numpy()
    if len(groups) == 0:
        return []
    bounds = np.flatnonzero(groups[1:] != groups[:-1]) + 1
    parts = [np.split(f[c].to_numpy(), bounds) for c in ("lead_id", "unit_id", "person_id")]
    heads = groups[np.r_[0, bounds]]
    return [(g, list(lp), list(up), list(pp)) for g, lp, up, pp in zip(heads, *parts)]


def _network(lead_ids: list, unit_ids: list, person_ids: list,
             ties: list[tuple[str, str, str]], unit_names: Mapping[str, str],
             people: Mapping[str, str]) -> dict:
    units = sorted({u for u in unit_ids if isinstance(u, str)})
    persons = sorted({p for p in person_ids if isinstance(p, str)})
    return {
        "network_id": f"LN-{min(lead_ids)}", "leads": len(lead_ids),
        "lead_ids": tuple(sorted(lead_ids)),
        "units": tuple(unit_names.get(u, u) for u in units),
        "unit_ids": tuple(units), "person_ids": tuple(persons),
        "ties": tuple(f"{_who(a, people)}—{_who(b, people)}（{relation_label(r)}）"
                      for a, b, r in ties),
        "ties_en": tuple(f"{_who(a, people)}—{_who(b, people)} ({relation_label(r, 'en')})"
                         for a, b, r in ties),
        "why": _explain(lead_ids, unit_ids, person_ids, ties, unit_names, people),
        "why_en": _explain_en(lead_ids, unit_ids, person_ids, ties, unit_names, people),
    }


def lead_networks(tables: Tables, *, joins: Sequence[str] = JOINS,
                  as_of: dt.date | str | None = None) -> pd.DataFrame:
    """Groups of ≥ 2 leads joined by ``joins`` (any of "person", "tie",
    "unit"), largest first; columns NETWORK_COLUMNS.  With ``as_of``, leads
    transferred after it are left out."""
    bad = [j for j in joins if j not in JOINS]
    if bad or not joins:
        raise ConfigError(f"未知的关联方式 / unknown join {bad}; 可用 / use: {', '.join(JOINS)}")
    f = _lead_frame(tables, None if as_of is None else timestamp(as_of))
    ties = _lead_ties(tables, f["person_id"] if "tie" in joins else f["person_id"].iloc[:0])
    f["group"] = _components(f, ties, joins)
    sizes = f["group"].map(f["group"].value_counts())
    f = f[sizes > 1].sort_values(["group", "lead_id"], kind="stable")
    person_group = f.dropna(subset=["person_id"]).drop_duplicates("person_id") \
                    .set_index("person_id")["group"]
    ties = ties.assign(group=ties["person_a"].map(person_group)).dropna(subset=["group"])
    tie_groups: dict[int, list[tuple[str, str, str]]] = {}
    for a, b, r, g in ties[["person_a", "person_b", "relation", "group"]].itertuples(
            index=False, name=None):
        tie_groups.setdefault(int(g), []).append((a, b, r))
    unit_names = _lookup(tables, "units", f["unit_id"])
    people = _lookup(tables, "people", f["person_id"])
    rows = [_network(lead_ids, unit_ids, person_ids, tie_groups.get(int(g), []),
                     unit_names, people)
            for g, lead_ids, unit_ids, person_ids in _split_groups(f)]
    out = pd.DataFrame(rows, columns=list(NETWORK_COLUMNS))
    if len(out):
        out = out.sort_values(["leads", "network_id"], ascending=[False, True]) \
                 .reset_index(drop=True)
    return out
