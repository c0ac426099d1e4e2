"""Planner-facing conflict figures for ``score_analyses.py`` (issue 15).

* the share of all member × unit pairs of the round that carry any soft hint
  (``conflicts --hints``; goal ≤ 10 % on realistic data), and how many of the
  hinted pairs the truth lists as soft (soft-hint precision, goal ≥ 90 %);
* the relation words: for every tie the truth judges by the law
  (``truth["ties_law"]``, written by ``--realism high`` from its own kinship
  table), whether the loader's kinship grammar gives the same legal degree;
* the planted two-tie chains (``truth["kin_chains"]``): hard ones reported
  hard, the ones the law does not name not reported hard.
"""
from __future__ import annotations

from collections import Counter

#: the truth's degree names → linkgraph.kinship.Degree values
_DEGREE = {"夫妻": "spouse", "直系血亲": "lineal", "三代以内旁系血亲": "collateral",
           "近姻亲": "in_law", None: "distant", "": "distant"}


def score_planner(dataset, conflicts, truth: dict) -> dict:
    from linkgraph.analysis.conflicts import hint_share, soft_hints
    from linkgraph.analysis.conflicts.index import round_context
    from linkgraph.analysis.conflicts.rules import conflict_rules
    from linkgraph.rules import load_rules

    crules = conflict_rules(load_rules())
    hints = soft_hints(conflicts, crules.soft_cap)
    ctx = round_context(dataset.tables, truth["conflict_round_id"])
    members = ctx.members.groupby("team_id").size().to_dict()
    soft_truth = {(t["team_id"], t["person_id"], t["unit_id"])
                  for t in truth.get("soft_conflicts", [])}
    hinted = {(h.team_id, h.person_id, h.unit_id) for h in hints}
    hard = {(c.team_id, c.person_id, c.unit_id) for c in conflicts if c.level == "hard"}
    chains = truth.get("kin_chains", [])
    chain_key = [(c["team_id"], c["person_id"], c["unit_id"]) for c in chains]
    return {"pairs": sum(members.values()) * len(ctx.units), "hinted": len(hints),
            "hint_share": hint_share(hints, members, len(ctx.units)),
            "hint_precision": len(hinted & soft_truth) / len(hinted) if hinted else 1.0,
            "words": _words(dataset, truth.get("ties_law", [])),
            "hard_chains": len([c for c in chains if c["hard"]]),
            "hard_chains_found": sum(1 for c, k in zip(chains, chain_key)
                                     if c["hard"] and k in hard),
            "soft_chains": len([c for c in chains if not c["hard"]]),
            "soft_chains_hard": sum(1 for c, k in zip(chains, chain_key)
                                    if not c["hard"] and k in hard)}


def _words(dataset, ties_law: list[dict]) -> dict:
    """How many tie words the grammar puts in the law's degree, per degree."""
    from linkgraph.kinship import decode, degree

    if not ties_law:
        return {}
    ties = dataset.tables["ties"]
    paths = dict(zip(zip(ties["person_a"], ties["person_b"]), ties.get("kinship", [])))
    total, agree, wrong = Counter(), Counter(), Counter()
    for t in ties_law:
        want = _DEGREE.get(t.get("degree"), "distant")
        cell = paths.get((t["person_a"], t["person_b"]))
        path = decode(cell, t["word"]) if isinstance(cell, str) and cell else None
        got = degree(path).value if path else "not kin"
        total[want] += 1
        if got == want:
            agree[want] += 1
        else:
            wrong[(t["word"], want, got)] += 1
    return {"total": sum(total.values()), "agree": sum(agree.values()),
            "by_degree": {d: f"{agree[d]}/{n}" for d, n in sorted(total.items())},
            "disagreements": [f"{w}: law {a}, read {b} ×{n}"
                              for (w, a, b), n in wrong.most_common(8)]}


def planner_rows(p: dict) -> list[str]:
    """Markdown table rows (same columns as score_analyses.report)."""
    def pct(x):
        return (f"{100 * x:.1f} %")
    rows = [(f"| | pairs with any soft hint (--hints) | {pct(p['hint_share'])} "
             f"({p['hinted']}/{p['pairs']}) | ≤ 10 % |"),
            (f"| | soft-hint precision (hinted pairs the truth lists) | "
             f"{pct(p['hint_precision'])} | ≥ 90 % |"),
            (f"| | hard two-tie kinship chains reported hard | "
             f"{p['hard_chains_found']}/{p['hard_chains']} | all |"),
            (f"| | chains the law does not name reported hard | "
             f"{p['soft_chains_hard']}/{p['soft_chains']} | 0 |")]
    w = p.get("words")
    if w:
        rows.append(f"| | relation words read in the law's degree | "
                    f"{pct(w['agree'] / w['total'])} ({w['agree']}/{w['total']}) | 100 % |")
    return rows


def planner_notes(p: dict) -> list[str]:
    w = p.get("words") or {}
    if not w:
        return []
    return [f"relation words by degree: {w['by_degree']}",
            f"relation word disagreements: {w['disagreements'] or 'none'}"]
