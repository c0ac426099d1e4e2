"""From the internal frames (integer references) to the canonical tables.

Ids are given here, in an order a ledger would have (rounds by start date,
problems by round and unit, leads by transfer date …).  The tables follow
``linkgraph.schema`` exactly and hold what a loader recovers: text and ids as
objects with ``None`` for empty, dates ``datetime64[ns]``, ``birth_year``
``Int64``, lists ``;``-joined.  ``zh`` holds the Chinese word written for each
closed-vocabulary cell (配偶 / 夫妻 …), chosen once so every format agrees.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from linkgraph.schema import TABLE_BY_NAME
from linkgraph.vocab import LABELS_ZH
from loaders.generator.taxonomy import CATEGORIES, CATEGORY_NAMES
from loaders.generator.util import make_ids, stream

_SUBCATEGORY = np.array([s.name for c in CATEGORIES for s in c.subs], dtype=object)
_FOCUS = np.array([c.focus for c in CATEGORIES], dtype=object)
_STATUS_WORDS = {"done": ("已完成", "已销号"), "partly": ("基本完成",), "open": ("推进中", "未完成"),
                 "ongoing": ("长期坚持", "持续整改")}


@dataclass
class Ids:
    region: np.ndarray
    unit: np.ndarray
    person: np.ndarray
    round: np.ndarray  # by internal round index
    team: np.ndarray
    problem: np.ndarray  # by internal problem index
    dept: np.ndarray
    lead: np.ndarray
    order: dict[str, np.ndarray]  # internal rows in id order, per entity


def _inverse(rank: np.ndarray) -> np.ndarray:
    order = np.empty_like(rank)
    order[rank] = np.arange(len(rank))
    return order


def ref(ids: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Ids for integer references; -1 -> None."""
    idx = np.asarray(idx)
    out = np.empty(len(idx), dtype=object)
    ok = idx >= 0
    out[ok] = ids[idx[ok]]
    return out


def ns(values) -> np.ndarray:
    return np.asarray(values).astype("datetime64[ns]")


def _table(name: str, cols: dict) -> pd.DataFrame:
    """A canonical table: exactly the schema's columns, in order."""
    spec = TABLE_BY_NAME[name]
    data = {}
    for c in spec.columns:
        v = cols.get(c.name)
        n = len(next(iter(cols.values())))
        if v is None:
            v = np.full(n, None, dtype=object)
        if c.kind == "int":
            data[c.name] = pd.array(v, dtype="Int64")
        elif isinstance(v, np.ndarray) and v.dtype == object:
            data[c.name] = pd.Series(v, dtype=object)
        else:
            data[c.name] = v
    return pd.DataFrame(data)


def _rank(keys: list[np.ndarray], n: int) -> np.ndarray:
    """Position of each row when sorted by ``keys`` (first key most significant)."""
    order = np.lexsort(tuple(reversed(keys))) if keys else np.arange(n)
    rank = np.empty(n, np.int64)
    rank[order] = np.arange(n)
    return rank


def make_ids_for(w) -> Ids:
    st, r = w.st, w.rounds
    rr = r.rounds
    round_rank = _rank([rr["start"].to_numpy(), rr["organizer"].to_numpy()], len(rr))
    round_ids = make_ids("RD", len(rr))[round_rank]
    team_rank = _rank([round_rank[r.teams["round"].to_numpy()], np.arange(len(r.teams))],
                      len(r.teams))
    p = w.problems
    tie = stream(w.seed, "problem-order").random(len(p))
    prob_rank = _rank([round_rank[p["round"].to_numpy()], p["unit"].to_numpy(),
                       p["found"].to_numpy(), tie], len(p))
    lead_rank = _rank([w.leads["transfer"].to_numpy(), prob_rank[w.leads["problem"].to_numpy()]],
                      len(w.leads))
    order = {"round": _inverse(round_rank), "team": _inverse(team_rank),
             "problem": _inverse(prob_rank), "lead": _inverse(lead_rank),
             "problem_rank": prob_rank}
    return Ids(make_ids("R", len(st.regions)), make_ids("U", len(st.units)),
               make_ids("P", len(w.people)), round_ids, make_ids("T", len(r.teams))[team_rank],
               make_ids("Q", len(p))[prob_rank], make_ids("D", len(w.depts)),
               make_ids("L", len(w.leads))[lead_rank], order)


def build_tables(w, ids: Ids) -> tuple[dict[str, pd.DataFrame], dict[str, dict[str, np.ndarray]]]:
    rng = stream(w.seed, "words")
    st = w.st
    t: dict[str, pd.DataFrame] = {}
    zh: dict[str, dict[str, np.ndarray]] = {}
    reg = st.regions
    t["regions"] = _table("regions", {
        "region_id": ids.region, "name": reg["name"].to_numpy(), "level": reg["level"].to_numpy(),
        "parent_id": ref(ids.region, reg["parent"].to_numpy())})
    u = st.units
    t["units"] = _table("units", {
        "unit_id": ids.unit, "name": u["name"].to_numpy(),
        "region_id": ref(ids.region, u["region"].to_numpy()), "sector": u["sector"].to_numpy(),
        "level": u["level"].to_numpy(), "kind": u["kind"].to_numpy(),
        "parent_id": ref(ids.unit, u["parent"].to_numpy())})
    pe = w.people
    t["people"] = _table("people", {
        "person_id": ids.person, "name": pe["name"].to_numpy(),
        "hometown_region_id": ref(ids.region, pe["hometown"].to_numpy()),
        "birth_year": pe["birth_year"].to_numpy(), "gender": pe["gender"].to_numpy(),
        "specialty": _none(pe["specialty"].to_numpy())})
    po = w.posts
    t["posts"] = _table("posts", {
        "person_id": ids.person[po["person"].to_numpy()], "unit_id": ids.unit[po["unit"].to_numpy()],
        "title": po["title"].to_numpy(), "is_top_leader": po["top"].to_numpy().astype(bool),
        "start": ns(po["start"]), "end": ns(po["end"])})
    ti = w.ties
    t["ties"] = _table("ties", {
        "person_a": ids.person[ti["a"].to_numpy()], "person_b": ids.person[ti["b"].to_numpy()],
        "relation": ti["relation"].to_numpy(), "since": ns(ti["since"]),
        "source": ti["source"].to_numpy()})
    zh["ties"] = {"relation": ti["word"].to_numpy()}
    _rounds(t, zh, w, ids)
    _problems(t, w, ids)
    _followup(t, zh, w, ids, rng)
    return t, zh


def _none(a: np.ndarray) -> np.ndarray:
    out = a.astype(object)
    out[pd.isna(out)] = None
    return out


def _rounds(t, zh, w, ids: Ids) -> None:
    r = w.rounds
    order = ids.order["round"]
    rr = r.rounds.iloc[order]
    t["rounds"] = _table("rounds", {
        "round_id": ids.round[order], "name": rr["name"].to_numpy(), "kind": rr["kind"].to_numpy(),
        "start": ns(rr["start"]), "end": ns(rr["end"]),
        "organizer_region_id": ids.region[rr["organizer"].to_numpy()], "term": rr["term"].to_numpy()})
    zh["rounds"] = {"kind": _labels("round_kind", rr["kind"].to_numpy())}
    order = ids.order["team"]
    tm = r.teams.iloc[order]
    t["teams"] = _table("teams", {
        "team_id": ids.team[order], "round_id": ids.round[tm["round"].to_numpy()],
        "name": tm["name"].to_numpy(), "home_region_id": ids.region[tm["home"].to_numpy()],
        "cross_mode": _none(tm["cross_mode"].to_numpy())})
    m = r.members
    team_rank = np.empty(len(ids.team), np.int64)
    team_rank[ids.order["team"]] = np.arange(len(ids.team))
    m = m.iloc[np.lexsort((np.arange(len(m)), team_rank[m["team"].to_numpy()]))]
    t["team_members"] = _table("team_members", {
        "team_id": ids.team[m["team"].to_numpy()], "person_id": ids.person[m["person"].to_numpy()],
        "role": m["role"].to_numpy(),
        "seconded_from_unit_id": ref(ids.unit, m["seconded_from"].to_numpy())})
    zh["team_members"] = {"role": _labels("role", m["role"].to_numpy())}
    a = r.assignments
    round_rank = np.empty(len(ids.round), np.int64)
    round_rank[ids.order["round"]] = np.arange(len(ids.round))
    a = a.iloc[np.lexsort((a["unit"].to_numpy(), team_rank[a["team"].to_numpy()],
                           round_rank[a["round"].to_numpy()]))]
    t["assignments"] = _table("assignments", {
        "round_id": ids.round[a["round"].to_numpy()], "team_id": ids.team[a["team"].to_numpy()],
        "unit_id": ids.unit[a["unit"].to_numpy()]})


def _labels(vocab: str, values: np.ndarray) -> np.ndarray:
    table = LABELS_ZH[vocab]
    out = np.empty(len(values), dtype=object)
    out[:] = [None if v is None else table[v] for v in values.tolist()]
    return out


def _problems(t, w, ids: Ids) -> None:
    p = w.problems
    order = ids.order["problem"]
    p = p.iloc[order]
    p1, p2 = p["p1"].to_numpy(), p["p2"].to_numpy()
    persons = ref(ids.person, p1)
    two = np.flatnonzero((p1 >= 0) & (p2 >= 0))
    persons[two] = [a + ";" + b for a, b in zip(persons[two].tolist(),
                                                ids.person[p2[two]].tolist())]
    cat = p["category"].to_numpy()
    t["problems"] = _table("problems", {
        "problem_id": ids.problem[order], "unit_id": ids.unit[p["unit"].to_numpy()],
        "round_id": ids.round[p["round"].to_numpy()],
        "category": np.array(CATEGORY_NAMES, dtype=object)[cat],
        "subcategory": _SUBCATEGORY[p["sub"].to_numpy()], "description": p["description"].to_numpy(),
        "found_date": ns(p["found"]), "person_ids": persons,
        "immediate": p["immediate"].to_numpy().astype(bool), "focus": _FOCUS[cat],
        "key_concern": p["key_concern"].to_numpy().astype(bool)})


def _followup(t, zh, w, ids: Ids, rng) -> None:
    d = w.depts
    t["departments"] = _table("departments", {
        "dept_id": ids.dept, "name": d["name"].to_numpy(), "kind": d["kind"].to_numpy(),
        "region_id": ids.region[d["region"].to_numpy()], "supervises": _none(d["supervises"].to_numpy())})
    zh["departments"] = {"kind": _labels("dept_kind", d["kind"].to_numpy())}
    le = w.leads
    order = ids.order["lead"]
    le = le.iloc[order]
    t["leads"] = _table("leads", {
        "lead_id": ids.lead[order], "unit_id": ids.unit[le["unit"].to_numpy()],
        "round_id": ids.round[le["round"].to_numpy()],
        "problem_id": ids.problem[le["problem"].to_numpy()],
        "person_id": ref(ids.person, le["person"].to_numpy()),
        "transferred_to": ids.dept[le["dept"].to_numpy()], "transfer_date": ns(le["transfer"]),
        "received_date": ns(le["received"]), "due_date": ns(le["due"]),
        "closed_date": ns(le["closed"]), "disposition": _none(le["disposition"].to_numpy()),
        "outcome": _none(le["outcome"].to_numpy()), "signed_by": le["signed_by"].to_numpy(),
        "source": le["source"].to_numpy(), "discipline": le["discipline"].to_numpy()})
    zh["leads"] = {"disposition": _labels("disposition", _none(le["disposition"].to_numpy())),
                   "outcome": _labels("outcome", _none(le["outcome"].to_numpy()))}
    m = w.measures
    prob_rank = ids.order["problem_rank"]
    order = np.argsort(prob_rank[m["problem"].to_numpy()], kind="stable")
    m = m.iloc[order]
    words = _status_words(rng, m["status"].to_numpy())
    # 已销号 is its own status (closed): a done measure whose closing passed review
    status = np.where(words == "已销号", "closed", m["status"].to_numpy()).astype(object)
    t["measures"] = _table("measures", {
        "measure_id": make_ids("M", len(m)), "problem_id": ids.problem[m["problem"].to_numpy()],
        "description": m["description"].to_numpy(), "owner_person_id": ref(ids.person, m["owner"].to_numpy()),
        "owner_dept_id": ids.dept[m["dept"].to_numpy()], "due_date": ns(m["due"]),
        "status": status, "completed_date": ns(m["completed"]),
        "reopened": m["reopened"].to_numpy().astype(bool)})
    zh["measures"] = {"status": words}
    au = w.audits
    order = np.lexsort((au["unit"].to_numpy(), au["date"].to_numpy()))
    au = au.iloc[order]
    t["audits"] = _table("audits", {
        "finding_id": make_ids("A", len(au)), "unit_id": ids.unit[au["unit"].to_numpy()],
        "category": np.array(CATEGORY_NAMES, dtype=object)[au["category"].to_numpy()],
        "description": au["description"].to_numpy(), "amount": au["amount"].to_numpy().astype(float),
        "audit_date": ns(au["date"])})
    pt = w.petitions
    t["petitions"] = _table("petitions", {
        "petition_id": make_ids("X", len(pt)), "unit_id": ids.unit[pt["unit"].to_numpy()],
        "person_id": ref(ids.person, pt["person"].to_numpy()), "channel": pt["channel"].to_numpy(),
        "date": ns(pt["date"]), "topic": pt["topic"].to_numpy()})


def _status_words(rng, status: np.ndarray) -> np.ndarray:
    out = np.empty(len(status), dtype=object)
    u = rng.random(len(status))
    for k, words in _STATUS_WORDS.items():
        m = status == k
        arr = np.array(words, dtype=object)
        out[m] = arr[np.floor(u[m] * len(arr)).astype(int)]
    return out
