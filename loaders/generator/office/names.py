"""How offices write units and people: the spellings of one unit, people with
titles, unit and title in one cell, birth months.

A unit has many written forms (县农业农村局 / 中共青岚县农业农村局党组 / 县农业农村局党组;
白沙镇 / 白沙镇党委 / 中共青岚县白沙镇委员会 / 白沙镇人民政府); ``UnitNames.forms``
lists them for one unit, and ``UnitNames.write`` picks one.  The short county
form (``县农业农村局``) is only used where it is unambiguous: when the data has
one county.
"""
from __future__ import annotations

import zlib

import numpy as np
import pandas as pd

_TOWN_SUFFIX = {"镇": ("镇党委", "镇人民政府"), "乡": ("乡党委", "乡人民政府"),
                "街道": ("街道党工委", "街道办事处")}


class UnitNames:
    def __init__(self, units: pd.DataFrame, regions: pd.DataFrame):
        self.name = dict(zip(units["unit_id"], units["name"]))
        self.kind = dict(zip(units["unit_id"], units["kind"]))
        self.parent = dict(zip(units["unit_id"], units["parent_id"]))
        rname = dict(zip(regions["region_id"], regions["name"]))
        rparent = dict(zip(regions["region_id"], regions["parent_id"]))
        rlevel = dict(zip(regions["region_id"], regions["level"]))
        self.county: dict[str, str] = {}
        for u, r in zip(units["unit_id"], units["region_id"]):
            while r is not None and rlevel.get(r) not in ("县",):
                r = rparent.get(r)
            self.county[u] = rname.get(r, "") if r is not None else ""
        self.one_county = len({c for c in self.county.values() if c}) == 1
        short = {}
        for u, n in self.name.items():
            if self.kind.get(u) in ("村", "社区"):
                town = self.name.get(self.parent.get(u), "")
                short[u] = n[len(town):] if town and n.startswith(town) else n
        counts = pd.Series(list(short.values())).value_counts().to_dict()
        self.village_short = {u: s for u, s in short.items() if counts.get(s, 0) == 1}

    def _county_short(self, u: str, name: str) -> str | None:
        c = self.county.get(u, "")
        if self.one_county and c and name.startswith(c):
            return c[-1] + name[len(c):]  # 昌峰区交通运输局 -> 区交通运输局
        if self.one_county and c and name.startswith("中共" + c):
            return c[-1] + name[len(c) + 2:]  # 中共昌峰区委组织部 -> 区委组织部
        return None

    def forms(self, u: str) -> list[str]:
        """Every way this office writes the unit; the first is the registered name."""
        n, kind, c = self.name[u], self.kind.get(u), self.county.get(u, "")
        out = [n]
        short = self._county_short(u, n)
        if kind == "乡镇":
            for suffix, (party, gov) in _TOWN_SUFFIX.items():
                if n.endswith(suffix):
                    base = n[:-len(suffix)]
                    org = "工作委员会" if suffix == "街道" else "委员会"
                    out += [base + party, f"中共{c}{n}{org}", base + gov]
                    break
        elif kind == "村":
            out += [n + "党支部", f"中共{n}支部委员会", n + "村民委员会"]
            if u in self.village_short:
                out += [self.village_short[u], self.village_short[u] + "党支部"]
        elif kind == "社区":
            out += [n + "党委", n + "居民委员会"]
            if u in self.village_short:
                out += [self.village_short[u]]
        elif kind == "党政机关":
            if not n.startswith("中共"):
                out += [f"中共{n}党组", n + "党组"]
                if short:
                    out += [short, short + "党组"]
            elif short:
                out += [short]
        else:  # 事业单位, 国有企业
            out += [n + ("党委" if "医院" in n else "党支部")]
            if short:
                out.append(short)
        return list(dict.fromkeys(out))

    def party(self, u: str) -> str:
        """The form a title row uses: the party body (中共…党组 / …党委)."""
        forms = self.forms(u)
        for f in forms:
            if f.startswith("中共"):
                return f
        return next((f for f in forms if f.endswith(("党委", "党支部", "党组", "党工委"))), forms[0])

    def write(self, rng: np.random.Generator, u: str) -> str:
        forms = self.forms(u)
        return forms[0] if rng.random() < 0.4 else forms[int(rng.integers(0, len(forms)))]

    def government(self, u: str) -> str | None:
        """The 政府 form of a township (白沙镇人民政府), which import may send to review."""
        return next((f for f in self.forms(u) if f.endswith(("人民政府", "办事处"))), None)


def birth_month(person_id: str, year: int) -> tuple[int, str, str]:
    """A stable birth month for a person and two ways to write it (1971.03, 1971年3月)."""
    month = zlib.crc32(person_id.encode()) % 12 + 1
    return month, f"{year}.{month:02d}", f"{year}年{month}月"


def with_title(rng: np.random.Generator, name: str, title: str | None) -> str:
    """杨光（党委书记） / 党委书记杨光 / 杨光."""
    if not title:
        return name
    u = rng.random()
    if u < 0.45:
        return f"{name}（{title.split('、')[0]}）"
    if u < 0.6:
        return f"{title.split('、')[0]}{name}"
    return name
