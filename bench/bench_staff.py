"""The staffing model (``linkgraph staff``) at city and province size.

    python bench/bench_staff.py [--sizes 10:200 50:1000] [--time-limit 60]
                                [--solvers cp-sat milp] [--data DIR ...]

Instances (seed 0) are drawn at the model level, like the generator's pools:
of P people 8 % in the 组长库, 12 % 副组长库, 70 % 成员库, 5 % 联络员库, 5 % 专家库;
one or two specialty tags each (纪检 and 组织 among them); 0–5 rounds served,
15 % new; each person hard-conflicted with 5 % of the teams, 10 % of the
person × team pairs with a soft score of 0.5–6; each team needs one to three
specialties; the shipped staffing rules (teams of 5–7).  Each case runs in a
fresh process: seconds (encode, greedy start and solve), the whole process
(start-up and drawing the instance included), proven optimal, the gap and
the bound behind it, peak memory.
The baseline, measured in the same run, is HiGHS's LP relaxation of the same
model (the bound any exact solver must close).  With --data, ``linkgraph
staff DATA`` end to end in a fresh process (load, conflict engine, solve).
The issue's goals: 10 teams / 200 people proven optimal in ≤ 10 s; 170 teams
/ 3,000 people within 2 % in ≤ 60 s.  Prints markdown tables; no asserts.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

TAGS = ("纪检", "组织", "财务", "审计", "工程", "法律", "三资", "规划")
TAG_P = (0.18, 0.18, 0.16, 0.12, 0.12, 0.1, 0.1, 0.04)
KINDS = ("leader", "deputy", "member", "liaison", "expert")
KIND_P = (0.08, 0.12, 0.7, 0.05, 0.05)


def instance(n_teams: int, n_people: int, seed: int = 0, pool: str = "random"):
    from linkgraph.analysis.conflicts import Conflict
    from linkgraph.staffing.problem import Person, StaffProblem, TeamSlot
    from linkgraph.staffing.rules import load_staffing_rules

    rng = np.random.default_rng(seed)
    rules = load_staffing_rules()
    persons = []
    for k in range(n_people):
        tags = frozenset(rng.choice(TAGS, size=int(rng.integers(1, 3)), p=TAG_P, replace=False))
        served = int(rng.integers(0, 6))
        new = served == 0 or rng.random() < 0.05
        last = int(rng.integers(1, 4)) if served and rng.random() < 0.5 else None
        recent = rules.recent_round * (rules.recent_window - last + 1) if last else 0
        persons.append(Person(f"P{k:05d}", f"人{k}", frozenset({str(rng.choice(KINDS, p=KIND_P))}),
                              tags, None, served, 0, new, not new and served >= 2, recent, last))
    teams = tuple(TeamSlot(f"T{t:03d}", f"第{t}组", (f"U{t}",),
                           {str(s): (f"U{t}",) for s in rng.choice(TAGS[2:], size=int(
                               rng.integers(1, 4)), replace=False)}) for t in range(n_teams))
    c = Conflict("R", "", "", "", "", "", "", "", None, "hard", "spouse", "夫妻", 1, 100.0, (),
                 "")
    if pool == "random":    # a stress case: few people alike
        hard = {(p, t): c for p in range(n_people) for t in np.flatnonzero(
            rng.random(n_teams) < 0.05).tolist()}
        soft = {(p, t): float(rng.uniform(0.5, 6)) for p in range(n_people)
                for t in np.flatnonzero(rng.random(n_teams) < 0.1).tolist()}
    else:                   # as the generator's pools: 20 % barred from the team of
        # their own unit, 2 % a soft tie (score 1–3) towards one team
        hard = {(p, int(rng.integers(n_teams))): c for p in range(n_people)
                if rng.random() < 0.2}
        soft = {(p, int(rng.integers(n_teams))): float(rng.integers(1, 4))
                for p in range(n_people) if rng.random() < 0.02}
    return StaffProblem("R", tuple(persons), teams, replace(rules), hard, soft, {})


def one(n_teams: int, n_people: int, solver: str, time_limit: float, pool: str = "random",
        merged: bool = False) -> dict:
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    from linkgraph.staffing.classes import merged_hint, merged_model
    from linkgraph.staffing.greedy import greedy_roster
    from linkgraph.staffing.model import encode
    from linkgraph.staffing.solvers import SOLVERS

    prob = instance(n_teams, n_people, pool=pool)
    started = time.perf_counter()
    mm = merged_model(prob) if merged else None
    model = mm.model if mm is not None else encode(prob)
    if solver == "lp":
        rows = [r for r in model.rows if r.idx]
        ii = [q for q, r in enumerate(rows) for _ in r.idx]
        jj = [k for r in rows for k in r.idx]
        vv = [c for r in rows for c in r.coef]
        a = coo_matrix((vv, (ii, jj)), shape=(len(rows), model.n)).tocsr()
        res = milp(model.cost.astype(float), constraints=[LinearConstraint(
            a, [r.lb for r in rows], [r.ub for r in rows])], bounds=Bounds(0, model.upper))
        took = time.perf_counter() - started
        return {"seconds": took, "optimal": "—", "gap": "—", "vars": model.n, "cpu": _cpu(),
                "objective": None if res.fun is None else res.fun + model.constant,
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    if solver in ("cp-sat", "auto", "pricing"):   # as staff_teams runs it: from the greedy roster
        from linkgraph.staffing.greedy import greedy_values

        hint = merged_hint(prob, mm, greedy_roster(prob)) if mm is not None else \
            greedy_values(prob, model)
        sol = SOLVERS[solver](model, time_limit=time_limit, seed=0, workers=1, hint=hint)
    else:
        sol = SOLVERS[solver](model, time_limit=time_limit, seed=0, workers=1)
    took = time.perf_counter() - started
    return {"seconds": took, "optimal": "yes" if sol and sol.optimal else "no",
            "gap": f"{sol.gap:.2%}" if sol else "infeasible", "vars": model.n,
            "solver": sol.solver if sol else "—", "cpu": _cpu(),
            "objective": sol.cost if sol else None,
            "bound": f"{sol.bound:.0f}" if sol and np.isfinite(sol.bound) else "—",
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _cpu() -> float:
    """CPU seconds of this process so far (user + system): on a shared
    machine, what the work cost apart from waiting for a core."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _child(args: list[str]) -> dict:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--one", *args[:4], "--pool", args[4],
                           *(["--merged"] if args[5] == "merged" else [])], capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])})
    if done.returncode:
        return {"seconds": float("nan"), "optimal": f"error: {done.stderr[-200:]}", "gap": "—",
                "vars": 0, "objective": None, "peak_mb": float("nan"),
                "process": time.perf_counter() - started}
    return {**json.loads(done.stdout.strip().splitlines()[-1]),
            "process": time.perf_counter() - started}


def bench_model(sizes: list[str], solvers: list[str], time_limit: float, pool: str,
                models: list[str], baseline: bool = True) -> list[str]:
    rows = [f"pool: {pool}", "",
            "| teams | pool | model | solver | variables | seconds | process s | CPU s | "
            "÷ LP baseline | optimal | gap | answered by | objective | bound | peak MB | "
            "load avg |",
            "|---:|---:|---|---|---:|---:|---:|---:|---:|---|---:|---|---:|---:|---:|---:|"]
    for size in sizes:
        teams, people = (int(v) for v in size.split(":"))
        # the baseline: the LP relaxation of the first model named
        base = _child([str(teams), str(people), "lp", str(time_limit), pool, models[0]]) \
            if baseline else {"seconds": float("nan")}
        for kind in models:
            for solver in ["lp", *solvers] if baseline else solvers:
                if solver == "lp" and kind == models[0]:
                    r = base
                else:
                    r = _child([str(teams), str(people), solver, str(time_limit), pool, kind])
                ratio = r["seconds"] / base["seconds"] if base["seconds"] else float("nan")
                obj = "—" if r["objective"] is None else f"{r['objective']:.0f}"
                rows.append(f"| {teams} | {people} | {kind} | "
                            f"{'LP relaxation' if solver == 'lp' else solver} | {r['vars']} | "
                            f"{r['seconds']:.2f} | {r.get('process', float('nan')):.2f} | "
                            f"{r.get('cpu', float('nan')):.1f} | "
                            f"{ratio:.1f} | {r['optimal']} | {r['gap']} | "
                            f"{r.get('solver', '—')} | {obj} | {r.get('bound', '—')} | "
                            f"{r['peak_mb']:.0f} | "
                            f"{os.getloadavg()[0]:.1f} |")
                print(rows[-1], file=sys.stderr, flush=True)
    return rows


def bench_command(data: list[str]) -> list[str]:
    rows = ["| DATA | command | seconds | CPU s | ÷ validate | exit | load avg |",
            "|---|---|---:|---:|---:|---:|---:|"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1]), "LINKGRAPH_CACHE": "off"}
    for folder in data:
        times = {}
        for name, argv in (("validate", ["validate", folder]),
                           ("staff", ["staff", folder, "--format", "json", "--out",
                                      os.devnull])):
            started = time.perf_counter()
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            done = subprocess.run([sys.executable, "-m", "linkgraph", *argv], env=env,
                                  capture_output=True, text=True)
            times[name] = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
            rows.append(f"| {folder} | {name} | {times[name]:.1f} | {cpu:.1f} | "
                        f"{times[name] / times['validate']:.2f} | {done.returncode} | "
                        f"{os.getloadavg()[0]:.1f} |")
            print(rows[-1], file=sys.stderr, flush=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--one", nargs=4, metavar=("TEAMS", "POOL", "SOLVER", "LIMIT"))
    ap.add_argument("--sizes", nargs="*", default=["10:200", "50:1000"])
    ap.add_argument("--solvers", nargs="*", default=["auto", "pricing", "cp-sat", "milp"])
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--data", nargs="*", default=[])
    ap.add_argument("--pool", choices=["random", "realistic"], default="realistic",
                    help="random: 5 %% of person × team pairs barred, 10 %% soft (few alike); "
                         "realistic: 20 %% of people barred from one team, 2 %% one soft tie")
    ap.add_argument("--models", nargs="*", default=["merged", "person"])
    ap.add_argument("--merged", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--no-baseline", action="store_true",
                    help="skip the LP relaxation (it alone takes minutes at province size)")
    a = ap.parse_args()
    if a.one:
        print(json.dumps(one(int(a.one[0]), int(a.one[1]), a.one[2], float(a.one[3]),
                             a.pool, a.merged)))
        return
    print(f"load average at start: {os.getloadavg()}")
    print("\n".join(bench_model(a.sizes, a.solvers, a.time_limit, a.pool, a.models,
                                 not a.no_baseline)))
    if a.data:
        print()
        print("\n".join(bench_command(a.data)))


if __name__ == "__main__":
    main()
