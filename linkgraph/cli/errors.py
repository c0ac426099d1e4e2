"""How an error reaches the user: one clear message, the table of problems."""
from __future__ import annotations

import click

from linkgraph.errors import LinkgraphError, ValidationError, redact_secrets
from linkgraph.output import terminal_safe, to_table

SHOW_AT_MOST = 50
VIOLATION_COLUMNS = ("file", "row", "column", "value", "reason")


def violation_table(violations, limit: int | None = SHOW_AT_MOST) -> str:
    shown = violations if limit is None else violations[:limit]
    text = to_table([v.as_record() for v in shown], VIOLATION_COLUMNS)
    if limit is not None and len(violations) > limit:
        text += (f"… 另有 {len(violations) - limit} 处未显示（用 linkgraph validate DATA --out "
                 f"FILE 导出全部） / {len(violations) - limit} more not shown\n")
    return text


def report_error(exc: LinkgraphError) -> None:
    click.secho(f"错误 / error: {terminal_safe(redact_secrets(str(exc)))}", fg="red", err=True)
    if isinstance(exc, ValidationError):
        click.echo(violation_table(exc.violations), err=True, nl=False)
        click.echo("提示：加 --lenient 只载入合格的行，拒收的行及原因写入文件"
                   " / hint: --lenient loads the valid rows and writes the rejected ones",
                   err=True)
