"""The rule set: data, not code.

Which relation is a hard conflict (回避) or a soft one (提示), their weights,
the look-back windows, the time limits offices use and the extra words a
ledger may use for a relation all come from a TOML file.  The shipped default
is ``linkgraph/data/rules.toml``; ``--rules FILE`` overlays a user's copy
(only the keys it sets are replaced).
"""
from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

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


@dataclass(frozen=True)
class Rules:
    """The parsed rule set; ``raw`` keeps every section for the analyses."""

    raw: Mapping[str, Any]
    source: str

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
    rules = Rules(base, source)
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
