"""Printing a workbook with a real LibreOffice (headless ``--convert-to pdf``,
Debian's ``libreoffice-calc``, installed by ``scripts/setup --test``) and
reading the PDF it writes: how many A4 pages, and at what scale each prints.

The scale is read from the page itself: the page header and footer are set
in 9-pt type, so the smallest font size on a page ÷ 9 is the factor
LibreOffice shrank the page by to fit it one page wide (1.0 = not shrunk).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
#: The page header's and footer's type size in points (``linkgraph.workbook``).
HEADER_POINTS = 9.0


def office() -> str:
    import pytest

    if SOFFICE is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is missing: scripts/setup --test installs libreoffice-calc")
        pytest.skip("LibreOffice not installed (scripts/setup --test installs it)")
    return SOFFICE


def to_pdf(xlsx: list[Path], out: Path, soffice: str | None = None) -> list[Path]:
    """Each workbook printed to a PDF in ``out`` by one LibreOffice run."""
    profile = out / "lo-profile"
    subprocess.run([soffice or office(), f"-env:UserInstallation=file://{profile}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(out),
                    *map(str, xlsx)], check=True, capture_output=True, timeout=600)
    return [out / x.with_suffix(".pdf").name for x in xlsx]


@dataclass(frozen=True)
class Page:
    landscape: bool
    scale: float     # 1.0 = printed at full size


_OBJECT = re.compile(rb"(\d+) 0 obj\b(.*?)\bendobj", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)


def pages(pdf: bytes) -> list[Page]:
    """The pages of a PDF as LibreOffice writes it, in order."""
    objects = {int(m.group(1)): m.group(2) for m in _OBJECT.finditer(pdf)}
    out = []
    for number in sorted(objects):
        body = objects[number]
        if not re.search(rb"/Type\s*/Page(?![s\w])", body):
            continue
        box = [float(x) for x in re.search(rb"/MediaBox\s*\[([^\]]*)\]", body).group(1).split()]
        contents = re.search(rb"/Contents\s*(\[[^\]]*\]|\d+ 0 R)", body).group(1)
        sizes: list[float] = []
        for ref in re.findall(rb"(\d+) 0 R", contents):
            stream = _STREAM.search(objects[int(ref)]).group(1)
            text = zlib.decompress(stream) if b"FlateDecode" in objects[int(ref)] else stream
            sizes += [float(x) for x in re.findall(rb"/F\d+ ([\d.]+) Tf", text)]
        scale = min(sizes) / HEADER_POINTS if sizes else 1.0
        out.append(Page(landscape=box[2] > box[3], scale=round(min(scale, 1.0), 3)))
    return out


def printed_pages(xlsx: Path, tmp: Path) -> int:
    """Pages of ``xlsx`` printed to PDF by LibreOffice."""
    (pdf,) = to_pdf([xlsx], tmp)
    return len(pages(pdf.read_bytes()))
