"""``linkgraph explore neo4j://…``: the explorer served from a live Neo4j
(marker ``neo4j``) answers as the explorer of the same ledgers read from
their files."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest

from tests.neo4j_ledgers import env_for

pytestmark = pytest.mark.neo4j


def _serve(args: list[str], env: dict[str, str]):
    proc = subprocess.Popen([sys.executable, "-m", "linkgraph", "explore", *args, "--no-browser"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    out: list[str] = []
    deadline = time.time() + 300
    while time.time() < deadline:
        line = proc.stdout.readline() if proc.stdout else ""
        if not line and proc.poll() is not None:
            break
        out.append(line)
        m = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
        if m:
            return proc, m.group(1), out
    proc.terminate()
    raise AssertionError("".join(out))


def test_explore_a_live_neo4j_answers_as_the_files_do(conn, settings, tables, data_dir, tmp_path):
    import httpx

    from linkgraph.explore.expand import Filters
    from linkgraph.explore.state import Explorer

    env = {**env_for(settings), "LINKGRAPH_CACHE": str(tmp_path / "cache"),
           "PYTHONPATH": os.pathsep.join(sys.path)}
    proc, url, out = _serve([settings.uri], env)
    try:
        files = Explorer(tables)
        meta = httpx.get(url + "api/meta", timeout=60).json()
        assert [r["id"] for r in meta["rounds"]] == sorted(tables["rounds"]["round_id"])
        person = tables["people"].sort_values("person_id").iloc[7]
        found = httpx.get(url + "api/search", params={"q": person["person_id"]}, timeout=60).json()
        assert found["results"][0]["key"] == f"Person:{person['person_id']}"
        assert found["results"][0]["text"] == person["name"]
        unit = tables["problems"]["unit_id"].value_counts().index[0]
        live = httpx.get(url + "api/expand", params={"key": f"Unit:{unit}"}, timeout=60).json()
        want = files.expand(f"Unit:{unit}", Filters())
        assert sorted(n["key"] for n in live["nodes"]) == sorted(n["key"] for n in want["nodes"])
        assert [(a["label"], a["count"]) for a in live["aggregates"]] == \
            [(a["label"], a["count"]) for a in want["aggregates"]]
        assert httpx.post(url + "api/meta", timeout=60).status_code == 405   # read-only
    finally:
        proc.terminate()
        rest, _ = proc.communicate(timeout=60)
    assert settings.password not in "".join(out) + rest
    assert "Traceback" not in "".join(out) + rest
