"""The staffing rules (巡察组配备规则): data, not code.

The shipped ``linkgraph/data/staffing_rules.toml`` is the only place a
default lives; ``--staffing-rules FILE`` overlays a user's copy (only the
keys it sets are replaced).  ``load_staffing_rules`` checks every value once
and names the file, section and key of a wrong one.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
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

#: Where a target unit's specialty needs are looked up ([specialties.by_*]).
NEED_SOURCES = ("kind", "sector", "category", "name")

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
    #: where a target's needs come from: source (kind, sector, category,
    #: name) -> (key, tags) in file order
    needs_by: Mapping[str, tuple[tuple[str, tuple[str, ...]], ...]]
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

    def needs_of(self, kind: object, sector: object, name: object,
                 categories: Iterable[str] = ()) -> list[tuple[str, str, str]]:
        """The specialties a target unit needs, as (tag, source, key): its
        kind or sector (whole value), a harmonised category of its earlier
        problems, or a word of its name — sorted, one per (tag, source, key)."""
        def whole(v: object) -> str | None:
            return nfkc(v).strip() if isinstance(v, str) and v.strip() else None

        given = {"kind": whole(kind), "sector": whole(sector)}
        cats = {nfkc(c).strip() for c in categories if isinstance(c, str)}
        text = nfkc(name) if isinstance(name, str) else ""
        out: set[tuple[str, str, str]] = set()
        for source in NEED_SOURCES:
            for key, tags in self.needs_by.get(source, ()):
                hit = (key == given[source] if source in given else
                       key in cats if source == "category" else key in text)
                if hit:
                    out.update((t, source, key) for t in tags)
        return sorted(out, key=lambda x: (x[0], NEED_SOURCES.index(x[1]), x[2]))


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
    spec = data.get("specialties")
    if isinstance(spec, Mapping) and "by_target" in spec:
        raise ConfigError(
            f"{source}: [specialties.by_target] 已不再使用：请按单位类型、系统、以往问题类别、单位名称"
            "分别写入 [specialties.by_kind] / [specialties.by_sector] / [specialties.by_category]"
            " / [specialties.by_name] / [specialties.by_target] is no longer read: split it into "
            "[specialties.by_kind] (unit kind), [specialties.by_sector] (sector), "
            "[specialties.by_category] (category of earlier problems) and "
            "[specialties.by_name] (a word of the unit name)")
    needs_by = {}
    for src in NEED_SOURCES:
        table = _get(data, "specialties", f"by_{src}", source)
        if not isinstance(table, Mapping):
            raise ConfigError(f"{source}: [specialties.by_{src}] 应为表 / must be a table, "
                              f"got {table!r}")
        needs_by[src] = tuple((nfkc(k).strip(), _words(f"{source}: [specialties.by_{src}] {k}",
                                                        v)) for k, v in table.items())
    _check_categories(source, needs_by["category"])
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
        needs_by=needs_by,
        words={nfkc(k).strip(): _words(f"{source}: [specialties.words] {k}", v)
               for k, v in words.items()},
        new_needs_experienced=_bool(*at("service", "new_needs_experienced")),
        may_inspect_own_unit=_bool(*at("service", "may_inspect_own_unit")),
        time_limit=float(limit), workers=_int(*at("solver", "workers"), low=1), source=source,
        **ints)


def _check_categories(source: str, pairs: tuple[tuple[str, tuple[str, ...]], ...]) -> None:
    """Every [specialties.by_category] key names a category of the taxonomy."""
    if not pairs:
        return
    from linkgraph.categories import load_taxonomy

    tax = load_taxonomy()
    known = {n for n, node in tax.nodes.items() if node.level == "category"}
    bad = [k for k, _ in pairs if k not in known]
    if bad:
        raise ConfigError(f"{source}: [specialties.by_category] 未知问题类别 / unknown "
                          f"categories: {', '.join(bad)}; 类别见 / see linkgraph categories")
