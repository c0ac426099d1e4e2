"""The explorer's web app (Starlette): one page, its files and a read-only
JSON API over an :class:`~linkgraph.explore.state.Explorer`.

Safety: nothing is written; every response carries a Content-Security-Policy
that allows only this origin (no other host, no inline script); JSON is
data, and the page puts text in with ``textContent`` only.  Served on the
loopback address, only ``Host: 127.0.0.1``/``localhost`` is answered (no DNS
rebinding).  With a token (``--host``), every request needs the token's
cookie, set by the login form, or an ``X-Linkgraph-Token`` header; the token
is compared in constant time and never logged.
"""
from __future__ import annotations

import datetime as dt
import hmac
import io
import json
from importlib import resources
from collections.abc import MutableMapping
from typing import Any
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from linkgraph.catalogue import catalogue
from linkgraph.explore import export
from linkgraph.explore.expand import Filters
from linkgraph.explore.index import NO_DATE
from linkgraph.explore.state import Explorer
from linkgraph.model import LABELS
from linkgraph.views import text as vt
from linkgraph.views.style import label_style

COOKIE = "linkgraph_explore"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'none'")
STATIC = {
    "explore.js": "text/javascript", "explore.css": "text/css",
    "sigma.min.js": "text/javascript", "graphology.umd.min.js": "text/javascript",
    "d3-dispatch.min.js": "text/javascript", "d3-quadtree.min.js": "text/javascript",
    "d3-timer.min.js": "text/javascript", "d3-force.min.js": "text/javascript",
}
MAX_KEYS = 5000


def words(lang: str) -> dict[str, str]:
    """The page's words (the catalogue's ``explore_ui`` vocabulary)."""
    return catalogue().labels("explore_ui", lang)


def _static(name: str) -> bytes:
    return (resources.files("linkgraph.explore") / "static" / name).read_bytes()


def _day(text: str | None) -> int:
    if not text:
        return NO_DATE
    try:
        return (dt.date.fromisoformat(text) - dt.date(1970, 1, 1)).days
    except ValueError:
        return NO_DATE


class ExploreApp:
    """Routes over one explorer."""

    def __init__(self, explorer: Explorer, lang: str = "zh"):
        self.explorer = explorer
        self.lang = lang
        rounds = explorer.tables["rounds"]
        self.round_codes = {str(r): i for i, r in enumerate(rounds["round_id"].tolist())}

    def _lang(self, request: Request) -> str:
        lang = request.query_params.get("lang", self.lang)
        return lang if lang in vt.LANGS else self.lang

    def filters(self, params: Any) -> Filters:
        labels = params.get("labels")
        rounds = params.get("rounds")
        terms = params.get("terms")
        round_set: set[int] | None = None
        if rounds:
            round_set = {self.round_codes[r] for r in rounds.split(",") if r in self.round_codes}
        if terms:
            table = self.explorer.tables["rounds"]
            wanted = set(terms.split(","))
            by_term = {self.round_codes[str(r)] for r, t in zip(table["round_id"], table["term"])
                       if t in wanted}
            round_set = by_term if round_set is None else round_set & by_term
        return Filters(
            labels=frozenset(labels.split(",")) if labels else None,
            rounds=frozenset(round_set) if round_set is not None else None,
            date_from=_day(params.get("from")), date_to=_day(params.get("to")))

    # -- endpoints -------------------------------------------------------------

    def page(self, request: Request) -> Response:
        lang = self._lang(request)
        html = _static("index.html").decode("utf-8")
        html = html.replace("{{lang}}", "en" if lang == "en" else "zh-CN")
        html = html.replace("{{title}}", vt.clean(words(lang)["title"]))
        return HTMLResponse(html)

    def static(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return Response(status_code=404)
        return Response(_static(name), media_type=STATIC[name],
                        headers={"Cache-Control": "max-age=3600"})

    def meta(self, request: Request) -> Response:
        lang = self._lang(request)
        tables = self.explorer.tables
        rounds = tables["rounds"].sort_values("round_id")
        index = self.explorer.index
        dated = index.date[index.date != NO_DATE]
        span = ([int(dated.min()), int(dated.max())] if len(dated) else [])
        from linkgraph.explore.describe import day_text

        terms = sorted({str(t) for t in rounds["term"].dropna()}) if "term" in rounds else []
        return JSONResponse({
            "lang": lang, "words": words(lang),
            "labels": [{"label": lab, "name": vt.label_name(lab, lang),
                        "color": label_style(lab).color}
                       for lab in LABELS if (index.label == LABELS.index(lab)).any()],
            "rounds": [{"id": str(r), "name": str(n) if n else str(r)}
                       for r, n in zip(rounds["round_id"], rounds["name"])],
            "terms": terms,
            "dates": [day_text(d) for d in span],
            "nodes": index.n_nodes, "edges": index.n_edges})

    def search(self, request: Request) -> Response:
        q = request.query_params.get("q", "")[:100]
        return JSONResponse(self.explorer.search(q, lang=self._lang(request)))

    def node(self, request: Request) -> Response:
        found = self.explorer.node(request.query_params.get("key", ""), self._lang(request))
        if found is None:
            return JSONResponse({"error": words(self._lang(request))["no_such_node"]},
                                status_code=404)
        return JSONResponse(found)

    def expand(self, request: Request) -> Response:
        p = request.query_params
        try:
            offset = max(int(p.get("offset", "0")), 0)
        except ValueError:
            offset = 0
        return JSONResponse(self.explorer.expand(
            p.get("key", ""), self.filters(p), self._lang(request), label=p.get("label") or None,
            group=p.get("group"), split=p.get("split") == "1", offset=offset))

    def conflicts(self, request: Request) -> Response:
        return JSONResponse(self.explorer.node_conflicts(request.query_params.get("key", ""),
                                                         self._lang(request)))

    def portrait(self, request: Request) -> Response:
        found = self.explorer.portrait(request.query_params.get("key", ""), self._lang(request))
        if found is None:
            return JSONResponse({"error": words(self._lang(request))["no_portrait"]},
                                status_code=404)
        return JSONResponse(found)

    def path(self, request: Request) -> Response:
        p = request.query_params
        try:
            k = min(max(int(p.get("k", "4")), 1), 6)
        except ValueError:
            k = 4
        return JSONResponse(self.explorer.path(p.get("a", ""), p.get("b", ""), k,
                                               self._lang(request),
                                               verdict=p.get("verdict") != "later"))

    def verdict(self, request: Request) -> Response:
        p = request.query_params
        return JSONResponse({"conflicts": self.explorer.verdict(p.get("a", ""), p.get("b", ""),
                                                                self._lang(request))})

    async def _keys(self, request: Request) -> tuple[list[str], dict[str, Any]]:
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            body = {}
        keys = body.get("keys") if isinstance(body, dict) else None
        keys = [str(k) for k in keys[:MAX_KEYS]] if isinstance(keys, list) else []
        return keys, body if isinstance(body, dict) else {}

    async def subgraph(self, request: Request) -> Response:
        keys, _ = await self._keys(request)
        return JSONResponse(self.explorer.subgraph(keys, self.filters(request.query_params),
                                                   self._lang(request)))

    async def export_xlsx(self, request: Request) -> Response:
        keys, _ = await self._keys(request)
        buf = io.BytesIO()
        export.table_workbook(self.explorer, keys, buf, self._lang(request))
        return Response(buf.getvalue(), media_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            headers={"Content-Disposition": 'attachment; filename="linkgraph-explore.xlsx"'})

    async def export_html(self, request: Request) -> Response:
        keys, body = await self._keys(request)
        given = body.get("positions")
        positions: dict[str, Any] = given if isinstance(given, dict) else {}
        html = export.offline_html(self.explorer, keys, positions, self._lang(request))
        return Response(html.encode("utf-8"), media_type="text/html; charset=utf-8",
                        headers={"Content-Disposition":
                                 'attachment; filename="linkgraph-explore.html"'})


class TokenGate:
    """Demands the token (cookie or header) on every request but the login."""

    def __init__(self, app: ASGIApp, token: str, lang: str):
        self.app, self.token, self.lang = app, token.encode("utf-8"), lang

    def _ok(self, scope: Scope) -> bool:
        given = b""
        for name, value in scope.get("headers", []):
            if name == b"x-linkgraph-token":
                given = value
            elif name == b"cookie":
                for part in value.split(b";"):
                    k, _, v = part.strip().partition(b"=")
                    if k == COOKIE.encode():
                        given = v
        return bool(given) and hmac.compare_digest(given, self.token)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if path == "/login" and scope.get("method") == "POST":
            await self._login(scope, receive, send)
        elif self._ok(scope):
            await self.app(scope, receive, send)
        elif path.startswith("/api/"):
            await JSONResponse({"error": words(self.lang)["token_needed"]},
                               status_code=401)(scope, receive, send)
        else:
            await self._form(scope, receive, send, status=401)

    async def _form(self, scope: Scope, receive: Receive, send: Send, status: int,
                    failed: bool = False) -> None:
        w = words(self.lang)
        import html as html_lib

        note = f'<p class="error">{html_lib.escape(w["token_wrong"])}</p>' if failed else ""
        page = (f'<!doctype html><html lang="{"en" if self.lang == "en" else "zh-CN"}"><head>'
                f'<meta charset="utf-8"><title>{html_lib.escape(w["title"])}</title>'
                '<link rel="stylesheet" href="/static/explore.css"></head><body class="login">'
                f'<form method="post" action="/login"><h1>{html_lib.escape(w["title"])}</h1>'
                f'{note}<label>{html_lib.escape(w["token_prompt"])} '
                '<input type="password" name="token" autocomplete="current-password" autofocus>'
                f'</label><button type="submit">{html_lib.escape(w["token_enter"])}</button>'
                '</form></body></html>')
        await HTMLResponse(page, status_code=status,
                           headers=security_headers())(scope, receive, send)

    async def _login(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body") or len(body) > 10_000:
                break
        given = parse_qs(body.decode("utf-8", "replace")).get("token", [""])[0].encode("utf-8")
        if given and hmac.compare_digest(given, self.token):
            response = RedirectResponse("/", status_code=303)
            response.set_cookie(COOKIE, given.decode("utf-8"), httponly=True, samesite="strict",
                                path="/")
            await response(scope, receive, send)
        else:
            await self._form(scope, receive, send, status=401, failed=True)


class SecurityHeaders:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(k.encode(), v.encode()) for k, v in security_headers().items()]
                message["headers"] = headers
            await send(message)
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, with_headers)


def security_headers() -> dict[str, str]:
    return {"content-security-policy": CSP, "x-content-type-options": "nosniff",
            "referrer-policy": "no-referrer", "x-frame-options": "DENY",
            "cache-control": "no-store"}


def create_app(explorer: Explorer, *, lang: str = "zh", token: str | None = None,
               loopback: bool = True) -> Starlette:
    """The ASGI app; ``token`` demands it on every request, ``loopback``
    answers only Host 127.0.0.1/localhost."""
    routes_of = ExploreApp(explorer, lang)
    routes = [
        Route("/", routes_of.page), Route("/static/{name}", routes_of.static),
        Route("/api/meta", routes_of.meta), Route("/api/search", routes_of.search),
        Route("/api/node", routes_of.node), Route("/api/expand", routes_of.expand),
        Route("/api/path", routes_of.path), Route("/api/verdict", routes_of.verdict),
        Route("/api/conflicts", routes_of.conflicts),
        Route("/api/portrait", routes_of.portrait),
        Route("/api/subgraph", routes_of.subgraph, methods=["POST"]),
        Route("/api/export.xlsx", routes_of.export_xlsx, methods=["POST"]),
        Route("/api/export.html", routes_of.export_html, methods=["POST"]),
    ]
    middleware = [Middleware(SecurityHeaders)]
    if loopback:
        middleware.append(Middleware(TrustedHostMiddleware,
                                     allowed_hosts=["127.0.0.1", "localhost"]))
    if token:
        middleware.append(Middleware(TokenGate, token=token, lang=lang))
    return Starlette(routes=routes, middleware=middleware)
