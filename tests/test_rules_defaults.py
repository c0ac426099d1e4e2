"""linkgraph/data/rules.toml is the only place a rule's default lives.

For every key of the rule sections, the code of linkgraph/ and loaders/ is
searched (by its syntax tree) for a literal standing in for the key's value:
a class attribute ``key = 3`` or ``key: int = 3``, ``x.get("key", 3)``, a call
``f(..., "key", 3, ...)``, a keyword argument ``key=3`` or a function's
parameter default ``def f(key=3)``.  Any such literal is
a second default that would drift from the file.
"""
from __future__ import annotations

import ast

from pathlib import Path

import pytest

from linkgraph.errors import ConfigError
from linkgraph.rules import load_rules, tomllib

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = tomllib.loads((ROOT / "linkgraph" / "data" / "rules.toml").read_text("utf-8"))
SECTIONS = ("limits", "audit", "coverage", "signatures", "conflicts", "clusters")


def rule_keys() -> set[str]:
    keys = {k for s in SECTIONS for k, v in SHIPPED[s].items() if not isinstance(v, dict)}
    # a relation's weight (its level is required by rules.py; "level" is too
    # common a word elsewhere to search for)
    return keys | {"weight"}


def _literal(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, (int, float, bool)) or (
        isinstance(node, (ast.List, ast.Tuple)) and bool(node.elts)
        and all(isinstance(e, ast.Constant) for e in node.elts))


def second_defaults(source: str, keys: set[str]) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                target = (item.target if isinstance(item, ast.AnnAssign) else
                          item.targets[0] if isinstance(item, ast.Assign) else None)
                if isinstance(target, ast.Name) and target.id in keys and _literal(item.value):
                    found.append((item.lineno, f"{node.name}.{target.id} = literal"))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            a = node.args
            positional = a.posonlyargs + a.args
            pairs = list(zip(positional[len(positional) - len(a.defaults):], a.defaults))
            pairs += [(k, d) for k, d in zip(a.kwonlyargs, a.kw_defaults) if d is not None]
            found += [(node.lineno, f"def ...({k.arg}=literal)") for k, d in pairs
                      if k.arg in keys and _literal(d)]
        if isinstance(node, ast.Call):
            args = node.args
            for i, a in enumerate(args[:-1]):
                if isinstance(a, ast.Constant) and a.value in keys and _literal(args[i + 1]):
                    found.append((node.lineno, f"({a.value!r}, literal) in a call"))
            found += [(node.lineno, f"{k.arg}=literal") for k in node.keywords
                      if k.arg in keys and _literal(k.value)]
    return found


def test_the_search_finds_a_planted_default():
    planted = ("from dataclasses import dataclass\n@dataclass\nclass L:\n"
               "    lead_receipt_days: int = 7\n"
               "x = sec.get('text_threshold', 0.6)\ny = f(sec, 'max_hops', 2, src)\n"
               "z = g(term_years=5)\n"
               "def h(a, min_units=5, *, similarity: float = 0.3, b=2):\n    pass\n")
    found = second_defaults(planted, rule_keys())
    assert sorted(line for line, _ in found) == [4, 5, 6, 7, 8, 8]
    assert sorted(what for line, what in found if line == 8) == [
        "def ...(min_units=literal)", "def ...(similarity=literal)"]


def test_no_default_outside_rules_toml():
    keys = rule_keys()
    assert {"lead_receipt_days", "text_threshold", "max_hops", "village_words",
            "weight"} <= keys
    found = []
    paths = sorted((ROOT / "linkgraph").rglob("*.py")) + sorted((ROOT / "loaders").rglob("*.py"))
    for path in paths:
        found += [f"{path.relative_to(ROOT)}:{line}: {what}"
                  for line, what in second_defaults(path.read_text("utf-8"), keys)]
    assert not found, "defaults outside linkgraph/data/rules.toml:\n" + "\n".join(found)


def test_the_typed_rules_hold_the_shipped_values():
    rules = load_rules()
    assert rules.limits.lead_receipt_days == SHIPPED["limits"]["lead_receipt_days"]
    assert rules.audit.text_threshold == SHIPPED["audit"]["text_threshold"]
    assert rules.coverage.village_words == tuple(SHIPPED["coverage"]["village_words"])
    assert rules.signatures.inspection_team == tuple(SHIPPED["signatures"]["inspection_team"])
    assert rules.clusters.min_units == SHIPPED["clusters"]["min_units"]
    assert rules.clusters.paraphrase_lcs == SHIPPED["clusters"]["paraphrase_lcs"]


@pytest.mark.parametrize("text, match", [
    ("[audit]\ntext_treshold = 0.5\n", "unknown keys"),      # a misspelt key is not ignored
    ("[coverage]\nterm_years = 0\n", "term_years"),
    ("[signatures]\ninspection_team = []\n", "inspection_team"),
    ("[conflicts]\nseconded_is_hard = 1\n", "seconded_is_hard"),
    ("[clusters]\nmin_units = 0\n", "min_units"),
    ("[clusters]\nalpha = 2\n", "alpha"),
])
def test_a_bad_value_fails_when_the_rules_are_loaded(tmp_path, text, match):
    f = tmp_path / "rules.toml"
    f.write_text(text, "utf-8")
    with pytest.raises(ConfigError, match=match) as info:
        rules = load_rules(f)
        from linkgraph.analysis.conflicts.rules import conflict_rules
        conflict_rules(rules)
    assert str(f) in str(info.value)
