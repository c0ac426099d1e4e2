"""The rule set: data, not code.

Which relation is a hard conflict (回避) or a soft one (提示), their weights,
the look-back windows, the time limits offices use and the extra words a
ledger may use for a relation all come from a TOML file.  The shipped default
is ``linkgraph/data/rules.toml``; ``--rules FILE`` overlays a user's copy
(only the keys it sets are replaced).

``load_rules`` parses the sections once into typed, frozen objects —
``rules.limits``, ``rules.audit``, ``rules.coverage``, ``rules.signatures``,
``rules.clusters`` — so a wrong value fails at load time, naming the file, section and key.
The shipped file is the only place a default lives: the classes below have
none, and a key missing from the merged rules is an error
(tests/test_rules_defaults.py fails when a default appears in code).
"""
from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from linkgraph.errors import ConfigError
from linkgraph.vocab import RELATION_WORDS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def default_rules_text() -> str:
    return resources.files("linkgraph").joinpath("data/rules.toml").read_text("utf-8")


S = TypeVar("S")


def _value(section: str, key: str, value: object, kind: str, source: str) -> Any:
    """``value`` checked against ``kind`` (bool, count, number, share, words)."""
    where = f"{source}: [{section}] {key}"
    if kind == "bool":
        if not isinstance(value, bool):
            raise ConfigError(f"{where} 应为 true/false / must be true or false, got {value!r}")
        return value
    if kind == "words":
        if not isinstance(value, list) or not value or not all(
                isinstance(w, str) and w for w in value):
            raise ConfigError(f"{where} 应为非空的词语列表 / must be a non-empty list of "
                              f"words, got {value!r}")
        return tuple(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"{where} 应为数字 / must be a number, got {value!r}")
    if kind == "count":
        if not isinstance(value, int) or value < 0:
            raise ConfigError(f"{where} 应为非负整数 / must be a whole number ≥ 0, "
                              f"got {value!r}")
        return value
    if kind == "positive":
        if not isinstance(value, int) or value <= 0:
            raise ConfigError(f"{where} 应为正整数 / must be a whole number ≥ 1, got {value!r}")
        return value
    if kind == "share" and not 0 <= value <= 1:
        raise ConfigError(f"{where} 应在 0 到 1 之间 / must be a number from 0 to 1, "
                          f"got {value!r}")
    return float(value)


def _section(cls: type[S], name: str, raw: Mapping[str, Any], source: str) -> S:
    """The ``[name]`` section as ``cls``: every field present and of its kind,
    no unknown key (a misspelt key would otherwise be ignored silently)."""
    section = raw.get(name, {})
    known = {f.name: f.metadata["kind"] for f in fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(k for k, v in section.items() if k not in known and
                     not isinstance(v, Mapping))
    if unknown:
        raise ConfigError(f"{source}: [{name}] 未知的键 / unknown keys {unknown}; "
                          f"可用 / known: {', '.join(known)}")
    missing = [k for k in known if k not in section]
    if missing:
        raise ConfigError(f"{source}: [{name}] 缺少 / missing {', '.join(missing)} "
                          "(linkgraph/data/rules.toml holds every key)")
    return cls(**{k: _value(name, k, section[k], kind, source) for k, kind in known.items()})


def _kind(kind: str) -> Any:
    return field(metadata={"kind": kind})


@dataclass(frozen=True)
class Limits:
    """``[limits]``: the time limits of 室组办 linkage and rectification."""

    lead_report_months: int = _kind("count")
    lead_receipt_days: int = _kind("count")
    rectification_plan_workdays: int = _kind("count")
    rectification_report_months: int = _kind("count")
    ongoing_counts_as_done: bool = _kind("bool")


@dataclass(frozen=True)
class AuditRules:
    """``[audit]``: when an audit finding corroborates (印证) a problem."""

    same_category_matches: bool = _kind("bool")
    text_threshold: float = _kind("share")
    category_weight: float = _kind("share")
    best_only: bool = _kind("bool")


@dataclass(frozen=True)
class CoverageRules:
    """``[coverage]``: villages and the current term (届内全覆盖)."""

    village_words: tuple[str, ...] = _kind("words")
    term_years: int = _kind("positive")


@dataclass(frozen=True)
class Signatures:
    """``[signatures]``: the words that make a signature count for a side (双签字)."""

    discipline_office: tuple[str, ...] = _kind("words")
    inspection_team: tuple[str, ...] = _kind("words")


@dataclass(frozen=True)
class ClusterRules:
    """``[clusters]``: the thresholds of the cluster detectors (共性问题);
    ``linkgraph.analysis.clusters.cluster_params`` overrides some."""

    min_units: int = _kind("positive")
    alpha: float = _kind("share")
    thin_problems: int = _kind("count")
    min_lift: float = _kind("number")
    unit_alpha: float = _kind("share")
    merge_overlap: float = _kind("share")
    boiler_share: float = _kind("share")
    boiler_min: int = _kind("count")
    common_min: int = _kind("count")
    common_share: float = _kind("share")
    max_common: float = _kind("share")
    similarity: float = _kind("share")
    whole_linked: float = _kind("share")
    min_wordings: int = _kind("positive")
    max_unit_share: float = _kind("share")
    min_density: float = _kind("share")
    core_chars: int = _kind("positive")
    core_share: float = _kind("share")
    second_chars: int = _kind("positive")
    paraphrase_similarity: float = _kind("share")
    paraphrase_density: float = _kind("share")
    paraphrase_lcs: float = _kind("number")
    paraphrase_chars: float = _kind("number")
    profile_size: int = _kind("positive")
    profile_ratio: float = _kind("number")
    profile_min_count: int = _kind("count")
    profile_alpha: float = _kind("share")


@dataclass(frozen=True)
class Rules:
    """The parsed rule set: typed sections, and ``raw`` for the sections the
    analyses parse themselves (``[relations.*]``, ``[conflicts]``)."""

    raw: Mapping[str, Any]
    source: str
    limits: Limits
    audit: AuditRules
    coverage: CoverageRules
    signatures: Signatures
    clusters: ClusterRules

    @property
    def relation_words(self) -> dict[str, str]:
        """Extra ledger words -> canonical relation (``[relations.words]``)."""
        return dict(self.raw.get("relations", {}).get("words", {}))

    @property
    def relations(self) -> dict[str, dict[str, Any]]:
        """canonical relation -> {level, weight, ...}."""
        rel = self.raw.get("relations", {})
        return {k: dict(v) for k, v in rel.items() if k != "words" and isinstance(v, Mapping)}

    def section(self, name: str) -> dict[str, Any]:
        return dict(self.raw.get(name, {}))


def load_rules(path: str | Path | None = None) -> Rules:
    """The default rules, overlaid with the TOML file at ``path`` if given."""
    base = tomllib.loads(default_rules_text())
    source = "default"
    if path is not None:
        try:
            text = Path(path).read_text("utf-8")
        except OSError as exc:
            raise ConfigError(f"{path}: 无法读取规则文件 / cannot read rules file: "
                              f"{exc.strerror}") from exc
        try:
            over = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: 规则文件格式错误 / bad TOML: {exc}") from exc
        base = _merge(base, over)
        source = str(path)
    rules = Rules(base, source, _section(Limits, "limits", base, source),
                  _section(AuditRules, "audit", base, source),
                  _section(CoverageRules, "coverage", base, source),
                  _section(Signatures, "signatures", base, source),
                  _section(ClusterRules, "clusters", base, source))
    _check(rules, source)
    return rules


def _check(rules: Rules, source: str) -> None:
    known = set(RELATION_WORDS) | set(rules.relations)
    for word, canon in rules.relation_words.items():
        if canon not in known:
            raise ConfigError(f"{source}: [relations.words] {word!r} = {canon!r}: 未知关系"
                              f" / unknown relation; known: {', '.join(sorted(known))}")
    for name, spec in rules.relations.items():
        level = spec.get("level")
        if level not in ("hard", "soft"):
            raise ConfigError(f"{source}: [relations.{name}] level 应为 hard 或 soft"
                              f" / level must be hard or soft, got {level!r}")
