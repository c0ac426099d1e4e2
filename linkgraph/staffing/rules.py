"""The staffing rules (巡察组配备规则): data, not code.

The shipped ``linkgraph/data/staffing_rules.toml`` is the only place a
default lives; ``--staffing-rules FILE`` overlays a user's copy (only the
keys it sets are replaced).  ``load_staffing_rules`` checks every value once
and names the file, section and key of a wrong one.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from unicodedata import normalize

from linkgraph.errors import ConfigError
from linkgraph.rules import _merge, tomllib
from linkgraph.vocab import POOL_KIND_WORDS


def nfkc(text: str) -> str:
    return normalize("NFKC", text)

#: The roles of a team, in the order a roster lists them.
ROLES = ("leader", "deputy", "member", "liaison")


@dataclass(frozen=True)
class RoleRule:
    min: int
    max: int
    pools: tuple[str, ...]    # pool kinds the role is filled from


@dataclass(frozen=True)
class StaffingRules:
    min_size: int
    max_size: int
    roles: Mapping[str, RoleRule]
    fixed: tuple[str, ...]                     # 常规 specialties every team has
    needs_hard: bool
    by_target: tuple[tuple[str, tuple[str, ...]], ...]   # key word -> tags (file order)
    words: Mapping[str, tuple[str, ...]]       # written specialty -> tags
    max_consecutive_rounds: int
    experienced_rounds: int
    new_needs_experienced: bool
    may_inspect_own_unit: bool
    uncovered_need: int
    soft_conflict: int
    recent_round: int
    recent_window: int
    experience_short: int
    min_experienced: int
    time_limit: float
    workers: int
    source: str = "default"

    def tags(self, written: object) -> frozenset[str]:
        """The specialty tags of a cell (``财务审计;法律`` -> 财务, 审计, 法律)."""
        if written is None or written != written:
            return frozenset()
        items = written if isinstance(written, (list, tuple)) else str(written).replace(
            "；", ";").replace("、", ";").replace(",", ";").split(";")
        out: set[str] = set()
        for item in items:
            word = nfkc(str(item)).strip()
            if word:
                out.update(self.words.get(word, (word,)))
        return frozenset(out)

    def needs_of(self, kind: object, sector: object, name: object) -> frozenset[str]:
        """The specialties a target unit needs, by its kind, sector or name."""
        text = " ".join(str(v) for v in (kind, sector, name) if isinstance(v, str))
        return frozenset(t for key, tags in self.by_target if key in text for t in tags)


def _int(where: str, value: object, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ConfigError(f"{where} 应为不小于 {low} 的整数 / must be a whole number >= {low}, "
                          f"got {value!r}")
    return value


def _bool(where: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where} 应为 true/false / must be true or false, got {value!r}")
    return value


def _words(where: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        raise ConfigError(f"{where} 应为文字列表 / must be a list of words, got {value!r}")
    return tuple(nfkc(w).strip() for w in value)


def _get(data: Mapping[str, Any], section: str, key: str, source: str) -> Any:
    node: Any = data
    for part in section.split("."):
        node = node.get(part) if isinstance(node, Mapping) else None
    if not isinstance(node, Mapping) or key not in node:
        raise ConfigError(f"{source}: 缺少 [{section}] {key} / missing [{section}] {key}")
    return node[key]


def default_text() -> str:
    return resources.files("linkgraph").joinpath("data/staffing_rules.toml").read_text("utf-8")


def load_staffing_rules(path: str | Path | None = None) -> StaffingRules:
    """The shipped staffing rules, overlaid with the TOML file at ``path``."""
    data = tomllib.loads(default_text())
    source = "default"
    if path is not None:
        try:
            over = tomllib.loads(Path(path).read_text("utf-8"))
        except OSError as exc:
            raise ConfigError(f"{path}: 无法读取配备规则文件 / cannot read staffing rules: "
                              f"{exc.strerror}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: 配备规则文件格式错误 / bad TOML: {exc}") from exc
        data = _merge(data, over)
        source = str(path)
    return _parse(data, source)


def _parse(data: Mapping[str, Any], source: str) -> StaffingRules:
    def at(section: str, key: str) -> tuple[str, Any]:
        return f"{source}: [{section}] {key}", _get(data, section, key, source)

    roles = {}
    for role in ROLES:
        lo, hi = (_int(*at(f"roles.{role}", k)) for k in ("min", "max"))
        where, pools = at(f"roles.{role}", "pools")
        pools = _words(where, pools)
        bad = [p for p in pools if p not in POOL_KIND_WORDS]
        if bad or hi < lo:
            raise ConfigError(f"{where}: 未知人才库类别或 max < min / unknown pool kind or "
                              f"max < min: {bad or (lo, hi)}; 可选 / known: "
                              f"{', '.join(POOL_KIND_WORDS)}")
        roles[role] = RoleRule(lo, hi, pools)
    needs = at("specialties", "needs")
    if needs[1] not in ("soft", "hard"):
        raise ConfigError(f"{needs[0]} 应为 \"soft\" 或 \"hard\" / must be soft or hard")
    by_target = _get(data, "specialties", "by_target", source)
    words = _get(data, "specialties", "words", source)
    ints = {k: _int(*at(s, k)) for s, k in (
        ("team", "min_size"), ("team", "max_size"), ("service", "max_consecutive_rounds"),
        ("service", "experienced_rounds"), ("weights", "uncovered_need"),
        ("weights", "soft_conflict"), ("weights", "recent_round"),
        ("weights", "recent_window"), ("weights", "experience_short"),
        ("weights", "min_experienced"))}
    where, limit = at("solver", "time_limit")
    if isinstance(limit, bool) or not isinstance(limit, (int, float)) or limit <= 0:
        raise ConfigError(f"{where} 应为正数 / must be a positive number, got {limit!r}")
    return StaffingRules(
        roles=roles, fixed=_words(*at("specialties", "fixed")), needs_hard=needs[1] == "hard",
        by_target=tuple((nfkc(k).strip(), _words(f"{source}: [specialties.by_target] {k}", v))
                        for k, v in by_target.items()),
        words={nfkc(k).strip(): _words(f"{source}: [specialties.words] {k}", v)
               for k, v in words.items()},
        new_needs_experienced=_bool(*at("service", "new_needs_experienced")),
        may_inspect_own_unit=_bool(*at("service", "may_inspect_own_unit")),
        time_limit=float(limit), workers=_int(*at("solver", "workers"), low=1), source=source,
        **ints)
