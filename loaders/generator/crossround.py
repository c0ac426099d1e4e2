"""The latest round: a cross inspection (交叉巡察) among counties or townships.

Each region at the cross level sends one team (成建制); the teams rotate in
one ring (A inspects B, B inspects C, …, the last inspects A).  The members
are people made for this round: their whole career lies in their own region,
they have no recorded ties, and their 籍贯 is their own region, so every link
to another region's units is one the conflict plants put there.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from loaders.generator.naming import person_names
from loaders.generator.presets import Preset
from loaders.generator.rounds import Rounds, term_name
from loaders.generator.staff import cross_level_regions
from loaders.generator.structure import Structure
from loaders.generator.util import NAT, days, frame, stream
from loaders.generator.words import (INSPECTOR_BODIES, INSPECTOR_TITLES, SECONDMENT_BODIES,
                                     SPECIALTIES, TOWNSHIP_INSPECTOR_TITLES)

YEAR = 365.25


@dataclass
class Cross:
    round: int
    start: np.datetime64
    end: np.datetime64
    regions: np.ndarray  # participating regions; team k comes from regions[k]
    teams: np.ndarray  # team index of each region
    visits: np.ndarray  # region each team inspects (index into regions)
    targets: dict[int, np.ndarray]  # region -> its target units
    home_unit: dict[int, int]  # region -> the unit its inspectors work in
    side_units: dict[int, np.ndarray]  # region -> units its inspectors may have worked in
    members: pd.DataFrame  # team, person, role, seconded_from (rows of this round)


def _organizer(st: Structure, preset: Preset) -> int:
    level = st.regions["level"].to_numpy()
    if preset.cities == 0:
        return int(np.flatnonzero(level == "县")[0])
    if preset.cities == 1:
        return int(np.flatnonzero(level == "市")[0])
    return int(np.flatnonzero(level == "省")[0])


#: Sectors of county departments a cross round may also inspect (line sectors
#: where no inspector works, so 系统回避 never arises by accident).
_LINE_SECTORS = ("教育", "住建", "卫健", "交通", "农业农村", "自然资源", "民政", "人社", "市场监管",
                 "水务", "商务", "文旅", "应急", "林业", "生态环境")


def _region_units(st: Structure, preset: Preset, rng: np.random.Generator, regions: np.ndarray):
    """Per region: target units, the inspectors' home unit, other units of their careers.

    Targets are 3-5 townships of a county (3-5 villages of a township at
    county scale), sometimes with one unit of a line sector besides.
    """
    u = st.units
    region = u["region"].to_numpy()
    county = st.regions["county"].to_numpy()[region]
    group = u["group"].to_numpy()
    body = u["body"].to_numpy()
    line = np.isin(u["sector"].to_numpy(), _LINE_SECTORS) & ~u["exempt"].to_numpy()
    targets, home, side = {}, {}, {}
    lo, hi = preset.targets
    for r in regions.tolist():
        if preset.cross_level == "乡":
            inside = region == r
            pool_t = np.flatnonzero(inside & (group == "village"))
            extra = np.flatnonzero(inside & line & (group != "village"))
            home_u = np.flatnonzero(inside & (group == "township"))
            side_u = np.flatnonzero(inside & ~np.isin(group, ["village", "township"]))
            p_extra = 0.3
        else:
            inside = county == r
            pool_t = np.flatnonzero(inside & (group == "township"))
            extra = np.flatnonzero((region == r) & line & (u["kind"].to_numpy() == "党政机关"))
            home_u = np.flatnonzero((region == r) & np.isin(body, INSPECTOR_BODIES))
            side_u = np.flatnonzero((region == r) & ~np.isin(body, INSPECTOR_BODIES))
            p_extra = 0.5
        k = min(len(pool_t), int(rng.integers(lo, hi + 1)))
        chosen = rng.choice(pool_t, size=k, replace=False) if k else pool_t
        if len(extra) and rng.random() < p_extra:
            chosen = np.append(chosen, extra[int(rng.integers(0, len(extra)))])
        targets[r] = np.sort(chosen)
        side_u = side_u[~np.isin(side_u, chosen)]  # no career post in a unit of the round
        if not len(side_u):
            side_u = home_u
        home[r] = int(home_u[int(rng.integers(0, len(home_u)))])
        side[r] = side_u
    return targets, home, side


def build_cross(st: Structure, preset: Preset, rounds: Rounds, people: pd.DataFrame,
                posts: pd.DataFrame, seed: int, start: np.datetime64, end: np.datetime64):
    """Add the cross round; returns (Cross, rounds, people, posts) with the new rows."""
    rng = stream(seed, "cross")
    org = _organizer(st, preset)
    cross_regions = cross_level_regions(st, preset)  # all lie inside the organizer
    regions = cross_regions[rng.permutation(len(cross_regions))]
    targets, home, side = _region_units(st, preset, rng, regions)
    regions = np.array([r for r in regions.tolist() if len(targets[r])])
    n = len(regions)
    r_index = len(rounds.rounds)
    year = str(start)[:4]
    org_name = st.regions["name"].iat[org]
    new_round = pd.DataFrame([(f"{org_name}委{year}年第一轮交叉巡察", "cross", start, end, org,
                               term_name(start))], columns=rounds.rounds.columns)
    team0 = len(rounds.teams)
    teams = np.arange(team0, team0 + n)
    visits = (np.arange(n) + 1) % n
    new_teams = frame({"round": np.full(n, r_index), "name": np.array(
        [f"交叉巡察第{k + 1}组" for k in range(n)], dtype=object), "home": regions,
        "cross_mode": np.full(n, "成建制", dtype=object)})
    assign = [(r_index, int(teams[k]), int(x)) for k in range(n)
              for x in targets[int(regions[visits[k]])].tolist()]
    members, new_people, new_posts = _inspectors(rng, st, preset, people, regions, teams, home,
                                                 side, start)
    rounds = Rounds(pd.concat([rounds.rounds, new_round], ignore_index=True),
                    pd.concat([rounds.teams, new_teams], ignore_index=True),
                    pd.concat([rounds.members, members], ignore_index=True),
                    pd.concat([rounds.assignments, pd.DataFrame(
                        assign, columns=["round", "team", "unit"], dtype=np.int64)],
                              ignore_index=True))
    cross = Cross(r_index, start, end, regions, teams, visits, targets, home, side, members)
    return (cross, rounds, pd.concat([people, new_people], ignore_index=True),
            pd.concat([posts, new_posts], ignore_index=True))


def _inspectors(rng, st, preset, people, regions, teams, home, side, start):
    rows, person_rows, post_rows = [], [], []
    next_person = len(people)
    body = st.units["body"].to_numpy()
    titles = TOWNSHIP_INSPECTOR_TITLES if preset.cross_level == "乡" else INSPECTOR_TITLES
    for r, team in zip(regions.tolist(), teams.tolist()):
        size = int(rng.integers(4, 7))
        roles = ["leader", "deputy"] + ["member"] * (size - 3) + [
            "liaison" if rng.random() < 0.6 else "member"]
        # township teams have no secondees; county teams draw them from 审计 / 财政
        secondment = side[r][np.isin(body[side[r]], SECONDMENT_BODIES)] \
            if preset.cross_level == "县" else side[r][:0]
        for k, role in enumerate(roles):
            p = next_person
            next_person += 1
            seconded = k == size - 2 and len(secondment) and rng.random() < 0.5
            unit = int(secondment[int(rng.integers(0, len(secondment)))]) if seconded else home[r]
            rows.append((team, p, role, unit if seconded else -1))
            birth = int(rng.integers(1966, 1997))
            person_rows.append((birth, r))
            title = "科员" if seconded else titles[int(rng.integers(0, len(titles)))]
            post_rows += career(rng, p, birth, unit, title, side[r], start)
    gender = np.where(rng.random(len(person_rows)) < 0.65, "男", "女").astype(object)
    births = np.array([b for b, _ in person_rows])
    home_region = np.array([r for _, r in person_rows])
    new_people = frame({
        "name": person_names(rng, gender), "gender": gender, "birth_year": births,
        "hometown": home_region, "pool": home_region,
        "specialty": np.array(SPECIALTIES, dtype=object)[rng.integers(0, len(SPECIALTIES),
                                                                      len(births))]})
    members = frame({c: np.array(v, dtype=object if c == "role" else np.int64)
                     for c, v in zip(("team", "person", "role", "seconded_from"), zip(*rows))})
    posts = pd.DataFrame(post_rows, columns=["person", "unit", "title", "top", "start", "end"])
    return members, new_people, frame({c: posts[c].to_numpy() if c != "title" else
                                       posts[c].to_numpy(dtype=object) for c in posts.columns})


def career(rng: np.random.Generator, person: int, birth: int, unit: int, title: str,
           side: np.ndarray, start: np.datetime64, planted: tuple | None = None) -> list[tuple]:
    """An inspector's posts: earlier posts in the home region, then the current one.

    ``planted`` = (unit, title, start, end) is a post elsewhere that the career
    must hold at exactly that time (a former or long post in a target unit).
    """
    earliest = np.datetime64(f"{birth + 22}-09-01")
    cur_start = start - days(int(rng.uniform(0.6, 6) * YEAR))
    rows: list[tuple] = []
    before = cur_start
    if planted is not None:
        p_unit, p_title, p_start, p_end = planted
        if p_end + np.timedelta64(400, "D") < start:
            cur_start = min(cur_start, start - days(int(rng.uniform(0.6, 2.5) * YEAR)))
            mid_start = p_end + days(int(rng.integers(15, 61)))
            if cur_start - mid_start > np.timedelta64(180, "D"):
                rows.append((person, _side(rng, side), "科员", False, mid_start,
                             cur_start - days(int(rng.integers(10, 40)))))
        else:
            cur_start = p_end + days(int(rng.integers(15, 61)))
        rows.append((person, p_unit, p_title, False, p_start, p_end))
        before = p_start
    for _ in range(int(rng.choice(3, p=[0.3, 0.45, 0.25]))):
        p_end = before - days(int(rng.integers(10, 60)))
        p_start = p_end - days(int(rng.uniform(2, 6) * YEAR))
        if p_start < earliest:
            break
        rows.append((person, _side(rng, side), "科员", False, p_start, p_end))
        before = p_start
    rows.append((person, unit, title, False, cur_start, NAT))
    return sorted(rows, key=lambda r: r[4])


def _side(rng: np.random.Generator, side: np.ndarray) -> int:
    return int(side[int(rng.integers(0, len(side)))])
