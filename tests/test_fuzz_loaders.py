"""Property-based fuzzing of the loaders: hostile tables either load cleanly or
raise a LinkgraphError listing the problems — never another exception, and
every data row written is read and either loaded or rejected."""
from __future__ import annotations

import csv
import io
import random
import shutil
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linkgraph.dataset import load_dataset
from linkgraph.errors import LinkgraphError, ValidationError
from linkgraph.schema import TABLE_BY_NAME

FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
TINY = Path(__file__).parent / "data" / "tiny"

def _is_alias(cell: str) -> bool:
    from linkgraph.headers import column_for

    return any(column_for(t, cell) for t in TABLE_BY_NAME)


nasty_text = st.one_of(
    st.text(max_size=12).filter(lambda s: not _is_alias(s)),
    st.sampled_from(["", " ", "　", "无", "/", "=1+1", "@SUM(A1)", "\x1b[31m", "\u200b",
                     "Ｐ０１ ", "P01", "2023年13月", "2023-02-30", "45214", "是", "否", "配偶",
                     "<script>", "\ufeff", "1e308", "-0", "NaN", "𠮷野家", "\r\n", '"', "a,b"]),
    st.text(alphabet="0123456789-/.年月日", max_size=12),
)


def _write_csv(path: Path, rows: list[list[str]], encoding: str) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)  # quotes cells with \r or \n
    path.write_bytes(buf.getvalue().encode(encoding, errors="replace"))


def _visible_rows(rows: list[list[str]]) -> int:
    """Rows with any visible content: what the loader must count."""
    return sum(1 for r in rows if any(c.strip() for c in r))


def _check_outcome(folder: Path) -> None:
    try:
        ds = load_dataset(folder, lenient=True)
    except LinkgraphError as exc:
        assert str(exc)
        return
    for count in ds.counts:
        assert count.read == count.loaded + count.rejected
        assert count.loaded == len(ds[count.table])
    try:
        load_dataset(folder)
    except ValidationError as exc:
        assert exc.violations and all(v.reason for v in exc.violations)


@FUZZ
@given(table=st.sampled_from(sorted(TABLE_BY_NAME)), data=st.data(),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
def test_random_tables_load_or_fail_cleanly(tmp_path_factory, table, data, encoding):
    spec = TABLE_BY_NAME[table]
    names = [c.name for c in spec.columns] + [a for c in spec.columns for a in c.aliases]
    header = data.draw(st.lists(st.sampled_from(names + ["备注", ""]), min_size=1, max_size=8))
    rows = data.draw(st.lists(st.lists(nasty_text, min_size=1, max_size=len(header) + 2),
                              min_size=1, max_size=30))
    folder = tmp_path_factory.mktemp("fuzz")
    if table != "units":
        shutil.copy(TINY / "units.csv", folder / "units.csv")
    _write_csv(folder / f"{table}.csv", [header] + rows, encoding)
    try:
        ds = load_dataset(folder, lenient=True)
    except LinkgraphError as exc:
        assert str(exc)
        return
    counted = next(c for c in ds.counts if c.table == table)
    assert counted.read == counted.loaded + counted.rejected
    assert counted.loaded == len(ds[table])
    written = [[c.encode(encoding, "replace").decode(encoding) for c in r] for r in rows]
    header_found = any(_is_alias(h) for h in header)
    expected = _visible_rows(written) + (0 if header_found else _visible_rows([header]))
    assert counted.read == expected  # nothing dropped silently


@FUZZ
@given(seed=st.integers(0, 10_000), mutations=st.integers(1, 6))
def test_mutated_valid_ledgers_load_or_fail_cleanly(tmp_path_factory, seed, mutations):
    rnd = random.Random(seed)
    folder = tmp_path_factory.mktemp("mut")
    for f in TINY.glob("*.csv"):
        shutil.copy(f, folder / f.name)
    files = sorted(folder.glob("*.csv"))
    for _ in range(mutations):
        target = rnd.choice(files)
        try:
            rows = list(csv.reader(target.read_text("utf-8").splitlines()))
        except UnicodeDecodeError:  # bytes mutated earlier: leave this file as it is
            continue
        kind = rnd.choice(["cell", "dup_row", "drop_col", "dup_header", "blank_cell", "cycle",
                           "self_tie", "bytes", "huge"])
        if kind == "bytes":
            raw = bytearray(target.read_bytes())
            for _ in range(rnd.randint(1, 5)):
                raw[rnd.randrange(len(raw))] = rnd.randrange(256)
            target.write_bytes(bytes(raw))
            continue
        if len(rows) < 2:
            continue
        r = rnd.randrange(1, len(rows))
        c = rnd.randrange(len(rows[0]))
        if kind == "cell" and c < len(rows[r]):
            rows[r][c] = rnd.choice(["=cmd|'/c calc'!A1", "P9", "2023-02-30", "夫妻?", "\x07",
                                     "Ｕ１", "", "1.5", "否是"])
        elif kind == "dup_row":
            rows.insert(r, list(rows[r]))
        elif kind == "drop_col":
            rows = [row[:c] + row[c + 1:] for row in rows]
        elif kind == "dup_header":
            rows[0][c] = rows[0][(c + 1) % len(rows[0])]
        elif kind == "blank_cell" and c < len(rows[r]):
            rows[r][c] = ""  # a merged-cell gap
        elif kind == "cycle" and target.name in ("units.csv", "regions.csv"):
            rows[1][-1] = rows[-1][0]
            rows[-1][-1] = rows[1][0]
        elif kind == "self_tie" and target.name == "ties.csv":
            rows[r][1] = rows[r][0]
        elif kind == "huge" and c < len(rows[r]):
            rows[r][c] = "超长" * 20_000
        _write_csv(target, rows, "utf-8")
    _check_outcome(folder)


@FUZZ
@given(data=st.data())
def test_random_workbooks_load_or_fail_cleanly(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("xlsx")
    book = folder / "ledgers.xlsx"
    wb = xlsxwriter.Workbook(book)
    for sheet in data.draw(st.lists(st.sampled_from(["units", "单位", "people", "ties", "说明",
                                                     "posts"]), min_size=1, max_size=4,
                                    unique=True)):
        ws = wb.add_worksheet(sheet)
        spec = TABLE_BY_NAME.get({"单位": "units", "说明": "units"}.get(sheet, sheet))
        header = [c.name for c in spec.columns]
        ws.write_row(0, 0, header)
        for i, row in enumerate(data.draw(st.lists(st.lists(st.one_of(
                nasty_text, st.integers(-10**6, 10**9), st.floats(allow_nan=False, allow_infinity=False),
                st.booleans()), max_size=len(header)), max_size=8)), start=1):
            for j, v in enumerate(row):
                if isinstance(v, str):
                    ws.write_string(i, j, v)
                else:
                    ws.write(i, j, v)
    wb.close()
    _check_outcome(book)


pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
