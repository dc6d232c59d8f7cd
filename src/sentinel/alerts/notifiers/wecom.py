"""企业微信群机器人 (WeCom group robot): markdown message to the robot's webhook URL."""

from __future__ import annotations

import json
from datetime import datetime

import httpx

from sentinel.alerts.notifiers.base import (
    GROUP_TARGET,
    DeliveryResult,
    HttpChannel,
    check_api_reply,
    url_secrets,
)
from sentinel.alerts.notifiers.config import WecomChannel
from sentinel.alerts.notifiers.render import WECOM_MAX_BYTES, render_markdown
from sentinel.domain.alerting import Notification, Recipient
from sentinel.domain.timeutil import Clock, SystemClock

# 45009: API call frequency over the limit (a robot may post 20 messages a minute).
WECOM_RATE_LIMIT_CODES = frozenset({45009})


class WecomNotifier:
    def __init__(
        self,
        name: str,
        config: WecomChannel,
        *,
        transport: httpx.BaseTransport | None = None,
        wall_clock: Clock | None = None,
    ) -> None:
        self.name = name
        self._url = config.url.get_secret_value()
        self._clock = wall_clock or SystemClock()
        self._http = HttpChannel(
            name,
            timeout_s=config.timeout_s,
            allow_private=config.allow_private,
            secrets=url_secrets(self._url),
            transport=transport,
        )

    def target(self, recipient: Recipient) -> str | None:
        return GROUP_TARGET

    def payload(self, notification: Notification, now: datetime) -> dict[str, object]:
        content = render_markdown(notification, now, WECOM_MAX_BYTES)
        return {"msgtype": "markdown", "markdown": {"content": content}}

    def send(self, notification: Notification, now: datetime) -> DeliveryResult:
        body = json.dumps(self.payload(notification, now), ensure_ascii=False).encode("utf-8")
        reply = self._http.request(
            self._url, body, {"Content-Type": "application/json; charset=utf-8"}, wall_now=self._clock.now()
        )
        if isinstance(reply, DeliveryResult):
            return reply
        return check_api_reply(
            self.name,
            reply,
            code_keys=("errcode",),
            message_keys=("errmsg",),
            rate_limit_codes=WECOM_RATE_LIMIT_CODES,
            redactor=self._http.redact,
        )

    def close(self) -> None:
        self._http.close()

    def __repr__(self) -> str:
        return f"WecomNotifier(name={self.name!r})"
