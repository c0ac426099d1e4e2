"""One person under two ids (same name, birth year and a shared unit): the
joined check gives, warning for warning, what comparing every pair of
same-named people by hand gives."""
from __future__ import annotations

import random

import pandas as pd

from linkgraph.check import Checked
from linkgraph.dataset import _twin_people


def _checked(table: str, frame: pd.DataFrame, invalid=()) -> Checked:
    c = Checked(table, f"{table}.csv", frame, None)
    for row in invalid:
        c.errors[row] = []
    return c


def _pairs_by_hand(people: pd.DataFrame, posts: pd.DataFrame, invalid=()) -> list[tuple]:
    """(row of the later, id of the later, row of the earlier, id of the
    earlier, shared units) for every pair, comparing each two rows."""
    units: dict[str, set[str]] = {}
    for pid, uid in zip(posts["person_id"], posts["unit_id"]):
        if isinstance(uid, str):
            units.setdefault(pid, set()).add(uid)
    rows = [(i, r) for i, r in people.iterrows() if i not in invalid
            and isinstance(r["name"], str) and not pd.isna(r["birth_year"])]
    out = []
    keys = sorted({(r["name"], int(r["birth_year"])) for _, r in rows})
    for key in keys:
        group = [(i, r) for i, r in rows if (r["name"], int(r["birth_year"])) == key]
        for x, (ia, a) in enumerate(group):
            for ib, b in group[x + 1:]:
                shared = units.get(a["person_id"], set()) & units.get(b["person_id"], set())
                if shared:
                    out.append((ib, b["person_id"], ia, a["person_id"], "、".join(sorted(shared))))
    return out


def _found(people, posts, invalid=()) -> list[tuple]:
    out = []
    for v in _twin_people({"people": _checked("people", people, invalid),
                           "posts": _checked("posts", posts)}):
        assert v.level == "warning" and v.table == "people" and v.column == "person_id"
        earlier_row = int(v.reason.split("第 ")[1].split(" 行")[0])
        earlier_id = v.reason.split("行的 ")[1].split(" ")[0]
        shared = v.reason.split("任职单位（")[1].split("）")[0]
        out.append((v.row, v.value, earlier_row, earlier_id, shared))
    return out


def _people(rows):
    frame = pd.DataFrame(rows, columns=["person_id", "name", "birth_year"])
    frame["birth_year"] = frame["birth_year"].astype("Int64")
    frame.index = range(2, 2 + len(frame))   # the row numbers a user sees
    return frame


def test_a_hand_made_case():
    people = _people([("P1", "张伟", 1970), ("P2", "张伟", 1970), ("P3", "张伟", 1970),
                      ("P4", "李娜", 1980), ("P5", "李娜", 1980), ("P6", "张伟", 1971),
                      ("P7", "王芳", None), ("P8", "王芳", None)])
    posts = pd.DataFrame({"person_id": ["P1", "P2", "P2", "P3", "P3", "P4", "P5", "P6", "P7", "P8",
                                        "P2"],
                          "unit_id": ["U1", "U1", "U2", "U2", "U9", "U3", "U4", "U1", "U5", "U5",
                                      None]})
    # P1/P2 share U1, P2/P3 share U2, P1/P3 nothing; 李娜 two units apart;
    # P6 another birth year; 王芳 has no birth year: not compared.
    assert _found(people, posts) == [(3, "P2", 2, "P1", "U1"), (4, "P3", 3, "P2", "U2")]


def test_two_shared_units_are_listed_sorted_and_invalid_rows_are_left_out():
    people = _people([("P1", "赵敏", 1985), ("P2", "赵敏", 1985), ("P3", "赵敏", 1985)])
    posts = pd.DataFrame({"person_id": ["P1", "P1", "P2", "P2", "P2", "P3"],
                          "unit_id": ["U7", "U10", "U10", "U7", "U7", "U7"]})
    assert _found(people, posts) == [(3, "P2", 2, "P1", "U10、U7"), (4, "P3", 2, "P1", "U7"),
                                     (4, "P3", 3, "P2", "U7")]
    assert _found(people, posts, invalid={3}) == [(4, "P3", 2, "P1", "U7")]


def test_random_tables_agree_with_comparing_every_pair():
    rng = random.Random(7)
    for _ in range(30):
        n = rng.randint(1, 60)
        people = _people([(f"P{i}", rng.choice("张王李赵"), rng.choice([1970, 1971, None]))
                          for i in range(n)])
        posts = pd.DataFrame({"person_id": [f"P{rng.randrange(n)}" for _ in range(2 * n)],
                              "unit_id": [rng.choice(["U1", "U2", "U3", "U11", None])
                                          for _ in range(2 * n)]})
        invalid = set(rng.sample(list(people.index), k=min(3, n)))
        assert _found(people, posts, invalid) == _pairs_by_hand(people, posts, invalid)
