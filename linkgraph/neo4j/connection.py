"""Reaching a Neo4j server: settings from the environment or options, and
driver errors turned into one clear ``Neo4jError`` (never a traceback, never
the password)."""
from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from linkgraph.errors import Neo4jError

SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")
DEFAULT_URI = "bolt://localhost:7687"


def is_neo4j_uri(text: str | None) -> bool:
    """True for ``neo4j://…``, ``bolt://…`` and their ``+s``/``+ssc`` forms."""
    return bool(text) and urlsplit(str(text)).scheme.lower() in SCHEMES


@dataclass(frozen=True)
class Settings:
    """Where the server is and who logs in.  ``repr`` hides the password."""

    uri: str = DEFAULT_URI
    user: str = "neo4j"
    password: str = field(default="", repr=False)
    database: str | None = None

    @classmethod
    def from_env(cls, uri: str | None = None, user: str | None = None,
                 password: str | None = None, database: str | None = None,
                 env: Mapping[str, str] | None = None) -> "Settings":
        """Options first, then NEO4J_URI / NEO4J_USERNAME / NEO4J_PASSWORD /
        NEO4J_DATABASE.  A URI may name the database as its path
        (``neo4j://host:7687/inspection``); it must not carry a password."""
        env = os.environ if env is None else env
        uri = uri or env.get("NEO4J_URI") or DEFAULT_URI
        parts = urlsplit(uri)
        if parts.scheme.lower() not in SCHEMES:
            raise Neo4jError(f"Neo4j 地址无效 / not a Neo4j URI: {parts.scheme}://… "
                             f"(可用 / use {', '.join(s + '://' for s in SCHEMES)})")
        if parts.password is not None:
            raise Neo4jError("请不要把密码写进 Neo4j 地址，改用环境变量 NEO4J_PASSWORD / "
                             "do not put the password in the URI; set NEO4J_PASSWORD")
        path_db = parts.path.strip("/") or None
        user = user or parts.username or env.get("NEO4J_USERNAME") or "neo4j"
        host = parts.hostname or "localhost"
        port = f":{parts.port}" if parts.port else ""
        bare = f"{parts.scheme}://{host}{port}"
        if password is None:
            password = env.get("NEO4J_PASSWORD", "")
        return cls(bare, user, password, database or path_db or env.get("NEO4J_DATABASE") or None)

    @property
    def where(self) -> str:
        """The server and database, for messages and provenance (no secrets)."""
        return f"{self.uri}/{self.database}" if self.database else self.uri


def _message(exc: BaseException, settings: Settings) -> str:
    from neo4j import exceptions as ex

    where = settings.where
    if isinstance(exc, ex.AuthError):
        return (f"Neo4j 拒绝登录：用户名或密码错误（用户 {settings.user}，{where}）"
                f" / authentication failed for user {settings.user!r} at {where}; "
                "check NEO4J_USERNAME / NEO4J_PASSWORD")
    if isinstance(exc, ex.ServiceUnavailable):
        return (f"连不上 Neo4j 服务器 {settings.uri}：服务器未启动或地址、端口有误"
                f" / cannot reach the Neo4j server at {settings.uri}: is it running? "
                "(NEO4J_URI)")
    code = getattr(exc, "code", None) or ""
    if code.endswith("DatabaseNotFound") or code.endswith("Database.DatabaseUnavailable"):
        return (f"Neo4j 上没有可用的数据库 {settings.database!r}（{settings.uri}）"
                f" / database {settings.database!r} not found or unavailable on "
                f"{settings.uri} (--database / NEO4J_DATABASE)")
    if isinstance(exc, (ex.ConfigurationError, ValueError)):
        return f"Neo4j 连接设置有误 / bad Neo4j connection settings: {exc}"
    if isinstance(exc, ex.Neo4jError):
        text = " ".join((getattr(exc, "message", None) or str(exc)).split())  # whole, one line
        hint = ""
        if "MemoryPoolOutOfMemory" in code or "memory" in text.lower():
            hint = ("（服务器内存不足：可调小 --batch-size，或调大服务器的 "
                    "db.memory.transaction.total.max / the server ran out of transaction memory: "
                    "lower --batch-size or raise db.memory.transaction.total.max）")
        return f"Neo4j 报错 / Neo4j error {code}: {text}{hint}"
    return f"Neo4j 驱动出错 / Neo4j driver error: {type(exc).__name__}: {exc}"


@contextmanager
def driver_errors(settings: Settings) -> Iterator[None]:
    """Turn any driver exception inside the block into a ``Neo4jError``."""
    from neo4j import exceptions as ex

    try:
        yield
    except (ex.Neo4jError, ex.DriverError, ValueError) as exc:
        if isinstance(exc, Neo4jError):
            raise
        raise Neo4jError(_message(exc, settings)) from None


class Connection:
    """A logged-in driver bound to one database."""

    def __init__(self, driver: Any, settings: Settings):
        self.driver = driver
        self.settings = settings
        self.database = settings.database

    def run(self, query: str, parameters: Mapping[str, Any] | None = None,
            *, write: bool = False) -> list[dict[str, Any]]:
        """Run one statement in a managed transaction; the records as dicts."""
        from neo4j import RoutingControl

        with driver_errors(self.settings):
            result = self.driver.execute_query(
                query, parameters_=dict(parameters or {}), database_=self.database,
                routing_=RoutingControl.WRITE if write else RoutingControl.READ)
        return [r.data() for r in result.records]

    def stream(self, query: str, parameters: Mapping[str, Any] | None = None) -> Iterator[list]:
        """The values of each record, streamed (for pulls too big for a list)."""
        with driver_errors(self.settings), \
                self.driver.session(database=self.database, fetch_size=10000) as session:
            for record in session.run(query, dict(parameters or {})):
                yield record.values()


@contextmanager
def connect(settings: Settings) -> Iterator[Connection]:
    """Log in and check the database answers; a clear ``Neo4jError`` if not."""
    import logging

    from neo4j import GraphDatabase

    quiet = logging.getLogger("neo4j")  # retries are ours to report, once
    if not quiet.handlers:
        quiet.addHandler(logging.NullHandler())
    with driver_errors(settings):
        driver = GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password),
                                      connection_timeout=10)
    try:
        conn = Connection(driver, settings)
        with driver_errors(settings):
            driver.verify_connectivity()
        conn.run("RETURN 1 AS ok")
        yield conn
    finally:
        driver.close()
