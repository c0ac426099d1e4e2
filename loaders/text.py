"""Reading delimited text ledgers (CSV/TSV) in the encodings Chinese Excel writes.

Order of trust (see NOTES.md, "Reading ledgers"): a BOM; strict UTF-8; strict
GB18030 (a superset of GBK and GB2312); then a detector on a large sample.
Every cell comes back as a string, header included, so the mapper can find
the header row and the checker can quote values exactly as written.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

import pandas as pd

from linkgraph.errors import InputError

SAMPLE_BYTES = 1 << 20


def _sample_decodes(sample: bytes, encoding: str, complete: bool) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        decoder.decode(sample, final=complete)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(data: bytes, name: str, complete: bool | None = None) -> str:
    """The encoding of ``data`` (all of a file, or its first bytes when
    ``complete`` is False); raises InputError for binary or unknown bytes."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = data[:SAMPLE_BYTES]
    complete = (complete is not False) and len(data) <= SAMPLE_BYTES
    if b"\x00" in sample[:8192]:
        utf16 = _bomless_utf16(sample, complete)
        if utf16:
            return utf16
        raise InputError(f"{name}: 不是文本表格（含二进制内容），请另存为 CSV 或 XLSX"
                         " / not a text table (binary content)")
    for encoding in ("utf-8", "gb18030"):
        if _sample_decodes(sample, encoding, complete):
            return encoding
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 1 << 18]).best()
    if best is not None and best.encoding:
        return best.encoding
    raise InputError(f"{name}: 无法识别文件编码（应为 UTF-8 或 GBK/GB18030）"
                     " / cannot tell the file's encoding")


def _bomless_utf16(sample: bytes, complete: bool) -> str | None:
    """UTF-16 without a BOM: text where every other byte is NUL."""
    head = sample[:4096]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    for encoding, nul, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if nul > len(head) // 8 and other == 0 and _sample_decodes(
                sample[: len(sample) // 2 * 2], encoding, complete):
            return encoding
    return None


SNIFF_LINES = 30

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def physical_lines(text: str) -> list[str]:
    """The lines of ``text`` with their endings; ``\r\n``, ``\n`` and a lone
    ``\r`` (old Mac Excel) all end a line, nothing else does (unlike
    ``str.splitlines``, which also breaks at U+2028 and form feeds)."""
    return _LINE.findall(text)


@dataclass(frozen=True)
class Layout:
    """How a delimited file is laid out: its delimiter, the most cells any of
    its first lines holds, and its line terminator (None: ``\n`` or ``\r\n``)."""

    sep: str
    fields: int
    terminator: str | None


def sniff_layout(text_head: str) -> Layout:
    """The delimiter is the one that splits the header row best: the most cells
    in any of the first lines, so a title line above the header (with no
    delimiter at all) does not decide it."""
    lines = [ln.rstrip("\r\n") for ln in physical_lines(text_head)[:SNIFF_LINES]]
    lines = lines if len(physical_lines(text_head)) <= SNIFF_LINES or not lines else lines[:-1] or lines
    best, best_count = ",", 0
    for d in (",", "\t", ";", "|"):
        count = max((ln.count(d) for ln in lines), default=0)
        if count > best_count:
            best, best_count = d, count
    fields = max((len(next(csv.reader([ln], delimiter=best), [])) for ln in lines if ln),
                 default=1)
    terminator = "\r" if "\r" in text_head and "\n" not in text_head else None
    return Layout(best, max(fields, best_count + 1), terminator)


CHUNK_ROWS = 200_000


def _open_bytes(source: str | bytes | BinaryIO, name: str) -> bytes:
    if isinstance(source, (bytes, bytearray)):
        return bytes(source)
    if isinstance(source, str):
        try:
            with open(source, "rb") as fh:
                return fh.read()
        except OSError as exc:
            raise InputError(f"{name}: 无法读取文件 / cannot read file: {exc.strerror}") from exc
    return source.read()


def _blocks(handle: str | bytes, name: str, size: int = 1 << 23) -> Iterator[bytes]:
    if isinstance(handle, bytes):
        for i in range(0, len(handle), size):
            yield handle[i:i + size]
        return
    try:
        with open(handle, "rb") as fh:
            yield from iter(lambda: fh.read(size), b"")
    except OSError as exc:
        raise InputError(f"{name}: 无法读取文件 / cannot read file: {exc.strerror}") from exc


def _whole_file_encoding(head: bytes, handle: str | bytes, name: str, complete: bool) -> str:
    """The encoding of the whole file, not of its first MiB: a GB18030 file
    that is plain ASCII for a long stretch decodes as UTF-8 until its first
    Chinese character, so UTF-8 is kept only when every block decodes."""
    encoding = detect_encoding(head, name, complete)
    if complete or encoding not in ("utf-8", "gb18030"):
        return encoding
    for candidate in (("utf-8", "gb18030") if encoding == "utf-8" else ("gb18030",)):
        decoder = codecs.getincrementaldecoder(candidate)("strict")
        try:
            for block in _blocks(handle, name):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return candidate
    return encoding  # neither decodes: _where_bad_bytes names the line


def decode_text(data: bytes, name: str, *, complete: bool = True) -> str:
    """``data`` as text, in the encoding ``detect_encoding`` finds (a BOM
    dropped).  ``complete=False`` says ``data`` is only the first bytes of a
    file: a character its cut splits is left out instead of failing the
    decode (so a UTF-8 head cut inside a Chinese character is not taken for
    GB18030, which would decode it as nonsense)."""
    if complete:
        encoding = _whole_file_encoding(data[:SAMPLE_BYTES], data, name,
                                        len(data) <= SAMPLE_BYTES)
    else:
        encoding = detect_encoding(data, name, complete=False)
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        text = decoder.decode(data, final=complete)
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: {_where_bad_bytes(data, encoding)}") from exc
    return text.lstrip("\ufeff")


def _has_quote(handle: str | bytes, name: str) -> bool:
    return any(b'"' in block for block in _blocks(handle, name))


def _sample(source: str | bytes | BinaryIO, name: str) -> tuple[bytes, bool, str | bytes]:
    """The first SAMPLE_BYTES of the source, whether that is all of it, and a
    reopenable handle (a path, or the whole bytes for in-memory sources)."""
    if isinstance(source, str):
        try:
            with open(source, "rb") as fh:
                head = fh.read(SAMPLE_BYTES + 1)
        except OSError as exc:
            raise InputError(f"{name}: 无法读取文件 / cannot read file: {exc.strerror}") from exc
        return head[:SAMPLE_BYTES], len(head) <= SAMPLE_BYTES, source
    data = _open_bytes(source, name)
    return data[:SAMPLE_BYTES], len(data) <= SAMPLE_BYTES, data


def read_delimited_chunks(source: str | bytes | BinaryIO, name: str,
                          chunk_rows: int | None = None) -> Iterator[pd.DataFrame]:
    """The cells of a CSV/TSV as strings, ``chunk_rows`` lines at a time.

    A path is streamed from disk, so memory stays bounded on a large file.
    Each chunk's index is the 0-based physical line where its record starts
    (row number - 1), also when a quoted cell spans several lines.  A file
    with quotes is read by the careful reader (``read_ragged_chunks``), which
    accounts for every physical line.
    """
    head, complete, handle = _sample(source, name)
    if not head.strip():
        return
    encoding = _whole_file_encoding(head, handle, name, complete)
    if complete and len(head) <= SMALL_FILE_BYTES:
        raise RaggedRows("a small file: read line by line")
    if _has_quote(handle, name):
        raise RaggedRows("quoted cells: read line by line")
    text_head = head.decode(encoding, errors="replace").lstrip("\ufeff")
    layout = sniff_layout(text_head)
    table = _arrow_table(handle, name, encoding, layout) if ARROW_READER else None
    if table is not None:
        yield from _arrow_chunks(table, chunk_rows or CHUNK_ROWS)
        return
    try:
        yield from _chunks(handle, encoding, layout, chunk_rows or CHUNK_ROWS)
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: {_where_bad_bytes(_open_bytes(handle, name), encoding)}") from exc
    except pd.errors.ParserError as exc:
        raise RaggedRows(str(exc)) from exc


class RaggedRows(Exception):
    """The fast reader is not the one for this file (rows of different
    lengths, quoted cells, or a file so small that starting pandas' parser
    costs more than reading it); reread it line by line with
    read_ragged_chunks."""


#: Files up to this size are read line by line (exact, and quicker than
#: pandas' parser, whose set-up is most of the time a small file takes).
SMALL_FILE_BYTES = 64 << 10


#: Read large quote-free files with Arrow's multithreaded CSV parser (False:
#: always pandas' C engine, which the tests compare it with cell by cell).
ARROW_READER = True


def _arrow_table(handle: str | bytes, name: str, encoding: str, layout: Layout):
    """The whole file parsed by ``pyarrow.csv`` (every cell a string, one row
    per physical line), or None when that would not be exactly what pandas'
    C engine gives: a row with more or fewer cells than the first lines
    have (a blank line is one), a lone ``\r``, a NUL byte, bytes that do not
    decode.  GB18030 is transcoded to UTF-8 first (Arrow's own transcoding
    goes through Python codecs in small pieces)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    data = _open_bytes(handle, name) if isinstance(handle, str) else handle
    if layout.terminator is not None or b"\x00" in data or \
            data.count(b"\r") != data.count(b"\r\n"):
        return None
    if encoding not in ("utf-8", "utf-8-sig"):
        try:
            data = data.decode(encoding).encode("utf-8")
        except (UnicodeError, LookupError):
            return None
    names = [str(i) for i in range(layout.fields)]
    bad: list[object] = []

    def invalid(row) -> str:
        bad.append(row)
        return "skip"

    try:
        table = pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=layout.sep, quote_char=False,
                                             escape_char=False, ignore_empty_lines=False,
                                             invalid_row_handler=invalid),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                 strings_can_be_null=False,
                                                 quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    return None if bad else table


def _arrow_chunks(table, chunk_rows: int) -> Iterator[pd.DataFrame]:
    """``chunk_rows`` rows at a time as frames like ``_chunks`` yields: int
    column labels, the index the physical line, trailing empty columns cut."""
    import pyarrow.compute as pc

    for start in range(0, table.num_rows, chunk_rows):
        part = table.slice(start, chunk_rows)
        used = [i for i, col in enumerate(part.columns)
                if pc.any(pc.not_equal(col, "")).as_py()]
        keep = used[-1] + 1 if used else 1
        frame = part.select(list(range(keep))).to_pandas()
        frame.columns = pd.RangeIndex(keep)
        frame.index = pd.RangeIndex(start, start + part.num_rows)
        yield frame


def _chunks(handle, encoding: str, layout: Layout, chunk_rows: int):
    src = io.BytesIO(handle) if isinstance(handle, bytes) else handle
    reader = pd.read_csv(src, sep=layout.sep, header=None, names=range(layout.fields + 16),
                         dtype=str, keep_default_na=False, na_filter=False,
                         skip_blank_lines=False, encoding=encoding, encoding_errors="strict",
                         engine="c", chunksize=chunk_rows, lineterminator=layout.terminator,
                         quoting=csv.QUOTE_NONE)
    with reader:
        for chunk in reader:
            # column by column on the Arrow-backed strings: turning the chunk
            # into Python objects to find its last used column cost more
            # than parsing it
            used = [i for i, c in enumerate(chunk.columns) if (chunk[c] != "").any()]
            keep = used[-1] + 1 if used else 1
            yield chunk.iloc[:, :keep]


@dataclass(frozen=True)
class ReadProblem:
    """A line the reader could not take apart: ``row`` is 0-based like the
    grid's index, ``column`` the 0-based cell where the trouble starts."""

    row: int
    column: int
    value: str
    reason: str


def _swallowed(cells: list[str], sep: str, fields: int) -> bool:
    """A quoted cell that runs over whole rows of the table: some line inside
    it (after its first) holds as many delimiters as a row of the table does.
    Only the cell's own text counts: the delimiters after its closing quote
    belong to the record (``"\n",`` is one record of two cells)."""
    return fields >= 2 and any(
        line.count(sep) >= fields - 1
        for cell in cells if "\n" in cell or "\r" in cell
        for line in physical_lines(cell)[1:])


def _naive(line: str, sep: str) -> list[str]:
    return line.rstrip("\r\n").split(sep)


def _quote_problem(start: int, line: str, sep: str, swallowed: int,
                   at_end: bool = False) -> tuple[list[str], ReadProblem]:
    cells = _naive(line, sep)
    col = next((i for i, c in enumerate(cells) if '"' in c), 0)
    value = cells[col] if cells else ""
    if at_end:
        reason = (f"引号未闭合，一直到文件末尾（并入了其后 {swallowed} 行）；本行未载入，其后各行"
                  f"已分别读取 / unterminated quote runs to the end of the file (swallowing "
                  f"{swallowed} lines); this line is not loaded, the lines after it were read "
                  "on their own")
    elif swallowed:
        reason = (f"引号未闭合：本单元格的引号把其后 {swallowed} 行并入了一个单元格；本行未载入，"
                  f"其后各行已分别读取。请补上闭合的引号或删去多余的引号"
                  f" / unterminated quote: it swallowed the next {swallowed} lines; this line is "
                  "not loaded, the lines after it were read on their own")
    else:
        reason = ("引号位置不对（引号应包住整个单元格）；本行未载入"
                  " / misplaced quote (a quote must enclose the whole cell); line not loaded")
    return cells, ReadProblem(start, col, value, reason)


def _records(lines: list[str], sep: str, fields: int):
    """(first line, cells, problem) for every record, accounting for every
    physical line: a line whose quote does not close where a row ends is
    reported and the reader restarts on the next line."""
    i, n = 0, len(lines)
    while i < n:
        pos = i
        restart = None

        def feed():
            nonlocal pos
            while pos < n:
                pos += 1
                yield lines[pos - 1]

        reader = csv.reader(feed(), delimiter=sep, strict=True)
        while True:
            start = pos
            try:
                row = next(reader)
            except StopIteration:
                i = n
                break
            except csv.Error:
                if pos - start <= 1 and '"' not in lines[start]:
                    raise
                cells, problem = _quote_problem(start, lines[start], sep, pos - start - 1,
                                                at_end=pos >= n and not lines[-1].endswith('"'))
                yield start, cells, problem
                restart = start + 1
                break
            if pos - start > 1 and _swallowed(row, sep, fields):
                cells, problem = _quote_problem(start, lines[start], sep, pos - start - 1)
                yield start, cells, problem
                restart = start + 1
                break
            yield start, row, None
        if restart is not None:
            i = restart


def read_ragged_chunks(source: str | bytes | BinaryIO, name: str,
                       chunk_rows: int | None = None) -> Iterator[pd.DataFrame]:
    """Like read_delimited_chunks, line by line: rows may differ in length and
    quoted cells may span lines.  Lines that cannot be read are listed in the
    chunk's ``attrs["problems"]`` (ReadProblem), with their cells as written."""
    data = _open_bytes(source, name)
    if not data.strip():
        return
    encoding = _whole_file_encoding(data[:SAMPLE_BYTES], data, name, True)
    try:
        text = data.decode(encoding).lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: {_where_bad_bytes(data, encoding)}") from exc
    del data
    layout = sniff_layout(text[:SAMPLE_BYTES])
    lines = physical_lines(text)
    del text
    chunk_rows = chunk_rows or CHUNK_ROWS
    rows: list[list[str]] = []
    starts: list[int] = []
    problems: list[ReadProblem] = []
    try:
        for start, row, problem in _records(lines, layout.sep, layout.fields):
            rows.append(row)
            starts.append(start)
            if problem:
                problems.append(problem)
            if len(rows) == chunk_rows:
                yield _grid(rows, starts, problems)
                rows, starts, problems = [], [], []
    except csv.Error as exc:
        raise InputError(f"{name}: 无法按表格读取 / cannot read as a table: {exc}") from exc
    if rows:
        yield _grid(rows, starts, problems)


def _grid(rows: list[list[str]], starts: list[int], problems: list[ReadProblem]) -> pd.DataFrame:
    width = max((len(r) for r in rows), default=0)
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
    frame.index = pd.Index(starts)
    frame.attrs["problems"] = list(problems)
    return frame


def read_delimited(source: str | bytes | BinaryIO, name: str) -> pd.DataFrame:
    """All cells of a CSV/TSV as strings (no header interpretation).

    ``source`` is a path, raw bytes or a binary file object.
    """
    data = _open_bytes(source, name)
    try:
        chunks = list(read_delimited_chunks(data, name))
    except RaggedRows:
        chunks = list(read_ragged_chunks(data, name))
    if not chunks:
        return pd.DataFrame()
    return pd.concat(chunks).fillna("")


def _where_bad_bytes(data: bytes, encoding: str) -> str:
    try:
        data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return (f"第 {line} 行含有无法按 {encoding} 解码的字节（文件编码混杂？）"
                f" / bytes at line {line} are not valid {encoding} (mixed encodings?)")
    return f"无法按 {encoding} 解码 / cannot decode as {encoding}"
