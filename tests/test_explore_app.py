"""The explorer's web app through Starlette's test client (no browser):
read-only, token gate, host check, headers, exports; the CLI's start-up."""
from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from linkgraph.dataset import load_dataset
from linkgraph.explore.app import COOKIE, create_app
from linkgraph.explore.state import Explorer
from tests.hostile_ledger import HOSTILE, hostile_ledger

TINY = Path(__file__).parent / "data" / "tiny"
TOKEN = "correct-horse-battery-staple"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def explorer() -> Explorer:
    return Explorer(load_dataset(TINY).tables)


@pytest.fixture(scope="module")
def client(explorer):
    return TestClient(create_app(explorer), base_url="http://127.0.0.1")


def test_page_and_files_are_served_with_a_strict_policy(client):
    page = client.get("/")
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "connect-src 'self'" in csp
    srcs = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert srcs and all(s.startswith("/static/") or s == "data:," for s in srcs), srcs
    for s in srcs:
        if s.startswith("/static/"):
            assert client.get(s).status_code == 200, s
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/static/LICENSES.txt").status_code == 404   # only the page's files


def test_vendored_scripts_name_no_host_they_would_load_from(client):
    for name in ("sigma.min.js", "graphology.umd.min.js", "d3-force.min.js", "explore.js"):
        text = client.get(f"/static/{name}").text
        # d3's builds carry their home page in a licence comment only
        code = re.sub(r"//[^\n]*https://d3js\.org[^\n]*", "", text)
        assert "sourceMappingURL" not in code
        assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", code), name


def test_read_only_every_write_method_is_refused(client):
    for method in ("put", "delete", "patch"):
        assert getattr(client, method)("/api/search").status_code == 405
    assert client.post("/api/search").status_code == 405
    assert client.post("/api/expand").status_code == 405


def test_only_loopback_host_names_are_answered(client):
    assert client.get("/api/meta", headers={"host": "evil.example"}).status_code == 400
    assert client.get("/api/meta", headers={"host": "localhost:9"}).status_code == 200


def test_meta_search_node_expand_and_path_answer_json(client):
    meta = client.get("/api/meta").json()
    assert meta["words"]["title"] == "linkgraph 关系探索"
    assert [r["id"] for r in meta["rounds"]] == ["X1", "X2"]
    en = client.get("/api/meta", params={"lang": "en"}).json()
    assert en["words"]["title"] == "linkgraph explorer"
    found = client.get("/api/search", params={"q": "王伟"}).json()
    assert found["total"] == 2
    node = client.get("/api/node", params={"key": "Lead:L1"}).json()
    rows = dict(map(tuple, node["rows"]))
    codes = {"talk", "verify", "hold", "close", "investigate"}
    assert not codes & set(rows.values()), rows     # 处置方式 named, never a code
    assert client.get("/api/node", params={"key": "Unit:NOPE"}).status_code == 404
    exp = client.get("/api/expand", params={"key": "Unit:U1", "labels": "Person"}).json()
    assert {n["label"] for n in exp["nodes"]} == {"Person"}
    path = client.get("/api/path", params={"a": "Person:P1", "b": "Unit:U3", "k": "9"}).json()
    assert path["hops"] == 2 and path["conflicts"][0]["level"] == "hard"
    later = client.get("/api/path", params={"a": "Person:P1", "b": "Unit:U3",
                                            "verdict": "later"}).json()
    assert later["verdict"] is True and "conflicts" not in later
    assert client.get("/api/verdict", params={"a": "Unit:U3", "b": "Person:P1"}).json()[
        "conflicts"] == path["conflicts"]
    people = client.get("/api/path", params={"a": "Person:P3", "b": "Person:P5",
                                             "verdict": "later"}).json()
    assert people["verdict"] is False


def test_the_table_of_what_is_shown_as_xlsx(client):
    import openpyxl

    keys = ["Person:P1", "Person:P2", "Unit:U3"]
    r = client.post("/api/export.xlsx", json={"keys": keys})
    assert r.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    assert book.sheetnames[:2] == ["图中节点", "图中关系"]
    text = [[c for c in row if c is not None] for row in book["图中节点"].iter_rows(values_only=True)]
    flat = [c for row in text for c in row]
    assert {"陈明", "何娟", "新津区住房和城乡建设局"} <= set(flat)
    links = [c for row in book["图中关系"].iter_rows(values_only=True) for c in row if c]
    assert "配偶" in links


def test_offline_html_export_is_a_static_view_without_other_hosts(client):
    r = client.post("/api/export.html", json={"keys": ["Person:P1", "Person:P2", "Unit:U3"],
                                              "positions": {"Person:P1": [0, 0]}})
    assert r.status_code == 200
    assert "何娟" in r.text and "window.linkgraphView" in r.text
    assert not re.search(r"(?:src|href)=\"https?://", r.text)


def test_a_hostile_name_comes_back_as_data(tmp_path):
    ex = Explorer(load_dataset(hostile_ledger(tmp_path / "h")).tables)
    c = TestClient(create_app(ex), base_url="http://127.0.0.1")
    r = c.get("/api/search", params={"q": "<img"})
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["results"][0]["full"] == HOSTILE


# -- the token gate (--host) -------------------------------------------------------

@pytest.fixture(scope="module")
def gated(explorer):
    return TestClient(create_app(explorer, token=TOKEN, loopback=False),
                      base_url="http://10.0.0.5")


def test_without_the_token_every_request_is_refused(gated):
    page = gated.get("/")
    assert page.status_code == 401 and 'type="password"' in page.text
    assert "王伟" not in page.text
    for path in ("/api/meta", "/api/search?q=王伟", "/api/node?key=Person:P3", "/static/explore.js"):
        assert gated.get(path).status_code == 401, path
    assert gated.get("/api/meta", headers={"x-linkgraph-token": "wrong"}).status_code == 401
    gated.cookies.set(COOKIE, TOKEN[:-1])
    assert gated.get("/api/meta").status_code == 401
    gated.cookies.clear()


def test_the_token_by_header_or_by_the_login_form(gated):
    assert gated.get("/api/meta", headers={"x-linkgraph-token": TOKEN}).status_code == 200
    wrong = gated.post("/login", data={"token": "nope"}, follow_redirects=False)
    assert wrong.status_code == 401 and "令牌不正确" in wrong.text
    ok = gated.post("/login", data={"token": TOKEN}, follow_redirects=False)
    assert ok.status_code == 303
    cookie = ok.headers["set-cookie"]
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
    gated.cookies.set(COOKIE, TOKEN)
    assert gated.get("/api/search", params={"q": "王伟"}).json()["total"] == 2
    gated.cookies.clear()


# -- the command ----------------------------------------------------------------------

def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "LINKGRAPH_EXPLORE_TOKEN"}
    env.update(PYTHONPATH=str(ROOT), **extra)
    return env


def test_host_without_a_token_in_the_environment_is_a_clear_error():
    done = subprocess.run([sys.executable, "-m", "linkgraph", "explore", str(TINY), "--host",
                           "127.0.0.1", "--no-browser"], capture_output=True, text=True,
                          env=_env(), timeout=120)
    assert done.returncode == 1
    assert "LINKGRAPH_EXPLORE_TOKEN" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


def test_explore_prints_a_loopback_url_that_serves_and_never_echoes_the_token():
    import httpx

    proc = subprocess.Popen([sys.executable, "-m", "linkgraph", "explore", str(TINY),
                             "--host", "127.0.0.1", "--no-browser"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=_env(LINKGRAPH_EXPLORE_TOKEN=TOKEN))
    out = []
    try:
        deadline = time.time() + 90
        url = None
        while time.time() < deadline and url is None:
            line = proc.stdout.readline() if proc.stdout else ""
            out.append(line)
            m = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
            url = m.group(1) if m else None
        assert url, "".join(out)
        assert httpx.get(url + "api/meta").status_code == 401
        assert httpx.get(url + "api/meta", headers={"x-linkgraph-token": TOKEN}).status_code == 200
    finally:
        proc.terminate()
        rest, _ = proc.communicate(timeout=30)
    assert TOKEN not in "".join(out) + rest


def test_english_throughout_on_request(client, explorer):
    assert 'lang="en"' in client.get("/", params={"lang": "en"}).text
    found = client.get("/api/search", params={"q": "王伟", "lang": "en"}).json()
    assert {r["label_name"] for r in found["results"]} == {"Person"}
    path = client.get("/api/path", params={"a": "Person:P1", "b": "Unit:U3",
                                           "lang": "en"}).json()
    assert path["paths"][0]["steps"][0] == "陈明 and 何娟: spouse [hard]"
    assert path["paths"][0]["level_name"] == "hard (must not inspect)"
    assert path["conflicts"][0]["relation"] == "spouse" and path["conflicts"][0]["level_name"] == "hard"
    words = client.get("/api/meta", params={"lang": "en"}).json()["words"]
    assert all(not any("\u4e00" <= ch <= "\u9fff" for ch in w) for w in words.values())
    # the CLI's default language comes through to the page
    en = TestClient(create_app(explorer, lang="en"), base_url="http://127.0.0.1")
    assert 'lang="en"' in en.get("/").text


def test_exports_are_byte_identical_for_the_same_picture(client, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    body = {"keys": ["Unit:U3", "Person:P2", "Person:P1"], "positions": {"Person:P1": [3, 4]}}
    for path in ("/api/export.xlsx", "/api/export.html"):
        first = client.post(path, json=body).content
        again = client.post(path, json={**body, "keys": body["keys"][::-1]}).content
        assert first == again, path


def test_english_every_answer_about_every_node_quotes_only_the_ledgers_free_text(tmp_path):
    """A ledger with pinyin names: in English, any Han character the app sends
    is a leak unless it quotes the ledger's free text (categories, descriptions)."""
    from tests.pinyin_ledger import free_text, han_leaks, pinyin_ledger
    from tests.language import xlsx_texts

    folder = pinyin_ledger(tmp_path / "pinyin")
    ex = Explorer(load_dataset(folder).tables)
    client = TestClient(create_app(ex, lang="en"), base_url="http://127.0.0.1")
    texts: list[str] = []

    def collect(value) -> None:
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                collect(v)
        elif isinstance(value, list):
            for v in value:
                collect(v)
    keys = [str(k) for k in ex.index.keys]
    collect(client.get("/api/meta").json())
    collect(client.get("/api/search", params={"q": "Wang"}).json())
    for key in keys:
        for route in ("node", "expand", "conflicts", "portrait"):
            collect(client.get(f"/api/{route}", params={"key": key}).json())
    collect(client.get("/api/path", params={"a": "Person:P1", "b": "Unit:U3"}).json())
    body = {"keys": keys}
    collect(client.post("/api/subgraph", json=body).json())
    xlsx = tmp_path / "shown.xlsx"
    xlsx.write_bytes(client.post("/api/export.xlsx", json=body).content)
    texts += xlsx_texts(xlsx)
    # the conflicts' evidence sentences are among what was read, in English
    spouse = [t for t in texts if t.startswith("Chen Ming (") and "'s spouse He Juan" in t]
    assert spouse, "no English conflict explanation came back"
    assert han_leaks(texts, free_text(folder)) == []
