"""What the bench scripts share: a command run in a fresh process and watched
for its peak memory (stopped past a limit), datasets generated once into a
work folder, folder sizes and the load average.

    from harness import ROOT, generate, watch
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_average() -> float:
    return os.getloadavg()[0]


def watch(cmd: list[str], limit_gb: float, env: dict[str, str] | None = None,
          every_s: float = 0.1, cwd: Path = ROOT) -> dict:
    """Run ``cmd`` in ``cwd`` (the repository root); its wall time, its CPU time
    (user + system, ``cpu_s``, sampled with the memory, so to within
    ``every_s``: what a busy machine inflates far less than the wall time),
    peak RSS (MB, sampled every ``every_s``), exit status, output and the
    highest load average seen.  Past ``limit_gb`` the process
    is killed: ``killed_mb``."""
    import tempfile

    import psutil

    started = time.perf_counter()
    load0 = load_average()
    cpu = 0.0  # sampled with the memory (so two commands may be watched at once)
    # output goes to files, not pipes: a command that writes more than a
    # pipe holds would block on it while this loop only polls
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err,
                                env={**os.environ, **(env or {})})
        watched = psutil.Process(proc.pid)
        peak = 0.0
        while proc.poll() is None:
            try:
                peak = max(peak, watched.memory_info().rss / 2**20)
                times = watched.cpu_times()
                cpu = times.user + times.system
            except psutil.NoSuchProcess:
                break
            if peak > limit_gb * 1024:
                proc.kill()
                proc.wait()
                return {"killed_mb": peak, "wall_s": time.perf_counter() - started}
            time.sleep(every_s)
        proc.wait()
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        return {"wall_s": wall, "cpu_s": cpu, "rss_mb": peak, "rc": proc.returncode,
                "stdout": out.read().decode("utf-8", "replace"),
                "stderr": err.read().decode("utf-8", "replace"),
                "load": max(load0, load_average())}


def generate(scale: str, workdir: Path, *options: str) -> Path:
    """``linkgraph generate`` at ``scale`` (seed 1) into ``workdir/scale``,
    once: a folder that already holds its truth is reused."""
    target = workdir / scale
    if (target / "truth.json").exists():
        return target
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "linkgraph", "generate", str(target), "--scale", scale,
                    "--seed", "1", *options], cwd=ROOT, check=True)
    print(f"generated {scale} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return target


def read_all_cells(path: str | Path) -> int:
    """Read every cell of the ledgers at ``path`` (a file, or a folder's files
    at any depth) and nothing else: the baseline a loader is measured against.
    CSVs are decoded (the encoding as loaders.text detects it) and split by
    the csv module, workbooks read by python-calamine.  Returns the number of
    cells."""
    import csv
    import io

    path = Path(path)
    cells = 0
    for p in sorted(path.rglob("*")) if path.is_dir() else [path]:
        suffix = p.suffix.lower()
        if suffix in (".xlsx", ".xls"):
            from python_calamine import CalamineWorkbook

            wb = CalamineWorkbook.from_path(str(p))
            for name in wb.sheet_names:
                cells += sum(len(r) for r in wb.get_sheet_by_name(name).to_python())
        elif suffix == ".csv":
            from loaders.text import detect_encoding

            raw = p.read_bytes()
            text = raw.decode(detect_encoding(raw, p.name, complete=True))
            cells += sum(len(r) for r in csv.reader(io.StringIO(text)))
    return cells


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20
