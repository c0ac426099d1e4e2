"""A local Neo4j 5.26 Community server, run from the jars on Maven Central.

For linkgraph's tests (``tests/neo4j_server_plugin.py``) and for local use
(``scripts/neo4j-local``).  No Neo4j tarball is needed: ``fetch_jars`` lets
Maven copy ``org.neo4j:neo4j`` and its dependencies into a cache, and
``LocalNeo4j`` starts ``org.neo4j.server.CommunityEntryPoint`` on them with
Bolt on 127.0.0.1, HTTP off and a small heap, every directory inside one
state directory, and authentication on with a random password kept in a
0600 file (the initial password is written the way
``neo4j-admin dbms set-initial-password`` writes it: ``data/dbms/auth.ini``).

    with LocalNeo4j() as (uri, user, password):
        ...

5.26 LTS is the last Neo4j line that runs on Java 17.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import NamedTuple, NoReturn

from linkgraph.errors import Neo4jError

NEO4J_VERSION = "5.26.30"
USER = "neo4j"
HOST = "127.0.0.1"
POM = Path(__file__).resolve().parent / "pom.xml"
_COMPLETE = ".complete"  # marker file in lib/: the fetch finished

# The --add-opens and friends recommended by Neo4j 5.26's own config migrator;
# ParallelGC: a push writes two transactions at once, and with the serial
# collector their garbage stops both (city push 55 s vs 40 s with ParallelGC).
JVM_FLAGS = (
    "-XX:+UseParallelGC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
)

#: ``quick``: for short-lived servers (the tests').  C1 only: the JIT's second
#: tier (C2) spends its compile threads on the start-up code, which a test
#: session never runs long enough to win back; a smaller heap and page cache.
QUICK_JVM_FLAGS = ("-XX:TieredStopAtLevel=1",)
QUICK_HEAP = "384m"
QUICK_PAGECACHE = "64m"


class Neo4jCredentials(NamedTuple):
    """How to reach a server: ``uri, user, password = creds`` works."""

    uri: str
    user: str
    password: str

    def env(self) -> dict[str, str]:
        """The variables the Neo4j tools and linkgraph read."""
        return {"NEO4J_URI": self.uri, "NEO4J_USERNAME": self.user,
                "NEO4J_PASSWORD": self.password}


def default_cache_dir() -> Path:
    """``$LINKGRAPH_CACHE`` or ``~/.cache/linkgraph``."""
    return Path(os.environ.get("LINKGRAPH_CACHE") or Path.home() / ".cache" / "linkgraph")


def default_state_dir() -> Path:
    """Where ``scripts/neo4j-local`` keeps its server when no ``--dir`` is given."""
    return Path(tempfile.gettempdir()) / f"linkgraph-neo4j-{os.getuid()}"


def lib_dir(cache_dir: Path | None = None, version: str = NEO4J_VERSION) -> Path:
    return Path(cache_dir or default_cache_dir()) / f"neo4j-{version}" / "lib"


def jars_complete(lib: Path) -> bool:
    """True when a fetch into ``lib`` finished (its marker lists every jar)."""
    marker = lib / _COMPLETE
    if not marker.is_file():
        return False
    names = marker.read_text(encoding="utf-8").split()
    return bool(names) and all((lib / name).is_file() for name in names)


def fetch_jars(cache_dir: Path | None = None, version: str = NEO4J_VERSION,
               *, mvn: str = "mvn", pom: Path = POM) -> Path:
    """Copy the server's jars from Maven into the cache; skip if already there.

    Returns the ``lib`` directory.  Maven's own repository (``~/.m2`` unless
    ``MAVEN_OPTS`` says ``-Dmaven.repo.local=...``) keeps a second copy.
    """
    lib = lib_dir(cache_dir, version)
    if jars_complete(lib):
        return lib
    mvn_path = shutil.which(mvn)
    if mvn_path is None:
        raise Neo4jError(f"Maven ({mvn!r}) not found: it is needed once to fetch "
                         f"the Neo4j {version} jars (apt-get install maven)")
    if not pom.is_file():
        raise Neo4jError(f"{pom} not found: fetching the jars needs a linkgraph "
                         "source checkout")
    partial = lib.with_name(f"lib.partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    cmd = [mvn_path, "-q", "-B", "-f", str(pom), "dependency:copy-dependencies",
           f"-Dneo4j.version={version}", f"-DoutputDirectory={partial}"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0 or not any(partial.glob("*.jar")):
        shutil.rmtree(partial, ignore_errors=True)
        raise Neo4jError(f"Maven could not fetch Neo4j {version}:\n"
                         + _tail(done.stdout + done.stderr))
    names = sorted(p.name for p in partial.glob("*.jar"))
    (partial / _COMPLETE).write_text("\n".join(names) + "\n", encoding="utf-8")
    shutil.rmtree(lib, ignore_errors=True)
    try:
        partial.rename(lib)
    except OSError:  # another process finished the same fetch first
        shutil.rmtree(partial, ignore_errors=True)
        if not jars_complete(lib):
            raise
    return lib


def java_major_version(java: str = "java") -> int:
    """The feature version of ``java`` (17 for 17.0.15); Neo4jError if absent."""
    path = shutil.which(java)
    if path is None:
        raise Neo4jError(f"Java ({java!r}) not found: Neo4j 5.26 needs Java 17 or 21 "
                         "(apt-get install openjdk-17-jre-headless)")
    out = subprocess.run([path, "-version"], capture_output=True, text=True).stderr
    found = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if not found:
        raise Neo4jError(f"cannot read the version of {path}: {out.strip()[:200]}")
    major = int(found.group(1))
    return int(found.group(2) or 0) if major == 1 else major


def port_is_free(port: int, host: str = HOST) -> bool:
    """Whether a server could listen on ``port`` now.  With SO_REUSEADDR, as
    the JVM's server sockets use on Linux: connections the old server closed
    linger in TIME_WAIT for a minute but do not stop a new listener."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = HOST) -> int:
    """A port nobody listens on now (the usual bind-to-0 trick; racy but fine)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def bolt_answers(host: str, port: int, timeout: float = 1.0) -> bool:
    """True if a Bolt server agrees on a protocol version (4.4 to 5.8)."""
    hello = bytes.fromhex("6060b017" "00080805" "00000404" "00000000" "00000000")
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(hello)
            reply = sock.recv(4)
    except OSError:
        return False
    return len(reply) == 4 and reply != b"\0\0\0\0"


def auth_ini_line(user: str, password: str, salt: bytes | None = None) -> str:
    """One ``data/dbms/auth.ini`` line, as ``neo4j-admin dbms set-initial-password``
    writes it: salted SHA-256 iterated 1024 times (Shiro's SimpleHash)."""
    salt = secrets.token_bytes(32) if salt is None else salt
    digest = hashlib.sha256(salt + password.encode("utf-8")).digest()
    for _ in range(1023):
        digest = hashlib.sha256(digest).digest()
    return f"{user}:SHA-256,{digest.hex()},{salt.hex()},1024:\n"


def render_conf(state_dir: Path, lib: Path, port: int, *,
                pagecache: str = "128m") -> str:
    """``neo4j.conf``: Bolt on 127.0.0.1 only, HTTP(S) off, auth on, every
    directory inside ``state_dir``, no usage reports, fast shutdown."""
    d = state_dir.resolve()
    settings = {
        "server.directories.data": d / "data",
        "server.directories.transaction.logs.root": d / "data" / "transactions",
        "server.directories.dumps.root": d / "data" / "dumps",
        "server.directories.logs": d / "logs",
        "server.directories.run": d / "run",
        "server.directories.import": d / "import",
        "server.directories.plugins": d / "plugins",
        "server.directories.licenses": d / "licenses",
        "server.directories.lib": lib.resolve(),
        "server.default_listen_address": HOST,
        "server.bolt.listen_address": f"{HOST}:{port}",
        "server.bolt.advertised_address": f"{HOST}:{port}",
        "server.http.enabled": "false",
        "server.https.enabled": "false",
        "server.memory.pagecache.size": pagecache,
        "dbms.security.auth_enabled": "true",
        "dbms.usage_report.enabled": "false",
        "db.tx_log.preallocate": "false",  # else 256 MB per database up front
        # Bolt waits 2 x 5 s on shutdown for connections that are long gone.
        "internal.server.bolt.connection_shutdown_wait_time": "1s",
        "internal.server.bolt.thread_pool_shutdown_wait_time": "1s",
    }
    lines = ["# Written by scripts/neo4j/server.py; rewritten at every start."]
    lines += [f"{key}={value}" for key, value in settings.items()]
    return "\n".join(lines) + "\n"


def _tail(text: str, lines: int = 25) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, 0o600)


def _cmdline(pid: int) -> str | None:
    """The command line of a live process, None if gone ('' off Linux)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return None if sys.platform.startswith("linux") else ""
    return raw.replace(b"\0", b" ").decode(errors="replace")


def _stop_with_parent() -> None:  # pragma: no cover - runs in the child
    import ctypes

    ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class LocalNeo4j:
    """One Neo4j server whose files all live in ``data_dir``.

    Without ``data_dir`` a temporary directory is made and removed again by
    ``stop``.  A ``data_dir`` that already holds a database is started again
    with its data and its password file.  ``stop_with_parent`` (Linux) has
    the kernel send SIGTERM to the server when this process dies, so a
    killed test run leaves no server behind.  ``quick`` starts a server
    for a short life (tests): C1 JIT only, a smaller heap and page cache
    (``QUICK_*``) unless ``heap``/``pagecache`` are given.
    """

    def __init__(self, cache_dir: Path | None = None, data_dir: Path | None = None,
                 *, port: int | None = None, version: str = NEO4J_VERSION,
                 heap: str | None = None, pagecache: str | None = None,
                 startup_timeout: float = 180.0, java: str = "java",
                 stop_with_parent: bool = False, quick: bool = False) -> None:
        self.cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
        self._temporary = data_dir is None
        self.data_dir = Path(data_dir) if data_dir else None
        self.port = port
        self.version = version
        self.quick = quick
        self.heap = heap or (QUICK_HEAP if quick else "512m")
        self.pagecache = pagecache or (QUICK_PAGECACHE if quick else "128m")
        self.startup_timeout = startup_timeout
        self.java = java
        self.stop_with_parent = stop_with_parent
        self._proc: subprocess.Popen[bytes] | None = None

    # -- files of the state directory -------------------------------------
    def _dir(self) -> Path:
        if self.data_dir is None:
            self.data_dir = Path(tempfile.mkdtemp(prefix="linkgraph-neo4j-"))
        return self.data_dir

    @property
    def password_file(self) -> Path:
        return self._dir() / "password"

    @property
    def log_file(self) -> Path:
        return self._dir() / "logs" / "console.log"

    @property
    def _state_file(self) -> Path:
        return self._dir() / "server.json"

    def _read_state(self) -> dict[str, object] | None:
        try:
            state: dict[str, object] = json.loads(self._state_file.read_text("utf-8"))
        except (OSError, ValueError):
            return None
        return state

    def running_pid(self) -> int | None:
        """The pid of this directory's server if it is alive."""
        pid = (self._read_state() or {}).get("pid")
        if not isinstance(pid, int):
            return None
        cmd = _cmdline(pid)
        conf = str(self._dir().resolve() / "conf")
        if cmd is None or (cmd and f"--config-dir={conf}" not in cmd):
            return None  # gone, or the pid now belongs to someone else
        return pid

    def credentials(self) -> Neo4jCredentials:
        """URI, user and password of this directory's server (running or not)."""
        state = self._read_state()
        if not state:
            raise Neo4jError(f"no server has been started in {self._dir()}")
        try:
            password = self.password_file.read_text("utf-8").strip()
        except OSError as exc:
            raise Neo4jError(f"cannot read the password file: {exc}") from exc
        return Neo4jCredentials(str(state["uri"]), USER, password)

    def status(self) -> dict[str, object]:
        pid = self.running_pid()
        state = self._read_state() or {}
        return {"running": pid is not None, "pid": pid, "uri": state.get("uri"),
                "version": state.get("version"), "dir": str(self._dir()),
                "password_file": str(self.password_file)}

    # -- start ---------------------------------------------------------------
    def start(self) -> Neo4jCredentials:
        """Fetch the jars if needed, start the server, wait until Bolt answers."""
        if java_major_version(self.java) < 17:
            raise Neo4jError(f"Neo4j {self.version} needs Java 17 or newer")
        try:
            home = self._claim_dir()
            port = self._pick_port()
            lib = fetch_jars(self.cache_dir, self.version)
            password = self._prepare_password(home)
        except BaseException:
            self._discard_temporary()  # never stop() here: it may be another's server
            raise
        (home / "conf").mkdir(exist_ok=True)
        (home / "logs").mkdir(exist_ok=True)
        (home / "conf" / "neo4j.conf").write_text(
            render_conf(home, lib, port, pagecache=self.pagecache), encoding="utf-8")
        pid = self._launch(home, lib)
        creds = Neo4jCredentials(f"bolt://{HOST}:{port}", USER, password)
        self._state_file.write_text(json.dumps(
            {"pid": pid, "uri": creds.uri, "port": port, "version": self.version})
            + "\n", encoding="utf-8")
        try:
            self._wait_ready(creds)
        except BaseException:  # Neo4jError has stopped it already; Ctrl-C has not
            self.stop()
            raise
        return creds

    def _claim_dir(self) -> Path:
        home = self._dir()
        home.mkdir(mode=0o700, parents=True, exist_ok=True)
        if home.stat().st_uid != os.getuid():
            raise Neo4jError(f"{home} belongs to another user")
        pid = self.running_pid()
        if pid is not None:
            state = self._read_state() or {}
            raise Neo4jError(f"a server is already running in {home} "
                             f"(pid {pid}, {state.get('uri')}); stop it first")
        return home

    def _pick_port(self) -> int:
        if self.port is None:
            return free_port()
        if not port_is_free(self.port):
            raise Neo4jError(f"port {self.port} on {HOST} is busy; "
                             "choose another one or leave the port out")
        return self.port

    def _prepare_password(self, home: Path) -> str:
        """A new random password for a new database; the kept one otherwise."""
        if (home / "data" / "databases" / "system").exists():
            if not self.password_file.is_file():
                raise Neo4jError(f"{home} holds a database but no password file")
            return self.password_file.read_text("utf-8").strip()
        password = secrets.token_urlsafe(24)
        (home / "data" / "dbms").mkdir(parents=True, exist_ok=True)
        _write_private(home / "data" / "dbms" / "auth.ini", auth_ini_line(USER, password))
        _write_private(self.password_file, password + "\n")
        return password

    def _launch(self, home: Path, lib: Path) -> int:
        cmd = [shutil.which(self.java) or self.java, f"-Xmx{self.heap}", "-Xms64m",
               *JVM_FLAGS, *(QUICK_JVM_FLAGS if self.quick else ()),
               "-cp", f"{lib}/*", "org.neo4j.server.CommunityEntryPoint",
               f"--home-dir={home.resolve()}",
               f"--config-dir={home.resolve() / 'conf'}", "--console-mode"]
        with open(self.log_file, "ab") as log:
            self._proc = subprocess.Popen(
                cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                cwd=home, start_new_session=True,
                preexec_fn=_stop_with_parent if self.stop_with_parent
                and sys.platform.startswith("linux") else None)
        return self._proc.pid

    def _wait_ready(self, creds: Neo4jCredentials) -> None:
        """Poll the Bolt handshake, then log in once with the driver."""
        assert self._proc is not None
        port = int(creds.uri.rsplit(":", 1)[1])
        deadline = time.monotonic() + self.startup_timeout
        while not bolt_answers(HOST, port):
            if self._proc.poll() is not None:
                self._fail(f"the server exited with status {self._proc.returncode}")
            if time.monotonic() > deadline:
                self._fail(f"Bolt did not answer within {self.startup_timeout:.0f} s")
            time.sleep(0.2)
        try:
            from neo4j import GraphDatabase, exceptions
        except ImportError:
            return  # the handshake is all we can check without the driver
        with GraphDatabase.driver(creds.uri, auth=(creds.user, creds.password)) as drv:
            try:
                drv.verify_connectivity()
            except exceptions.AuthError:
                self._fail(f"the server refused the password in {self.password_file}")
            except exceptions.DriverError as exc:
                self._fail(f"Bolt answered but the driver failed: {exc}")

    def _fail(self, reason: str) -> NoReturn:
        log_file = self.log_file
        try:
            log = log_file.read_text("utf-8", errors="replace")
        except OSError:
            log = ""
        self.stop()
        raise Neo4jError(f"Neo4j {self.version} did not start: {reason}\n"
                         f"last lines of {log_file}:\n{_tail(log)}")

    # -- stop ----------------------------------------------------------------
    def stop(self, timeout: float = 60.0) -> bool:
        """SIGTERM, wait up to ``timeout`` s for a clean shutdown, then SIGKILL.

        Returns whether a server was running.  A temporary directory is removed.
        """
        pid = self._proc.pid if self._proc and self._proc.poll() is None else None
        pid = pid or (self.running_pid() if self.data_dir else None)
        if pid is not None:
            self._signal_and_wait(pid, timeout)
        if self._proc is not None:
            self._proc.wait()
            self._proc = None
        if self.data_dir is not None:
            self._state_file.unlink(missing_ok=True)
        self._discard_temporary()
        return pid is not None

    def _discard_temporary(self) -> None:
        if self._temporary and self.data_dir is not None:
            shutil.rmtree(self.data_dir, ignore_errors=True)
            self.data_dir = None

    def _signal_and_wait(self, pid: int, timeout: float) -> None:
        for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 10.0)):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                return
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline:
                if self._proc is not None and self._proc.pid == pid:
                    if self._proc.poll() is not None:
                        return
                elif _cmdline(pid) is None:
                    return
                time.sleep(0.1)
        raise Neo4jError(f"the server (pid {pid}) did not stop")

    def __enter__(self) -> Neo4jCredentials:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None,
                 exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()
