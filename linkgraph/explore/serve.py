"""Run the explorer: bind a socket (a free port on 127.0.0.1 by default),
print the URL, open the browser, serve with uvicorn until Ctrl+C.

With an explicit host (an intranet address) the token comes from the
environment variable ``LINKGRAPH_EXPLORE_TOKEN`` only — never from the
command line, where other users and shell histories would see it — and is
never printed or logged (uvicorn's access log is off: URLs carry no secret
anyway, the login form posts the token).
"""
from __future__ import annotations

import os
import socket
from typing import Any

from linkgraph.errors import LinkgraphError

TOKEN_ENV = "LINKGRAPH_EXPLORE_TOKEN"
MIN_TOKEN = 12
LOOPBACK = "127.0.0.1"


def explore_token(host: str | None) -> str | None:
    """The token to demand (None on the loopback default)."""
    if host is None:
        return None
    token = os.environ.get(TOKEN_ENV, "")
    if len(token) < MIN_TOKEN:
        raise LinkgraphError(
            f"--host {host} 对内网开放，须先设置环境变量 {TOKEN_ENV}（至少 {MIN_TOKEN} 个字符）"
            f" / --host serves an intranet: set {TOKEN_ENV} (at least {MIN_TOKEN} characters) "
            "first; the token is never taken from the command line")
    return token


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0 = a free one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise LinkgraphError(f"无法监听 {host}:{port} / cannot listen on {host}:{port}: "
                             f"{exc.strerror or exc}") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket, host: str) -> str:
    port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    if host in ("0.0.0.0", "::"):
        shown = socket.gethostname()
    return f"http://{shown}:{port}/"


def serve(app: Any, sock: socket.socket) -> None:
    """Serve ``app`` on ``sock`` until interrupted (no access log)."""
    import uvicorn

    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                            server_header=False)
    uvicorn.Server(config).run(sockets=[sock])
