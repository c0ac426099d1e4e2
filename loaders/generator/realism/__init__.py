"""``--realism high``: the generated dataset made to read like real ledgers.

The tidy generator gives one label per category, texts that never repeat,
relation words only from the vocabulary and no blank end dates.  Real
ledgers differ in each of these ways.  Each habit is one *transform*, a
module of this package: it takes the tidy ``Generated`` (tables, truth,
the Chinese words of closed columns) and returns it changed, truth
included — the truth of a realistic dataset comes from the law's
definitions and from what was planted, never from linkgraph's own rules.

Transforms run in the order of ``_transforms()``, each with its own random
stream (``stream(seed, "realism/<name>")``), so adding one does not change
what the others do.  ``finish.refresh_truth`` then recomputes the truth that
depends on the changed tables (conflicts, audits, counts).

The truth a ``high`` dataset adds (``truth.json``; all ids are the tables' ids)
-----------------------------------------------------------------------------
``realism``: ``"high"``.

``ties_law`` — one row per tie whose relation is kinship (every kin tie of the
    ties table): ``{person_a, person_b, word, path, degree, hard}``.  The word
    is written in the ledger's 关系 column and reads "person_b is person_a's
    <word>" (表哥: b is a's 表哥).  ``path`` is the kinship path in the law's
    words (``父母的兄弟姐妹的子女``); ``degree`` is 夫妻 / 直系血亲 / 三代以内旁系血亲 /
    近姻亲 or null (kin the law does not name, e.g. 表侄, 舅爷, 姐夫的父亲), computed
    by ``kinlaw.degree`` from 公务员法 第七十四条 and 《公务员回避规定》; ``hard`` is
    ``degree is not null``.  The ties table's canonical ``relation`` follows
    the degree (spouse / parent_child / collateral / in_law, ``other`` for kin
    the law does not name, classmate/colleague/… for non-kin words such as 大学同学).
``kin_chains`` — planted two-tie chains member → X → official:
    ``{team_id, person_id, via, official, unit_id, words: [w1, w2], path,
    degree, hard}`` (表哥 then 妻子 = 父母的兄弟姐妹的子女的配偶 = 近姻亲, hard;
    姐夫 then 父亲 = null, not hard).  A hard chain is also a row of
    ``hard_conflicts`` with ``rule`` the degree's relation (``in_law`` …).
``hard_conflicts`` / ``soft_conflicts`` — recomputed as in ``truth.py`` over the
    cross round, kinship by the legal degree above (direct ties and
    ``kin_chains``), posts with their *true* end dates (see ``blank_end_posts``).
``hard_decoys`` — the tidy decoys plus ``why`` = ``"kin the law does not name
    (<word>)"``, ``"chain the law does not name (<w1>的<w2>)"`` and ``"blank end
    date, later post elsewhere"``: pairs that must not be hard.
``blank_end_posts`` — ``{person_id, unit_id, start, true_end, next_unit_id,
    next_start}``: posts whose end is blank in the ledger although the person
    took a post elsewhere on ``next_start``; the true end is the day before.
``category_labels`` — ``{written label: canonical category}`` for every label in
    ``problems.category`` (teams word one category differently: 违反中央八项规定精神
    / 八项规定 / 作风问题 …); ``category_focus`` ``{canonical: 四个聚焦 area}``.
    ``clusters[*].category`` stays canonical.
``category_mix`` — ``{category: [unit kinds it occurs in]}`` for categories
    that depend on the unit kind (三资 only in 村/社区).
``near_duplicates`` — the near-duplicate plantings, rewritten so they share the
    meaning but few phrases: ``{phrase, category, unit_ids, problem_ids}``
    (the same problems as the ``near_duplicate`` rows of ``clusters``).
``boilerplate`` — ``{openers: [...], decoy: {text, unit_ids, problem_ids}}``:
    the stock 四个聚焦 openings that open long texts in every unit, and the decoy
    stock sentence planted in most units; neither is ever a cluster.
``units_without_problems`` — inspected units (in ``assignments``) left with no
    problem.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from loaders.generator.build import Generated

def _transforms() -> list[tuple[str, Callable[[Generated], Generated]]]:
    """(name, transform): ``transform(gen) -> gen``; one line per habit, in order."""
    from loaders.generator.realism import texts
    from loaders.generator.realism.kinship import realistic_kinship
    from loaders.generator.realism.posts import blank_end_dates

    return [
        ("kinship", realistic_kinship),
        ("blank_ends", blank_end_dates),
        ("empty_units", texts.units_without_problems),
        ("category_mix", texts.category_mix),
        ("long_texts", texts.long_texts),
        ("near_duplicates", texts.near_duplicates),
        ("decoy", texts.decoy_sentence),
        ("labels", texts.team_labels),
    ]

REALISM = ("tidy", "high")


def apply_realism(gen: Generated, realism: str) -> Generated:
    """Apply every transform for ``realism="high"``; ``"tidy"`` returns ``gen``."""
    if realism not in REALISM:
        raise ValueError(f"realism must be one of {REALISM}, not {realism!r}")
    if realism == "tidy":
        return gen
    from loaders.generator.realism.finish import refresh_truth

    for _name, transform in _transforms():
        gen = transform(gen)
    gen.truth["realism"] = realism
    return refresh_truth(gen)
