"""The planted truth, computed from the finished canonical tables.

Conflicts are evaluated over every (team member × unit) pair of the cross
round — each member of each team of the round against each unit assigned to
any team of the round, which contains the assigned pairs (the
``--candidates`` universe).  Definitions (S = the round's start):

hard (one row per rule that holds)
  spouse / parent_child / sibling / collateral / in_law
      a tie of that relation, in either direction, between the member and a
      person holding a post in the unit on S (start <= S, end empty or >= S);
  former_post  the member held a post in the unit with start <= S and end
      empty or >= S - 3 years (calendar);
  long_post    the member held a post in the unit with end (or S when empty)
      >= start + 3 years;
  seconded     the member's seconded_from_unit_id is the unit;
  home_region  the unit's region is the team's home region or lies inside it.

soft (pairs that are not hard; one row per relation found)
  hops 1  a tie of a soft relation (classmate, colleague, townsman, mentor,
          secretary, other) between the member and an official of the unit
          (in post on S); or ``colleague``: a post of the member and a post of
          that official in one unit overlapping in time; or ``townsman``: the
          same hometown_region_id; or ``same_system``: a unit the member works
          in on S (or is seconded from) has the unit's sector;
  hops 2  only where no hops-1 reason exists: member — tie — X — tie —
          official, over declared ties (the ties table) of any relation;
          ``relation`` is the relation when both ties share it, else "a>b".
"""
from __future__ import annotations

import numpy as np
import pandas as pd

HARD_KIN = ("spouse", "parent_child", "sibling", "collateral", "in_law")
LOOKBACK_YEARS = 3
LONG_POST_YEARS = 3
LEAD_REPORT_MONTHS = 3
LEAD_RECEIPT_DAYS = 7

HARD_SCOPE = (
    "Every pair (member of a team of conflict_round_id, unit assigned to any team of that "
    "round) - the --candidates universe, which contains the assigned pairs - for which a rule "
    "holds; one row per (team_id, person_id, unit_id, rule), so score pairs after dropping "
    "rule. S = the round's start. Kinship rules: a tie of that relation in either direction "
    "with a person whose post in the unit is current on S (start <= S, end empty or >= S). "
    "former_post: the member's post in the unit with start <= S and end empty or >= S - 3 "
    "calendar years. long_post: a post there with (end or S) >= start + 3 years. seconded: "
    "seconded_from_unit_id is the unit. home_region: the unit's region is the team's "
    "home_region_id or a region inside it (regions.parent_id). Soft conflicts cover the same "
    "pairs minus the hard ones: hops 1 = a soft-relation tie to an official of the unit on S, "
    "or colleague (posts in one unit overlapping in time), townsman (same "
    "hometown_region_id), same_system (a unit the member works in on S, or is seconded from, "
    "has the unit's sector); hops 2 (only where no hops-1 reason) = member - tie - X - tie - "
    "official over the ties table, relation 'a' or 'a>b'.")


def _both_ways(ties: pd.DataFrame) -> pd.DataFrame:
    a = ties[["person_a", "person_b", "relation"]].set_axis(["p", "q", "relation"], axis=1)
    b = ties[["person_b", "person_a", "relation"]].set_axis(["p", "q", "relation"], axis=1)
    return pd.concat([a, b], ignore_index=True)


def _region_ancestors(regions: pd.DataFrame) -> pd.DataFrame:
    """(region_id, ancestor) for every region and each of its ancestors and itself."""
    parent = dict(zip(regions["region_id"], regions["parent_id"]))
    rows = []
    for r in regions["region_id"].tolist():
        a = r
        while a is not None and not (isinstance(a, float) and np.isnan(a)):
            rows.append((r, a))
            a = parent.get(a)
    return pd.DataFrame(rows, columns=["region_id", "ancestor"])


class _Round:
    def __init__(self, t: dict[str, pd.DataFrame], round_id: str):
        rounds = t["rounds"]
        self.start = pd.Timestamp(rounds.loc[rounds["round_id"] == round_id, "start"].iloc[0])
        teams = t["teams"][t["teams"]["round_id"] == round_id]
        m = t["team_members"]
        self.members = m[m["team_id"].isin(teams["team_id"])].merge(
            teams[["team_id", "home_region_id"]], on="team_id")
        a = t["assignments"]
        self.units = np.sort(a.loc[a["round_id"] == round_id, "unit_id"].unique())
        p = t["posts"]
        self.posts = p
        on = (p["start"] <= self.start) & (p["end"].isna() | (p["end"] >= self.start))
        self.officials = p.loc[on & p["unit_id"].isin(self.units), ["unit_id", "person_id"]] \
            .drop_duplicates().rename(columns={"person_id": "official"})
        self.people = set(self.members["person_id"])

    def pairs(self, frame: pd.DataFrame, person: str = "person_id") -> pd.DataFrame:
        """Attach the team of each member (rows carry person and unit)."""
        return frame.rename(columns={person: "person_id"}).merge(
            self.members[["team_id", "person_id"]], on="person_id")


def hard_conflicts(t: dict[str, pd.DataFrame], round_id: str) -> pd.DataFrame:
    r = _Round(t, round_id)
    out = []
    ties = _both_ways(t["ties"])
    kin = ties[ties["relation"].isin(HARD_KIN) & ties["p"].isin(r.people)]
    kin = kin.merge(r.officials, left_on="q", right_on="official")
    out.append(r.pairs(kin.rename(columns={"p": "person_id", "relation": "rule"})))
    mp = r.posts[r.posts["person_id"].isin(r.people) & r.posts["unit_id"].isin(r.units)]
    window = r.start - pd.DateOffset(years=LOOKBACK_YEARS)
    former = mp[(mp["start"] <= r.start) & (mp["end"].isna() | (mp["end"] >= window))]
    out.append(r.pairs(former.assign(rule="former_post")))
    end = mp["end"].fillna(r.start)
    long = mp[end >= mp["start"] + pd.DateOffset(years=LONG_POST_YEARS)]
    out.append(r.pairs(long.assign(rule="long_post")))
    sec = r.members[r.members["seconded_from_unit_id"].isin(r.units)]
    out.append(sec.assign(unit_id=sec["seconded_from_unit_id"], rule="seconded"))
    units = t["units"][t["units"]["unit_id"].isin(r.units)][["unit_id", "region_id"]]
    anc = units.merge(_region_ancestors(t["regions"]), on="region_id")
    home = r.members.merge(anc, left_on="home_region_id", right_on="ancestor")
    out.append(home.assign(rule="home_region"))
    rows = pd.concat([o[["team_id", "person_id", "unit_id", "rule"]] for o in out],
                     ignore_index=True).drop_duplicates()
    return rows.sort_values(["team_id", "person_id", "unit_id", "rule"], ignore_index=True)


def soft_conflicts(t: dict[str, pd.DataFrame], round_id: str,
                   hard: pd.DataFrame) -> pd.DataFrame:
    r = _Round(t, round_id)
    ties = _both_ways(t["ties"])
    soft_ties = ties[~ties["relation"].isin(HARD_KIN) & ties["p"].isin(r.people)]
    one = [soft_ties.merge(r.officials, left_on="q", right_on="official")
           .rename(columns={"p": "person_id"})]
    mine = r.posts[r.posts["person_id"].isin(r.people)]
    theirs = r.posts.merge(r.officials, left_on="person_id", right_on="official",
                           suffixes=("", "_round"))
    both = mine.merge(theirs, on="unit_id", suffixes=("", "_o"))
    far = pd.Timestamp.max
    overlap = ((both["start"] <= both["end_o"].fillna(far)) & (both["start_o"] <= both["end"].fillna(far))
               & (both["person_id"] != both["official"]))
    one.append(both[overlap].assign(unit_id=both["unit_id_round"], relation="colleague"))
    home = t["people"].set_index("person_id")["hometown_region_id"]
    o = r.officials.assign(home=r.officials["official"].map(home))
    mem = pd.DataFrame({"person_id": sorted(r.people)})
    mem["home"] = mem["person_id"].map(home)
    one.append(mem.dropna().merge(o.dropna(), on="home").assign(relation="townsman"))
    one.append(_same_system(t, r))
    hop1 = r.pairs(pd.concat([x[["person_id", "unit_id", "relation"]] for x in one],
                             ignore_index=True).drop_duplicates()).assign(hops=1)
    two = ties[ties["p"].isin(r.people)].merge(ties, left_on="q", right_on="p",
                                               suffixes=("", "_2"))
    two = two[(two["q_2"] != two["p"])].merge(r.officials, left_on="q_2", right_on="official")
    two = two.assign(relation=np.where(two["relation"] == two["relation_2"], two["relation"],
                                       two["relation"] + ">" + two["relation_2"]))
    hop2 = r.pairs(two.rename(columns={"p": "person_id"})[["person_id", "unit_id", "relation"]]
                   .drop_duplicates()).assign(hops=2)
    key = ["team_id", "person_id", "unit_id"]
    hop2 = hop2[~_in(hop2, hop1, key)]
    rows = pd.concat([hop1, hop2], ignore_index=True)
    rows = rows[~_in(rows, hard, key)]
    cols = key + ["relation", "hops"]
    return rows[cols].drop_duplicates().sort_values(cols, ignore_index=True)


def _same_system(t, r: _Round) -> pd.DataFrame:
    p = r.posts
    on = (p["start"] <= r.start) & (p["end"].isna() | (p["end"] >= r.start))
    own = p.loc[on & p["person_id"].isin(r.people), ["person_id", "unit_id"]]
    sec = r.members.loc[r.members["seconded_from_unit_id"].notna(),
                        ["person_id", "seconded_from_unit_id"]].set_axis(["person_id", "unit_id"],
                                                                         axis=1)
    sector = t["units"].set_index("unit_id")["sector"]
    own = pd.concat([own, sec]).assign(sector=lambda d: d["unit_id"].map(sector)).dropna()
    targets = pd.DataFrame({"unit_id": r.units}).assign(sector=lambda d: d["unit_id"].map(sector))
    hit = own[["person_id", "sector"]].drop_duplicates().merge(targets.dropna(), on="sector")
    return hit.assign(relation="same_system")


def _in(rows: pd.DataFrame, other: pd.DataFrame, key: list[str]) -> np.ndarray:
    if not len(other):
        return np.zeros(len(rows), bool)
    idx = pd.MultiIndex.from_frame(other[key].drop_duplicates())
    return pd.MultiIndex.from_frame(rows[key]).isin(idx)


# ---------------------------------------------------------------------------
# Leads and audits
# ---------------------------------------------------------------------------
def lead_truth(t: dict[str, pd.DataFrame], as_of: pd.Timestamp) -> dict[str, list]:
    le = t["leads"]
    deadline = le["due_date"].where(le["due_date"].notna(),
                                    le["transfer_date"] + pd.DateOffset(months=LEAD_REPORT_MONTHS))
    overdue = le["closed_date"].isna() & (deadline < as_of)
    late = (le["received_date"] - le["transfer_date"]).dt.days > LEAD_RECEIPT_DAYS
    signed = le["signed_by"].fillna("").map(lambda s: frozenset(x for x in s.split(";") if x))
    single = signed.map(lambda s: s != frozenset({"纪检监察室", "巡察组"}))
    return {"overdue_leads": sorted(le.loc[overdue, "lead_id"]),
            "late_receipt_leads": sorted(le.loc[late, "lead_id"]),
            "single_signature_leads": sorted(le.loc[single, "lead_id"])}


def lead_networks(t: dict[str, pd.DataFrame]) -> list[list[str]]:
    """Groups of leads joined by a shared person or a tie between their persons."""
    le = t["leads"].dropna(subset=["person_id"])
    parent = {lid: lid for lid in le["lead_id"]}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a, b):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    by_person = le.groupby("person_id")["lead_id"].apply(list)
    for ids in by_person:
        for other in ids[1:]:
            union(ids[0], other)
    first = by_person.map(lambda x: x[0])
    ties = t["ties"]
    ok = ties["person_a"].isin(first.index) & ties["person_b"].isin(first.index)
    for a, b in zip(ties.loc[ok, "person_a"], ties.loc[ok, "person_b"]):
        union(first[a], first[b])
    groups: dict[str, list[str]] = {}
    for lid in parent:
        groups.setdefault(find(lid), []).append(lid)
    return sorted(sorted(g) for g in groups.values() if len(g) > 1)


def audit_truth(t: dict[str, pd.DataFrame]) -> tuple[list[str], list[dict]]:
    au = t["audits"][["finding_id", "unit_id", "category"]]
    pr = t["problems"][["problem_id", "unit_id", "category"]]
    m = au.merge(pr, on=["unit_id", "category"]).sort_values(["finding_id", "problem_id"])
    only = sorted(set(au["finding_id"]) - set(m["finding_id"]))
    return only, [{"finding_id": f, "problem_id": p} for f, p in
                  zip(m["finding_id"], m["problem_id"])]
