"""Byte-identical before and after: every command's outputs from this
checkout and from a git revision, hashed and compared.

    python bench/same_outputs.py                 # against main, county + messy GB18030 county + city
    python bench/same_outputs.py --rev HEAD~3 --datasets county
    python bench/same_outputs.py --city-all      # every command on the city too (slow)

The revision is checked out into a temporary worktree (removed afterwards);
both trees run with the same Python, ``PYTHONPATH`` pointing at their own
code, ``SOURCE_DATE_EPOCH`` and ``PYTHONHASHSEED`` fixed and a dataset cache
of their own.  ``validate`` runs twice: with the cache off (the cold path)
and then warm (the Parquet cache), so both read paths are compared.  What is
compared per command: the exit status, stdout, and every file it writes
(stderr too, with timings blanked; a stderr-only difference is reported
apart, since progress lines are not an output).  ``explore`` is a server
and is not run.

Prints a markdown table (dataset, command, files, identical/different) and
exits 1 when any output differs.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import ROOT, load_average  # noqa: E402

AS_OF = "2026-06-30"

#: name -> arguments ("{data}" is the dataset folder); run in this order from
#: a folder of the command's own, so every file it writes is collected.
COMMANDS: list[tuple[str, list[str]]] = [
    ("validate-cold", ["validate", "{data}", "--out", "problems.xlsx"]),
    ("validate-warm", ["validate", "{data}", "--out", "problems.xlsx"]),
    ("stats", ["stats", "{data}", "--format", "json", "--out", "stats.json"]),
    ("stats-table", ["stats", "{data}"]),
    ("conflicts", ["conflicts", "{data}", "--out", "conflicts.csv"]),
    ("conflicts-candidates", ["conflicts", "{data}", "--candidates", "--out", "candidates.xlsx"]),
    ("conflicts-costs", ["conflicts", "{data}", "--costs", "--out", "costs.xlsx"]),
    ("clusters", ["clusters", "{data}", "--out", "clusters.xlsx"]),
    ("clusters-en", ["clusters", "{data}", "--format", "csv", "--lang", "en", "--headers", "en",
                     "--out", "clusters.csv"]),
    ("categories", ["categories", "{data}", "--out", "categories.csv"]),
    ("leads", ["leads", "{data}", "--as-of", AS_OF, "--all", "--out", "leads.xlsx"]),
    ("leads-summary", ["leads", "{data}", "--as-of", AS_OF, "--summary", "--out", "summary.csv"]),
    ("audit", ["audit", "{data}", "--as-of", AS_OF, "--out", "audit.xlsx"]),
    ("rectification-round", ["rectification", "{data}", "--as-of", AS_OF, "--by", "round",
                             "--overdue", "--out", "rect.xlsx"]),
    ("rectification-unit", ["rectification", "{data}", "--as-of", AS_OF, "--by", "unit",
                            "--format", "csv", "--out", "rect.csv"]),
    ("rectification-category", ["rectification", "{data}", "--as-of", AS_OF, "--by", "category",
                                "--format", "csv", "--out", "rect.csv"]),
    ("rectification-department", ["rectification", "{data}", "--as-of", AS_OF, "--by",
                                  "department", "--format", "json", "--out", "rect.json"]),
    ("coverage", ["coverage", "{data}", "--as-of", AS_OF, "--units", "--out", "coverage.xlsx"]),
    ("coverage-region", ["coverage", "{data}", "--as-of", AS_OF, "--by", "region",
                         "--format", "csv", "--out", "coverage.csv"]),
    ("priorities", ["priorities", "{data}", "--as-of", AS_OF, "--top", "0",
                    "--out", "priorities.xlsx"]),
    ("portrait", ["portrait", "{data}", "--person", "{person}", "--as-of", AS_OF,
                  "--format", "json", "--out", "portrait.json", "--view", "portrait.html"]),
    ("results", ["results", "{data}", "--as-of", AS_OF, "--by", "unit", "--out", "results.xlsx"]),
    ("warnings", ["warnings", "{data}", "--as-of", AS_OF, "--out", "warnings.xlsx"]),
    ("yield", ["yield", "{data}", "--teams", "--out", "yield.xlsx"]),
    ("rotate", ["rotate", "{data}", "--seed", "1", "--format", "json", "--out", "plan.json"]),
    ("staff", ["staff", "{data}", "--seed", "1", "--out", "roster.xlsx"]),
    ("view-overview", ["view", "{data}", "--out", "overview.html"]),
    ("view-unit", ["view", "{data}", "--focus", "unit:{unit}", "--seed", "3", "--out", "unit.html"]),
    ("view-conflicts", ["view", "{data}", "--focus", "conflicts", "--lang", "en",
                        "--out", "conflicts.html"]),
    ("report", ["report", "{data}", "--as-of", AS_OF, "--out", "report"]),
    ("report-en", ["report", "{data}", "--as-of", AS_OF, "--lang", "en", "--no-views",
                   "--out", "report"]),
]

#: the datasets: name -> generate options; "city" runs only these commands
#: unless --city-all.
DATASETS = {
    "county": ["--scale", "county", "--seed", "1"],
    "county-messy-gb18030": ["--scale", "county", "--seed", "1", "--messy", "--encoding",
                             "gb18030", "--realism", "high"],
    "city": ["--scale", "city", "--seed", "1"],
}
CITY_ONLY = {"validate-cold", "validate-warm", "stats", "stats-table"}

_TIMING = re.compile(r"\d+(?:[.,]\d+)?\s*(?:s|ms|秒|分)\b|\d+:\d\d(?::\d\d)?")


def _first_id(path: Path) -> str:
    """The first data row's first cell of a CSV the generator wrote (any encoding)."""
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    return text.splitlines()[1].split(",")[0].strip()


def _normalise_id(value: str) -> str:
    """Full-width letters and digits (the messy ledgers) as ASCII."""
    return "".join(chr(ord(c) - 0xFEE0) if "！" <= c <= "～" else c for c in value)


def generate(work: Path, name: str) -> Path:
    target = work / "data" / name
    if (target / "truth.json").exists():
        return target
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "linkgraph", "generate", str(target), *DATASETS[name]],
                   cwd=ROOT, check=True, capture_output=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    print(f"generated {name} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return target


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def run_tree(tree: Path, data: Path, folder: Path, commands: list[tuple[str, list[str]]],
             fill: dict[str, str]) -> dict[str, dict]:
    """Every command of ``commands`` with ``tree``'s code; per command the
    hashes of its exit status + stdout, its files, and its stderr."""
    cache = folder / ".cache"
    env = {**os.environ, "PYTHONPATH": str(tree), "SOURCE_DATE_EPOCH": "1700000000",
           "PYTHONHASHSEED": "0", "LINKGRAPH_CACHE": str(cache), "COLUMNS": "120"}
    env.pop("LINKGRAPH_DEBUG", None)
    out: dict[str, dict] = {}
    for name, args in commands:
        where = folder / name
        where.mkdir(parents=True)
        run_env = dict(env)
        if name == "validate-cold":
            run_env["LINKGRAPH_CACHE"] = "off"
        cmd = [sys.executable, "-m", "linkgraph",
               *(a.format(data=data, **fill) for a in args)]
        t0 = time.perf_counter()
        done = subprocess.run(cmd, cwd=where, env=run_env, capture_output=True, timeout=3600)
        files = {str(p.relative_to(where)): _hash(p.read_bytes())
                 for p in sorted(where.rglob("*")) if p.is_file()}
        stderr = _TIMING.sub("#", done.stderr.decode("utf-8", "replace"))
        out[name] = {"main": _hash(str(done.returncode).encode() + b"\0" + done.stdout),
                     "rc": done.returncode, "files": files, "stderr": _hash(stderr.encode()),
                     "stderr_text": stderr, "wall_s": time.perf_counter() - t0}
    return out


def compare(a: dict, b: dict) -> tuple[str, str]:
    """(verdict, detail) of one command's two runs."""
    differ = [f for f in sorted(set(a["files"]) | set(b["files"]))
              if a["files"].get(f) != b["files"].get(f)]
    if a["main"] != b["main"]:
        return "different", f"exit {a['rc']} vs {b['rc']} or stdout"
    if differ:
        return "different", "files: " + ", ".join(differ[:5]) + (" …" if len(differ) > 5 else "")
    if a["stderr"] != b["stderr"]:
        return "identical (stderr differs)", ""
    return "identical", ""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rev", default="main", help="the git revision to compare with (default main)")
    ap.add_argument("--datasets", default="county,county-messy-gb18030,city",
                    help="comma-separated: " + ", ".join(DATASETS))
    ap.add_argument("--city-all", action="store_true", help="every command on the city as well")
    ap.add_argument("--only", default="", help="comma-separated command names (default all)")
    ap.add_argument("--work", type=Path, default=None,
                    help="work folder (datasets are generated once into WORK/data)")
    ap.add_argument("--keep", action="store_true", help="keep the outputs")
    args = ap.parse_args()

    work = args.work or Path(tempfile.gettempdir()) / "linkgraph-same-outputs"
    work.mkdir(parents=True, exist_ok=True)
    runs = work / "runs"
    shutil.rmtree(runs, ignore_errors=True)
    base = Path(tempfile.mkdtemp(prefix="same-outputs-rev-", dir=work))
    shutil.rmtree(base)
    subprocess.run(["git", "worktree", "add", "--detach", str(base), args.rev], cwd=ROOT,
                   check=True, capture_output=True)
    rev = subprocess.run(["git", "rev-parse", "--short", args.rev], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.strip()
    here = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout.strip()
    only = {c for c in args.only.split(",") if c}
    rows: list[tuple[str, str, int, str, str, float, float]] = []
    try:
        for ds in [d for d in args.datasets.split(",") if d]:
            data = generate(work, ds)
            fill = {"person": _normalise_id(_first_id(data / "人员.csv")),
                    "unit": _normalise_id(_first_id(data / "单位.csv"))}
            commands = [(n, a) for n, a in COMMANDS
                        if (not only or n in only)
                        and (ds != "city" or args.city_all or n in CITY_ONLY)]
            print(f"{ds}: {len(commands)} commands × 2 trees (load {load_average():.1f})",
                  file=sys.stderr)
            mine = run_tree(ROOT, data, runs / "this" / ds, commands, fill)
            theirs = run_tree(base, data, runs / "rev" / ds, commands, fill)
            for name, _ in commands:
                verdict, detail = compare(mine[name], theirs[name])
                rows.append((ds, name, len(mine[name]["files"]), verdict, detail,
                             mine[name]["wall_s"], theirs[name]["wall_s"]))
                if verdict != "identical" and mine[name]["stderr"] != theirs[name]["stderr"]:
                    print(f"--- {ds} {name} stderr (this):\n{mine[name]['stderr_text'][-1500:]}\n"
                          f"--- (rev):\n{theirs[name]['stderr_text'][-1500:]}", file=sys.stderr)
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=ROOT,
                       capture_output=True)
        if not args.keep:
            shutil.rmtree(runs, ignore_errors=True)

    print(f"\nthis checkout ({here}) vs {args.rev} ({rev}); load average "
          f"{load_average():.1f} at the end\n")
    print("| dataset | command | files | outputs | this s | rev s | detail |")
    print("|---|---|---|---|---|---|---|")
    for ds, name, files, verdict, detail, t_this, t_rev in rows:
        print(f"| {ds} | {name} | {files} | {verdict} | {t_this:.1f} | {t_rev:.1f} | {detail} |")
    bad = [r for r in rows if not r[3].startswith("identical")]
    print(f"\n{len(rows) - len(bad)} identical, {len(bad)} different")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
