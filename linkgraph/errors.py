"""The one exception hierarchy of linkgraph.

The library raises these; it never calls ``sys.exit``. The CLI turns any
``LinkgraphError`` into a clear message and exit status 1.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Violation:
    """One thing wrong with one input cell, row, column or table.

    ``row`` is the row number the user sees in the spreadsheet (header = 1),
    or ``None`` for a table-level problem.  ``level`` is ``"error"`` (the row
    is rejected) or ``"warning"`` (kept, but worth knowing).
    """

    table: str
    file: str
    row: int | None
    column: str
    value: str
    reason: str
    level: str = "error"

    def as_record(self) -> dict[str, object]:
        return {
            "table": self.table,
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "reason": self.reason,
            "level": self.level,
        }


class LinkgraphError(Exception):
    """Base of every error a user can cause (bad file, bad option value, ...)."""


class InputError(LinkgraphError):
    """A file or folder cannot be read at all (missing, corrupt, not a table)."""


class ValidationError(LinkgraphError):
    """The input was read but breaks the data contract; carries every violation."""

    def __init__(self, message: str, violations: list[Violation]):
        super().__init__(message)
        self.violations = violations


class ConfigError(LinkgraphError):
    """A rules or settings file is malformed."""


class InfeasibleError(LinkgraphError):
    """An optimisation has no solution under the given constraints."""


class Neo4jError(LinkgraphError):
    """The Neo4j server could not be reached or refused the request."""


_CREDENTIALS = re.compile(r"((?:[A-Za-z][\w.+-]*:)?/{0,2}[^\s/:@'\"]+:)([^\s@/'\"]+)@")


def redact_secrets(text: str) -> str:
    """``neo4j://user:secret@host`` -> ``neo4j://user:***@host``, also when
    the scheme is mistyped and the URI was taken for a path."""
    return _CREDENTIALS.sub(lambda m: m.group(1) + "***@", text)
