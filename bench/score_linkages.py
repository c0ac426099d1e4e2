"""Score the linkage analyses against the generator's planted truth.

    python bench/score_linkages.py [--scales county,city] [--workdir .cache/bench]
                                   [--data DIR ...]

For each scale it uses /work/bench-data/<scale> when that folder holds READY,
else generates the dataset once into --workdir (seed 1, English headers);
--data scores given folders instead.  Everything is judged as of the
truth's ``as_of``.  Prints one markdown table: for each planted item, the
truth count, what the analysis found, true positives, precision and recall.

Items:
* overdue_leads          leads not closed by their due date (``overdue_close``)
* late_receipt_leads     leads received more than 7 days after transfer
* single_signature_leads leads lacking the 纪检监察室 or the 巡察组 signature
* lead_networks          planted groups; a planted group counts as found when
                         one found network holds all its leads (joins given by
                         --joins; precision: found networks holding a planted one)
* audit_only_findings    findings in inspected units no problem matches
                         (also scored with the unmatched findings of
                         uninspected units added: "+uninspected")
* corroborated           (finding, problem) pairs with the shipped rule (a finding
                         keeps its best match), the findings corroborated at all,
                         and the pairs with every match kept (best_only = false)
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = Path("/work/bench-data")


def dataset_folder(scale: str, workdir: Path) -> Path:
    shared = SHARED / scale
    if (shared / "READY").exists():
        return shared
    target = workdir / scale
    if not (target / "truth.json").exists():
        if scale == "province":
            raise SystemExit("province data: wait for /work/bench-data/province/READY")
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "linkgraph", "generate", str(target), "--scale",
                        scale, "--seed", "1", "--headers", "en"], cwd=ROOT, check=True)
        print(f"generated {scale} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return target


def ids(items, key: str) -> set:
    """Truth items may be plain ids or records holding ``key``."""
    return {x[key] if isinstance(x, dict) else x for x in items}


def score(name: str, truth: set, found: set) -> dict:
    tp = len(truth & found)
    return {"item": name, "truth": len(truth), "found": len(found), "tp": tp,
            "precision": tp / len(found) if found else float("nan"),
            "recall": tp / len(truth) if truth else float("nan"),
            "missed": sorted(truth - found)[:5], "extra": sorted(found - truth)[:5]}


def network_scores(truth_groups: list[set], found_groups: list[set], name: str) -> dict:
    holder = {}
    for i, g in enumerate(found_groups):
        for lead in g:
            holder[lead] = i
    hit_truth, hit_found = 0, set()
    for g in truth_groups:
        owners = {holder.get(lead) for lead in g}
        if len(owners) == 1 and None not in owners:
            hit_truth += 1
            hit_found |= owners
    exact = sum(1 for g in truth_groups if g in found_groups)
    return {"item": name, "truth": len(truth_groups), "found": len(found_groups),
            "tp": hit_truth, "precision": len(hit_found) / len(found_groups) if found_groups
            else float("nan"), "recall": hit_truth / len(truth_groups) if truth_groups
            else float("nan"), "missed": [f"exact {exact}"], "extra": []}


def score_folder(folder: Path, joins: list[tuple[str, ...]]) -> list[dict]:
    from linkgraph.analysis.audit import audit_report
    from linkgraph.analysis.lead_networks import lead_networks
    from linkgraph.analysis.leads import lead_lifecycle
    from linkgraph.dataset import load_dataset
    from linkgraph.rules import load_rules

    truth = json.loads((folder / "truth.json").read_text("utf-8"))
    as_of = truth["as_of"]
    rules = load_rules()
    tables = load_dataset(folder).tables
    life = lead_lifecycle(tables, rules, as_of)
    rows = [
        score("overdue_leads", ids(truth.get("overdue_leads", []), "lead_id"),
              set(life.loc[life["overdue_close"], "lead_id"])),
        score("late_receipt_leads", ids(truth.get("late_receipt_leads", []), "lead_id"),
              set(life.loc[life["receipt_late"], "lead_id"])),
        score("single_signature_leads", ids(truth.get("single_signature_leads", []), "lead_id"),
              set(life.loc[~life["dual_signed"], "lead_id"])),
    ]
    truth_groups = [set(g["lead_ids"]) for g in truth.get("lead_networks", [])]
    for j in joins:
        nets = lead_networks(tables, joins=j, as_of=as_of)
        rows.append(network_scores(truth_groups, [set(x) for x in nets["lead_ids"]],
                                   f"lead_networks ({'+'.join(j)})"))
    report = audit_report(tables, rules, as_of)
    planted = ids(truth.get("audit_only_findings", []), "finding_id")
    only = set(report.audit_only["finding_id"])
    rows.append(score("audit_only_findings", planted, only))
    uninspected = {f for ids_ in report.red_flag_units["finding_ids"] for f in ids_}
    rows.append(score("audit_only_findings +uninspected", planted, only | uninspected))
    pairs = {(x["finding_id"], x["problem_id"]) for x in truth.get("corroborated", [])}
    found = set(zip(report.corroborated["finding_id"], report.corroborated["problem_id"]))
    rows.append(score("corroborated pairs (best match)", pairs, found))
    rows.append(score("corroborated findings", {f for f, _ in pairs}, {f for f, _ in found}))
    every = load_rules_text("[audit]\nbest_only = false\n")
    report_all = audit_report(tables, every, as_of)
    rows.append(score("corroborated pairs (best_only = false)", pairs,
                      set(zip(report_all.corroborated["finding_id"],
                              report_all.corroborated["problem_id"]))))
    return rows


def load_rules_text(text: str):
    """The default rules overlaid with ``text`` (a TOML snippet)."""
    import tempfile

    from linkgraph.rules import load_rules

    with tempfile.NamedTemporaryFile("w", suffix=".toml", encoding="utf-8", delete=False) as f:
        f.write(text)
    try:
        return load_rules(f.name)
    finally:
        Path(f.name).unlink()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--scales", default="county,city")
    ap.add_argument("--workdir", default=str(ROOT / ".cache" / "bench"))
    ap.add_argument("--data", nargs="*", default=None, help="score these folders instead")
    ap.add_argument("--joins", default="person+tie,person+tie+unit",
                    help="lead-network join sets to score, comma-separated")
    args = ap.parse_args()
    joins = [tuple(j.split("+")) for j in args.joins.split(",")]
    folders = ([Path(d) for d in args.data] if args.data else
               [dataset_folder(s, Path(args.workdir)) for s in args.scales.split(",")])
    print("| data | item | truth | found | TP | precision | recall | missed (≤5) | extra (≤5) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for folder in folders:
        for r in score_folder(folder, joins):
            print(f"| {folder.name} | {r['item']} | {r['truth']} | {r['found']} | {r['tp']} |"
                  f" {r['precision']:.3f} | {r['recall']:.3f} | {', '.join(map(str, r['missed']))}"
                  f" | {', '.join(map(str, r['extra']))} |")


if __name__ == "__main__":
    main()
