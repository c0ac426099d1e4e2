"""Score ``linkgraph staff`` against the generator's planted truth.

    python bench/score_staff.py [--scale 250] [--seeds 1 2 3 4 5]

For each seed: generate, run ``staff`` on the cross round (a fresh process,
as a user would), and count the planted hard conflicts of the pool
(``truth.json["staffing"]["planted_hard"]``: officials of target units,
cadres seconded from one), how many the conflict engine flags (recall of
the staffing instance), and how many reach a roster (must be 0).  Prints a
markdown table; no asserts.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def score(scale: str, seed: int) -> str:
    from linkgraph.dataset import load_dataset
    from linkgraph.staffing.plan import round_targets
    from linkgraph.staffing.problem import build_problem, team_slots
    from linkgraph.staffing.rules import load_staffing_rules

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1]), "LINKGRAPH_CACHE": "off"}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        subprocess.run([sys.executable, "-m", "linkgraph", "generate", str(data), "--scale",
                        scale, "--seed", str(seed)], env=env, check=True, capture_output=True)
        truth = json.loads((data / "truth.json").read_text("utf-8"))["staffing"]
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "linkgraph", "staff", str(data), "--round",
                               truth["round_id"], "--format", "json"], env=env,
                              capture_output=True, text=True)
        took = time.perf_counter() - started
        if done.returncode:
            return f"| {seed} | — | — | — | — | exit {done.returncode}: {done.stderr[-120:]} |"
        doc = json.loads(done.stdout)
        tables = load_dataset(data).tables
        pairs, names = round_targets(tables, truth["round_id"])
        rules = load_staffing_rules()
        prob = build_problem(tables, truth["round_id"], team_slots(tables, pairs, rules, names),
                             rules)
    index = {p.person_id: k for k, p in enumerate(prob.persons)}
    team_of = {m["person_id"]: m["team_id"] for m in doc["members"]}
    planted = truth["planted_hard"]
    flagged = sum(all((index[d["person_id"]], t) in prob.hard
                      for t, team in enumerate(prob.teams) if d["unit_id"] in team.unit_ids)
                  for d in planted)
    reached = sum(team_of.get(d["person_id"]) is not None
                  and d["unit_id"] in pairs[team_of[d["person_id"]]] for d in planted)
    return (f"| {seed} | {len(pairs)} | {len(prob.persons)} | {len(planted)} | "
            f"{flagged}/{len(planted)} | {reached} | {'yes' if doc['optimal'] else 'no'} | "
            f"{took:.1f} | {os.getloadavg()[0]:.1f} |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", default="250")
    ap.add_argument("--seeds", nargs="*", type=int, default=[1, 2, 3, 4, 5])
    a = ap.parse_args()
    print("| seed | teams | pool | planted hard | flagged by the engine | in a roster | optimal "
          "| staff s | load avg |")
    print("|---:|---:|---:|---:|---:|---:|---|---:|---:|")
    for seed in a.seeds:
        print(score(a.scale, seed), flush=True)


if __name__ == "__main__":
    main()
