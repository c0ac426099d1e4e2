"""Pseudonymisation (脱敏) of a loaded dataset before anything is written.

``--pseudonymize`` turns every person into a stable alias so a view, report
or export can be shared without naming anyone:

* ``name`` → surname + 某 + ordinal (``王某1``, ``欧阳某2``): the ordinal is
  the person's rank among people of that surname ordered by a keyed hash of
  their id, so it is stable for the dataset and says nothing about the id;
* every person id (``people.person_id`` and each column that refers to it)
  → ``P`` + 12 hex digits of HMAC-SHA256(salt, id);
* real names written inside free text (problem, measure and audit
  descriptions, petition topics, lead sources and signatures, tie sources,
  review reasons, talk triggers, visit findings, supervision information)
  → the alias, longest name first;
* the names of a lead's people (``lead_people.name``) → the alias of the
  person named, and for people not on the roster (案外人), whom no alias
  covers, ``案外人`` + an ordinal by a keyed hash of the name;
* birth year, gender and specialty → blank (they single people out and no
  analysis needs them).

The salt is secret by construction: by default it is derived from the
people table itself (ids and names), which the recipient of a shared file
does not have — not from the input files' hashes, which the provenance
block publishes.  ``LINKGRAPH_PSEUDONYM_SALT`` sets it explicitly, so the
same people keep their aliases across updates of the ledgers.  The mapping
alias → real person is written only when the caller asks for it.
"""
from __future__ import annotations

import dataclasses
import hashlib
import hmac
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from linkgraph.schema import TABLE_BY_NAME, TABLES

SALT_ENV = "LINKGRAPH_PSEUDONYM_SALT"

#: two-character surnames (复姓) that come before 某 whole.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 "
    "端木 独孤 南宫 西门 万俟 闻人 澹台 公冶 宗政 濮阳 太叔 申屠 赫连 呼延 淳于 单于 "
    "拓跋 百里 东郭 第五".split())

#: (table, column) of free text in which real names are replaced.
FREE_TEXT = (("problems", "description"), ("measures", "description"),
             ("audits", "description"), ("petitions", "topic"), ("petitions", "channel"),
             ("leads", "source"), ("leads", "signed_by"), ("leads", "discipline"),
             ("ties", "source"),
             # the 成果 and review records (issue 19)
             ("reviews", "reason"), ("results", "accountability_kind"), ("talks", "trigger"),
             ("talks", "form"), ("visits", "verdict"), ("visits", "findings"),
             ("supervision_info", "text"), ("self_checks", "category"))

#: person attributes blanked: quasi-identifiers no analysis needs.
DROPPED = ("birth_year", "gender", "specialty")


def person_id_columns() -> list[tuple[str, str, str]]:
    """(table, column, kind) of every column holding person ids."""
    out = []
    for table in TABLES:
        for col in table.columns:
            if col.ref == "people" or (table.name == "people" and col.name == "person_id"):
                out.append((table.name, col.name, col.kind))
    return out


def dataset_salt(people: pd.DataFrame) -> bytes:
    """The per-dataset secret: from the environment, else from the people table."""
    given = os.environ.get(SALT_ENV)
    if given:
        return given.encode("utf-8")
    h = hashlib.sha256(b"linkgraph-pseudonym-v1\0")
    for pid, name in sorted(zip(people["person_id"].astype(str), people["name"].astype(str))):
        h.update(pid.encode("utf-8") + b"\0" + name.encode("utf-8") + b"\0")
    return h.digest()


def surname(name: str) -> str:
    name = name.strip()
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[:2]
    if not name:
        return "某"
    first = name[0]
    # a non-Chinese name (Latin letters, digits): keep no letter of it
    return first if "\u3400" <= first <= "\u9fff" else "X"


@dataclass(frozen=True)
class Pseudonyms:
    """The mapping real person → alias for one dataset."""

    ids: Mapping[str, str]      # real person_id -> hashed id
    names: Mapping[str, str]    # real person_id -> alias name
    real_names: Mapping[str, str]

    def records(self) -> list[dict[str, str]]:
        """The key (for the user who asked for it): alias, ids, real name."""
        return [{"alias": self.names[pid], "pseudonym_id": self.ids[pid], "person_id": pid,
                 "name": self.real_names[pid]}
                for pid in sorted(self.ids, key=lambda p: self.ids[p])]


def make_pseudonyms(people: pd.DataFrame, salt: bytes | None = None) -> Pseudonyms:
    salt = dataset_salt(people) if salt is None else salt
    pids = people["person_id"].astype(str).tolist()
    real = dict(zip(pids, people["name"].fillna("").astype(str)))
    digest = {p: hmac.new(salt, p.encode("utf-8"), hashlib.sha256).hexdigest() for p in pids}
    ids = {p: "P" + d[:12] for p, d in digest.items()}
    if len(set(ids.values())) < len(ids):  # astronomically unlikely; never silently merge
        ids = {p: "P" + d[:24] for p, d in digest.items()}
    names: dict[str, str] = {}
    counters: dict[str, int] = {}
    for p in sorted(pids, key=lambda p: digest[p]):
        s = surname(real[p])
        counters[s] = counters.get(s, 0) + 1
        names[p] = f"{s}某{counters[s]}"
    return Pseudonyms(ids, names, real)


class NameScrubber:
    """Replace real names inside text by their aliases (Aho–Corasick, longest first)."""

    MIN_LEN = 2

    def __init__(self, pseudonyms: Pseudonyms):
        import ahocorasick

        by_name: dict[str, str] = {}
        for pid in sorted(pseudonyms.real_names):
            name = pseudonyms.real_names[pid].strip()
            if len(name) >= self.MIN_LEN:
                # two people with one name: the text cannot say which; use a neutral alias
                by_name[name] = (pseudonyms.names[pid] if name not in by_name
                                 else surname(name) + "某")
        self.automaton = None
        if by_name:
            auto = ahocorasick.Automaton()
            for name, alias in by_name.items():
                auto.add_word(name, (len(name), alias))
            auto.make_automaton()
            self.automaton = auto

    def __call__(self, text: str) -> str:
        if self.automaton is None or not text:
            return text
        hits = []
        for end, (length, alias) in self.automaton.iter(text):
            hits.append((end - length + 1, end + 1, alias))
        if not hits:
            return text
        # longest match first, left to right, no overlaps
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        out, pos = [], 0
        for start, stop, alias in hits:
            if start < pos:
                continue
            out.append(text[pos:start])
            out.append(alias)
            pos = stop
        out.append(text[pos:])
        return "".join(out)


def _map_ids(series: pd.Series, kind: str, ids: Mapping[str, str]) -> pd.Series:
    if kind == "ids":
        return series.map(lambda v: tuple(ids.get(x, x) for x in v)
                          if isinstance(v, tuple) else v)
    return series.map(lambda v: ids.get(v, v) if isinstance(v, str) else v)


def _scrub(series: pd.Series, scrub: NameScrubber) -> pd.Series:
    uniques = series.dropna().unique()
    table: dict[str | tuple, str | tuple] = {}
    for v in uniques:
        if isinstance(v, str):
            table[v] = scrub(v)
        elif isinstance(v, tuple):
            table[v] = tuple(scrub(x) if isinstance(x, str) else x for x in v)
    return series.map(lambda v: table.get(v, v) if isinstance(v, (str, tuple)) else v)


def pseudonymize_tables(tables: Mapping[str, pd.DataFrame],
                        pseudonyms: Pseudonyms | None = None
                        ) -> tuple[dict[str, pd.DataFrame], Pseudonyms]:
    """Copies of the canonical tables with people replaced by their aliases."""
    people = tables["people"]
    pseudonyms = pseudonyms or make_pseudonyms(people)
    out = {name: frame for name, frame in tables.items()}
    if "lead_people" in out and not out["lead_people"].empty:
        out["lead_people"] = _lead_people_names(out["lead_people"], pseudonyms)
    for table, column, kind in person_id_columns():
        frame = out.get(table)
        if frame is None or column not in frame.columns or frame.empty:
            continue
        frame = frame.copy() if frame is tables[table] else frame
        if table == "people" and column == "person_id":
            real = frame["person_id"].astype(str)
            frame["name"] = real.map(pseudonyms.names).astype(frame["name"].dtype)
        frame[column] = _map_ids(frame[column], kind, pseudonyms.ids).astype(
            frame[column].dtype if kind != "ids" else object)
        out[table] = frame
    people_out = out["people"]
    for column in DROPPED:
        if column in people_out.columns and not people_out.empty:
            people_out = people_out.copy() if people_out is tables["people"] else people_out
            dtype = people_out[column].dtype
            empty = None if pd.api.types.is_object_dtype(dtype) else pd.NA   # as the loader leaves a blank cell
            people_out[column] = pd.Series(empty, index=people_out.index, dtype=dtype)
    out["people"] = people_out
    scrub = NameScrubber(pseudonyms)
    for table, column in FREE_TEXT:
        frame = out.get(table)
        if frame is None or column not in frame.columns or frame.empty:
            continue
        frame = frame.copy() if frame is tables[table] else frame
        frame[column] = _scrub(frame[column], scrub).astype(frame[column].dtype)
        out[table] = frame
    for table, frame in list(out.items()):   # extra columns: free text of unknown meaning
        if table not in TABLE_BY_NAME or frame.empty:
            continue
        from linkgraph.check import extra_columns

        extras = extra_columns(frame, table)
        if extras:
            frame = frame.copy() if frame is tables[table] else frame
            for column in extras:
                frame[column] = _scrub(frame[column], scrub).astype(object)
            out[table] = frame
    return out, pseudonyms


def _lead_people_names(frame: pd.DataFrame, pseudonyms: Pseudonyms) -> pd.DataFrame:
    """lead_people with each name replaced: the alias of the person on the
    roster, else 案外人 + ordinal (by a hash keyed with the hashed ids, so the
    ordinal says nothing about the name)."""
    key = "\0".join(sorted(pseudonyms.ids.values())).encode("utf-8")
    outside = frame.loc[frame["person_id"].isna(), "name"].dropna().astype(str)
    ranked = sorted(set(outside), key=lambda n: hmac.new(key, n.encode("utf-8"),
                                                        hashlib.sha256).hexdigest())
    ordinal = {n: f"案外人{i}" for i, n in enumerate(ranked, 1)}
    alias = frame["person_id"].map(lambda p: None if p is None or p != p
                                   else pseudonyms.names.get(str(p)))
    named = frame["name"].map(lambda n: None if n is None or n != n
                              else ordinal.get(str(n)))
    out = frame.copy()
    out["name"] = alias.where(frame["person_id"].notna(), named).astype(object)
    out["name"] = out["name"].where(out["name"].notna(), None)
    return out


def pseudonymize_dataset(dataset, pseudonyms: Pseudonyms | None = None):
    """The dataset with pseudonymised tables (and rejected values scrubbed)."""
    tables, pseudonyms = pseudonymize_tables(dataset.tables, pseudonyms)
    scrub = NameScrubber(pseudonyms)
    violations = tuple(_scrub_violation(v, scrub, pseudonyms) for v in dataset.violations)
    return dataclasses.replace(dataset, tables=tables, violations=violations), pseudonyms


def _scrub_violation(v, scrub: NameScrubber, pseudonyms: Pseudonyms):
    value = getattr(v, "value", None)
    if not isinstance(value, str) or not value:
        return v
    new = pseudonyms.ids.get(value.strip(), scrub(value))
    return dataclasses.replace(v, value=new) if new != value else v


def leaked_names(texts: Iterable[str], pseudonyms: Pseudonyms) -> set[str]:
    """Real names (≥ 2 characters) that occur in any of ``texts``: for tests and checks."""
    names = {n for n in pseudonyms.real_names.values() if len(n.strip()) >= 2}
    found = set()
    for t in texts:
        for n in names:
            if n in t:
                found.add(n)
    return found
