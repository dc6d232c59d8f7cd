"""SMS through a configurable HTTP gateway (one request per phone number).

The gateway's body is the channel's `body_template` with {phone} and {text} substituted in every
string; substitution happens before JSON encoding, so a quote or brace in an incident title is
escaped like any other character and cannot change the request's structure.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sentinel.alerts.notifiers.base import (
    DeliveryResult,
    DeliveryStatus,
    HttpNotifier,
    delivered,
    failed,
    json_field,
    reveal,
)
from sentinel.alerts.notifiers.config import SmsChannel
from sentinel.alerts.notifiers.render import render_sms
from sentinel.domain.alerting import Notification, Recipient


def fill_template(template: Any, phone: str, text: str) -> Any:
    if isinstance(template, str):
        # str.replace, not str.format: braces elsewhere in the template stay literal.
        return template.replace("{phone}", phone).replace("{text}", text)
    if isinstance(template, dict):
        return {k: fill_template(v, phone, text) for k, v in template.items()}
    if isinstance(template, list):
        return [fill_template(v, phone, text) for v in template]
    return template


class SmsNotifier(HttpNotifier[SmsChannel]):
    @property
    def _auth(self) -> str | None:
        return reveal(self._config.auth_value)

    def credentials(self) -> list[str]:
        # "Bearer <token>": a gateway may echo just the token, so both forms are redacted.
        return [self._auth, *self._auth.split()[-1:]] if self._auth else []

    def target(self, recipient: Recipient) -> str | None:
        return self._config.phones.get(recipient.name) or recipient.phone

    def text(self, notification: Notification, now: datetime) -> str:
        return render_sms(notification, now, self._config.max_segments)

    def _send_one(self, phone: str, text: str) -> DeliveryResult:
        body = fill_template(self._config.body_template, phone, text)
        headers = {self._config.auth_header: self._auth} if self._auth else {}
        reply = self.post_json(self._url, body, headers, method=self._config.method)
        if isinstance(reply, DeliveryResult):
            return reply
        field = self._config.ok_field
        if field is not None:
            value = json_field(reply, field)
            if str(value) != str(self._config.ok_value):
                detail = self._http.redact(f"{field}={value!r} {reply.text[:200]}")
                return failed(self.name, f"短信网关拒绝 (gateway rejected): {detail}", reply.status_code)
        return delivered(self.name, reply.status_code)

    def send(self, notification: Notification, now: datetime) -> DeliveryResult:
        phones = [p for r in notification.recipients if (p := self.target(r))]
        if not phones:
            return failed(self.name, "收件人没有配置手机号 (no phone number for these recipients)")
        text = self.text(notification, now)
        results = [self._send_one(phone, text) for phone in dict.fromkeys(phones)]
        # The dispatcher sends one recipient at a time, so a retry repeats only that phone;
        # with several phones the worst outcome decides (a retry may duplicate an SMS, which
        # is tolerable; a lost alert is not).
        for status in (DeliveryStatus.retryable, DeliveryStatus.failed):
            worst = next((r for r in results if r.status is status), None)
            if worst is not None:
                return worst
        return results[0]
