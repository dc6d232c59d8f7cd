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

from sentinel.alerts.notifiers.base import DeliveryResult, HttpNotifier, delivered
from sentinel.alerts.notifiers.config import WebhookChannel
from sentinel.alerts.notifiers.render import compose_title, render_text
from sentinel.domain.alerting import Notification
from sentinel.domain.timeutil import iso

SIGNATURE_HEADER = "X-Sentinel-Signature"
TIMESTAMP_HEADER = "X-Sentinel-Timestamp"
DEDUP_HEADER = "X-Sentinel-Dedup-Key"
TEXT_MAX_BYTES = 64_000


def webhook_signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


class WebhookNotifier(HttpNotifier[WebhookChannel]):
    @property
    def _secret(self) -> str:
        return self._config.secret.get_secret_value()

    def credentials(self) -> list[str]:
        return [self._secret]

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
            SIGNATURE_HEADER: webhook_signature(self._secret, body),
            TIMESTAMP_HEADER: str(sent_at),
            DEDUP_HEADER: notification.dedup_key,
        }
        reply = self.post_json(self._url, body, headers)
        if isinstance(reply, DeliveryResult):
            return reply
        return delivered(self.name, reply.status_code)  # any 2xx: the receiver's body is its own
