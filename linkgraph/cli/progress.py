"""Numbered steps on stderr with their times: what a long command is doing.

Each step prints a line when it starts and one when it ends, so a user
watching a terminal (or a log) sees where a minute-long command stands;
the loader's row bar (``StderrProgress``) shows inside a step on a terminal.
"""
from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click


class Steps:
    """``with steps("读取 / load"): ...`` — one numbered, timed step; with
    ``lang="en"`` only the English half of each "中文 / English" label."""

    def __init__(self, total: int, lang: str | None = None):
        self.total = total
        self.number = 0
        self.lang = lang
        self.timings: list[tuple[str, float]] = []

    def _words(self, label: str) -> str:
        return label.split(" / ", 1)[-1] if self.lang == "en" else label

    @contextmanager
    def __call__(self, label: str) -> Iterator[None]:
        self.number += 1
        tag = f"[{self.number}/{max(self.total, self.number)}]"
        label = self._words(label)
        click.echo(f"{tag} {label} …", err=True)
        start = time.perf_counter()
        yield
        seconds = time.perf_counter() - start
        self.timings.append((label, seconds))
        done = (f"done: {label} ({seconds:.1f} s)" if self.lang == "en"
                else f"完成 / done: {label}（{seconds:.1f} s）")
        click.echo(f"{tag} {done}", err=True)

    def add(self, label: str, seconds: float) -> None:
        """A step timed elsewhere (e.g. each view the report writes)."""
        self.timings.append((label, seconds))
        click.echo(f"    {label}: {seconds:.1f} s", err=True)

    @property
    def seconds(self) -> float:
        return sum(s for _, s in self.timings)


class Bar:
    """``bar(item, done, total)`` callbacks drawn as a progress bar on a
    terminal; in a log (stderr not a terminal) one line when the item
    changes or every ``every`` seconds, and one at the end, so a long push
    or pull is never silent."""

    def __init__(self, label: str, every: float = 2.0):
        self.label, self.every = label, every
        self.bar: Any = None
        self.last_item: str | None = None
        self.last_time = 0.0
        self.done = self.total = 0

    def __call__(self, item: str, done: int, total: int) -> None:
        self.done, self.total = done, total
        if sys.stderr.isatty():
            if self.bar is None:
                self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr,
                                             item_show_func=lambda x: x, show_pos=True)
                self.bar.__enter__()
            self.bar.update(done - self.bar.pos, item)
            return
        now = time.monotonic()
        if item != self.last_item or now - self.last_time >= self.every:
            click.echo(f"{self.label}: {item} {done:,}/{total:,}", err=True)
            self.last_item, self.last_time = item, now

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
        elif self.total:
            click.echo(f"{self.label}: {self.done:,}/{self.total:,}", err=True)
