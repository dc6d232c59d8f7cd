"""The API over real HTTP: auth on writes, ingest of one post or a batch, bad input, search,
incidents with running clocks, probes and the OpenAPI document."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.support import Running

pytestmark = pytest.mark.integration

SERIOUS = {
    "id": "wb-serious-1", "source": "weibo", "author": "清江身边事", "region": "新港区",
    "text": "新港区化工园区一化工厂发生爆炸，目前已造成12人死亡、30余人受伤，现场浓烟滚滚",
    "published_at": (datetime.now(UTC) - timedelta(minutes=10)).isoformat(),
}


def test_writes_need_the_token(server: Running) -> None:
    with server.client(token="wrong") as client:
        assert client.post("/api/v1/posts", json=SERIOUS).status_code == 401
    import httpx

    assert httpx.post(f"{server.url}/api/v1/posts", json=SERIOUS).status_code == 401
    assert httpx.get(f"{server.url}/api/v1/posts").status_code == 200  # reads are open on loopback


def _raw_request(server: Running, path: str, headers: dict[str, str], body: bytes = b"") -> str:
    """Sends the request head (and `body`) over a plain socket and returns the status line: a
    server that waited for the declared body would time out here."""
    import socket
    from urllib.parse import urlsplit

    where = urlsplit(server.url)
    head = "".join(f"{k}: {v}\r\n" for k, v in {"Host": where.netloc, **headers}.items())
    with socket.create_connection((where.hostname, where.port), timeout=5) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\n{head}\r\n".encode("latin-1") + body)
        return sock.recv(4096).decode("latin-1").split("\r\n", 1)[0]


def test_writes_are_judged_before_their_body_is_read(server: Running) -> None:
    """A 300 MB body declared to the actions endpoint: refused without a token, and with one, as
    too large, before a byte of it is read."""
    huge = {"Content-Type": "application/json", "Content-Length": str(300 * 1024 * 1024)}
    assert _raw_request(server, "/api/v1/incidents/INC-x/actions", huge).endswith("401 Unauthorized")
    authorised = {**huge, "Authorization": f"Bearer {server.token}"}
    assert _raw_request(server, "/api/v1/incidents/INC-x/actions", authorised).endswith("413 Request Entity Too Large")
    assert _raw_request(server, "/api/v1/posts", authorised).endswith("413 Request Entity Too Large")
    chunked = {"Content-Type": "application/json", "Transfer-Encoding": "chunked", "Authorization": f"Bearer {server.token}"}
    piece = b"a" * 65536
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for _ in range(20))  # 1.3 MB, no length declared
    assert _raw_request(server, "/api/v1/posts/p1/correction", chunked, chunks).endswith("413 Request Entity Too Large")
    with server.client() as client:  # an ordinary action still reaches its endpoint
        assert client.post("/api/v1/incidents/INC-x/actions", json={"action": "acknowledge", "actor": "张伟"}).status_code == 404


def test_one_post_is_stored_classified_and_opens_an_incident_with_clocks(server: Running) -> None:
    with server.client() as client:
        response = client.post("/api/v1/posts", json=SERIOUS)
        assert response.status_code == 202
        assert response.json()["items"][0] == {"index": 0, "id": "wb-serious-1", "status": "stored",
                                               "duplicate_of": None, "error": None}
        view = server.wait_for(lambda: (r := client.get("/api/v1/posts/wb-serious-1").json())["incident_id"] and r)
        assert view["classification"]["grade"] == "serious"
        assert view["classification"]["topics"][0]["code"] == "work_safety"
        detail = client.get(f"/api/v1/incidents/{view['incident_id']}").json()
        windows = {c["clock"]["window"]: c for c in detail["clocks"]}
        assert windows["release"]["clock"]["status"] == "running"
        assert 0 < windows["release"]["remaining_seconds"] <= 5 * 3600
        assert detail["incident"]["owner_unit"] == "新港区委网信办"
        assert any(n["notification"]["kind"] == "opened" for n in detail["notifications"])


def test_batch_with_bad_items_keeps_the_good_ones(server: Running) -> None:
    batch = [
        {"source": "hotline", "text": "市民反映梅岭县双河乡某工地拖欠农民工工资三个月", "published_at": "2026-11-22 10:00:00"},
        {"source": "weibo", "text": ""},
        "not an object",
        {"source": "weibo", "text": "市民反映梅岭县双河乡某工地拖欠农民工工资三个月", "published_at": "2026-11-22 10:00:00"},
    ]
    with server.client() as client:
        response = client.post("/api/v1/posts", json=batch)
        assert response.status_code == 202
        statuses = [item["status"] for item in response.json()["items"]]
        # Same text from another channel: stored (it adds heat) but linked to the first.
        assert statuses == ["stored", "rejected", "rejected", "duplicate_text"]
        items = response.json()["items"]
        assert items[3]["duplicate_of"] == items[0]["id"]
        rejects = client.get("/api/v1/rejects").json()
        assert rejects["total"] == 2
        assert {r["reason"].split(":")[0] for r in rejects["items"]} == {"invalid_post", "not_object"}


def test_malformed_json_is_a_400_and_kept_as_a_reject(server: Running) -> None:
    with server.client() as client:
        response = client.post("/api/v1/posts", content=b'{"source": "weibo", "text": "broken',
                               headers={"Content-Type": "application/json"})
        assert response.status_code == 400 and "malformed JSON" in response.json()["detail"]
        assert client.get("/api/v1/rejects").json()["items"][0]["source"] == "http"


def test_gbk_body_is_decoded(server: Running) -> None:
    body = json.dumps({"id": "gbk-1", "source": "forum", "text": "白沙县某小区物业乱收费，业主投诉无门"},
                      ensure_ascii=False).encode("gbk")
    with server.client() as client:
        assert client.post("/api/v1/posts", content=body, headers={"Content-Type": "application/json"}).status_code == 202
        assert client.get("/api/v1/posts/gbk-1").json()["post"]["text"] == "白沙县某小区物业乱收费，业主投诉无门"


def test_search_filters_and_probes(server: Running) -> None:
    with server.client() as client:
        client.post("/api/v1/posts", json=[SERIOUS, {"id": "n1", "source": "news", "text": "青石县柳林镇煤矿透水事故，9人被困"}])
        server.wait_for(lambda: client.get("/api/v1/posts", params={"grade": "serious"}).json()["total"] >= 1)
        found = client.get("/api/v1/posts", params={"q": "爆炸"}).json()
        assert [p["post"]["id"] for p in found["items"]] == ["wb-serious-1"]
        assert client.get("/api/v1/posts", params={"source": "news"}).json()["total"] == 1
        assert client.get("/api/v1/posts", params={"limit": 0}).status_code == 422
        # A time without offset means Asia/Shanghai (not a 500 from comparing naive and aware times).
        assert client.get("/api/v1/stats/timeliness", params={"since": "2026-11-01T00:00"}).status_code == 200
        assert client.get("/api/v1/posts", params={"since": "2020-01-01T00:00"}).json()["total"] == 2
        assert client.get("/healthz").json() == {"status": "ok"}
        ready = client.get("/readyz")
        assert ready.status_code == 200 and ready.json()["details"]["posts"] == 2
        spec = client.get("/openapi.json").json()
        assert "PostIn" in spec["components"]["schemas"] and "/api/v1/incidents" in spec["paths"]
        assert "舆情值班台" in client.get("/").text


def test_staff_correction_is_stored_kept_for_training_and_audited(server: Running) -> None:
    from sentinel.classify.data import corrections_path, load_corrections

    with server.client() as client:
        client.post("/api/v1/posts", json=SERIOUS)
        server.wait_for(lambda: client.get("/api/v1/posts/wb-serious-1").json()["classification"])
        body = {"topics": ["environment", "work_safety"], "grade": "particularly_serious", "actor": "李娜",
                "note": "实际死亡32人"}
        response = client.post("/api/v1/posts/wb-serious-1/correction", json=body)
        assert response.status_code == 200 and response.json()["classifier"] == "staff"
        view = client.get("/api/v1/posts/wb-serious-1").json()
        assert view["classification"]["grade"] == "particularly_serious"
        assert [t["code"] for t in view["classification"]["topics"]] == ["environment", "work_safety"]
        assert client.post("/api/v1/posts/nope/correction", json=body).status_code == 404
        assert client.post("/api/v1/posts/wb-serious-1/correction", json={**body, "topics": []}).status_code == 422
    saved = load_corrections(corrections_path(server.services.settings.data_dir))
    assert [(c.post_id, c.grade.value, c.actor) for c in saved] == [("wb-serious-1", "particularly_serious", "李娜")]
    audit = server.services.store.list_audit()
    assert any(e.action == "correct_classification" and e.actor == "李娜" for e in audit)


def test_a_locked_database_is_a_503_to_retry_and_probes_answer_meanwhile(server: Running,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Another process holds the write lock past the store's busy timeout (30 s, 3 s here; a worker
    thread's connection is opened with it): the post waits in a worker thread, not on the event
    loop, and then asks the client to retry."""
    monkeypatch.setattr(type(server.services.store), "busy_timeout_s", 3.0)
    holder = sqlite3.connect(server.services.store.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    answers: dict[str, httpx.Response] = {}
    ingesting = threading.Event()
    ingest = server.services.ingest.ingest_objects

    def noted(*args: object, **kwargs: object) -> object:
        ingesting.set()  # the handler has the post and is about to write it
        return ingest(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(server.services.ingest, "ingest_objects", noted)

    def send() -> None:
        with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {server.token}"}, timeout=90) as c:
            answers["post"] = c.post("/api/v1/posts", json={"id": "locked-1", "source": "weibo", "text": "测试锁等待的帖文"})

    writer = threading.Thread(target=send)
    try:
        writer.start()
        assert ingesting.wait(timeout=10)  # the post is waiting on the lock now
        started = time.monotonic()
        assert httpx.get(f"{server.url}/healthz", timeout=10).status_code == 200
        assert time.monotonic() - started < 2
        writer.join(timeout=60)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    response = answers["post"]
    assert response.status_code == 503, response.text
    assert response.headers["Retry-After"] and "retry" in response.json()["detail"]
    with server.client() as client:
        assert client.post("/api/v1/posts", json={"id": "locked-1", "source": "weibo", "text": "测试锁等待的帖文"}).status_code == 202
