"""``--realism high``: the generated dataset made to read like real ledgers.

The tidy generator gives one label per category, texts that never repeat,
relation words only from the vocabulary and no blank end dates.  Real
ledgers differ in each of these ways.  Each habit is one *transform*, a
module of this package: it takes the tidy ``Generated`` (tables, truth,
the Chinese words of closed columns) and returns it changed, truth
included — the truth of a realistic dataset comes from the law's
definitions and from what was planted, never from linkgraph's own rules.

Transforms run in the order of ``TRANSFORMS``, each with its own random
stream (``stream(seed, "realism/<name>")``), so adding one does not change
what the others do.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from loaders.generator.build import Generated

#: (name, transform): ``transform(gen) -> gen``; one line per habit.
TRANSFORMS: list[tuple[str, Callable[["Generated"], "Generated"]]] = []

REALISM = ("tidy", "high")


def apply_realism(gen: "Generated", realism: str) -> "Generated":
    """Apply every transform for ``realism="high"``; ``"tidy"`` returns ``gen``."""
    if realism not in REALISM:
        raise ValueError(f"realism must be one of {REALISM}, not {realism!r}")
    if realism == "tidy":
        return gen
    for _name, transform in TRANSFORMS:
        gen = transform(gen)
    gen.truth["realism"] = realism
    return gen
