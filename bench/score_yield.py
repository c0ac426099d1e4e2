"""Is the planted cross-round yield effect recovered within its confidence interval?

    python bench/score_yield.py [--scale city] [--seeds 1,2,3,4,5]

For each seed: generate (in memory), run ``yield_by_kind`` and check that the
planted ratios of ``truth.yield`` (problems and leads per unit, cross ÷
ordinary rounds) lie in the 95 % intervals.  Prints a markdown table and the
share of intervals that cover the planted value (≈ 95 % expected; the
cluster plants add a few problems to every round kind, which pulls the
problems ratio slightly below the planted one).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from linkgraph.analysis.yields import yield_by_kind
    from loaders.generator.build import generate

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--scale", default="city")
    ap.add_argument("--seeds", default="1,2,3,4,5")
    args = ap.parse_args()
    print("| scale | seed | figure | planted | found | 95 % CI | p | covered |")
    print("|---|---|---|---|---|---|---|---|")
    hits = total = 0
    for seed in (int(s) for s in args.seeds.split(",")):
        gen = generate(args.scale, seed=seed)
        planted = gen.truth["yield"]
        y = yield_by_kind(gen.tables)
        y = y[y["kind_a"] == planted["kind"]]
        for r in y.itertuples():
            want = planted[r.figure]
            ok = r.ci_low is not None and r.ci_low <= want <= r.ci_high
            hits, total = hits + ok, total + 1
            print(f"| {args.scale} | {seed} | {r.figure} | {want} | {r.ratio} | "
                  f"{r.ci_low}–{r.ci_high} | {r.p_value} | {'yes' if ok else 'no'} |")
    print(f"\ncovered {hits}/{total}; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
