"""The conflict scenarios planted in the cross round (see ``plants.py``)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from loaders.generator.crossround import Cross, career
from loaders.generator.naming import person_names, surname_index
from loaders.generator.plants import KIN_RULES, YEAR, _POST_TITLES, _Planter, apply_plants
from loaders.generator.presets import Preset
from loaders.generator.rounds import Rounds
from loaders.generator.structure import Structure
from loaders.generator.util import days


# ---------------------------------------------------------------------------
def _kin(pl: _Planter, relation: str) -> None:
    def ok(i: int, o: int) -> bool:
        gi, go = pl.attr(i, "gender"), pl.attr(o, "gender")
        d = int(pl.attr(o, "birth_year")) - pl.birth(i)
        if relation == "spouse":
            return gi != go and abs(d) <= 8
        if relation == "sibling":
            return abs(d) <= 10
        if relation == "parent_child":
            return 24 <= d <= 34 or 24 <= -d <= 34
        return True

    hit = pl.find(ok)
    if hit is None:
        return
    i, u, o = hit
    if relation in ("sibling", "parent_child"):  # a family shares a surname
        sur = surname_index(np.array([pl.attr(o, "name")], dtype=object))
        name = person_names(pl.rng, np.array([pl.attr(i, "gender")], dtype=object), sur)[0]
        pl.set_attr(i, "name", name)
    pl.tie(i, o, relation)
    pl.out.expected_hard.add((pl.team(i), i, u, relation))


def _post(pl: _Planter, kind: str) -> None:
    i = pl.take_inspector()
    if i is None:
        return
    units = pl.units_for(i, bool(pl.rng.random() < 0.75)) or pl.units_for(i, True)
    u = units[int(pl.rng.integers(0, len(units)))]
    s = pl.cross.start
    if kind == "former_post":
        end = s - days(int(pl.rng.integers(90, 900)))
        length = int(pl.rng.integers(365, 900))
    elif kind == "long_post":
        end = s - days(int(pl.rng.uniform(3.3, 8) * YEAR))
        length = int(pl.rng.uniform(3.3, 6) * YEAR)
    else:  # a decoy: short, and over long ago
        end = s - days(int(pl.rng.uniform(3.4, 7) * YEAR))
        length = int(pl.rng.uniform(0.5, 2.5) * YEAR)
    start = end - days(length)
    birth = min(pl.birth(i), int(str(start)[:4]) - 23)
    pl.set_attr(i, "birth_year", birth)
    group = pl.st.units["group"].iat[u]
    titles = _POST_TITLES.get(group, _POST_TITLES["agency"])
    title = titles[int(pl.rng.integers(0, len(titles)))]
    home = pl.cross.home_unit[int(pl.cross.regions[pl.k_of_team[pl.team(i)]])]
    side = pl.cross.side_units[int(pl.cross.regions[pl.k_of_team[pl.team(i)]])]
    current = pl.posts[(pl.posts["person"] == i) & pl.posts["end"].isna()]
    cur_unit = int(current["unit"].iat[0]) if len(current) else home
    cur_title = current["title"].iat[0] if len(current) else "科员"
    pl.rebuilt[i] = career(pl.rng, i, birth, cur_unit, cur_title, side, s,
                           planted=(u, title, start, end))
    if kind == "decoy":
        pl.out.decoys.append({"team": pl.team(i), "person": i, "unit": u,
                              "why": "short post (< 3 years) that ended more than 3 years "
                                     "before the round"})
    else:
        pl.out.expected_hard.add((pl.team(i), i, u, kind))


def _seconded(pl: _Planter) -> None:
    """Seconded from a round unit whose sector no other round unit has.

    So the secondment adds no 系统回避 hint whether an analysis takes the
    member's own unit from posts or from seconded_from_unit_id.  When the
    round has no such unit, a department of a new sector is added to it.
    """
    i = pl.take_inspector()
    if i is None:
        return
    sector = pl.st.units["sector"].to_numpy()
    everything = np.concatenate(list(pl.cross.targets.values()))
    values, counts = np.unique(sector[everything], return_counts=True)
    unique = set(values[counts == 1].tolist())
    units = [x for x in pl.units_for(i, True) + pl.units_for(i, False) if sector[x] in unique]
    u = units[int(pl.rng.integers(0, len(units)))] if units else _new_target(pl, i, set(values))
    if u is None:  # else a unit of the rarest sector of the round (fewest 系统回避 hints)
        count = dict(zip(values.tolist(), counts.tolist()))
        units = pl.units_for(i, True) + pl.units_for(i, False)
        least = min(count[sector[x]] for x in units)
        units = [x for x in units if count[sector[x]] == least]
        u = units[int(pl.rng.integers(0, len(units)))]
    pl.seconded[i] = u
    pl.out.expected_hard.add((pl.team(i), i, u, "seconded"))


def _new_target(pl: _Planter, person: int, sectors: set) -> int | None:
    """Add to the round a unit of a line sector the round does not have yet."""
    from loaders.generator.crossround import _LINE_SECTORS
    c = pl.cross
    own = int(c.regions[pl.k_of_team[pl.team(person)]])
    u = pl.st.units
    region = u["region"].to_numpy()
    if pl.preset.cross_level == "乡":  # a township's school or clinic
        at = region
        kind_ok = ~np.isin(u["group"].to_numpy(), ["village", "township"])
    else:  # a county department
        at = np.where(pl.st.regions["level"].to_numpy()[region] == "县", region, -1)
        kind_ok = u["kind"].to_numpy() == "党政机关"
    ok = (np.isin(u["sector"].to_numpy(), [x for x in _LINE_SECTORS if x not in sectors])
          & kind_ok & ~u["exempt"].to_numpy()
          & np.isin(at, [r for r in c.regions.tolist() if r != own]))
    cands = np.flatnonzero(ok)
    if not len(cands):
        return None
    unit = int(cands[int(pl.rng.integers(0, len(cands)))])
    r = int(at[unit])
    k = int(np.flatnonzero(c.regions == r)[0])
    visitor = int(np.flatnonzero(c.visits == k)[0])
    pl.extra_assign.append((c.round, int(c.teams[visitor]), unit))
    c.targets[r] = np.sort(np.append(c.targets[r], unit))
    return unit


def _home_region(pl: _Planter) -> None:
    c = pl.cross
    k = int(pl.rng.integers(0, len(c.regions)))
    r = int(c.regions[k])
    taken = set(np.concatenate(list(c.targets.values())).tolist()) | {
        u for _, _, u in pl.extra_assign}
    kind = "village" if pl.preset.cross_level == "乡" else "township"
    u = pl.st.units
    region_col = u["region"].to_numpy() if kind == "village" else \
        pl.st.regions["county"].to_numpy()[u["region"].to_numpy()]
    cands = [x for x in np.flatnonzero((region_col == r) & (u["group"].to_numpy() == kind)).tolist()
             if x not in taken]
    if not cands:
        return
    unit = cands[int(pl.rng.integers(0, len(cands)))]
    team = int(c.teams[k])
    pl.extra_assign.append((c.round, team, unit))
    for person in c.members["person"].to_numpy()[c.members["team"].to_numpy() == team].tolist():
        pl.out.expected_hard.add((team, person, unit, "home_region"))


def _same_name(pl: _Planter) -> None:
    hit = pl.find(lambda i, o: True, assigned=True)
    if hit is None:
        return
    i, u, o = hit
    relation = "spouse" if pl.rng.random() < 0.5 else "sibling"
    gender = pl.attr(i, "gender")
    if relation == "spouse" and gender == pl.attr(o, "gender"):
        relation = "sibling"
    twin = pl.new_person(name=pl.attr(i, "name"), gender=gender,
                         birth_year=int(pl.attr(o, "birth_year")) + int(pl.rng.integers(-4, 5)),
                         hometown=int(pl.attr(o, "hometown")), pool=int(pl.attr(o, "pool")),
                         specialty=None)
    pl.out.touched.add(twin)
    pl.same_names.append((i, twin))
    pl.tie(twin, o, relation)
    pl.out.decoys.append({"team": pl.team(i), "person": i, "unit": u,
                          "why": f"another person with the same name is the {relation} of an "
                                 "official of the unit"})


def _soft(pl: _Planter, relation: str, decoy: bool = False) -> None:
    hit = pl.find(lambda i, o: True)
    if hit is None:
        return
    i, u, o = hit
    pl.tie(i, o, relation)
    pl.out.expected_soft.add((pl.team(i), i, u, relation, 1))
    if decoy:
        pl.out.decoys.append({"team": pl.team(i), "person": i, "unit": u,
                              "why": "classmate of an official of the unit (a soft tie)"})


def _townsman_by_hometown(pl: _Planter) -> None:
    hit = pl.find(lambda i, o: True, assigned=True)
    if hit is None:
        return
    i, u, o = hit
    pl.free.insert(0, i)  # the inspector is not used up: the whole team is concerned
    team = pl.team(i)
    region = int(pl.cross.regions[pl.k_of_team[team]])
    pl.set_attr(o, "hometown", region)
    m = pl.cross.members
    for person in m["person"].to_numpy()[m["team"].to_numpy() == team].tolist():
        pl.out.expected_soft.add((team, person, u, "townsman", 1))


def _two_steps(pl: _Planter, first: str, second: str) -> None:
    hit = pl.find(lambda i, o: True)
    if hit is None:
        return
    i, u, o = hit
    gender = "男" if pl.rng.random() < 0.6 else "女"
    x = pl.new_person(name=person_names(pl.rng, np.array([gender], dtype=object))[0],
                      gender=gender, birth_year=pl.birth(i) + int(pl.rng.integers(-6, 7)),
                      hometown=int(pl.attr(o, "hometown")), pool=int(pl.attr(o, "pool")),
                      specialty=None)
    pl.out.touched.add(x)
    pl.tie(i, x, first)
    pl.tie(x, o, second)
    pl.out.expected_soft.add((pl.team(i), i, u, first if first == second else
                              f"{first}>{second}", 2))


def plant_conflicts(st: Structure, preset: Preset, cross: Cross, rounds: Rounds,
                    people: pd.DataFrame, posts: pd.DataFrame, ties: pd.DataFrame, seed: int):
    """Plant every scenario ``preset.plants`` times; returns (Plants, rounds, people, posts, ties)."""
    pl = _Planter(st, preset, cross, rounds, people, posts, seed)
    for _ in range(preset.plants):
        for relation in KIN_RULES:
            _kin(pl, relation)
        _post(pl, "former_post")
        _post(pl, "long_post")
        _seconded(pl)
        _post(pl, "decoy")
        _same_name(pl)
        _soft(pl, "classmate", decoy=True)
        for relation in ("colleague", "townsman", "mentor"):
            _soft(pl, relation)
        _two_steps(pl, "classmate", "classmate")
        _two_steps(pl, "mentor", "colleague")
        _two_steps(pl, "townsman", "classmate")
    for _ in range(max(1, preset.plants // 2)):
        _home_region(pl)
        _townsman_by_hometown(pl)
    return apply_plants(pl, ties)


