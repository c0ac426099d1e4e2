"""Problem descriptions taken apart for the near-duplicate detector.

Real descriptions are long: they open with stock 四个聚焦 wording ("在落实全面
从严治党战略部署方面"), list items (一是…；二是…), and name the unit, its
villages, people, amounts and dates.  Two units' texts about one failing share
little of that, and two units' texts about different failings share a lot.  So:

* ``items``: a description is cut into *items* at 。；;！？ and before item
  markers (一是, 二是, （一）, 1、, ①); an item into *pieces* at ，,：: ;
* ``Masker``: in each piece the text's own unit's names (the unit's name and
  its core: 白沙镇党委 → 白沙), its region and the regions above, the names
  of the people who hold posts in it, and every number and date
  (2023年5月, 12.5万元, 三次) become a placeholder, so the same failing
  reads the same in every unit;
* the caller then counts in how many units each masked piece occurs:
  pieces common across units, whatever the category, are boilerplate.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

import pandas as pd

#: where an item ends (kept out of the item)
_ITEM_END = re.compile(r"[。；;！!？?\n\r]+")
#: item markers: an item starts here (the marker itself is dropped)
_MARKER = re.compile(
    r"(?:[一二三四五六七八九十]+是|其[一二三四五六七八九十]+|"
    r"[（(][一二三四五六七八九十\d]+[)）]|(?<![\d.])\d{1,2}[、.．](?!\d)|[①-⑳])")
_PIECE_END = re.compile(r"[，,：:]+")
_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
_MEASURES = ("个|次|名|人|项|件|万元|亿元|元|笔|户|家|天|年|月|日|批次|批|台|份|处|套|箱|"
             "平方米|亩|间|辆|场|条|篇|期|轮|届|所|座|公里|米|吨|余|多")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*%?|[零〇一二两三四五六七八九十][" + _CN_DIGITS + r"]{0,5}"
                     r"(?=(?:" + _MEASURES + "))")
PLACEHOLDER_NUMBER = "#"
PLACEHOLDER_NAME = "某"
#: what is compared of a piece: CJK, Latin letters, digits and the placeholders
_DROP = re.compile(r"[^\u4e00-\u9fff\u3400-\u4dbfA-Za-z0-9#]+")

#: unit name endings removed to get the name's core (白沙镇党委 → 白沙镇 → 白沙)
UNIT_SUFFIXES = ("党组织", "党工委", "党总支", "党支部", "党委", "党组", "委员会", "人民政府",
                 "办事处", "机关")
REGION_SUFFIXES = ("社区居委会", "村委会", "居委会", "街道", "社区", "县", "市", "区", "镇",
                   "乡", "村")


def items(description: str) -> list[str]:
    """The items of a description (NFKC), item markers dropped, empty ones gone."""
    text = unicodedata.normalize("NFKC", description)
    out = []
    for chunk in _ITEM_END.split(text):
        for part in _MARKER.split(chunk):
            part = part.strip(" ，,：:、")
            if part:
                out.append(part)
    return out


def pieces(item: str) -> list[str]:
    return [p for p in (s.strip() for s in _PIECE_END.split(item)) if p]


def mask_numbers(text: str) -> str:
    return _NUMBER.sub(PLACEHOLDER_NUMBER, text)


def _cores(name: str, suffixes: tuple[str, ...]) -> set[str]:
    """A name and what remains of it without 中共, the county and its endings."""
    name = unicodedata.normalize("NFKC", str(name)).strip()
    out = {name}
    core = name.removeprefix("中共")
    changed = True
    while changed:
        changed = False
        for s in suffixes:
            if core.endswith(s) and len(core) - len(s) >= 2:
                core = core[: -len(s)]
                out.add(core)
                changed = True
    return {c for c in out | {core} if len(c) >= 2}


class Masker:
    """Masks one unit's own names (unit, regions, its people) and numbers."""

    def __init__(self, names: Mapping[str, Iterable[str]]):
        self._names = {u: _pattern(ns) for u, ns in names.items()}

    def __call__(self, unit_id: str, text: str) -> str:
        pattern = self._names.get(unit_id)
        if pattern is not None:
            text = pattern.sub(PLACEHOLDER_NAME, text)
        return mask_numbers(text)


def _pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    words = sorted({n for n in names if n}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words))) if words else None


def own_names(tables: Mapping[str, pd.DataFrame], unit_ids: Iterable[str]) -> dict[str, set[str]]:
    """unit_id → the names a text of that unit may use for itself: its name
    and core, its region's and its ancestors' names (and their cores, above
    the province only), and the people holding posts in it."""
    wanted = set(unit_ids)
    units = tables["units"]
    units = units[units["unit_id"].isin(wanted)]
    regions = tables.get("regions")
    region_name: dict[str, str] = {}
    parent: dict[str, str] = {}
    if regions is not None and len(regions):
        region_name = dict(zip(regions["region_id"], regions["name"].astype(str)))
        if "parent_id" in regions.columns:
            parent = {r: p for r, p in zip(regions["region_id"], regions["parent_id"])
                      if isinstance(p, str)}
    region_cache: dict[str, set[str]] = {}

    def region_words(r: object) -> set[str]:
        if not isinstance(r, str):
            return set()
        if r not in region_cache:
            words: set[str] = set()
            seen: set[str] = set()
            cur: str | None = r
            while isinstance(cur, str) and cur not in seen:
                seen.add(cur)
                if cur in region_name:
                    words |= _cores(region_name[cur], REGION_SUFFIXES)
                cur = parent.get(cur)
            region_cache[r] = words
        return region_cache[r]

    out: dict[str, set[str]] = {}
    regions_of = units["region_id"] if "region_id" in units.columns else [None] * len(units)
    for u, name, r in zip(units["unit_id"], units["name"].astype(str), regions_of):
        out[u] = _cores(name, UNIT_SUFFIXES + REGION_SUFFIXES) | region_words(r)
    posts, people = tables.get("posts"), tables.get("people")
    if posts is not None and people is not None and len(posts) and len(people):
        held = posts[posts["unit_id"].isin(wanted)][["unit_id", "person_id"]].drop_duplicates()
        named = held.merge(people[["person_id", "name"]], on="person_id")
        for u, n in zip(named["unit_id"], named["name"].astype(str)):
            if len(n) >= 2:
                out.setdefault(u, set()).add(n)
    return out


def normal_piece(text: str) -> str:
    """What two pieces are compared as: placeholders kept, punctuation gone."""
    return _DROP.sub("", text).lower()


def explode(problems: pd.DataFrame, masker: Masker) -> pd.DataFrame:
    """One row per piece: ``row`` (position in ``problems``), ``item`` (its
    number in the description), ``unit_id`` and ``piece`` (masked, normal).
    Pieces left empty by masking are dropped."""
    rows, item_no, unit, text = [], [], [], []
    cache: dict[str, list[list[str]]] = {}
    for i, (u, d) in enumerate(zip(problems["unit_id"], problems["description"])):
        if not isinstance(d, str):
            continue
        split = cache.get(d)
        if split is None:
            split = cache[d] = [pieces(it) for it in items(d)]
        for k, ps in enumerate(split):
            for p in ps:
                rows.append(i)
                item_no.append(k)
                unit.append(u)
                text.append(p)
    frame = pd.DataFrame({"row": rows, "item": item_no, "unit_id": unit, "raw": text})
    if frame.empty:
        return frame.assign(piece=pd.Series(dtype=object))
    frame["piece"] = [normal_piece(masker(u, t)) for u, t in zip(frame["unit_id"], frame["raw"])]
    return frame[frame["piece"].str.len() > 0].reset_index(drop=True)
