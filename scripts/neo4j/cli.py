"""Command line of scripts/neo4j-local: parse, call scripts/neo4j/server.py, print.

Exit status: 0 done, 1 error (the reason is printed), 2 bad options,
3 from ``status`` when no server is running.
"""
from __future__ import annotations

import argparse
import os
import shlex
import sys
import time
from pathlib import Path

from linkgraph.errors import Neo4jError
from scripts.neo4j.server import (NEO4J_VERSION, LocalNeo4j, default_cache_dir,
                                    default_state_dir, fetch_jars, jars_complete,
                                    lib_dir)

EPILOG = """examples:
  scripts/neo4j-local fetch
  scripts/neo4j-local start --port 7687
  scripts/neo4j-local start --quick         # a server for one test run
  eval "$(scripts/neo4j-local env)" && pytest -m neo4j
  scripts/neo4j-local stop

The server's files (data, logs, neo4j.conf, the 0600 password file) live in
--dir, default $LINKGRAPH_NEO4J_DIR or {state}.
The jars are cached in $LINKGRAPH_CACHE/neo4j-VERSION/lib (default {cache}).
"""


def _server(args: argparse.Namespace) -> LocalNeo4j:
    return LocalNeo4j(args.cache_dir, args.dir, port=getattr(args, "port", None),
                      version=args.version, heap=getattr(args, "heap", None),
                      pagecache=getattr(args, "pagecache", None),
                      startup_timeout=getattr(args, "timeout", 180.0),
                      quick=getattr(args, "quick", False))


def cmd_fetch(args: argparse.Namespace) -> int:
    lib = lib_dir(args.cache_dir, args.version)
    cached = jars_complete(lib)
    began = time.monotonic()
    lib = fetch_jars(args.cache_dir, args.version)
    jars = list(lib.glob("*.jar"))
    size = sum(p.stat().st_size for p in jars) / 2**20
    how = "already there" if cached else f"fetched in {time.monotonic() - began:.0f} s"
    print(f"Neo4j {args.version}: {len(jars)} jars, {size:.0f} MiB in {lib} ({how})")
    return 0


def cmd_start(args: argparse.Namespace) -> int:
    server = _server(args)
    began = time.monotonic()
    creds = server.start()
    print(f"# Neo4j {args.version} ready in {time.monotonic() - began:.1f} s "
          f"(pid {server.running_pid()}, files in {server.data_dir})")
    print(f"NEO4J_URI={creds.uri}")
    print(f"NEO4J_USERNAME={creds.user}")
    where = "" if args.dir == default_dir() else f" --dir {shlex.quote(str(args.dir))}"
    print(f"# password in {server.password_file} (0600); export all three with:")
    print(f'#   eval "$(scripts/neo4j-local env{where})"')
    return 0


def cmd_stop(args: argparse.Namespace) -> int:
    stopped = _server(args).stop()
    print("stopped" if stopped else f"no server was running in {args.dir}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    status = _server(args).status()
    if not status["running"]:
        print(f"not running (dir {status['dir']})")
        return 3
    print(f"running: pid {status['pid']}, {status['uri']}, Neo4j {status['version']}, "
          f"dir {status['dir']}")
    return 0


def cmd_env(args: argparse.Namespace) -> int:
    server = _server(args)
    if server.running_pid() is None:
        raise Neo4jError(f"no server is running in {args.dir}")
    for key, value in server.credentials().env().items():
        print(f"export {key}={shlex.quote(value)}")
    return 0


def default_dir() -> Path:
    return Path(os.environ.get("LINKGRAPH_NEO4J_DIR") or default_state_dir())


def build_parser() -> argparse.ArgumentParser:
    state = default_dir()
    parser = argparse.ArgumentParser(
        prog="neo4j-local", description="A local Neo4j server for linkgraph.",
        epilog=EPILOG.format(state=default_state_dir(), cache=default_cache_dir()),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--neo4j-version", dest="version", default=NEO4J_VERSION,
                        help=f"Neo4j version (default {NEO4J_VERSION})")
    parser.add_argument("--cache-dir", type=Path, default=None,
                        help="jar cache (default $LINKGRAPH_CACHE or ~/.cache/linkgraph)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("fetch", help="download the server's jars (once)")
    start = sub.add_parser("start", help="start a server in the background")
    start.add_argument("--port", type=int, default=None, help="Bolt port (default: a free one)")
    start.add_argument("--heap", default=None, help="JVM heap (default 512m, --quick 384m)")
    start.add_argument("--pagecache", default=None,
                       help="page cache (default 128m, --quick 64m)")
    start.add_argument("--quick", action="store_true",
                       help="for a short-lived server (tests): C1 JIT only, smaller heap "
                            "and page cache; starts in about half the CPU time")
    start.add_argument("--timeout", type=float, default=180.0, help="seconds to wait for Bolt")
    for name, text in (("stop", "stop the server"), ("status", "is it running?"),
                       ("env", "print export lines for NEO4J_URI/USERNAME/PASSWORD")):
        sub.add_parser(name, help=text)
    for name in ("start", "stop", "status", "env"):
        sub.choices[name].add_argument("--dir", type=Path, default=state, help="state directory")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = {"fetch": cmd_fetch, "start": cmd_start, "stop": cmd_stop,
               "status": cmd_status, "env": cmd_env}[args.command]
    try:
        return command(args)
    except Neo4jError as exc:
        print(f"neo4j-local: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
