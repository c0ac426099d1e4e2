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
from collections.abc import Iterator
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


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


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
    Each chunk's index is the 0-based line number (row number - 1).
    """
    head, complete, handle = _sample(source, name)
    if not head.strip():
        return
    encoding = detect_encoding(head, name, complete)
    text_head = head.decode(encoding, errors="replace").lstrip("\ufeff")
    sep = _delimiter(text_head.split("\n", 1)[0])
    width = len(next(csv.reader([text_head.split("\n", 1)[0]], delimiter=sep), [])) + 16
    try:
        yield from _chunks(handle, encoding, sep, width, chunk_rows or CHUNK_ROWS)
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: {_where_bad_bytes(_open_bytes(handle, name), encoding)}") from exc
    except pd.errors.ParserError as exc:
        raise RaggedRows(str(exc)) from exc


class RaggedRows(Exception):
    """A row has more cells than the C parser expected; reread with padding."""


def _chunks(handle, encoding: str, sep: str, width: int, chunk_rows: int):
    src = io.BytesIO(handle) if isinstance(handle, bytes) else handle
    reader = pd.read_csv(src, sep=sep, header=None, names=range(width), dtype=str,
                         keep_default_na=False, na_filter=False, skip_blank_lines=False,
                         encoding=encoding, encoding_errors="strict", engine="c",
                         chunksize=chunk_rows)
    with reader:
        for chunk in reader:
            used = [c for c in chunk.columns if (chunk[c] != "").any()]
            keep = max(used, default=0) + 1
            yield chunk.iloc[:, :keep]


def read_ragged_chunks(source: str | bytes | BinaryIO, name: str,
                       chunk_rows: int | None = None) -> Iterator[pd.DataFrame]:
    """Like read_delimited_chunks, for files whose rows differ in length."""
    data = _open_bytes(source, name)
    encoding = detect_encoding(data, name)
    try:
        text = data.decode(encoding).lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: {_where_bad_bytes(data, encoding)}") from exc
    del data
    sep = _delimiter(text.split("\n", 1)[0])
    chunk_rows = chunk_rows or CHUNK_ROWS
    rows: list[list[str]] = []
    start = 0
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=sep):
        rows.append(row)
        if len(rows) == chunk_rows:
            yield _grid(rows, start)
            start += len(rows)
            rows = []
    if rows:
        yield _grid(rows, start)


def _grid(rows: list[list[str]], start: int) -> pd.DataFrame:
    width = max((len(r) for r in rows), default=0)
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
    frame.index = pd.RangeIndex(start, start + len(rows))
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
