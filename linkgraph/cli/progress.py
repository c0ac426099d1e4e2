"""Numbered steps on stderr with their times: what a long command is doing.

Each step prints a line when it starts and one when it ends, so a user
watching a terminal (or a log) sees where a minute-long command stands;
the loader's row bar (``StderrProgress``) shows inside a step on a terminal.
"""
from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import click


class Steps:
    """``with steps("读取 / load"): ...`` — one numbered, timed step."""

    def __init__(self, total: int):
        self.total = total
        self.number = 0
        self.timings: list[tuple[str, float]] = []

    @contextmanager
    def __call__(self, label: str) -> Iterator[None]:
        self.number += 1
        tag = f"[{self.number}/{max(self.total, self.number)}]"
        click.echo(f"{tag} {label} …", err=True)
        start = time.perf_counter()
        yield
        seconds = time.perf_counter() - start
        self.timings.append((label, seconds))
        click.echo(f"{tag} 完成 / done: {label}（{seconds:.1f} s）", err=True)

    def add(self, label: str, seconds: float) -> None:
        """A step timed elsewhere (e.g. each view the report writes)."""
        self.timings.append((label, seconds))
        click.echo(f"    {label}: {seconds:.1f} s", err=True)

    @property
    def seconds(self) -> float:
        return sum(s for _, s in self.timings)
