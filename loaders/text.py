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


def detect_encoding(data: bytes, name: str) -> str:
    """The encoding of ``data``; raises InputError for binary or unknown bytes."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = data[:SAMPLE_BYTES]
    complete = len(data) <= SAMPLE_BYTES
    if b"\x00" in sample[:8192]:
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


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def read_delimited(source: str | bytes | BinaryIO, name: str) -> pd.DataFrame:
    """All cells of a CSV/TSV as strings (no header interpretation).

    ``source`` is a path, raw bytes or a binary file object.
    """
    if isinstance(source, (bytes, bytearray)):
        data = bytes(source)
    elif isinstance(source, str):
        try:
            with open(source, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            raise InputError(f"{name}: 无法读取文件 / cannot read file: {exc.strerror}") from exc
    else:
        data = source.read()
    if not data.strip():
        return pd.DataFrame()
    encoding = detect_encoding(data, name)
    head = data[:65536].decode(encoding, errors="replace").lstrip("\ufeff")
    sep = _delimiter(head.split("\n", 1)[0])
    try:
        frame = _parse(data, encoding, sep)
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: {_where_bad_bytes(data, encoding)}") from exc
    except pd.errors.EmptyDataError:
        return pd.DataFrame()
    frame.attrs["encoding"] = encoding
    return frame


def _parse(data: bytes, encoding: str, sep: str) -> pd.DataFrame:
    options = dict(sep=sep, header=None, dtype=str, keep_default_na=False, na_filter=False,
                   skip_blank_lines=False, encoding=encoding, encoding_errors="strict")
    try:
        return pd.read_csv(io.BytesIO(data), engine="c", **options)
    except pd.errors.ParserError:
        pass  # ragged rows (trailing separators, extra cells): pad them
    text = data.decode(encoding).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    width = max((len(r) for r in rows), default=0)
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)


def _where_bad_bytes(data: bytes, encoding: str) -> str:
    try:
        data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return (f"第 {line} 行含有无法按 {encoding} 解码的字节（文件编码混杂？）"
                f" / bytes at line {line} are not valid {encoding} (mixed encodings?)")
    return f"无法按 {encoding} 解码 / cannot decode as {encoding}"
