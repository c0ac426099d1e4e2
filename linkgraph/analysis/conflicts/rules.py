"""The conflict rules (回避 / 提示) as vectorised detectors.

Each detector takes the compact index, the round and the inspectors and
returns *evidence rows*: one per way an inspector is tied to a target unit,
with the people, posts and relations that make up the evidence path.  The
rules' numbers (which relation is hard, weights, windows, hop limit) come
from ``ConflictRules``, parsed from the rules file.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from linkgraph import kinship
from linkgraph.analysis.conflicts.index import ConflictIndex, RoundContext, region_ancestors
from linkgraph.errors import ConfigError
from linkgraph.rules import Rules

#: Columns of an evidence frame; codes are -1 where not applicable.
EVIDENCE_COLUMNS: dict[str, Any] = {
    "person": -1, "unit": -1, "team": None, "relation": None, "level": None, "hops": 1,
    "score": 0.0, "via1": -1, "via2": -1, "rel1": None, "rel2": None,
    "post": -1, "aux_post": -1, "aux_unit": -1, "code1": -1, "code2": -1,
}


@dataclass(frozen=True)
class ConflictRules:
    """What the conflict analysis needs from the rules file."""

    levels: Mapping[str, str]
    weights: Mapping[str, float]
    names_zh: Mapping[str, str]
    lookback_years: int
    long_term_years: int
    post_weight: float
    seconded_is_hard: bool
    home_region_is_hard_in_cross: bool
    distance_two_factor: float
    max_hops: int
    colleague_weight: float
    superior_weight: float
    same_system_weight: float
    townsman_weight: float
    compose_kinship: bool
    temporary_title_words: tuple[str, ...]
    townsman_levels: tuple[str, ...]
    soft_cap: float

    def level(self, relation: str) -> str:
        return self.levels.get(relation, "soft")

    def weight(self, relation: str) -> float:
        return float(self.weights.get(relation, 1.0))

    def zh(self, relation: str) -> str:
        """A relation (or derived rule) in Chinese: a name the rules file
        gives a relation it adds, else the presentation catalogue's."""
        from linkgraph.catalogue import relation_label

        return self.names_zh.get(relation) or relation_label(relation)


def _present(section: Mapping[str, Any], key: str, source: str, where: str) -> Any:
    if key not in section:
        raise ConfigError(f"{source}: [{where}] 缺少 / missing {key} "
                          "(linkgraph/data/rules.toml holds every key)")
    return section[key]


def _flag(section: Mapping[str, Any], key: str, source: str) -> bool:
    value = _present(section, key, source, "conflicts")
    if not isinstance(value, bool):
        raise ConfigError(f"{source}: [conflicts] {key} 应为 true/false / must be true or false, "
                          f"got {value!r}")
    return value


def _number(section: Mapping[str, Any], key: str, source: str, integer: bool = False,
            where: str = "conflicts") -> Any:
    value = _present(section, key, source, where)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 \
            or (integer and int(value) != value):
        kind = "非负整数 / a non-negative integer" if integer else "非负数 / a non-negative number"
        raise ConfigError(f"{source}: [{where}] {key} 应为{kind}, got {value!r}")
    return int(value) if integer else float(value)


def conflict_rules(rules: Rules) -> ConflictRules:
    """Parse and check the ``[relations.*]`` and ``[conflicts]`` sections."""
    rel, sec, src = rules.relations, rules.section("conflicts"), rules.source
    if "kinship_chains" in sec:
        raise ConfigError(f"{src}: [conflicts.kinship_chains] 已不再使用：两条亲属关系按亲属称谓语法"
                          f"合成（见 linkgraph/data/kinship.toml），可用 compose_kinship = false 关闭"
                          f" / no longer used: two kinship ties are composed by the kinship "
                          f"grammar; set compose_kinship = false to switch it off")
    out = ConflictRules(
        levels={k: str(v.get("level")) for k, v in rel.items()},
        weights={k: _number(v, "weight", src, where=f"relations.{k}") for k, v in rel.items()},
        names_zh={k: str(v["zh"]) for k, v in rel.items() if "zh" in v},
        lookback_years=_number(sec, "lookback_years", src, True),
        long_term_years=_number(sec, "long_term_years", src, True),
        post_weight=_number(sec, "post_weight", src),
        seconded_is_hard=_flag(sec, "seconded_is_hard", src),
        home_region_is_hard_in_cross=_flag(sec, "home_region_is_hard_in_cross", src),
        distance_two_factor=_number(sec, "distance_two_factor", src),
        max_hops=_number(sec, "max_hops", src, True),
        colleague_weight=_number(sec, "colleague_weight", src),
        superior_weight=_number(sec, "superior_weight", src),
        same_system_weight=_number(sec, "same_system_weight", src),
        townsman_weight=_number(sec, "townsman_weight", src),
        compose_kinship=_flag(sec, "compose_kinship", src),
        townsman_levels=tuple(str(w) for w in sec["townsman_levels"]),
        soft_cap=_number(sec, "soft_cap", src),
        temporary_title_words=tuple(str(w) for w in
                                    rules.section("posts")["temporary_title_words"]))
    if out.max_hops not in (1, 2):
        raise ConfigError(f"{src}: [conflicts] max_hops 只支持 1 或 2 / must be 1 or 2, "
                          f"got {out.max_hops}")
    return out


def evidence_frame(n: int = 0, **columns: Any) -> pd.DataFrame:
    """An evidence frame of ``n`` rows; missing columns take their defaults."""
    data = {}
    for name, default in EVIDENCE_COLUMNS.items():
        value = columns.get(name, default)
        data[name] = value if isinstance(value, (np.ndarray, pd.Series, list)) else [value] * n
    return pd.DataFrame(data)


def _years_before(when: pd.Timestamp, years: int) -> pd.Timestamp:
    return when - pd.DateOffset(years=years)


def officials(index: ConflictIndex, ctx: RoundContext) -> pd.DataFrame:
    """Posts held in a round unit when the round starts: person, unit, post
    (row).  A post without a start date counts as held."""
    posts = index.posts
    round_units = index.unit_codes(ctx.units["unit_id"])
    active = (posts["unit"].isin(round_units)
              & (posts["start"].isna() | (posts["start"] <= ctx.start))
              & (posts["end"].isna() | (posts["end"] >= ctx.start)))
    rows = posts.index[active]
    return pd.DataFrame({"official": posts.loc[rows, "person"].to_numpy(),
                         "unit": posts.loc[rows, "unit"].to_numpy(), "post": rows.to_numpy()})


def tie_evidence(index: ConflictIndex, inspectors: np.ndarray, offs: pd.DataFrame,
                 rules: ConflictRules) -> pd.DataFrame:
    """Declared ties (either direction) from an inspector to an official of a
    target unit, at distance one and (if max_hops = 2) two."""
    pos, x, rel = index.ties.expand(inspectors)
    names = np.asarray(index.relations, dtype=object)
    hop1 = pd.DataFrame({"person": inspectors[pos], "via1": x, "code1": rel.astype(np.int64),
                         "rel1": names[rel] if len(rel) else np.array([], dtype=object)})
    one = hop1.merge(offs.rename(columns={"official": "via1"}), on="via1")
    one = one[one["via1"] != one["person"]]
    frames = [evidence_frame(len(one), person=one["person"].to_numpy(), unit=one["unit"].to_numpy(),
                             relation=one["rel1"].to_numpy(), rel1=one["rel1"].to_numpy(),
                             level=[rules.level(r) for r in one["rel1"]],
                             score=[rules.weight(r) for r in one["rel1"]],
                             via1=one["via1"].to_numpy(), post=one["post"].to_numpy(),
                             code1=one["code1"].to_numpy())]
    if rules.max_hops >= 2 and len(hop1):
        frames.append(_second_hop(index, hop1, offs, rules, names))
    return pd.concat(frames, ignore_index=True)


def _second_hop(index: ConflictIndex, hop1: pd.DataFrame, offs: pd.DataFrame,
                rules: ConflictRules, names: np.ndarray) -> pd.DataFrame:
    mids = np.unique(hop1["via1"].to_numpy())
    pos, y, rel = index.ties.expand(mids)
    step = pd.DataFrame({"via1": mids[pos], "via2": y, "code2": rel.astype(np.int64),
                         "rel2": names[rel] if len(rel) else np.array([], dtype=object)})
    two = hop1.merge(step, on="via1")
    two = two[two["via2"] != two["person"]]
    two = two.merge(offs.rename(columns={"official": "via2"}), on="via2")
    # a path through an official of the same unit is already a one-hop conflict
    direct = offs.rename(columns={"official": "via1"})[["via1", "unit"]].drop_duplicates()
    two = two.merge(direct.assign(_direct=True), on=["via1", "unit"], how="left")
    two = two[two["_direct"].isna()]
    r1, r2 = two["rel1"].tolist(), two["rel2"].tolist()
    chain = chain_relations(index, two["code1"].to_numpy(), two["code2"].to_numpy(), rules)
    factor = rules.distance_two_factor
    return evidence_frame(
        len(two), person=two["person"].to_numpy(), unit=two["unit"].to_numpy(),
        relation=[c or f"{a}+{b}" for c, a, b in zip(chain, r1, r2)],
        level=[rules.level(c) if c else "soft" for c in chain],
        score=[rules.weight(c) if c else factor * min(rules.weight(a), rules.weight(b))
               for c, a, b in zip(chain, _distant(index, two, rules, r1), r2)],
        hops=2, via1=two["via1"].to_numpy(), via2=two["via2"].to_numpy(),
        rel1=two["rel1"].to_numpy(), rel2=two["rel2"].to_numpy(), post=two["post"].to_numpy(),
        code1=two["code1"].to_numpy(), code2=two["code2"].to_numpy())


def _distant(index: ConflictIndex, two: pd.DataFrame, rules: ConflictRules,
             first: list[str]) -> list[str]:
    """The first relation of each chain, read as ``other`` where both ties are
    kinship but the chain is kin the law does not name (姐夫的父亲): such a
    chain weighs as a distant relative, not as two close ones."""
    if not rules.compose_kinship:
        return first
    kin = index.kin
    return ["other" if kin[a] and kin[b] else r
            for r, a, b in zip(first, two["code1"].tolist(), two["code2"].tolist())]


def chain_path(index: ConflictIndex, code1: int, code2: int) -> kinship.KinPath | None:
    """The kinship path of two ties in a row, when both are kinship."""
    first, second = index.kin[code1], index.kin[code2]
    if not first or not second:
        return None
    return kinship.compose(kinship.stored(first, index.words[code1]),
                           kinship.stored(second, index.words[code2]))


def chain_relations(index: ConflictIndex, code1: np.ndarray, code2: np.ndarray,
                    rules: ConflictRules) -> list[str | None]:
    """For each two-tie chain: the relation the kinship grammar makes of it
    (表兄弟 + 妻子 → in_law), or None when it is no recusal relation."""
    if not rules.compose_kinship:
        return [None] * len(code1)
    memo: dict[tuple[int, int], str | None] = {}
    out = []
    for pair in zip(code1.tolist(), code2.tolist()):
        if pair not in memo:
            path = chain_path(index, *pair)
            memo[pair] = None
            if path is not None and kinship.degree(path).hard:
                memo[pair] = kinship.relation_of(path)
        out.append(memo[pair])
    return out


def post_evidence(index: ConflictIndex, ctx: RoundContext, inspectors: np.ndarray,
                  rules: ConflictRules) -> pd.DataFrame:
    """The inspector's own posts in a target unit: current or ended within the
    look-back window (former_post), or long-term at any time (long_post)."""
    posts = index.posts
    round_units = index.unit_codes(ctx.units["unit_id"])
    mine = posts[posts["person"].isin(inspectors) & posts["unit"].isin(round_units)]
    mine = mine[mine["start"].isna() | (mine["start"] <= ctx.start)]
    window = _years_before(ctx.start, rules.lookback_years)
    within = mine["end"].isna() | (mine["end"] >= window)
    until = mine["end"].where(mine["end"].notna() & (mine["end"] < ctx.start), ctx.start)
    span_ok = mine["start"].notna() & (mine["start"] + pd.DateOffset(years=rules.long_term_years)
                                       <= until)
    hit = mine[within | span_ok]
    relation = np.where(within[hit.index], "former_post", "long_post")
    return evidence_frame(len(hit), person=hit["person"].to_numpy(), unit=hit["unit"].to_numpy(),
                          relation=relation, level="hard", score=rules.post_weight, hops=0,
                          post=hit.index.to_numpy())


def seconded_evidence(index: ConflictIndex, ctx: RoundContext,
                      rules: ConflictRules) -> pd.DataFrame:
    """Members seconded (抽调) from a target unit."""
    m = ctx.members[ctx.members["seconded_from_unit_id"].isin(ctx.units["unit_id"])]
    return evidence_frame(len(m), person=index.person_codes(m["person_id"]),
                          unit=index.unit_codes(m["seconded_from_unit_id"]),
                          team=m["team_id"].to_numpy(dtype=object), relation="seconded",
                          level="hard" if rules.seconded_is_hard else "soft",
                          score=rules.post_weight, hops=0)


def home_region_pairs(ctx: RoundContext, regions: pd.DataFrame) -> pd.DataFrame:
    """(team_id, unit_id) where the unit lies in the team's home region."""
    ancestors = region_ancestors(regions)
    rows = [(u, a) for u, r in zip(ctx.units["unit_id"], ctx.units["region_id"])
            if isinstance(r, str) for a in ancestors.get(r, (r,))]
    unit_in = pd.DataFrame(rows, columns=["unit_id", "home_region_id"])
    return ctx.teams[["team_id", "home_region_id"]].dropna().merge(unit_in, on="home_region_id")


def home_region_evidence(index: ConflictIndex, ctx: RoundContext, regions: pd.DataFrame,
                         rules: ConflictRules) -> pd.DataFrame:
    """本地巡本地: in a cross-inspection, every member of a team whose home
    region contains the target unit."""
    if not (ctx.is_cross and rules.home_region_is_hard_in_cross):
        return evidence_frame(0)
    pairs = home_region_pairs(ctx, regions).merge(ctx.members[["team_id", "person_id"]],
                                                  on="team_id")
    return evidence_frame(len(pairs), person=index.person_codes(pairs["person_id"]),
                          unit=index.unit_codes(pairs["unit_id"]),
                          team=pairs["team_id"].to_numpy(dtype=object), relation="home_region",
                          level="hard", score=rules.post_weight, hops=0)
