"""Rule defaults in the help, read from the rules file when the help is shown.

A command's help names the rules it applies as ``[section] key``
(``[limits] lead_receipt_days``); the help a user reads says
``[limits] lead_receipt_days = 7``, the value taken from
``linkgraph/data/rules.toml`` — the only place a default lives, so the help
cannot drift from it.  A bare ``[section]`` lists every key of the section
with its value; ``[relations]`` lists each relation's level and weight.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import click

_MENTION = re.compile(r"\[(?P<section>[a-z_]+)\](?:\s+(?P<key>[a-z_]+))?")


def shown(value: Any) -> str:
    """A rule value as the rules file writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(f'"{v}"' for v in value) + "]"
    return str(value)


def shipped_rules() -> dict[str, Any]:
    from linkgraph.rules import default_rules_text, tomllib

    return tomllib.loads(default_rules_text())


def with_rule_defaults(text: str | None, rules: Mapping[str, Any]) -> str | None:
    """``text`` with every ``[section] key`` mention followed by its value."""
    if not text or "[" not in text:
        return text

    def expand(m: re.Match) -> str:
        name, key = m["section"], m["key"]
        section = rules.get(name)
        if not isinstance(section, Mapping):
            return m.group()
        if name == "relations":
            listing = ", ".join(f"{r} = {v.get('level')} {v.get('weight')}"
                                for r, v in section.items() if isinstance(v, Mapping)
                                and r != "words")
            return f"[relations] ({listing})" + (f" {key}" if key else "")
        values = {k: v for k, v in section.items() if not isinstance(v, Mapping)}
        if key in values:
            return f"[{name}] {key} = {shown(values[key])}"
        listing = ", ".join(f"{k} = {shown(v)}" for k, v in values.items())
        return f"[{name}] ({listing})" + (f" {key}" if key else "")

    return _MENTION.sub(expand, text)


def show_rule_defaults(command: click.Command) -> click.Command:
    """Fill ``command``'s help (and its options', and its subcommands') with
    the rule values of the shipped rules file, as it is now."""
    rules = shipped_rules()
    todo = [command]
    while todo:
        cmd = todo.pop()
        source = cmd.__dict__.setdefault("_help_source", cmd.help)
        cmd.help = with_rule_defaults(source, rules)
        for param in cmd.params:
            if isinstance(param, click.Option):
                text = param.__dict__.setdefault("_help_source", param.help)
                param.help = with_rule_defaults(text, rules)
        if isinstance(cmd, click.Group):
            todo.extend(cmd.commands.values())
    return command
