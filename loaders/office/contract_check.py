"""The written DATA checked by the contract's own loader, before anyone uses it.

The resolver can hand on a row the contract refuses: a measure whose problem
row was rejected, a tie whose person stayed in review, a team without its
round.  Such a row must not sit in DATA (``validate`` would fail and every
command refuse it) nor vanish: ``contract_rejects`` loads DATA with the real
checker (``load_dataset``, the one definition of the contract), and every row
it refuses — with the rows that refer to it — becomes a ``RejectedRow`` at
the ledger row it came from.  The writer then writes the tables without them.
"""
from __future__ import annotations

from pathlib import Path

from linkgraph.dataset import load_dataset
from linkgraph.errors import Violation
from loaders.office.records import Origin, RejectedRow, Resolution


def _reason(v: Violation) -> str:
    return f"导入结果不符合数据约定（{v.table}.{v.column}）：{v.reason}"


def contract_rejects(out: Path, resolution: Resolution) -> dict[str, dict[int, RejectedRow]]:
    """Per table, the rows (index into ``resolution.tables[table]``) the
    contract refuses, each as a RejectedRow at its ledger origin."""
    dataset = load_dataset(out, lenient=True, use_cache=False)
    refused: dict[str, dict[int, RejectedRow]] = {}
    for v in dataset.errors:
        rows = resolution.tables.get(v.table)
        if v.row is None or rows is None or not 2 <= v.row < len(rows) + 2:
            continue
        index = v.row - 2  # CSV row 2 is the table's first row
        origins = resolution.origins.get(v.table, [])
        origin = origins[index] if index < len(origins) else Origin(f"{v.table}.csv", "", v.row)
        refused.setdefault(v.table, {}).setdefault(
            index, RejectedRow(origin, v.column, v.value, _reason(v)))
    return refused


def drop_refused(resolution: Resolution, refused: dict[str, dict[int, RejectedRow]]) -> None:
    """Take the refused rows out of the resolution's tables and add them to
    its rejected rows (in place)."""
    for table, rows in refused.items():
        keep = [i for i in range(len(resolution.tables[table])) if i not in rows]
        resolution.tables[table] = [resolution.tables[table][i] for i in keep]
        origins = resolution.origins.get(table)
        if origins is not None and len(origins) >= len(keep):
            resolution.origins[table] = [origins[i] for i in keep if i < len(origins)]
        resolution.rejected.extend(rows[i] for i in sorted(rows))
