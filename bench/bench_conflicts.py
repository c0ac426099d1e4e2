"""Conflicts for every candidate of a round: the compact index against a
networkx shortest-path call per (person, unit) pair, on the same data, in
one run.

    python bench/bench_conflicts.py DATA [--round R] [--sample 20000] [--seed 0]

* compact: ``find_conflicts(candidates=True)`` (the round's reachable part of
  the data indexed, every rule, explanations and paths), and the tie reach
  alone (1 and 2 hops from all members at once, indexing included);
* networkx: a ``networkx.Graph`` of people and units (every tie; every post
  held in a round unit during the round), then ``nx.shortest_path`` for each
  (member, unit of the round) pair, a conflict being a path of ≤ 3 edges
  (person–unit, person–tie–official, person–tie–tie–official).  When there
  are more pairs than --sample, a seeded random sample is timed and the
  total extrapolated (said so in the table);
* for reference, the fairer networkx use: one BFS with cutoff 3 per member.

Both answers are compared on the timed pairs (they must agree), and the
ratios printed.  Whole-process figures: load time and peak RSS too.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import time
from pathlib import Path

import numpy as np


def _round(dataset, data: Path, wanted: str | None) -> str:
    if wanted:
        return wanted
    truth = data / "truth.json"
    if truth.exists():
        return json.loads(truth.read_text("utf-8"))["conflict_round_id"]
    teams = dataset.tables["teams"]
    return teams["round_id"].value_counts().sort_index().idxmax()


def compact_reach(tables, round_id: str) -> tuple[set, float]:
    """(member, unit) pairs joined by ties within two hops, or the member
    being an official of the unit; and the time it took (index included)."""
    from linkgraph.analysis.conflicts import rules as cr
    from linkgraph.analysis.conflicts.index import build_index, round_context, round_tables
    from linkgraph.rules import load_rules

    t = time.perf_counter()
    ctx = round_context(tables, round_id)
    index = build_index(round_tables(tables, ctx, 2))
    codes = index.person_codes(ctx.members["person_id"])
    inspectors = np.unique(codes[codes >= 0])
    offs = cr.officials(index, ctx)
    ev = cr.tie_evidence(index, inspectors, offs, cr.conflict_rules(load_rules()))
    own = offs[offs["official"].isin(inspectors)]
    pairs = set(zip(ev["person"].tolist(), ev["unit"].tolist()))
    pairs |= set(zip(own["official"].tolist(), own["unit"].tolist()))
    elapsed = time.perf_counter() - t
    pid, uid = index.people.to_numpy(object), index.units.to_numpy(object)
    return {(pid[p], uid[u]) for p, u in pairs}, elapsed


def nx_graph(tables, round_id: str):
    import networkx as nx

    from linkgraph.analysis.conflicts.index import round_context

    ctx = round_context(tables, round_id)
    posts = tables["posts"]
    active = (posts["unit_id"].isin(ctx.units["unit_id"])
              & (posts["start"].isna() | (posts["start"] <= ctx.end))
              & (posts["end"].isna() | (posts["end"] >= ctx.start)))
    G = nx.Graph()
    ties = tables["ties"]
    G.add_edges_from(zip("Person:" + ties["person_a"].astype(str),
                         "Person:" + ties["person_b"].astype(str)))
    held = posts[active]
    G.add_edges_from(zip("Person:" + held["person_id"].astype(str),
                         "Unit:" + held["unit_id"].astype(str)))
    members = sorted(set(ctx.members["person_id"]))
    return G, members, list(ctx.units["unit_id"])


def nx_pairs(G, pairs: list[tuple[str, str]]) -> set:
    import networkx as nx

    found = set()
    for person, unit in pairs:
        try:
            path = nx.shortest_path(G, f"Person:{person}", f"Unit:{unit}")
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            continue
        if len(path) - 1 <= 3:
            found.add((person, unit))
    return found


def nx_per_person(G, members: list[str], units: set[str]) -> set:
    import networkx as nx

    found = set()
    for person in members:
        node = f"Person:{person}"
        if node not in G:
            continue
        for other in nx.single_source_shortest_path_length(G, node, cutoff=3):
            if other.startswith("Unit:") and other[5:] in units:
                found.add((person, other[5:]))
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("--round", dest="round_id")
    ap.add_argument("--sample", type=int, default=20000,
                    help="time networkx on at most this many pairs (extrapolate the rest)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    from linkgraph.analysis.conflicts import find_conflicts
    from linkgraph.dataset import load_dataset

    t = time.perf_counter()
    dataset = load_dataset(args.data)
    load_s = time.perf_counter() - t
    tables = dataset.tables
    round_id = _round(dataset, args.data, args.round_id)

    t = time.perf_counter()
    conflicts = find_conflicts(tables, round_id, candidates=True)
    full_s = time.perf_counter() - t
    reach, reach_s = compact_reach(tables, round_id)

    t = time.perf_counter()
    G, members, units = nx_graph(tables, round_id)
    build_s = time.perf_counter() - t
    pairs = [(p, u) for p in members for u in units]
    timed = pairs if len(pairs) <= args.sample else random.Random(args.seed).sample(pairs,
                                                                                   args.sample)
    t = time.perf_counter()
    nx_found = nx_pairs(G, timed)
    pair_s = time.perf_counter() - t
    pair_total = pair_s * len(pairs) / len(timed)
    t = time.perf_counter()
    bfs_found = nx_per_person(G, members, set(units))
    bfs_s = time.perf_counter() - t

    timed_set = set(timed)
    agree = nx_found == (reach & timed_set)
    agree_bfs = bfs_found == reach
    n_teams = dataset.tables["teams"]["round_id"].eq(round_id).sum()
    extrapolated = "" if len(timed) == len(pairs) else f" (timed {len(timed)}, extrapolated)"
    print(f"### conflicts for all candidates — {args.data}, round {round_id}: {n_teams} teams, "
          f"{len(members)} members × {len(units)} units = {len(pairs)} pairs\n")
    print("| method | seconds | notes |\n|---|---|---|")
    print(f"| compact index: find_conflicts --candidates (all rules, text, paths) | {full_s:.2f} "
          f"| {len(conflicts)} conflicts |")
    print(f"| compact index: tie reach ≤ 2 hops, all members at once (index included) | "
          f"{reach_s:.2f} | {len(reach)} pairs reached |")
    print(f"| networkx: build Graph (ties + posts in round units) | {build_s:.2f} | "
          f"{G.number_of_nodes()} nodes, {G.number_of_edges()} edges |")
    print(f"| networkx: shortest_path per (person, unit) pair | {pair_total:.2f} | "
          f"{1e6 * pair_s / max(len(timed), 1):.0f} µs/pair{extrapolated} |")
    print(f"| networkx: BFS cutoff 3 per member (reference) | {bfs_s:.2f} | |")
    print()
    print(f"ratio, networkx per pair ÷ compact find_conflicts (all rules): "
          f"{pair_total / full_s:.1f}×")
    print(f"ratio, networkx per pair (+ graph build) ÷ compact reach: "
          f"{(pair_total + build_s) / reach_s:.1f}×; without build: {pair_total / reach_s:.1f}×")
    print(f"ratio, networkx BFS per member (+ build) ÷ compact reach: "
          f"{(bfs_s + build_s) / reach_s:.1f}×")
    print(f"answers agree on the timed pairs: {agree}; BFS reference agrees: {agree_bfs}")
    print(f"load {load_s:.1f} s; peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
