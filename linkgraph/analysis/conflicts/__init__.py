"""Acquaintance-society conflicts (熟人社会 / 回避) between inspectors and the
units they inspect.

``index`` builds the compact index of people, units, ties and posts;
``rules`` holds the vectorised detectors (and parses ``[conflicts]``);
``derived`` the soft conflicts derived from the data; ``text`` the wording;
``find`` runs them for a round (see its docstring).
"""
from linkgraph.analysis.conflicts.find import (LEVEL_ZH, Conflict, ConflictCosts, conflict_costs,
                                               conflict_frame, find_conflicts)

__all__ = ["LEVEL_ZH", "Conflict", "ConflictCosts", "conflict_costs", "conflict_frame",
           "find_conflicts"]
