"""The ``linkgraph`` command line.

Commands live in small modules and are imported only when used, so
``linkgraph --help`` stays fast.  Any ``LinkgraphError`` becomes a clear
message and exit status 1; click's usage errors exit with 2.
"""
from __future__ import annotations

import importlib
import os
import sys

import click

from linkgraph import __version__
from linkgraph.cli.usage import BilingualGroup
from linkgraph.errors import LinkgraphError

#: command name -> "module:function"; one line per command.
COMMANDS: dict[str, str] = {
    "generate": "linkgraph.cli.data:generate",
    "import": "linkgraph.cli.office:import_",
    "validate": "linkgraph.cli.data:validate",
    "stats": "linkgraph.cli.data:stats",
    "demo": "linkgraph.cli.demo:demo",
    "conflicts": "linkgraph.cli.conflicts:conflicts",
    "clusters": "linkgraph.cli.clusters:clusters",
    "categories": "linkgraph.cli.categories:categories",
    "leads": "linkgraph.cli.leads:leads",
    "audit": "linkgraph.cli.linkage:audit",
    "rectification": "linkgraph.cli.linkage:rectification",
    "coverage": "linkgraph.cli.linkage:coverage",
    "priorities": "linkgraph.cli.linkage:priorities",
    "portrait": "linkgraph.cli.linkage:portrait",
    "results": "linkgraph.cli.outcomes:results",
    "warnings": "linkgraph.cli.outcomes:warnings",
    "yield": "linkgraph.cli.outcomes:yield_",
    "rotate": "linkgraph.cli.rotate:rotate",
    "staff": "linkgraph.cli.staff:staff",
    "view": "linkgraph.cli.view:view",
    "explore": "linkgraph.cli.explore:explore",
    "report": "linkgraph.cli.report:report",
    "neo4j": "linkgraph.cli.neo4j:neo4j",
    "cypher": "linkgraph.cli.neo4j:cypher",
}


class LinkgraphGroup(BilingualGroup):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.commands:
            return self.commands[name]
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attr = target.split(":")
        from linkgraph.cli.rulehelp import show_rule_defaults

        return show_rule_defaults(getattr(importlib.import_module(module), attr))

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except LinkgraphError as exc:
            from linkgraph.cli.errors import report_error

            report_error(exc)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("已中断 / interrupted", err=True)
            ctx.exit(130)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # a bug: say so briefly unless debugging
            if os.environ.get("LINKGRAPH_DEBUG"):
                raise
            click.echo(f"内部错误 / internal error: {type(exc).__name__}: {exc}\n"
                       "请设置 LINKGRAPH_DEBUG=1 重跑并报告 / rerun with LINKGRAPH_DEBUG=1 "
                       "and report it", err=True)
            ctx.exit(70)


@click.group(cls=LinkgraphGroup, context_settings={"help_option_names": ["-h", "--help"],
                                                     "max_content_width": 100})
@click.version_option(__version__, prog_name="linkgraph")
def cli() -> None:
    """linkgraph：巡察监督贯通图谱分析 — inspection ledgers (台账) as one graph.

    \b
    Load the ledgers (units, officials, rounds, problems, leads, measures,
    audits, petitions) and find systemic problems, acquaintance conflicts,
    cross-inspection rotations and the 室组办/巡审 linkages.

    \b
    Example:
      linkgraph generate demo-data --scale county --seed 1
      linkgraph validate demo-data
    """


def main(argv: list[str] | None = None) -> None:
    from linkgraph.memory import keep_freed_memory

    keep_freed_memory()
    if sys.stdout.encoding and sys.stdout.encoding.lower() not in ("utf-8", "utf8"):
        try:
            sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
            sys.stderr.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass
    cli.main(args=argv, prog_name="linkgraph")
