"""Functional departments (职能部门) and the leads transferred to them (问题线索).

Leads are 3–7 % of a round's problems, transferred after the round to the
organizer's 纪委监委, a 纪检监察室 or 组织部, received within days, and — when
their time limit has passed — closed in time.  The planted anomalies
(overdue, received late, one signature, networks of leads) are the only ones.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from linkgraph.rules import load_rules
from loaders.generator.rounds import Rounds
from loaders.generator.structure import Structure
from loaders.generator.taxonomy import CATEGORIES
from loaders.generator.util import NAT, days, frame, stream
from loaders.generator.yields import REGULAR_LEAD_RATE, cross_lead_rate

_ORDINAL = "一二三四五六七八九十"
SIGNED = "纪检监察室;巡察组"
_SOURCES = (("谈话", 0.4), ("信访", 0.25), ("查阅", 0.25), ("审计", 0.1))
_DISCIPLINES = (("廉洁", 0.35), ("群众", 0.2), ("工作", 0.2), ("组织", 0.12), ("政治", 0.05),
                ("生活", 0.08))
_CLOSED_DISPOSITION = (("talk", 0.35), ("verify", 0.3), ("close", 0.15), ("hold", 0.05),
                       ("investigate", 0.15))
_OUTCOME = (("case_filed", 0.4), ("sanctioned", 0.5), ("judicial", 0.1))


def departments(st: Structure, organizers: np.ndarray) -> pd.DataFrame:
    """The departments of every region that organizes rounds (internal frame)."""
    rows = []
    level = st.regions["level"].to_numpy()
    for r in organizers.tolist():
        n = st.regions["name"].iat[r]
        bureau = "厅" if level[r] == "省" else "局"
        offices = {"县": 4, "市": 6}.get(level[r], 8)
        rows.append((r, "discipline", f"{n}纪委监委", "discipline"))
        rows += [(r, f"office{k}", f"{n}纪委监委第{_ORDINAL[k]}纪检监察室", "discipline_office")
                 for k in range(offices)]
        rows += [(r, f"stationed{k}", f"{n}纪委监委派驻第{_ORDINAL[k]}纪检监察组", "stationed")
                 for k in range(2)]
        rows += [(r, "organization", f"中共{n}委组织部", "organization"),
                 (r, "propaganda", f"中共{n}委宣传部", "propaganda"),
                 (r, "audit", f"{n}审计{bureau}", "audit"),
                 (r, "finance", f"{n}财政{bureau}", "finance"),
                 (r, "inspection", f"{n}委巡察办", "inspection_office"),
                 (r, "party_office", f"中共{n}委办公室", "other"),
                 (r, "housing", f"{n}住房和城乡建设{bureau}", "other"),
                 (r, "soe", f"{n}国有资产监督管理委员会", "other"),
                 (r, "edu", f"{n}教育{bureau}", "other"),
                 (r, "health", f"{n}卫生健康{bureau}", "other")]
    d = pd.DataFrame(rows, columns=["region", "key", "name", "kind"])
    owned: dict = {}
    for c in CATEGORIES:
        owned.setdefault(c.owner, []).append(c.name)
    d["supervises"] = d["key"].map(lambda k: ";".join(owned.get(k, [])) or None)
    return d.astype({"key": object, "name": object, "kind": object, "supervises": object})


def _weighted(rng, table, n):
    names = np.array([k for k, _ in table], dtype=object)
    p = np.array([w for _, w in table])
    return names[rng.choice(len(names), size=n, p=p / p.sum())]


def _receivers(rng, depts: pd.DataFrame, region: np.ndarray, category: np.ndarray) -> np.ndarray:
    """The department each lead goes to: 组织部 for 选人用人 / 党组织, else 纪检."""
    key_of = {(r, k): i for i, (r, k) in enumerate(zip(depts["region"].tolist(),
                                                       depts["key"].tolist()))}
    offices = depts.groupby("region")["key"].apply(
        lambda s: int(s.str.startswith("office").sum())).to_dict()
    owner = np.array([CATEGORIES[c].owner for c in category.tolist()], dtype=object)
    n = len(region)
    u = rng.random(n)
    k_office = np.floor(rng.random(n) * np.array([offices[r] for r in region.tolist()])).astype(int)
    keys = np.where((owner == "organization") & (u < 0.8), "organization",
                    np.where(u < 0.3, "discipline", np.char.add("office", k_office.astype(str))))
    return np.array([key_of[(r, k)] for r, k in zip(region.tolist(), keys.tolist())])


def build_leads(problems: pd.DataFrame, rounds: Rounds, depts: pd.DataFrame, seed: int,
                as_of: np.datetime64) -> pd.DataFrame:
    rng = stream(seed, "leads")
    rnd = problems["round"].to_numpy()
    rate = rng.uniform(*REGULAR_LEAD_RATE, len(rounds.rounds))
    rate = np.where(rounds.rounds["kind"].to_numpy() == "cross", cross_lead_rate(), rate)
    pick = np.flatnonzero(rng.random(len(problems)) < rate[rnd])
    pr = problems.iloc[pick]
    rr = pr["round"].to_numpy()
    end = rounds.rounds["end"].to_numpy().astype("datetime64[D]")[rr]
    transfer = end + days(rng.integers(5, 31, len(pick)))
    received = transfer + days(rng.integers(0, 6, len(pick)))
    span = np.array([30, 60, 90])[rng.choice(3, len(pick), p=[0.2, 0.3, 0.5])]
    due = np.where(rng.random(len(pick)) < 0.8, transfer + days(span), NAT)
    months = load_rules().limits.lead_report_months   # the analysis' own limit
    deadline = np.where(np.isnat(due), _plus_months(transfer, months), due)
    past = deadline < as_of
    closes = past | ((received + np.timedelta64(10, "D") < as_of) & (rng.random(len(pick)) < 0.3))
    limit = np.minimum(deadline, as_of).astype("datetime64[D]")
    room = np.maximum((limit - received).astype(np.int64) - 5, 1)
    closed = np.where(closes, received + days(5 + np.floor(rng.random(len(pick)) * room)), NAT)
    disp = _weighted(rng, _CLOSED_DISPOSITION, len(pick))
    disp = np.where(closes | (rng.random(len(pick)) < 0.5), disp, np.array(None, dtype=object))
    disp = np.where(~closes & (disp == "investigate"), "verify", disp)
    outcome = np.where(closes & (disp == "investigate"), _weighted(rng, _OUTCOME, len(pick)),
                       np.array(None, dtype=object))
    person = np.where(pr["p1"].to_numpy() >= 0, pr["p1"].to_numpy(), pr["p2"].to_numpy())
    region = rounds.rounds["organizer"].to_numpy()[rr]
    return frame({
        "problem": pick, "unit": pr["unit"].to_numpy(), "round": rr, "person": person,
        "dept": _receivers(rng, depts, region, pr["category"].to_numpy()),
        "transfer": transfer, "received": received, "due": due, "closed": closed,
        "disposition": disp.astype(object), "outcome": outcome.astype(object),
        "signed_by": np.full(len(pick), SIGNED, dtype=object),
        "source": _weighted(rng, _SOURCES, len(pick)),
        "discipline": _weighted(rng, _DISCIPLINES, len(pick)),
    })


def _plus_months(d: np.ndarray, months: int) -> np.ndarray:
    """Calendar months later, clipped to the month's last day."""
    d = d.astype("datetime64[D]")
    m = d.astype("datetime64[M]")
    dom = (d - m.astype("datetime64[D]")).astype(np.int64)
    target = (m + np.timedelta64(months, "M"))
    length = ((target + np.timedelta64(1, "M")).astype("datetime64[D]") -
              target.astype("datetime64[D]")).astype(np.int64)
    return target.astype("datetime64[D]") + days(np.minimum(dom, length - 1))
