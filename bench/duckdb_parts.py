"""The relational parts of two analyses as SQL on DuckDB over the Parquet
cache, against the pandas code on the same dataset: the first step of the
path beyond one machine (README, "Beyond one machine").

    python bench/duckdb_parts.py --data /tmp/city          # a generated dataset
    python bench/duckdb_parts.py --data DIR --as-of 2026-06-30 --repeat 3

* **coverage** (届内全覆盖): which units the term's rounds inspected and when
  first — assignments, else problems, of the term's rounds, joined to the
  rounds' start and grouped per unit (``analysis.coverage.coverage``);
* **rectification** (整改): every measure joined to its problem and round,
  its due date (the ledger's, else the feedback date + N months), completed
  and overdue, and per unit the problems and rectified problems
  (``analysis.rectification.rectification_state``).

The term's round ids are chosen in Python (``coverage.term_rounds``, a rule
over a few rows of ``rounds``) and passed to the SQL as a parameter.  Checks
that DuckDB gives the same answer as pandas for every unit and measure, and
prints a markdown table of the in-process times (median of ``--repeat``),
with the load average.  Exits 1 when the answers differ.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import ROOT, load_average  # noqa: E402

sys.path.insert(0, str(ROOT))

COVERAGE_SQL = """
WITH a AS (SELECT unit_id, round_id, team_id FROM read_parquet($assignments)
           WHERE list_contains($rounds, round_id)),
     p AS (SELECT DISTINCT unit_id, round_id FROM read_parquet($problems) q
           WHERE list_contains($rounds, round_id)
             AND NOT EXISTS (SELECT 1 FROM a WHERE a.unit_id = q.unit_id)),
     seen AS (SELECT unit_id, round_id FROM a UNION ALL SELECT unit_id, round_id FROM p),
     s AS (SELECT seen.unit_id, seen.round_id, r.start
           FROM seen LEFT JOIN read_parquet($rounds_file) r USING (round_id))
SELECT u.unit_id, count(s.round_id) > 0 AS inspected, min(s.start) AS first_inspection,
       count(DISTINCT s.round_id) AS rounds
FROM read_parquet($units) u LEFT JOIN s USING (unit_id)
GROUP BY u.unit_id ORDER BY u.unit_id
"""

RECTIFICATION_SQL = """
WITH p AS (SELECT q.problem_id, q.unit_id, q.immediate,
                  coalesce(r."end", q.found_date) AS feedback
           FROM read_parquet($problems) q LEFT JOIN read_parquet($rounds_file) r USING (round_id)
           WHERE NOT (q.found_date > $as_of) OR q.found_date IS NULL),
     m AS (SELECT m.measure_id, p.problem_id, p.unit_id,
                  coalesce(m.due_date, p.feedback + to_months($months)) AS due,
                  coalesce((m.status IN ('done', 'closed')
                            AND (m.completed_date IS NULL OR NOT m.completed_date > $as_of))
                           OR (m.status = 'ongoing' AND $ongoing), false) AS completed
           FROM read_parquet($measures) m JOIN p USING (problem_id)),
     flags AS (SELECT *, NOT completed AND coalesce($as_of > due, false) AS overdue FROM m),
     per_problem AS (SELECT p.problem_id, p.unit_id,
                            CASE WHEN count(f.measure_id) = 0 THEN coalesce(p.immediate, false)
                                 ELSE bool_and(f.completed) END AS rectified
                     FROM p LEFT JOIN flags f USING (problem_id)
                     GROUP BY p.problem_id, p.unit_id, p.immediate),
     overdue AS (SELECT unit_id, count(*) AS n FROM flags WHERE overdue GROUP BY unit_id)
SELECT unit_id, count(*) AS problems, sum(rectified::INT) AS rectified,
       coalesce(any_value(overdue.n), 0) AS overdue_measures
FROM per_problem LEFT JOIN overdue USING (unit_id) GROUP BY unit_id ORDER BY unit_id
"""


def _days(dates):
    """Dates as text (NaT as ''), to compare pandas' and DuckDB's."""
    import pandas as pd

    return pd.to_datetime(dates).dt.strftime("%Y-%m-%d").fillna("").to_numpy()


def _timed(fn, repeat: int):
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--as-of", default="2026-06-30")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    os.environ["LINKGRAPH_CACHE"] = tempfile.mkdtemp(prefix="duckdb-parts-")
    import duckdb
    import numpy as np
    import pandas as pd

    from linkgraph.analysis.coverage import coverage, term_rounds, _elevated_in_span
    from linkgraph.analysis.ledger import timestamp
    from linkgraph.analysis.rectification import rectification_state
    from linkgraph.dataset import load_dataset
    from linkgraph.rules import load_rules

    load = load_average()
    ds = load_dataset(args.data, lenient=True, use_cache=True)   # writes the cache entry
    folder = next((Path(os.environ["LINKGRAPH_CACHE"]) / "datasets").iterdir())
    files = {name: str(folder / f"{name}.parquet") for name in
             ("units", "rounds", "assignments", "problems", "measures")}
    tables, rules, as_of = ds.tables, load_rules(), timestamp(args.as_of)
    _, ids = term_rounds(tables, rules, as_of, None)
    ids = ids + _elevated_in_span(tables, ids, as_of)
    con = duckdb.connect()
    params = {"assignments": files["assignments"], "problems": files["problems"],
              "rounds_file": files["rounds"], "units": files["units"], "rounds": list(ids)}

    t_pd, cov = _timed(lambda: coverage(tables, rules, args.as_of).units, args.repeat)
    t_db, got = _timed(lambda: con.execute(COVERAGE_SQL, params).df(), args.repeat)
    want = cov.set_index("unit_id").sort_index()
    got = got.set_index("unit_id").sort_index()
    same_cov = (want.index.equals(got.index)
                and (want["inspected"].to_numpy() == got["inspected"].to_numpy()).all()
                and (want["round_ids"].map(len).to_numpy() == got["rounds"].to_numpy()).all()
                and (_days(want["first_inspection"]) == _days(got["first_inspection"])).all())
    rows = [("coverage: units inspected in the term", len(want), t_pd, t_db, same_cov)]

    ongoing = rules.limits.ongoing_counts_as_done
    months = rules.limits.rectification_report_months
    rparams = {"problems": files["problems"], "rounds_file": files["rounds"],
               "measures": files["measures"], "as_of": as_of.to_pydatetime(),
               "months": months, "ongoing": ongoing}

    def by_unit():
        state = rectification_state(tables, rules, args.as_of)
        p = state.problems
        over = state.measures["overdue"].to_numpy()
        units = p["unit_id"].to_numpy(dtype=object)[state.problem_row]
        overdue = pd.Series(over.astype(np.int64)).groupby(units).sum()
        return pd.DataFrame({"problems": p.groupby("unit_id").size(),
                             "rectified": p.groupby("unit_id")["rectified"].sum(),
                             "overdue_measures": overdue}).fillna(0).astype("int64")

    t_pd2, want2 = _timed(by_unit, args.repeat)
    t_db2, got2 = _timed(lambda: con.execute(RECTIFICATION_SQL, rparams).df(), args.repeat)
    got2 = got2.set_index("unit_id").sort_index().astype("int64")
    want2 = want2.sort_index()
    same_rect = want2.index.equals(got2.index) and (want2.to_numpy() == got2.to_numpy()).all()
    rows.append(("rectification: problems, rectified, overdue measures per unit", len(want2),
                 t_pd2, t_db2, same_rect))

    print(f"\n{args.data}: {ds.rows_loaded} rows; as of {args.as_of}; median of {args.repeat}; "
          f"load average {load:.1f}–{load_average():.1f}\n")
    print("| part | rows out | pandas s | DuckDB over Parquet s | same answer |")
    print("|---|---|---|---|---|")
    for name, n, a, b, same in rows:
        print(f"| {name} | {n} | {a:.3f} | {b:.3f} | {'yes' if same else 'NO'} |")
    return 0 if all(r[-1] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
