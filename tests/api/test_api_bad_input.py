"""Bad input over the API gets a clear 4xx and loses nothing else; rejected input is kept with its
reason; odd stored times never break a page. In-process (TestClient), one service for the module."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from sentinel.api.app import create_app
from sentinel.api.auth import ensure_token
from sentinel.domain.post import Post, PostFlag
from sentinel.domain.timeutil import SHANGHAI
from sentinel.incidents.actions import IncidentActions
from sentinel.settings import Settings
from sentinel.wiring import Services, build_services
from tests.support import REPO

JSON = {"Content-Type": "application/json"}
EXPLOSION = "新港区化工园区一化工厂发生爆炸，目前已造成12人死亡、30余人受伤，现场浓烟滚滚"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Services]]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("api"), config_dir=REPO, sqlite_synchronous="NORMAL")
    services = build_services(settings)
    token = ensure_token(services.store)
    client = TestClient(create_app(services), raise_server_exceptions=False)
    client.headers["Authorization"] = f"Bearer {token}"
    yield client, services
    services.store.close()


def post(post_id: str, text: str = EXPLOSION, **fields: object) -> dict[str, object]:
    return {"id": post_id, "source": "weibo", "region": "新港区", "text": text,
            "published_at": (datetime.now(UTC) - timedelta(minutes=10)).isoformat(), **fields}


def reasons(client: TestClient) -> list[str]:
    return [r["reason"] for r in client.get("/api/v1/rejects", params={"limit": 500}).json()["items"]]


def incident_for(client: TestClient, services: Services, post_id: str) -> str:
    assert client.post("/api/v1/posts", json=post(post_id)).status_code == 202
    services.pipeline.drain(50)
    return str(client.get(f"/api/v1/posts/{post_id}").json()["incident_id"])


def test_lone_surrogate_in_a_batch_keeps_every_item(app: tuple[TestClient, Services]) -> None:
    client, _ = app
    body = json.dumps([post("sg-good", "梅岭县双河乡工地拖欠农民工工资三个月"), post("sg-odd", "abc\ud800def")]).encode()
    response = client.post("/api/v1/posts", content=body, headers=JSON)
    assert response.status_code == 202, response.text
    assert [i["status"] for i in response.json()["items"]] == ["stored", "stored"]
    odd = client.get("/api/v1/posts/sg-odd").json()["post"]
    assert odd["text"] == "abc\ufffddef" and PostFlag.invalid_unicode in odd["flags"]


@pytest.mark.parametrize(("body", "why"), [(b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
                                           (b'{"source": "weibo", "text": "x", "n": ' + b"9" * 5000 + b"}", "digits")])
def test_unparseable_json_is_a_400_and_kept_as_a_reject(app: tuple[TestClient, Services], body: bytes, why: str) -> None:
    client, _ = app
    response = client.post("/api/v1/posts", content=body, headers=JSON)
    assert response.status_code == 400 and why in response.json()["detail"]
    assert reasons(client)[0].startswith("invalid_json") and why in reasons(client)[0]


def test_impossible_times_and_empty_text_are_rejected_per_item(app: tuple[TestClient, Services]) -> None:
    client, _ = app
    batch = [post("it-good"), post("it-y1", published_at="0001-01-01T00:00:00+14:00"),
             post("it-y9999", published_at="9999-12-31T23:59:59-12:00"), post("it-script", "<script>alert(1)</script>"),
             post("it-ctl", "\u0000\u0001"), {"source": "   ", "text": "空白来源帖文"}]
    response = client.post("/api/v1/posts", json=batch)
    assert response.status_code == 202
    items = response.json()["items"]
    assert [i["status"] for i in items] == ["stored"] + ["rejected"] * 5
    assert [i["error"].split(":")[0] for i in items[1:]] == ["implausible_time"] * 2 + ["empty_text"] * 2 + ["invalid_post"]
    assert client.get("/api/v1/posts/it-script").status_code == 404


def test_bearer_scheme_is_case_insensitive(app: tuple[TestClient, Services]) -> None:
    client, _ = app
    token = client.headers["Authorization"].split(" ", 1)[1]
    for header in (f"bearer {token}", f"BEARER  {token}"):
        response = client.post("/api/v1/posts", json=post("auth-1"), headers={"Authorization": header})
        assert response.status_code == 202, header
    assert client.post("/api/v1/posts", json=post("auth-2"), headers={"Authorization": f"Basic {token}"}).status_code == 401


@pytest.mark.parametrize(("action", "needs"), [("set_grade", "grade"), ("set_occurrence_time", "at"),
                                               ("assign_unit", "unit"), ("merge", "other"), ("split", "post_ids")])
def test_action_without_its_parameter_is_a_clear_422(app: tuple[TestClient, Services], action: str, needs: str) -> None:
    client, services = app
    incident = incident_for(client, services, "act-params")
    response = client.post(f"/api/v1/incidents/{incident}/actions", json={"action": action, "actor": "张伟"})
    assert response.status_code == 422
    assert f"{action} 需要参数 {needs}" in response.text and f"needs `{needs}`" in response.text


def test_blank_actor_is_refused(app: tuple[TestClient, Services]) -> None:
    client, services = app
    incident = incident_for(client, services, "act-actor")
    response = client.post(f"/api/v1/incidents/{incident}/actions", json={"action": "acknowledge", "actor": "   "})
    assert response.status_code == 422
    ok = client.post(f"/api/v1/incidents/{incident}/actions", json={"action": "acknowledge", "actor": " 张伟 "})
    assert ok.status_code == 200
    audit = client.get(f"/api/v1/incidents/{incident}").json()["audit"]
    assert [e["actor"] for e in audit if e["action"] == "acknowledge"] == ["张伟"]


def test_action_times_naive_means_shanghai_absurd_is_422(app: tuple[TestClient, Services]) -> None:
    client, services = app
    incident = incident_for(client, services, "act-time")
    url = f"/api/v1/incidents/{incident}/actions"
    naive = (datetime.now(SHANGHAI) - timedelta(minutes=5)).replace(tzinfo=None, microsecond=0)
    response = client.post(url, json={"action": "record_release", "actor": "张伟", "at": naive.isoformat()})
    assert response.status_code == 200, response.text
    audit = client.get(f"/api/v1/incidents/{incident}").json()["audit"]
    assert next(e for e in audit if e["action"] == "record_release")["details"]["at"] == naive.isoformat() + "+08:00"
    for at in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:00:00-12:00",
               (datetime.now(UTC) + timedelta(days=2)).isoformat()):
        response = client.post(url, json={"action": "set_occurrence_time", "actor": "张伟", "at": at})
        assert response.status_code == 422, (at, response.text)


def test_action_layer_key_and_value_errors_are_422(app: tuple[TestClient, Services],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    client, services = app
    incident = incident_for(client, services, "act-errors")
    for error in (KeyError("window"), ValueError("bad value"), OverflowError("date value out of range")):
        def fail(*args: object, error: BaseException = error, **kwargs: object) -> None:
            raise error
        monkeypatch.setattr(IncidentActions, "apply", fail)
        response = client.post(f"/api/v1/incidents/{incident}/actions", json={"action": "acknowledge", "actor": "张伟"})
        assert response.status_code == 422 and response.json()["detail"], error


def test_console_shows_clock_status_in_chinese(app: tuple[TestClient, Services]) -> None:
    client, services = app
    incident = incident_for(client, services, "console-zh")
    page = client.get(f"/incidents/{incident}").text
    clocks = page.split("<h2>回应时限</h2>")[1].split("<h2>")[0]
    statuses = re.findall(r"<tr><td>[^<]*</td><td>[^<]*</td><td>[^<]*</td><td>([^<]*)</td>", clocks)
    assert statuses and set(statuses) <= {"进行中", "已超时", "已完成", "已取消"}
    audit = page.split("<h2>处置记录</h2>")[1]
    assert "开始计时" in audit and "重大(Ⅱ级)" in audit and "权威信息发布" in audit  # codes in Chinese
    assert "serious" not in audit and "release" not in audit


def test_a_stored_far_future_time_does_not_break_the_console(app: tuple[TestClient, Services]) -> None:
    """Stored before ingest refused such times (or by another writer): pages still render."""
    client, services = app
    incident = incident_for(client, services, "far-1")
    far = services.normaliser.from_object(post("far-2", "新港区化工园区化工厂爆炸，已造成12人死亡、30余人受伤"), "test")
    assert isinstance(far, Post)
    late = datetime(9999, 12, 31, 20, 0, tzinfo=UTC)
    services.ingest.ingest_posts([far.model_copy(update={"published_at": late, "flags": (PostFlag.future_time,)})], "test")
    services.pipeline.drain(50)
    assert client.get("/api/v1/posts/far-2").json()["incident_id"] == incident
    page = client.get(f"/incidents/{incident}")
    assert page.status_code == 200 and "12-31 20:00" in page.text
    assert client.get("/").status_code == 200


def test_the_failure_list_is_served_and_shown_on_the_console(app: tuple[TestClient, Services]) -> None:
    """A notification no channel could deliver is listed for staff (API and console), until it is
    delivered after all."""
    from sentinel.alerts.notifiers.base import DeliveryStatus
    from sentinel.alerts.notifiers.dispatch import DeliveryFailure
    from sentinel.alerts.outbox import OutboxLog

    client, services = app
    log = OutboxLog(services.store)
    now = datetime.now(UTC)
    log.record(DeliveryFailure(at=now, dedup_key="INC-X:release:breach", incident_id="INC-X", recipient="王五",
                               channel="email", status=DeliveryStatus.failed, error="没有邮箱地址", permanent=True))
    listed = client.get("/api/v1/notifications/failures").json()
    assert [(f["dedup_key"], f["recipient"], f["error"]) for f in listed] == [("INC-X:release:breach", "王五", "没有邮箱地址")]
    page = client.get("/").text
    assert "发送失败" in page and "没有邮箱地址" in page
    log.resolve(["INC-X:release:breach"], now)
    assert client.get("/api/v1/notifications/failures").json() == []
    assert len(client.get("/api/v1/notifications/failures", params={"open_only": "false"}).json()) == 1


def test_staff_open_an_incident_for_a_lone_post_and_start_its_document_window(app: tuple[TestClient, Services]) -> None:
    client, services = app
    text = "市民来电：申请公开我区2025年老旧小区改造资金使用明细，已提交依申请公开表格，至今未收到答复。"
    assert client.post("/api/v1/posts", json=post("doc-1", text, source="hotline")).status_code == 202
    services.pipeline.drain()
    assert client.get("/api/v1/posts/doc-1").json()["incident_id"] is None  # grouping left it alone
    assert client.post("/api/v1/posts/nope/incident", json={"actor": "张伟"}).status_code == 404
    opened = client.post("/api/v1/posts/doc-1/incident", json={"actor": "张伟"})
    assert opened.status_code == 200, opened.text
    incident = opened.json()["id"]
    assert client.post("/api/v1/posts/doc-1/incident", json={"actor": "张伟"}).status_code == 409
    assert client.get("/api/v1/posts/doc-1").json()["incident_id"] == incident
    # Grouping knows the incident now: the citizen's second call joins it.
    again = "市民再次来电：申请公开我区2025年老旧小区改造资金使用明细，已提交依申请公开表格，至今未收到答复。"
    assert client.post("/api/v1/posts", json=post("doc-2", again, source="hotline")).status_code == 202
    services.pipeline.drain()
    assert client.get("/api/v1/posts/doc-2").json()["incident_id"] == incident
    request = client.post(f"/api/v1/incidents/{incident}/actions",
                          json={"action": "disclosure_request", "actor": "张伟"})
    assert request.status_code == 200, request.text
    detail = client.get(f"/api/v1/incidents/{incident}").json()
    assert [c["clock"]["window"] for c in detail["clocks"]] == ["disclosure_reply"]
    assert ("张伟", "incident_opened") in [(e["actor"], e["action"]) for e in detail["audit"]]


def test_a_post_with_a_posts_field_is_one_post_not_a_batch(app: tuple[TestClient, Services]) -> None:
    client, _ = app
    response = client.post("/api/v1/posts", json=post("pf-1", "某小区物业乱收费，业主集体投诉", posts=12))
    assert response.status_code == 202, response.text
    assert [i["id"] for i in response.json()["items"]] == ["pf-1"]
    assert client.get("/api/v1/posts/pf-1").json()["post"]["extra"] == {"posts": 12}
    envelope = client.post("/api/v1/posts", json={"posts": [post("pf-2", "白沙县某工地拖欠工资")], "batch": "b1"})
    assert [i["id"] for i in envelope.json()["items"]] == ["pf-2"]


def test_a_short_gbk_body_is_decoded_and_an_undecodable_one_rejected(app: tuple[TestClient, Services]) -> None:
    client, _ = app
    body = '{"id": "gbk-short", "source": "weibo", "text": "ok 中"}'.encode("gbk")  # GBK only in the last bytes
    assert client.post("/api/v1/posts", content=body, headers=JSON).status_code == 202
    assert client.get("/api/v1/posts/gbk-short").json()["post"]["text"] == "ok 中"
    bad = b'{"id": "enc-bad", "source": "weibo", "text": "\xff\xfe\x80"}'
    response = client.post("/api/v1/posts", content=bad, headers=JSON)
    assert response.status_code == 400 and "GB18030" in response.json()["detail"]
    assert client.get("/api/v1/posts/enc-bad").status_code == 404
    reject = client.get("/api/v1/rejects").json()["items"][0]
    assert reject["reason"].startswith("invalid_encoding")
    assert base64.b64decode(reject["raw"].removeprefix("base64:")) == bad


def test_numeric_ids_and_empty_times_are_accepted(app: tuple[TestClient, Services]) -> None:
    client, _ = app
    body = {"id": 4987654321, "source": "weibo", "text": "微博帖文：梅岭县双河乡路灯不亮", "published_at": ""}
    response = client.post("/api/v1/posts", json=body)
    assert response.status_code == 202, response.text
    stored = client.get("/api/v1/posts/4987654321").json()["post"]
    assert PostFlag.missing_time in stored["flags"]


def test_search_folds_the_query_like_the_cli_and_a_nul_is_no_error(app: tuple[TestClient, Services]) -> None:
    client, services = app
    assert client.post("/api/v1/posts", json=post("q-1", "青石县柳林镇煤矿透水，X305国道封闭")).status_code == 202
    services.pipeline.drain(50)
    for query in ("煤礦透水", "Ｘ３０５", "煤矿\x00透水"):
        response = client.get("/api/v1/posts", params={"q": query})
        assert response.status_code == 200, (query, response.text)
        assert "q-1" in [p["post"]["id"] for p in response.json()["items"]], query


def test_invisible_text_is_rejected_as_empty(app: tuple[TestClient, Services]) -> None:
    client, _ = app
    response = client.post("/api/v1/posts", json=[post("inv-1", "\ufeff"), post("inv-2", "\u200b\u200c\u200d\u2060")])
    assert [i["error"].split(":")[0] for i in response.json()["items"]] == ["empty_text", "empty_text"]


def test_the_api_docs_work_offline_and_offer_the_token(app: tuple[TestClient, Services]) -> None:
    """An office intranet reaches no CDN: the docs page's assets are served here; the write routes
    declare the bearer token, so the page has an Authorize button for them."""
    client, _ = app
    page = client.get("/docs").text
    assert "/docs-assets/swagger-ui-bundle.js" in page and "cdn.jsdelivr" not in page
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
    spec = client.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert spec["paths"]["/api/v1/posts"]["post"]["security"] == [{"HTTPBearer": []}]
    assert "security" not in spec["paths"]["/api/v1/posts"]["get"]  # reads need no token


def test_the_console_lists_rejects_with_their_reason_in_chinese(app: tuple[TestClient, Services]) -> None:
    client, _ = app
    bad = b'{"source": "weibo", "text": "<script>alert(1)</script>'  # cut off: malformed
    assert client.post("/api/v1/posts", content=bad, headers=JSON).status_code == 400
    assert client.post("/api/v1/posts", json=post("rj-empty", "   ")).status_code == 422
    page = client.get("/rejects").text
    assert "拒收记录" in page and "JSON 格式错误" in page and "正文为空" in page
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)" in page  # raw input is shown escaped
    assert "<a href='/rejects'>拒收记录</a>" in client.get("/").text
