"""Synthetic ledgers with a planted truth, from a county to a province.

    from loaders.generator import generate, write_dataset, SCALES
    gen = generate("city", seed=0)
    write_dataset(gen, "out/", fmt="csv", encoding="gb18030", headers="zh", messy=True)

``gen.tables`` are the canonical tables of the data contract; ``gen.truth``
is what the analyses are scored against (see ``truth.py`` for its exact
definitions); the files hold the same data in any format, encoding, header
language or messiness.
"""
from __future__ import annotations

from loaders.generator.build import Generated, generate
from loaders.generator.presets import SCALES, Preset
from loaders.generator.writer import write_dataset

__all__ = ["Generated", "Preset", "SCALES", "generate", "write_dataset"]
