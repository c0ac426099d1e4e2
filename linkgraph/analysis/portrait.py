"""一把手 portrait (政治画像 material): for one person, the problems found in the
units they led as top leader during their tenure, the problems, leads and
petitions about them, the measures they own, and their ties to other leaders.

A problem counts for a tenure when its unit is the one led and it was found
(``found_date``, else its round's start) between the post's start and end
(or ``as_of`` for a post still held).  ``portrait_nodes`` gives the same
material as graph node keys ("Label:id") for a view.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from linkgraph.analysis import leads as lead_analysis
from linkgraph.analysis import rectification
from linkgraph.categories import harmonise_tables
from linkgraph.analysis.ledger import (label, lookup, names, timestamp, to_records,
                                       tuple_or_empty, tuples_by)
from linkgraph.errors import InputError
from linkgraph.model import node_key
from linkgraph.rules import Rules
from linkgraph.schema import Tables
from linkgraph.tenure import with_inferred_ends

DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class Portrait:
    person: dict
    posts: pd.DataFrame
    tenure_problems: pd.DataFrame  # problems in units led, found during the tenure
    problems_involving: pd.DataFrame  # problems naming the person
    leads: pd.DataFrame
    petitions: pd.DataFrame
    measures: pd.DataFrame  # rectification measures the person owns
    ties: pd.DataFrame
    #: 巡察政治谈话 the person took part in, and 巡前征集 supervision info about them
    talks: pd.DataFrame = field(default_factory=pd.DataFrame)
    supervision_info: pd.DataFrame = field(default_factory=pd.DataFrame)


def resolve_person(tables: Tables, who: str) -> str:
    """A person id from an id or a name that only one person has."""
    people = tables["people"]
    if (people["person_id"] == who).any():
        return who
    same = people.loc[people["name"] == who, "person_id"].tolist()
    if len(same) == 1:
        return same[0]
    if same:
        raise InputError(f"有{len(same)}人名为 {who}，请用人员编码 / {len(same)} people are "
                         f"named {who}; give a person_id: {', '.join(sorted(same))}")
    raise InputError(f"找不到人员 / no person with id or name {who!r}")


def _posts(tables: Tables, pid: str, as_of: pd.Timestamp) -> pd.DataFrame:
    p = tables["posts"]
    p = with_inferred_ends(p[p["person_id"] == pid])   # blank ends: see tenure.py
    p = p[~(p["start"] > as_of)]
    end = p["end"].where(p["end"] <= as_of)
    out = pd.DataFrame({"unit_id": p["unit_id"],
                        "unit_name": label(p["unit_id"], names(tables, "units")),
                        "title": p["title"], "is_top_leader": p["is_top_leader"],
                        "start": p["start"], "end": end, "current": end.isna()})
    until = end.fillna(as_of)
    out["years"] = ((until - p["start"]).dt.days / DAYS_PER_YEAR).round(1)
    return out.sort_values(["start", "unit_id"], na_position="first").reset_index(drop=True)


def _tenure_problems(tables: Tables, posts: pd.DataFrame, as_of: pd.Timestamp,
                     status: pd.DataFrame) -> pd.DataFrame:
    led = posts[posts["is_top_leader"]]
    pr = tables["problems"]
    when = pr["found_date"].fillna(lookup(pr["round_id"],
                                         tables["rounds"].set_index("round_id")["start"]))
    pr = pr.assign(when=when)
    f = pr.merge(led[["unit_id", "unit_name", "start", "end"]], on="unit_id")
    inside = (f["when"] >= f["start"].fillna(pd.Timestamp.min)) & \
             (f["when"] <= f["end"].fillna(as_of))
    f = f[inside].drop_duplicates("problem_id")
    f = f.join(status.set_index("problem_id")[["rectified", "measures", "overdue_measures"]],
               on="problem_id")
    cols = ["problem_id", "unit_id", "unit_name", "round_id", "category", "description",
            "found_date", "rectified", "measures", "overdue_measures"]
    return f[cols].sort_values(["found_date", "problem_id"]).reset_index(drop=True)


def _ties(tables: Tables, rules: Rules, pid: str, as_of: pd.Timestamp) -> pd.DataFrame:
    """The person's ties, the other side's top-leader posts first."""
    t = tables["ties"]
    mine = t[(t["person_a"] == pid) | (t["person_b"] == pid)]
    other = mine["person_a"].where(mine["person_b"] == pid, mine["person_b"])
    posts = tables["posts"]
    leaders = posts[posts["person_id"].isin(set(other)) & posts["is_top_leader"]
                    & ~(posts["start"] > as_of)]
    led_ids = tuples_by(leaders["person_id"], leaders["unit_id"])
    unit_names = names(tables, "units")
    from linkgraph.catalogue import relation_label

    relation_zh = {k: v.get("zh") or relation_label(k) for k, v in rules.relations.items()}
    out = pd.DataFrame({"person_id": other.to_numpy(),
                        "name": label(other, names(tables, "people")).to_numpy(),
                        "relation": mine["relation"].map(lambda r: relation_zh.get(r, r)).to_numpy(),
                        "since": mine["since"].to_numpy(), "source": mine["source"].to_numpy()})
    out["is_leader"] = out["person_id"].isin(led_ids.index)
    out["led_unit_ids"] = tuple_or_empty(out["person_id"].map(led_ids))
    out["led_units"] = out["led_unit_ids"].map(
        lambda ids: tuple(unit_names.get(u, u) for u in ids))
    out = out[["person_id", "name", "relation", "since", "source", "is_leader", "led_units",
               "led_unit_ids"]]
    return out.sort_values(["is_leader", "person_id"], ascending=[False, True]) \
              .reset_index(drop=True)


def _own_rows(tables: Tables, pid: str, led_units: set[str]) -> dict[str, pd.DataFrame]:
    """The tables cut to what a portrait can use: problems of the units the
    person led or naming them, those problems' measures and the measures they
    own, their leads — so a province-wide ledger is not scanned twice."""
    p = tables["problems"]
    problems = p[p["unit_id"].isin(led_units) | p["person_ids"].map(lambda ids: pid in ids).astype(bool)]
    m = tables["measures"]
    measures = m[m["problem_id"].isin(set(problems["problem_id"])) | (m["owner_person_id"] == pid)]
    extra = p[p["problem_id"].isin(set(measures["problem_id"]) - set(problems["problem_id"]))]
    leads = tables["leads"]
    return {**tables, "problems": pd.concat([problems, extra]), "measures": measures,
            "leads": leads[leads["person_id"] == pid]}


def portrait(tables: Tables, rules: Rules, who: str, as_of: dt.date | str) -> Portrait:
    """The portrait of the person ``who`` (an id, or a name only one person
    has); problem categories harmonised, as written in ``category_written``."""
    as_of = timestamp(as_of)
    tables = harmonise_tables(tables)
    pid = resolve_person(tables, who)
    people = tables["people"].set_index("person_id")
    row = people.loc[pid]
    regions = names(tables, "regions")
    person = {"person_id": pid, "name": row["name"], "gender": row["gender"],
              "birth_year": None if pd.isna(row["birth_year"]) else int(row["birth_year"]),
              "hometown": regions.get(row["hometown_region_id"], row["hometown_region_id"])}
    posts = _posts(tables, pid, as_of)
    mine = _own_rows(tables, pid, set(posts.loc[posts["is_top_leader"], "unit_id"]))
    measures = rectification.measure_status(mine, rules, as_of)
    status = rectification.problem_status(mine, measures, as_of)
    problems = mine["problems"]
    involving = problems[problems["person_ids"].map(lambda ids: pid in ids).astype(bool)]
    involving = involving[~(involving["found_date"] > as_of)][
        ["problem_id", "unit_id", "round_id", "category", "category_written", "description",
         "found_date"]]
    lifecycle = lead_analysis.lead_lifecycle(mine, rules, as_of)
    pet = tables["petitions"]
    pet = pet[(pet["person_id"] == pid) & ~(pet["date"] > as_of)]
    return Portrait(
        person=person, posts=posts,
        tenure_problems=_tenure_problems(mine, posts, as_of, status),
        problems_involving=involving.reset_index(drop=True),
        leads=lifecycle[["lead_id", "unit_name", "dept_name", "stage", "transfer_date",
                         "closed_date", "disposition", "outcome", "overdue", "overdue_reason"]],
        petitions=pet[["petition_id", "unit_id", "channel", "date", "topic"]]
        .sort_values(["date", "petition_id"]).reset_index(drop=True),
        measures=_own_measures(tables, measures, pid),
        ties=_ties(tables, rules, pid, as_of),
        talks=_talks(tables, pid, as_of), supervision_info=_supervision(tables, pid, as_of))


def _own_measures(tables: Tables, measures: pd.DataFrame, pid: str) -> pd.DataFrame:
    """The measures ``pid`` owns, with 完成 and 销号 (closed after review) apart."""
    own = measures[measures["owner_person_id"] == pid].sort_values("measure_id")
    named = rectification.with_names(tables, own).assign(
        review_closed=own["review_closed"].to_numpy())
    return named[["measure_id", "problem_id", "unit_name", "description", "status",
                  "due_date", "completed", "review_closed", "overdue", "reopened"]] \
        .reset_index(drop=True)


def _talks(tables: Tables, pid: str, as_of: pd.Timestamp) -> pd.DataFrame:
    """The 巡察政治谈话 naming ``pid`` among the people talked to, by date."""
    t = tables["talks"]
    t = t[t["person_ids"].map(lambda ids: pid in ids).astype(bool) & ~(t["date"] > as_of)]
    return t[["talk_id", "unit_id", "round_id", "stage", "form", "date", "trigger"]] \
        .rename(columns={"stage": "talk_stage"}).sort_values(["date", "talk_id"], na_position="first").reset_index(drop=True)


def _supervision(tables: Tables, pid: str, as_of: pd.Timestamp) -> pd.DataFrame:
    """巡前征集的日常监督信息 about ``pid``, by date."""
    s = tables["supervision_info"]
    s = s[(s["person_id"] == pid) & ~(s["date"] > as_of)]
    return s[["info_id", "from_dept_id", "unit_id", "date", "text"]] \
        .sort_values(["date", "info_id"], na_position="first").reset_index(drop=True)


def summary(p: Portrait) -> dict:
    """Key figures of a portrait, for its first section."""
    led = p.posts[p.posts["is_top_leader"]]
    tp = p.tenure_problems
    top = tp["category"].value_counts().head(3) if len(tp) else pd.Series(dtype=int)
    return {**p.person,
            "posts": len(p.posts), "top_leader_posts": len(led),
            "top_leader_years": float(led["years"].sum().round(1)) if len(led) else 0.0,
            "tenure_problems": len(tp),
            "tenure_problems_open": int((~tp["rectified"].fillna(False).astype(bool)).sum()),
            "top_categories": [f"{c}（{n}）" for c, n in top.items()],
            "problems_involving": len(p.problems_involving), "leads": len(p.leads),
            "overdue_leads": int(p.leads["overdue"].sum()), "petitions": len(p.petitions),
            "measures_owned": len(p.measures), "overdue_measures": int(p.measures["overdue"].sum()),
            "ties": len(p.ties), "ties_to_leaders": int(p.ties["is_leader"].sum()),
            "talks": len(p.talks), "supervision_info": len(p.supervision_info)}


def as_document(p: Portrait) -> dict:
    """The portrait as one JSON-ready record."""
    return {"summary": summary(p), "posts": to_records(p.posts),
            "tenure_problems": to_records(p.tenure_problems),
            "problems_involving": to_records(p.problems_involving),
            "leads": to_records(p.leads), "petitions": to_records(p.petitions),
            "measures": to_records(p.measures), "ties": to_records(p.ties),
            "talks": to_records(p.talks), "supervision_info": to_records(p.supervision_info)}


def portrait_nodes(p: Portrait) -> tuple[str, ...]:
    """The node keys of the portrait's subgraph, for a view: the person, the
    units they held posts in, the problems, leads, petitions and measures of
    the portrait, and the people they are tied to."""
    keys = [node_key("Person", p.person["person_id"])]
    keys += [node_key("Unit", u) for u in p.posts["unit_id"]]
    keys += [node_key("Problem", q) for q in p.tenure_problems["problem_id"]]
    keys += [node_key("Problem", q) for q in p.problems_involving["problem_id"]]
    keys += [node_key("Lead", x) for x in p.leads["lead_id"]]
    keys += [node_key("Petition", x) for x in p.petitions["petition_id"]]
    keys += [node_key("Measure", x) for x in p.measures["measure_id"]]
    for person, units in zip(p.ties["person_id"], p.ties["led_unit_ids"]):
        keys += [node_key("Person", person)] + [node_key("Unit", u) for u in units]
    return tuple(dict.fromkeys(keys))


def portrait_tables(tables: Tables, p: Portrait) -> dict[str, pd.DataFrame]:
    """The rows of every table that the portrait touches (its subgraph's
    tables, for ``build_graph``): small whatever the size of the ledgers."""
    keys = portrait_nodes(p)
    ids: dict[str, set[str]] = {}
    for key in keys:
        label_, _, ident = key.partition(":")
        ids.setdefault(label_, set()).add(ident)
    pid = p.person["person_id"]
    out = {name: frame.iloc[0:0] for name, frame in tables.items()}
    for name, label_, col in (("problems", "Problem", "problem_id"), ("leads", "Lead", "lead_id"),
                              ("petitions", "Petition", "petition_id"),
                              ("measures", "Measure", "measure_id")):
        out[name] = tables[name][tables[name][col].isin(ids.get(label_, set()))]
    people = ids.get("Person", set())
    out["people"] = tables["people"][tables["people"]["person_id"].isin(people)]
    t = tables["ties"]
    out["ties"] = t[(t["person_a"] == pid) | (t["person_b"] == pid)]
    posts = tables["posts"]
    out["posts"] = posts[(posts["person_id"] == pid) | (posts["person_id"].isin(people)
                                                        & posts["is_top_leader"])]
    units = ids.get("Unit", set()) | set(out["posts"]["unit_id"])
    for name in ("problems", "leads", "petitions"):
        units |= set(out[name]["unit_id"].dropna())
    out["units"] = tables["units"][tables["units"]["unit_id"].isin(units)]
    depts = set(out["leads"]["transferred_to"].dropna()) | set(
        out["measures"]["owner_dept_id"].dropna())
    out["departments"] = tables["departments"][tables["departments"]["dept_id"].isin(depts)]
    rounds = set(out["problems"]["round_id"].dropna()) | set(out["leads"]["round_id"].dropna())
    out["rounds"] = tables["rounds"][tables["rounds"]["round_id"].isin(rounds)]
    return out


def portrait_graph(tables: Tables, p: Portrait, rules: Rules | None = None):
    """The portrait's subgraph (networkx), without nodes that only a
    reference to a row outside the portrait would create."""
    from linkgraph.graph import build_graph

    G = build_graph(portrait_tables(tables, p), rules)
    G.remove_nodes_from([n for n, d in G.nodes(data=True) if "label" not in d])
    return G


def round_leaders(tables: Tables, round_id: str) -> pd.DataFrame:
    """(unit_id, person_id) of each unit inspected in ``round_id`` and its
    一把手 when the round started (the latest top-leader post begun by then and
    not ended before it), units in id order; units with no known 一把手 are
    left out.  The 政治画像 batch of a round."""
    a = tables["assignments"]
    units = sorted(set(a.loc[a["round_id"] == round_id, "unit_id"]))
    start = tables["rounds"].set_index("round_id")["start"].get(round_id)
    po = tables["posts"]
    po = po[po["is_top_leader"].astype(bool) & po["unit_id"].isin(units)]
    if start is not None and not pd.isna(start):
        po = po[~(po["start"] > start) & ~(po["end"] < start)]
    po = po.sort_values(["unit_id", "start", "person_id"], na_position="first")
    last = po.drop_duplicates("unit_id", keep="last")
    return last[["unit_id", "person_id"]].reset_index(drop=True)
