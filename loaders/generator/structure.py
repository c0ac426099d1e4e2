"""Regions (province → cities → counties → townships) and the units in them.

Internal frames use integer row positions for references (``parent``,
``region`` …); ids are given at the end of the build.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from loaders.generator.presets import Preset
from loaders.generator.util import objectify, stream
from loaders.generator.words import (BODIES, COUNTY_SUFFIX, PLACE_FIRST, PLACE_SECOND,
                                     TOWNSHIP_SECTOR, TOWNSHIP_SUFFIX, VILLAGE_NAMES,
                                     VILLAGE_SECTOR)

_FIRST = tuple(dict.fromkeys(PLACE_FIRST))
_SECOND = tuple(dict.fromkeys(PLACE_SECOND))
_UNIT_LEVEL = {"省": "省级", "市": "市级", "县": "县级", "乡": "乡级"}
_GROUP = {"党政机关": "agency", "事业单位": "agency", "国有企业": "soe"}
_OFFICE_GROUP = {"school": "school", "hospital": "hospital", "clinic": "hospital"}


@dataclass
class Structure:
    regions: pd.DataFrame  # name, level, parent, county, city
    units: pd.DataFrame  # name, region, sector, level, kind, parent, office, body, head,
    #                      group, exempt, pool, organizer


def _place_names(rng: np.random.Generator, k: int, suffixes: tuple[tuple[str, float], ...],
                 common: tuple[str, ...] = ()) -> list[str]:
    """``k`` distinct place names: two syllables and a suffix drawn by weight."""
    n2 = len(_FIRST) * len(_SECOND)
    idx = rng.choice(n2 + len(common), size=k, replace=False)
    suffix = [s for s, _ in suffixes]
    w = np.array([p for _, p in suffixes])
    suf = rng.choice(len(suffix), size=k, p=w / w.sum())
    out = []
    for i, s in zip(idx.tolist(), suf.tolist()):
        base = common[i - n2] if i >= n2 else _FIRST[i // len(_SECOND)] + _SECOND[i % len(_SECOND)]
        out.append(base + suffix[s])
    return out


def _vary(rng: np.random.Generator, mean: int, size: int, spread: float, lo: int) -> np.ndarray:
    if spread <= 0:
        return np.full(size, max(lo, mean))
    d = max(1, int(round(mean * spread)))
    return np.maximum(lo, rng.integers(mean - d, mean + d + 1, size))


class _Builder:
    def __init__(self, preset: Preset, seed: int):
        self.p = preset
        self.rng = stream(seed, "structure")
        self.regions: list[tuple] = []  # name, level, parent
        self.units: list[tuple] = []

    def region(self, name: str, level: str, parent: int) -> int:
        self.regions.append((name, level, parent))
        return len(self.regions) - 1

    def unit(self, name, region, sector, level, kind, parent, office, body="", head=""):
        self.units.append((name, region, sector, level, kind, parent, office, body, head))
        return len(self.units) - 1

    def bodies(self, region: int, count: int) -> dict[str, int]:
        name, level, _ = self.regions[region]
        bureau = "厅" if level == "省" else "局"
        keys: dict[str, int] = {}
        for key, pattern, sector, kind, office, parent, _ in BODIES[:count]:
            unit_name = pattern.replace("{R}", name).replace("{局}", bureau)
            keys[key] = self.unit(unit_name, region, sector, _UNIT_LEVEL[level], kind,
                                  keys.get(parent, -1) if parent else -1, office, key)
        return keys

    def township(self, county_keys: dict[str, int], region: int, villages: int) -> None:
        name = self.regions[region][0]
        street = name.endswith("街道")
        head = "街道办事处主任" if street else ("乡长" if name.endswith("乡") else "镇长")
        t_unit = self.unit(name, region, TOWNSHIP_SECTOR, "乡级", "乡镇", -1, "township",
                           head=head)
        if self.p.township_extras:
            self.unit(name + ("小学" if street else "中心小学"), region, "教育", "乡级",
                      "事业单位", county_keys.get("edu", -1), "school")
            self.unit(name + ("社区卫生服务中心" if street else "卫生院"), region, "卫健",
                      "乡级", "事业单位", county_keys.get("health", -1), "clinic")
        if villages <= 0:
            return
        community = self.rng.random(villages) < (0.8 if street else 0.08)
        for vname, is_comm in zip(_place_names(self.rng, villages, (("", 1.0),), VILLAGE_NAMES),
                                  community.tolist()):
            kind = "社区" if is_comm else "村"
            self.unit(name + vname + kind, region, VILLAGE_SECTOR, "村级", kind, t_unit,
                      "community" if is_comm else "village")


def _plan_villages(b: _Builder, n_counties: int) -> list[np.ndarray]:
    """Villages per township for every county, adjusted to the exact unit count."""
    p, rng = b.p, b.rng
    exact = p.exact_units is not None
    towns = _vary(rng, p.townships, n_counties, 0.0 if exact else 0.2, 1)
    plans = [_vary(rng, p.villages, int(t), 0.3, 0 if exact else 3) for t in towns]
    if p.exact_units is not None:
        fixed = len(b.units) + n_counties * p.bodies + int(towns.sum()) * (
            3 if p.township_extras else 1)
        diff = p.exact_units - fixed - sum(int(x.sum()) for x in plans)
        flat = np.concatenate(plans)
        if diff < 0 and -diff > flat.sum():
            raise ValueError("scale too small for the plan")
        i = 0
        while diff != 0:  # spread the difference over the townships
            j = i % len(flat)
            if diff > 0:
                flat[j] += 1
                diff -= 1
            elif flat[j] > 0:
                flat[j] -= 1
                diff += 1
            i += 1
        plans = np.split(flat, np.cumsum([len(x) for x in plans])[:-1])
    return plans


def build_structure(preset: Preset, seed: int) -> Structure:
    b = _Builder(preset, seed)
    rng = b.rng
    prov_name = _place_names(rng, 1, (("省", 1.0),))[0]
    prov = b.region(prov_name, "省", -1)
    n_cities = max(1, preset.cities)
    if preset.cities > 1:
        b.bodies(prov, preset.upper_bodies)
    cities = [b.region(n, "市", prov) for n in _place_names(rng, n_cities, (("市", 1.0),))]
    county_regions: list[int] = []
    for c in cities:
        if preset.cities >= 1:
            b.bodies(c, preset.upper_bodies)
        k = 1 if preset.cities == 0 else int(
            preset.counties if preset.exact_units or preset.cities == 1
            else _vary(rng, preset.counties, 1, 0.2, 3)[0])
        county_regions += [b.region(n, "县", c) for n in _place_names(rng, k, COUNTY_SUFFIX)]
    plans = _plan_villages(b, len(county_regions))
    for county, villages in zip(county_regions, plans):
        keys = b.bodies(county, preset.bodies)
        for tname, v in zip(_place_names(rng, len(villages), TOWNSHIP_SUFFIX), villages.tolist()):
            b.township(keys, b.region(tname, "乡", county), v)
    return Structure(_regions_frame(b.regions), _units_frame(b, preset))


def _regions_frame(rows: list[tuple]) -> pd.DataFrame:
    r = pd.DataFrame(rows, columns=["name", "level", "parent"])
    parent = r["parent"].to_numpy()
    level = r["level"].to_numpy()
    county = np.where(level == "县", np.arange(len(r)), -1)
    county = np.where(level == "乡", parent, county)
    city = np.where(level == "市", np.arange(len(r)), -1)
    city = np.where(level == "县", parent, city)
    city = np.where(level == "乡", parent[np.maximum(parent, 0)], city)
    r["county"], r["city"] = county, city
    return objectify(r)


def _units_frame(b: _Builder, preset: Preset) -> pd.DataFrame:
    u = pd.DataFrame(b.units, columns=["name", "region", "sector", "level", "kind", "parent",
                                       "office", "body", "head"])
    regions = _regions_frame(b.regions)
    reg = u["region"].to_numpy()
    r_level = regions["level"].to_numpy()[reg]
    county = regions["county"].to_numpy()[reg]
    u["group"] = u["kind"].map(_GROUP).fillna("agency")
    u.loc[u["office"].isin(list(_OFFICE_GROUP)), "group"] = u["office"].map(_OFFICE_GROUP)
    u.loc[u["kind"] == "乡镇", "group"] = "township"
    u.loc[u["kind"].isin(["村", "社区"]), "group"] = "village"
    u["exempt"] = u["body"].isin([k for k, *_, ex in BODIES if ex])
    u["organizer"] = np.where(county >= 0, county, reg)
    if preset.cross_level == "乡":
        u["pool"] = np.where(r_level == "乡", reg, u["organizer"].to_numpy())
    else:
        u["pool"] = u["organizer"].to_numpy()
    return objectify(u)
