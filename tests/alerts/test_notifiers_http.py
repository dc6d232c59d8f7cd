"""Robot, SMS and webhook notifiers against real HTTP receivers on 127.0.0.1.

The receivers verify what the real services verify (钉钉/飞书 signatures, our webhook HMAC) and
answer the way the real APIs do (HTTP 200 with an error code in the body for a bad signature).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import time
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import SecretStr
from tests.alerts.test_notifiers_support import (
    NOW,
    TOKEN,
    Receiver,
    Reply,
    Seen,
    make,
    receiver_fixture,  # noqa: F401 - the `receiver` fixture
)

from sentinel.alerts.notifiers.base import DeliveryStatus, url_secrets
from sentinel.alerts.notifiers.config import (
    DingtalkChannel,
    FeishuChannel,
    SmsChannel,
    WebhookChannel,
    WecomChannel,
)
from sentinel.alerts.notifiers.dingtalk import DingtalkNotifier
from sentinel.alerts.notifiers.feishu import FeishuNotifier
from sentinel.alerts.notifiers.render import FEISHU_MAX_BYTES, WECOM_MAX_BYTES
from sentinel.alerts.notifiers.sms import SmsNotifier
from sentinel.alerts.notifiers.webhook import WebhookNotifier
from sentinel.alerts.notifiers.wecom import WecomNotifier
from sentinel.domain.alerting import Recipient

pytestmark = pytest.mark.integration

DING_SECRET = "SECdingtalk-signing-secret-0123456789"
FEISHU_SECRET = "feishu-signing-secret-abcdef"
HOOK_SECRET = "webhook-hmac-secret-42"
SMS_AUTH = "Bearer sms-gateway-token-5e1d"


# ------------------------------------------------------------------ 企业微信


def test_wecom_markdown_payload_and_errcode(receiver: Receiver) -> None:
    cfg = WecomChannel(
        type="wecom", url=SecretStr(receiver.url(f"/cgi-bin/webhook/send?key={TOKEN}")), allow_private=True
    )
    notifier = WecomNotifier("wecom", cfg)
    result = notifier.send(make(body_zh="长" * 5_000), NOW)
    assert result.status is DeliveryStatus.delivered and result.http_status == 200
    seen = receiver.seen[0]
    assert seen.query == {"key": [TOKEN]}
    payload = seen.json()
    assert set(payload) == {"msgtype", "markdown"} and payload["msgtype"] == "markdown"
    content = payload["markdown"]["content"]
    assert content.startswith("### 【重大·超时】新港区化工园区爆炸 权威信息发布已超时")
    assert len(content.encode()) <= WECOM_MAX_BYTES
    assert seen.headers["Content-Type"].startswith("application/json")

    receiver.script = [Reply(body={"errcode": 93000, "errmsg": "invalid webhook url"})]
    bad = notifier.send(make(), NOW)
    assert bad.status is DeliveryStatus.failed and "93000" in bad.error
    receiver.script = [Reply(body={"errcode": 45009, "errmsg": "api freq out of limit"})]
    assert notifier.send(make(), NOW).status is DeliveryStatus.retryable


# ------------------------------------------------------------------ 钉钉


def dingtalk_verifier(secret: str) -> Callable[[Seen], Reply | None]:
    def verify(seen: Seen) -> Reply | None:
        timestamp = seen.query.get("timestamp", [""])[0]
        sign = seen.query.get("sign", [""])[0]  # parse_qs has already URL-decoded it
        message = f"{timestamp}\n{secret}".encode()
        expected = base64.b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest()).decode()
        fresh = timestamp.isdigit() and abs(time.time() * 1000 - int(timestamp)) < 3_600_000
        if not (fresh and hmac.compare_digest(sign, expected)):
            return Reply(body={"errcode": 310000, "errmsg": "sign not match"})
        return None

    return verify


def test_dingtalk_signed_markdown_verified_by_receiver() -> None:
    with Receiver(verify=dingtalk_verifier(DING_SECRET)) as receiver:
        url = SecretStr(receiver.url(f"/robot/send?access_token={TOKEN}"))
        cfg = DingtalkChannel(
            type="dingtalk",
            url=url,
            secret=SecretStr(DING_SECRET),
            at_mobiles=("13800000000",),
            allow_private=True,
        )
        result = DingtalkNotifier("ding", cfg).send(make(), NOW)
        assert result.status is DeliveryStatus.delivered, result.error
        seen = receiver.seen[0]
        assert seen.query["access_token"] == [TOKEN]
        raw_sign = seen.raw_query.split("sign=", 1)[1]
        assert raw_sign.endswith("%3D") and not set("+/=") & set(raw_sign)  # base64, URL-encoded
        payload = seen.json()
        assert payload["msgtype"] == "markdown"
        assert payload["markdown"]["title"] == "【重大·超时】新港区化工园区爆炸 权威信息发布已超时"
        assert payload["markdown"]["text"].endswith("@13800000000")
        assert payload["at"] == {"atMobiles": ["13800000000"], "isAtAll": False}

        wrong = cfg.model_copy(update={"secret": SecretStr("SECwrong")})
        rejected = DingtalkNotifier("ding", wrong).send(make(), NOW)
        assert rejected.status is DeliveryStatus.failed and rejected.http_status == 200
        assert "310000" in rejected.error


# ------------------------------------------------------------------ 飞书


def feishu_verifier(secret: str) -> Callable[[Seen], Reply | None]:
    def verify(seen: Seen) -> Reply | None:
        body = seen.json()
        timestamp = str(body.get("timestamp", ""))
        key = f"{timestamp}\n{secret}".encode()
        expected = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
        fresh = timestamp.isdigit() and abs(time.time() - int(timestamp)) < 3600
        if not (fresh and hmac.compare_digest(str(body.get("sign", "")), expected)):
            return Reply(
                body={"code": 19021, "msg": "sign match fail or timestamp is not within one hour", "data": {}}
            )
        return None

    return verify


def test_feishu_signed_card_and_text_verified_by_receiver() -> None:
    with Receiver(verify=feishu_verifier(FEISHU_SECRET)) as receiver:
        receiver.default = Reply(body={"code": 0, "msg": "success", "data": {}})
        url = SecretStr(receiver.url(f"/open-apis/bot/v2/hook/{TOKEN}-0000-1111"))
        cfg = FeishuChannel(type="feishu", url=url, secret=SecretStr(FEISHU_SECRET), allow_private=True)
        assert FeishuNotifier("fs", cfg).send(make(), NOW).status is DeliveryStatus.delivered
        card = receiver.seen[0].json()
        assert card["msg_type"] == "interactive"
        assert (
            card["card"]["header"]["title"]["content"] == "【重大·超时】新港区化工园区爆炸 权威信息发布已超时"
        )
        assert card["card"]["header"]["template"] == "red"
        assert "已超时1小时10分" in card["card"]["elements"][0]["text"]["content"]

        text_cfg = cfg.model_copy(update={"msg_type": "text"})
        assert FeishuNotifier("fs", text_cfg).send(make(), NOW).ok
        text = receiver.seen[1].json()
        assert text["msg_type"] == "text" and "新港区委宣传部" in text["content"]["text"]

        bad = FeishuNotifier("fs", cfg.model_copy(update={"secret": SecretStr("nope")})).send(make(), NOW)
        assert bad.status is DeliveryStatus.failed and "19021" in bad.error


# ------------------------------------------------------------------ webhook


def webhook_verifier(secret: str) -> Callable[[Seen], Reply | None]:
    def verify(seen: Seen) -> Reply | None:
        expected = "sha256=" + hmac.new(secret.encode(), seen.body, hashlib.sha256).hexdigest()
        given = seen.headers.get("X-Sentinel-Signature", "")
        stamp = seen.headers.get("X-Sentinel-Timestamp", "")
        if not hmac.compare_digest(given, expected) or str(seen.json()["sent_at_unix"]) != stamp:
            return Reply(status=401, body={"error": "bad signature"})
        return None

    return verify


def test_webhook_hmac_verified_and_202_accepted() -> None:
    with Receiver(verify=webhook_verifier(HOOK_SECRET)) as receiver:
        receiver.default = Reply(status=202, body={"queued": True})
        cfg = WebhookChannel(
            type="webhook",
            url=SecretStr(receiver.url("/hooks/sentinel")),
            secret=SecretStr(HOOK_SECRET),
            allow_private=True,
        )
        result = WebhookNotifier("hook", cfg).send(make(), NOW)
        assert result.status is DeliveryStatus.delivered and result.http_status == 202
        doc = receiver.seen[0].json()
        assert doc["dedup_key"] == "inc-1:release:2"
        assert doc["notification"]["incident_title"] == "新港区化工园区爆炸"
        assert receiver.seen[0].headers["X-Sentinel-Dedup-Key"] == "inc-1:release:2"
        assert abs(int(receiver.seen[0].headers["X-Sentinel-Timestamp"]) - time.time()) < 60

        bad_cfg = cfg.model_copy(update={"secret": SecretStr("other")})
        bad = WebhookNotifier("hook", bad_cfg).send(make(), NOW)
        assert bad.status is DeliveryStatus.failed and bad.http_status == 401


# ------------------------------------------------------------------ SMS


def test_sms_gateway_template_auth_and_ok_field(receiver: Receiver) -> None:
    receiver.default = Reply(body={"code": 0, "msg": "accepted"})
    cfg = SmsChannel(
        type="sms",
        url=SecretStr(receiver.url("/sms/send")),
        method="PUT",
        body_template={
            "to": ["{phone}"],
            "content": "{text}",
            "meta": {"sign": "舆情值班", "raw": "{literal}"},
        },
        auth_header="X-Api-Key",
        auth_value=SecretStr(SMS_AUTH),
        phones={"张三": "13800000000", "李四": "13900000000"},
        ok_field="code",
        ok_value=0,
        allow_private=True,
    )
    notifier = SmsNotifier("sms", cfg)
    two = make(recipients=(Recipient(name="张三"), Recipient(name="李四"), Recipient(name="无号码")))
    assert notifier.target(Recipient(name="无号码")) is None
    assert notifier.target(Recipient(name="刘洋", phone="13800000004")) == "13800000004"  # from the rota
    assert notifier.target(Recipient(name="张三", phone="13700000000")) == "13800000000"  # the channel's own list first
    assert notifier.send(make(recipients=(Recipient(name="刘洋", phone="13800000004"),)), NOW).ok
    assert receiver.seen.pop().json()["to"] == ["13800000004"]
    assert notifier.send(two, NOW).status is DeliveryStatus.delivered
    assert [s.json()["to"] for s in receiver.seen] == [["13800000000"], ["13900000000"]]
    first = receiver.seen[0]
    assert first.method == "PUT" and first.headers["X-Api-Key"] == SMS_AUTH
    assert first.json()["meta"] == {"sign": "舆情值班", "raw": "{literal}"}
    assert first.json()["content"].startswith("【重大·超时】新港区化工园区爆炸")
    assert len(first.json()["content"]) <= 201

    quoted = make(incident_title='"},"to":["10086"],"x":"', recipients=(Recipient(name="张三"),))
    assert notifier.send(quoted, NOW).ok
    assert receiver.seen[-1].json()["to"] == ["13800000000"]  # text cannot rewrite the body

    receiver.default = Reply(body={"code": 1001, "msg": "余额不足"})
    rejected = notifier.send(make(recipients=(Recipient(name="张三"),)), NOW)
    assert rejected.status is DeliveryStatus.failed and "1001" in rejected.error
    assert notifier.send(make(recipients=(Recipient(name="无号码"),)), NOW).status is DeliveryStatus.failed


# ------------------------------------------------------------------ secrets


def test_secrets_absent_from_logs_reprs_and_errors(
    receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    # The receiver echoes the request target in its error body, as some gateways do.
    receiver.script = [
        Reply(status=500, body=f"upstream failed for /x?key={TOKEN} auth={SMS_AUTH}".encode())
    ] * 10
    url = SecretStr(receiver.url(f"/x?key={TOKEN}&access_token={TOKEN}"))
    notifiers: list[Any] = [
        WecomNotifier("w", WecomChannel(type="wecom", url=url, allow_private=True)),
        DingtalkNotifier(
            "d", DingtalkChannel(type="dingtalk", url=url, secret=SecretStr(DING_SECRET), allow_private=True)
        ),
        FeishuNotifier(
            "f", FeishuChannel(type="feishu", url=url, secret=SecretStr(FEISHU_SECRET), allow_private=True)
        ),
        WebhookNotifier(
            "h", WebhookChannel(type="webhook", url=url, secret=SecretStr(HOOK_SECRET), allow_private=True)
        ),
        SmsNotifier(
            "s",
            SmsChannel(
                type="sms", url=url, auth_value=SecretStr(SMS_AUTH), phones={"张三": "1"}, allow_private=True
            ),
        ),
    ]
    own = [[TOKEN], [TOKEN, DING_SECRET], [TOKEN, FEISHU_SECRET], [TOKEN, HOOK_SECRET], [TOKEN, SMS_AUTH]]
    results = [n.send(make(), NOW) for n in notifiers]
    assert all(r.status is DeliveryStatus.retryable for r in results)
    assert any("HTTP Request" in r.getMessage() for r in caplog.records)  # httpx did log
    logged = caplog.text + "".join(repr(n) for n in notifiers) + repr(notifiers[1]._config)
    for secret in (TOKEN, DING_SECRET, FEISHU_SECRET, HOOK_SECRET, SMS_AUTH, "sms-gateway-token"):
        assert secret not in logged
    # Each channel redacts its own secrets even when the server echoes them back.
    for result, secrets in zip(results, own, strict=True):
        assert "***" in result.error
        for secret in secrets:
            assert secret not in result.error and secret not in result.model_dump_json()


def test_url_userinfo_password_is_kept_out_of_logs_and_errors(
    receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    """A gateway URL written as http://user:password@host/…: httpx logs the URL, the server may
    echo it; neither may show the password."""
    caplog.set_level(logging.DEBUG)
    password = "S3cretPassw0rd%21"  # percent-encoded in the URL: "S3cretPassw0rd!"
    url = receiver.url("/send").replace("http://", f"http://gwuser:{password}@")
    assert password in url_secrets(url) and "S3cretPassw0rd!" in url_secrets(url)
    cfg = SmsChannel(type="sms", url=SecretStr(url), phones={"张三": "13800000000"}, allow_private=True)
    notifier = SmsNotifier("sms", cfg)
    assert notifier.send(make(recipients=(Recipient(name="张三"),)), NOW).ok
    assert receiver.seen[0].headers["Authorization"].startswith("Basic ")  # the credentials were used
    receiver.script = [Reply(status=500, body=f"bad login for {url} (S3cretPassw0rd!)".encode())]
    failed = notifier.send(make(recipients=(Recipient(name="张三"),)), NOW)
    assert failed.status is DeliveryStatus.retryable and "***" in failed.error
    assert any("HTTP Request" in r.getMessage() for r in caplog.records)
    for text in (caplog.text, failed.error):
        assert "S3cretPassw0rd" not in text and "gwuser" not in text


@pytest.mark.parametrize("msg_type", ["text", "interactive"])
def test_feishu_body_that_doubles_when_escaped_still_fills_the_limit(receiver: Receiver, msg_type: str) -> None:
    """Quotes, backslashes and newlines take two bytes each once JSON-escaped: the message is cut to
    what fits in 20,000 bytes as sent, not shrunk to a fraction of it, and never inside a character."""
    receiver.default = Reply(body={"code": 0, "msg": "success"})
    url = SecretStr(receiver.url(f"/open-apis/bot/v2/hook/{TOKEN}"))
    cfg = FeishuChannel(type="feishu", url=url, secret=SecretStr(FEISHU_SECRET), msg_type=msg_type,
                        allow_private=True)
    body = ('"\\' * 50 + "爆炸\n") * 3000
    assert FeishuNotifier("fs", cfg).send(make(body_zh=body), NOW).ok
    raw = receiver.seen[0].body
    assert FEISHU_MAX_BYTES - 200 <= len(raw) <= FEISHU_MAX_BYTES
    doc = receiver.seen[0].json()  # valid UTF-8 JSON: no character was cut
    text = doc["content"]["text"] if msg_type == "text" else doc["card"]["elements"][0]["text"]["content"]
    assert "…" in text and "爆炸" in text and "新港区委宣传部" in text and "inc-1" in text
