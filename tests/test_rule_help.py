"""Each command's help quotes the defaults of the rules it applies, read from
linkgraph/data/rules.toml when the help is shown (the file is the only place
a default lives, so the help cannot say another value)."""
from __future__ import annotations

import re

import pytest

from linkgraph.rules import default_rules_text, tomllib

SHIPPED = tomllib.loads(default_rules_text())

#: command -> the rules its help must quote (section, key)
APPLIED = {
    "leads": [("limits", "lead_report_months"), ("limits", "lead_receipt_days"),
              ("signatures", "discipline_office"), ("signatures", "inspection_team")],
    "audit": [("audit", k) for k in SHIPPED["audit"]],
    "rectification": [("limits", "rectification_report_months"),
                      ("limits", "ongoing_counts_as_done")],
    "coverage": [("coverage", k) for k in SHIPPED["coverage"]],
    "conflicts": [("conflicts", k) for k in SHIPPED["conflicts"]],
    "rotate": [("conflicts", "soft_cap")],
    "clusters": [("clusters", k) for k in (
        "min_units", "alpha", "min_lift", "unit_alpha", "similarity", "max_common",
        "common_min", "common_share", "boiler_share", "boiler_min", "profile_size",
        "profile_ratio", "profile_min_count")],
}


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(f'"{v}"' for v in value) + "]"
    return str(value)


def _help(invoke, command: str) -> str:
    result = invoke(command, "--help")
    assert result.exit_code == 0, result.output
    return re.sub(r"\s+", " ", result.output)   # click wraps lines


@pytest.mark.parametrize("command", sorted(APPLIED))
def test_help_quotes_each_rule_default(invoke, command):
    text = _help(invoke, command)
    for section, key in APPLIED[command]:
        value = _toml(SHIPPED[section][key])
        assert f"{key} = {value}" in text, f"{command} --help lacks [{section}] {key} = {value}"


def test_help_lists_each_relation_level_and_weight(invoke):
    text = _help(invoke, "conflicts")
    assert "spouse = hard 100" in text and "townsman = soft 1" in text
    for name, spec in SHIPPED["relations"].items():
        if name != "words":
            assert f"{name} = {spec['level']} {spec['weight']}" in text


def test_the_help_reads_the_rules_file_not_a_copy(invoke, monkeypatch):
    """Change the shipped text: the help follows, so no second copy exists."""
    import linkgraph.rules

    changed = default_rules_text().replace("lead_receipt_days = 7", "lead_receipt_days = 9") \
        .replace("text_threshold = 0.6", "text_threshold = 0.45")
    assert changed != default_rules_text()
    monkeypatch.setattr(linkgraph.rules, "default_rules_text", lambda: changed)
    assert "lead_receipt_days = 9 days" in _help(invoke, "leads")
    assert "text_threshold = 0.45" in _help(invoke, "audit")
    monkeypatch.undo()
    assert "lead_receipt_days = 7 days" in _help(invoke, "leads")
