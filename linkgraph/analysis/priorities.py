"""Who to inspect next (下一轮巡察对象建议): a ranked list of units with the
reasons in words.

Each factor gives a value in [0, 1] and the score is Σ weight × value; the
weights and the count at which a factor is full are data
(``linkgraph/data/priorities.toml``, overlaid by ``--weights FILE``):

* petitions (信访举报) about the unit or a person in post there now, within a
  window of years;
* audit red flags: audit findings in the unit that no inspection problem
  corroborates (``audit.match_findings``);
* open problems (not rectified) and overdue measures (``rectification``);
* time since the last inspection (never inspected = full);
* a top leader (一把手) in post for at least N years;
* membership in a systemic cluster (``cluster_unit_ids``, from the cluster
  analysis);
* 巡前征集的日常监督信息 (``supervision_info``) about the unit or a person in post
  there, and the problems a 未巡先改 self-check (``self_checks``) found.
"""
from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from linkgraph.analysis import audit, rectification
from linkgraph.analysis.ledger import label, names, timestamp
from linkgraph.errors import ConfigError
from linkgraph.rules import Rules
from linkgraph.tenure import with_inferred_ends
from linkgraph.schema import Tables

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

#: factor -> the keys its section may set.
FACTOR_KEYS: dict[str, tuple[str, ...]] = {
    "petitions": ("weight", "full", "window_years"),
    "audit_red_flags": ("weight", "full"),
    "open_problems": ("weight", "full"),
    "overdue_measures": ("weight", "full"),
    "since_last_inspection": ("weight", "full_years"),
    "top_leader_in_post": ("weight", "years"),
    "systemic_cluster": ("weight",),
    "supervision_info": ("weight", "full"),
    "self_check_problems": ("weight", "full"),
    "recently_inspected": ("months",),   # not a factor: who is left out
}
COUNTED = ("petitions", "audit_red_flags", "open_problems", "overdue_measures",
           "supervision_info", "self_check_problems")
DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class Weights:
    raw: Mapping[str, Mapping[str, float]]
    source: str

    def __call__(self, factor: str, key: str = "weight") -> float:
        return float(self.raw[factor][key])


def load_weights(path: str | Path | None = None) -> Weights:
    """The shipped weights, overlaid with the TOML file at ``path``."""
    text = resources.files("linkgraph").joinpath("data/priorities.toml").read_text("utf-8")
    raw = {k: dict(v) for k, v in tomllib.loads(text).items()}
    source = "default"
    if path is not None:
        try:
            over = tomllib.loads(Path(path).read_text("utf-8"))
        except OSError as exc:
            raise ConfigError(f"{path}: 无法读取权重文件 / cannot read weights file: "
                              f"{exc.strerror}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: 权重文件格式错误 / bad TOML: {exc}") from exc
        source = str(path)
        for factor, values in over.items():
            if factor not in FACTOR_KEYS or not isinstance(values, Mapping):
                raise ConfigError(f"{path}: 未知的因素 / unknown factor [{factor}]; 可用 / "
                                  f"known: {', '.join(FACTOR_KEYS)}")
            raw[factor].update(values)
    for factor, values in raw.items():
        for key, value in values.items():
            if key not in FACTOR_KEYS[factor]:
                raise ConfigError(f"{source}: [{factor}] 未知的键 / unknown key {key!r}; "
                                  f"可用 / known: {', '.join(FACTOR_KEYS[factor])}")
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 \
                    or (key not in ("weight", "months") and value == 0) \
                    or (key == "months" and value != int(value)):
                raise ConfigError(f"{source}: [{factor}] {key} 应为非负数（阈值为正数）"
                                  f" / must be a number ≥ 0 (> 0 for a threshold), got {value!r}")
    return Weights(raw, source)


def _petitions(tables: Tables, as_of: pd.Timestamp, years: float) -> pd.Series:
    """unit -> petitions about it or about someone in post there on ``as_of``."""
    p = tables["petitions"]
    since = as_of - pd.Timedelta(days=years * DAYS_PER_YEAR)
    p = p[~(p["date"] > as_of) & ~(p["date"] < since)]
    posts = _current_posts(tables, as_of)[["person_id", "unit_id"]].drop_duplicates()
    direct = p.loc[p["unit_id"].notna(), ["petition_id", "unit_id"]]
    via = p.loc[p["person_id"].notna(), ["petition_id", "person_id"]].merge(posts, on="person_id")
    both = pd.concat([direct, via[["petition_id", "unit_id"]]]).drop_duplicates()
    return both.groupby("unit_id").size()


def _current_posts(tables: Tables, as_of: pd.Timestamp) -> pd.DataFrame:
    # a blank end is ended by the person's next post elsewhere (tenure.py)
    posts = with_inferred_ends(tables["posts"])
    return posts[~(posts["start"] > as_of) & ~(posts["end"] <= as_of)]


def _top_leaders(tables: Tables, as_of: pd.Timestamp) -> pd.DataFrame:
    """unit -> its longest-serving top leader in post on ``as_of`` and years."""
    posts = _current_posts(tables, as_of)
    posts = posts[posts["is_top_leader"] & posts["start"].notna()]
    years = (as_of - posts["start"]).dt.days / DAYS_PER_YEAR
    f = posts.assign(years=years).sort_values(["unit_id", "years", "person_id"],
                                                       ascending=[True, False, True])
    f = f.drop_duplicates("unit_id").set_index("unit_id")
    return pd.DataFrame({"top_leader_id": f["person_id"], "top_leader_years": f["years"]})


def unit_factors(tables: Tables, rules: Rules, weights: Weights, as_of: pd.Timestamp,
                 cluster_unit_ids: Collection[str] | None) -> pd.DataFrame:
    """The raw value of every factor per unit."""
    u = tables["units"]
    out = pd.DataFrame({"unit_id": u["unit_id"], "unit_name": u["name"],
                        "region_name": label(u["region_id"], names(tables, "regions")),
                        "sector": u["sector"], "level": u["level"]}).set_index("unit_id")
    out["petitions"] = _petitions(tables, as_of, weights("petitions", "window_years"))
    last = audit.inspected_units(tables, as_of)
    report = audit.audit_report(tables, rules, as_of, inspected=last)
    out["audit_red_flags"] = pd.concat([
        report.audit_only.groupby("unit_id").size(),
        report.red_flag_units.set_index("unit_id")["findings"]]).groupby(level=0).sum()
    state = rectification.rectification_state(tables, rules, as_of)
    problems = state.problems
    out["open_problems"] = (~problems["rectified"]).groupby(problems["unit_id"]).sum()
    out["overdue_measures"] = problems["overdue_measures"].groupby(problems["unit_id"]).sum()
    out["never_inspected"] = ~out.index.isin(last.index)
    since = (as_of - last["last_inspection"]).dt.days / DAYS_PER_YEAR
    out["years_since_inspection"] = since
    out["last_inspection"] = last["last_inspection"]
    out["last_round_id"] = last["last_round_id"]
    out = out.join(_top_leaders(tables, as_of))
    out["top_leader_name"] = label(out["top_leader_id"], names(tables, "people"))
    out["in_cluster"] = out.index.isin(set(cluster_unit_ids or ()))
    out["supervision_info"] = _supervision_info(tables, as_of)
    sc = tables["self_checks"]
    sc = sc[~(sc["date"] > as_of)]
    out["self_check_problems"] = sc["problems_found"].fillna(0).groupby(sc["unit_id"]).sum()
    for c in COUNTED:
        out[c] = out[c].fillna(0).astype("int64")
    return out


def _supervision_info(tables: Tables, as_of: pd.Timestamp) -> pd.Series:
    """unit -> 巡前征集的日常监督信息 about it, or about someone in post there on
    ``as_of`` (dated by then or undated)."""
    s = tables["supervision_info"]
    s = s[~(s["date"] > as_of)]
    posts = _current_posts(tables, as_of)
    by_person = s.dropna(subset=["person_id"]).merge(
        posts[["person_id", "unit_id"]].rename(columns={"unit_id": "post_unit"}), on="person_id")
    pairs = pd.concat([
        pd.DataFrame({"info_id": s["info_id"], "unit_id": s["unit_id"]}),
        pd.DataFrame({"info_id": by_person["info_id"], "unit_id": by_person["post_unit"]})])
    pairs = pairs.dropna().drop_duplicates()
    return pairs.groupby("unit_id").size()


def recently_inspected(f: pd.DataFrame, as_of: pd.Timestamp, weights: Weights,
                       months: int | None = None) -> pd.Series:
    """Per unit of ``unit_factors``: inspected (its last round started) less
    than ``months`` calendar months before ``as_of``."""
    months = int(weights("recently_inspected", "months") if months is None else months)
    if months <= 0:
        return pd.Series(False, index=f.index)
    cut = as_of - pd.DateOffset(months=months)
    return (~f["never_inspected"] & (f["last_inspection"] > cut)).fillna(False).astype(bool)


def _values(f: pd.DataFrame, w: Weights) -> pd.DataFrame:
    """Each factor's value in [0, 1]."""
    v = pd.DataFrame(index=f.index)
    for c in COUNTED:
        v[c] = np.minimum(f[c] / w(c, "full"), 1.0)
    years = f["years_since_inspection"].astype("float64")
    v["since_last_inspection"] = np.where(
        f["never_inspected"], 1.0, np.minimum(years.fillna(0) / w("since_last_inspection",
                                                                  "full_years"), 1.0))
    v["top_leader_in_post"] = (f["top_leader_years"].astype("float64")
                               >= w("top_leader_in_post", "years")).astype(float)
    v["systemic_cluster"] = f["in_cluster"].astype(float)
    return v


def _reason_texts(f: pd.DataFrame) -> dict[str, pd.Series]:
    """factor -> the words for it, per unit (vectorised)."""
    def num(col: str) -> pd.Series:
        return f[col].astype("int64").astype(str)

    def years(col: str) -> pd.Series:
        return f[col].astype("float64").map("{:.1f}".format)

    since = ("距上次巡察" + years("years_since_inspection") + "年（"
             + f["last_round_id"].astype(object).fillna("").astype(str) + "）")
    return {
        "petitions": "信访举报" + num("petitions") + "件",
        "audit_red_flags": "审计发现" + num("audit_red_flags") + "条未被巡察印证",
        "open_problems": "问题未整改完成" + num("open_problems") + "个",
        "overdue_measures": "整改措施超期" + num("overdue_measures") + "项",
        "since_last_inspection": since.where(~f["never_inspected"], "从未被巡察"),
        "top_leader_in_post": ("一把手" + f["top_leader_name"].astype(object).fillna("").astype(str)
                               + "(" + f["top_leader_id"].astype(object).fillna("").astype(str)
                               + ")任职" + years("top_leader_years") + "年"),
        "systemic_cluster": pd.Series("属于系统性问题聚类", index=f.index),
        "supervision_info": "巡前征集日常监督信息" + num("supervision_info") + "条",
        "self_check_problems": "未巡先改自查发现问题" + num("self_check_problems") + "个",
    }


def _reason_texts_en(f: pd.DataFrame) -> dict[str, pd.Series]:
    """factor -> the English words for it, per unit (as ``_reason_texts``)."""
    def num(col: str) -> pd.Series:
        return f[col].astype("int64").astype(str)

    def years(col: str) -> pd.Series:
        return f[col].astype("float64").map("{:.1f}".format)

    since = (years("years_since_inspection") + " years since the last inspection ("
             + f["last_round_id"].astype(object).fillna("").astype(str) + ")")
    return {
        "petitions": num("petitions") + " petitions",
        "audit_red_flags": num("audit_red_flags") + " audit findings no inspection confirmed",
        "open_problems": num("open_problems") + " problems not yet rectified",
        "overdue_measures": num("overdue_measures") + " measures overdue",
        "since_last_inspection": since.where(~f["never_inspected"], "never inspected"),
        "top_leader_in_post": ("top leader " + f["top_leader_name"].astype(object).fillna("")
                               .astype(str) + " (" + f["top_leader_id"].astype(object).fillna("")
                               .astype(str) + ") in post " + years("top_leader_years")
                               + " years"),
        "systemic_cluster": pd.Series("in a systemic problem cluster", index=f.index),
        "supervision_info": num("supervision_info") + " items of supervision information "
                            "gathered before the inspection",
        "self_check_problems": num("self_check_problems") + " problems found by its own "
                               "self-check before any inspection",
    }


def _reasons(f: pd.DataFrame, contrib: pd.DataFrame, lang: str = "zh") -> list[str]:
    """Per unit, the words of its contributing factors, largest first."""
    texts = _reason_texts_en(f) if lang == "en" else _reason_texts(f)
    matrix = np.column_stack([texts[c].to_numpy(dtype=object) for c in contrib.columns])
    c = contrib.to_numpy()
    order = np.argsort(-c, axis=1, kind="stable")
    rows = np.arange(len(c))[:, None]
    words, positive = matrix[rows, order], c[rows, order] > 0
    joiner = "; " if lang == "en" else "；"
    return [joiner.join(w[p]) for w, p in zip(words, positive)]


def priorities(tables: Tables, rules: Rules, as_of: dt.date | str, *,
               weights: Weights | None = None,
               cluster_unit_ids: Collection[str] | None = None,
               recent_months: int | None = None) -> pd.DataFrame:
    """Every unit ranked by score (ties by unit_id), with the reasons in words
    (largest contribution first) and each factor's raw value — but the units
    inspected less than ``recent_months`` (default ``[recently_inspected]
    months`` of the weights) before ``as_of``: too soon to inspect again."""
    as_of = timestamp(as_of)
    weights = weights or load_weights()
    f = unit_factors(tables, rules, weights, as_of, cluster_unit_ids)
    f = f[~recently_inspected(f, as_of, weights, recent_months)]
    values = _values(f, weights)
    contrib = values * pd.Series({c: weights(c) for c in values.columns})
    f["score"] = contrib.sum(axis=1).round(4)
    f["reasons"] = _reasons(f, contrib)
    f["reasons_en"] = _reasons(f, contrib, "en")
    f["years_since_inspection"] = f["years_since_inspection"].round(1)
    f["top_leader_years"] = f["top_leader_years"].round(1)
    f = f.reset_index().sort_values(["score", "unit_id"], ascending=[False, True])
    f.insert(0, "rank", np.arange(1, len(f) + 1))
    cols = ["rank", "unit_id", "unit_name", "region_name", "sector", "level", "score", "reasons",
            "reasons_en",
            "petitions", "audit_red_flags", "open_problems", "overdue_measures",
            "never_inspected", "years_since_inspection", "last_round_id", "top_leader_id",
            "top_leader_name", "top_leader_years", "in_cluster", "supervision_info",
            "self_check_problems"]
    return f[cols].reset_index(drop=True)
