"""Headless Chromium for tests (a pytest plugin: ``pytest_plugins = ["tests.browser"]``).

Drives Debian's ``chromium`` (``scripts/install-browser``) through the Python
``playwright`` package; playwright never downloads a browser here.  Fixtures:

``chromium``      the session's browser (launched once)
``browser_page``  a :class:`PageWatch`: a fresh context and page that records
                  every request, console error, page error and dialog, and
                  aborts any request that is not ``file:``/``data:``/``blob:``

When the browser cannot start, tests that use it are skipped — unless the
environment variable ``CI`` is set, where they fail with the reason.
Override the binary with ``LINKGRAPH_CHROMIUM``.
"""
from __future__ import annotations

import os
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


def chromium_path() -> str:
    return os.environ.get("LINKGRAPH_CHROMIUM", "/usr/bin/chromium")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"headless Chromium is required in CI but unavailable: {reason}", pytrace=False)
    pytest.skip(f"headless Chromium unavailable: {reason} (run scripts/install-browser)")


@pytest.fixture(scope="session")
def chromium():
    """The session's Chromium, launched with a fresh profile.

    playwright's ``launch`` always starts the browser with a new temporary
    ``--user-data-dir`` (and ``--headless``), so neither is passed here.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - depends on the install
        _unavailable(f"python package playwright missing ({exc})")
    path = chromium_path()
    if not Path(path).exists():
        _unavailable(f"{path} not found")
    pw = sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
    except Exception as exc:  # noqa: BLE001 - any launch failure means "no browser"
        pw.stop()
        _unavailable(f"{path} did not start: {str(exc).splitlines()[0]}")
    yield browser
    browser.close()
    pw.stop()


@dataclass
class PageWatch:
    """A page plus everything it tried to do."""

    page: Any
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    @property
    def remote_requests(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(LOCAL_SCHEMES)] + self.blocked

    def open_view(self, path: Path, timeout_ms: int = 60_000) -> float:
        """Load a view from ``file://`` and wait until it settled; returns ms."""
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function("() => window.linkgraphView && window.linkgraphView.ready",
                                    timeout=timeout_ms)
        return float(self.page.evaluate("() => window.linkgraphView.readyAt"))

    def view(self, expression: str, arg: Any = None) -> Any:
        """Evaluate ``expression`` (a function of ``lg`` = window.linkgraphView, arg)."""
        return self.page.evaluate(f"([a]) => {{ const lg = window.linkgraphView; return ({expression})(lg, a); }}",
                                  [arg])

    def node_point(self, node_id: str) -> tuple[float, float]:
        p = self.view("(lg, id) => lg.pagePosition(id)", node_id)
        return p["x"], p["y"]

    def node_ids(self) -> list[str]:
        return self.view("(lg) => lg.nodes.getIds()")

    def visible_node_ids(self) -> list[str]:
        return self.view("(lg) => lg.nodes.get({filter: n => !n.hidden}).map(n => n.id)")

    def canvas_ink(self) -> int:
        """Pixels of a screenshot of the vis canvas that are not background."""
        png = self.page.locator("#lg-network canvas").screenshot()
        return count_ink(png)


@pytest.fixture
def browser_page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, service_workers="block")
    page = context.new_page()
    watch = PageWatch(page)

    def route(r):
        if r.request.url.startswith(LOCAL_SCHEMES):
            r.continue_()
        else:
            watch.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page.on("request", lambda req: watch.requests.append(req.url))
    page.on("websocket", lambda ws: watch.blocked.append(ws.url))
    page.on("console", lambda m: watch.console_errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda exc: watch.page_errors.append(str(exc)))

    def on_dialog(d):
        watch.dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()

    page.on("dialog", on_dialog)
    yield watch
    context.close()


# ---- a small PNG reader (8-bit RGB/RGBA, not interlaced: what Chromium writes) ----

def decode_png(data: bytes) -> tuple[int, int, int, bytes]:
    """Width, height, bytes per pixel and raw unfiltered pixel bytes."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, ctype, _c, _f, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and ctype in (2, 6) and interlace == 0, "unsupported PNG"
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    return width, height, bpp, _unfilter(zlib.decompress(idat), width, height, bpp)


def _unfilter(raw: bytes, width: int, height: int, bpp: int) -> bytes:
    stride = width * bpp
    out = bytearray(stride * height)
    prev = bytearray(stride)
    for y in range(height):
        ftype = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 255
            elif ftype == 2:
                line[i] = (line[i] + b) & 255
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 255
        out[y * stride:(y + 1) * stride] = line
        prev = line
    return bytes(out)


def count_ink(png: bytes, background: tuple[int, int, int] = (255, 255, 255)) -> int:
    """Pixels that differ clearly from the background colour."""
    width, height, bpp, px = decode_png(png)
    ink = 0
    for i in range(0, width * height * bpp, bpp):
        if sum(abs(px[i + k] - background[k]) for k in range(3)) > 30:
            ink += 1
    return ink
