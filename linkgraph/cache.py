"""A cache of checked datasets, keyed by the input files' hashes.

Reading, typing and checking a province's ledgers takes about a minute;
every command after the first on the same files loads the checked tables
from Parquet in seconds.  The key covers the files' SHA-256, the linkgraph
version and the loading code, the relation words of the rules (which change
how cells parse) and every LINKGRAPH_MAX_* limit, so an edited ledger, rule
set or limit is never served stale.

The cache lives in ``$LINKGRAPH_CACHE`` (default ``~/.cache/linkgraph``), in
folders readable only by the user, because ledgers name officials.  Set
``LINKGRAPH_CACHE=off`` (or pass ``--no-cache``) to turn it off.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from importlib import resources
from pathlib import Path

import pandas as pd
import pyarrow as pa

from linkgraph import __version__
from linkgraph.errors import Violation
from linkgraph.schema import TABLE_BY_NAME

KEEP_ENTRIES = 4


def cache_root() -> Path | None:
    setting = os.environ.get("LINKGRAPH_CACHE", "")
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    return Path(setting) if setting else Path.home() / ".cache" / "linkgraph"


#: modules whose code decides what a checked table holds
_LOADING_CODE = ("linkgraph.check", "linkgraph.normalize", "linkgraph.headers", "linkgraph.schema",
                 "linkgraph.vocab", "linkgraph.dataset", "loaders.text", "loaders.excel",
                 "loaders.sources", "loaders.xlsx_guard")


def _code_fingerprint() -> bytes:
    """The loading code itself, so a changed parser never serves a stale cache."""
    import importlib.util

    digest = hashlib.sha256()
    for name in _LOADING_CODE:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin and os.path.exists(spec.origin):
            digest.update(Path(spec.origin).read_bytes())
    return digest.digest()


def loading_settings() -> dict[str, str]:
    """Every setting that changes what loads: the LINKGRAPH_MAX_* limits
    (cell length, cells, sizes) — a warm cache must reject what a cold run
    rejects."""
    return {k: v for k, v in sorted(os.environ.items()) if k.startswith("LINKGRAPH_MAX_")}


def dataset_key(file_hashes: Sequence[tuple[str, str]], relation_words: dict[str, str]) -> str:
    digest = hashlib.sha256(__version__.encode())
    digest.update(_code_fingerprint())
    digest.update(json.dumps(loading_settings(), sort_keys=True).encode())
    for name, sha in sorted(file_hashes):
        digest.update(f"{name}\0{sha}\n".encode())
    digest.update(json.dumps(relation_words, sort_keys=True, ensure_ascii=False).encode())
    # the kinship grammar decides how relation cells parse, too
    digest.update(resources.files("linkgraph").joinpath("data/kinship.toml").read_bytes())
    return digest.hexdigest()[:32]


def _folder(key: str) -> Path | None:
    root = cache_root()
    return None if root is None else root / "datasets" / key


def _list_columns(table: str) -> list[str]:
    return [c.name for c in TABLE_BY_NAME[table].columns if c.kind in ("ids", "list")]


class Tables(Mapping[str, pd.DataFrame]):
    """The tables of a cache entry, held as the Arrow tables read from its
    Parquet files; each becomes the pandas frame the analyses read when it
    is first asked for (a command that reads two tables converts two).  A
    name with no table gets ``missing(name)``."""

    def __init__(self, arrow: dict[str, pa.Table], names: Sequence[str],
                 missing: Callable[[str], pd.DataFrame]):
        self._arrow = arrow
        self._names = list(names)
        self._missing = missing
        self._frames: dict[str, pd.DataFrame] = {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        frame = self._frames.get(name)
        if frame is None:
            if name not in self._names:
                raise KeyError(name)
            table = self._arrow.pop(name, None)
            frame = self._missing(name) if table is None else _frame(name, table)
            self._frames[name] = frame
        return frame

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def _frame(name: str, table: pa.Table) -> pd.DataFrame:
    """A cached table as the loader made it: text as Python strings with
    None for empty, lists as tuples."""
    frame = table.to_pandas()
    lists = _list_columns(name)
    for col in lists:
        frame[col] = frame[col].map(lambda v: tuple(v) if v is not None else ())
    for col in frame.columns:
        if col in lists:
            continue
        if col in table.column_names and (pa.types.is_string(table.schema.field(col).type) or
                                          pa.types.is_large_string(table.schema.field(col).type)):
            # one pass in Arrow: its nulls come out as None
            frame[col] = pd.Series(table.column(col).to_numpy(zero_copy_only=False),
                                   index=frame.index, dtype=object)
        elif frame[col].dtype == object or str(frame[col].dtype) in ("str", "string"):
            frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    return frame


def load(key: str, names: Sequence[str], missing: Callable[[str], pd.DataFrame]):
    """The cached pieces of a dataset, or None: the tables ``names`` (see
    ``Tables``), the violations and the counts."""
    import pyarrow.parquet as pq

    folder = _folder(key)
    if folder is None or not (folder / "meta.json").exists():
        return None
    try:
        meta = json.loads((folder / "meta.json").read_text("utf-8"))
        arrow = {name: pq.read_table(folder / f"{name}.parquet") for name in meta["tables"]}
        violations = tuple(Violation(**v) for v in meta["violations"])
        counts = meta["counts"]
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException):
        return None
    os.utime(folder)
    return Tables(arrow, names, missing), violations, counts


def store(key: str, tables: dict[str, pd.DataFrame], violations: Sequence[Violation],
          counts: Sequence[dict]) -> None:
    folder = _folder(key)
    if folder is None:
        return
    tmp = folder.with_name(folder.name + ".tmp")
    try:
        tmp.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(folder.parent.parent, 0o700)
        for name, frame in tables.items():
            out = frame.copy()
            for col in _list_columns(name):
                out[col] = out[col].map(list)
            out.to_parquet(tmp / f"{name}.parquet")
        meta = {"tables": list(tables), "violations": [v.as_record() for v in violations],
                "counts": list(counts)}
        (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
        if folder.exists():
            shutil.rmtree(folder)
        tmp.rename(folder)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        return
    _prune(folder.parent)


def _prune(root: Path) -> None:
    entries = sorted((p for p in root.iterdir() if p.is_dir() and not p.name.endswith(".tmp")),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP_ENTRIES:]:
        shutil.rmtree(old, ignore_errors=True)
