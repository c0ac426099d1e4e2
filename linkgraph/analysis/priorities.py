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
  analysis).
"""
from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from linkgraph.analysis import audit, rectification
from linkgraph.analysis.ledger import Tables, label, names, timestamp
from linkgraph.errors import ConfigError
from linkgraph.rules import Rules

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
}
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
                    or (key != "weight" and value == 0):
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
    posts = tables["posts"]
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
    report = audit.audit_report(tables, rules, as_of)
    out["audit_red_flags"] = pd.concat([
        report.audit_only.groupby("unit_id").size(),
        report.red_flag_units.set_index("unit_id")["findings"]]).groupby(level=0).sum()
    measures = rectification.measure_status(tables, rules, as_of)
    problems = rectification.problem_status(tables, measures, as_of)
    out["open_problems"] = (~problems["rectified"]).groupby(problems["unit_id"]).sum()
    out["overdue_measures"] = measures["overdue"].groupby(measures["unit_id"]).sum()
    last = audit.inspected_units(tables, as_of)
    out["never_inspected"] = ~out.index.isin(last.index)
    since = (as_of - last["last_inspection"]).dt.days / DAYS_PER_YEAR
    out["years_since_inspection"] = since
    out["last_round_id"] = last["last_round_id"]
    out = out.join(_top_leaders(tables, as_of))
    out["top_leader_name"] = label(out["top_leader_id"], names(tables, "people"))
    out["in_cluster"] = out.index.isin(set(cluster_unit_ids or ()))
    for c in ("petitions", "audit_red_flags", "open_problems", "overdue_measures"):
        out[c] = out[c].fillna(0).astype("int64")
    return out


def _values(f: pd.DataFrame, w: Weights) -> pd.DataFrame:
    """Each factor's value in [0, 1]."""
    v = pd.DataFrame(index=f.index)
    for c in ("petitions", "audit_red_flags", "open_problems", "overdue_measures"):
        v[c] = np.minimum(f[c] / w(c, "full"), 1.0)
    years = f["years_since_inspection"].astype("float64")
    v["since_last_inspection"] = np.where(
        f["never_inspected"], 1.0, np.minimum(years.fillna(0) / w("since_last_inspection",
                                                                  "full_years"), 1.0))
    v["top_leader_in_post"] = (f["top_leader_years"].astype("float64")
                               >= w("top_leader_in_post", "years")).astype(float)
    v["systemic_cluster"] = f["in_cluster"].astype(float)
    return v


def _reason(factor: str, row: Any) -> str:
    if factor == "petitions":
        return f"信访举报{row.petitions}件"
    if factor == "audit_red_flags":
        return f"审计发现{row.audit_red_flags}条未被巡察印证"
    if factor == "open_problems":
        return f"问题未整改完成{row.open_problems}个"
    if factor == "overdue_measures":
        return f"整改措施超期{row.overdue_measures}项"
    if factor == "since_last_inspection":
        if row.never_inspected:
            return "从未被巡察"
        return f"距上次巡察{row.years_since_inspection:.1f}年（{row.last_round_id}）"
    if factor == "top_leader_in_post":
        return f"一把手{row.top_leader_name}({row.top_leader_id})任职{row.top_leader_years:.1f}年"
    return "属于系统性问题聚类"


def priorities(tables: Tables, rules: Rules, as_of: dt.date | str, *,
               weights: Weights | None = None,
               cluster_unit_ids: Collection[str] | None = None) -> pd.DataFrame:
    """Every unit ranked by score (ties by unit_id), with the reasons in words
    (largest contribution first) and each factor's raw value."""
    as_of = timestamp(as_of)
    weights = weights or load_weights()
    f = unit_factors(tables, rules, weights, as_of, cluster_unit_ids)
    values = _values(f, weights)
    contrib = values * pd.Series({c: weights(c) for c in values.columns})
    f["score"] = contrib.sum(axis=1).round(4)
    reasons = []
    for row, c in zip(f.itertuples(), contrib.itertuples(index=False)):
        parts = sorted(((-x, i) for i, x in enumerate(c) if x > 0))
        reasons.append("；".join(_reason(values.columns[i], row) for _, i in parts))
    f["reasons"] = reasons
    f["years_since_inspection"] = f["years_since_inspection"].round(1)
    f["top_leader_years"] = f["top_leader_years"].round(1)
    f = f.reset_index().sort_values(["score", "unit_id"], ascending=[False, True])
    f.insert(0, "rank", np.arange(1, len(f) + 1))
    cols = ["rank", "unit_id", "unit_name", "region_name", "sector", "level", "score", "reasons",
            "petitions", "audit_red_flags", "open_problems", "overdue_measures",
            "never_inspected", "years_since_inspection", "last_round_id", "top_leader_id",
            "top_leader_name", "top_leader_years", "in_cluster"]
    return f[cols].reset_index(drop=True)
