"""Generic JSON webhook, signed so the receiver can trust it.

Headers: `X-Sentinel-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`,
`X-Sentinel-Timestamp: <unix seconds>`, `X-Sentinel-Dedup-Key`. The same timestamp is inside
the signed body as `sent_at_unix`, so a receiver that checks it (e.g. within 5 minutes) is also
protected against replays. Receivers should dedupe on `dedup_key` (delivery is at-least-once).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime

import httpx

from sentinel.alerts.notifiers.base import GROUP_TARGET, DeliveryResult, HttpChannel, delivered, url_secrets
from sentinel.alerts.notifiers.config import WebhookChannel
from sentinel.alerts.notifiers.render import compose_title, render_text
from sentinel.domain.alerting import Notification, Recipient
from sentinel.domain.timeutil import Clock, SystemClock, iso

SIGNATURE_HEADER = "X-Sentinel-Signature"
TIMESTAMP_HEADER = "X-Sentinel-Timestamp"
DEDUP_HEADER = "X-Sentinel-Dedup-Key"
TEXT_MAX_BYTES = 64_000


def webhook_signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


class WebhookNotifier:
    def __init__(
        self,
        name: str,
        config: WebhookChannel,
        *,
        transport: httpx.BaseTransport | None = None,
        wall_clock: Clock | None = None,
    ) -> None:
        self.name = name
        self._url = config.url.get_secret_value()
        self._secret = config.secret.get_secret_value()
        self._clock = wall_clock or SystemClock()
        self._http = HttpChannel(
            name,
            timeout_s=config.timeout_s,
            allow_private=config.allow_private,
            secrets=[*url_secrets(self._url), self._secret],
            transport=transport,
        )

    def target(self, recipient: Recipient) -> str | None:
        return GROUP_TARGET

    def body(self, notification: Notification, now: datetime, sent_at: int) -> bytes:
        document = {
            "event": "sentinel.notification",
            "sent_at_unix": sent_at,
            "dedup_key": notification.dedup_key,
            "title": notification.title_zh.strip() or compose_title(notification, now),
            "text": render_text(notification, now, TEXT_MAX_BYTES),
            "rendered_at": iso(now),
            "notification": notification.model_dump(mode="json"),
        }
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def send(self, notification: Notification, now: datetime) -> DeliveryResult:
        sent_at = int(self._clock.now().timestamp())
        body = self.body(notification, now, sent_at)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            SIGNATURE_HEADER: webhook_signature(self._secret, body),
            TIMESTAMP_HEADER: str(sent_at),
            DEDUP_HEADER: notification.dedup_key,
        }
        reply = self._http.request(self._url, body, headers, wall_now=self._clock.now())
        if isinstance(reply, DeliveryResult):
            return reply
        return delivered(self.name, reply.status_code)

    def close(self) -> None:
        self._http.close()

    def __repr__(self) -> str:
        return f"WebhookNotifier(name={self.name!r})"
