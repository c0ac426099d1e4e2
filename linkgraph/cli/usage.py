"""Click's usage errors in Chinese and English, with "did you mean".

Click writes its own errors (an unknown command or option, a missing
argument, a value not among the choices) in English only.  Here each is
said in both languages, from the exception's own fields rather than by
rewriting click's sentences, with the closest known words suggested.
"""
from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Iterable

import click

_HAS_CJK = re.compile(r"[\u4e00-\u9fff]")


def closest(word: str, known: Iterable[str], n: int = 3) -> list[str]:
    """The known words nearest to ``word`` (best first), as a user mistypes."""
    known = sorted(set(known))
    lowered = {k.lower(): k for k in known}
    found = difflib.get_close_matches(word.lower(), list(lowered), n=n, cutoff=0.7)
    prefixed = [k for k in known if k.lower().startswith(word.lower()) and word]
    return list(dict.fromkeys([*(lowered[f] for f in found), *prefixed]))[:n]


def _quoted(words: Iterable[str]) -> str:
    return "、".join(f"'{w}'" for w in words)


def _suggestion(words: list[str]) -> tuple[str, str]:
    if not words:
        return "", ""
    return f"，您是否要找 {_quoted(words)}？", f" Did you mean {' or '.join(repr(w) for w in words)}?"


def _param_hint(exc: click.UsageError) -> str:
    param = getattr(exc, "param", None)
    hint = getattr(exc, "param_hint", None)
    if hint is None and param is not None and exc.ctx is not None:
        hint = param.get_error_hint(exc.ctx)
    if isinstance(hint, (list, tuple)):
        hint = " / ".join(f"'{h}'" for h in hint)
    return hint or ""


def bilingual(exc: click.UsageError) -> str:
    """The error as one Chinese / English sentence."""
    if isinstance(exc, click.NoSuchOption):
        zh, en = _suggestion(sorted(exc.possibilities or ()))
        return (f"没有选项 '{exc.option_name}'{zh} / No such option '{exc.option_name}'.{en}")
    if isinstance(exc, click.MissingParameter):
        hint = _param_hint(exc)
        if exc.param_type == "argument" or isinstance(exc.param, click.Argument):
            return f"缺少参数 {hint} / Missing argument {hint}."
        return f"缺少选项 {hint} / Missing option {hint}."
    if isinstance(exc, click.BadParameter):
        hint = _param_hint(exc)
        message = exc.format_message()
        detail = message.split(": ", 1)[1] if message.startswith("Invalid value") else message
        param = exc.param
        if isinstance(getattr(param, "type", None), click.Choice) and not _HAS_CJK.search(detail):
            choices = [str(c) for c in param.type.choices]  # type: ignore[union-attr]
            given = re.search(r"'([^']*)' is not", detail)
            near = closest(given[1], choices) if given else []
            zh, en = _suggestion(near)
            return (f"{hint} 的值应为 {_quoted(choices)} 之一{zh} / Invalid value for {hint}: "
                    f"{detail}{en}")
        if _HAS_CJK.search(detail):
            return f"{hint} 的值无效 / Invalid value for {hint}: {detail}"
        return f"{hint} 的值无效 / Invalid value for {hint}: {detail}"
    message = exc.format_message()
    extra = re.match(r"Got unexpected extra arguments? \((.*)\)", message)
    if extra:
        return f"多余的参数 {extra[1]} / {message}"
    required = re.match(r"Option '(.*)' requires (an argument|\d+ arguments)", message)
    if required:
        return f"选项 '{required[1]}' 需要取值 / {message}"
    if _HAS_CJK.search(message):
        return message
    return f"用法错误 / {message}"


def show_usage_error(exc: click.UsageError) -> None:
    """What click prints for a usage error, in both languages."""
    ctx = exc.ctx
    out = sys.stderr
    if ctx is not None:
        click.echo(ctx.get_usage(), file=out)
        help_cmd = f"{ctx.command_path} {ctx.help_option_names[0]}"
        click.echo(f"用 '{help_cmd}' 查看帮助 / Try '{help_cmd}' for help.\n", file=out)
    click.echo(f"错误 / Error: {bilingual(exc)}", file=out)


class BilingualGroup(click.Group):
    """A command group that suggests the nearest command for a mistyped one."""

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name = args[0] if args else ""
        if (name and not name.startswith("-") and not ctx.resilient_parsing
                and self.get_command(ctx, name) is None):
            near = closest(name, self.list_commands(ctx))
            zh, en = _suggestion(near)
            raise click.UsageError(f"没有命令 '{name}'{zh} / No such command '{name}'.{en}", ctx)
        return super().resolve_command(ctx, args)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True,
             **extra):
        """As click's, with usage errors said in both languages."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            show_usage_error(exc)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("已中止 / Aborted!", err=True)
            sys.exit(1)
        except OSError as exc:   # a closed pipe (… | head) is no error
            import errno

            if exc.errno == errno.EPIPE:
                sys.exit(1)
            raise
        sys.exit(code if isinstance(code, int) else 0)
